//! Packing a directory tree into a layer tar (commit, build, export, cp).
//!
//! Deterministic: names sorted bytewise, no atime/ctime, no user/group names, so packing the
//! same tree twice gives the same diff_id. Overlay upper-dir form is turned back into OCI
//! form: 0/0 char devices become `.wh.<name>` and opaque dirs get a `.wh..wh..opq` entry.
//!
//! The tree may belong to a running container that changes it while we read (commit, diff,
//! export): no path below the root is ever resolved. Each entry is opened relative to its
//! parent's fd with O_NOFOLLOW (O_PATH first, then fstat), directories are descended
//! through their own fds, symlinks are read with readlinkat, and a regular file is read
//! from the very inode that was fstat'ed. A swap at the wrong moment can only give a
//! wrong-but-in-tree entry or a skipped one, never a file from outside the tree. The walk
//! keeps a bounded number of fds open and never hands the kernel a long path, so trees
//! deeper than PATH_MAX pack too.

use super::fsat::{fget_xattr, flist_xattrs, open_subdir, walk_tree};
use std::collections::HashMap;
use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rustix::fs::{FileType, Mode, OFlags, Stat};
use rustix::io::Errno;
use tar::{Builder, EntryType, Header};

const READ_BUF_SIZE: usize = 1 << 20;

/// Writes an uncompressed tar of the tree under `dir` (the root itself is not an entry).
pub fn pack_dir(dir: &Path, out: impl Write) -> Result<()> {
    pack_dir_with_mtime(dir, out, None)
}

/// Like [`pack_dir`], with every entry's mtime set to `mtime` (seconds since the epoch) when
/// given: `build --timestamp`, for layers that do not change with the time of the build.
pub fn pack_dir_with_mtime(dir: &Path, out: impl Write, mtime: Option<u64>) -> Result<()> {
    let root = open_root(dir)?;
    let opts = PackOptions {
        mtime,
        ..PackOptions::layer()
    };
    pack_dir_fd(root, out, &opts)
}

fn open_root(dir: &Path) -> Result<OwnedFd> {
    rustix::fs::open(
        dir,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(io::Error::from)
    .with_context(|| format!("reading directory {}", dir.display()))
}

/// How a tree is packed.
#[derive(Debug, Clone, Default)]
pub(crate) struct PackOptions {
    /// Every entry's mtime, instead of the file's own.
    pub mtime: Option<u64>,
    /// Overlay upper-dir form to OCI form (whiteouts, opaque dirs): layers.
    pub overlay: bool,
    /// Every entry's owner, instead of the file's own.
    pub owner: Option<(u32, u32)>,
    /// Leave out entries named `.wh.*` (cp: an unpacker would take them for whiteouts).
    pub skip_whiteout_names: bool,
    /// Leave out device nodes, with a warning (cp where the other side may not make them).
    pub skip_devices: bool,
}

impl PackOptions {
    pub fn layer() -> PackOptions {
        PackOptions {
            overlay: true,
            ..PackOptions::default()
        }
    }
}

/// Packs the tree below the open directory `root` (the root itself is not an entry).
pub(crate) fn pack_dir_fd(root: OwnedFd, out: impl Write, opts: &PackOptions) -> Result<()> {
    let mut packer = Packer::new(out, opts, Vec::new());
    walk_tree(root, |parent, name, rel, _| packer.entry(parent, name, rel))?;
    packer.builder.finish().context("writing layer tar")?;
    Ok(())
}

/// Packs entry `name` of the open directory `parent` (and, for a directory, its tree) under
/// the name `archive_name`. `name` may be `.` for `parent` itself.
pub(crate) fn pack_entry(
    parent: BorrowedFd<'_>,
    name: &[u8],
    archive_name: &[u8],
    out: impl Write,
    opts: &PackOptions,
) -> Result<()> {
    let mut packer = Packer::new(out, opts, Vec::new());
    if let Some(dir) = packer.entry(parent, name, archive_name)? {
        packer.prefix = archive_name.to_vec();
        packer.prefix.push(b'/');
        walk_tree(dir, |parent, name, rel, _| packer.entry(parent, name, rel))?;
    }
    packer.builder.finish().context("writing tar")?;
    Ok(())
}

struct Packer<'o, W: Write> {
    builder: Builder<W>,
    /// First path seen for each multiply-linked inode, to store the others as hard links.
    links: HashMap<(u64, u64), PathBuf>,
    opts: &'o PackOptions,
    /// Put before every entry's path below the walk's root.
    prefix: Vec<u8>,
}

/// Whether `/proc/self/fd` can reopen an O_PATH fd here (not in a chroot without /proc).
fn reopen_through_proc(fd: BorrowedFd<'_>) -> Option<io::Result<OwnedFd>> {
    let path = format!("/proc/self/fd/{}", fd.as_raw_fd());
    match rustix::fs::open(&path, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()) {
        Err(Errno::NOENT) => None,
        r => Some(r.map_err(io::Error::from)),
    }
}

impl<'o, W: Write> Packer<'o, W> {
    fn new(out: W, opts: &'o PackOptions, prefix: Vec<u8>) -> Self {
        Packer {
            builder: Builder::new(out),
            links: HashMap::new(),
            opts,
            prefix,
        }
    }

    /// Appends entry `name` of directory `parent` as `rel` (after the prefix); returns the
    /// opened directory when it is one to descend into.
    fn entry(
        &mut self,
        parent: BorrowedFd<'_>,
        name: &[u8],
        rel: &[u8],
    ) -> Result<Option<OwnedFd>> {
        let mut full = self.prefix.clone();
        full.extend_from_slice(rel);
        let rel = Path::new(OsStr::from_bytes(&full));
        let ctx = || format!("adding {} to the layer", rel.display());
        if self.opts.skip_whiteout_names && name.starts_with(b".wh.") {
            log::warn!(
                "not copying {}: a name that means a whiteout",
                rel.display()
            );
            return Ok(None);
        }
        let path_fd = match rustix::fs::openat(
            parent,
            name,
            OFlags::PATH | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        ) {
            Ok(fd) => fd,
            // Gone since the directory was listed (a running container).
            Err(Errno::NOENT) => return Ok(None),
            Err(e) => return Err(io::Error::from(e)).with_context(ctx),
        };
        let mut st = rustix::fs::fstat(&path_fd)
            .map_err(io::Error::from)
            .with_context(ctx)?;
        let ft = FileType::from_raw_mode(st.st_mode);
        let mut header = self.base_header(&st);

        if self.opts.overlay && ft == FileType::CharacterDevice && st.st_rdev == 0 {
            // Overlay whiteout -> OCI whiteout file.
            let leaf = rel.file_name().map(|n| n.as_bytes()).unwrap_or_default();
            let mut wh = b".wh.".to_vec();
            wh.extend_from_slice(leaf);
            let path = rel.with_file_name(OsStr::from_bytes(&wh));
            header.set_entry_type(EntryType::Regular);
            header.set_mode(0o600);
            header.set_size(0);
            self.builder
                .append_data(&mut header, &path, io::empty())
                .with_context(ctx)?;
            return Ok(None);
        }

        // Directories and regular files are opened for real (their content and xattrs are
        // read from those fds); the open must reach the inode that was fstat'ed.
        let opened: Option<OwnedFd> = match ft {
            FileType::Directory => match open_subdir(parent, name) {
                Ok(fd) => Some(fd),
                Err(e)
                    if matches!(
                        e.raw_os_error(),
                        Some(libc::ELOOP | libc::ENOTDIR | libc::ENOENT)
                    ) =>
                {
                    log::debug!("{} changed while it was packed", rel.display());
                    return Ok(None);
                }
                Err(e) => return Err(e).with_context(ctx),
            },
            FileType::RegularFile => {
                let fd = match reopen_through_proc(path_fd.as_fd()) {
                    Some(r) => r,
                    // No /proc: open by name, never following a link or blocking on a FIFO.
                    None => rustix::fs::openat(
                        parent,
                        name,
                        OFlags::RDONLY
                            | OFlags::NOFOLLOW
                            | OFlags::NONBLOCK
                            | OFlags::NOCTTY
                            | OFlags::CLOEXEC,
                        Mode::empty(),
                    )
                    .map_err(io::Error::from),
                };
                match fd {
                    Ok(fd) => Some(fd),
                    Err(e) if matches!(e.raw_os_error(), Some(libc::ELOOP | libc::ENOENT)) => {
                        log::debug!("{} changed while it was packed", rel.display());
                        return Ok(None);
                    }
                    Err(e) => return Err(e).with_context(ctx),
                }
            }
            _ => None,
        };
        if let Some(fd) = &opened {
            let now = rustix::fs::fstat(fd)
                .map_err(io::Error::from)
                .with_context(ctx)?;
            if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino)
                || FileType::from_raw_mode(now.st_mode) != ft
            {
                log::debug!("{} changed while it was packed", rel.display());
                return Ok(None);
            }
            st = now;
            header = self.base_header(&st);
        }

        let (xattrs, opaque) = match &opened {
            Some(fd) => read_xattrs(fd.as_fd(), rel)?,
            // Symlinks and special files: user xattrs are not allowed on them and the
            // overlay's and SELinux's are not content.
            None => (Vec::new(), false),
        };
        if ft != FileType::Directory && st.st_nlink > 1 {
            let key = (st.st_dev, st.st_ino);
            if let Some(first) = self.links.get(&key) {
                header.set_entry_type(EntryType::Link);
                header.set_size(0);
                self.builder
                    .append_link(&mut header, rel, first)
                    .with_context(ctx)?;
                return Ok(None);
            }
            self.links.insert(key, rel.to_path_buf());
        }
        if !xattrs.is_empty() {
            let pax = xattrs.iter().map(|(k, v)| (k.as_str(), v.as_slice()));
            self.builder.append_pax_extensions(pax).with_context(ctx)?;
        }

        match ft {
            FileType::Directory => {
                header.set_entry_type(EntryType::Directory);
                header.set_size(0);
                let mut dir_name = rel.as_os_str().to_owned();
                dir_name.push("/");
                self.builder
                    .append_data(&mut header, &dir_name, io::empty())
                    .with_context(ctx)?;
                if opaque && self.opts.overlay {
                    let mut marker = self.base_header(&st);
                    marker.set_entry_type(EntryType::Regular);
                    marker.set_mode(st.st_mode & 0o777);
                    marker.set_size(0);
                    let path = rel.join(".wh..wh..opq");
                    self.builder
                        .append_data(&mut marker, &path, io::empty())
                        .with_context(ctx)?;
                }
                return Ok(opened);
            }
            FileType::Symlink => {
                let target = match rustix::fs::readlinkat(parent, name, Vec::new()) {
                    Ok(t) => t.into_bytes(),
                    // Replaced by something else since the fstat.
                    Err(Errno::INVAL | Errno::NOENT) => return Ok(None),
                    Err(e) => return Err(io::Error::from(e)).with_context(ctx),
                };
                header.set_entry_type(EntryType::Symlink);
                header.set_size(0);
                if !target.is_empty() && target.iter().all(|&b| b == b'/') {
                    // The tar crate would write `/` as `//`.
                    header.set_link_name_literal(b"/").with_context(ctx)?;
                    self.builder
                        .append_data(&mut header, rel, io::empty())
                        .with_context(ctx)?;
                } else {
                    self.builder
                        .append_link(&mut header, rel, Path::new(OsStr::from_bytes(&target)))
                        .with_context(ctx)?;
                }
            }
            FileType::RegularFile => {
                let Some(fd) = opened else { return Ok(None) };
                let size = st.st_size.max(0) as u64;
                header.set_entry_type(EntryType::Regular);
                header.set_size(size);
                // Exactly `size` bytes even if the file changes while we read it.
                let reader = BufReader::with_capacity(READ_BUF_SIZE, File::from(fd))
                    .take(size)
                    .chain(io::repeat(0))
                    .take(size);
                self.builder
                    .append_data(&mut header, rel, reader)
                    .with_context(ctx)?;
            }
            FileType::CharacterDevice | FileType::BlockDevice if self.opts.skip_devices => {
                log::warn!(
                    "not copying device {}: creating devices is not permitted here",
                    rel.display()
                );
            }
            FileType::CharacterDevice | FileType::BlockDevice | FileType::Fifo => {
                let kind = match ft {
                    FileType::CharacterDevice => EntryType::Char,
                    FileType::BlockDevice => EntryType::Block,
                    _ => EntryType::Fifo,
                };
                header.set_entry_type(kind);
                header.set_size(0);
                if kind != EntryType::Fifo {
                    let dev = st.st_rdev;
                    header
                        .set_device_major(rustix::fs::major(dev))
                        .with_context(ctx)?;
                    header
                        .set_device_minor(rustix::fs::minor(dev))
                        .with_context(ctx)?;
                }
                self.builder
                    .append_data(&mut header, rel, io::empty())
                    .with_context(ctx)?;
            }
            _ => log::debug!("not packing socket {}", rel.display()),
        }
        Ok(None)
    }

    fn base_header(&self, st: &Stat) -> Header {
        let mut header = Header::new_gnu();
        header.set_mode(st.st_mode & 0o7777);
        let (uid, gid) = self.opts.owner.unwrap_or((st.st_uid, st.st_gid));
        header.set_uid(u64::from(uid));
        header.set_gid(u64::from(gid));
        header.set_mtime(self.opts.mtime.unwrap_or(st.st_mtime.max(0) as u64));
        header
    }
}

/// The xattrs to store as PAX records (sorted), and whether the dir is overlay-opaque.
/// Overlay's own xattrs are not content; security.selinux is the host's label, not the image's.
type PaxRecords = Vec<(String, Vec<u8>)>;

fn read_xattrs(fd: BorrowedFd<'_>, path: &Path) -> Result<(PaxRecords, bool)> {
    let mut out = Vec::new();
    let mut opaque = false;
    let names = match flist_xattrs(fd) {
        Ok(names) => names,
        Err(e) if e.raw_os_error() == Some(libc::EOPNOTSUPP) => return Ok((out, false)),
        Err(e) => return Err(e).with_context(|| format!("listing xattrs of {}", path.display())),
    };
    for name in names.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let value = match fget_xattr(fd, name) {
            Ok(v) => v,
            // Removed since the listing.
            Err(e) if e.raw_os_error() == Some(libc::ENODATA) => continue,
            Err(e) => {
                return Err(e).with_context(|| format!("reading xattrs of {}", path.display()));
            }
        };
        if name == b"trusted.overlay.opaque" || name == b"user.overlay.opaque" {
            opaque |= value == b"y";
            continue;
        }
        if super::fsat::is_host_xattr(name) {
            continue;
        }
        let Ok(name) = std::str::from_utf8(name) else {
            log::warn!("skipping non-UTF-8 xattr name on {}", path.display());
            continue;
        };
        out.push((format!("SCHILY.xattr.{name}"), value));
    }
    out.sort();
    Ok((out, opaque))
}
