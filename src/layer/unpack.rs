//! Safe layer unpacking into an overlayfs lower dir.
//!
//! The tar crate's own `unpack` neither knows OCI whiteouts nor resolves paths against a root
//! fd, so we drive its entry iterator ourselves. Every entry is created with an `*at` syscall
//! relative to its parent directory, and that parent is opened with
//! `openat2(RESOLVE_IN_ROOT)` on the layer dir: symlinks met on the way (from earlier entries
//! of this layer) resolve as if the layer were `/`, exactly what a chroot'ed Docker or Podman
//! unpack does, and nothing can reach outside `dest`. `..` never reaches the kernel: names are
//! cleaned lexically first and a name that climbs above the root is an error. A symlink's
//! target is stored as it is, even one that climbs above the root (`../../../tmp/x`): it
//! resolves inside the root like any other, and Podman accepts it (Docker refuses it).

use super::fsat::{
    open_dir, open_dir_nofollow, open_or_create_dir, remove_tree_at, show, split_path,
};
use std::fmt;
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use rustix::fs::Timespec;
use rustix::fs::{AtFlags, FileType, Gid, Mode, OFlags, Timestamps, Uid, XattrFlags};
use rustix::io::Errno;
use tar::EntryType;

use super::compression::decompressor;
use crate::image::digest::{Digest, HashingReader};

const COPY_BUF_SIZE: usize = 1 << 20;
const WHITEOUT_PREFIX: &[u8] = b".wh.";
const OPAQUE_MARKER: &[u8] = b".wh..wh..opq";
const XATTR_PAX_PREFIX: &[u8] = b"SCHILY.xattr.";
/// PAX records of GNU's sparse formats 0.x and 1.0 (`GNU.sparse.map`, `.size`, `.major` ...).
const PAX_SPARSE_PREFIX: &[u8] = b"GNU.sparse.";

#[derive(Clone, Copy, Debug, Default)]
pub struct UnpackOptions {
    /// Unpacking inside a user namespace: overlay runs with `userxattr`, so the opaque marker
    /// is `user.overlay.opaque`, and device nodes cannot be created (they are skipped).
    pub rootless: bool,
    /// Ignore EINVAL/EPERM from chown, for user namespaces that map a single id.
    pub ignore_chown_errors: bool,
}

#[derive(Clone, Debug)]
pub struct UnpackStats {
    /// sha256 of the uncompressed tar stream, trailing padding included.
    pub diff_id: Digest,
    /// Length of the uncompressed tar stream.
    pub tar_size: u64,
    /// Sum of the sizes of the regular files written.
    pub content_size: u64,
}

/// Unpacks a (possibly gzip or zstd compressed) layer tar from `reader` into the empty
/// directory `dest`, in overlayfs lower-dir form (whiteouts as 0/0 char devices, opaque
/// directories marked by xattr). On error `dest` is left half-written: the caller removes it.
pub fn unpack_layer(reader: impl Read, dest: &Path, opts: &UnpackOptions) -> Result<UnpackStats> {
    let root = rustix::fs::open(
        dest,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(io::Error::from)
    .with_context(|| format!("opening layer directory {}", dest.display()))?;
    let (_, stream) = decompressor(reader).context("reading layer")?;
    let mut hashed = HashingReader::new(stream);
    let mut unpacker = Unpacker::new(root, *opts);

    for entry in tar::Archive::new(MetaLimit::new(&mut hashed))
        .entries()
        .map_err(read_error)?
    {
        let mut entry = entry.map_err(read_error)?;
        unpacker.entry(&mut entry)?;
    }
    // The diff_id covers the whole stream: the end-of-archive blocks and any padding after.
    io::copy(&mut hashed, &mut io::sink()).map_err(read_error)?;
    unpacker.finish()?;

    let (diff_id, tar_size) = hashed.finish();
    Ok(UnpackStats {
        diff_id,
        tar_size,
        content_size: unpacker.content_size,
    })
}

/// An error reading the layer stream (as opposed to writing the tree).
#[derive(Debug)]
struct ReadError(String);

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "reading layer: {}", self.0)
    }
}

impl std::error::Error for ReadError {}

fn read_error(e: io::Error) -> anyhow::Error {
    let msg = e.to_string();
    // The tar crate's words for a stream that stops early.
    let truncated = e.kind() == io::ErrorKind::UnexpectedEof
        && !msg.starts_with("gzip")
        && !msg.starts_with("zstd")
        || msg.contains("failed to read entire block")
        || msg.contains("unexpected EOF during skip")
        || msg.contains("but no future member found");
    if truncated {
        return ReadError("unexpected end of tar stream".into()).into();
    }
    ReadError(msg).into()
}

/// Sparse files are refused, as Podman (containers/storage) refuses them: their header claims
/// a size that the data does not hold (105 bytes can claim a GiB of holes), and writing the
/// holes densely would let a tiny layer fill the disk.
fn sparse_refused(path: &[u8]) -> anyhow::Error {
    anyhow!(
        "tar entry {} is a sparse file: sparse files are not supported in layers",
        show(path)
    )
}

fn truncated() -> anyhow::Error {
    ReadError("unexpected end of tar stream".into()).into()
}

/// Owner, mode and times from a tar header (PAX overrides applied).
struct Meta {
    uid: Uid,
    gid: Gid,
    mode: Mode,
    mtime: Timespec,
}

impl Meta {
    fn times(&self) -> Timestamps {
        Timestamps {
            last_access: self.mtime,
            last_modification: self.mtime,
        }
    }
}

struct Unpacker {
    root: OwnedFd,
    opts: UnpackOptions,
    dirs: DirCache,
    buf: Vec<u8>,
    path: Vec<u8>,
    link: Vec<u8>,
    xattrs: Vec<(Vec<u8>, Vec<u8>)>,
    /// Directory mtimes, applied at the end, after their children stopped changing them.
    dir_times: Vec<(Vec<u8>, Timestamps)>,
    content_size: u64,
}

impl Unpacker {
    fn new(root: OwnedFd, opts: UnpackOptions) -> Unpacker {
        Unpacker {
            root,
            opts,
            dirs: DirCache::default(),
            buf: vec![0; COPY_BUF_SIZE],
            path: Vec::new(),
            link: Vec::new(),
            xattrs: Vec::new(),
            dir_times: Vec::new(),
            content_size: 0,
        }
    }

    fn entry<R: Read>(&mut self, entry: &mut tar::Entry<'_, R>) -> Result<()> {
        let kind = entry.header().entry_type();
        if matches!(kind, EntryType::XGlobalHeader | EntryType::XHeader) {
            return Ok(());
        }
        clean_path(&entry.path_bytes(), &mut self.path)?;
        if matches!(kind, EntryType::Link | EntryType::Symlink) {
            let Some(target) = entry.link_name_bytes() else {
                bail!("tar entry {} has no link target", show(&self.path));
            };
            self.link.clear();
            self.link.extend_from_slice(&target);
        }
        let meta = self.read_meta(entry)?;
        // Take the path out so it can be borrowed next to the rest of `self`.
        let path = std::mem::take(&mut self.path);
        let result = self.dispatch(entry, kind, &path, &meta);
        self.path = path;
        result
    }

    fn read_meta<R: Read>(&mut self, entry: &mut tar::Entry<'_, R>) -> Result<Meta> {
        let header = entry.header();
        // Empty numeric fields read as 0, as Go's archive/tar does (some writers leave them).
        let old = header.as_old();
        let mut uid = Uid::from_raw(if blank(&old.uid) {
            0
        } else {
            id(header.uid(), "uid")?
        });
        let mut gid = Gid::from_raw(if blank(&old.gid) {
            0
        } else {
            id(header.gid(), "gid")?
        });
        let mode = Mode::from_raw_mode(
            if blank(&old.mode) {
                0
            } else {
                header.mode().map_err(read_error)?
            } & 0o7777,
        );
        let mut mtime = Timespec {
            tv_sec: if blank(&old.mtime) {
                0
            } else {
                header.mtime().map_err(read_error)?.min(i64::MAX as u64) as i64
            },
            tv_nsec: 0,
        };
        self.xattrs.clear();
        if let Some(pax) = entry.pax_extensions().map_err(read_error)? {
            for ext in pax {
                let ext = ext.map_err(read_error)?;
                let key = ext.key_bytes();
                if key.starts_with(PAX_SPARSE_PREFIX) {
                    let mut path = Vec::new();
                    clean_path(&entry.path_bytes(), &mut path)?;
                    return Err(sparse_refused(&path));
                }
                if let Some(name) = key.strip_prefix(XATTR_PAX_PREFIX) {
                    self.xattrs
                        .push((name.to_vec(), ext.value_bytes().to_vec()));
                } else if key == b"mtime"
                    && let Some(t) = parse_pax_time(ext.value_bytes())
                {
                    mtime = t;
                } else if key == b"uid" || key == b"gid" {
                    // PAX ids, for ids too large for the header's octal field.
                    let value = std::str::from_utf8(ext.value_bytes())
                        .ok()
                        .and_then(|v| v.parse::<u32>().ok());
                    let Some(v) = value else {
                        bail!(
                            "invalid PAX {} record in tar header",
                            String::from_utf8_lossy(key)
                        )
                    };
                    if key == b"uid" {
                        uid = Uid::from_raw(v);
                    } else {
                        gid = Gid::from_raw(v);
                    }
                }
            }
        }
        Ok(Meta {
            uid,
            gid,
            mode,
            mtime,
        })
    }

    fn dispatch<R: Read>(
        &mut self,
        entry: &mut tar::Entry<'_, R>,
        kind: EntryType,
        path: &[u8],
        meta: &Meta,
    ) -> Result<()> {
        let (parent, name) = split_path(path);
        if name.is_empty() {
            return self.root_entry(kind, path, meta);
        }
        if let Some(hidden) = name.strip_prefix(WHITEOUT_PREFIX) {
            return self.whiteout(parent, hidden, meta);
        }
        let link_target = if kind == EntryType::Link {
            let mut target = Vec::new();
            clean_path(&self.link, &mut target).map_err(|_| {
                anyhow!(
                    "hard link {} -> {} escapes the layer root",
                    show(path),
                    show(&self.link)
                )
            })?;
            Some(target)
        } else {
            None
        };

        let dirfd = self
            .dirs
            .get(self.root.as_fd(), parent)
            .with_context(|| format!("creating parent directory of {}", show(path)))?;
        let ctx = Ctx {
            dir: dirfd,
            name,
            path,
            opts: &self.opts,
            xattrs: &self.xattrs,
            meta,
        };
        let replaced = match kind {
            EntryType::GNUSparse => return Err(sparse_refused(path)),
            EntryType::Regular | EntryType::Continuous => {
                let (written, replaced) = ctx.file(entry, &mut self.buf)?;
                self.content_size += written;
                replaced
            }
            EntryType::Directory => {
                let replaced = ctx.dir()?;
                self.dir_times.push((path.to_vec(), meta.times()));
                replaced
            }
            EntryType::Symlink => ctx.symlink(&self.link)?,
            EntryType::Link => {
                let target = link_target.unwrap_or_default();
                if target == path {
                    return Ok(());
                }
                let (tparent, tname) = split_path(&target);
                let tdir = open_dir(self.root.as_fd(), tparent).with_context(|| {
                    format!(
                        "hard link {} -> {}: target not found",
                        show(path),
                        show(&target)
                    )
                })?;
                ctx.hard_link(tdir.as_fd(), tname, &target)?
            }
            EntryType::Char | EntryType::Block if self.opts.rootless => {
                log::debug!("skipping device node {} in a rootless unpack", show(path));
                false
            }
            EntryType::Char | EntryType::Block | EntryType::Fifo => {
                let (file_type, dev) = device(entry, kind)?;
                ctx.node(file_type, dev)?
            }
            other => {
                log::debug!("skipping tar entry {} of type {other:?}", show(path));
                false
            }
        };
        if replaced {
            self.dirs.clear();
        }
        Ok(())
    }

    /// An entry naming the layer root itself (`./`): only a directory makes sense.
    fn root_entry(&mut self, kind: EntryType, path: &[u8], meta: &Meta) -> Result<()> {
        if kind != EntryType::Directory {
            bail!(
                "tar entry {} of type {kind:?} cannot replace the layer root",
                show(path)
            );
        }
        let root = self.root.as_fd();
        chown_result(
            rustix::fs::fchown(root, Some(meta.uid), Some(meta.gid)),
            &self.opts,
        )
        .context("chown of the layer root")?;
        set_xattrs_fd(root, &self.xattrs, &self.opts, b".")?;
        rustix::fs::fchmod(root, meta.mode)
            .map_err(io::Error::from)
            .context("chmod of the layer root")?;
        self.dir_times.push((Vec::new(), meta.times()));
        Ok(())
    }

    /// `.wh.name` becomes a 0/0 char device `name`; `.wh..wh..opq` marks its dir opaque.
    fn whiteout(&mut self, parent: &[u8], hidden: &[u8], meta: &Meta) -> Result<()> {
        let mut full = parent.to_vec();
        if !full.is_empty() {
            full.push(b'/');
        }
        full.extend_from_slice(WHITEOUT_PREFIX);
        full.extend_from_slice(hidden);
        let full = String::from_utf8_lossy(&full).into_owned();
        let dirfd = self
            .dirs
            .get(self.root.as_fd(), parent)
            .with_context(|| format!("creating directory for whiteout {full:?}"))?;
        if OPAQUE_MARKER.strip_prefix(WHITEOUT_PREFIX) == Some(hidden) {
            let dir = rustix::fs::openat(
                dirfd,
                ".",
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .map_err(io::Error::from)
            .with_context(|| format!("opening directory for {full:?}"))?;
            let name = if self.opts.rootless {
                "user.overlay.opaque"
            } else {
                "trusted.overlay.opaque"
            };
            rustix::fs::fsetxattr(&dir, name, b"y", XattrFlags::empty())
                .map_err(io::Error::from)
                .with_context(|| format!("marking directory opaque for {full:?}"))?;
            return Ok(());
        }
        if hidden.starts_with(WHITEOUT_PREFIX) {
            // Other `.wh..wh.*` names are aufs bookkeeping with no meaning for overlay.
            log::debug!("ignoring aufs metadata entry {full:?}");
            return Ok(());
        }
        if hidden.is_empty() || hidden == b"." || hidden == b".." {
            log::warn!("ignoring malformed whiteout {full:?}");
            return Ok(());
        }
        let ctx = Ctx {
            dir: dirfd,
            name: hidden,
            path: full.as_bytes(),
            opts: &self.opts,
            xattrs: &[],
            meta,
        };
        if ctx.whiteout()? {
            self.dirs.clear();
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        for (path, times) in &self.dir_times {
            let dir = if path.is_empty() {
                self.root.try_clone()?
            } else {
                match open_dir_nofollow(self.root.as_fd(), path) {
                    Ok(dir) => dir,
                    // Replaced by a later entry of another type: that one's times stand.
                    Err(Errno::NOENT | Errno::NOTDIR | Errno::LOOP) => continue,
                    Err(e) => {
                        return Err(io::Error::from(e))
                            .with_context(|| format!("opening directory {}", show(path)));
                    }
                }
            };
            rustix::fs::futimens(&dir, times)
                .map_err(io::Error::from)
                .with_context(|| format!("setting times of {}", show(path)))?;
        }
        Ok(())
    }
}

/// Everything needed to create one entry in its (already resolved) parent directory.
struct Ctx<'a> {
    dir: BorrowedFd<'a>,
    name: &'a [u8],
    /// Full cleaned path, for messages.
    path: &'a [u8],
    opts: &'a UnpackOptions,
    xattrs: &'a [(Vec<u8>, Vec<u8>)],
    meta: &'a Meta,
}

impl Ctx<'_> {
    fn err(&self, what: &str) -> String {
        format!("{what} {}", show(self.path))
    }

    /// Runs `create`; if the name is taken, removes what is there (tar semantics: the later
    /// entry wins) and tries once more. Returns whether something was removed.
    fn create_replacing(&self, create: impl Fn() -> rustix::io::Result<()>) -> Result<bool> {
        match create() {
            Ok(()) => return Ok(false),
            Err(Errno::EXIST) => {}
            Err(e) => return Err(io::Error::from(e)).with_context(|| self.err("creating")),
        }
        remove_at(self.dir, self.name).with_context(|| self.err("replacing"))?;
        create()
            .map_err(io::Error::from)
            .with_context(|| self.err("creating"))?;
        Ok(true)
    }

    fn file<R: Read>(&self, entry: &mut tar::Entry<'_, R>, buf: &mut [u8]) -> Result<(u64, bool)> {
        let flags =
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = std::cell::Cell::new(None);
        let replaced = self.create_replacing(|| {
            fd.set(Some(rustix::fs::openat(
                self.dir,
                self.name,
                flags,
                Mode::from_raw_mode(0o600),
            )?));
            Ok(())
        })?;
        let Some(fd) = fd.take() else {
            bail!("{}", self.err("creating"))
        };
        let mut file = File::from(fd);
        let size = entry.size();
        let mut written = 0u64;
        loop {
            let n = match entry.read(buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(read_error(e)),
            };
            file.write_all(&buf[..n])
                .with_context(|| self.err("writing"))?;
            written += n as u64;
        }
        if written != size {
            return Err(truncated());
        }
        chown_result(
            rustix::fs::fchown(&file, Some(self.meta.uid), Some(self.meta.gid)),
            self.opts,
        )
        .with_context(|| self.err("chown of"))?;
        set_xattrs_fd(file.as_fd(), self.xattrs, self.opts, self.path)?;
        // After chown, which clears setuid/setgid.
        rustix::fs::fchmod(&file, self.meta.mode)
            .map_err(io::Error::from)
            .with_context(|| self.err("chmod of"))?;
        rustix::fs::futimens(&file, &self.meta.times())
            .map_err(io::Error::from)
            .with_context(|| self.err("setting times of"))?;
        Ok((written, replaced))
    }

    fn dir(&self) -> Result<bool> {
        let mut replaced = false;
        match rustix::fs::mkdirat(self.dir, self.name, Mode::from_raw_mode(0o700)) {
            Ok(()) => {}
            Err(Errno::EXIST) => {
                let st = rustix::fs::statat(self.dir, self.name, AtFlags::SYMLINK_NOFOLLOW)
                    .map_err(io::Error::from)
                    .with_context(|| self.err("inspecting"))?;
                // A directory over a directory only updates its metadata.
                if FileType::from_raw_mode(st.st_mode) != FileType::Directory {
                    let mkdir =
                        || rustix::fs::mkdirat(self.dir, self.name, Mode::from_raw_mode(0o700));
                    replaced = self.create_replacing(mkdir)?;
                }
            }
            Err(e) => {
                return Err(io::Error::from(e)).with_context(|| self.err("creating directory"));
            }
        }
        let nofollow = AtFlags::SYMLINK_NOFOLLOW;
        chown_result(
            rustix::fs::chownat(
                self.dir,
                self.name,
                Some(self.meta.uid),
                Some(self.meta.gid),
                nofollow,
            ),
            self.opts,
        )
        .with_context(|| self.err("chown of"))?;
        if !self.xattrs.is_empty() {
            let fd = rustix::fs::openat(
                self.dir,
                self.name,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .map_err(io::Error::from)
            .with_context(|| self.err("opening"))?;
            set_xattrs_fd(fd.as_fd(), self.xattrs, self.opts, self.path)?;
        }
        rustix::fs::chmodat(self.dir, self.name, self.meta.mode, AtFlags::empty())
            .map_err(io::Error::from)
            .with_context(|| self.err("chmod of"))?;
        Ok(replaced)
    }

    fn symlink(&self, target: &[u8]) -> Result<bool> {
        let replaced =
            self.create_replacing(|| rustix::fs::symlinkat(target, self.dir, self.name))?;
        self.chown_nofollow()?;
        self.set_xattrs_path()?;
        self.set_times_nofollow()?;
        Ok(replaced)
    }

    fn hard_link(&self, tdir: BorrowedFd<'_>, tname: &[u8], target: &[u8]) -> Result<bool> {
        // Without AT_SYMLINK_FOLLOW, a symlink target is linked itself, never followed.
        let link = || rustix::fs::linkat(tdir, tname, self.dir, self.name, AtFlags::empty());
        match link() {
            Ok(()) => Ok(false),
            Err(Errno::NOENT) => bail!(
                "hard link {} -> {}: target not found in this layer",
                show(self.path),
                show(target)
            ),
            Err(Errno::EXIST) => {
                remove_at(self.dir, self.name).with_context(|| self.err("replacing"))?;
                link().map_err(io::Error::from).with_context(|| {
                    format!("hard link {} -> {}", show(self.path), show(target))
                })?;
                Ok(true)
            }
            Err(e) => Err(io::Error::from(e))
                .with_context(|| format!("hard link {} -> {}", show(self.path), show(target))),
        }
    }

    fn node(&self, file_type: FileType, dev: rustix::fs::Dev) -> Result<bool> {
        let replaced = self.create_replacing(|| {
            rustix::fs::mknodat(
                self.dir,
                self.name,
                file_type,
                Mode::from_raw_mode(0o600),
                dev,
            )
        })?;
        self.chown_nofollow()?;
        self.set_xattrs_path()?;
        rustix::fs::chmodat(self.dir, self.name, self.meta.mode, AtFlags::empty())
            .map_err(io::Error::from)
            .with_context(|| self.err("chmod of"))?;
        self.set_times_nofollow()?;
        Ok(replaced)
    }

    fn whiteout(&self) -> Result<bool> {
        let replaced = self.create_replacing(|| {
            rustix::fs::mknodat(
                self.dir,
                self.name,
                FileType::CharacterDevice,
                Mode::empty(),
                0,
            )
        })?;
        self.chown_nofollow()?;
        self.set_times_nofollow()?;
        Ok(replaced)
    }

    fn chown_nofollow(&self) -> Result<()> {
        let r = rustix::fs::chownat(
            self.dir,
            self.name,
            Some(self.meta.uid),
            Some(self.meta.gid),
            AtFlags::SYMLINK_NOFOLLOW,
        );
        chown_result(r, self.opts).with_context(|| self.err("chown of"))
    }

    fn set_times_nofollow(&self) -> Result<()> {
        rustix::fs::utimensat(
            self.dir,
            self.name,
            &self.meta.times(),
            AtFlags::SYMLINK_NOFOLLOW,
        )
        .map_err(io::Error::from)
        .with_context(|| self.err("setting times of"))
    }

    /// xattrs on things we cannot open (symlinks, devices): through the parent's /proc fd
    /// link, which names the resolved parent, and `lsetxattr`, which does not follow the name.
    fn set_xattrs_path(&self) -> Result<()> {
        if self.xattrs.is_empty() {
            return Ok(());
        }
        let mut proc_path = format!("/proc/self/fd/{}/", self.dir.as_raw_fd()).into_bytes();
        proc_path.extend_from_slice(self.name);
        let proc_path = std::ffi::OsStr::from_bytes(&proc_path);
        for (name, value) in self.xattrs {
            if skip_xattr(name) {
                continue;
            }
            let r = rustix::fs::lsetxattr(proc_path, name.as_slice(), value, XattrFlags::empty());
            xattr_result(r, name, self.opts, self.path)?;
        }
        Ok(())
    }
}

fn set_xattrs_fd(
    fd: BorrowedFd<'_>,
    xattrs: &[(Vec<u8>, Vec<u8>)],
    opts: &UnpackOptions,
    path: &[u8],
) -> Result<()> {
    for (name, value) in xattrs {
        if skip_xattr(name) {
            continue;
        }
        let r = rustix::fs::fsetxattr(fd, name.as_slice(), value, XattrFlags::empty());
        xattr_result(r, name, opts, path)?;
    }
    Ok(())
}

/// Overlay's own xattrs from a tar would let a layer forge opaque dirs or redirects; opaque
/// dirs come only from `.wh..wh..opq` entries.
fn skip_xattr(name: &[u8]) -> bool {
    let skip = name.starts_with(b"trusted.overlay.") || name.starts_with(b"user.overlay.");
    if skip {
        log::debug!("ignoring overlay xattr {} from the layer", show(name));
    }
    skip
}

fn xattr_result(
    r: rustix::io::Result<()>,
    name: &[u8],
    opts: &UnpackOptions,
    path: &[u8],
) -> Result<()> {
    let Err(e) = r else { return Ok(()) };
    let privileged = name.starts_with(b"security.") || name.starts_with(b"trusted.");
    if (opts.rootless && privileged) || e == Errno::OPNOTSUPP {
        log::warn!("cannot set xattr {} on {}: {e}", show(name), show(path));
        return Ok(());
    }
    Err(io::Error::from(e))
        .with_context(|| format!("setting xattr {} on {}", show(name), show(path)))
}

fn chown_result(r: rustix::io::Result<()>, opts: &UnpackOptions) -> Result<()> {
    match r {
        Ok(()) => Ok(()),
        Err(Errno::INVAL | Errno::PERM) if opts.ignore_chown_errors => Ok(()),
        Err(e) => Err(io::Error::from(e).into()),
    }
}

fn blank(field: &[u8]) -> bool {
    field.iter().all(|&b| b == 0 || b == b' ')
}

fn id(raw: io::Result<u64>, what: &str) -> Result<u32> {
    let raw = raw.map_err(read_error)?;
    match u32::try_from(raw) {
        Ok(v) if v != u32::MAX => Ok(v),
        _ => bail!("{what} {raw} in tar header is out of range"),
    }
}

fn device<R: Read>(
    entry: &tar::Entry<'_, R>,
    kind: EntryType,
) -> Result<(FileType, rustix::fs::Dev)> {
    let file_type = match kind {
        EntryType::Char => FileType::CharacterDevice,
        EntryType::Block => FileType::BlockDevice,
        _ => return Ok((FileType::Fifo, 0)),
    };
    let header = entry.header();
    let major = header.device_major().map_err(read_error)?.unwrap_or(0);
    let minor = header.device_minor().map_err(read_error)?.unwrap_or(0);
    Ok((file_type, rustix::fs::makedev(major, minor)))
}

/// Parses a PAX time (`1700000000.5`, possibly negative).
fn parse_pax_time(v: &[u8]) -> Option<Timespec> {
    let s = std::str::from_utf8(v).ok()?;
    let (sec, frac) = s.split_once('.').unwrap_or((s, ""));
    let sec: i64 = sec.parse().ok()?;
    let digits: String = frac.chars().take(9).collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut nsec: i64 = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    for _ in digits.len()..9 {
        nsec *= 10;
    }
    if s.starts_with('-') && nsec > 0 {
        return Some(Timespec {
            tv_sec: sec - 1,
            tv_nsec: 1_000_000_000 - nsec,
        });
    }
    Some(Timespec {
        tv_sec: sec,
        tv_nsec: nsec,
    })
}

/// Cleans a tar name into `out` (see `fsat::clean_name`); a name that climbs above the
/// root is an error.
pub(crate) fn clean_path(name: &[u8], out: &mut Vec<u8>) -> Result<()> {
    match super::fsat::clean_name(name) {
        Some(clean) => {
            *out = clean;
            Ok(())
        }
        None => bail!("tar entry {} escapes the layer root", show(name)),
    }
}

/// Removes whatever is at `name` in `dir` (a whole tree for a directory).
fn remove_at(dir: BorrowedFd<'_>, name: &[u8]) -> Result<()> {
    let st = rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW).map_err(io::Error::from)?;
    if FileType::from_raw_mode(st.st_mode) == FileType::Directory {
        Ok(remove_tree_at(dir, name)?)
    } else {
        rustix::fs::unlinkat(dir, name, AtFlags::empty()).map_err(io::Error::from)?;
        Ok(())
    }
}

/// The parent directory of the previous entry, kept open: consecutive tar entries mostly
/// share a directory. Cleared whenever something was removed, since a removed directory or
/// symlink may have been part of the cached path.
#[derive(Default)]
struct DirCache {
    path: Vec<u8>,
    fd: Option<OwnedFd>,
}

impl DirCache {
    fn get<'a>(&'a mut self, root: BorrowedFd<'a>, path: &[u8]) -> Result<BorrowedFd<'a>> {
        if path.is_empty() {
            return Ok(root);
        }
        if self.fd.is_none() || self.path != path {
            // One level below the cached directory (a deep tree): open the name there, a
            // plain directory only, instead of resolving the whole path again.
            let child = match (&self.fd, path.strip_prefix(self.path.as_slice())) {
                (Some(fd), Some(rest)) if !self.path.is_empty() => rest
                    .strip_prefix(b"/")
                    .filter(|name| !name.contains(&b'/'))
                    .and_then(|name| super::fsat::open_plain_subdir(fd.as_fd(), name).ok()),
                _ => None,
            };
            self.fd = None;
            let fd = match child {
                Some(fd) => fd,
                None => open_or_create_dir(root, path)?,
            };
            self.path.clear();
            self.path.extend_from_slice(path);
            self.fd = Some(fd);
        }
        Ok(self.fd.as_ref().map(|fd| fd.as_fd()).unwrap_or(root))
    }

    fn clear(&mut self) {
        self.fd = None;
    }
}

/// Go's archive/tar limit for the data of a GNU long name or link (`L`, `K`) or a PAX header
/// (`x`, `g`): the tar crate reads these whole into memory, so a small compressed layer could
/// otherwise make it hold gigabytes.
const MAX_META_SIZE: u64 = 1 << 20;
const BLOCK: usize = 512;

/// Follows the tar stream's block structure as the tar crate will read it (headers, data
/// rounded up to blocks, PAX `size` overrides) and refuses metadata entries larger than
/// [`MAX_META_SIZE`] before the tar crate reads them. Passes every byte through unchanged;
/// from the end-of-archive block on (or anything it does not understand, which the tar crate
/// then refuses itself) it only passes bytes through.
struct MetaLimit<R> {
    inner: R,
    state: Tracking,
    header: Vec<u8>,
    /// Data of the current PAX header, to find its `size` record.
    pax: Vec<u8>,
    /// The size a PAX header gave for the next file entry.
    pax_size: Option<u64>,
}

enum Tracking {
    Header,
    /// Bytes of the current entry still to come (padding included); `pax`: keep them.
    Data {
        left: u64,
        data_left: u64,
        pax: bool,
    },
    Off,
}

impl<R: Read> MetaLimit<R> {
    fn new(inner: R) -> Self {
        MetaLimit {
            inner,
            state: Tracking::Header,
            header: Vec::with_capacity(BLOCK),
            pax: Vec::new(),
            pax_size: None,
        }
    }

    fn track(&mut self, mut bytes: &[u8]) -> io::Result<()> {
        while !bytes.is_empty() {
            match &mut self.state {
                Tracking::Off => return Ok(()),
                Tracking::Header => {
                    let n = (BLOCK - self.header.len()).min(bytes.len());
                    self.header.extend_from_slice(&bytes[..n]);
                    bytes = &bytes[n..];
                    if self.header.len() == BLOCK {
                        self.state = self.next_state()?;
                        self.header.clear();
                    }
                }
                Tracking::Data {
                    left,
                    data_left,
                    pax,
                } => {
                    let n = (*left).min(bytes.len() as u64) as usize;
                    if *pax {
                        let keep = (*data_left).min(n as u64) as usize;
                        self.pax.extend_from_slice(&bytes[..keep]);
                        *data_left -= keep as u64;
                    }
                    *left -= n as u64;
                    bytes = &bytes[n..];
                    if *left == 0 {
                        if *pax {
                            self.pax_size = pax_size_record(&self.pax);
                            self.pax.clear();
                        }
                        self.state = Tracking::Header;
                    }
                }
            }
        }
        Ok(())
    }

    /// What follows the header block just read.
    fn next_state(&mut self) -> io::Result<Tracking> {
        let h = &self.header;
        if h.iter().all(|&b| b == 0) {
            return Ok(Tracking::Off);
        }
        let kind = h[156];
        // Sparse entries carry extension blocks of their own: the unpacker refuses them.
        let Some(mut size) = header_size(&h[124..136]).filter(|_| kind != b'S') else {
            return Ok(Tracking::Off);
        };
        let meta = matches!(kind, b'L' | b'K' | b'x' | b'g');
        if meta && size > MAX_META_SIZE {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "a tar header of type '{}' claims {size} bytes (the limit is {MAX_META_SIZE})",
                    kind as char
                ),
            ));
        }
        if !meta && let Some(s) = self.pax_size.take() {
            size = s;
        }
        let Some(left) = size.checked_next_multiple_of(BLOCK as u64) else {
            return Ok(Tracking::Off);
        };
        if left == 0 {
            return Ok(Tracking::Header);
        }
        Ok(Tracking::Data {
            left,
            data_left: size,
            pax: kind == b'x',
        })
    }
}

impl<R: Read> Read for MetaLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.track(&buf[..n])?;
        Ok(n)
    }
}

/// A tar header's size field: octal, or GNU base-256 when the top bit of its first byte is set.
fn header_size(field: &[u8]) -> Option<u64> {
    if field[0] & 0x80 != 0 {
        let mut v: u64 = 0;
        for &b in &field[1..] {
            v = v.checked_mul(256)?.checked_add(u64::from(b))?;
        }
        return Some(v);
    }
    // As the tar crate reads it: up to the first NUL, spaces trimmed.
    let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    let text = std::str::from_utf8(&field[..end]).ok()?.trim();
    if text.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(text, 8).ok()
}

/// The `size` record of PAX header data (`<len> size=<n>\n` records).
fn pax_size_record(mut data: &[u8]) -> Option<u64> {
    let mut found = None;
    while !data.is_empty() {
        let space = data.iter().position(|&b| b == b' ')?;
        let len: usize = std::str::from_utf8(&data[..space]).ok()?.parse().ok()?;
        if len <= space || len > data.len() {
            return found;
        }
        let record = &data[space + 1..len];
        if let Some(v) = record.strip_prefix(b"size=") {
            let v = v.strip_suffix(b"\n").unwrap_or(v);
            found = std::str::from_utf8(v).ok().and_then(|s| s.parse().ok());
        }
        data = &data[len..];
    }
    found
}

#[cfg(test)]
mod meta_limit_tests {
    use super::*;

    #[test]
    fn sizes_and_pax_records() {
        assert_eq!(header_size(b"00000001750\0"), Some(1000));
        assert_eq!(header_size(b"1750 \0\0\0\0\0\0\0"), Some(1000));
        assert_eq!(header_size(b"\0\0\0\0\0\0\0\0\0\0\0\0"), Some(0));
        let mut big = [0u8; 12];
        big[0] = 0x80;
        big[8] = 1;
        assert_eq!(header_size(&big), Some(1 << 24));
        assert_eq!(header_size(b"zz"), None);
        assert_eq!(pax_size_record(b"19 size=1073741824\n"), Some(1 << 30));
        assert_eq!(pax_size_record(b"12 path=abc\n11 size=42\n"), Some(42));
        assert_eq!(pax_size_record(b"12 path=abc\n"), None);
        assert_eq!(pax_size_record(b"999 size=1\n"), None);
    }

    #[test]
    fn passes_real_archives_and_refuses_big_metadata() {
        // A PAX size override, a long name and a file: tracked through, bytes unchanged.
        let mut b = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
        h.set_size(3);
        h.set_mode(0o644);
        b.append_data(&mut h, "d/".repeat(80) + "f", &b"abc"[..])
            .unwrap();
        let pax = [("size", &b"5"[..])];
        b.append_pax_extensions(pax).unwrap();
        let mut h = tar::Header::new_ustar();
        h.set_size(5);
        h.set_mode(0o644);
        b.append_data(&mut h, "g", &b"hello"[..]).unwrap();
        let tar = b.into_inner().unwrap();
        let mut out = Vec::new();
        io::copy(&mut MetaLimit::new(tar.as_slice()), &mut out).unwrap();
        assert_eq!(out, tar);

        let mut h = tar::Header::new_gnu();
        h.set_entry_type(EntryType::GNULongName);
        h.set_size(MAX_META_SIZE + 1);
        h.set_cksum();
        let mut tar = h.as_bytes().to_vec();
        tar.resize(tar.len() + 600, b'a');
        let err = io::copy(&mut MetaLimit::new(tar.as_slice()), &mut io::sink()).unwrap_err();
        assert!(err.to_string().contains("the limit is"), "{err}");
    }
}
