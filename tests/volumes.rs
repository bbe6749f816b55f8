//! `skiff volume ...` against a real store, as root and as the unprivileged test user:
//! round trips, Podman's output shapes, messages and exit codes.

mod common;
#[path = "support/store.rs"]
#[macro_use]
mod store;

use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;

use common::Env;
use serde_json::{Value, json};

fn inspect_volume(env: &Env, name: &str) -> Value {
    let out = env.skiff(&["volume", "inspect", name]).success().stdout();
    let v: Value = serde_json::from_str(&out).expect("volume inspect prints JSON");
    assert_eq!(v.as_array().map(Vec::len), Some(1), "{out}");
    v[0].clone()
}

fn names(env: &Env, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["volume", "ls", "-q"];
    args.extend_from_slice(extra);
    env.skiff(&args).success().lines()
}

/// The host uid that container uid `id` maps to in this env.
fn host_id(env: &Env, id: u32) -> u32 {
    match env.user() {
        Some(u) => common::subuid_start(&u.name) + id - 1,
        None => id,
    }
}

both!(create_ls_inspect_rm_round_trip, |env: &Env| {
    let out = env
        .skiff(&[
            "volume", "create", "-l", "app=web", "--label", "tier", "-o", "nocopy", "data",
        ])
        .success();
    assert_eq!(out.stdout(), "data\n");

    let table = env.skiff(&["volume", "ls"]).success().stdout();
    assert_eq!(table, "DRIVER      VOLUME NAME\nlocal       data\n");
    assert_eq!(
        env.skiff(&["volume", "ls", "-n"]).success().stdout(),
        "local       data\n"
    );
    assert_eq!(
        env.skiff(&["volume", "list", "--noheading"])
            .success()
            .stdout(),
        "local       data\n"
    );
    assert_eq!(names(env, &[]), ["data"]);

    let v = inspect_volume(env, "data");
    let mountpoint = env.root_dir().join("volumes/data/_data");
    assert_eq!(v["Name"], "data");
    assert_eq!(v["Driver"], "local");
    assert_eq!(v["Mountpoint"], mountpoint.display().to_string());
    assert_eq!(v["Labels"], json!({"app": "web", "tier": ""}));
    assert_eq!(v["Options"], json!({"nocopy": ""}));
    assert_eq!(v["Scope"], "local");
    assert_eq!(v["MountCount"], 0);
    assert_eq!(v["NeedsChown"], true);
    assert!(v.get("NeedsCopyUp").is_none(), "nocopy: {v}");
    assert!(v.get("Anonymous").is_none(), "{v}");
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "Name",
            "Driver",
            "Mountpoint",
            "CreatedAt",
            "Labels",
            "Scope",
            "Options",
            "MountCount",
            "NeedsChown"
        ]
    );
    // RFC 3339 with nanoseconds, as Go encodes a time.
    let created = v["CreatedAt"].as_str().unwrap();
    chrono::DateTime::parse_from_rfc3339(created).unwrap_or_else(|e| panic!("{created}: {e}"));
    assert!(created.ends_with('Z') && created.contains('.'), "{created}");

    // The data dir exists, belongs to the user, 0755 in a 0700 volume dir.
    let meta = std::fs::metadata(&mountpoint).unwrap();
    assert!(meta.is_dir());
    assert_eq!(meta.uid(), env.uid());
    assert_eq!(meta.mode() & 0o7777, 0o755);
    let dir_mode = std::fs::metadata(mountpoint.parent().unwrap())
        .unwrap()
        .mode();
    assert_eq!(dir_mode & 0o7777, 0o700);

    // ls JSON is the same document as inspect.
    let ls: Value = serde_json::from_str(
        &env.skiff(&["volume", "ls", "--format", "json"])
            .success()
            .stdout(),
    )
    .unwrap();
    assert_eq!(ls, json!([v]));

    // Go templates see every field; CreatedAt as Go prints a time.
    let t = env
        .skiff(&[
            "volume",
            "inspect",
            "--format",
            "{{.Name}}|{{.Labels.app}}|{{.UID}}|{{.Anonymous}}|{{.CreatedAt}}",
            "data",
        ])
        .success()
        .stdout();
    let parts: Vec<&str> = t.trim_end().split('|').collect();
    assert_eq!(&parts[..4], ["data", "web", "0", "false"], "{t}");
    assert!(parts[4].ends_with(" +0000 UTC"), "{t}");
    let t = env
        .skiff(&[
            "volume",
            "ls",
            "--format",
            "{{.Name}} {{.Driver}} {{.Labels}}",
        ])
        .success()
        .stdout();
    assert_eq!(t, "data local map[app:web tier:]\n");
    let t = env
        .skiff(&["volume", "ls", "--format", "table {{.Name}}\t{{.Scope}}"])
        .success()
        .stdout();
    assert_eq!(t, "VOLUME NAME  SCOPE\ndata         local\n");
    let t = env
        .skiff(&["volume", "ls", "--format", "table"])
        .success()
        .stdout();
    assert_eq!(t, "DRIVER      VOLUME NAME\nlocal       data\n");

    env.skiff(&["volume", "exists", "data"]).success();
    env.skiff(&["volume", "exists", "nope"]).failure(1);

    let out = env.skiff(&["volume", "rm", "data"]).success();
    assert_eq!(out.stdout(), "data\n");
    assert!(!mountpoint.parent().unwrap().exists());
    env.skiff(&["volume", "exists", "data"]).failure(1);
    // Nothing at all when there are no volumes (no header), `[]` for JSON.
    assert_eq!(env.skiff(&["volume", "ls"]).success().stdout(), "");
    assert_eq!(
        env.skiff(&["volume", "ls", "--format", "json"])
            .success()
            .stdout(),
        "[]\n"
    );
    // No temporaries left behind.
    let tmp: Vec<_> = std::fs::read_dir(env.root_dir().join("tmp"))
        .unwrap()
        .collect();
    assert!(tmp.is_empty(), "{tmp:?}");
});

both!(create_errors_match_podman, |env: &Env| {
    env.skiff(&["volume", "create", "a b"])
        .failure(125)
        .stderr_has(
            "Error: running volume create option: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument",
        );
    env.skiff(&["volume", "create", "--", "-x"]).failure(125);
    env.skiff(&["volume", "create", "v1"]).success();
    let out = env.skiff(&["volume", "create", "v1"]).failure(125);
    assert_eq!(
        out.stderr(),
        "Error: volume with name v1 already exists: volume already exists\n"
    );
    let out = env.skiff(&["volume", "create", "--ignore", "v1"]).success();
    assert_eq!(out.stdout(), "v1\n");
    env.skiff(&["volume", "create", "-o", "bogus=1", "v2"])
        .failure(125)
        .stderr_has("Error: invalid mount option bogus for driver 'local': invalid argument");
    env.skiff(&["volume", "create", "-o", "o=uid=abc", "v2"])
        .failure(125)
        .stderr_has("cannot convert UID abc to integer");
    env.skiff(&["volume", "create", "--driver", "nfs", "v2"])
        .failure(125)
        .stderr_has("no volume plugin with name nfs available: required plugin missing");
    env.skiff(&["volume", "exists", "v2"]).failure(1);
    assert_eq!(names(env, &[]), ["v1"]);
});

both!(unnamed_volumes_get_random_hex_names, |env: &Env| {
    let a = env.skiff(&["volume", "create"]).success().stdout();
    let b = env.skiff(&["volume", "create"]).success().stdout();
    for n in [&a, &b] {
        let n = n.trim();
        assert_eq!(n.len(), 64, "{n}");
        assert!(n.bytes().all(|c| c.is_ascii_hexdigit()), "{n}");
        // `volume create` without a name is not an anonymous (container) volume.
        assert!(inspect_volume(env, n).get("Anonymous").is_none());
    }
    assert_ne!(a, b);
});

both!(uid_and_gid_options_own_the_data, |env: &Env| {
    env.skiff(&["volume", "create", "-o", "o=uid=1000,gid=1001", "owned"])
        .success();
    let v = inspect_volume(env, "owned");
    assert_eq!(v["UID"], 1000);
    assert_eq!(v["GID"], 1001);
    assert_eq!(
        v["Options"],
        json!({"GID": "1001", "UID": "1000", "o": "uid=1000,gid=1001"})
    );
    assert!(v.get("NeedsChown").is_none(), "{v}");
    let meta = std::fs::metadata(PathBuf::from(v["Mountpoint"].as_str().unwrap())).unwrap();
    assert_eq!(meta.uid(), host_id(env, 1000));
    assert_eq!(meta.gid(), host_id(env, 1001));
    env.skiff(&["volume", "rm", "owned"]).success();
});

both!(ls_filters, |env: &Env| {
    env.skiff(&["volume", "create", "-l", "app=web", "-l", "env=prod", "web"])
        .success();
    env.skiff(&["volume", "create", "-l", "app=db", "db"])
        .success();
    env.skiff(&[
        "volume",
        "create",
        "-o",
        "type=tmpfs",
        "-o",
        "device=tmpfs",
        "scratch",
    ])
    .success();
    let all = ["db", "scratch", "web"];
    assert_eq!(names(env, &[]), all);
    assert_eq!(names(env, &["--filter", "label=app"]), ["db", "web"]);
    assert_eq!(names(env, &["--filter", "label=app=web"]), ["web"]);
    // Several labels must all match; other keys match any of their values.
    assert_eq!(
        names(env, &["-f", "label=app=web", "-f", "label=env=prod"]),
        ["web"]
    );
    assert!(names(env, &["-f", "label=app=web", "-f", "label=app=db"]).is_empty());
    assert_eq!(
        names(env, &["-f", "name=db", "-f", "name=web"]),
        ["db", "web"]
    );
    assert_eq!(names(env, &["-f", "label!=app"]), ["scratch"]);
    assert_eq!(names(env, &["-f", "label!=app=db"]), ["scratch", "web"]);
    // Names are regular expressions, unanchored.
    assert_eq!(names(env, &["-f", "name=^s"]), ["scratch"]);
    assert_eq!(names(env, &["-f", "name=b"]), ["db", "web"]);
    assert_eq!(names(env, &["-f", "name=^(db|web)$"]), ["db", "web"]);
    // Different keys must all match.
    assert_eq!(names(env, &["-f", "name=b", "-f", "label=env"]), ["web"]);
    assert_eq!(names(env, &["-f", "driver=local"]), all);
    assert!(names(env, &["-f", "driver=nfs"]).is_empty());
    assert_eq!(names(env, &["-f", "opt=type=tmpfs"]), ["scratch"]);
    assert_eq!(names(env, &["-f", "scope=local"]), all);
    // No containers use them: all are dangling.
    assert_eq!(names(env, &["-f", "dangling=true"]), all);
    assert!(names(env, &["-f", "dangling=false"]).is_empty());
    assert_eq!(
        names(env, &["-f", "until=2000-01-01"]),
        Vec::<String>::new()
    );
    assert_eq!(names(env, &["-f", "until=1000000000000"]), all);
    assert_eq!(names(env, &["-f", "after=db"]), ["scratch"]);
    assert_eq!(names(env, &["-f", "since=web"]), ["db", "scratch"]);

    for (filter, msg) in [
        ("bogus=1", "Error: \"bogus\" is an invalid volume filter"),
        (
            "bogus",
            "Error: filter input must be in the form of filter=value: bogus is invalid",
        ),
        (
            "dangling=maybe",
            "Error: \"maybe\" is not a valid value for the \"dangling\" filter - must be true or false",
        ),
    ] {
        env.skiff(&["volume", "ls", "--filter", filter])
            .failure(125)
            .stderr_has(msg);
    }
    env.skiff(&["volume", "ls", "-q", "--format", "{{.Name}}"])
        .failure(125)
        .stderr_has("Error: quiet and format flags cannot be used together");
});

both!(inspect_all_and_unknown, |env: &Env| {
    env.skiff(&["volume", "create", "b"]).success();
    env.skiff(&["volume", "create", "a"]).success();
    let out = env
        .skiff(&["volume", "inspect", "--all", "--format", "{{.Name}}"])
        .success();
    assert_eq!(out.stdout(), "a\nb\n");
    let v: Value =
        serde_json::from_str(&env.skiff(&["volume", "inspect", "-a"]).success().stdout()).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    // Known ones are printed, then the unknown one fails the command.
    let out = env.skiff(&["volume", "inspect", "a", "nope"]).failure(125);
    assert_eq!(
        out.stderr(),
        "Error: inspecting object: no such volume nope\n"
    );
    let v: Value = serde_json::from_str(&out.stdout()).unwrap();
    assert_eq!(v[0]["Name"], "a");
    env.skiff(&["volume", "inspect"])
        .failure(125)
        .stderr_has("Error: provide one or more volume names or use --all");
    env.skiff(&["volume", "inspect", "--all", "a"])
        .failure(125)
        .stderr_has("Error: provide one or more volume names or use --all");
});

both!(rm_messages_and_exit_codes, |env: &Env| {
    let out = env.skiff(&["volume", "rm", "nope"]).failure(1);
    assert_eq!(
        out.stderr(),
        "Error: no volume with name \"nope\" found: no such volume\n"
    );
    env.skiff(&["volume", "create", "v1"]).success();
    env.skiff(&["volume", "create", "v2"]).success();
    env.skiff(&["volume", "create", "v3"]).success();
    // The others are removed; the unknown one fails the command with exit 1.
    let out = env.skiff(&["volume", "rm", "v1", "nope", "v2"]).failure(1);
    assert_eq!(out.stdout(), "v1\nv2\n");
    assert_eq!(names(env, &[]), ["v3"]);
    env.skiff(&["volume", "rm"])
        .failure(125)
        .stderr_has("Error: choose either one or more volumes or all");
    env.skiff(&["volume", "rm", "--all", "v3"])
        .failure(125)
        .stderr_has("Error: choose either one or more volumes or all");
    env.skiff(&["volume", "create", "v4"]).success();
    let out = env.skiff(&["volume", "remove", "-a", "-f"]).success();
    assert_eq!(out.stdout(), "v3\nv4\n");
    assert!(names(env, &[]).is_empty());
});

both!(prune_asks_and_filters, |env: &Env| {
    // Nothing to prune: said so, nothing asked.
    let out = env.skiff_stdin(&["volume", "prune"], b"").success();
    assert!(out.stdout().contains("No dangling volumes found"), "{out}");

    env.skiff(&["volume", "create", "-l", "keep=yes", "kept"])
        .success();
    env.skiff(&["volume", "create", "-l", "tmp", "t1"])
        .success();
    env.skiff(&["volume", "create", "t2"]).success();

    let out = env.skiff_stdin(&["volume", "prune"], b"n\n").success();
    let text = out.stdout();
    assert!(
        text.starts_with(
            "WARNING! This will remove all volumes not used by at least one container. The following volumes will be removed:\nkept\nt1\nt2\nAre you sure you want to continue? [y/N] "
        ),
        "{text}"
    );
    assert_eq!(names(env, &[]).len(), 3);
    // No answer is no.
    env.skiff_stdin(&["volume", "prune"], b"").success();
    assert_eq!(names(env, &[]).len(), 3);

    let out = env
        .skiff(&["volume", "prune", "-f", "--filter", "label=tmp"])
        .success();
    assert_eq!(out.stdout(), "t1\n");
    let out = env
        .skiff(&["volume", "prune", "--force", "--filter", "label!=keep"])
        .success();
    assert_eq!(out.stdout(), "t2\n");
    env.skiff(&["volume", "prune", "-f", "--filter", "dangling=true"])
        .failure(125)
        .stderr_has("is an invalid volume filter");

    let out = env.skiff_stdin(&["volume", "prune"], b"y\n").success();
    assert!(out.stdout().ends_with("[y/N] kept\n"), "{out}");
    assert!(names(env, &[]).is_empty());
});

both!(concurrent_creates_have_one_winner, |env: &Env| {
    let bin = common::skiff_bin();
    let root = env.root_dir();
    let runroot = env.runroot_dir();
    let script = format!(
        "for i in 1 2 3 4 5 6 7 8; do {b} --root {r} --runroot {rr} volume create race >out.$i 2>err.$i & done; wait; cat out.*; echo ---; cat err.*",
        b = bin.display(),
        r = root.display(),
        rr = runroot.display()
    );
    let out = env.run_as(&["sh", "-c", &script]).success();
    let text = out.stdout();
    let (created, errors) = text.split_once("---\n").unwrap();
    assert_eq!(created, "race\n", "{text}");
    assert_eq!(
        errors,
        "Error: volume with name race already exists: volume already exists\n".repeat(7),
        "{text}"
    );
    assert_eq!(names(env, &[]), ["race"]);
});

both!(rm_removes_files_owned_by_other_ids, |env: &Env| {
    env.skiff(&["volume", "create", "shared"]).success();
    let v = inspect_volume(env, "shared");
    let mp = v["Mountpoint"].as_str().unwrap().to_string();
    let script = format!(
        "set -e; cd {mp}; mkdir -p d/e; echo hi >d/e/f; touch top; chmod 0500 d/e; \
         chown -R 1000:1000 d top"
    );
    if env.is_rootless() {
        env.skiff(&["unshare", "sh", "-c", &script]).success();
    } else {
        env.run_as(&["sh", "-c", &script]).success();
    }
    let owner = std::fs::metadata(format!("{mp}/d/e/f")).unwrap().uid();
    assert_eq!(owner, host_id(env, 1000));
    let out = env.skiff(&["volume", "rm", "shared"]).success();
    assert_eq!(out.stdout(), "shared\n");
    assert!(!std::path::Path::new(&mp).exists());
    assert!(names(env, &[]).is_empty());
});
