//! The content checksum of COPY sources, for the build cache key.
//!
//! Covered, for each source in order: the source path as named after wildcard expansion
//! (it names the destination file, and a wildcard that now matches another file must miss
//! the cache), then for every path the walk yields, in walk order: its path relative to the
//! source, its type, its permission bits including setuid, setgid and sticky (mode & 07777),
//! and by type: a regular file's content (sha256, streamed), a symlink's target, a device's
//! numbers; plus extended attributes, which COPY carries (security.selinux and overlay's own
//! are left out, as the layer packer leaves them out).
//!
//! Not covered:
//! - times: BuildKit leaves mtime out, so a fresh checkout or a `touch` keeps the cache;
//! - owner and group: BuildKit's client sends a local context with every owner reset to
//!   0:0, and COPY writes 0:0 or the `--chown` ids, which are part of the instruction and
//!   so of the cache key already, not of the content;
//! - hard links between copied files: the content is the same either way;
//! - which symlink a source went through: only where it led matters to the copy.
//!
//! Every field is written as a tag byte, a length and the bytes, so no two different trees
//! give the same input to the hash.

use crate::layer::fsat::{get_xattr, list_xattrs};
use std::fs::File;
use std::io::{self, Read};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::{BuildContext, ContextEntry, WalkItem};
use crate::image::digest::{Digest, Hasher};

/// Bumped whenever what goes into the checksum changes, so old cache keys miss.
const VERSION: &[u8] = b"skiff-context-checksum-v1";
const READ_BUF_SIZE: usize = 256 * 1024;

impl BuildContext {
    /// The checksum of everything the COPY of `entries` would copy (see above).
    pub fn checksum(&self, entries: &[ContextEntry]) -> Result<Digest> {
        let mut hasher = Hasher::new();
        field(&mut hasher, b'V', VERSION);
        let mut buf = vec![0u8; READ_BUF_SIZE];
        for entry in entries {
            field(&mut hasher, b'S', entry.source.as_os_str().as_bytes());
            self.walk(entry, |item| hash_item(&mut hasher, item, &mut buf))?;
        }
        Ok(hasher.finish())
    }
}

fn hash_item(hasher: &mut Hasher, item: &WalkItem, buf: &mut [u8]) -> Result<()> {
    let meta = &item.metadata;
    let kind = meta.file_type();
    field(hasher, b'P', item.rel.as_os_str().as_bytes());
    field(hasher, b'M', &(meta.mode() & 0o7777).to_le_bytes());
    if kind.is_file() {
        let digest = file_digest(&item.path, buf)?;
        field(hasher, b'F', digest.hex().as_bytes());
    } else if kind.is_dir() {
        field(hasher, b'D', b"");
    } else if kind.is_symlink() {
        let target = std::fs::read_link(&item.path)
            .with_context(|| format!("reading link {}", item.path.display()))?;
        field(hasher, b'L', target.as_os_str().as_bytes());
    } else if kind.is_block_device() {
        field(hasher, b'B', &meta.rdev().to_le_bytes());
    } else if kind.is_char_device() {
        field(hasher, b'C', &meta.rdev().to_le_bytes());
    } else if kind.is_fifo() {
        field(hasher, b'I', b"");
    } else {
        field(hasher, b'O', b"");
    }
    for (name, value) in copied_xattrs(&item.path)? {
        field(hasher, b'X', &name);
        field(hasher, b'Y', &value);
    }
    Ok(())
}

/// One tagged, length-prefixed field.
fn field(hasher: &mut Hasher, tag: u8, bytes: &[u8]) {
    hasher.update(&[tag]);
    hasher.update(&(bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}

/// The sha256 of a regular file's content, read in chunks.
fn file_digest(path: &Path, buf: &mut [u8]) -> Result<Digest> {
    let read = |buf: &mut [u8]| -> io::Result<Option<Digest>> {
        // NOFOLLOW and NONBLOCK: if the file was swapped for a link or a fifo since the
        // walk saw it, fail or notice rather than follow it or hang.
        let mut file = File::options()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(path)?;
        if !file.metadata()?.is_file() {
            return Ok(None);
        }
        let mut hasher = Hasher::new();
        loop {
            match file.read(buf) {
                Ok(0) => return Ok(Some(hasher.finish())),
                Ok(n) => hasher.update(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    };
    match read(buf).with_context(|| format!("reading {}", path.display()))? {
        Some(digest) => Ok(digest),
        None => bail!("{} changed while it was read", path.display()),
    }
}

/// The xattrs COPY carries (and the checksum covers), sorted: all but overlay's own and
/// security.selinux.
pub(crate) fn copied_xattrs(path: &Path) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
    let names = match list_xattrs(path) {
        Ok(names) => names,
        Err(e) if e.raw_os_error() == Some(libc::EOPNOTSUPP) => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("listing xattrs of {}", path.display())),
    };
    let mut out = Vec::new();
    for name in names.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        if crate::layer::fsat::is_host_xattr(name) {
            continue;
        }
        let value = get_xattr(path, name)
            .with_context(|| format!("reading xattrs of {}", path.display()))?;
        out.push((name.to_vec(), value));
    }
    out.sort();
    Ok(out)
}
