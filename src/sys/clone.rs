//! clone3 with fork semantics (no new stack), setns through a pidfd, and a socketpair for the
//! parent/child handshake of the runtime.
//!
//! The runtime needs clone3 rather than fork: the child must be pid 1 of a new pid namespace
//! (unshare(CLONE_NEWPID) would only affect the children of the caller) and the parent wants
//! a pidfd without a race (CLONE_PIDFD). std and rustix offer no clone3, so it lives here.

use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd, RawFd};

use anyhow::{Context, Result};

/// The kernel's `struct clone_args` (version 0 size, 64 bytes, is all we fill; the size we
/// pass tells the kernel which version we speak).
#[repr(C)]
#[derive(Default)]
struct CloneArgs {
    flags: u64,
    pidfd: u64,
    child_tid: u64,
    parent_tid: u64,
    exit_signal: u64,
    stack: u64,
    stack_size: u64,
    tls: u64,
    set_tid: u64,
    set_tid_size: u64,
    cgroup: u64,
}

/// Which side of a clone3 we are on.
#[derive(Debug)]
pub enum Cloned {
    /// The new process. It must end with `exit_now`/exec, never return into the caller's
    /// frames beyond the function that cloned.
    Child,
    /// The caller: the child's pid (in the caller's pid namespace) and, when asked for, its
    /// pidfd.
    Parent { pid: i32, pidfd: Option<OwnedFd> },
}

/// clone3 like fork (the child continues on a copy of the caller's stack), with `flags`
/// (CLONE_NEW*, CLONE_PARENT, ...) and SIGCHLD as the exit signal; with `want_pidfd`,
/// CLONE_PIDFD is added and the parent gets the child's pidfd (close-on-exec).
///
/// The caller must be single-threaded: the child holds only the calling thread, and the C
/// library's fork handlers do not run (no lock of another thread can be held when there is
/// no other thread).
pub fn clone3(flags: u64, want_pidfd: bool) -> Result<Cloned> {
    let mut pidfd: libc::c_int = -1;
    let mut args = CloneArgs {
        flags: flags
            | if want_pidfd {
                libc::CLONE_PIDFD as u64
            } else {
                0
            },
        exit_signal: if flags & libc::CLONE_PARENT as u64 != 0 {
            0
        } else {
            libc::SIGCHLD as u64
        },
        ..CloneArgs::default()
    };
    if want_pidfd {
        args.pidfd = (&mut pidfd as *mut libc::c_int) as u64;
    }
    // SAFETY: `args` is a valid clone_args of the size passed, and `pidfd` outlives the call.
    // With no stack given the child runs on a copy-on-write copy of our stack, like fork; the
    // caller is single-threaded (documented requirement), so no lock can be held by a thread
    // that does not exist in the child.
    let ret = unsafe {
        libc::syscall(
            libc::SYS_clone3,
            &mut args as *mut CloneArgs,
            std::mem::size_of::<CloneArgs>(),
        )
    };
    if ret < 0 {
        return Err(std::io::Error::last_os_error()).context("clone3");
    }
    if ret == 0 {
        return Ok(Cloned::Child);
    }
    let pidfd = want_pidfd.then(|| {
        // SAFETY: with CLONE_PIDFD the kernel stored a new, owned descriptor in `pidfd`.
        unsafe { OwnedFd::from_raw_fd(pidfd) }
    });
    Ok(Cloned::Parent {
        pid: ret as i32,
        pidfd,
    })
}

/// setns(2) on a pidfd (several namespace types at once) or a namespace file.
pub fn setns(fd: impl AsFd, nstype: i32) -> std::io::Result<()> {
    // SAFETY: plain integer arguments; the fd is borrowed for the call.
    let rc = unsafe { libc::setns(fd.as_fd().as_raw_fd(), nstype) };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// A connected pair of SOCK_SEQPACKET sockets, close-on-exec: each write is one message, and
/// a closed peer reads as end of file.
pub fn seqpacket_pair() -> Result<(OwnedFd, OwnedFd)> {
    let mut fds: [RawFd; 2] = [-1; 2];
    // SAFETY: `fds` has room for the two descriptors socketpair writes.
    let rc = unsafe {
        libc::socketpair(
            libc::AF_UNIX,
            libc::SOCK_SEQPACKET | libc::SOCK_CLOEXEC,
            0,
            fds.as_mut_ptr(),
        )
    };
    if rc != 0 {
        return Err(std::io::Error::last_os_error()).context("socketpair");
    }
    // SAFETY: on success both descriptors are new and owned by us.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}
