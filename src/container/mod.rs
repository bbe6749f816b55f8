//! Container records and lifecycle: create, start (foreground or under a monitor), stop,
//! kill, wait, remove, list, inspect. No daemon: every command reads the records, locks
//! the one container it changes, and checks liveness through the recorded pid.

pub mod create;
pub mod exec;
pub mod inspect;
pub mod lifecycle;
pub mod mounts;
pub mod names;
pub mod ops;
pub mod ps;
pub mod record;
pub mod rootfs;
pub mod signal;
pub mod transfer;

use std::fmt;
use std::fs;
use std::io::Read;

use anyhow::{Context, Result};

use crate::store::Store;
use record::{ContainerPaths, ContainerRecord, load_record};

/// Podman's words for an unknown container.
#[derive(Debug)]
pub struct NoSuchContainer(pub String);

impl fmt::Display for NoSuchContainer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no container with name or ID {:?} found: no such container",
            self.0
        )
    }
}

impl std::error::Error for NoSuchContainer {}

/// A container found in the store.
#[derive(Debug, Clone)]
pub struct Found {
    pub paths: ContainerPaths,
    pub record: ContainerRecord,
}

pub fn paths_for(store: &Store, id: &str) -> ContainerPaths {
    ContainerPaths::new(store.root(), store.runroot(), id)
}

/// Every container with a readable record (half-created ones, without a record, are skipped).
pub fn list(store: &Store) -> Result<Vec<Found>> {
    let dir = store.root().join("containers");
    let entries = match fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(e).with_context(|| format!("listing {}", dir.display())),
    };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let Some(id) = e.file_name().to_str().map(str::to_string) else {
            continue;
        };
        let paths = paths_for(store, &id);
        if let Ok(record) = load_record(&paths) {
            out.push(Found { paths, record });
        }
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.record.created));
    Ok(out)
}

/// Find a container by name, full id or unique id prefix.
pub fn find(store: &Store, input: &str) -> Result<Found> {
    if let Some(id) = names::lookup(store.root(), input) {
        let paths = paths_for(store, &id);
        if let Ok(record) = load_record(&paths) {
            return Ok(Found { paths, record });
        }
    }
    let is_hex = input.len() >= 3 && input.bytes().all(|b| b.is_ascii_hexdigit());
    if is_hex {
        let matches: Vec<Found> = list(store)?
            .into_iter()
            .filter(|f| f.record.id.starts_with(input))
            .collect();
        match matches.len() {
            1 => return Ok(matches.into_iter().next().expect("one match")),
            0 => {}
            _ => anyhow::bail!(
                "more than one result for container ID {input:?}: container already exists"
            ),
        }
    }
    Err(NoSuchContainer(input.to_string()).into())
}

/// A new 64-hex container id from the kernel's random source.
pub fn new_id() -> Result<String> {
    let mut buf = [0u8; 32];
    fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .context("reading /dev/urandom")?;
    Ok(hex::encode(buf))
}

/// Ids of containers created from image `id` (for `rmi`).
/// The images some container was created from (read once, for removals of many images).
pub fn images_in_use(store: &Store) -> Result<std::collections::HashSet<crate::image::Digest>> {
    Ok(list(store)?
        .into_iter()
        .map(|f| f.record.image_id)
        .collect())
}

pub fn using_image(store: &Store, id: &crate::image::Digest) -> Result<Vec<Found>> {
    Ok(list(store)?
        .into_iter()
        .filter(|f| &f.record.image_id == id)
        .collect())
}
