//! `skiff build` end to end, as root and as the unprivileged test user: real Dockerfiles
//! over the busybox test image, checked the way a user would check them (run the image and
//! read its files, inspect its config and history, watch the cache).

mod common;
#[path = "support/store.rs"]
#[macro_use]
mod store;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use common::{Env, Output};
use serde_json::{Value, json};
use store::inspect;

const BUSYBOX: &str = "localhost/skiff-test/busybox:latest";
const PATH_ENV: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// ---------------------------------------------------------------------------------------------
// Helpers.

fn load_busybox(env: &Env) {
    env.load_test_image("busybox.tar").success();
}

/// Writes `files` (relative path, contents) below the env directory in `dir`; returns `dir`
/// (commands run in the env directory, so it is a usable context argument).
fn context<'a>(env: &Env, dir: &'a str, files: &[(&str, &str)]) -> &'a str {
    for (rel, body) in files {
        env.write(&format!("{dir}/{rel}"), body);
    }
    dir
}

fn chmod(env: &Env, rel: &str, mode: u32) {
    common::set_mode(&env.path().join(rel), mode);
}

/// `skiff build ARGS...`.
fn build(env: &Env, args: &[&str]) -> Output {
    let mut argv = vec!["build"];
    argv.extend_from_slice(args);
    env.skiff(&argv)
}

/// The image id a successful build printed as its last stdout line (64 hex digits).
fn built_id(out: &Output) -> String {
    let stdout = out.stdout();
    let last = stdout.lines().last().unwrap_or_default().to_string();
    assert!(
        last.len() == 64 && last.bytes().all(|b| b.is_ascii_hexdigit()),
        "the last stdout line is not an image id: {last:?}\n{out}"
    );
    last
}

/// `skiff run --rm IMAGE ARGS...`, its stdout.
fn run(env: &Env, image: &str, args: &[&str]) -> String {
    let mut argv = vec!["run", "--rm", image];
    argv.extend_from_slice(args);
    env.skiff(&argv).success().stdout()
}

/// `skiff run --rm IMAGE sh -c SCRIPT`, its stdout.
fn sh(env: &Env, image: &str, script: &str) -> String {
    run(env, image, &["sh", "-c", script])
}

/// The image's `Config` object.
fn config(env: &Env, image: &str) -> Value {
    inspect(env, image)["Config"].clone()
}

fn history(env: &Env, image: &str) -> Vec<Value> {
    inspect(env, image)["History"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn absent_or_null(v: &Value) -> bool {
    v.is_null() || v.as_array().is_some_and(|a| a.is_empty())
}

/// One `STEP n/m: ...` of a build's output and the lines printed under it.
#[derive(Debug)]
struct Step {
    /// `k` of a `[k/s] ` prefix (multi-stage files).
    stage: Option<usize>,
    n: usize,
    total: usize,
    text: String,
    body: Vec<String>,
}

impl Step {
    fn cached(&self) -> bool {
        self.body.iter().any(|l| l.starts_with("--> Using cache "))
    }

    fn printed(&self, line: &str) -> bool {
        self.body.iter().any(|l| l == line)
    }
}

fn steps(stdout: &str) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::new();
    for line in stdout.lines() {
        let (stage, rest) = match line.strip_prefix('[').and_then(|r| r.split_once("] ")) {
            Some((k, rest)) if rest.starts_with("STEP ") => {
                (k.split('/').next().and_then(|k| k.parse().ok()), rest)
            }
            _ => (None, line),
        };
        let parsed = rest.strip_prefix("STEP ").and_then(|r| {
            let (nums, text) = r.split_once(": ")?;
            let (n, total) = nums.split_once('/')?;
            Some((n.parse().ok()?, total.parse().ok()?, text.to_string()))
        });
        match parsed {
            Some((n, total, text)) => out.push(Step {
                stage,
                n,
                total,
                text,
                body: Vec::new(),
            }),
            None => {
                if let Some(s) = out.last_mut() {
                    s.body.push(line.to_string());
                }
            }
        }
    }
    out
}

/// The step numbers (of a one-stage build) that printed `--> Using cache`.
fn cached_steps(out: &Output) -> Vec<usize> {
    steps(&out.stdout())
        .iter()
        .filter(|s| s.cached())
        .map(|s| s.n)
        .collect()
}

/// A whole stdout line equal to `line` outside the STEP headers (RUN output, not the
/// instruction's own text).
fn printed(out: &Output, line: &str) -> bool {
    steps(&out.stdout()).iter().any(|s| s.printed(line))
}

/// Every image id in the store, intermediate ones included.
fn all_image_ids(env: &Env) -> Vec<String> {
    let mut ids: Vec<String> = env
        .skiff(&["images", "-a", "-q", "--no-trunc"])
        .success()
        .lines();
    ids.sort();
    ids.dedup();
    ids
}

fn image_exists(env: &Env, name: &str) -> bool {
    env.skiff(&["image", "exists", name]).code() == Some(0)
}

/// The store's tmp/ holds nothing after a command (missing is fine).
fn assert_tmp_empty(env: &Env) {
    let tmp = env.root_dir().join("tmp");
    let left: Vec<String> = match std::fs::read_dir(&tmp) {
        Ok(rd) => rd
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    assert!(left.is_empty(), "left in {}: {left:?}", tmp.display());
}

/// The one `Error: ` line of a failed command's stderr.
fn error_line(out: &Output) -> String {
    let stderr = out.stderr();
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("Error: "))
        .collect();
    assert_eq!(
        errors.len(),
        1,
        "want exactly one `Error: ` line{}",
        out.report("")
    );
    errors[0].to_string()
}

// ---------------------------------------------------------------------------------------------
// 1. One Dockerfile using most instructions.

const FULL: &str = r#"FROM localhost/skiff-test/busybox
MAINTAINER Jane Doe <jane@example.com>
RUN echo 'app:x:1234:1234::/home/app:/bin/sh' >> /etc/passwd && echo 'app:x:1234:' >> /etc/group && echo 'staff2:x:2345:' >> /etc/group && echo run-$((40+2))
WORKDIR /srv/app
COPY a.txt /plain.txt
COPY --chown=1234:1234 a.txt /numeric.txt
COPY --chown=app:staff2 b.txt /named.txt
COPY --chmod=0755 script.sh /usr/local/bin/script.sh
COPY dir /copied/
COPY *.txt /dst/
COPY a.txt rel.txt
ENV GREETING="hello world" OTHER=1
LABEL org.example.key=value "with space"="x y"
EXPOSE 8080 53/udp
VOLUME ["/data"]
USER app
HEALTHCHECK --interval=5s --timeout=3s --retries=2 CMD wget -q -O- localhost || exit 1
STOPSIGNAL SIGQUIT
CMD echo from-cmd $GREETING
"#;

both!(full_dockerfile_files_config_and_history, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "full",
        &[
            ("Dockerfile", FULL),
            ("a.txt", "alpha\n"),
            ("b.txt", "bravo\n"),
            ("script.sh", "#!/bin/sh\necho script-ran\n"),
            ("dir/inner.txt", "inner\n"),
            ("dir/sub/deep.txt", "deep\n"),
        ],
    );
    for f in ["a.txt", "b.txt", "script.sh", "dir/inner.txt"] {
        chmod(env, &format!("full/{f}"), 0o644);
    }
    let out = build(env, &["-t", "full", ctx]).success();
    let id = built_id(&out);
    let stdout = out.stdout();

    // The steps, numbered, each instruction as written, every one but FROM committed.
    let lines: Vec<&str> = FULL.lines().collect();
    let got = steps(&stdout);
    assert_eq!(got.len(), lines.len(), "{stdout}");
    for (i, (step, line)) in got.iter().zip(&lines).enumerate() {
        assert_eq!(
            (step.stage, step.n, step.total, step.text.as_str()),
            (None, i + 1, lines.len(), *line),
            "{stdout}"
        );
        if i > 0 {
            assert!(
                step.body.iter().any(|l| l.len() == 16
                    && l.starts_with("--> ")
                    && l[4..].bytes().all(|b| b.is_ascii_hexdigit())),
                "step {} shows no `--> ID`:\n{stdout}",
                i + 1
            );
        }
    }
    assert!(got[2].printed("run-42"), "RUN output not shown:\n{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l == "Successfully tagged localhost/full:latest"),
        "{stdout}"
    );
    assert!(stdout.lines().any(|l| l.starts_with("COMMIT ")), "{stdout}");
    assert_eq!(inspect(env, "full")["Id"], id.as_str());

    // Files: content, owner, mode.
    let img = "localhost/full";
    assert_eq!(
        run(
            env,
            img,
            &["cat", "/plain.txt", "/numeric.txt", "/named.txt", "rel.txt"]
        ),
        "alpha\nalpha\nbravo\nalpha\n"
    );
    assert_eq!(
        run(
            env,
            img,
            &[
                "stat",
                "-c",
                "%u:%g %a %n",
                "/plain.txt",
                "/numeric.txt",
                "/named.txt",
                "/usr/local/bin/script.sh",
                "/srv/app/rel.txt",
            ]
        ),
        "0:0 644 /plain.txt\n1234:1234 644 /numeric.txt\n1234:2345 644 /named.txt\n\
         0:0 755 /usr/local/bin/script.sh\n0:0 644 /srv/app/rel.txt\n"
    );
    assert_eq!(run(env, img, &["/usr/local/bin/script.sh"]), "script-ran\n");
    // A directory source copies its contents, not the directory itself.
    assert_eq!(
        sh(env, img, "cd /copied && find . | sort && cat sub/deep.txt"),
        ".\n./inner.txt\n./sub\n./sub/deep.txt\ndeep\n"
    );
    // The wildcard matched the two .txt files of the context root only.
    assert_eq!(run(env, img, &["ls", "/dst"]), "a.txt\nb.txt\n");
    // USER and WORKDIR apply to the container; the default command is CMD through the shell.
    assert_eq!(sh(env, img, "id -u; id -g; pwd"), "1234\n1234\n/srv/app\n");
    assert_eq!(run(env, img, &[]), "from-cmd hello world\n");

    // The config, exactly as set.
    let v = inspect(env, img);
    let cfg = &v["Config"];
    assert!(absent_or_null(&cfg["Entrypoint"]), "{cfg:#}");
    assert_eq!(
        cfg["Cmd"],
        json!(["/bin/sh", "-c", "echo from-cmd $GREETING"])
    );
    assert_eq!(
        cfg["Env"],
        json!([PATH_ENV, "GREETING=hello world", "OTHER=1"])
    );
    assert_eq!(cfg["User"], "app");
    assert_eq!(cfg["WorkingDir"], "/srv/app");
    assert_eq!(cfg["ExposedPorts"], json!({"8080/tcp": {}, "53/udp": {}}));
    assert_eq!(cfg["Volumes"], json!({"/data": {}}));
    assert_eq!(
        cfg["Labels"],
        json!({"org.example.key": "value", "with space": "x y"})
    );
    assert_eq!(v["Labels"], cfg["Labels"]);
    assert_eq!(cfg["StopSignal"], "SIGQUIT");
    assert_eq!(
        cfg["Healthcheck"],
        json!({
            "Test": ["CMD-SHELL", "wget -q -O- localhost || exit 1"],
            "Interval": 5_000_000_000u64,
            "Timeout": 3_000_000_000u64,
            "Retries": 2
        })
    );
    assert_eq!(v["Author"], "Jane Doe <jane@example.com>");

    // History: the base's entries, then one per instruction after FROM.
    let base = history(env, BUSYBOX).len();
    let hist = history(env, img);
    assert_eq!(hist.len(), base + lines.len() - 1, "{hist:#?}");
    let copy_dests = [
        "/plain.txt",
        "/numeric.txt",
        "/named.txt",
        "/usr/local/bin/script.sh",
        "/copied/",
        "/dst/",
        "/srv/app/rel.txt",
    ];
    let mut copies = copy_dests.iter();
    for (h, line) in hist[base..].iter().zip(&lines[1..]) {
        let created_by = h["created_by"].as_str().unwrap_or_default();
        let empty = h["empty_layer"].as_bool().unwrap_or(false);
        if let Some(cmd) = line.strip_prefix("RUN ") {
            assert_eq!(created_by, format!("/bin/sh -c {cmd}"));
            assert!(!empty, "{h}");
        } else if line.starts_with("COPY ") {
            let dest = copies.next().unwrap();
            assert!(
                created_by.starts_with("/bin/sh -c #(nop) COPY ")
                    && created_by.ends_with(&format!(" in {dest} ")),
                "{line}: {created_by:?}"
            );
            assert!(!empty, "{h}");
        } else {
            assert_eq!(created_by, format!("/bin/sh -c #(nop) {line}"));
            // WORKDIR may carry the layer that creates its directory (BuildKit's mkdir);
            // the count of layers against non-empty entries below keeps it honest.
            if !line.starts_with("WORKDIR ") {
                assert!(empty, "{line}: not an empty layer: {h}");
            }
        }
    }
    // Two of the COPY lines show what they copied: a directory and several files.
    assert!(
        hist[base..]
            .iter()
            .any(|h| h["created_by"].as_str().unwrap().contains(" COPY dir:")),
        "{hist:#?}"
    );
    assert!(
        hist[base..]
            .iter()
            .any(|h| h["created_by"].as_str().unwrap().contains(" COPY multi:")),
        "{hist:#?}"
    );
    let non_empty = hist
        .iter()
        .filter(|h| !h["empty_layer"].as_bool().unwrap_or(false))
        .count();
    assert_eq!(
        v["RootFS"]["Layers"].as_array().unwrap().len(),
        non_empty,
        "one layer per non-empty history entry"
    );
    assert_tmp_empty(env);
});

both!(entrypoint_cmd_and_shell, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "ep",
        &[
            (
                "exec.Dockerfile",
                "FROM localhost/skiff-test/busybox\nENTRYPOINT [\"/bin/echo\", \"entry\"]\nHEALTHCHECK NONE\n",
            ),
            (
                "keep.Dockerfile",
                "FROM localhost/skiff-test/busybox\nCMD [\"kept\"]\nENTRYPOINT echo shell-entry\n\
                 HEALTHCHECK --start-period=1m CMD [\"/bin/true\", \"x\"]\n",
            ),
            (
                "shell.Dockerfile",
                "FROM localhost/skiff-test/busybox\nSHELL [\"/bin/sh\", \"-xc\"]\n\
                 RUN echo traced-run > /traced\nCMD echo traced-cmd\n",
            ),
        ],
    );
    // ENTRYPOINT clears the CMD inherited from the base image (busybox's ["sh"]).
    build(env, &["-t", "exec", "-f", "ep/exec.Dockerfile", ctx]).success();
    let cfg = config(env, "exec");
    assert_eq!(cfg["Entrypoint"], json!(["/bin/echo", "entry"]));
    assert!(absent_or_null(&cfg["Cmd"]), "{cfg:#}");
    assert_eq!(cfg["Healthcheck"], json!({"Test": ["NONE"]}));
    assert_eq!(run(env, "localhost/exec", &[]), "entry\n");
    assert_eq!(run(env, "localhost/exec", &["a", "b"]), "entry a b\n");

    // A CMD of the same stage stays; shell-form ENTRYPOINT goes through /bin/sh -c.
    build(env, &["-t", "keep", "-f", "ep/keep.Dockerfile", ctx]).success();
    let cfg = config(env, "keep");
    assert_eq!(
        cfg["Entrypoint"],
        json!(["/bin/sh", "-c", "echo shell-entry"])
    );
    assert_eq!(cfg["Cmd"], json!(["kept"]));
    assert_eq!(
        cfg["Healthcheck"],
        json!({"Test": ["CMD", "/bin/true", "x"], "StartPeriod": 60_000_000_000u64})
    );
    assert_eq!(run(env, "localhost/keep", &[]), "shell-entry\n");

    // SHELL changes how later RUN and CMD shell forms run.
    let out = build(env, &["-t", "shell", "-f", "ep/shell.Dockerfile", ctx]).success();
    let all = out.stdout() + &out.stderr();
    assert!(
        all.lines().any(|l| l == "+ echo traced-run"),
        "RUN did not run through `sh -xc`:\n{out}"
    );
    let cfg = config(env, "shell");
    assert_eq!(cfg["Cmd"], json!(["/bin/sh", "-xc", "echo traced-cmd"]));
    assert_eq!(
        run(env, "localhost/shell", &["cat", "/traced"]),
        "traced-run\n"
    );
    let out = env.skiff(&["run", "--rm", "localhost/shell"]).success();
    assert_eq!(out.stdout(), "traced-cmd\n");
    assert!(out.stderr().contains("+ echo traced-cmd"), "{out}");
});

both!(workdir_creates_the_directory, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "wd",
        &[(
            "Dockerfile",
            "FROM localhost/skiff-test/busybox\nWORKDIR /made/by/workdir\nWORKDIR sub\n\
             RUN pwd > /pwd-from-run\nWORKDIR /last/one\n",
        )],
    );
    build(env, &["-t", "wd", ctx]).success();
    assert_eq!(config(env, "wd")["WorkingDir"], "/last/one");
    // RUN runs in the new directory; the last WORKDIR is created too, though nothing
    // follows it ("If the WORKDIR doesn't exist, it will be created even if it's not used
    // in any subsequent Dockerfile instruction", Docker's reference). Looked at from / so
    // that the runtime need not create the working directory itself.
    let out = env
        .skiff(&[
            "run",
            "--rm",
            "-w",
            "/",
            "localhost/wd",
            "sh",
            "-c",
            "cat /pwd-from-run; test -d /last/one && echo exists",
        ])
        .success();
    assert_eq!(out.stdout(), "/made/by/workdir/sub\nexists\n");
    let v = inspect(env, "wd");
    let non_empty = v["History"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| !h["empty_layer"].as_bool().unwrap_or(false))
        .count();
    assert_eq!(v["RootFS"]["Layers"].as_array().unwrap().len(), non_empty);

    // A directory an earlier step deleted does not exist any more: WORKDIR makes it again.
    env.write(
        "wd/gone.Dockerfile",
        "FROM localhost/skiff-test/busybox\nRUN rm -r /home/user\nWORKDIR /home/user\n",
    );
    build(env, &["-t", "wdgone", "-f", "wd/gone.Dockerfile", ctx]).success();
    let out = env
        .skiff(&[
            "run",
            "--rm",
            "-w",
            "/",
            "localhost/wdgone",
            "sh",
            "-c",
            "test -d /home/user && echo exists",
        ])
        .success();
    assert_eq!(out.stdout(), "exists\n");
});

// ---------------------------------------------------------------------------------------------
// 2. Multi-stage.

const MULTI: &str = "FROM localhost/skiff-test/busybox AS builder
RUN mkdir -p /out && echo built-binary > /out/bin && echo builder-only > /builder-file && echo builder-$((1+1))

FROM localhost/skiff-test/busybox AS unused
RUN echo unused-$((2+2)) && exit 1

FROM localhost/skiff-test/busybox
COPY --from=builder /out/bin /bin/x
COPY --from=0 /builder-file /from-index
COPY --from=localhost/skiff-test/busybox /etc/group /from-image-group
RUN echo final-$((3+3))
";

both!(
    multi_stage_copy_from_target_and_unused_stage,
    |env: &Env| {
        load_busybox(env);
        let ctx = context(env, "ms", &[("Dockerfile", MULTI)]);
        let out = build(env, &["-t", "final", ctx]).success();
        let stdout = out.stdout();
        let got = steps(&stdout);
        // Stage 2 is not used by the target: never built, its failing RUN never runs.
        assert!(got.iter().all(|s| s.stage != Some(2)), "{stdout}");
        assert!(!printed(&out, "unused-4"), "{stdout}");
        assert!(
            stdout
                .lines()
                .any(|l| l == "[1/3] STEP 1/2: FROM localhost/skiff-test/busybox AS builder"),
            "{stdout}"
        );
        assert!(
            stdout
                .lines()
                .any(|l| l == "[3/3] STEP 2/5: COPY --from=builder /out/bin /bin/x"),
            "{stdout}"
        );
        assert!(
            printed(&out, "builder-2") && printed(&out, "final-6"),
            "{stdout}"
        );

        let img = "localhost/final";
        assert_eq!(run(env, img, &["cat", "/bin/x"]), "built-binary\n");
        assert_eq!(run(env, img, &["cat", "/from-index"]), "builder-only\n");
        assert_eq!(
            run(env, img, &["cat", "/from-image-group"]),
            run(env, BUSYBOX, &["cat", "/etc/group"])
        );
        // Only what was copied crosses over.
        assert_eq!(
            sh(
                env,
                img,
                "for f in /builder-file /out; do test -e $f && echo has $f; done; echo done"
            ),
            "done\n"
        );

        // --target builds the named stage only.
        let out = build(env, &["-t", "stage1", "--target", "builder", ctx]).success();
        let stdout = out.stdout();
        assert!(
            steps(&stdout).iter().all(|s| s.stage == Some(1)),
            "only stage 1 should run:\n{stdout}"
        );
        assert!(!printed(&out, "final-6"), "{stdout}");
        assert_eq!(
            sh(
                env,
                "localhost/stage1",
                "cat /out/bin /builder-file; test -e /bin/x && echo has-x; true"
            ),
            "built-binary\nbuilder-only\n"
        );
    }
);

// ---------------------------------------------------------------------------------------------
// 3. The build cache.

const CACHED: &str = r#"FROM localhost/skiff-test/busybox
RUN echo out-$((20+2))
COPY a.txt /a.txt
RUN echo out-$((40+4)) && cat /a.txt
COPY b.txt /b.txt
ARG V=default
RUN echo out-$((70+7))-$V
COPY . /ctx/
"#;

both!(cache_hits_misses_and_invalidation, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "cache",
        &[
            ("Dockerfile", CACHED),
            ("a.txt", "a-one\n"),
            ("b.txt", "b-one\n"),
            ("ignored.txt", "ignored-one\n"),
            (".dockerignore", "ignored.txt\n"),
        ],
    );
    let all_steps: Vec<usize> = (2..=8).collect();

    // Cold.
    let cold = build(env, &["-t", "cached", ctx]).success();
    let id = built_id(&cold);
    assert!(cached_steps(&cold).is_empty(), "{cold}");
    for line in ["out-22", "out-44", "a-one", "out-77-default"] {
        assert!(printed(&cold, line), "{line} missing:\n{cold}");
    }
    assert_eq!(
        sh(env, "localhost/cached", "ls -A /ctx | sort"),
        ".dockerignore\nDockerfile\na.txt\nb.txt\n"
    );
    // Step images are there, hidden from `images`, shown by `images -a`.
    let named = env.skiff(&["images", "-q"]).success().lines().len();
    assert_eq!(named, 2, "busybox and the build");
    assert!(
        all_image_ids(env).len() > named + 3,
        "no intermediate images"
    );

    // Warm: every step after FROM from the cache, the same image, no RUN output.
    let warm = build(env, &["-t", "cached", ctx]).success();
    assert_eq!(cached_steps(&warm), all_steps, "{warm}");
    assert_eq!(built_id(&warm), id);
    for line in ["out-22", "out-44", "a-one", "out-77-default"] {
        assert!(!printed(&warm, line), "{line} ran again:\n{warm}");
    }

    // An ignored file does not count.
    env.write("cache/ignored.txt", "ignored-two\n");
    let out = build(env, &["-t", "cached", ctx]).success();
    assert_eq!(cached_steps(&out), all_steps, "{out}");
    assert_eq!(built_id(&out), id);

    // A changed file re-runs from the step that copies it.
    env.write("cache/b.txt", "b-two\n");
    let out = build(env, &["-t", "cached", ctx]).success();
    assert_eq!(cached_steps(&out), vec![2, 3, 4], "{out}");
    assert!(
        !printed(&out, "out-22") && !printed(&out, "out-44"),
        "{out}"
    );
    assert!(printed(&out, "out-77-default"), "{out}");
    assert_eq!(run(env, "localhost/cached", &["cat", "/b.txt"]), "b-two\n");

    env.write("cache/a.txt", "a-two\n");
    let out = build(env, &["-t", "cached", ctx]).success();
    assert_eq!(cached_steps(&out), vec![2], "{out}");
    assert!(printed(&out, "out-44") && printed(&out, "a-two"), "{out}");
    assert!(printed(&out, "out-77-default"), "{out}");

    // A build arg busts the RUN that sees it, not the steps before its ARG.
    let out = build(env, &["-t", "cached", "--build-arg", "V=other", ctx]).success();
    let cached = cached_steps(&out);
    assert!(
        [2, 3, 4, 5].iter().all(|n| cached.contains(n)),
        "steps before ARG should hit: {out}"
    );
    assert!(!cached.contains(&7), "{out}");
    assert!(printed(&out, "out-77-other"), "{out}");

    // --no-cache runs everything.
    let out = build(env, &["-t", "cached", "--no-cache", ctx]).success();
    assert!(cached_steps(&out).is_empty(), "{out}");
    for line in ["out-22", "out-44", "a-two", "out-77-default"] {
        assert!(printed(&out, line), "{line} missing:\n{out}");
    }
});

// ---------------------------------------------------------------------------------------------
// 4. ARG and ENV.

const ARGS: &str = r#"ARG BASE=localhost/skiff-test/busybox
ARG META=meta-default
FROM ${BASE}
ENV EARLY=[${LATER}]
RUN echo "early=[$LATER]" > /early
ARG LATER=later-default
ARG OVER=over-default
ARG SHADOW=from-arg
ENV SHADOW=from-env
RUN echo "later=[$LATER] over=[$OVER] shadow=[$SHADOW] meta=[$META]" > /vals && env | sort > /run-env
ARG META
RUN echo "meta=[$META]" > /meta
"#;

both!(args_and_env, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "args",
        &[
            ("Dockerfile", ARGS),
            ("args.env", "# a comment\nOVER=from-file\n\n"),
        ],
    );
    let out = build(
        env,
        &[
            "-t",
            "args",
            "--build-arg",
            "OVER=cli",
            "--build-arg",
            "UNUSED=x",
            "--build-arg",
            "http_proxy=http://proxy.invalid:3128",
            ctx,
        ],
    )
    .success();
    assert!(
        out.stderr()
            .contains("[Warning] one or more build args were not consumed: [UNUSED]"),
        "{out}"
    );
    // The meta ARG named the base image.
    assert!(
        out.stdout().lines().any(|l| l == "STEP 1/10: FROM ${BASE}"),
        "{out}"
    );
    let img = "localhost/args";
    assert_eq!(
        run(env, img, &["cat", "/early", "/vals", "/meta"]),
        "early=[]\n\
         later=[later-default] over=[cli] shadow=[from-env] meta=[]\n\
         meta=[meta-default]\n"
    );
    let run_env = run(env, img, &["cat", "/run-env"]);
    for want in [
        "LATER=later-default",
        "OVER=cli",
        "SHADOW=from-env",
        // Proxy args reach RUN without an ARG, and stay out of the history.
        "http_proxy=http://proxy.invalid:3128",
    ] {
        assert!(run_env.lines().any(|l| l == want), "{want}:\n{run_env}");
    }
    // Build args are not saved in the image's environment.
    assert_eq!(
        config(env, img)["Env"],
        json!([PATH_ENV, "EARLY=[]", "SHADOW=from-env"])
    );
    // RUN's history names the args it saw.
    let hist = history(env, img);
    assert!(
        !serde_json::to_string(&hist)
            .unwrap()
            .contains("proxy.invalid"),
        "{hist:#?}"
    );
    let vals = hist
        .iter()
        .filter_map(|h| h["created_by"].as_str())
        .find(|c| c.contains("> /vals"))
        .unwrap();
    assert!(
        vals.starts_with('|')
            && vals.contains(" LATER=later-default ")
            && vals.contains(" OVER=cli ")
            && vals.contains(" /bin/sh -c echo \"later="),
        "{vals}"
    );

    // --build-arg-file.
    let out = build(
        env,
        &["-t", "args2", "--build-arg-file", "args/args.env", ctx],
    )
    .success();
    assert!(!out.stderr().contains("not consumed"), "{out}");
    assert_eq!(
        run(env, "localhost/args2", &["cat", "/vals"]),
        "later=[later-default] over=[from-file] shadow=[from-env] meta=[]\n"
    );
});

// ---------------------------------------------------------------------------------------------
// 5. ADD.

both!(add_local_archives_and_files, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "add",
        &[
            (
                "Dockerfile",
                "FROM localhost/skiff-test/busybox\nADD archive.tar /x/\nADD archive.tar /z\n\
                 ADD archive.tar.gz /y/\nADD plain.txt /plain.txt\nADD fake.tar /fake/\n\
                 ADD archive.tar.xz archive.tar.bz2 /other-compressions/\n",
            ),
            ("plain.txt", "plain\n"),
            ("fake.tar", "not a tar\n"),
        ],
    );
    env.write("tarsrc/top/inner.txt", "in-tar\n");
    env.write("gzsrc/gz.txt", "in-gz\n");
    env.run_as(&[
        "tar",
        "--owner=0",
        "--group=0",
        "--numeric-owner",
        "-C",
        "tarsrc",
        "-cf",
        "add/archive.tar",
        "top",
    ])
    .success();
    env.run_as(&[
        "tar",
        "--owner=0",
        "--group=0",
        "--numeric-owner",
        "-C",
        "gzsrc",
        "-czf",
        "add/archive.tar.gz",
        "gz.txt",
    ])
    .success();
    for (flag, file) in [
        ("-cJf", "add/archive.tar.xz"),
        ("-cjf", "add/archive.tar.bz2"),
    ] {
        env.run_as(&[
            "tar",
            "--owner=0",
            "--group=0",
            "--numeric-owner",
            "-C",
            "gzsrc",
            flag,
            file,
            "gz.txt",
        ])
        .success();
    }
    build(env, &["-t", "add", ctx]).success();
    let img = "localhost/add";
    assert_eq!(
        run(
            env,
            img,
            &[
                "cat",
                "/x/top/inner.txt",
                "/z/top/inner.txt",
                "/y/gz.txt",
                "/plain.txt"
            ]
        ),
        "in-tar\nin-tar\nin-gz\nplain\n"
    );
    // Extracted, not copied as archives.
    assert_eq!(
        sh(env, img, "ls -A /x; ls -A /y; ls -A /z"),
        "top\ngz.txt\ntop\n"
    );
    // A file named .tar that is no archive is copied as it is.
    assert_eq!(run(env, img, &["cat", "/fake/fake.tar"]), "not a tar\n");
    // Docker and Podman also unpack xz and bzip2 tarballs.
    assert_eq!(
        run(env, img, &["ls", "-A", "/other-compressions"]),
        "gz.txt\n"
    );
});

/// A tiny HTTP server on 127.0.0.1 answering every GET with `body` (HEAD: headers only);
/// stopped when dropped.
struct HttpServer {
    port: u16,
    hits: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<thread::JoinHandle<()>>,
}

impl HttpServer {
    fn start(body: &'static [u8]) -> HttpServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let hits = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (h, s) = (Arc::clone(&hits), Arc::clone(&stop));
        let thread = thread::spawn(move || {
            for conn in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                h.fetch_add(1, Ordering::SeqCst);
                thread::spawn(move || serve_one(conn, body));
            }
        });
        HttpServer {
            port,
            hits,
            stop,
            thread: Some(thread),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve_one(conn: TcpStream, body: &[u8]) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(conn);
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line == "\r\n" || line == "\n" => break,
            Ok(_) => {}
        }
    }
    let mut conn = reader.into_inner();
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nContent-Type: text/plain\r\n\
         Last-Modified: Tue, 15 Nov 1994 08:12:31 GMT\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = conn.write_all(head.as_bytes());
    if !request.starts_with("HEAD ") {
        let _ = conn.write_all(body);
    }
    let _ = conn.flush();
}

const REMOTE: &[u8] = b"remote content\n";

both!(add_from_url_with_checksum, |env: &Env| {
    use sha2::{Digest, Sha256};
    load_busybox(env);
    let server = HttpServer::start(REMOTE);
    let sum = hex::encode(Sha256::digest(REMOTE));
    let url = server.url("/files/remote.txt");
    let good = format!(
        "FROM localhost/skiff-test/busybox\nADD {url} /downloads/\n\
         ADD --checksum=sha256:{sum} {url} /checked.txt\n\
         RUN wget -q -O /fetched-by-run {url}\n"
    );
    let bad = format!(
        "FROM localhost/skiff-test/busybox\nADD --checksum=sha256:{} {url} /bad.txt\n",
        "0".repeat(64)
    );
    let ctx = context(
        env,
        "url",
        &[("Dockerfile", &good), ("bad.Dockerfile", &bad)],
    );
    build(env, &["-t", "url", ctx]).success();
    // RUN has the host's network (the default): it reached the server too.
    assert!(server.hits.load(Ordering::SeqCst) >= 3);
    let img = "localhost/url";
    assert_eq!(
        run(
            env,
            img,
            &[
                "cat",
                "/downloads/remote.txt",
                "/checked.txt",
                "/fetched-by-run"
            ]
        ),
        "remote content\nremote content\nremote content\n"
    );
    // Docker gives a downloaded file mode 0600 and the server's Last-Modified time.
    assert_eq!(
        run(env, img, &["stat", "-c", "%a %Y", "/downloads/remote.txt"]),
        "600 784887151\n"
    );

    let before = all_image_ids(env);
    let out = build(env, &["-t", "bad", "-f", "url/bad.Dockerfile", ctx]).failure(125);
    let line = error_line(&out);
    assert!(
        line.contains("bad.Dockerfile:2") && line.contains("checksum"),
        "{out}"
    );
    assert!(!image_exists(env, "localhost/bad"));
    assert_eq!(all_image_ids(env), before, "a failed ADD made images");
    assert_tmp_empty(env);
    drop(server);
});

// ---------------------------------------------------------------------------------------------
// 6. RUN mounts, network, heredocs.

both!(run_mount_secret_stays_out_of_the_image, |env: &Env| {
    load_busybox(env);
    const SECRET: &str = "s3cr3t-value-91827";
    env.write("secret.txt", SECRET);
    let ctx = context(
        env,
        "secret",
        &[(
            "Dockerfile",
            "FROM localhost/skiff-test/busybox\n\
             RUN --mount=type=secret,id=mysecret tr a-z A-Z < /run/secrets/mysecret && echo && ls /run/secrets > /listing-at-build\n",
        )],
    );
    let out = build(
        env,
        &["-t", "sec", "--secret", "id=mysecret,src=secret.txt", ctx],
    )
    .success();
    // The secret was readable (shown upper-cased, so that the text itself is never printed).
    assert!(printed(&out, "S3CR3T-VALUE-91827"), "{out}");
    let img = "localhost/sec";
    assert_eq!(run(env, img, &["cat", "/listing-at-build"]), "mysecret\n");
    assert_eq!(
        sh(
            env,
            img,
            "test -e /run/secrets/mysecret && echo present || echo absent"
        ),
        "absent\n"
    );
    // Not in the history or the config, nor anywhere in the store.
    let hist = env
        .skiff(&["history", "--no-trunc", "--format", "json", img])
        .success()
        .stdout();
    let inspected = env.skiff(&["image", "inspect", img]).success().stdout();
    assert!(!hist.contains(SECRET) && !inspected.contains(SECRET));
    let root = env.root_dir();
    let grep = common::run_command(
        {
            let mut c = std::process::Command::new("grep");
            c.args(["-r", "-l", "-F", SECRET]).arg(&root);
            c
        },
        None,
    );
    assert_eq!(grep.code(), Some(1), "the secret is in the store:\n{grep}");

    // The value may come from an environment variable instead (env=, Docker's spelling).
    let mut cmd = env.skiff_command(&[
        "build",
        "--no-cache",
        "-t",
        "secenv",
        "--secret",
        "id=mysecret,env=SKIFF_TEST_SECRET",
        ctx,
    ]);
    cmd.env("SKIFF_TEST_SECRET", "from-the-env");
    let out = common::run_command(cmd, None).success();
    assert!(printed(&out, "FROM-THE-ENV"), "{out}");

    // Without --secret the mount has nothing to show: the build fails.
    let out = build(env, &["-t", "nosec", "--no-cache", ctx]).fails();
    error_line(&out);
    assert!(!image_exists(env, "localhost/nosec"));
});

both!(run_mount_cache_bind_tmpfs, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "mounts",
        &[
            (
                "write.Dockerfile",
                "FROM localhost/skiff-test/busybox\n\
                 RUN --mount=type=cache,target=/cache echo cached-$((1+1)) > /cache/stamp\n",
            ),
            (
                "read.Dockerfile",
                "FROM localhost/skiff-test/busybox\n\
                 RUN --mount=type=cache,target=/cache cat /cache/stamp > /seen\n\
                 RUN --mount=type=bind,source=data.txt,target=/mnt/data.txt cat /mnt/data.txt > /bound\n\
                 RUN --mount=type=tmpfs,target=/scratch grep ' /scratch ' /proc/mounts | cut -d' ' -f3 > /tmpfs-type && echo x > /scratch/f\n",
            ),
            ("data.txt", "bound data\n"),
        ],
    );
    build(env, &["-t", "w", "-f", "mounts/write.Dockerfile", ctx]).success();
    // The cache directory outlives the build that wrote it, even with --no-cache.
    build(
        env,
        &["-t", "r", "--no-cache", "-f", "mounts/read.Dockerfile", ctx],
    )
    .success();
    let img = "localhost/r";
    assert_eq!(
        run(env, img, &["cat", "/seen", "/bound", "/tmpfs-type"]),
        "cached-2\nbound data\ntmpfs\n"
    );
    // What was written into the mounts is not in the images.
    assert_eq!(
        sh(
            env,
            img,
            "for f in /cache/stamp /scratch/f /mnt/data.txt; do test -e $f && echo has $f; done; echo done"
        ),
        "done\n"
    );
    assert_eq!(
        sh(
            env,
            "localhost/w",
            "test -e /cache/stamp && echo has; echo done"
        ),
        "done\n"
    );

    // The bound file's content keys the step: a change re-runs it, nothing else does.
    let out = build(env, &["-t", "r", "-f", "mounts/read.Dockerfile", ctx]).success();
    assert_eq!(cached_steps(&out), vec![2, 3, 4], "{out}");
    env.write("mounts/data.txt", "changed data\n");
    let out = build(env, &["-t", "r", "-f", "mounts/read.Dockerfile", ctx]).success();
    assert_eq!(cached_steps(&out), vec![2], "{out}");
    assert_eq!(run(env, img, &["cat", "/bound"]), "changed data\n");
});

both!(run_network_none_and_heredocs, |env: &Env| {
    load_busybox(env);
    let ifaces = "sed -n '3,$p' /proc/net/dev | cut -d: -f1 | tr -d ' '";
    let df = format!(
        "FROM localhost/skiff-test/busybox\n\
         RUN --network=none {ifaces} > /nets\n\
         RUN <<EOF\n\
         echo heredoc-line-$((1+1)) > /heredoc-run\n\
         echo second >> /heredoc-run\n\
         EOF\n\
         RUN cat > /cat-heredoc <<EOT\n\
         line $((2+3))\n\
         EOT\n\
         COPY <<EOF /etc/heredoc-copy\n\
         hello from heredoc\n\
         EOF\n"
    );
    let ctx = context(
        env,
        "net",
        &[
            ("Dockerfile", &df),
            (
                "flag.Dockerfile",
                &format!("FROM localhost/skiff-test/busybox\nRUN {ifaces} > /nets\n"),
            ),
        ],
    );
    build(env, &["-t", "net", ctx]).success();
    let img = "localhost/net";
    assert_eq!(run(env, img, &["cat", "/nets"]), "lo\n");
    assert_eq!(
        run(
            env,
            img,
            &["cat", "/heredoc-run", "/cat-heredoc", "/etc/heredoc-copy"]
        ),
        "heredoc-line-2\nsecond\nline 5\nhello from heredoc\n"
    );
    // --network none applies to every RUN.
    build(
        env,
        &[
            "-t",
            "net2",
            "--network",
            "none",
            "-f",
            "net/flag.Dockerfile",
            ctx,
        ],
    )
    .success();
    assert_eq!(run(env, "localhost/net2", &["cat", "/nets"]), "lo\n");
});

// ---------------------------------------------------------------------------------------------
// 7. Output flags and inputs.

const SMALL: &str =
    "FROM localhost/skiff-test/busybox\nRUN echo quiet-$((5+5)) > /q\nCOPY f.txt /f.txt\n";

both!(tags_iidfile_and_quiet, |env: &Env| {
    load_busybox(env);
    let ctx = context(env, "tags", &[("Dockerfile", SMALL), ("f.txt", "f\n")]);
    let out = build(env, &["-t", "one", "-t", "two:v2", "--iidfile", "iid", ctx]).success();
    let id = built_id(&out);
    for t in ["localhost/one:latest", "localhost/two:v2"] {
        assert!(
            out.stdout()
                .lines()
                .any(|l| l == format!("Successfully tagged {t}")),
            "{out}"
        );
    }
    let v = inspect(env, "one");
    assert_eq!(v["Id"], id.as_str());
    assert_eq!(
        v["RepoTags"],
        json!(["localhost/one:latest", "localhost/two:v2"])
    );
    let iid = std::fs::read_to_string(env.path().join("iid")).unwrap();
    assert_eq!(iid, format!("sha256:{id}"));

    // -q: the id and nothing else, even from a RUN that runs.
    let out = build(env, &["-q", "--no-cache", "-t", "three", ctx]).success();
    let id3 = built_id(&out);
    assert_eq!(out.stdout(), format!("{id3}\n"));
    assert_eq!(inspect(env, "three")["Id"], id3.as_str());

    // Without -t: no name, but a build result, listed by `images` (not a hidden step).
    env.write(
        "tags/untagged.Dockerfile",
        "FROM localhost/skiff-test/busybox\nLABEL untagged=1\n",
    );
    let out = build(env, &["-f", "tags/untagged.Dockerfile", ctx]).success();
    let id4 = built_id(&out);
    assert!(!out.stdout().contains("Successfully tagged"), "{out}");
    let listed = env.skiff(&["images", "-q", "--no-trunc"]).success().lines();
    assert!(listed.contains(&format!("sha256:{id4}")), "{listed:?}");

    // The other spellings of the command.
    for cmd in [
        ["image", "build"],
        ["builder", "build"],
        ["buildx", "build"],
    ] {
        let out = env
            .skiff(&[cmd[0], cmd[1], "-q", "-t", "alias", ctx])
            .success();
        assert_eq!(out.stdout(), format!("{id}\n"), "{out}");
    }
});

both!(labels_annotations_env_and_format, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "meta",
        &[(
            "Dockerfile",
            "FROM localhost/skiff-test/busybox\nENV DROPME=1 KEEP=1\nLABEL from.file=yes\n",
        )],
    );
    build(
        env,
        &[
            "-t",
            "meta",
            "--label",
            "org.example.build=label-value",
            "--annotation",
            "org.example.ann=ann-value",
            "--env",
            "ADDED=yes",
            "--unsetenv",
            "DROPME",
            ctx,
        ],
    )
    .success();
    let v = inspect(env, "meta");
    assert_eq!(
        v["Labels"],
        json!({"from.file": "yes", "org.example.build": "label-value"})
    );
    assert_eq!(v["Annotations"]["org.example.ann"], "ann-value");
    assert_eq!(v["Config"]["Env"], json!([PATH_ENV, "KEEP=1", "ADDED=yes"]));
    assert_eq!(
        v["ManifestType"],
        "application/vnd.oci.image.manifest.v1+json"
    );

    build(env, &["-t", "dock", "--format", "docker", ctx]).success();
    let out = env
        .skiff(&["image", "inspect", "--format", "{{.ManifestType}}", "dock"])
        .success();
    assert_eq!(
        out.stdout().trim(),
        "application/vnd.docker.distribution.manifest.v2+json"
    );
    assert_eq!(
        config(env, "dock")["Env"],
        json!([PATH_ENV, "DROPME=1", "KEEP=1"])
    );
});

both!(layers_false_commits_one_layer, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "nolayers",
        &[
            (
                "Dockerfile",
                "FROM localhost/skiff-test/busybox\nRUN echo one > /one\nCOPY f.txt /f.txt\n\
                 ENV E=1\nRUN echo two > /two && rm /one\n",
            ),
            ("f.txt", "f\n"),
        ],
    );
    let out = build(env, &["-t", "flat", "--layers=false", ctx]).success();
    assert!(cached_steps(&out).is_empty(), "{out}");
    let v = inspect(env, "flat");
    let base_layers = inspect(env, BUSYBOX)["RootFS"]["Layers"]
        .as_array()
        .unwrap()
        .len();
    let layers = v["RootFS"]["Layers"].as_array().unwrap();
    assert_eq!(layers.len(), base_layers + 1, "{v:#}");
    let hist = v["History"].as_array().unwrap();
    let non_empty = hist
        .iter()
        .filter(|h| !h["empty_layer"].as_bool().unwrap_or(false))
        .count();
    assert_eq!(non_empty, layers.len(), "{hist:#?}");
    assert_eq!(
        sh(
            env,
            "localhost/flat",
            "cat /f.txt /two; test -e /one && echo has-one; echo $E"
        ),
        "f\ntwo\n1\n"
    );
    // Nothing cached: a second build runs again.
    let out = build(env, &["-t", "flat", "--layers=false", ctx]).success();
    assert!(cached_steps(&out).is_empty(), "{out}");

    // --squash: the new layers as one, over the base's.
    build(env, &["-t", "squashed", "--squash", ctx]).success();
    let v = inspect(env, "squashed");
    assert_eq!(
        v["RootFS"]["Layers"].as_array().unwrap().len(),
        base_layers + 1,
        "{v:#}"
    );
    assert_eq!(
        sh(
            env,
            "localhost/squashed",
            "cat /f.txt /two; test -e /one && echo has-one; echo $E"
        ),
        "f\ntwo\n1\n"
    );
});

both!(context_and_dockerfile_from_stdin, |env: &Env| {
    load_busybox(env);
    context(
        env,
        "tarctx",
        &[
            (
                "Dockerfile",
                "FROM localhost/skiff-test/busybox\nCOPY in-tar.txt /in-tar.txt\n",
            ),
            ("in-tar.txt", "from the tar\n"),
        ],
    );
    env.run_as(&["tar", "-C", "tarctx", "-cf", "ctx.tar", "."])
        .success();
    let tar = std::fs::read(env.path().join("ctx.tar")).unwrap();
    env.skiff_stdin(&["build", "-t", "fromtar", "-"], &tar)
        .success();
    assert_eq!(
        run(env, "localhost/fromtar", &["cat", "/in-tar.txt"]),
        "from the tar\n"
    );

    // -f -: the Dockerfile from stdin, the context a directory.
    let df = "FROM localhost/skiff-test/busybox\nCOPY in-tar.txt /copied.txt\nRUN echo stdin-df > /which\n";
    env.skiff_stdin(
        &["build", "-t", "dfstdin", "-f", "-", "tarctx"],
        df.as_bytes(),
    )
    .success();
    assert_eq!(
        run(env, "localhost/dfstdin", &["cat", "/copied.txt", "/which"]),
        "from the tar\nstdin-df\n"
    );

    // `-` with a Dockerfile instead of a tar: no context at all.
    let df = "FROM localhost/skiff-test/busybox\nRUN echo no-context > /which\n";
    env.skiff_stdin(&["build", "-t", "noctx", "-"], df.as_bytes())
        .success();
    assert_eq!(
        run(env, "localhost/noctx", &["cat", "/which"]),
        "no-context\n"
    );
    assert_tmp_empty(env);
});

both!(containerfile_preferred_over_dockerfile, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "both",
        &[
            (
                "Containerfile",
                "FROM localhost/skiff-test/busybox\nRUN echo containerfile > /which\n",
            ),
            (
                "Dockerfile",
                "FROM localhost/skiff-test/busybox\nRUN echo dockerfile > /which\n",
            ),
        ],
    );
    build(env, &["-t", "which", ctx]).success();
    assert_eq!(
        run(env, "localhost/which", &["cat", "/which"]),
        "containerfile\n"
    );
    // -f picks the other one.
    build(env, &["-t", "which2", "-f", "both/Dockerfile", ctx]).success();
    assert_eq!(
        run(env, "localhost/which2", &["cat", "/which"]),
        "dockerfile\n"
    );
});

// ---------------------------------------------------------------------------------------------
// 8. Bad input.

/// Builds `dockerfile` (written to `bad/<name>`), expecting failure with `code`; checks the
/// one `Error:` line names `needles`, that nothing was tagged and tmp/ is empty. Returns
/// the output.
fn bad_build(env: &Env, name: &str, dockerfile: &str, extra: &[&str], code: i32) -> Output {
    let path = format!("bad/{name}");
    env.write(&path, dockerfile);
    let mut args = vec!["-t", "bad", "-f", &path];
    args.extend_from_slice(extra);
    args.push("bad");
    let out = build(env, &args).failure(code);
    assert!(
        !image_exists(env, "localhost/bad"),
        "tagged after a failure"
    );
    assert_tmp_empty(env);
    out
}

#[test]
fn bad_input_fails_with_one_error_line() {
    let env = &Env::root();
    load_busybox(env);
    env.write("bad/a.txt", "a\n");
    env.write("outside.txt", "outside\n");
    let base_ids = all_image_ids(env);
    let one_line = |out: &Output, needles: &[&str]| {
        let line = error_line(out);
        for n in needles {
            assert!(
                line.contains(n),
                "{n:?} not in the error line{}",
                out.report("")
            );
        }
        assert_eq!(
            out.stderr().trim_end().lines().count(),
            1,
            "stderr is not one line{}",
            out.report("")
        );
    };

    // Parse errors: nothing runs, no image is made.
    let out = bad_build(
        env,
        "unknown",
        "FROM localhost/skiff-test/busybox\nRUN true\nFROBNICATE x\n",
        &[],
        125,
    );
    one_line(&out, &["bad/unknown:3", "FROBNICATE"]);
    assert!(!out.stdout().contains("STEP"), "{out}");
    assert_eq!(all_image_ids(env), base_ids);

    let out = bad_build(
        env,
        "heredoc",
        "FROM localhost/skiff-test/busybox\nRUN <<EOF\necho never\n",
        &[],
        125,
    );
    one_line(&out, &["bad/heredoc:2", "heredoc"]);
    assert_eq!(all_image_ids(env), base_ids);

    let out = bad_build(
        env,
        "target",
        "FROM localhost/skiff-test/busybox AS one\nRUN true\n",
        &["--target", "nosuchstage"],
        125,
    );
    one_line(&out, &["nosuchstage"]);
    assert_eq!(all_image_ids(env), base_ids);

    // Each: (context name, Dockerfile, extra flags, words the one error line must hold).
    let cases: [(&str, &str, &[&str], &[&str]); 6] = [
        // A --from that is no stage is an image; offline it is not known.
        (
            "from",
            "FROM localhost/skiff-test/busybox\nCOPY --from=missingstage /x /x\n",
            &["--pull=never"],
            &["bad/from:2", "missingstage"],
        ),
        // Sources outside the context, or matching nothing.
        (
            "outside",
            "FROM localhost/skiff-test/busybox\nCOPY ../outside.txt /x\n",
            &[],
            &["bad/outside:2"],
        ),
        (
            "nomatch",
            "FROM localhost/skiff-test/busybox\nCOPY nomatch*.txt /d/\n",
            &[],
            &["bad/nomatch:2"],
        ),
        (
            "missing",
            "FROM localhost/skiff-test/busybox\nCOPY a.txt /a\nCOPY missing.txt /d\n",
            &[],
            &["bad/missing:3", "missing.txt"],
        ),
        // Several sources need a directory destination (ending in /).
        (
            "multi",
            "FROM localhost/skiff-test/busybox\nCOPY a.txt a.txt /notdir\n",
            &[],
            &["bad/multi:2"],
        ),
        // A base image that is not there (and may not be pulled).
        (
            "nobase",
            "FROM localhost/skiff-test/nothing-here\nRUN true\n",
            &["--pull=never"],
            &["bad/nobase:1", "nothing-here"],
        ),
    ];
    for (name, dockerfile, extra, words) in cases {
        let out = bad_build(env, name, dockerfile, extra, 125);
        one_line(&out, words);
    }

    // No such Dockerfile.
    let out = build(env, &["-t", "bad", "-f", "bad/nope", "bad"]).failure(125);
    one_line(&out, &["nope"]);
    // No Dockerfile in the context.
    env.write("emptyctx/README", "nothing here\n");
    let out = build(env, &["-t", "bad", "emptyctx"]).failure(125);
    one_line(&out, &["emptyctx"]);
    assert!(!image_exists(env, "localhost/bad"));
    assert_tmp_empty(env);
}

both!(failing_run_exits_with_its_code, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "fail",
        &[(
            "Dockerfile",
            "FROM localhost/skiff-test/busybox\nRUN exit 3\nRUN echo never-$((1+1))\n",
        )],
    );
    let out = build(env, &["-t", "failed", ctx]).failure(3);
    let line = error_line(&out);
    assert_eq!(
        line,
        "Error: fail/Dockerfile:2: building at STEP \"RUN exit 3\": while running runtime: exit status 3",
        "{out}"
    );
    assert!(
        out.stdout().lines().any(|l| l == "STEP 2/3: RUN exit 3"),
        "{out}"
    );
    assert!(!out.stdout().contains("STEP 3/3"), "{out}");
    assert!(!printed(&out, "never-2"), "{out}");
    assert!(!image_exists(env, "localhost/failed"));
    assert_tmp_empty(env);
});

// ---------------------------------------------------------------------------------------------
// 9. Pruning.

both!(builder_prune_and_image_prune, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "prune",
        &[
            (
                "Dockerfile",
                "FROM localhost/skiff-test/busybox\nRUN echo prune-$((1+1)) | tee /p\nCOPY f.txt /f\nENV X=1\n",
            ),
            ("f.txt", "f\n"),
        ],
    );
    build(env, &["-t", "pruned", ctx]).success();
    let named = {
        let mut ids = env.skiff(&["images", "-q", "--no-trunc"]).success().lines();
        ids.sort();
        ids
    };
    assert_eq!(named.len(), 2);
    assert!(all_image_ids(env).len() > named.len());

    env.skiff(&["builder", "prune", "-f"]).success();
    assert_eq!(all_image_ids(env), named, "intermediate images left");
    assert_eq!(
        run(env, "localhost/pruned", &["cat", "/p", "/f"]),
        "prune-2\nf\n"
    );
    // The cache is gone: the next build runs every step.
    let out = build(env, &["-t", "pruned", ctx]).success();
    assert!(cached_steps(&out).is_empty(), "{out}");
    assert!(printed(&out, "prune-2"), "{out}");

    // image prune keeps what a tagged image's cache needs.
    env.skiff(&["image", "prune", "-f"]).success();
    let out = build(env, &["-t", "pruned", ctx]).success();
    assert_eq!(cached_steps(&out), vec![2, 3, 4], "{out}");
});

// ---------------------------------------------------------------------------------------------
// 10. ONBUILD.

both!(onbuild_triggers_run_in_the_child, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "onbuild",
        &[
            (
                "parent.Dockerfile",
                "FROM localhost/skiff-test/busybox\nONBUILD RUN echo triggered > /onbuild\n\
                 ONBUILD ENV FROM_TRIGGER=1\n",
            ),
            (
                "child.Dockerfile",
                "FROM localhost/parent\nRUN echo child > /child\n",
            ),
        ],
    );
    build(
        env,
        &["-t", "parent", "-f", "onbuild/parent.Dockerfile", ctx],
    )
    .success();
    let cfg = config(env, "parent");
    assert_eq!(
        cfg["OnBuild"],
        json!(["RUN echo triggered > /onbuild", "ENV FROM_TRIGGER=1"])
    );
    assert_eq!(
        sh(
            env,
            "localhost/parent",
            "test -e /onbuild && echo has; echo done"
        ),
        "done\n"
    );

    build(env, &["-t", "child", "-f", "onbuild/child.Dockerfile", ctx]).success();
    assert_eq!(
        run(env, "localhost/child", &["cat", "/onbuild", "/child"]),
        "triggered\nchild\n"
    );
    let cfg = config(env, "child");
    assert!(absent_or_null(&cfg["OnBuild"]), "{cfg:#}");
    assert!(
        cfg["Env"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e == "FROM_TRIGGER=1"),
        "{cfg:#}"
    );
});

// ---------------------------------------------------------------------------------------------
// More of what RUN and COPY leave in layers.

const LAYERS: &str = r#"FROM localhost/skiff-test/busybox
RUN echo 'app:x:1234:1234::/home/app:/bin/sh' >> /etc/passwd && echo 'app:x:1234:' >> /etc/group && mkdir /work && chown app:app /work
WORKDIR /work
USER app
RUN id -u > uid && pwd > pwd && touch made-by-app
USER root
RUN echo meta > /meta && chown 1000:1000 /meta && chmod 4750 /meta && ln /meta /meta-link && rm -r /root && rm -r /home/user && echo now-a-file > /home/user && rm /bin/vi && mkdir /bin/vi
RUN rm /work/made-by-app
USER 4321:4322
RUN id -u > /tmp/numeric && id -g >> /tmp/numeric
USER root
"#;

both!(
    run_layers_keep_owners_modes_links_and_deletions,
    |env: &Env| {
        load_busybox(env);
        let ctx = context(env, "layers", &[("Dockerfile", LAYERS)]);
        build(env, &["-t", "layers", ctx]).success();
        let img = "localhost/layers";
        // RUN runs as USER, in WORKDIR.
        assert_eq!(
            run(env, img, &["cat", "/work/uid", "/work/pwd"]),
            "1234\n/work\n"
        );
        assert_eq!(
            run(
                env,
                img,
                &["stat", "-c", "%u:%g %a %n", "/work", "/work/uid"]
            ),
            "1234:1234 755 /work\n1234:1234 644 /work/uid\n"
        );
        // Owner, setuid mode and a hard link survive the layer.
        assert_eq!(
            run(
                env,
                img,
                &["stat", "-c", "%u:%g %a %h %n", "/meta", "/meta-link"]
            ),
            "1000:1000 4750 2 /meta\n1000:1000 4750 2 /meta-link\n"
        );
        assert_eq!(run(env, img, &["cat", "/meta-link"]), "meta\n");
        // A numeric USER needs no passwd entry.
        assert_eq!(
            run(env, img, &["stat", "-c", "%u:%g", "/tmp/numeric"]),
            "4321:4322\n"
        );
        assert_eq!(run(env, img, &["cat", "/tmp/numeric"]), "4321\n4322\n");
        // Deletions and type changes of the base's files, and of an earlier step's file.
        assert_eq!(
            sh(
                env,
                img,
                "for p in /root /work/made-by-app; do test -e $p && echo has $p; done; \
             cat /home/user; test -d /bin/vi && echo vi-is-dir; ls -A /bin/vi | wc -l"
            ),
            "now-a-file\nvi-is-dir\n0\n"
        );
    }
);

both!(copy_destination_rules, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "dest",
        &[
            (
                "Dockerfile",
                "FROM localhost/skiff-test/busybox\nCOPY a.txt /tmp\nCOPY a.txt /newname\n\
                 COPY a.txt b.txt /multi/\nCOPY dir /tmp/dirdest\nCOPY dir/ /tmp/slashed/\n",
            ),
            ("a.txt", "a\n"),
            ("b.txt", "b\n"),
            ("dir/inner.txt", "inner\n"),
            (
                "custom.Dockerfile",
                "FROM localhost/skiff-test/busybox\nCOPY a.txt /custom\n",
            ),
        ],
    );
    chmod(env, "dest/a.txt", 0o644);
    let out = build(env, &["-t", "dest", ctx]).success();
    assert!(cached_steps(&out).is_empty());
    let img = "localhost/dest";
    // A file copied onto an existing directory goes inside it; onto a new path, it is
    // that path.
    assert_eq!(
        sh(
            env,
            img,
            "cat /tmp/a.txt /newname /multi/a.txt /multi/b.txt /tmp/dirdest/inner.txt /tmp/slashed/inner.txt; \
             test -f /newname && echo file"
        ),
        "a\na\na\nb\ninner\ninner\nfile\n"
    );

    // Touching a file keeps the cache; changing its mode does not.
    let path = env.path().join("dest/a.txt");
    let f = std::fs::File::options().write(true).open(&path).unwrap();
    f.set_modified(std::time::SystemTime::now() + Duration::from_secs(3600))
        .unwrap();
    drop(f);
    let out = build(env, &["-t", "dest", ctx]).success();
    assert_eq!(cached_steps(&out), vec![2, 3, 4, 5, 6], "{out}");
    chmod(env, "dest/a.txt", 0o755);
    let out = build(env, &["-t", "dest", ctx]).success();
    assert!(cached_steps(&out).is_empty(), "{out}");
    assert_eq!(run(env, img, &["stat", "-c", "%a", "/newname"]), "755\n");

    // -f names a file of the context when it is not a path from the working directory.
    build(env, &["-t", "custom", "-f", "custom.Dockerfile", ctx]).success();
    assert_eq!(run(env, "localhost/custom", &["cat", "/custom"]), "a\n");
});

const EXPAND: &str = r#"FROM localhost/skiff-test/busybox
ARG TARGETARCH
ENV abc=hello
ENV abc=bye def=$abc
ENV ghi=$abc
ENV NAME=world
ENV LEGACY value with  spaces
COPY <<EOF /expanded
hello $NAME ${def}
EOF
COPY <<"EOF" /literal
hello $NAME
EOF
RUN echo "arch=$TARGETARCH" > /arch
"#;

both!(env_and_heredoc_expansion, |env: &Env| {
    load_busybox(env);
    let ctx = context(env, "expand", &[("Dockerfile", EXPAND)]);
    build(env, &["-t", "expand", ctx]).success();
    let img = "localhost/expand";
    // Docker's documented example: an ENV sees the values from before its own line.
    let cfg = config(env, img);
    assert_eq!(
        cfg["Env"],
        json!([
            PATH_ENV,
            "abc=bye",
            "def=hello",
            "ghi=bye",
            "NAME=world",
            "LEGACY=value with  spaces"
        ])
    );
    assert_eq!(
        run(env, img, &["cat", "/expanded", "/literal"]),
        "hello world hello\nhello $NAME\n"
    );
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        other => other,
    };
    assert_eq!(run(env, img, &["cat", "/arch"]), format!("arch={arch}\n"));
});

const STAGES: &str = "FROM scratch AS files
COPY a.txt /a.txt
COPY dir /dir/

FROM localhost/skiff-test/busybox AS base
ENV FROM_BASE=1
RUN echo base > /base

FROM base
COPY --from=files / /fromscratch/
RUN echo $FROM_BASE > /seen
";

both!(from_scratch_and_from_an_earlier_stage, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "stages",
        &[
            ("Dockerfile", STAGES),
            ("a.txt", "a\n"),
            ("dir/inner.txt", "inner\n"),
        ],
    );
    chmod(env, "stages/a.txt", 0o644);
    chmod(env, "stages/dir/inner.txt", 0o644);
    chmod(env, "stages/dir", 0o755);
    build(env, &["-t", "scratchy", "--target", "files", ctx]).success();
    let v = inspect(env, "scratchy");
    assert_eq!(v["RootFS"]["Layers"].as_array().unwrap().len(), 2, "{v:#}");
    assert_eq!(v["History"].as_array().unwrap().len(), 2, "{v:#}");
    assert_eq!(
        store::merged_listing(env, "scratchy", "."),
        ". d 755 0:0 - - -\n./a.txt f 644 0:0 2 1 -\n./dir d 755 0:0 - - -\n./dir/inner.txt f 644 0:0 6 1 -\n"
    );

    build(env, &["-t", "derived", ctx]).success();
    let img = "localhost/derived";
    assert_eq!(
        run(
            env,
            img,
            &[
                "cat",
                "/base",
                "/seen",
                "/fromscratch/a.txt",
                "/fromscratch/dir/inner.txt"
            ]
        ),
        "base\n1\na\ninner\n"
    );
    assert!(
        config(env, img)["Env"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e == "FROM_BASE=1")
    );
});

both!(ignore_files, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "ign",
        &[
            (
                "Dockerfile",
                "FROM localhost/skiff-test/busybox\nCOPY . /ctx/\n",
            ),
            (".containerignore", "by-container\n"),
            (".dockerignore", "by-docker\n"),
            ("custom.ignore", "kept\nDockerfile\n"),
            ("by-container", "1"),
            ("by-docker", "2"),
            ("kept", "3"),
        ],
    );
    // .containerignore wins over .dockerignore (Podman's order).
    build(env, &["-t", "ign", ctx]).success();
    assert_eq!(
        sh(env, "localhost/ign", "ls -A /ctx | sort"),
        ".containerignore\n.dockerignore\nDockerfile\nby-docker\ncustom.ignore\nkept\n"
    );
    // --ignorefile replaces both.
    build(
        env,
        &["-t", "ign2", "--ignorefile", "ign/custom.ignore", ctx],
    )
    .success();
    assert_eq!(
        sh(env, "localhost/ign2", "ls -A /ctx | sort"),
        ".containerignore\n.dockerignore\nby-container\nby-docker\ncustom.ignore\n"
    );
    // An excluded file named by COPY does not exist.
    env.write(
        "ign/copy-ignored.Dockerfile",
        "FROM localhost/skiff-test/busybox\nCOPY by-container /x\n",
    );
    let out = build(
        env,
        &["-t", "ign3", "-f", "ign/copy-ignored.Dockerfile", ctx],
    )
    .failure(125);
    assert!(error_line(&out).contains("by-container"), "{out}");
});

both!(concurrent_builds_share_the_store, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "conc",
        &[(
            "Dockerfile",
            "FROM localhost/skiff-test/busybox\nRUN echo shared > /shared\nARG N\nRUN echo $N > /n\n",
        )],
    );
    let outs: Vec<Output> = thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|n| {
                s.spawn(move || {
                    let tag = format!("conc{n}");
                    let arg = format!("N={n}");
                    common::run_command(
                        env.skiff_command(&["build", "-t", &tag, "--build-arg", &arg, ctx]),
                        None,
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for o in outs {
        o.success();
    }
    for n in 0..4 {
        assert_eq!(
            run(
                env,
                &format!("localhost/conc{n}"),
                &["cat", "/shared", "/n"]
            ),
            format!("shared\n{n}\n")
        );
    }
    // Each tag once.
    let names = env
        .skiff(&["images", "--format", "{{.Repository}}"])
        .success()
        .lines();
    assert_eq!(names.len(), 5, "{names:?}");
    assert_tmp_empty(env);
});

// Builds that run the same step at the same time go on from one image (the first
// committed; the others adopt it under the store lock), so every later rebuild hits.
both!(
    concurrent_identical_steps_converge_in_the_cache,
    |env: &Env| {
        load_busybox(env);
        let ctx = context(
            env,
            "conc",
            &[(
                "Dockerfile",
                "FROM localhost/skiff-test/busybox\nRUN echo shared > /shared\nARG N\nRUN echo $N > /n\n",
            )],
        );
        thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|n| {
                    s.spawn(move || {
                        let tag = format!("conc{n}");
                        let arg = format!("N={n}");
                        common::run_command(
                            env.skiff_command(&["build", "-t", &tag, "--build-arg", &arg, ctx]),
                            None,
                        )
                    })
                })
                .collect();
            for h in handles {
                h.join().unwrap().success();
            }
        });
        for n in 0..4 {
            let arg = format!("N={n}");
            let tag = format!("conc{n}");
            let out = build(env, &["-t", &tag, "--build-arg", &arg, ctx]).success();
            assert_eq!(cached_steps(&out), vec![2, 3, 4], "{out}");
        }
    }
);

both!(
    copy_follows_a_source_symlink_and_keeps_inner_ones,
    |env: &Env| {
        load_busybox(env);
        let ctx = context(
            env,
            "links",
            &[
                (
                    "Dockerfile",
                    "FROM localhost/skiff-test/busybox\nCOPY link /link\nCOPY dir /d/\n",
                ),
                ("a.txt", "a\n"),
                ("dir/f", "f\n"),
            ],
        );
        std::os::unix::fs::symlink("a.txt", env.path().join("links/link")).unwrap();
        std::os::unix::fs::symlink("../a.txt", env.path().join("links/dir/l")).unwrap();
        build(env, &["-t", "links", ctx]).success();
        assert_eq!(
            sh(
                env,
                "localhost/links",
                "stat -c %F /link; cat /link; readlink /d/l; ls /d"
            ),
            "regular file\na\n../a.txt\nf\nl\n"
        );
    }
);

// `COPY --from=${META_ARG}` names the stage with the meta args (BuildKit's scope for
// `--from`), never the build context (the decoy below).
both!(copy_from_a_stage_named_by_a_meta_arg, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "metafrom",
        &[
            (
                "Dockerfile",
                "ARG STAGE=builder\n\
                 FROM localhost/skiff-test/busybox AS builder\n\
                 RUN mkdir -p /out && echo from-stage > /out/x\n\
                 FROM localhost/skiff-test/busybox\n\
                 COPY --from=${STAGE} /out /fromstage\n",
            ),
            ("out/x", "from-the-context\n"),
        ],
    );
    build(env, &["-t", "metafrom", ctx]).success();
    assert_eq!(
        run(env, "localhost/metafrom", &["cat", "/fromstage/x"]),
        "from-stage\n",
        "COPY --from=${{STAGE}} read the build context"
    );
});

// Podman (one empty layer) and BuildKit (no layers) both make an image of a bare
// `FROM scratch`.
both!(from_scratch_alone_makes_an_empty_image, |env: &Env| {
    let ctx = context(env, "empty", &[("Dockerfile", "FROM scratch\n")]);
    let out = build(env, &["-t", "empty", ctx]).success();
    let id = built_id(&out);
    let v = inspect(env, "empty");
    assert_eq!(v["Id"], id.as_str());
    assert!(
        v["RootFS"]["Layers"].as_array().unwrap().len() <= 1,
        "{v:#}"
    );
});

// Binds from a stage of several layers, and writable binds (Docker and Podman do both).
both!(run_mount_bind_from_a_multi_layer_stage, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "bindfrom",
        &[(
            "Dockerfile",
            "FROM localhost/skiff-test/busybox AS builder\n\
             RUN mkdir /out && echo from-stage > /out/file && touch /out/gone\n\
             RUN rm /out/gone\n\
             FROM localhost/skiff-test/busybox\n\
             RUN --mount=type=bind,from=builder,source=/out,target=/mnt cat /mnt/file > /got && ls -A /mnt >> /got\n",
        )],
    );
    build(env, &["-t", "bindfrom", ctx]).success();
    // The stage as its layers show it: a file deleted by a later step is not there.
    assert_eq!(
        run(env, "localhost/bindfrom", &["cat", "/got"]),
        "from-stage\nfile\n"
    );
});

both!(run_mount_bind_rw_writes_are_discarded, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "bindrw",
        &[
            (
                "Dockerfile",
                "FROM localhost/skiff-test/busybox\n\
                     RUN --mount=type=bind,source=.,target=/src,rw touch /src/new && ls /src > /listing\n",
            ),
            ("f", "f\n"),
        ],
    );
    build(env, &["-t", "bindrw", ctx]).success();
    assert_eq!(
        run(env, "localhost/bindrw", &["cat", "/listing"]),
        "Dockerfile\nf\nnew\n"
    );
    // The write went to a throwaway copy: neither the context nor the image has it.
    assert!(!env.path().join("bindrw/new").exists());
    assert_eq!(
        sh(
            env,
            "localhost/bindrw",
            "test -e /src/new && echo has; echo done"
        ),
        "done\n"
    );
});

// A destination through a symlink resolves inside the image: to an existing directory, or
// to one the COPY creates (Podman and BuildKit follow a dangling link and make its target),
// and never to the host path of the same name.
both!(copy_through_symlinked_destinations, |env: &Env| {
    load_busybox(env);
    let host = env.path().join("host-side");
    std::fs::create_dir(&host).unwrap();
    let df = format!(
        "FROM localhost/skiff-test/busybox\n\
         RUN mkdir /real && ln -s /real /linkdir && ln -s {host} /dangling\n\
         COPY a.txt /linkdir/\n\
         COPY a.txt /dangling/\n",
        host = host.display()
    );
    let ctx = context(env, "symdest", &[("Dockerfile", &df), ("a.txt", "a\n")]);
    build(env, &["-t", "symdest", ctx]).success();
    assert_eq!(
        std::fs::read_dir(&host).unwrap().count(),
        0,
        "COPY wrote to the host"
    );
    let img = "localhost/symdest";
    assert_eq!(
        sh(
            env,
            img,
            &format!(
                "cat /real/a.txt {host}/a.txt; readlink /linkdir; readlink /dangling",
                host = host.display()
            )
        ),
        format!("a\na\n/real\n{}\n", host.display())
    );
});

// COPY --from follows a source symlink inside the stage's filesystem, never on the host.
both!(
    copy_from_stage_resolves_symlinks_inside_the_stage,
    |env: &Env| {
        load_busybox(env);
        let secret = env.write("host-only.txt", "HOST-ONLY-CONTENT\n");
        let ctx = context(
            env,
            "fromlink",
            &[
                (
                    "Dockerfile",
                    "FROM localhost/skiff-test/busybox AS b\n\
                 RUN echo in-stage > /real && ln -s /real /ok\n\
                 FROM localhost/skiff-test/busybox\n\
                 COPY --from=b /ok /copied\n",
                ),
                (
                    "host.Dockerfile",
                    &format!(
                        "FROM localhost/skiff-test/busybox AS b\n\
                     RUN ln -s {} /leak\n\
                     FROM localhost/skiff-test/busybox\n\
                     COPY --from=b /leak /leak\n",
                        secret.display()
                    ),
                ),
            ],
        );
        build(env, &["-t", "fromlink", ctx]).success();
        assert_eq!(
            sh(env, "localhost/fromlink", "stat -c %F /copied; cat /copied"),
            "regular file\nin-stage\n"
        );
        // The link's target exists on the host only: nothing to copy.
        let out = build(env, &["-t", "leak", "-f", "fromlink/host.Dockerfile", ctx]).failure(125);
        let line = error_line(&out);
        assert!(line.contains("host.Dockerfile:4"), "{out}");
        assert!(!image_exists(env, "localhost/leak"));
        assert!(
            !line.contains("build context") && !line.contains(".dockerignore"),
            "the source is the stage, not the context: {line}"
        );
    }
);

// uid=, gid= and mode= of secret and cache mounts, for a RUN that is not root.
both!(run_mount_owner_options, |env: &Env| {
    load_busybox(env);
    env.write("s.txt", "owned-secret\n");
    let ctx = context(
        env,
        "mountuid",
        &[(
            "Dockerfile",
            "FROM localhost/skiff-test/busybox\n\
             USER 1234:1234\n\
             RUN --mount=type=secret,id=s,uid=1234,gid=1234,mode=0440 cat /run/secrets/s && stat -c '%u:%g %a' /run/secrets/s\n\
             RUN --mount=type=cache,target=/cache,uid=1234,gid=1234 touch /cache/ok && stat -c 'cache %u:%g' /cache\n",
        )],
    );
    let out = build(env, &["-t", "mountuid", "--secret", "id=s,src=s.txt", ctx]).success();
    for line in ["owned-secret", "1234:1234 440", "cache 1234:1234"] {
        assert!(printed(&out, line), "{line:?} missing{}", out.report(""));
    }
});

// A relative symlink that climbs above `/` is a valid link (it resolves inside the image):
// Podman keeps it; the layer must not be refused.
both!(symlink_climbing_above_the_root_is_kept, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "uplink",
        &[(
            "Dockerfile",
            "FROM localhost/skiff-test/busybox\nRUN ln -s ../../../../etc/hostname /l\n",
        )],
    );
    build(env, &["-t", "uplink", ctx]).success();
    assert_eq!(
        run(env, "localhost/uplink", &["readlink", "/l"]),
        "../../../../etc/hostname\n"
    );
});

// `commit` continues what `build` wrote: the committed image keeps the build's history and
// adds one entry with a layer, and in both the layers match the non-empty history entries.
both!(commit_continues_the_build_history, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "commitctx",
        &[(
            "Dockerfile",
            "FROM localhost/skiff-test/busybox\nENV A=1\nRUN echo built > /built\nCMD [\"cat\", \"/built\"]\n",
        )],
    );
    build(env, &["-t", "built", ctx]).success();
    env.skiff(&[
        "run",
        "--name",
        "c1",
        "localhost/built",
        "sh",
        "-c",
        "echo changed > /changed",
    ])
    .success();
    env.skiff(&["commit", "c1", "committed"]).success();
    let layers_match = |image: &str| {
        let v = inspect(env, image);
        let layers = v["RootFS"]["Layers"].as_array().unwrap().len();
        let hist = history(env, image);
        let non_empty = hist
            .iter()
            .filter(|h| h["empty_layer"] != Value::Bool(true))
            .count();
        assert_eq!(layers, non_empty, "{image}: {hist:#?}");
        hist
    };
    let built = layers_match("localhost/built");
    let committed = layers_match("localhost/committed");
    assert_eq!(committed.len(), built.len() + 1);
    assert_eq!(committed[..built.len()], built[..]);
    assert_eq!(
        sh(env, "localhost/committed", "cat /built /changed"),
        "built\nchanged\n"
    );
    env.skiff(&["rm", "c1"]).success();
});

// COPY keeps a file's user xattrs (they are part of the cache checksum too). Read back from
// the layer as `save` writes it (busybox has no getfattr).
#[test]
fn copy_keeps_user_xattrs() {
    let env = Env::root();
    load_busybox(&env);
    let ctx = context(
        &env,
        "xattrs",
        &[
            (
                "Dockerfile",
                "FROM localhost/skiff-test/busybox\nCOPY f /f\n",
            ),
            ("f", "x\n"),
        ],
    );
    let f = env.path().join("xattrs/f");
    rustix::fs::setxattr(&f, "user.skiff", b"kept", rustix::fs::XattrFlags::empty())
        .expect("setting a user xattr (the test dir's filesystem must support them)");
    build(&env, &["-t", "xattrs", ctx]).success();
    let archive = env.path().join("xattrs.tar");
    env.skiff(&["save", "-o", archive.to_str().unwrap(), "localhost/xattrs"])
        .success();
    let mut outer = tar::Archive::new(std::fs::File::open(&archive).unwrap());
    let mut found = None;
    for entry in outer.entries().unwrap() {
        let mut entry = entry.unwrap();
        if !entry.path().unwrap().to_string_lossy().ends_with(".tar") {
            continue;
        }
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        let mut layer = tar::Archive::new(&bytes[..]);
        for e in layer.entries().unwrap() {
            let mut e = e.unwrap();
            if e.path().unwrap().to_string_lossy() != "f" {
                continue;
            }
            for ext in e.pax_extensions().unwrap().into_iter().flatten() {
                let ext = ext.unwrap();
                if ext.key().unwrap() == "SCHILY.xattr.user.skiff" {
                    found = Some(ext.value_bytes().to_vec());
                }
            }
        }
    }
    assert_eq!(found.as_deref(), Some(&b"kept"[..]));
}

// `--squash-all`: one layer holding the whole file system, the base's files included; a
// file a later step deleted is simply absent; the history still lists every instruction.
both!(squash_all_makes_one_layer, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "squashall",
        &[
            (
                "Dockerfile",
                "FROM localhost/skiff-test/busybox\nRUN echo one > /one\nCOPY f.txt /f.txt\n\
                 RUN rm /one && echo two > /two\nCMD [\"cat\", \"/two\"]\n",
            ),
            ("f.txt", "f\n"),
        ],
    );
    build(env, &["-t", "squashed", "--squash-all", ctx]).success();
    let v = inspect(env, "squashed");
    assert_eq!(v["RootFS"]["Layers"].as_array().unwrap().len(), 1, "{v:#}");
    let hist = v["History"].as_array().unwrap();
    let with_layer: Vec<&Value> = hist
        .iter()
        .filter(|h| !h["empty_layer"].as_bool().unwrap_or(false))
        .collect();
    assert_eq!(with_layer.len(), 1, "{hist:#?}");
    assert!(
        hist.iter().any(|h| h["created_by"]
            .as_str()
            .is_some_and(|c| c.contains("COPY file:"))),
        "{hist:#?}"
    );
    assert_eq!(config(env, "squashed")["Cmd"], json!(["cat", "/two"]));
    assert_eq!(
        sh(
            env,
            "localhost/squashed",
            "cat /f.txt /two; test -e /one && echo has-one; busybox true && echo base"
        ),
        "f\ntwo\nbase\n"
    );
});

// `history` names the images a build made for each step (and the base image at its last
// entry), as Podman does, instead of `<missing>`.
#[test]
fn history_shows_the_step_images() {
    let env = Env::root();
    load_busybox(&env);
    let ctx = context(
        &env,
        "histids",
        &[(
            "Dockerfile",
            "FROM localhost/skiff-test/busybox\nENV A=1\nRUN echo x > /x\n",
        )],
    );
    let out = build(&env, &["-t", "histids", ctx]).success();
    let steps: Vec<String> = out
        .stdout()
        .lines()
        .filter_map(|l| l.strip_prefix("--> "))
        .map(str::to_string)
        .collect();
    let ids = env
        .skiff(&["history", "--format", "{{.ID}}", "histids"])
        .success()
        .stdout();
    let ids: Vec<&str> = ids.lines().collect();
    let base = inspect(&env, BUSYBOX)["Id"].as_str().unwrap()[..12].to_string();
    // Newest first: RUN's image, ENV's image, then the base's last entry.
    assert_eq!(ids[0], steps[1], "{ids:?} {steps:?}");
    assert_eq!(ids[1], steps[0], "{ids:?} {steps:?}");
    assert_eq!(ids[2], base, "{ids:?}");
}

// `rmi` of a built image takes the step images it was made from (Podman and Docker print a
// `Deleted:` line for each), but not those another image still builds on.
both!(rmi_takes_the_build_steps_along, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "rmisteps",
        &[(
            "Dockerfile",
            "FROM localhost/skiff-test/busybox\nENV A=1\nRUN echo x > /x\n",
        )],
    );
    let before = all_image_ids(env);
    build(env, &["-t", "first", ctx]).success();
    let ctx2 = context(
        env,
        "rmisteps2",
        &[(
            "Dockerfile",
            "FROM localhost/skiff-test/busybox\nENV A=1\nRUN echo y > /y\n",
        )],
    );
    build(env, &["-t", "second", ctx2]).success();
    let out = env.skiff(&["rmi", "localhost/first"]).success();
    let deleted = out
        .stdout()
        .lines()
        .filter(|l| l.starts_with("Deleted: "))
        .count();
    // The image itself; the ENV step is shared with `second` and stays.
    assert_eq!(deleted, 1, "{out}");
    let out = env.skiff(&["rmi", "localhost/second"]).success();
    let deleted = out
        .stdout()
        .lines()
        .filter(|l| l.starts_with("Deleted: "))
        .count();
    assert_eq!(deleted, 2, "{out}");
    assert_eq!(all_image_ids(env), before);
});

// `--timestamp`: the created times and every new file's mtime are fixed, so building the
// same sources again from scratch gives the same image id.
both!(timestamp_makes_builds_reproducible, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "repro",
        &[
            (
                "Dockerfile",
                "FROM localhost/skiff-test/busybox\nCOPY f.txt /f.txt\nRUN echo x > /x && mkdir /d\nENV A=1\n",
            ),
            ("f.txt", "f\n"),
        ],
    );
    let args = ["-q", "--timestamp", "1700000000", "-t", "repro", ctx];
    let first = built_id(&build(env, &args).success());
    env.skiff(&["rmi", "localhost/repro"]).success();
    env.skiff(&["builder", "prune", "-f"]).success();
    let out = build(
        env,
        &[
            "--no-cache",
            "-q",
            "--timestamp",
            "1700000000",
            "-t",
            "repro",
            ctx,
        ],
    )
    .success();
    assert_eq!(built_id(&out), first);
    assert_eq!(
        sh(env, "localhost/repro", "stat -c %Y /x /d /f.txt"),
        "1700000000\n1700000000\n1700000000\n"
    );
    assert_eq!(
        inspect(env, "localhost/repro")["Created"].as_str().unwrap(),
        "2023-11-14T22:13:20Z"
    );
});

// A user without a subordinate id range builds too: files keep the one id there is, and
// the build says so once, not once per step.
#[test]
fn builds_without_a_subuid_range() {
    let Some(env) = Env::rootless_as(common::NOSUB_TEST_USER) else {
        return;
    };
    let env = &env;
    load_busybox(env);
    let ctx = context(
        env,
        "nosub",
        &[
            (
                "Dockerfile",
                "FROM localhost/skiff-test/busybox\nRUN echo hi > /hi\nCOPY --chown=55:55 f /f\nRUN cat /f /hi\n",
            ),
            ("f", "f\n"),
        ],
    );
    let out = build(env, &["-t", "nosub", ctx]).success();
    assert!(printed(&out, "hi"), "{out}");
    let warnings = out
        .stderr()
        .lines()
        .filter(|l| l.contains("single-id mapping"))
        .count();
    assert_eq!(warnings, 1, "{out}");
    assert_eq!(sh(env, "localhost/nosub", "cat /f"), "f\n");
}

// Many layers: the overlay options of a COPY (and of a RUN) pass a page, and the mount
// names the layers relative to the store, as the runtime does for `run`.
#[test]
fn copy_onto_many_layers() {
    let env = Env::root();
    load_busybox(&env);
    let mut dockerfile = String::from("FROM localhost/skiff-test/busybox\n");
    for i in 0..45 {
        dockerfile.push_str(&format!("RUN echo {i} > /n\n"));
    }
    dockerfile.push_str("COPY f /f\nRUN cat /f /n\n");
    let ctx = context(&env, "many", &[("Dockerfile", &dockerfile), ("f", "f\n")]);
    build(&env, &["-q", "-t", "many", ctx]).success();
    assert_eq!(sh(&env, "localhost/many", "cat /f /n"), "f\n44\n");
}

// `RUN --mount=type=bind,from=STAGE,source=...` resolves the source inside the stage: a
// symlink there to `/etc` means the stage's /etc, never the host's.
both!(bind_from_a_stage_stays_inside_it, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "bindlink",
        &[(
            "Dockerfile",
            "FROM localhost/skiff-test/busybox AS a\n\
             RUN mkdir -p /data && echo inside > /data/f && ln -s /data /link && ln -s /etc /hostetc\n\
             FROM localhost/skiff-test/busybox\n\
             RUN --mount=type=bind,from=a,source=link,target=/m cat /m/f > /got\n\
             RUN --mount=type=bind,from=a,source=/hostetc,target=/e ls /e > /etc-listing\n",
        )],
    );
    build(env, &["-t", "bindlink", ctx]).success();
    assert_eq!(run(env, "localhost/bindlink", &["cat", "/got"]), "inside\n");
    // The stage's /etc (busybox's own few files), not the host's (which has os-release).
    let listing = run(env, "localhost/bindlink", &["cat", "/etc-listing"]);
    assert!(
        !listing.contains("os-release") && !listing.contains("shadow"),
        "{listing}"
    );
    assert!(listing.contains("passwd"), "{listing}");
    // A source that leaves the stage's root stays at its root.
    let ctx2 = context(
        env,
        "bindup",
        &[(
            "Dockerfile",
            "FROM localhost/skiff-test/busybox AS a\n\
             RUN mkdir /x\n\
             FROM localhost/skiff-test/busybox\n\
             RUN --mount=type=bind,from=a,source=../../../x,target=/m test -d /m\n",
        )],
    );
    build(env, &["-t", "bindup", ctx2]).success();
});

// With --layers=false every RUN of a stage shares one working directory: a secret mounted
// by two RUNs, and a writable bind's writes, still belong to each RUN alone.
both!(layers_false_runs_keep_their_mounts_apart, |env: &Env| {
    load_busybox(env);
    env.write("sec.txt", "s3\n");
    let ctx = context(
        env,
        "flatmounts",
        &[
            (
                "Dockerfile",
                "FROM localhost/skiff-test/busybox\n\
                 RUN --mount=type=secret,id=s cat /run/secrets/s > /one\n\
                 RUN --mount=type=bind,source=.,target=/src,rw touch /src/written\n\
                 RUN --mount=type=secret,id=s --mount=type=bind,source=.,target=/src,rw \
                     cat /run/secrets/s > /two && ls /src > /listing\n",
            ),
            ("f", "f\n"),
        ],
    );
    build(
        env,
        &[
            "-t",
            "flatmounts",
            "--layers=false",
            "--secret",
            "id=s,src=sec.txt",
            ctx,
        ],
    )
    .success();
    assert_eq!(sh(env, "localhost/flatmounts", "cat /one /two"), "s3\ns3\n");
    assert_eq!(
        run(env, "localhost/flatmounts", &["cat", "/listing"]),
        "Dockerfile\nf\n"
    );
});

// A container made from a build step's image (the usual way to look into a failed build)
// keeps that image, and so its layers, through `builder prune` and `image prune -a`.
both!(prunes_keep_images_containers_use, |env: &Env| {
    load_busybox(env);
    let ctx = context(
        env,
        "debugstep",
        &[(
            "Dockerfile",
            "FROM localhost/skiff-test/busybox\nRUN echo step > /step\nENV A=1\n",
        )],
    );
    let out = build(env, &["-t", "debugstep", ctx]).success();
    let step = out
        .stdout()
        .lines()
        .filter_map(|l| l.strip_prefix("--> "))
        .next()
        .unwrap()
        .to_string();
    env.skiff(&["create", "--name", "dbg", &step, "cat", "/step"])
        .success();
    env.skiff(&["rmi", "localhost/debugstep"]).success();
    env.skiff(&["builder", "prune", "-f"]).success();
    env.skiff(&["image", "prune", "-a", "-f"]).success();
    env.skiff(&["image", "exists", &step]).success();
    let out = env.skiff(&["start", "-a", "dbg"]).success();
    assert_eq!(out.stdout(), "step\n");
    env.skiff(&["rm", "dbg"]).success();
});

// `build --platform` of another platform than a local-only base's: refused with one line
// naming both platforms, nothing tagged (it used to build on the host's platform, silently).
both!(
    build_platform_refuses_a_base_of_another_platform,
    |env: &Env| {
        env.load_test_image("busybox.tar").success();
        let ctx = env.write(
            "platctx/Containerfile",
            "FROM localhost/skiff-test/busybox\nLABEL x=y\n",
        );
        let ctx = ctx.parent().unwrap().to_str().unwrap().to_string();
        for extra in [&[][..], &["--pull=never"][..]] {
            let mut args = vec!["build", "--platform", "linux/arm64", "-t", "armish"];
            args.extend_from_slice(extra);
            args.push(&ctx);
            let out = env.skiff(&args).failure(125);
            let err = out.stderr();
            assert!(
                err.contains("is linux/amd64") && err.contains("not the wanted linux/arm64"),
                "{out}"
            );
            assert_eq!(
                err.lines().filter(|l| l.starts_with("Error:")).count(),
                1,
                "{out}"
            );
        }
        env.skiff(&["image", "exists", "armish"]).failure(1);
        // The host's own platform builds.
        env.skiff(&[
            "build",
            "-q",
            "--platform",
            "linux/amd64",
            "-t",
            "amd",
            &ctx,
        ])
        .success();
    }
);
