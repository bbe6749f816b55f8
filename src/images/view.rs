//! An image as commands show it: its record plus its manifest and config documents,
//! read from the blob store. Configs are kept as JSON values so every field Docker or
//! an OCI tool wrote is shown, not only the ones skiff knows.

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::image::digest::Digest;
use crate::store::{ImageRecord, Store};

pub struct ImageView {
    pub record: ImageRecord,
    pub manifest: Value,
    pub config: Value,
}

impl ImageView {
    pub fn load(store: &Store, rec: &ImageRecord) -> Result<ImageView> {
        let manifest = read_json(store, &rec.digest).context("reading the image manifest")?;
        Ok(ImageView {
            manifest,
            ..ImageView::load_config(store, rec)?
        })
    }

    /// A view with the config only (no manifest), for `create`, which needs nothing else.
    pub fn load_config(store: &Store, rec: &ImageRecord) -> Result<ImageView> {
        let config = read_json(store, &rec.id).context("reading the image config")?;
        Ok(ImageView {
            record: rec.clone(),
            manifest: Value::Null,
            config,
        })
    }

    /// A view from the index record alone, for output that needs no document (the default
    /// `images` table): listing then reads one file however many images there are.
    pub fn from_record(rec: &ImageRecord) -> ImageView {
        ImageView {
            record: rec.clone(),
            manifest: Value::Null,
            config: Value::Null,
        }
    }

    /// The container config (`config.config`): Env, Cmd, Labels, ...
    pub fn container_config(&self) -> &Value {
        &self.config["config"]
    }

    pub fn labels(&self) -> serde_json::Map<String, Value> {
        self.container_config()["Labels"]
            .as_object()
            .cloned()
            .unwrap_or_default()
    }

    pub fn created(&self) -> Option<DateTime<Utc>> {
        self.record
            .created
            .or_else(|| parse_time(&self.config["created"]))
    }

    pub fn diff_ids(&self) -> Vec<String> {
        self.config["rootfs"]["diff_ids"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn str_field(&self, key: &str) -> String {
        self.config[key].as_str().unwrap_or_default().to_string()
    }

    /// `registry/repo@digest` for each repository the image is named in.
    pub fn repo_digests(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for n in &self.record.names {
            let d = format!("{}@{}", super::repository_of(n), self.record.digest);
            if !out.contains(&d) {
                out.push(d);
            }
        }
        out
    }
}

fn read_json(store: &Store, d: &Digest) -> Result<Value> {
    let bytes = store.blobs().read(d)?;
    serde_json::from_slice(&bytes).with_context(|| format!("parsing blob {d}"))
}

pub fn parse_time(v: &Value) -> Option<DateTime<Utc>> {
    v.as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// Go's `time.Time.String()` shape, which Podman prints for CreatedAt.
pub fn go_time(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S%.f +0000 UTC").to_string()
}

/// RFC 3339 with nanoseconds, as Go's JSON encoding of a time.
pub fn json_time(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// "2 weeks ago"
pub fn since(t: Option<DateTime<Utc>>) -> String {
    match t {
        Some(t) => format!(
            "{} ago",
            crate::format::human_duration((Utc::now() - t).num_seconds())
        ),
        None => "<unknown>".to_string(),
    }
}

/// A JSON array of strings as a Vec (anything else, or non-string items: left out).
pub fn string_list(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}
