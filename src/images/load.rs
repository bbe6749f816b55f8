//! `skiff load`: read a docker-archive or oci-archive (plain or compressed) from a file or
//! standard input, in one streaming pass, into a staging area; then unpack the layers and
//! commit everything at once. A bad archive leaves the store as it was.

use std::fs::File;
use std::io::{BufReader, IsTerminal, Read};
use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::image::archive::{BlobSink, read_archive};
use crate::image::digest::Digest;
use crate::image::reference;
use crate::store::{Staging, Store};

struct StageSink<'a, 's>(&'a mut Staging<'s>);

impl BlobSink for StageSink<'_, '_> {
    fn put_blob(&mut self, r: &mut dyn Read, expected: Option<&Digest>) -> Result<(Digest, u64)> {
        self.0.put_blob(r, expected)
    }
}

pub fn load(store: &Store, input: Option<&Path>, quiet: bool) -> Result<()> {
    let reader: Box<dyn Read> = match input {
        Some(p) => {
            Box::new(File::open(p).with_context(|| format!("opening archive {}", p.display()))?)
        }
        None => {
            if std::io::stdin().is_terminal() {
                bail!(
                    "cannot read from terminal, use command-line redirection or the --input flag"
                );
            }
            Box::new(std::io::stdin().lock())
        }
    };
    let mut stage = store.begin()?;
    let images = read_archive(
        BufReader::with_capacity(1 << 20, reader),
        &mut StageSink(&mut stage),
    )?;
    if images.is_empty() {
        bail!("the archive holds no image");
    }
    let mut records = Vec::new();
    for img in &images {
        let names = img.names.iter().filter_map(|n| normalise(n)).collect();
        records.push(super::add::prepare_image(&mut stage, &img.manifest, names)?);
    }
    let mut lines = Vec::new();
    for r in &records {
        if r.names.is_empty() {
            lines.push(format!("Loaded image: {}", r.id));
        }
        for n in &r.names {
            lines.push(format!("Loaded image: {n}"));
        }
    }
    stage.commit(records)?;
    let _ = quiet; // Podman prints the loaded names even with -q (it only hides progress).
    for l in lines {
        println!("{l}");
    }
    Ok(())
}

/// Names in archives are written as Docker does (`busybox:latest`); store them in full.
fn normalise(name: &str) -> Option<String> {
    match reference::parse_normalized(name) {
        Ok(r) if r.digest.is_none() => Some(format!(
            "{}/{}:{}",
            r.registry,
            r.repository,
            r.tag.as_deref().unwrap_or("latest")
        )),
        _ => {
            log::warn!("ignoring image name {name:?} in the archive: not a valid name");
            None
        }
    }
}
