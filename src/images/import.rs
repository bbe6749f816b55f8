//! `skiff import`: a root filesystem tarball (plain, gzip or zstd; a file or `-` for
//! stdin) becomes a one-layer image. The tarball is kept as the layer blob as it came.

use std::fs::File;
use std::io::{BufReader, Read};

use anyhow::{Context, Result, bail};
use chrono::Utc;
use serde_json::{Map, Value, json};

use crate::image::digest::Digest;
use crate::image::platform::host_arch;
use crate::image::types as media;
use crate::layer::Compression;
use crate::store::Store;

pub struct ImportOptions {
    pub changes: Vec<String>,
    pub message: Option<String>,
    pub arch: Option<String>,
    pub os: Option<String>,
    pub variant: Option<String>,
    pub reference: Option<String>,
}

pub fn import(store: &Store, source: &str, o: &ImportOptions) -> Result<Digest> {
    let name = o
        .reference
        .as_deref()
        .map(super::new_image_name)
        .transpose()?;
    let mut container_config = Map::new();
    for c in &o.changes {
        super::changes::apply_change(&mut container_config, c)?;
    }
    if source.starts_with("http://") || source.starts_with("https://") {
        bail!(
            "importing from a URL is not supported yet: download the tarball and import the file"
        );
    }
    let mut reader: Box<dyn Read> = if source == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(File::open(source).with_context(|| format!("opening {source}"))?)
    };
    let mut stage = store.begin()?;
    let (blob, blob_size) = stage
        .put_blob(&mut reader, None)
        .context("reading the tarball")?;
    let layer = stage
        .unpack_new_layer(&blob)
        .context("unpacking the tarball")?;
    let compression = {
        let mut head = [0u8; 8];
        let mut f = BufReader::new(File::open(stage.blob_path(&blob)?)?);
        let n = f.read(&mut head)?;
        Compression::detect(&head[..n])
    };
    let layer_type = match compression {
        Compression::Gzip => media::OCI_LAYER_GZIP,
        Compression::Zstd => media::OCI_LAYER_ZSTD,
        Compression::None => media::OCI_LAYER_TAR,
    };
    let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
    let comment = o
        .message
        .clone()
        .unwrap_or_else(|| format!("imported from {source}"));
    let mut config = json!({
        "created": now,
        "architecture": o.arch.clone().unwrap_or_else(|| host_arch().to_string()),
        "os": o.os.clone().unwrap_or_else(|| "linux".to_string()),
        "config": Value::Object(container_config),
        "rootfs": {"type": "layers", "diff_ids": [layer.diff_id.to_string()]},
        "history": [{"created": now, "created_by": format!("/bin/sh -c #(nop) ADD file:{} in / ", layer.diff_id.hex()), "comment": comment}],
    });
    if let Some(v) = &o.variant {
        config["variant"] = json!(v);
    }
    let config_bytes = serde_json::to_vec(&config)?;
    let config_digest = stage.put_blob_bytes(&config_bytes)?;
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": media::OCI_MANIFEST,
        "config": {"mediaType": media::OCI_CONFIG, "digest": config_digest.to_string(), "size": config_bytes.len()},
        "layers": [{"mediaType": layer_type, "digest": blob.to_string(), "size": blob_size}],
    });
    let manifest_digest = stage.put_blob_bytes(&serde_json::to_vec(&manifest)?)?;
    let record =
        super::add::prepare_image(&mut stage, &manifest_digest, name.into_iter().collect())?;
    let id = record.id.clone();
    stage.commit(vec![record])?;
    Ok(id)
}
