//! The build context of `skiff build`: the directory (or the tarball from `skiff build -`)
//! that COPY and ADD read from, seen through its ignore file, the way BuildKit sees a local
//! context after it has been sent to the builder.
//!
//! Visibility. BuildKit leaves excluded paths out when it transfers the context, so for
//! COPY they do not exist at all: an excluded file is as if absent. A directory is there if
//! it is not excluded, or if something below it is re-included by a `!` pattern (it then
//! holds only what is re-included). Everything here (source lookup, wildcards, symlinks,
//! the walk and the checksum) works on that filtered tree.
//!
//! Sources ([`BuildContext::resolve_sources`], BuildKit's dockerfile2llb -> `llb.Copy` with
//! FollowSymlinks, AllowWildcard; fsutil's `copy.Copy` and contenthash):
//! - a source is relative to the context root; a leading `/` means the root. It is cleaned
//!   lexically first (`a/./b/../c` is `a/c`). A `..` that climbs above the root is refused
//!   ("COPY source X is outside the build context"), as the classic builder did; BuildKit
//!   silently clamps it to the root, which hides a mistake.
//! - wildcards (`*`, `?`, `[...]`, `\` escapes) use Go's filepath.Match. As in fsutil, the
//!   source is split at the first component that holds a wildcard: the part before it is
//!   looked up (following symlinks), and the rest is matched against paths below it, which
//!   are walked without following symlinks, in name order; a matched directory is not
//!   searched further. So `*` never crosses `/`, and `dir/*/f` matches `dir/x/f` only.
//! - symlinks: the whole source path, its last component included, is resolved as if the
//!   context root were `/` (BuildKit's RootPath / getFollowLinks): absolute targets start at
//!   the root, `..` stops there, at most 255 links. Inside a copied directory links are not
//!   followed: the walk yields them as links. A link to an excluded or missing path is
//!   missing.
//! - a source that names nothing is an error: `COPY failed: file not found in build context
//!   or excluded by .dockerignore: stat X: file does not exist` (Docker's words; BuildKit says
//!   `"/X": not found`). A wildcard that matches nothing is `COPY failed: no source files were
//!   specified`, as in Docker's classic builder and Buildah; BuildKit's Dockerfile frontend
//!   allows an empty wildcard instead (AllowEmptyWildcard) and copies nothing.
//!
//! The walk ([`BuildContext::walk`]) yields a source and, for a directory, everything below
//! it, depth first, names in byte order, skipping excluded paths (whole directories at once
//! when no `!` pattern could re-include something inside, see `IgnoreRules::can_skip_dir`).
//!
//! The checksum ([`BuildContext::checksum`]) is the cache key's view of the sources: see
//! checksum.rs for exactly what it covers and why.
//!
//! A tarball context ([`BuildContext::from_tar`]) is unpacked into a directory first (see
//! untar.rs) and then treated like any other, its own ignore file included (as Podman does).
//!
//! Paths are matched against ignore patterns as UTF-8; a name that is not valid UTF-8 is
//! matched in its lossy form.

mod checksum;
mod resolve;
#[cfg(test)]
mod tests;
mod untar;
mod walk;

use std::borrow::Cow;
use std::ffi::OsStr;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::build::ignore::{IgnoreRules, find_ignore_file};

pub(crate) use checksum::copied_xattrs;
pub use walk::WalkItem;

/// A build context directory and the ignore rules that apply to it.
#[derive(Debug)]
pub struct BuildContext {
    /// Absolute, symlinks resolved.
    root: PathBuf,
    rules: IgnoreRules,
}

/// One COPY/ADD source after wildcard expansion and symlink resolution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextEntry {
    /// As matched, relative to the root, symlinks not resolved; empty for the root.
    source: PathBuf,
    /// Where it resolved to, relative to the root, with no symlink in it; empty for the root.
    resolved: PathBuf,
    is_dir: bool,
}

impl ContextEntry {
    /// The source as named (after wildcard expansion), relative to the context root, `.` for
    /// the root itself. COPY names a file copied into a directory after its last component.
    pub fn source(&self) -> &Path {
        shown(&self.source)
    }

    /// The file name COPY gives this source inside a destination directory; None for the
    /// context root (a directory, whose contents are copied).
    pub fn name(&self) -> Option<&OsStr> {
        self.source.file_name()
    }

    /// Where the source resolved to after following symlinks, relative to the context root
    /// (`.` for the root).
    pub fn resolved(&self) -> &Path {
        shown(&self.resolved)
    }

    /// Whether the source is a directory, so COPY copies its contents rather than itself.
    pub fn is_dir(&self) -> bool {
        self.is_dir
    }
}

impl BuildContext {
    /// Opens the context directory `dir` with the ignore file that applies to it (see
    /// `find_ignore_file`; a relative `dockerfile` is taken relative to `dir`).
    pub fn open(dir: &Path, dockerfile: Option<&Path>) -> Result<BuildContext> {
        let root = context_root(dir)?;
        let rules = match find_ignore_file(&root, dockerfile) {
            Some(file) => IgnoreRules::load(&file)?,
            None => IgnoreRules::default(),
        };
        Ok(BuildContext { root, rules })
    }

    /// Opens the context directory `dir` with rules given by the caller (`--ignorefile`,
    /// which replaces the search for an ignore file).
    pub fn with_rules(dir: &Path, rules: IgnoreRules) -> Result<BuildContext> {
        Ok(BuildContext {
            root: context_root(dir)?,
            rules,
        })
    }

    /// Unpacks a context tarball (plain, gzip or zstd; `skiff build -`) into `dest`, an
    /// empty directory the caller owns and removes afterwards, and opens it. Entries that
    /// would land outside `dest` are refused; see untar.rs.
    pub fn from_tar(
        reader: impl Read,
        dest: &Path,
        dockerfile: Option<&Path>,
    ) -> Result<BuildContext> {
        fs::create_dir_all(dest)
            .with_context(|| format!("creating context directory {}", dest.display()))?;
        untar::unpack(reader, dest)?;
        BuildContext::open(dest, dockerfile)
    }

    /// The context directory (absolute, symlinks resolved).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The sources of one COPY/ADD, in order: each pattern's matches, in name order for a
    /// wildcard. See the module comment for the rules.
    pub fn resolve_sources(&self, patterns: &[String]) -> Result<Vec<ContextEntry>> {
        if patterns.is_empty() {
            bail!("{NO_SOURCES}");
        }
        let mut entries = Vec::new();
        for pattern in patterns {
            entries.extend(self.resolve_source(pattern)?);
        }
        Ok(entries)
    }
}

const NO_SOURCES: &str = "COPY failed: no source files were specified";

/// The error for a source that does not exist in the (filtered) context.
fn not_found(source: &Path) -> anyhow::Error {
    anyhow::anyhow!(
        "COPY failed: file not found in build context or excluded by .dockerignore: \
         stat {}: file does not exist",
        shown(source).display()
    )
}

/// Checks that `dir` is a directory and returns its canonical path.
fn context_root(dir: &Path) -> Result<PathBuf> {
    match fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => bail!("context directory {} is not a directory", dir.display()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            bail!("context directory {} does not exist", dir.display())
        }
        Err(e) => {
            return Err(e).with_context(|| format!("opening context directory {}", dir.display()));
        }
    }
    dir.canonicalize()
        .with_context(|| format!("opening context directory {}", dir.display()))
}

/// `.` for the empty path that stands for the context root.
fn shown(path: &Path) -> &Path {
    if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    }
}

/// A context path as the ignore rules take it (relative, `/`-separated).
fn rule_path(path: &Path) -> Cow<'_, str> {
    path.to_string_lossy()
}
