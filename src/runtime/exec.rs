//! `exec`: a new process in a running container.
//!
//! An intermediate process (forked from the caller) joins the container's namespaces through
//! its pidfd, then clone3s with CLONE_PARENT: the new process is inside the container's pid
//! namespace (setns(CLONE_NEWPID) applies to children only) and is a child of the caller, not
//! of the intermediate, so the caller can wait on it like on `spawn`'s process. The
//! intermediate sends the new pid and exits at once; the caller reaps it.
//!
//! Only namespaces that differ from the caller's are joined (a rootful container without a
//! user namespace shares ours). Rootless, the caller is in the initial user namespace and owns
//! the container's, so joining it grants the capabilities needed for the others.

use std::convert::Infallible;
use std::os::fd::OwnedFd;

use anyhow::{Context, Result, bail};
use oci_spec::runtime::{LinuxSeccomp, Process};

use super::child::{become_root_in_userns, enter_cwd, report, start_process};
use super::sync::Channel;
use super::{Spawned, StdioSetup};
use crate::sys;
use crate::sys::clone::Cloned;

const NAMESPACES: [(&str, i32); 7] = [
    ("user", libc::CLONE_NEWUSER),
    ("mnt", libc::CLONE_NEWNS),
    ("pid", libc::CLONE_NEWPID),
    ("ipc", libc::CLONE_NEWIPC),
    ("uts", libc::CLONE_NEWUTS),
    ("net", libc::CLONE_NEWNET),
    ("cgroup", libc::CLONE_NEWCGROUP),
];

/// Starts `process` inside the running container whose first process is `target_pid`, with
/// the container's seccomp filter (`seccomp`, as Podman does; None: none). Returns once it
/// has exec'd; we are its parent. `rootless` says the caller is an unprivileged user (the
/// container must then have a user namespace to join). `detached`: the process does not
/// die with the caller (`exec -d`), otherwise it gets SIGKILL when the caller exits.
/// `container_spec`: its cgroup (pids limit, device rules) is joined before the container.
#[allow(clippy::too_many_arguments)]
pub fn exec_process(
    target_pid: i32,
    target_pidfd: &OwnedFd,
    process: &Process,
    seccomp: Option<&LinuxSeccomp>,
    rootless: bool,
    stdio: StdioSetup,
    detached: bool,
    container_spec: Option<&oci_spec::runtime::Spec>,
) -> Result<Spawned> {
    let nstype = differing_namespaces(target_pid)?;
    let joins_userns = nstype & libc::CLONE_NEWUSER != 0;
    if rootless && !joins_userns {
        bail!("cannot exec in container process {target_pid}: it has no user namespace of its own");
    }
    // The container may have exited meanwhile: the pidfd, not the pid, is what we join.
    sys::pidfd::pidfd_send_signal(target_pidfd, 0).context("the container is not running")?;
    let program = seccomp
        .map(|s| super::seccomp::compile_cached(s, None))
        .transpose()
        .context("compiling the seccomp filter")?;
    let (parent_end, child_end) = sys::clone::seqpacket_pair()?;
    // The closure runs in the child on its copies: taking from these there leaves ours.
    let (mut parent_end, mut child_end) = (Some(parent_end), Some(child_end));
    let mut stdio = Some(stdio);
    let intermediate = sys::process::fork_child(|| {
        super::child::OUTLIVES_PARENT.store(detached, std::sync::atomic::Ordering::Relaxed);
        drop(parent_end.take());
        let channel = Channel(child_end.take().expect("channel end present"));
        let stdio = stdio.take().expect("stdio present");
        // Still on the host: the helper (pid 0, itself) joins the container's cgroup, and
        // the process it clones is born there.
        if let Some(spec) = container_spec
            && let Err(e) = super::cgroup::join_container_cgroup(spec, 0)
        {
            return report(&channel, &e.context("joining the container's cgroup"));
        }
        match intermediate(
            target_pidfd,
            nstype,
            process,
            program.as_ref(),
            stdio,
            &channel,
        ) {
            Ok(()) => 0,
            Err(e) => report(&channel, &e),
        }
    })?;
    drop(stdio);
    drop(child_end);
    let channel = Channel(parent_end.expect("channel end present"));
    let (mut outcome, result) = channel.wait_for_exec();
    let _ = sys::process::wait_child(intermediate);
    let Some(pid) = outcome.pid else {
        // The intermediate failed before cloning: nothing else to reap.
        return Err(result
            .err()
            .unwrap_or_else(|| anyhow::anyhow!("the exec helper did not report a process")));
    };
    // The process is our child (CLONE_PARENT) and unreaped, so its pid is still its own.
    let pidfd = sys::pidfd::pidfd_open(pid)?;
    match result {
        Ok(()) => Ok(Spawned {
            pid,
            pidfd,
            pty_master: outcome.pty_master.take(),
        }),
        Err(e) => {
            super::spawn::reap_failed(&pidfd);
            Err(e)
        }
    }
}

/// The `CLONE_NEW*` bits of the namespaces where the target differs from us.
fn differing_namespaces(pid: i32) -> Result<i32> {
    let mut flags = 0;
    for (name, flag) in NAMESPACES {
        let ours = std::fs::read_link(format!("/proc/self/ns/{name}"))
            .with_context(|| format!("reading our {name} namespace"))?;
        let theirs = std::fs::read_link(format!("/proc/{pid}/ns/{name}"))
            .with_context(|| format!("reading the {name} namespace of process {pid}"))?;
        if ours != theirs {
            flags |= flag;
        }
    }
    Ok(flags)
}

/// In the forked intermediate: join, clone the process into the pid namespace as a child of
/// our parent, report its pid and leave.
fn intermediate(
    target: &OwnedFd,
    nstype: i32,
    process: &Process,
    seccomp: Option<&seccompiler::BpfProgram>,
    stdio: StdioSetup,
    channel: &Channel,
) -> Result<()> {
    // Not dumpable before joining: the container's processes must not ptrace us or open our
    // /proc/<pid>/fd and mem (we are a copy of the caller). The new process inherits it until
    // its execve.
    rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable)
        .context("making the exec helper non-dumpable")?;
    sys::clone::setns(target, nstype).context("joining the container's namespaces")?;
    match sys::clone::clone3(libc::CLONE_PARENT as u64, false)? {
        Cloned::Child => {
            let err = match exec_main(nstype, process, seccomp, stdio, channel) {
                Err(e) => e,
                Ok(never) => match never {},
            };
            sys::process::exit_now(report(channel, &err))
        }
        Cloned::Parent { pid, .. } => {
            channel.send_pid(pid);
            Ok(())
        }
    }
}

fn exec_main(
    nstype: i32,
    process: &Process,
    seccomp: Option<&seccompiler::BpfProgram>,
    stdio: StdioSetup,
    channel: &Channel,
) -> Result<Infallible> {
    if nstype & libc::CLONE_NEWUSER != 0 {
        become_root_in_userns()?;
    }
    enter_cwd(process, false)?;
    start_process(process, seccomp, stdio, channel, false)
}
