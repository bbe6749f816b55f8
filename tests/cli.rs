//! The command-line frame: version, help, exit codes and one-line errors.

mod common;
use common::Env;

#[test]
fn version_and_help() {
    let env = Env::root();
    let v = env.skiff(&["--version"]).success().stdout();
    assert_eq!(
        v.trim(),
        format!("skiff version {}", env!("CARGO_PKG_VERSION"))
    );
    let v = env
        .skiff(&["version", "--format", "{{.Client.Version}}"])
        .success()
        .stdout();
    assert_eq!(v.trim(), env!("CARGO_PKG_VERSION"));
    let h = env.skiff(&["--help"]).success().stdout();
    for cmd in ["images", "load", "save", "import", "tag", "rmi", "unshare"] {
        assert!(h.contains(cmd), "help lacks {cmd}: {h}");
    }
    let h = env.skiff(&["help", "images"]).success().stdout();
    assert!(h.contains("--filter"), "{h}");
    env.skiff(&["images", "--help"]).success();
}

#[test]
fn usage_errors_are_one_line_exit_125() {
    let env = Env::root();
    for args in [
        &["images", "--no-such-flag"][..],
        &["frobnicate"],
        &["--log-level", "loud", "images"],
    ] {
        let out = env.skiff(args).failure(125);
        let err = out.stderr();
        assert!(err.starts_with("Error: "), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn no_backtrace_on_errors() {
    let env = Env::root();
    let out = env
        .command(
            common::skiff_bin(),
            &["--root", "/proc/forbidden/root", "load", "-i", "/nope"],
        )
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(125));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        !err.contains("backtrace") && !err.contains("panicked"),
        "{err}"
    );
}

#[test]
fn unshare_maps_the_subordinate_range() {
    let Some(env) = Env::rootless() else { return };
    let out = env
        .skiff(&["unshare", "cat", "/proc/self/uid_map"])
        .success()
        .stdout();
    let rows: Vec<Vec<u64>> = out
        .lines()
        .map(|l| l.split_whitespace().map(|n| n.parse().unwrap()).collect())
        .collect();
    assert_eq!(rows[0], vec![0, env.uid() as u64, 1], "{out}");
    let start = common::subuid_start(&env.user().unwrap().name) as u64;
    assert_eq!(rows[1][..2], [1, start], "{out}");
    let id = env.skiff(&["unshare", "id", "-u"]).success().stdout();
    assert_eq!(id.trim(), "0");
    let code = env.skiff(&["unshare", "sh", "-c", "exit 7"]).code();
    assert_eq!(code, Some(7));
    // Root has no use for it, as in Podman.
    Env::root().skiff(&["unshare", "true"]).failure(125);
}

#[test]
fn user_without_subuid_range_falls_back_with_a_warning() {
    let Some(env) = Env::rootless_as(common::NOSUB_TEST_USER) else {
        return;
    };
    let out = env.load_test_image("busybox.tar").success();
    assert!(
        out.stderr().contains("single-id mapping"),
        "{}",
        out.stderr()
    );
    assert_eq!(out.stderr().lines().count(), 1, "{}", out.stderr());
    env.skiff(&["images"])
        .success()
        .stdout_has("skiff-test/busybox");
}

/// Bash completion offers the store's container, image and volume names where a command takes
/// them, asking the store the command line names (`--root`/`--runroot`).
#[test]
fn bash_completion_offers_names() {
    let env = Env::root();
    env.load_test_image("busybox.tar").success();
    env.skiff(&[
        "create",
        "--name",
        "web",
        "localhost/skiff-test/busybox",
        "true",
    ])
    .success();
    env.skiff(&["volume", "create", "vol1"]).success();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/skiff.bash");
    let complete = |words: &[&str]| -> Vec<String> {
        let root = env.root_dir();
        let runroot = env.runroot_dir();
        let mut all = vec![
            common::skiff_bin().to_str().unwrap(),
            "--root",
            root.to_str().unwrap(),
            "--runroot",
            runroot.to_str().unwrap(),
        ];
        all.extend_from_slice(words);
        let quoted: Vec<String> = all.iter().map(|w| format!("'{w}'")).collect();
        let cword = all.len() - 1;
        let cmd = format!(
            "source '{}'; COMP_WORDS=({}); COMP_CWORD={cword}; COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}; _skiff_with_names \"${{COMP_WORDS[0]}}\" \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display(),
            quoted.join(" ")
        );
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(&cmd)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect()
    };
    assert_eq!(complete(&["rm", ""]), vec!["web"]);
    assert_eq!(complete(&["start", "w"]), vec!["web"]);
    assert_eq!(complete(&["container", "stop", ""]), vec!["web"]);
    assert_eq!(
        complete(&["rmi", ""]),
        vec!["localhost/skiff-test/busybox:latest"]
    );
    assert_eq!(
        complete(&["run", "-d", "loc"]),
        vec!["localhost/skiff-test/busybox:latest"]
    );
    assert_eq!(complete(&["volume", "rm", ""]), vec!["vol1"]);
    // Options stay clap's.
    assert!(complete(&["rm", "--fo"]).contains(&"--force".to_string()));
}
