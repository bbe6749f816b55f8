//! `skiff tag` / `skiff untag`: names are index entries only; no files change.

use anyhow::{Result, bail};

use crate::store::Store;

pub fn tag(store: &Store, image: &str, names: &[String]) -> Result<()> {
    let new_names: Vec<String> = names
        .iter()
        .map(|n| super::new_image_name(n))
        .collect::<Result<_>>()?;
    store.update_index(|idx| {
        let id = super::find(idx, image)?.record.id.clone();
        for n in &new_names {
            idx.set_name(&id, n);
        }
        Ok(())
    })
}

pub fn untag(store: &Store, image: &str, names: &[String]) -> Result<()> {
    store.update_index(|idx| {
        let id = super::find(idx, image)?.record.id.clone();
        let Some(rec) = idx.get_mut(&id) else {
            bail!("{image}: image not known")
        };
        if names.is_empty() {
            let old = std::mem::take(&mut rec.names);
            rec.names_history.splice(0..0, old);
            return Ok(());
        }
        for n in names {
            let candidates = candidate_names(n)?;
            let Some(pos) = rec.names.iter().position(|have| candidates.contains(have)) else {
                bail!("{n}: tag not known for image {}", id.short());
            };
            let old = rec.names.remove(pos);
            rec.names_history.insert(0, old);
        }
        Ok(())
    })
}

/// The full names a user's word may mean: as a local name and as a docker.io name.
fn candidate_names(n: &str) -> Result<Vec<String>> {
    let mut out = vec![super::new_image_name(n)?];
    if let Ok(r) = crate::image::reference::parse_normalized(n) {
        out.push(format!(
            "{}/{}:{}",
            r.registry,
            r.repository,
            r.tag.as_deref().unwrap_or("latest")
        ));
    }
    Ok(out)
}
