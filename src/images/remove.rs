//! `skiff rmi`: remove names or whole images, then collect the layers and blobs no image
//! needs any more. Exit codes as Podman's: 1 when an image was not found, else 125 on error.

use anyhow::Result;

use super::ImageNotKnown;
use crate::store::Store;

pub fn remove(
    store: &Store,
    inputs: &[String],
    all: bool,
    _force: bool,
    ignore: bool,
) -> Result<u8> {
    let mut not_found: Vec<String> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    store.update_index_and_collect(|idx| {
        let targets: Vec<String> = if all {
            idx.images.iter().map(|r| r.id.to_string()).collect()
        } else {
            inputs.to_vec()
        };
        for input in &targets {
            let (id, name, names) = match super::find(idx, input) {
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
            idx.images.retain(|r| r.id != id);
            lines.push(format!("Deleted: {}", id.hex()));
        }
        Ok(())
    })?;
    for l in &lines {
        println!("{l}");
    }
    if not_found.is_empty() || ignore {
        return Ok(0);
    }
    for n in &not_found {
        eprintln!("Error: {}", ImageNotKnown(n.clone()));
    }
    Ok(1)
}
