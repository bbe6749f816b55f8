//! Seeing a container's files from outside it, for diff, export, cp and commit: a child
//! process mounts the merged view in a mount namespace of its own (rootless: inside the
//! store's user namespace), so no mount is ever visible on the host or left behind.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rustix::mount::{MountFlags, MountPropagationFlags, mount, mount_change};

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
        enter_private_mount_ns(rootless)?;
        let list: Vec<String> = lowers.iter().map(|p| p.display().to_string()).collect();
        let mut data = format!("lowerdir={}", list.join(":"));
        if rootless {
            data.push_str(",userxattr");
        }
        let data = std::ffi::CString::new(data).context("overlay mount options")?;
        mount(
            "overlay",
            &target,
            "overlay",
            MountFlags::RDONLY,
            Some(data.as_c_str()),
        )
        .with_context(|| format!("mounting the container's files at {}", target.display()))?;
        f(&target)
    })
}

/// A mount namespace of our own, with no propagation back to the host.
pub fn enter_private_mount_ns(rootless: bool) -> Result<()> {
    if rootless && !sys::userns::in_store_userns() {
        sys::userns::enter_store_userns()?; // unshares user and mount namespaces
    } else {
        #[allow(deprecated)]
        rustix::thread::unshare(rustix::thread::UnshareFlags::NEWNS)
            .context("creating a mount namespace")?;
    }
    mount_change(
        "/",
        MountPropagationFlags::PRIVATE | MountPropagationFlags::REC,
    )
    .context("making mounts private")?;
    Ok(())
}
