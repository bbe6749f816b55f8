// Helpers shared by the image tests: inspecting images, fingerprinting a store, and listing
// an image's files through a real overlay mount (so whiteouts are judged by the kernel).
#![allow(dead_code)]

use crate::common::Env;
use serde_json::Value;

/// Define `<name>::root` and `<name>::rootless` tests running the same body.
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[test]
            fn root() {
                ($body)(&Env::root());
            }
            #[test]
            fn rootless() {
                if let Some(env) = Env::rootless() {
                    ($body)(&env);
                }
            }
        }
    };
}

/// `skiff image inspect NAME`, the first document.
pub fn inspect(env: &Env, name: &str) -> Value {
    let out = env.skiff(&["image", "inspect", name]).success().stdout();
    let v: Value = serde_json::from_str(&out).expect("inspect prints JSON");
    v[0].clone()
}

/// Every file below the store root with type, mode and size: "the store did not change".
pub fn store_listing(env: &Env) -> String {
    let root = env.root_dir().display().to_string();
    let out = env
        .run_as(&[
            "find",
            &root,
            "-not",
            "-name",
            "store.lock",
            "-printf",
            "%P %y %m %s\n",
        ])
        .success();
    let mut lines: Vec<String> = out.stdout().lines().map(str::to_string).collect();
    lines.sort();
    lines.join("\n")
}

/// A shell command listing PATHS below DIR as contrib/testimages/*.expected do.
pub fn listing_cmd(dir: &str, paths: &str) -> String {
    format!(
        "cd {dir} && find {paths} \\( -type d -printf '%p %y %m %U:%G - - -\\n' \\) -o \\( -type l -printf '%p %y %m %U:%G %s %n %l\\n' \\) -o \\( -printf '%p %y %m %U:%G %s %n -\\n' \\) | sort"
    )
}

/// The files an image's layers show when overlaid by the kernel (rootless: inside
/// `skiff unshare`, with overlay's userxattr mode).
pub fn merged_listing(env: &Env, name: &str, paths: &str) -> String {
    let v = inspect(env, name);
    let data = &v["GraphDriver"]["Data"];
    let mut lowers = vec![data["UpperDir"].as_str().expect("UpperDir").to_string()];
    if let Some(l) = data["LowerDir"].as_str() {
        lowers.extend(l.split(':').map(str::to_string));
    }
    let mnt = env
        .path()
        .join(format!("mnt-{}", v["Id"].as_str().unwrap_or("x")));
    env.run_as(&["mkdir", "-p", mnt.to_str().unwrap()])
        .success();
    let opts = if env.is_rootless() {
        "userxattr,lowerdir="
    } else {
        "lowerdir="
    };
    let script = format!(
        "mount -t overlay overlay -o {opts}{} {m} && {}",
        lowers.join(":"),
        listing_cmd(&mnt.display().to_string(), paths),
        m = mnt.display()
    );
    if env.is_rootless() {
        env.skiff(&["unshare", "sh", "-c", &script])
            .success()
            .stdout()
    } else {
        env.run_as(&[
            "unshare",
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            &script,
        ])
        .success()
        .stdout()
    }
}

/// A fresh env of the same kind (root or the same rootless user) as `env`, and a copy of
/// `file` in it owned by its user.
pub fn fresh_env_with(env: &Env, file: &std::path::Path, name: &str) -> Env {
    let fresh = if env.is_rootless() {
        Env::rootless().expect("test user")
    } else {
        Env::root()
    };
    let dest = fresh.path().join(name);
    std::fs::copy(file, &dest).unwrap();
    if let Some(u) = fresh.user() {
        std::os::unix::fs::chown(&dest, Some(u.uid), Some(u.gid)).unwrap();
    }
    fresh
}

/// Load `archive` into a store that already holds busybox; it must fail with exit 125,
/// one `Error:` line mentioning `want`, and change nothing.
pub fn refused(env: &Env, archive: &[u8], want: &str) {
    env.load_test_image("busybox.tar").success();
    let before = store_listing(env);
    let out = env.skiff_stdin(&["load"], archive).failure(125);
    let err = out.stderr();
    let lines: Vec<&str> = err.lines().filter(|l| !l.starts_with("WARN")).collect();
    assert_eq!(lines.len(), 1, "want one error line, got: {err}");
    assert!(lines[0].starts_with("Error: "), "{err}");
    assert!(err.contains(want), "error should mention {want:?}: {err}");
    assert_eq!(
        store_listing(env),
        before,
        "a failed load changed the store"
    );
    // Nothing escaped either.
    assert!(!env.path().join("evil").exists());
}
