//! `build` (also `image build`, `builder build`, `buildx build`) and `builder prune`.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};

use super::Globals;
use super::registry::{PlatformFlags, RegistryFlags};
use crate::build::{self, BuildOptions, DockerfileSource, PullPolicy, Secret};
use crate::images;

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// Name and optionally a tag (name:tag) for the image built (repeatable)
    #[arg(short, long = "tag", value_name = "NAME")]
    pub tag: Vec<String>,
    /// Name of the Containerfile (default: CONTEXT/Containerfile, else CONTEXT/Dockerfile;
    /// `-` reads it from stdin)
    #[arg(short, long = "file", value_name = "PATHNAME")]
    pub file: Vec<PathBuf>,
    /// Argument=value for the build (a bare name takes its value from the environment)
    #[arg(long, value_name = "ARG=VALUE")]
    pub build_arg: Vec<String>,
    /// File of argument=value lines for the build
    #[arg(long, value_name = "PATH")]
    pub build_arg_file: Vec<PathBuf>,
    /// Set the target build stage to build
    #[arg(long, value_name = "STAGE")]
    pub target: Option<String>,
    /// Do not use existing cached images for the container build
    #[arg(long)]
    pub no_cache: bool,
    /// Pull base images: always (a bare --pull), missing, never or newer
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "always", value_name = "POLICY")]
    pub pull: Option<String>,
    /// Pull base images always (Podman's older spelling)
    #[arg(long, hide = true)]
    pub pull_always: bool,
    /// Do not pull base images (Podman's older spelling)
    #[arg(long, hide = true)]
    pub pull_never: bool,
    /// Cache intermediate images (one per instruction)
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_name = "BOOL")]
    pub layers: Option<bool>,
    /// Squash all new layers of the image into one
    #[arg(long)]
    pub squash: bool,
    /// Squash all layers of the image, its base's included, into one
    #[arg(long)]
    pub squash_all: bool,
    /// Set metadata for the image built (repeatable)
    #[arg(long, value_name = "KEY=VALUE")]
    pub label: Vec<String>,
    /// Set an annotation on the image's manifest (repeatable)
    #[arg(long, value_name = "KEY=VALUE")]
    pub annotation: Vec<String>,
    /// Set an environment variable in the image built (repeatable)
    #[arg(long, value_name = "ENV[=VALUE]")]
    pub env: Vec<String>,
    /// Unset an environment variable in the image built (repeatable)
    #[arg(long, value_name = "ENV")]
    pub unsetenv: Vec<String>,
    /// Write the image ID to the file
    #[arg(long, value_name = "FILE")]
    pub iidfile: Option<PathBuf>,
    /// Refrain from announcing build instructions and image read/write progress
    #[arg(short, long)]
    pub quiet: bool,
    /// Format of the image manifest and metadata: oci or docker
    #[arg(long, value_name = "FORMAT", env = "BUILDAH_FORMAT")]
    pub format: Option<String>,
    /// Secret for RUN --mount=type=secret: id=ID,src=PATH or id=ID,env=VAR (repeatable)
    #[arg(long, value_name = "id=ID,src=PATH")]
    pub secret: Vec<String>,
    /// Do not create /etc/hosts for RUN instructions (the image's own is used)
    #[arg(long)]
    pub no_hosts: bool,
    /// Network for RUN instructions: host (default) or none
    #[arg(long, value_name = "MODE")]
    pub network: Option<String>,
    /// Progress output: auto, plain or tty (all print the same lines)
    #[arg(long, value_name = "TYPE")]
    pub progress: Option<String>,
    /// Set the created time and the time of every new file to this many seconds since the
    /// epoch, so rebuilds of the same sources give the same image id
    #[arg(long, value_name = "SECONDS")]
    pub timestamp: Option<i64>,
    /// Path to an alternate .containerignore/.dockerignore file
    #[arg(long, value_name = "PATH")]
    pub ignorefile: Option<PathBuf>,
    /// Remove intermediate containers after a build (always done; accepted for Docker)
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true", value_name = "BOOL", hide = true)]
    pub rm: Option<bool>,
    /// Always remove intermediate containers (always done; accepted for Docker)
    #[arg(long, hide = true)]
    pub force_rm: bool,
    /// `buildx build --load`: the image is in the store anyway (accepted for Docker)
    #[arg(long, hide = true)]
    pub load: bool,
    /// External cache sources (not used: the cache is the local store; accepted for Docker)
    #[arg(long, hide = true, value_name = "SOURCE")]
    pub cache_from: Vec<String>,
    /// External cache destinations (not used; accepted for Docker)
    #[arg(long, hide = true, value_name = "DEST")]
    pub cache_to: Vec<String>,
    #[command(flatten)]
    pub registry: RegistryFlags,
    #[command(flatten)]
    pub platform: PlatformFlags,
    /// The build context: a directory, or `-` for a tarball or a Dockerfile on stdin
    #[arg(value_name = "CONTEXT")]
    pub context: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum BuilderCommand {
    /// Build an image using instructions from Containerfiles
    Build(Box<BuildArgs>),
    /// Remove the build cache
    Prune(BuilderPruneArgs),
}

#[derive(Args, Debug)]
pub struct BuilderPruneArgs {
    /// Remove all build cache (the same as without; accepted for Docker)
    #[arg(short, long)]
    pub all: bool,
    /// Do not prompt for confirmation
    #[arg(short, long)]
    pub force: bool,
}

pub fn run_builder(c: BuilderCommand, g: &Globals) -> Result<u8> {
    match c {
        BuilderCommand::Build(a) => build(*a, g),
        BuilderCommand::Prune(a) => builder_prune(a, g),
    }
}

pub fn build(a: BuildArgs, g: &Globals) -> Result<u8> {
    if !a.cache_from.is_empty() || !a.cache_to.is_empty() {
        log::warn!("--cache-from/--cache-to are ignored: the build cache is the local store");
    }
    warn_single_map(g)?;
    let store = g.store()?;
    let stdin_dir = store_temp_dir(&store);
    let result = build_with(&a, g, &store, &stdin_dir);
    let _ = std::fs::remove_dir_all(&stdin_dir);
    let id = result?;
    if let Some(path) = &a.iidfile {
        std::fs::write(path, id.to_string())
            .with_context(|| format!("writing the image id to {}", path.display()))?;
    }
    println!("{}", id.hex());
    Ok(0)
}

fn build_with(
    a: &BuildArgs,
    g: &Globals,
    store: &crate::store::Store,
    stdin_dir: &Path,
) -> Result<crate::image::digest::Digest> {
    let o = build_options(a, stdin_dir)?;
    let registry = a.registry.options()?;
    let platform = a.platform.wanted()?;
    let quiet = a.quiet;
    let pull = move |image: &str, from_platform: Option<&str>| -> Result<()> {
        let platform = match from_platform {
            Some(p) => images::pull::PlatformWanted::from_flags(Some(p), None, None, None)?,
            None => platform.clone(),
        };
        super::registry::pull_outside_store_userns(g, image, registry.clone(), platform, quiet)
    };
    build::build(store, &o, &pull)
}

/// Rootless without a subordinate id range: says so once for the whole build (its steps
/// enter user namespaces many times).
fn warn_single_map(g: &Globals) -> Result<()> {
    if !g.rootless() {
        return Ok(());
    }
    let (uid, gid) = crate::runtime::idmaps::real_ids();
    let name = crate::sys::idmap::current_user_name().unwrap_or_else(|| uid.to_string());
    let maps = crate::sys::rootless_id_maps(uid, gid, &name)?;
    crate::sys::userns::warn_single_map_once(maps.has_subordinate_ranges(), &name);
    Ok(())
}

/// A directory for a context read from stdin (under the store's tmp/, so a crash leaves
/// it to the next garbage collection).
fn store_temp_dir(store: &crate::store::Store) -> PathBuf {
    store
        .tmp_dir()
        .join(crate::store::fsutil::unique_name("context"))
}

fn build_options(a: &BuildArgs, stdin_dir: &Path) -> Result<BuildOptions> {
    if a.file.len() > 1 {
        bail!("only one --file is supported");
    }
    let context_arg = a.context.clone().unwrap_or_else(|| ".".to_string());
    let file_arg = a.file.first().cloned();
    let (context_dir, dockerfile) = if context_arg == "-" {
        if file_arg.as_deref() == Some(Path::new("-")) {
            bail!("the context and the Containerfile cannot both come from stdin");
        }
        context_from_stdin(stdin_dir, file_arg.as_deref())?
    } else {
        let dir = PathBuf::from(&context_arg);
        let file = match file_arg {
            Some(f) if f == Path::new("-") => {
                let mut text = String::new();
                std::io::stdin()
                    .read_to_string(&mut text)
                    .context("reading the Containerfile from stdin")?;
                DockerfileSource::Text {
                    name: "stdin".into(),
                    text,
                }
            }
            Some(f) => DockerfileSource::File(locate_file(&f, &dir)),
            None => DockerfileSource::File(default_dockerfile(&dir)?),
        };
        (dir, file)
    };
    let layers = a.layers.unwrap_or(true) && !a.squash;
    let pull = if a.pull_always {
        PullPolicy::Always
    } else if a.pull_never {
        PullPolicy::Never
    } else {
        match a.pull.as_deref() {
            // `--pull=` with nothing, as a bare `--pull`: always.
            Some("") => PullPolicy::Always,
            Some(p) => PullPolicy::parse(p)?,
            None => PullPolicy::Missing,
        }
    };
    let docker_format = match a.format.as_deref() {
        None | Some("oci") => false,
        Some("docker") => true,
        Some(f) => bail!("unrecognized image type {f:?}: want oci or docker"),
    };
    let network_none = match a.network.as_deref() {
        None | Some("host") | Some("default") => false,
        Some("none") => true,
        Some(n) => bail!("--network {n:?} is not supported for builds (host, none)"),
    };
    if let Some(p) = a.progress.as_deref()
        && !matches!(p, "auto" | "plain" | "tty" | "quiet")
    {
        bail!("invalid --progress {p:?}: want auto, plain or tty");
    }
    let tags = a
        .tag
        .iter()
        .map(|t| images::new_image_name(t))
        .collect::<Result<Vec<_>>>()?;
    Ok(BuildOptions {
        context_dir,
        dockerfile,
        ignore_file: a.ignorefile.clone(),
        tags,
        build_args: build_args(a)?,
        target: a.target.clone(),
        no_cache: a.no_cache,
        pull,
        platform: a.platform.wanted()?,
        layers,
        squash_all: a.squash_all,
        labels: key_values(&a.label, "--label")?,
        annotations: key_values(&a.annotation, "--annotation")?,
        env: env_values(&a.env),
        unset_env: a.unsetenv.clone(),
        quiet: a.quiet || a.progress.as_deref() == Some("quiet"),
        docker_format,
        secrets: a
            .secret
            .iter()
            .map(|s| Secret::parse(s))
            .collect::<Result<Vec<_>>>()?,
        no_hosts: a.no_hosts,
        network_none,
        timestamp: a.timestamp,
    })
}

/// `-f`: a path relative to the current directory, else to the context (as Podman looks).
fn locate_file(file: &Path, context: &Path) -> PathBuf {
    if file.is_absolute() || file.exists() {
        return file.to_path_buf();
    }
    let in_context = context.join(file);
    if in_context.exists() {
        in_context
    } else {
        file.to_path_buf()
    }
}

/// Containerfile, else Dockerfile, in the context (Podman's preference).
fn default_dockerfile(context: &Path) -> Result<PathBuf> {
    for name in ["Containerfile", "Dockerfile"] {
        let p = context.join(name);
        if p.is_file() {
            return Ok(p);
        }
    }
    if !context.is_dir() {
        bail!("context directory {} does not exist", context.display());
    }
    bail!(
        "no Containerfile or Dockerfile specified or found in context directory, {}: no such file or directory",
        context.display()
    )
}

/// `build -`: stdin holds a context tarball (plain or compressed), or a Dockerfile with no
/// context at all.
fn context_from_stdin(dir: &Path, file: Option<&Path>) -> Result<(PathBuf, DockerfileSource)> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let spool = dir.join("stdin");
    {
        let mut out = std::fs::File::create(&spool)
            .with_context(|| format!("creating {}", spool.display()))?;
        std::io::copy(&mut std::io::stdin().lock(), &mut out).context("reading stdin")?;
    }
    let context = dir.join("context");
    if let Some(tar) = build::open_archive(&spool, &dir.join("scratch"))? {
        build::context::BuildContext::from_tar(tar, &context, file)?;
        let _ = std::fs::remove_dir_all(dir.join("scratch"));
        let _ = std::fs::remove_file(&spool);
        let file = match file {
            Some(f) => context.join(f),
            None => default_dockerfile(&context)?,
        };
        return Ok((context, DockerfileSource::File(file)));
    }
    let text = std::fs::read_to_string(&spool).context("reading the Containerfile from stdin")?;
    std::fs::create_dir_all(&context)?;
    Ok((
        context,
        DockerfileSource::Text {
            name: "stdin".into(),
            text,
        },
    ))
}

/// `--build-arg` and `--build-arg-file` values; later ones win.
fn build_args(a: &BuildArgs) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for file in &a.build_arg_file {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("reading build args from {}", file.display()))?;
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            push_build_arg(&mut out, line);
        }
    }
    for arg in &a.build_arg {
        push_build_arg(&mut out, arg);
    }
    Ok(out)
}

fn push_build_arg(out: &mut Vec<(String, String)>, arg: &str) {
    match arg.split_once('=') {
        Some((k, v)) => out.push((k.to_string(), v.to_string())),
        None => {
            if let Ok(v) = std::env::var(arg) {
                out.push((arg.to_string(), v));
            }
        }
    }
}

fn key_values(list: &[String], flag: &str) -> Result<Vec<(String, String)>> {
    list.iter()
        .map(|kv| match kv.split_once('=') {
            Some(("", _)) => bail!("invalid {flag} {kv:?}: the key is empty"),
            Some((k, v)) => Ok((k.to_string(), v.to_string())),
            None => Ok((kv.clone(), String::new())),
        })
        .collect()
}

/// `--env NAME=VALUE`, or `--env NAME` taking the value from our environment.
fn env_values(list: &[String]) -> Vec<(String, String)> {
    list.iter()
        .filter_map(|kv| match kv.split_once('=') {
            Some((k, v)) => Some((k.to_string(), v.to_string())),
            None => std::env::var(kv).ok().map(|v| (kv.clone(), v)),
        })
        .collect()
}

pub fn builder_prune(a: BuilderPruneArgs, g: &Globals) -> Result<u8> {
    if !a.force && !crate::format::confirm("WARNING! This will remove all build cache.")? {
        return Ok(0);
    }
    let store = g.store_for_writing()?;
    for id in images::prune::prune_build_cache(&store)? {
        println!("{id}");
    }
    Ok(0)
}
