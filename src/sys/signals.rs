//! Signal masks, signalfd and poll(2): what the monitor and the foreground waiter need to wait
//! on a container's pidfd, its output pipes and our own signals in one loop, without signal
//! handlers or threads.
//!
//! rustix (with the features we enable) offers neither sigprocmask, signalfd nor poll, so the
//! raw calls live here. pidfd_open, pidfd_send_signal and waitid(P_PIDFD) are safe in rustix and
//! are used from there directly, except that sending a real-time signal through a pidfd needs
//! the raw call ([`pidfd_send_signal`]).

use std::io;
use std::mem::MaybeUninit;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use anyhow::{Context, Result};

/// A set of signal numbers (a `sigset_t`).
#[derive(Clone, Copy)]
pub struct SignalSet(libc::sigset_t);

impl SignalSet {
    pub fn empty() -> SignalSet {
        let mut set = MaybeUninit::<libc::sigset_t>::uninit();
        // SAFETY: sigemptyset initialises the whole set it is given.
        unsafe { libc::sigemptyset(set.as_mut_ptr()) };
        // SAFETY: initialised just above.
        SignalSet(unsafe { set.assume_init() })
    }

    pub fn from_signals(signals: &[i32]) -> SignalSet {
        let mut set = SignalSet::empty();
        for &sig in signals {
            set.add(sig);
        }
        set
    }

    /// Adds `sig`; numbers outside the valid range are ignored.
    pub fn add(&mut self, sig: i32) {
        // SAFETY: the set is initialised; sigaddset checks the range and returns EINVAL.
        unsafe { libc::sigaddset(&mut self.0, sig) };
    }

    pub fn contains(&self, sig: i32) -> bool {
        // SAFETY: the set is initialised; sigismember only reads it.
        unsafe { libc::sigismember(&self.0, sig) == 1 }
    }
}

/// The lowest and highest real-time signal numbers usable by applications (glibc reserves the
/// first two for itself).
pub fn realtime_signal_range() -> (i32, i32) {
    (libc::SIGRTMIN(), libc::SIGRTMAX())
}

/// Blocks `set` for the calling thread, returning the previous mask. In a single-threaded
/// process (the CLI, the monitor) that is the process's mask.
pub fn block_signals(set: &SignalSet) -> Result<SignalSet> {
    change_mask(libc::SIG_BLOCK, set).context("blocking signals")
}

/// Replaces the calling thread's signal mask with `set`.
pub fn set_signal_mask(set: &SignalSet) -> Result<()> {
    change_mask(libc::SIG_SETMASK, set)
        .map(|_| ())
        .context("restoring the signal mask")
}

fn change_mask(how: libc::c_int, set: &SignalSet) -> io::Result<SignalSet> {
    let mut old = SignalSet::empty();
    // SAFETY: both pointers refer to initialised sigset_t values that outlive the call.
    let rc = unsafe { libc::pthread_sigmask(how, &set.0, &mut old.0) };
    if rc != 0 {
        return Err(io::Error::from_raw_os_error(rc));
    }
    Ok(old)
}

/// A nonblocking, close-on-exec signalfd for `set` (the signals must be blocked to be read
/// from it instead of being delivered).
pub fn signalfd(set: &SignalSet) -> Result<OwnedFd> {
    // SAFETY: -1 asks for a new descriptor; the set pointer is valid for the call.
    let fd = unsafe { libc::signalfd(-1, &set.0, libc::SFD_CLOEXEC | libc::SFD_NONBLOCK) };
    if fd < 0 {
        return Err(io::Error::last_os_error()).context("signalfd");
    }
    // SAFETY: signalfd returned a new descriptor that nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Reads one pending signal from a nonblocking signalfd: `None` when none is pending.
pub fn read_signal(fd: BorrowedFd<'_>) -> Result<Option<i32>> {
    let mut info = MaybeUninit::<libc::signalfd_siginfo>::uninit();
    let size = std::mem::size_of::<libc::signalfd_siginfo>();
    loop {
        // SAFETY: the buffer is exactly one signalfd_siginfo long and writable.
        let n = unsafe { libc::read(fd.as_raw_fd(), info.as_mut_ptr().cast(), size) };
        if n == size as isize {
            // SAFETY: the kernel filled the whole structure.
            return Ok(Some(unsafe { info.assume_init() }.ssi_signo as i32));
        }
        let err = io::Error::last_os_error();
        match err.raw_os_error() {
            Some(libc::EINTR) => continue,
            Some(libc::EAGAIN) => return Ok(None),
            _ if n >= 0 => return Ok(None),
            _ => return Err(err).context("reading the signalfd"),
        }
    }
}

/// poll(2) event bits, re-exported so callers need no libc.
pub const POLLIN: i16 = libc::POLLIN;
pub const POLLOUT: i16 = libc::POLLOUT;
pub const POLLERR: i16 = libc::POLLERR;
pub const POLLHUP: i16 = libc::POLLHUP;
pub const POLLNVAL: i16 = libc::POLLNVAL;

/// One entry of a poll set: laid out exactly like `struct pollfd` (a `BorrowedFd` is a
/// transparent `int`), so a slice of these is passed to the kernel as is.
#[repr(C)]
pub struct PollFd<'fd> {
    fd: BorrowedFd<'fd>,
    events: i16,
    revents: i16,
}

const _: () =
    assert!(std::mem::size_of::<PollFd<'static>>() == std::mem::size_of::<libc::pollfd>());

impl<'fd> PollFd<'fd> {
    pub fn new(fd: &'fd impl AsFd, events: i16) -> PollFd<'fd> {
        PollFd {
            fd: fd.as_fd(),
            events,
            revents: 0,
        }
    }

    pub fn from_borrowed(fd: BorrowedFd<'fd>, events: i16) -> PollFd<'fd> {
        PollFd {
            fd,
            events,
            revents: 0,
        }
    }

    /// The events the last poll reported.
    pub fn revents(&self) -> i16 {
        self.revents
    }

    /// Readable, or hung up / in error (a read will then return EOF or the error).
    pub fn is_ready(&self) -> bool {
        self.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL) != 0
    }
}

/// Waits until one of `fds` is ready or `timeout_ms` passes (-1: no limit). Returns how many
/// entries have events; EINTR is reported as 0 ready entries.
pub fn poll(fds: &mut [PollFd<'_>], timeout_ms: i32) -> Result<usize> {
    for fd in fds.iter_mut() {
        fd.revents = 0;
    }
    // SAFETY: PollFd has the layout of struct pollfd (checked above) and the slice is valid
    // and writable for its length during the call.
    let rc = unsafe {
        libc::poll(
            fds.as_mut_ptr().cast::<libc::pollfd>(),
            fds.len() as libc::nfds_t,
            timeout_ms,
        )
    };
    if rc < 0 {
        let err = io::Error::last_os_error();
        if err.raw_os_error() == Some(libc::EINTR) {
            return Ok(0);
        }
        return Err(err).context("poll");
    }
    Ok(rc as usize)
}

/// Sends `sig` to the calling thread (raise(3)).
pub fn raise(sig: i32) -> Result<()> {
    // SAFETY: raise has no memory-safety preconditions.
    if unsafe { libc::raise(sig) } != 0 {
        return Err(io::Error::last_os_error()).with_context(|| format!("raising signal {sig}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signalfd_reports_a_blocked_signal_raised_on_this_thread() {
        let set = SignalSet::from_signals(&[libc::SIGUSR2]);
        assert!(set.contains(libc::SIGUSR2));
        let old = block_signals(&set).unwrap();
        let fd = signalfd(&set).unwrap();
        assert_eq!(read_signal(fd.as_fd()).unwrap(), None);
        raise(libc::SIGUSR2).unwrap();
        let mut polled = [PollFd::new(&fd, POLLIN)];
        assert_eq!(poll(&mut polled, 1000).unwrap(), 1);
        assert!(polled[0].is_ready());
        assert_eq!(read_signal(fd.as_fd()).unwrap(), Some(libc::SIGUSR2));
        assert_eq!(read_signal(fd.as_fd()).unwrap(), None);
        set_signal_mask(&old).unwrap();
    }
}
