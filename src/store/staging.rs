//! A staging area for adding images: blobs and unpacked layers are written under
//! `tmp/stage-<pid>-<n>/` and moved into the store in one step, under the store lock,
//! together with the index update. A failure or a crash before that step leaves the
//! store as it was; garbage collection removes stale staging dirs of dead processes.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};

use super::Store;
use super::blobs::{check_digest, copy_hashed, write_hashed};
use super::fsutil::{ensure_dir, remove_all, unique_name, write_atomic};
use super::records::{ImageIndex, ImageRecord, LayerRecord};
use crate::image::digest::{Digest, Hasher, HashingWriter};
use crate::layer;

/// What [`Staging::stream_layer`] stored: the blob, and the layer if it was unpacked.
pub struct StreamedLayer {
    pub blob: Digest,
    pub layer: Option<LayerRecord>,
}

/// Passes reads through while hashing them and copying them to `out`.
struct TeeReader<'a, W: Write> {
    inner: &'a mut dyn Read,
    out: W,
    hasher: Hasher,
}

impl<W: Write> Read for TeeReader<'_, W> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.out.write_all(&buf[..n])?;
        Ok(n)
    }
}

/// Check an unpacked layer against the diff id the image config expects and write its
/// `layer.json`.
fn record_unpacked(
    job: &LayerJob,
    stats: &layer::UnpackStats,
    layer_dir: &Path,
) -> Result<LayerRecord> {
    if stats.diff_id != job.diff_id {
        bail!(
            "layer {}: its uncompressed content hashes to {} but the image config's diff_id is {}",
            job.blob,
            stats.diff_id,
            job.diff_id
        );
    }
    let rec = LayerRecord {
        chain_id: job.chain_id.clone(),
        diff_id: job.diff_id.clone(),
        parent: job.parent.clone(),
        tar_size: stats.tar_size,
        content_size: stats.content_size,
        blob: job.blob.clone(),
    };
    write_atomic(&layer_dir.join("layer.json"), &serde_json::to_vec(&rec)?)?;
    Ok(rec)
}

/// One layer to unpack: its place in the chain and the blob holding its tar.
#[derive(Debug, Clone)]
pub struct LayerJob {
    pub chain_id: Digest,
    pub parent: Option<Digest>,
    pub diff_id: Digest,
    pub blob: Digest,
}

pub struct Staging<'s> {
    store: &'s Store,
    dir: PathBuf,
    blobs: HashSet<Digest>,
    layers: HashMap<Digest, LayerRecord>,
}

impl<'s> Staging<'s> {
    pub(super) fn new(store: &'s Store) -> Result<Staging<'s>> {
        let dir = store.tmp_dir().join(unique_name("stage"));
        ensure_dir(&dir.join("blobs"))?;
        ensure_dir(&dir.join("layers"))?;
        Ok(Staging {
            store,
            dir,
            blobs: HashSet::new(),
            layers: HashMap::new(),
        })
    }

    fn staged_blob_path(&self, d: &Digest) -> PathBuf {
        self.dir.join("blobs").join(d.hex())
    }

    /// Store a blob read from `r`. With `expected`, the content must hash to it; a blob
    /// already in the store is only read through and verified, not written again.
    pub fn put_blob(
        &mut self,
        r: &mut dyn Read,
        expected: Option<&Digest>,
    ) -> Result<(Digest, u64)> {
        if let Some(want) = expected
            && (self.blobs.contains(want) || self.store.blobs().has(want))
        {
            let (got, n) = copy_hashed(r, None)?;
            check_digest(Some(want), &got)?;
            return Ok((got, n));
        }
        let tmp = self.dir.join("blobs").join(unique_name("incoming"));
        let (got, n) = write_hashed(r, &tmp)?;
        if let Err(e) = check_digest(expected, &got) {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        fs::rename(&tmp, self.staged_blob_path(&got)).context("staging blob")?;
        self.blobs.insert(got.clone());
        Ok((got, n))
    }

    /// Store a blob that `write` produces (a layer being packed), hashing it on the way.
    pub fn put_blob_written(
        &mut self,
        write: impl FnOnce(&mut dyn Write) -> Result<()>,
    ) -> Result<(Digest, u64)> {
        let tmp = self.dir.join("blobs").join(unique_name("incoming"));
        let result = (|| -> Result<(Digest, u64)> {
            let file = File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
            let mut out = HashingWriter::new(BufWriter::with_capacity(1 << 20, file));
            write(&mut out)?;
            let (mut file, digest, len) = out.finish();
            file.flush()?;
            Ok((digest, len))
        })();
        let (digest, size) = match result {
            Ok(r) => r,
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                return Err(e);
            }
        };
        fs::rename(&tmp, self.staged_blob_path(&digest)).context("staging blob")?;
        self.blobs.insert(digest.clone());
        Ok((digest, size))
    }

    pub fn put_blob_bytes(&mut self, bytes: &[u8]) -> Result<Digest> {
        Ok(self.put_blob(&mut &bytes[..], None)?.0)
    }

    /// Path of a blob, staged or already in the store.
    pub fn blob_path(&self, d: &Digest) -> Result<PathBuf> {
        if self.blobs.contains(d) {
            return Ok(self.staged_blob_path(d));
        }
        let p = self.store.blobs().path(d);
        if p.is_file() {
            return Ok(p);
        }
        Err(anyhow!("blob {d} is missing"))
    }

    pub fn read_blob(&self, d: &Digest) -> Result<Vec<u8>> {
        let p = self.blob_path(d)?;
        fs::read(&p).with_context(|| format!("reading blob {d}"))
    }

    /// Unpack every layer not yet in the store, in parallel; verify each diff id.
    pub fn unpack_layers(&mut self, jobs: &[LayerJob]) -> Result<()> {
        let todo: Vec<&LayerJob> = jobs
            .iter()
            .filter(|j| {
                !self.layers.contains_key(&j.chain_id) && !self.store.has_layer(&j.chain_id)
            })
            .collect();
        if todo.is_empty() {
            return Ok(());
        }
        let this = &*self;
        let records = crate::parallel::run_bounded(&todo, crate::parallel::cpus(), |job, _| {
            this.unpack_one(job)
        })?;
        for rec in records {
            self.layers.insert(rec.chain_id.clone(), rec);
        }
        Ok(())
    }

    fn unpack_one(&self, job: &LayerJob) -> Result<LayerRecord> {
        let layer_dir = self.dir.join("layers").join(job.chain_id.hex());
        let diff = layer_dir.join("diff");
        ensure_dir(&diff)?;
        let path = self.blob_path(&job.blob)?;
        let file = File::open(&path).with_context(|| format!("opening blob {}", job.blob))?;
        let stats = layer::unpack_layer(
            BufReader::with_capacity(1 << 20, file),
            &diff,
            &self.store.unpack_options(),
        )
        .with_context(|| format!("unpacking layer {}", job.blob))?;
        record_unpacked(job, &stats, &layer_dir)
    }

    /// Store a layer blob read from `r` and, with `unpack`, unpack it into its layer dir in
    /// the same pass: the bytes are hashed and written to the staged blob as the
    /// decompressor reads them. The blob's digest (and `size`, if known) is checked before
    /// anything is kept, and takes precedence over an unpack error it would explain.
    /// Takes `&self` so several layers can stream at once; hand the result to
    /// [`Staging::add_streamed`].
    pub fn stream_layer(
        &self,
        job: &LayerJob,
        size: Option<u64>,
        unpack: bool,
        r: &mut dyn Read,
    ) -> Result<StreamedLayer> {
        let tmp = self.dir.join("blobs").join(unique_name("incoming"));
        let layer_dir = self.dir.join("layers").join(job.chain_id.hex());
        let result = self.stream_layer_to(job, size, unpack, r, &tmp, &layer_dir);
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
            if unpack {
                let _ = remove_all(&layer_dir);
            }
        }
        result
    }

    fn stream_layer_to(
        &self,
        job: &LayerJob,
        size: Option<u64>,
        unpack: bool,
        r: &mut dyn Read,
        tmp: &Path,
        layer_dir: &Path,
    ) -> Result<StreamedLayer> {
        let file = File::create(tmp).with_context(|| format!("creating {}", tmp.display()))?;
        // One byte past the size the manifest gives is enough to tell it lied: a registry
        // that sends more, or never stops, cannot fill the disk.
        let mut limited;
        let r: &mut dyn Read = match size {
            Some(want) => {
                limited = r.take(want.saturating_add(1));
                &mut limited
            }
            None => r,
        };
        let mut tee = TeeReader {
            inner: r,
            out: BufWriter::with_capacity(1 << 20, file),
            hasher: Hasher::new(),
        };
        let unpacked = if unpack {
            let diff = layer_dir.join("diff");
            ensure_dir(&diff)?;
            // unpack_layer's decompressor buffers its input already.
            Some(layer::unpack_layer(
                &mut tee,
                &diff,
                &self.store.unpack_options(),
            ))
        } else {
            None
        };
        // Whatever the unpacker did not need (compression trailers) is still part of the blob.
        io::copy(&mut tee, &mut io::sink())
            .with_context(|| format!("downloading blob {}", job.blob))?;
        let len = tee.hasher.len();
        let got = tee.hasher.finish();
        tee.out.flush().context("writing blob")?;
        check_digest(Some(&job.blob), &got)?;
        if let Some(want) = size
            && want != len
        {
            bail!(
                "blob {} is {len} bytes, but the manifest says {want}",
                job.blob
            );
        }
        let layer = match unpacked {
            None => None,
            Some(stats) => {
                let stats = stats.with_context(|| format!("unpacking layer {}", job.blob))?;
                Some(record_unpacked(job, &stats, layer_dir)?)
            }
        };
        fs::rename(tmp, self.staged_blob_path(&got)).context("staging blob")?;
        Ok(StreamedLayer { blob: got, layer })
    }

    /// Take note of what [`Staging::stream_layer`] stored.
    pub fn add_streamed(&mut self, s: StreamedLayer) {
        self.blobs.insert(s.blob);
        if let Some(rec) = s.layer {
            self.layers.insert(rec.chain_id.clone(), rec);
        }
    }

    /// A layer whose content we do not have (a foreign, non-distributable layer): an empty
    /// dir under its chain id, so the layers above it still stack.
    pub fn add_empty_layer(&mut self, job: &LayerJob) -> Result<()> {
        if self.layers.contains_key(&job.chain_id) || self.store.has_layer(&job.chain_id) {
            return Ok(());
        }
        let layer_dir = self.dir.join("layers").join(job.chain_id.hex());
        ensure_dir(&layer_dir.join("diff"))?;
        let rec = LayerRecord {
            chain_id: job.chain_id.clone(),
            diff_id: job.diff_id.clone(),
            parent: job.parent.clone(),
            tar_size: 0,
            content_size: 0,
            blob: job.blob.clone(),
        };
        write_atomic(&layer_dir.join("layer.json"), &serde_json::to_vec(&rec)?)?;
        self.layers.insert(rec.chain_id.clone(), rec);
        Ok(())
    }

    /// Unpack a base layer whose diff id is not known in advance (`import`): unpack to a
    /// temporary dir, then file it under the chain id its content hashes to.
    pub fn unpack_new_layer(&mut self, blob: &Digest) -> Result<LayerRecord> {
        self.unpack_new_layer_on(blob, &[])
    }

    /// Like `unpack_new_layer`, for a layer on top of `parents` (chain ids, base first).
    pub fn unpack_new_layer_on(
        &mut self,
        blob: &Digest,
        parents: &[Digest],
    ) -> Result<LayerRecord> {
        let tmp = self.dir.join("layers").join(unique_name("new"));
        let diff = tmp.join("diff");
        ensure_dir(&diff)?;
        let path = self.blob_path(blob)?;
        let file = File::open(&path).with_context(|| format!("opening blob {blob}"))?;
        let stats = layer::unpack_layer(
            BufReader::with_capacity(1 << 20, file),
            &diff,
            &self.store.unpack_options(),
        )?;
        let parent = parents.last().cloned();
        let chain = match &parent {
            None => stats.diff_id.clone(),
            Some(p) => Digest::of(format!("{p} {}", stats.diff_id).as_bytes()),
        };
        if let Some(rec) = self.layers.get(&chain) {
            remove_all(&tmp)?;
            return Ok(rec.clone());
        }
        if self.store.has_layer(&chain) {
            remove_all(&tmp)?;
            return self.store.layer_record(&chain);
        }
        let rec = LayerRecord {
            chain_id: chain.clone(),
            diff_id: stats.diff_id,
            parent,
            tar_size: stats.tar_size,
            content_size: stats.content_size,
            blob: blob.clone(),
        };
        write_atomic(&tmp.join("layer.json"), &serde_json::to_vec(&rec)?)?;
        fs::rename(&tmp, self.dir.join("layers").join(chain.hex())).context("staging layer")?;
        self.layers.insert(chain, rec.clone());
        Ok(rec)
    }

    /// A layer record, staged or from the store.
    pub fn layer_record(&self, chain: &Digest) -> Result<LayerRecord> {
        match self.layers.get(chain) {
            Some(r) => Ok(r.clone()),
            None => self.store.layer_record(chain),
        }
    }

    /// Move everything staged into the store and add the image records, atomically with
    /// respect to other skiff processes (they take the same lock).
    pub fn commit(self, records: Vec<ImageRecord>) -> Result<()> {
        self.commit_unless(records, |_| None).map(|_| ())
    }

    /// Like [`Staging::commit`], unless `existing` finds in the index, under the store lock,
    /// an image that makes these redundant (a build step another build just committed): then
    /// nothing staged is kept and that image's record comes back.
    pub fn commit_unless(
        self,
        records: Vec<ImageRecord>,
        existing: impl FnOnce(&ImageIndex) -> Option<ImageRecord>,
    ) -> Result<Option<ImageRecord>> {
        let store = self.store;
        store.update_index(|idx| {
            if let Some(found) = existing(idx) {
                return Ok(Some(found));
            }
            // Check first, so a race with a concurrent removal changes nothing.
            for rec in &records {
                for b in &rec.blobs {
                    if !self.blobs.contains(b) && !store.blobs().has(b) {
                        bail!("blob {b} vanished while the image was being stored (removed concurrently?); try again");
                    }
                }
                for l in &rec.layers {
                    if !self.layers.contains_key(l) && !store.has_layer(l) {
                        bail!("layer {l} vanished while the image was being stored (removed concurrently?); try again");
                    }
                }
            }
            for d in &self.blobs {
                let dest = store.blobs().path(d);
                if dest.exists() {
                    continue;
                }
                fs::rename(self.staged_blob_path(d), &dest).with_context(|| format!("storing blob {d}"))?;
            }
            for chain in self.layers.keys() {
                let dest = store.layer_path(chain);
                if store.has_layer(chain) {
                    continue;
                }
                // A dir without layer.json is what an interrupted removal left: replace it.
                remove_all(&dest)?;
                fs::rename(self.dir.join("layers").join(chain.hex()), &dest)
                    .with_context(|| format!("storing layer {chain}"))?;
            }
            for rec in records {
                idx.upsert(rec);
            }
            Ok(None)
        })
    }
}

impl Drop for Staging<'_> {
    fn drop(&mut self) {
        if let Err(e) = remove_all(&self.dir) {
            log::warn!("removing staging dir: {e:#}");
        }
    }
}
