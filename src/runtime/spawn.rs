//! `spawn`: the container's first process, with clone3 into its namespaces.
//!
//! The caller must be single-threaded (clone3 has fork semantics). The child is pid 1 of its
//! pid namespace and we are its parent. The handshake is in sync.rs; the child's steps in
//! child.rs. The child's end of the channel is close-on-exec: end of file after the EXEC
//! message means the exec happened.

use std::io::Write;
use std::os::fd::OwnedFd;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use oci_spec::runtime::{LinuxIdMapping, LinuxNamespaceType, Spec};

use super::child::{clone_flags, container_main};
use super::mounts::has_namespace;
use super::sync::Channel;
use super::{RuntimeExtras, Spawned, StdioSetup};
use crate::sys;
use crate::sys::clone::Cloned;

/// Creates the container's first process from `spec` and returns once it has exec'd (or
/// with an `ExitError`: 125 setup failed, 126 cannot invoke, 127 not found).
pub fn spawn(spec: &Spec, extras: &RuntimeExtras, stdio: StdioSetup) -> Result<Spawned> {
    let threads = sys::process::thread_count()?;
    if threads != 1 {
        bail!("cannot start a container from a process with {threads} threads");
    }
    let flags = clone_flags(spec)?;
    // Compiled here, before clone3, and cached: the child only loads it.
    let seccomp = match spec.linux().as_ref().and_then(|l| l.seccomp().as_ref()) {
        Some(s) => Some(
            super::seccomp::compile_cached(s, extras.seccomp_cache_dir.as_deref())
                .context("compiling the seccomp filter")?,
        ),
        None => None,
    };
    let own_userns = has_namespace(spec, LinuxNamespaceType::User);
    if own_userns {
        // A process that changed credentials is not dumpable, and then neither newuidmap nor
        // we could open its /proc/<pid>/uid_map.
        rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::Dumpable)
            .context("setting the process dumpable")?;
    }
    // The cgroup exists, with its limits, before the process does.
    let cgroup = super::cgroup::prepare(spec).context("setting up the container's cgroup")?;
    let (parent_end, child_end) = sys::clone::seqpacket_pair()?;
    let (pid, pidfd) =
        match sys::clone::clone3(flags, true).context("creating the container process")? {
            Cloned::Child => {
                drop(parent_end);
                container_main(spec, extras, seccomp.as_ref(), stdio, Channel(child_end))
            }
            Cloned::Parent { pid, pidfd } => (pid, pidfd.expect("CLONE_PIDFD gives a pidfd")),
        };
    drop(child_end);
    drop(stdio);
    let channel = Channel(parent_end);
    let result = (|| {
        // Into its cgroup while it waits at sync 1: nothing of the image's has run yet.
        if let Some(cgroup) = &cgroup {
            cgroup
                .add(pid)
                .context("moving the container into its cgroup")?;
        }
        if own_userns {
            write_id_maps(pid, spec).context("writing the container's id maps")?;
        }
        channel.send_maps_done()?;
        let (outcome, result) = channel.wait_for_exec();
        result.map(|()| outcome.pty_master)
    })();
    match result {
        Ok(pty_master) => Ok(Spawned {
            pid,
            pidfd,
            pty_master,
        }),
        Err(e) => {
            reap_failed(&pidfd);
            Err(e)
        }
    }
}

/// After a failure: the child is exiting or stuck; make sure it is gone and reaped.
pub fn reap_failed(pidfd: &OwnedFd) {
    let _ = sys::pidfd::pidfd_send_signal(pidfd, libc::SIGKILL);
    let _ = sys::pidfd::waitid_pidfd(pidfd);
}

/// Writes the child's uid and gid maps: directly as root, or for the caller's own single id;
/// through the setuid newuidmap/newgidmap for subordinate ranges.
fn write_id_maps(pid: i32, spec: &Spec) -> Result<()> {
    let linux = spec
        .linux()
        .as_ref()
        .context("the spec has no linux section")?;
    let uid_map = linux.uid_mappings().clone().unwrap_or_default();
    let gid_map = linux.gid_mappings().clone().unwrap_or_default();
    if uid_map.is_empty() || gid_map.is_empty() {
        bail!("a user namespace needs uid and gid mappings");
    }
    let privileged = rustix::process::geteuid().is_root();
    let own_uid = rustix::process::geteuid().as_raw();
    let own_gid = rustix::process::getegid().as_raw();
    // newuidmap and newgidmap run side by side: each costs a process start.
    let mut helpers = Vec::new();
    if privileged || is_single_own(&uid_map, own_uid) {
        write_map_file(pid, "uid_map", &uid_map)?;
    } else {
        helpers.push(start_id_mapper("newuidmap", pid, &uid_map)?);
    }
    if privileged {
        write_map_file(pid, "gid_map", &gid_map)?;
    } else if is_single_own(&gid_map, own_gid) {
        // The kernel lets an unprivileged process write its own gid only with setgroups denied.
        write_proc(pid, "setgroups", "deny")?;
        write_map_file(pid, "gid_map", &gid_map)?;
    } else {
        helpers.push(start_id_mapper("newgidmap", pid, &gid_map)?);
    }
    for (program, child) in helpers {
        let output = child
            .wait_with_output()
            .with_context(|| format!("waiting for {program}"))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            bail!("{program} failed: {}", stderr.trim());
        }
    }
    Ok(())
}

fn is_single_own(map: &[LinuxIdMapping], own: u32) -> bool {
    matches!(map, [m] if m.host_id() == own && m.size() == 1)
}

fn write_map_file(pid: i32, file: &str, map: &[LinuxIdMapping]) -> Result<()> {
    let content: String = map
        .iter()
        .map(|m| format!("{} {} {}\n", m.container_id(), m.host_id(), m.size()))
        .collect();
    write_proc(pid, file, &content)
}

fn write_proc(pid: i32, file: &str, content: &str) -> Result<()> {
    let path = format!("/proc/{pid}/{file}");
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .with_context(|| format!("opening {path}"))?;
    f.write_all(content.as_bytes())
        .with_context(|| format!("writing {path}"))
}

fn start_id_mapper(
    program: &'static str,
    pid: i32,
    map: &[LinuxIdMapping],
) -> Result<(&'static str, std::process::Child)> {
    let args = map
        .iter()
        .flat_map(|m| [m.container_id(), m.host_id(), m.size()])
        .map(|n| n.to_string());
    let child = Command::new(program)
        .arg(pid.to_string())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("running {program} (install the uidmap package)"))?;
    Ok((program, child))
}
