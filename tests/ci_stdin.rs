//! Foreground `run` and `exec` without a terminal (issue 12 item 1: CI, a pipe, `ssh host cmd`,
//! stdin from /dev/null): `-it` warns as Podman does and goes on, the end of the caller's
//! stdin reaches the container (as the pty's end-of-file char with `-t`), and a SIGTERM of the
//! CLI ends the container: forwarded, then SIGKILL after its stop timeout.

mod common;
#[path = "support/store.rs"]
#[macro_use]
mod store;

use common::Env;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const IMG: &str = "localhost/skiff-test/busybox:latest";
const NOT_A_TTY: &str =
    "The input device is not a TTY. The --tty and --interactive flags might not work properly";

fn ready(env: &Env) {
    env.load_test_image("busybox.tar").success();
}

/// Runs `line` with `sh -c` as the env's user (no terminal anywhere), killed after 60 s so a
/// hang fails the test instead of stalling the suite; returns its output and how long it took.
fn timed_sh(env: &Env, line: &str) -> (common::Output, Duration) {
    let start = Instant::now();
    let out = common::run_with_timeout(
        env.command("sh", &["-c", line]),
        None,
        Duration::from_secs(60),
    );
    (out, start.elapsed())
}

/// A sleep length no other test (or the other env running in parallel) uses, so the host's
/// process list says whether this container's sleep is still alive.
fn unique_sleep() -> u32 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    1000 + (nanos ^ std::process::id()) % 100_000
}

fn assert_no_process(what: &str, needle: &str) {
    // A SIGKILLed process may take a moment to disappear from /proc.
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let left = common::host_processes(|cmd| cmd.trim_end() == needle);
        if left.is_empty() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: a container process outlived the CLI: {left:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

both!(run_it_with_stdin_dev_null_ends_with_warning, |env: &Env| {
    ready(env);
    let line = format!(
        "{} < /dev/null",
        env.skiff_line(&format!("run --rm -it {IMG} sh"))
    );
    let (out, took) = timed_sh(env, &line);
    assert!(
        !out.timed_out && took < Duration::from_secs(10),
        "took {took:?}{}",
        out.report("run -it with stdin /dev/null must end at the end of its input")
    );
    assert_eq!(out.status.code(), Some(0), "{}", out.report("exit code"));
    assert!(
        out.stderr().contains(NOT_A_TTY),
        "{}",
        out.report("warning")
    );
});

both!(run_it_with_piped_script_runs_it_and_exits, |env: &Env| {
    ready(env);
    let line = format!(
        "printf 'echo hi\\nexit 3\\n' | {}",
        env.skiff_line(&format!("run --rm -it {IMG} sh"))
    );
    let (out, took) = timed_sh(env, &line);
    assert!(!out.timed_out, "took {took:?}{}", out.report("hang"));
    assert_eq!(out.status.code(), Some(3), "{}", out.report("exit code"));
    assert!(out.stdout().contains("hi"), "{}", out.report("stdout"));
    // Without `exit`: the end of the piped input ends the shell.
    let line = format!(
        "printf 'echo there\\n' | {}",
        env.skiff_line(&format!("run --rm -it {IMG} sh"))
    );
    let (out, took) = timed_sh(env, &line);
    assert!(
        !out.timed_out && took < Duration::from_secs(10),
        "took {took:?}{}",
        out.report("the end of the input must end the shell")
    );
    assert_eq!(out.status.code(), Some(0), "{}", out.report("exit code"));
    assert!(out.stdout().contains("there"), "{}", out.report("stdout"));
});

both!(run_i_cat_with_stdin_dev_null_exits_0, |env: &Env| {
    ready(env);
    let line = format!(
        "{} < /dev/null",
        env.skiff_line(&format!("run --rm -i {IMG} cat"))
    );
    let (out, took) = timed_sh(env, &line);
    assert!(!out.timed_out, "took {took:?}{}", out.report("hang"));
    assert_eq!(out.status.code(), Some(0), "{}", out.report("exit code"));
    assert!(!out.stderr().contains(NOT_A_TTY), "{}", out.report("no -t"));
});

both!(sigterm_of_run_kills_after_stop_timeout, |env: &Env| {
    ready(env);
    let n = unique_sleep();
    let line = format!(
        "timeout -s TERM 2 {} < /dev/null",
        env.skiff_line(&format!(
            "run --rm --stop-timeout 2 {IMG} sh -c 'trap \"\" TERM; sleep {n}'"
        ))
    );
    let (out, took) = timed_sh(env, &line);
    assert!(
        !out.timed_out && took < Duration::from_secs(8),
        "took {took:?}{}",
        out.report("run must end within its stop timeout after SIGTERM")
    );
    assert_no_process("run", &format!("sleep {n}"));
    // --rm ran: the container is gone.
    let ps = env.skiff(&["ps", "-a", "-q"]).success();
    assert!(ps.stdout().trim().is_empty(), "{}", ps.report("ps -a"));
});

both!(sigterm_of_exec_kills_after_stop_timeout, |env: &Env| {
    ready(env);
    env.skiff(&[
        "run",
        "-d",
        "--name",
        "target",
        "--stop-timeout",
        "2",
        IMG,
        "sleep",
        "1000",
    ])
    .success();
    let n = unique_sleep();
    let line = format!(
        "timeout -s TERM 2 {} < /dev/null",
        env.skiff_line(&format!(
            "exec -it target sh -c 'trap \"\" TERM; sleep {n}'"
        ))
    );
    let (out, took) = timed_sh(env, &line);
    assert!(
        !out.timed_out && took < Duration::from_secs(8),
        "took {took:?}{}",
        out.report("exec must end within the stop timeout after SIGTERM")
    );
    assert!(
        out.stderr().contains(NOT_A_TTY),
        "{}",
        out.report("warning")
    );
    assert_no_process("exec", &format!("sleep {n}"));

    // exec -it with piped input and with /dev/null ends too.
    let line = format!(
        "printf 'echo hi\\nexit 3\\n' | {}",
        env.skiff_line("exec -it target sh")
    );
    let (out, took) = timed_sh(env, &line);
    assert!(!out.timed_out, "took {took:?}{}", out.report("hang"));
    assert_eq!(out.status.code(), Some(3), "{}", out.report("exit code"));
    assert!(out.stdout().contains("hi"), "{}", out.report("stdout"));
    let line = format!("{} < /dev/null", env.skiff_line("exec -it target sh"));
    let (out, took) = timed_sh(env, &line);
    assert!(
        !out.timed_out && took < Duration::from_secs(10),
        "took {took:?}{}",
        out.report("exec -it with stdin /dev/null")
    );
    assert_eq!(out.status.code(), Some(0), "{}", out.report("exit code"));
    env.skiff(&["rm", "-f", "target"]).success();
});
