//! `skiff image prune`: remove dangling images (or, with -a, every image no container uses).

use anyhow::{Result, bail};

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
    let mut removed = Vec::new();
    store.update_index_and_collect(|idx| {
        let mut keep = Vec::new();
        for rec in std::mem::take(&mut idx.images) {
            let candidate = all || rec.is_dangling();
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
