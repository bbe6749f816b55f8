//! Running real containers, as root and as the unprivileged test user.

mod common;
#[path = "support/store.rs"]
#[macro_use]
mod store;

use common::Env;
use std::time::{Duration, Instant};

const IMG: &str = "localhost/skiff-test/busybox:latest";

fn ready(env: &Env) {
    env.load_test_image("busybox.tar").success();
}

/// Processes on the host whose command line mentions this env's directory or a container id.
fn leftover_processes(needle: &str) -> Vec<String> {
    common::host_processes(|cmd| cmd.contains(needle))
}

fn container_dirs(env: &Env) -> usize {
    std::fs::read_dir(env.root_dir().join("containers"))
        .map(|d| d.count())
        .unwrap_or(0)
}

both!(run_exit_codes_and_output, |env: &Env| {
    ready(env);
    let out = env.skiff(&["run", "--rm", IMG, "echo", "hello"]).success();
    assert_eq!(out.stdout(), "hello\n");
    env.skiff(&["run", "--rm", IMG, "sh", "-c", "exit 3"])
        .failure(3);
    // Killed by a signal: 128+N. (With --init, sh is not pid 1, which ignores signals it
    // has no handler for, as in any container.)
    env.skiff(&["run", "--rm", "--init", IMG, "sh", "-c", "kill -9 $$"])
        .failure(137);
    let out = env.skiff(&["run", "--rm", IMG, "/nope"]).failure(127);
    assert!(out.stderr().contains("/nope"), "{}", out.stderr());
    env.skiff(&["run", "--rm", IMG, "nope"]).failure(127);
    env.skiff(&["run", "--rm", IMG, "/etc/passwd"]).failure(126);
    let out = env
        .skiff(&["run", "--rm", "-u", "nobody2", IMG, "true"])
        .failure(126);
    assert!(
        out.stderr().contains("unable to find user nobody2"),
        "{}",
        out.stderr()
    );
    // pid 1, hostname, env, workdir, user.
    let out = env
        .skiff(&[
            "run",
            "--rm",
            "--hostname",
            "box",
            "-e",
            "FOO=bar",
            "-w",
            "/tmp",
            "-u",
            "nobody",
            IMG,
            "sh",
            "-c",
            "echo $$ $(hostname) $FOO $(pwd) $(id -u)",
        ])
        .success();
    assert_eq!(out.stdout().trim(), "1 box bar /tmp 65534");
    // --rm leaves nothing behind: no record, and no mount on the host (container mounts
    // live in the container's own mount namespace).
    assert_eq!(container_dirs(env), 0);
    let mounts = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
    assert!(
        !mounts.contains(env.path().to_str().unwrap()),
        "a mount was left on the host:\n{mounts}"
    );
    let out = env.skiff(&["ps", "-a", "-q"]).success();
    assert_eq!(out.stdout(), "");
});

both!(bind_mounts_volumes_and_tmpfs, |env: &Env| {
    ready(env);
    let host = env.path().join("shared");
    env.run_as(&["mkdir", host.to_str().unwrap()]).success();
    let bind = format!("{}:/data", host.display());
    env.skiff(&[
        "run",
        "--rm",
        "-v",
        &bind,
        IMG,
        "sh",
        "-c",
        "echo written > /data/f",
    ])
    .success();
    assert_eq!(
        std::fs::read_to_string(host.join("f")).unwrap(),
        "written\n"
    );
    let ro = format!("{}:/data:ro", host.display());
    env.skiff(&[
        "run",
        "--rm",
        "-v",
        &ro,
        IMG,
        "sh",
        "-c",
        "echo x > /data/g",
    ])
    .fails();
    // A named volume survives rm.
    env.skiff(&[
        "run",
        "--name",
        "writer",
        "-v",
        "vol1:/v",
        IMG,
        "sh",
        "-c",
        "echo kept > /v/file",
    ])
    .success();
    env.skiff(&["rm", "writer"]).success();
    let out = env
        .skiff(&["run", "--rm", "-v", "vol1:/v", IMG, "cat", "/v/file"])
        .success();
    assert_eq!(out.stdout(), "kept\n");
    // tmpfs and read-only root.
    let out = env
        .skiff(&[
            "run",
            "--rm",
            "--tmpfs",
            "/scratch",
            "--read-only",
            IMG,
            "sh",
            "-c",
            "echo a > /scratch/x && cat /scratch/x && ! touch /etc/x",
        ])
        .success();
    assert_eq!(out.stdout(), "a\n");
    // Bad specs.
    env.skiff(&["run", "--rm", "-v", "/nonexistent-dir-xyz:/x", IMG, "true"])
        .failure(125)
        .stderr_has("nonexistent-dir-xyz");
    env.skiff(&["run", "--rm", "-v", "a:b:c:d", IMG, "true"])
        .failure(125);
    assert_eq!(
        container_dirs(env),
        0,
        "a failed run left a container behind"
    );
    // A flag refused after the volumes were parsed leaves no anonymous volume either, and a
    // taken cidfile leaves no container.
    let vols_before = env.skiff(&["volume", "ls", "-q"]).success().stdout();
    env.skiff(&[
        "run",
        "--rm",
        "-v",
        "/scratch",
        "--stop-signal",
        "BOGUS",
        IMG,
        "true",
    ])
    .failure(125);
    assert_eq!(
        env.skiff(&["volume", "ls", "-q"]).success().stdout(),
        vols_before
    );
    let cid = env.write("taken.cid", "x");
    env.skiff(&[
        "run",
        "--rm",
        "--cidfile",
        cid.to_str().unwrap(),
        IMG,
        "true",
    ])
    .failure(125)
    .stderr_has("container id file exists");
    assert_eq!(
        container_dirs(env),
        0,
        "a refused cidfile left a container behind"
    );
});

both!(detached_lifecycle, |env: &Env| {
    ready(env);
    let out = env
        .skiff(&[
            "run",
            "-d",
            "--name",
            "web",
            IMG,
            "sh",
            "-c",
            "echo started; sleep 100",
        ])
        .success();
    let id = out.stdout().trim().to_string();
    assert_eq!(id.len(), 64, "{}", out.stdout());
    // Visible from a second process, running.
    let ps = env
        .skiff(&["ps", "--format", "{{.Names}} {{.Status}}"])
        .success()
        .stdout();
    assert!(ps.starts_with("web Up"), "{ps}");
    let st = env
        .skiff(&[
            "inspect",
            "--format",
            "{{.State.Status}} {{.State.Running}}",
            "web",
        ])
        .success()
        .stdout();
    assert_eq!(st.trim(), "running true");
    // exec sees the container's pid namespace and returns the command's code.
    // (busybox sh -c execs its last command, so pid 1 is sleep by now.)
    let out = env
        .skiff(&[
            "exec",
            "web",
            "sh",
            "-c",
            "cat /proc/1/cmdline | tr '\\0' ' '",
        ])
        .success();
    assert!(out.stdout().starts_with("sleep 100"), "{}", out.stdout());
    env.skiff(&["exec", "web", "sh", "-c", "exit 4"]).failure(4);
    env.skiff(&["exec", "web", "/nope"]).failure(127);
    // Logs.
    let logs = env.skiff(&["logs", "web"]).success().stdout();
    assert_eq!(logs, "started\n");
    // Name in use; rm of a running container refused.
    env.skiff(&["run", "-d", "--name", "web", IMG, "true"])
        .failure(125)
        .stderr_has("already in use");
    env.skiff(&["rm", "web"]).failure(2);
    // Stop: sh as pid 1 ignores SIGTERM, so this times out to SIGKILL.
    let t = Instant::now();
    env.skiff(&["stop", "-t", "1", "web"]).success();
    assert!(t.elapsed() < Duration::from_secs(8));
    let st = env
        .skiff(&["ps", "-a", "--format", "{{.Status}}"])
        .success()
        .stdout();
    assert!(st.starts_with("Exited (137)"), "{st}");
    env.skiff(&["wait", "web"]).success().stdout_has("137");
    env.skiff(&["start", "web"]).success();
    env.skiff(&["kill", "web"]).success();
    env.skiff(&["wait", "web"]).success();
    env.skiff(&["rm", "web"]).success();
    assert_eq!(container_dirs(env), 0);
    assert!(leftover_processes(&id).is_empty());
});

both!(stop_signal_handled_exits_at_once, |env: &Env| {
    ready(env);
    env.skiff(&[
        "run",
        "-d",
        "--name",
        "polite",
        IMG,
        "sh",
        "-c",
        "trap 'exit 0' TERM; while true; do sleep 0.1; done",
    ])
    .success();
    let t = Instant::now();
    env.skiff(&["stop", "polite"]).success();
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "stop waited for the timeout: {:?}",
        t.elapsed()
    );
    let code = env.skiff(&["wait", "polite"]).success().stdout();
    assert_eq!(code.trim(), "0");
    env.skiff(&["rm", "polite"]).success();
});

both!(logs_follow, |env: &Env| {
    ready(env);
    env.skiff(&[
        "run",
        "-d",
        "--name",
        "ticker",
        IMG,
        "sh",
        "-c",
        "for i in 1 2 3; do echo tick $i; sleep 0.3; done; echo oops >&2",
    ])
    .success();
    let out = env.skiff(&["logs", "-f", "ticker"]).success();
    assert_eq!(out.stdout(), "tick 1\ntick 2\ntick 3\n");
    assert_eq!(out.stderr(), "oops\n");
    let t = env
        .skiff(&["logs", "-t", "--tail", "1", "ticker"])
        .success()
        .stdout();
    assert!(
        t.contains("T") && t.ends_with(" tick 3\n") || t.is_empty(),
        "{t}"
    );
    env.skiff(&["rm", "ticker"]).success();
});

both!(stale_state_after_sigkill, |env: &Env| {
    ready(env);
    env.skiff(&["run", "-d", "--name", "victim", IMG, "sleep", "100"])
        .success();
    let pids = env
        .skiff(&[
            "inspect",
            "--format",
            "{{.State.Pid}} {{.State.ConmonPid}}",
            "victim",
        ])
        .success()
        .stdout();
    let v: Vec<i32> = pids
        .split_whitespace()
        .map(|p| p.parse().unwrap())
        .collect();
    // Kill the monitor and the container with SIGKILL, behind skiff's back.
    unsafe_free_kill(v[1]);
    unsafe_free_kill(v[0]);
    std::thread::sleep(Duration::from_millis(200));
    let st = env
        .skiff(&["ps", "-a", "--format", "{{.State}}"])
        .success()
        .stdout();
    assert_eq!(
        st.trim(),
        "exited",
        "a dead container must not show as running"
    );
    env.skiff(&["rm", "victim"]).success();
});

fn unsafe_free_kill(pid: i32) {
    let _ = std::process::Command::new("kill")
        .arg("-9")
        .arg(pid.to_string())
        .status();
}

both!(create_start_and_options, |env: &Env| {
    ready(env);
    let cid = env.path().join("cid");
    let out = env
        .skiff(&[
            "create",
            "--name",
            "later",
            "--label",
            "team=a",
            "--cidfile",
            cid.to_str().unwrap(),
            IMG,
            "sh",
            "-c",
            "echo from-create",
        ])
        .success();
    let id = out.stdout().trim().to_string();
    assert_eq!(std::fs::read_to_string(&cid).unwrap(), id);
    let st = env
        .skiff(&[
            "ps",
            "-a",
            "--filter",
            "label=team=a",
            "--format",
            "{{.Names}} {{.Status}}",
        ])
        .success()
        .stdout();
    assert_eq!(st.trim(), "later Created");
    let out = env.skiff(&["start", "-a", "later"]).success();
    assert_eq!(out.stdout(), "from-create\n");
    env.skiff(&["ps", "-a", "--filter", "status=exited", "-q"])
        .success()
        .stdout_has(&id[..12]);
    env.skiff(&["rm", &id[..12]]).success();
    // --init makes our reaper pid 1; --entrypoint overrides the image's.
    let out = env
        .skiff(&["run", "--rm", "--init", IMG, "sh", "-c", "echo $$"])
        .success();
    assert_ne!(out.stdout().trim(), "1");
    let out = env
        .skiff(&[
            "run",
            "--rm",
            "--entrypoint",
            "/bin/echo",
            IMG,
            "via",
            "entrypoint",
        ])
        .success();
    assert_eq!(out.stdout(), "via entrypoint\n");
    // Unknown image (not pulled: tests reach no registry outside loopback) and container.
    env.skiff(&["run", "--rm", "--pull=never", "nope:latest", "true"])
        .failure(125)
        .stderr_has("image not known");
    env.skiff(&["stop", "nope"])
        .failure(125)
        .stderr_has("no such container");
    env.skiff(&["rm", "nope"])
        .failure(1)
        .stderr_has("no such container");
    env.skiff(&["rmi", IMG]).success();
});

both!(rmi_refuses_image_in_use, |env: &Env| {
    ready(env);
    env.skiff(&["create", "--name", "user", IMG, "true"])
        .success();
    env.skiff(&["rmi", IMG])
        .failure(2)
        .stderr_has("image is in use by a container");
    env.skiff(&["rmi", "-f", IMG]).success();
    env.skiff(&["ps", "-a", "-q"]).success();
    assert_eq!(container_dirs(env), 0);
});

#[test]
fn user_without_subuid_range_runs_with_a_warning() {
    let Some(env) = Env::rootless_as(common::NOSUB_TEST_USER) else {
        return;
    };
    env.load_test_image("busybox.tar").success();
    let out = env
        .skiff(&["run", "--rm", IMG, "cat", "/proc/self/uid_map"])
        .success();
    // One line, once, in the logger's shape, saying how to fix it (the store's namespace
    // and the container's each used to say it, in two wordings).
    let err = out.stderr();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("WARN[") && err.contains("single-id mapping"),
        "{err}"
    );
    assert!(
        err.contains("usermod --add-subuids 100000-165535 --add-subgids 100000-165535 skiff-nosub"),
        "{err}"
    );
    assert_eq!(out.stdout().lines().count(), 1, "{}", out.stdout());
    // A detached run (the monitor forks again) and exec say it once too.
    let out = env
        .skiff(&["run", "-d", "--name", "d", IMG, "sleep", "60"])
        .success();
    assert_eq!(out.stderr().lines().count(), 1, "{}", out.stderr());
    let out = env.skiff(&["exec", "d", "true"]).success();
    assert!(out.stderr().lines().count() <= 1, "{}", out.stderr());
    env.skiff(&["rm", "-f", "-t", "0", "d"]).success();
}

#[test]
fn keep_id_keeps_the_users_uid() {
    let Some(env) = Env::rootless() else { return };
    ready(&env);
    let out = env
        .skiff(&["run", "--rm", "--userns=keep-id", IMG, "id", "-u"])
        .success();
    assert_eq!(out.stdout().trim(), env.uid().to_string());
}

both!(twenty_concurrent_runs, |env: &Env| {
    ready(env);
    let script = format!(
        "for i in $(seq 1 20); do {bin} --root {root} --runroot {run} run --rm {IMG} echo ok$i > out.$i 2> err.$i & done; wait; cat out.* | sort | tr '\\n' ' '",
        bin = common::skiff_bin().display(),
        root = env.root_dir().display(),
        run = env.runroot_dir().display()
    );
    let out = env.run_as(&["sh", "-c", &script]).success();
    let stdout = out.stdout();
    let got: Vec<&str> = stdout.split_whitespace().collect();
    assert_eq!(got.len(), 20, "some runs failed: {}", out.stdout());
    assert_eq!(container_dirs(env), 0);
});

both!(files_in_and_out, |env: &Env| {
    ready(env);
    env.skiff(&[
        "run",
        "--name",
        "changer",
        IMG,
        "sh",
        "-c",
        "echo new > /root/added; rm /etc/group; echo changed >> /etc/passwd",
    ])
    .success();
    // diff: A added, C changed, D deleted.
    let diff = env.skiff(&["diff", "changer"]).success().stdout();
    for want in ["A /root/added", "C /etc/passwd", "D /etc/group", "C /etc"] {
        assert!(
            diff.lines().any(|l| l == want),
            "missing {want:?} in\n{diff}"
        );
    }
    // cp out of a stopped container, and into it.
    let out_dir = env.path().join("out");
    env.run_as(&["mkdir", out_dir.to_str().unwrap()]).success();
    env.skiff(&["cp", "changer:/root/added", out_dir.to_str().unwrap()])
        .success();
    assert_eq!(
        std::fs::read_to_string(out_dir.join("added")).unwrap(),
        "new\n"
    );
    let host_file = env.write("host.txt", "from host\n");
    env.skiff(&["cp", host_file.to_str().unwrap(), "changer:/tmp/"])
        .success();
    // export shows the merged files; commit makes an image holding the changes.
    let tar = env.path().join("export.tar");
    env.skiff(&["export", "-o", tar.to_str().unwrap(), "changer"])
        .success();
    let listing = env
        .run_as(&["tar", "-tf", tar.to_str().unwrap()])
        .success()
        .stdout();
    assert!(
        listing
            .lines()
            .any(|l| l.trim_start_matches("./") == "root/added"),
        "{listing}"
    );
    assert!(
        !listing
            .lines()
            .any(|l| l.trim_start_matches("./") == "etc/group"),
        "deleted file exported"
    );
    let id = env
        .skiff(&[
            "commit",
            "-m",
            "snapshot",
            "-c",
            "CMD [\"cat\",\"/root/added\"]",
            "changer",
            "committed:v1",
        ])
        .success()
        .stdout();
    assert_eq!(id.trim().len(), 64);
    let out = env.skiff(&["run", "--rm", "committed:v1"]).success();
    assert_eq!(out.stdout(), "new\n");
    let out = env
        .skiff(&[
            "run",
            "--rm",
            "committed:v1",
            "sh",
            "-c",
            "cat /tmp/host.txt; test -e /etc/group || echo gone",
        ])
        .success();
    assert_eq!(out.stdout(), "from host\ngone\n");
    let hist = env
        .skiff(&["history", "--format", "{{.Comment}}", "committed:v1"])
        .success()
        .stdout();
    assert_eq!(hist.lines().next(), Some("snapshot"));
    // rename and prune.
    env.skiff(&["rename", "changer", "renamed"]).success();
    env.skiff(&["inspect", "--format", "{{.Name}}", "renamed"])
        .success()
        .stdout_has("renamed");
    env.skiff(&["container", "prune", "-f"]).success();
    assert_eq!(container_dirs(env), 0);
});

both!(cp_and_top_while_running, |env: &Env| {
    ready(env);
    env.skiff(&["run", "-d", "--name", "live", IMG, "sleep", "100"])
        .success();
    let host_file = env.write("in.txt", "inside\n");
    env.skiff(&["cp", host_file.to_str().unwrap(), "live:/tmp/in.txt"])
        .success();
    env.skiff(&["exec", "live", "cat", "/tmp/in.txt"])
        .success()
        .stdout_has("inside");
    let top = env.skiff(&["top", "live"]).success().stdout();
    assert!(top.lines().next().unwrap().contains("PID"), "{top}");
    assert!(top.lines().any(|l| l.contains("sleep 100")), "{top}");
    // USER is the container's user, by its name in the container's /etc/passwd (Podman's),
    // not the host's uid (rootless: a subordinate id).
    let user_of = |top: &str, cmd: &str| -> String {
        let line = top.lines().find(|l| l.contains(cmd)).unwrap_or_default();
        line.split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(user_of(&top, "sleep 100"), "root", "{top}");
    env.skiff(&["exec", "-d", "-u", "nobody", "live", "sleep", "77"])
        .success();
    env.skiff(&["exec", "-d", "-u", "4242", "live", "sleep", "78"])
        .success();
    let top = env.skiff(&["top", "live"]).success().stdout();
    assert_eq!(user_of(&top, "sleep 77"), "nobody", "{top}");
    assert_eq!(user_of(&top, "sleep 78"), "4242", "{top}");
    // A volume in use cannot be removed.
    env.skiff(&["rm", "-f", "live"]).success();
    assert_eq!(container_dirs(env), 0);
});

both!(security_options, |env: &Env| {
    ready(env);
    // Default capabilities: chown works, raw sockets and mknod do not (no CAP_NET_RAW/MKNOD).
    env.skiff(&[
        "run",
        "--rm",
        IMG,
        "sh",
        "-c",
        "touch /tmp/f && chown 1:1 /tmp/f",
    ])
    .success();
    env.skiff(&[
        "run",
        "--rm",
        "--cap-drop",
        "all",
        IMG,
        "sh",
        "-c",
        "touch /tmp/f && chown 1:1 /tmp/f",
    ])
    .fails();
    env.skiff(&[
        "run",
        "--rm",
        "--cap-drop",
        "CHOWN",
        IMG,
        "sh",
        "-c",
        "touch /tmp/f && chown 1:1 /tmp/f",
    ])
    .fails();
    let caps = env
        .skiff(&[
            "run",
            "--rm",
            IMG,
            "sh",
            "-c",
            "grep CapBnd /proc/self/status",
        ])
        .success()
        .stdout();
    let default: u64 = u64::from_str_radix(caps.split_whitespace().nth(1).unwrap(), 16).unwrap();
    assert_eq!(
        default & (1 << 13),
        0,
        "CAP_NET_RAW in the default set: {caps}"
    );
    let caps = env
        .skiff(&[
            "run",
            "--rm",
            "--cap-add",
            "NET_RAW",
            IMG,
            "sh",
            "-c",
            "grep CapBnd /proc/self/status",
        ])
        .success()
        .stdout();
    let added: u64 = u64::from_str_radix(caps.split_whitespace().nth(1).unwrap(), 16).unwrap();
    assert_ne!(added & (1 << 13), 0, "--cap-add NET_RAW missing: {caps}");
    env.skiff(&["run", "--rm", "--cap-add", "CAP_BOGUS", IMG, "true"])
        .failure(125)
        .stderr_has("unknown capability");
    // Seccomp: on by default (mode 2), off when unconfined.
    let s = env
        .skiff(&["run", "--rm", IMG, "grep", "Seccomp:", "/proc/self/status"])
        .success()
        .stdout();
    assert!(s.contains('2'), "{s}");
    let s = env
        .skiff(&[
            "run",
            "--rm",
            "--security-opt",
            "seccomp=unconfined",
            IMG,
            "grep",
            "Seccomp:",
            "/proc/self/status",
        ])
        .success()
        .stdout();
    assert!(s.contains('0'), "{s}");
    let s = env
        .skiff(&[
            "run",
            "--rm",
            "--security-opt",
            "no-new-privileges",
            IMG,
            "grep",
            "NoNewPrivs",
            "/proc/self/status",
        ])
        .success()
        .stdout();
    assert!(s.contains('1'), "{s}");
    // Masked paths hide host information.
    let out = env
        .skiff(&[
            "run",
            "--rm",
            IMG,
            "sh",
            "-c",
            "cat /proc/timer_list | wc -c",
        ])
        .success()
        .stdout();
    assert_eq!(out.trim(), "0");
});

both!(environment_and_exec_options, |env: &Env| {
    ready(env);
    let envfile = env.write("vars.env", "# comment\nFROM_FILE=yes\nOVERRIDE=file\n");
    let out = env
        .skiff(&[
            "run",
            "--rm",
            "--env-file",
            envfile.to_str().unwrap(),
            "-e",
            "OVERRIDE=flag",
            IMG,
            "sh",
            "-c",
            "echo $FROM_FILE $OVERRIDE $HOME $HOSTNAME",
        ])
        .success()
        .stdout();
    let words: Vec<&str> = out.split_whitespace().collect();
    assert_eq!(&words[..3], &["yes", "flag", "/root"], "{out}");
    // A pid 1 that handles SIGTERM, so kill -s TERM and restart stop it at once.
    env.skiff(&[
        "run",
        "-d",
        "--name",
        "box",
        IMG,
        "sh",
        "-c",
        "trap 'exit 0' TERM; while true; do sleep 0.1; done",
    ])
    .success();
    let out = env
        .skiff(&[
            "exec",
            "-u",
            "nobody",
            "-w",
            "/tmp",
            "-e",
            "X=1",
            "box",
            "sh",
            "-c",
            "echo $(id -u) $(pwd) $X",
        ])
        .success();
    assert_eq!(out.stdout().trim(), "65534 /tmp 1");
    env.skiff(&["exec", "-d", "box", "sh", "-c", "echo bg > /tmp/bg"])
        .success();
    std::thread::sleep(Duration::from_millis(300));
    env.skiff(&["exec", "box", "cat", "/tmp/bg"])
        .success()
        .stdout_has("bg");
    // kill -s, restart, stop --all.
    env.skiff(&["kill", "-s", "TERM", "box"]).success();
    env.skiff(&["wait", "box"]).success();
    env.skiff(&["restart", "box"]).success();
    env.skiff(&["ps", "--filter", "status=running", "--format", "{{.Names}}"])
        .success()
        .stdout_has("box");
    env.skiff(&["stop", "--all", "-t", "0"]).success();
    env.skiff(&["ps", "-q"]).success();
    assert_eq!(env.skiff(&["ps", "-q"]).success().stdout(), "");
    env.skiff(&["rm", "--all"]).success();
});

both!(tty_gets_a_terminal, |env: &Env| {
    ready(env);
    // `script` gives skiff a terminal of its own, as a user's shell would.
    let cmd = format!(
        "{} --root {} --runroot {} run --rm -t {IMG} sh -c 'tty; test -t 0 && echo stdin-is-tty'",
        common::skiff_bin().display(),
        env.root_dir().display(),
        env.runroot_dir().display()
    );
    let out = env
        .run_as(&["script", "-qec", &cmd, "/dev/null"])
        .success()
        .stdout();
    assert!(
        out.contains("/dev/pts/0") && out.contains("stdin-is-tty"),
        "{out}"
    );
});

both!(anonymous_volumes_go_with_rm_v, |env: &Env| {
    ready(env);
    env.skiff(&[
        "run",
        "--name",
        "anon",
        "-v",
        "/scratch",
        IMG,
        "sh",
        "-c",
        "echo x > /scratch/f",
    ])
    .success();
    let vols = env.skiff(&["volume", "ls", "-q"]).success().stdout();
    assert_eq!(vols.lines().count(), 1, "{vols}");
    env.skiff(&["volume", "rm", vols.trim()]).failure(2);
    env.skiff(&["rm", "-v", "anon"]).success();
    assert_eq!(env.skiff(&["volume", "ls", "-q"]).success().stdout(), "");
});

both!(attach_relays_stdin_and_output, |env: &Env| {
    ready(env);
    env.skiff(&[
        "run",
        "-d",
        "-i",
        "--name",
        "reader",
        IMG,
        "sh",
        "-c",
        "while read l; do echo \"got $l\"; [ \"$l\" = quit ] && exit 7; done",
    ])
    .success();
    let out = env
        .skiff_stdin(&["attach", "reader"], b"hello\nquit\n")
        .failure(7);
    assert_eq!(out.stdout(), "got hello\ngot quit\n");
    // Output only, for a container without -i; stderr stays stderr.
    env.skiff(&[
        "run",
        "-d",
        "--name",
        "talker",
        IMG,
        "sh",
        "-c",
        "sleep 0.5; echo out; echo err >&2; exit 3",
    ])
    .success();
    let out = env.skiff(&["attach", "talker"]).failure(3);
    assert_eq!(out.stdout(), "out\n");
    assert_eq!(out.stderr(), "err\n");
    // -dt: the terminal is the container's; attach through our own terminal (script).
    env.skiff(&[
        "run",
        "-d",
        "-t",
        "--name",
        "term",
        IMG,
        "sh",
        "-c",
        "read l; echo \"typed $l\"; tty",
    ])
    .success();
    let cmd = format!(
        "{} --root {} --runroot {} attach term",
        common::skiff_bin().display(),
        env.root_dir().display(),
        env.runroot_dir().display()
    );
    let out = env
        .run_as_stdin(&["script", "-qec", &cmd, "/dev/null"], b"abc\n")
        .success()
        .stdout();
    assert!(
        out.contains("typed abc") && out.contains("/dev/pts/0"),
        "{out}"
    );
    env.skiff(&["rm", "-a", "-f"]).success();
});

// `run -di` then `attach` at once, as scripts do: the attach socket listens before `run -d`
// returns, so the input reaches the process (attach used to find no socket yet and follow
// the log, never forwarding stdin: a hang).
both!(attach_right_after_run_di_forwards_input, |env: &Env| {
    ready(env);
    for i in 0..15 {
        let name = format!("r{i}");
        env.skiff(&[
            "run",
            "-d",
            "-i",
            "--name",
            &name,
            IMG,
            "sh",
            "-c",
            "read l; echo \"got $l\"",
        ])
        .success();
        let out = env.skiff_stdin(&["attach", &name], b"x\n").success();
        assert_eq!(out.stdout(), "got x\n", "run {i}");
        env.skiff(&["rm", &name]).success();
    }
});

// The runroot's state of a running container vanishes (a tmpfs emptied at logout, a
// cleaner): the container still reads as running, `stop` stops it and `rm` removes it. It
// used to read as Created, and `stop` printed its name and stopped nothing.
both!(
    a_running_container_survives_the_loss_of_its_runroot_state,
    |env: &Env| {
        ready(env);
        let id = env
            .skiff(&["run", "-d", "--name", "lost", IMG, "sleep", "1234567"])
            .success()
            .stdout()
            .trim()
            .to_string();
        let state = env
            .runroot_dir()
            .join("containers")
            .join(&id)
            .join("state.json");
        assert!(state.exists(), "{}", state.display());
        std::fs::remove_file(&state).unwrap();
        let status = env
            .skiff(&["inspect", "--format", "{{.State.Status}}", "lost"])
            .success()
            .stdout();
        assert_eq!(status.trim(), "running");
        env.skiff(&["stop", "-t", "1", "lost"]).success();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !leftover_processes("sleep 1234567").is_empty()
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert!(
            leftover_processes("sleep 1234567").is_empty(),
            "stop stopped nothing"
        );
        env.skiff(&["rm", "lost"]).success();
        assert_eq!(container_dirs(env), 0);
    }
);
