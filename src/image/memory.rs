//! An in-memory blob store: a `BlobSink` and `BlobSource` for tests and small tools.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use anyhow::{Context, Result, bail};

use super::Digest;
use super::archive::BlobSink;
use super::archive_write::BlobSource;

#[derive(Clone, Debug, Default)]
pub struct MemoryBlobs {
    pub blobs: BTreeMap<Digest, Vec<u8>>,
}

impl MemoryBlobs {
    pub fn new() -> Self {
        MemoryBlobs::default()
    }

    /// Adds `bytes` and returns their digest.
    pub fn insert(&mut self, bytes: Vec<u8>) -> Digest {
        let d = Digest::of(&bytes);
        self.blobs.insert(d.clone(), bytes);
        d
    }

    pub fn get(&self, d: &Digest) -> Option<&[u8]> {
        self.blobs.get(d).map(Vec::as_slice)
    }
}

impl BlobSink for MemoryBlobs {
    fn put_blob(&mut self, r: &mut dyn Read, expected: Option<&Digest>) -> Result<(Digest, u64)> {
        let mut bytes = Vec::new();
        r.read_to_end(&mut bytes).context("reading blob")?;
        let d = Digest::of(&bytes);
        if let Some(expected) = expected
            && *expected != d
        {
            bail!("blob {expected} does not match its digest (got {d})");
        }
        let len = bytes.len() as u64;
        self.blobs.insert(d.clone(), bytes);
        Ok((d, len))
    }
}

impl BlobSource for MemoryBlobs {
    fn open_blob(&self, d: &Digest) -> Result<(Box<dyn Read + '_>, u64)> {
        let Some(bytes) = self.get(d) else {
            bail!("blob {d} not known")
        };
        Ok((Box::new(bytes), bytes.len() as u64))
    }

    /// Decompresses gzip or zstd blobs; others are taken to be tars already.
    fn open_layer_tar(&self, d: &Digest) -> Result<(Box<dyn Read + '_>, u64)> {
        let Some(bytes) = self.get(d) else {
            bail!("blob {d} not known")
        };
        let mut out = Vec::new();
        if bytes.starts_with(&[0x1f, 0x8b]) {
            flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut out)?;
        } else if bytes.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            out = zstd::decode_all(bytes)?;
        } else {
            return Ok((Box::new(bytes), bytes.len() as u64));
        }
        let len = out.len() as u64;
        Ok((Box::new(Cursor::new(out)), len))
    }
}
