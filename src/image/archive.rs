//! Reading `podman save` / `docker save` archives (docker-archive and oci-archive), whole
//! or gzip/zstd-compressed, in one streaming pass.
//!
//! Entries come in any order and layers can be large, so every regular file goes to the
//! blob sink as it streams by; small JSON files are also kept in memory, and the archive's
//! metadata (index.json or manifest.json) is interpreted at the end. The sink may so receive
//! files no image refers to (legacy `<id>/json` files, unused platforms): the store should
//! treat blobs no image refers to as garbage.

use std::collections::HashMap;
use std::io::{self, Cursor, Read};

use anyhow::{Context, Result, anyhow, bail};
use serde::Deserialize;

use super::Digest;
use super::digest::HashingReader;
use super::types::{
    self, ANNOTATION_CONTAINERD_NAME, ANNOTATION_REF_NAME, DOCKER_CONFIG, DOCKER_LAYER_GZIP,
    DOCKER_LAYER_TAR, DOCKER_MANIFEST, Descriptor, Document, Manifest, OCI_CONFIG, OCI_LAYER_GZIP,
    OCI_LAYER_TAR, OCI_LAYER_ZSTD, OCI_MANIFEST,
};
use crate::layer::Compression;

/// Where the blobs of an archive go as they are read.
pub trait BlobSink {
    /// Stores a blob read from `r`; if `expected` is given the content must hash to it
    /// (else error, nothing stored). Returns the digest and size.
    fn put_blob(&mut self, r: &mut dyn Read, expected: Option<&Digest>) -> Result<(Digest, u64)>;
}

/// One image found in an archive. All its blobs (manifest, config, layers) are in the sink.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchiveImage {
    /// Names as written in the archive, unnormalised (`busybox:latest`,
    /// `docker.io/library/busybox:latest`); may be empty.
    pub names: Vec<String>,
    pub manifest: Digest,
    pub manifest_media_type: String,
    pub config: Digest,
    pub layers: Vec<Descriptor>,
}

/// JSON files up to this size are kept in memory to be interpreted at the end.
const KEEP_MAX: u64 = 4 << 20;
const METADATA_FILES: [&str; 4] = ["manifest.json", "index.json", "oci-layout", "repositories"];
const ERR_EOF: &str = "reading archive: unexpected end of file";

/// A regular file of the archive, as stored in the sink.
#[derive(Clone, Debug)]
struct StoredFile {
    digest: Digest,
    size: u64,
    compression: Compression,
}

/// What one pass over the archive collected.
#[derive(Default)]
struct Scan {
    files: HashMap<String, StoredFile>,
    /// Link path -> target path, both cleaned.
    links: HashMap<String, String>,
    /// Metadata files (not in the sink), by path.
    metadata: HashMap<String, Vec<u8>>,
    /// Small JSON blobs that are also in the sink, by digest.
    kept: HashMap<Digest, Vec<u8>>,
    /// Everything put to the sink, with its size.
    blobs: HashMap<Digest, u64>,
}

/// Reads a docker-archive or oci-archive, storing its blobs in `sink`, and returns its
/// images in archive order.
pub fn read_archive(r: impl Read, sink: &mut dyn BlobSink) -> Result<Vec<ArchiveImage>> {
    let scan = scan(r, sink)?;
    if scan.metadata.contains_key("index.json") {
        let images = oci_images(&scan)?;
        if !images.is_empty() || !scan.metadata.contains_key("manifest.json") {
            return Ok(merge_docker_names(&scan, images));
        }
    }
    if scan.metadata.contains_key("manifest.json") {
        return docker_images(&scan, sink);
    }
    bail!("not a docker-archive or oci-archive: no manifest.json or index.json")
}

fn scan(r: impl Read, sink: &mut dyn BlobSink) -> Result<Scan> {
    let mut archive = tar::Archive::new(EofTracker {
        inner: crate::layer::decompressor(r).context("reading archive")?.1,
        hit_eof: false,
    });
    let mut scan = Scan::default();
    let mut any_entry = false;
    for entry in archive.entries().map_err(archive_error)? {
        let entry = entry.map_err(archive_error)?;
        any_entry = true;
        let raw_path = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let Some(path) = clean_path("", &raw_path) else {
            continue;
        };
        match entry.header().entry_type() {
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                scan_file(&mut scan, entry, path, sink)?
            }
            tar::EntryType::Symlink | tar::EntryType::Link => {
                let is_symlink = entry.header().entry_type() == tar::EntryType::Symlink;
                let Some(target) = entry.link_name_bytes() else {
                    continue;
                };
                let target = String::from_utf8_lossy(&target).into_owned();
                let base = if is_symlink { parent(&path) } else { "" };
                if let Some(target) = clean_path(base, &target) {
                    scan.links.insert(path, target);
                }
            }
            _ => {}
        }
    }
    // tar stops at the first zero block; reaching the end of input before one means the
    // archive was cut short exactly at an entry boundary.
    if any_entry && archive.into_inner().hit_eof {
        bail!(ERR_EOF);
    }
    Ok(scan)
}

fn archive_error(e: io::Error) -> anyhow::Error {
    if e.kind() == io::ErrorKind::UnexpectedEof || e.to_string().contains("entire block") {
        anyhow!(ERR_EOF)
    } else {
        anyhow!("reading archive: {e}")
    }
}

fn scan_file(
    scan: &mut Scan,
    entry: tar::Entry<'_, impl Read>,
    path: String,
    sink: &mut dyn BlobSink,
) -> Result<()> {
    let size = entry.size();
    let mut reader = EntryReader {
        inner: entry,
        remaining: size,
        error: None,
    };
    let name = path.rsplit('/').next().unwrap_or(&path);
    if METADATA_FILES.contains(&path.as_str()) {
        if size > KEEP_MAX {
            bail!("{path} in archive is too large ({size} bytes)");
        }
        let bytes = read_all(&mut reader)?;
        scan.metadata.insert(path, bytes);
        return Ok(());
    }
    // Legacy docker-archive per-layer metadata: never referenced by manifest.json.
    if path.contains('/') && (name == "json" || name == "VERSION") {
        return Ok(());
    }
    let expected = match path.strip_prefix("blobs/") {
        Some(rest) => match rest.split_once('/') {
            Some(("sha256", hex)) => {
                Some(Digest::from_hex(hex).with_context(|| format!("blob {path} in archive"))?)
            }
            // Other algorithms: we cannot verify them, and no manifest we accept names them.
            Some(_) => return Ok(()),
            None => None,
        },
        None => None,
    };
    let keep = size <= KEEP_MAX;
    let (content, head) = if keep {
        let bytes = read_all(&mut reader)?;
        let head = bytes.get(..4).unwrap_or(&bytes).to_vec();
        (Some(bytes), head)
    } else {
        (None, read_head(&mut reader)?)
    };
    let compression = Compression::detect(&head);
    let is_json = head.first() == Some(&b'{') || name.ends_with(".json");
    let stored = match &content {
        Some(bytes) => put_checked(
            sink,
            &mut Cursor::new(bytes.as_slice()),
            expected.as_ref(),
            size,
        )?,
        None => {
            let mut chained = Cursor::new(head).chain(&mut reader);
            let result = put_checked(sink, &mut chained, expected.as_ref(), size);
            if let Some(e) = reader.error.take() {
                return Err(archive_error(e));
            }
            result?
        }
    };
    if let (Some(bytes), true) = (content, is_json) {
        scan.kept.insert(stored.0.clone(), bytes);
    }
    scan.blobs.insert(stored.0.clone(), stored.1);
    scan.files.insert(
        path,
        StoredFile {
            digest: stored.0,
            size: stored.1,
            compression,
        },
    );
    Ok(())
}

/// Streams `r` to the sink, checking the digest ourselves too, so that a mismatch reads the
/// same whatever the sink's own words are.
fn put_checked(
    sink: &mut dyn BlobSink,
    r: &mut dyn Read,
    expected: Option<&Digest>,
    size: u64,
) -> Result<(Digest, u64)> {
    let mut hashing = HashingReader::new(r);
    let result = sink.put_blob(&mut hashing, expected);
    let (actual, read) = hashing.finish();
    if let Some(expected) = expected
        && read == size
        && actual != *expected
    {
        bail!("blob {expected} in archive does not match its digest");
    }
    let (digest, stored) = result.context("storing a blob from the archive")?;
    if read != size || stored != size || digest != actual {
        bail!("blob store did not take all of blob {actual} ({read} of {size} bytes read)");
    }
    Ok((digest, stored))
}

fn read_all(r: &mut EntryReader<impl Read>) -> Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(r.remaining.min(KEEP_MAX) as usize);
    r.read_to_end(&mut buf).map_err(archive_error)?;
    Ok(buf)
}

fn read_head(r: &mut EntryReader<impl Read>) -> Result<Vec<u8>> {
    let mut head = Vec::with_capacity(4);
    r.by_ref()
        .take(4)
        .read_to_end(&mut head)
        .map_err(archive_error)?;
    Ok(head)
}

/// An entry's data, failing (rather than ending early) when the archive is cut short,
/// and remembering the error so it can be told apart from the sink's own.
struct EntryReader<R> {
    inner: R,
    remaining: u64,
    error: Option<io::Error>,
}

impl<R: Read> Read for EntryReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() || self.remaining == 0 {
            return Ok(0);
        }
        let result = match self.inner.read(buf) {
            Ok(0) => Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "unexpected end of file",
            )),
            other => other,
        };
        match result {
            Ok(n) => {
                self.remaining = self.remaining.saturating_sub(n as u64);
                Ok(n)
            }
            Err(e) => {
                let copy = io::Error::new(e.kind(), e.to_string());
                self.error = Some(e);
                Err(copy)
            }
        }
    }
}

struct EofTracker<R> {
    inner: R,
    hit_eof: bool,
}

impl<R: Read> Read for EofTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.hit_eof = true;
        }
        Ok(n)
    }
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// `path` relative to the archive root, resolved against `base`; None if it leaves the root.
fn clean_path(base: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        base.split('/').filter(|p| !p.is_empty()).collect()
    };
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

impl Scan {
    /// The stored file at `path`, following links.
    fn file(&self, path: &str) -> Option<&StoredFile> {
        let mut path = clean_path("", path)?;
        for _ in 0..32 {
            if let Some(f) = self.files.get(&path) {
                return Some(f);
            }
            path = self.links.get(&path)?.clone();
        }
        None
    }

    fn check_blob(&self, d: &Descriptor) -> Result<()> {
        let Some(&size) = self.blobs.get(&d.digest) else {
            bail!("archive is missing blob {}", d.digest)
        };
        if size != d.size {
            bail!(
                "blob {} in archive has {size} bytes, but its descriptor says {}",
                d.digest,
                d.size
            );
        }
        Ok(())
    }

    fn json_blob(&self, d: &Descriptor) -> Result<&[u8]> {
        self.check_blob(d)?;
        match self.kept.get(&d.digest) {
            Some(bytes) => Ok(bytes),
            None => bail!(
                "blob {} in archive is not a JSON document of at most {KEEP_MAX} bytes",
                d.digest
            ),
        }
    }
}

fn oci_images(scan: &Scan) -> Result<Vec<ArchiveImage>> {
    let index = types::parse_index(&scan.metadata["index.json"]).context("reading index.json")?;
    let mut images: Vec<ArchiveImage> = Vec::new();
    for desc in &index.manifests {
        let Some(manifest_desc) = choose_manifest(scan, desc)? else {
            continue;
        };
        let bytes = scan.json_blob(&manifest_desc)?;
        let manifest = types::parse_manifest(bytes)
            .with_context(|| format!("reading manifest {}", manifest_desc.digest))?;
        check_image_blobs(scan, &manifest)?;
        let names = descriptor_names(desc);
        if let Some(existing) = images
            .iter_mut()
            .find(|i| i.manifest == manifest_desc.digest)
        {
            add_names(&mut existing.names, names);
            continue;
        }
        let media_type = match manifest_desc.media_type.as_str() {
            "" => manifest.effective_media_type().to_string(),
            mt => mt.to_string(),
        };
        images.push(ArchiveImage {
            names,
            manifest: manifest_desc.digest.clone(),
            manifest_media_type: media_type,
            config: manifest.config.digest.clone(),
            layers: manifest.layers,
        });
    }
    Ok(images)
}

/// The image manifest an index entry stands for: itself, or for a nested index the
/// manifest for this machine among those the archive holds. None for entries that are
/// neither (artifacts of other kinds).
fn choose_manifest(scan: &Scan, desc: &Descriptor) -> Result<Option<Descriptor>> {
    if types::is_manifest_media_type(&desc.media_type) {
        return Ok(Some(desc.clone()));
    }
    if !desc.media_type.is_empty() && !types::is_index_media_type(&desc.media_type) {
        return Ok(None);
    }
    let bytes = scan.json_blob(desc)?;
    let nested =
        match types::parse_document(bytes).with_context(|| format!("reading {}", desc.digest))? {
            Document::Manifest(_) => return Ok(Some(desc.clone())),
            Document::Index(i) => i,
        };
    let present: Vec<&Descriptor> = nested
        .manifests
        .iter()
        .filter(|d| {
            types::is_manifest_media_type(&d.media_type) && scan.kept.contains_key(&d.digest)
        })
        .collect();
    let (os, arch) = ("linux", crate::image::platform::host_arch());
    let matches = |d: &&Descriptor| {
        d.platform
            .as_ref()
            .is_some_and(|p| p.os == os && p.architecture == arch)
    };
    let known = |d: &&Descriptor| d.platform.as_ref().is_none_or(|p| p.os != "unknown");
    let chosen = present
        .iter()
        .copied()
        .find(matches)
        .or_else(|| present.iter().copied().find(known))
        .or(present.first().copied());
    match chosen {
        Some(d) => Ok(Some(d.clone())),
        None => match nested.manifests.first() {
            Some(d) => bail!("archive is missing blob {}", d.digest),
            None => bail!("image index {} lists no manifests", desc.digest),
        },
    }
}

fn add_names(names: &mut Vec<String>, more: Vec<String>) {
    for n in more {
        if !names.contains(&n) {
            names.push(n);
        }
    }
}

/// Names from an index entry: `io.containerd.image.name` when present (then
/// `org.opencontainers.image.ref.name` is only a tag), else the ref.name.
fn descriptor_names(desc: &Descriptor) -> Vec<String> {
    let name = desc
        .annotation(ANNOTATION_CONTAINERD_NAME)
        .or_else(|| desc.annotation(ANNOTATION_REF_NAME));
    name.filter(|n| !n.is_empty())
        .map(|n| vec![n.to_string()])
        .unwrap_or_default()
}

fn check_image_blobs(scan: &Scan, manifest: &Manifest) -> Result<()> {
    let config = scan.json_blob(&manifest.config);
    match config {
        Ok(bytes)
            if manifest.config.media_type == OCI_CONFIG
                || manifest.config.media_type == DOCKER_CONFIG =>
        {
            types::parse_config(bytes)
                .with_context(|| format!("reading config {}", manifest.config.digest))?;
        }
        Ok(_) => {}
        Err(e)
            if scan.blobs.contains_key(&manifest.config.digest)
                && !scan.kept.contains_key(&manifest.config.digest) =>
        {
            // A large or non-JSON config of some artifact: present is enough.
            scan.check_blob(&manifest.config).map_err(|_| e)?;
        }
        Err(e) => return Err(e),
    }
    manifest.layers.iter().try_for_each(|l| scan.check_blob(l))
}

/// Docker 25+ archives carry both index.json and manifest.json; take names from
/// manifest.json's RepoTags where the OCI index gave none.
fn merge_docker_names(scan: &Scan, mut images: Vec<ArchiveImage>) -> Vec<ArchiveImage> {
    let Ok(entries) = docker_manifest_entries(scan) else {
        return images;
    };
    for image in images.iter_mut().filter(|i| i.names.is_empty()) {
        let tags = entries
            .iter()
            .filter(|e| {
                scan.file(&e.config)
                    .is_some_and(|f| f.digest == image.config)
            })
            .flat_map(|e| e.repo_tags.iter().cloned());
        image.names.extend(tags);
    }
    images
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DockerManifestEntry {
    config: String,
    #[serde(default, deserialize_with = "null_vec")]
    repo_tags: Vec<String>,
    #[serde(default, deserialize_with = "null_vec")]
    layers: Vec<String>,
}

fn null_vec<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(Option::<Vec<String>>::deserialize(d)?.unwrap_or_default())
}

fn docker_manifest_entries(scan: &Scan) -> Result<Vec<DockerManifestEntry>> {
    let Some(bytes) = scan.metadata.get("manifest.json") else {
        bail!("no manifest.json in archive")
    };
    serde_json::from_slice(bytes).map_err(|e| anyhow!("invalid manifest.json in archive: {e}"))
}

fn docker_images(scan: &Scan, sink: &mut dyn BlobSink) -> Result<Vec<ArchiveImage>> {
    let mut images: Vec<ArchiveImage> = Vec::new();
    for entry in docker_manifest_entries(scan)? {
        let image = docker_image(scan, sink, &entry)?;
        if let Some(existing) = images.iter_mut().find(|i| i.manifest == image.manifest) {
            add_names(&mut existing.names, image.names);
            continue;
        }
        images.push(image);
    }
    Ok(images)
}

fn docker_image(
    scan: &Scan,
    sink: &mut dyn BlobSink,
    entry: &DockerManifestEntry,
) -> Result<ArchiveImage> {
    let missing = |path: &str| anyhow!("archive is missing {path}, named in manifest.json");
    let config_file = scan
        .file(&entry.config)
        .ok_or_else(|| missing(&entry.config))?;
    let Some(config_bytes) = scan.kept.get(&config_file.digest) else {
        bail!(
            "config {} in archive is not a JSON document of at most {KEEP_MAX} bytes",
            entry.config
        )
    };
    let config =
        types::parse_config(config_bytes).with_context(|| format!("reading {}", entry.config))?;
    let diff_ids = &config.rootfs.diff_ids;
    if diff_ids.len() != entry.layers.len() {
        bail!(
            "config {} lists {} layers, but manifest.json lists {}",
            entry.config,
            diff_ids.len(),
            entry.layers.len()
        );
    }
    let mut files = Vec::new();
    for (path, diff_id) in entry.layers.iter().zip(diff_ids) {
        let file = scan.file(path).ok_or_else(|| missing(path))?;
        if file.compression == Compression::None && file.digest != *diff_id {
            bail!("layer {path} in archive does not match the config's diff_id {diff_id}");
        }
        files.push(file);
    }
    let oci = files.iter().any(|f| f.compression == Compression::Zstd);
    let layer_type = |c: Compression| match (c, oci) {
        (Compression::Zstd, _) => OCI_LAYER_ZSTD,
        (Compression::Gzip, true) => OCI_LAYER_GZIP,
        (Compression::None, true) => OCI_LAYER_TAR,
        (Compression::Gzip, false) => DOCKER_LAYER_GZIP,
        (Compression::None, false) => DOCKER_LAYER_TAR,
    };
    let layers: Vec<Descriptor> = files
        .iter()
        .map(|f| Descriptor::new(layer_type(f.compression), f.digest.clone(), f.size))
        .collect();
    let (manifest_type, config_type) = if oci {
        (OCI_MANIFEST, OCI_CONFIG)
    } else {
        (DOCKER_MANIFEST, DOCKER_CONFIG)
    };
    let manifest = Manifest {
        schema_version: 2,
        media_type: Some(manifest_type.to_string()),
        artifact_type: None,
        config: Descriptor::new(config_type, config_file.digest.clone(), config_file.size),
        layers: layers.clone(),
        subject: None,
        annotations: None,
    };
    let bytes = types::to_json(&manifest)?;
    let digest = Digest::of(&bytes);
    sink.put_blob(&mut Cursor::new(&bytes), Some(&digest))
        .context("storing the image manifest")?;
    Ok(ArchiveImage {
        names: entry.repo_tags.clone(),
        manifest: digest,
        manifest_media_type: manifest_type.to_string(),
        config: config_file.digest.clone(),
        layers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_paths() {
        assert_eq!(clean_path("", "./a//b/./c").as_deref(), Some("a/b/c"));
        assert_eq!(
            clean_path("x/y", "../z/layer.tar").as_deref(),
            Some("x/z/layer.tar")
        );
        assert_eq!(clean_path("x", "/abs").as_deref(), Some("abs"));
        assert_eq!(clean_path("", "../a"), None);
        assert_eq!(clean_path("", "./"), None);
    }
}
