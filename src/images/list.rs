//! `skiff images`: one row per image name (or one `<none>` row for a nameless image).

use std::collections::HashSet;

use anyhow::{Result, bail};
use serde_json::{Value, json};

use super::view::{ImageView, go_time, since};
use crate::format;
use crate::store::{ImageIndex, Store};

pub struct ListOptions {
    pub all: bool,
    pub quiet: bool,
    pub digests: bool,
    pub no_trunc: bool,
    pub noheading: bool,
    pub filters: Vec<String>,
    pub format: Option<String>,
    pub sort: String,
    pub name: Option<String>,
}

const DEFAULT_TABLE: &str = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.Created}}\t{{.Size}}";
const DIGEST_TABLE: &str =
    "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.Created}}\t{{.Size}}";

pub fn list(store: &Store, o: &ListOptions) -> Result<()> {
    let idx = store.index()?;
    let mut filters = Filters::parse(&o.filters)?;
    if let Some(n) = &o.name {
        filters.references.push(n.clone());
    }
    filters.resolve(&idx)?;
    let needs_docs =
        !filters.labels.is_empty() || o.format.as_deref().is_some_and(|f| f.trim() != "table");
    let mut views = Vec::new();
    // Build steps' images show only with -a, as Podman's intermediate images do.
    for rec in idx
        .images
        .iter()
        .filter(|r| o.all || !r.intermediate || !r.names.is_empty())
    {
        let v = if needs_docs {
            ImageView::load(store, rec)?
        } else {
            ImageView::from_record(rec)
        };
        if filters.matches(&v) {
            views.push(v);
        }
    }
    sort_views(&mut views, &o.sort);
    let out = render(&views, o)?;
    print!("{out}");
    Ok(())
}

fn sort_views(views: &mut [ImageView], key: &str) {
    match key {
        "id" => views.sort_by(|a, b| a.record.id.cmp(&b.record.id)),
        "size" => views.sort_by_key(|v| v.record.size),
        "repository" | "tag" => {
            views.sort_by(|a, b| a.record.names.first().cmp(&b.record.names.first()))
        }
        _ => views.sort_by_key(|v| std::cmp::Reverse(v.created())),
    }
}

fn render(views: &[ImageView], o: &ListOptions) -> Result<String> {
    if o.quiet {
        let mut seen = HashSet::new();
        let mut out = String::new();
        for v in views {
            let id = id_text(v, o.no_trunc);
            if seen.insert(id.clone()) {
                out.push_str(&id);
                out.push('\n');
            }
        }
        return Ok(out);
    }
    if let Some(f) = &o.format
        && f.trim().eq_ignore_ascii_case("json")
    {
        let rows: Vec<Value> = views.iter().map(json_row).collect();
        return Ok(format::render_json(&rows));
    }
    let rows: Vec<Value> = views.iter().flat_map(|v| template_rows(v, o)).collect();
    let default = if o.digests {
        DIGEST_TABLE
    } else {
        DEFAULT_TABLE
    };
    let src = match o.format.as_deref() {
        None => default.to_string(),
        Some(f) if f.trim() == "table" => default.to_string(),
        Some(f) => format::unescape_format(f),
    };
    let headers = json!({"ID": "IMAGE ID", "Repository": "REPOSITORY", "Tag": "TAG", "Digest": "DIGEST",
        "Created": "CREATED", "CreatedAt": "CREATED AT", "Size": "SIZE", "ReadOnly": "R/O"});
    let out = format::render_rows(&src, &headers, &rows)?;
    if o.noheading && format::is_table(&src) {
        return Ok(out
            .split_once('\n')
            .map(|(_, rest)| rest.to_string())
            .unwrap_or_default());
    }
    Ok(out)
}

fn id_text(v: &ImageView, no_trunc: bool) -> String {
    if no_trunc {
        v.record.id.to_string()
    } else {
        v.record.id.short().to_string()
    }
}

/// The fields a `--format` template can use, one value per name.
fn template_rows(v: &ImageView, o: &ListOptions) -> Vec<Value> {
    let created = v.created();
    let names: Vec<Option<&String>> = if v.record.names.is_empty() {
        vec![None]
    } else {
        v.record.names.iter().map(Some).collect()
    };
    names
        .into_iter()
        .map(|name| {
            let (repo, tag) = match name {
                Some(n) => (
                    super::repository_of(n).to_string(),
                    super::tag_of(n).to_string(),
                ),
                None => ("<none>".to_string(), "<none>".to_string()),
            };
            json!({
                "ID": id_text(v, o.no_trunc),
                "Id": v.record.id.hex(),
                "Repository": repo,
                "Tag": tag,
                "Digest": v.record.digest.to_string(),
                "Created": since(created),
                "CreatedSince": since(created),
                "CreatedAt": created.map(|t| go_time(&t)).unwrap_or_default(),
                "CreatedTime": created.map(|t| go_time(&t)).unwrap_or_default(),
                "Size": format::human_size(v.record.size),
                "VirtualSize": format::human_size(v.record.size),
                "SharedSize": format::human_size(0),
                "Containers": 0,
                "Labels": Value::Object(v.labels()),
                "Names": v.record.names,
                "RepoTags": v.record.names,
                "RepoDigests": v.repo_digests(),
                "Dangling": v.record.is_dangling(),
                "ReadOnly": false,
                "IsReadOnly": false,
                "History": v.record.names_history,
            })
        })
        .collect()
}

/// Podman's `images --format json` object.
fn json_row(v: &ImageView) -> Value {
    let created = v.created();
    let labels = v.labels();
    json!({
        "Id": v.record.id.hex(),
        "ParentId": "",
        "RepoTags": if v.record.names.is_empty() { Value::Null } else { json!(v.record.names) },
        "RepoDigests": v.repo_digests(),
        "Size": v.record.size,
        "SharedSize": 0,
        "VirtualSize": v.record.size,
        "Labels": if labels.is_empty() { Value::Null } else { Value::Object(labels) },
        "Containers": 0,
        "Names": if v.record.names.is_empty() { Value::Null } else { json!(v.record.names) },
        "Digest": v.record.digest.to_string(),
        "History": v.record.names_history,
        "Created": created.map(|t| t.timestamp()).unwrap_or(0),
        "CreatedAt": created.map(|t| super::view::json_time(&t)).unwrap_or_default(),
        "Dangling": v.record.is_dangling(),
    })
}

/// `--filter` conditions: different keys must all hold; several `reference=` any one.
#[derive(Default)]
struct Filters {
    references: Vec<String>,
    dangling: Option<bool>,
    labels: Vec<(String, Option<String>)>,
    ids: Vec<String>,
    before: Vec<String>,
    since: Vec<String>,
    /// Filled by `resolve`, once per listing: the image each reference pattern names (if
    /// any), and the creation times before=/since= compare with.
    reference_ids: Vec<Option<crate::image::Digest>>,
    before_times: Vec<Option<chrono::DateTime<chrono::Utc>>>,
    since_times: Vec<Option<chrono::DateTime<chrono::Utc>>>,
}

impl Filters {
    fn parse(raw: &[String]) -> Result<Filters> {
        let mut f = Filters::default();
        for r in raw {
            let Some((key, value)) = r.split_once('=') else {
                bail!("invalid image filter {r:?}: want key=value");
            };
            match key {
                "reference" => f.references.push(value.to_string()),
                "dangling" => {
                    f.dangling = Some(match value {
                        "true" | "1" => true,
                        "false" | "0" => false,
                        _ => bail!("invalid filter {r:?}: dangling takes true or false"),
                    })
                }
                "label" => f.labels.push(match value.split_once('=') {
                    Some((k, v)) => (k.to_string(), Some(v.to_string())),
                    None => (value.to_string(), None),
                }),
                "id" => f.ids.push(value.trim_start_matches("sha256:").to_string()),
                "before" => f.before.push(value.to_string()),
                "since" => f.since.push(value.to_string()),
                _ => bail!(
                    "unsupported image filter {key:?} (reference, dangling, label, id, before, since)"
                ),
            }
        }
        Ok(f)
    }

    /// Look up the images the filters name, once rather than once per listed image.
    fn resolve(&mut self, idx: &ImageIndex) -> Result<()> {
        self.reference_ids = self
            .references
            .iter()
            .map(|p| super::find(idx, p).ok().map(|f| f.record.id.clone()))
            .collect();
        let created = |n: &String| -> Result<_> { Ok(super::find(idx, n)?.record.created) };
        self.before_times = self.before.iter().map(created).collect::<Result<_>>()?;
        self.since_times = self.since.iter().map(created).collect::<Result<_>>()?;
        Ok(())
    }

    fn matches(&self, v: &ImageView) -> bool {
        if let Some(d) = self.dangling
            && v.record.is_dangling() != d
        {
            return false;
        }
        if !self.references.is_empty()
            && !self
                .references
                .iter()
                .zip(&self.reference_ids)
                .any(|(p, id)| id.as_ref() == Some(&v.record.id) || reference_matches(v, p))
        {
            return false;
        }
        let labels = v.labels();
        for (k, want) in &self.labels {
            let ok = match (labels.get(k), want) {
                (Some(Value::String(have)), Some(want)) => have == want,
                (Some(_), None) => true,
                _ => false,
            };
            if !ok {
                return false;
            }
        }
        if !self.ids.is_empty()
            && !self
                .ids
                .iter()
                .any(|p| v.record.id.hex().starts_with(p.as_str()))
        {
            return false;
        }
        self.before_times.iter().all(|t| v.record.created < *t)
            && self.since_times.iter().all(|t| v.record.created > *t)
    }
}

/// Podman's reference filter: a glob against the full name, the name without tag and
/// the familiar (docker.io-less) forms (the image the pattern resolves to is matched by
/// the caller).
fn reference_matches(v: &ImageView, pattern: &str) -> bool {
    v.record.names.iter().any(|n| {
        let repo = super::repository_of(n);
        let familiar = n
            .strip_prefix("docker.io/")
            .map(|s| s.strip_prefix("library/").unwrap_or(s));
        let familiar_repo = familiar.map(super::repository_of);
        [Some(n.as_str()), Some(repo), familiar, familiar_repo]
            .into_iter()
            .flatten()
            .any(|c| glob_match(pattern, c))
    })
}

/// Go's `path.Match`: `*` and `?` do not cross '/', `[...]` classes with ranges and `^`.
/// Bottom-up over (pattern position, name position), so a pattern full of `*` costs
/// pattern length x name length, never exponential time.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let width = n.len() + 1;
    // m[i * width + j]: does p[i..] match n[j..]?
    let mut m = vec![false; (p.len() + 1) * width];
    m[p.len() * width + n.len()] = true;
    for i in (0..p.len()).rev() {
        for j in (0..=n.len()).rev() {
            let here = n.get(j).copied();
            m[i * width + j] = match p[i] {
                '*' => {
                    m[(i + 1) * width + j]
                        || (here.is_some_and(|c| c != '/') && m[i * width + j + 1])
                }
                '?' => here.is_some_and(|c| c != '/') && m[(i + 1) * width + j + 1],
                '[' => match (class_end(&p, i), here) {
                    (Some(end), Some(c)) => {
                        class_matches(&p[i + 1..end], c) && m[(end + 1) * width + j + 1]
                    }
                    _ => false,
                },
                '\\' if i + 1 < p.len() => here == Some(p[i + 1]) && m[(i + 2) * width + j + 1],
                c => here == Some(c) && m[(i + 1) * width + j + 1],
            };
        }
    }
    m[0]
}

/// Index of the `]` closing the class that opens at `p[open]`.
fn class_end(p: &[char], open: usize) -> Option<usize> {
    p.iter()
        .skip(open + 1)
        .position(|&c| c == ']')
        .map(|e| e + open + 1)
}

fn class_matches(class: &[char], c: char) -> bool {
    let (negate, class) = match class.first() {
        Some('^') | Some('!') => (true, &class[1..]),
        _ => (false, class),
    };
    let mut hit = false;
    let mut i = 0;
    while i < class.len() {
        if i + 2 < class.len() && class[i + 1] == '-' {
            hit |= class[i] <= c && c <= class[i + 2];
            i += 3;
        } else {
            hit |= class[i] == c;
            i += 1;
        }
    }
    hit != negate
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs_like_go() {
        assert!(glob_match("busybox", "busybox"));
        assert!(glob_match("busy*", "busybox"));
        assert!(!glob_match("*", "localhost/busybox"));
        assert!(glob_match("localhost/*", "localhost/busybox"));
        assert!(glob_match("*/*:latest", "localhost/busybox:latest"));
        assert!(glob_match("b?sybox", "busybox"));
        assert!(glob_match("[a-c]usybox", "busybox"));
        assert!(!glob_match("[^b]usybox", "busybox"));
        assert!(glob_match("a\\*b", "a*b") && !glob_match("a\\*b", "axb"));
        // Many stars against a long name that does not match: must not take exponential time.
        let name = "a".repeat(200);
        assert!(!glob_match(&format!("{}b", "*a".repeat(40)), &name));
    }
}
