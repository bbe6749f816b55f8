//! `skiff image inspect` / `skiff inspect`: Podman-shaped JSON, or a Go template per image.

use anyhow::{Result, anyhow};
use serde_json::{Value, json};

use super::view::{ImageView, json_time};
use crate::format;
use crate::store::Store;

/// Podman's `image inspect` document for one image.
pub fn inspect_json(store: &Store, v: &ImageView) -> Value {
    let created = v.created();
    let layers: Vec<String> = v
        .record
        .layers
        .iter()
        .map(|c| store.layer_diff_dir(c).display().to_string())
        .collect();
    let mut graph = serde_json::Map::new();
    if let Some((top, lower)) = layers.split_last() {
        if !lower.is_empty() {
            let lowers: Vec<&str> = lower.iter().rev().map(String::as_str).collect();
            graph.insert("LowerDir".into(), json!(lowers.join(":")));
        }
        graph.insert("UpperDir".into(), json!(top));
        let work = top.strip_suffix("/diff").unwrap_or(top).to_string() + "/work";
        graph.insert("WorkDir".into(), json!(work));
    }
    let labels = v.labels();
    let config = v.container_config();
    json!({
        "Id": v.record.id.hex(),
        "Digest": v.record.digest.to_string(),
        "RepoTags": v.record.names,
        "RepoDigests": v.repo_digests(),
        "Parent": "",
        "Comment": history_comment(v),
        "Created": created.map(|t| json_time(&t)),
        "Config": if config.is_object() { config.clone() } else { json!({}) },
        "Version": v.str_field("docker_version"),
        "Author": v.str_field("author"),
        "Architecture": v.str_field("architecture"),
        "Os": v.str_field("os"),
        "Variant": v.config.get("variant").cloned().unwrap_or(Value::Null),
        "Size": v.record.size,
        "VirtualSize": v.record.size,
        "GraphDriver": { "Name": "overlay", "Data": graph },
        "RootFS": { "Type": "layers", "Layers": v.diff_ids() },
        "Labels": if labels.is_empty() { Value::Null } else { Value::Object(labels) },
        "Annotations": v.manifest.get("annotations").cloned().unwrap_or_else(|| json!({})),
        "ManifestType": v.record.manifest_media_type,
        "User": config["User"].as_str().unwrap_or_default(),
        "History": v.config.get("history").cloned().unwrap_or_else(|| json!([])),
        "NamesHistory": v.record.names_history,
    })
}

/// The comment of the last history entry, as Podman shows for imported images.
fn history_comment(v: &ImageView) -> String {
    v.config["history"]
        .as_array()
        .and_then(|h| h.last())
        .and_then(|e| e["comment"].as_str())
        .unwrap_or_default()
        .to_string()
}

/// `image inspect`: unknown names are an error after the known ones are printed.
pub fn inspect_images(store: &Store, names: &[String], fmt: Option<&str>) -> Result<u8> {
    inspect_with(store, names, fmt, |n, e| {
        anyhow!(e).context(format!("inspecting object {n:?}"))
    })
}

/// `inspect`: containers first, then images (as Podman); an unknown object is Podman's
/// `no such object`. `kind` is "all", "container" or "image".
pub fn inspect_objects(
    store: &Store,
    names: &[String],
    fmt: Option<&str>,
    kind: &str,
) -> Result<u8> {
    let idx = store.index()?;
    let mut docs = Vec::new();
    let mut first_err = None;
    for n in names {
        if kind != "image"
            && let Ok(f) = crate::container::find(store, n)
        {
            docs.push(crate::container::inspect::inspect_json(store, &f)?);
            continue;
        }
        if kind != "container"
            && let Ok(f) = super::find(&idx, n)
        {
            let v = ImageView::load(store, f.record)?;
            docs.push(inspect_json(store, &v));
            continue;
        }
        if first_err.is_none() {
            first_err = Some(match kind {
                "container" => anyhow::Error::new(crate::container::NoSuchContainer(n.clone())),
                _ => anyhow!("no such object: {n:?}"),
            });
        }
    }
    print_docs(&docs, fmt)?;
    match first_err {
        Some(e) => Err(e),
        None => Ok(0),
    }
}

fn inspect_with(
    store: &Store,
    names: &[String],
    fmt: Option<&str>,
    not_found: impl Fn(&str, anyhow::Error) -> anyhow::Error,
) -> Result<u8> {
    let idx = store.index()?;
    let mut docs = Vec::new();
    let mut first_err = None;
    for n in names {
        match super::find(&idx, n) {
            Ok(f) => {
                let v = ImageView::load(store, f.record)?;
                docs.push(inspect_json(store, &v));
            }
            Err(e) => {
                if first_err.is_none() {
                    first_err = Some(not_found(n, e));
                }
            }
        }
    }
    print_docs(&docs, fmt)?;
    match first_err {
        Some(e) => Err(e),
        None => Ok(0),
    }
}

/// Print inspect documents: a JSON array by default, else the template once per document.
pub fn print_docs(docs: &[Value], fmt: Option<&str>) -> Result<()> {
    match fmt {
        None => print!("{}", format::render_json(docs)),
        Some(f) if f.trim().eq_ignore_ascii_case("json") => print!("{}", format::render_json(docs)),
        Some(f) => {
            let tpl = format::Template::parse(&format::unescape_format(f))?;
            let mut out = String::new();
            for d in docs {
                let s = tpl.render(d)?;
                out.push_str(&s);
                if !s.ends_with('\n') {
                    out.push('\n');
                }
            }
            print!("{out}");
        }
    }
    Ok(())
}
