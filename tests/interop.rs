//! Interoperability with independent OCI tools: skopeo and umoci read what skiff writes,
//! and skiff loads what they write, with the same files.

mod common;
#[path = "support/store.rs"]
#[macro_use]
mod store;

use common::{Env, test_images};
use serde_json::Value;
use store::{inspect, listing_cmd, merged_listing as merged};

const MULTI: &str = "localhost/skiff-test/multilayer:latest";

fn without_owner(s: &str) -> String {
    s.lines()
        .map(|l| {
            let mut f: Vec<&str> = l.split(' ').collect();
            if f.len() > 3 {
                f[3] = "-";
            }
            f.join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

both!(skiff_save_is_read_by_skopeo_and_umoci, |env: &Env| {
    env.load_test_image("busybox.tar").success();
    env.load_test_image("multilayer.tar").success();
    let v = inspect(env, MULTI);
    let arc = env.path().join("saved-oci.tar").display().to_string();
    env.skiff(&["save", "--format", "oci-archive", "-o", &arc, MULTI])
        .success();

    let si: Value = serde_json::from_str(
        &env.run_as(&["skopeo", "inspect", &format!("oci-archive:{arc}")])
            .success()
            .stdout(),
    )
    .unwrap();
    assert_eq!(
        si["Digest"], v["Digest"],
        "skopeo sees another manifest digest"
    );
    assert_eq!(
        si["Layers"].as_array().unwrap().len(),
        v["RootFS"]["Layers"].as_array().unwrap().len()
    );
    let cfg = env
        .run_as(&[
            "skopeo",
            "inspect",
            "--config",
            "--raw",
            &format!("oci-archive:{arc}"),
        ])
        .success();
    assert_eq!(
        format!("sha256:{}", oci_sha(&cfg.stdout)),
        format!("sha256:{}", v["Id"].as_str().unwrap())
    );

    // umoci unpacks the same files skiff's layers overlay to.
    let layout = env.path().join("layout").display().to_string();
    let bundle = env.path().join("bundle").display().to_string();
    env.run_as(&["mkdir", &layout]).success();
    env.run_as(&["tar", "-C", &layout, "-xf", &arc]).success();
    let retag = format!(
        "jq -c '.manifests[0].annotations[\"org.opencontainers.image.ref.name\"] = \"latest\"' {layout}/index.json > {layout}/i && mv {layout}/i {layout}/index.json"
    );
    env.run_as(&["sh", "-c", &retag]).success();
    let mut umoci = vec!["umoci", "unpack"];
    if env.is_rootless() {
        umoci.push("--rootless");
    }
    let image = format!("{layout}:latest");
    umoci.extend(["--image", &image, &bundle]);
    env.run_as(&umoci).success();
    let paths = "./data ./opq ./swap ./etc ./bin/busybox ./home ./tmp";
    let theirs = env
        .run_as(&["sh", "-c", &listing_cmd(&format!("{bundle}/rootfs"), paths)])
        .success()
        .stdout();
    let ours = merged(env, MULTI, paths);
    if env.is_rootless() {
        assert_eq!(without_owner(&theirs), without_owner(&ours));
    } else {
        assert_eq!(theirs, ours);
    }

    // docker-archive: skopeo reads it and sees the same config.
    let darc = env.path().join("saved-docker.tar").display().to_string();
    env.skiff(&["save", "--format", "docker-archive", "-o", &darc, MULTI])
        .success();
    let cfg = env
        .run_as(&[
            "skopeo",
            "inspect",
            "--config",
            "--raw",
            &format!("docker-archive:{darc}"),
        ])
        .success();
    assert_eq!(oci_sha(&cfg.stdout), v["Id"].as_str().unwrap());
});

both!(
    images_written_by_skopeo_load_with_the_same_files,
    |env: &Env| {
        let src = test_images().join("multilayer.tar").display().to_string();
        let expected = std::fs::read_to_string(test_images().join("multilayer.expected")).unwrap();
        for dest in ["oci-archive", "docker-archive"] {
            let out = env
                .path()
                .join(format!("skopeo-{dest}.tar"))
                .display()
                .to_string();
            env.run_as(&[
                "skopeo",
                "copy",
                "-q",
                &format!("oci-archive:{src}"),
                &format!("{dest}:{out}:localhost/copied/{dest}:v1"),
            ])
            .success();
            let loaded = env.skiff(&["load", "-i", &out]).success().stdout();
            let name = format!("localhost/copied/{dest}:v1");
            assert!(loaded.contains(&name), "{loaded}");
            assert_eq!(
                merged(env, &name, "./data ./opq ./swap").trim(),
                expected.trim(),
                "{dest} copy"
            );
        }
    }
);

both!(image_made_by_umoci_loads, |env: &Env| {
    let layout = env.path().join("umoci-layout").display().to_string();
    let bundle = env.path().join("umoci-bundle").display().to_string();
    let rootless = if env.is_rootless() { " --rootless" } else { "" };
    let script = format!(
        "set -e; umoci init --layout {layout}; umoci new --image {layout}:v1; \
         umoci unpack{rootless} --image {layout}:v1 {bundle}; \
         mkdir -p {bundle}/rootfs/srv; echo made-by-umoci > {bundle}/rootfs/srv/file; \
         umoci repack --image {layout}:v1 {bundle}; \
         rm -rf {bundle}; umoci unpack{rootless} --image {layout}:v1 {bundle}; \
         rm {bundle}/rootfs/srv/file; umoci repack --image {layout}:v1 {bundle}; \
         cd {layout} && tar -cf ../umoci.tar ."
    );
    env.run_as(&["sh", "-c", &script]).success();
    let out = env.skiff(&["load", "-i", "umoci.tar"]).success().stdout();
    let line = out.lines().next().unwrap().to_string();
    let name = line.strip_prefix("Loaded image: ").unwrap();
    let v = inspect(env, name);
    assert_eq!(v["RootFS"]["Layers"].as_array().unwrap().len(), 2);
    // The second layer deletes the file with a whiteout: the merged view has /srv, empty.
    let files = merged(env, name, "./srv");
    assert_eq!(files.lines().count(), 1, "{files}");
});

fn oci_sha(b: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(b))
}
