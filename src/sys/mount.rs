//! mount(2) with a raw flags word and a data string, as the OCI spec's option lists map to
//! them; the rest (pivot_root, umount, statvfs) is safe in rustix.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

fn cstring(bytes: &[u8]) -> std::io::Result<CString> {
    CString::new(bytes).map_err(|_| std::io::Error::from_raw_os_error(libc::EINVAL))
}

/// Sets mount attributes (`MOUNT_ATTR_RDONLY`, `_NOSUID`, `_NODEV`, `_NOEXEC`) on the mount
/// at `target` and every mount below it (mount_setattr with AT_RECURSIVE, Linux 5.12+): a
/// read-only bind of a tree with submounts is read-only all the way down, where a remount
/// reaches the top mount only. `Ok(false)`: the kernel lacks the call.
pub fn set_tree_attributes(
    target: &Path,
    readonly: bool,
    nosuid: bool,
    nodev: bool,
    noexec: bool,
) -> std::io::Result<bool> {
    #[repr(C)]
    struct MountAttr {
        attr_set: u64,
        attr_clr: u64,
        propagation: u64,
        userns_fd: u64,
    }
    let mut set = 0u64;
    for (on, bit) in [
        (readonly, 0x1u64),
        (nosuid, 0x2),
        (nodev, 0x4),
        (noexec, 0x8),
    ] {
        if on {
            set |= bit;
        }
    }
    let attr = MountAttr {
        attr_set: set,
        attr_clr: 0,
        propagation: 0,
        userns_fd: 0,
    };
    let target = cstring(target.as_os_str().as_bytes())?;
    // SAFETY: target is a NUL-terminated string and attr a mount_attr of the size passed,
    // both alive for the call; the kernel only reads them.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_mount_setattr,
            libc::AT_FDCWD,
            target.as_ptr(),
            libc::AT_RECURSIVE as libc::c_uint,
            &attr as *const MountAttr,
            std::mem::size_of::<MountAttr>(),
        )
    };
    if rc != 0 {
        let e = std::io::Error::last_os_error();
        return match e.raw_os_error() {
            Some(libc::ENOSYS) => Ok(false),
            _ => Err(e),
        };
    }
    Ok(true)
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

/// The size of the kernel's buffer for mount options: one page (4 KiB on the platforms we run).
const MOUNT_DATA_MAX: usize = 4095;

/// Mounts an overlay of `lowers` (top first) at `target`: read-only without `upper` (an
/// upper and a work directory), writable with it. Rootless overlays use `userxattr`.
///
/// The mount is made with the new mount API, one `lowerdir+` call per layer (Linux 6.8+), so
/// no option string limits the number of layers (overlay's own limit is 500): the old
/// `lowerdir=a:b:...` string must fit one page, about 50 store layers. On kernels without
/// `lowerdir+` it falls back to mount(2); when those options do not fit a page, the
/// directories are named relative to their common parent (as containers/storage does) and the
/// mount is made from there: the process's working directory changes for the call, so call
/// it single-threaded (a child, a container's setup).
pub fn mount_overlay(
    target: &Path,
    lowers: &[PathBuf],
    upper: Option<(&Path, &Path)>,
    rootless: bool,
) -> Result<()> {
    // A kernel without fsconfig `lowerdir+` says so once; later mounts go to mount(2).
    static NO_FSCONFIG: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !NO_FSCONFIG.load(std::sync::atomic::Ordering::Relaxed) {
        match mount_overlay_fsconfig(target, lowers, upper, rootless) {
            Ok(true) => return Ok(()),
            Ok(false) => NO_FSCONFIG.store(true, std::sync::atomic::Ordering::Relaxed),
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("mounting an overlay at {}", target.display()));
            }
        }
    }
    let flags = if upper.is_some() { 0 } else { libc::MS_RDONLY };
    let mount_with = |data: &str| {
        mount(
            Some(Path::new("overlay")),
            target,
            Some("overlay"),
            flags,
            Some(data),
        )
        .with_context(|| format!("mounting an overlay at {}", target.display()))
    };
    let data = overlay_options(lowers, upper, rootless, None);
    if data.len() <= MOUNT_DATA_MAX {
        return mount_with(&data);
    }
    let mut all: Vec<&Path> = lowers.iter().map(PathBuf::as_path).collect();
    if let Some((u, w)) = upper {
        all.extend([u, w]);
    }
    let base = common_parent(&all);
    let data = overlay_options(lowers, upper, rootless, Some(&base));
    if data.len() > MOUNT_DATA_MAX {
        anyhow::bail!(
            "mounting an overlay at {}: its options are {} bytes even with relative paths",
            target.display(),
            data.len()
        );
    }
    let cwd = std::env::current_dir().ok();
    rustix::process::chdir(&base)
        .with_context(|| format!("changing to {} for the overlay mount", base.display()))?;
    let result = mount_with(&data);
    if let Some(cwd) = cwd {
        let _ = rustix::process::chdir(&cwd);
    }
    result
}

/// The overlay through fsopen/fsconfig/fsmount/move_mount, each lower dir by its own
/// `lowerdir+` (taken as it is, no escaping). `Ok(false)`: this kernel lacks the API or
/// `lowerdir+`, use mount(2).
fn mount_overlay_fsconfig(
    target: &Path,
    lowers: &[PathBuf],
    upper: Option<(&Path, &Path)>,
    rootless: bool,
) -> Result<bool> {
    use rustix::io::Errno;
    use rustix::mount::{
        FsMountFlags, FsOpenFlags, MountAttrFlags, MoveMountFlags, fsconfig_create,
        fsconfig_set_flag, fsconfig_set_string, fsmount, fsopen, move_mount,
    };
    let fs = match fsopen("overlay", FsOpenFlags::FSOPEN_CLOEXEC) {
        Ok(fd) => fd,
        Err(Errno::NOSYS | Errno::NODEV) => return Ok(false),
        Err(e) => return Err(std::io::Error::from(e)).context("fsopen overlay"),
    };
    // The kernel explains a refusal in the context's log ("e overlayfs: ..."): read it.
    let why = |e: Errno, what: String| -> anyhow::Error {
        let mut buf = [0u8; 512];
        let log = match rustix::io::read(&fs, &mut buf) {
            Ok(n) if n > 0 => format!(" ({})", String::from_utf8_lossy(&buf[..n]).trim_end()),
            _ => String::new(),
        };
        anyhow::Error::new(std::io::Error::from(e)).context(format!("{what}{log}"))
    };
    for (i, lower) in lowers.iter().enumerate() {
        match fsconfig_set_string(&fs, "lowerdir+", lower.as_os_str()) {
            Ok(()) => {}
            // Before Linux 6.8 there is no `lowerdir+`.
            Err(Errno::INVAL) if i == 0 => return Ok(false),
            Err(e) => return Err(why(e, format!("lower directory {}", lower.display()))),
        }
    }
    if let Some((up, work)) = upper {
        for (key, dir) in [("upperdir", up), ("workdir", work)] {
            // These two are unescaped by overlay, unlike `lowerdir+`.
            let value = escape_overlay_path(&dir.to_string_lossy());
            fsconfig_set_string(&fs, key, value.as_str())
                .map_err(|e| why(e, format!("{key} {}", dir.display())))?;
        }
    }
    if rootless {
        fsconfig_set_flag(&fs, "userxattr").map_err(|e| why(e, "userxattr".into()))?;
    }
    fsconfig_create(&fs).map_err(|e| why(e, "creating the overlay".into()))?;
    let attrs = if upper.is_some() {
        MountAttrFlags::empty()
    } else {
        MountAttrFlags::MOUNT_ATTR_RDONLY
    };
    let mnt =
        fsmount(&fs, FsMountFlags::FSMOUNT_CLOEXEC, attrs).map_err(|e| why(e, "fsmount".into()))?;
    // The target by an fd of its own: a `/proc/self/fd/N` target (the runtime's mount
    // points, held open so they cannot be swapped) is refused by move_mount as a path.
    let to = rustix::fs::open(
        target,
        rustix::fs::OFlags::PATH | rustix::fs::OFlags::CLOEXEC,
        rustix::fs::Mode::empty(),
    )
    .map_err(std::io::Error::from)
    .with_context(|| format!("opening {}", target.display()))?;
    move_mount(
        &mnt,
        "",
        &to,
        "",
        MoveMountFlags::MOVE_MOUNT_F_EMPTY_PATH | MoveMountFlags::MOVE_MOUNT_T_EMPTY_PATH,
    )
    .map_err(std::io::Error::from)
    .context("move_mount")?;
    Ok(true)
}

/// Mounts an overlay given as an OCI mount's option list (`lowerdir=a:b`, `upperdir=`,
/// `workdir=`, `userxattr`, as [`overlay_options`] writes them, escaped) through
/// [`mount_overlay`], so its layers need not fit one page either. `Ok(false)`: options this
/// does not know (the caller mounts with mount(2) as given).
pub fn mount_overlay_options(target: &Path, readonly: bool, options: &[String]) -> Result<bool> {
    let (mut lowers, mut upper, mut work, mut rootless) = (Vec::new(), None, None, false);
    // One list element may hold several options (`lowerdir=..,userxattr`).
    let options = options.iter().flat_map(|o| split_options(o));
    for o in options {
        let o = o.as_str();
        match o.split_once('=') {
            Some(("lowerdir", v)) => {
                lowers = split_escaped(v).into_iter().map(PathBuf::from).collect()
            }
            Some(("upperdir", v)) => upper = split_escaped(v).pop().map(PathBuf::from),
            Some(("workdir", v)) => work = split_escaped(v).pop().map(PathBuf::from),
            None if o == "userxattr" => rootless = true,
            None if o == "ro" || o == "rw" => {}
            _ => return Ok(false),
        }
    }
    let upper = match (&upper, &work) {
        (Some(u), Some(w)) if !readonly => Some((u.as_path(), w.as_path())),
        (None, None) => None,
        _ => return Ok(false),
    };
    if lowers.is_empty() {
        return Ok(false);
    }
    mount_overlay(target, &lowers, upper, rootless)?;
    Ok(true)
}

/// Options separated by unescaped commas, escapes kept.
fn split_options(s: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut escaped = false;
    for c in s.chars() {
        if c == ',' && !escaped {
            out.push(String::new());
            continue;
        }
        escaped = c == '\\' && !escaped;
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out.retain(|o| !o.is_empty());
    out
}

/// The paths of an escaped overlay list (`a:b\:c` is `a` and `b:c`).
fn split_escaped(list: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = list.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next()
                    && let Some(last) = out.last_mut()
                {
                    last.push(next);
                }
            }
            ':' => out.push(String::new()),
            c => {
                if let Some(last) = out.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    out
}

/// `lowerdir=a:b[,upperdir=u,workdir=w][,userxattr]`, every path escaped, and relative to
/// `base` when given.
pub fn overlay_options(
    lowers: &[PathBuf],
    upper: Option<(&Path, &Path)>,
    rootless: bool,
    base: Option<&Path>,
) -> String {
    let name = |p: &Path| {
        let p = match base {
            Some(base) => p.strip_prefix(base).unwrap_or(p),
            None => p,
        };
        escape_overlay_path(&p.to_string_lossy())
    };
    let lower: Vec<String> = lowers.iter().map(|p| name(p)).collect();
    let mut data = format!("lowerdir={}", lower.join(":"));
    if let Some((upper, work)) = upper {
        data.push_str(&format!(",upperdir={},workdir={}", name(upper), name(work)));
    }
    if rootless {
        data.push_str(",userxattr");
    }
    data
}

/// Overlay's option parser treats `,` and `:` as separators and `\` as the escape.
fn escape_overlay_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if matches!(c, ',' | ':' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The longest directory that contains every path.
fn common_parent(paths: &[&Path]) -> PathBuf {
    use std::path::Component;
    let mut common: Vec<Component> = match paths.first() {
        Some(p) => p.parent().unwrap_or(p).components().collect(),
        None => return PathBuf::from("/"),
    };
    for p in &paths[1..] {
        let parts: Vec<Component> = p.components().collect();
        let same = common
            .iter()
            .zip(&parts)
            .take_while(|(a, b)| a == b)
            .count();
        // Keep a strict parent of each path.
        common.truncate(same.min(parts.len().saturating_sub(1)));
    }
    common.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_options_and_common_parent() {
        let lowers = vec![PathBuf::from("/s/l/a"), PathBuf::from("/s/l/b,c")];
        let upper = Some((Path::new("/s/c/1/upper"), Path::new("/s/c/1/work")));
        assert_eq!(
            overlay_options(&lowers, upper, true, None),
            "lowerdir=/s/l/a:/s/l/b\\,c,upperdir=/s/c/1/upper,workdir=/s/c/1/work,userxattr"
        );
        let all = [
            Path::new("/s/l/a"),
            Path::new("/s/l/b"),
            Path::new("/s/c/1/upper"),
        ];
        assert_eq!(common_parent(&all), PathBuf::from("/s"));
        assert_eq!(
            overlay_options(&lowers, upper, true, Some(Path::new("/s"))),
            "lowerdir=l/a:l/b\\,c,upperdir=c/1/upper,workdir=c/1/work,userxattr"
        );
        assert_eq!(common_parent(&[Path::new("/a/b")]), PathBuf::from("/a"));
        assert_eq!(
            overlay_options(&lowers, None, false, None),
            "lowerdir=/s/l/a:/s/l/b\\,c"
        );
        assert_eq!(
            split_options("lowerdir=/a\\,b:/c,userxattr"),
            ["lowerdir=/a\\,b:/c", "userxattr"]
        );
        assert_eq!(
            split_escaped("/s/l/a:/s/l/b\\,c:/d\\:e\\\\f"),
            ["/s/l/a", "/s/l/b,c", "/d:e\\f"]
        );
    }
}
