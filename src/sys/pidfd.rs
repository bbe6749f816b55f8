//! Process handles: pidfds (signal, wait) and the start time that tells a live pid from a
//! reused one.

use std::os::fd::{AsFd, AsRawFd, OwnedFd};

use anyhow::{Context, Result};
use rustix::process::{Pid, PidfdFlags, WaitId, WaitIdOptions};

/// A pidfd for a process (close-on-exec).
pub fn pidfd_open(pid: i32) -> Result<OwnedFd> {
    let pid = Pid::from_raw(pid).context("pidfd_open: invalid pid")?;
    rustix::process::pidfd_open(pid, PidfdFlags::empty())
        .with_context(|| format!("pidfd_open {pid:?}"))
}

/// Sends `sig` (a signal number; 0 checks that the process is alive) to the process behind
/// `pidfd`.
pub fn pidfd_send_signal(pidfd: impl AsFd, sig: i32) -> std::io::Result<()> {
    // SAFETY: plain integer arguments and a NULL siginfo (the kernel fills in our own).
    let rc = unsafe {
        libc::syscall(
            libc::SYS_pidfd_send_signal,
            pidfd.as_fd().as_raw_fd(),
            sig,
            std::ptr::null::<libc::siginfo_t>(),
            0,
        )
    };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// Waits for the process behind `pidfd` (our child) to end and returns its status in shell
/// terms: the exit code, or 128 + the signal that killed it.
pub fn waitid_pidfd(pidfd: impl AsFd) -> Result<i32> {
    loop {
        match rustix::process::waitid(WaitId::PidFd(pidfd.as_fd()), WaitIdOptions::EXITED) {
            Ok(Some(status)) => return Ok(shell_code(&status)),
            Ok(None) => continue,
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(e).context("waiting for the process"),
        }
    }
}

/// Like `waitid_pidfd` without blocking: None while the process runs.
pub fn try_waitid_pidfd(pidfd: impl AsFd) -> Result<Option<i32>> {
    let options = WaitIdOptions::EXITED | WaitIdOptions::NOHANG;
    match rustix::process::waitid(WaitId::PidFd(pidfd.as_fd()), options) {
        Ok(Some(status)) if status.exited() || status.killed() || status.dumped() => {
            Ok(Some(shell_code(&status)))
        }
        Ok(_) => Ok(None),
        Err(e) => Err(e).context("polling the process"),
    }
}

fn shell_code(status: &rustix::process::WaitIdStatus) -> i32 {
    match (status.exit_status(), status.terminating_signal()) {
        (Some(code), _) => code,
        (None, Some(sig)) => 128 + sig,
        _ => 128,
    }
}

/// The start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat), or
/// None when no such process exists, or it is a zombie (finished, not yet reaped).
pub fn process_start_time(pid: i32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    parse_start_time(&stat)
}

/// Field 22 of a /proc/<pid>/stat line. The command name (field 2) may hold spaces and
/// parentheses, so fields are counted from its last ')'.
fn parse_start_time(stat: &str) -> Option<u64> {
    let rest = &stat[stat.rfind(')')? + 1..];
    // After the name come field 3 (state) onwards: field 22 is the 20th of them.
    let mut fields = rest.split_whitespace();
    if matches!(fields.next()?, "Z" | "X" | "x") {
        return None;
    }
    fields.nth(18)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_start_time_with_odd_names() {
        let line = "42 (a) b (c)) S 1 42 42 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 98765 1000 10";
        assert_eq!(parse_start_time(line), Some(98765));
        assert_eq!(parse_start_time("garbage"), None);
        let me = std::process::id() as i32;
        assert!(process_start_time(me).is_some());
        assert_eq!(process_start_time(i32::MAX), None);
    }
}
