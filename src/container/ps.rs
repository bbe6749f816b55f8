//! `skiff ps`: containers as Podman lists them.

use anyhow::{Result, bail};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::Found;
use super::record::{ContainerState, Status, live_state};
use crate::format;
use crate::store::Store;

pub struct PsOptions {
    pub all: bool,
    pub quiet: bool,
    pub latest: bool,
    pub last: Option<usize>,
    pub no_trunc: bool,
    pub filters: Vec<String>,
    pub format: Option<String>,
    pub noheading: bool,
}

const DEFAULT_TABLE: &str = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.CreatedHuman}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

fn ago(t: Option<DateTime<Utc>>) -> String {
    match t {
        Some(t) => format!(
            "{} ago",
            format::human_duration((Utc::now() - t).num_seconds())
        ),
        None => String::new(),
    }
}

/// "Up 5 seconds ago", "Exited (3) 2 minutes ago", "Created".
pub fn status_text(st: &ContainerState) -> String {
    match st.status {
        Status::Created => "Created".into(),
        Status::Running => format!("Up {}", ago(st.started_at)),
        Status::Stopping => "Stopping".into(),
        Status::Exited => format!(
            "Exited ({}) {}",
            st.exit_code.unwrap_or(-1),
            ago(st.finished_at)
        ),
    }
}

pub fn ps(store: &Store, o: &PsOptions) -> Result<()> {
    let filters = parse_filters(&o.filters)?;
    let mut rows: Vec<(Found, ContainerState)> = Vec::new();
    for f in super::list(store)? {
        let st = live_state(&f.paths)?;
        let listed = o.all
            || o.latest
            || o.last.is_some()
            || !filters.is_empty()
            || st.status == Status::Running;
        if listed && filters.iter().all(|flt| flt.matches(&f, &st)) {
            rows.push((f, st));
        }
    }
    if o.latest {
        rows.truncate(1);
    }
    if let Some(n) = o.last {
        rows.truncate(n);
    }
    if o.quiet {
        for (f, _) in &rows {
            println!(
                "{}",
                if o.no_trunc {
                    f.record.id.clone()
                } else {
                    f.record.id[..12].to_string()
                }
            );
        }
        return Ok(());
    }
    if let Some(fmt) = &o.format
        && format::is_json(fmt)
    {
        let docs: Vec<Value> = rows.iter().map(|(f, st)| json_row(f, st)).collect();
        print!("{}", format::render_json(&docs));
        return Ok(());
    }
    let src = match o.format.as_deref() {
        None => DEFAULT_TABLE.to_string(),
        Some(f) => format::resolve_format(f, DEFAULT_TABLE).to_string(),
    };
    let data: Vec<Value> = rows
        .iter()
        .map(|(f, st)| template_row(f, st, o.no_trunc))
        .collect();
    let headers = json!({"ID": "CONTAINER ID", "CreatedHuman": "CREATED", "Names": "NAMES", "Image": "IMAGE",
        "Command": "COMMAND", "Status": "STATUS", "Ports": "PORTS", "RunningFor": "CREATED", "CreatedAt": "CREATED AT"});
    let out = format::render_rows(&src, &headers, &data)?;
    if o.noheading && format::is_table(&src) {
        print!("{}", out.split_once('\n').map(|(_, r)| r).unwrap_or(""));
    } else {
        print!("{out}");
    }
    Ok(())
}

fn image_name(f: &Found) -> String {
    if f.record.image_name.is_empty() {
        f.record.image.clone()
    } else {
        f.record.image_name.clone()
    }
}

fn template_row(f: &Found, st: &ContainerState, no_trunc: bool) -> Value {
    let r = &f.record;
    json!({
        "ID": if no_trunc { r.id.clone() } else { r.id[..12].to_string() },
        "Image": image_name(f),
        "ImageID": r.image_id.hex(),
        "Command": r.command.join(" "),
        "CreatedHuman": ago(Some(r.created)),
        "Created": ago(Some(r.created)),
        "RunningFor": ago(Some(r.created)),
        "CreatedAt": super::super::images::view::go_time(&r.created),
        "Status": status_text(st),
        "State": st.status.as_str(),
        "Ports": "",
        "Names": r.name,
        "Labels": r.labels,
        "Mounts": r.mounts.iter().map(|m| m.destination.clone()).collect::<Vec<_>>(),
        "Pid": if st.status == Status::Running { st.pid } else { 0 },
        "ExitCode": st.exit_code.unwrap_or(0),
        "Exited": st.status == Status::Exited,
        "AutoRemove": r.auto_remove,
        "Size": "",
    })
}

/// Podman's `ps --format json` object.
fn json_row(f: &Found, st: &ContainerState) -> Value {
    let r = &f.record;
    json!({
        "AutoRemove": r.auto_remove,
        "Command": r.command,
        "CreatedAt": ago(Some(r.created)),
        "Exited": st.status == Status::Exited,
        "ExitedAt": st.finished_at.map(|t| t.timestamp()).unwrap_or(-62135596800),
        "ExitCode": st.exit_code.unwrap_or(0),
        "Id": r.id,
        "Image": image_name(f),
        "ImageID": r.image_id.hex(),
        "IsInfra": false,
        "Labels": if r.labels.is_empty() { Value::Null } else { json!(r.labels) },
        "Mounts": r.mounts.iter().map(|m| m.destination.clone()).collect::<Vec<_>>(),
        "Names": [r.name],
        "Namespaces": {},
        "Networks": [],
        "Pid": if st.status == Status::Running { st.pid } else { 0 },
        "Pod": "",
        "PodName": "",
        "Ports": Value::Null,
        "Size": Value::Null,
        "StartedAt": st.started_at.map(|t| t.timestamp()).unwrap_or(0),
        "State": st.status.as_str(),
        "Status": status_text(st),
        "Created": r.created.timestamp(),
    })
}

enum Filter {
    Name(String),
    Id(String),
    Status(String),
    Label(String, Option<String>),
    Ancestor(String),
}

fn parse_filters(raw: &[String]) -> Result<Vec<Filter>> {
    raw.iter()
        .map(|r| {
            let Some((k, v)) = r.split_once('=') else {
                bail!("invalid filter {r:?}: want key=value")
            };
            Ok(match k {
                "name" => Filter::Name(v.into()),
                "id" => Filter::Id(v.into()),
                "status" => {
                    if ![
                        "created",
                        "running",
                        "exited",
                        "stopping",
                        "paused",
                        "restarting",
                        "removing",
                        "unknown",
                    ]
                    .contains(&v)
                    {
                        bail!("invalid argument {v:?} for status filter");
                    }
                    Filter::Status(v.into())
                }
                "label" => match v.split_once('=') {
                    Some((lk, lv)) => Filter::Label(lk.into(), Some(lv.into())),
                    None => Filter::Label(v.into(), None),
                },
                "ancestor" => Filter::Ancestor(v.into()),
                _ => {
                    bail!("unsupported container filter {k:?} (name, id, status, label, ancestor)")
                }
            })
        })
        .collect()
}

impl Filter {
    fn matches(&self, f: &Found, st: &ContainerState) -> bool {
        let r = &f.record;
        match self {
            // Podman matches names as a regular expression; a substring covers its common use.
            Filter::Name(n) => match n.strip_prefix('^') {
                Some(rest) => match rest.strip_suffix('$') {
                    Some(exact) => r.name == exact,
                    None => r.name.starts_with(rest),
                },
                None => r.name.contains(n.trim_end_matches('$')),
            },
            Filter::Id(p) => r.id.starts_with(p.as_str()),
            Filter::Status(s) => st.status.as_str() == s,
            Filter::Label(k, v) => match (r.labels.get(k), v) {
                (Some(have), Some(want)) => have == want,
                (Some(_), None) => true,
                _ => false,
            },
            Filter::Ancestor(a) => {
                r.image == *a
                    || r.image_id
                        .hex()
                        .starts_with(a.trim_start_matches("sha256:"))
                    || r.image_name == *a
                    || r.image_name.starts_with(&format!("{a}:"))
                    || r.image_name.ends_with(&format!("/{a}"))
                    || r.image_name.ends_with(&format!("/{a}:latest"))
            }
        }
    }
}
