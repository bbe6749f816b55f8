//! Unpacking a build context tarball (`skiff build - < ctx.tar[.gz|.zst]`) into a directory,
//! with the rules of Docker's context untar (moby's archive.Unpack under chroot):
//!
//! - names are cleaned lexically; one that climbs above the root (`../x`, `a/../../x`) is
//!   refused, and a leading `/` is dropped (`/etc/x` lands at `<dest>/etc/x`);
//! - symlinks are created as symlinks, never followed on creation; a relative target that
//!   climbs above the root, judged from the link's own directory, is refused; absolute
//!   targets are kept (COPY resolves them inside the context anyway);
//! - a hard link must name an earlier entry inside the root;
//! - parent directories are opened with openat2(RESOLVE_IN_ROOT), so a symlink met on the
//!   way (from an earlier entry) resolves as if `dest` were `/`, exactly as under Docker's
//!   chroot: nothing is ever written outside `dest`;
//! - a later entry replaces an earlier one at the same path (a directory merges with a
//!   directory);
//! - permission bits (setuid etc. included) and modification times are kept; owners are
//!   not (COPY sets its own), nor are xattrs; device nodes are skipped (they cannot be
//!   made rootless, and a context has no use for them). Directory modes are applied last,
//!   deepest first, so a read-only directory can still be filled.
//!
//! Unlike a layer unpack, `.wh.` names are ordinary files here: a context is not a layer.

use std::cmp::Reverse;
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsFd, BorrowedFd};
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use rustix::fs::{AtFlags, FileType, Mode, OFlags, Timespec, Timestamps};
use rustix::io::Errno;
use tar::EntryType;

use crate::layer::compression::decompressor;
use crate::layer::fsat::{
    open_dir, open_dir_nofollow, open_or_create_dir, remove_tree_at, show, symlink_escapes,
};

/// A directory whose mode and time are applied once everything inside it is written.
struct DirMeta {
    path: Vec<u8>,
    mode: Mode,
    times: Timestamps,
}

/// Unpacks the (possibly compressed) tar stream `reader` into the directory `dest`.
pub(super) fn unpack(reader: impl Read, dest: &Path) -> Result<()> {
    let root = rustix::fs::open(
        dest,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(io::Error::from)
    .with_context(|| format!("opening context directory {}", dest.display()))?;
    let (_, stream) = decompressor(reader).context("reading the build context tar")?;
    let mut archive = tar::Archive::new(stream);
    let mut dirs = Vec::new();
    let entries = archive.entries().context("reading the build context tar")?;
    for entry in entries {
        let mut entry = entry.context("reading the build context tar")?;
        unpack_entry(root.as_fd(), &mut entry, &mut dirs)?;
    }
    finish_dirs(root.as_fd(), dirs)
}

fn unpack_entry<R: Read>(
    root: BorrowedFd<'_>,
    entry: &mut tar::Entry<'_, R>,
    dirs: &mut Vec<DirMeta>,
) -> Result<()> {
    let kind = entry.header().entry_type();
    if matches!(kind, EntryType::XGlobalHeader | EntryType::XHeader) {
        return Ok(());
    }
    let raw = entry.path_bytes().into_owned();
    let path = crate::layer::fsat::clean_name(&raw)
        .ok_or_else(|| anyhow!("tar entry {} is outside the build context", show(&raw)))?;
    // The root itself (`./`): it exists already, and its mode is the caller's.
    let Some((parent, name)) = split(&path) else {
        return Ok(());
    };
    let header = entry.header();
    let mode = header
        .mode()
        .with_context(|| format!("reading the mode of tar entry {}", show(&path)))?;
    let mode = Mode::from_raw_mode(mode & 0o7777);
    let mtime = header.mtime().unwrap_or(0).min(i64::MAX as u64) as i64;
    let times = Timestamps {
        last_access: Timespec {
            tv_sec: mtime,
            tv_nsec: 0,
        },
        last_modification: Timespec {
            tv_sec: mtime,
            tv_nsec: 0,
        },
    };
    let link = entry.link_name_bytes().map(|l| l.into_owned());
    let dir = open_or_create_dir(root, parent)
        .with_context(|| format!("creating the parent directory of {}", show(&path)))?;
    let at = At {
        dir: dir.as_fd(),
        name,
        path: &path,
    };
    match kind {
        EntryType::Regular | EntryType::Continuous | EntryType::GNUSparse => {
            at.file(entry, mode, &times)
        }
        EntryType::Directory => {
            at.dir()?;
            dirs.push(DirMeta {
                path: path.clone(),
                mode,
                times,
            });
            Ok(())
        }
        EntryType::Symlink => {
            let target = link.ok_or_else(|| anyhow!("tar entry {} has no target", show(&path)))?;
            check_symlink(parent, &target, &path)?;
            at.symlink(&target)
        }
        EntryType::Link => {
            let target = link.ok_or_else(|| anyhow!("tar entry {} has no target", show(&path)))?;
            at.hard_link(root, &target)
        }
        EntryType::Fifo => at.fifo(mode),
        EntryType::Char | EntryType::Block => {
            log::warn!("skipping device node {} in the build context", show(&path));
            Ok(())
        }
        other => {
            log::debug!("skipping tar entry {} of type {other:?}", show(&path));
            Ok(())
        }
    }
}

/// Where an entry goes: its parent directory, its name there, and its whole path.
struct At<'a> {
    dir: BorrowedFd<'a>,
    name: &'a [u8],
    path: &'a [u8],
}

impl At<'_> {
    fn file<R: Read>(&self, entry: &mut R, mode: Mode, times: &Timestamps) -> Result<()> {
        self.clear(false)?;
        let fd = rustix::fs::openat(
            self.dir,
            self.name,
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::from_raw_mode(0o600),
        )
        .map_err(io::Error::from)
        .with_context(|| format!("creating {}", show(self.path)))?;
        let mut file = File::from(fd);
        io::copy(entry, &mut file).with_context(|| format!("writing {}", show(self.path)))?;
        rustix::fs::fchmod(&file, mode)
            .and_then(|()| rustix::fs::futimens(&file, times))
            .map_err(io::Error::from)
            .with_context(|| format!("setting the mode of {}", show(self.path)))
    }

    /// Makes the directory, or keeps the one there. Private until `finish_dirs`.
    fn dir(&self) -> Result<()> {
        if self.clear(true)? {
            return Ok(());
        }
        rustix::fs::mkdirat(self.dir, self.name, Mode::from_raw_mode(0o700))
            .map_err(io::Error::from)
            .with_context(|| format!("creating {}", show(self.path)))
    }

    fn symlink(&self, target: &[u8]) -> Result<()> {
        self.clear(false)?;
        rustix::fs::symlinkat(target, self.dir, self.name)
            .map_err(io::Error::from)
            .with_context(|| format!("creating symlink {}", show(self.path)))
    }

    fn hard_link(&self, root: BorrowedFd<'_>, target: &[u8]) -> Result<()> {
        let escapes = || {
            anyhow!(
                "hard link {} -> {} is outside the build context",
                show(self.path),
                show(target)
            )
        };
        let cleaned = crate::layer::fsat::clean_name(target).ok_or_else(escapes)?;
        if cleaned == self.path {
            return Ok(());
        }
        let (tparent, tname) = split(&cleaned).ok_or_else(escapes)?;
        let missing = || {
            format!(
                "hard link {} -> {}: target not found",
                show(self.path),
                show(target)
            )
        };
        let tdir = open_dir(root, tparent)
            .map_err(io::Error::from)
            .with_context(missing)?;
        self.clear(false)?;
        rustix::fs::linkat(tdir, tname, self.dir, self.name, AtFlags::empty())
            .map_err(io::Error::from)
            .with_context(missing)
    }

    fn fifo(&self, mode: Mode) -> Result<()> {
        self.clear(false)?;
        rustix::fs::mknodat(self.dir, self.name, FileType::Fifo, mode, 0)
            .map_err(io::Error::from)
            .with_context(|| format!("creating fifo {}", show(self.path)))
    }

    /// Removes what an earlier entry left at this path; keeps a directory when a directory
    /// is wanted (returning true).
    fn clear(&self, want_dir: bool) -> Result<bool> {
        let stat = match rustix::fs::statat(self.dir, self.name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) => stat,
            Err(Errno::NOENT) => return Ok(false),
            Err(e) => {
                return Err(io::Error::from(e))
                    .with_context(|| format!("reading {}", show(self.path)));
            }
        };
        let is_dir = FileType::from_raw_mode(stat.st_mode) == FileType::Directory;
        if is_dir && want_dir {
            return Ok(true);
        }
        let removed = if is_dir {
            remove_tree_at(self.dir, self.name)
        } else {
            rustix::fs::unlinkat(self.dir, self.name, AtFlags::empty()).map_err(io::Error::from)
        };
        removed.with_context(|| format!("replacing {}", show(self.path)))?;
        Ok(false)
    }
}

/// Applies directory modes and times, deepest first (a parent made read-only or
/// unsearchable would stop the rest); among equals, later entries win.
fn finish_dirs(root: BorrowedFd<'_>, mut dirs: Vec<DirMeta>) -> Result<()> {
    dirs.sort_by_key(|d| Reverse(d.path.iter().filter(|&&b| b == b'/').count()));
    for dir in dirs {
        let fd = match open_dir_nofollow(root, &dir.path) {
            Ok(fd) => fd,
            // Replaced by a later entry that is not a directory.
            Err(Errno::LOOP | Errno::NOTDIR | Errno::NOENT) => continue,
            Err(e) => {
                return Err(io::Error::from(e))
                    .with_context(|| format!("opening {}", show(&dir.path)));
            }
        };
        rustix::fs::fchmod(&fd, dir.mode)
            .and_then(|()| rustix::fs::futimens(&fd, &dir.times))
            .map_err(io::Error::from)
            .with_context(|| format!("setting the mode of {}", show(&dir.path)))?;
    }
    Ok(())
}

/// Docker's rule: a relative symlink may not point above the root, judged lexically from
/// its own directory.
fn check_symlink(parent: &[u8], target: &[u8], path: &[u8]) -> Result<()> {
    if symlink_escapes(parent, target) {
        bail!(
            "tar entry {}: symlink target {} is outside the build context",
            show(path),
            show(target)
        );
    }
    Ok(())
}

/// A cleaned path's parent (empty for the root) and last name; None for the root itself.
fn split(path: &[u8]) -> Option<(&[u8], &[u8])> {
    (!path.is_empty()).then(|| crate::layer::fsat::split_path(path))
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn cleans_names() {
        assert_eq!(
            crate::layer::fsat::clean_name(b"/a/./b//c/").unwrap(),
            b"a/b/c"
        );
        assert_eq!(crate::layer::fsat::clean_name(b"a/../b").unwrap(), b"b");
        assert_eq!(crate::layer::fsat::clean_name(b"./").unwrap(), b"");
        assert!(crate::layer::fsat::clean_name(b"../x").is_none());
        assert!(crate::layer::fsat::clean_name(b"a/../../x").is_none());
    }

    #[test]
    fn symlink_targets() {
        assert!(check_symlink(b"", b"a/b", b"l").is_ok());
        assert!(check_symlink(b"", b"/etc/passwd", b"l").is_ok());
        assert!(check_symlink(b"d", b"../x", b"d/l").is_ok());
        assert!(check_symlink(b"d/e", b"../../x", b"d/e/l").is_ok());
        assert!(check_symlink(b"", b"../x", b"l").is_err());
        assert!(check_symlink(b"d", b"../../x", b"d/l").is_err());
        assert!(check_symlink(b"d", b"x/../../../y", b"d/l").is_err());
    }
}
