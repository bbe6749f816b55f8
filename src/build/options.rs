//! What `skiff build` was asked to do, as the CLI hands it over.

use std::path::PathBuf;

use anyhow::{Result, bail};

/// The Dockerfile: a file, or text read from stdin (`-f -`).
#[derive(Debug, Clone)]
pub enum DockerfileSource {
    File(PathBuf),
    Text { name: String, text: String },
}

/// When a base image is pulled (`--pull`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PullPolicy {
    #[default]
    Missing,
    Always,
    Never,
    Newer,
}

impl PullPolicy {
    /// `--pull[=policy]`; a bare `--pull` (or `true`) means always, `false` missing, as
    /// Podman reads it.
    pub fn parse(value: &str) -> Result<PullPolicy> {
        Ok(match value.to_ascii_lowercase().as_str() {
            "" | "true" | "always" => PullPolicy::Always,
            "false" | "missing" | "ifmissing" => PullPolicy::Missing,
            "never" => PullPolicy::Never,
            "newer" | "ifnewer" => PullPolicy::Newer,
            other => bail!("invalid pull policy {other:?}: want always, missing, never or newer"),
        })
    }
}

/// `--secret id=ID,src=PATH`.
#[derive(Debug, Clone)]
pub struct Secret {
    pub id: String,
    pub src: PathBuf,
}

impl Secret {
    /// `id=x,src=path` (also `source=`, `type=file`); without src the file is named by id.
    pub fn parse(value: &str) -> Result<Secret> {
        let mut id = None;
        let mut src = None;
        for part in value.split(',') {
            match part.split_once('=') {
                Some(("id", v)) => id = Some(v.to_string()),
                Some(("src" | "source", v)) => src = Some(PathBuf::from(v)),
                Some(("type", "file")) => {}
                Some(("env", _)) => {
                    bail!(
                        "invalid --secret {value:?}: env= secrets are not supported yet (use src=)"
                    )
                }
                _ => bail!("invalid --secret {value:?}: want id=ID,src=PATH"),
            }
        }
        let Some(id) = id.filter(|i| !i.is_empty()) else {
            bail!("invalid --secret {value:?}: id= is required");
        };
        let src = src.unwrap_or_else(|| PathBuf::from(&id));
        Ok(Secret { id, src })
    }
}

/// Everything the build needs besides the store.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The context directory (a tarball from stdin is unpacked by the caller first).
    pub context_dir: PathBuf,
    pub dockerfile: DockerfileSource,
    /// `--ignorefile`: replaces the search for .containerignore/.dockerignore.
    pub ignore_file: Option<PathBuf>,
    /// Full image names, normalised.
    pub tags: Vec<String>,
    /// `--build-arg`s with their values (a bare name took its value from the environment).
    pub build_args: Vec<(String, String)>,
    pub target: Option<String>,
    pub no_cache: bool,
    pub pull: PullPolicy,
    /// `--layers` (default): one image, and one cache entry, per instruction. Without it
    /// (or with `--squash`) a stage's changes become a single new layer.
    pub layers: bool,
    /// `--squash-all`: the image built is one layer, base included.
    pub squash_all: bool,
    pub labels: Vec<(String, String)>,
    pub annotations: Vec<(String, String)>,
    /// `--env`: set in the image built.
    pub env: Vec<(String, String)>,
    pub unset_env: Vec<String>,
    pub quiet: bool,
    /// `--format docker`.
    pub docker_format: bool,
    pub secrets: Vec<Secret>,
    pub no_hosts: bool,
    /// RUN's network when the instruction does not say: host (default) or none.
    pub network_none: bool,
    /// `--timestamp`: created times and new files' mtimes, seconds since the epoch.
    pub timestamp: Option<i64>,
}
