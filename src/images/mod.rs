//! Image operations over the local store: list, inspect, history, tag, remove, prune,
//! save, load, import. The CLI adapters in cli/image.rs call these; they never parse flags.

pub mod add;
pub mod changes;
pub mod history;
pub mod import;
pub mod inspect;
pub mod list;
pub mod load;
pub mod prune;
pub mod pull;
pub mod pull_policy;
pub mod push;
pub mod remove;
pub mod save;
pub mod tag;
pub mod view;

use std::fmt;

use anyhow::Result;

use crate::image::digest::Digest;
use crate::image::reference::{self, Reference};
use crate::store::{ImageIndex, ImageRecord, Store};

/// Podman's words for an unknown image; scripts grep for them.
#[derive(Debug)]
pub struct ImageNotKnown(pub String);

impl fmt::Display for ImageNotKnown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: image not known", self.0)
    }
}

impl std::error::Error for ImageNotKnown {}

/// How a user's word found an image.
pub struct Found<'a> {
    pub record: &'a ImageRecord,
    /// The full name matched, when the user named the image rather than giving its id.
    pub name: Option<String>,
}

/// Find an image by name (full or short, with tag or digest) or by id (full or a prefix),
/// as Podman does: names first, then ids; short names prefer localhost/, then docker.io.
pub fn find<'a>(idx: &'a ImageIndex, input: &str) -> Result<Found<'a>> {
    if input.is_empty() {
        return Err(ImageNotKnown(input.to_string()).into());
    }
    if let Some(found) = find_by_name(idx, input)? {
        return Ok(found);
    }
    if let Some(rec) = find_by_id(idx, input)? {
        return Ok(Found {
            record: rec,
            name: None,
        });
    }
    Err(ImageNotKnown(input.to_string()).into())
}

fn find_by_id<'a>(idx: &'a ImageIndex, input: &str) -> Result<Option<&'a ImageRecord>> {
    let hex = input.strip_prefix("sha256:").unwrap_or(input);
    if hex.len() < 3
        || hex.len() > 64
        || !hex
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        return Ok(None);
    }
    let matches: Vec<&ImageRecord> = idx
        .images
        .iter()
        .filter(|r| r.id.hex().starts_with(hex))
        .collect();
    match matches.len() {
        0 => Ok(None),
        1 => Ok(Some(matches[0])),
        _ => anyhow::bail!("{input}: more than one image has an id starting with this prefix"),
    }
}

fn find_by_name<'a>(idx: &'a ImageIndex, input: &str) -> Result<Option<Found<'a>>> {
    let Ok(r) = reference::parse_normalized(input) else {
        // Not a name; it may still be an id prefix. A malformed word that is not hex
        // either is reported as not known, as Podman does.
        return Ok(None);
    };
    if let Some(d) = &r.digest {
        // A name pulled by digest (`repo@sha256:...`) first, then any image of that
        // repository whose manifest has the digest.
        if let Some(f) = find_exact(idx, &format!("{}/{}@{d}", r.registry, r.repository)) {
            return Ok(Some(f));
        }
        return Ok(find_by_digest(idx, &r, d, input));
    }
    let tag = r.tag.clone().unwrap_or_else(|| "latest".to_string());
    if !reference::is_short_name(input) {
        let full = format!("{}/{}:{}", r.registry, r.repository, tag);
        return Ok(find_exact(idx, &full));
    }
    // A short name: the user did not say which registry. Prefer localhost/, then the
    // docker.io normalisation, then any image whose repository ends with the name.
    let path = short_path(input, &r);
    for candidate in [
        format!("localhost/{path}:{tag}"),
        format!("{}/{}:{}", r.registry, r.repository, tag),
    ] {
        if let Some(f) = find_exact(idx, &candidate) {
            return Ok(Some(f));
        }
    }
    let suffix = format!("/{path}:{tag}");
    for rec in &idx.images {
        if let Some(n) = rec.names.iter().find(|n| n.ends_with(&suffix)) {
            return Ok(Some(Found {
                record: rec,
                name: Some(n.clone()),
            }));
        }
    }
    Ok(None)
}

/// The repository path as the user wrote it (without docker.io's `library/`).
fn short_path(input: &str, r: &Reference) -> String {
    let written = input.split(['@']).next().unwrap_or(input);
    let written = match written.rsplit_once(':') {
        Some((p, t)) if !t.contains('/') => p,
        _ => written,
    };
    if written.is_empty() {
        r.repository.clone()
    } else {
        written.to_string()
    }
}

fn find_exact<'a>(idx: &'a ImageIndex, full: &str) -> Option<Found<'a>> {
    idx.images
        .iter()
        .find(|r| r.names.iter().any(|n| n == full))
        .map(|rec| Found {
            record: rec,
            name: Some(full.to_string()),
        })
}

fn find_by_digest<'a>(
    idx: &'a ImageIndex,
    r: &Reference,
    d: &Digest,
    input: &str,
) -> Option<Found<'a>> {
    let short = reference::is_short_name(input);
    idx.images
        .iter()
        .find(|rec| {
            (&rec.digest == d || rec.blobs.first() == Some(d))
                && rec.names.iter().any(|n| {
                    let repo = repository_of(n);
                    if short {
                        repo == r.repository || repo.ends_with(&format!("/{}", r.repository))
                    } else {
                        repo == format!("{}/{}", r.registry, r.repository)
                    }
                })
        })
        .map(|rec| Found {
            record: rec,
            name: None,
        })
}

/// `registry/repo` of a full `registry/repo:tag` name.
pub fn repository_of(name: &str) -> &str {
    if let Some((repo, _)) = name.split_once('@') {
        return repo;
    }
    match name.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => repo,
        _ => name,
    }
}

/// The tag of a full name (`<none>` if it has none).
pub fn tag_of(name: &str) -> &str {
    if name.contains('@') {
        return "<none>";
    }
    match name.rsplit_once(':') {
        Some((_, tag)) if !tag.contains('/') => tag,
        _ => "<none>",
    }
}

/// `image exists`: true when the name or id resolves.
pub fn lookup_exists(store: &Store, input: &str) -> Result<bool> {
    let idx = store.index()?;
    match find(&idx, input) {
        Ok(_) => Ok(true),
        Err(e) if e.is::<ImageNotKnown>() => Ok(false),
        Err(e) => Err(e),
    }
}

/// Normalise a name the user gives a new image, as Podman does: an unqualified name gets
/// `localhost/`, and `:latest` when no tag is given.
pub fn new_image_name(input: &str) -> Result<String> {
    let r = reference::parse_local(input)?;
    if r.digest.is_some() {
        anyhow::bail!("{input}: a digest cannot be used as the name of a local image");
    }
    let tag = r.tag.clone().unwrap_or_else(|| "latest".to_string());
    Ok(format!("{}/{}:{}", r.registry, r.repository, tag))
}
