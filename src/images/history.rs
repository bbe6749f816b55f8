//! `skiff history`: the image's history entries, newest first, as Podman prints them.

use anyhow::Result;
use serde_json::{Value, json};

use super::view::{ImageView, go_time, json_time, parse_time, since};
use crate::format;
use crate::store::Store;

pub struct HistoryOptions {
    pub human: bool,
    pub no_trunc: bool,
    pub quiet: bool,
    pub format: Option<String>,
}

const DEFAULT_TABLE: &str = "table {{.ID}}\t{{.Created}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
const CREATED_BY_WIDTH: usize = 45;

struct Entry {
    id: String,
    created: Option<chrono::DateTime<chrono::Utc>>,
    created_by: String,
    size: u64,
    comment: String,
    tags: Vec<String>,
}

pub fn history(store: &Store, name: &str, o: &HistoryOptions) -> Result<()> {
    let idx = store.index()?;
    let found = super::find(&idx, name)?;
    let v = ImageView::load(store, found.record)?;
    let entries = entries(store, &v)?;
    print!("{}", render(&entries, o)?);
    Ok(())
}

/// History entries newest first; each non-empty entry gets the size of its layer.
fn entries(store: &Store, v: &ImageView) -> Result<Vec<Entry>> {
    let hist = v.config["history"].as_array().cloned().unwrap_or_default();
    let mut layer_sizes: Vec<u64> = Vec::new();
    for chain in &v.record.layers {
        layer_sizes.push(store.layer_record(chain).map(|r| r.tar_size).unwrap_or(0));
    }
    let mut out = Vec::new();
    let mut layer_i = 0;
    for h in &hist {
        let empty = h["empty_layer"].as_bool().unwrap_or(false);
        let size = if empty {
            0
        } else {
            let s = layer_sizes.get(layer_i).copied().unwrap_or(0);
            layer_i += 1;
            s
        };
        out.push(Entry {
            id: "<missing>".to_string(),
            created: parse_time(&h["created"]),
            created_by: h["created_by"].as_str().unwrap_or_default().to_string(),
            size,
            comment: h["comment"].as_str().unwrap_or_default().to_string(),
            tags: vec![],
        });
    }
    // Images without history (some importers write none): one entry per layer.
    if out.is_empty() {
        for s in layer_sizes {
            out.push(Entry {
                id: "<missing>".to_string(),
                created: v.created(),
                created_by: String::new(),
                size: s,
                comment: String::new(),
                tags: vec![],
            });
        }
    }
    name_ancestors(store, v, &hist, &mut out)?;
    out.reverse();
    if let Some(first) = out.first_mut() {
        first.id = v.record.id.hex().to_string();
        first.tags = v.record.names.clone();
    }
    Ok(out)
}

/// Gives an entry the id (and names) of the image in the store whose history ends there:
/// the images a build made step by step, or a base image, as Podman shows them. Only
/// images whose layers start this image's layers can be such ancestors.
fn name_ancestors(store: &Store, v: &ImageView, hist: &[Value], out: &mut [Entry]) -> Result<()> {
    if hist.len() != out.len() {
        return Ok(());
    }
    let idx = store.index()?;
    for rec in &idx.images {
        if rec.id == v.record.id || !v.record.layers.starts_with(&rec.layers) {
            continue;
        }
        let Ok(other) = ImageView::load_config(store, rec) else {
            continue;
        };
        let Some(theirs) = other.config["history"].as_array() else {
            continue;
        };
        if theirs.is_empty() || theirs.len() > hist.len() || theirs[..] != hist[..theirs.len()] {
            continue;
        }
        let entry = &mut out[theirs.len() - 1];
        // Of several images with the same history (a rebuild), the named one wins.
        if entry.id == "<missing>" || (entry.tags.is_empty() && !rec.names.is_empty()) {
            entry.id = rec.id.hex().to_string();
            entry.tags = rec.names.clone();
        }
    }
    Ok(())
}

fn render(entries: &[Entry], o: &HistoryOptions) -> Result<String> {
    let short = |id: &str| {
        if o.no_trunc || id.starts_with('<') {
            id.to_string()
        } else {
            id[..12.min(id.len())].to_string()
        }
    };
    if o.quiet {
        return Ok(entries.iter().map(|e| short(&e.id) + "\n").collect());
    }
    if let Some(f) = &o.format
        && f.trim().eq_ignore_ascii_case("json")
    {
        let rows: Vec<Value> = entries
                .iter()
                .map(|e| {
                    json!({"id": e.id, "created": e.created.map(|t| json_time(&t)), "CreatedBy": e.created_by,
                        "size": e.size, "comment": e.comment, "tags": e.tags})
                })
                .collect();
        return Ok(format::render_json(&rows));
    }
    let rows: Vec<Value> = entries
        .iter()
        .map(|e| {
            let created_by = if o.no_trunc || e.created_by.chars().count() <= CREATED_BY_WIDTH {
                e.created_by.clone()
            } else {
                e.created_by.chars().take(CREATED_BY_WIDTH - 3).collect::<String>() + "..."
            };
            json!({
                "ID": short(&e.id),
                "Created": if o.human { since(e.created) } else { e.created.map(|t| json_time(&t)).unwrap_or_default() },
                "CreatedAt": e.created.map(|t| go_time(&t)).unwrap_or_default(),
                "CreatedSince": since(e.created),
                "CreatedBy": created_by,
                "Size": if o.human { format::human_size(e.size) } else { e.size.to_string() },
                "Comment": e.comment,
                "Tags": e.tags,
            })
        })
        .collect();
    let src = match o.format.as_deref() {
        None => DEFAULT_TABLE.to_string(),
        Some(f) => format::unescape_format(f),
    };
    let headers = json!({"ID": "ID", "Created": "CREATED", "CreatedBy": "CREATED BY", "Size": "SIZE", "Comment": "COMMENT"});
    format::render_rows(&src, &headers, &rows)
}
