//! Registry credentials as containers-auth.json(5) and containers/image's `pkg/docker/config`
//! keep them: `auth.json` files (`{"auths": {"quay.io/ns": {"auth": base64("user:pass")}}}`),
//! Docker's `config.json` and legacy `~/.dockercfg`, and Docker credential helpers.
//!
//! Files read, first hit wins: with `--authfile F` (or `$REGISTRY_AUTH_FILE`) only F; otherwise
//! `${XDG_RUNTIME_DIR}/containers/auth.json` (rootful, or rootless without XDG_RUNTIME_DIR:
//! `/run/containers/<uid>/auth.json`), `$XDG_CONFIG_HOME/containers/auth.json`,
//! `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`, then `~/.dockercfg`. Logins are
//! written to the first of these.
//!
//! Within one file: a `credHelpers` entry for the registry, then `auths` keys from the most
//! specific (`host/ns/repo`) to the registry (`host`), then keys in the old URL form
//! (`https://index.docker.io/v1/`), then `credsStore`. A helper that is not installed is
//! skipped with a warning, as a missing file is.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, DirBuilder, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result, anyhow, bail};
use base64::Engine;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, general_purpose::STANDARD};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::config::{env_path, home_dir};

/// Docker Hub's key in files written by `docker login`.
const DOCKER_HUB_LEGACY_KEY: &str = "https://index.docker.io/v1/";

/// Makes temporary file names unique between threads of one process.
static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Decoding accepts the padded and the unpadded form: some tools write either.
const BASE64_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Credentials for one registry (or namespace in it).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Credentials {
    pub username: String,
    pub password: String,
    /// An OAuth2 refresh token (`identitytoken`); when set, the caller exchanges it for a
    /// bearer token instead of sending the password.
    pub identity_token: Option<String>,
}

impl fmt::Debug for Credentials {
    // Secrets stay out of logs and panics.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field(
                "identity_token",
                &self.identity_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// Parse `--creds user:pass`. As in Podman, a missing part comes back empty and the caller
/// prompts for it: "user" leaves the password empty, ":pass" the username. Only the first ':'
/// splits, so passwords may contain ':'. An empty value is refused rather than prompted for,
/// since it is almost always an unset variable in a script.
pub fn parse_creds_flag(s: &str) -> Result<Credentials> {
    if s.is_empty() {
        bail!("--creds: empty value (expected USERNAME[:PASSWORD])");
    }
    let (username, password) = s.split_once(':').unwrap_or((s, ""));
    Ok(Credentials {
        username: username.to_string(),
        password: password.to_string(),
        identity_token: None,
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct AuthPath {
    path: PathBuf,
    /// `~/.dockercfg`: the whole file is the `auths` map, and keys are URLs.
    legacy: bool,
}

/// The auth files to read, in order, and the one logins are written to.
#[derive(Debug, Clone)]
pub struct AuthFiles {
    read: Vec<AuthPath>,
    write: PathBuf,
    /// `$XDG_RUNTIME_DIR` when the write file lies in it: a login must not create it (a typo'd
    /// variable would otherwise leave credentials in a surprising place).
    runtime_dir: Option<PathBuf>,
    /// Where `docker-credential-<name>` programs are looked up; `None` means `$PATH`.
    helper_dir: Option<PathBuf>,
}

/// The environment `AuthFiles::default_for_user` depends on, gathered once so the selection
/// logic can be tested without touching the process environment.
#[derive(Debug, Clone, Default)]
struct AuthEnv {
    registry_auth_file: Option<PathBuf>,
    xdg_runtime_dir: Option<PathBuf>,
    xdg_config_home: Option<PathBuf>,
    docker_config: Option<PathBuf>,
    home: PathBuf,
    rootless: bool,
    uid: u32,
}

impl AuthEnv {
    fn current() -> AuthEnv {
        let rootless = crate::sys::userns::is_rootless();
        let uid = crate::sys::userns::rootless_uid().unwrap_or(0);
        AuthEnv {
            registry_auth_file: env_path("REGISTRY_AUTH_FILE"),
            xdg_runtime_dir: env_path("XDG_RUNTIME_DIR"),
            xdg_config_home: env_path("XDG_CONFIG_HOME"),
            docker_config: env_path("DOCKER_CONFIG"),
            home: home_dir(),
            rootless,
            uid,
        }
    }
}

impl AuthFiles {
    /// The files Podman reads for this user (see the module comment).
    pub fn default_for_user() -> AuthFiles {
        AuthFiles::from_env(&AuthEnv::current())
    }

    /// `--authfile path`: read and write only this file.
    pub fn only(path: PathBuf) -> AuthFiles {
        AuthFiles {
            read: vec![AuthPath {
                path: path.clone(),
                legacy: false,
            }],
            write: path,
            runtime_dir: None,
            helper_dir: None,
        }
    }

    fn from_env(env: &AuthEnv) -> AuthFiles {
        if let Some(path) = &env.registry_auth_file {
            return AuthFiles::only(path.clone());
        }
        // Root uses the fixed per-uid path even when a login shell set XDG_RUNTIME_DIR.
        let runtime_dir = env.xdg_runtime_dir.clone().filter(|_| env.rootless);
        let write = match &runtime_dir {
            Some(dir) => dir.join("containers/auth.json"),
            None => PathBuf::from(format!("/run/containers/{}/auth.json", env.uid)),
        };
        let config_home = env
            .xdg_config_home
            .clone()
            .unwrap_or_else(|| env.home.join(".config"));
        let docker = match &env.docker_config {
            Some(dir) => dir.join("config.json"),
            None => env.home.join(".docker/config.json"),
        };
        let modern = |path: PathBuf| AuthPath {
            path,
            legacy: false,
        };
        let read = vec![
            modern(write.clone()),
            modern(config_home.join("containers/auth.json")),
            modern(docker),
            AuthPath {
                path: env.home.join(".dockercfg"),
                legacy: true,
            },
        ];
        AuthFiles {
            read,
            write,
            runtime_dir,
            helper_dir: None,
        }
    }

    /// The files consulted, in order (for `--log-level debug` and `info`).
    pub fn read_paths(&self) -> impl Iterator<Item = &Path> {
        self.read.iter().map(|p| p.path.as_path())
    }

    pub fn write_path(&self) -> &Path {
        &self.write
    }

    /// Credentials for `key` ("host[:port]" or "host[:port]/repo/path"): the first file with
    /// a match wins, and within it the most specific key.
    pub fn lookup(&self, key: &str) -> Result<Option<Credentials>> {
        validate_key(key)?;
        for path in &self.read {
            if let Some(found) = self.lookup_in_file(path, key)? {
                log::debug!("found credentials for {key} in {}", path.path.display());
                return Ok(Some(found));
            }
        }
        log::debug!("no credentials for {key}");
        Ok(None)
    }

    /// Record a login for `key` in the write file (or in the credential helper that file
    /// names for it), keeping everything else in the file as it was.
    pub fn store(&self, key: &str, creds: &Credentials) -> Result<()> {
        validate_key(key)?;
        let mut doc = self.read_write_file()?.unwrap_or_default();
        // Lookups ask the registry's helper first, so a namespace entry beside it would never
        // be read: refuse it rather than write a login that does nothing.
        if let Some(helper) = cred_helper_for(&doc, registry_of(key), &self.write)? {
            if key.contains('/') {
                bail!(
                    "{key}: credential helper {helper} holds the logins for {}; it cannot store one per namespace",
                    registry_of(key)
                );
            }
            return self.helper_store(&helper, key, creds);
        }
        let entry = object_member(&mut doc, "auths", &self.write)?
            .entry(key.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        if let Value::Object(fields) = entry {
            let pair = format!("{}:{}", creds.username, creds.password);
            fields.insert("auth".into(), Value::String(STANDARD.encode(pair)));
            match &creds.identity_token {
                Some(token) => fields.insert("identitytoken".into(), Value::String(token.clone())),
                None => fields.remove("identitytoken"),
            };
        }
        self.write_file(&doc)
    }

    /// Forget the login for exactly `key`; false if there was none (Podman then says
    /// "not logged into KEY").
    pub fn remove(&self, key: &str) -> Result<bool> {
        validate_key(key)?;
        let Some(mut doc) = self.read_write_file()? else {
            return Ok(false);
        };
        let mut existed = false;
        // Helpers hold registry-wide logins only; a namespace key can only be in `auths`.
        if let Some(helper) = cred_helper_for(&doc, key, &self.write)? {
            existed = self.helper_erase(&helper, key)?;
        }
        let removed = object_member(&mut doc, "auths", &self.write)?
            .shift_remove(key)
            .is_some();
        if removed {
            self.write_file(&doc)?;
        }
        Ok(existed || removed)
    }

    /// `logout --all`: empty the write file's `auths`. `credHelpers` stay: they are
    /// configuration, and the helpers' stores are not ours to wipe.
    pub fn remove_all(&self) -> Result<()> {
        let Some(mut doc) = self.read_write_file()? else {
            return Ok(());
        };
        let auths = object_member(&mut doc, "auths", &self.write)?;
        if auths.is_empty() {
            return Ok(());
        }
        auths.clear();
        self.write_file(&doc)
    }

    fn lookup_in_file(&self, path: &AuthPath, key: &str) -> Result<Option<Credentials>> {
        let Some(file) = read_auth_file(path)? else {
            return Ok(None);
        };
        let registry = registry_of(key);
        if let Some(helper) = file.cred_helpers.get(registry) {
            return self.helper_get(helper, registry);
        }
        for candidate in key_lookup_order(key, path.legacy) {
            if let Some(entry) = file.auths.get(candidate)
                && let Some(creds) = decode_entry(&path.path, candidate, entry)?
            {
                return Ok(Some(creds));
            }
        }
        // Keys written as URLs (legacy files, old `docker login`s, Docker Hub's /v1/ key).
        let wanted = normalize_registry(registry);
        for (candidate, entry) in &file.auths {
            if normalize_key(candidate, path.legacy) == wanted
                && let Some(creds) = decode_entry(&path.path, candidate, entry)?
            {
                return Ok(Some(creds));
            }
        }
        match &file.creds_store {
            Some(helper) => self.helper_get(helper, registry),
            None => Ok(None),
        }
    }

    fn read_write_file(&self) -> Result<Option<Map<String, Value>>> {
        let text = match fs::read_to_string(&self.write) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("reading {}", self.write.display())),
        };
        if text.trim().is_empty() {
            return Ok(Some(Map::new()));
        }
        let value: Value = serde_json::from_str(&text)
            .map_err(|e| anyhow!("{}: invalid JSON: {e}", self.write.display()))?;
        match value {
            Value::Object(map) => Ok(Some(map)),
            _ => bail!("{}: expected a JSON object", self.write.display()),
        }
    }

    /// Write the whole document to a temporary file (0600) beside the target and rename it,
    /// so a reader never sees half a file and a crash leaves the old one.
    fn write_file(&self, doc: &Map<String, Value>) -> Result<()> {
        if let Some(dir) = &self.runtime_dir
            && !dir.is_dir()
        {
            bail!(
                "{}: directory set by $XDG_RUNTIME_DIR does not exist; create it or unset XDG_RUNTIME_DIR",
                dir.display()
            );
        }
        let path = &self.write;
        let dir = path.parent().unwrap_or(Path::new("."));
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .with_context(|| format!("creating {}", dir.display()))?;
        let mut bytes = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(b"\t");
        let mut ser = serde_json::Serializer::with_formatter(&mut bytes, formatter);
        serde::Serialize::serialize(doc, &mut ser)
            .with_context(|| format!("encoding {}", path.display()))?;
        bytes.push(b'\n');
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.tmp-{}-{n}", std::process::id()));
        let result = write_new_private(&tmp, &bytes).and_then(|()| fs::rename(&tmp, path));
        if let Err(e) = result {
            let _ = fs::remove_file(&tmp);
            return Err(e).with_context(|| format!("writing {}", path.display()));
        }
        Ok(())
    }

    fn helper_program(&self, helper: &str) -> PathBuf {
        let name = format!("docker-credential-{helper}");
        match &self.helper_dir {
            Some(dir) => dir.join(name),
            None => PathBuf::from(name),
        }
    }

    /// Ask a helper for `registry`. Docker Hub logins made by `docker` live under the old
    /// URL key, so that is asked too when the host name finds nothing.
    fn helper_get(&self, helper: &str, registry: &str) -> Result<Option<Credentials>> {
        let found = self.helper_get_one(helper, registry)?;
        if found.is_some() || normalize_registry(registry) != "index.docker.io" {
            return Ok(found);
        }
        self.helper_get_one(helper, DOCKER_HUB_LEGACY_KEY)
    }

    fn helper_get_one(&self, helper: &str, server: &str) -> Result<Option<Credentials>> {
        #[derive(Deserialize)]
        struct HelperReply {
            #[serde(rename = "Username", default)]
            username: String,
            #[serde(rename = "Secret", default)]
            secret: String,
        }
        let Some(output) = self.run_helper(helper, "get", server.as_bytes())? else {
            return Ok(None);
        };
        let program = self.helper_program(helper);
        let reply = match output {
            HelperOutput::Ok(stdout) => stdout,
            HelperOutput::NotFound => return Ok(None),
            HelperOutput::Failed(message) => bail!(
                "credential helper {} failed for {server}: {message}",
                program.display()
            ),
        };
        let reply: HelperReply = serde_json::from_slice(&reply).map_err(|e| {
            anyhow!(
                "credential helper {} returned invalid JSON for {server}: {e}",
                program.display()
            )
        })?;
        // Helpers mark an identity token with this username (docker-credential-helpers).
        if reply.username == "<token>" {
            return Ok(Some(Credentials {
                identity_token: Some(reply.secret),
                ..Credentials::default()
            }));
        }
        Ok(Some(Credentials {
            username: reply.username,
            password: reply.secret,
            identity_token: None,
        }))
    }

    fn helper_store(&self, helper: &str, server: &str, creds: &Credentials) -> Result<()> {
        let (username, secret) = match &creds.identity_token {
            Some(token) => ("<token>", token.as_str()),
            None => (creds.username.as_str(), creds.password.as_str()),
        };
        let input =
            serde_json::json!({"ServerURL": server, "Username": username, "Secret": secret});
        let program = self.helper_program(helper);
        match self.run_helper(helper, "store", input.to_string().as_bytes())? {
            Some(HelperOutput::Ok(_)) => Ok(()),
            None => bail!("credential helper {} is not installed", program.display()),
            Some(HelperOutput::NotFound | HelperOutput::Failed(_)) => bail!(
                "credential helper {} could not store credentials for {server}",
                program.display()
            ),
        }
    }

    /// Erase `server` from a helper; false if it held nothing for it.
    fn helper_erase(&self, helper: &str, server: &str) -> Result<bool> {
        let program = self.helper_program(helper);
        match self.run_helper(helper, "erase", server.as_bytes())? {
            Some(HelperOutput::Ok(_)) => Ok(true),
            Some(HelperOutput::NotFound) => Ok(false),
            None => bail!("credential helper {} is not installed", program.display()),
            Some(HelperOutput::Failed(message)) => bail!(
                "credential helper {} failed to erase {server}: {message}",
                program.display()
            ),
        }
    }

    /// Run `docker-credential-<helper> <action>` with `input` on stdin. `None` when the
    /// program does not exist (logged as a warning: a config naming an uninstalled helper
    /// should not break pulls of public images).
    fn run_helper(&self, helper: &str, action: &str, input: &[u8]) -> Result<Option<HelperOutput>> {
        let program = self.helper_program(helper);
        let child = Command::new(&program)
            .arg(action)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        let mut child = match child {
            Ok(child) => child,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                log::warn!(
                    "credential helper {} is not installed; ignoring it",
                    program.display()
                );
                return Ok(None);
            }
            Err(e) => return Err(e).with_context(|| format!("running {}", program.display())),
        };
        if let Some(mut stdin) = child.stdin.take() {
            // A helper that exits without reading gives EPIPE; its exit status tells the story.
            let _ = stdin.write_all(input);
        }
        let output = child
            .wait_with_output()
            .with_context(|| format!("running {}", program.display()))?;
        if output.status.success() {
            return Ok(Some(HelperOutput::Ok(output.stdout)));
        }
        // Helpers print their error on stdout (docker-credential-helpers), some on stderr.
        let text = [output.stdout, output.stderr].concat();
        let text = String::from_utf8_lossy(&text);
        let message = text.lines().map(str::trim).find(|l| !l.is_empty());
        let message = message.unwrap_or("no message").to_string();
        if message.contains("credentials not found") {
            return Ok(Some(HelperOutput::NotFound));
        }
        Ok(Some(HelperOutput::Failed(message)))
    }
}

enum HelperOutput {
    Ok(Vec<u8>),
    /// The helper's "credentials not found in native keychain".
    NotFound,
    Failed(String),
}

fn write_new_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let _ = fs::remove_file(path);
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// The `credHelpers` entry of the write file for `key`, if any.
fn cred_helper_for(doc: &Map<String, Value>, key: &str, path: &Path) -> Result<Option<String>> {
    let Some(helpers) = doc.get("credHelpers") else {
        return Ok(None);
    };
    let Value::Object(helpers) = helpers else {
        bail!("{}: \"credHelpers\" must be a JSON object", path.display());
    };
    match helpers.get(key) {
        None => Ok(None),
        Some(Value::String(helper)) => Ok(Some(helper.clone())),
        Some(_) => bail!(
            "{}: \"credHelpers\" entry for {key} must be a string",
            path.display()
        ),
    }
}

/// `doc[name]` as an object, created if absent.
fn object_member<'a>(
    doc: &'a mut Map<String, Value>,
    name: &str,
    path: &Path,
) -> Result<&'a mut Map<String, Value>> {
    let member = doc
        .entry(name.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    if member.is_null() {
        *member = Value::Object(Map::new());
    }
    match member {
        Value::Object(map) => Ok(map),
        _ => bail!("{}: \"{name}\" must be a JSON object", path.display()),
    }
}

#[derive(Debug, Default, Deserialize)]
struct AuthEntry {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    identitytoken: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct AuthFileContents {
    #[serde(default)]
    auths: Option<BTreeMap<String, AuthEntry>>,
    #[serde(default, rename = "credHelpers")]
    cred_helpers: Option<BTreeMap<String, String>>,
    #[serde(default, rename = "credsStore")]
    creds_store: Option<String>,
}

struct ParsedAuthFile {
    auths: BTreeMap<String, AuthEntry>,
    cred_helpers: BTreeMap<String, String>,
    creds_store: Option<String>,
}

fn read_auth_file(path: &AuthPath) -> Result<Option<ParsedAuthFile>> {
    let bytes = match fs::read(&path.path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.path.display())),
    };
    let invalid = |e: serde_json::Error| anyhow!("{}: invalid JSON: {e}", path.path.display());
    if path.legacy {
        let auths: BTreeMap<String, AuthEntry> = serde_json::from_slice(&bytes).map_err(invalid)?;
        return Ok(Some(ParsedAuthFile {
            auths,
            cred_helpers: BTreeMap::new(),
            creds_store: None,
        }));
    }
    let file: AuthFileContents = serde_json::from_slice(&bytes).map_err(invalid)?;
    Ok(Some(ParsedAuthFile {
        auths: file.auths.unwrap_or_default(),
        cred_helpers: file.cred_helpers.unwrap_or_default(),
        creds_store: file.creds_store.filter(|s| !s.is_empty()),
    }))
}

/// One `auths` entry. An entry with no `auth` (Docker writes `{}` when a helper holds the
/// secret) is no credential; a malformed one is an error naming file and key.
fn decode_entry(path: &Path, key: &str, entry: &AuthEntry) -> Result<Option<Credentials>> {
    let token = entry.identitytoken.clone().filter(|t| !t.is_empty());
    let auth = entry.auth.as_deref().unwrap_or("");
    if auth.is_empty() {
        return Ok(token.map(|t| Credentials {
            identity_token: Some(t),
            ..Credentials::default()
        }));
    }
    let decoded = BASE64_LENIENT.decode(auth.trim()).map_err(|_| {
        anyhow!(
            "{}: the \"auth\" of {key} is not valid base64",
            path.display()
        )
    })?;
    let decoded = String::from_utf8_lossy(&decoded);
    let Some((username, password)) = decoded.split_once(':') else {
        bail!(
            "{}: the \"auth\" of {key} is not base64(\"user:password\"): no ':'",
            path.display()
        );
    };
    Ok(Some(Credentials {
        username: username.to_string(),
        // Some writers pad with NULs (containers/image trims them too).
        password: password.trim_matches('\0').to_string(),
        identity_token: token,
    }))
}

/// Keys are `host[:port]` optionally followed by `/path`; never URLs, tags or digests.
fn validate_key(key: &str) -> Result<()> {
    if key.is_empty() {
        bail!("empty registry name");
    }
    if key.starts_with("http://") || key.starts_with("https://") {
        bail!("invalid registry {key:?}: give host[:port][/path], without http(s)://");
    }
    if key.contains('@') {
        bail!("invalid registry {key:?}: must not contain a digest");
    }
    if let Some((_, path)) = key.split_once('/')
        && path.contains(':')
    {
        bail!("invalid registry {key:?}: must not contain a tag");
    }
    Ok(())
}

fn registry_of(key: &str) -> &str {
    key.split('/').next().unwrap_or(key)
}

/// `host/a/b` -> `host/a/b`, `host/a`, `host` (legacy files: the host only).
fn key_lookup_order(key: &str, legacy: bool) -> Vec<&str> {
    if legacy {
        return vec![registry_of(key)];
    }
    let mut keys = vec![key];
    let mut rest = key;
    while let Some((parent, _)) = rest.rsplit_once('/') {
        keys.push(parent);
        rest = parent;
    }
    keys
}

/// Docker Hub's host names all mean one registry.
fn normalize_registry(registry: &str) -> &str {
    match registry {
        "docker.io" | "registry-1.docker.io" => "index.docker.io",
        other => other,
    }
}

/// An `auths` key as a registry host: URL keys lose scheme and path
/// (`https://index.docker.io/v1/` -> `index.docker.io`).
fn normalize_key(key: &str, legacy: bool) -> &str {
    let stripped = key
        .strip_prefix("http://")
        .or_else(|| key.strip_prefix("https://"));
    let host = match stripped {
        Some(rest) => registry_of(rest),
        None if legacy => registry_of(key),
        None => key,
    };
    normalize_registry(host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn b64(s: &str) -> String {
        STANDARD.encode(s)
    }

    fn creds(user: &str, pass: &str) -> Credentials {
        Credentials {
            username: user.into(),
            password: pass.into(),
            identity_token: None,
        }
    }

    fn write(path: &Path, text: &str) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn files(read: &[(&Path, bool)]) -> AuthFiles {
        AuthFiles {
            read: read
                .iter()
                .map(|(p, legacy)| AuthPath {
                    path: p.to_path_buf(),
                    legacy: *legacy,
                })
                .collect(),
            write: read[0].0.to_path_buf(),
            runtime_dir: None,
            helper_dir: None,
        }
    }

    #[test]
    fn creds_flag() {
        assert_eq!(parse_creds_flag("u:p:q").unwrap(), creds("u", "p:q"));
        assert_eq!(parse_creds_flag("u").unwrap(), creds("u", ""));
        assert_eq!(parse_creds_flag(":p").unwrap(), creds("", "p"));
        assert!(parse_creds_flag("").is_err());
    }

    #[test]
    fn debug_hides_secrets() {
        let mut c = creds("me", "hunter2");
        c.identity_token = Some("tok".into());
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("tok\""),
            "{shown}"
        );
    }

    #[test]
    fn default_paths_rootless_and_rootful() {
        let env = AuthEnv {
            xdg_runtime_dir: Some("/run/user/1000".into()),
            home: "/home/u".into(),
            rootless: true,
            uid: 1000,
            ..AuthEnv::default()
        };
        let f = AuthFiles::from_env(&env);
        let paths: Vec<&Path> = f.read_paths().collect();
        assert_eq!(
            paths,
            [
                Path::new("/run/user/1000/containers/auth.json"),
                Path::new("/home/u/.config/containers/auth.json"),
                Path::new("/home/u/.docker/config.json"),
                Path::new("/home/u/.dockercfg"),
            ]
        );
        assert_eq!(
            f.write_path(),
            Path::new("/run/user/1000/containers/auth.json")
        );
        assert!(f.read.last().unwrap().legacy);

        let env = AuthEnv {
            xdg_config_home: Some("/cfg".into()),
            docker_config: Some("/dk".into()),
            rootless: true,
            uid: 1000,
            home: "/home/u".into(),
            ..AuthEnv::default()
        };
        let f = AuthFiles::from_env(&env);
        let paths: Vec<&Path> = f.read_paths().collect();
        assert_eq!(paths[0], Path::new("/run/containers/1000/auth.json"));
        assert_eq!(paths[1], Path::new("/cfg/containers/auth.json"));
        assert_eq!(paths[2], Path::new("/dk/config.json"));

        let env = AuthEnv {
            xdg_runtime_dir: Some("/run/user/0".into()),
            home: "/root".into(),
            rootless: false,
            uid: 0,
            ..AuthEnv::default()
        };
        let f = AuthFiles::from_env(&env);
        assert_eq!(f.write_path(), Path::new("/run/containers/0/auth.json"));

        let env = AuthEnv {
            registry_auth_file: Some("/x/auth.json".into()),
            home: "/home/u".into(),
            rootless: true,
            ..AuthEnv::default()
        };
        let f = AuthFiles::from_env(&env);
        assert_eq!(
            f.read_paths().collect::<Vec<_>>(),
            [Path::new("/x/auth.json")]
        );
        assert_eq!(f.write_path(), Path::new("/x/auth.json"));
    }

    #[test]
    fn most_specific_key_wins() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("auth.json");
        let text = serde_json::json!({"auths": {
            "quay.io": {"auth": b64("host:h")},
            "quay.io/ns": {"auth": b64("ns:n")},
            "quay.io/ns/repo": {"auth": b64("repo:r"), "identitytoken": "tok"},
            "localhost:5000": {"auth": b64("local:l")},
        }});
        write(&p, &text.to_string());
        let f = AuthFiles::only(p);
        let get = |k: &str| f.lookup(k).unwrap();
        assert_eq!(get("quay.io/ns/repo").unwrap().username, "repo");
        assert_eq!(
            get("quay.io/ns/repo").unwrap().identity_token.as_deref(),
            Some("tok")
        );
        assert_eq!(get("quay.io/ns/other").unwrap(), creds("ns", "n"));
        assert_eq!(get("quay.io/nsx/repo").unwrap(), creds("host", "h"));
        assert_eq!(get("quay.io").unwrap(), creds("host", "h"));
        assert_eq!(get("localhost:5000/a").unwrap(), creds("local", "l"));
        assert_eq!(get("docker.io/library/alpine"), None);
        assert!(f.lookup("https://quay.io").is_err());
        assert!(f.lookup("quay.io/ns/repo:tag").is_err());
        assert!(f.lookup("quay.io/ns/repo@sha256:00").is_err());
    }

    #[test]
    fn legacy_url_keys_and_docker_hub() {
        let tmp = tempfile::tempdir().unwrap();
        let docker = tmp.path().join("config.json");
        write(
            &docker,
            &serde_json::json!({"auths": {
                "https://index.docker.io/v1/": {"auth": b64("hub:pw")},
                "http://old.example.com/v2/": {"auth": b64("old:pw")},
                "marker.io": {},
            }})
            .to_string(),
        );
        let dockercfg = tmp.path().join(".dockercfg");
        write(
            &dockercfg,
            &serde_json::json!({
                "https://legacy.example.com/v1/": {"auth": b64("legacy:pw"), "email": "x@y"},
            })
            .to_string(),
        );
        let missing = tmp.path().join("none.json");
        let f = files(&[(&missing, false), (&docker, false), (&dockercfg, true)]);
        assert_eq!(
            f.lookup("docker.io/library/busybox").unwrap().unwrap(),
            creds("hub", "pw")
        );
        assert_eq!(
            f.lookup("old.example.com/x").unwrap().unwrap(),
            creds("old", "pw")
        );
        assert_eq!(
            f.lookup("legacy.example.com/a/b").unwrap().unwrap(),
            creds("legacy", "pw")
        );
        assert_eq!(f.lookup("marker.io").unwrap(), None);
    }

    #[test]
    fn earlier_file_wins() {
        let tmp = tempfile::tempdir().unwrap();
        let a = tmp.path().join("a.json");
        let b = tmp.path().join("b.json");
        write(
            &a,
            &serde_json::json!({"auths": {"quay.io": {"auth": b64("a:1")}}}).to_string(),
        );
        write(
            &b,
            &serde_json::json!({"auths": {"quay.io/ns": {"auth": b64("b:2")}, "ghcr.io": {"auth": b64("b:3")}}})
                .to_string(),
        );
        let f = files(&[(&a, false), (&b, false)]);
        // The first file's registry-wide entry beats the second file's namespace entry.
        assert_eq!(f.lookup("quay.io/ns/x").unwrap().unwrap(), creds("a", "1"));
        assert_eq!(f.lookup("ghcr.io/x").unwrap().unwrap(), creds("b", "3"));
    }

    #[test]
    fn malformed_files_and_entries_name_the_file() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("auth.json");
        let f = AuthFiles::only(p.clone());
        write(&p, "{\"auths\": {");
        let e = format!("{:#}", f.lookup("quay.io").unwrap_err());
        assert!(e.contains("auth.json: invalid JSON"), "{e}");
        assert!(!e.contains('\n'));
        write(&p, r#"{"auths": {"quay.io": {"auth": "!!!"}}}"#);
        let e = format!("{:#}", f.lookup("quay.io").unwrap_err());
        assert!(
            e.contains("auth.json") && e.contains("quay.io") && e.contains("base64"),
            "{e}"
        );
        write(
            &p,
            &format!(
                r#"{{"auths": {{"quay.io": {{"auth": "{}"}}}}}}"#,
                b64("nocolon")
            ),
        );
        let e = format!("{:#}", f.lookup("quay.io").unwrap_err());
        assert!(
            e.contains("auth.json") && e.contains("quay.io") && e.contains("':'"),
            "{e}"
        );
        // Unpadded base64 and NUL padding are accepted.
        let unpadded = b64("u:pw").trim_end_matches('=').to_string();
        write(
            &p,
            &format!(r#"{{"auths": {{"quay.io": {{"auth": "{unpadded}"}}}}}}"#),
        );
        assert_eq!(f.lookup("quay.io").unwrap().unwrap(), creds("u", "pw"));
    }

    #[test]
    fn store_keeps_other_content_and_is_private() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("new/dir/auth.json");
        let f = AuthFiles::only(p.clone());
        f.store("quay.io", &creds("u", "p")).unwrap();
        assert_eq!(f.lookup("quay.io").unwrap().unwrap(), creds("u", "p"));
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&p), 0o600);
        assert_eq!(mode(p.parent().unwrap()), 0o700);

        write(
            &p,
            r#"{"zeta": 1, "auths": {"b.io": {"auth": "YjpiCg==", "email": "e"}, "a.io": {"auth": "YTph"}}, "alpha": {"x": [1, 2]}}"#,
        );
        let mut c = creds("new", "pw");
        c.identity_token = Some("tok".into());
        f.store("b.io", &c).unwrap();
        f.store("c.io/ns", &creds("c", "pw")).unwrap();
        let doc: Value = serde_json::from_str(&fs::read_to_string(&p).unwrap()).unwrap();
        let keys: Vec<&String> = doc.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["zeta", "auths", "alpha"]);
        let auths: Vec<&String> = doc["auths"].as_object().unwrap().keys().collect();
        assert_eq!(auths, ["b.io", "a.io", "c.io/ns"]);
        assert_eq!(doc["auths"]["b.io"]["email"], "e");
        assert_eq!(doc["alpha"]["x"][1], 2);
        assert_eq!(
            f.lookup("b.io").unwrap().unwrap().identity_token.as_deref(),
            Some("tok")
        );
        f.store("b.io", &creds("again", "pw")).unwrap();
        assert_eq!(f.lookup("b.io").unwrap().unwrap().identity_token, None);
        assert_eq!(f.lookup("c.io/ns/repo").unwrap().unwrap(), creds("c", "pw"));
    }

    #[test]
    fn store_refuses_a_malformed_file() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("auth.json");
        write(&p, "[1, 2");
        let e = format!(
            "{:#}",
            AuthFiles::only(p.clone())
                .store("a.io", &creds("u", "p"))
                .unwrap_err()
        );
        assert!(e.contains("auth.json: invalid JSON"), "{e}");
        assert_eq!(fs::read_to_string(&p).unwrap(), "[1, 2");
        write(&p, r#"{"auths": []}"#);
        let e = format!(
            "{:#}",
            AuthFiles::only(p)
                .store("a.io", &creds("u", "p"))
                .unwrap_err()
        );
        assert!(e.contains("\"auths\" must be a JSON object"), "{e}");
    }

    #[test]
    fn write_refuses_a_missing_runtime_dir() {
        let tmp = tempfile::tempdir().unwrap();
        let runtime = tmp.path().join("run-user");
        let env = AuthEnv {
            xdg_runtime_dir: Some(runtime.clone()),
            home: tmp.path().to_path_buf(),
            rootless: true,
            uid: 1000,
            ..AuthEnv::default()
        };
        let f = AuthFiles::from_env(&env);
        let e = format!("{:#}", f.store("a.io", &creds("u", "p")).unwrap_err());
        assert!(e.contains("XDG_RUNTIME_DIR"), "{e}");
        fs::create_dir(&runtime).unwrap();
        f.store("a.io", &creds("u", "p")).unwrap();
        assert!(runtime.join("containers/auth.json").exists());
    }

    #[test]
    fn remove_and_remove_all() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("auth.json");
        let f = AuthFiles::only(p.clone());
        assert!(!f.remove("a.io").unwrap());
        assert!(!p.exists(), "removing from no file creates none");
        f.store("a.io", &creds("u", "p")).unwrap();
        f.store("b.io", &creds("u", "p")).unwrap();
        assert!(f.remove("a.io").unwrap());
        assert!(!f.remove("a.io").unwrap());
        assert_eq!(f.lookup("a.io").unwrap(), None);
        assert!(f.lookup("b.io").unwrap().is_some());

        let mut doc: Value = serde_json::from_str(&fs::read_to_string(&p).unwrap()).unwrap();
        doc["credHelpers"] = serde_json::json!({"x.io": "none-such-helper"});
        write(&p, &doc.to_string());
        f.remove_all().unwrap();
        let doc: Value = serde_json::from_str(&fs::read_to_string(&p).unwrap()).unwrap();
        assert_eq!(doc["auths"], serde_json::json!({}));
        assert_eq!(doc["credHelpers"]["x.io"], "none-such-helper");
    }

    /// A fake `docker-credential-fake` that knows one secret per server and logs erasures.
    fn fake_helper(dir: &Path) {
        let script = r#"#!/bin/sh
read -r server
case "$1" in
get)
  case "$server" in
    helped.io) echo '{"ServerURL":"helped.io","Username":"hu","Secret":"hs"}' ;;
    token.io) echo '{"ServerURL":"token.io","Username":"<token>","Secret":"rt"}' ;;
    https://index.docker.io/v1/) echo '{"Username":"hub","Secret":"hubpw"}' ;;
    broken.io) echo 'not json' ;;
    failing.io) echo 'keychain locked' >&2; exit 1 ;;
    *) echo 'credentials not found in native keychain'; exit 1 ;;
  esac ;;
erase)
  echo "$server" >> "$(dirname "$0")/erased"
  case "$server" in helped.io) ;; *) echo 'credentials not found in native keychain'; exit 1 ;; esac ;;
store)
  echo "$server" >> "$(dirname "$0")/stored" ;;
esac
"#;
        let path = dir.join("docker-credential-fake");
        fs::write(&path, script).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    }

    #[test]
    fn credential_helpers() {
        let tmp = tempfile::tempdir().unwrap();
        let bin = tmp.path().join("bin");
        fs::create_dir(&bin).unwrap();
        fake_helper(&bin);
        let p = tmp.path().join("config.json");
        write(
            &p,
            &serde_json::json!({
                "auths": {"plain.io": {"auth": b64("pu:pp")}},
                "credHelpers": {
                    "helped.io": "fake", "token.io": "fake", "nothing.io": "fake",
                    "missing.io": "not-installed", "broken.io": "fake", "failing.io": "fake"
                },
                "credsStore": "fake"
            })
            .to_string(),
        );
        let mut f = AuthFiles::only(p.clone());
        f.helper_dir = Some(bin.clone());
        assert_eq!(
            f.lookup("helped.io/ns/x").unwrap().unwrap(),
            creds("hu", "hs")
        );
        let t = f.lookup("token.io").unwrap().unwrap();
        assert_eq!(t.identity_token.as_deref(), Some("rt"));
        assert_eq!(f.lookup("nothing.io").unwrap(), None);
        assert_eq!(f.lookup("missing.io").unwrap(), None);
        // auths before credsStore; credsStore for the rest, Docker Hub under its URL key.
        assert_eq!(f.lookup("plain.io").unwrap().unwrap(), creds("pu", "pp"));
        assert_eq!(
            f.lookup("docker.io/library/x").unwrap().unwrap(),
            creds("hub", "hubpw")
        );
        assert_eq!(f.lookup("elsewhere.io").unwrap(), None);
        let e = format!("{:#}", f.lookup("broken.io").unwrap_err());
        assert!(
            e.contains("docker-credential-fake returned invalid JSON"),
            "{e}"
        );
        let e = format!("{:#}", f.lookup("failing.io").unwrap_err());
        assert!(e.contains("keychain locked"), "{e}");

        f.store("helped.io", &creds("u", "p")).unwrap();
        assert_eq!(
            fs::read_to_string(bin.join("stored")).unwrap(),
            "{\"ServerURL\":\"helped.io\",\"Username\":\"u\",\"Secret\":\"p\"}\n"
        );
        assert!(f.store("helped.io/ns", &creds("u", "p")).is_err());
        assert!(f.remove("helped.io").unwrap());
        assert!(!f.remove("nothing.io").unwrap());
        assert_eq!(
            fs::read_to_string(bin.join("erased")).unwrap(),
            "helped.io\nnothing.io\n"
        );
    }
}
