//! The container's filesystem, built inside its new mount namespace: the rootfs (overlay or a
//! self bind), the spec's mounts in order, /dev's nodes and links, the pivot, and the masked
//! and read-only paths.
//!
//! Mount points inside the rootfs are created and resolved with openat2(RESOLVE_IN_ROOT), so a
//! symlink planted by an image (`/proc -> /etc`) resolves inside the rootfs, never on the host.
//! The resolved mount point is held open and mount(2) is given `/proc/self/fd/N` (runc's way):
//! the kernel mounts on that very inode, so a path swapped after the resolution (another
//! container sharing a volume can plant a symlink at any moment) cannot redirect the mount.
//! After a mount, the point is resolved again inside the root for the remounts that follow.

use std::os::fd::{AsFd, OwnedFd};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};
use oci_spec::runtime::{LinuxNamespaceType, Mount, Spec};
use rustix::fs::{Mode, OFlags, ResolveFlags};

use super::RuntimeExtras;
use crate::sys::mount::{locked_mount_flags, mount};

const MS_BIND: u64 = libc::MS_BIND;
const MS_REC: u64 = libc::MS_REC;
const MS_RDONLY: u64 = libc::MS_RDONLY;
const MS_REMOUNT: u64 = libc::MS_REMOUNT;
const MS_PRIVATE: u64 = libc::MS_PRIVATE;

/// Facts about the container that decide how some mounts are made.
pub(super) struct MountContext<'a> {
    pub spec: &'a Spec,
    pub own_userns: bool,
    pub own_netns: bool,
    pub own_ipcns: bool,
}

impl MountContext<'_> {
    fn gid_mapped(&self, gid: u32) -> bool {
        if !self.own_userns {
            return true;
        }
        let maps = self
            .spec
            .linux()
            .as_ref()
            .and_then(|l| l.gid_mappings().clone());
        maps.unwrap_or_default()
            .iter()
            .any(|m| gid >= m.container_id() && gid - m.container_id() < m.size())
    }
}

/// Makes every mount of the new namespace private, so nothing we mount propagates to the host.
pub(super) fn make_mounts_private() -> Result<()> {
    mount(None, Path::new("/"), None, MS_REC | MS_PRIVATE, None).context("making mounts private")
}

/// Mounts the rootfs at `spec.root.path`: an overlay of the extras' lower dirs, or a bind of the
/// directory onto itself (pivot_root needs a mount point).
pub(super) fn mount_rootfs(rootfs: &Path, extras: &RuntimeExtras) -> Result<()> {
    if extras.lower_dirs.is_empty() {
        return mount(Some(rootfs), rootfs, None, MS_BIND | MS_REC, None)
            .with_context(|| format!("bind mounting the rootfs {}", rootfs.display()));
    }
    let upper = Some((extras.upper_dir.as_path(), extras.work_dir.as_path()));
    crate::sys::mount::mount_overlay(rootfs, &extras.lower_dirs, upper, extras.rootless)
        .context("mounting the overlay rootfs")
}

/// Makes the rootfs `nodev`: a device node an image ships (or a container makes with mknod
/// outside /dev) cannot be opened. The nodes skiff provides live on the /dev tmpfs, which
/// is a mount of its own and allows devices; `--privileged` (every device allowed by the
/// spec's device rules) keeps the image's nodes working, as with Podman.
pub(super) fn rootfs_nodev(rootfs: &Path, spec: &Spec) -> Result<()> {
    if super::cgroup::devices_unrestricted(spec) {
        return Ok(());
    }
    remount_bind(rootfs, libc::MS_NODEV).context("remounting the rootfs nodev")
}

/// An O_PATH descriptor of the rootfs, for resolving paths inside it.
pub(super) fn open_root(rootfs: &Path) -> Result<OwnedFd> {
    rustix::fs::open(
        rootfs,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .with_context(|| format!("opening the rootfs {}", rootfs.display()))
}

const RESOLVE: ResolveFlags = ResolveFlags::IN_ROOT.union(ResolveFlags::NO_MAGICLINKS);

fn open_in_root(root: &OwnedFd, path: &Path, flags: OFlags) -> rustix::io::Result<OwnedFd> {
    let rel = path.strip_prefix("/").unwrap_or(path);
    let rel = if rel.as_os_str().is_empty() {
        Path::new(".")
    } else {
        rel
    };
    rustix::fs::openat2(root, rel, flags | OFlags::CLOEXEC, Mode::empty(), RESOLVE)
}

/// A mount point inside the rootfs, held open by an O_PATH descriptor.
struct Target<'a> {
    root: &'a OwnedFd,
    dest: PathBuf,
    fd: OwnedFd,
}

impl<'a> Target<'a> {
    /// What mount(2) is given: the descriptor's magic link, never a path to walk again.
    fn path(&self) -> PathBuf {
        PathBuf::from(format!(
            "/proc/self/fd/{}",
            std::os::fd::AsRawFd::as_raw_fd(&self.fd)
        ))
    }

    /// The same point after something was mounted on it: resolved again inside the root,
    /// so the descriptor is the new mount's root (for remounts and propagation).
    fn reopen(self) -> Result<Target<'a>> {
        let fd = open_in_root(self.root, &self.dest, OFlags::PATH)
            .with_context(|| format!("resolving {}", self.dest.display()))?;
        Ok(Target { fd, ..self })
    }
}

/// Creates `dest` (a directory, or an empty file when `file`) inside the rootfs with its
/// missing parents, resolving every step inside the root, and returns it held open.
fn mount_point<'a>(root: &'a OwnedFd, dest: &Path, file: bool) -> Result<Target<'a>> {
    let mut dir = Path::new("/").to_path_buf();
    let parts: Vec<_> = dest
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let next = dir.join(part);
        match open_in_root(root, &next, OFlags::PATH) {
            Ok(_) => {}
            Err(rustix::io::Errno::NOENT) => {
                let parent = open_in_root(root, &dir, OFlags::PATH | OFlags::DIRECTORY)
                    .with_context(|| format!("opening {}", dir.display()))?;
                create_entry(&parent, part.as_os_str(), last && file)
                    .with_context(|| format!("creating mount point {}", next.display()))?;
            }
            Err(e) => return Err(e).with_context(|| format!("resolving {}", next.display())),
        }
        dir = next;
    }
    let fd = open_in_root(root, &dir, OFlags::PATH)
        .with_context(|| format!("resolving {}", dir.display()))?;
    Ok(Target {
        root,
        dest: dir,
        fd,
    })
}

fn create_entry(parent: &OwnedFd, name: &std::ffi::OsStr, file: bool) -> rustix::io::Result<()> {
    let result = if file {
        let flags = OFlags::CREATE | OFlags::EXCL | OFlags::WRONLY | OFlags::NOFOLLOW;
        rustix::fs::openat(
            parent,
            name,
            flags | OFlags::CLOEXEC,
            Mode::from_raw_mode(0o644),
        )
        .map(drop)
    } else {
        rustix::fs::mkdirat(parent, name, Mode::from_raw_mode(0o755))
    };
    match result {
        Err(rustix::io::Errno::EXIST) => Ok(()),
        other => other,
    }
}

/// Mount flags and the rest of an OCI option list.
#[derive(Debug, Default, PartialEq)]
struct MountOptions {
    flags: u64,
    propagation: Vec<u64>,
    data: Vec<String>,
}

impl MountOptions {
    fn bind(&self) -> bool {
        self.flags & MS_BIND != 0
    }
}

fn parse_options(options: &[String]) -> MountOptions {
    let mut out = MountOptions::default();
    for opt in options {
        let (set, clear): (u64, u64) = match opt.as_str() {
            "ro" => (MS_RDONLY, 0),
            "rw" => (0, MS_RDONLY),
            "nosuid" => (libc::MS_NOSUID, 0),
            "suid" => (0, libc::MS_NOSUID),
            "nodev" => (libc::MS_NODEV, 0),
            "dev" => (0, libc::MS_NODEV),
            "noexec" => (libc::MS_NOEXEC, 0),
            "exec" => (0, libc::MS_NOEXEC),
            "sync" => (libc::MS_SYNCHRONOUS, 0),
            "async" => (0, libc::MS_SYNCHRONOUS),
            "dirsync" => (libc::MS_DIRSYNC, 0),
            "noatime" => (libc::MS_NOATIME, 0),
            "atime" => (0, libc::MS_NOATIME),
            "nodiratime" => (libc::MS_NODIRATIME, 0),
            "diratime" => (0, libc::MS_NODIRATIME),
            "relatime" => (libc::MS_RELATIME, 0),
            "norelatime" => (0, libc::MS_RELATIME),
            "strictatime" => (libc::MS_STRICTATIME, 0),
            "bind" => (MS_BIND, 0),
            "rbind" => (MS_BIND | MS_REC, 0),
            "private" | "rprivate" | "shared" | "rshared" | "slave" | "rslave" | "unbindable"
            | "runbindable" => {
                let base = match opt.trim_start_matches('r') {
                    "private" => libc::MS_PRIVATE,
                    "shared" => libc::MS_SHARED,
                    "slave" => libc::MS_SLAVE,
                    _ => libc::MS_UNBINDABLE,
                };
                let rec = if opt.starts_with('r') { MS_REC } else { 0 };
                out.propagation.push(base | rec);
                continue;
            }
            // Podman's own options (relabel, copy-up, idmap): nothing for the kernel.
            "defaults" | "z" | "Z" | "U" | "tmpcopyup" | "notmpcopyup" | "copy" | "nocopy" => {
                continue;
            }
            _ => {
                out.data.push(opt.clone());
                continue;
            }
        };
        out.flags = (out.flags | set) & !clear;
    }
    out
}

/// Mounts the spec's mounts, in order, inside the rootfs.
pub(super) fn mount_spec_mounts(root: &OwnedFd, ctx: &MountContext) -> Result<()> {
    for m in ctx.spec.mounts().as_deref().unwrap_or_default() {
        let dest = m.destination();
        mount_one(root, m, ctx).with_context(|| format!("mounting {}", dest.display()))?;
    }
    Ok(())
}

fn mount_one(root: &OwnedFd, m: &Mount, ctx: &MountContext) -> Result<()> {
    let mut opts = parse_options(m.options().as_deref().unwrap_or_default());
    let typ = m.typ().as_deref().unwrap_or("none");
    if opts.bind() || typ == "bind" {
        opts.flags |= MS_BIND;
        let source = m
            .source()
            .as_deref()
            .context("a bind mount needs a source")?;
        return bind_mount(root, source, m.destination(), &opts);
    }
    let target = mount_point(root, m.destination(), false)?;
    match typ {
        "sysfs" if ctx.own_userns && !ctx.own_netns => {
            // sysfs needs a network namespace of our own: lend the host's, read-only.
            return bind_host_tree(Path::new("/sys"), target);
        }
        "cgroup" | "cgroup2" => {
            // No cgroup namespace management here: show the host's hierarchy read-only.
            if Path::new("/sys/fs/cgroup").is_dir() {
                return bind_host_tree(Path::new("/sys/fs/cgroup"), target);
            }
            return Ok(());
        }
        "devpts" if !ctx.gid_mapped(5) => {
            opts.data.retain(|o| !o.starts_with("gid="));
        }
        "mqueue" if !ctx.own_ipcns => {
            // Only the owner of the ipc namespace may mount mqueue: lend the host's, if any.
            let host = Path::new("/dev/mqueue");
            if !host.is_dir() {
                log::debug!("no /dev/mqueue on the host: skipping the mqueue mount");
                return Ok(());
            }
            return bind_host_tree(host, target);
        }
        _ => {}
    }
    // Overlays of many layers do not fit mount(2)'s one page of options.
    // nodev/nosuid/noexec (RUN --mount of an image's layers) are applied by a remount.
    let restricting = libc::MS_NODEV | libc::MS_NOSUID | libc::MS_NOEXEC;
    if typ == "overlay"
        && opts.flags & !(MS_RDONLY | restricting) == 0
        && crate::sys::mount::mount_overlay_options(
            &target.path(),
            opts.flags & MS_RDONLY != 0,
            &opts.data,
        )?
    {
        let target = target.reopen()?;
        if opts.flags & restricting != 0 {
            remount_bind(&target.path(), opts.flags & (restricting | MS_RDONLY)).with_context(
                || format!("restricting the overlay at {}", m.destination().display()),
            )?;
        }
        return apply_propagation(&target, &opts);
    }
    let source = m.source().clone().unwrap_or_else(|| PathBuf::from(typ));
    let data = opts.data.join(",");
    let data = (!data.is_empty()).then_some(data.as_str());
    let result = mount(Some(&source), &target.path(), Some(typ), opts.flags, data);
    match result {
        Err(e) if e.raw_os_error() == Some(libc::EPERM) && typ == "sysfs" => {
            // A network namespace we do not own (joined): fall back as above.
            return bind_host_tree(Path::new("/sys"), target);
        }
        other => other?,
    }
    apply_propagation(&target.reopen()?, &opts)
}

fn bind_mount(root: &OwnedFd, source: &Path, dest: &Path, opts: &MountOptions) -> Result<()> {
    let meta =
        std::fs::metadata(source).with_context(|| format!("bind source {}", source.display()))?;
    let target = mount_point(root, dest, !meta.is_dir())?;
    mount(
        Some(source),
        &target.path(),
        None,
        opts.flags & (MS_BIND | MS_REC),
        None,
    )?;
    let target = target.reopen()?;
    let extra = opts.flags & !(MS_BIND | MS_REC);
    if extra != 0 {
        remount_bind(&target.path(), extra)?;
    }
    // rbind brings the source's submounts along; ro, nosuid, nodev and noexec must hold for
    // them too (`-v /srv:/x:ro` with a mount below /srv), as Docker's recursive read-only.
    let restrict = |flag| extra & flag != 0;
    if opts.flags & MS_REC != 0
        && (restrict(MS_RDONLY)
            || restrict(libc::MS_NOSUID)
            || restrict(libc::MS_NODEV)
            || restrict(libc::MS_NOEXEC))
    {
        let applied = crate::sys::mount::set_tree_attributes(
            &target.path(),
            restrict(MS_RDONLY),
            restrict(libc::MS_NOSUID),
            restrict(libc::MS_NODEV),
            restrict(libc::MS_NOEXEC),
        )
        .with_context(|| format!("restricting the mounts below {}", dest.display()))?;
        if !applied {
            log::debug!(
                "no mount_setattr: submounts of {} keep their flags",
                dest.display()
            );
        }
    }
    apply_propagation(&target, opts)
}

/// Remounts a bind mount with more flags, keeping those its source has (the kernel refuses to
/// drop nosuid/nodev/noexec locked by the mount namespace's owner).
fn remount_bind(target: &Path, flags: u64) -> Result<()> {
    let locked = locked_mount_flags(target).context("reading mount flags")?;
    mount(
        None,
        target,
        None,
        MS_REMOUNT | MS_BIND | flags | locked,
        None,
    )
    .context("remounting")
}

fn bind_host_tree(source: &Path, target: Target<'_>) -> Result<()> {
    mount(Some(source), &target.path(), None, MS_BIND | MS_REC, None)?;
    let target = target.reopen()?;
    remount_bind(
        &target.path(),
        MS_RDONLY | libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
    )
}

fn apply_propagation(target: &Target<'_>, opts: &MountOptions) -> Result<()> {
    for &flag in &opts.propagation {
        mount(None, &target.path(), None, flag, None).context("setting mount propagation")?;
    }
    Ok(())
}

/// The device nodes every container gets, bind-mounted from the host (works rootless, where
/// mknod is refused, and rootful alike).
const DEVICES: [&str; 6] = ["null", "zero", "full", "random", "urandom", "tty"];

/// Fills a /dev tmpfs of the spec: device nodes, the standard links, /dev/ptmx.
pub(super) fn populate_dev(root: &OwnedFd, spec: &Spec) -> Result<()> {
    let has_dev = spec
        .mounts()
        .as_deref()
        .unwrap_or_default()
        .iter()
        .any(|m| m.destination() == Path::new("/dev"));
    if !has_dev {
        return Ok(());
    }
    let extra: Vec<PathBuf> = spec
        .linux()
        .as_ref()
        .and_then(|l| l.devices().clone())
        .unwrap_or_default()
        .iter()
        .map(|d| d.path().clone())
        .collect();
    let standard = DEVICES.iter().map(|d| Path::new("/dev").join(d));
    for dev in standard.chain(extra) {
        let target = mount_point(root, &dev, true)?;
        mount(Some(&dev), &target.path(), None, MS_BIND, None)
            .with_context(|| format!("bind mounting device {}", dev.display()))?;
    }
    let dev_dir = open_in_root(root, Path::new("/dev"), OFlags::PATH | OFlags::DIRECTORY)
        .context("opening /dev")?;
    let links = [
        ("fd", "/proc/self/fd"),
        ("stdin", "/proc/self/fd/0"),
        ("stdout", "/proc/self/fd/1"),
        ("stderr", "/proc/self/fd/2"),
        ("core", "/proc/kcore"),
        ("ptmx", "pts/ptmx"),
    ];
    for (name, to) in links {
        match rustix::fs::symlinkat(to, dev_dir.as_fd(), name) {
            Ok(()) | Err(rustix::io::Errno::EXIST) => {}
            Err(e) => return Err(e).with_context(|| format!("creating /dev/{name}")),
        }
    }
    Ok(())
}

/// Remounts the rootfs read-only (spec.root.readonly), before the pivot (keeping nodev).
pub(super) fn remount_rootfs_readonly(rootfs: &Path) -> Result<()> {
    remount_bind(rootfs, MS_RDONLY).context("remounting the rootfs read-only")
}

/// pivot_root into the rootfs and detach the old root, without a directory for it: the old
/// root is stacked under the new one and unmounted lazily (runc's trick).
pub(super) fn pivot_into(rootfs: &Path) -> Result<()> {
    rustix::process::chdir(rootfs).context("changing to the rootfs")?;
    rustix::process::pivot_root(".", ".").context("pivot_root")?;
    rustix::mount::unmount(".", rustix::mount::UnmountFlags::DETACH)
        .context("detaching the old root")?;
    rustix::process::chdir("/").context("changing to /")
}

/// Masks paths after the pivot: /dev/null over files, an empty read-only tmpfs over
/// directories; missing paths are skipped.
pub(super) fn mask_paths(paths: &[String]) -> Result<()> {
    for p in paths {
        let path = Path::new(p);
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e).with_context(|| format!("masking {p}")),
        };
        let result = if meta.is_dir() {
            mount(
                Some(Path::new("tmpfs")),
                path,
                Some("tmpfs"),
                MS_RDONLY | libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
                Some("size=0k"),
            )
        } else {
            mount(Some(Path::new("/dev/null")), path, None, MS_BIND, None)
        };
        result.with_context(|| format!("masking {p}"))?;
    }
    Ok(())
}

/// Makes paths read-only after the pivot (a bind onto itself, then a read-only remount).
pub(super) fn readonly_paths(paths: &[String]) -> Result<()> {
    for p in paths {
        let path = Path::new(p);
        if !path.exists() {
            continue;
        }
        mount(Some(path), path, None, MS_BIND | MS_REC, None)
            .with_context(|| format!("making {p} read-only"))?;
        remount_bind(path, MS_RDONLY).with_context(|| format!("making {p} read-only"))?;
    }
    Ok(())
}

/// Whether the spec lists a namespace of this type (a fresh one, or one to join by path).
pub(super) fn has_namespace(spec: &Spec, typ: LinuxNamespaceType) -> bool {
    spec.linux()
        .as_ref()
        .and_then(|l| l.namespaces().as_ref())
        .is_some_and(|nss| nss.iter().any(|ns| ns.typ() == typ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_mount_options() {
        let opts: Vec<String> = ["rbind", "ro", "nosuid", "rprivate", "mode=755", "z"]
            .map(String::from)
            .to_vec();
        let o = parse_options(&opts);
        assert_eq!(o.flags, MS_BIND | MS_REC | MS_RDONLY | libc::MS_NOSUID);
        assert_eq!(o.propagation, vec![libc::MS_PRIVATE | MS_REC]);
        assert_eq!(o.data, vec!["mode=755".to_string()]);
        let o = parse_options(&["ro".into(), "rw".into()]);
        assert_eq!(o.flags, 0);
    }
}
