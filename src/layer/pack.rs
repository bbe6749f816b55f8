//! Packing a directory tree into a layer tar (commit, build, export).
//!
//! Deterministic: names sorted bytewise, no atime/ctime, no user/group names, so packing the
//! same tree twice gives the same diff_id. Overlay upper-dir form is turned back into OCI
//! form: 0/0 char devices become `.wh.<name>` and opaque dirs get a `.wh..wh..opq` entry.

use super::fsat::{get_xattr, list_xattrs};
use std::collections::HashMap;
use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, BufReader, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use tar::{Builder, EntryType, Header};

const READ_BUF_SIZE: usize = 1 << 20;

/// Writes an uncompressed tar of the tree under `dir` (the root itself is not an entry).
pub fn pack_dir(dir: &Path, out: impl Write) -> Result<()> {
    pack_dir_with_mtime(dir, out, None)
}

/// Like [`pack_dir`], with every entry's mtime set to `mtime` (seconds since the epoch) when
/// given: `build --timestamp`, for layers that do not change with the time of the build.
pub fn pack_dir_with_mtime(dir: &Path, out: impl Write, mtime: Option<u64>) -> Result<()> {
    let mut packer = Packer {
        root: dir,
        builder: Builder::new(out),
        links: HashMap::new(),
        mtime,
    };
    // Depth-first, pre-order, children in name order; an explicit stack keeps deep trees
    // off the call stack.
    let mut stack: Vec<PathBuf> = sorted_children(dir, Path::new(""))?;
    stack.reverse();
    while let Some(rel) = stack.pop() {
        if packer.entry(&rel)? {
            let mut children = sorted_children(dir, &rel)?;
            children.reverse();
            stack.extend(children);
        }
    }
    packer.builder.finish().context("writing layer tar")?;
    Ok(())
}

fn sorted_children(root: &Path, rel: &Path) -> Result<Vec<PathBuf>> {
    let names = super::fsat::sorted_names(&root.join(rel))?;
    Ok(names.into_iter().map(|n| rel.join(n)).collect())
}

struct Packer<'a, W: Write> {
    root: &'a Path,
    builder: Builder<W>,
    /// First path seen for each multiply-linked inode, to store the others as hard links.
    links: HashMap<(u64, u64), PathBuf>,
    /// Every entry's mtime, instead of the file's own.
    mtime: Option<u64>,
}

impl<W: Write> Packer<'_, W> {
    /// Appends one entry; returns whether it is a directory to descend into.
    fn entry(&mut self, rel: &Path) -> Result<bool> {
        let abs = self.root.join(rel);
        let meta =
            fs::symlink_metadata(&abs).with_context(|| format!("reading {}", abs.display()))?;
        let ft = meta.file_type();
        let mut header = base_header(&meta, self.mtime);
        let ctx = || format!("adding {} to the layer", abs.display());

        if ft.is_char_device() && meta.rdev() == 0 {
            // Overlay whiteout -> OCI whiteout file.
            let name = rel.file_name().map(|n| n.as_bytes()).unwrap_or_default();
            let mut wh = b".wh.".to_vec();
            wh.extend_from_slice(name);
            let path = rel.with_file_name(OsString::from_vec(wh));
            header.set_entry_type(EntryType::Regular);
            header.set_mode(0o600);
            header.set_size(0);
            self.builder
                .append_data(&mut header, &path, io::empty())
                .with_context(ctx)?;
            return Ok(false);
        }

        let (xattrs, opaque) = read_xattrs(&abs)?;
        if !ft.is_dir() && meta.nlink() > 1 {
            let key = (meta.dev(), meta.ino());
            if let Some(first) = self.links.get(&key) {
                header.set_entry_type(EntryType::Link);
                header.set_size(0);
                self.builder
                    .append_link(&mut header, rel, first)
                    .with_context(ctx)?;
                return Ok(false);
            }
            self.links.insert(key, rel.to_path_buf());
        }
        if !xattrs.is_empty() {
            let pax = xattrs.iter().map(|(k, v)| (k.as_str(), v.as_slice()));
            self.builder.append_pax_extensions(pax).with_context(ctx)?;
        }

        if ft.is_dir() {
            header.set_entry_type(EntryType::Directory);
            header.set_size(0);
            let mut name = rel.as_os_str().to_owned();
            name.push("/");
            self.builder
                .append_data(&mut header, &name, io::empty())
                .with_context(ctx)?;
            if opaque {
                let mut marker = base_header(&meta, self.mtime);
                marker.set_entry_type(EntryType::Regular);
                marker.set_mode(meta.mode() & 0o777);
                marker.set_size(0);
                let path = rel.join(".wh..wh..opq");
                self.builder
                    .append_data(&mut marker, &path, io::empty())
                    .with_context(ctx)?;
            }
            return Ok(true);
        }
        if ft.is_symlink() {
            let target = fs::read_link(&abs).with_context(ctx)?;
            header.set_entry_type(EntryType::Symlink);
            header.set_size(0);
            self.builder
                .append_link(&mut header, rel, &target)
                .with_context(ctx)?;
        } else if ft.is_file() {
            header.set_entry_type(EntryType::Regular);
            header.set_size(meta.len());
            let file = File::open(&abs).with_context(ctx)?;
            let reader = BufReader::with_capacity(READ_BUF_SIZE, file);
            self.builder
                .append_data(&mut header, rel, reader)
                .with_context(ctx)?;
        } else if ft.is_char_device() || ft.is_block_device() || ft.is_fifo() {
            let kind = if ft.is_char_device() {
                EntryType::Char
            } else if ft.is_block_device() {
                EntryType::Block
            } else {
                EntryType::Fifo
            };
            header.set_entry_type(kind);
            header.set_size(0);
            if kind != EntryType::Fifo {
                let dev = meta.rdev();
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
        } else {
            log::debug!("not packing socket {}", abs.display());
        }
        Ok(false)
    }
}

fn base_header(meta: &fs::Metadata, mtime: Option<u64>) -> Header {
    let mut header = Header::new_gnu();
    header.set_mode(meta.mode() & 0o7777);
    header.set_uid(u64::from(meta.uid()));
    header.set_gid(u64::from(meta.gid()));
    header.set_mtime(mtime.unwrap_or(meta.mtime().max(0) as u64));
    header
}

/// The xattrs to store as PAX records (sorted), and whether the dir is overlay-opaque.
/// Overlay's own xattrs are not content; security.selinux is the host's label, not the image's.
type PaxRecords = Vec<(String, Vec<u8>)>;

fn read_xattrs(path: &Path) -> Result<(PaxRecords, bool)> {
    let mut out = Vec::new();
    let mut opaque = false;
    let names = match list_xattrs(path) {
        Ok(names) => names,
        Err(e) if e.raw_os_error() == Some(libc::EOPNOTSUPP) => return Ok((out, false)),
        Err(e) => return Err(e).with_context(|| format!("listing xattrs of {}", path.display())),
    };
    for name in names.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let value = get_xattr(path, name)
            .with_context(|| format!("reading xattrs of {}", path.display()))?;
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
