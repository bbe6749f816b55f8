//! Many skiff processes at once never corrupt the store.

mod common;
use common::Env;

fn hammer(env: &Env) {
    let images = common::test_images();
    let mut children = Vec::new();
    for i in 0..8 {
        let file = if i % 2 == 0 {
            "busybox.tar"
        } else {
            "multilayer.tar"
        };
        let path = images.join(file);
        let mut cmd = env.skiff_command(&["load", "-i", path.to_str().unwrap()]);
        cmd.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        children.push(cmd.spawn().unwrap());
    }
    // Readers and a tag/untag churn run meanwhile.
    for _ in 0..5 {
        let _ = env.skiff(&["images"]);
    }
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "concurrent load failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let q = env.skiff(&["images", "-q"]).success().stdout();
    assert_eq!(q.lines().count(), 2, "{q}");
    // No staging leftovers, and every layer of both images is present exactly once.
    let tmp = std::fs::read_dir(env.root_dir().join("tmp"))
        .unwrap()
        .count();
    assert_eq!(tmp, 0, "staging dirs left behind");
    let layers = std::fs::read_dir(env.root_dir().join("layers"))
        .unwrap()
        .count();
    let out = env
        .skiff(&[
            "image",
            "inspect",
            "--format",
            "{{len .RootFS.Layers}}",
            "skiff-test/multilayer",
        ])
        .success();
    assert_eq!(layers, out.stdout().trim().parse::<usize>().unwrap());
    // Removing one image while loading the other keeps the shared layers.
    let path = images.join("busybox.tar");
    let mut load = env.skiff_command(&["load", "-i", path.to_str().unwrap()]);
    load.stdout(std::process::Stdio::null());
    let mut child = load.spawn().unwrap();
    env.skiff(&["rmi", "skiff-test/multilayer"]).success();
    assert!(child.wait().unwrap().success());
    env.skiff(&["image", "inspect", "skiff-test/busybox"])
        .success();
    let v: serde_json::Value = serde_json::from_str(
        &env.skiff(&["image", "inspect", "skiff-test/busybox"])
            .success()
            .stdout(),
    )
    .unwrap();
    let upper = v[0]["GraphDriver"]["Data"]["UpperDir"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(std::path::Path::new(&upper).join("bin/busybox").exists());
}

#[test]
fn concurrent_loads_root() {
    hammer(&Env::root());
}

#[test]
fn concurrent_loads_rootless() {
    if let Some(env) = Env::rootless() {
        hammer(&env);
    }
}
