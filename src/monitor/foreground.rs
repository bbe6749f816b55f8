//! `skiff run` without `-d` (and `exec`, and build's RUN): the CLI process is the container's
//! parent and waits for it, forwarding signals (`--sig-proxy`, on by default) and relaying
//! its streams: the pty with `-t`, otherwise the pipes of [`stdio_pipes`]. The container never
//! gets one of our descriptors: it could reopen it read-write through /proc/self/fd.
//!
//! Signals are blocked and read from a signalfd, so one poll(2) loop handles the pidfd, the
//! signals and the terminal traffic. Guards restore the terminal and the signal mask on every
//! way out, errors included.

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rustix::io::Errno;

use super::detached::{exit_info, wait_pidfd};
use crate::sys::signals::{
    self, POLLIN, POLLOUT, PollFd, SignalSet, block_signals, poll, read_signal, set_signal_mask,
};
use crate::sys::tty::{RawModeGuard, copy_window_size};

/// How `skiff run` relays to a foreground container.
#[derive(Debug, Default)]
pub struct ForegroundOptions {
    /// Forward the signals we receive to the container (`--sig-proxy`).
    pub sig_proxy: bool,
    /// The pty master when the container has a terminal (`-t`).
    pub tty_master: Option<OwnedFd>,
    /// Copy our stdin to the container's terminal (`-i`). Without a tty, the stdin pipe of
    /// [`stdio_pipes`] says whether our stdin is copied.
    pub stdin_open: bool,
    /// After a forwarded SIGTERM or SIGINT, how long the container has to exit before it is
    /// killed (its `--stop-timeout`), as Podman's sig-proxy followed by its stop does. None:
    /// never killed (`--sig-proxy=false` callers).
    pub stop_timeout: Option<Duration>,
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

/// After our stdin ended, how often the pty's mode is checked for a reader that needs its own
/// end-of-file char (see [`Relay::recheck_eof`]).
const EOF_RECHECK_MS: i32 = 100;

/// Once the container has exited, at most this much more is read from the pty: a process it
/// left behind may hold the terminal and keep writing.
const DRAIN_LIMIT: usize = 64 * RELAY_BUFFER;

/// Waits for the foreground container `pid` (our child, behind `pidfd`) and returns its exit
/// code (128 + signal when killed), relaying signals and the terminal as `opts` says.
pub fn wait_foreground(pid: i32, pidfd: &OwnedFd, opts: &ForegroundOptions) -> Result<i32> {
    wait_foreground_piped(pid, pidfd, opts, None)
}

/// [`wait_foreground`] for a container whose streams are the pipes of [`stdio_pipes`]: our
/// stdin is copied to its stdin pipe (closed at our end of file), its output pipes to our
/// stdout and stderr, until it has exited and the pipes are drained.
pub fn wait_foreground_piped(
    pid: i32,
    pidfd: &OwnedFd,
    opts: &ForegroundOptions,
    pipes: Option<StdioPipes>,
) -> Result<i32> {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let ends = Ends {
        stdin: stdin.as_fd(),
        stdout: stdout.as_fd(),
        stderr: stderr.as_fd(),
    };
    wait_inner(pid, pidfd, opts, ends, pipes)
}

/// [`wait_foreground`] with explicit terminal ends (our stdin and stdout in real use).
pub fn wait_foreground_on(
    pid: i32,
    pidfd: &OwnedFd,
    opts: &ForegroundOptions,
    stdin: BorrowedFd<'_>,
    stdout: BorrowedFd<'_>,
) -> Result<i32> {
    let ends = Ends {
        stdin,
        stdout,
        stderr: stdout,
    };
    wait_inner(pid, pidfd, opts, ends, None)
}

/// Our side of the relay: the caller's streams.
#[derive(Clone, Copy)]
struct Ends<'a> {
    stdin: BorrowedFd<'a>,
    stdout: BorrowedFd<'a>,
    stderr: BorrowedFd<'a>,
}

/// Our ends of the pipes a container without a terminal gets as its standard streams, so
/// it never holds one of the caller's descriptors (which it could reopen read-write through
/// /proc/self/fd, whatever file or device it is): Podman relays the same way.
#[derive(Debug)]
pub struct StdioPipes {
    /// The write end of the container's stdin pipe (None: its stdin is /dev/null).
    pub stdin: Option<OwnedFd>,
    /// The read ends of its stdout and stderr pipes.
    pub stdout: OwnedFd,
    pub stderr: OwnedFd,
}

/// The container's standard streams as pipes (stdin /dev/null unless `interactive`) and our
/// ends of them, nonblocking.
pub fn stdio_pipes(interactive: bool) -> Result<(crate::runtime::StdioSetup, StdioPipes)> {
    use rustix::pipe::{PipeFlags, pipe_with};
    let pipe = || pipe_with(PipeFlags::CLOEXEC).context("creating a pipe for the container");
    let (stdin, our_stdin) = if interactive {
        let (r, w) = pipe()?;
        (r, Some(w))
    } else {
        let null = std::fs::File::open("/dev/null").context("opening /dev/null")?;
        (OwnedFd::from(null), None)
    };
    let (out_r, out_w) = pipe()?;
    let (err_r, err_w) = pipe()?;
    for fd in [Some(&out_r), Some(&err_r), our_stdin.as_ref()]
        .into_iter()
        .flatten()
    {
        set_nonblocking(fd.as_fd())?;
    }
    let setup = crate::runtime::StdioSetup::Fds {
        stdin,
        stdout: out_w,
        stderr: err_w,
    };
    let ours = StdioPipes {
        stdin: our_stdin,
        stdout: out_r,
        stderr: err_r,
    };
    Ok((setup, ours))
}

fn set_nonblocking(fd: BorrowedFd<'_>) -> Result<()> {
    let flags = rustix::fs::fcntl_getfl(fd).context("reading descriptor flags")?;
    rustix::fs::fcntl_setfl(fd, flags | rustix::fs::OFlags::NONBLOCK)
        .context("making a descriptor nonblocking")
}

/// What a polled descriptor beyond the pidfd and the signalfd is.
#[derive(Clone, Copy)]
enum Slot {
    Master,
    TtyStdin,
    Output(usize),
    CallerStdin,
    StdinPipe,
}

fn wait_inner(
    pid: i32,
    pidfd: &OwnedFd,
    opts: &ForegroundOptions,
    ends: Ends<'_>,
    pipes: Option<StdioPipes>,
) -> Result<i32> {
    let Ends { stdin, stdout, .. } = ends;
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
        last: None,
        eof_canonical: None,
    };
    let mut piped = pipes.map(|p| Piped::new(p, ends));
    // Set once a forwarded SIGTERM or SIGINT starts the stop timeout.
    let mut kill_at: Option<Instant> = None;
    loop {
        let mut fds = Vec::with_capacity(6);
        let mut slots = Vec::with_capacity(4);
        fds.push(PollFd::new(pidfd, POLLIN));
        fds.push(PollFd::from_borrowed(signals.fd(), POLLIN));
        if let Some(m) = relay.master {
            fds.push(PollFd::from_borrowed(m, POLLIN));
            slots.push(Slot::Master);
            if let Some(s) = relay.stdin {
                fds.push(PollFd::from_borrowed(s, POLLIN));
                slots.push(Slot::TtyStdin);
            }
        }
        if let Some(p) = &piped {
            p.poll_fds(&mut fds, &mut slots);
        }
        let mut timeout = match kill_at {
            Some(at) => {
                let left = at.saturating_duration_since(Instant::now());
                i32::try_from(left.as_millis().saturating_add(1)).unwrap_or(i32::MAX)
            }
            None => -1,
        };
        if relay.watching_eof() {
            timeout = if timeout < 0 {
                EOF_RECHECK_MS
            } else {
                timeout.min(EOF_RECHECK_MS)
            };
        }
        poll(&mut fds, timeout)?;
        let ready: Vec<bool> = fds.iter().map(|f| f.revents() != 0).collect();
        drop(fds);

        if ready[1] {
            let stopping = signals.forward_pending(pidfd, opts.sig_proxy, stdin, stdout, master)?;
            if let (true, None, Some(t)) = (stopping, kill_at, opts.stop_timeout) {
                kill_at = Some(Instant::now() + t);
            }
        }
        if kill_at.is_some_and(|at| Instant::now() >= at) && !ready[0] {
            kill_container(pid, pidfd);
            kill_at = None;
        }
        for (slot, ready) in slots.iter().zip(&ready[2..]) {
            if !ready {
                continue;
            }
            match slot {
                Slot::Master => {
                    relay.master_to_stdout()?;
                }
                Slot::TtyStdin => relay.stdin_to_master(),
                Slot::Output(i) => {
                    if let Some(p) = piped.as_mut() {
                        p.copy_output(*i, &mut relay.buf)?;
                    }
                }
                Slot::CallerStdin => {
                    if let Some(p) = piped.as_mut() {
                        p.read_caller_stdin();
                    }
                }
                Slot::StdinPipe => {
                    if let Some(p) = piped.as_mut() {
                        p.flush_stdin();
                    }
                }
            }
        }
        if ready[0] {
            break;
        }
        relay.recheck_eof();
    }
    relay.drain_master()?;
    if let Some(p) = piped.as_mut() {
        p.drain(&mut relay.buf)?;
    }
    let status =
        wait_pidfd(pidfd).with_context(|| format!("waiting for container process {pid}"))?;
    Ok(exit_info(&status).code)
}

/// The relay through the pipes of [`stdio_pipes`].
struct Piped<'a> {
    /// Our stdin while it is copied to the container (until its end of file).
    caller_stdin: Option<BorrowedFd<'a>>,
    /// The container's stdin pipe; dropped (so it sees end of file) after our end of file.
    stdin_pipe: Option<OwnedFd>,
    /// Read from our stdin, not yet taken by the container's stdin pipe.
    pending: Vec<u8>,
    /// The container's stdout and stderr pipes while they are open, and where they go.
    outputs: [(Option<OwnedFd>, BorrowedFd<'a>); 2],
}

impl<'a> Piped<'a> {
    fn new(p: StdioPipes, ends: Ends<'a>) -> Piped<'a> {
        Piped {
            caller_stdin: p.stdin.is_some().then_some(ends.stdin),
            stdin_pipe: p.stdin,
            pending: Vec::new(),
            outputs: [(Some(p.stdout), ends.stdout), (Some(p.stderr), ends.stderr)],
        }
    }

    fn poll_fds<'b>(&'b self, fds: &mut Vec<PollFd<'b>>, slots: &mut Vec<Slot>) {
        for (i, (fd, _)) in self.outputs.iter().enumerate() {
            if let Some(fd) = fd {
                fds.push(PollFd::new(fd, POLLIN));
                slots.push(Slot::Output(i));
            }
        }
        match (&self.stdin_pipe, self.pending.is_empty(), self.caller_stdin) {
            (Some(pipe), false, _) => {
                fds.push(PollFd::new(pipe, POLLOUT));
                slots.push(Slot::StdinPipe);
            }
            (Some(_), true, Some(stdin)) => {
                fds.push(PollFd::from_borrowed(stdin, POLLIN));
                slots.push(Slot::CallerStdin);
            }
            _ => {}
        }
    }

    /// Copies what one output pipe holds to its destination; closes it at its end of file.
    /// Returns the bytes copied.
    fn copy_output(&mut self, i: usize, buf: &mut [u8]) -> Result<usize> {
        let (fd, dest) = &mut self.outputs[i];
        let Some(pipe) = fd.as_ref() else {
            return Ok(0);
        };
        let n = match read_retrying(pipe.as_fd(), buf) {
            Ok(n) => n,
            Err(Errno::AGAIN) => return Ok(0),
            Err(e) => return Err(e).context("reading container output"),
        };
        if n == 0 {
            *fd = None;
            return Ok(0);
        }
        match write_all(*dest, &buf[..n]) {
            Ok(()) => Ok(n),
            // Our reader went away: so does the pipe, and the container's next write gets
            // EPIPE or SIGPIPE, as it would writing to our output itself.
            Err(Errno::PIPE) => {
                *fd = None;
                Ok(0)
            }
            Err(e) => Err(e).context("writing container output"),
        }
    }

    fn read_caller_stdin(&mut self) {
        let Some(stdin) = self.caller_stdin else {
            return;
        };
        self.pending.resize(RELAY_BUFFER, 0);
        match read_retrying(stdin, &mut self.pending) {
            Ok(n) if n > 0 => {
                self.pending.truncate(n);
                self.flush_stdin();
            }
            Err(Errno::AGAIN) => self.pending.clear(),
            // End of file (or an unreadable stdin): the container sees end of file.
            _ => {
                self.pending.clear();
                self.caller_stdin = None;
                self.stdin_pipe = None;
            }
        }
    }

    /// Writes what is pending to the container's stdin pipe, as much as it takes now.
    fn flush_stdin(&mut self) {
        let Some(pipe) = &self.stdin_pipe else {
            self.pending.clear();
            return;
        };
        while !self.pending.is_empty() {
            match rustix::io::write(pipe, &self.pending) {
                Ok(n) => {
                    self.pending.drain(..n);
                }
                Err(Errno::INTR) => continue,
                Err(Errno::AGAIN) => return,
                // The container closed its stdin: stop reading ours.
                Err(_) => {
                    self.pending.clear();
                    self.caller_stdin = None;
                    self.stdin_pipe = None;
                    return;
                }
            }
        }
        if self.caller_stdin.is_none() {
            self.stdin_pipe = None;
        }
    }

    /// After the container exited: copies what its pipes still hold, without waiting for a
    /// close that a process it left behind (an exec'd daemon) may never do.
    fn drain(&mut self, buf: &mut [u8]) -> Result<()> {
        self.stdin_pipe = None;
        for i in 0..self.outputs.len() {
            let mut copied = 0;
            while self.outputs[i].0.is_some() && copied < DRAIN_LIMIT {
                match self.copy_output(i, buf)? {
                    0 => break,
                    n => copied += n,
                }
            }
        }
        Ok(())
    }
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
    ) -> Result<bool> {
        let mut stopping = false;
        while let Some(sig) = read_signal(self.fd())? {
            if let (libc::SIGWINCH, Some(master)) = (sig, master) {
                resize(stdin, stdout, master);
                continue;
            }
            if !sig_proxy {
                continue;
            }
            stopping |= sig == libc::SIGTERM || sig == libc::SIGINT;
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
        Ok(stopping)
    }
}

/// The stop timeout after a forwarded SIGTERM or SIGINT has passed: SIGKILL the container's
/// process and its process group (it is a session leader: an exec'd shell's children go too;
/// a container's init takes its whole pid namespace with it). It is our unreaped child, so
/// its pid (and group id) cannot have been reused.
fn kill_container(pid: i32, pidfd: &OwnedFd) {
    // SAFETY: getpgid and kill take plain integers and touch no memory of ours.
    unsafe {
        if libc::getpgid(pid) == pid {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = crate::sys::pidfd::pidfd_send_signal(pidfd.as_fd(), libc::SIGKILL);
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
    /// The last byte written to the master (the end-of-file char may have to end a line).
    last: Option<u8>,
    /// Once our stdin ended: whether the pty was in canonical mode when we last wrote its
    /// end-of-file char.
    eof_canonical: Option<bool>,
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

    fn stdin_to_master(&mut self) {
        let (Some(stdin), Some(master)) = (self.stdin, self.master) else {
            self.stdin = None;
            return;
        };
        let n = read_retrying(stdin, &mut self.buf).unwrap_or(0);
        if n == 0 {
            // Our end of file reaches the container as its terminal's end-of-file char after
            // the pending input, as script(1) and conmon do (twice after an unfinished line:
            // the first one only ends it).
            self.stdin = None;
            let times = if matches!(self.last, None | Some(b'\n')) {
                1
            } else {
                2
            };
            self.write_eof(master, times);
            return;
        }
        self.last = Some(self.buf[n - 1]);
        if write_all(master, &self.buf[..n]).is_err() {
            // The container closed its terminal; its exit will follow.
            self.stdin = None;
        }
    }

    fn write_eof(&mut self, master: BorrowedFd<'_>, times: usize) {
        let (eof, canonical) = match rustix::termios::tcgetattr(master) {
            Ok(t) => (
                t.special_codes[rustix::termios::SpecialCodeIndex::VEOF],
                t.local_modes.contains(rustix::termios::LocalModes::ICANON),
            ),
            Err(_) => (4, true),
        };
        for _ in 0..times {
            let _ = write_all(master, &[eof]);
        }
        self.last = Some(eof);
        self.eof_canonical = Some(canonical);
    }

    fn watching_eof(&self) -> bool {
        self.eof_canonical.is_some() && self.master.is_some()
    }

    /// An end-of-file char written while the pty was canonical is only a line end for a
    /// reader that switched it to raw mode since (a line editor such as the shell's, set up
    /// after our input had already arrived): give it a ^D of its own, once per mode change.
    fn recheck_eof(&mut self) {
        let (Some(was), Some(master)) = (self.eof_canonical, self.master) else {
            return;
        };
        let Ok(t) = rustix::termios::tcgetattr(master) else {
            return;
        };
        if t.local_modes.contains(rustix::termios::LocalModes::ICANON) != was {
            self.write_eof(master, 1);
        }
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
