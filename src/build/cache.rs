//! The build cache: a step's key, and finding the image an earlier build made for it.
//!
//! A step's key hashes: the parent image (its id, which covers its config and layers; or
//! scratch), the instruction after variable expansion (flags included), the build args the
//! step sees (for RUN every ARG in scope, since they are its environment; for other
//! instructions the expanded text already shows what they used), the content checksum of
//! the files it copies (see build/context/checksum.rs) or the image they come from, and the
//! output format. The image a step made carries its key in the store's index
//! (`ImageRecord::build_cache_key`), so the cache lives exactly as long as those images:
//! `image prune` and `builder prune` remove it together with them.

use crate::image::digest::{Digest, Hasher};
use crate::store::{ImageIndex, ImageRecord, Store};

/// Bumped whenever what goes into a key changes, so old entries miss.
const VERSION: &[u8] = b"skiff-build-cache-v1";

/// Collects the parts of one step's key.
pub struct KeyBuilder {
    hasher: Hasher,
}

impl KeyBuilder {
    pub fn new(parent: Option<&Digest>) -> KeyBuilder {
        let mut k = KeyBuilder {
            hasher: Hasher::new(),
        };
        k.part(b'V', VERSION);
        match parent {
            Some(p) => k.part(b'P', p.to_string().as_bytes()),
            None => k.part(b'P', b"scratch"),
        };
        k
    }

    /// One tagged, length-prefixed part, so different parts never run together.
    pub fn part(&mut self, tag: u8, bytes: &[u8]) -> &mut Self {
        self.hasher.update(&[tag]);
        self.hasher.update(&(bytes.len() as u64).to_le_bytes());
        self.hasher.update(bytes);
        self
    }

    pub fn text(&mut self, tag: u8, text: &str) -> &mut Self {
        self.part(tag, text.as_bytes())
    }

    pub fn finish(self) -> Digest {
        self.hasher.finish()
    }
}

/// The image a previous build made for `key`, if it is still in the store.
pub fn lookup<'a>(store: &Store, idx: &'a ImageIndex, key: &Digest) -> Option<&'a ImageRecord> {
    idx.images
        .iter()
        .filter(|r| r.build_cache_key.as_ref() == Some(key))
        .find(|r| r.layers.iter().all(|l| store.has_layer(l)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_do_not_run_together() {
        let key = |parts: &[&str]| {
            let mut k = KeyBuilder::new(None);
            for p in parts {
                k.text(b'T', p);
            }
            k.finish()
        };
        assert_ne!(key(&["ab", "c"]), key(&["a", "bc"]));
        assert_eq!(key(&["ab", "c"]), key(&["ab", "c"]));
        let parent = Digest::of(b"x");
        assert_ne!(
            KeyBuilder::new(Some(&parent)).finish(),
            KeyBuilder::new(None).finish()
        );
    }
}
