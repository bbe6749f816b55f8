//! Proves the registry test support (tests/support/registry.rs) works, with skopeo alone:
//! no skiff command runs here.

mod common;
#[path = "support/registry.rs"]
mod registry;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{Env, test_images};
use registry::{
    Fault, FaultProxy, MALFORMED_MANIFEST, Registry, Remote, SCHEMA1_MEDIA_TYPE, push_with_skopeo,
    skopeo_inspect, skopeo_inspect_output, skopeo_inspect_raw, skopeo_list_tags, skopeo_pull,
    skopeo_push,
};

fn busybox() -> PathBuf {
    test_images().join("busybox.tar")
}

/// Push busybox, then read it back: same digest, and the tag is listed.
fn push_and_inspect(reg: &Registry) {
    let digest = push_with_skopeo(reg, &busybox(), "skiff-test/busybox:1");
    assert!(digest.starts_with("sha256:"), "{digest}");
    let info = skopeo_inspect(reg, "skiff-test/busybox:1");
    assert_eq!(info["Digest"], digest.as_str(), "{info:#}");
    assert_eq!(info["Layers"].as_array().map(Vec::len), Some(1), "{info:#}");
    assert_eq!(skopeo_list_tags(reg, "skiff-test/busybox"), ["1"]);
    assert!(reg.log().contains("response completed"), "{}", reg.log());
}

/// Whether a socket listens on `addr` (`127.0.0.1:PORT`), from /proc/net/tcp. (Not by
/// connecting: a connect to a free loopback port can succeed by connecting to itself.)
fn listening(addr: &str) -> bool {
    let port: u16 = addr.rsplit_once(':').unwrap().1.parse().unwrap();
    let want = format!("0100007F:{port:04X}");
    let table = fs::read_to_string("/proc/net/tcp").unwrap();
    table.lines().skip(1).any(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        f.len() > 3 && f[1] == want && f[3] == "0A"
    })
}

/// Whether `addr` stops listening within a second: a child that another test is forking
/// holds a copy of our sockets until its exec closes them.
fn stops_listening(addr: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(1);
    while listening(addr) {
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    true
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir_in(common::tmp_base()).unwrap()
}

#[test]
fn http_push_and_inspect() {
    let started = Instant::now();
    let reg = Registry::http();
    eprintln!("Registry::http() took {:?}", started.elapsed());
    assert!(reg.addr().starts_with("127.0.0.1:"));
    assert_eq!(reg.base_url(), format!("http://{}", reg.addr()));
    push_and_inspect(&reg);
    assert!(
        reg.storage_dir()
            .join("docker/registry/v2/repositories")
            .is_dir()
    );
}

#[test]
fn https_push_and_inspect_with_cert_dir() {
    let started = Instant::now();
    let reg = Registry::https();
    eprintln!("Registry::https() took {:?}", started.elapsed());
    assert_eq!(reg.base_url(), format!("https://{}", reg.addr()));
    push_and_inspect(&reg);

    // The cert dir holds the CA alone (a *.cert/*.key there would be a client certificate).
    let names: Vec<_> = fs::read_dir(reg.cert_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["ca.crt"]);
    assert_eq!(reg.ca_cert(), reg.cert_dir().join("ca.crt"));

    // TLS is real: without the CA, verification fails.
    let mut untrusted = reg.endpoint();
    untrusted.cert_dir = Some(tempdir().path().to_path_buf());
    let out = skopeo_inspect_output(&untrusted, "skiff-test/busybox:1", false).fails();
    assert!(
        out.stderr()
            .contains("certificate signed by unknown authority"),
        "{out}"
    );
}

#[test]
fn https_answers_on_localhost_too() {
    // The server certificate names DNS:localhost as well as IP:127.0.0.1.
    let reg = Registry::https();
    let port = reg.addr().rsplit_once(':').unwrap().1.to_string();
    let resp = reg
        .agent()
        .get(format!("https://localhost:{port}/v2/"))
        .call()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
}

#[test]
fn htpasswd_push_with_creds_and_refusals() {
    let reg = Registry::htpasswd("alice", "s3cret");
    assert_eq!(reg.creds(), Some(("alice", "s3cret")));
    assert_eq!(reg.creds_arg(), "alice:s3cret");
    push_and_inspect(&reg);

    let wrong = reg.endpoint().with_creds("alice", "wrong");
    let out = skopeo_inspect_output(&wrong, "skiff-test/busybox:1", false).fails();
    assert!(out.stderr().contains("unauthorized"), "{out}");
    let out = skopeo_push(&wrong, &busybox(), "skiff-test/other:1").fails();
    assert!(out.stderr().contains("unauthorized"), "{out}");
    let anon = reg.endpoint().anonymous();
    skopeo_inspect_output(&anon, "skiff-test/busybox:1", false).fails();

    let resp = reg
        .agent()
        .get(format!("{}/v2/", reg.base_url()))
        .call()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    let challenge = resp.headers().get("www-authenticate").unwrap();
    assert!(
        challenge.to_str().unwrap().starts_with("Basic "),
        "{challenge:?}"
    );
}

#[test]
fn token_push_with_creds_and_refusals() {
    let started = Instant::now();
    let reg = Registry::token("bob", "t0ken-pass");
    eprintln!("Registry::token() took {:?}", started.elapsed());
    push_and_inspect(&reg);

    let reqs = reg.token_requests();
    assert!(
        reqs.iter().any(|r| r.status == 200
            && r.user.as_deref() == Some("bob")
            && r.scopes
                .iter()
                .any(|s| s == "repository:skiff-test/busybox:pull,push")),
        "{reqs:#?}"
    );
    assert!(
        reqs.iter()
            .all(|r| r.service.as_deref() == Some(registry::TOKEN_SERVICE)),
        "{reqs:#?}"
    );

    // The registry challenges with Bearer, pointing at the token server.
    let resp = reg
        .agent()
        .get(format!("{}/v2/", reg.base_url()))
        .call()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    let challenge = resp
        .headers()
        .get("www-authenticate")
        .unwrap()
        .to_str()
        .unwrap();
    let realm = reg.token_realm().unwrap();
    assert!(
        challenge.starts_with(&format!("Bearer realm=\"{realm}\"")),
        "{challenge}"
    );

    let before = reg.token_requests().len();
    let wrong = reg.endpoint().with_creds("bob", "wrong");
    let out = skopeo_inspect_output(&wrong, "skiff-test/busybox:1", false).fails();
    let reqs = reg.token_requests();
    assert!(
        reqs[before..]
            .iter()
            .any(|r| r.status == 401 && r.sent_credentials),
        "{reqs:#?}\n{out}"
    );
    let out = skopeo_push(&wrong, &busybox(), "skiff-test/other:1").fails();
    assert!(
        out.stderr().contains("401") || out.stderr().contains("unauthorized"),
        "{out}"
    );
    skopeo_inspect_output(&reg.endpoint().anonymous(), "skiff-test/busybox:1", false).fails();
}

#[test]
fn token_server_issues_registry_accepted_jwts() {
    // The token dance by hand: get a token for a pull scope, and the registry takes it.
    let reg = Registry::token("bob", "pw");
    push_with_skopeo(&reg, &busybox(), "skiff-test/busybox:1");
    let agent = reg.agent();
    let url = format!(
        "{}?service={}&scope=repository:skiff-test/busybox:pull",
        reg.token_realm().unwrap(),
        registry::TOKEN_SERVICE
    );
    use base64::Engine;
    let basic = base64::engine::general_purpose::STANDARD.encode("bob:pw");
    let mut resp = agent
        .get(&url)
        .header("Authorization", format!("Basic {basic}"))
        .call()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let body: serde_json::Value =
        serde_json::from_str(&resp.body_mut().read_to_string().unwrap()).unwrap();
    let token = body["token"].as_str().unwrap();
    assert_eq!(body["access_token"], token);
    assert_eq!(token.split('.').count(), 3);

    let tags = format!("{}/v2/skiff-test/busybox/tags/list", reg.base_url());
    let mut resp = agent
        .get(&tags)
        .header("Authorization", format!("Bearer {token}"))
        .call()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200, "{}", reg.log());
    assert!(resp.body_mut().read_to_string().unwrap().contains("\"1\""));

    // A pull token does not allow a push (an upload start).
    let uploads = format!("{}/v2/skiff-test/busybox/blobs/uploads/", reg.base_url());
    let resp = agent
        .post(&uploads)
        .header("Authorization", format!("Bearer {token}"))
        .send_empty()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);

    // Anonymous and wrong credentials: 401 from the token server.
    assert_eq!(agent.get(&url).call().unwrap().status().as_u16(), 401);
    let bad = base64::engine::general_purpose::STANDARD.encode("bob:nope");
    let resp = agent
        .get(&url)
        .header("Authorization", format!("Basic {bad}"))
        .call()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
}

#[test]
fn rootless_client_reaches_the_registry_with_its_ca() {
    let reg = Registry::htpasswd("alice", "pw");
    for d in [reg.dir(), reg.cert_dir().as_path()] {
        assert_eq!(fs::metadata(d).unwrap().permissions().mode() & 0o777, 0o755);
    }
    let digest = push_with_skopeo(&reg, &busybox(), "skiff-test/busybox:1");
    let Some(env) = Env::rootless() else { return };
    // What a rootless skiff will do: read the CA from cert_dir() as the test user, over
    // loopback TCP.
    let cert_dir = format!("--cert-dir={}", reg.cert_dir().display());
    let out = env
        .run_as(&[
            "skopeo",
            "--insecure-policy",
            "inspect",
            &cert_dir,
            "--creds=alice:pw",
            &format!("docker://{}/skiff-test/busybox:1", reg.addr()),
        ])
        .success();
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(info["Digest"], digest.as_str());
}

#[test]
fn drop_leaves_no_process_and_no_dir() {
    for reg in [Registry::http(), Registry::token("u", "p")] {
        let pid = reg.pid();
        let dir = reg.dir().to_path_buf();
        let token_addr = reg.token_realm().map(|realm| {
            let addr = realm
                .trim_start_matches("http://")
                .trim_end_matches("/token")
                .to_string();
            assert!(listening(&addr), "{addr}");
            addr
        });
        let reg_addr = reg.addr();
        assert!(listening(&reg_addr));
        assert!(Path::new(&format!("/proc/{pid}")).exists());
        let cmdline = fs::read(format!("/proc/{pid}/cmdline")).unwrap();
        assert!(
            String::from_utf8_lossy(&cmdline).contains("docker-registry"),
            "pid {pid} is not the registry"
        );
        drop(reg);
        assert!(!Path::new(&format!("/proc/{pid}")).exists(), "pid {pid}");
        assert!(!dir.exists(), "{}", dir.display());
        assert!(stops_listening(&reg_addr), "{reg_addr}");
        if let Some(addr) = token_addr {
            assert!(
                stops_listening(&addr),
                "token server still listening on {addr}"
            );
        }
    }
}

#[test]
fn start_is_fast() {
    // Certificates included (the token signing key is made once per process, ~0.3 s).
    for (name, make) in [
        ("http", Registry::http as fn() -> Registry),
        ("https", Registry::https),
    ] {
        let started = Instant::now();
        let reg = make();
        let took = started.elapsed();
        eprintln!("{name} registry ready in {took:?}");
        assert!(took < Duration::from_secs(5), "{name}: {took:?}");
        drop(reg);
    }
}

// ---------------------------------------------------------------------------------------------
// The fault proxy.

fn proxied(fault: Fault) -> (Registry, FaultProxy) {
    let reg = Registry::http();
    push_with_skopeo(&reg, &busybox(), "skiff-test/busybox:1");
    let proxy = FaultProxy::in_front_of(&reg, fault);
    (reg, proxy)
}

#[test]
fn proxy_passes_through_pulls_and_pushes() {
    let (reg, proxy) = proxied(Fault::None);
    let dest = tempdir();
    skopeo_pull(&proxy, "skiff-test/busybox:1", &dest.path().join("img")).success();
    // One layer and one config.
    assert_eq!(proxy.blob_gets(), 2, "{:#?}", proxy.requests());
    assert_eq!(proxy.faults_injected(), 0);
    // A push (uploads: POST, PATCH/PUT with bodies) through the proxy.
    let digest = push_with_skopeo(&proxy, &busybox(), "skiff-test/again:2");
    assert_eq!(skopeo_inspect(&reg, "skiff-test/again:2")["Digest"], digest);
    let reqs = proxy.requests();
    assert!(
        reqs.iter().any(|r| r.method == "PUT" && r.status == 201),
        "{reqs:#?}"
    );
}

#[test]
fn proxy_passes_range_headers() {
    let (reg, proxy) = proxied(Fault::None);
    let raw = skopeo_inspect_raw(&reg, "skiff-test/busybox:1");
    let layer = raw["layers"][0]["digest"].as_str().unwrap().to_string();
    let url = format!(
        "http://{}/v2/skiff-test/busybox/blobs/{layer}",
        proxy.addr()
    );
    let mut resp = reg
        .agent()
        .get(&url)
        .header("Range", "bytes=10-19")
        .call()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 206);
    let part = resp.body_mut().read_to_vec().unwrap();
    let whole = fs::read(reg.blob_data_path(&layer)).unwrap();
    assert_eq!(part, whole[10..20]);
    let reqs = proxy.requests();
    assert_eq!(reqs.last().unwrap().range.as_deref(), Some("bytes=10-19"));
}

#[test]
fn proxy_corrupt_blob_fails_skopeo_with_a_digest_error() {
    let (_reg, proxy) = proxied(Fault::CorruptBlob);
    let dest = tempdir();
    let out = skopeo_pull(&proxy, "skiff-test/busybox:1", &dest.path().join("img")).fails();
    assert!(out.stderr().to_lowercase().contains("digest"), "{out}");
    assert!(proxy.faults_injected() >= 1);
}

#[test]
fn proxy_drop_mid_blob_once() {
    let (_reg, proxy) = proxied(Fault::DropMidBlob { times: 1 });
    let dest = tempdir();
    let out = skopeo_pull(&proxy, "skiff-test/busybox:1", &dest.path().join("img"));
    // skopeo 1.9 does not retry a blob whose body was cut short: the copy fails.
    let out = out.fails();
    assert!(out.stderr().contains("unexpected EOF"), "{out}");
    assert_eq!(proxy.faults_injected(), 1);
    let dropped: Vec<_> = proxy
        .requests()
        .into_iter()
        .filter(|r| r.fault.as_deref() == Some("DropMidBlob"))
        .collect();
    assert_eq!(dropped.len(), 1);
    assert_eq!(dropped[0].status, 0);
    // The fault is used up: the next pull goes through.
    skopeo_pull(&proxy, "skiff-test/busybox:1", &dest.path().join("img2")).success();
}

#[test]
fn proxy_server_error_then_pass() {
    let (_reg, proxy) = proxied(Fault::ServerError {
        status: 503,
        times: 1,
    });
    let dest = tempdir();
    let out = skopeo_pull(&proxy, "skiff-test/busybox:1", &dest.path().join("img")).fails();
    assert!(out.stderr().contains("503"), "{out}");
    let reqs = proxy.requests();
    assert!(reqs.iter().any(|r| r.status == 503), "{reqs:#?}");
    skopeo_pull(&proxy, "skiff-test/busybox:1", &dest.path().join("img2")).success();
}

#[test]
fn proxy_malformed_manifest() {
    let (reg, proxy) = proxied(Fault::MalformedManifest);
    let url = format!("http://{}/v2/skiff-test/busybox/manifests/1", proxy.addr());
    let mut resp = reg
        .agent()
        .get(&url)
        .header("Accept", "application/vnd.oci.image.manifest.v1+json")
        .call()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert!(resp.headers().get("docker-content-digest").is_none());
    assert_eq!(
        resp.body_mut().read_to_string().unwrap(),
        MALFORMED_MANIFEST
    );
    skopeo_inspect_output(&proxy, "skiff-test/busybox:1", false).fails();
    assert_eq!(proxy.manifest_gets(), 2);
}

#[test]
fn proxy_schema1_manifest() {
    let (_reg, proxy) = proxied(Fault::Schema1Manifest);
    let raw = skopeo_inspect_raw(&proxy, "skiff-test/busybox:1");
    assert_eq!(raw["schemaVersion"], 1, "{raw:#}");
    assert_eq!(raw["name"], "skiff-test/busybox");
    assert_eq!(raw["tag"], "1");
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    let resp = agent
        .head(format!(
            "http://{}/v2/skiff-test/busybox/manifests/1",
            proxy.addr()
        ))
        .call()
        .unwrap();
    assert_eq!(
        resp.headers().get("content-type").unwrap(),
        SCHEMA1_MEDIA_TYPE
    );
}

#[test]
fn proxy_set_fault_and_drop() {
    let (_reg, proxy) = proxied(Fault::None);
    let dest = tempdir();
    skopeo_pull(&proxy, "skiff-test/busybox:1", &dest.path().join("a")).success();
    proxy.set_fault(Fault::CorruptBlob);
    skopeo_pull(&proxy, "skiff-test/busybox:1", &dest.path().join("b")).fails();
    let addr = proxy.addr();
    assert!(listening(&addr));
    drop(proxy);
    assert!(stops_listening(&addr), "{addr}");
}
