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
    open_in_root(
        root,
        path,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
    )
}

/// Opens a directory for futimens, refusing a symlink in the last place.
pub(crate) fn open_dir_nofollow(root: BorrowedFd<'_>, path: &[u8]) -> rustix::io::Result<OwnedFd> {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    open_in_root(root, path, flags)
}

/// openat2, tried again when the kernel asks (EAGAIN: a rename or mount elsewhere on the
/// system raced with a `..` lookup under RESOLVE_IN_ROOT/BENEATH).
pub(crate) fn openat2_retry<Fd: AsFd>(
    dir: Fd,
    path: &[u8],
    flags: OFlags,
    mode: Mode,
    resolve: ResolveFlags,
) -> rustix::io::Result<OwnedFd> {
    let mut tries = 0;
    loop {
        match rustix::fs::openat2(dir.as_fd(), path, flags, mode, resolve) {
            Err(Errno::AGAIN) if tries < 1000 => tries += 1,
            r => return r,
        }
    }
}

/// The longest piece of a path handed to openat2 at once (the kernel's limit is PATH_MAX).
const PATH_PIECE: usize = 3072;

/// openat2 RESOLVE_IN_ROOT of the cleaned `path`. A path longer than the kernel takes (a
/// tree deeper than PATH_MAX) is resolved in pieces: the first in the root, each further
/// one below the directory the previous gave, with no symlink allowed in it (the path is
/// cleaned, so that is the same lookup; a symlink there fails with ELOOP).
fn open_in_root(root: BorrowedFd<'_>, path: &[u8], flags: OFlags) -> rustix::io::Result<OwnedFd> {
    if path.len() <= PATH_PIECE {
        return openat2_retry(root, path, flags, Mode::empty(), RESOLVE);
    }
    let below = ResolveFlags::BENEATH
        .union(ResolveFlags::NO_SYMLINKS)
        .union(ResolveFlags::NO_MAGICLINKS);
    let mut dir: Option<OwnedFd> = None;
    let mut start = 0;
    loop {
        let rest = &path[start..];
        let (piece, last) = if rest.len() <= PATH_PIECE {
            (rest, true)
        } else {
            match rest[..PATH_PIECE].iter().rposition(|&b| b == b'/') {
                Some(i) if i > 0 => (&rest[..i], false),
                _ => return Err(Errno::NAMETOOLONG),
            }
        };
        let piece_flags = if last {
            flags
        } else {
            OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC
        };
        let fd = match &dir {
            None => openat2_retry(root, piece, piece_flags, Mode::empty(), RESOLVE)?,
            Some(d) => openat2_retry(d, piece, piece_flags, Mode::empty(), below)?,
        };
        if last {
            return Ok(fd);
        }
        dir = Some(fd);
        start += piece.len() + 1;
    }
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
/// Iterative, with at most [`WALK_OPEN_FDS`] directories open however deep the tree is;
/// directories without write or search permission are made writable first.
pub(crate) fn remove_tree_at(parent: BorrowedFd<'_>, name: &[u8]) -> io::Result<()> {
    struct Frame {
        fd: Option<OwnedFd>,
        dev: u64,
        ino: u64,
        name: Vec<u8>,
        /// Subdirectories still to remove.
        pending: Vec<Vec<u8>>,
    }
    let open = |dir: BorrowedFd<'_>, name: &[u8]| -> io::Result<Frame> {
        let fd = open_dir_for_removal(dir, name)?;
        let st = rustix::fs::fstat(&fd)?;
        Ok(Frame {
            fd: Some(fd),
            dev: st.st_dev,
            ino: st.st_ino,
            name: name.to_vec(),
            pending: Vec::new(),
        })
    };
    let mut frames = vec![open(parent, name)?];
    let mut fresh = true;
    loop {
        let Some(top) = frames.last_mut() else {
            return Ok(());
        };
        let Some(fd) = top.fd.as_ref() else {
            return Err(io::Error::other("directory fd lost while removing a tree"));
        };
        if fresh {
            // Unlink what is not a directory; remember the directories.
            top.pending = unlink_entries(fd.as_fd())?;
            fresh = false;
        }
        if let Some(child) = top.pending.pop() {
            let frame = match open(fd.as_fd(), &child) {
                Ok(f) => f,
                // Not a directory after all (or gone): unlink it as a file.
                Err(e) if matches!(e.raw_os_error(), Some(libc::ENOTDIR | libc::ELOOP)) => {
                    unlink_file_at(fd.as_fd(), &child)?;
                    continue;
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            frames.push(frame);
            fresh = true;
            let n = frames.len();
            if n > WALK_OPEN_FDS {
                frames[n - 1 - WALK_OPEN_FDS].fd = None;
            }
            continue;
        }
        // Everything below is gone (check again: the walk is the only writer, but cheap).
        if !unlink_entries(fd.as_fd())?.is_empty() {
            fresh = true;
            continue;
        }
        let Some(done) = frames.pop() else {
            return Ok(());
        };
        let Some(done_fd) = done.fd else {
            return Err(io::Error::other("directory fd lost while removing a tree"));
        };
        match frames.last_mut() {
            None => {
                rmdir_at(parent, &done.name)?;
                return Ok(());
            }
            Some(up) => {
                if up.fd.is_none() {
                    up.fd = Some(reopen_parent(done_fd.as_fd(), up.dev, up.ino)?);
                }
                drop(done_fd);
                if let Some(up_fd) = up.fd.as_ref() {
                    rmdir_at(up_fd.as_fd(), &done.name)?;
                }
            }
        }
    }
}

/// How many directory fds a tree walk or removal keeps open at most (deeper ancestors are
/// closed and opened again through `..`, checked by device and inode).
pub(crate) const WALK_OPEN_FDS: usize = 64;

/// Opens `..` of `dir` and checks it is the directory that was there before (`dev`/`ino`).
pub(crate) fn reopen_parent(dir: BorrowedFd<'_>, dev: u64, ino: u64) -> io::Result<OwnedFd> {
    let fd = rustix::fs::openat(
        dir,
        "..",
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let st = rustix::fs::fstat(&fd)?;
    if st.st_dev != dev || st.st_ino != ino {
        return Err(io::Error::other(
            "a directory was moved while its tree was being read",
        ));
    }
    Ok(fd)
}

/// Opens directory `name` in `dir` as an O_PATH fd when it is a directory itself (not a
/// symlink to one): the same directory a lookup of the whole path would give.
pub(crate) fn open_plain_subdir(dir: BorrowedFd<'_>, name: &[u8]) -> rustix::io::Result<OwnedFd> {
    rustix::fs::openat(
        dir,
        name,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
}

/// Opens directory `name` in `dir` for reading, never following a symlink.
pub(crate) fn open_subdir(dir: BorrowedFd<'_>, name: &[u8]) -> io::Result<OwnedFd> {
    Ok(rustix::fs::openat(
        dir,
        name,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )?)
}

/// Like [`open_subdir`]; a directory we may not read or search gets u+rwx first (a layer's
/// 0555 or 0000 dirs), and the opened directory is made writable for its entries' removal.
fn open_dir_for_removal(dir: BorrowedFd<'_>, name: &[u8]) -> io::Result<OwnedFd> {
    let fd = match open_subdir(dir, name) {
        Err(e) if e.raw_os_error() == Some(libc::EACCES) => {
            let path = rustix::fs::openat(
                dir,
                name,
                OFlags::PATH | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::empty(),
            )?;
            let st = rustix::fs::fstat(&path)?;
            // chmod through the fd's /proc link: the inode just opened, never a symlink.
            rustix::fs::chmod(
                format!("/proc/self/fd/{}", std::os::fd::AsRawFd::as_raw_fd(&path)),
                Mode::from_raw_mode((st.st_mode & 0o7777) | 0o700),
            )?;
            open_subdir(dir, name)?
        }
        r => r?,
    };
    let st = rustix::fs::fstat(&fd)?;
    if st.st_mode & 0o300 != 0o300 {
        let _ = rustix::fs::fchmod(&fd, Mode::from_raw_mode((st.st_mode & 0o7777) | 0o700));
    }
    Ok(fd)
}

/// Removes everything in the directory open at `dir`, keeping the directory itself.
pub(crate) fn empty_dir_at(dir: BorrowedFd<'_>) -> io::Result<()> {
    for sub in unlink_entries(dir)? {
        remove_tree_at(dir, &sub)?;
    }
    Ok(())
}

/// Unlinks every entry of `dir` that is not a directory; returns the directories' names.
fn unlink_entries(dir: BorrowedFd<'_>) -> io::Result<Vec<Vec<u8>>> {
    let mut dirs = Vec::new();
    let mut others = Vec::new();
    for child in Dir::read_from(dir)? {
        let child = child?;
        let name = child.file_name().to_bytes();
        if name == b"." || name == b".." {
            continue;
        }
        match child.file_type() {
            FileType::Directory => dirs.push(name.to_vec()),
            FileType::Unknown => {
                let st = rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW)?;
                if FileType::from_raw_mode(st.st_mode) == FileType::Directory {
                    dirs.push(name.to_vec());
                } else {
                    others.push(name.to_vec());
                }
            }
            _ => others.push(name.to_vec()),
        }
    }
    for name in others {
        unlink_file_at(dir, &name)?;
    }
    Ok(dirs)
}

fn unlink_file_at(dir: BorrowedFd<'_>, name: &[u8]) -> io::Result<()> {
    match rustix::fs::unlinkat(dir, name, AtFlags::empty()) {
        Ok(()) | Err(Errno::NOENT) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

fn rmdir_at(dir: BorrowedFd<'_>, name: &[u8]) -> io::Result<()> {
    match rustix::fs::unlinkat(dir, name, AtFlags::REMOVEDIR) {
        Ok(()) | Err(Errno::NOENT) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// The names in the directory open at `dir` (not `.` or `..`), in byte order.
pub(crate) fn sorted_names_at(dir: BorrowedFd<'_>) -> io::Result<Vec<Vec<u8>>> {
    let mut names = Vec::new();
    for child in Dir::read_from(dir)? {
        let child = child?;
        let name = child.file_name().to_bytes();
        if name != b"." && name != b".." {
            names.push(name.to_vec());
        }
    }
    names.sort();
    Ok(names)
}

/// A depth-first, pre-order walk of the tree below an open directory, children in byte
/// order, that never resolves a path: each entry is given as (its parent's fd, its name, its
/// path below the root, its depth: 0 for the root's children) and the visitor returns the opened directory to descend into (opened
/// with [`open_subdir`]). At most [`WALK_OPEN_FDS`] directories stay open however deep the
/// tree, and no path longer than a name is ever handed to the kernel.
pub(crate) fn walk_tree(
    root: OwnedFd,
    mut visit: impl FnMut(BorrowedFd<'_>, &[u8], &[u8], usize) -> Result<Option<OwnedFd>>,
) -> Result<()> {
    struct Frame {
        fd: Option<OwnedFd>,
        dev: u64,
        ino: u64,
        /// Children not yet visited, last first.
        names: Vec<Vec<u8>>,
        rel_len: usize,
    }
    let frame = |fd: OwnedFd, rel_len: usize| -> io::Result<Frame> {
        let st = rustix::fs::fstat(&fd)?;
        let mut names = sorted_names_at(fd.as_fd())?;
        names.reverse();
        Ok(Frame {
            fd: Some(fd),
            dev: st.st_dev,
            ino: st.st_ino,
            names,
            rel_len,
        })
    };
    let mut rel: Vec<u8> = Vec::new();
    let mut frames = vec![frame(root, 0).context("reading the root directory")?];
    loop {
        let depth = frames.len().saturating_sub(1);
        let Some(top) = frames.last_mut() else { break };
        let Some(name) = top.names.pop() else {
            let Some(done) = frames.pop() else { break };
            if let Some(up) = frames.last_mut()
                && up.fd.is_none()
            {
                let Some(done_fd) = done.fd.as_ref() else {
                    anyhow::bail!("directory fd lost while walking a tree");
                };
                rel.truncate(up.rel_len);
                up.fd = Some(
                    reopen_parent(done_fd.as_fd(), up.dev, up.ino)
                        .with_context(|| format!("reading {}", show(&rel)))?,
                );
            }
            continue;
        };
        rel.truncate(top.rel_len);
        if !rel.is_empty() {
            rel.push(b'/');
        }
        rel.extend_from_slice(&name);
        let Some(parent) = top.fd.as_ref() else {
            anyhow::bail!("directory fd lost while walking a tree");
        };
        if let Some(dir) = visit(parent.as_fd(), &name, &rel, depth)? {
            let f = frame(dir, rel.len())
                .with_context(|| format!("reading directory {}", show(&rel)))?;
            frames.push(f);
            let n = frames.len();
            if n > WALK_OPEN_FDS {
                frames[n - 1 - WALK_OPEN_FDS].fd = None;
            }
        }
    }
    Ok(())
}

/// The names of the xattrs of the file open at `fd`, NUL-separated.
pub(crate) fn flist_xattrs(fd: BorrowedFd<'_>) -> io::Result<Vec<u8>> {
    loop {
        let size = rustix::fs::flistxattr_query(fd)?;
        let mut buf = vec![0u8; size];
        match rustix::fs::flistxattr(fd, &mut buf[..]) {
            Ok(n) => {
                buf.truncate(n);
                return Ok(buf);
            }
            Err(Errno::RANGE) => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

/// The value of xattr `name` of the file open at `fd`.
pub(crate) fn fget_xattr(fd: BorrowedFd<'_>, name: &[u8]) -> io::Result<Vec<u8>> {
    loop {
        let size = rustix::fs::fgetxattr_query(fd, name)?;
        let mut buf = vec![0u8; size];
        match rustix::fs::fgetxattr(fd, name, &mut buf[..]) {
            Ok(n) => {
                buf.truncate(n);
                return Ok(buf);
            }
            Err(Errno::RANGE) => continue,
            Err(e) => return Err(e.into()),
        }
    }
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
