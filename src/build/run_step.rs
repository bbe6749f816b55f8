//! RUN: the command runs in a container on the stage's layers through skiff's own runtime,
//! with a fresh overlay upper directory that becomes the step's layer. Rootless, the
//! container gets the same id maps as `skiff run`, so the files it writes are owned by the
//! ids the store's user namespace sees.
//!
//! The runtime creates mount points (/proc, /dev, /etc/hosts, ...) that the image may lack;
//! those it created empty are removed from the upper directory afterwards, so they do not
//! end up in the layer (Buildah does the same).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use oci_spec::runtime::{Mount, MountBuilder, Spec};

use crate::error::ExitError;
use crate::runtime::{self, RuntimeExtras, StdioSetup, idmaps, spec as rspec, user};

/// One RUN.
pub struct RunStep<'a> {
    /// The stage's layers, top first.
    pub lowers: Vec<PathBuf>,
    /// The step's work directory: `upper`, `work`, `rootfs` and the etc files go there.
    pub dir: &'a Path,
    pub argv: Vec<String>,
    pub env: Vec<String>,
    pub cwd: String,
    /// USER as the image config has it (name or id, optionally `:group`).
    pub user: String,
    pub host_network: bool,
    /// Leave /etc/hosts as the image has it (`--no-hosts`).
    pub no_hosts: bool,
    /// `RUN --mount` mounts, ready for the spec.
    pub mounts: Vec<Mount>,
    pub rootless: bool,
    pub seccomp_cache_dir: Option<PathBuf>,
    /// `build -q`: the command's output goes to our stderr, so stdout carries only the id.
    pub quiet: bool,
}

impl RunStep<'_> {
    pub fn upper(&self) -> PathBuf {
        self.dir.join("upper")
    }
}

/// Runs the step; returns the command's exit code. The step's output goes to ours.
pub fn run(step: &RunStep<'_>) -> Result<i32> {
    let upper = step.upper();
    let work = step.dir.join("work");
    let rootfs = step.dir.join("rootfs");
    for d in [&upper, &work, &rootfs] {
        fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
    }
    let mut search: Vec<PathBuf> = vec![upper.clone()];
    search.extend(step.lowers.iter().cloned());
    let passwd = user::read_file_from_layers(&search, "/etc/passwd");
    let group = user::read_file_from_layers(&search, "/etc/group");
    let exec_user = user::resolve_user(&step.user, passwd.as_deref(), group.as_deref())?;

    // Docker gives RUN a HOME (the user's, from /etc/passwd) when the image sets none.
    let mut env = step.env.clone();
    if !env.iter().any(|e| e.starts_with("HOME=")) {
        let home = if exec_user.home.is_empty() {
            "/"
        } else {
            &exec_user.home
        };
        env.push(format!("HOME={home}"));
    }
    let mut spec = rspec::default_spec(step.rootless, step.host_network)?;
    let hostname = format!("skiff-build-{}", std::process::id());
    // Without a lower layer the upper directory is the whole root (FROM scratch).
    let root = if step.lowers.is_empty() {
        upper.clone()
    } else {
        rootfs.clone()
    };
    rspec::fill_process(
        &mut spec,
        rspec::ProcessParts {
            args: &step.argv,
            env: &env,
            cwd: &step.cwd,
            user: &exec_user,
            hostname: &hostname,
            tty: false,
            no_new_privs: false,
            rootfs: &root,
            read_only: false,
        },
    )?;
    let mut mounts = spec.mounts().clone().unwrap_or_default();
    mounts.extend(etc_mounts(step, &hostname)?);
    mounts.extend(step.mounts.iter().cloned());
    spec.set_mounts(Some(mounts));
    if step.rootless
        && let Some(linux) = spec.linux_mut()
    {
        let (uids, gids) = idmaps::rootless_spec_maps(false)?;
        linux.set_uid_mappings(Some(uids));
        linux.set_gid_mappings(Some(gids));
    }
    // A RUN gets a container's pids limit and device rules (rootful), in a cgroup of its own.
    let cgroup = StepCgroup(format!(
        "build-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0)
    ));
    runtime::cgroup::remove_stale_build_cgroups();
    rspec::with_cgroup(&mut spec, &cgroup.0, step.rootless, None, false)?;
    let created = missing_mount_points(&spec, &search);
    let extras = RuntimeExtras {
        lower_dirs: step.lowers.clone(),
        upper_dir: upper.clone(),
        work_dir: work,
        rootless: step.rootless,
        init: false,
        seccomp_cache_dir: step.seccomp_cache_dir.clone(),
    };
    let code = spawn_and_wait(&spec, &extras, step.quiet)?;
    remove_mount_points(&upper, &created);
    Ok(code)
}

/// A RUN's cgroup, removed when the step ends however it ends (its processes are gone by
/// then: they die with the step's first process, the pid namespace's init).
struct StepCgroup(String);

impl Drop for StepCgroup {
    fn drop(&mut self) {
        runtime::remove_cgroup(&self.0);
    }
}

fn spawn_and_wait(spec: &Spec, extras: &RuntimeExtras, quiet: bool) -> Result<i32> {
    // Pipes relayed to our stdout/stderr, never our descriptors: the step could reopen them
    // through /proc/self/fd (a `build > log` file) read-write. Quiet: its output goes to
    // stderr.
    let (stdio, pipes) = crate::monitor::foreground::stdio_pipes(false)?;
    let stdio = match stdio {
        StdioSetup::Fds { stdin, stderr, .. } if quiet => StdioSetup::Fds {
            stdin,
            stdout: stderr.try_clone().context("duplicating a pipe")?,
            stderr,
        },
        other => other,
    };
    let sp = runtime::spawn(spec, extras, stdio).map_err(|e| match e.downcast::<ExitError>() {
        Ok(exit) => anyhow::Error::new(exit),
        Err(e) => e,
    })?;
    let opts = crate::monitor::foreground::ForegroundOptions {
        sig_proxy: true,
        tty_master: None,
        stdin_open: false,
        stop_timeout: None,
    };
    match crate::monitor::foreground::wait_foreground_piped(sp.pid, &sp.pidfd, &opts, Some(pipes)) {
        Ok(code) => Ok(code),
        Err(e) => {
            runtime::kill_and_reap(&sp.pidfd);
            Err(e)
        }
    }
}

/// /etc/hosts (unless --no-hosts) and /etc/resolv.conf, written into the step's directory
/// and bind-mounted, so they never land in the layer.
fn etc_mounts(step: &RunStep<'_>, hostname: &str) -> Result<Vec<Mount>> {
    let mut out = Vec::new();
    let resolv = step.dir.join("resolv.conf");
    fs::write(
        &resolv,
        fs::read_to_string("/etc/resolv.conf").unwrap_or_default(),
    )
    .context("writing resolv.conf for the build container")?;
    out.push(bind(&resolv, "/etc/resolv.conf")?);
    if !step.no_hosts {
        let hosts = step.dir.join("hosts");
        let text = if step.host_network {
            fs::read_to_string("/etc/hosts").unwrap_or_default()
        } else {
            format!("127.0.0.1\tlocalhost\n::1\tlocalhost\n127.0.1.1\t{hostname}\n")
        };
        fs::write(&hosts, text).context("writing hosts for the build container")?;
        out.push(bind(&hosts, "/etc/hosts")?);
    }
    Ok(out)
}

fn bind(src: &Path, dst: &str) -> Result<Mount> {
    Ok(MountBuilder::default()
        .destination(dst)
        .typ("bind")
        .source(src)
        .options(vec!["rbind".to_string(), "rw".to_string()])
        .build()?)
}

/// The mount destinations, and their parent directories, that no layer has: the runtime
/// creates them, deepest last.
fn missing_mount_points(spec: &Spec, layers: &[PathBuf]) -> Vec<PathBuf> {
    let exists = |rel: &Path| crate::layer::overlay::lookup(layers, rel).is_some();
    let mut out: Vec<PathBuf> = Vec::new();
    for m in spec.mounts().iter().flatten() {
        let rel = m.destination().strip_prefix("/").unwrap_or(m.destination());
        let mut cur = PathBuf::new();
        for comp in rel.components() {
            cur.push(comp);
            if !exists(&cur) && !out.contains(&cur) {
                out.push(cur.clone());
            }
        }
    }
    out
}

/// Removes the created mount points that are still empty, deepest first.
fn remove_mount_points(upper: &Path, created: &[PathBuf]) {
    let mut sorted: Vec<&PathBuf> = created.iter().collect();
    sorted.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
    for rel in sorted {
        let path = upper.join(rel);
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            let _ = fs::remove_dir(&path); // fails, as wanted, when the step put files there
        } else if meta.is_file() && meta.len() == 0 {
            let _ = fs::remove_file(&path);
        }
    }
}
