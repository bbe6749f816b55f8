//! The image a build step starts from and the one it leaves: its config document (kept as
//! JSON, so fields skiff does not know survive a build) and its layers as its manifest
//! lists them.

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::image::digest::Digest;
use crate::image::types as media;
use crate::images::view::ImageView;
pub use crate::images::view::string_list;
use crate::store::{ImageRecord, Store};

/// One layer of an image, as the manifest lists it and the store keeps it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LayerRef {
    /// Chain id of the unpacked layer in the store.
    pub chain: Digest,
    pub blob: Digest,
    pub size: u64,
    pub media_type: String,
}

/// An image during a build.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImageState {
    /// The config digest; None for `scratch`.
    pub id: Option<Digest>,
    /// The whole config document (`config`, `rootfs`, `history`, ...).
    pub config: Value,
    pub layers: Vec<LayerRef>,
}

impl ImageState {
    /// `FROM scratch`: no layers, an empty config for this platform.
    pub fn scratch() -> ImageState {
        ImageState {
            id: None,
            config: json!({
                "architecture": crate::image::platform::host_arch(),
                "os": "linux",
                "config": {},
                "rootfs": {"type": "layers", "diff_ids": []},
                "history": [],
            }),
            layers: Vec::new(),
        }
    }

    /// An image from the store.
    pub fn load(store: &Store, rec: &ImageRecord) -> Result<ImageState> {
        let view = ImageView::load(store, rec)?;
        let described = view.manifest["layers"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if described.len() != rec.layers.len() {
            anyhow::bail!(
                "image {} lists {} layers in its manifest but has {} unpacked",
                rec.id.short(),
                described.len(),
                rec.layers.len()
            );
        }
        let mut layers = Vec::with_capacity(described.len());
        for (desc, chain) in described.iter().zip(&rec.layers) {
            let blob = desc["digest"]
                .as_str()
                .and_then(|d| d.parse::<Digest>().ok())
                .with_context(|| format!("image {}: a layer without a digest", rec.id.short()))?;
            layers.push(LayerRef {
                chain: chain.clone(),
                blob,
                size: desc["size"].as_u64().unwrap_or(0),
                media_type: desc["mediaType"]
                    .as_str()
                    .unwrap_or(media::OCI_LAYER_GZIP)
                    .to_string(),
            });
        }
        let mut config = view.config;
        if !config["config"].is_object() {
            config["config"] = json!({});
        }
        Ok(ImageState {
            id: Some(rec.id.clone()),
            config,
            layers,
        })
    }

    /// Chain ids, base first.
    pub fn chains(&self) -> Vec<Digest> {
        self.layers.iter().map(|l| l.chain.clone()).collect()
    }

    /// The container config (`Env`, `Cmd`, ...), created if absent.
    pub fn run_config_mut(&mut self) -> &mut Map<String, Value> {
        if !self.config["config"].is_object() {
            self.config["config"] = json!({});
        }
        match self.config["config"].as_object_mut() {
            Some(m) => m,
            None => unreachable!("just made an object"),
        }
    }

    pub fn run_config(&self) -> &Value {
        &self.config["config"]
    }

    /// `Env` as (name, value) pairs, in order.
    pub fn env(&self) -> Vec<(String, String)> {
        string_list(&self.run_config()["Env"])
            .into_iter()
            .map(|kv| match kv.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (kv, String::new()),
            })
            .collect()
    }

    /// Sets (or replaces, in place) one `Env` entry.
    pub fn set_env(&mut self, name: &str, value: &str) {
        let mut env = self.env();
        match env.iter_mut().find(|(k, _)| k == name) {
            Some(e) => e.1 = value.to_string(),
            None => env.push((name.to_string(), value.to_string())),
        }
        let list: Vec<Value> = env
            .into_iter()
            .map(|(k, v)| json!(format!("{k}={v}")))
            .collect();
        self.run_config_mut()
            .insert("Env".into(), Value::Array(list));
    }

    /// A string field of the container config ("" when unset).
    pub fn run_str(&self, key: &str) -> String {
        self.run_config()[key].as_str().unwrap_or("").to_string()
    }

    /// A list field of the container config (empty when unset).
    pub fn run_list(&self, key: &str) -> Vec<String> {
        string_list(&self.run_config()[key])
    }
}
