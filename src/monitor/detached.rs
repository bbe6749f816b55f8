//! The monitor of a detached container: the parent of the container's first process, it
//! copies the container's output into the log and collects the exit status through a pidfd.
//!
//! It lives as long as the container, so it stays small: one poll(2) loop, no threads, one
//! 64 KiB read buffer, and log lines written as they complete.

use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use rustix::io::Errno;
use rustix::process::{WaitId, WaitIdOptions, WaitIdStatus, waitid};

use super::logfile::{LogWriter, Stream};
use crate::sys::signals::{POLLIN, PollFd, poll};

/// How the container's first process ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExitInfo {
    /// Its exit code, or 128 + the signal that killed it.
    pub code: i32,
    /// The signal that killed it.
    pub signal: Option<i32>,
    pub finished_at: DateTime<Utc>,
}

/// Size of the one read buffer.
const READ_BUFFER: usize = 64 * 1024;

/// Once the container has exited, at most this much more output is taken from each pipe: a
/// process the container left behind may hold a pipe open and keep writing.
const DRAIN_LIMIT: usize = 16 * READ_BUFFER;

/// The monitor's loop: copies `outputs` into the log at `log` (discarding them when `None`,
/// i.e. `--log-driver none`) until the process behind `pidfd` (our child) exits, then drains
/// what the pipes still hold, reaps the child, and hands its exit to `on_exit`.
pub fn supervise(
    pidfd: OwnedFd,
    outputs: Vec<(OwnedFd, Stream)>,
    log: Option<&Path>,
    on_exit: impl FnOnce(ExitInfo),
) -> Result<()> {
    supervise_with_attach(pidfd, outputs, log, None, on_exit)
}

/// `supervise`, also serving `skiff attach` clients on `attach` (see attach.rs): they get
/// a copy of the output and may write to the container's stdin.
pub fn supervise_with_attach(
    pidfd: OwnedFd,
    outputs: Vec<(OwnedFd, Stream)>,
    log: Option<&Path>,
    attach: Option<super::attach::AttachServer>,
    on_exit: impl FnOnce(ExitInfo),
) -> Result<()> {
    let mut attach = attach;
    // The log is best effort: a container whose log cannot be opened still runs, and its
    // exit is still recorded.
    let mut log = log.and_then(|p| {
        LogWriter::create(p)
            .map_err(|e| log::warn!("opening the container log: {e:#}"))
            .ok()
    });
    let mut pipes: Vec<Option<(OwnedFd, Stream)>> = Vec::with_capacity(outputs.len());
    for (fd, stream) in outputs {
        set_nonblocking(&fd)?;
        pipes.push(Some((fd, stream)));
    }
    let mut buf = vec![0u8; READ_BUFFER];

    loop {
        let mut fds = Vec::with_capacity(pipes.len() + 1);
        fds.push(PollFd::new(&pidfd, POLLIN));
        fds.extend(
            pipes
                .iter()
                .flatten()
                .map(|(fd, _)| PollFd::new(fd, POLLIN)),
        );
        let n_pipes = fds.len() - 1;
        if let Some(a) = &attach {
            fds.extend(a.poll_fds());
        }
        if poll(&mut fds, -1).is_err() {
            // Stop copying, but still wait for the exit below: it must be recorded.
            break;
        }
        let exited = fds[0].is_ready();
        let ready: Vec<bool> = fds[1..].iter().map(PollFd::is_ready).collect();
        drop(fds);

        let open = pipes.iter_mut().filter(|p| p.is_some());
        for (pipe, ready) in open.zip(ready[..n_pipes].iter().copied()) {
            if ready {
                read_once(pipe, &mut buf, log.as_mut(), attach.as_mut());
            }
        }
        if let Some(a) = attach.as_mut() {
            a.serve(&ready[n_pipes..], &mut buf);
        }
        if exited {
            break;
        }
    }

    for pipe in &mut pipes {
        drain(pipe, &mut buf, log.as_mut(), attach.as_mut());
    }
    // Clients see end of file now: the container is gone.
    drop(attach);
    drop(pipes);
    let status = wait_pidfd(&pidfd)?;
    if let Some(log) = log.as_mut() {
        // A full disk must not cost us the exit status: the log is best effort from here.
        let _ = log.flush_partial();
    }
    on_exit(exit_info(&status));
    Ok(())
}

/// What a read of one pipe gave.
enum ReadOutcome {
    Data,
    Empty,
    Closed,
}

/// Reads what one pipe has (up to the buffer size), logs it, and closes the pipe at EOF.
fn read_once(
    pipe: &mut Option<(OwnedFd, Stream)>,
    buf: &mut [u8],
    log: Option<&mut LogWriter>,
    attach: Option<&mut super::attach::AttachServer>,
) -> ReadOutcome {
    let Some((fd, stream)) = pipe.as_ref() else {
        return ReadOutcome::Closed;
    };
    let outcome = loop {
        match rustix::io::read(fd, &mut *buf) {
            Ok(0) => break ReadOutcome::Closed,
            Ok(n) => {
                if let Some(log) = log {
                    // Best effort, as above: keep supervising when the log cannot be written.
                    let _ = log.write(*stream, &buf[..n]);
                }
                if let Some(a) = attach {
                    a.broadcast(*stream, &buf[..n]);
                }
                break ReadOutcome::Data;
            }
            Err(Errno::INTR) => continue,
            Err(Errno::AGAIN) => break ReadOutcome::Empty,
            // EIO and friends: the writing side is gone for good.
            Err(_) => break ReadOutcome::Closed,
        }
    };
    if matches!(outcome, ReadOutcome::Closed) {
        *pipe = None;
    }
    outcome
}

/// Reads what is left in a pipe without waiting for its EOF.
fn drain(
    pipe: &mut Option<(OwnedFd, Stream)>,
    buf: &mut [u8],
    mut log: Option<&mut LogWriter>,
    mut attach: Option<&mut super::attach::AttachServer>,
) {
    let mut taken = 0;
    while taken < DRAIN_LIMIT {
        match read_once(pipe, buf, log.as_deref_mut(), attach.as_deref_mut()) {
            ReadOutcome::Data => taken += buf.len(),
            ReadOutcome::Empty | ReadOutcome::Closed => return,
        }
    }
}

fn set_nonblocking(fd: &OwnedFd) -> Result<()> {
    let flags = rustix::fs::fcntl_getfl(fd).context("reading pipe flags")?;
    rustix::fs::fcntl_setfl(fd, flags | rustix::fs::OFlags::NONBLOCK)
        .context("making an output pipe nonblocking")
}

/// Reaps the child behind `pidfd` (it must be our child).
pub(crate) fn wait_pidfd(pidfd: &OwnedFd) -> Result<WaitIdStatus> {
    loop {
        match waitid(WaitId::PidFd(pidfd.as_fd()), WaitIdOptions::EXITED) {
            Ok(Some(status)) => return Ok(status),
            Ok(None) | Err(Errno::INTR) => continue,
            Err(e) => return Err(e).context("waiting for the container process"),
        }
    }
}

/// The exit code in shell terms (128 + signal for a killed process) and the signal.
pub(crate) fn exit_info(status: &WaitIdStatus) -> ExitInfo {
    let (code, signal) = match (status.exit_status(), status.terminating_signal()) {
        (_, Some(sig)) if status.killed() || status.dumped() => (128 + sig, Some(sig)),
        (Some(code), _) => (code, None),
        _ => (128, None),
    };
    ExitInfo {
        code,
        signal,
        finished_at: Utc::now(),
    }
}

/// For the monitor once the container is started: lets go of the caller's terminal and
/// pipes (fds 0-2 to /dev/null) and of its session, so the CLI can exit and the terminal can
/// close without touching the monitor.
pub fn detach_stdio() -> Result<()> {
    crate::sys::tty::redirect_stdio_to_dev_null()?;
    match rustix::process::setsid() {
        // Already a session (or group) leader: nothing to leave.
        Ok(_) | Err(Errno::PERM) => Ok(()),
        Err(e) => Err(e).context("setsid"),
    }
}

#[cfg(test)]
#[path = "detached_tests.rs"]
mod tests;
