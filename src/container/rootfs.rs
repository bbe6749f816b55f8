//! Seeing a container's files from outside it, for diff, export, cp and commit: a child
//! process mounts the merged view in a mount namespace of its own (rootless: inside the
//! store's user namespace), so no mount is ever visible on the host or left behind.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::Found;
use crate::store::Store;
use crate::sys;

/// Run `f` in a child with the container's merged root mounted (read-only, so it also
/// works while the container runs: its upper dir is then just one more lower layer).
pub fn with_merged_root(
    store: &Store,
    c: &Found,
    f: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    let mut lowers: Vec<PathBuf> = vec![c.paths.upper()];
    lowers.extend(store.lower_dirs(&c.record.layers));
    let target = c.paths.rootfs();
    let rootless = store.config().rootless;
    sys::process::run_in_child(move || {
        sys::mount::enter_private_mount_ns(rootless)?;
        sys::mount::mount_overlay(&target, &lowers, None, rootless)
            .with_context(|| format!("mounting the container's files at {}", target.display()))?;
        f(&target)
    })
}
