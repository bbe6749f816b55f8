//! Moving files in and out of containers: `export`, `cp`, `commit`, `diff`.
//!
//! Every path a container controls is resolved inside the container's root: relative to the
//! root's fd with openat2 RESOLVE_IN_ROOT, or walked with dir fds and O_NOFOLLOW (layer::pack,
//! layer::fsat::walk_tree). `cp` moves files as a tar through a temporary file: packed on
//! one side of the copy, unpacked by the layer unpacker (which keeps everything inside the
//! directory it is given) on the other, so a FIFO or device is copied as what it is and
//! never opened, and a symlink in the container never leads to a host path.

use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Seek, Write};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::Utc;
use rustix::fs::{AtFlags, FileType, Mode, OFlags, ResolveFlags};
use rustix::io::Errno;
use serde_json::{Value, json};

use super::Found;
use super::record::{Status, live_state};
use super::rootfs::{with_merged_root, with_writable_root};
use crate::images::view::ImageView;
use crate::layer;
use crate::layer::fsat::{self, show};
use crate::layer::pack::{PackOptions, pack_dir_fd, pack_entry};
use crate::store::Store;
use crate::store::lock::Lock;

/// `export`: the container's merged files as a tar, to `out` (a file) or stdout.
pub fn export(store: &Store, c: &Found, out: Option<&Path>) -> Result<()> {
    let out = out.map(Path::to_path_buf);
    with_merged_root(store, c, move |root| {
        match &out {
            Some(p) => {
                let f = File::create(p).with_context(|| format!("creating {}", p.display()))?;
                let mut w = std::io::BufWriter::new(f);
                layer::pack_dir(root, &mut w)?;
                w.flush()?;
            }
            None => {
                let mut w = std::io::BufWriter::new(std::io::stdout().lock());
                layer::pack_dir(root, &mut w)?;
                w.flush()?;
            }
        }
        Ok(())
    })
}

const IN_ROOT: ResolveFlags = ResolveFlags::IN_ROOT.union(ResolveFlags::NO_MAGICLINKS);

/// A path inside a container, as `cp` was given it.
struct CtrPath {
    /// Relative to the container's root, as given (the kernel resolves `..` and symlinks
    /// inside the root).
    rel: Vec<u8>,
    /// Its last name, when it has one that is not `.` or `..`.
    leaf: Option<Vec<u8>>,
    /// Ends in `/` (or `/.`, `/..`): it must be a directory, followed if a symlink.
    dir_form: bool,
    /// Ends in `/.` (or is the root): the directory's contents, not the directory.
    contents: bool,
}

impl CtrPath {
    fn parse(p: &str) -> CtrPath {
        let rel = p.trim_start_matches('/').as_bytes().to_vec();
        let last = rel.rsplit(|&b| b == b'/').next().unwrap_or_default();
        let leaf = (!matches!(last, b"" | b"." | b"..")).then(|| last.to_vec());
        let contents = rel.is_empty() || last == b"." || rel.iter().all(|&b| b == b'/');
        CtrPath {
            dir_form: leaf.is_none() || p.ends_with('/'),
            leaf,
            contents,
            rel,
        }
    }

    /// The parent part (everything before the last name).
    fn parent(&self) -> &[u8] {
        match self.rel.iter().rposition(|&b| b == b'/') {
            Some(i) => &self.rel[..i],
            None => b"",
        }
    }
}

/// Opens `rel` (followed) below `root` as a directory, resolved inside the root.
fn open_dir_in(root: BorrowedFd<'_>, rel: &[u8]) -> rustix::io::Result<OwnedFd> {
    let rel: &[u8] = if rel.is_empty() { b"." } else { rel };
    fsat::openat2_retry(
        root,
        rel,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
        IN_ROOT,
    )
}

fn open_host_dir(p: &Path) -> Result<OwnedFd> {
    let p = if p.as_os_str().is_empty() {
        Path::new(".")
    } else {
        p
    };
    rustix::fs::open(
        p,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(std::io::Error::from)
    .with_context(|| format!("opening {}", p.display()))
}

/// An unnamed temporary file in the store, for a tar on its way from one side to the other.
fn tar_tmpfile(store: &Store) -> Result<File> {
    let dir = store.tmp_dir();
    crate::store::fsutil::ensure_dir(&dir)?;
    let fd = rustix::fs::open(
        &dir,
        OFlags::TMPFILE | OFlags::RDWR | OFlags::CLOEXEC,
        Mode::from_raw_mode(0o600),
    )
    .map_err(std::io::Error::from)
    .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    Ok(File::from(fd))
}

/// `cp CONTAINER:SRC DEST`: the container's side is packed inside its merged view (works
/// while it runs); the host side is unpacked into DEST like docker cp does.
pub fn copy_out(store: &Store, c: &Found, src: &str, dest: &Path) -> Result<()> {
    let from = CtrPath::parse(src);
    let shown = format!("/{}", String::from_utf8_lossy(&from.rel));
    // The host side: the user's own path, with the host's rules.
    let (unpack_root, archive_name): (PathBuf, Option<Vec<u8>>) = if from.contents {
        if !dest.is_dir() {
            fs::create_dir(dest).with_context(|| format!("creating {}", dest.display()))?;
        }
        (dest.to_path_buf(), None)
    } else if dest.is_dir() {
        (dest.to_path_buf(), from.leaf.clone())
    } else {
        if dest.as_os_str().as_bytes().ends_with(b"/") {
            bail!(
                "{:?} could not be found on the host: no such file or directory",
                dest.display().to_string()
            );
        }
        let parent = dest.parent().unwrap_or(Path::new("."));
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        let name = dest.file_name().map(|n| n.as_bytes().to_vec());
        (parent.to_path_buf(), name)
    };
    let tar = tar_tmpfile(store)?;
    let writer = tar.try_clone()?;
    let ctr_name = c.record.name.clone();
    let rootless = store.config().rootless;
    with_merged_root(store, c, move |root| {
        let root = open_host_dir(root)?;
        let not_found = || {
            anyhow::anyhow!(
                "{shown:?} could not be found on container {ctr_name}: no such file or directory"
            )
        };
        let mut w = BufWriter::new(writer);
        let opts = PackOptions {
            skip_whiteout_names: true,
            skip_devices: rootless,
            ..PackOptions::default()
        };
        let lookup = |e: Errno| match e {
            Errno::NOENT | Errno::NOTDIR | Errno::LOOP => not_found(),
            e => anyhow::Error::from(std::io::Error::from(e)).context(format!("resolving {shown}")),
        };
        match (&archive_name, from.dir_form) {
            (None, _) => {
                // The directory's contents.
                let dir = open_dir_in(root.as_fd(), &from.rel).map_err(lookup)?;
                let dir = fsat::open_subdir(dir.as_fd(), b".")
                    .with_context(|| format!("reading {shown}"))?;
                pack_dir_fd(dir, &mut w, &opts)?;
            }
            (Some(name), true) => {
                let dir = open_dir_in(root.as_fd(), &from.rel).map_err(lookup)?;
                pack_entry(dir.as_fd(), b".", name, &mut w, &opts)?;
            }
            (Some(name), false) => {
                let parent = open_dir_in(root.as_fd(), from.parent()).map_err(lookup)?;
                let leaf = from.leaf.as_deref().unwrap_or_default();
                rustix::fs::statat(&parent, leaf, AtFlags::SYMLINK_NOFOLLOW).map_err(lookup)?;
                pack_entry(parent.as_fd(), leaf, name, &mut w, &opts)?;
            }
        }
        w.flush()?;
        Ok(())
    })?;
    let mut tar = tar;
    tar.rewind()?;
    let opts = layer::UnpackOptions {
        rootless: store.config().rootless,
        ignore_chown_errors: true,
    };
    layer::unpack_layer(BufReader::new(tar), &unpack_root, &opts)
        .with_context(|| format!("copying to {}", dest.display()))?;
    Ok(())
}

/// `cp SRC CONTAINER:DEST`: the host side is packed here; a stopped container's merged view
/// (mounted writable in a child) or a running container's mount namespace (joined by a
/// child) takes the tar, with DEST resolved inside the container's root.
pub fn copy_in(store: &Store, c: &Found, src: &Path, dest: &str) -> Result<()> {
    if fs::symlink_metadata(src).is_err() {
        bail!(
            "{:?} could not be found on the host: no such file or directory",
            src.display().to_string()
        );
    }
    let src_bytes = src.as_os_str().as_bytes();
    let contents = src_bytes == b"." || src_bytes.ends_with(b"/.");
    let rootless = store.config().rootless;
    let opts = PackOptions {
        // Rootless, the user's files become the container root's (as they were before).
        owner: rootless.then_some((0, 0)),
        skip_whiteout_names: true,
        skip_devices: rootless,
        ..PackOptions::default()
    };
    let mut tar = tar_tmpfile(store)?;
    let name: Vec<u8> = src
        .file_name()
        .map(|n| n.as_bytes().to_vec())
        .unwrap_or_default();
    {
        let mut w = BufWriter::new(tar.try_clone()?);
        if contents || name.is_empty() {
            let dir = rustix::fs::open(
                src,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .map_err(std::io::Error::from)
            .with_context(|| format!("reading {}", src.display()))?;
            pack_dir_fd(dir, &mut w, &opts)?;
        } else {
            let parent = open_host_dir(src.parent().unwrap_or(Path::new(".")))?;
            pack_entry(parent.as_fd(), &name, &name, &mut w, &opts)?;
        }
        w.flush()?;
    }
    tar.rewind()?;
    let to = CtrPath::parse(dest);
    let into_contents = contents || name.is_empty();
    let st = live_state(&c.paths)?;
    if st.status == Status::Running {
        return copy_into_running(c, st.pid, tar, to, into_contents, name);
    }
    // Hold the container's lock so it cannot start while its overlay is mounted here.
    let _lock = Lock::exclusive(&c.paths.lock())?;
    let st = super::record::live_state_held(&c.paths)?;
    if st.status == Status::Running {
        bail!(
            "container {} started during the copy: try again",
            c.record.name
        );
    }
    with_writable_root(store, c, move |root| {
        let root = open_host_dir(root)?;
        place_tar(root.as_fd(), tar, &to, into_contents, &name, rootless)
    })
}

fn copy_into_running(
    c: &Found,
    pid: i32,
    tar: File,
    to: CtrPath,
    contents: bool,
    name: Vec<u8>,
) -> Result<()> {
    let pidfd = crate::sys::pidfd::pidfd_open(pid)?;
    if !super::record::process_alive(pid, live_state(&c.paths)?.pid_start) {
        bail!("container {} is not running", c.record.name);
    }
    let rootless = c.record.rootless;
    crate::sys::process::run_in_child(move || {
        let mut ns = rustix::thread::ThreadNameSpaceType::MOUNT;
        if rootless {
            ns |= rustix::thread::ThreadNameSpaceType::USER;
        }
        rustix::thread::move_into_thread_name_spaces(pidfd.as_fd(), ns)
            .context("joining the container's namespaces")?;
        // Joining a mount namespace makes its root our `/`.
        let root = open_host_dir(Path::new("/"))?;
        place_tar(root.as_fd(), tar, &to, contents, &name, rootless)
    })
}

/// Unpacks the `cp` tar at `to` inside `root`: into it when it is a directory (or the tar
/// holds a directory's contents), else as `to` itself (the tar's one top entry, `name`,
/// unpacked in a fresh directory next to `to` and renamed onto it).
fn place_tar(
    root: BorrowedFd<'_>,
    tar: File,
    to: &CtrPath,
    contents: bool,
    name: &[u8],
    rootless: bool,
) -> Result<()> {
    let shown = format!("/{}", String::from_utf8_lossy(&to.rel));
    let opts = layer::UnpackOptions {
        rootless,
        ignore_chown_errors: true,
    };
    let open_or_create = |rel: &[u8]| -> Result<OwnedFd> {
        match open_dir_in(root, rel) {
            Ok(fd) => Ok(fd),
            Err(Errno::NOENT) => {
                let clean = fsat::clean_name(rel).unwrap_or_default();
                fsat::open_or_create_dir(root, &clean)
                    .with_context(|| format!("creating {}", show(rel)))
            }
            Err(e) => Err(std::io::Error::from(e)).with_context(|| format!("resolving {shown}")),
        }
    };
    let unpack_in = |dir: &OwnedFd, tar: File| -> Result<()> {
        rustix::process::fchdir(dir).context("entering the destination directory")?;
        layer::unpack_layer(BufReader::new(tar), Path::new("."), &opts)
            .with_context(|| format!("copying to {shown}"))?;
        Ok(())
    };
    let into = if contents || to.dir_form {
        Some(open_or_create(&to.rel)?)
    } else {
        match open_dir_in(root, &to.rel) {
            Ok(fd) => Some(fd),
            Err(Errno::NOENT | Errno::NOTDIR) => None,
            Err(e) => {
                return Err(std::io::Error::from(e)).with_context(|| format!("resolving {shown}"));
            }
        }
    };
    if let Some(dir) = into {
        return unpack_in(&dir, tar);
    }
    let leaf = to.leaf.as_deref().unwrap_or_default();
    let parent = open_or_create(to.parent())?;
    let tmp = crate::store::fsutil::unique_name(".skiff-cp");
    rustix::fs::mkdirat(&parent, tmp.as_str(), Mode::from_raw_mode(0o700))
        .map_err(std::io::Error::from)
        .with_context(|| format!("copying to {shown}"))?;
    let result = (|| -> Result<()> {
        let staging = fsat::open_subdir(parent.as_fd(), tmp.as_bytes())?;
        unpack_in(&staging, tar)?;
        rustix::fs::renameat(&staging, name, &parent, leaf)
            .map_err(std::io::Error::from)
            .with_context(|| format!("copying to {shown}"))?;
        Ok(())
    })();
    let cleaned = fsat::remove_tree_at(parent.as_fd(), tmp.as_bytes());
    result?;
    cleaned.with_context(|| format!("removing the temporary {tmp} next to {shown}"))?;
    Ok(())
}

/// `diff`: changes in the container's upper dir against its image: A added, C changed,
/// D deleted (overlay whiteouts), as Podman lists them. The upper dir may belong to a
/// running container: it is walked with dir fds and O_NOFOLLOW (never by path), and the
/// image's layers are looked up without following symlinks, so a container that swaps
/// directories and symlinks cannot make a host name appear.
pub fn diff_upper(upper: &Path, lowers: &[PathBuf]) -> Result<Vec<String>> {
    let root = match rustix::fs::open(
        upper,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    ) {
        Ok(fd) => fd,
        Err(Errno::NOENT) => return Ok(Vec::new()),
        Err(e) => {
            return Err(std::io::Error::from(e))
                .with_context(|| format!("reading {}", upper.display()));
        }
    };
    // A layer that cannot be opened must fail the diff, not turn changes into additions.
    let lower_fds: Vec<OwnedFd> = lowers
        .iter()
        .map(|l| open_host_dir(l))
        .collect::<Result<_>>()?;
    let mut out = Vec::new();
    // Whether the entry at each depth of the current chain exists in a lower layer (below
    // an added directory, everything is added: no lookups).
    let mut in_lower_at: Vec<bool> = Vec::new();
    fsat::walk_tree(root, |parent, name, rel, depth| {
        let st = match rustix::fs::statat(parent, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(st) => st,
            Err(Errno::NOENT) => return Ok(None),
            Err(e) => return Err(std::io::Error::from(e).into()),
        };
        let shown = format!("/{}", String::from_utf8_lossy(rel));
        let ft = FileType::from_raw_mode(st.st_mode);
        in_lower_at.truncate(depth);
        let parent_in_lower = depth == 0 || in_lower_at.get(depth - 1).copied().unwrap_or(false);
        let in_lower = parent_in_lower && lower_fds.iter().any(|l| exists_below(l.as_fd(), rel));
        in_lower_at.push(in_lower);
        if ft == FileType::CharacterDevice && st.st_rdev == 0 {
            out.push(format!("D {shown}"));
            return Ok(None);
        }
        out.push(format!("{} {shown}", if in_lower { "C" } else { "A" }));
        if ft != FileType::Directory {
            return Ok(None);
        }
        match fsat::open_subdir(parent, name) {
            Ok(fd) => Ok(Some(fd)),
            // Swapped for something else since the stat.
            Err(e)
                if matches!(
                    e.raw_os_error(),
                    Some(libc::ELOOP | libc::ENOTDIR | libc::ENOENT)
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    })?;
    out.sort_by(|a, b| a[2..].cmp(&b[2..]));
    Ok(out)
}

/// Whether `rel` exists below the layer directory `root`, following no symlink at all.
fn exists_below(root: BorrowedFd<'_>, rel: &[u8]) -> bool {
    let (parent, name) = fsat::split_path(rel);
    let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
    let resolve = ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS;
    let dir = if parent.is_empty() {
        rustix::fs::openat(root, ".", flags, Mode::empty())
    } else {
        match fsat::openat2_retry(root, parent, flags, Mode::empty(), resolve) {
            Err(Errno::NAMETOOLONG) => {
                // Deeper than PATH_MAX: one name at a time.
                let mut dir = match rustix::fs::openat(root, ".", flags, Mode::empty()) {
                    Ok(d) => d,
                    Err(_) => return false,
                };
                for comp in parent.split(|&b| b == b'/') {
                    dir = match rustix::fs::openat(
                        &dir,
                        comp,
                        flags | OFlags::NOFOLLOW,
                        Mode::empty(),
                    ) {
                        Ok(d) => d,
                        Err(_) => return false,
                    };
                }
                Ok(dir)
            }
            r => r,
        }
    };
    dir.is_ok_and(|d| rustix::fs::statat(&d, name, AtFlags::SYMLINK_NOFOLLOW).is_ok())
}

pub struct CommitOptions {
    pub name: Option<String>,
    pub message: Option<String>,
    pub author: Option<String>,
    pub changes: Vec<String>,
}

/// `commit`: the container's changes (its upper dir, whiteouts as `.wh.` entries) as a new
/// layer on its image. The caller entered the store's user namespace (rootless).
pub fn commit(store: &Store, c: &Found, o: &CommitOptions) -> Result<crate::image::Digest> {
    let idx = store.index()?;
    let base = idx
        .get(&c.record.image_id)
        .context("the container's image is no longer in the store")?;
    let view = ImageView::load(store, base)?;
    let name = o
        .name
        .as_deref()
        .map(crate::images::new_image_name)
        .transpose()?;
    let mut stage = store.begin()?;
    let mut tar = Vec::new();
    {
        let mut gz = flate2::write::GzEncoder::new(&mut tar, flate2::Compression::fast());
        layer::pack_dir(&c.paths.upper(), &mut gz)?;
        gz.finish()?;
    }
    let blob_size = tar.len();
    let blob = stage.put_blob_bytes(&tar)?;
    let new_layer = stage.unpack_new_layer_on(&blob, &base.layers)?;
    let mut config = view.config.clone();
    let mut cfg = config["config"].as_object().cloned().unwrap_or_default();
    for ch in &o.changes {
        crate::images::changes::apply_change(&mut cfg, ch)?;
    }
    let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
    config["config"] = Value::Object(cfg);
    crate::images::add::check_config_user(config["config"]["User"].as_str().unwrap_or(""))?;
    config["created"] = json!(now);
    if let Some(a) = &o.author {
        config["author"] = json!(a);
    }
    let mut diff_ids = config["rootfs"]["diff_ids"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    diff_ids.push(json!(new_layer.diff_id.to_string()));
    config["rootfs"]["diff_ids"] = json!(diff_ids);
    let mut history = config["history"].as_array().cloned().unwrap_or_default();
    let mut entry = json!({"created": now, "created_by": c.record.command.join(" ")});
    if let Some(m) = &o.message {
        entry["comment"] = json!(m);
    }
    if let Some(a) = &o.author {
        entry["author"] = json!(a);
    }
    history.push(entry);
    config["history"] = json!(history);
    let config_bytes = serde_json::to_vec(&config)?;
    let config_digest = stage.put_blob_bytes(&config_bytes)?;
    use crate::image::types as media;
    let mut manifest = view.manifest.clone();
    let docker = manifest["mediaType"].as_str() == Some(media::DOCKER_MANIFEST);
    let (config_type, layer_type) = if docker {
        (media::DOCKER_CONFIG, media::DOCKER_LAYER_GZIP)
    } else {
        (media::OCI_CONFIG, media::OCI_LAYER_GZIP)
    };
    manifest["config"] = json!({"mediaType": config_type, "digest": config_digest.to_string(), "size": config_bytes.len()});
    let mut layers = manifest["layers"].as_array().cloned().unwrap_or_default();
    layers.push(json!({"mediaType": layer_type, "digest": blob.to_string(), "size": blob_size}));
    manifest["layers"] = json!(layers);
    let manifest_digest = stage.put_blob_bytes(&serde_json::to_vec(&manifest)?)?;
    // Blobs of the base image that are not in the store (never the case for images we
    // made) would fail here with a clear error.
    let record = crate::images::add::prepare_image(
        &mut stage,
        &manifest_digest,
        name.into_iter().collect(),
    )?;
    let id = record.id.clone();
    stage.commit(vec![record])?;
    Ok(id)
}
