//! COPY and ADD: files from the build context (or a stage, an image, a heredoc, a URL)
//! written into the stage's root, whose changes become the step's layer.
//!
//! The copy happens in a child, in a mount namespace of its own (rootless: inside the store's
//! user namespace, so `--chown` ids land as the container will see them), with the stage's
//! layers and a fresh upper directory mounted as one overlay: the destination is then looked
//! up exactly as the container sees it (a symlink in the destination path resolves inside
//! the root, an existing directory keeps its owner and mode, a file in a lower layer is
//! replaced), and the upper directory holds precisely what the step changed.
//!
//! Semantics (Docker's COPY): a directory source copies its contents; a file copied into a
//! directory keeps its name; several sources or a wildcard need a destination ending in `/`;
//! a relative destination is relative to WORKDIR. Files keep their mode bits and mtime and
//! are owned by 0:0 unless `--chown`; `--chmod` replaces the mode of everything copied.
//! ADD unpacks a local tar archive (plain, gzip, zstd) into the destination directory.

use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rustix::fs::{AtFlags, Mode, OFlags, Timespec, Timestamps};
use rustix::io::Errno;

use crate::build::context::{BuildContext, ContextEntry, WalkItem};
use crate::layer::fsat;
use crate::sys;

/// Where one group of sources comes from.
pub enum SourceSet<'a> {
    /// A directory on the host (the build context, heredoc files, downloads), already
    /// resolved (its checksum is part of the cache key).
    Dir {
        ctx: &'a BuildContext,
        entries: Vec<ContextEntry>,
        /// ADD: unpack archives among these files.
        extract: bool,
    },
    /// Another stage or an image (`name`, as `--from` gave it): its layers (top first),
    /// resolved in the child.
    Layers {
        name: String,
        layers: Vec<PathBuf>,
        patterns: Vec<String>,
    },
}

/// One COPY/ADD.
pub struct CopyStep<'a> {
    /// The stage's layers, top first.
    pub lowers: Vec<PathBuf>,
    /// The step's directory: `upper`, `work`, `rootfs`, `from` go there.
    pub dir: &'a Path,
    pub sources: Vec<SourceSet<'a>>,
    /// Absolute destination in the image, as written (a trailing `/` means a directory).
    pub dest: String,
    /// Whether the sources named several files or used a wildcard.
    pub multiple: bool,
    pub owner: (u32, u32),
    pub chmod: Option<u32>,
    pub rootless: bool,
}

/// Copies; the changes are in `dir/upper` afterwards.
pub fn run(step: &CopyStep<'_>) -> Result<()> {
    let upper = step.dir.join("upper");
    let work = step.dir.join("work");
    let rootfs = step.dir.join("rootfs");
    let from = step.dir.join("from");
    for d in [&upper, &work, &rootfs, &from] {
        std::fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
    }
    sys::process::run_in_child(|| {
        sys::mount::enter_private_mount_ns(step.rootless)?;
        let root = if step.lowers.is_empty() {
            upper.clone()
        } else {
            sys::mount::mount_overlay(&rootfs, &step.lowers, Some((&upper, &work)), step.rootless)?;
            rootfs.clone()
        };
        copy_all(step, &root, &from)
    })
}

fn copy_all(step: &CopyStep<'_>, root: &Path, from_mount: &Path) -> Result<()> {
    let root_fd = rustix::fs::open(
        root,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .with_context(|| format!("opening {}", root.display()))?;
    let dest_rel = super::config_step::clean_path(&step.dest);
    let wants_dir = step.dest.ends_with('/') || step.dest.ends_with("/.") || dest_rel.is_empty();
    let is_dir = wants_dir || fsat::open_dir(root_fd.as_fd(), dest_rel.as_bytes()).is_ok();
    if step.multiple && !is_dir {
        bail!(
            "When using COPY with more than one source file, the destination must be a directory and end with a /"
        );
    }
    let copier = Copier {
        root: root_fd.as_fd(),
        scratch: step.dir.join("scratch"),
        owner: step.owner,
        chmod: step.chmod,
        // Only one id is mapped (no subuid range, or newuidmap failed): an owner that
        // cannot be set is left as it is.
        ignore_chown_errors: sys::userns::single_id_map(),
    };
    if step.sources.is_empty() {
        // WORKDIR: only the destination directory.
        copier.make_dirs(&dest_rel)?;
        return Ok(());
    }
    let mut from_ctx = None;
    for set in &step.sources {
        match set {
            SourceSet::Dir {
                ctx,
                entries,
                extract,
            } => {
                for entry in entries {
                    copier.copy_entry(ctx, entry, &dest_rel, is_dir, *extract)?;
                }
            }
            SourceSet::Layers {
                name,
                layers,
                patterns,
            } => {
                let source_root = mount_source(layers, from_mount, step.rootless)?;
                let ctx = from_ctx.insert(BuildContext::with_rules(
                    &source_root,
                    crate::build::ignore::IgnoreRules::default(),
                )?);
                // The context's "not found" words would point at the wrong place.
                let entries = ctx.resolve_sources(patterns).map_err(|e| {
                    let text = format!("{e:#}").replace(
                        "in build context or excluded by .dockerignore",
                        &format!("in {name:?}"),
                    );
                    anyhow::anyhow!(text)
                })?;
                for entry in entries {
                    copier.copy_entry(ctx, &entry, &dest_rel, is_dir, false)?;
                }
            }
        }
    }
    Ok(())
}

/// The files of another stage or image, read-only: nothing for no layer, the one layer's
/// directory as it is, or an overlay of several.
fn mount_source(layers: &[PathBuf], mountpoint: &Path, rootless: bool) -> Result<PathBuf> {
    match layers {
        [] => Ok(mountpoint.to_path_buf()),
        [one] => Ok(one.clone()),
        _ => {
            sys::mount::mount_overlay(mountpoint, layers, None, rootless)?;
            Ok(mountpoint.to_path_buf())
        }
    }
}

fn join_rel(a: &str, b: &Path) -> String {
    let b = b.to_string_lossy();
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.into_owned(),
        (_, true) => a.to_string(),
        _ => format!("{a}/{b}"),
    }
}

struct Copier<'r> {
    root: BorrowedFd<'r>,
    /// Room for decompressed archives (outside the image's root).
    scratch: PathBuf,
    owner: (u32, u32),
    chmod: Option<u32>,
    ignore_chown_errors: bool,
}

impl Copier<'_> {
    /// Sets the copy's owner on `name` in `dir` (an unmappable owner is left alone when
    /// only one id is mapped).
    fn chown_at(
        &self,
        dir: &OwnedFd,
        name: impl rustix::path::Arg,
        flags: AtFlags,
    ) -> io::Result<()> {
        match rustix::fs::chownat(
            dir,
            name,
            Some(rustix::fs::Uid::from_raw(self.owner.0)),
            Some(rustix::fs::Gid::from_raw(self.owner.1)),
            flags,
        ) {
            Err(Errno::INVAL) if self.ignore_chown_errors => Ok(()),
            other => other.map_err(io::Error::from),
        }
    }

    fn copy_entry(
        &self,
        ctx: &BuildContext,
        entry: &ContextEntry,
        dest_rel: &str,
        dest_is_dir: bool,
        extract: bool,
    ) -> Result<()> {
        if entry.is_dir() {
            self.make_dirs(dest_rel)?;
            return ctx.walk(entry, |item| {
                if item.rel.as_os_str().is_empty() {
                    return Ok(());
                }
                self.write_item(&join_rel(dest_rel, &item.rel), item)
            });
        }
        let source = ctx.root().join(entry.resolved());
        if extract {
            let scratch = self
                .scratch
                .join(format!("archive-{}", entry.resolved().display()));
            if let Some(tar) = super::archive::open_archive(&source, &scratch)? {
                return self.extract(tar, &source, dest_rel);
            }
        }
        let target = if dest_is_dir {
            let name = entry.name().unwrap_or(OsStr::new(""));
            join_rel(dest_rel, Path::new(name))
        } else {
            dest_rel.to_string()
        };
        ctx.walk(entry, |item| self.write_item(&target, item))
    }

    /// Opens directory `rel` of the root, creating what is missing of it (0755, owned by the
    /// copy's owner). Symlinks on the way resolve inside the root, and a dangling one gets
    /// its target created, as Docker and Podman do.
    fn make_dirs(&self, rel: &str) -> Result<OwnedFd> {
        let mut pending: std::collections::VecDeque<String> =
            rel.split('/').map(str::to_string).collect();
        let mut done: Vec<String> = Vec::new();
        let mut hops = 0;
        while let Some(comp) = pending.pop_front() {
            match comp.as_str() {
                "" | "." => continue,
                ".." => {
                    done.pop();
                    continue;
                }
                _ => {}
            }
            let parent_path = done.join("/");
            let parent = fsat::open_dir(self.root, parent_path.as_bytes())
                .map_err(io::Error::from)
                .with_context(|| format!("opening /{parent_path}"))?;
            let shown = || format!("/{}", join_rel(&parent_path, Path::new(&comp)));
            match rustix::fs::statat(&parent, comp.as_str(), AtFlags::SYMLINK_NOFOLLOW) {
                Ok(st) => match rustix::fs::FileType::from_raw_mode(st.st_mode) {
                    rustix::fs::FileType::Directory => done.push(comp),
                    rustix::fs::FileType::Symlink => {
                        hops += 1;
                        if hops > 40 {
                            bail!("{}: too many levels of symbolic links", shown());
                        }
                        let target = rustix::fs::readlinkat(&parent, comp.as_str(), Vec::new())
                            .map_err(io::Error::from)
                            .with_context(|| format!("reading {}", shown()))?;
                        let target = target.to_string_lossy().into_owned();
                        if target.starts_with('/') {
                            done.clear();
                        }
                        for part in target.split('/').rev() {
                            pending.push_front(part.to_string());
                        }
                    }
                    _ => bail!("{} is not a directory", shown()),
                },
                Err(Errno::NOENT) => {
                    rustix::fs::mkdirat(&parent, comp.as_str(), Mode::from_raw_mode(0o755))
                        .map_err(io::Error::from)
                        .with_context(|| format!("creating {}", shown()))?;
                    self.chown_at(&parent, comp.as_str(), AtFlags::SYMLINK_NOFOLLOW)
                        .with_context(|| format!("setting the owner of {}", shown()))?;
                    done.push(comp);
                }
                Err(e) => {
                    return Err(io::Error::from(e)).with_context(|| format!("reading {}", shown()));
                }
            }
        }
        let path = done.join("/");
        fsat::open_dir(self.root, path.as_bytes())
            .map_err(io::Error::from)
            .with_context(|| format!("opening /{path}"))
    }

    fn write_item(&self, target: &str, item: &WalkItem) -> Result<()> {
        let (parent, name) = fsat::split_path(target.as_bytes());
        let parent = std::str::from_utf8(parent)
            .unwrap_or("")
            .trim_end_matches('/');
        if name.is_empty() {
            bail!("COPY to the root directory needs a directory source");
        }
        let dir = self.make_dirs(parent)?;
        let meta = &item.metadata;
        let ft = meta.file_type();
        let mode = self.chmod.unwrap_or(meta.mode() & 0o7777);
        let shown = || format!("/{target}");
        if ft.is_dir() {
            match rustix::fs::mkdirat(&dir, name, Mode::from_raw_mode(0o700)) {
                Ok(()) => {}
                Err(Errno::EXIST) if is_dir_at(&dir, name) => {}
                Err(Errno::EXIST) => {
                    remove_at(&dir, name)?;
                    rustix::fs::mkdirat(&dir, name, Mode::from_raw_mode(0o700))
                        .map_err(io::Error::from)
                        .with_context(|| format!("creating {}", shown()))?;
                }
                Err(e) => {
                    return Err(io::Error::from(e))
                        .with_context(|| format!("creating {}", shown()));
                }
            }
            self.set_meta(&dir, name, mode, item, false)
                .with_context(|| format!("setting the metadata of {}", shown()))
        } else if ft.is_symlink() {
            let link = std::fs::read_link(&item.path)
                .with_context(|| format!("reading {}", item.path.display()))?;
            replace_non_dir(&dir, name).with_context(|| format!("replacing {}", shown()))?;
            rustix::fs::symlinkat(link.as_os_str(), &dir, name)
                .map_err(io::Error::from)
                .with_context(|| format!("creating {}", shown()))?;
            self.set_meta(&dir, name, mode, item, true)
                .with_context(|| format!("setting the metadata of {}", shown()))
        } else if ft.is_file() {
            replace_non_dir(&dir, name).with_context(|| format!("replacing {}", shown()))?;
            let out = rustix::fs::openat(
                &dir,
                name,
                OFlags::CREATE | OFlags::EXCL | OFlags::WRONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::from_raw_mode(0o600),
            )
            .map_err(io::Error::from)
            .with_context(|| format!("creating {}", shown()))?;
            let mut out = File::from(out);
            let mut input = File::open(&item.path)
                .with_context(|| format!("reading {}", item.path.display()))?;
            io::copy(&mut input, &mut out).with_context(|| format!("writing {}", shown()))?;
            self.set_meta(&dir, name, mode, item, false)
                .with_context(|| format!("setting the metadata of {}", shown()))
        } else {
            log::warn!(
                "COPY: skipping {}: not a file, directory or symlink",
                item.path.display()
            );
            Ok(())
        }
    }

    /// Owner, then mode (a chown clears setuid bits), xattrs, then times.
    fn set_meta(
        &self,
        dir: &OwnedFd,
        name: &[u8],
        mode: u32,
        item: &WalkItem,
        symlink: bool,
    ) -> io::Result<()> {
        let meta = &item.metadata;
        let flags = if symlink {
            AtFlags::SYMLINK_NOFOLLOW
        } else {
            AtFlags::empty()
        };
        self.chown_at(dir, name, flags)?;
        if !symlink {
            rustix::fs::chmodat(dir, name, Mode::from_raw_mode(mode), AtFlags::empty())?;
        }
        copy_xattrs(&item.path, dir, name);
        let mtime = Timespec {
            tv_sec: meta.mtime(),
            tv_nsec: meta.mtime_nsec() as _,
        };
        let times = Timestamps {
            last_access: mtime,
            last_modification: mtime,
        };
        rustix::fs::utimensat(dir, name, &times, flags)?;
        Ok(())
    }

    /// ADD of a local archive: its entries unpacked under the destination directory, with
    /// their own owners and modes.
    fn extract(&self, reader: Box<dyn Read>, archive: &Path, dest_rel: &str) -> Result<()> {
        let dir = self.make_dirs(dest_rel)?;
        let dest = PathBuf::from(format!(
            "/proc/self/fd/{}",
            std::os::fd::AsRawFd::as_raw_fd(&dir)
        ));
        let opts = crate::layer::UnpackOptions {
            rootless: false,
            ignore_chown_errors: true,
        };
        crate::layer::unpack_layer(reader, &dest, &opts)
            .with_context(|| format!("unpacking {} into /{dest_rel}", archive.display()))?;
        Ok(())
    }
}

/// Carries the source's xattrs over, best effort: some namespaces (trusted.*) need
/// privileges a rootless copy lacks, and the copy goes on without them, as cp -a does.
fn copy_xattrs(source: &Path, dir: &OwnedFd, name: &[u8]) {
    let Ok(list) = crate::build::context::copied_xattrs(source) else {
        return;
    };
    if list.is_empty() {
        return;
    }
    let target = Path::new(&format!(
        "/proc/self/fd/{}",
        std::os::fd::AsRawFd::as_raw_fd(dir)
    ))
    .join(std::ffi::OsStr::from_bytes(name));
    for (key, value) in list {
        if let Err(e) =
            rustix::fs::lsetxattr(&target, &key[..], &value, rustix::fs::XattrFlags::empty())
        {
            log::warn!(
                "COPY: not keeping xattr {} of {}: {e}",
                String::from_utf8_lossy(&key),
                source.display()
            );
        }
    }
}

fn is_dir_at(dir: &OwnedFd, name: &[u8]) -> bool {
    rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW).is_ok_and(|st| {
        rustix::fs::FileType::from_raw_mode(st.st_mode) == rustix::fs::FileType::Directory
    })
}

/// Makes room for a file or symlink: whatever is there goes, unless it is a directory.
fn replace_non_dir(dir: &OwnedFd, name: &[u8]) -> Result<()> {
    match rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW) {
        Err(Errno::NOENT) => Ok(()),
        Err(e) => Err(io::Error::from(e).into()),
        Ok(_) if is_dir_at(dir, name) => {
            bail!("cannot replace a directory with a file")
        }
        Ok(_) => Ok(rustix::fs::unlinkat(dir, name, AtFlags::empty()).map_err(io::Error::from)?),
    }
}

fn remove_at(dir: &OwnedFd, name: &[u8]) -> Result<()> {
    rustix::fs::unlinkat(dir, name, AtFlags::empty()).map_err(io::Error::from)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_are_cleaned() {
        assert_eq!(join_rel("", Path::new("x")), "x");
        assert_eq!(join_rel("a", Path::new("x/y")), "a/x/y");
    }
}
