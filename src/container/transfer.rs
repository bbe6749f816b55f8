//! Moving files in and out of containers: `export`, `cp`, `commit`.

use std::fs::{self, File};
use std::io::Write;
use std::os::fd::AsFd;
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::Utc;
use serde_json::{Value, json};

use super::Found;
use super::record::{Status, live_state};
use super::rootfs::with_merged_root;
use crate::images::view::ImageView;
use crate::layer;
use crate::store::Store;

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

/// `cp CONTAINER:SRC DEST`: read through the merged view (works while it runs).
pub fn copy_out(store: &Store, c: &Found, src: &str, dest: &Path) -> Result<()> {
    let src = src.trim_start_matches('/').to_string();
    let dest = dest.to_path_buf();
    with_merged_root(store, c, move |root| {
        let from = root.join(&src);
        if fs::symlink_metadata(&from).is_err() {
            bail!(
                "{:?} could not be found on container: no such file or directory",
                format!("/{src}")
            );
        }
        let to = target_path(&from, &dest);
        copy_tree(&from, &to)
    })
}

/// `cp SRC CONTAINER:DEST`: a stopped container's upper dir takes the files; a running
/// container gets them from a child that joins its mount namespace.
pub fn copy_in(store: &Store, c: &Found, src: &Path, dest: &str) -> Result<()> {
    if fs::symlink_metadata(src).is_err() {
        bail!(
            "{:?} could not be found on the host: no such file or directory",
            src.display().to_string()
        );
    }
    let st = live_state(&c.paths)?;
    if st.status == Status::Running {
        return copy_into_running(c, st.pid, src, dest);
    }
    let inner = dest.trim_start_matches('/');
    let upper = c.paths.upper();
    let lowers: Vec<PathBuf> = store.lower_dirs(&c.record.layers);
    let is_dir_in_container = |p: &str| {
        std::iter::once(&upper)
            .chain(lowers.iter())
            .any(|d| fs::metadata(d.join(p)).is_ok_and(|m| m.is_dir()))
    };
    let rel = if dest.ends_with('/') || is_dir_in_container(inner) {
        Path::new(inner).join(src.file_name().unwrap_or_default())
    } else {
        PathBuf::from(inner)
    };
    let src = src.to_path_buf();
    let rootless = store.config().rootless;
    crate::sys::process::run_in_child(move || {
        if rootless && !crate::sys::userns::in_store_userns() {
            crate::sys::userns::enter_store_userns()?;
        }
        if let Some(parent) = rel.parent() {
            make_parents(&upper, &lowers, parent)?;
        }
        copy_tree(&src, &upper.join(&rel))
    })
}

fn copy_into_running(c: &Found, pid: i32, src: &Path, dest: &str) -> Result<()> {
    let pidfd = crate::sys::pidfd::pidfd_open(pid)?;
    if !super::record::process_alive(pid, live_state(&c.paths)?.pid_start) {
        bail!("container {} is not running", c.record.name);
    }
    // Read the source on the host first: after joining the container's mount namespace,
    // host paths are gone. A tar through a pipe carries it across.
    let staging = tempfile_dir()?;
    let name = src
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    copy_tree(src, &staging.join(&name))?;
    let mut tar = Vec::new();
    layer::pack_dir(&staging, &mut tar)?;
    let _ = fs::remove_dir_all(&staging);
    let dest = dest.to_string();
    let rootless = c.record.rootless;
    crate::sys::process::run_in_child(move || {
        let mut ns = rustix::thread::ThreadNameSpaceType::MOUNT;
        if rootless {
            ns |= rustix::thread::ThreadNameSpaceType::USER;
        }
        rustix::thread::move_into_thread_name_spaces(pidfd.as_fd(), ns)
            .context("joining the container's namespaces")?;
        let target = Path::new(&dest);
        let into_dir = dest.ends_with('/') || fs::metadata(target).is_ok_and(|m| m.is_dir());
        let unpack_to = if into_dir {
            target.to_path_buf()
        } else {
            target.parent().unwrap_or(Path::new("/")).to_path_buf()
        };
        let opts = layer::UnpackOptions {
            rootless: false,
            ignore_chown_errors: true,
        };
        layer::unpack_layer(&tar[..], &unpack_to, &opts)?;
        if !into_dir {
            fs::rename(unpack_to.join(&name), target).context("renaming the copied file")?;
        }
        Ok(())
    })
}

fn tempfile_dir() -> Result<PathBuf> {
    let d = std::env::temp_dir().join(format!(
        "skiff-cp-{}-{}",
        std::process::id(),
        Utc::now().timestamp_nanos_opt().unwrap_or(0)
    ));
    fs::create_dir_all(&d)?;
    Ok(d)
}

/// docker cp: into an existing directory keeps the source's name.
fn target_path(from: &Path, dest: &Path) -> PathBuf {
    if dest.is_dir() {
        dest.join(from.file_name().unwrap_or_default())
    } else {
        dest.to_path_buf()
    }
}

/// Create `rel`'s directories in the upper dir, with the modes they have below.
fn make_parents(upper: &Path, lowers: &[PathBuf], rel: &Path) -> Result<()> {
    let mut cur = PathBuf::new();
    for comp in rel.components() {
        cur.push(comp);
        let up = upper.join(&cur);
        if up.exists() {
            continue;
        }
        fs::create_dir(&up).with_context(|| format!("creating {}", up.display()))?;
        if let Some(m) = lowers.iter().find_map(|l| fs::metadata(l.join(&cur)).ok()) {
            fs::set_permissions(&up, fs::Permissions::from_mode(m.mode() & 0o7777))?;
            let _ = std::os::unix::fs::chown(&up, Some(m.uid()), Some(m.gid()));
        }
    }
    Ok(())
}

/// Copy a file, symlink or directory tree, keeping modes (and owners where allowed).
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    let meta = fs::symlink_metadata(from).with_context(|| format!("reading {}", from.display()))?;
    if meta.file_type().is_symlink() {
        let _ = fs::remove_file(to);
        symlink(fs::read_link(from)?, to).with_context(|| format!("creating {}", to.display()))?;
    } else if meta.is_dir() {
        if !to.is_dir() {
            fs::create_dir(to).with_context(|| format!("creating {}", to.display()))?;
        }
        for e in fs::read_dir(from)? {
            let e = e?;
            copy_tree(&e.path(), &to.join(e.file_name()))?;
        }
        fs::set_permissions(to, fs::Permissions::from_mode(meta.mode() & 0o7777))?;
    } else {
        fs::copy(from, to)
            .with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
    }
    let _ = std::os::unix::fs::lchown(to, Some(meta.uid()), Some(meta.gid()));
    Ok(())
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
