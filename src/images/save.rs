//! `skiff save`: write images to an oci-archive or docker-archive, to a file (written to a
//! temporary name and renamed, so a failed save leaves no partial archive) or to stdout.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{BufWriter, IsTerminal, Read, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use crate::image::archive_write::{BlobSource, SaveImage, write_docker_archive, write_oci_archive};
use crate::image::digest::Digest;
use crate::image::types::{parse_config, parse_manifest};
use crate::layer;
use crate::store::Store;

pub struct SaveOptions {
    pub output: Option<PathBuf>,
    pub format: String,
    pub multi_image_archive: bool,
}

/// Blobs from the store; layer tars decompressed on the fly, their length from the
/// layer records written at unpack time.
struct StoreSource<'a> {
    store: &'a Store,
    tar_sizes: HashMap<Digest, u64>,
}

impl BlobSource for StoreSource<'_> {
    fn open_blob(&self, d: &Digest) -> Result<(Box<dyn Read + '_>, u64)> {
        let f = self.store.blobs().open(d)?;
        let n = f.metadata()?.len();
        Ok((Box::new(f), n))
    }

    fn open_layer_tar(&self, d: &Digest) -> Result<(Box<dyn Read + '_>, u64)> {
        let Some(&n) = self.tar_sizes.get(d) else {
            bail!("layer blob {d} has no unpacked layer record")
        };
        let f = self.store.blobs().open(d)?;
        let (_, r) = layer::decompressor(std::io::BufReader::with_capacity(1 << 20, f))?;
        Ok((r, n))
    }
}

pub fn save(store: &Store, inputs: &[String], o: &SaveOptions) -> Result<()> {
    let _ = o.multi_image_archive; // several images are always allowed
    let idx = store.index()?;
    let mut images = Vec::new();
    let mut tar_sizes = HashMap::new();
    for input in inputs {
        let found = super::find(&idx, input)?;
        let rec = found.record;
        let manifest_bytes = store.blobs().read(&rec.digest)?;
        let manifest = parse_manifest(&manifest_bytes)?;
        let config_bytes = store.blobs().read(&rec.id)?;
        let config = parse_config(&config_bytes)?;
        for (chain, l) in rec.layers.iter().zip(&manifest.layers) {
            tar_sizes.insert(l.digest.clone(), store.layer_record(chain)?.tar_size);
        }
        images.push(SaveImage {
            names: found.name.into_iter().collect(),
            manifest: rec.digest.clone(),
            manifest_bytes,
            config: rec.id.clone(),
            config_bytes,
            layers: manifest.layers.clone(),
            diff_ids: config.rootfs.diff_ids.clone(),
        });
    }
    let src = StoreSource { store, tar_sizes };
    let write = |w: &mut dyn Write| -> Result<()> {
        match o.format.as_str() {
            "oci-archive" => write_oci_archive(w, &images, &src),
            _ => write_docker_archive(w, &images, &src),
        }
    };
    match &o.output {
        Some(path) => write_file(path, write),
        None => {
            let stdout = std::io::stdout();
            if stdout.is_terminal() {
                bail!("refusing to save to terminal. Use -o flag or redirect");
            }
            let mut w = BufWriter::with_capacity(1 << 20, stdout.lock());
            write(&mut w)?;
            w.flush()?;
            Ok(())
        }
    }
}

fn write_file(path: &PathBuf, write: impl Fn(&mut dyn Write) -> Result<()>) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.skiff-tmp-{}", std::process::id()));
    let result = (|| -> Result<()> {
        let f = File::create(&tmp).with_context(|| format!("creating {}", path.display()))?;
        let mut w = BufWriter::with_capacity(1 << 20, f);
        write(&mut w)?;
        w.flush()?;
        fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}
