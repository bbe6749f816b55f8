//! Every failure a user can cause gives one clear line, exit 125 (Podman's), and leaves
//! the store exactly as it was.

mod common;
#[path = "support/store.rs"]
#[macro_use]
mod store;
#[path = "support/oci.rs"]
mod oci;

use common::{Env, test_images};
use oci::{OciArchive, sha, tar_of};
use store::{refused, store_listing};

fn good_archive() -> OciArchive {
    OciArchive::new(
        "localhost/crafted:latest",
        &[tar_of(&[("hello.txt", b"hello\n")])],
    )
}

both!(crafted_archive_loads, |env: &Env| {
    let out = env
        .skiff_stdin(&["load"], &good_archive().build())
        .success();
    assert!(
        out.stdout()
            .contains("Loaded image: localhost/crafted:latest"),
        "{}",
        out.stdout()
    );
});

both!(truncated_archive, |env: &Env| {
    let full = std::fs::read(test_images().join("busybox.tar")).unwrap();
    // Loading busybox first, so the truncated copy's blobs partly exist already.
    refused(env, &full[..full.len() / 2], "");
    let other = good_archive().build();
    refused(env, &other[..other.len() - 1500], "");
});

both!(corrupt_archive_bytes, |env: &Env| {
    refused(
        env,
        b"this is not a tar archive at all, just some text that goes on and on\n",
        "",
    );
});

both!(layer_digest_mismatch, |env: &Env| {
    let mut a = good_archive();
    let real = sha(&a.layers[0]);
    a.omit.push(real.clone());
    let mut bad = a.layers[0].clone();
    let n = bad.len();
    bad[n - 10] ^= 0xff;
    a.extra.push((format!("blobs/sha256/{real}"), bad));
    refused(env, &a.build(), "sha256:");
});

both!(diff_id_mismatch, |env: &Env| {
    let mut a = good_archive();
    a.diff_ids[0] = sha(b"something else");
    a.rebuild_docs();
    refused(env, &a.build(), "diff");
});

both!(manifest_not_json, |env: &Env| {
    let mut a = good_archive();
    a.manifest = b"{ not json".to_vec();
    a.rebuild_index();
    refused(env, &a.build(), "manifest");
});

both!(manifest_not_an_image, |env: &Env| {
    let mut a = good_archive();
    a.manifest = br#"{"schemaVersion":2,"hello":"world"}"#.to_vec();
    a.rebuild_index();
    refused(env, &a.build(), "manifest");
});

both!(index_not_json, |env: &Env| {
    let mut a = good_archive();
    a.index = b"[[[".to_vec();
    refused(env, &a.build(), "index");
});

both!(missing_blob, |env: &Env| {
    let mut a = good_archive();
    a.omit.push(sha(&a.layers[0]));
    refused(env, &a.build(), "missing");
});

both!(tar_entry_escapes, |env: &Env| {
    for name in ["../evil", "a/../../evil", "../../../../../../tmp/evil"] {
        let a = OciArchive::new("localhost/escape:latest", &[tar_of(&[(name, b"boom\n")])]);
        refused(env, &a.build(), "escape");
    }
});

both!(unknown_image_and_bad_reference, |env: &Env| {
    env.load_test_image("busybox.tar").success();
    let before = store_listing(env);
    let out = env.skiff(&["image", "inspect", "nope"]).failure(125);
    assert!(
        out.stderr().contains("nope: image not known"),
        "{}",
        out.stderr()
    );
    let out = env.skiff(&["inspect", "nope"]).failure(125);
    assert!(out.stderr().contains("no such object"), "{}", out.stderr());
    let out = env.skiff(&["history", "nope"]).failure(125);
    assert!(out.stderr().contains("image not known"), "{}", out.stderr());
    let out = env.skiff(&["save", "-o", "x.tar", "nope"]).failure(125);
    assert!(out.stderr().contains("image not known"), "{}", out.stderr());
    assert!(
        !env.path().join("x.tar").exists(),
        "a failed save left a file"
    );
    let out = env
        .skiff(&["tag", "skiff-test/busybox", "Bad Name!"])
        .failure(125);
    assert!(
        out.stderr().contains("invalid reference format"),
        "{}",
        out.stderr()
    );
    let out = env
        .skiff(&["tag", "skiff-test/busybox", "library/UPPER"])
        .failure(125);
    assert!(
        out.stderr().contains("invalid reference format"),
        "{}",
        out.stderr()
    );
    let out = env
        .skiff(&["load", "-i", "/nonexistent/archive.tar"])
        .failure(125);
    assert!(
        out.stderr().contains("/nonexistent/archive.tar"),
        "{}",
        out.stderr()
    );
    assert_eq!(store_listing(env), before);
});
