//! Process handling of containers (issue 11): the container never gets the caller's stdio file
//! descriptors (a relay through pipes, as in Podman), and a SIGKILL of the CLI at any moment
//! leaves no process behind that `ps` does not know about.

mod common;
#[path = "support/store.rs"]
#[macro_use]
mod store;

use common::Env;
use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;
use std::time::{Duration, Instant};

const IMG: &str = "localhost/skiff-test/busybox:latest";

fn ready(env: &Env) {
    env.load_test_image("busybox.tar").success();
}

/// Runs `line` with `sh -c` as the env's user.
fn sh(env: &Env, line: &str) -> common::Output {
    env.run_as(&["sh", "-c", line])
}

/// A host file the container must not be able to change: 0444, owned by the env's user (root:
/// root; rootless: the user, whose uid is root in the container).
fn protected_file(env: &Env, name: &str) -> std::path::PathBuf {
    let path = env.write(name, "SECRET-HOST-CONTENT\n");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    path
}

fn assert_unchanged(path: &std::path::Path, what: &str) {
    let now = std::fs::read_to_string(path).unwrap();
    assert_eq!(
        now, "SECRET-HOST-CONTENT\n",
        "{what}: the container changed the host file given as its stdio"
    );
}

both!(stdin_file_cannot_be_reopened_for_writing, |env: &Env| {
    ready(env);
    env.skiff(&["run", "-d", "--name", "target", IMG, "sleep", "1000"])
        .success();
    let attack = "echo x > /proc/self/fd/0; echo y >> /proc/self/fd/0; true";
    for args in [
        format!("run --rm -i {IMG} sh -c '{attack}'"),
        format!("run --rm {IMG} sh -c '{attack}'"),
        format!("exec -i target sh -c '{attack}'"),
        format!("exec target sh -c '{attack}'"),
    ] {
        let file = protected_file(env, "stdin.txt");
        let out = sh(
            env,
            &format!("{} < {}", env.skiff_line(&args), file.display()),
        );
        assert_unchanged(&file, &format!("{args}: {}", out.report("attack")));
        std::fs::remove_file(&file).unwrap();
    }
    env.skiff(&["rm", "-f", "target"]).success();
});

both!(stdout_file_cannot_be_reopened, |env: &Env| {
    ready(env);
    env.skiff(&["run", "-d", "--name", "target", IMG, "sleep", "1000"])
        .success();
    // Read back what the host file holds (through fd 1 and fd 2), then truncate it.
    let attack = "for f in 1 2; do timeout 1 cat /proc/self/fd/$f > /tmp/leak$f 2>/dev/null; \
                  done; cat /tmp/leak1 /tmp/leak2 > /dev/null; \
                  grep -q SECRET /tmp/leak1 /tmp/leak2 && echo LEAKED >&2; \
                  : > /proc/self/fd/1; : > /proc/self/fd/2; true";
    for args in [
        format!("run --rm {IMG} sh -c '{attack}'"),
        format!("run --rm -i {IMG} sh -c '{attack}'"),
        format!("exec target sh -c '{attack}'"),
        format!("exec -i target sh -c '{attack}'"),
    ] {
        let out_file = protected_file(env, "out.log");
        let err_file = protected_file(env, "err.log");
        // 0644 so that the shell can open them for append; the content is what matters.
        for f in [&out_file, &err_file] {
            std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        let out = sh(
            env,
            &format!(
                "{} >> {} 2>> {} < /dev/null",
                env.skiff_line(&args),
                out_file.display(),
                err_file.display()
            ),
        );
        let text = |p: &std::path::Path| std::fs::read_to_string(p).unwrap();
        assert!(
            text(&out_file).starts_with("SECRET-HOST-CONTENT\n")
                && text(&err_file).starts_with("SECRET-HOST-CONTENT\n"),
            "{args}: the container truncated a host file given as its stdout/stderr: {:?} {:?} {}",
            text(&out_file),
            text(&err_file),
            out.report("attack")
        );
        assert!(
            !text(&err_file).contains("LEAKED"),
            "{args}: the container read back the host file given as its stdout"
        );
        std::fs::remove_file(&out_file).unwrap();
        std::fs::remove_file(&err_file).unwrap();
    }
    env.skiff(&["rm", "-f", "target"]).success();
});

both!(
    build_run_step_cannot_reopen_the_build_output,
    |env: &Env| {
        ready(env);
        let file = env.write(
            "ctx/Containerfile",
            format!(
                "FROM {IMG}\nRUN echo out; echo err >&2; \
             : > /proc/self/fd/1; : > /proc/self/fd/2; echo y > /proc/self/fd/0; true\n"
            ),
        );
        let ctx = file.parent().unwrap().display().to_string();
        let log = env.write("build.log", "SECRET-HOST-CONTENT\n");
        let input = protected_file(env, "in.txt");
        let out = sh(
            env,
            &format!(
                "{} >> {} 2>&1 < {}",
                env.skiff_line(&format!("build -t b {ctx}")),
                log.display(),
                input.display()
            ),
        );
        let text = std::fs::read_to_string(&log).unwrap();
        assert!(
            text.starts_with("SECRET-HOST-CONTENT\n") && text.contains("out\n"),
            "the RUN step truncated the build's output file: {text:?} {}",
            out.report("build")
        );
        assert_unchanged(&input, "build");
    }
);

both!(relay_keeps_streams_eof_and_exit_codes, |env: &Env| {
    ready(env);
    // Stdin EOF reaches the container.
    let out = env
        .skiff_stdin(&["run", "--rm", "-i", IMG, "cat"], b"hi\n")
        .success();
    assert_eq!(out.stdout(), "hi\n");
    let out = sh(
        env,
        &format!(
            "echo hi | {}",
            env.skiff_line(&format!("run --rm -i {IMG} cat"))
        ),
    )
    .success();
    assert_eq!(out.stdout(), "hi\n");
    // Without -i the container's stdin is /dev/null, not ours.
    let out = env
        .skiff_stdin(&["run", "--rm", IMG, "cat"], b"not for you\n")
        .success();
    assert_eq!(out.stdout(), "");
    // Large input and output, complete and in order.
    let input: Vec<u8> = (0..400_000u32)
        .flat_map(|i| format!("{i}\n").into_bytes())
        .collect();
    let out = env
        .skiff_stdin(&["run", "--rm", "-i", IMG, "cat"], &input)
        .success();
    assert!(
        out.stdout().as_bytes() == input.as_slice(),
        "large stdin/stdout differ"
    );
    let out = env
        .skiff(&[
            "run",
            "--rm",
            IMG,
            "sh",
            "-c",
            "seq 1 400000; seq 1 1000 >&2",
        ])
        .success();
    let want: String = (1..=400_000).map(|i| format!("{i}\n")).collect();
    assert!(
        out.stdout() == want,
        "large stdout is not complete and in order"
    );
    let want_err: String = (1..=1000).map(|i| format!("{i}\n")).collect();
    assert!(out.stderr().contains(&want_err), "{}", out.stderr());
    // Streams stay separate; exit codes unchanged.
    let out = env
        .skiff(&[
            "run",
            "--rm",
            IMG,
            "sh",
            "-c",
            "echo out; echo err >&2; exit 3",
        ])
        .failure(3);
    assert_eq!(out.stdout(), "out\n");
    assert!(out.stderr().contains("err\n") && !out.stderr().contains("out"));
    env.skiff(&["run", "-d", "--name", "t", IMG, "sleep", "1000"])
        .success();
    let out = env
        .skiff_stdin(
            &["exec", "-i", "t", "sh", "-c", "cat; echo err >&2; exit 5"],
            b"in\n",
        )
        .failure(5);
    assert_eq!(out.stdout(), "in\n");
    assert!(out.stderr().contains("err\n"));
    let out = env
        .skiff(&["exec", "t", "sh", "-c", "seq 1 200000"])
        .success();
    let want: String = (1..=200_000).map(|i| format!("{i}\n")).collect();
    assert!(out.stdout() == want, "large exec output is not complete");
    env.skiff(&["rm", "-f", "t"]).success();
});

// ---------------------------------------------------------------------------------------------
// SIGKILL of the CLI at any moment.

/// Host processes whose argv holds `marker`.
fn processes_with(marker: &str) -> Vec<String> {
    common::host_processes(|cmd| cmd.contains(marker) && !cmd.contains("skiff"))
}

/// Polls until no process holds `marker` (true) or `secs` pass.
fn gone_within(marker: &str, secs: u64) -> bool {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if processes_with(marker).is_empty() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    processes_with(marker).is_empty()
}

/// Mounts below the env's directory.
fn mounts_below(env: &Env) -> Vec<String> {
    let dir = env.path().to_string_lossy().to_string();
    std::fs::read_to_string("/proc/self/mountinfo")
        .unwrap()
        .lines()
        .filter(|l| l.contains(&dir))
        .map(str::to_string)
        .collect()
}

/// Starts `args` and SIGKILLs it after `delay` (the child is the skiff process itself: with
/// setpriv, setpriv execs it).
fn kill_after(env: &Env, args: &[&str], delay: Duration) {
    let mut child = env
        .skiff_command(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let _ = child.kill();
    let _ = child.wait();
}

both!(
    sigkill_of_run_detached_never_leaves_an_unknown_container,
    |env: &Env| {
        ready(env);
        // How long a whole `run -d` takes here: the kills are spread over that.
        let t0 = Instant::now();
        env.skiff(&["run", "-d", "--name", "probe", IMG, "true"])
            .success();
        let life = t0.elapsed().as_micros() as u64;
        env.skiff(&["rm", "-f", "probe"]).success();
        let (mut up, mut created, mut none) = (0, 0, 0);
        for i in 0..40u64 {
            let name = format!("k{i}");
            let marker = format!("{}", 100_000_000 + u64::from(env.uid()) * 1000 + i);
            // Spread the kill over the CLI's whole life, in a shuffled order.
            let delay = Duration::from_micros(((i * 17) % 40) * life / 40);
            kill_after(
                env,
                &["run", "-d", "--name", &name, IMG, "sleep", &marker],
                delay,
            );
            let ps = env.skiff(&["ps", "-a", "--format", "{{.Names}} {{.Status}}"]);
            let line = ps
                .lines()
                .into_iter()
                .find(|l| l.split_whitespace().next() == Some(name.as_str()));
            let running = line.as_deref().is_some_and(|l| l.contains("Up"));
            let procs = processes_with(&marker);
            match (&line, running) {
                (_, true) => up += 1,
                (Some(_), false) => created += 1,
                (None, _) => none += 1,
            }
            if running {
                assert!(
                    !procs.is_empty(),
                    "{name} is reported running with no process"
                );
            } else if !gone_within(&marker, 5) {
                panic!(
                    "{name} (after {delay:?}) is {line:?} but its process runs: {:?}",
                    processes_with(&marker)
                );
            }
            // `start` never starts a second copy.
            if line.is_some() {
                let _ = env.skiff(&["start", &name]);
                let n = processes_with(&marker).len();
                assert!(
                    n <= 1,
                    "{name}: {n} copies after start: {:?}",
                    processes_with(&marker)
                );
                env.skiff(&["rm", "-f", &name]).success();
            }
            assert!(
                gone_within(&marker, 5),
                "{name}: a process survived rm -f: {:?}",
                processes_with(&marker)
            );
        }
        // A name the killed CLIs may have reserved without a container must not be left over.
        // Where the kills landed: the spread is what makes this test worth its time.
        let spread = format!("killed run -d: {up} running, {created} created, {none} none");
        eprintln!("{spread}");
        let _ = env.skiff(&["container", "prune", "-f"]);
    }
);

both!(sigkill_of_run_and_exec_kills_their_process, |env: &Env| {
    ready(env);
    env.skiff(&["run", "-d", "--name", "target", IMG, "sleep", "1000"])
        .success();
    let base = 300_000_000 + u64::from(env.uid()) * 1000;
    let cases: [(&str, Vec<String>); 4] = [
        ("run", vec!["run".into(), "--rm".into(), IMG.into()]),
        ("run -i", vec!["run".into(), "-i".into(), IMG.into()]),
        (
            "run --init",
            vec!["run".into(), "--init".into(), IMG.into()],
        ),
        ("exec", vec!["exec".into(), "target".into()]),
    ];
    for (i, (what, args)) in cases.into_iter().enumerate() {
        let marker = format!("{}", base + i as u64);
        let mut argv = args;
        argv.extend(["sleep".to_string(), marker.clone()]);
        let mut child = env
            .skiff_command(&argv)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while processes_with(&marker).is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(!processes_with(&marker).is_empty(), "{what}: never started");
        let _ = child.kill();
        let _ = child.wait();
        assert!(
            gone_within(&marker, 5),
            "{what}: the container's process survived the CLI's SIGKILL: {:?}",
            processes_with(&marker)
        );
    }
    // exec -d is not tied to the CLI: it outlives it.
    env.skiff(&[
        "exec",
        "-d",
        "target",
        "sh",
        "-c",
        "sleep 1; touch /tmp/survived",
    ])
    .success();
    std::thread::sleep(Duration::from_millis(2500));
    env.skiff(&["exec", "target", "test", "-e", "/tmp/survived"])
        .success();
    env.skiff(&["rm", "-a", "-f"]).success();
});

both!(sigkill_of_build_kills_its_run_step, |env: &Env| {
    ready(env);
    let mut killed = Vec::new();
    for (i, delay_ms) in [300u64, 600, 1200].into_iter().enumerate() {
        let marker = format!("{}", 200_000_000 + u64::from(env.uid()) * 1000 + i as u64);
        let dir = env.write(
            &format!("ctx{i}/Containerfile"),
            format!("FROM {IMG}\nRUN sleep {marker}\n"),
        );
        let ctx = dir.parent().unwrap().to_string_lossy().to_string();
        let mut child = env
            .skiff_command(&["build", "-t", "killed", &ctx])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the RUN runs (or the delay passes), then kill the build.
        let deadline = Instant::now() + Duration::from_secs(20);
        while processes_with(&marker).is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        std::thread::sleep(Duration::from_millis(delay_ms / 10));
        killed.push(child.id());
        let _ = child.kill();
        let _ = child.wait();
        assert!(
            gone_within(&marker, 5),
            "the RUN step survived the build's SIGKILL: {:?}",
            processes_with(&marker)
        );
        let deadline = Instant::now() + Duration::from_secs(5);
        while !mounts_below(env).is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(
            mounts_below(env).is_empty(),
            "mounts left by the killed build: {:?}",
            mounts_below(env)
        );
    }
    // Rootful, the killed builds' step cgroups are collected by a later build (once the
    // killed steps' processes are reaped: until then their cgroups are busy).
    let dir = env.write("ctx-next/Containerfile", format!("FROM {IMG}\nRUN true\n"));
    let ctx = dir.parent().unwrap().to_string_lossy().to_string();
    let stale = || -> Vec<String> {
        std::fs::read_dir("/sys/fs/cgroup/pids/skiff")
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| {
                        killed
                            .iter()
                            .any(|pid| n.starts_with(&format!("build-{pid}-")))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    for _ in 0..10 {
        env.skiff(&["build", "--no-cache", "-t", "next", &ctx])
            .success();
        if stale().is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    assert!(
        stale().is_empty(),
        "killed builds' step cgroups stayed: {:?}",
        stale()
    );
});

both!(rm_while_run_starts_fails_cleanly, |env: &Env| {
    ready(env);
    for i in 0..10u64 {
        let name = format!("r{i}");
        let run = env
            .skiff_command(&["run", "--name", &name, IMG, "true"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(i * 3000));
        let _ = env.skiff(&["rm", "-f", &name]);
        let out = run.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !err.contains("panicked") && !err.contains("No such file"),
            "run raced with rm -f: {err}"
        );
        assert!(err.lines().count() <= 1, "more than one line: {err}");
        let _ = env.skiff(&["rm", "-f", &name]);
    }
    // exec racing rm -f of its container.
    for i in 0..10u64 {
        let name = format!("e{i}");
        env.skiff(&["run", "-d", "--name", &name, IMG, "sleep", "1000"])
            .success();
        let exec = env
            .skiff_command(&["exec", &name, "true"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(i * 2000));
        env.skiff(&["rm", "-f", "-t", "0", &name]).success();
        let out = exec.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !err.contains("panicked") && !err.contains("No such file"),
            "exec raced with rm -f: {err}"
        );
        assert!(err.lines().count() <= 1, "more than one line: {err}");
    }
});
