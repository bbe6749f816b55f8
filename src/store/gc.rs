//! Garbage collection: remove layers and blobs no image refers to, and the temporaries
//! of processes that died. Runs with the store lock held, after the index was saved, so a
//! crash in the middle only leaves garbage for the next run, never a dangling reference.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};

use super::fsutil::{pid_of_unique_name, remove_all};
use super::{ImageIndex, Store};
use crate::image::digest::Digest;

#[derive(Debug, Default)]
pub struct GcReport {
    pub layers_removed: usize,
    pub blobs_removed: usize,
}

impl Store {
    /// Caller holds the store lock; `idx` is the saved index.
    pub(super) fn collect_garbage(&self, idx: &ImageIndex) -> Result<GcReport> {
        let mut report = GcReport::default();
        let layers: HashSet<&Digest> = idx.images.iter().flat_map(|r| r.layers.iter()).collect();
        let blobs: HashSet<&Digest> = idx.images.iter().flat_map(|r| r.blobs.iter()).collect();

        let layer_root = self.root().join("layers");
        for entry in fs::read_dir(&layer_root)
            .with_context(|| format!("listing {}", layer_root.display()))?
        {
            let entry = entry?;
            let Some(chain) = entry
                .file_name()
                .to_str()
                .and_then(|n| Digest::from_hex(n).ok())
            else {
                continue;
            };
            if !layers.contains(&chain) {
                remove_all(&entry.path())?;
                report.layers_removed += 1;
            }
        }
        for d in self.blobs().list()? {
            if !blobs.contains(&d) {
                fs::remove_file(self.blobs().path(&d))
                    .with_context(|| format!("removing blob {d}"))?;
                report.blobs_removed += 1;
            }
        }
        self.remove_stale_temporaries()?;
        Ok(report)
    }

    fn remove_stale_temporaries(&self) -> Result<()> {
        let tmp = self.tmp_dir();
        let Ok(entries) = fs::read_dir(&tmp) else {
            return Ok(());
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(pid) = name.to_str().and_then(pid_of_unique_name) else {
                continue;
            };
            if !Path::new(&format!("/proc/{pid}")).exists() {
                remove_all(&entry.path())?;
            }
        }
        Ok(())
    }

    /// Change the index under the lock, save it, then collect garbage.
    pub fn update_index_and_collect<T>(
        &self,
        f: impl FnOnce(&mut ImageIndex) -> Result<T>,
    ) -> Result<(T, GcReport)> {
        let _lock = self.lock()?;
        let mut idx = self.index()?;
        let out = f(&mut idx)?;
        idx.save(&self.root().join("images.json"))?;
        let report = self.collect_garbage(&idx)?;
        Ok((out, report))
    }
}
