//! Starting, stopping, signalling, waiting for and removing containers.
//!
//! Foreground: this process is the container's parent; it records the state, relays
//! signals (and the terminal), records the exit. Detached: a forked monitor becomes the
//! parent (DESIGN.md), reports "started" or the error back over a pipe, then supervises.
//! Signals always go through a pidfd checked against the recorded start time, so a
//! recycled pid is never hit.

use std::fs::File;
use std::io::Write;
use std::os::fd::OwnedFd;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use chrono::Utc;
use oci_spec::runtime::Spec;

use super::record::{
    ContainerPaths, ContainerState, Status, live_state, live_state_held, load_state, save_json,
};
use super::{Found, names};
use crate::error::ExitError;
use crate::monitor;
use crate::runtime::{self, RuntimeExtras, Spawned, StdioSetup};
use crate::store::Store;
use crate::store::fsutil::remove_all;
use crate::store::lock::Lock;
use crate::sys;

/// The container's OCI spec as `create` wrote it.
pub fn load_spec(paths: &ContainerPaths) -> Result<Spec> {
    let bytes = std::fs::read(paths.spec())
        .with_context(|| format!("reading {}", paths.spec().display()))?;
    serde_json::from_slice(&bytes).context("parsing the container's OCI spec")
}

fn extras(store: &Store, f: &Found) -> RuntimeExtras {
    RuntimeExtras {
        lower_dirs: store.lower_dirs(&f.record.layers),
        upper_dir: f.paths.upper(),
        work_dir: f.paths.work(),
        rootless: f.record.rootless,
        init: f.record.init,
        seccomp_cache_dir: Some(store.runroot().join("seccomp")),
    }
}

/// Podman's refusal to start what runs already.
fn check_startable(f: &Found, st: &ContainerState) -> Result<()> {
    if matches!(st.status, Status::Running | Status::Stopping) {
        bail!(
            "container {} is already running: container state improper",
            f.record.id
        );
    }
    Ok(())
}

fn running_state(sp: &Spawned, monitor_pid: u32) -> ContainerState {
    ContainerState {
        status: Status::Running,
        pid: sp.pid,
        pid_start: sys::pidfd::process_start_time(sp.pid).unwrap_or(0),
        monitor_pid: monitor_pid as i32,
        started_at: Some(Utc::now()),
        finished_at: None,
        exit_code: None,
        error: String::new(),
    }
}

/// The running state, in the runroot and (for a runroot that vanishes while the container
/// runs) in the store.
fn record_running(paths: &ContainerPaths, st: &ContainerState) -> Result<()> {
    save_json(&paths.last_start(), st)?;
    save_json(&paths.state(), st)
}

fn record_exit(paths: &ContainerPaths, code: i32) {
    // Its processes are gone: so goes its cgroup (a start makes it again), even when the
    // store is deleted later without an `rm`.
    if crate::runtime::cgroup::available()
        && let Some(id) = paths.dir.file_name().and_then(|n| n.to_str())
    {
        crate::runtime::remove_cgroup(id);
    }
    // Removed while it ran (`rm -f`): nothing left to record into.
    if !paths.record().exists() {
        return;
    }
    let mut st = load_state(paths).unwrap_or_default();
    st.status = Status::Exited;
    st.exit_code = Some(code);
    st.finished_at = Some(Utc::now());
    if let Err(e) = save_json(&paths.state(), &st) {
        log::warn!("recording the exit of the container: {e:#}");
    }
}

/// Takes the container's lock for a start: held from the "is it startable" check until the
/// started process is recorded, so no other command sees a running container as created
/// (`start` would start a second copy, `rm` remove its files under it). Fails with Podman's
/// words when the container was removed meanwhile.
fn lock_for_start(f: &Found) -> Result<Lock> {
    let gone = || -> anyhow::Error {
        ExitError::new(
            crate::error::EXIT_TOOL,
            format!(
                "no container with name or ID \"{}\" found: no such container",
                f.record.name
            ),
        )
        .into()
    };
    let lock = match Lock::exclusive(&f.paths.lock()) {
        Ok(l) => l,
        Err(_) if !f.paths.record().exists() => return Err(gone()),
        Err(e) => return Err(e),
    };
    if !f.paths.record().exists() {
        return Err(gone());
    }
    check_startable(f, &live_state_held(&f.paths)?)?;
    Ok(lock)
}

/// Run in the foreground: returns the container's exit code (128+N for signal N).
pub fn run_foreground(store: &Store, f: &Found, spec: &Spec, sig_proxy: bool) -> Result<i32> {
    let lock = lock_for_start(f)?;
    // Without a terminal the container gets pipes, never our descriptors.
    let (stdio, pipes) = if f.record.tty {
        (StdioSetup::NewPty, None)
    } else {
        let (setup, ours) = monitor::foreground::stdio_pipes(f.record.interactive)?;
        (setup, Some(ours))
    };
    let mut sp = runtime::spawn(spec, &extras(store, f), stdio)?;
    // From here on a failure must not leave the process running unsupervised.
    if let Err(e) = record_running(&f.paths, &running_state(&sp, std::process::id())) {
        runtime::kill_and_reap(&sp.pidfd);
        return Err(e);
    }
    drop(lock);
    let opts = monitor::foreground::ForegroundOptions {
        sig_proxy,
        tty_master: sp.pty_master.take(),
        stdin_open: f.record.interactive,
        stop_timeout: Some(Duration::from_secs(u64::from(f.record.stop_timeout))),
    };
    let code = monitor::foreground::wait_foreground_piped(sp.pid, &sp.pidfd, &opts, pipes);
    let code = match code {
        Ok(c) => c,
        Err(e) => {
            runtime::kill_and_reap(&sp.pidfd);
            record_exit(&f.paths, -1);
            return Err(e);
        }
    };
    record_exit(&f.paths, code);
    if f.record.auto_remove {
        remove_files(store, f)?;
        crate::volumes::remove_anonymous(store, &f.record.mounts);
    }
    Ok(code)
}

/// Start detached under a monitor; returns once the container's process runs.
pub fn start_detached(store: &Store, f: &Found, spec: &Spec) -> Result<()> {
    // The monitor inherits the lock and lets it go once the container's pid is recorded: a
    // SIGKILL of this process in between does not let anyone see a running container as
    // created. (Our copy is closed when fork_child drops the closure.)
    let lock = lock_for_start(f)?;
    let extras = extras(store, f);
    let (ready_r, ready_w) =
        rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC).context("creating a pipe")?;
    let store_cfg = store.config().clone();
    let found = f.clone();
    let child_w = ready_w.try_clone()?;
    let monitor_pid = sys::process::fork_child(move || {
        monitor_main(spec, &extras, &found, &store_cfg, child_w, lock)
    })?;
    drop(ready_w);
    // One line: "OK", or "E<code>" and the error. Not read to EOF: the monitor keeps a
    // copy of the write end for as long as it lives.
    let mut msg = String::new();
    let mut reader = std::io::BufReader::new(File::from(ready_r));
    std::io::BufRead::read_line(&mut reader, &mut msg)
        .context("reading from the container monitor")?;
    if msg.starts_with("OK") {
        return Ok(());
    }
    std::io::BufRead::read_line(&mut reader, &mut msg).ok();
    // The monitor failed before the container ran; reap it.
    let _ = sys::process::wait_child(monitor_pid);
    match msg.split_once('\n') {
        Some((code, text)) if code.starts_with('E') => {
            let text = text.trim_end();
            let code: u8 = code[1..].parse().unwrap_or(crate::error::EXIT_TOOL);
            Err(ExitError::new(code, text.to_string()).into())
        }
        _ => bail!("the container monitor exited before starting the container"),
    }
}

/// The monitor process: start the container, report, then supervise until it exits.
fn monitor_main(
    spec: &Spec,
    extras: &RuntimeExtras,
    f: &Found,
    store_cfg: &crate::store::StoreConfig,
    ready: OwnedFd,
    lock: Lock,
) -> i32 {
    let mut ready = File::from(ready);
    // Returns the process, its outputs, and where attach clients' input goes.
    type Started = (Spawned, Vec<(OwnedFd, monitor::Stream)>, Option<OwnedFd>);
    let result = (|| -> Result<Started> {
        if f.record.tty {
            // -dt: the pty master is the container's one output, logged as stdout, and
            // where `attach` sends its input.
            let mut sp = runtime::spawn(spec, extras, StdioSetup::NewPty)?;
            let master = sp.pty_master.take().context("no pty from the container")?;
            let input = master.try_clone()?;
            return Ok((sp, vec![(master, monitor::Stream::Stdout)], Some(input)));
        }
        // -di keeps stdin open: a pipe whose write end `attach` clients feed.
        let (stdin, input) = if f.record.interactive {
            let (r, w) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC)?;
            (r, Some(w))
        } else {
            (OwnedFd::from(File::open("/dev/null")?), None)
        };
        let (out_r, out_w) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC)?;
        let (err_r, err_w) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC)?;
        let stdio = StdioSetup::Fds {
            stdin,
            stdout: out_w,
            stderr: err_w,
        };
        let sp = runtime::spawn(spec, extras, stdio)?;
        Ok((
            sp,
            vec![
                (out_r, monitor::Stream::Stdout),
                (err_r, monitor::Stream::Stderr),
            ],
            input,
        ))
    })();
    let (sp, outputs, input) = match result {
        Ok(x) => x,
        Err(e) => {
            let code = crate::error::exit_code_of(&e);
            let _ = write!(ready, "E{code}\n{}\n", format!("{e:#}").replace('\n', " "));
            return 1;
        }
    };
    if let Err(e) = record_running(&f.paths, &running_state(&sp, std::process::id())) {
        runtime::kill_and_reap(&sp.pidfd);
        let _ = write!(
            ready,
            "E125\nrecording the container state: {}\n",
            format!("{e:#}").replace('\n', " ")
        );
        return 1;
    }
    // Listening before `run -d` returns: an `attach` right after it finds the socket (it
    // fell back to following the log, and the input of `run -di` never reached the process).
    let attach = match monitor::attach::AttachServer::bind(&f.paths.run_dir, input) {
        Ok(a) => Some(a),
        Err(e) => {
            log::warn!("container {}: no attach socket: {e:#}", f.record.name);
            None
        }
    };
    drop(lock);
    let _ = monitor::detached::detach_stdio();
    sys::process::release_free_memory();
    let _ = ready.write_all(b"OK\n");
    drop(ready);
    let paths = f.paths.clone();
    let record = f.record.clone();
    let cfg = store_cfg.clone();
    let result = monitor::detached::supervise_with_attach(
        sp.pidfd,
        outputs,
        Some(&paths.log()),
        attach,
        |info| {
            record_exit(&paths, info.code);
            if record.auto_remove
                && let Ok(store) = Store::open(cfg)
            {
                let _ = remove_files(
                    &store,
                    &Found {
                        paths: paths.clone(),
                        record: record.clone(),
                    },
                );
                crate::volumes::remove_anonymous(&store, &record.mounts);
            }
        },
    );
    i32::from(result.is_err())
}

/// A pidfd for the container's process, if it is still the one we started.
fn container_pidfd(st: &ContainerState) -> Option<OwnedFd> {
    let fd = sys::pidfd::pidfd_open(st.pid).ok()?;
    // Opened first, checked second: if the start time matches now, the fd is our process.
    super::record::process_alive(st.pid, st.pid_start).then_some(fd)
}

/// Send `sig` to a running container.
pub fn kill(f: &Found, sig: i32) -> Result<()> {
    let st = live_state(&f.paths)?;
    let fd = match (st.status, container_pidfd(&st)) {
        (Status::Running | Status::Stopping, Some(fd)) => fd,
        _ => bail!(
            "can only kill running containers. {} is in state {}: container state improper",
            f.record.id,
            st.status.as_str()
        ),
    };
    sys::pidfd::pidfd_send_signal(&fd, sig)
        .with_context(|| format!("sending signal {sig} to container {}", f.record.name))
}

/// Stop: the stop signal, SIGKILL after `timeout` seconds; returns when it is gone.
pub fn stop(f: &Found, timeout: Option<u32>) -> Result<()> {
    let st = live_state(&f.paths)?;
    let Some(fd) = container_pidfd(&st)
        .filter(|_| st.status == Status::Running || st.status == Status::Stopping)
    else {
        return Ok(());
    };
    let timeout = Duration::from_secs(u64::from(timeout.unwrap_or(f.record.stop_timeout)));
    if !timeout.is_zero() {
        sys::pidfd::pidfd_send_signal(&fd, f.record.stop_signal).ok();
        if wait_readable(&fd, timeout) {
            wait_recorded(&f.paths);
            return Ok(());
        }
        log::warn!(
            "StopSignal {} failed to stop container {} in {} seconds, resorting to SIGKILL",
            super::signal::signal_name(f.record.stop_signal),
            f.record.name,
            timeout.as_secs()
        );
    }
    sys::pidfd::pidfd_send_signal(&fd, libc::SIGKILL).ok();
    wait_readable(&fd, Duration::from_secs(30));
    wait_recorded(&f.paths);
    Ok(())
}

/// Poll a pidfd until the process exits (true) or the timeout passes (false).
fn wait_readable(fd: &OwnedFd, timeout: Duration) -> bool {
    use sys::signals::{POLLIN, PollFd, poll};
    let deadline = Instant::now() + timeout;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let ms = i32::try_from(left.as_millis()).unwrap_or(i32::MAX);
        let mut fds = [PollFd::new(fd, POLLIN)];
        match poll(&mut fds, ms) {
            Ok(n) if n > 0 => return true,
            // 0: the timeout, or a signal interrupted the wait (then go on waiting).
            Ok(_) if Instant::now() < deadline => continue,
            _ => return false,
        }
    }
}

/// Give the monitor a moment to write the exit code after the process died (it may be
/// dead itself, then there is nothing to wait for).
fn wait_recorded(paths: &ContainerPaths) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        let Ok(st) = load_state(paths) else { return };
        let recorded = !matches!(st.status, Status::Running | Status::Stopping);
        let monitor_gone = st.monitor_pid <= 0
            || !std::path::Path::new(&format!("/proc/{}", st.monitor_pid)).exists();
        if recorded || monitor_gone {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Wait until the container exits; its exit code (-1 when unknown).
pub fn wait(f: &Found) -> Result<i32> {
    loop {
        let st = live_state(&f.paths)?;
        match st.status {
            Status::Exited => {
                wait_recorded(&f.paths);
                return Ok(load_state(&f.paths)?
                    .exit_code
                    .or(st.exit_code)
                    .unwrap_or(-1));
            }
            Status::Created => std::thread::sleep(Duration::from_millis(50)),
            _ => match container_pidfd(&st) {
                Some(fd) => {
                    wait_readable(&fd, Duration::from_secs(3600));
                }
                None => std::thread::sleep(Duration::from_millis(10)),
            },
        }
    }
}

/// Remove a container: refuse a running one unless `force` (then kill it first).
pub fn remove(store: &Store, f: &Found, force: bool, volumes: bool) -> Result<()> {
    let st = live_state(&f.paths)?;
    if matches!(st.status, Status::Running | Status::Stopping) {
        if !force {
            return Err(ExitError::new(
                2,
                format!(
                    "cannot remove container {} as it is running - running or paused containers cannot be removed without force: container state improper",
                    f.record.id
                ),
            )
            .into());
        }
        if let Some(fd) = container_pidfd(&st) {
            sys::pidfd::pidfd_send_signal(&fd, libc::SIGKILL).ok();
            wait_readable(&fd, Duration::from_secs(30));
        }
        wait_recorded(&f.paths);
    }
    remove_files(store, f)?;
    if volumes {
        crate::volumes::remove_anonymous(store, &f.record.mounts);
    }
    Ok(())
}

/// Delete the container's files, then its record and name. Rootless, the upper dir holds
/// files owned by subordinate ids: a child process removes them inside the store's user
/// namespace. The record goes last: a removal that fails (or is killed) leaves the container
/// listed, marked for removal, and the next `rm` or prune removes it, so its files are never
/// left in the store where no command sees them.
fn remove_files(store: &Store, f: &Found) -> Result<()> {
    let _lock = Lock::exclusive(&f.paths.lock())?;
    // A start that won the lock before us: its process must not lose its files.
    if live_state_held(&f.paths).is_ok_and(|st| st.status == Status::Running) {
        bail!(
            "cannot remove container {} as it is running - running or paused containers cannot be removed without force",
            f.record.id
        );
    }
    let marker = f.paths.removing();
    std::fs::write(&marker, b"").with_context(|| format!("marking {} for removal", f.record.id))?;
    let dir = f.paths.dir.clone();
    let run_dir = f.paths.run_dir.clone();
    let keep: Vec<std::ffi::OsString> = [f.paths.record(), f.paths.lock(), marker.clone()]
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_os_string()))
        .collect();
    let remove = move || -> Result<()> {
        remove_all(&run_dir)?;
        // Everything but the record, its lock and the mark.
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
        };
        for e in entries {
            let e = e?;
            if !keep.contains(&e.file_name()) {
                remove_all(&e.path())?;
            }
        }
        Ok(())
    };
    sys::userns::as_store_owner(store.config().rootless, remove).with_context(|| {
        format!(
            "removing the files of container {} (it stays marked for removal: run rm again)",
            f.record.id
        )
    })?;
    // From here on the container is gone for every other command.
    std::fs::remove_file(f.paths.record())
        .with_context(|| format!("removing the record of container {}", f.record.id))?;
    names::release(store.root(), &f.record.name, &f.record.id);
    crate::runtime::remove_cgroup(&f.record.id);
    remove_all(&f.paths.dir)
}
