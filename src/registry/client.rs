//! One registry, spoken to over the distribution API (OCI distribution-spec v1.1):
//! the version check ("ping") that picks https or http, the challenge flow (Bearer tokens per
//! scope, Basic), retries with backoff, and the endpoints pull and push need. Blocking ureq:
//! the parallelism of a pull is a few threads, one request each.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Mutex;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use base64::Engine;
use ureq::Agent;
use ureq::http::{Response, StatusCode};

use super::challenge::{Challenge, parse_challenges};
use super::credentials::Credentials;
use super::retry::{Backoff, is_retryable_status};
use crate::image::digest::Digest;

pub use ureq::Body;

/// Everything `Accept` may list for a manifest GET; schema1 is asked for only so that we can
/// name it in the error instead of getting a 404.
const MANIFEST_ACCEPT: &str = "application/vnd.oci.image.index.v1+json, \
application/vnd.oci.image.manifest.v1+json, \
application/vnd.docker.distribution.manifest.list.v2+json, \
application/vnd.docker.distribution.manifest.v2+json, \
application/vnd.docker.distribution.manifest.v1+prettyjws, \
application/vnd.docker.distribution.manifest.v1+json";

/// The largest manifest or config we read into memory (the spec recommends 4 MiB for
/// manifests; configs of big images reach a few MB).
pub const MAX_DOCUMENT: u64 = 32 << 20;

const USER_AGENT: &str = concat!("skiff/", env!("CARGO_PKG_VERSION"));

/// How to reach a registry.
#[derive(Clone, Debug, Default)]
pub struct ConnectOptions {
    /// Verify TLS certificates and refuse plain http (`--tls-verify`, true by default).
    pub tls_verify: bool,
    /// `--cert-dir`: CA certs and client keys instead of certs.d.
    pub cert_dir: Option<std::path::PathBuf>,
    /// Credentials to use (from `--creds`, or looked up in the auth files by the caller).
    pub credentials: Option<Credentials>,
}

/// A repository action set for a token: `pull` or `pull,push`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Pull,
    Push,
}

impl Access {
    fn actions(self) -> &'static str {
        match self {
            Access::Pull => "pull",
            Access::Push => "pull,push",
        }
    }
}

/// A manifest as fetched: its bytes, the media type the registry declared, its digest.
#[derive(Clone, Debug)]
pub struct FetchedManifest {
    pub bytes: Vec<u8>,
    pub media_type: String,
    pub digest: Digest,
}

/// What an attempt to mount a blob from another repository did.
pub enum MountOutcome {
    Mounted,
    /// The registry did not mount but opened an upload session at this location.
    Upload(String),
}

#[derive(Clone, Debug)]
enum AuthMode {
    /// Not known yet, or none needed.
    None,
    Basic,
    Bearer(Challenge),
}

pub struct Client {
    /// The registry as users name it (`docker.io`, `127.0.0.1:5000`): used in messages.
    registry: String,
    /// `https://host` or `http://host`, the endpoint actually spoken to.
    base: String,
    agent: Agent,
    credentials: Option<Credentials>,
    auth: Mutex<AuthMode>,
    /// Bearer tokens by scope string.
    tokens: Mutex<HashMap<String, String>>,
}

/// The host that serves a registry's API: Docker Hub's is not `docker.io`.
pub fn endpoint_host(registry: &str) -> &str {
    match registry {
        "docker.io" => "registry-1.docker.io",
        other => other,
    }
}

/// How long connecting to a registry may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a registry may go without sending anything (an answer's head, or the next bytes
/// of a body) before the request fails: a registry that stops sending must not hang a pull.
const READ_TIMEOUT: Duration = Duration::from_secs(60);

/// [`READ_TIMEOUT`], or `SKIFF_REGISTRY_READ_TIMEOUT` seconds (for tests).
pub fn read_timeout() -> Duration {
    std::env::var("SKIFF_REGISTRY_READ_TIMEOUT")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|&s| s > 0)
        .map_or(READ_TIMEOUT, Duration::from_secs)
}

/// Whether an I/O error from a response body is our read timeout.
pub fn is_timeout(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::TimedOut
        || e.get_ref()
            .and_then(|inner| inner.downcast_ref::<ureq::Error>())
            .is_some_and(|u| matches!(u, ureq::Error::Timeout(_)))
}

impl Client {
    /// Connect to `registry`: build the TLS settings, then ping `/v2/` over https (and, when
    /// TLS verification is off, over plain http if https fails), learning how it wants auth.
    pub fn connect(registry: &str, opts: &ConnectOptions) -> Result<Client> {
        let host = endpoint_host(registry);
        let tls = super::certs::tls_config(host, opts.cert_dir.as_deref(), opts.tls_verify)?;
        let agent: Agent = Agent::config_builder()
            .http_status_as_error(false)
            .user_agent(USER_AGENT)
            .tls_config(tls)
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .timeout_recv_response(Some(read_timeout()))
            .timeout_per_read(Some(read_timeout()))
            .max_idle_connections_per_host(16)
            .build()
            .into();
        let mut client = Client {
            registry: registry.to_string(),
            base: format!("https://{host}"),
            agent,
            credentials: opts.credentials.clone(),
            auth: Mutex::new(AuthMode::None),
            tokens: Mutex::new(HashMap::new()),
        };
        match client.ping() {
            Ok(()) => Ok(client),
            Err(https_err) if !opts.tls_verify => {
                log::debug!("https ping of {registry} failed ({https_err:#}); trying http");
                client.base = format!("http://{host}");
                client.ping().map_err(|_| https_err)?;
                Ok(client)
            }
            Err(e) => Err(e),
        }
    }

    pub fn registry(&self) -> &str {
        &self.registry
    }

    /// `GET /v2/`: 200 (open) or 401 (with the challenge to answer) means a registry.
    fn ping(&self) -> Result<()> {
        let url = format!("{}/v2/", self.base);
        let resp = self
            .with_retries(|| self.agent.get(&url).call())
            .map_err(|e| self.transport_error(e))
            .with_context(|| format!("pinging container registry {}", self.registry))?;
        match resp.status() {
            s if s.is_success() => Ok(()),
            StatusCode::UNAUTHORIZED => {
                self.learn_challenge(&resp);
                Ok(())
            }
            s => bail!(
                "pinging container registry {}: {} answered {s} to GET /v2/: not a container registry?",
                self.registry,
                self.base
            ),
        }
    }

    /// Check that the credentials are accepted (`login`): a token for no scope, or `/v2/`
    /// with Basic auth.
    pub fn check_login(&self) -> Result<()> {
        let mode = self.auth_mode();
        match mode {
            AuthMode::Bearer(ch) => {
                self.fetch_token(&ch, &[])?;
                Ok(())
            }
            AuthMode::Basic => {
                let url = format!("{}/v2/", self.base);
                let resp = self.request("GET", &url, None, |r| r.call())?;
                if resp.status() == StatusCode::UNAUTHORIZED {
                    bail!("{}", self.bad_credentials());
                }
                Ok(())
            }
            AuthMode::None => Ok(()),
        }
    }

    fn auth_mode(&self) -> AuthMode {
        self.auth
            .lock()
            .map(|m| m.clone())
            .unwrap_or(AuthMode::None)
    }

    fn learn_challenge(&self, resp: &Response<Body>) {
        let challenges: Vec<Challenge> = resp
            .headers()
            .get_all("www-authenticate")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(parse_challenges)
            .collect();
        let mode = if let Some(b) = challenges.iter().find(|c| c.scheme == "bearer") {
            AuthMode::Bearer(b.clone())
        } else if challenges.iter().any(|c| c.scheme == "basic") {
            AuthMode::Basic
        } else {
            return;
        };
        if let Ok(mut m) = self.auth.lock() {
            *m = mode;
        }
    }

    fn bad_credentials(&self) -> String {
        match &self.credentials {
            Some(c) => format!(
                "authenticating to {} as {:?}: invalid username/password",
                self.registry, c.username
            ),
            None => format!(
                "authenticating to {}: authentication required (use `skiff login {}` or --creds)",
                self.registry, self.registry
            ),
        }
    }

    /// The Authorization header for a request needing `scopes`, fetching a token if needed.
    fn authorization(&self, scopes: &[String]) -> Result<Option<String>> {
        match self.auth_mode() {
            AuthMode::None => Ok(None),
            AuthMode::Basic => Ok(self.credentials.as_ref().map(basic_header)),
            AuthMode::Bearer(ch) => {
                let key = scopes.join(" ");
                if let Some(t) = self.tokens.lock().ok().and_then(|t| t.get(&key).cloned()) {
                    return Ok(Some(format!("Bearer {t}")));
                }
                let token = self.fetch_token(&ch, scopes)?;
                if let Ok(mut t) = self.tokens.lock() {
                    t.insert(key, token.clone());
                }
                Ok(Some(format!("Bearer {token}")))
            }
        }
    }

    /// Ask the challenge's realm for a token (docker token spec; OAuth2 refresh-token
    /// grant when the auth file holds an identity token).
    fn fetch_token(&self, ch: &Challenge, scopes: &[String]) -> Result<String> {
        let realm = ch.param("realm").ok_or_else(|| {
            anyhow!(
                "registry {} sent a Bearer challenge without a realm",
                self.registry
            )
        })?;
        let service = ch.param("service");
        let resp = self
            .with_retries(|| {
                if let Some(c) = self.credentials.as_ref()
                    && let Some(refresh) = c.identity_token.as_deref()
                {
                    let mut form = vec![
                        ("grant_type", "refresh_token"),
                        ("refresh_token", refresh),
                        ("client_id", "skiff"),
                    ];
                    if let Some(s) = service {
                        form.push(("service", s));
                    }
                    let scope = scopes.join(" ");
                    if !scope.is_empty() {
                        form.push(("scope", scope.as_str()));
                    }
                    return self.agent.post(realm).send_form(form);
                }
                let mut req = self.agent.get(realm);
                if let Some(s) = service {
                    req = req.query("service", s);
                }
                for s in scopes {
                    req = req.query("scope", s);
                }
                if let Some(c) = &self.credentials {
                    req = req.header("Authorization", basic_header(c));
                }
                req.call()
            })
            .map_err(|e| self.transport_error(e))
            .with_context(|| format!("getting a token for {} from {realm}", self.registry))?;
        let status = resp.status();
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            bail!("{}", self.bad_credentials());
        }
        if !status.is_success() {
            bail!(
                "getting a token for {} from {realm}: {}",
                self.registry,
                describe_error_body(status, resp)
            );
        }
        #[derive(serde::Deserialize)]
        struct TokenResponse {
            token: Option<String>,
            access_token: Option<String>,
        }
        let body = read_limited(resp, 1 << 20)
            .with_context(|| format!("reading the token from {realm}"))?;
        let t: TokenResponse = serde_json::from_slice(&body)
            .with_context(|| format!("parsing the token answer of {realm}"))?;
        t.token
            .or(t.access_token)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| anyhow!("token server {realm} answered without a token"))
    }

    /// Send a request with the auth it needs; on a 401 learn the challenge and try once
    /// more with fresh auth. Retries connection errors and 5xx/429 with backoff.
    fn request(
        &self,
        method: &str,
        url: &str,
        scope: Option<(&str, Access)>,
        send: impl Fn(
            ureq::RequestBuilder<ureq::typestate::WithoutBody>,
        ) -> Result<Response<Body>, ureq::Error>,
    ) -> Result<Response<Body>> {
        self.request_scoped(method, url, &scope_list(scope, None), send)
    }

    fn request_scoped(
        &self,
        method: &str,
        url: &str,
        scopes: &[String],
        send: impl Fn(
            ureq::RequestBuilder<ureq::typestate::WithoutBody>,
        ) -> Result<Response<Body>, ureq::Error>,
    ) -> Result<Response<Body>> {
        let mut resp = self.attempt(method, url, scopes, &send)?;
        if resp.status() == StatusCode::UNAUTHORIZED {
            let had_auth = !matches!(self.auth_mode(), AuthMode::None);
            self.learn_challenge(&resp);
            if let Ok(mut t) = self.tokens.lock() {
                t.remove(&scopes.join(" "));
            }
            if !had_auth || self.credentials.is_some() {
                resp = self.attempt(method, url, scopes, &send)?;
            }
        }
        Ok(resp)
    }

    fn attempt(
        &self,
        method: &str,
        url: &str,
        scopes: &[String],
        send: &impl Fn(
            ureq::RequestBuilder<ureq::typestate::WithoutBody>,
        ) -> Result<Response<Body>, ureq::Error>,
    ) -> Result<Response<Body>> {
        let authz = self.authorization(scopes)?;
        self.with_retries(|| {
            let mut b = match method {
                "HEAD" => self.agent.head(url),
                "DELETE" => self.agent.delete(url),
                _ => self.agent.get(url),
            };
            if let Some(a) = &authz {
                b = b.header("Authorization", a);
            }
            send(b)
        })
        .map_err(|e| self.transport_error(e))
        .with_context(|| format!("{method} {url}"))
    }

    /// Like `request`, for methods with a body (PUT, POST, PATCH). `send` builds and sends
    /// the whole request each time (a body reader cannot be replayed).
    fn request_with_body(
        &self,
        scopes: &[String],
        send: impl Fn(Option<&str>) -> Result<Response<Body>, ureq::Error>,
    ) -> Result<Response<Body>> {
        let run = |authz: Option<String>| {
            self.with_retries(|| send(authz.as_deref()))
                .map_err(|e| self.transport_error(e))
        };
        let mut resp = run(self.authorization(scopes)?)?;
        if resp.status() == StatusCode::UNAUTHORIZED {
            self.learn_challenge(&resp);
            if let Ok(mut t) = self.tokens.lock() {
                t.remove(&scopes.join(" "));
            }
            resp = run(self.authorization(scopes)?)?;
        }
        Ok(resp)
    }

    /// Run `f` until it gives a response that is not a transient failure, backing off
    /// between tries (Retry-After honoured, capped).
    fn with_retries(
        &self,
        f: impl Fn() -> Result<Response<Body>, ureq::Error>,
    ) -> Result<Response<Body>, ureq::Error> {
        let mut backoff = Backoff::new();
        loop {
            match f() {
                Ok(resp) if is_retryable_status(resp.status().as_u16()) => {
                    let after = retry_after(&resp);
                    match backoff.next_delay(after) {
                        Some(d) => {
                            log::debug!(
                                "{} answered {}; retrying in {d:?}",
                                self.registry,
                                resp.status()
                            );
                            std::thread::sleep(d);
                        }
                        None => return Ok(resp),
                    }
                }
                Ok(resp) => return Ok(resp),
                Err(e) if is_retryable_error(&e) => match backoff.next_delay(None) {
                    Some(d) => {
                        log::debug!(
                            "request to {} failed ({e}); retrying in {d:?}",
                            self.registry
                        );
                        std::thread::sleep(d);
                    }
                    None => return Err(e),
                },
                Err(e) => return Err(e),
            }
        }
    }

    /// One line for a transport failure, with the hint the user needs for TLS trouble.
    fn transport_error(&self, e: ureq::Error) -> anyhow::Error {
        let msg = e.to_string();
        let tls = matches!(e, ureq::Error::Rustls(_) | ureq::Error::Tls(_))
            || msg.contains("certificate");
        if !tls {
            return anyhow!("{msg}");
        }
        let host = endpoint_host(&self.registry);
        if msg.contains("certificate") || msg.contains("Certificate") {
            anyhow!(
                "TLS certificate of {host} not trusted ({msg}): put its CA in /etc/containers/certs.d/{host}/ca.crt \
                 (or ~/.config/containers/certs.d/{host}/, or --cert-dir), or use --tls-verify=false"
            )
        } else {
            anyhow!(
                "TLS handshake with {host} failed ({msg}); if it is a plain-http registry, use --tls-verify=false \
                 or mark it insecure in registries.conf"
            )
        }
    }

    fn repo_url(&self, repo: &str, rest: &str) -> String {
        format!("{}/v2/{repo}/{rest}", self.base)
    }

    /// `GET /v2/<repo>/manifests/<reference>`.
    pub fn get_manifest(&self, repo: &str, reference: &str) -> Result<FetchedManifest> {
        let url = self.repo_url(repo, &format!("manifests/{reference}"));
        let resp = self.request("GET", &url, Some((repo, Access::Pull)), |r| {
            r.header("Accept", MANIFEST_ACCEPT).call()
        })?;
        let status = resp.status();
        if !status.is_success() {
            return Err(self.status_error(
                &format!("reading manifest {reference} in {}/{repo}", self.registry),
                status,
                resp,
            ));
        }
        let media_type = content_type(&resp);
        let bytes = read_limited(resp, MAX_DOCUMENT)
            .with_context(|| format!("reading manifest {reference} in {}/{repo}", self.registry))?;
        let digest = Digest::of(&bytes);
        Ok(FetchedManifest {
            bytes,
            media_type,
            digest,
        })
    }

    /// `HEAD /v2/<repo>/manifests/<reference>`: the digest the registry has now, if it says.
    pub fn head_manifest(&self, repo: &str, reference: &str) -> Result<Option<Digest>> {
        let url = self.repo_url(repo, &format!("manifests/{reference}"));
        let resp = self.request("HEAD", &url, Some((repo, Access::Pull)), |r| {
            r.header("Accept", MANIFEST_ACCEPT).call()
        })?;
        if !resp.status().is_success() {
            return Err(self.status_error(
                &format!("checking manifest {reference} in {}/{repo}", self.registry),
                resp.status(),
                resp,
            ));
        }
        Ok(resp
            .headers()
            .get("docker-content-digest")
            .and_then(|v| v.to_str().ok())
            .and_then(|s| s.parse().ok()))
    }

    /// `GET /v2/<repo>/blobs/<digest>`, from byte `offset` on (a Range request when
    /// offset > 0). Returns the response and whether the registry honoured the range.
    pub fn get_blob(&self, repo: &str, digest: &Digest, offset: u64) -> Result<(Body, bool)> {
        let url = self.repo_url(repo, &format!("blobs/{digest}"));
        let resp = self
            .request("GET", &url, Some((repo, Access::Pull)), |r| {
                if offset > 0 {
                    r.header("Range", format!("bytes={offset}-")).call()
                } else {
                    r.call()
                }
            })
            .with_context(|| format!("fetching blob {digest} from {}/{repo}", self.registry))?;
        let status = resp.status();
        if !status.is_success() {
            return Err(self.status_error(
                &format!("fetching blob {digest} from {}/{repo}", self.registry),
                status,
                resp,
            ));
        }
        let ranged = status == StatusCode::PARTIAL_CONTENT;
        Ok((resp.into_body(), ranged))
    }

    /// A small blob (a config) read whole, resuming a cut stream, verified against its
    /// digest (and size, when the manifest gives it).
    pub fn get_blob_bytes(
        &self,
        repo: &str,
        digest: &Digest,
        size: Option<u64>,
    ) -> Result<Vec<u8>> {
        if size.is_some_and(|s| s > MAX_DOCUMENT) {
            bail!(
                "blob {digest} in {}/{repo} is too large to read into memory",
                self.registry
            );
        }
        let mut bytes = Vec::new();
        super::blob_reader::BlobReader::new(self, repo, digest, size)
            .take(MAX_DOCUMENT + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| anyhow!("{e}"))?;
        let got = Digest::of(&bytes);
        if &got != digest {
            bail!(
                "blob {digest} from {}/{repo} does not match its digest (content hashes to {got})",
                self.registry
            );
        }
        Ok(bytes)
    }

    /// `HEAD /v2/<repo>/blobs/<digest>`: whether the registry has it.
    pub fn blob_exists(&self, repo: &str, digest: &Digest) -> Result<bool> {
        let url = self.repo_url(repo, &format!("blobs/{digest}"));
        let resp = self.request("HEAD", &url, Some((repo, Access::Push)), |r| r.call())?;
        match resp.status() {
            s if s.is_success() => Ok(true),
            StatusCode::NOT_FOUND => Ok(false),
            s => Err(self.status_error(
                &format!("checking blob {digest} in {}/{repo}", self.registry),
                s,
                resp,
            )),
        }
    }

    /// Start an upload, asking the registry to mount `digest` from `from` (same registry)
    /// instead when given.
    pub fn start_upload(&self, repo: &str, mount: Option<(&Digest, &str)>) -> Result<MountOutcome> {
        let mut url = self.repo_url(repo, "blobs/uploads/");
        let mut extra = Vec::new();
        if let Some((d, from)) = mount {
            url = format!("{url}?mount={d}&from={from}");
            extra.push(format!("repository:{from}:pull"));
        }
        let scopes = scope_list(
            Some((repo, Access::Push)),
            extra.first().map(String::as_str),
        );
        let resp = self.request_with_body(&scopes, |authz| {
            let mut b = self.agent.post(&url).header("Content-Length", "0");
            if let Some(a) = authz {
                b = b.header("Authorization", a);
            }
            b.send_empty()
        })?;
        match resp.status() {
            StatusCode::CREATED if mount.is_some() => Ok(MountOutcome::Mounted),
            StatusCode::ACCEPTED => {
                let loc = location(&resp).ok_or_else(|| {
                    anyhow!(
                        "registry {} opened an upload without a Location",
                        self.registry
                    )
                })?;
                Ok(MountOutcome::Upload(self.absolute(&loc)))
            }
            s => Err(self.status_error(
                &format!("starting an upload to {}/{repo}", self.registry),
                s,
                resp,
            )),
        }
    }

    /// Finish an upload monolithically: `PUT <location>&digest=<d>` with the whole blob.
    pub fn put_blob<'r>(
        &self,
        repo: &str,
        location: &str,
        digest: &Digest,
        size: u64,
        open: &dyn Fn() -> Result<Box<dyn Read + 'r>>,
    ) -> Result<()> {
        let sep = if location.contains('?') { '&' } else { '?' };
        let url = format!("{location}{sep}digest={digest}");
        let scopes = scope_list(Some((repo, Access::Push)), None);
        let resp = self.request_with_body(&scopes, |authz| {
            let mut reader =
                open().map_err(|e| ureq::Error::Io(std::io::Error::other(format!("{e:#}"))))?;
            let mut b = self
                .agent
                .put(&url)
                .header("Content-Type", "application/octet-stream")
                .header("Content-Length", size.to_string());
            if let Some(a) = authz {
                b = b.header("Authorization", a);
            }
            b.send(ureq::SendBody::from_reader(&mut reader))
        })?;
        if resp.status() != StatusCode::CREATED && !resp.status().is_success() {
            return Err(self.status_error(
                &format!("uploading blob {digest} to {}/{repo}", self.registry),
                resp.status(),
                resp,
            ));
        }
        Ok(())
    }

    /// `PUT /v2/<repo>/manifests/<reference>`; returns the digest the registry computed.
    pub fn put_manifest(
        &self,
        repo: &str,
        reference: &str,
        media_type: &str,
        bytes: &[u8],
    ) -> Result<Digest> {
        let url = self.repo_url(repo, &format!("manifests/{reference}"));
        let scopes = scope_list(Some((repo, Access::Push)), None);
        let resp = self.request_with_body(&scopes, |authz| {
            let mut b = self.agent.put(&url).header("Content-Type", media_type);
            if let Some(a) = authz {
                b = b.header("Authorization", a);
            }
            b.send(bytes)
        })?;
        if !resp.status().is_success() {
            return Err(self.status_error(
                &format!("writing manifest {reference} to {}/{repo}", self.registry),
                resp.status(),
                resp,
            ));
        }
        let ours = Digest::of(bytes);
        if let Some(theirs) = resp
            .headers()
            .get("docker-content-digest")
            .and_then(|v| v.to_str().ok())
            .and_then(|s| s.parse::<Digest>().ok())
            && theirs != ours
        {
            bail!(
                "registry {} stored manifest {reference} as {theirs}, but its content hashes to {ours}",
                self.registry
            );
        }
        Ok(ours)
    }

    /// `GET /v2/<repo>/tags/list`, following `Link` pagination.
    pub fn list_tags(&self, repo: &str) -> Result<Vec<String>> {
        #[derive(serde::Deserialize)]
        struct Tags {
            tags: Option<Vec<String>>,
        }
        let mut url = self.repo_url(repo, "tags/list");
        let mut out = Vec::new();
        loop {
            let resp = self.request("GET", &url, Some((repo, Access::Pull)), |r| r.call())?;
            if !resp.status().is_success() {
                return Err(self.status_error(
                    &format!("listing tags of {}/{repo}", self.registry),
                    resp.status(),
                    resp,
                ));
            }
            let next = next_link(&resp).map(|l| self.absolute(&l));
            let body = read_limited(resp, MAX_DOCUMENT)?;
            let t: Tags = serde_json::from_slice(&body)
                .with_context(|| format!("parsing the tag list of {}/{repo}", self.registry))?;
            out.extend(t.tags.unwrap_or_default());
            match next {
                Some(n) => url = n,
                None => return Ok(out),
            }
        }
    }

    /// `GET /v2/_catalog`: every repository, for `search` (registries may refuse it).
    pub fn catalog(&self) -> Result<Vec<String>> {
        #[derive(serde::Deserialize)]
        struct Catalog {
            repositories: Option<Vec<String>>,
        }
        let mut url = format!("{}/v2/_catalog?n=1000", self.base);
        let mut out = Vec::new();
        loop {
            let resp =
                self.request_scoped("GET", &url, &["registry:catalog:*".to_string()], |r| {
                    r.call()
                })?;
            let status = resp.status();
            if status == StatusCode::NOT_FOUND
                || status == StatusCode::UNAUTHORIZED
                || status == StatusCode::FORBIDDEN
            {
                bail!(
                    "registry {} does not support searching (GET /v2/_catalog answered {status})",
                    self.registry
                );
            }
            if !status.is_success() {
                return Err(self.status_error(
                    &format!("searching {}", self.registry),
                    status,
                    resp,
                ));
            }
            let next = next_link(&resp).map(|l| self.absolute(&l));
            let body = read_limited(resp, MAX_DOCUMENT)?;
            let c: Catalog = serde_json::from_slice(&body)
                .with_context(|| format!("parsing the catalog of {}", self.registry))?;
            out.extend(c.repositories.unwrap_or_default());
            match next {
                Some(n) => url = n,
                None => return Ok(out),
            }
        }
    }

    fn absolute(&self, loc: &str) -> String {
        if loc.starts_with("http://") || loc.starts_with("https://") {
            loc.to_string()
        } else {
            format!(
                "{}{}{loc}",
                self.base,
                if loc.starts_with('/') { "" } else { "/" }
            )
        }
    }

    /// One line for an error status, with the registry's own error code and message.
    fn status_error(&self, what: &str, status: StatusCode, resp: Response<Body>) -> anyhow::Error {
        if status == StatusCode::UNAUTHORIZED {
            return anyhow!("{what}: {}", self.bad_credentials());
        }
        anyhow!("{what}: {}", describe_error_body(status, resp))
    }
}

/// The scopes a request needs: its repository's, and another repository's pull scope for
/// a cross-repository mount.
fn scope_list(scope: Option<(&str, Access)>, extra: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some((repo, access)) = scope {
        out.push(format!("repository:{repo}:{}", access.actions()));
    }
    if let Some(e) = extra {
        out.push(e.to_string());
    }
    out
}

fn basic_header(c: &Credentials) -> String {
    let raw = format!("{}:{}", c.username, c.password);
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

fn content_type(resp: &Response<Body>) -> String {
    resp.headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(|s| s.split(';').next().unwrap_or("").trim().to_string())
        .unwrap_or_default()
}

fn location(resp: &Response<Body>) -> Option<String> {
    resp.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The `rel="next"` target of a `Link` header.
fn next_link(resp: &Response<Body>) -> Option<String> {
    let link = resp.headers().get("link")?.to_str().ok()?;
    let (target, params) = link.split_once(';')?;
    if !params.contains("rel=\"next\"") && !params.contains("rel=next") {
        return None;
    }
    Some(
        target
            .trim()
            .trim_start_matches('<')
            .trim_end_matches('>')
            .to_string(),
    )
}

fn retry_after(resp: &Response<Body>) -> Option<Duration> {
    let v = resp.headers().get("retry-after")?.to_str().ok()?;
    v.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// Transient network trouble is worth another try; a TLS or protocol mismatch is not.
fn is_retryable_error(e: &ureq::Error) -> bool {
    use std::io::ErrorKind as K;
    match e {
        ureq::Error::Io(io) => matches!(
            io.kind(),
            K::ConnectionReset
                | K::ConnectionAborted
                | K::ConnectionRefused
                | K::BrokenPipe
                | K::UnexpectedEof
                | K::TimedOut
                | K::Interrupted
                | K::NotConnected
        ),
        ureq::Error::ConnectionFailed | ureq::Error::Timeout(_) => true,
        _ => false,
    }
}

pub(crate) fn read_limited(resp: Response<Body>, limit: u64) -> Result<Vec<u8>> {
    resp.into_body()
        .with_config()
        .limit(limit)
        .read_to_vec()
        .map_err(|e| anyhow!("{e}"))
}

/// `"<status>: <code>: <message>"` from a distribution-spec error body, or the status alone.
fn describe_error_body(status: StatusCode, resp: Response<Body>) -> String {
    #[derive(serde::Deserialize)]
    struct Errors {
        errors: Vec<ErrorEntry>,
    }
    #[derive(serde::Deserialize)]
    struct ErrorEntry {
        code: Option<String>,
        message: Option<String>,
    }
    let body = read_limited(resp, 64 << 10).unwrap_or_default();
    if let Ok(e) = serde_json::from_slice::<Errors>(&body)
        && let Some(first) = e.errors.first()
    {
        let code = first
            .code
            .as_deref()
            .unwrap_or("")
            .to_ascii_lowercase()
            .replace('_', " ");
        let msg = first.message.as_deref().unwrap_or("");
        return match (code.is_empty(), msg.is_empty()) {
            (false, false) => format!("{code}: {msg}"),
            (false, true) => code,
            (true, false) => msg.to_string(),
            (true, true) => status.to_string(),
        };
    }
    format!("the registry answered {status}")
}
