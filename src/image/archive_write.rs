//! Writing `podman save` archives: oci-archive and docker-archive.
//!
//! Entries are written deterministically (mode 0644 for files, 0755 for directories,
//! uid/gid 0, mtime 0), each blob once however many images or names share it.

use std::collections::{BTreeMap, HashSet};
use std::io::{self, Read, Write};

use anyhow::{Context, Result, bail};
use serde::Serialize;

use super::Digest;
use super::digest::HashingReader;
use super::reference;
use super::types::{
    self, ANNOTATION_REF_NAME, DOCKER_MANIFEST, Descriptor, Index, OCI_INDEX, OCI_MANIFEST,
};

/// Where the blobs of the images to save come from.
pub trait BlobSource {
    /// The blob `d` as stored, and its length.
    fn open_blob(&self, d: &Digest) -> Result<(Box<dyn Read + '_>, u64)>;
    /// The uncompressed tar of the layer whose blob is `d` (the digest in the manifest), and
    /// its length.
    fn open_layer_tar(&self, d: &Digest) -> Result<(Box<dyn Read + '_>, u64)>;
}

/// One image to save.
#[derive(Clone, Debug)]
pub struct SaveImage {
    /// Full normalised names with tags, e.g. `docker.io/library/busybox:latest`.
    pub names: Vec<String>,
    pub manifest: Digest,
    pub manifest_bytes: Vec<u8>,
    pub config: Digest,
    pub config_bytes: Vec<u8>,
    pub layers: Vec<Descriptor>,
    pub diff_ids: Vec<Digest>,
}

impl SaveImage {
    /// Checks that the bytes are what the digests say and the lists agree.
    fn check(&self) -> Result<types::Manifest> {
        if Digest::of(&self.manifest_bytes) != self.manifest {
            bail!("manifest {} does not match its digest", self.manifest);
        }
        if Digest::of(&self.config_bytes) != self.config {
            bail!("config {} does not match its digest", self.config);
        }
        let manifest = types::parse_manifest(&self.manifest_bytes)
            .with_context(|| format!("reading manifest {}", self.manifest))?;
        let same_layers = manifest
            .layers
            .iter()
            .map(|l| &l.digest)
            .eq(self.layers.iter().map(|l| &l.digest));
        if manifest.config.digest != self.config || !same_layers {
            bail!(
                "manifest {} does not list the config and layers given for it",
                self.manifest
            );
        }
        if self.diff_ids.len() != self.layers.len() {
            bail!(
                "image {} has {} layers but {} diff_ids",
                self.manifest,
                self.layers.len(),
                self.diff_ids.len()
            );
        }
        Ok(manifest)
    }
}

/// A tar stream with our fixed metadata, writing each path once.
struct TarOut<W: Write> {
    builder: tar::Builder<W>,
    written: HashSet<String>,
}

impl<W: Write> TarOut<W> {
    fn new(w: W) -> Self {
        let mut builder = tar::Builder::new(w);
        builder.mode(tar::HeaderMode::Deterministic);
        TarOut {
            builder,
            written: HashSet::new(),
        }
    }

    fn has(&self, path: &str) -> bool {
        self.written.contains(path)
    }

    fn dir(&mut self, path: &str) -> Result<()> {
        if !self.written.insert(path.to_string()) {
            return Ok(());
        }
        let mut h = header(tar::EntryType::Directory, 0o755, 0);
        self.builder
            .append_data(&mut h, path, io::empty())
            .with_context(|| format!("writing {path}"))
    }

    fn bytes(&mut self, path: &str, data: &[u8]) -> Result<()> {
        self.file(path, data.len() as u64, &mut &data[..])
    }

    /// Writes a file of exactly `size` bytes from `r`.
    fn file(&mut self, path: &str, size: u64, r: &mut dyn Read) -> Result<()> {
        if !self.written.insert(path.to_string()) {
            return Ok(());
        }
        let mut h = header(tar::EntryType::Regular, 0o644, size);
        let mut exact = ExactReader {
            inner: r.take(size),
            remaining: size,
        };
        self.builder
            .append_data(&mut h, path, &mut exact)
            .with_context(|| format!("writing {path}"))
    }

    fn finish(self) -> Result<()> {
        let mut w = self.builder.into_inner().context("finishing the archive")?;
        w.flush().context("finishing the archive")
    }
}

fn header(kind: tar::EntryType, mode: u32, size: u64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(kind);
    h.set_mode(mode);
    h.set_uid(0);
    h.set_gid(0);
    h.set_mtime(0);
    h.set_size(size);
    h
}

/// Fails when its source ends before the promised length, so a short blob cannot
/// silently corrupt the tar stream.
struct ExactReader<R> {
    inner: R,
    remaining: u64,
}

impl<R: Read> Read for ExactReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() || self.remaining == 0 {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "blob is shorter than its recorded size",
            ));
        }
        self.remaining -= n as u64;
        Ok(n)
    }
}

/// Copies a blob into the archive, checking its size and digest.
fn write_blob<W: Write>(
    out: &mut TarOut<W>,
    path: &str,
    desc: &Descriptor,
    src: &dyn BlobSource,
) -> Result<()> {
    if out.has(path) {
        return Ok(());
    }
    let (r, size) = src
        .open_blob(&desc.digest)
        .with_context(|| format!("opening blob {}", desc.digest))?;
    if size != desc.size {
        bail!(
            "blob {} has {size} bytes, but its descriptor says {}",
            desc.digest,
            desc.size
        );
    }
    let mut hashing = HashingReader::new(r);
    out.file(path, size, &mut hashing)?;
    if hashing.finish().0 != desc.digest {
        bail!(
            "blob {} in the store does not match its digest",
            desc.digest
        );
    }
    Ok(())
}

fn blob_path(d: &Digest) -> String {
    format!("blobs/sha256/{}", d.hex())
}

/// Writes `images` as an OCI image layout in a tar, like `podman save --format oci-archive`.
/// Docker schema2 manifests are converted to OCI ones (the layout holds OCI manifests), which
/// changes their digest.
pub fn write_oci_archive(w: impl Write, images: &[SaveImage], src: &dyn BlobSource) -> Result<()> {
    let mut out = TarOut::new(w);
    out.dir("blobs")?;
    out.dir("blobs/sha256")?;
    out.bytes("oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#)?;
    let mut index_entries = Vec::new();
    for image in images {
        let manifest = image.check()?;
        out.bytes(&blob_path(&image.config), &image.config_bytes)?;
        for layer in &manifest.layers {
            write_blob(&mut out, &blob_path(&layer.digest), layer, src)?;
        }
        let bytes = if manifest.effective_media_type() == DOCKER_MANIFEST {
            types::to_json(&manifest.to_oci())?
        } else {
            image.manifest_bytes.clone()
        };
        let digest = Digest::of(&bytes);
        out.bytes(&blob_path(&digest), &bytes)?;
        let desc = Descriptor::new(OCI_MANIFEST, digest, bytes.len() as u64);
        if image.names.is_empty() {
            index_entries.push(desc.clone());
        }
        for name in &image.names {
            let mut named = desc.clone();
            named.annotations = Some(BTreeMap::from([(
                ANNOTATION_REF_NAME.to_string(),
                name.clone(),
            )]));
            index_entries.push(named);
        }
    }
    let index = Index {
        schema_version: 2,
        media_type: Some(OCI_INDEX.to_string()),
        artifact_type: None,
        manifests: index_entries,
        subject: None,
        annotations: None,
    };
    out.bytes("index.json", &types::to_json(&index)?)?;
    out.finish()
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct DockerManifestEntry {
    config: String,
    repo_tags: Vec<String>,
    layers: Vec<String>,
}

/// Writes `images` as a docker-archive, like `podman save`: `<config hex>.json`,
/// `<diff_id hex>/layer.tar` (uncompressed), `manifest.json` and the legacy `repositories`.
/// RepoTags carry the full names, as Podman writes them.
pub fn write_docker_archive(
    w: impl Write,
    images: &[SaveImage],
    src: &dyn BlobSource,
) -> Result<()> {
    let mut out = TarOut::new(w);
    let mut entries = Vec::new();
    let mut repositories: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for image in images {
        image.check()?;
        let config_path = format!("{}.json", image.config.hex());
        out.bytes(&config_path, &image.config_bytes)?;
        let mut layer_paths = Vec::new();
        for (layer, diff_id) in image.layers.iter().zip(&image.diff_ids) {
            let path = format!("{}/layer.tar", diff_id.hex());
            write_layer_tar(&mut out, &path, layer, diff_id, src)?;
            layer_paths.push(path);
        }
        let tags: Vec<String> = image.names.iter().filter(|n| has_tag(n)).cloned().collect();
        if let Some(top) = image.diff_ids.last() {
            for tag in &tags {
                if let Ok(r) = reference::parse_normalized(tag)
                    && let Some(t) = &r.tag
                {
                    repositories
                        .entry(r.name())
                        .or_default()
                        .insert(t.clone(), top.hex().to_string());
                }
            }
        }
        entries.push(DockerManifestEntry {
            config: config_path,
            repo_tags: tags,
            layers: layer_paths,
        });
    }
    out.bytes("manifest.json", &types::to_json(&entries)?)?;
    if !repositories.is_empty() {
        out.bytes("repositories", &types::to_json(&repositories)?)?;
    }
    out.finish()
}

fn has_tag(name: &str) -> bool {
    reference::parse_normalized(name).is_ok_and(|r| r.tag.is_some() && r.digest.is_none())
}

fn write_layer_tar<W: Write>(
    out: &mut TarOut<W>,
    path: &str,
    layer: &Descriptor,
    diff_id: &Digest,
    src: &dyn BlobSource,
) -> Result<()> {
    if out.has(path) {
        return Ok(());
    }
    out.dir(parent(path))?;
    let (r, size) = src
        .open_layer_tar(&layer.digest)
        .with_context(|| format!("opening layer {}", layer.digest))?;
    let mut hashing = HashingReader::new(r);
    out.file(path, size, &mut hashing)?;
    if hashing.finish().0 != *diff_id {
        bail!(
            "layer {} in the store does not match its diff_id {diff_id}",
            layer.digest
        );
    }
    Ok(())
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}
