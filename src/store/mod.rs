//! The content-addressed local store.
//!
//! ```text
//! <root>/blobs/sha256/<hex>        manifests, configs, layer blobs, as received
//! <root>/layers/<chain hex>/diff/  an unpacked layer (an overlay lower dir)
//! <root>/layers/<chain hex>/layer.json
//! <root>/images.json               the image index (names, ids, layers, blobs)
//! <root>/tmp/                      staging areas and temporaries, named <what>-<pid>-<n>
//! <root>/store.lock                flock: held while changing the index or collecting garbage
//! <root>/runroot                   the run root the store's containers' state lives in
//! ```
//! Readers never lock: every file is replaced by rename. Writers stage their work in
//! tmp/ and move it in under the lock, so a crash leaves nothing half-written visible.

pub mod blobs;
pub mod fsutil;
pub mod gc;
pub mod lock;
pub mod paths;
pub mod records;
pub mod staging;
pub mod volumes;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

pub use blobs::BlobDir;
pub use records::{ImageIndex, ImageRecord, LayerRecord};
pub use staging::{LayerJob, Staging, StreamedLayer};

use crate::image::digest::Digest;
use crate::layer::UnpackOptions;
use fsutil::ensure_dir;
use lock::Lock;

/// How the store is opened: where, and how files may be owned.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    pub root: PathBuf,
    pub runroot: PathBuf,
    /// Rootless: overlay metadata in `user.overlay.*` xattrs, no device nodes.
    pub rootless: bool,
    /// Only one id is mapped (no subuid range): chown to other ids cannot work.
    pub single_id_map: bool,
}

pub struct Store {
    cfg: StoreConfig,
    blobs: BlobDir,
}

impl Store {
    pub fn open(cfg: StoreConfig) -> Result<Store> {
        for d in ["blobs/sha256", "layers", "tmp"] {
            ensure_dir(&cfg.root.join(d)).context("opening the store")?;
        }
        ensure_dir(&cfg.runroot).context("opening the store")?;
        check_runroot(&cfg)?;
        let blobs = BlobDir::new(cfg.root.join("blobs/sha256"));
        Ok(Store { cfg, blobs })
    }

    pub fn root(&self) -> &Path {
        &self.cfg.root
    }

    pub fn runroot(&self) -> &Path {
        &self.cfg.runroot
    }

    pub fn config(&self) -> &StoreConfig {
        &self.cfg
    }

    pub fn blobs(&self) -> &BlobDir {
        &self.blobs
    }

    pub(crate) fn tmp_dir(&self) -> PathBuf {
        self.cfg.root.join("tmp")
    }

    fn index_path(&self) -> PathBuf {
        self.cfg.root.join("images.json")
    }

    pub fn unpack_options(&self) -> UnpackOptions {
        UnpackOptions {
            rootless: self.cfg.rootless,
            ignore_chown_errors: self.cfg.single_id_map,
        }
    }

    /// The image index as it is now (no lock needed: it is replaced atomically).
    pub fn index(&self) -> Result<ImageIndex> {
        ImageIndex::load(&self.index_path())
    }

    /// Change the index under the store lock: `f` sees the current index; it is saved
    /// only if `f` succeeds.
    pub fn update_index<T>(&self, f: impl FnOnce(&mut ImageIndex) -> Result<T>) -> Result<T> {
        let _lock = self.lock()?;
        let mut idx = self.index()?;
        let out = f(&mut idx)?;
        idx.save(&self.index_path())?;
        Ok(out)
    }

    pub fn lock(&self) -> Result<Lock> {
        Lock::exclusive(&self.cfg.root.join("store.lock"))
    }

    pub fn begin(&self) -> Result<Staging<'_>> {
        Staging::new(self)
    }

    pub fn layer_path(&self, chain: &Digest) -> PathBuf {
        self.cfg.root.join("layers").join(chain.hex())
    }

    /// The unpacked files of a layer: an overlay lower dir.
    pub fn layer_diff_dir(&self, chain: &Digest) -> PathBuf {
        self.layer_path(chain).join("diff")
    }

    /// The diff dirs of a layer chain (base first), top layer first: overlay's lowerdir order.
    pub fn lower_dirs(&self, chains: &[Digest]) -> Vec<PathBuf> {
        chains
            .iter()
            .rev()
            .map(|c| self.layer_diff_dir(c))
            .collect()
    }

    pub fn has_layer(&self, chain: &Digest) -> bool {
        self.layer_path(chain).join("layer.json").is_file()
    }

    pub fn layer_record(&self, chain: &Digest) -> Result<LayerRecord> {
        let p = self.layer_path(chain).join("layer.json");
        let bytes = fs::read(&p).with_context(|| format!("layer {chain} is not in the store"))?;
        serde_json::from_slice(&bytes).with_context(|| format!("parsing {}", p.display()))
    }
}

/// The store remembers, in `<root>/runroot`, the run root its containers' state lives in.
/// Opening it with another run root while it has containers is refused, as Podman does:
/// their state would not be found (a running container shown as `Created`, a stop that
/// stops nothing). Without containers the record simply follows the run root used.
/// Every command that opens the store is checked, image-only ones too.
fn check_runroot(cfg: &StoreConfig) -> Result<()> {
    let record = cfg.root.join("runroot");
    let ours = cfg.runroot.as_path();
    match fs::read_to_string(&record) {
        Ok(s) if Path::new(s.trim_end_matches('\n')) == ours => return Ok(()),
        Ok(s) if has_containers(&cfg.root) => {
            anyhow::bail!(
                "database run root {} does not match our run root {}: please use the same run root or remove containers",
                s.trim_end_matches('\n'),
                ours.display()
            );
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("reading {}", record.display())),
    }
    let mut line = ours.as_os_str().as_encoded_bytes().to_vec();
    line.push(b'\n');
    fsutil::write_atomic(&record, &line)
}

fn has_containers(root: &Path) -> bool {
    fs::read_dir(root.join("containers")).is_ok_and(|d| {
        d.flatten()
            .any(|e| e.path().join("container.json").exists())
    })
}
