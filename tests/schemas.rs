//! Every manifest, index and config skiff writes validates against the OCI image-spec
//! JSON schemas (tests/fixtures/oci-schema, from the image-spec repository).

mod common;
#[path = "../src/image/schema_check.rs"]
#[allow(dead_code)]
mod schema_check;

use common::{Env, test_images};
use schema_check::{SchemaKind, validate};
use serde_json::Value;

fn json_file(p: &std::path::Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Validate an extracted OCI layout: oci-layout, index.json, each manifest and config.
fn validate_layout(dir: &std::path::Path) -> usize {
    validate(SchemaKind::Layout, &json_file(&dir.join("oci-layout"))).unwrap();
    let index = json_file(&dir.join("index.json"));
    validate(SchemaKind::Index, &index).unwrap_or_else(|e| panic!("index.json: {e:#}\n{index}"));
    let blob = |d: &str| {
        dir.join("blobs/sha256")
            .join(d.trim_start_matches("sha256:"))
    };
    let mut n = 0;
    for m in index["manifests"].as_array().unwrap() {
        let manifest = json_file(&blob(m["digest"].as_str().unwrap()));
        validate(SchemaKind::Manifest, &manifest)
            .unwrap_or_else(|e| panic!("manifest: {e:#}\n{manifest}"));
        let config = json_file(&blob(manifest["config"]["digest"].as_str().unwrap()));
        validate(SchemaKind::Config, &config).unwrap_or_else(|e| panic!("config: {e:#}\n{config}"));
        n += 1;
    }
    n
}

#[test]
fn saved_and_imported_images_validate() {
    let env = Env::root();
    env.load_test_image("multilayer.tar").success();
    let rootfs = test_images().join("busybox-rootfs.tar");
    env.skiff(&[
        "import",
        "-c",
        "CMD [\"sh\"]",
        "-c",
        "ENV A=b",
        "-c",
        "EXPOSE 80",
        "-c",
        "LABEL x=y",
        "-c",
        "VOLUME /data",
        "-m",
        "msg",
        rootfs.to_str().unwrap(),
        "imported",
    ])
    .success();
    let arc = env.path().join("out.tar");
    env.skiff(&[
        "save",
        "--format",
        "oci-archive",
        "-o",
        arc.to_str().unwrap(),
        "skiff-test/multilayer",
        "imported",
    ])
    .success();
    let dir = env.path().join("layout");
    std::fs::create_dir(&dir).unwrap();
    env.run_as(&[
        "tar",
        "-C",
        dir.to_str().unwrap(),
        "-xf",
        arc.to_str().unwrap(),
    ])
    .success();
    assert_eq!(validate_layout(&dir), 2);

    // The manifest and config import wrote, as stored.
    let v: Value = serde_json::from_str(
        &env.skiff(&["image", "inspect", "imported"])
            .success()
            .stdout(),
    )
    .unwrap();
    let blobs = env.root_dir().join("blobs/sha256");
    let digest = v[0]["Digest"]
        .as_str()
        .unwrap()
        .trim_start_matches("sha256:")
        .to_string();
    validate(SchemaKind::Manifest, &json_file(&blobs.join(digest))).unwrap();
    validate(
        SchemaKind::Config,
        &json_file(&blobs.join(v[0]["Id"].as_str().unwrap())),
    )
    .unwrap();
}
