//! Registry commands: pull, push, login, logout, search, manifest inspect.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Subcommand};

use super::Globals;
use crate::format::ProgressMode;
use crate::images;
use crate::images::pull::{PlatformWanted, PullOptions, RegistryOptions};
use crate::images::push::{ManifestFormat, PushOptions, parse_compression};
use crate::registry::client::{Client, ConnectOptions};
use crate::registry::config::RegistriesConf;
use crate::registry::credentials::{AuthFiles, Credentials, parse_creds_flag};

/// `--tls-verify[=bool]`, `--authfile`, `--cert-dir`, `--creds`: shared by every command that
/// talks to a registry.
#[derive(Args, Debug, Clone, Default)]
pub struct RegistryFlags {
    /// Require HTTPS and verify certificates when contacting registries
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_name = "BOOL")]
    pub tls_verify: Option<bool>,
    /// Path of the authentication file
    #[arg(long, env = "REGISTRY_AUTH_FILE", value_name = "PATH")]
    pub authfile: Option<PathBuf>,
    /// Use certificates at the specified path to access the registry
    #[arg(long, value_name = "PATH")]
    pub cert_dir: Option<PathBuf>,
    /// Use `USERNAME[:PASSWORD]` for accessing the registry
    #[arg(long, value_name = "USERNAME[:PASSWORD]")]
    pub creds: Option<String>,
}

impl RegistryFlags {
    pub fn options(&self) -> Result<RegistryOptions> {
        let creds = match &self.creds {
            Some(c) => {
                let mut creds = parse_creds_flag(c)?;
                if !c.contains(':') {
                    creds.password = prompt_password()?;
                }
                Some(creds)
            }
            None => None,
        };
        Ok(RegistryOptions {
            tls_verify: self.tls_verify,
            cert_dir: self.cert_dir.clone(),
            creds,
            authfile: self.authfile.clone(),
        })
    }
}

/// `--platform`, `--arch`, `--os`, `--variant`.
#[derive(Args, Debug, Clone, Default)]
pub struct PlatformFlags {
    /// Specify the platform for selecting the image (os/arch[/variant])
    #[arg(long, value_name = "OS/ARCH[/VARIANT]")]
    pub platform: Option<String>,
    /// Use ARCH instead of the architecture of the machine for choosing images
    #[arg(long, value_name = "ARCH")]
    pub arch: Option<String>,
    /// Use OS instead of the running OS for choosing images
    #[arg(long, value_name = "OS")]
    pub os: Option<String>,
    /// Use VARIANT instead of the running architecture variant for choosing images
    #[arg(long, value_name = "VARIANT")]
    pub variant: Option<String>,
}

impl PlatformFlags {
    pub fn wanted(&self) -> Result<PlatformWanted> {
        PlatformWanted::from_flags(
            self.platform.as_deref(),
            self.os.as_deref(),
            self.arch.as_deref(),
            self.variant.as_deref(),
        )
    }
}

#[derive(Args, Debug)]
pub struct PullArgs {
    /// Pull all tagged images in the repository
    #[arg(short, long)]
    pub all_tags: bool,
    /// Suppress output information when pulling images
    #[arg(short, long)]
    pub quiet: bool,
    /// This is a Docker specific option and is a NOOP
    #[arg(long, hide = true)]
    pub disable_content_trust: bool,
    #[command(flatten)]
    pub registry: RegistryFlags,
    #[command(flatten)]
    pub platform: PlatformFlags,
    /// Image to pull
    #[arg(value_name = "IMAGE", required = true)]
    pub images: Vec<String>,
}

#[derive(Args, Debug)]
pub struct PushArgs {
    /// Suppress output information when pushing images
    #[arg(short, long)]
    pub quiet: bool,
    /// Manifest type (oci, v2s2) to use when pushing
    #[arg(short, long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Compression format to use for layers (gzip, zstd)
    #[arg(long, value_name = "FORMAT")]
    pub compression_format: Option<String>,
    /// Write the digest of the pushed image to the specified file
    #[arg(long, value_name = "PATH")]
    pub digestfile: Option<PathBuf>,
    /// Discard any pre-existing signatures in the image
    #[arg(long)]
    pub remove_signatures: bool,
    /// This is a Docker specific option and is a NOOP
    #[arg(long, hide = true)]
    pub disable_content_trust: bool,
    #[command(flatten)]
    pub registry: RegistryFlags,
    /// Local image to push
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// Where to push it (default: the image's name)
    #[arg(value_name = "DESTINATION")]
    pub destination: Option<String>,
}

#[derive(Args, Debug)]
pub struct LoginArgs {
    /// Username for registry
    #[arg(short, long)]
    pub username: Option<String>,
    /// Password for registry
    #[arg(short, long)]
    pub password: Option<String>,
    /// Take the password from stdin
    #[arg(long)]
    pub password_stdin: bool,
    /// Return the current login user for the registry
    #[arg(long)]
    pub get_login: bool,
    /// Write more detailed information to stdout
    #[arg(short, long)]
    pub verbose: bool,
    #[command(flatten)]
    pub registry: RegistryFlags,
    /// Registry to log in to (default: the first unqualified-search registry)
    #[arg(value_name = "REGISTRY")]
    pub server: Option<String>,
}

#[derive(Args, Debug)]
pub struct LogoutArgs {
    /// Remove the cached credentials for all registries in the auth file
    #[arg(short, long)]
    pub all: bool,
    /// Path of the authentication file
    #[arg(long, env = "REGISTRY_AUTH_FILE", value_name = "PATH")]
    pub authfile: Option<PathBuf>,
    /// Registry to log out of
    #[arg(value_name = "REGISTRY")]
    pub server: Option<String>,
}

#[derive(Args, Debug)]
pub struct SearchArgs {
    /// Limit the number of results
    #[arg(long, default_value_t = 25)]
    pub limit: usize,
    /// Change the output format to JSON or a Go template
    #[arg(long)]
    pub format: Option<String>,
    /// Do not truncate the output
    #[arg(long)]
    pub no_trunc: bool,
    /// List the tags of the input registry
    #[arg(long)]
    pub list_tags: bool,
    #[command(flatten)]
    pub registry: RegistryFlags,
    /// Term to search for: `[REGISTRY/]NAME`
    #[arg(value_name = "TERM")]
    pub term: String,
}

#[derive(Subcommand, Debug)]
pub enum ManifestCommand {
    /// Display the contents of a manifest list or image manifest in a registry
    Inspect(ManifestInspectArgs),
}

#[derive(Args, Debug)]
pub struct ManifestInspectArgs {
    #[command(flatten)]
    pub registry: RegistryFlags,
    /// Image whose manifest to show
    #[arg(value_name = "IMAGE")]
    pub image: String,
}

pub fn pull(a: PullArgs, g: &Globals) -> Result<u8> {
    let opts = PullOptions {
        registry: a.registry.options()?,
        platform: a.platform.wanted()?,
        all_tags: a.all_tags,
        progress: ProgressMode::for_stderr(a.quiet),
    };
    let store = g.store_for_writing()?;
    for image in &a.images {
        for p in images::pull::pull(&store, image, &opts)? {
            println!("{}", p.id.hex());
        }
    }
    Ok(0)
}

pub fn push(a: PushArgs, g: &Globals) -> Result<u8> {
    let opts = PushOptions {
        registry: a.registry.options()?,
        format: a.format.as_deref().map(ManifestFormat::parse).transpose()?,
        compression: a
            .compression_format
            .as_deref()
            .map(parse_compression)
            .transpose()?,
        digestfile: a.digestfile.clone(),
        progress: ProgressMode::for_stderr(a.quiet),
    };
    let _ = a.remove_signatures;
    let store = g.store()?;
    images::push::push(&store, &a.image, a.destination.as_deref(), &opts)?;
    Ok(0)
}

/// The registry `login`/`logout` mean: the argument without scheme and path (a
/// `host/namespace` key is kept, as Podman 4 allows), else the first search registry.
fn login_key(server: Option<&str>) -> Result<String> {
    if let Some(s) = server {
        let s = s
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_start_matches("docker://")
            .trim_end_matches('/');
        if s.is_empty() {
            bail!("invalid registry {server:?}");
        }
        return Ok(match s {
            "index.docker.io" | "registry-1.docker.io" => "docker.io".to_string(),
            other => other.to_string(),
        });
    }
    let conf = RegistriesConf::load_default()?;
    Ok(conf
        .search_registries()
        .first()
        .cloned()
        .unwrap_or_else(|| crate::registry::resolve::FALLBACK_SEARCH_REGISTRY.to_string()))
}

pub fn login(a: LoginArgs, _g: &Globals) -> Result<u8> {
    let key = login_key(a.server.as_deref())?;
    let host = key.split('/').next().unwrap_or(&key).to_string();
    let files = match &a.registry.authfile {
        Some(p) => AuthFiles::only(p.clone()),
        None => AuthFiles::default_for_user(),
    };
    if a.get_login {
        return match files.lookup(&key)? {
            Some(c) => {
                println!("{}", c.username);
                Ok(0)
            }
            None => bail!("not logged into {key}"),
        };
    }
    if a.password.is_some() && a.password_stdin {
        bail!("--password and --password-stdin are mutually exclusive");
    }
    let username = match a.username.clone().filter(|u| !u.is_empty()) {
        Some(u) => u,
        None if a.password_stdin => bail!("--password-stdin needs --username"),
        None => prompt_line("Username: ")?,
    };
    let password = if a.password_stdin {
        read_password_stdin()?
    } else {
        match a.password.clone() {
            Some(p) => p,
            None => prompt_password()?,
        }
    };
    if username.is_empty() || password.is_empty() {
        bail!("logging into {key:?}: username and password are required");
    }
    let creds = Credentials {
        username,
        password,
        identity_token: None,
    };
    let conf = RegistriesConf::load_default()?;
    let connect = ConnectOptions {
        tls_verify: a.registry.tls_verify.unwrap_or(!conf.is_insecure(&host)),
        cert_dir: a.registry.cert_dir.clone(),
        credentials: Some(creds.clone()),
    };
    let client = Client::connect(&host, &connect)
        .and_then(|c| c.check_login().map(|_| c))
        .with_context(|| format!("logging into {key:?}"))?;
    drop(client);
    files.store(&key, &creds)?;
    if a.verbose {
        println!("Used: {}", files.write_path().display());
    }
    println!("Login Succeeded!");
    Ok(0)
}

pub fn logout(a: LogoutArgs, _g: &Globals) -> Result<u8> {
    let files = match &a.authfile {
        Some(p) => AuthFiles::only(p.clone()),
        None => AuthFiles::default_for_user(),
    };
    if a.all {
        if a.server.is_some() {
            bail!("--all takes no registry argument");
        }
        files.remove_all()?;
        println!("Removed login credentials for all registries");
        return Ok(0);
    }
    let key = login_key(a.server.as_deref())?;
    if !files.remove(&key)? {
        bail!("not logged into {key}");
    }
    println!("Removed login credentials for {key}");
    Ok(0)
}

pub fn search(a: SearchArgs, _g: &Globals) -> Result<u8> {
    let opts = a.registry.options()?;
    let conf = RegistriesConf::load_default()?;
    let (registries, term): (Vec<String>, String) = match a.term.split_once('/') {
        Some((host, rest)) if host.contains('.') || host.contains(':') || host == "localhost" => {
            (vec![host.to_string()], rest.to_string())
        }
        _ => {
            let mut r = conf.search_registries().to_vec();
            if r.is_empty() {
                r.push(crate::registry::resolve::FALLBACK_SEARCH_REGISTRY.to_string());
            }
            (r, a.term.clone())
        }
    };
    let mut rows: Vec<serde_json::Value> = Vec::new();
    let mut errors = Vec::new();
    for reg in &registries {
        let result = (|| -> Result<()> {
            let connect = opts.connect_options(reg, conf.is_insecure(reg))?;
            let client = Client::connect(reg, &connect)?;
            if a.list_tags {
                for tag in client.list_tags(&term)? {
                    rows.push(serde_json::json!({"Name": format!("{reg}/{term}"), "Tag": tag}));
                }
                return Ok(());
            }
            for repo in client.catalog()? {
                if repo.contains(&term) {
                    rows.push(serde_json::json!({
                        "Index": reg, "Name": format!("{reg}/{repo}"), "Description": "",
                        "Stars": 0, "Official": "", "Automated": "", "Tag": ""
                    }));
                }
            }
            Ok(())
        })();
        if let Err(e) = result {
            errors.push(format!("{e:#}"));
        }
    }
    if rows.is_empty() && !errors.is_empty() {
        bail!("{}", errors.join("; "));
    }
    for e in &errors {
        log::warn!("{e}");
    }
    rows.truncate(a.limit);
    let default = if a.list_tags {
        "table {{.Name}}\t{{.Tag}}"
    } else {
        "table {{.Name}}\t{{.Description}}"
    };
    let format = a.format.as_deref().unwrap_or(default);
    if crate::format::is_json(format) {
        print!("{}", crate::format::render_json(&rows));
        return Ok(0);
    }
    let headers = serde_json::json!({});
    print!("{}", crate::format::render_rows(format, &headers, &rows)?);
    Ok(0)
}

pub fn manifest(cmd: ManifestCommand, _g: &Globals) -> Result<u8> {
    match cmd {
        ManifestCommand::Inspect(a) => {
            let opts = a.registry.options()?;
            let conf = RegistriesConf::load_default()?;
            let candidates = crate::registry::resolve::pull_candidates(&a.image, &conf)?;
            let mut last = None;
            for r in candidates {
                let result = (|| -> Result<Vec<u8>> {
                    let connect = opts.connect_options(&r.name(), conf.is_insecure(&r.registry))?;
                    let client = Client::connect(&r.registry, &connect)?;
                    let reference = match (&r.digest, &r.tag) {
                        (Some(d), _) => d.to_string(),
                        (None, Some(t)) => t.clone(),
                        (None, None) => "latest".into(),
                    };
                    Ok(client.get_manifest(&r.repository, &reference)?.bytes)
                })();
                match result {
                    Ok(bytes) => {
                        let v: serde_json::Value = serde_json::from_slice(&bytes)
                            .map_err(|e| anyhow!("the manifest of {r} is not JSON: {e}"))?;
                        println!("{}", pretty_json(&v)?);
                        return Ok(0);
                    }
                    Err(e) => last = Some(e),
                }
            }
            Err(last.unwrap_or_else(|| anyhow!("{}: no registry to ask", a.image)))
        }
    }
}

/// JSON indented with four spaces, as Podman prints manifests.
fn pretty_json(v: &serde_json::Value) -> Result<String> {
    let mut out = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
    serde::Serialize::serialize(v, &mut ser)?;
    Ok(String::from_utf8(out)?)
}

fn prompt_line(prompt: &str) -> Result<String> {
    let mut err = std::io::stderr();
    let _ = write!(err, "{prompt}");
    let _ = err.flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading from stdin")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Ask for a password on the terminal without echo (or read a line when stdin is no tty).
fn prompt_password() -> Result<String> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return prompt_line("Password: ");
    }
    let _guard = crate::sys::tty::EchoOffGuard::new(&stdin)?;
    let p = prompt_line("Password: ");
    eprintln!();
    p
}

fn read_password_stdin() -> Result<String> {
    let mut s = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
        .context("reading the password from stdin")?;
    Ok(s.trim_end_matches(['\r', '\n']).to_string())
}

/// Pulls `image` for a command that must itself stay outside the store's user namespace
/// (`run`, `build`: their containers get namespaces of their own): rootless, the pull runs
/// in a forked child that enters it.
pub fn pull_outside_store_userns(
    g: &Globals,
    image: &str,
    registry: RegistryOptions,
    platform: PlatformWanted,
    quiet: bool,
) -> Result<()> {
    let opts = PullOptions {
        registry,
        platform,
        all_tags: false,
        progress: ProgressMode::for_stderr(quiet),
    };
    let pull = || -> Result<()> {
        let store = g.store_for_writing()?;
        images::pull::pull(&store, image, &opts).map(|_| ())
    };
    if g.rootless() {
        crate::sys::process::run_in_child(pull)
    } else {
        pull()
    }
}
