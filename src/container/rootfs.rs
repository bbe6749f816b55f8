//! Seeing a container's files from outside it, for diff, export, cp and commit: a child
//! process mounts the merged view in a mount namespace of its own (rootless: inside the
//! store's user namespace), so no mount is ever visible on the host or left behind.
//!
//! The mount is `nodev,nosuid`: whatever the container made, reading its files from here
//! can never open a device. Paths below the root belong to the container: resolve them
//! relative to the root's fd (openat2 RESOLVE_IN_ROOT, or fd walks with O_NOFOLLOW), never
//! by joining them onto the mount point.

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
    mount_and_run(store, c, false, f)
}

/// Like [`with_merged_root`], writable: the container's own upper dir takes the changes.
/// Only for a container that is not running (its overlay is not mounted elsewhere).
pub fn with_writable_root(
    store: &Store,
    c: &Found,
    f: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    mount_and_run(store, c, true, f)
}

fn mount_and_run(
    store: &Store,
    c: &Found,
    writable: bool,
    f: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    let mut lowers: Vec<PathBuf> = Vec::new();
    if !writable {
        lowers.push(c.paths.upper());
    }
    lowers.extend(store.lower_dirs(&c.record.layers));
    let (upper, work) = (c.paths.upper(), c.paths.work());
    let target = c.paths.rootfs();
    let rootless = store.config().rootless;
    sys::process::run_in_child(move || {
        sys::mount::enter_private_mount_ns(rootless)?;
        let upper = writable.then_some((upper.as_path(), work.as_path()));
        sys::mount::mount_overlay(&target, &lowers, upper, rootless)
            .with_context(|| format!("mounting the container's files at {}", target.display()))?;
        use rustix::mount::MountFlags;
        let mut flags = MountFlags::BIND | MountFlags::NODEV | MountFlags::NOSUID;
        if !writable {
            flags |= MountFlags::RDONLY;
        }
        rustix::mount::mount_remount(&target, flags, "")
            .context("making the container's files nodev,nosuid")?;
        f(&target)
    })
}
