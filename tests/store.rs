//! Store behaviour: default locations, and a kill -9 at any point leaving it consistent.

mod common;
#[path = "support/oci.rs"]
mod oci;

use common::Env;

#[test]
fn rootless_store_defaults_to_xdg_dirs() {
    let Some(env) = Env::rootless() else { return };
    let data = env.path().join("xdg-data");
    let run = env.path().join("xdg-run");
    let image = common::test_images().join("busybox.tar");
    let mut cmd = env.command(
        common::skiff_bin(),
        &["load", "-i", image.to_str().unwrap()],
    );
    cmd.env("XDG_DATA_HOME", &data).env("XDG_RUNTIME_DIR", &run);
    common::run_command(cmd, None).success();
    assert!(
        data.join("skiff/images.json").is_file(),
        "store not under $XDG_DATA_HOME/skiff"
    );
    assert!(data.join("skiff/layers").is_dir());
    assert!(
        run.join("skiff").is_dir(),
        "runroot not under $XDG_RUNTIME_DIR/skiff"
    );
}

/// An archive big enough that a load takes a while: a layer of incompressible data.
fn big_archive() -> Vec<u8> {
    let mut data = vec![0u8; 24 << 20];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for chunk in data.chunks_mut(8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        chunk.copy_from_slice(&x.to_le_bytes()[..chunk.len()]);
    }
    let layer = oci::tar_of(&[("big.bin", &data), ("small.txt", b"small\n")]);
    oci::OciArchive::new("localhost/big:latest", &[layer]).build()
}

fn kill_mid_load(env: &Env) {
    let archive = env.path().join("big.tar");
    std::fs::write(&archive, big_archive()).unwrap();
    if let Some(u) = env.user() {
        std::os::unix::fs::chown(&archive, Some(u.uid), Some(u.gid)).unwrap();
    }
    for delay_ms in [5, 40, 120, 300] {
        let mut child = env
            .skiff_command(&["load", "-i", "big.tar"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        // SIGKILL the whole process tree (the load may be inside a user namespace child).
        let _ = child.kill();
        let _ = child.wait();
        // Whatever the moment, the store is consistent: an image is listed only whole.
        let ids = env
            .skiff(&["images", "-q", "--no-trunc"])
            .success()
            .stdout();
        for id in ids.lines() {
            let out = env
                .skiff(&[
                    "image",
                    "inspect",
                    "--format",
                    "{{.GraphDriver.Data.UpperDir}}",
                    id,
                ])
                .success();
            let upper = out.stdout().trim().to_string();
            assert!(
                std::path::Path::new(&upper).join("small.txt").exists(),
                "listed image without its files"
            );
        }
        env.skiff(&["rmi", "-a"]).success();
    }
    // A later load works, and garbage collection removes what the killed ones left.
    env.skiff(&["load", "-i", "big.tar"]).success();
    env.skiff(&["rmi", "-a"]).success();
    let leftovers: Vec<_> = std::fs::read_dir(env.root_dir().join("tmp"))
        .unwrap()
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporaries of killed loads were not collected: {leftovers:?}"
    );
    assert_eq!(
        std::fs::read_dir(env.root_dir().join("layers"))
            .unwrap()
            .count(),
        0
    );
    assert_eq!(
        std::fs::read_dir(env.root_dir().join("blobs/sha256"))
            .unwrap()
            .count(),
        0
    );
}

#[test]
fn kill_during_load_root() {
    kill_mid_load(&Env::root());
}

#[test]
fn kill_during_load_rootless() {
    if let Some(env) = Env::rootless() {
        kill_mid_load(&env);
    }
}
