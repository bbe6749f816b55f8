//! Content-addressed blobs: `blobs/sha256/<hex>`. A blob is written to a temporary file
//! while it is hashed and renamed into place only when its digest is known and matches,
//! so a blob file's name always tells the truth about its content.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::image::digest::{Digest, Hasher};

const COPY_BUF: usize = 1 << 20;

/// Where blobs live, and how to write one.
#[derive(Clone)]
pub struct BlobDir {
    dir: PathBuf,
}

impl BlobDir {
    pub fn new(dir: PathBuf) -> BlobDir {
        BlobDir { dir }
    }

    pub fn path(&self, d: &Digest) -> PathBuf {
        self.dir.join(d.hex())
    }

    pub fn has(&self, d: &Digest) -> bool {
        self.path(d).is_file()
    }

    pub fn open(&self, d: &Digest) -> Result<File> {
        File::open(self.path(d)).with_context(|| format!("blob {d} is not in the store"))
    }

    pub fn read(&self, d: &Digest) -> Result<Vec<u8>> {
        fs::read(self.path(d)).with_context(|| format!("reading blob {d}"))
    }

    pub fn size(&self, d: &Digest) -> Result<u64> {
        Ok(fs::metadata(self.path(d))
            .with_context(|| format!("blob {d} is not in the store"))?
            .len())
    }

    /// Every digest in this directory (files with other names are ignored).
    pub fn list(&self) -> Result<Vec<Digest>> {
        let mut out = Vec::new();
        let entries = match fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(e).with_context(|| format!("listing {}", self.dir.display())),
        };
        for e in entries.flatten() {
            if let Some(d) = e
                .file_name()
                .to_str()
                .and_then(|n| Digest::from_hex(n).ok())
            {
                out.push(d);
            }
        }
        Ok(out)
    }
}

/// Copy `r` into a new file at `tmp` while hashing; returns digest and size. On any error
/// the temporary file is removed.
pub fn write_hashed(r: &mut dyn Read, tmp: &Path) -> Result<(Digest, u64)> {
    let result = (|| -> Result<(Digest, u64)> {
        let mut f = File::create(tmp).with_context(|| format!("creating {}", tmp.display()))?;
        let (d, n) = copy_hashed(r, Some(&mut f))?;
        f.flush()?;
        Ok((d, n))
    })();
    if result.is_err() {
        let _ = fs::remove_file(tmp);
    }
    result
}

/// Read `r` to its end, hashing it and writing it to `out` if given.
pub fn copy_hashed(r: &mut dyn Read, mut out: Option<&mut dyn Write>) -> Result<(Digest, u64)> {
    let mut hasher = Hasher::new();
    let mut buf = vec![0u8; COPY_BUF];
    loop {
        let n = match r.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        hasher.update(&buf[..n]);
        if let Some(w) = out.as_mut() {
            w.write_all(&buf[..n])?;
        }
    }
    let len = hasher.len();
    Ok((hasher.finish(), len))
}

/// The error for content that does not hash to what it claims.
pub fn check_digest(expected: Option<&Digest>, got: &Digest) -> Result<()> {
    match expected {
        Some(want) if want != got => {
            bail!("blob {want} does not match its digest (content hashes to {got})")
        }
        _ => Ok(()),
    }
}
