//! What `skiff build` was asked to do, as the CLI hands it over.

use std::path::PathBuf;

use anyhow::{Result, bail};

/// The Dockerfile: a file, or text read from stdin (`-f -`).
#[derive(Debug, Clone)]
pub enum DockerfileSource {
    File(PathBuf),
    Text { name: String, text: String },
}

pub use crate::images::pull_policy::PullPolicy;

/// `--secret id=ID,src=PATH` or `--secret id=ID,env=VAR`.
#[derive(Debug, Clone)]
pub struct Secret {
    pub id: String,
    pub source: SecretSource,
}

/// Where a secret's value is read when a RUN mounts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    File(PathBuf),
    /// An environment variable of the build command.
    Env(String),
}

impl Secret {
    /// `id=x,src=path` (also `source=`, `type=file`), `id=x,env=VAR` (`type=env`); with
    /// neither, the variable named by the id if it is set, else the file named by it
    /// (BuildKit's rule).
    pub fn parse(value: &str) -> Result<Secret> {
        let mut id = None;
        let mut source = None;
        for part in value.split(',') {
            match part.split_once('=') {
                Some(("id", v)) => id = Some(v.to_string()),
                Some(("src" | "source", v)) => source = Some(SecretSource::File(PathBuf::from(v))),
                Some(("env", v)) => source = Some(SecretSource::Env(v.to_string())),
                Some(("type", "file" | "env")) => {}
                _ => bail!("invalid --secret {value:?}: want id=ID,src=PATH or id=ID,env=VAR"),
            }
        }
        let Some(id) = id.filter(|i| !i.is_empty()) else {
            bail!("invalid --secret {value:?}: id= is required");
        };
        let source = source.unwrap_or_else(|| {
            if std::env::var_os(&id).is_some() {
                SecretSource::Env(id.clone())
            } else {
                SecretSource::File(PathBuf::from(&id))
            }
        });
        Ok(Secret { id, source })
    }

    /// The secret's value.
    pub fn read(&self) -> Result<Vec<u8>> {
        match &self.source {
            SecretSource::File(path) => std::fs::read(path).map_err(|e| {
                anyhow::anyhow!("reading secret {:?} from {}: {e}", self.id, path.display())
            }),
            SecretSource::Env(var) => match std::env::var_os(var) {
                Some(v) => Ok(std::os::unix::ffi::OsStrExt::as_bytes(v.as_os_str()).to_vec()),
                None => bail!(
                    "secret {:?}: environment variable {var} is not set",
                    self.id
                ),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_sources() {
        let s = Secret::parse("id=a,src=/tmp/x").unwrap();
        assert_eq!(s.source, SecretSource::File("/tmp/x".into()));
        let s = Secret::parse("id=a,env=TOKEN").unwrap();
        assert_eq!(s.source, SecretSource::Env("TOKEN".into()));
        let s = Secret::parse("type=env,id=a,env=TOKEN").unwrap();
        assert_eq!(s.source, SecretSource::Env("TOKEN".into()));
        assert!(Secret::parse("src=/x").is_err());
        assert!(Secret::parse("id=a,bogus=1").is_err());
        // With no source: the variable named by the id when set (PATH is), else a file.
        let s = Secret::parse("id=PATH").unwrap();
        assert_eq!(s.source, SecretSource::Env("PATH".into()));
        let s = Secret::parse("id=skiff-no-such-variable").unwrap();
        assert_eq!(
            s.source,
            SecretSource::File("skiff-no-such-variable".into())
        );
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
    /// `--platform`/`--os`/`--arch`/`--variant`: what base images must be (FROM --platform
    /// overrides it per stage). The host's when not given.
    pub platform: crate::images::pull::PlatformWanted,
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
