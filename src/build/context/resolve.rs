//! COPY source lookup: cleaning, wildcard expansion and symlink resolution inside the
//! context root, over the tree as filtered by the ignore rules.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::fs::{self, Metadata};
use std::io;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};

use super::{BuildContext, ContextEntry, NO_SOURCES, not_found, rule_path};
use crate::build::ignore::filepath_match;
use crate::layer::fsat::sorted_names;

/// BuildKit's (and continuity's) limit on symlinks followed while resolving one path.
const MAX_LINKS: usize = 255;

/// A path that exists in the filtered context, resolved to a symlink-free location.
pub(super) struct Found {
    /// Relative to the root; empty for the root.
    pub path: PathBuf,
    pub metadata: Metadata,
}

impl BuildContext {
    /// One source pattern's entries.
    pub(super) fn resolve_source(&self, pattern: &str) -> Result<Vec<ContextEntry>> {
        let components = clean_source(pattern)?;
        let Some(split) = components.iter().position(|c| contains_wildcards(c)) else {
            let source: PathBuf = components.iter().collect();
            let found = self.lookup(&source)?.ok_or_else(|| not_found(&source))?;
            return Ok(vec![entry(source, found)]);
        };
        let base: PathBuf = components[..split].iter().collect();
        let rest = components[split..].join("/");
        // Go's Match checks the whole pattern's syntax even when it fails early.
        filepath_match(&rest, "").map_err(|e| anyhow!("COPY source {pattern:?}: {e:#}"))?;

        let matches = match self.lookup(&base)? {
            Some(found) if found.metadata.is_dir() => self.match_below(&found.path, &rest)?,
            _ => Vec::new(),
        };
        if matches.is_empty() {
            bail!("{NO_SOURCES}");
        }
        matches
            .into_iter()
            .map(|source| {
                // A matched symlink that leads nowhere (or to an excluded path) is an error,
                // as BuildKit's checksum of the followed link is.
                let found = self.lookup(&source)?.ok_or_else(|| not_found(&source))?;
                Ok(entry(source, found))
            })
            .collect()
    }

    /// Resolves `path` (clean, relative) inside the root, following every symlink on the
    /// way, the last component's included, as if the root were `/`. None if it does not
    /// exist in the filtered context.
    pub(super) fn lookup(&self, path: &Path) -> Result<Option<Found>> {
        let mut todo: VecDeque<OsString> = path
            .components()
            .filter_map(|c| match c {
                Component::Normal(name) => Some(name.to_os_string()),
                _ => None,
            })
            .collect();
        let mut done = PathBuf::new();
        let mut metadata = None;
        let mut links = 0;
        while let Some(name) = todo.pop_front() {
            if name == ".." {
                // `done` holds no symlink, so going up is going to its real parent.
                done.pop();
                metadata = None;
                continue;
            }
            let candidate = done.join(&name);
            let Some(meta) = self.lstat_present(&candidate)? else {
                return Ok(None);
            };
            if !meta.file_type().is_symlink() {
                done = candidate;
                metadata = Some(meta);
                continue;
            }
            links += 1;
            if links > MAX_LINKS {
                bail!(
                    "COPY source {}: too many levels of symbolic links",
                    path.display()
                );
            }
            let abs = self.root.join(&candidate);
            let target =
                fs::read_link(&abs).with_context(|| format!("reading link {}", abs.display()))?;
            if target.has_root() {
                done = PathBuf::new();
            }
            for part in target.components().rev() {
                match part {
                    Component::Normal(n) => todo.push_front(n.to_os_string()),
                    Component::ParentDir => todo.push_front("..".into()),
                    _ => {}
                }
            }
        }
        let metadata = match metadata {
            Some(m) => m,
            None => {
                let abs = self.root.join(&done);
                fs::symlink_metadata(&abs).with_context(|| format!("reading {}", abs.display()))?
            }
        };
        if metadata.is_dir() && !self.dir_visible(&done)? {
            return Ok(None);
        }
        Ok(Some(Found {
            path: done,
            metadata,
        }))
    }

    /// The lstat of a context path if it can be there: missing, or excluded (a directory
    /// only if no `!` pattern may re-include something below it) is None. Whether such a
    /// directory really holds something re-included is settled at the end of a lookup.
    fn lstat_present(&self, path: &Path) -> Result<Option<Metadata>> {
        let abs = self.root.join(path);
        let meta = match fs::symlink_metadata(&abs) {
            Ok(m) => m,
            Err(e) if is_missing(&e) => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("reading {}", abs.display())),
        };
        let rule = rule_path(path);
        let gone = !meta.is_dir() || self.rules.can_skip_dir(&rule);
        if gone && self.rules.is_excluded(&rule) {
            return Ok(None);
        }
        Ok(Some(meta))
    }

    /// Whether directory `dir` is in the filtered context: not excluded, or holding
    /// something re-included.
    fn dir_visible(&self, dir: &Path) -> Result<bool> {
        let rule = rule_path(dir);
        if !self.rules.is_excluded(&rule) {
            return Ok(true);
        }
        if self.rules.can_skip_dir(&rule) {
            return Ok(false);
        }
        self.has_visible_descendant(dir)
    }

    /// The paths (relative to the root) below directory `base` whose path relative to
    /// `base` matches `pattern`, as fsutil's resolveWildcards finds them: a walk in name
    /// order without following symlinks, not descending into a match.
    fn match_below(&self, base: &Path, pattern: &str) -> Result<Vec<PathBuf>> {
        // Only `/`, or a class (which may match `/`), can match a separator, so deeper paths
        // cannot match and need no walk.
        let depth = 1 + pattern.matches(['/', '[']).count();
        let mut matches = Vec::new();
        self.match_in(base, Path::new(""), pattern, depth, &mut matches)?;
        Ok(matches)
    }

    fn match_in(
        &self,
        base: &Path,
        rel_dir: &Path,
        pattern: &str,
        depth: usize,
        matches: &mut Vec<PathBuf>,
    ) -> Result<()> {
        let dir = self.root.join(base).join(rel_dir);
        for name in sorted_names(&dir)? {
            let rel = rel_dir.join(&name);
            let path = base.join(&rel);
            let abs = self.root.join(&path);
            let meta =
                fs::symlink_metadata(&abs).with_context(|| format!("reading {}", abs.display()))?;
            let rule = rule_path(&path);
            let excluded = self.rules.is_excluded(&rule);
            // A bad pattern was refused before the walk.
            if filepath_match(pattern, &rel.to_string_lossy()).unwrap_or(false) {
                let visible = if meta.is_dir() {
                    self.dir_visible(&path)?
                } else {
                    !excluded
                };
                if visible {
                    matches.push(path);
                }
                continue;
            }
            let prunable = excluded && self.rules.can_skip_dir(&rule);
            if meta.is_dir() && depth > 1 && !prunable {
                self.match_in(base, &rel, pattern, depth - 1, matches)?;
            }
        }
        Ok(())
    }
}

fn entry(source: PathBuf, found: Found) -> ContextEntry {
    ContextEntry {
        source,
        is_dir: found.metadata.is_dir(),
        resolved: found.path,
    }
}

/// Whether a lookup error means "not there" (a missing name, or a file used as a directory).
fn is_missing(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    )
}

/// The components of a source path, cleaned lexically (Go's path.Clean under `/`): empty
/// and `.` components dropped, `..` taking one back. Climbing above the root is refused.
fn clean_source(source: &str) -> Result<Vec<&str>> {
    let mut components = Vec::new();
    for part in source.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if components.pop().is_none() {
                    bail!("COPY source {source:?} is outside the build context");
                }
            }
            _ => components.push(part),
        }
    }
    Ok(components)
}

/// fsutil's containsWildcards: a `*`, `?` or `[` not escaped by a backslash.
fn contains_wildcards(component: &str) -> bool {
    let mut bytes = component.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'\\' => {
                bytes.next();
            }
            b'*' | b'?' | b'[' => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn cleans_sources() {
        assert_eq!(clean_source("/a/./b/../c/").unwrap(), vec!["a", "c"]);
        assert!(clean_source("/").unwrap().is_empty());
        assert!(clean_source("a/..").unwrap().is_empty());
        for bad in ["..", "../x", "a/../../x", "/..", "./../x"] {
            let err = clean_source(bad).unwrap_err().to_string();
            assert_eq!(
                err,
                format!("COPY source {bad:?} is outside the build context")
            );
        }
    }

    #[test]
    fn finds_wildcards() {
        assert!(contains_wildcards("*.txt"));
        assert!(contains_wildcards("a?"));
        assert!(contains_wildcards("[ab]"));
        assert!(!contains_wildcards("plain"));
        assert!(!contains_wildcards(r"a\*b"));
        assert!(contains_wildcards(r"a\\*"));
    }
}
