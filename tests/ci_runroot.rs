//! The rootless run root without XDG_RUNTIME_DIR (issue 12 item 2): after `su - user` or in a
//! cron job skiff must find the same run root as with it (`/run/user/<uid>/skiff`, as Podman),
//! and a store used with another run root while it has containers is refused, Podman's words,
//! instead of showing a running container as `Created` and "stopping" it without stopping it.

mod common;

use common::Env;
use std::path::{Path, PathBuf};

const IMG: &str = "localhost/skiff-test/busybox:latest";
const NO_XDG: &[&str] = &["XDG_RUNTIME_DIR"];

/// `/run/user/<uid>/skiff`: the run root skiff must pick for the test user.
fn run_user_runroot(env: &Env) -> PathBuf {
    env.user().unwrap().runtime_dir().join("skiff")
}

/// Removes the env's containers with the default run root (Env's own cleanup only looks in
/// its `--runroot`).
struct Cleanup<'a>(&'a Env);

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        let _ = self
            .0
            .skiff_with(None, &[], &["rm", "--all", "--force", "--time", "0"]);
    }
}

fn state(env: &Env, runroot: Option<&Path>, unset: &[&str], name: &str) -> String {
    env.skiff_with(
        runroot,
        unset,
        &[
            "ps",
            "-a",
            "--filter",
            &format!("name={name}"),
            "--format",
            "{{.State}}",
        ],
    )
    .success()
    .stdout()
    .trim()
    .to_string()
}

#[test]
fn rootless_runroot_without_xdg_runtime_dir_is_run_user() {
    let Some(env) = Env::rootless() else { return };
    let out = env
        .skiff_with(
            None,
            NO_XDG,
            &["unshare", "sh", "-c", "echo $CONTAINERS_RUNROOT"],
        )
        .success();
    assert_eq!(
        out.stdout().trim(),
        run_user_runroot(&env).display().to_string(),
        "{}",
        out.report("the run root without XDG_RUNTIME_DIR")
    );
}

#[test]
fn container_started_with_xdg_is_managed_without_it() {
    let Some(env) = Env::rootless() else { return };
    let img = common::test_images().join("busybox.tar");
    env.skiff_with(None, &[], &["load", "-i", img.to_str().unwrap()])
        .success();
    let _cleanup = Cleanup(&env);
    env.skiff_with(
        None,
        &[],
        &["run", "-d", "--name", "keep", IMG, "sleep", "1000"],
    )
    .success();
    assert_eq!(state(&env, None, &[], "keep"), "running");

    // Without XDG_RUNTIME_DIR: the same run root, the container is seen running.
    assert_eq!(state(&env, None, NO_XDG, "keep"), "running");

    // An explicit other run root: refused, both paths named, and nothing is changed.
    let other = env.runroot_dir();
    for args in [
        &["ps", "-a"][..],
        &["stop", "-t", "0", "keep"][..],
        &["rm", "-f", "keep"][..],
    ] {
        let out = env.skiff_with(Some(&other), NO_XDG, args).failure(125);
        let want = format!(
            "Error: database run root {} does not match our run root {}: please use the same run root or remove containers",
            run_user_runroot(&env).display(),
            other.display()
        );
        assert_eq!(
            out.stderr().trim(),
            want,
            "{}",
            out.report("other run root")
        );
    }
    assert_eq!(state(&env, None, NO_XDG, "keep"), "running");

    // stop and rm without XDG_RUNTIME_DIR really stop and remove it.
    env.skiff_with(None, NO_XDG, &["stop", "-t", "0", "keep"])
        .success();
    assert_eq!(state(&env, None, &[], "keep"), "exited");
    env.skiff_with(None, NO_XDG, &["rm", "keep"]).success();
    let left = env
        .skiff_with(None, &[], &["ps", "-a", "-q"])
        .success()
        .stdout();
    assert_eq!(left.trim(), "", "the container is still listed");
}
