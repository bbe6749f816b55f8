//! `skiff push`: send an image from the store to a registry. Layers go up in parallel;
//! each is first checked with HEAD (skipped when the registry has it), then mounted from
//! another repository of the same registry the image came from, else uploaded in one PUT.
//! The stored manifest is pushed byte for byte when no conversion is asked for, so the
//! digest users see is the one they pulled or built; `--format` and
//! `--compression-format` (and uncompressed layers, which are gzipped as Podman does)
//! produce a new manifest.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::pull::RegistryOptions;
use crate::format::{Progress, ProgressMode, ProgressReader};
use crate::image::digest::Digest;
use crate::image::reference::{self, Reference};
use crate::image::types::{
    DOCKER_CONFIG, DOCKER_LAYER_GZIP, DOCKER_LAYER_TAR, DOCKER_MANIFEST, Descriptor, Manifest,
    OCI_CONFIG, OCI_LAYER_GZIP, OCI_LAYER_TAR, OCI_LAYER_ZSTD, OCI_MANIFEST, is_non_distributable,
    parse_manifest, to_json,
};
use crate::layer::compression::Compression;
use crate::registry::client::{Client, MountOutcome};
use crate::registry::config::RegistriesConf;
use crate::registry::resolve::strip_transport;
use crate::store::Store;
use crate::store::fsutil::unique_name;

const PARALLEL_BLOBS: usize = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManifestFormat {
    Oci,
    V2s2,
}

impl ManifestFormat {
    pub fn parse(s: &str) -> Result<ManifestFormat> {
        match s {
            "oci" => Ok(ManifestFormat::Oci),
            "v2s2" | "docker" => Ok(ManifestFormat::V2s2),
            other => bail!("unsupported manifest format {other:?}: use oci or v2s2"),
        }
    }
}

pub fn parse_compression(s: &str) -> Result<Compression> {
    match s {
        "gzip" => Ok(Compression::Gzip),
        "zstd" | "zstd:chunked" => Ok(Compression::Zstd),
        other => bail!("unsupported compression format {other:?}: use gzip or zstd"),
    }
}

pub struct PushOptions {
    pub registry: RegistryOptions,
    pub format: Option<ManifestFormat>,
    pub compression: Option<Compression>,
    pub digestfile: Option<PathBuf>,
    pub progress: ProgressMode,
}

/// One layer or config to send: where its bytes are and what the manifest says of it.
struct Upload {
    desc: Descriptor,
    path: PathBuf,
    /// A recompressed temporary file, removed after the push.
    temporary: bool,
}

/// Push the image `source` to `dest` (or to its own name). Returns the manifest digest.
pub fn push(store: &Store, source: &str, dest: Option<&str>, opts: &PushOptions) -> Result<Digest> {
    let idx = store.index()?;
    let found = super::find(&idx, source)?;
    let rec = found.record.clone();
    let target = match dest {
        Some(d) => reference::parse_normalized(strip_transport(d))?,
        None => match &found.name {
            Some(n) => reference::parse_normalized(n)?,
            None => bail!("{source}: the image has no name to push to; give a destination (skiff push {source} REGISTRY/REPOSITORY:TAG)"),
        },
    }
    .with_default_tag();
    let conf = RegistriesConf::load_default()?;
    let name = target.name();
    if conf.is_blocked(&name) {
        bail!("registry {} is blocked in registries.conf", target.registry);
    }
    let connect = opts
        .registry
        .connect_options(&name, conf.is_insecure(&target.registry))?;
    let client = Client::connect(&target.registry, &connect)?;
    let progress = Progress::new(opts.progress);
    progress.message("Getting image source signatures");

    let manifest_bytes = store.blobs().read(&rec.digest)?;
    let manifest = parse_manifest(&manifest_bytes)
        .with_context(|| format!("manifest {} of {source}", rec.digest))?;
    let tmp_dir = store.tmp_dir();
    let (uploads, new_manifest) = plan(store, &manifest, opts, &tmp_dir)?;
    let mount_from: Vec<String> = rec
        .names
        .iter()
        .filter_map(|n| reference::parse_normalized(n).ok())
        .filter(|r| r.registry == target.registry && r.repository != target.repository)
        .map(|r| r.repository)
        .collect();
    let result = send_blobs(&client, &target, &uploads, &mount_from, &progress);
    for u in &uploads {
        if u.temporary {
            let _ = std::fs::remove_file(&u.path);
        }
    }
    result?;

    let config_path = store.blobs().path(&manifest.config.digest);
    let config_desc = Descriptor {
        media_type: new_manifest
            .as_ref()
            .map(|m| m.config.media_type.clone())
            .unwrap_or_else(|| manifest.config.media_type.clone()),
        ..manifest.config.clone()
    };
    send_one(
        &client,
        &target,
        &config_desc,
        &config_path,
        &mount_from,
        None,
    )?;
    progress.message(&format!(
        "Copying config {} done",
        manifest.config.digest.short()
    ));

    progress.message("Writing manifest to image destination");
    let (bytes, media_type) = match &new_manifest {
        Some(m) => (to_json(m)?, m.effective_media_type().to_string()),
        None => (manifest_bytes, manifest.effective_media_type().to_string()),
    };
    let reference = match (&target.digest, &target.tag) {
        (Some(d), _) => d.to_string(),
        (None, Some(t)) => t.clone(),
        (None, None) => "latest".into(),
    };
    let digest = client.put_manifest(&target.repository, &reference, &media_type, &bytes)?;
    progress.message("Storing signatures");
    if let Some(path) = &opts.digestfile {
        std::fs::write(path, digest.to_string())
            .with_context(|| format!("writing the digest to {}", path.display()))?;
    }
    Ok(digest)
}

/// Which blob to send for each layer, and the new manifest if anything changed.
fn plan(
    store: &Store,
    manifest: &Manifest,
    opts: &PushOptions,
    tmp_dir: &Path,
) -> Result<(Vec<Upload>, Option<Manifest>)> {
    let current_docker = manifest.effective_media_type() == DOCKER_MANIFEST;
    let format = opts.format.unwrap_or(if current_docker {
        ManifestFormat::V2s2
    } else {
        ManifestFormat::Oci
    });
    if format == ManifestFormat::V2s2 && opts.compression == Some(Compression::Zstd) {
        bail!("zstd compression needs the OCI manifest format: use --format oci");
    }
    let mut changed = format
        != if current_docker {
            ManifestFormat::V2s2
        } else {
            ManifestFormat::Oci
        };
    let mut uploads = Vec::new();
    let mut layers = Vec::new();
    for l in &manifest.layers {
        if is_non_distributable(&l.media_type) {
            layers.push(l.clone());
            continue;
        }
        let path = store.blobs().path(&l.digest);
        let have = sniff(&path).with_context(|| format!("layer blob {} of the image", l.digest))?;
        let want = match opts.compression {
            Some(c) => c,
            None if have == Compression::None => Compression::Gzip,
            None => have,
        };
        let mut desc = l.clone();
        let mut upload_path = path;
        let mut temporary = false;
        if want != have {
            let tmp = tmp_dir.join(unique_name("push"));
            let (digest, size) = recompress(&upload_path, &tmp, want)
                .with_context(|| format!("recompressing layer {} to {want}", l.digest))?;
            desc.digest = digest;
            desc.size = size;
            upload_path = tmp;
            temporary = true;
            changed = true;
        }
        desc.media_type = layer_media_type(format, want).to_string();
        if desc.media_type != l.media_type {
            changed = true;
        }
        layers.push(desc.clone());
        uploads.push(Upload {
            desc,
            path: upload_path,
            temporary,
        });
    }
    if !changed {
        return Ok((uploads, None));
    }
    let mut m = manifest.clone();
    m.layers = layers;
    match format {
        ManifestFormat::Oci => {
            m.media_type = Some(OCI_MANIFEST.into());
            m.config.media_type = OCI_CONFIG.into();
        }
        ManifestFormat::V2s2 => {
            m.media_type = Some(DOCKER_MANIFEST.into());
            m.config.media_type = DOCKER_CONFIG.into();
            m.annotations = None;
            m.artifact_type = None;
            m.subject = None;
        }
    }
    Ok((uploads, Some(m)))
}

fn layer_media_type(format: ManifestFormat, c: Compression) -> &'static str {
    match (format, c) {
        (ManifestFormat::Oci, Compression::None) => OCI_LAYER_TAR,
        (ManifestFormat::Oci, Compression::Gzip) => OCI_LAYER_GZIP,
        (ManifestFormat::Oci, Compression::Zstd) => OCI_LAYER_ZSTD,
        (ManifestFormat::V2s2, Compression::None) => DOCKER_LAYER_TAR,
        // Checked in plan(): v2s2 has no zstd.
        (ManifestFormat::V2s2, _) => DOCKER_LAYER_GZIP,
    }
}

fn sniff(path: &Path) -> Result<Compression> {
    let mut head = [0u8; 4];
    let mut f = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut n = 0;
    while n < head.len() {
        let k = f.read(&mut head[n..])?;
        if k == 0 {
            break;
        }
        n += k;
    }
    Ok(Compression::detect(&head[..n]))
}

/// Decompress `src` and compress it again as `to` into `dest`; the new digest and size.
fn recompress(src: &Path, dest: &Path, to: Compression) -> Result<(Digest, u64)> {
    let f = File::open(src).with_context(|| format!("opening {}", src.display()))?;
    let (_, mut plain) =
        crate::layer::compression::decompressor(BufReader::with_capacity(1 << 20, f))?;
    let out = File::create(dest).with_context(|| format!("creating {}", dest.display()))?;
    let hashing =
        crate::image::digest::HashingWriter::new(std::io::BufWriter::with_capacity(1 << 20, out));
    let result = (|| -> Result<(Digest, u64)> {
        let hashing = match to {
            Compression::Gzip => {
                let mut enc =
                    flate2::write::GzEncoder::new(hashing, flate2::Compression::default());
                std::io::copy(&mut plain, &mut enc)?;
                enc.finish()?
            }
            Compression::Zstd => {
                let mut enc = zstd::Encoder::new(hashing, 3)?;
                std::io::copy(&mut plain, &mut enc)?;
                enc.finish()?
            }
            Compression::None => {
                let mut h = hashing;
                std::io::copy(&mut plain, &mut h)?;
                h
            }
        };
        let (mut w, digest, size) = hashing.finish();
        std::io::Write::flush(&mut w)?;
        Ok((digest, size))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(dest);
    }
    result
}

/// Send the layers, several at once; the first failure stops the others.
fn send_blobs(
    client: &Client,
    target: &Reference,
    uploads: &[Upload],
    mount_from: &[String],
    progress: &Progress,
) -> Result<()> {
    crate::parallel::run_bounded(uploads, PARALLEL_BLOBS, |u, _| {
        let line = progress.line(
            format!("Copying blob {}", u.desc.digest.short()),
            Some(u.desc.size),
        );
        let r = send_one(client, target, &u.desc, &u.path, mount_from, Some(&line));
        line.finish(match &r {
            Ok(SendOutcome::Skipped) => "skipped: already exists",
            Ok(SendOutcome::Mounted) => "done (mounted)",
            Ok(SendOutcome::Uploaded) => "done",
            Err(_) => "failed",
        });
        r.map(|_| ())
    })?;
    Ok(())
}

enum SendOutcome {
    Skipped,
    Mounted,
    Uploaded,
}

fn send_one(
    client: &Client,
    target: &Reference,
    desc: &Descriptor,
    path: &Path,
    mount_from: &[String],
    line: Option<&crate::format::ProgressLine<'_>>,
) -> Result<SendOutcome> {
    let repo = &target.repository;
    if client.blob_exists(repo, &desc.digest)? {
        return Ok(SendOutcome::Skipped);
    }
    // One mount attempt: a refused mount already opens an upload session, used below.
    let mut location = None;
    if let Some(from) = mount_from.first() {
        match client.start_upload(repo, Some((&desc.digest, from)))? {
            MountOutcome::Mounted => return Ok(SendOutcome::Mounted),
            MountOutcome::Upload(loc) => location = Some(loc),
        }
    }
    let location = match location {
        Some(l) => l,
        None => match client.start_upload(repo, None)? {
            MountOutcome::Upload(l) => l,
            MountOutcome::Mounted => return Ok(SendOutcome::Mounted),
        },
    };
    let size = std::fs::metadata(path)
        .with_context(|| format!("reading {}", path.display()))?
        .len();
    if size != desc.size {
        bail!(
            "blob {} is {size} bytes in the store, but the manifest says {}",
            desc.digest,
            desc.size
        );
    }
    let open = || -> Result<Box<dyn Read + '_>> {
        let f = File::open(path).with_context(|| format!("opening {}", path.display()))?;
        let buffered = BufReader::with_capacity(1 << 20, f);
        Ok(match line {
            // A retried upload counts its bytes again; good enough for a progress bar.
            Some(line) => Box::new(ProgressReader::new(buffered, line)),
            None => Box::new(buffered),
        })
    };
    client.put_blob(repo, &location, &desc.digest, size, &open)?;
    Ok(SendOutcome::Uploaded)
}
