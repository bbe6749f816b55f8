//! `skiff rmi`: remove names or whole images, then collect the layers and blobs no image
//! needs any more. Exit codes as Podman's: 1 when an image was not found, else 125 on error.

use anyhow::Result;

use super::ImageNotKnown;
use crate::store::Store;

pub fn remove(
    store: &Store,
    inputs: &[String],
    all: bool,
    force: bool,
    ignore: bool,
) -> Result<u8> {
    let mut not_found: Vec<String> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    let snapshot = store.index()?;
    let targets: Vec<String> = if all {
        snapshot.images.iter().map(|r| r.id.to_string()).collect()
    } else {
        inputs.to_vec()
    };
    // Images containers use: refused (exit 2), or with -f their containers go first.
    let mut in_use: Vec<crate::image::Digest> = Vec::new();
    for input in &targets {
        let Ok(f) = super::find(&snapshot, input) else {
            continue;
        };
        if f.name.is_some() && f.record.names.len() > 1 {
            continue; // only untagged
        }
        let users = crate::container::using_image(store, &f.record.id)?;
        if users.is_empty() {
            continue;
        }
        if !force {
            eprintln!(
                "Error: image used by {}: image is in use by a container: consider listing external containers and force-removing image",
                users[0].record.id
            );
            in_use.push(f.record.id.clone());
            continue;
        }
        for c in &users {
            crate::container::lifecycle::remove(store, c, true, false)?;
        }
    }
    let used_by_containers = crate::container::images_in_use(store)?;
    store.update_index_and_collect(|idx| {
        for input in &targets {
            let (id, name, names) = match super::find(idx, input) {
                Ok(f) if in_use.contains(&f.record.id) => continue,
                Ok(f) => (f.record.id.clone(), f.name.clone(), f.record.names.clone()),
                Err(e) if e.is::<ImageNotKnown>() => {
                    not_found.push(input.clone());
                    continue;
                }
                Err(e) => return Err(e),
            };
            // Named with other names left: only that name goes, as in Podman and Docker.
            if let (Some(n), true) = (&name, names.len() > 1) {
                if let Some(rec) = idx.get_mut(&id) {
                    rec.names.retain(|x| x != n);
                }
                lines.push(format!("Untagged: {n}"));
                continue;
            }
            for n in &names {
                lines.push(format!("Untagged: {n}"));
            }
            let parent = idx.get(&id).and_then(|r| r.parent.clone());
            idx.images.retain(|r| r.id != id);
            lines.push(format!("Deleted: {}", id.hex()));
            for step in remove_build_steps(idx, &used_by_containers, parent) {
                lines.push(format!("Deleted: {}", step.hex()));
            }
        }
        Ok(())
    })?;
    for l in &lines {
        println!("{l}");
    }
    if !in_use.is_empty() {
        return Ok(2);
    }
    if not_found.is_empty() || ignore {
        return Ok(0);
    }
    for n in &not_found {
        eprintln!("Error: {}", ImageNotKnown(n.clone()));
    }
    Ok(1)
}

/// The images a build made on the way to a removed image (its parent chain, while they
/// are untagged build steps) go with it, as in Podman and Docker, unless another image was
/// built on them or a container uses them. Returns their ids.
fn remove_build_steps(
    idx: &mut crate::store::ImageIndex,
    in_use: &std::collections::HashSet<crate::image::Digest>,
    mut parent: Option<crate::image::Digest>,
) -> Vec<crate::image::Digest> {
    let mut removed = Vec::new();
    while let Some(id) = parent.take() {
        let Some(rec) = idx.get(&id) else {
            break;
        };
        let has_children = idx.images.iter().any(|r| r.parent.as_ref() == Some(&id));
        if !rec.intermediate || !rec.is_dangling() || has_children || in_use.contains(&id) {
            break;
        }
        parent = rec.parent.clone();
        idx.images.retain(|r| r.id != id);
        removed.push(id);
    }
    removed
}
