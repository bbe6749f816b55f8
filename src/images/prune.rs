//! `skiff image prune`: remove dangling images (or, with -a, every image no container uses).

use anyhow::{Result, bail};

use crate::image::digest::Digest;
use crate::store::Store;

/// Podman asks before pruning unless -f is given.
pub fn confirm(all: bool) -> Result<bool> {
    crate::format::confirm(if all {
        "WARNING! This command removes all images without at least one container associated with them."
    } else {
        "WARNING! This command removes all dangling images."
    })
}

pub fn prune(store: &Store, all: bool, filters: &[String]) -> Result<()> {
    let mut labels: Vec<(String, Option<String>)> = Vec::new();
    for f in filters {
        match f.split_once('=') {
            Some(("label", v)) => labels.push(match v.split_once('=') {
                Some((k, val)) => (k.to_string(), Some(val.to_string())),
                None => (v.to_string(), None),
            }),
            _ => bail!("unsupported image prune filter {f:?} (label=)"),
        }
    }
    // As Podman: an image a container was made from is never pruned (its layers are the
    // container's lower dirs).
    let in_use = crate::container::images_in_use(store)?;
    let mut removed = Vec::new();
    store.update_index_and_collect(|idx| {
        let ancestors = ancestors_of_named(idx);
        let mut keep = Vec::new();
        for rec in std::mem::take(&mut idx.images) {
            // A build step's image that a named image was built from is that image's
            // cache: Podman keeps those ("layers that are necessary for other images").
            let needed_cache = rec.intermediate && ancestors.contains(&rec.id);
            let candidate =
                !in_use.contains(&rec.id) && (all || (rec.is_dangling() && !needed_cache));
            if candidate && labels_match(store, &rec, &labels) {
                removed.push(rec.id.hex().to_string());
            } else {
                keep.push(rec);
            }
        }
        idx.images = keep;
        Ok(())
    })?;
    for id in removed {
        println!("{id}");
    }
    Ok(())
}

fn labels_match(
    store: &Store,
    rec: &crate::store::ImageRecord,
    want: &[(String, Option<String>)],
) -> bool {
    if want.is_empty() {
        return true;
    }
    let Ok(v) = super::view::ImageView::load(store, rec) else {
        return false;
    };
    let labels = v.labels();
    want.iter().all(|(k, val)| match (labels.get(k), val) {
        (Some(serde_json::Value::String(have)), Some(val)) => have == val,
        (Some(_), None) => true,
        _ => false,
    })
}

/// Every image a named image was built from, following the build steps' parent links.
fn ancestors_of_named(idx: &crate::store::ImageIndex) -> std::collections::HashSet<Digest> {
    let mut out = std::collections::HashSet::new();
    for rec in idx.images.iter().filter(|r| !r.is_dangling()) {
        let mut parent = rec.parent.clone();
        while let Some(id) = parent {
            if !out.insert(id.clone()) {
                break;
            }
            parent = idx.get(&id).and_then(|r| r.parent.clone());
        }
    }
    out
}

/// `builder prune`: every build step's image without a name goes (unless a container was
/// made from it: its layers must stay), and the images that stay forget their cache keys,
/// so the next build starts cold; the cache mounts go too. Returns the removed ids.
pub fn prune_build_cache(store: &Store) -> Result<Vec<String>> {
    let in_use = crate::container::images_in_use(store)?;
    let mut removed = Vec::new();
    store.update_index_and_collect(|idx| {
        idx.images.retain(|r| {
            let drop = r.intermediate && r.is_dangling() && !in_use.contains(&r.id);
            if drop {
                removed.push(r.id.hex().to_string());
            }
            !drop
        });
        for r in idx.images.iter_mut() {
            r.build_cache_key = None;
        }
        Ok(())
    })?;
    crate::store::fsutil::remove_all(&store.root().join("build-cache-mounts"))?;
    Ok(removed)
}
