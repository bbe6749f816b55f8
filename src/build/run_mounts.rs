//! `RUN --mount`: what each mount type becomes in the step's runtime spec.
//! - bind: a path of the build context (default its root), or of a stage or image
//!   (`from=`), read-only unless `rw` (then an overlay whose writes are thrown away with the
//!   step, as BuildKit discards them; a stage's layers are stacked the same way); the
//!   context's content checksum is part of the step's cache key, as BuildKit keys on it.
//! - cache: a directory kept in the store (`build-cache-mounts/`, by id or target) across
//!   builds, shared, writable; not part of the key.
//! - tmpfs: a tmpfs (`size=`).
//! - secret: a `--secret` file, copied into the step's directory with the mount's mode
//!   (0400 by default) and bind-mounted read-only; never in a layer, the history or the key.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use oci_spec::runtime::{Mount, MountBuilder};

use super::context::BuildContext;
use super::instructions::{MountType, RunMount};
use super::options::Secret;
use crate::image::digest::Digest;
use crate::layer::overlay;

pub struct MountInputs<'a> {
    pub mounts: &'a [RunMount],
    pub ctx: &'a BuildContext,
    pub secrets: &'a [Secret],
    pub cache_root: &'a Path,
    /// A directory of this RUN's own for mount sources (removed when the command ends).
    pub mounts_dir: &'a Path,
    /// Layers (top first) of the stage or image a `from=` names.
    pub stage_layers: &'a dyn Fn(&str) -> Result<Vec<PathBuf>>,
    /// Overlays in a rootless container use `userxattr`.
    pub rootless: bool,
}

pub struct PreparedMounts {
    pub mounts: Vec<Mount>,
    /// What the mounts add to the step's cache key.
    pub key_parts: Vec<String>,
}

pub fn prepare(i: &MountInputs<'_>) -> Result<PreparedMounts> {
    let mut out = PreparedMounts {
        mounts: Vec::new(),
        key_parts: Vec::new(),
    };
    for (n, m) in i.mounts.iter().enumerate() {
        match m.mount_type {
            MountType::Bind => bind_mount(i, m, n, &mut out)?,
            MountType::Cache => cache_mount(i, m, &mut out)?,
            MountType::Tmpfs => {
                let target = target_of(m)?;
                let mut options = vec!["nosuid".to_string(), "nodev".to_string()];
                if let Some(size) = m.size {
                    options.push(format!("size={size}"));
                }
                out.mounts.push(mount("tmpfs", "tmpfs", &target, options)?);
            }
            MountType::Secret => secret_mount(i, m, n, &mut out)?,
            MountType::Ssh => bail!("RUN --mount=type=ssh is not supported"),
        }
    }
    Ok(out)
}

fn target_of(m: &RunMount) -> Result<String> {
    match &m.target {
        Some(t) if !t.is_empty() => Ok(t.clone()),
        _ => bail!("RUN --mount={}: target is required", m.raw),
    }
}

fn bind_mount(i: &MountInputs<'_>, m: &RunMount, n: usize, out: &mut PreparedMounts) -> Result<()> {
    let target = target_of(m)?;
    let source = m.source.clone().unwrap_or_else(|| ".".to_string());
    // The directories that make up the source, top first: one for the context, the
    // source's directory in each layer that has it for a stage or image.
    let dirs: Vec<PathBuf> = match &m.from {
        Some(from) => {
            let layers = (i.stage_layers)(from)?;
            out.key_parts.push(format!("bind from {from}: {layers:?}"));
            // Resolved inside the stage (its symlinks, `..`, whiteouts), never on the host.
            let rel = overlay::resolve(&layers, &source)
                .map_err(|e| anyhow!("RUN --mount={}: {e:#} in {from:?}", m.raw))?;
            let dirs = match overlay::lookup(&layers, &rel) {
                Some((file, meta)) if !meta.is_dir() => vec![file],
                _ => overlay::merged_dirs(&layers, &rel),
            };
            if dirs.is_empty() {
                let empty = i.mounts_dir.join("empty");
                std::fs::create_dir_all(&empty)?;
                vec![empty]
            } else {
                dirs
            }
        }
        None => {
            let entries = i.ctx.resolve_sources(std::slice::from_ref(&source))?;
            let sum = i.ctx.checksum(&entries)?;
            out.key_parts.push(format!("bind {source}: {sum}"));
            match entries.first() {
                Some(e) => vec![i.ctx.root().join(e.resolved())],
                None => bail!("RUN --mount={}: source not found", m.raw),
            }
        }
    };
    let single_file = dirs.len() == 1 && !dirs[0].is_dir();
    if m.readonly && dirs.len() == 1 || single_file {
        let rw = if m.readonly { "ro" } else { "rw" };
        // An image's device nodes and setuid files stay dead here, as in the rootfs.
        let options = vec![
            "rbind".to_string(),
            rw.to_string(),
            "nodev".to_string(),
            "nosuid".to_string(),
        ];
        out.mounts.push(mount(
            "bind",
            &dirs[0].display().to_string(),
            &target,
            options,
        )?);
        return Ok(());
    }
    // Several layers, or writable: an overlay, whose upper directory (in the step's
    // directory) takes the writes and is thrown away with it, as BuildKit discards them.
    let mut options = Vec::new();
    let rw_dirs;
    let upper = if m.readonly {
        if dirs.len() < 2 {
            bail!("RUN --mount={}: nothing to mount", m.raw);
        }
        options.push("ro".to_string());
        None
    } else {
        rw_dirs = (
            i.mounts_dir.join(format!("bind-{n}/upper")),
            i.mounts_dir.join(format!("bind-{n}/work")),
        );
        for d in [&rw_dirs.0, &rw_dirs.1] {
            std::fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
        }
        Some((rw_dirs.0.as_path(), rw_dirs.1.as_path()))
    };
    // One option string, escaped as the kernel's overlay parser wants it.
    options.insert(
        0,
        crate::sys::mount::overlay_options(&dirs, upper, i.rootless, None),
    );
    options.extend(["nodev".to_string(), "nosuid".to_string()]);
    out.mounts
        .push(mount("overlay", "overlay", &target, options)?);
    Ok(())
}

fn cache_mount(i: &MountInputs<'_>, m: &RunMount, out: &mut PreparedMounts) -> Result<()> {
    let target = target_of(m)?;
    let id = m.id.clone().unwrap_or_else(|| target.clone());
    let dir = i.cache_root.join(&Digest::of(id.as_bytes()).hex()[..32]);
    if !dir.exists() {
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        use std::os::unix::fs::PermissionsExt;
        let mode = m.mode.unwrap_or(0o755);
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(mode))?;
        chown_for_container(&dir, m, i.rootless)?;
    }
    let mut options = vec!["rbind".to_string()];
    options.push(if m.readonly { "ro" } else { "rw" }.to_string());
    out.mounts
        .push(mount("bind", &dir.display().to_string(), &target, options)?);
    Ok(())
}

fn secret_mount(
    i: &MountInputs<'_>,
    m: &RunMount,
    n: usize,
    out: &mut PreparedMounts,
) -> Result<()> {
    let id = match (&m.id, &m.target) {
        (Some(id), _) => id.clone(),
        (None, Some(t)) => Path::new(t)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        (None, None) => bail!("RUN --mount={}: a secret mount needs id= or target=", m.raw),
    };
    let target = m
        .target
        .clone()
        .unwrap_or_else(|| format!("/run/secrets/{id}"));
    let Some(secret) = i.secrets.iter().find(|s| s.id == id) else {
        if m.required {
            bail!("secret {id:?} is required but was not given with --secret id={id},src=PATH");
        }
        return Ok(());
    };
    let dir = i.mounts_dir.join("secrets");
    std::fs::create_dir_all(&dir)?;
    let copy = dir.join(n.to_string());
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        // Never readable by others, not even for a moment.
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&copy)
            .with_context(|| format!("writing secret {id:?} for the step"))?;
        f.write_all(&secret.read()?)
            .with_context(|| format!("writing secret {id:?} for the step"))?;
    }
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        &copy,
        std::fs::Permissions::from_mode(m.mode.unwrap_or(0o400)),
    )?;
    chown_for_container(&copy, m, i.rootless)?;
    let options = vec!["rbind".to_string(), "ro".to_string()];
    out.mounts.push(mount(
        "bind",
        &copy.display().to_string(),
        &target,
        options,
    )?);
    Ok(())
}

/// The mount's `uid=`/`gid=` (default 0) as the container sees them: rootless, set from
/// inside the store's user namespace, whose ids are the container's.
fn chown_for_container(path: &Path, m: &RunMount, rootless: bool) -> Result<()> {
    if m.uid.is_none() && m.gid.is_none() {
        return Ok(());
    }
    let (uid, gid) = (m.uid.unwrap_or(0), m.gid.unwrap_or(0));
    let chown = || -> Result<()> {
        std::os::unix::fs::chown(path, Some(uid), Some(gid))
            .with_context(|| format!("RUN --mount={}: setting the owner {uid}:{gid}", m.raw))
    };
    crate::sys::userns::as_store_owner(rootless, chown)
}

fn mount(typ: &str, source: &str, target: &str, options: Vec<String>) -> Result<Mount> {
    Ok(MountBuilder::default()
        .destination(target)
        .typ(typ)
        .source(source)
        .options(options)
        .build()?)
}
