//! Writing a build step's image: the files the step changed (an overlay upper directory)
//! packed into a new gzip layer on the parent's layers, the new config and a manifest, and
//! an image record marked intermediate with the step's cache key, all through one staging
//! area, so an interrupted build leaves nothing half-written in the store.
//!
//! Rootless, the upper directory holds files owned by subordinate ids and the layer must be
//! unpacked with them: that work runs in a child that enters the store's user namespace,
//! which sends the new image state back as JSON.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::Utc;
use serde_json::{Value, json};

use super::state::{ImageState, LayerRef};
use crate::image::digest::Digest;
use crate::image::types as media;
use crate::store::{ImageRecord, Store};

/// One image to write.
pub struct StepCommit<'a> {
    pub parent: &'a ImageState,
    /// The new config document; `rootfs`, `history` and `created` are completed here.
    pub config: Value,
    /// History entries to append; the caller sets `empty_layer` on all but the entry of
    /// the new layer.
    pub history: Vec<Value>,
    /// The directory whose files become the new layer.
    pub upper: Option<PathBuf>,
    /// A work directory to remove once the layer is stored (it holds files owned by the
    /// container's ids, which only the store's user namespace may remove).
    pub cleanup: Option<PathBuf>,
    pub cache_key: Option<Digest>,
    /// Docker schema 2 media types instead of OCI ones.
    pub docker_format: bool,
    /// OCI manifest annotations.
    pub annotations: Vec<(String, String)>,
    /// Go on from an image another build committed for the same cache key meanwhile,
    /// instead of adding a second one (not with `--no-cache`, which wants its own).
    pub reuse_same_step: bool,
    /// `build --timestamp`: the created time, and every new file's mtime, in seconds.
    pub timestamp: Option<i64>,
}

/// Writes the image and returns its state.
pub fn commit_step(store: &Store, c: StepCommit<'_>) -> Result<ImageState> {
    let touches_files = c.upper.is_some() || c.cleanup.is_some();
    if !touches_files || !store.config().rootless {
        return write_image(store, c);
    }
    let out = crate::sys::userns::as_store_owner_output(true, || {
        Ok(serde_json::to_string(&write_image(store, c)?)?)
    })?;
    serde_json::from_str(&out).context("reading the committed image")
}

fn write_image(store: &Store, c: StepCommit<'_>) -> Result<ImageState> {
    let mut stage = store.begin()?;
    let mut config = c.config;
    let mut layers: Vec<LayerRef> = c
        .parent
        .layers
        .iter()
        .map(|l| LayerRef {
            media_type: layer_media_type(&l.media_type, c.docker_format),
            ..l.clone()
        })
        .collect();
    let mut diff_ids: Vec<Value> = config["rootfs"]["diff_ids"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if let Some(upper) = &c.upper {
        let (blob, size) = stage.put_blob_written(|w| pack_gzip(upper, w, c.timestamp))?;
        let parents = c.parent.chains();
        let rec = stage.unpack_new_layer_on(&blob, &parents)?;
        diff_ids.push(json!(rec.diff_id.to_string()));
        layers.push(LayerRef {
            chain: rec.chain_id,
            blob,
            size,
            media_type: if c.docker_format {
                media::DOCKER_LAYER_GZIP
            } else {
                media::OCI_LAYER_GZIP
            }
            .to_string(),
        });
    }
    if let Some(dir) = &c.cleanup {
        crate::store::fsutil::remove_all(dir)?;
    }
    let now = match c.timestamp {
        Some(t) => chrono::DateTime::from_timestamp(t, 0).context("--timestamp out of range")?,
        None => Utc::now(),
    };
    let created = now.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
    config["created"] = json!(created);
    crate::images::add::check_config_user(config["config"]["User"].as_str().unwrap_or(""))?;
    config["rootfs"] = json!({"type": "layers", "diff_ids": diff_ids});
    let mut history = config["history"].as_array().cloned().unwrap_or_default();
    for mut entry in c.history {
        entry["created"] = json!(created);
        history.push(entry);
    }
    config["history"] = Value::Array(history);
    let config_bytes = serde_json::to_vec(&config)?;
    let config_digest = stage.put_blob_bytes(&config_bytes)?;
    let (manifest_type, config_type) = if c.docker_format {
        (media::DOCKER_MANIFEST, media::DOCKER_CONFIG)
    } else {
        (media::OCI_MANIFEST, media::OCI_CONFIG)
    };
    let mut manifest = json!({
        "schemaVersion": 2,
        "mediaType": manifest_type,
        "config": {"mediaType": config_type, "digest": config_digest.to_string(), "size": config_bytes.len()},
        "layers": layers.iter().map(|l| json!({
            "mediaType": l.media_type,
            "digest": l.blob.to_string(),
            "size": l.size,
        })).collect::<Vec<_>>(),
    });
    if !c.annotations.is_empty() && !c.docker_format {
        let map: serde_json::Map<String, Value> = c
            .annotations
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        manifest["annotations"] = Value::Object(map);
    }
    let manifest_digest = stage.put_blob_bytes(&serde_json::to_vec(&manifest)?)?;
    let mut size = 0;
    for l in &layers {
        size += stage.layer_record(&l.chain)?.tar_size;
    }
    let mut blobs = vec![manifest_digest.clone(), config_digest.clone()];
    for l in &layers {
        if !blobs.contains(&l.blob) {
            blobs.push(l.blob.clone());
        }
    }
    let record = ImageRecord {
        id: config_digest.clone(),
        names: vec![],
        names_history: vec![],
        digest: manifest_digest,
        manifest_media_type: manifest_type.to_string(),
        created: Some(now),
        size,
        layers: layers.iter().map(|l| l.chain.clone()).collect(),
        blobs,
        added: now,
        intermediate: true,
        build_cache_key: c.cache_key,
        parent: c.parent.id.clone(),
    };
    // Another build may have committed the same step meanwhile: its image is the cache
    // entry, so both builds go on from it (and later rebuilds hit whichever ran).
    let key = record.build_cache_key.clone().filter(|_| c.reuse_same_step);
    let same_step = |idx: &crate::store::ImageIndex| {
        let key = key.as_ref()?;
        super::cache::lookup(store, idx, key).cloned()
    };
    if let Some(existing) = stage.commit_unless(vec![record], same_step)? {
        return ImageState::load(store, &existing);
    }
    Ok(ImageState {
        id: Some(config_digest),
        config,
        layers,
    })
}

/// The upper directory as a gzip'd tar (fast compression: a build's layer is written once
/// and read back right away; a push can recompress).
fn pack_gzip(dir: &Path, w: &mut dyn Write, mtime: Option<i64>) -> Result<()> {
    let mut gz = flate2::write::GzEncoder::new(w, flate2::Compression::fast());
    let mtime = mtime.map(|t| t.max(0) as u64);
    crate::layer::pack_dir_with_mtime(dir, &mut gz, mtime)?;
    gz.finish().context("compressing the layer")?;
    Ok(())
}

/// A base image's layer media type in the format being written (gzip and plain tar have
/// both spellings; zstd has only OCI's and stays as it is).
fn layer_media_type(mt: &str, docker: bool) -> String {
    let converted = match (mt, docker) {
        (media::OCI_LAYER_GZIP, true) => media::DOCKER_LAYER_GZIP,
        (media::OCI_LAYER_TAR, true) => media::DOCKER_LAYER_TAR,
        (media::DOCKER_LAYER_GZIP, false) => media::OCI_LAYER_GZIP,
        (media::DOCKER_LAYER_TAR, false) => media::OCI_LAYER_TAR,
        (other, _) => other,
    };
    converted.to_string()
}

/// `--squash-all`: the image's whole file system as one layer (its merged view packed), with
/// its config; the history keeps every entry, now without layers, plus one for the squash.
pub fn squash_all(
    store: &Store,
    image: &ImageState,
    work: &Path,
    docker_format: bool,
    annotations: Vec<(String, String)>,
    timestamp: Option<i64>,
) -> Result<ImageState> {
    let lowers = store.lower_dirs(&image.chains());
    let rootless = store.config().rootless;
    let merged = work.join("squash-merged");
    std::fs::create_dir_all(&merged).with_context(|| format!("creating {}", merged.display()))?;
    let out = crate::sys::process::run_in_child_output(|| {
        crate::sys::mount::enter_private_mount_ns(rootless)?;
        let root = match lowers.as_slice() {
            [] => merged.clone(),
            [one] => one.clone(),
            _ => {
                crate::sys::mount::mount_overlay(&merged, &lowers, None, rootless)?;
                merged.clone()
            }
        };
        let mut config = image.config.clone();
        config["rootfs"]["diff_ids"] = json!([]);
        if let Some(history) = config["history"].as_array_mut() {
            for h in history.iter_mut() {
                h["empty_layer"] = json!(true);
            }
        }
        let parent = ImageState {
            id: None,
            config: config.clone(),
            layers: Vec::new(),
        };
        let state = write_image(
            store,
            StepCommit {
                parent: &parent,
                config,
                history: vec![
                    json!({"created_by": "skiff build --squash-all", "comment": "all layers squashed into one"}),
                ],
                upper: Some(root),
                cleanup: None,
                cache_key: None,
                docker_format,
                annotations,
                reuse_same_step: false,
                timestamp,
            },
        )?;
        Ok(serde_json::to_string(&state)?)
    })?;
    serde_json::from_str(&out).context("reading the squashed image")
}
