//! Volumes and the containers that mount them: copy-up (a volume mounted where the image has
//! files gets a copy of them the first time, as Podman's and Docker's do, unless `nocopy`),
//! and removing a container's anonymous volumes with it (`rm -v`, `run --rm`).
//!
//! The image's files are read from its layer dirs as the merged view shows them
//! (`layer::overlay`: whiteouts and opaque directories respected, links inside the image
//! followed inside the stack, never on the host); the copy is written below the volume's
//! `_data` with directory fds, creating each entry exclusively and never following a link.
//! Rootless, the copy runs inside the store's user namespace, so owners are kept.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs::File;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rustix::fs::{AtFlags, FileType, Gid, Mode, OFlags, Timespec, Timestamps, Uid};
use rustix::io::Errno;

use crate::container::record::MountRecord;
use crate::image::digest::Digest;
use crate::layer::overlay;
use crate::store::Store;
use crate::sys::userns::as_store_owner;

/// The mount option that turns copy-up off for one mount (`-v vol:/path:nocopy`).
pub const NO_COPY: &str = "nocopy";

/// Copies the image's content at each volume mount's destination into the volume, for the
/// volumes that still need it (`needs_copy_up`, cleared once a copy is done, so it is done
/// once per volume) and are empty. `layers` are the image's chain ids, base first. On failure
/// the anonymous volumes among `mounts` (made for this container) are removed again.
pub fn copy_up(store: &Store, layers: &[Digest], mounts: &[MountRecord]) -> Result<()> {
    let result = copy_up_all(store, layers, mounts);
    if result.is_err() {
        remove_anonymous(store, mounts);
    }
    result
}

fn copy_up_all(store: &Store, layers: &[Digest], mounts: &[MountRecord]) -> Result<()> {
    let mut todo = Vec::new();
    for m in mounts.iter().filter(|m| m.kind == "volume") {
        if m.options.iter().any(|o| o == NO_COPY) {
            continue;
        }
        let vol = store.volume_get(&m.source)?;
        if !vol.needs_copy_up {
            continue;
        }
        // Claimed before copying: a second container mounting it meanwhile does not copy too.
        store.volume_update(&vol.name, |r| r.needs_copy_up = false)?;
        todo.push((vol.name, m.destination.clone(), vol.mountpoint));
    }
    if todo.is_empty() {
        return Ok(());
    }
    let lowers = store.lower_dirs(layers);
    let ignore_chown = store.config().single_id_map;
    let result = as_store_owner(store.config().rootless, || {
        for (name, dest, data) in &todo {
            let copier = Copier {
                lowers: &lowers,
                ignore_chown,
            };
            copier.volume(dest, data).with_context(|| {
                format!("copying the image's content at {dest} into volume {name}")
            })?;
        }
        Ok(())
    });
    if result.is_err() {
        // The failed copy emptied its volume again; it and any not reached yet still need
        // theirs (one done already is not empty any more, so a retry skips it).
        for (name, _, _) in &todo {
            let _ = store.volume_update(name, |r| r.needs_copy_up = true);
        }
    }
    result
}

/// Removes the anonymous volumes among a removed container's mounts. Named volumes stay, as
/// does an anonymous one that another container still names. Failures are warnings: the
/// container is gone either way.
pub fn remove_anonymous(store: &Store, mounts: &[MountRecord]) {
    let anonymous: Vec<&str> = mounts
        .iter()
        .filter(|m| m.kind == "volume" && m.anonymous)
        .map(|m| m.source.as_str())
        .collect();
    if anonymous.is_empty() {
        return;
    }
    let users = super::volume_users(store).unwrap_or_default();
    let doomed: Vec<String> = anonymous
        .into_iter()
        .filter(|name| !users.contains_key(*name))
        .filter(|name| store.volume_get(name).is_ok_and(|v| v.anonymous))
        .map(str::to_string)
        .collect();
    if doomed.is_empty() {
        return;
    }
    // Files a container wrote may belong to subordinate ids.
    let result = as_store_owner(store.config().rootless, || {
        for name in &doomed {
            if let Err(e) = store.volume_remove(name, true, &[]) {
                log::warn!("removing anonymous volume {name}: {e:#}");
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        log::warn!("removing anonymous volumes: {e:#}");
    }
}

struct Copier<'a> {
    /// The image's layer dirs, top first.
    lowers: &'a [PathBuf],
    ignore_chown: bool,
}

impl Copier<'_> {
    /// Copies the image's directory at `dest` into the (empty) volume directory `data`.
    fn volume(&self, dest: &str, data: &Path) -> Result<()> {
        // Absent from the image, or not reachable inside it: nothing to copy.
        let Ok(rel) = overlay::resolve(self.lowers, dest) else {
            return Ok(());
        };
        let Some((_, meta)) = overlay::lookup(self.lowers, &rel) else {
            return Ok(());
        };
        if !meta.is_dir() {
            return Ok(());
        }
        let dir = rustix::fs::open(
            data,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(io::Error::from)
        .with_context(|| format!("opening {}", data.display()))?;
        if !crate::layer::fsat::sorted_names_at(dir.as_fd())?.is_empty() {
            return Ok(());
        }
        let copied = self
            .dir_contents(&rel, dir.as_fd())
            .and_then(|()| self.finish(dir.as_fd(), &meta));
        if copied.is_err() {
            // It was empty: leave it so, not half copied, for the next mount to try again.
            let _ = crate::layer::fsat::empty_dir_at(dir.as_fd());
        }
        copied
    }

    /// The names in the merged directory `rel`, in byte order.
    fn names(&self, rel: &Path) -> Result<BTreeSet<OsString>> {
        let mut names = BTreeSet::new();
        for dir in overlay::merged_dirs(self.lowers, rel) {
            for entry in
                std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?
            {
                names.insert(entry?.file_name());
            }
        }
        Ok(names)
    }

    fn dir_contents(&self, rel: &Path, dst: BorrowedFd<'_>) -> Result<()> {
        for name in self.names(rel)? {
            let child = rel.join(&name);
            // Whiteouts and what they (or opaque dirs) hide are not in the merged view.
            let Some((host, meta)) = overlay::lookup(self.lowers, &child) else {
                continue;
            };
            self.entry(&host, &meta, &child, dst, name.as_bytes())
                .with_context(|| format!("copying /{}", child.display()))?;
        }
        Ok(())
    }

    fn entry(
        &self,
        host: &Path,
        meta: &std::fs::Metadata,
        rel: &Path,
        dst: BorrowedFd<'_>,
        name: &[u8],
    ) -> Result<()> {
        let ft = meta.file_type();
        let private = Mode::from_raw_mode(0o700);
        if ft.is_dir() {
            rustix::fs::mkdirat(dst, name, private)?;
            let dir = open_nofollow(dst, name, OFlags::RDONLY | OFlags::DIRECTORY)?;
            self.dir_contents(rel, dir.as_fd())?;
            return self.finish(dir.as_fd(), meta);
        }
        if ft.is_file() {
            let mut from = File::from(rustix::fs::open(
                host,
                OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::empty(),
            )?);
            let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL;
            let mut to = File::from(open_nofollow(dst, name, flags)?);
            io::copy(&mut from, &mut to)?;
            return self.finish(to.as_fd(), meta);
        }
        if ft.is_symlink() {
            let target = std::fs::read_link(host)?;
            rustix::fs::symlinkat(target.as_os_str(), dst, name)?;
        } else if ft.is_fifo() || ft.is_char_device() || ft.is_block_device() {
            let kind = FileType::from_raw_mode(meta.mode());
            match rustix::fs::mknodat(dst, name, kind, private, meta.rdev()) {
                Ok(()) => {}
                // Device nodes cannot be made in a user namespace; the image has them anyway.
                Err(Errno::PERM) if kind != FileType::Fifo => return Ok(()),
                Err(e) => return Err(io::Error::from(e).into()),
            }
        } else {
            return Ok(()); // sockets
        }
        self.chown(rustix::fs::chownat(
            dst,
            name,
            Some(Uid::from_raw(meta.uid())),
            Some(Gid::from_raw(meta.gid())),
            AtFlags::SYMLINK_NOFOLLOW,
        ))?;
        if !ft.is_symlink() {
            chmod_node(dst, name, kind_of(ft), mode_of(meta))?;
        }
        rustix::fs::utimensat(dst, name, &times_of(meta), AtFlags::SYMLINK_NOFOLLOW)?;
        Ok(())
    }

    /// Owner, then mode (chown clears setuid bits), then times, of an open copy.
    fn finish(&self, fd: BorrowedFd<'_>, meta: &std::fs::Metadata) -> Result<()> {
        self.chown(rustix::fs::fchown(
            fd,
            Some(Uid::from_raw(meta.uid())),
            Some(Gid::from_raw(meta.gid())),
        ))?;
        rustix::fs::fchmod(fd, mode_of(meta))?;
        rustix::fs::futimens(fd, &times_of(meta))?;
        Ok(())
    }

    fn chown(&self, r: rustix::io::Result<()>) -> Result<()> {
        match r {
            Ok(()) => Ok(()),
            // With only the user's own id mapped, other owners cannot exist.
            Err(Errno::INVAL | Errno::PERM) if self.ignore_chown => Ok(()),
            Err(e) => Err(io::Error::from(e)).context("chown"),
        }
    }
}

fn open_nofollow(dir: BorrowedFd<'_>, name: &[u8], flags: OFlags) -> io::Result<OwnedFd> {
    Ok(rustix::fs::openat(
        dir,
        name,
        flags | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::from_raw_mode(0o600),
    )?)
}

fn kind_of(ft: std::fs::FileType) -> FileType {
    if ft.is_fifo() {
        FileType::Fifo
    } else if ft.is_char_device() {
        FileType::CharacterDevice
    } else {
        FileType::BlockDevice
    }
}

/// chmod of the node just made as `name` in `dir`, never through a symlink: another
/// container using the volume can rename a link over it (chmodat follows links, and Linux
/// has no lchmod), so the node is pinned by an O_PATH fd, checked, and changed through it.
fn chmod_node(dir: BorrowedFd<'_>, name: &[u8], kind: FileType, mode: Mode) -> Result<()> {
    let fd = open_nofollow(dir, name, OFlags::PATH)?;
    let st = rustix::fs::fstat(&fd)?;
    if FileType::from_raw_mode(st.st_mode) != kind {
        anyhow::bail!(
            "{} changed while it was copied into the volume",
            String::from_utf8_lossy(name)
        );
    }
    let path = format!("/proc/self/fd/{}", std::os::fd::AsRawFd::as_raw_fd(&fd));
    rustix::fs::chmod(path.as_str(), mode)?;
    Ok(())
}

fn mode_of(meta: &std::fs::Metadata) -> Mode {
    Mode::from_raw_mode(meta.mode() & 0o7777)
}

fn times_of(meta: &std::fs::Metadata) -> Timestamps {
    let t = Timespec {
        tv_sec: meta.mtime(),
        tv_nsec: meta.mtime_nsec(),
    };
    Timestamps {
        last_access: t,
        last_modification: t,
    }
}
