//! A real registry for tests: Debian's `docker-registry` (CNCF distribution 2.8.2) on
//! 127.0.0.1, in four flavours, plus a fault-injecting proxy and skopeo helpers that put
//! images into a registry without skiff.
//!
//! ```ignore
//! mod common;
//! #[path = "support/registry.rs"]
//! mod registry;
//! use registry::{FaultProxy, Fault, Registry, push_with_skopeo};
//!
//! let reg = Registry::htpasswd("alice", "secret");
//! let digest = push_with_skopeo(&reg, &common::test_images().join("busybox.tar"), "busybox:1");
//! env.skiff(&["pull", "--cert-dir", reg.cert_dir().to_str().unwrap(),
//!             "--creds", "alice:secret", &format!("{}/busybox:1", reg.addr())]).success();
//!
//! let plain = Registry::http();
//! push_with_skopeo(&plain, &img, "busybox:1");
//! let proxy = FaultProxy::new(&plain.addr(), Fault::DropMidBlob { times: 1 });
//! env.skiff(&["pull", "--tls-verify=false", &format!("{}/busybox:1", proxy.addr())]);
//! assert!(proxy.blob_gets() >= 2, "the dropped blob was fetched again");
//! ```
//!
//! Flavours: [`Registry::http`] (plain HTTP), [`Registry::https`] (TLS with a CA of its own),
//! [`Registry::htpasswd`] (TLS + Basic auth), [`Registry::token`] (TLS + Bearer tokens from a
//! token server in this process). Each registry has its own world-readable temp dir under
//! [`tmp_base`](crate::common::tmp_base) (the rootless test user can read the CA at
//! [`Registry::cert_dir`]), its own port, and logs to `registry.log` there. Dropping it kills
//! the process, stops the token server and removes the dir (`SKIFF_TEST_KEEP=1` keeps the
//! dir). The registry runs under `setpriv --pdeathsig KILL`, so it also dies if the test
//! process is killed; a consequence: keep a `Registry` in the thread that created it (the
//! death signal follows the creating *thread*), i.e. not in a static.
//!
//! Facts this is built around:
//! - Registry 2.8's htpasswd accepts bcrypt hashes only (`htpasswd -B`, apache2-utils).
//! - Token auth (`auth: token:`): the registry checks `iss` == issuer, `aud` == service (a
//!   single string in 2.8), `exp`/`nbf` with 60 s leeway, and the signature with the key of
//!   the leaf certificate in the JWT header's `x5c` (standard base64 DER, not base64url),
//!   which must chain to a certificate in `rootcertbundle`; `access` lists
//!   `{type, name, actions}`. JWT parts are base64url without padding; RS256 is PKCS#1 v1.5
//!   over SHA-256, made here with `openssl dgst -sha256 -sign`.
//! - Over TLS the registry speaks HTTP/2 to clients that offer it (ALPN), HTTP/1.1 otherwise.
//! - The registry builds upload `Location`s from the request's Host header, so a proxy that
//!   forwards Host unchanged keeps uploads going through itself.
//! - Everything the process reads from the environment (`REGISTRY_*` overrides) is cleared.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::fs;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::common::{Output, run_with_timeout, set_mode, tmp_base};

const REGISTRY_BIN: &str = "/usr/bin/docker-registry";
const DIR_PREFIX: &str = "skiff-registry-";
/// How long a registry may take to answer `GET /v2/` after it was started.
const READY_TIMEOUT: Duration = Duration::from_secs(10);
/// Read/write timeout of the proxy's and the token server's sockets: nothing hangs forever.
const IO_TIMEOUT: Duration = Duration::from_secs(30);
const SKOPEO_TIMEOUT: Duration = Duration::from_secs(120);
/// The `service` and `issuer` of token registries (the token's `aud` and `iss`).
pub const TOKEN_SERVICE: &str = "skiff-test-registry";
pub const TOKEN_ISSUER: &str = "skiff-test-token-issuer";

// ---------------------------------------------------------------------------------------------
// Registry

/// How a [`Registry`] is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    Http,
    Https,
    Htpasswd,
    Token,
}

/// A running `docker-registry serve` on 127.0.0.1 (see the module doc).
pub struct Registry {
    flavor: Flavor,
    addr: String,
    child: Child,
    creds: Option<(String, String)>,
    token_server: Option<TokenServer>,
    dir: Option<TempDir>,
}

impl Registry {
    /// Plain HTTP, no auth. Clients need `--tls-verify=false` (or an insecure registries.conf
    /// entry).
    pub fn http() -> Registry {
        Registry::start(Flavor::Http, None)
    }

    /// HTTPS with a self-signed CA of its own ([`Registry::ca_cert`]), no auth.
    pub fn https() -> Registry {
        Registry::start(Flavor::Https, None)
    }

    /// HTTPS with Basic auth against a bcrypt htpasswd file holding `user:pass`.
    pub fn htpasswd(user: &str, pass: &str) -> Registry {
        Registry::start(Flavor::Htpasswd, Some((user.into(), pass.into())))
    }

    /// HTTPS with Bearer tokens: the registry sends clients to a token server (plain HTTP on
    /// 127.0.0.1, see [`Registry::token_realm`]) that takes Basic `user:pass` and grants
    /// whatever scope is asked for; anonymous or wrong credentials get 401.
    pub fn token(user: &str, pass: &str) -> Registry {
        Registry::start(Flavor::Token, Some((user.into(), pass.into())))
    }

    fn start(flavor: Flavor, creds: Option<(String, String)>) -> Registry {
        remove_stale_dirs();
        let base = tmp_base();
        let dir = tempfile::Builder::new()
            .prefix(&format!("{DIR_PREFIX}{}-", std::process::id()))
            .tempdir_in(&base)
            .unwrap_or_else(|e| panic!("creating a temp dir in {}: {e}", base.display()));
        let root = dir.path().to_path_buf();
        set_mode(&root, 0o755);
        fs::create_dir(root.join("storage")).expect("mkdir storage");

        let tls = flavor != Flavor::Http;
        if tls {
            make_pki(&root);
        }
        let mut auth = String::new();
        if flavor == Flavor::Htpasswd {
            let (user, pass) = creds.as_ref().unwrap();
            write_htpasswd(&root.join("htpasswd"), user, pass);
            auth = format!(
                "auth:\n  htpasswd:\n    realm: skiff-test\n    path: {}\n",
                yaml_str(&root.join("htpasswd"))
            );
        }
        let mut token_server = None;
        if flavor == Flavor::Token {
            let (user, pass) = creds.clone().unwrap();
            make_token_signer(&root);
            let server = TokenServer::start(&root, user, pass);
            auth = format!(
                "auth:\n  token:\n    realm: {}\n    service: {TOKEN_SERVICE}\n    \
                 issuer: {TOKEN_ISSUER}\n    rootcertbundle: {}\n",
                server.realm(),
                yaml_str(&root.join("tls/token-roots.crt")),
            );
            token_server = Some(server);
        }

        // Pick a free port, then start; another process may take the port in between, so
        // retry on "address already in use".
        let mut attempts = 0;
        loop {
            attempts += 1;
            let port = free_port();
            let addr = format!("127.0.0.1:{port}");
            write_config(&root, &addr, tls, &auth);
            let child = spawn_registry(&root);
            let mut reg = Registry {
                flavor,
                addr,
                child,
                creds: creds.clone(),
                token_server: None,
                dir: None,
            };
            match reg.wait_ready(&root) {
                Ok(()) => {
                    reg.token_server = token_server;
                    reg.dir = Some(dir);
                    return reg;
                }
                Err(log) if log.contains("address already in use") && attempts < 5 => continue,
                Err(log) => panic!(
                    "docker-registry ({flavor:?}) on {} exited or did not answer GET /v2/ \
                     within {:?}\nregistry.log:\n{log}",
                    reg.addr, READY_TIMEOUT
                ),
            }
        }
    }

    /// Wait until `GET /v2/` answers (any status: 401 is an answer). `Err(log)` if the
    /// process exited or the timeout passed (the process is then killed).
    fn wait_ready(&mut self, root: &Path) -> Result<(), String> {
        let agent = self.agent_for(root);
        let url = format!("{}/v2/", self.base_url());
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if let Ok(Some(_)) = self.child.try_wait() {
                return Err(fs::read_to_string(root.join("registry.log")).unwrap_or_default());
            }
            if agent.get(&url).call().is_ok() {
                return Ok(());
            }
            if Instant::now() > deadline {
                self.kill();
                return Err(fs::read_to_string(root.join("registry.log")).unwrap_or_default());
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn flavor(&self) -> Flavor {
        self.flavor
    }

    /// `127.0.0.1:PORT`, the registry's host part in image references.
    pub fn addr(&self) -> String {
        self.addr.clone()
    }

    /// `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        let scheme = if self.is_tls() { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    pub fn is_tls(&self) -> bool {
        self.flavor != Flavor::Http
    }

    /// The registry process's pid.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The registry's temp dir (world-readable, 0755).
    pub fn dir(&self) -> &Path {
        self.dir.as_ref().expect("registry dir").path()
    }

    /// The CA certificate (PEM, 0644) that signed the server certificate. Panics for
    /// [`Registry::http`].
    pub fn ca_cert(&self) -> PathBuf {
        self.cert_dir().join("ca.crt")
    }

    /// A directory holding only `ca.crt`: usable as `--cert-dir` or as
    /// `certs.d/127.0.0.1:PORT/`. World-readable. Panics for [`Registry::http`].
    pub fn cert_dir(&self) -> PathBuf {
        assert!(self.is_tls(), "Registry::http() has no CA certificate");
        self.dir().join("certs")
    }

    /// `(user, pass)` for htpasswd and token registries.
    pub fn creds(&self) -> Option<(&str, &str)> {
        self.creds.as_ref().map(|(u, p)| (u.as_str(), p.as_str()))
    }

    pub fn user(&self) -> Option<&str> {
        self.creds().map(|c| c.0)
    }

    pub fn pass(&self) -> Option<&str> {
        self.creds().map(|c| c.1)
    }

    /// `user:pass`, as for `--creds`. Panics for registries without auth.
    pub fn creds_arg(&self) -> String {
        let (u, p) = self.creds().expect("this registry has no credentials");
        format!("{u}:{p}")
    }

    /// The filesystem storage root (`docker/registry/v2/...` below it).
    pub fn storage_dir(&self) -> PathBuf {
        self.dir().join("storage")
    }

    /// Where the registry keeps a blob's bytes (`sha256:HEX`), e.g. to corrupt it at rest.
    pub fn blob_data_path(&self, digest: &str) -> PathBuf {
        let hex = digest.strip_prefix("sha256:").expect("a sha256 digest");
        self.storage_dir()
            .join("docker/registry/v2/blobs/sha256")
            .join(&hex[..2])
            .join(hex)
            .join("data")
    }

    /// The registry's log so far (its stderr and access log).
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir().join("registry.log")).unwrap_or_default()
    }

    /// The token server's realm URL (`http://127.0.0.1:PORT/token`) of a token registry.
    pub fn token_realm(&self) -> Option<String> {
        self.token_server.as_ref().map(TokenServer::realm)
    }

    /// What the token server was asked so far (empty for other flavours).
    pub fn token_requests(&self) -> Vec<TokenRequest> {
        self.token_server
            .as_ref()
            .map(|t| t.state.requests.lock().unwrap().clone())
            .unwrap_or_default()
    }

    /// A ureq agent that trusts this registry's CA and does not turn 4xx/5xx into errors.
    /// It sends no credentials by itself.
    pub fn agent(&self) -> ureq::Agent {
        self.agent_for(self.dir())
    }

    fn agent_for(&self, root: &Path) -> ureq::Agent {
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(5)));
        if self.is_tls() {
            let pem = fs::read(root.join("certs/ca.crt")).expect("reading ca.crt");
            let cert = ureq::tls::Certificate::from_pem(&pem).expect("parsing ca.crt");
            let tls = ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::new_with_certs(&[cert]))
                .build();
            config = config.tls_config(tls);
        }
        config.build().new_agent()
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        self.kill();
        self.token_server.take();
        let Some(dir) = self.dir.take() else {
            return;
        };
        if std::env::var("SKIFF_TEST_KEEP").is_ok_and(|v| v == "1") {
            eprintln!("SKIFF_TEST_KEEP=1: keeping {}", dir.keep().display());
        }
    }
}

fn spawn_registry(root: &Path) -> Child {
    // A fresh log per attempt: the retry looks for "address already in use" in it.
    let _ = fs::remove_file(root.join("registry.log"));
    let log = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(root.join("registry.log"))
        .expect("opening registry.log");
    let mut cmd = Command::new("setpriv");
    // Dies with the thread that started it, so a killed test binary leaves no registry.
    cmd.args(["--pdeathsig", "KILL", "--", REGISTRY_BIN, "serve"])
        .arg(root.join("config.yml"))
        .current_dir(root)
        .env_clear()
        .env("PATH", crate::common::PATH)
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("dup registry.log"))
        .stderr(log);
    cmd.spawn().unwrap_or_else(|e| {
        panic!("starting {REGISTRY_BIN} (apt-get install docker-registry): {e}")
    })
}

fn write_config(root: &Path, addr: &str, tls: bool, auth: &str) {
    let tls_section = if tls {
        format!(
            "  tls:\n    certificate: {}\n    key: {}\n",
            yaml_str(&root.join("tls/server.crt")),
            yaml_str(&root.join("tls/server.key"))
        )
    } else {
        String::new()
    };
    let config = format!(
        "version: 0.1\n\
         log:\n  level: info\n  formatter: text\n\
         storage:\n  filesystem:\n    rootdirectory: {storage}\n  delete:\n    enabled: true\n  \
         maintenance:\n    uploadpurging:\n      enabled: false\n\
         http:\n  addr: {addr}\n  secret: skiff-test-secret\n{tls_section}\
         {auth}",
        storage = yaml_str(&root.join("storage")),
    );
    fs::write(root.join("config.yml"), config).expect("writing config.yml");
}

/// A double-quoted YAML string (our temp paths hold no quotes or backslashes).
fn yaml_str(p: &Path) -> String {
    format!("\"{}\"", p.display())
}

/// A port that was free a moment ago on 127.0.0.1.
fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
    l.local_addr().unwrap().port()
}

/// Remove the dirs of registries whose test process no longer exists (killed mid-test).
fn remove_stale_dirs() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let Ok(entries) = fs::read_dir(tmp_base()) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(DIR_PREFIX)) else {
                continue;
            };
            let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
                continue;
            };
            if !Path::new(&format!("/proc/{pid}")).exists() {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    });
}

// ---------------------------------------------------------------------------------------------
// Certificates and keys, with the openssl CLI.

/// Run openssl in `dir`; panic with its stderr on failure.
fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", crate::common::PATH)
        .output()
        .expect("running openssl (apt-get install openssl)");
    assert!(
        out.status.success(),
        "openssl {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `tls/`: a CA (P-256, self-signed) and a server certificate it signed, with SAN
/// IP:127.0.0.1 and DNS:localhost (rustls and Go need the SAN; the CN is not looked at).
/// `certs/ca.crt`: the CA alone, world-readable. P-256 because its keys are made in no time
/// (an RSA-2048 key takes ~0.3 s).
fn make_pki(root: &Path) {
    let tls = root.join("tls");
    fs::create_dir(&tls).expect("mkdir tls");
    // An empty config: no defaults from /etc/ssl/openssl.cnf sneak in (say, a CA:TRUE on
    // the server certificate through v3_ca).
    fs::write(tls.join("min.cnf"), "[req]\ndistinguished_name=dn\n[dn]\n").unwrap();
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let req_x509 = ["req", "-config", "min.cnf", "-x509", "-days", "3650"];
    openssl(
        &tls,
        &[
            &req_x509[..],
            &ec[..],
            &[
                "-keyout",
                "ca.key",
                "-out",
                "ca.crt",
                "-subj",
                "/CN=skiff test CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
                "-addext",
                "subjectKeyIdentifier=hash",
            ],
        ]
        .concat(),
    );
    openssl(
        &tls,
        &[
            &req_x509[..],
            &ec[..],
            &[
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-keyout",
                "server.key",
                "-out",
                "server.crt",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-addext",
                "basicConstraints=critical,CA:FALSE",
                "-addext",
                "keyUsage=critical,digitalSignature",
                "-addext",
                "extendedKeyUsage=serverAuth",
            ],
        ]
        .concat(),
    );
    let certs = root.join("certs");
    fs::create_dir(&certs).expect("mkdir certs");
    set_mode(&certs, 0o755);
    fs::copy(tls.join("ca.crt"), certs.join("ca.crt")).expect("copying ca.crt");
    set_mode(&certs.join("ca.crt"), 0o644);
}

/// The RSA key tokens are signed with: made once per test process (it is the slow part).
fn token_key_pem() -> &'static [u8] {
    static KEY: OnceLock<Vec<u8>> = OnceLock::new();
    KEY.get_or_init(|| {
        let tmp = tempfile::tempdir_in(tmp_base()).expect("temp dir for the token key");
        openssl(
            tmp.path(),
            &[
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:2048",
                "-out",
                "token.key",
            ],
        );
        fs::read(tmp.path().join("token.key")).expect("reading token.key")
    })
}

/// `tls/token.key` and `tls/token.crt` (signed by the registry's CA, which is what
/// `tls/token-roots.crt`, the registry's `rootcertbundle`, holds).
fn make_token_signer(root: &Path) {
    let tls = root.join("tls");
    fs::write(tls.join("token.key"), token_key_pem()).expect("writing token.key");
    openssl(
        &tls,
        &[
            "req",
            "-config",
            "min.cnf",
            "-x509",
            "-days",
            "3650",
            "-key",
            "token.key",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-out",
            "token.crt",
            "-subj",
            "/CN=skiff test token signer",
            "-addext",
            "basicConstraints=critical,CA:FALSE",
            "-addext",
            "keyUsage=critical,digitalSignature",
        ],
    );
    fs::copy(tls.join("ca.crt"), tls.join("token-roots.crt")).expect("copying the CA");
}

/// An htpasswd line with a bcrypt hash (`htpasswd -B`, cost 5: fast, and registry 2.8
/// accepts nothing but bcrypt).
fn write_htpasswd(path: &Path, user: &str, pass: &str) {
    let out = Command::new("htpasswd")
        .args(["-Bbn", "-C", "5", user, pass])
        .output()
        .expect("running htpasswd (apt-get install apache2-utils)");
    assert!(
        out.status.success(),
        "htpasswd failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = String::from_utf8(out.stdout).unwrap();
    fs::write(path, format!("{}\n", line.trim())).expect("writing htpasswd");
}

// ---------------------------------------------------------------------------------------------
// HTTP/1.1 plumbing shared by the token server and the proxy.

/// An HTTP message head: the start line and the headers in their order.
#[derive(Clone, Debug)]
struct Head {
    start: String,
    headers: Vec<(String, String)>,
}

impl Head {
    fn get(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn remove(&mut self, name: &str) {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
    }

    fn set(&mut self, name: &str, value: &str) {
        self.remove(name);
        self.headers.push((name.to_string(), value.to_string()));
    }

    /// The status code of a response head.
    fn status(&self) -> u16 {
        self.start
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0)
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut s = format!("{}\r\n", self.start);
        for (k, v) in &self.headers {
            s.push_str(&format!("{k}: {v}\r\n"));
        }
        s.push_str("\r\n");
        s.into_bytes()
    }
}

/// Read a head up to its blank line; `None` at a clean end of stream.
fn read_head(r: &mut impl BufRead) -> io::Result<Option<Head>> {
    let mut start = String::new();
    if r.read_line(&mut start)? == 0 {
        return Ok(None);
    }
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if r.read_line(&mut line)? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    Ok(Some(Head {
        start: start.trim_end().to_string(),
        headers,
    }))
}

/// A response body, by Content-Length, chunked coding, or up to the end of the stream.
fn read_body(r: &mut impl BufRead, head: &Head) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    if head
        .get("transfer-encoding")
        .is_some_and(|t| t.eq_ignore_ascii_case("chunked"))
    {
        loop {
            let mut size = String::new();
            r.read_line(&mut size)?;
            let size = size.trim().split(';').next().unwrap_or("");
            let n = usize::from_str_radix(size, 16)
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad chunk size"))?;
            if n == 0 {
                // Trailers up to the blank line.
                while read_line_nonempty(r)? {}
                return Ok(body);
            }
            let at = body.len();
            body.resize(at + n, 0);
            r.read_exact(&mut body[at..])?;
            let mut crlf = [0u8; 2];
            r.read_exact(&mut crlf)?;
        }
    }
    match head
        .get("content-length")
        .and_then(|v| v.parse::<usize>().ok())
    {
        Some(n) => {
            body.resize(n, 0);
            r.read_exact(&mut body)?;
        }
        None => {
            r.read_to_end(&mut body)?;
        }
    }
    Ok(body)
}

fn read_line_nonempty(r: &mut impl BufRead) -> io::Result<bool> {
    let mut line = String::new();
    Ok(r.read_line(&mut line)? > 0 && !line.trim().is_empty())
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        206 => "Partial Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// Write a complete response that closes the connection.
fn write_response(
    w: &mut impl Write,
    status: u16,
    headers: &[(&str, &str)],
    body: &[u8],
    with_body: bool,
) -> io::Result<()> {
    let mut head = Head {
        start: format!("HTTP/1.1 {status} {}", reason(status)),
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    };
    head.set("Content-Length", &body.len().to_string());
    head.set("Connection", "close");
    w.write_all(&head.to_bytes())?;
    if with_body {
        w.write_all(body)?;
    }
    w.flush()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn query_params(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// A listener thread that hands each connection to `handle` on a thread of its own, until
/// dropped.
struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    fn start(handle: impl Fn(TcpStream) + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let handle = Arc::new(handle);
        let stop2 = Arc::clone(&stop);
        let thread = thread::spawn(move || {
            for conn in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let _ = conn.set_read_timeout(Some(IO_TIMEOUT));
                let _ = conn.set_write_timeout(Some(IO_TIMEOUT));
                let h = Arc::clone(&handle);
                thread::spawn(move || h(conn));
            }
        });
        Server {
            addr,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop up so that it sees the flag and drops the listener.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The token server.

/// One request the token server answered.
#[derive(Clone, Debug)]
pub struct TokenRequest {
    /// The user whose Basic credentials were right; `None`: anonymous or wrong.
    pub user: Option<String>,
    /// Whether an Authorization header came at all.
    pub sent_credentials: bool,
    /// The `scope` parameters (e.g. `repository:busybox:pull,push`).
    pub scopes: Vec<String>,
    pub service: Option<String>,
    pub status: u16,
}

struct TokenState {
    user: String,
    pass: String,
    key: PathBuf,
    /// The signer's certificate, DER in standard base64: the JWT header's `x5c[0]`.
    cert_b64: String,
    requests: Mutex<Vec<TokenRequest>>,
    serial: AtomicUsize,
}

struct TokenServer {
    server: Server,
    state: Arc<TokenState>,
}

impl TokenServer {
    fn start(root: &Path, user: String, pass: String) -> TokenServer {
        let pem = fs::read_to_string(root.join("tls/token.crt")).expect("reading token.crt");
        let b64: String = pem
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<Vec<_>>()
            .concat();
        let state = Arc::new(TokenState {
            user,
            pass,
            key: root.join("tls/token.key"),
            cert_b64: b64,
            requests: Mutex::new(Vec::new()),
            serial: AtomicUsize::new(0),
        });
        let st = Arc::clone(&state);
        let server = Server::start(move |conn| {
            let _ = serve_token(conn, &st);
        });
        TokenServer { server, state }
    }

    fn realm(&self) -> String {
        format!("http://{}/token", self.server.addr)
    }
}

fn serve_token(mut conn: TcpStream, st: &TokenState) -> io::Result<()> {
    let mut r = BufReader::new(conn.try_clone()?);
    let Some(head) = read_head(&mut r)? else {
        return Ok(());
    };
    let mut parts = head.start.split(' ');
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let params = query_params(query);
    let scopes: Vec<String> = params
        .iter()
        .filter(|(k, _)| k == "scope")
        .flat_map(|(_, v)| v.split(' ').map(str::to_string).collect::<Vec<_>>())
        .filter(|s| !s.is_empty())
        .collect();
    let service = params
        .iter()
        .find(|(k, _)| k == "service")
        .map(|(_, v)| v.clone());
    let auth = head.get("authorization");
    let user = auth.and_then(|a| basic_user(a, &st.user, &st.pass));

    let (status, body) = if method != "GET" || path != "/token" {
        (
            404,
            json!({"errors": [{"code": "NOT_FOUND", "message": "GET /token only"}]}),
        )
    } else if user.is_none() {
        let message = if auth.is_some() {
            "wrong credentials"
        } else {
            "authentication required"
        };
        (
            401,
            json!({"errors": [{"code": "UNAUTHORIZED", "message": message}]}),
        )
    } else {
        match issue_token(st, user.as_deref().unwrap(), service.as_deref(), &scopes) {
            Ok(token) => {
                let issued = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                (
                    200,
                    json!({"token": token, "access_token": token, "expires_in": 300,
                           "issued_at": issued}),
                )
            }
            Err(e) => (500, json!({"errors": [{"code": "UNKNOWN", "message": e}]})),
        }
    };
    st.requests.lock().unwrap().push(TokenRequest {
        user,
        sent_credentials: auth.is_some(),
        scopes,
        service,
        status,
    });
    let mut headers = vec![("Content-Type", "application/json")];
    if status == 401 {
        headers.push(("WWW-Authenticate", "Basic realm=\"skiff-test-token\""));
    }
    let body = serde_json::to_vec(&body).unwrap();
    write_response(&mut conn, status, &headers, &body, true)?;
    let _ = conn.shutdown(Shutdown::Both);
    Ok(())
}

/// The user name if `header` is `Basic base64(user:pass)` with the right pair.
fn basic_user(header: &str, user: &str, pass: &str) -> Option<String> {
    let (scheme, b64) = header.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(b64.trim()).ok()?).ok()?;
    (decoded == format!("{user}:{pass}")).then(|| user.to_string())
}

/// `type:name:actions`; the name may hold colons (a registry host with a port).
fn parse_scope(scope: &str) -> Option<Value> {
    let (typ, rest) = scope.split_once(':')?;
    let (name, actions) = rest.rsplit_once(':')?;
    let actions: Vec<&str> = actions.split(',').filter(|a| !a.is_empty()).collect();
    Some(json!({"type": typ, "name": name, "actions": actions}))
}

/// An RS256 JWT granting every requested scope to `user`.
fn issue_token(
    st: &TokenState,
    user: &str,
    service: Option<&str>,
    scopes: &[String],
) -> Result<String, String> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let header = json!({"typ": "JWT", "alg": "RS256", "x5c": [st.cert_b64]});
    let access: Vec<Value> = scopes.iter().filter_map(|s| parse_scope(s)).collect();
    let claims = json!({
        "iss": TOKEN_ISSUER,
        "sub": user,
        "aud": service.unwrap_or(TOKEN_SERVICE),
        "exp": now + 300,
        "nbf": now - 10,
        "iat": now,
        "jti": format!("skiff-test-{}", st.serial.fetch_add(1, Ordering::SeqCst)),
        "access": access,
    });
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).unwrap()),
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap())
    );
    let signature = rs256_sign(&st.key, signing_input.as_bytes())?;
    Ok(format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(signature)
    ))
}

/// RSASSA-PKCS1-v1_5 over SHA-256, by `openssl dgst -sha256 -sign KEY`.
fn rs256_sign(key: &Path, data: &[u8]) -> Result<Vec<u8>, String> {
    let mut child = Command::new("openssl")
        .arg("dgst")
        .arg("-sha256")
        .arg("-sign")
        .arg(key)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("running openssl: {e}"))?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(data)
        .map_err(|e| format!("writing to openssl: {e}"))?;
    let out = child
        .wait_with_output()
        .map_err(|e| format!("waiting for openssl: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "openssl dgst -sign failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(out.stdout)
}

// ---------------------------------------------------------------------------------------------
// The fault proxy.

/// What a [`FaultProxy`] does to the traffic. Blob requests are `GET /v2/NAME/blobs/sha256:*`
/// (uploads are not blobs); manifest requests are `/v2/NAME/manifests/REF`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Pass everything through.
    None,
    /// Flip one byte (in the middle) of every successful blob GET body.
    CorruptBlob,
    /// For the first `times` blob GETs: send the head (with the full Content-Length) and
    /// half the body, then close the connection. Later ones pass.
    DropMidBlob { times: usize },
    /// Answer the first `times` blob GETs with `status` (and a JSON error body) without
    /// asking the registry.
    ServerError { status: u16, times: usize },
    /// Replace the body of every successful manifest GET with `{"schemaVersion":2,
    /// "layers":"x"}` (Content-Length fixed, Docker-Content-Digest dropped, Content-Type
    /// kept).
    MalformedManifest,
    /// Answer every manifest GET and HEAD with a small schema 1 manifest
    /// (`application/vnd.docker.distribution.manifest.v1+prettyjws`), without asking the
    /// registry.
    Schema1Manifest,
}

/// The body [`Fault::MalformedManifest`] serves.
pub const MALFORMED_MANIFEST: &str = r#"{"schemaVersion":2,"layers":"x"}"#;
pub const SCHEMA1_MEDIA_TYPE: &str = "application/vnd.docker.distribution.manifest.v1+prettyjws";

/// One request the proxy saw.
#[derive(Clone, Debug)]
pub struct ProxiedRequest {
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The Range header, passed through as it came.
    pub range: Option<String>,
    /// The status the client got (0: none, the connection failed or was cut).
    pub status: u16,
    /// The fault applied to this request, if any.
    pub fault: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Blob,
    Manifest,
    Other,
}

enum Action {
    Pass,
    Corrupt,
    Drop,
    Respond(u16),
    Malformed,
    Schema1,
}

impl Action {
    fn name(&self) -> Option<String> {
        match self {
            Action::Pass => None,
            Action::Corrupt => Some("CorruptBlob".into()),
            Action::Drop => Some("DropMidBlob".into()),
            Action::Respond(s) => Some(format!("ServerError({s})")),
            Action::Malformed => Some("MalformedManifest".into()),
            Action::Schema1 => Some("Schema1Manifest".into()),
        }
    }
}

struct ProxyState {
    upstream: String,
    fault: Mutex<Fault>,
    blob_gets: AtomicUsize,
    manifest_gets: AtomicUsize,
    faults: AtomicUsize,
    requests: Mutex<Vec<ProxiedRequest>>,
}

impl ProxyState {
    /// Count the request and pick what to do with it.
    fn decide(&self, method: &str, kind: Kind) -> Action {
        let get = method == "GET";
        match kind {
            Kind::Blob if get => self.blob_gets.fetch_add(1, Ordering::SeqCst),
            Kind::Manifest if get => self.manifest_gets.fetch_add(1, Ordering::SeqCst),
            _ => 0,
        };
        let mut fault = self.fault.lock().unwrap();
        let action = match (&mut *fault, kind) {
            (Fault::CorruptBlob, Kind::Blob) if get => Action::Corrupt,
            (Fault::DropMidBlob { times }, Kind::Blob) if get && *times > 0 => {
                *times -= 1;
                Action::Drop
            }
            (Fault::ServerError { status, times }, Kind::Blob) if get && *times > 0 => {
                *times -= 1;
                Action::Respond(*status)
            }
            (Fault::MalformedManifest, Kind::Manifest) if get => Action::Malformed,
            (Fault::Schema1Manifest, Kind::Manifest) if get || method == "HEAD" => Action::Schema1,
            _ => Action::Pass,
        };
        if !matches!(action, Action::Pass) {
            self.faults.fetch_add(1, Ordering::SeqCst);
        }
        action
    }
}

/// A plain-HTTP proxy on 127.0.0.1 in front of a plain-HTTP registry, passing everything
/// through (request bodies and Range headers included, one request per connection: it
/// forces `Connection: close` both ways) except the injected [`Fault`]. Dropping it stops
/// the listener.
pub struct FaultProxy {
    server: Server,
    state: Arc<ProxyState>,
}

impl FaultProxy {
    /// A proxy to `upstream` (`127.0.0.1:PORT` of an http registry).
    pub fn new(upstream: &str, fault: Fault) -> FaultProxy {
        let state = Arc::new(ProxyState {
            upstream: upstream.to_string(),
            fault: Mutex::new(fault),
            blob_gets: AtomicUsize::new(0),
            manifest_gets: AtomicUsize::new(0),
            faults: AtomicUsize::new(0),
            requests: Mutex::new(Vec::new()),
        });
        let st = Arc::clone(&state);
        let server = Server::start(move |conn| serve_proxy(conn, &st));
        FaultProxy { server, state }
    }

    /// A proxy in front of `reg`, which must be [`Registry::http`].
    pub fn in_front_of(reg: &Registry, fault: Fault) -> FaultProxy {
        assert_eq!(
            reg.flavor(),
            Flavor::Http,
            "FaultProxy speaks plain HTTP only"
        );
        FaultProxy::new(&reg.addr(), fault)
    }

    /// `127.0.0.1:PORT`: use it as the registry host in references.
    pub fn addr(&self) -> String {
        self.server.addr.to_string()
    }

    /// Change the fault (counts like `times` start afresh).
    pub fn set_fault(&self, fault: Fault) {
        *self.state.fault.lock().unwrap() = fault;
    }

    /// How many blob GETs (`/v2/.../blobs/sha256:...`) came through, faulted or not.
    pub fn blob_gets(&self) -> usize {
        self.state.blob_gets.load(Ordering::SeqCst)
    }

    /// How many manifest GETs came through.
    pub fn manifest_gets(&self) -> usize {
        self.state.manifest_gets.load(Ordering::SeqCst)
    }

    /// How many requests had a fault applied.
    pub fn faults_injected(&self) -> usize {
        self.state.faults.load(Ordering::SeqCst)
    }

    /// Every request so far, in the order they completed.
    pub fn requests(&self) -> Vec<ProxiedRequest> {
        self.state.requests.lock().unwrap().clone()
    }
}

fn classify(path: &str) -> Kind {
    if !path.starts_with("/v2/") {
        return Kind::Other;
    }
    if path.contains("/blobs/sha256:") && !path.contains("/blobs/uploads/") {
        Kind::Blob
    } else if path.contains("/manifests/") {
        Kind::Manifest
    } else {
        Kind::Other
    }
}

fn serve_proxy(client: TcpStream, st: &ProxyState) {
    let mut rec = Recorder {
        st,
        rec: ProxiedRequest {
            method: String::new(),
            path: String::new(),
            range: None,
            status: 0,
            fault: None,
        },
        done: false,
    };
    let _ = proxy_one(client, st, &mut rec);
}

/// Logs a request in [`FaultProxy::requests`] before the client can see the end of its
/// answer (so a test that reads the log right after its client returned finds it there), or,
/// if the exchange failed first, when dropped.
struct Recorder<'a> {
    st: &'a ProxyState,
    rec: ProxiedRequest,
    done: bool,
}

impl Recorder<'_> {
    fn commit(&mut self, status: u16) {
        if !self.done && !self.rec.method.is_empty() {
            self.rec.status = status;
            self.st.requests.lock().unwrap().push(self.rec.clone());
        }
        self.done = true;
    }
}

impl Drop for Recorder<'_> {
    fn drop(&mut self) {
        self.commit(0);
    }
}

fn proxy_one(client: TcpStream, st: &ProxyState, recorder: &mut Recorder) -> io::Result<()> {
    let rec = &mut recorder.rec;
    let mut client_w = client.try_clone()?;
    let mut client_r = BufReader::new(client);
    let Some(mut req) = read_head(&mut client_r)? else {
        return Ok(());
    };
    let mut parts = req.start.split(' ');
    rec.method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    rec.path = target.split('?').next().unwrap_or("").to_string();
    rec.range = req.get("range").map(str::to_string);
    let method = rec.method.clone();
    let action = st.decide(&method, classify(&rec.path));
    rec.fault = action.name();

    match action {
        Action::Respond(status) => {
            let body = json!({"errors": [{"code": "UNAVAILABLE",
                                          "message": "injected by FaultProxy"}]});
            let body = serde_json::to_vec(&body).unwrap();
            let headers = [("Content-Type", "application/json")];
            recorder.commit(status);
            write_response(&mut client_w, status, &headers, &body, method != "HEAD")?;
            return close(&client_w);
        }
        Action::Schema1 => {
            let body = schema1_manifest(&rec.path);
            let headers = [
                ("Content-Type", SCHEMA1_MEDIA_TYPE),
                ("Docker-Distribution-Api-Version", "registry/2.0"),
            ];
            recorder.commit(200);
            write_response(&mut client_w, 200, &headers, &body, method != "HEAD")?;
            return close(&client_w);
        }
        _ => {}
    }

    let upstream = TcpStream::connect(&st.upstream)?;
    upstream.set_read_timeout(Some(IO_TIMEOUT))?;
    upstream.set_write_timeout(Some(IO_TIMEOUT))?;
    for h in ["connection", "keep-alive", "proxy-connection"] {
        req.remove(h);
    }
    req.set("Connection", "close");
    let mut upstream_w = upstream.try_clone()?;
    upstream_w.write_all(&req.to_bytes())?;
    // The request body, if any, streams on until the client's side closes (we close it after
    // the response), whatever its framing.
    let pump = thread::spawn(move || {
        let _ = io::copy(&mut client_r, &mut upstream_w);
    });
    let result = relay_response(upstream, &mut client_w, &method, action, recorder);
    let _ = close(&client_w);
    let _ = pump.join();
    result
}

fn relay_response(
    upstream: TcpStream,
    client_w: &mut TcpStream,
    method: &str,
    action: Action,
    recorder: &mut Recorder,
) -> io::Result<()> {
    let mut up_r = BufReader::new(upstream);
    let mut resp = loop {
        let head = read_head(&mut up_r)?.ok_or(io::ErrorKind::UnexpectedEof)?;
        let status = head.status();
        // 100 Continue and friends go through as they are; the real answer follows.
        if (100..200).contains(&status) && status != 101 {
            client_w.write_all(&head.to_bytes())?;
            continue;
        }
        break head;
    };
    let status = resp.status();
    for h in ["connection", "keep-alive"] {
        resp.remove(h);
    }
    resp.set("Connection", "close");
    let faultable = method == "GET" && (status == 200 || status == 206);
    if !faultable || matches!(action, Action::Pass) {
        recorder.commit(status);
        client_w.write_all(&resp.to_bytes())?;
        io::copy(&mut up_r, client_w)?;
        return Ok(());
    }
    let mut body = read_body(&mut up_r, &resp)?;
    resp.remove("transfer-encoding");
    match action {
        Action::Corrupt => {
            if !body.is_empty() {
                let mid = body.len() / 2;
                body[mid] ^= 0x01;
            }
        }
        Action::Malformed => {
            body = MALFORMED_MANIFEST.as_bytes().to_vec();
            resp.remove("docker-content-digest");
        }
        Action::Drop => {
            // Status 0: the client never gets a whole answer.
            recorder.commit(0);
            resp.set("Content-Length", &body.len().to_string());
            client_w.write_all(&resp.to_bytes())?;
            client_w.write_all(&body[..body.len() / 2])?;
            client_w.flush()?;
            return Ok(());
        }
        Action::Pass | Action::Respond(_) | Action::Schema1 => {}
    }
    resp.set("Content-Length", &body.len().to_string());
    recorder.commit(status);
    client_w.write_all(&resp.to_bytes())?;
    client_w.write_all(&body)?;
    client_w.flush()?;
    Ok(())
}

fn close(s: &TcpStream) -> io::Result<()> {
    s.shutdown(Shutdown::Both)
}

/// A small schema 1 manifest for `/v2/NAME/manifests/REF` (one empty layer, no signatures).
fn schema1_manifest(path: &str) -> Vec<u8> {
    let rest = path.strip_prefix("/v2/").unwrap_or(path);
    let (name, reference) = rest.rsplit_once("/manifests/").unwrap_or((rest, "latest"));
    let v1 = json!({"id": "b".repeat(64), "created": "2023-11-14T22:13:20Z",
                    "architecture": "amd64", "os": "linux",
                    "config": {"Cmd": ["sh"]}})
    .to_string();
    let manifest = json!({
        "schemaVersion": 1,
        "name": name,
        "tag": reference,
        "architecture": "amd64",
        "fsLayers": [{"blobSum":
            "sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4"}],
        "history": [{"v1Compatibility": v1}],
        "signatures": [],
    });
    serde_json::to_vec_pretty(&manifest).unwrap()
}

// ---------------------------------------------------------------------------------------------
// skopeo, to put images into a registry (and look at them) without skiff.

/// How to reach a registry: host, TLS trust, credentials.
#[derive(Clone, Debug)]
pub struct Endpoint {
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// A dir with `ca.crt`; `None`: plain HTTP (TLS verification off).
    pub cert_dir: Option<PathBuf>,
    pub creds: Option<(String, String)>,
}

impl Endpoint {
    /// The same endpoint with other credentials (e.g. a wrong password).
    pub fn with_creds(mut self, user: &str, pass: &str) -> Endpoint {
        self.creds = Some((user.into(), pass.into()));
        self
    }

    /// The same endpoint, anonymous.
    pub fn anonymous(mut self) -> Endpoint {
        self.creds = None;
        self
    }

    /// `docker://ADDR/REFERENCE`.
    pub fn docker_ref(&self, reference: &str) -> String {
        format!("docker://{}/{reference}", self.addr)
    }

    fn flags(&self, side: &str) -> Vec<String> {
        let mut f = Vec::new();
        match &self.cert_dir {
            Some(d) => f.push(format!("--{side}cert-dir={}", d.display())),
            None => f.push(format!("--{side}tls-verify=false")),
        }
        match &self.creds {
            Some((u, p)) => f.push(format!("--{side}creds={u}:{p}")),
            None => f.push(format!("--{side}no-creds")),
        }
        f
    }

    /// skopeo's flags for a source (`--src-...`).
    pub fn src_flags(&self) -> Vec<String> {
        self.flags("src-")
    }

    /// skopeo's flags for a destination (`--dest-...`).
    pub fn dest_flags(&self) -> Vec<String> {
        self.flags("dest-")
    }

    /// skopeo's flags for `inspect`/`list-tags` (no prefix).
    pub fn flags_plain(&self) -> Vec<String> {
        self.flags("")
    }
}

/// Anything skopeo can talk to: a [`Registry`], a [`FaultProxy`], an [`Endpoint`].
pub trait Remote {
    fn endpoint(&self) -> Endpoint;
}

impl Remote for Registry {
    fn endpoint(&self) -> Endpoint {
        Endpoint {
            addr: self.addr(),
            cert_dir: self.is_tls().then(|| self.cert_dir()),
            creds: self.creds.clone(),
        }
    }
}

impl Remote for FaultProxy {
    fn endpoint(&self) -> Endpoint {
        Endpoint {
            addr: self.addr(),
            cert_dir: None,
            creds: None,
        }
    }
}

impl Remote for Endpoint {
    fn endpoint(&self) -> Endpoint {
        self.clone()
    }
}

/// Run `skopeo --insecure-policy ARGS`, hermetically: a clean environment, no auth file, no
/// registries.conf of the user's. Not asserted.
pub fn skopeo<S: AsRef<OsStr>>(args: &[S]) -> Output {
    let scratch = tempfile::tempdir_in(tmp_base()).expect("skopeo scratch dir");
    let mut cmd = Command::new("skopeo");
    cmd.arg("--insecure-policy")
        .args(args)
        .env_clear()
        .env("PATH", crate::common::PATH)
        .env("HOME", scratch.path())
        .env("REGISTRY_AUTH_FILE", scratch.path().join("auth.json"))
        .env("LANG", "C.UTF-8");
    run_with_timeout(cmd, None, SKOPEO_TIMEOUT)
}

/// `skopeo copy oci-archive:ARCHIVE docker://ADDR/REFERENCE`. Not asserted.
pub fn skopeo_push(remote: &impl Remote, archive: &Path, reference: &str) -> Output {
    skopeo_push_with_digestfile(remote, archive, reference, None)
}

fn skopeo_push_with_digestfile(
    remote: &impl Remote,
    archive: &Path,
    reference: &str,
    digestfile: Option<&Path>,
) -> Output {
    let ep = remote.endpoint();
    let mut args = vec!["copy".to_string()];
    args.extend(ep.dest_flags());
    if let Some(d) = digestfile {
        args.push(format!("--digestfile={}", d.display()));
    }
    args.push(format!("oci-archive:{}", archive.display()));
    args.push(ep.docker_ref(reference));
    skopeo(&args)
}

/// Push an oci-archive to `remote` as `reference` (`repo:tag`) with skopeo; panics if that
/// fails. Returns the manifest digest in the registry (`sha256:...`).
pub fn push_with_skopeo(remote: &impl Remote, archive: &Path, reference: &str) -> String {
    let scratch = tempfile::tempdir_in(tmp_base()).expect("digestfile dir");
    let digestfile = scratch.path().join("digest");
    skopeo_push_with_digestfile(remote, archive, reference, Some(&digestfile)).success();
    fs::read_to_string(&digestfile)
        .expect("reading skopeo's digestfile")
        .trim()
        .to_string()
}

/// `skopeo copy docker://ADDR/REFERENCE dir:DEST` (verifies blob digests). Not asserted.
pub fn skopeo_pull(remote: &impl Remote, reference: &str, dest: &Path) -> Output {
    let ep = remote.endpoint();
    let mut args = vec!["copy".to_string()];
    args.extend(ep.src_flags());
    args.push(ep.docker_ref(reference));
    args.push(format!("dir:{}", dest.display()));
    skopeo(&args)
}

/// `skopeo inspect [--raw] docker://ADDR/REFERENCE`. Not asserted.
pub fn skopeo_inspect_output(remote: &impl Remote, reference: &str, raw: bool) -> Output {
    let ep = remote.endpoint();
    let mut args = vec!["inspect".to_string()];
    if raw {
        args.push("--raw".into());
    }
    args.extend(ep.flags_plain());
    args.push(ep.docker_ref(reference));
    skopeo(&args)
}

/// `skopeo inspect` as JSON (`Digest`, `Layers`, ...); panics if it fails.
pub fn skopeo_inspect(remote: &impl Remote, reference: &str) -> Value {
    let out = skopeo_inspect_output(remote, reference, false).success();
    serde_json::from_slice(&out.stdout).expect("skopeo inspect prints JSON")
}

/// The manifest as stored (`skopeo inspect --raw`); panics if it fails.
pub fn skopeo_inspect_raw(remote: &impl Remote, reference: &str) -> Value {
    let out = skopeo_inspect_output(remote, reference, true).success();
    serde_json::from_slice(&out.stdout).expect("skopeo inspect --raw prints JSON")
}

/// The tags of `repo` (`skopeo list-tags`); panics if that fails.
pub fn skopeo_list_tags(remote: &impl Remote, repo: &str) -> Vec<String> {
    let ep = remote.endpoint();
    let mut args = vec!["list-tags".to_string()];
    args.extend(ep.flags_plain());
    args.push(ep.docker_ref(repo));
    let out = skopeo(&args).success();
    let v: Value = serde_json::from_slice(&out.stdout).expect("list-tags prints JSON");
    v["Tags"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}
