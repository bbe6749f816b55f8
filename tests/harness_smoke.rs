//! Proves the test harness itself works, without needing any skiff command.

mod common;

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::{Env, run_command, run_with_timeout, skiff_bin, test_images};

fn on_path(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn test_images_exist_and_are_world_readable() {
    let dir = test_images();
    assert_eq!(
        fs::metadata(dir).unwrap().permissions().mode() & 0o777,
        0o755
    );
    for f in [
        "busybox.tar",
        "multilayer.tar",
        "busybox-rootfs.tar",
        "multilayer.expected",
        "busybox.expected",
    ] {
        let meta = fs::metadata(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(meta.len() > 0, "{f} is empty");
        assert_eq!(meta.permissions().mode() & 0o777, 0o644, "{f}");
    }
    let committed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("contrib/testimages/multilayer.expected");
    assert_eq!(
        fs::read_to_string(dir.join("multilayer.expected")).unwrap(),
        fs::read_to_string(committed).unwrap(),
        "mkimages.sh and the committed multilayer.expected disagree"
    );
}

#[test]
fn test_images_have_the_right_names() {
    for (file, name) in [
        ("busybox.tar", "localhost/skiff-test/busybox:latest"),
        ("multilayer.tar", "localhost/skiff-test/multilayer:latest"),
    ] {
        let mut tar = Command::new("tar");
        tar.arg("-xOf")
            .arg(test_images().join(file))
            .arg("index.json");
        run_command(tar, None)
            .success()
            .stdout_has(&format!("\"org.opencontainers.image.ref.name\":\"{name}\""));
    }
}

#[test]
fn skopeo_accepts_test_images() {
    if !on_path("skopeo") {
        eprintln!("skipped: skopeo is not installed");
        return;
    }
    for file in ["busybox.tar", "multilayer.tar"] {
        let arg = format!("oci-archive:{}", test_images().join(file).display());
        let mut cmd = Command::new("skopeo");
        cmd.args(["inspect", "--config", &arg]);
        run_command(cmd, None)
            .success()
            .stdout_has("\"sh\"")
            .stdout_has("\"os\": \"linux\"");
    }
}

#[test]
fn binary_is_copied_world_executable() {
    let bin = skiff_bin();
    assert_eq!(
        fs::metadata(bin).unwrap().permissions().mode() & 0o777,
        0o755
    );
    let parent = bin.parent().unwrap();
    assert_eq!(
        fs::metadata(parent).unwrap().permissions().mode() & 0o777,
        0o755
    );
}

#[test]
fn root_env_runs_as_root_with_its_own_store() {
    let env = Env::root();
    assert_eq!(env.run_as(&["id", "-u"]).success().stdout().trim(), "0");
    assert!(env.root_dir().is_dir() && env.runroot_dir().is_dir());
    env.skiff(&["--version"]).success();
    let pwd = env.run_as(&["pwd"]).success().stdout();
    assert_eq!(Path::new(pwd.trim()), env.path());
}

#[test]
fn rootless_env_runs_as_the_test_user() {
    let Some(env) = Env::rootless() else { return };
    let user = env.user().unwrap().clone();
    assert_eq!(
        env.run_as(&["id", "-u"]).success().stdout().trim(),
        user.uid.to_string()
    );
    let vars = env
        .run_as(&[
            "sh",
            "-c",
            "echo \"$HOME|$USER|$XDG_RUNTIME_DIR|$LANG|$PATH\"",
        ])
        .success()
        .stdout();
    assert_eq!(
        vars.trim(),
        format!(
            "{}|{}|/run/user/{}|C.UTF-8|{}",
            user.home.display(),
            user.name,
            user.uid,
            common::PATH
        )
    );
    let rt = fs::metadata(user.runtime_dir()).unwrap();
    assert_eq!((rt.uid(), rt.mode() & 0o777), (user.uid, 0o700));
    for d in [env.path().to_path_buf(), env.root_dir(), env.runroot_dir()] {
        let m = fs::metadata(&d).unwrap();
        assert_eq!(
            (m.uid(), m.mode() & 0o777),
            (user.uid, 0o700),
            "{}",
            d.display()
        );
    }
    // The user can read the images and run the binary.
    let img = test_images().join("busybox.tar");
    env.run_as(&[Path::new("head"), Path::new("-c1"), &img])
        .success();
    env.skiff(&["--version"]).success();
    let f = env.write("ctx/sub/Containerfile", "FROM scratch\n");
    env.run_as(&[Path::new("cat"), &f])
        .success()
        .stdout_has("FROM scratch");
    env.run_as_stdin(&["cat"], b"piped")
        .success()
        .stdout_has("piped");
}

#[test]
fn nosub_user_exists_too() {
    let Some(env) = Env::rootless_as(common::NOSUB_TEST_USER) else {
        return;
    };
    let out = env.run_as(&["id", "-un"]).success();
    assert_eq!(out.stdout().trim(), common::NOSUB_TEST_USER);
}

#[test]
fn drop_removes_subordinate_owned_trees() {
    let Some(env) = Env::rootless() else { return };
    let dir = env.path().to_path_buf();
    // What a rootless store leaves: files owned by subordinate ids, an unwritable dir.
    let deep = env.root_dir().join("overlay/work/work");
    fs::create_dir_all(&deep).unwrap();
    fs::write(deep.join("f"), "x").unwrap();
    std::os::unix::fs::chown(deep.join("f"), Some(100_999), Some(100_999)).unwrap();
    std::os::unix::fs::chown(&deep, Some(100_000), Some(100_000)).unwrap();
    fs::set_permissions(&deep, fs::Permissions::from_mode(0o000)).unwrap();
    drop(env);
    assert!(!dir.exists(), "{} left behind", dir.display());
}

#[test]
fn drop_unmounts_and_kills_leftovers() {
    let env = Env::root();
    let dir = env.path().to_path_buf();
    let mnt = env.runroot_dir().join("mnt");
    fs::create_dir(&mnt).unwrap();
    env.run_as(&[
        Path::new("mount"),
        Path::new("-t"),
        Path::new("tmpfs"),
        Path::new("none"),
        &mnt,
    ])
    .success();
    // A background process inside the env's dir, as a leaked monitor would be.
    let mut child = Command::new("sleep")
        .arg("1000")
        .current_dir(&dir)
        .spawn()
        .unwrap();
    drop(env);
    assert!(!dir.exists(), "{} left behind", dir.display());
    let mut killed = false;
    for _ in 0..50 {
        if child.try_wait().unwrap().is_some() {
            killed = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    if !killed {
        let _ = child.kill();
        let _ = child.wait();
        panic!("the leftover process was not killed by Env's drop");
    }
}

#[test]
fn output_assertions() {
    let env = Env::root();
    env.run_as(&["sh", "-c", "echo out; echo err >&2; exit 3"])
        .failure(3)
        .stdout_has("out")
        .stderr_has("err");
    let caught = std::panic::catch_unwind(|| env.run_as(&["false"]).success());
    let msg = *caught.unwrap_err().downcast::<String>().unwrap();
    assert!(
        msg.contains("command: false") && msg.contains("exit status: 1"),
        "{msg}"
    );
}

#[test]
fn timeout_kills_the_command() {
    let mut cmd = Command::new("sleep");
    cmd.arg("30");
    let out = run_with_timeout(cmd, None, Duration::from_millis(300));
    assert!(out.timed_out && out.code().is_none(), "{out}");
}

#[test]
fn umoci_unpacks_multilayer_as_expected() {
    if !on_path("umoci") || !on_path("skopeo") || !on_path("jq") {
        eprintln!("skipped: umoci, skopeo or jq is not installed");
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("contrib/testimages/verify.sh");
    let mut cmd = Command::new("bash");
    cmd.arg(script).arg(test_images());
    run_command(cmd, None).success().stdout_has("verify: OK");
}
