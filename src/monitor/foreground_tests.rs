// Children are reaped through their pidfd (waitid P_PIDFD), which clippy cannot see.
#![allow(clippy::zombie_processes)]

use std::io::{BufRead, BufReader, Read, Write};
use std::os::fd::OwnedFd;
use std::process::{Child, Command, Stdio};

use rustix::pipe::{PipeFlags, pipe_with};
use rustix::process::{Pid, PidfdFlags, Signal, kill_process, pidfd_open};
use rustix::termios::{LocalModes, tcgetattr};

use super::*;
use crate::sys::process::{exit_code_of_status, fork_child, wait_child};
use crate::sys::pty::openpty as open_pty_pair;
use crate::sys::tty::set_window_size;

/// Spawns `sh -c script` on the slave side of a new pty; returns the child, its pidfd and
/// the master.
fn spawn_on_pty(script: &str) -> (Child, OwnedFd, OwnedFd) {
    let (master, slave) = open_pty_pair().unwrap();
    let child = Command::new("sh")
        .args(["-c", script])
        .stdin(Stdio::from(slave.try_clone().unwrap()))
        .stdout(Stdio::from(slave.try_clone().unwrap()))
        .stderr(Stdio::from(slave))
        .spawn()
        .unwrap();
    let pidfd = pidfd_open(
        Pid::from_raw(child.id() as i32).unwrap(),
        PidfdFlags::empty(),
    )
    .unwrap();
    (child, pidfd, master)
}

/// Runs the waiter with `stdin` as our terminal side and a pipe as stdout; returns the exit
/// code and what reached stdout.
fn run(
    child: &Child,
    pidfd: &OwnedFd,
    opts: &ForegroundOptions,
    stdin: BorrowedFd<'_>,
) -> (i32, String) {
    let (out_r, out_w) = pipe_with(PipeFlags::CLOEXEC).unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::fs::File::from(out_r)
            .read_to_string(&mut text)
            .unwrap();
        text
    });
    let code = wait_foreground_on(child.id() as i32, pidfd, opts, stdin, out_w.as_fd()).unwrap();
    drop(out_w);
    (code, reader.join().unwrap())
}

#[test]
fn relays_the_pty_and_returns_the_exit_code() {
    let (child, pidfd, master) = spawn_on_pty("tty; exit 5");
    let null = std::fs::File::open("/dev/null").unwrap();
    let opts = ForegroundOptions {
        sig_proxy: true,
        tty_master: Some(master),
        stdin_open: false,
        stop_timeout: None,
    };
    let (code, out) = run(&child, &pidfd, &opts, null.as_fd());
    assert_eq!(code, 5);
    assert!(
        out.starts_with("/dev/pts/") && out.ends_with("\r\n"),
        "{out:?}"
    );
}

#[test]
fn copies_stdin_sets_raw_mode_and_window_size_and_restores_the_terminal() {
    // Our "terminal": the slave of a second pty, with a known size.
    let (term_master, term) = open_pty_pair().unwrap();
    set_window_size(term_master.as_fd(), 41, 123).unwrap();
    // The waiter sets the size when it starts; the sleep keeps the container from asking
    // before that (the runtime should size the pty before the exec to close that window).
    let (child, pidfd, master) =
        spawn_on_pty("sleep 0.2; stty size; read line; echo \"got $line\"; exit 0");
    let opts = ForegroundOptions {
        sig_proxy: true,
        tty_master: Some(master),
        stdin_open: true,
        stop_timeout: None,
    };
    let typist = {
        let mut keys = std::fs::File::from(term_master.try_clone().unwrap());
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(400));
            keys.write_all(b"hello\r").unwrap();
        })
    };
    let (code, out) = run(&child, &pidfd, &opts, term.as_fd());
    typist.join().unwrap();
    assert_eq!(code, 0);
    assert!(out.starts_with("41 123\r\n"), "{out:?}");
    assert!(out.contains("got hello\r\n"), "{out:?}");
    assert!(
        tcgetattr(&term)
            .unwrap()
            .local_modes
            .contains(LocalModes::ICANON),
        "terminal left raw"
    );
}

#[test]
fn a_killed_container_gives_128_plus_signal() {
    let (child, pidfd, master) = spawn_on_pty("kill -9 $$");
    let null = std::fs::File::open("/dev/null").unwrap();
    let opts = ForegroundOptions {
        sig_proxy: false,
        tty_master: Some(master),
        stdin_open: false,
        stop_timeout: None,
    };
    assert_eq!(run(&child, &pidfd, &opts, null.as_fd()).0, 137);
}

/// In a forked (single-threaded) child: blocks SIGTERM early, so a signal sent before the
/// waiter is ready stays pending for it, starts a shell that traps SIGTERM, tells `ready`,
/// and waits in the foreground. Returns the parent's end of the ready pipe and the pid.
fn forked_waiter(sig_proxy: bool, script: &'static str) -> (Pid, std::fs::File) {
    let (ready_r, ready_w) = pipe_with(PipeFlags::CLOEXEC).unwrap();
    let mut ready_w = Some(ready_w);
    let pid = fork_child(|| {
        let _ = block_signals(&SignalSet::from_signals(&[libc::SIGTERM, libc::SIGINT]));
        let mut child = Command::new("sh")
            .args(["-c", script])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let pidfd = pidfd_open(
            Pid::from_raw(child.id() as i32).unwrap(),
            PidfdFlags::empty(),
        )
        .unwrap();
        std::fs::File::from(ready_w.take().unwrap())
            .write_all(first.as_bytes())
            .unwrap();
        let opts = ForegroundOptions {
            sig_proxy,
            tty_master: None,
            stdin_open: false,
            stop_timeout: None,
        };
        wait_foreground(child.id() as i32, &pidfd, &opts).unwrap_or(125)
    })
    .unwrap();
    drop(ready_w);
    (pid, std::fs::File::from(ready_r))
}

#[test]
fn forwards_signals_to_the_container() {
    let script = "trap 'exit 7' TERM; trap 'exit 8' INT; echo ready; while :; do sleep 0.05; done";
    let (pid, mut ready) = forked_waiter(true, script);
    let mut line = String::new();
    ready.read_to_string(&mut line).unwrap();
    assert_eq!(line, "ready\n");
    kill_process(pid, Signal::TERM).unwrap();
    assert_eq!(exit_code_of_status(wait_child(pid).unwrap()), 7);
}

#[test]
fn without_sig_proxy_signals_are_not_forwarded() {
    // The shell would exit 7 on SIGTERM; unforwarded, it ends by itself with 3. The waiter's
    // own SIGTERM stays blocked by the test setup, so the waiter survives to report it.
    let script = "trap 'exit 7' TERM; echo ready; sleep 0.5; exit 3";
    let (pid, mut ready) = forked_waiter(false, script);
    let mut line = String::new();
    ready.read_to_string(&mut line).unwrap();
    kill_process(pid, Signal::TERM).unwrap();
    assert_eq!(exit_code_of_status(wait_child(pid).unwrap()), 3);
}

#[test]
fn sigwinch_copies_the_new_terminal_size_to_the_pty() {
    let (term_master, term) = open_pty_pair().unwrap();
    set_window_size(term_master.as_fd(), 10, 20).unwrap();
    // We keep the container pty's slave to watch its size from here.
    let (master, slave) = open_pty_pair().unwrap();
    let pid = fork_child(|| {
        let _ = block_signals(&SignalSet::from_signals(&[libc::SIGWINCH]));
        let child = Command::new("sh")
            .args(["-c", "sleep 1.5"])
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        let pidfd = pidfd_open(
            Pid::from_raw(child.id() as i32).unwrap(),
            PidfdFlags::empty(),
        )
        .unwrap();
        let opts = ForegroundOptions {
            sig_proxy: true,
            tty_master: Some(master.try_clone().unwrap()),
            stdin_open: false,
            stop_timeout: None,
        };
        let null = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/null")
            .unwrap();
        wait_foreground_on(child.id() as i32, &pidfd, &opts, term.as_fd(), null.as_fd())
            .unwrap_or(125)
    })
    .unwrap();
    let wait_for = |size: (u16, u16)| {
        for _ in 0..100 {
            if crate::sys::tty::window_size(slave.as_fd()).unwrap() == size {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        false
    };
    assert!(wait_for((10, 20)), "initial size not propagated");
    set_window_size(term_master.as_fd(), 30, 90).unwrap();
    kill_process(pid, Signal::WINCH).unwrap();
    assert!(wait_for((30, 90)), "resize not propagated");
    assert_eq!(exit_code_of_status(wait_child(pid).unwrap()), 0);
}
