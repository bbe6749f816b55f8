//! mount(2) with a raw flags word and a data string, as the OCI spec's option lists map to
//! them; the rest (pivot_root, umount, statvfs) is safe in rustix.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

fn cstring(bytes: &[u8]) -> std::io::Result<CString> {
    CString::new(bytes).map_err(|_| std::io::Error::from_raw_os_error(libc::EINVAL))
}

/// mount(source, target, fstype, flags, data). `None` passes NULL.
pub fn mount(
    source: Option<&Path>,
    target: &Path,
    fstype: Option<&str>,
    flags: u64,
    data: Option<&str>,
) -> std::io::Result<()> {
    let source = source
        .map(|s| cstring(s.as_os_str().as_bytes()))
        .transpose()?;
    let target = cstring(target.as_os_str().as_bytes())?;
    let fstype = fstype.map(|s| cstring(s.as_bytes())).transpose()?;
    let data = data.map(|s| cstring(s.as_bytes())).transpose()?;
    let ptr = |c: &Option<CString>| c.as_ref().map_or(std::ptr::null(), |c| c.as_ptr());
    // SAFETY: every pointer is NULL or a NUL-terminated string alive for the call.
    let rc = unsafe {
        libc::mount(
            ptr(&source),
            target.as_ptr(),
            ptr(&fstype),
            flags as libc::c_ulong,
            ptr(&data).cast(),
        )
    };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// The flags of the mount `path` lies on that a bind remount must keep (the kernel refuses to
/// clear nosuid/nodev/noexec/atime flags locked by a less privileged mount namespace), as
/// MS_* bits.
pub fn locked_mount_flags(path: &Path) -> std::io::Result<u64> {
    let st = rustix::fs::statvfs(path)?;
    use rustix::fs::StatVfsMountFlags as F;
    let table: [(F, u64); 7] = [
        (F::NOSUID, libc::MS_NOSUID),
        (F::NODEV, libc::MS_NODEV),
        (F::NOEXEC, libc::MS_NOEXEC),
        (F::NOATIME, libc::MS_NOATIME),
        (F::NODIRATIME, libc::MS_NODIRATIME),
        (F::RELATIME, libc::MS_RELATIME),
        (F::RDONLY, libc::MS_RDONLY),
    ];
    Ok(table
        .iter()
        .filter(|(f, _)| st.f_flag.contains(*f))
        .fold(0, |acc, (_, ms)| acc | *ms))
}

/// Moves the current (single-threaded) process into a mount namespace of its own, with no
/// propagation back to the host; rootless, into the store's user namespace first.
pub fn enter_private_mount_ns(rootless: bool) -> Result<()> {
    if rootless && !super::userns::in_store_userns() {
        super::userns::enter_store_userns()?; // unshares user and mount namespaces
    } else {
        #[allow(deprecated)]
        rustix::thread::unshare(rustix::thread::UnshareFlags::NEWNS)
            .context("creating a mount namespace")?;
    }
    rustix::mount::mount_change(
        "/",
        rustix::mount::MountPropagationFlags::PRIVATE | rustix::mount::MountPropagationFlags::REC,
    )
    .context("making mounts private")?;
    Ok(())
}

/// Mounts an overlay of `lowers` (top first) at `target`: read-only without `upper`
/// (an upper and a work directory), writable with it. Rootless overlays use `userxattr`.
pub fn mount_overlay(
    target: &Path,
    lowers: &[PathBuf],
    upper: Option<(&Path, &Path)>,
    rootless: bool,
) -> Result<()> {
    let list: Vec<String> = lowers.iter().map(|p| p.display().to_string()).collect();
    let mut data = format!("lowerdir={}", list.join(":"));
    if let Some((upper, work)) = upper {
        data.push_str(&format!(
            ",upperdir={},workdir={}",
            upper.display(),
            work.display()
        ));
    }
    if rootless {
        data.push_str(",userxattr");
    }
    let data = std::ffi::CString::new(data).context("overlay mount options")?;
    let flags = if upper.is_some() {
        rustix::mount::MountFlags::empty()
    } else {
        rustix::mount::MountFlags::RDONLY
    };
    rustix::mount::mount("overlay", target, "overlay", flags, Some(data.as_c_str()))
        .with_context(|| format!("mounting an overlay at {}", target.display()))?;
    Ok(())
}
