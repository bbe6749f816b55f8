//! pull, push, login/logout, search and `manifest inspect` against a real docker-registry on
//! loopback (tests/support/registry.rs), as root and as the rootless test user; faults come
//! from a proxy in front of the real registry. Every command gets its own registries.conf,
//! auth file and XDG_CONFIG_HOME inside the test's directory, so nothing of the host's (or
//! the user's) configuration is read or written.

mod common;
#[path = "support/oci.rs"]
mod oci;
#[path = "support/registry.rs"]
mod registry;
#[path = "support/store.rs"]
#[macro_use]
mod store;

use std::ffi::OsStr;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::time::Duration;

use common::{Env, Output, run_command, test_images};
use registry::{
    Fault, FaultProxy, Registry, push_with_skopeo, skopeo, skopeo_inspect, skopeo_inspect_raw,
    skopeo_pull,
};

fn busybox() -> PathBuf {
    test_images().join("busybox.tar")
}

fn multilayer() -> PathBuf {
    test_images().join("multilayer.tar")
}

/// The files every command of a test sees: an empty registries.conf unless the test writes
/// one, the auth file, XDG_CONFIG_HOME (for certs.d).
fn config_env(env: &Env) -> Vec<(&'static str, String)> {
    let conf = env.path().join("registries.conf");
    if !conf.exists() {
        env.write("registries.conf", "");
    }
    let xdg = env.path().join("xdg-config");
    if !xdg.exists() {
        env.run_as(&["mkdir", "-p", xdg.to_str().unwrap()])
            .success();
    }
    vec![
        ("CONTAINERS_REGISTRIES_CONF", conf.display().to_string()),
        ("REGISTRY_AUTH_FILE", auth_file(env).display().to_string()),
        ("XDG_CONFIG_HOME", xdg.display().to_string()),
    ]
}

fn auth_file(env: &Env) -> PathBuf {
    env.path().join("auth").join("auth.json")
}

/// `skiff ARGS` with the test's own registry configuration.
fn sk<S: AsRef<OsStr>>(env: &Env, args: &[S]) -> Output {
    sk_stdin(env, args, None)
}

fn sk_stdin<S: AsRef<OsStr>>(env: &Env, args: &[S], stdin: Option<&[u8]>) -> Output {
    let mut cmd = env.skiff_command(args);
    for (k, v) in config_env(env) {
        cmd.env(k, v);
    }
    run_command(cmd, stdin)
}

/// `skiff ARGS` on a second store of the same user, in a directory of the env (`n` names
/// it), with the env's registry configuration.
fn sk_fresh(env: &Env, n: &str, args: &[&str]) -> Output {
    let base = env.path().join(format!("store-{n}"));
    let mut argv: Vec<String> = vec![
        "--root".into(),
        base.join("root").display().to_string(),
        "--runroot".into(),
        base.join("run").display().to_string(),
    ];
    argv.extend(args.iter().map(|s| s.to_string()));
    let mut cmd = env.command(common::skiff_bin(), &argv);
    for (k, v) in config_env(env) {
        cmd.env(k, v);
    }
    run_command(cmd, None)
}

/// Whether the store holds no image, no blob, no layer and no temporary file.
fn assert_store_empty(env: &Env) {
    let out = sk(env, &["images", "-q"]).success();
    assert_eq!(
        out.stdout().trim(),
        "",
        "no image may be left: {}",
        out.report("images")
    );
    let root = env.root_dir();
    for sub in ["blobs/sha256", "layers", "tmp"] {
        let dir = root.join(sub);
        let listing = env
            .run_as(&[
                "find",
                dir.to_str().unwrap(),
                "-mindepth",
                "1",
                "-maxdepth",
                "1",
            ])
            .stdout();
        let left: Vec<&str> = listing
            .lines()
            .filter(|l| !l.contains("No such file"))
            .collect();
        assert!(left.is_empty(), "{sub} must be empty, found {left:?}");
    }
}

fn image_id_of(reg: &Registry, reference: &str) -> String {
    let raw = skopeo_inspect_raw(reg, reference);
    raw["config"]["digest"]
        .as_str()
        .expect("config digest")
        .trim_start_matches("sha256:")
        .to_string()
}

// ---------------------------------------------------------------------------------------
// The main path: skopeo-pushed images pulled, run, pushed back, pulled on a fresh store.

both!(pull_run_push_pull_round_trip, |env: &Env| {
    let reg = Registry::http();
    let addr = reg.addr();
    let pushed = push_with_skopeo(&reg, &busybox(), "skiff-test/busybox:1");
    let want_id = image_id_of(&reg, "skiff-test/busybox:1");
    let src = format!("{addr}/skiff-test/busybox:1");

    let out = sk(env, &["pull", "--tls-verify=false", &src]).success();
    assert_eq!(out.stdout().trim(), want_id, "pull prints the image id");
    assert!(
        out.stderr().contains(&format!("Trying to pull {src}...")),
        "{}",
        out.stderr()
    );
    assert!(out.stderr().contains("Copying blob"), "{}", out.stderr());
    let images = sk(
        env,
        &["images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"],
    )
    .success();
    assert!(
        images
            .stdout()
            .contains(&format!("{addr}/skiff-test/busybox:1 {}", &want_id[..12])),
        "{}",
        images.stdout()
    );
    let inspect = sk(env, &["image", "inspect", "--format", "{{.Digest}}", &src]).success();
    assert_eq!(
        inspect.stdout().trim(),
        pushed,
        "the manifest digest is the registry's"
    );
    let ran = sk(
        env,
        &[
            "run",
            "--rm",
            &src,
            "cat",
            "/etc/hostname-is-not-here-but-echo-is",
        ],
    );
    assert_eq!(ran.code(), Some(1), "{}", ran.report("run"));
    let ran = sk(env, &["run", "--rm", &src, "echo", "pulled and ran"]).success();
    assert_eq!(ran.stdout().trim(), "pulled and ran");

    // A second pull of the same image downloads nothing.
    let again = sk(env, &["pull", "--tls-verify=false", &src]).success();
    assert!(
        again.stderr().contains("skipped: already exists"),
        "{}",
        again.stderr()
    );

    // Push to another repository: the same manifest bytes, so the same digest.
    let digestfile = env.path().join("digest");
    env.run_as(&["touch", digestfile.to_str().unwrap()])
        .success();
    let dest = format!("{addr}/copies/bb:2");
    sk(
        env,
        &[
            "push",
            "--tls-verify=false",
            "--digestfile",
            digestfile.to_str().unwrap(),
            &src,
            &dest,
        ],
    )
    .success();
    let written = std::fs::read_to_string(&digestfile).unwrap();
    // The layer was already in the registry under the source repository: mounted, not sent.
    let pushed_log = sk(
        env,
        &[
            "push",
            "--tls-verify=false",
            &src,
            &format!("{addr}/other/bb:3"),
        ],
    )
    .success();
    assert!(
        pushed_log.stderr().contains("(mounted)"),
        "{}",
        pushed_log.stderr()
    );
    assert_eq!(written.trim(), pushed);
    assert_eq!(
        skopeo_inspect(&reg, "copies/bb:2")["Digest"],
        pushed.as_str()
    );
    // skopeo can fetch every blob of it and checks their digests.
    let dir = env.path().join("skopeo-dir");
    let out = skopeo_pull(&reg, "copies/bb:2", &dir);
    assert!(out.code() == Some(0), "{}", out.report("skopeo copy"));

    // A fresh store pulls what skiff pushed to the same image id.
    let out = sk_fresh(env, "b", &["pull", "-q", "--tls-verify=false", &dest]).success();
    assert_eq!(out.stdout().trim(), want_id);
    assert_eq!(out.stderr().trim(), "", "-q prints nothing but the id");
});

both!(multilayer_push_formats, |env: &Env| {
    let reg = Registry::http();
    let addr = reg.addr();
    env.load_test_image("multilayer.tar").success();
    let local = "localhost/skiff-test/multilayer:latest";
    let want = sk(env, &["image", "inspect", "--format", "{{.Id}}", local])
        .success()
        .stdout();

    // Docker schema2.
    let v2 = format!("{addr}/ml/v2s2:1");
    sk(
        env,
        &[
            "push",
            "-q",
            "--tls-verify=false",
            "--format",
            "v2s2",
            local,
            &v2,
        ],
    )
    .success();
    let raw = skopeo_inspect_raw(&reg, "ml/v2s2:1");
    assert_eq!(
        raw["mediaType"],
        "application/vnd.docker.distribution.manifest.v2+json"
    );
    assert_eq!(
        raw["config"]["mediaType"],
        "application/vnd.docker.container.image.v1+json"
    );
    for l in raw["layers"].as_array().unwrap() {
        assert_eq!(
            l["mediaType"],
            "application/vnd.docker.image.rootfs.diff.tar.gzip"
        );
    }
    // zstd layers (OCI).
    let z = format!("{addr}/ml/zstd:1");
    sk(
        env,
        &[
            "push",
            "-q",
            "--tls-verify=false",
            "--compression-format",
            "zstd",
            local,
            &z,
        ],
    )
    .success();
    let raw = skopeo_inspect_raw(&reg, "ml/zstd:1");
    for l in raw["layers"].as_array().unwrap() {
        assert_eq!(
            l["mediaType"], "application/vnd.oci.image.layer.v1.tar+zstd",
            "{raw:#}"
        );
    }
    let dir = env.path().join("skopeo-zstd");
    assert_eq!(skopeo_pull(&reg, "ml/zstd:1", &dir).code(), Some(0));
    // zstd in v2s2 does not exist.
    let bad = sk(
        env,
        &[
            "push",
            "--tls-verify=false",
            "--format",
            "v2s2",
            "--compression-format",
            "zstd",
            local,
            &z,
        ],
    )
    .failure(125);
    assert!(bad.stderr().contains("--format oci"), "{}", bad.stderr());

    // Both pull back, on a fresh store, to the same image (same config) and run.
    for (n, r) in [("v", &v2), ("z", &z)] {
        let out = sk_fresh(env, n, &["pull", "-q", "--tls-verify=false", r]).success();
        assert_eq!(
            out.stdout().trim(),
            want.trim().trim_start_matches("sha256:")
        );
        let ran = sk_fresh(env, n, &["run", "--rm", r, "cat", "/data/keep"]);
        assert_eq!(ran.code(), Some(0), "{}", ran.report("run"));
    }
});

// ---------------------------------------------------------------------------------------
// TLS and auth.

both!(https_needs_the_ca, |env: &Env| {
    let reg = Registry::https();
    push_with_skopeo(&reg, &busybox(), "skiff-test/busybox:1");
    let src = format!("{}/skiff-test/busybox:1", reg.addr());
    let out = sk(env, &["pull", &src]).failure(125);
    let err = out.stderr();
    assert!(err.contains("not trusted"), "{err}");
    assert!(
        err.contains("--tls-verify=false") && err.contains("certs.d"),
        "{err}"
    );
    assert_eq!(
        err.trim().lines().count(),
        2,
        "one Trying line, one error line: {err}"
    );

    let ca = reg.cert_dir();
    sk(
        env,
        &["pull", "-q", "--cert-dir", ca.to_str().unwrap(), &src],
    )
    .success();
    sk(env, &["rmi", &src]).success();
    sk(env, &["pull", "-q", "--tls-verify=false", &src]).success();
    sk(env, &["rmi", &src]).success();

    // certs.d under XDG_CONFIG_HOME (the user's ~/.config/containers/certs.d).
    if env.is_rootless() {
        let d = env
            .path()
            .join("xdg-config/containers/certs.d")
            .join(reg.addr());
        env.run_as(&["mkdir", "-p", d.to_str().unwrap()]).success();
        let ca_file = reg.ca_cert();
        env.run_as(&[
            "cp",
            ca_file.to_str().unwrap(),
            d.join("ca.crt").to_str().unwrap(),
        ])
        .success();
        sk(env, &["pull", "-q", &src]).success();
    }
});

both!(htpasswd_login_pull_push_logout, |env: &Env| {
    let reg = Registry::htpasswd("alice", "s3cret");
    let addr = reg.addr();
    let ca = reg.cert_dir();
    let ca = ca.to_str().unwrap();
    push_with_skopeo(&reg, &busybox(), "skiff-test/busybox:1");
    let src = format!("{addr}/skiff-test/busybox:1");

    // No credentials: refused, naming the registry.
    let out = sk(env, &["pull", "--cert-dir", ca, &src]).failure(125);
    assert!(
        out.stderr().contains("authentication required"),
        "{}",
        out.stderr()
    );
    assert!(out.stderr().contains(&addr), "{}", out.stderr());

    // A wrong password: one line naming the registry, nothing written.
    let out = sk_stdin(
        env,
        &[
            "login",
            "--cert-dir",
            ca,
            "-u",
            "alice",
            "--password-stdin",
            &addr,
        ],
        Some(b"wrong\n"),
    );
    assert_eq!(out.code(), Some(125), "{}", out.report("login"));
    let err = out.stderr();
    assert!(
        err.contains("invalid username/password") && err.contains(&addr),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(!auth_file(env).exists(), "a failed login writes nothing");

    let out = sk_stdin(
        env,
        &[
            "login",
            "--cert-dir",
            ca,
            "-u",
            "alice",
            "--password-stdin",
            &addr,
        ],
        Some(b"s3cret\n"),
    )
    .success();
    assert_eq!(out.stdout().trim(), "Login Succeeded!");
    let meta = std::fs::metadata(auth_file(env)).unwrap();
    assert_eq!(
        meta.permissions().mode() & 0o777,
        0o600,
        "auth.json is private"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(auth_file(env)).unwrap()).unwrap();
    assert_eq!(json["auths"][&addr]["auth"], "YWxpY2U6czNjcmV0", "{json:#}");
    let who = sk(env, &["login", "--get-login", &addr]).success();
    assert_eq!(who.stdout().trim(), "alice");

    // Logged in: pull and push use the stored credentials.
    sk(env, &["pull", "-q", "--cert-dir", ca, &src]).success();
    sk(
        env,
        &[
            "push",
            "-q",
            "--cert-dir",
            ca,
            &src,
            &format!("{addr}/pushed/bb:1"),
        ],
    )
    .success();
    assert!(skopeo_inspect(&reg, "pushed/bb:1")["Digest"].is_string());

    let out = sk(env, &["logout", &addr]).success();
    assert_eq!(
        out.stdout().trim(),
        format!("Removed login credentials for {addr}")
    );
    sk(env, &["rmi", &src]).success();
    sk(env, &["pull", "--cert-dir", ca, &src]).failure(125);
    let out = sk(env, &["logout", &addr]).failure(125);
    assert!(out.stderr().contains("not logged into"), "{}", out.stderr());

    // logout --all empties the file's auths.
    sk_stdin(
        env,
        &[
            "login",
            "--cert-dir",
            ca,
            "-u",
            "alice",
            "--password-stdin",
            &addr,
        ],
        Some(b"s3cret"),
    )
    .success();
    let out = sk(env, &["logout", "--all"]).success();
    assert_eq!(
        out.stdout().trim(),
        "Removed login credentials for all registries"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(auth_file(env)).unwrap()).unwrap();
    assert!(
        json["auths"].as_object().is_none_or(|a| a.is_empty()),
        "{json:#}"
    );

    // --creds without a login.
    sk(
        env,
        &[
            "pull",
            "-q",
            "--cert-dir",
            ca,
            "--creds",
            "alice:s3cret",
            &src,
        ],
    )
    .success();
    let out = sk(
        env,
        &["pull", "--cert-dir", ca, "--creds", "alice:nope", &src],
    )
    .failure(125);
    assert!(
        out.stderr().contains("invalid username/password"),
        "{}",
        out.stderr()
    );
});

#[test]
fn token_auth_scopes() {
    let env = Env::root();
    let reg = Registry::token("bob", "pw");
    let addr = reg.addr();
    let ca = reg.cert_dir();
    let ca = ca.to_str().unwrap();
    push_with_skopeo(&reg, &busybox(), "skiff-test/busybox:1");
    let src = format!("{addr}/skiff-test/busybox:1");

    let out = sk(
        &env,
        &["pull", "--cert-dir", ca, "--creds", "bob:bad", &src],
    )
    .failure(125);
    assert!(
        out.stderr().contains("invalid username/password"),
        "{}",
        out.stderr()
    );
    let before = reg.token_requests().len();
    sk(
        &env,
        &["pull", "-q", "--cert-dir", ca, "--creds", "bob:pw", &src],
    )
    .success();
    let reqs = reg.token_requests();
    let pull_scope = "repository:skiff-test/busybox:pull";
    assert!(
        reqs[before..]
            .iter()
            .any(|r| r.status == 200 && r.scopes.iter().any(|s| s == pull_scope)),
        "a pull token was asked for: {reqs:?}"
    );
    sk(
        &env,
        &[
            "push",
            "-q",
            "--cert-dir",
            ca,
            "--creds",
            "bob:pw",
            &src,
            &format!("{addr}/mine/bb:1"),
        ],
    )
    .success();
    let reqs = reg.token_requests();
    assert!(
        reqs.iter()
            .any(|r| r.scopes.iter().any(|s| s == "repository:mine/bb:pull,push")),
        "a push token was asked for: {reqs:?}"
    );
    // Login checks the credentials against the token server.
    sk_stdin(
        &env,
        &[
            "login",
            "--cert-dir",
            ca,
            "-u",
            "bob",
            "--password-stdin",
            &addr,
        ],
        Some(b"pw"),
    )
    .success();
    sk(&env, &["rmi", "-a"]).success();
    sk(&env, &["pull", "-q", "--cert-dir", ca, &src]).success();
}

// ---------------------------------------------------------------------------------------
// Faults.

#[test]
fn corrupt_blob_is_refused_and_nothing_stored() {
    let env = Env::root();
    let reg = Registry::http();
    push_with_skopeo(&reg, &busybox(), "skiff-test/busybox:1");
    let proxy = FaultProxy::in_front_of(&reg, Fault::CorruptBlob);
    let src = format!("{}/skiff-test/busybox:1", proxy.addr());
    let out = sk(&env, &["pull", "--tls-verify=false", &src]).failure(125);
    assert!(
        out.stderr().contains("does not match its digest"),
        "{}",
        out.stderr()
    );
    assert_store_empty(&env);
}

#[test]
fn dropped_connection_is_resumed() {
    let env = Env::root();
    let reg = Registry::http();
    push_with_skopeo(&reg, &busybox(), "skiff-test/busybox:1");
    let proxy = FaultProxy::in_front_of(&reg, Fault::DropMidBlob { times: 1 });
    let src = format!("{}/skiff-test/busybox:1", proxy.addr());
    let out = sk(&env, &["pull", "-q", "--tls-verify=false", &src]).success();
    assert_eq!(out.stdout().trim().len(), 64);
    assert!(proxy.faults_injected() >= 1);
    let ranged = proxy
        .requests()
        .iter()
        .any(|r| r.range.as_deref().is_some_and(|v| v.starts_with("bytes=")));
    assert!(
        ranged,
        "the rest was asked for with a Range: {:?}",
        proxy.requests()
    );
    sk(&env, &["run", "--rm", &src, "true"]).success();
}

#[test]
fn a_registry_that_keeps_dropping_gives_a_clear_error() {
    let env = Env::root();
    let reg = Registry::http();
    push_with_skopeo(&reg, &busybox(), "skiff-test/busybox:1");
    let proxy = FaultProxy::in_front_of(&reg, Fault::DropMidBlob { times: 1000 });
    let src = format!("{}/skiff-test/busybox:1", proxy.addr());
    let out = sk(&env, &["pull", "--tls-verify=false", &src]).failure(125);
    let err = out.stderr();
    assert!(err.contains("gave up after retries"), "{err}");
    assert!(proxy.blob_gets() >= 3, "it retried");
    assert_store_empty(&env);
}

#[test]
fn server_errors_are_retried() {
    let env = Env::root();
    let reg = Registry::http();
    push_with_skopeo(&reg, &busybox(), "skiff-test/busybox:1");
    let proxy = FaultProxy::in_front_of(
        &reg,
        Fault::ServerError {
            status: 503,
            times: 2,
        },
    );
    let src = format!("{}/skiff-test/busybox:1", proxy.addr());
    sk(&env, &["pull", "-q", "--tls-verify=false", &src]).success();
    assert!(
        proxy.blob_gets() >= 3,
        "two 503s, then the blobs: {}",
        proxy.blob_gets()
    );
}

#[test]
fn bad_manifests_and_unknown_names() {
    let env = Env::root();
    let reg = Registry::http();
    push_with_skopeo(&reg, &busybox(), "skiff-test/busybox:1");
    let addr = reg.addr();

    let out = sk(
        &env,
        &[
            "pull",
            "--tls-verify=false",
            &format!("{addr}/skiff-test/busybox:nope"),
        ],
    )
    .failure(125);
    assert!(
        out.stderr().contains("manifest unknown"),
        "{}",
        out.stderr()
    );
    let out = sk(
        &env,
        &["pull", "--tls-verify=false", &format!("{addr}/no/such:1")],
    )
    .failure(125);
    assert!(out.stderr().contains("unknown"), "{}", out.stderr());

    let proxy = FaultProxy::in_front_of(&reg, Fault::MalformedManifest);
    let src = format!("{}/skiff-test/busybox:1", proxy.addr());
    let out = sk(&env, &["pull", "--tls-verify=false", &src]).failure(125);
    assert!(out.stderr().contains("manifest"), "{}", out.stderr());
    proxy.set_fault(Fault::Schema1Manifest);
    let out = sk(&env, &["pull", "--tls-verify=false", &src]).failure(125);
    assert!(out.stderr().contains("schema1"), "{}", out.stderr());
    assert_store_empty(&env);
}

#[test]
fn kill_during_pull_leaves_no_image() {
    let env = Env::root();
    let reg = Registry::http();
    push_with_skopeo(&reg, &multilayer(), "skiff-test/ml:1");
    // Every blob GET fails, so the pull sits in its retries when killed.
    let proxy = FaultProxy::in_front_of(
        &reg,
        Fault::ServerError {
            status: 503,
            times: 1000,
        },
    );
    let src = format!("{}/skiff-test/ml:1", proxy.addr());
    let mut cmd = env.skiff_command(&["pull", "--tls-verify=false", &src]);
    for (k, v) in config_env(&env) {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..100 {
        if proxy.blob_gets() > 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(proxy.blob_gets() > 0, "the pull reached the layers");
    child.kill().unwrap();
    child.wait().unwrap();
    let images = sk(&env, &["images", "-q"]).success();
    assert_eq!(images.stdout().trim(), "");
    // The next pull works and cleans what the killed one left in tmp/.
    proxy.set_fault(Fault::None);
    sk(&env, &["pull", "-q", "--tls-verify=false", &src]).success();
    let tmp = env.root_dir().join("tmp");
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .map(|d| d.flatten().collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "tmp/ is clean: {left:?}");
}

// ---------------------------------------------------------------------------------------
// Platforms, tags, digests, search, manifest inspect.

/// An oci-archive whose one reference is an index listing only a linux/arm64 image.
fn arm64_only_archive(env: &Env) -> PathBuf {
    let mut a = oci::OciArchive::new("arm", &[oci::tar_of(&[("hello", b"arm64 only\n")])]);
    a.config = String::from_utf8(a.config.clone())
        .unwrap()
        .replace("amd64", "arm64")
        .into_bytes();
    a.rebuild_manifest();
    let inner = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:{}","size":{},"platform":{{"architecture":"arm64","os":"linux"}}}}]}}"#,
        oci::sha(&a.manifest),
        a.manifest.len()
    );
    a.index = format!(
        r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:{}","size":{},"annotations":{{"org.opencontainers.image.ref.name":"arm"}}}}]}}"#,
        oci::sha(inner.as_bytes()),
        inner.len()
    )
    .into_bytes();
    a.extra.push((
        format!("blobs/sha256/{}", oci::sha(inner.as_bytes())),
        inner.into_bytes(),
    ));
    env.write("arm.tar", a.build())
}

/// Pushes [`arm64_only_archive`] (the index and its image) to `reg`; returns its name.
fn push_arm64_only(env: &Env, reg: &Registry) -> String {
    let archive = arm64_only_archive(env);
    let dest = format!("docker://{}/armonly:1", reg.addr());
    let out = skopeo(&[
        "copy",
        "--all",
        "--dest-tls-verify=false",
        &format!("oci-archive:{}:arm", archive.display()),
        &dest,
    ]);
    assert_eq!(out.code(), Some(0), "{}", out.report("skopeo copy --all"));
    format!("{}/armonly:1", reg.addr())
}

#[test]
fn an_index_without_this_architecture() {
    let env = Env::root();
    let reg = Registry::http();
    let src = push_arm64_only(&env, &reg);
    let out = sk(&env, &["pull", "--tls-verify=false", &src]).failure(125);
    let err = out.stderr();
    assert!(
        err.contains("no image found in image index for architecture \"amd64\""),
        "{err}"
    );
    assert_store_empty(&env);
    let out = sk(
        &env,
        &["pull", "-q", "--tls-verify=false", "--arch", "arm64", &src],
    )
    .success();
    assert_eq!(out.stdout().trim().len(), 64);
    let arch = sk(
        &env,
        &["image", "inspect", "--format", "{{.Architecture}}", &src],
    )
    .success();
    assert_eq!(arch.stdout().trim(), "arm64");
    sk(&env, &["rmi", &src]).success();
    sk(
        &env,
        &[
            "pull",
            "-q",
            "--tls-verify=false",
            "--platform",
            "linux/arm64",
            &src,
        ],
    )
    .success();
}

/// `build` pulls a missing base image, for FROM's `--platform` when it names one, with the
/// build's registry flags.
#[test]
fn build_pulls_its_base_image_for_from_platform() {
    let env = Env::root();
    let reg = Registry::http();
    let src = push_arm64_only(&env, &reg);
    let ctx = env.write(
        "armctx/Dockerfile",
        format!("FROM --platform=linux/arm64 {src}\nLABEL built=yes\n"),
    );
    let ctx = ctx.parent().unwrap().to_str().unwrap().to_string();
    let out = sk(
        &env,
        &["build", "-q", "--tls-verify=false", "-t", "armbuilt", &ctx],
    )
    .success();
    assert_eq!(out.stdout().trim().len(), 64, "{}", out.report("build"));
    let arch = sk(
        &env,
        &[
            "image",
            "inspect",
            "--format",
            "{{.Architecture}} {{.Labels.built}}",
            "armbuilt",
        ],
    )
    .success();
    assert_eq!(arch.stdout().trim(), "arm64 yes");
    // Without the platform, the index has nothing for this host: the pull's own error.
    let ctx2 = env.write("hostctx/Dockerfile", format!("FROM {src}-none\n"));
    let ctx2 = ctx2.parent().unwrap().to_str().unwrap().to_string();
    let out = sk(&env, &["build", "--tls-verify=false", &ctx2]).failure(125);
    assert!(
        out.stderr().contains("Dockerfile:1:"),
        "{}",
        out.report("build")
    );
}

#[test]
fn all_tags_digests_search_and_manifest_inspect() {
    let env = Env::root();
    let reg = Registry::http();
    let addr = reg.addr();
    let d1 = push_with_skopeo(&reg, &busybox(), "skiff-test/busybox:1");
    push_with_skopeo(&reg, &multilayer(), "skiff-test/busybox:2");

    let out = sk(
        &env,
        &[
            "pull",
            "-q",
            "--all-tags",
            "--tls-verify=false",
            &format!("{addr}/skiff-test/busybox"),
        ],
    )
    .success();
    assert_eq!(out.stdout().lines().count(), 2, "{}", out.stdout());
    let tags = sk(&env, &["images", "--format", "{{.Tag}}"]).success();
    let mut t: Vec<String> = tags.lines();
    t.sort();
    assert_eq!(t, ["1", "2"]);
    let out = sk(
        &env,
        &[
            "pull",
            "--all-tags",
            "--tls-verify=false",
            &format!("{addr}/skiff-test/busybox:1"),
        ],
    )
    .failure(125);
    assert!(out.stderr().contains("--all-tags"), "{}", out.stderr());

    // By digest: the image gets the digested name, and the digest is checked.
    let by_digest = format!("{addr}/skiff-test/busybox@{d1}");
    sk_fresh(&env, "d", &["pull", "-q", "--tls-verify=false", &by_digest]).success();
    let out = sk_fresh(
        &env,
        "d",
        &["image", "inspect", "--format", "{{.Digest}}", &by_digest],
    )
    .success();
    assert_eq!(out.stdout().trim(), d1);
    let wrong = format!("{addr}/skiff-test/busybox@sha256:{}", "0".repeat(64));
    sk_fresh(&env, "d", &["pull", "--tls-verify=false", &wrong]).failure(125);

    // manifest inspect prints the registry's manifest.
    let out = sk(
        &env,
        &[
            "manifest",
            "inspect",
            "--tls-verify=false",
            &format!("{addr}/skiff-test/busybox:1"),
        ],
    )
    .success();
    let v: serde_json::Value = serde_json::from_str(&out.stdout()).unwrap();
    assert_eq!(v["schemaVersion"], 2);
    assert_eq!(v, skopeo_inspect_raw(&reg, "skiff-test/busybox:1"));

    // search uses the catalog; --list-tags the tag list.
    let out = sk(
        &env,
        &["search", "--tls-verify=false", &format!("{addr}/busy")],
    )
    .success();
    assert!(
        out.stdout().contains(&format!("{addr}/skiff-test/busybox")),
        "{}",
        out.stdout()
    );
    assert!(out.stdout().starts_with("NAME"), "{}", out.stdout());
    let out = sk(
        &env,
        &[
            "search",
            "--list-tags",
            "--tls-verify=false",
            &format!("{addr}/skiff-test/busybox"),
        ],
    )
    .success();
    assert!(
        out.stdout()
            .contains(&format!("{addr}/skiff-test/busybox  1")),
        "{}",
        out.stdout()
    );
}

// ---------------------------------------------------------------------------------------
// run/create pull; registries.conf.

both!(run_pulls_a_missing_image, |env: &Env| {
    let reg = Registry::http();
    push_with_skopeo(&reg, &busybox(), "skiff-test/busybox:1");
    let src = format!("{}/skiff-test/busybox:1", reg.addr());

    let out = sk(env, &["run", "--rm", "--pull=never", &src, "true"]).failure(125);
    assert!(out.stderr().contains("image not known"), "{}", out.stderr());
    let out = sk(
        env,
        &["run", "--rm", "--tls-verify=false", &src, "echo", "hi"],
    )
    .success();
    assert_eq!(out.stdout().trim(), "hi");
    assert!(out.stderr().contains("Trying to pull"), "{}", out.stderr());
    // Present: the default policy does not pull; --pull=always does.
    let out = sk(env, &["run", "--rm", &src, "true"]).success();
    assert!(!out.stderr().contains("Trying to pull"), "{}", out.stderr());
    let out = sk(
        env,
        &[
            "create",
            "--pull=always",
            "--tls-verify=false",
            &src,
            "true",
        ],
    )
    .success();
    assert!(out.stderr().contains("Trying to pull"), "{}", out.stderr());
});

#[test]
fn registries_conf_search_insecure_alias_blocked_mirror() {
    let env = Env::root();
    let reg = Registry::http();
    let addr = reg.addr();
    push_with_skopeo(&reg, &busybox(), "skiff-test/busybox:1");
    let proxy = FaultProxy::in_front_of(&reg, Fault::None);
    env.write(
        "registries.conf",
        format!(
            r#"unqualified-search-registries = ["{addr}"]

[aliases]
"bb" = "{addr}/skiff-test/busybox"

[[registry]]
location = "{addr}"
insecure = true

[[registry]]
prefix = "blocked.example"
location = "blocked.example"
blocked = true

[[registry]]
prefix = "mirrored.example/skiff-test"
location = "mirrored.example/skiff-test"
[[registry.mirror]]
location = "{}/skiff-test"
insecure = true
"#,
            proxy.addr()
        ),
    );
    // A short name through the search list; insecure from the config.
    let out = sk(&env, &["pull", "-q", "skiff-test/busybox:1"]).success();
    assert_eq!(out.stdout().trim().len(), 64);
    // An alias.
    let out = sk(&env, &["pull", "bb:1"]).success();
    assert!(
        out.stderr()
            .contains(&format!("Trying to pull {addr}/skiff-test/busybox:1")),
        "{}",
        out.stderr()
    );
    // Blocked.
    let out = sk(&env, &["pull", "blocked.example/x:1"]).failure(125);
    assert!(out.stderr().contains("blocked"), "{}", out.stderr());
    // A mirror serves an unreachable registry.
    sk(
        &env,
        &["pull", "-q", "mirrored.example/skiff-test/busybox:1"],
    )
    .success();
    assert!(proxy.manifest_gets() >= 1, "the mirror was asked");
    let names = sk(&env, &["images", "--format", "{{.Repository}}"]).success();
    assert!(
        names
            .stdout()
            .contains("mirrored.example/skiff-test/busybox"),
        "{}",
        names.stdout()
    );
}

#[test]
fn progress_bars_on_a_terminal() {
    let env = Env::root();
    let reg = Registry::http();
    push_with_skopeo(&reg, &multilayer(), "skiff-test/ml:1");
    let src = format!("{}/skiff-test/ml:1", reg.addr());
    let mut line = format!(
        "{} --root {} --runroot {}",
        common::skiff_bin().display(),
        env.root_dir().display(),
        env.runroot_dir().display()
    );
    line.push_str(&format!(" pull --tls-verify=false {src}"));
    let mut cmd = env.command("script", &["-qec", &line, "/dev/null"]);
    for (k, v) in config_env(&env) {
        cmd.env(k, v);
    }
    let out = run_command(cmd, None);
    assert_eq!(out.code(), Some(0), "{}", out.report("script"));
    let text = out.stdout();
    assert!(
        text.contains("\x1b[2K"),
        "lines are redrawn on a terminal: {text:?}"
    );
    assert!(
        text.contains("Copying blob") && text.contains(" done"),
        "{text:?}"
    );
    // Not a terminal: plain lines, no escapes.
    sk(&env, &["rmi", "-a"]).success();
    let plain = sk(&env, &["pull", "--tls-verify=false", &src]).success();
    assert!(!plain.stderr().contains('\x1b'), "{:?}", plain.stderr());
    assert_eq!(
        plain.stderr().matches("Copying blob").count(),
        3,
        "{}",
        plain.stderr()
    );
}

/// `build --platform` with a local base of another platform under the same name pulls the
/// wanted platform's image (as FROM --platform does), instead of building on the host's.
#[test]
fn build_platform_pulls_over_a_local_base_of_another_platform() {
    let env = Env::root();
    let reg = Registry::http();
    let src = push_arm64_only(&env, &reg);
    env.load_test_image("busybox.tar").success();
    sk(&env, &["tag", "localhost/skiff-test/busybox", &src]).success();
    let ctx = env.write(
        "armctx2/Dockerfile",
        format!("FROM {src}\nLABEL built=yes\n"),
    );
    let ctx = ctx.parent().unwrap().to_str().unwrap().to_string();
    let out = sk(
        &env,
        &[
            "build",
            "-q",
            "--platform",
            "linux/arm64",
            "--tls-verify=false",
            "-t",
            "armbuilt2",
            &ctx,
        ],
    )
    .success();
    assert_eq!(out.stdout().trim().len(), 64, "{}", out.report("build"));
    let arch = sk(
        &env,
        &[
            "image",
            "inspect",
            "--format",
            "{{.Architecture}}",
            "armbuilt2",
        ],
    )
    .success();
    assert_eq!(arch.stdout().trim(), "arm64");
}
