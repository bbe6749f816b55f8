use std::os::fd::OwnedFd;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rustix::process::{Pid, PidfdFlags, Signal, pidfd_open, pidfd_send_signal};

use super::*;
use crate::monitor::logfile::{LogOptions, read_logs};

/// Spawns `sh -c script` with piped stdout and stderr; returns the child, its pidfd and the
/// pipes as the monitor gets them.
fn spawn_sh(script: &str) -> (Child, OwnedFd, Vec<(OwnedFd, Stream)>) {
    let mut child = Command::new("sh")
        .args(["-c", script])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = Pid::from_raw(child.id() as i32).unwrap();
    let pidfd = pidfd_open(pid, PidfdFlags::empty()).unwrap();
    let outputs = vec![
        (OwnedFd::from(child.stdout.take().unwrap()), Stream::Stdout),
        (OwnedFd::from(child.stderr.take().unwrap()), Stream::Stderr),
    ];
    (child, pidfd, outputs)
}

fn logs(path: &Path) -> (String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    read_logs(path, &LogOptions::default(), &|| false, &mut out, &mut err).unwrap();
    (
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

#[test]
fn logs_output_and_reports_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ctr.log");
    let (_child, pidfd, outputs) = spawn_sh("echo out; echo err >&2; printf unfinished; exit 3");
    let before = Utc::now();
    let mut exit = None;
    supervise(pidfd, outputs, Some(&path), |info| exit = Some(info)).unwrap();
    let exit = exit.expect("on_exit called");
    assert_eq!((exit.code, exit.signal), (3, None));
    assert!(exit.finished_at >= before);
    assert_eq!(logs(&path), ("out\nunfinished".into(), "err\n".into()));
}

#[test]
fn a_killed_process_exits_128_plus_the_signal() {
    let (_child, pidfd, outputs) = spawn_sh("echo started; exec sleep 100");
    pidfd_send_signal(&pidfd, Signal::KILL).unwrap();
    let mut exit = None;
    supervise(pidfd, outputs, None, |info| exit = Some(info)).unwrap();
    let exit = exit.unwrap();
    assert_eq!((exit.code, exit.signal), (137, Some(9)));
}

#[test]
fn output_held_open_by_a_leftover_process_does_not_keep_the_monitor() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ctr.log");
    // The background sleep inherits both pipes and outlives the shell.
    let (_child, pidfd, outputs) = spawn_sh("sleep 3 & echo bye; exit 0");
    let started = Instant::now();
    let mut exit = None;
    supervise(pidfd, outputs, Some(&path), |info| exit = Some(info)).unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "waited for the leftover sleep"
    );
    assert_eq!(exit.unwrap().code, 0);
    assert_eq!(logs(&path).0, "bye\n");
}

#[test]
fn lots_of_output_is_logged_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ctr.log");
    let (_child, pidfd, outputs) = spawn_sh("seq 1 100000; seq 1 50 >&2");
    let mut code = None;
    supervise(pidfd, outputs, Some(&path), |info| code = Some(info.code)).unwrap();
    assert_eq!(code, Some(0));
    let (out, err) = logs(&path);
    let expected: String = (1..=100000).map(|i| format!("{i}\n")).collect();
    assert!(out == expected, "stdout differs ({} bytes)", out.len());
    assert_eq!(err.lines().count(), 50);
}

/// Runs in a re-executed test binary (see `monitor_rss_stays_small`): forks a monitor that
/// supervises a chatty shell, and prints the monitor's memory figures while it runs.
#[test]
#[ignore = "helper for monitor_rss_stays_small"]
fn rss_probe() {
    if std::env::var_os("SKIFF_RSS_PROBE").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ctr.log");
    let monitor = crate::sys::process::fork_child(|| {
        let (_child, pidfd, outputs) = spawn_sh("seq 1 200000; sleep 1.5; seq 1 10");
        let mut code = 125;
        let _ = supervise(pidfd, outputs, Some(&path), |info| code = info.code);
        code
    })
    .unwrap();
    std::thread::sleep(Duration::from_millis(1000));
    let pid = monitor.as_raw_nonzero();
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap();
    let own = std::fs::read_to_string("/proc/self/status").unwrap();
    // Private_Dirty of writable mappings: pages the monitor wrote after the fork (or that the
    // parent rewrote since). Read-only file pages count as dirty here only because a freshly
    // linked binary is still dirty in the page cache; they cost the monitor nothing.
    let smaps = std::fs::read_to_string(format!("/proc/{pid}/smaps")).unwrap();
    let mut writable = false;
    let mut written_kb = 0u64;
    for line in smaps.lines() {
        let mut words = line.split_whitespace();
        let first = words.next().unwrap_or("");
        if first.contains('-') && !first.ends_with(':') {
            writable = words.next().is_some_and(|perms| perms.contains('w'));
        } else if first == "Private_Dirty:" && writable {
            written_kb += words.next().unwrap().parse::<u64>().unwrap();
        }
    }
    let field = |text: &str, name: &str| -> u64 {
        let line = text.lines().find(|l| l.starts_with(name)).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    println!(
        "RSS-PROBE parent_vmrss_kb={} monitor_vmrss_kb={} monitor_private_dirty_kb={} monitor_rss_anon_kb={} monitor_written_kb={written_kb}",
        field(&own, "VmRSS:"),
        field(&status, "VmRSS:"),
        field(&rollup, "Private_Dirty:"),
        field(&status, "RssAnon:"),
    );
    let status = crate::sys::process::wait_child(monitor).unwrap();
    assert_eq!(crate::sys::process::exit_code_of_status(status), 0);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap().lines().count(),
        200010
    );
}

/// The monitor's memory beyond what it shares with the process it was forked from (private
/// dirty pages of writable mappings) must stay well under 1 MiB.
#[test]
fn monitor_rss_stays_small() {
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "monitor::detached::tests::rss_probe",
            "--ignored",
            "--nocapture",
        ])
        .args(["--test-threads", "1"])
        .env("SKIFF_RSS_PROBE", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "probe failed: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let line = stdout
        .lines()
        .find(|l| l.contains("RSS-PROBE"))
        .expect("probe line");
    eprintln!("{line}");
    let private_dirty: u64 = line
        .split_whitespace()
        .skip_while(|w| *w != "RSS-PROBE")
        .find_map(|kv| kv.strip_prefix("monitor_written_kb="))
        .unwrap()
        .parse()
        .unwrap();
    assert!(private_dirty < 1024, "{line}");
}
