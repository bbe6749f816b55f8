//! File operations below a directory fd that layer unpacking and the build context's
//! untar share: directories opened and created with symlinks resolved as if the root were
//! `/` (openat2 RESOLVE_IN_ROOT), trees removed without following symlinks, Docker's lexical
//! symlink-escape rule, and xattr reads that cope with a list growing between calls.

use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::Path;

use anyhow::{Context, Result};
use rustix::fs::{AtFlags, Dir, FileType, Mode, OFlags, ResolveFlags};
use rustix::io::Errno;

const RESOLVE: ResolveFlags = ResolveFlags::IN_ROOT.union(ResolveFlags::NO_MAGICLINKS);

pub(crate) fn show(bytes: &[u8]) -> String {
    format!("{:?}", String::from_utf8_lossy(bytes))
}

/// A tar name cleaned lexically, relative to the root (empty for the root): no leading `/`,
/// no `.` or empty components, `..` applied. None if it climbs above the root.
pub(crate) fn clean_name(name: &[u8]) -> Option<Vec<u8>> {
    let mut parts: Vec<&[u8]> = Vec::new();
    for part in name.split(|&b| b == b'/') {
        match part {
            b"" | b"." => {}
            b".." => {
                parts.pop()?;
            }
            _ => parts.push(part),
        }
    }
    Some(parts.join(&b'/'))
}

/// Whether an xattr belongs to the host rather than to the file: overlay's own (a layer
/// that carried them could forge opaque dirs or redirects) and the SELinux label.
pub(crate) fn is_host_xattr(name: &[u8]) -> bool {
    name.starts_with(b"trusted.overlay.")
        || name.starts_with(b"user.overlay.")
        || name == b"security.selinux"
}

/// The names in directory `dir`, in byte order (Go's Walk order, and the order layers are
/// packed in).
pub(crate) fn sorted_names(dir: &Path) -> Result<Vec<std::ffi::OsString>> {
    let read = || -> io::Result<Vec<std::ffi::OsString>> {
        std::fs::read_dir(dir)?
            .map(|entry| entry.map(|e| e.file_name()))
            .collect()
    };
    let mut names = read().with_context(|| format!("reading directory {}", dir.display()))?;
    names.sort();
    Ok(names)
}

/// Splits a cleaned path into parent ("" for the root) and last name.
pub(crate) fn split_path(path: &[u8]) -> (&[u8], &[u8]) {
    match path.iter().rposition(|&b| b == b'/') {
        Some(i) => (&path[..i], &path[i + 1..]),
        None => (&[], path),
    }
}

/// Docker's rule: whether a relative symlink target climbs above the root, judged lexically
/// from the link's own directory `parent`. Absolute targets never do (they resolve inside).
pub(crate) fn symlink_escapes(parent: &[u8], target: &[u8]) -> bool {
    if target.starts_with(b"/") {
        return false;
    }
    let mut depth: usize = if parent.is_empty() {
        0
    } else {
        parent.iter().filter(|&&b| b == b'/').count() + 1
    };
    for comp in target.split(|&b| b == b'/') {
        match comp {
            b"" | b"." => {}
            b".." if depth == 0 => return true,
            b".." => depth -= 1,
            _ => depth += 1,
        }
    }
    false
}

/// Opens the directory at the cleaned `path` (symlinks resolved as if `root` were `/`).
pub(crate) fn open_dir(root: BorrowedFd<'_>, path: &[u8]) -> rustix::io::Result<OwnedFd> {
    let path: &[u8] = if path.is_empty() { b"." } else { path };
    rustix::fs::openat2(
        root,
        path,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
        RESOLVE,
    )
}

/// Opens a directory for futimens, refusing a symlink in the last place.
pub(crate) fn open_dir_nofollow(root: BorrowedFd<'_>, path: &[u8]) -> rustix::io::Result<OwnedFd> {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    rustix::fs::openat2(root, path, flags, Mode::empty(), RESOLVE)
}

/// Opens the directory at `path`, first creating what is missing of it (mode 0755).
pub(crate) fn open_or_create_dir(root: BorrowedFd<'_>, path: &[u8]) -> Result<OwnedFd> {
    match open_dir(root, path) {
        Ok(fd) => Ok(fd),
        Err(Errno::NOENT) => mkdir_all(root, path),
        Err(e) => Err(io::Error::from(e).into()),
    }
}

/// Creates the missing directories of `path` (mode 0755), one component at a time, each
/// looked up from the root so symlinks keep resolving inside it.
fn mkdir_all(root: BorrowedFd<'_>, path: &[u8]) -> Result<OwnedFd> {
    let mut parent = open_dir(root, b"")?;
    let mut start = 0;
    loop {
        let next = path[start..]
            .iter()
            .position(|&b| b == b'/')
            .map_or(path.len(), |i| start + i);
        let (prefix, name) = (&path[..next], &path[start..next]);
        parent = match open_dir(root, prefix) {
            Ok(fd) => fd,
            Err(Errno::NOENT) => {
                match rustix::fs::mkdirat(&parent, name, Mode::from_raw_mode(0o755)) {
                    Ok(()) | Err(Errno::EXIST) => {}
                    Err(e) => {
                        return Err(io::Error::from(e))
                            .with_context(|| format!("creating {}", show(prefix)));
                    }
                }
                open_dir(root, prefix)
                    .map_err(io::Error::from)
                    .with_context(|| format!("opening {}", show(prefix)))?
            }
            Err(e) => {
                return Err(io::Error::from(e))
                    .with_context(|| format!("opening {}", show(prefix)));
            }
        };
        if next == path.len() {
            return Ok(parent);
        }
        start = next + 1;
    }
}

/// Removes directory `name` in `parent` and everything in it, never following a symlink.
pub(crate) fn remove_tree_at(parent: BorrowedFd<'_>, name: &[u8]) -> io::Result<()> {
    let fd = rustix::fs::openat(
        parent,
        name,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let mut children = Vec::new();
    for child in Dir::read_from(&fd)? {
        let child = child?;
        let child_name = child.file_name().to_bytes();
        if child_name != b"." && child_name != b".." {
            children.push((
                child_name.to_vec(),
                child.file_type() == FileType::Directory,
            ));
        }
    }
    for (child, is_dir) in children {
        if is_dir {
            remove_tree_at(fd.as_fd(), &child)?;
        } else {
            rustix::fs::unlinkat(&fd, child.as_slice(), AtFlags::empty())?;
        }
    }
    rustix::fs::unlinkat(parent, name, AtFlags::REMOVEDIR)?;
    Ok(())
}

/// The names of `path`'s xattrs (not following a symlink), NUL-separated.
pub(crate) fn list_xattrs(path: &Path) -> io::Result<Vec<u8>> {
    loop {
        let size = rustix::fs::llistxattr_query(path)?;
        let mut buf = vec![0u8; size];
        match rustix::fs::llistxattr(path, &mut buf[..]) {
            Ok(n) => {
                buf.truncate(n);
                return Ok(buf);
            }
            // It grew between the two calls.
            Err(Errno::RANGE) => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

/// The value of xattr `name` of `path` (not following a symlink).
pub(crate) fn get_xattr(path: &Path, name: &[u8]) -> io::Result<Vec<u8>> {
    loop {
        let size = rustix::fs::lgetxattr_query(path, name)?;
        let mut buf = vec![0u8; size];
        match rustix::fs::lgetxattr(path, name, &mut buf[..]) {
            Ok(n) => {
                buf.truncate(n);
                return Ok(buf);
            }
            Err(Errno::RANGE) => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symlink_escape_rule() {
        assert!(!symlink_escapes(b"", b"a/b"));
        assert!(!symlink_escapes(b"", b"/etc/passwd"));
        assert!(!symlink_escapes(b"d", b"../x"));
        assert!(!symlink_escapes(b"d/e", b"../../x"));
        assert!(symlink_escapes(b"", b"../x"));
        assert!(symlink_escapes(b"d", b"../../x"));
        assert!(symlink_escapes(b"d", b"x/../../../y"));
    }
}
