// Builds small OCI archives in memory for tests that need hand-made (often broken) input.
#![allow(dead_code)]

use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};
use std::io::Write;

pub fn sha(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

/// A tar stream from (path, content) regular files, 0644, owned by root.
pub fn tar_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, content) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(content.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(1_700_000_000);
        h.set_entry_type(tar::EntryType::Regular);
        write_name(&mut h, path);
        h.set_cksum();
        b.append(&h, *content).unwrap();
    }
    b.into_inner().unwrap()
}

/// Write a raw name into the header: tar::Header::set_path refuses `..`, we want it.
fn write_name(h: &mut tar::Header, path: &str) {
    let name = &mut h.as_old_mut().name;
    name.fill(0);
    name[..path.len()].copy_from_slice(path.as_bytes());
}

pub fn gzip(b: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(b).unwrap();
    e.finish().unwrap()
}

/// Parts of an OCI archive, each replaceable by a test before `build`.
pub struct OciArchive {
    pub layers: Vec<Vec<u8>>,  // gzip blobs
    pub diff_ids: Vec<String>, // hex
    pub config: Vec<u8>,
    pub manifest: Vec<u8>,
    pub index: Vec<u8>,
    pub name: String,
    /// Blobs to leave out of the archive (hex digests).
    pub omit: Vec<String>,
    /// Extra raw entries (path, content), e.g. a blob under a name that is not its digest.
    pub extra: Vec<(String, Vec<u8>)>,
}

impl OciArchive {
    pub fn new(name: &str, layer_tars: &[Vec<u8>]) -> OciArchive {
        let layers: Vec<Vec<u8>> = layer_tars.iter().map(|t| gzip(t)).collect();
        let diff_ids: Vec<String> = layer_tars.iter().map(|t| sha(t)).collect();
        let mut a = OciArchive {
            layers,
            diff_ids,
            config: vec![],
            manifest: vec![],
            index: vec![],
            name: name.to_string(),
            omit: vec![],
            extra: vec![],
        };
        a.rebuild_docs();
        a
    }

    /// Recompute config, manifest and index from the layers.
    pub fn rebuild_docs(&mut self) {
        self.set_image_config(r#"{"Cmd":["sh"]}"#);
    }

    /// A new config whose `config` object is `config` (JSON), for the layers; the manifest
    /// and index follow.
    pub fn set_image_config(&mut self, config: &str) {
        let ids: Vec<String> = self
            .diff_ids
            .iter()
            .map(|d| format!("\"sha256:{d}\""))
            .collect();
        self.config = format!(
            r#"{{"architecture":"amd64","os":"linux","config":{config},"rootfs":{{"type":"layers","diff_ids":[{}]}}}}"#,
            ids.join(",")
        )
        .into_bytes();
        self.rebuild_manifest();
    }

    pub fn rebuild_manifest(&mut self) {
        let layers: Vec<String> = self
            .layers
            .iter()
            .map(|l| {
                format!(
                    r#"{{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:{}","size":{}}}"#,
                    sha(l),
                    l.len()
                )
            })
            .collect();
        self.manifest = format!(
            r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:{}","size":{}}},"layers":[{}]}}"#,
            sha(&self.config),
            self.config.len(),
            layers.join(",")
        )
        .into_bytes();
        self.rebuild_index();
    }

    pub fn rebuild_index(&mut self) {
        self.index = format!(
            r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:{}","size":{},"annotations":{{"org.opencontainers.image.ref.name":"{}"}}}}]}}"#,
            sha(&self.manifest),
            self.manifest.len(),
            self.name
        )
        .into_bytes();
    }

    pub fn build(&self) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        let mut add = |path: &str, data: &[u8]| {
            let mut h = tar::Header::new_ustar();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_path(path).unwrap();
            h.set_cksum();
            b.append(&h, data).unwrap();
        };
        add("oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#);
        add("index.json", &self.index);
        let mut blobs: Vec<&[u8]> = vec![&self.manifest, &self.config];
        blobs.extend(self.layers.iter().map(|l| l.as_slice()));
        for blob in blobs {
            let d = sha(blob);
            if !self.omit.contains(&d) {
                add(&format!("blobs/sha256/{d}"), blob);
            }
        }
        for (path, data) in &self.extra {
            add(path, data);
        }
        b.into_inner().unwrap()
    }
}
