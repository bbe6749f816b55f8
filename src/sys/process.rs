//! Process primitives: fork with a closure, wait, switch credentials, count threads.
//!
//! Namespace entry (unshare(CLONE_NEWUSER)) needs a single-threaded process, and the id-map
//! handshake needs a helper process that stays outside; these helpers keep the raw fork and the
//! credential calls here, behind safe functions.

use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::panic::{AssertUnwindSafe, catch_unwind};

use anyhow::{Context, Result, bail};
use rustix::pipe::{PipeFlags, pipe_with};
use rustix::process::{Pid, WaitOptions, WaitStatus, waitpid};

/// How a child process ended, in shell terms: its exit code, or 128 + the signal that killed it.
pub fn exit_code_of_status(status: WaitStatus) -> i32 {
    match (status.exit_status(), status.terminating_signal()) {
        (Some(code), _) => code,
        (None, Some(sig)) => 128 + sig,
        _ => 128,
    }
}

/// Forks; the child runs `child` and exits with the code it returns, without running
/// destructors or atexit handlers of the parent's state (panics exit with 101). Returns the
/// child's pid to the parent.
///
/// Forking a multi-threaded process leaves the child with only the calling thread: the child
/// must not wait on locks another thread may have held (glibc's malloc is made safe across
/// fork; std's stdout lock and env lock are not guaranteed). Namespace code calls this while
/// single-threaded; tests call it from the test harness and keep the child simple.
pub fn fork_child<F: FnOnce() -> i32>(child: F) -> Result<Pid> {
    // SAFETY: fork has no memory-safety preconditions of its own; the child only runs `child`
    // and then _exit, never returning into the caller's frames (see the doc comment for the
    // multi-threaded caveat, which concerns deadlocks, not memory safety).
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(std::io::Error::last_os_error()).context("fork");
    }
    if pid == 0 {
        let code = catch_unwind(AssertUnwindSafe(child)).unwrap_or(101);
        exit_now(code);
    }
    Ok(Pid::from_raw(pid).expect("fork returned a positive pid"))
}

/// Ends the current process at once, without unwinding, flushing or atexit handlers: the
/// right exit for a forked child that shares buffers with its parent.
pub fn exit_now(code: i32) -> ! {
    // SAFETY: _exit is async-signal-safe and always sound to call; it does not return.
    unsafe { libc::_exit(code) }
}

/// Waits for a child (retrying on EINTR) and returns its status.
pub fn wait_child(pid: Pid) -> Result<WaitStatus> {
    loop {
        match waitpid(Some(pid), WaitOptions::empty()) {
            Ok(Some((_, status))) => return Ok(status),
            Ok(None) => continue,
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(e).with_context(|| format!("waiting for process {pid:?}")),
        }
    }
}

/// Runs `f` in a forked child and waits for it; the child's error comes back with its full
/// chain as the error text. For work that must not touch the caller's process state
/// (credentials, namespaces), and for tests of such work.
pub fn run_in_child<F: FnOnce() -> Result<()>>(f: F) -> Result<()> {
    run_in_child_output(|| f().map(|()| String::new())).map(|_| ())
}

/// Like [`run_in_child`], for work that has a result: the text `f` returns comes back to the
/// caller (the child writes it to a pipe, tagged so it cannot be taken for an error).
pub fn run_in_child_output<F: FnOnce() -> Result<String>>(f: F) -> Result<String> {
    let (reader, writer) = pipe_with(PipeFlags::CLOEXEC).context("creating a pipe")?;
    let mut writer = Some(writer);
    let pid = fork_child(|| {
        let Some(writer) = writer.take() else {
            return 3;
        };
        let mut w = std::fs::File::from(writer);
        let result = catch_unwind(AssertUnwindSafe(f));
        let (code, msg) = match result {
            Ok(Ok(out)) => (0, format!("{OUTPUT_TAG}{out}")),
            Ok(Err(e)) => (1, format!("{e:#}")),
            Err(panic) => (2, format!("child panicked: {}", panic_text(&*panic))),
        };
        let _ = w.write_all(msg.as_bytes());
        code
    })?;
    drop(writer);
    let message = read_to_end(reader);
    let status = wait_child(pid)?;
    if status.exit_status() == Some(0)
        && let Some(out) = message.strip_prefix(OUTPUT_TAG)
    {
        return Ok(out.to_string());
    }
    if message.is_empty() || message.starts_with(OUTPUT_TAG) {
        bail!(
            "child process failed with status {}",
            exit_code_of_status(status)
        );
    }
    bail!("{message}")
}

/// Marks a child's successful result on the pipe (an error message never starts with it).
const OUTPUT_TAG: &str = "\u{1}ok\u{1}";

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Reads a pipe until every writer has closed it; read errors end the text.
pub(crate) fn read_to_end(fd: OwnedFd) -> String {
    let mut text = String::new();
    let _ = std::fs::File::from(fd).read_to_string(&mut text);
    text
}

/// Drops the current process to another user: no supplementary groups, then real, effective
/// and saved gid and uid (process-wide: glibc applies them to every thread).
pub fn switch_user(uid: u32, gid: u32) -> Result<()> {
    // SAFETY: setgroups with a zero count reads no memory.
    if unsafe { libc::setgroups(0, std::ptr::null()) } != 0 {
        return Err(std::io::Error::last_os_error()).context("setgroups");
    }
    // SAFETY: plain integer arguments.
    if unsafe { libc::setresgid(gid, gid, gid) } != 0 {
        return Err(std::io::Error::last_os_error()).with_context(|| format!("setresgid {gid}"));
    }
    // SAFETY: plain integer arguments.
    if unsafe { libc::setresuid(uid, uid, uid) } != 0 {
        return Err(std::io::Error::last_os_error()).with_context(|| format!("setresuid {uid}"));
    }
    Ok(())
}

/// The number of threads of the current process.
pub fn thread_count() -> Result<usize> {
    let count = std::fs::read_dir("/proc/self/task")
        .context("reading /proc/self/task")?
        .count();
    Ok(count)
}

/// Looks up a user's uid and primary gid by name.
pub fn lookup_user(name: &str) -> Option<(u32, u32)> {
    let cname = std::ffi::CString::new(name).ok()?;
    let mut buf = vec![0u8; 4096];
    // SAFETY: passwd is plain old data; all-zero is a valid (empty) value.
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer refers to live memory of the given size; getpwnam_r writes only into
    // pwd and buf, and sets result to &pwd or null.
    let rc = unsafe {
        libc::getpwnam_r(
            cname.as_ptr(),
            &mut pwd,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut result,
        )
    };
    if rc != 0 || result.is_null() {
        return None;
    }
    Some((pwd.pw_uid, pwd.pw_gid))
}

/// Errors of the credential and exec calls below: std's io::Error, whose `kind()` and
/// `raw_os_error()` the runtime maps to exit codes.
fn check(rc: libc::c_int) -> std::io::Result<()> {
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// PR_SET_KEEPCAPS: keep the permitted capabilities across a switch away from uid 0.
pub fn set_keep_caps(keep: bool) -> std::io::Result<()> {
    // SAFETY: plain integer arguments.
    check(unsafe { libc::prctl(libc::PR_SET_KEEPCAPS, keep as libc::c_ulong, 0, 0, 0) })
}

/// PR_SET_NO_NEW_PRIVS: execve never grants privileges again (setuid bits, file caps).
pub fn set_no_new_privs() -> std::io::Result<()> {
    // SAFETY: plain integer arguments.
    check(unsafe { libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) })
}

/// Sets the supplementary groups (process-wide through the C library).
pub fn set_groups(gids: &[u32]) -> std::io::Result<()> {
    // SAFETY: the pointer and length describe a live slice of gid_t (u32).
    check(unsafe { libc::setgroups(gids.len(), gids.as_ptr()) })
}

/// Sets the real, effective and saved gid.
pub fn set_res_gid(gid: u32) -> std::io::Result<()> {
    // SAFETY: plain integer arguments.
    check(unsafe { libc::setresgid(gid, gid, gid) })
}

/// Sets the real, effective and saved uid.
pub fn set_res_uid(uid: u32) -> std::io::Result<()> {
    // SAFETY: plain integer arguments.
    check(unsafe { libc::setresuid(uid, uid, uid) })
}

/// Sets the host name of the current uts namespace.
pub fn set_hostname(name: &str) -> std::io::Result<()> {
    // SAFETY: pointer and length describe a live byte slice; no NUL is needed.
    check(unsafe { libc::sethostname(name.as_ptr().cast(), name.len()) })
}

/// Replaces the process image. Returns only on failure, with the error.
pub fn execve(
    path: &std::ffi::CStr,
    argv: &[std::ffi::CString],
    envp: &[std::ffi::CString],
) -> std::io::Error {
    let mut argv_ptrs: Vec<*const libc::c_char> = argv.iter().map(|a| a.as_ptr()).collect();
    argv_ptrs.push(std::ptr::null());
    let mut envp_ptrs: Vec<*const libc::c_char> = envp.iter().map(|e| e.as_ptr()).collect();
    envp_ptrs.push(std::ptr::null());
    // SAFETY: path is NUL-terminated; both arrays are NULL-terminated arrays of pointers to
    // NUL-terminated strings that outlive the call.
    unsafe { libc::execve(path.as_ptr(), argv_ptrs.as_ptr(), envp_ptrs.as_ptr()) };
    std::io::Error::last_os_error()
}

/// Joins a new anonymous session keyring (KEYCTL_JOIN_SESSION_KEYRING with no name), so the
/// caller's session keyring is not this process's any more. Best effort: a kernel without
/// keys, or a user out of key quota, leaves the process as it was (logged).
pub fn join_new_session_keyring() {
    const KEYCTL_JOIN_SESSION_KEYRING: libc::c_long = 1;
    // SAFETY: keyctl with a null name pointer creates an anonymous keyring; no memory of
    // ours is read or written.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_keyctl,
            KEYCTL_JOIN_SESSION_KEYRING,
            std::ptr::null::<libc::c_char>(),
        )
    };
    if rc < 0 {
        log::debug!(
            "joining a new session keyring: {}",
            std::io::Error::last_os_error()
        );
    }
}

/// Marks every descriptor from `first` up close-on-exec (close_range with
/// CLOSE_RANGE_CLOEXEC), so nothing of ours leaks into an exec'd program.
pub fn cloexec_from(first: u32) -> std::io::Result<()> {
    // SAFETY: marks descriptors close-on-exec without closing any, so no live OwnedFd of ours
    // is invalidated.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_close_range,
            first,
            u32::MAX,
            libc::CLOSE_RANGE_CLOEXEC,
        )
    };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// Closes every descriptor from `first` up. Only for a process about to run code that owns
/// no descriptors in that range (our init after setup): any OwnedFd still alive there would
/// refer to a closed number afterwards, so callers must have forgotten or dropped them.
pub fn close_all_from(first: u32) -> std::io::Result<()> {
    // SAFETY: closing descriptors is memory-safe; the documented contract keeps the caller
    // from using an OwnedFd in the range afterwards.
    let rc = unsafe { libc::syscall(libc::SYS_close_range, first, u32::MAX, 0) };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// dup2(fd, target) for the standard streams (target 0, 1 or 2); the copy is not
/// close-on-exec.
pub fn dup_onto(fd: std::os::fd::BorrowedFd<'_>, target: i32) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: dup2 onto 0..=2: these numbers are the standard streams, which no OwnedFd of
    // the runtime holds in the child (it duplicated its stdio fds above 2 first).
    let rc = unsafe { libc::dup2(fd.as_raw_fd(), target) };
    if rc < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// Resets every signal to its default action and unblocks all, as a new program expects
/// (Rust's runtime ignores SIGPIPE; a caller may ignore SIGINT or block signals).
pub fn reset_signals() {
    for sig in 1..libc::SIGRTMIN() {
        if sig == libc::SIGKILL || sig == libc::SIGSTOP {
            continue;
        }
        // SAFETY: installing SIG_DFL runs no code of ours; errors (invalid numbers) are
        // harmless and ignored.
        unsafe { libc::signal(sig, libc::SIG_DFL) };
    }
    set_signal_mask(&SignalSet::empty());
}

/// A set of signals.
#[derive(Clone, Copy)]
pub struct SignalSet(libc::sigset_t);

impl SignalSet {
    pub fn empty() -> SignalSet {
        // SAFETY: sigset_t is plain old data; sigemptyset initialises it.
        let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
        // SAFETY: set is a valid sigset_t.
        unsafe { libc::sigemptyset(&mut set) };
        SignalSet(set)
    }

    pub fn of(signals: &[i32]) -> SignalSet {
        let mut set = SignalSet::empty();
        for &sig in signals {
            // SAFETY: set.0 is an initialised sigset_t; bad numbers only return EINVAL.
            unsafe { libc::sigaddset(&mut set.0, sig) };
        }
        set
    }
}

/// Sets the signal mask, returning the previous one.
pub fn set_signal_mask(set: &SignalSet) -> SignalSet {
    let mut old = SignalSet::empty();
    // SAFETY: both pointers refer to valid sigset_t values.
    unsafe { libc::sigprocmask(libc::SIG_SETMASK, &set.0, &mut old.0) };
    old
}

/// Waits for one of the (blocked) signals in `set` and returns its number.
pub fn wait_signal(set: &SignalSet) -> std::io::Result<i32> {
    // SAFETY: set.0 is an initialised sigset_t; a NULL info pointer is allowed.
    let sig = unsafe { libc::sigwaitinfo(&set.0, std::ptr::null_mut()) };
    if sig < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(sig)
}

/// kill(pid, sig).
pub fn send_signal(pid: i32, sig: i32) -> std::io::Result<()> {
    // SAFETY: plain integer arguments.
    check(unsafe { libc::kill(pid, sig) })
}

/// Makes the kernel SIGKILL us when the thread that created us exits. The setting is cleared
/// by a change of credentials (setuid, setgid) and by a fork: set it after those. It does not
/// help if the parent is already gone: check that afterwards (see [`peer_closed`]).
pub fn die_with_parent() -> std::io::Result<()> {
    rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL))
        .map_err(std::io::Error::from)
}

/// Has the other end of this socket (or pipe) been closed? Tells, without waiting, whether
/// the process holding it is gone.
pub fn peer_closed(fd: std::os::fd::BorrowedFd<'_>) -> bool {
    use crate::sys::signals::{POLLERR, POLLHUP, PollFd, poll};
    let mut fds = [PollFd::from_borrowed(fd, 0)];
    matches!(poll(&mut fds, 0), Ok(n) if n > 0) && fds[0].revents() & (POLLHUP | POLLERR) != 0
}

/// Give freed heap pages back to the kernel (glibc's malloc_trim): the detached monitor is a
/// fork of the CLI and would otherwise keep the CLI's spent heap resident for its lifetime.
pub fn release_free_memory() {
    // SAFETY: malloc_trim only walks and trims malloc's own arenas; it takes no pointers.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn child_results_come_back() {
        run_in_child(|| Ok(())).unwrap();
        let err = run_in_child(|| Err(anyhow::anyhow!("inner")).context("outer")).unwrap_err();
        assert_eq!(format!("{err}"), "outer: inner");
        let err = run_in_child(|| panic!("boom")).unwrap_err();
        assert!(format!("{err}").contains("boom"), "{err}");
    }

    #[test]
    fn exit_codes_and_signals() {
        let pid = fork_child(|| 7).unwrap();
        assert_eq!(exit_code_of_status(wait_child(pid).unwrap()), 7);
        let pid = fork_child(|| {
            let _ = rustix::process::kill_process(
                rustix::process::getpid(),
                rustix::process::Signal::KILL,
            );
            0
        })
        .unwrap();
        assert_eq!(exit_code_of_status(wait_child(pid).unwrap()), 137);
    }

    #[test]
    fn finds_root() {
        assert_eq!(lookup_user("root"), Some((0, 0)));
        assert_eq!(lookup_user("no-such-user-skiff"), None);
    }
}
