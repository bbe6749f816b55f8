//! Turning a manifest already in a staging area into an image record: parse the manifest
//! and config, unpack the layers (in parallel, verifying each diff id) and describe the
//! image for the index. Shared by load, import and (later) pull.

use anyhow::{Context, Result, bail};
use chrono::Utc;

use crate::image::digest::Digest;
use crate::image::types::{
    ImageConfig, Manifest, is_non_distributable, parse_config, parse_manifest,
};
use crate::store::records::chain_ids;
use crate::store::{ImageRecord, LayerJob, Staging};

pub fn prepare_image(
    stage: &mut Staging<'_>,
    manifest_digest: &Digest,
    names: Vec<String>,
) -> Result<ImageRecord> {
    let manifest_bytes = stage.read_blob(manifest_digest)?;
    let manifest =
        parse_manifest(&manifest_bytes).with_context(|| format!("manifest {manifest_digest}"))?;
    let config_digest = manifest.config.digest.clone();
    let config_bytes = stage.read_blob(&config_digest)?;
    let config =
        parse_config(&config_bytes).with_context(|| format!("image config {config_digest}"))?;
    prepare_parsed(stage, manifest_digest, &manifest, &config, names)
}

/// Like [`prepare_image`], for a caller that has the manifest and config parsed already
/// (their blobs must be staged or stored).
pub fn prepare_parsed(
    stage: &mut Staging<'_>,
    manifest_digest: &Digest,
    manifest: &Manifest,
    config: &ImageConfig,
    names: Vec<String>,
) -> Result<ImageRecord> {
    let config_digest = manifest.config.digest.clone();
    if let Some(c) = &config.config {
        check_config_user(&c.user).with_context(|| format!("image config {config_digest}"))?;
    }
    let diff_ids = &config.rootfs.diff_ids;
    if diff_ids.len() != manifest.layers.len() {
        bail!(
            "manifest {manifest_digest} lists {} layers but its config lists {} diff ids",
            manifest.layers.len(),
            diff_ids.len()
        );
    }
    let jobs = layer_jobs(manifest, diff_ids);
    let chains: Vec<_> = jobs.iter().map(|j| j.chain_id.clone()).collect();
    stage.unpack_layers(&jobs)?;
    let mut size = 0;
    for c in &chains {
        size += stage.layer_record(c)?.tar_size;
    }
    let mut blobs = vec![manifest_digest.clone(), config_digest.clone()];
    for l in &manifest.layers {
        // A foreign layer a pull skipped has no blob to keep.
        if is_non_distributable(&l.media_type) && stage.blob_path(&l.digest).is_err() {
            continue;
        }
        if !blobs.contains(&l.digest) {
            blobs.push(l.digest.clone());
        }
    }
    let created = config
        .created
        .as_deref()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok());
    Ok(ImageRecord {
        id: config_digest,
        names,
        names_history: vec![],
        digest: manifest_digest.clone(),
        manifest_media_type: manifest.effective_media_type().to_string(),
        created: created.map(|t| t.with_timezone(&Utc)),
        size,
        layers: chains,
        blobs,
        added: Utc::now(),
        intermediate: false,
        build_cache_key: None,
        parent: None,
    })
}

/// Refuses an image config whose `User` names a uid or gid above 2^31-1 (setresuid(-1)
/// would keep root). Every path that writes an image record calls this: load, import, pull
/// (through `prepare_parsed`), build and commit.
pub fn check_config_user(user: &str) -> Result<()> {
    crate::runtime::user::check_user_spec(user).with_context(|| format!("User {user:?}"))
}

/// The layers of `manifest` with their chain ids, given the config's diff ids (as many).
pub fn layer_jobs(manifest: &crate::image::types::Manifest, diff_ids: &[Digest]) -> Vec<LayerJob> {
    let chains = chain_ids(diff_ids);
    manifest
        .layers
        .iter()
        .enumerate()
        .map(|(i, l)| LayerJob {
            chain_id: chains[i].clone(),
            parent: i.checked_sub(1).map(|p| chains[p].clone()),
            diff_id: diff_ids[i].clone(),
            blob: l.digest.clone(),
        })
        .collect()
}
