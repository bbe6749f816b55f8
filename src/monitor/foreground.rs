//! `skiff run` without `-d`: the CLI process is the container's parent and waits for it,
//! forwarding signals (`--sig-proxy`, on by default) and, with `-t`, relaying the pty.
//!
//! Signals are blocked and read from a signalfd, so one poll(2) loop handles the pidfd, the
//! signals and the terminal traffic. Guards restore the terminal and the signal mask on every
//! way out, errors included.

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use anyhow::{Context, Result};
use rustix::io::Errno;

use super::detached::{exit_info, wait_pidfd};
use crate::sys::signals::{
    self, POLLIN, PollFd, SignalSet, block_signals, poll, read_signal, set_signal_mask,
};
use crate::sys::tty::{RawModeGuard, copy_window_size};

/// How `skiff run` relays to a foreground container.
#[derive(Debug, Default)]
pub struct ForegroundOptions {
    /// Forward the signals we receive to the container (`--sig-proxy`).
    pub sig_proxy: bool,
    /// The pty master when the container has a terminal (`-t`).
    pub tty_master: Option<OwnedFd>,
    /// Copy our stdin to the container's terminal (`-i`). Without a tty the container reads
    /// our stdin directly and this has no effect here.
    pub stdin_open: bool,
}

/// The signals we forward: everything a user or a supervisor may send to `skiff run`, except
/// the ones that are about us (SIGCHLD, SIGPIPE, SIGURG), the synchronous faults, the
/// unblockable ones and job control stops (so Ctrl-Z still stops the client).
const PROXIED: &[i32] = &[
    libc::SIGHUP,
    libc::SIGINT,
    libc::SIGQUIT,
    libc::SIGUSR1,
    libc::SIGUSR2,
    libc::SIGALRM,
    libc::SIGTERM,
    libc::SIGCONT,
    libc::SIGWINCH,
    libc::SIGVTALRM,
    libc::SIGPROF,
    libc::SIGIO,
    libc::SIGPWR,
    libc::SIGXCPU,
    libc::SIGXFSZ,
    libc::SIGSTKFLT,
];

/// Largest read from the terminal or the pty at a time.
const RELAY_BUFFER: usize = 32 * 1024;

/// Once the container has exited, at most this much more is read from the pty: a process it
/// left behind may hold the terminal and keep writing.
const DRAIN_LIMIT: usize = 64 * RELAY_BUFFER;

/// Waits for the foreground container `pid` (our child, behind `pidfd`) and returns its exit
/// code (128 + signal when killed), relaying signals and the terminal as `opts` says.
pub fn wait_foreground(pid: i32, pidfd: &OwnedFd, opts: &ForegroundOptions) -> Result<i32> {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    wait_foreground_on(pid, pidfd, opts, stdin.as_fd(), stdout.as_fd())
}

/// [`wait_foreground`] with explicit terminal ends (our stdin and stdout in real use).
pub fn wait_foreground_on(
    pid: i32,
    pidfd: &OwnedFd,
    opts: &ForegroundOptions,
    stdin: BorrowedFd<'_>,
    stdout: BorrowedFd<'_>,
) -> Result<i32> {
    let master = opts.tty_master.as_ref().map(AsFd::as_fd);
    let signals = SignalGuard::install(opts.sig_proxy, master.is_some())?;
    let relay_stdin = master.is_some() && opts.stdin_open;
    // Raw mode only when we relay keystrokes: without -i, Ctrl-C must stay a SIGINT for us to
    // forward (Docker and Podman do the same).
    let _raw = match relay_stdin {
        true => RawModeGuard::enter(stdin)?,
        false => None,
    };
    if let Some(master) = master {
        resize(stdin, stdout, master);
    }

    let mut relay = Relay {
        master,
        stdin: relay_stdin.then_some(stdin),
        stdout,
        buf: vec![0u8; RELAY_BUFFER],
    };
    loop {
        let mut fds = [
            PollFd::new(pidfd, POLLIN),
            PollFd::from_borrowed(signals.fd(), POLLIN),
            PollFd::from_borrowed(relay.master.unwrap_or(signals.fd()), POLLIN),
            PollFd::from_borrowed(relay.stdin.unwrap_or(signals.fd()), POLLIN),
        ];
        let count =
            2 + usize::from(relay.master.is_some()) * (1 + usize::from(relay.stdin.is_some()));
        // With no master we never poll stdin (relay.stdin needs a master), so the prefix works.
        poll(&mut fds[..count], -1)?;
        let ready: [bool; 4] = std::array::from_fn(|i| i < count && fds[i].is_ready());

        if ready[1] {
            signals.forward_pending(pidfd, opts.sig_proxy, stdin, stdout, master)?;
        }
        if ready[2] {
            relay.master_to_stdout()?;
        }
        if ready[3] {
            relay.stdin_to_master()?;
        }
        if ready[0] {
            break;
        }
    }
    relay.drain_master()?;
    let status =
        wait_pidfd(pidfd).with_context(|| format!("waiting for container process {pid}"))?;
    Ok(exit_info(&status).code)
}

/// Blocks the signals we handle for the life of the wait and reads them from a signalfd; on
/// drop, discards what is still pending (so it is not delivered with default actions the
/// moment we unblock) and restores the previous mask.
struct SignalGuard {
    fd: OwnedFd,
    old_mask: SignalSet,
}

impl SignalGuard {
    fn install(sig_proxy: bool, tty: bool) -> Result<SignalGuard> {
        let mut set = SignalSet::empty();
        if sig_proxy {
            for &sig in PROXIED {
                set.add(sig);
            }
            let (low, high) = signals::realtime_signal_range();
            for sig in low..=high {
                set.add(sig);
            }
        }
        if tty {
            set.add(libc::SIGWINCH);
        }
        let fd = signals::signalfd(&set)?;
        let old_mask = block_signals(&set)?;
        Ok(SignalGuard { fd, old_mask })
    }

    fn fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }

    fn forward_pending(
        &self,
        pidfd: &OwnedFd,
        sig_proxy: bool,
        stdin: BorrowedFd<'_>,
        stdout: BorrowedFd<'_>,
        master: Option<BorrowedFd<'_>>,
    ) -> Result<()> {
        while let Some(sig) = read_signal(self.fd())? {
            if let (libc::SIGWINCH, Some(master)) = (sig, master) {
                resize(stdin, stdout, master);
                continue;
            }
            if !sig_proxy {
                continue;
            }
            match crate::sys::pidfd::pidfd_send_signal(pidfd.as_fd(), sig) {
                // ESRCH: it has just exited; the pidfd will say so.
                Ok(()) => {}
                Err(e) if e.raw_os_error() == Some(libc::ESRCH) => {}
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("forwarding signal {sig} to the container"));
                }
            }
        }
        Ok(())
    }
}

impl Drop for SignalGuard {
    fn drop(&mut self) {
        while let Ok(Some(_)) = read_signal(self.fd.as_fd()) {}
        let _ = set_signal_mask(&self.old_mask);
    }
}

/// Gives the pty our terminal's size (from stdin, or stdout when stdin is not a terminal).
fn resize(stdin: BorrowedFd<'_>, stdout: BorrowedFd<'_>, master: BorrowedFd<'_>) {
    let from = if rustix::termios::isatty(stdin) {
        stdin
    } else {
        stdout
    };
    // A terminal that went away is no reason to stop waiting.
    let _ = copy_window_size(from, master);
}

struct Relay<'a> {
    /// The pty master while it can still be read.
    master: Option<BorrowedFd<'a>>,
    /// Our stdin while we copy it to the master.
    stdin: Option<BorrowedFd<'a>>,
    stdout: BorrowedFd<'a>,
    buf: Vec<u8>,
}

impl Relay<'_> {
    /// Copies one read of the master to stdout; returns the bytes copied (0 once closed).
    fn master_to_stdout(&mut self) -> Result<usize> {
        let Some(master) = self.master else {
            return Ok(0);
        };
        let n = match read_retrying(master, &mut self.buf) {
            Ok(n) => n,
            Err(Errno::AGAIN) => return Ok(0),
            // EIO: no process holds the terminal's other side any more.
            Err(_) => 0,
        };
        if n == 0 {
            self.master = None;
            return Ok(0);
        }
        write_all(self.stdout, &self.buf[..n]).context("writing container output")?;
        Ok(n)
    }

    fn stdin_to_master(&mut self) -> Result<()> {
        let (Some(stdin), Some(master)) = (self.stdin, self.master) else {
            self.stdin = None;
            return Ok(());
        };
        let n = read_retrying(stdin, &mut self.buf).unwrap_or(0);
        if n == 0 {
            self.stdin = None;
            return Ok(());
        }
        if write_all(master, &self.buf[..n]).is_err() {
            // The container closed its terminal; its exit will follow.
            self.stdin = None;
        }
        Ok(())
    }

    /// After the container exited: copies what the pty still holds, without waiting for a
    /// close that a leftover process may never do.
    fn drain_master(&mut self) -> Result<()> {
        let Some(master) = self.master else {
            return Ok(());
        };
        let flags = rustix::fs::fcntl_getfl(master).context("reading pty flags")?;
        rustix::fs::fcntl_setfl(master, flags | rustix::fs::OFlags::NONBLOCK)
            .context("making the pty nonblocking")?;
        let mut copied = 0;
        while copied < DRAIN_LIMIT {
            match self.master_to_stdout()? {
                0 => break,
                n => copied += n,
            }
        }
        Ok(())
    }
}

fn read_retrying(fd: BorrowedFd<'_>, buf: &mut [u8]) -> rustix::io::Result<usize> {
    loop {
        match rustix::io::read(fd, &mut *buf) {
            Err(Errno::INTR) => continue,
            other => return other,
        }
    }
}

fn write_all(fd: BorrowedFd<'_>, mut bytes: &[u8]) -> rustix::io::Result<()> {
    while !bytes.is_empty() {
        match rustix::io::write(fd, bytes) {
            Ok(0) => return Err(Errno::IO),
            Ok(n) => bytes = &bytes[n..],
            Err(Errno::INTR) => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "foreground_tests.rs"]
mod tests;
