//! The image index (`images.json`) and layer records (`layers/<chain>/layer.json`).
//! The index is read without a lock (it is only ever replaced by rename) and changed
//! only under the store lock.

use std::fs;
use std::io;
use std::path::Path;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::image::digest::Digest;

/// One image in the store, identified by its config digest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImageRecord {
    pub id: Digest,
    /// Full names, `registry/repository:tag`, each held by at most one image.
    #[serde(default)]
    pub names: Vec<String>,
    /// Names this image had before they moved to another image or were untagged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names_history: Vec<String>,
    /// The manifest digest the image was last stored under.
    pub digest: Digest,
    pub manifest_media_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<DateTime<Utc>>,
    /// Sum of the uncompressed layer sizes.
    pub size: u64,
    /// Chain ids of the unpacked layers, base first.
    pub layers: Vec<Digest>,
    /// Every blob the image needs: manifest, config and layer blobs.
    pub blobs: Vec<Digest>,
    pub added: DateTime<Utc>,
    /// An image a build step made on the way to a build's result: hidden from `images`
    /// unless `-a`, and removed by `builder prune`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub intermediate: bool,
    /// The build cache key of the step that made this image (see build/cache.rs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_cache_key: Option<Digest>,
    /// The image a build step started from (Docker's parent image).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Digest>,
}

impl ImageRecord {
    pub fn is_dangling(&self) -> bool {
        self.names.is_empty()
    }
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct ImageIndex {
    #[serde(default)]
    pub images: Vec<ImageRecord>,
}

impl ImageIndex {
    pub fn load(path: &Path) -> Result<ImageIndex> {
        let bytes = match fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(ImageIndex::default()),
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        serde_json::from_slice(&bytes)
            .with_context(|| format!("parsing image index {}", path.display()))
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        let bytes = serde_json::to_vec(self)?;
        super::fsutil::write_atomic(path, &bytes)
    }

    pub fn get(&self, id: &Digest) -> Option<&ImageRecord> {
        self.images.iter().find(|r| &r.id == id)
    }

    pub fn get_mut(&mut self, id: &Digest) -> Option<&mut ImageRecord> {
        self.images.iter_mut().find(|r| &r.id == id)
    }

    /// Give `name` to image `id`, taking it away from any other image (as `tag` does).
    pub fn set_name(&mut self, id: &Digest, name: &str) {
        for r in self.images.iter_mut().filter(|r| &r.id != id) {
            if let Some(pos) = r.names.iter().position(|n| n == name) {
                let old = r.names.remove(pos);
                r.names_history.retain(|n| n != &old);
                r.names_history.insert(0, old);
            }
        }
        if let Some(r) = self.get_mut(id) {
            if !r.names.iter().any(|n| n == name) {
                r.names.push(name.to_string());
            }
            r.names_history.retain(|n| n != name);
        }
    }

    /// Add or update a record: an image already present keeps its names and gains the new ones.
    pub fn upsert(&mut self, mut rec: ImageRecord) {
        let names = std::mem::take(&mut rec.names);
        match self.get_mut(&rec.id) {
            Some(existing) => {
                existing.digest = rec.digest;
                existing.manifest_media_type = rec.manifest_media_type;
                existing.intermediate &= rec.intermediate;
                if rec.build_cache_key.is_some() {
                    existing.build_cache_key = rec.build_cache_key.clone();
                }
                for b in rec.blobs {
                    if !existing.blobs.contains(&b) {
                        existing.blobs.push(b);
                    }
                }
            }
            None => self.images.push(rec.clone()),
        }
        for n in &names {
            self.set_name(&rec.id, n);
        }
    }
}

/// An unpacked layer, stored next to its `diff/` directory.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LayerRecord {
    pub chain_id: Digest,
    pub diff_id: Digest,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Digest>,
    /// Length of the uncompressed tar stream.
    pub tar_size: u64,
    /// Sum of the regular files' sizes.
    pub content_size: u64,
    /// The blob this layer was unpacked from.
    pub blob: Digest,
}

/// ChainID(L0) = DiffID(L0); ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln)).
pub fn chain_ids(diff_ids: &[Digest]) -> Vec<Digest> {
    let mut out: Vec<Digest> = Vec::with_capacity(diff_ids.len());
    for d in diff_ids {
        let next = match out.last() {
            None => d.clone(),
            Some(parent) => Digest::of(format!("{parent} {d}").as_bytes()),
        };
        out.push(next);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &Digest, names: &[&str]) -> ImageRecord {
        ImageRecord {
            id: id.clone(),
            names: names.iter().map(|s| s.to_string()).collect(),
            names_history: vec![],
            digest: id.clone(),
            manifest_media_type: String::new(),
            created: None,
            size: 0,
            layers: vec![],
            blobs: vec![],
            added: Utc::now(),
            intermediate: false,
            build_cache_key: None,
            parent: None,
        }
    }

    #[test]
    fn names_move_between_images() {
        let a = Digest::of(b"a");
        let b = Digest::of(b"b");
        let mut idx = ImageIndex::default();
        idx.upsert(rec(&a, &["localhost/x:latest"]));
        idx.upsert(rec(&b, &["localhost/x:latest", "localhost/y:1"]));
        assert!(idx.get(&a).unwrap().is_dangling());
        assert_eq!(
            idx.get(&a).unwrap().names_history,
            vec!["localhost/x:latest"]
        );
        assert_eq!(
            idx.get(&b).unwrap().names,
            vec!["localhost/x:latest", "localhost/y:1"]
        );
    }

    #[test]
    fn chain_ids_follow_spec() {
        let l0 = Digest::of(b"0");
        let l1 = Digest::of(b"1");
        let c = chain_ids(&[l0.clone(), l1.clone()]);
        assert_eq!(c[0], l0);
        assert_eq!(c[1], Digest::of(format!("{l0} {l1}").as_bytes()));
    }
}
