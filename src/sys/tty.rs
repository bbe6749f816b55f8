//! Terminal and standard-stream helpers: raw mode with a restoring guard, window sizes, a pty
//! pair (for tests and callers without sys::pty), and pointing fds 0-2 at /dev/null.

use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};

use anyhow::{Context, Result};
use rustix::termios::{
    OptionalActions, Termios, Winsize, isatty, tcgetattr, tcgetwinsize, tcsetattr, tcsetwinsize,
};

/// Puts a terminal in raw mode and restores the saved settings when dropped, so every exit
/// path (including `?` and panics that unwind) gives the user their terminal back.
pub struct RawModeGuard<'fd> {
    fd: BorrowedFd<'fd>,
    saved: Termios,
}

impl<'fd> RawModeGuard<'fd> {
    /// Raw mode on `fd` if it is a terminal; `None` otherwise.
    pub fn enter(fd: BorrowedFd<'fd>) -> Result<Option<RawModeGuard<'fd>>> {
        if !isatty(fd) {
            return Ok(None);
        }
        let saved = tcgetattr(fd).context("reading terminal settings")?;
        let mut raw = saved.clone();
        raw.make_raw();
        tcsetattr(fd, OptionalActions::Now, &raw).context("setting the terminal to raw mode")?;
        Ok(Some(RawModeGuard { fd, saved }))
    }
}

impl Drop for RawModeGuard<'_> {
    fn drop(&mut self) {
        let _ = tcsetattr(self.fd, OptionalActions::Now, &self.saved);
    }
}

/// Copies the window size of terminal `from` to terminal (or pty master) `to`. Does nothing
/// when `from` is not a terminal.
pub fn copy_window_size(from: BorrowedFd<'_>, to: BorrowedFd<'_>) -> Result<()> {
    if !isatty(from) {
        return Ok(());
    }
    let size = tcgetwinsize(from).context("reading the window size")?;
    tcsetwinsize(to, size).context("setting the pty window size")
}

/// Sets the window size of a terminal or pty master.
pub fn set_window_size(fd: BorrowedFd<'_>, rows: u16, cols: u16) -> Result<()> {
    let size = Winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    tcsetwinsize(fd, size).context("setting the window size")
}

/// The window size of a terminal as (rows, cols).
pub fn window_size(fd: BorrowedFd<'_>) -> Result<(u16, u16)> {
    let size = tcgetwinsize(fd).context("reading the window size")?;
    Ok((size.ws_row, size.ws_col))
}

/// Points fds 0, 1 and 2 at /dev/null (for a process that must not hold the caller's terminal
/// or pipes open).
pub fn redirect_stdio_to_dev_null() -> Result<()> {
    let null = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/null")
        .context("opening /dev/null")?;
    for target in 0..=2 {
        dup_onto(null.as_fd(), target)?;
    }
    Ok(())
}

/// dup2(fd, target): makes descriptor number `target` (e.g. 0-2) refer to `fd`'s file. The
/// caller takes responsibility for what `target` referred to before (it is closed).
pub fn dup_onto(fd: BorrowedFd<'_>, target: i32) -> Result<()> {
    // SAFETY: dup2 only changes the descriptor table; replacing a standard stream is the
    // point, and no Rust object owns fds 0-2 in a way that would be invalidated.
    let rc = unsafe { libc::dup2(fd.as_raw_fd(), target) };
    if rc < 0 {
        return Err(io::Error::last_os_error()).with_context(|| format!("dup2 onto fd {target}"));
    }
    Ok(())
}

/// Turns terminal echo off (for password prompts) and restores it when dropped.
pub struct EchoOffGuard<'fd> {
    fd: BorrowedFd<'fd>,
    saved: Termios,
}

impl<'fd> EchoOffGuard<'fd> {
    pub fn new(fd: &'fd impl AsFd) -> Result<EchoOffGuard<'fd>> {
        let fd = fd.as_fd();
        let saved = tcgetattr(fd).context("reading terminal settings")?;
        let mut quiet = saved.clone();
        quiet.local_modes.remove(rustix::termios::LocalModes::ECHO);
        tcsetattr(fd, OptionalActions::Now, &quiet).context("turning terminal echo off")?;
        Ok(EchoOffGuard { fd, saved })
    }
}

impl Drop for EchoOffGuard<'_> {
    fn drop(&mut self) {
        let _ = tcsetattr(self.fd, OptionalActions::Now, &self.saved);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pty_pair_carries_window_size() {
        let (master, slave) = crate::sys::pty::openpty().unwrap();
        assert!(isatty(&slave));
        set_window_size(master.as_fd(), 33, 101).unwrap();
        assert_eq!(window_size(slave.as_fd()).unwrap(), (33, 101));
        let guard = RawModeGuard::enter(slave.as_fd()).unwrap().expect("a tty");
        assert!(
            !tcgetattr(&slave)
                .unwrap()
                .local_modes
                .contains(rustix::termios::LocalModes::ICANON)
        );
        drop(guard);
        assert!(
            tcgetattr(&slave)
                .unwrap()
                .local_modes
                .contains(rustix::termios::LocalModes::ICANON)
        );
    }
}
