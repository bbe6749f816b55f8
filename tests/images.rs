//! Image commands against a real store, as root and as the unprivileged test user.

mod common;
#[path = "support/store.rs"]
#[macro_use]
mod store;

use common::{Env, test_images};
use store::{fresh_env_with, inspect, merged_listing, store_listing};

const BUSYBOX: &str = "localhost/skiff-test/busybox:latest";
const MULTI: &str = "localhost/skiff-test/multilayer:latest";

fn image_path(file: &str) -> String {
    test_images().join(file).display().to_string()
}

both!(load_oci_archive_lists_and_inspects, |env: &Env| {
    let out = env.load_test_image("busybox.tar").success();
    assert_eq!(out.stdout().trim(), format!("Loaded image: {BUSYBOX}"));

    let table = env.skiff(&["images"]).success().stdout();
    let mut lines = table.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("REPOSITORY") && header.contains("IMAGE ID") && header.contains("SIZE"),
        "{table}"
    );
    let row = lines.next().expect("one image row");
    assert!(row.starts_with("localhost/skiff-test/busybox"), "{table}");
    assert!(row.contains("latest"), "{table}");

    let v = inspect(env, BUSYBOX);
    let id = v["Id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 64);
    assert_eq!(v["RepoTags"], serde_json::json!([BUSYBOX]));
    assert_eq!(v["Config"]["Cmd"], serde_json::json!(["sh"]));
    assert_eq!(v["Os"], "linux");
    assert_eq!(v["RootFS"]["Layers"].as_array().unwrap().len(), 1);

    let q = env.skiff(&["images", "-q"]).success().stdout();
    assert_eq!(q.trim(), &id[..12]);
    let full = env
        .skiff(&["images", "-q", "--no-trunc"])
        .success()
        .stdout();
    assert_eq!(full.trim(), format!("sha256:{id}"));

    // Lookups: short name, id prefix, full id.
    for name in [
        "skiff-test/busybox",
        "skiff-test/busybox:latest",
        &id[..5],
        &id,
        &format!("sha256:{id}"),
    ] {
        let got = env
            .skiff(&["image", "inspect", "--format", "{{.Id}}", name])
            .success()
            .stdout();
        assert_eq!(got.trim(), id, "looking up {name}");
    }

    // Templates and JSON.
    let t = env
        .skiff(&["images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"])
        .success()
        .stdout();
    assert_eq!(t.trim(), format!("{} {}", BUSYBOX, &id[..12]));
    let j: serde_json::Value = serde_json::from_str(
        &env.skiff(&["images", "--format", "json"])
            .success()
            .stdout(),
    )
    .unwrap();
    assert_eq!(j[0]["Id"], id.as_str());
    assert_eq!(j[0]["Names"], serde_json::json!([BUSYBOX]));
    let cmd = env
        .skiff(&[
            "inspect",
            "--format",
            "{{index .Config.Cmd 0}} {{.Architecture}}",
            BUSYBOX,
        ])
        .success();
    assert!(cmd.stdout().starts_with("sh "), "{}", cmd.stdout());
});

both!(layer_files_keep_content_modes_and_owners, |env: &Env| {
    env.load_test_image("busybox.tar").success();
    let v = inspect(env, BUSYBOX);
    let diff = std::path::PathBuf::from(v["GraphDriver"]["Data"]["UpperDir"].as_str().unwrap());
    let meta =
        |p: &str| std::fs::symlink_metadata(diff.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    use std::os::unix::fs::MetadataExt;
    // Ownership maps through the user's subordinate range rootless (start + 1000 - 1).
    let base = match env.user() {
        Some(u) => common::subuid_start(&u.name) - 1,
        None => 0,
    };
    let owned = meta("home/user/owned");
    assert_eq!(owned.uid(), base + 1000);
    assert_eq!(owned.gid(), base + 1000);
    let root_owned = meta("bin/busybox");
    assert_eq!(root_owned.uid(), env.uid());
    assert_eq!(meta("tmp").mode() & 0o7777, 0o1777);
    assert_eq!(meta("root").mode() & 0o7777, 0o700);
    assert_eq!(
        std::fs::read(diff.join("bin/busybox")).unwrap(),
        std::fs::read("/bin/busybox").unwrap()
    );
});

both!(multilayer_whiteouts_overlay_as_expected, |env: &Env| {
    env.load_test_image("busybox.tar").success();
    env.load_test_image("multilayer.tar").success();
    let expected = std::fs::read_to_string(test_images().join("multilayer.expected")).unwrap();
    let got = merged_listing(env, MULTI, "./data ./opq ./swap");
    assert_eq!(
        got.trim(),
        expected.trim(),
        "merged multilayer image differs from the expected listing"
    );
    // The busybox base layer is shared, not unpacked twice.
    let layers = std::fs::read_dir(env.root_dir().join("layers"))
        .unwrap()
        .count();
    let multi_layers = inspect(env, MULTI)["RootFS"]["Layers"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(layers, multi_layers);
});

both!(tag_untag_rmi_and_garbage_collection, |env: &Env| {
    env.load_test_image("busybox.tar").success();
    let id = inspect(env, BUSYBOX)["Id"].as_str().unwrap().to_string();
    env.skiff(&["tag", BUSYBOX, "myimg", "example.com/team/app:v1"])
        .success();
    let names = env
        .skiff(&["images", "--format", "{{.Repository}}:{{.Tag}}"])
        .success()
        .stdout();
    for n in [BUSYBOX, "localhost/myimg:latest", "example.com/team/app:v1"] {
        assert!(names.lines().any(|l| l == n), "{n} missing in {names}");
    }
    // Removing one of several names only untags.
    let out = env.skiff(&["rmi", "myimg"]).success().stdout();
    assert_eq!(out.trim(), "Untagged: localhost/myimg:latest");
    env.skiff(&["untag", BUSYBOX, "example.com/team/app:v1"])
        .success();
    // Removing by id removes the image, its layers and blobs.
    let out = env.skiff(&["rmi", &id[..12]]).success().stdout();
    assert!(out.contains(&format!("Untagged: {BUSYBOX}")), "{out}");
    assert!(out.contains(&format!("Deleted: {id}")), "{out}");
    assert_eq!(env.skiff(&["images", "-q"]).success().stdout(), "");
    let root = env.root_dir();
    assert_eq!(std::fs::read_dir(root.join("layers")).unwrap().count(), 0);
    assert_eq!(
        std::fs::read_dir(root.join("blobs/sha256"))
            .unwrap()
            .count(),
        0
    );
    // Unknown image: Podman's message and exit code 1.
    let out = env.skiff(&["rmi", "nope"]).failure(1);
    assert!(
        out.stderr().contains("nope: image not known"),
        "{}",
        out.stderr()
    );
    env.skiff(&["rmi", "--ignore", "nope"]).success();
});

both!(prune_removes_dangling_then_all, |env: &Env| {
    env.load_test_image("busybox.tar").success();
    env.load_test_image("multilayer.tar").success();
    // Move the busybox name onto the multilayer image: busybox becomes dangling.
    env.skiff(&["tag", MULTI, BUSYBOX]).success();
    let dangling = env
        .skiff(&["images", "--filter", "dangling=true", "-q"])
        .success()
        .stdout();
    assert_eq!(dangling.lines().count(), 1);
    let none = env
        .skiff(&[
            "images",
            "--format",
            "{{.Repository}} {{.Tag}}",
            "--filter",
            "dangling=true",
        ])
        .success();
    assert_eq!(none.stdout().trim(), "<none> <none>");
    // Without -f, prune asks; no answer means no.
    env.skiff(&["image", "prune"]).success();
    assert_eq!(
        env.skiff(&["images", "-q"])
            .success()
            .stdout()
            .lines()
            .count(),
        2
    );
    let out = env.skiff(&["image", "prune", "-f"]).success().stdout();
    assert_eq!(out.lines().count(), 1);
    assert_eq!(
        env.skiff(&["images", "-q"])
            .success()
            .stdout()
            .lines()
            .count(),
        1
    );
    env.skiff(&["image", "prune", "-a", "-f"]).success();
    assert_eq!(env.skiff(&["images", "-q"]).success().stdout(), "");
});

both!(history_shows_entries, |env: &Env| {
    env.load_test_image("multilayer.tar").success();
    let out = env.skiff(&["history", MULTI]).success().stdout();
    let mut lines = out.lines();
    let header = lines.next().unwrap();
    for col in ["ID", "CREATED", "CREATED BY", "SIZE", "COMMENT"] {
        assert!(header.contains(col), "{header}");
    }
    let rows: Vec<&str> = lines.collect();
    assert!(rows.len() >= 3, "{out}");
    let id = inspect(env, MULTI)["Id"].as_str().unwrap()[..12].to_string();
    assert!(rows[0].starts_with(&id), "{out}");
    assert!(rows[1].starts_with("<missing>"), "{out}");
    let q = env.skiff(&["history", "-q", MULTI]).success().stdout();
    assert_eq!(q.lines().count(), rows.len());
    let f = env
        .skiff(&["history", "--format", "{{.ID}}|{{.Size}}", MULTI])
        .success()
        .stdout();
    assert!(f.lines().all(|l| l.contains('|')), "{f}");
});

both!(import_rootfs_with_changes, |env: &Env| {
    let rootfs = image_path("busybox-rootfs.tar");
    let out = env
        .skiff(&[
            "import",
            "--change",
            "CMD [\"/bin/sh\",\"-c\",\"echo hi\"]",
            "-c",
            "ENV FOO=bar",
            "-c",
            "WORKDIR /srv",
            "-c",
            "ENTRYPOINT [\"/bin/env\"]",
            "-c",
            "EXPOSE 8080",
            "-c",
            "LABEL org.example.k=v",
            "-c",
            "USER nobody",
            "--message",
            "made by a test",
            &rootfs,
            "imported:v1",
        ])
        .success()
        .stdout();
    let id = out.trim().lines().last().unwrap().to_string();
    assert_eq!(id.len(), 64, "{out}");
    let v = inspect(env, "imported:v1");
    assert_eq!(v["Id"], id.as_str());
    assert_eq!(v["RepoTags"], serde_json::json!(["localhost/imported:v1"]));
    let c = &v["Config"];
    assert_eq!(c["Cmd"], serde_json::json!(["/bin/sh", "-c", "echo hi"]));
    assert_eq!(c["Entrypoint"], serde_json::json!(["/bin/env"]));
    assert_eq!(c["Env"], serde_json::json!(["FOO=bar"]));
    assert_eq!(c["WorkingDir"], "/srv");
    assert_eq!(c["User"], "nobody");
    assert_eq!(c["ExposedPorts"], serde_json::json!({"8080/tcp": {}}));
    assert_eq!(c["Labels"], serde_json::json!({"org.example.k": "v"}));
    assert_eq!(v["Comment"], "made by a test");
    // From stdin too; the same content gives the same layer.
    let tar = std::fs::read(&rootfs).unwrap();
    env.skiff_stdin(&["import", "-", "fromstdin"], &tar)
        .success();
    let a = inspect(env, "imported:v1")["RootFS"]["Layers"].clone();
    let b = inspect(env, "fromstdin")["RootFS"]["Layers"].clone();
    assert_eq!(a, b);
    // A bad change is refused before anything is stored.
    let before = store_listing(env);
    let out = env
        .skiff(&["import", "-c", "FROB x", &rootfs, "bad"])
        .failure(125);
    assert!(out.stderr().contains("FROB"), "{}", out.stderr());
    assert_eq!(store_listing(env), before);
});

both!(save_and_load_round_trip_both_formats, |env: &Env| {
    env.load_test_image("multilayer.tar").success();
    let id = inspect(env, MULTI)["Id"].as_str().unwrap().to_string();
    for format in ["oci-archive", "docker-archive"] {
        let file = env.path().join(format!("{format}.tar"));
        let f = file.display().to_string();
        env.skiff(&["save", "--format", format, "-o", &f, MULTI])
            .success();
        let fresh = fresh_env_with(env, &file, "in.tar");
        let out = fresh.skiff(&["load", "-i", "in.tar"]).success().stdout();
        assert!(out.contains(MULTI), "{format}: {out}");
        assert_eq!(
            inspect(&fresh, MULTI)["Id"],
            id.as_str(),
            "{format} changes the image id"
        );
        let expected = std::fs::read_to_string(test_images().join("multilayer.expected")).unwrap();
        assert_eq!(
            merged_listing(&fresh, MULTI, "./data ./opq ./swap").trim(),
            expected.trim()
        );
    }
    // Standard output and standard input work too.
    let script = format!(
        "{} --root {} --runroot {} save {MULTI} > stdout.tar",
        common::skiff_bin().display(),
        env.root_dir().display(),
        env.runroot_dir().display()
    );
    env.run_as(&["sh", "-c", &script]).success();
    let bytes = std::fs::read(env.path().join("stdout.tar")).unwrap();
    let fresh = fresh_env_with(env, &env.path().join("stdout.tar"), "copy.tar");
    let out = fresh.skiff_stdin(&["load"], &bytes).success().stdout();
    assert!(out.contains(MULTI), "{out}");
    assert_eq!(inspect(&fresh, MULTI)["Id"], id.as_str());
});
