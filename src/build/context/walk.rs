//! Walking a COPY source in the filtered context: what the COPY step packs into its layer
//! and what the checksum covers.

use std::fs::{self, Metadata};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{BuildContext, ContextEntry, rule_path};
use crate::layer::fsat::sorted_names;

/// One path a COPY source copies.
#[derive(Debug)]
pub struct WalkItem {
    /// Relative to the source; empty for the source itself.
    pub rel: PathBuf,
    /// Where it is on disk.
    pub path: PathBuf,
    /// Its lstat: a symlink inside a copied directory is a symlink here. For the source
    /// itself this is what the source resolved to, never a symlink.
    pub metadata: Metadata,
}

/// A callback that may end the walk early.
type Visitor<'a> = dyn FnMut(&WalkItem) -> Result<ControlFlow<()>> + 'a;

impl BuildContext {
    /// Calls `f` for the source and, for a directory, for everything below it that is in
    /// the filtered context: depth first, parents before children, names in byte order.
    /// A directory that is excluded but holds re-included paths comes (just before the
    /// first of them) as their parent, as BuildKit's context transfer sends it.
    pub fn walk(
        &self,
        entry: &ContextEntry,
        mut f: impl FnMut(&WalkItem) -> Result<()>,
    ) -> Result<()> {
        let path = self.root.join(&entry.resolved);
        let metadata =
            fs::symlink_metadata(&path).with_context(|| format!("reading {}", path.display()))?;
        let top = WalkItem {
            rel: PathBuf::new(),
            path,
            metadata,
        };
        f(&top)?;
        if !top.metadata.is_dir() {
            return Ok(());
        }
        let mut visit = |item: &WalkItem| f(item).map(|()| ControlFlow::Continue(()));
        // `visit` never asks to stop, so the flow is always Continue.
        let _flow = self.visit(&entry.resolved, Path::new(""), &mut Vec::new(), &mut visit)?;
        Ok(())
    }

    /// Whether anything below directory `dir` (relative to the root) is in the filtered
    /// context.
    pub(super) fn has_visible_descendant(&self, dir: &Path) -> Result<bool> {
        let mut stop = |_: &WalkItem| Ok(ControlFlow::Break(()));
        let flow = self.visit(dir, Path::new(""), &mut Vec::new(), &mut stop)?;
        Ok(flow.is_break())
    }

    /// Visits the children of `dir` (relative to the root; `rel_dir` is the same directory
    /// relative to the walked source). `pending` holds excluded ancestors not yet yielded:
    /// they are yielded only once something below them is.
    fn visit(
        &self,
        dir: &Path,
        rel_dir: &Path,
        pending: &mut Vec<WalkItem>,
        f: &mut Visitor<'_>,
    ) -> Result<ControlFlow<()>> {
        let abs_dir = self.root.join(dir);
        for name in sorted_names(&abs_dir)? {
            let context_path = dir.join(&name);
            let path = abs_dir.join(&name);
            let metadata = fs::symlink_metadata(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            let rule = rule_path(&context_path);
            let excluded = self.rules.is_excluded(&rule);
            let is_dir = metadata.is_dir();
            if excluded && (!is_dir || self.rules.can_skip_dir(&rule)) {
                continue;
            }
            let rel = rel_dir.join(&name);
            let item = WalkItem {
                rel: rel.clone(),
                path,
                metadata,
            };
            if excluded {
                let depth = pending.len();
                pending.push(item);
                let flow = self.visit(&context_path, &rel, pending, f)?;
                // Yielded or not, it is done with; if yielded, `pending` is shorter already.
                pending.truncate(depth);
                if flow.is_break() {
                    return Ok(flow);
                }
                continue;
            }
            for parent in pending.drain(..) {
                if f(&parent)?.is_break() {
                    return Ok(ControlFlow::Break(()));
                }
            }
            if f(&item)?.is_break() {
                return Ok(ControlFlow::Break(()));
            }
            if is_dir && self.visit(&context_path, &rel, pending, f)?.is_break() {
                return Ok(ControlFlow::Break(()));
            }
        }
        Ok(ControlFlow::Continue(()))
    }
}
