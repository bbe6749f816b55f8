//! skiff's tiny init (`--init`): pid 1 of the container forks the real process, forwards the
//! usual termination signals to it, reaps every child (orphans are re-parented to pid 1),
//! and exits with the process's status (128 + signal when a signal ended it). When pid 1
//! exits the kernel kills what is left in the pid namespace.
//!
//! It stays in the process that did the setup (no exec of a separate binary): it holds no
//! descriptors beyond 0-2 once the process is forked, and right after the fork it gives up
//! what the container's own processes could use against it: it becomes non-dumpable (no
//! ptrace, no /proc/1/exe or /proc/1/fd for them), keeps at most CAP_KILL (to forward
//! signals to a process of another user) and runs under the container's seccomp filter.

use std::convert::Infallible;

use anyhow::Result;
use rustix::process::{WaitOptions, wait};

use super::child::report;
use super::sync::Channel;
use crate::sys::process::{
    SignalSet, close_all_from, exit_code_of_status, exit_now, fork_child, send_signal,
    set_signal_mask, wait_signal,
};

const FORWARDED: [i32; 6] = [
    libc::SIGTERM,
    libc::SIGINT,
    libc::SIGHUP,
    libc::SIGUSR1,
    libc::SIGUSR2,
    libc::SIGQUIT,
];

/// Forks; the child runs `run` (which execs the process, or fails: its error goes to the
/// parent over `channel`); this process becomes the supervisor and never returns, except
/// with an error when the fork fails.
///
/// `confine` runs in the supervisor right after the fork, before it waits on anything: pid 1
/// is skiff's own code, so it must hold no more than the container does (see
/// `security::confine_supervisor`). If it fails, the process is killed and the error
/// reported, as a failed setup.
pub(super) fn fork_and_supervise<F, C>(channel: &Channel, run: F, confine: C) -> Result<Infallible>
where
    F: FnOnce() -> Result<Infallible>,
    C: FnOnce() -> Result<()>,
{
    let mut watched = FORWARDED.to_vec();
    watched.push(libc::SIGCHLD);
    let set = SignalSet::of(&watched);
    // Blocked before the fork, so no signal sent in between is lost: a blocked signal is
    // queued even for a namespace's init, which the kernel otherwise shields.
    let old = set_signal_mask(&set);
    let main = fork_child(|| {
        set_signal_mask(&old);
        match run() {
            Err(e) => report(channel, &e),
            Ok(never) => match never {},
        }
    })?;
    let main = main.as_raw_nonzero().get();
    if let Err(e) = confine() {
        let _ = send_signal(main, libc::SIGKILL);
        exit_now(report(
            channel,
            &e.context("confining the container's init"),
        ));
    }
    supervise(main, &set)
}

fn supervise(main: i32, set: &SignalSet) -> ! {
    // Our copies of the sync channel and whatever the setup held: the container's processes
    // must not find them in pid 1, and the parent waits for the channel's end of file.
    // Nothing in this function uses a descriptor above 2, and it never returns.
    let _ = close_all_from(3);
    loop {
        let Ok(sig) = wait_signal(set) else {
            continue;
        };
        if sig != libc::SIGCHLD {
            let _ = send_signal(main, sig);
            continue;
        }
        while let Ok(Some((pid, status))) = wait(WaitOptions::NOHANG) {
            if pid.as_raw_nonzero().get() == main {
                exit_now(exit_code_of_status(status));
            }
        }
    }
}
