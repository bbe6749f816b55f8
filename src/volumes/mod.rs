//! Volume operations behind `skiff volume ...`: create, ls, inspect, rm, prune, exists.
//! The records live in store/volumes.rs; this module adds Podman's views, filters and
//! messages. Which containers use a volume comes from [`volume_users`], the one hook the
//! container code fills in.

mod copyup;
pub mod filter;
mod regex;

use std::collections::{BTreeMap, HashSet};
use std::io::Write;

use anyhow::{Result, bail};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::error::ExitError;
use crate::format;
use crate::store::Store;
use crate::store::volumes::{VolumeError, VolumeRecord, volume_error};

pub use copyup::{NO_COPY, copy_up, remove_anonymous};
pub use filter::VolumeFilters;

/// Which containers use which volume: volume name -> container ids (or names), for the
/// volumes that at least one container record mounts.
///
/// Every container (running or not) counts as a user of the volumes its mounts name.
/// `volume rm` refuses used volumes without `-f`; `volume prune` and
/// `ls --filter dangling=` use it.
pub fn volume_users(store: &Store) -> Result<BTreeMap<String, Vec<String>>> {
    let mut users: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in crate::container::list(store)? {
        for m in c.record.mounts.iter().filter(|m| m.kind == "volume") {
            users
                .entry(m.source.clone())
                .or_default()
                .push(c.record.id.clone());
        }
    }
    Ok(users)
}

/// The names of the volumes some container uses (see [`volume_users`]).
pub fn volumes_in_use(store: &Store) -> Result<Vec<String>> {
    Ok(volume_users(store)?.into_keys().collect())
}

/// Go's `time.Time.String()` for a UTC time: `2006-01-02 15:04:05.999999999 +0000 UTC`.
pub fn go_time(t: &DateTime<Utc>) -> String {
    format!(
        "{}{} +0000 UTC",
        t.format("%Y-%m-%d %H:%M:%S"),
        go_fraction(t)
    )
}

/// Go's RFC3339Nano (as JSON encodes a time): trailing zeros of the fraction dropped.
pub fn go_json_time(t: &DateTime<Utc>) -> String {
    format!("{}{}Z", t.format("%Y-%m-%dT%H:%M:%S"), go_fraction(t))
}

fn go_fraction(t: &DateTime<Utc>) -> String {
    use chrono::Timelike;
    let nanos = t.nanosecond() % 1_000_000_000;
    if nanos == 0 {
        return String::new();
    }
    let digits = format!(".{nanos:09}");
    digits.trim_end_matches('0').to_string()
}

/// Podman's inspect/ls JSON document: zero-valued `UID`, `GID`, `Anonymous`, `NeedsCopyUp`,
/// `NeedsChown` are left out (Go's omitempty).
pub fn volume_json(rec: &VolumeRecord) -> Value {
    let mut m = Map::new();
    m.insert("Name".into(), json!(rec.name));
    m.insert("Driver".into(), json!(rec.driver));
    m.insert(
        "Mountpoint".into(),
        json!(rec.mountpoint.display().to_string()),
    );
    m.insert("CreatedAt".into(), json!(go_json_time(&rec.created_at)));
    m.insert("Labels".into(), json!(rec.labels));
    m.insert("Scope".into(), json!(rec.scope));
    m.insert("Options".into(), json!(rec.options));
    if let Some(uid) = rec.uid.filter(|&u| u != 0) {
        m.insert("UID".into(), json!(uid));
    }
    if let Some(gid) = rec.gid.filter(|&g| g != 0) {
        m.insert("GID".into(), json!(gid));
    }
    if rec.anonymous {
        m.insert("Anonymous".into(), json!(true));
    }
    m.insert("MountCount".into(), json!(0));
    if rec.needs_copy_up {
        m.insert("NeedsCopyUp".into(), json!(true));
    }
    if rec.needs_chown {
        m.insert("NeedsChown".into(), json!(true));
    }
    Value::Object(m)
}

/// The fields a `--format` template sees: every field, zero values included, and
/// `CreatedAt` as Go prints a time.
pub fn volume_template_value(rec: &VolumeRecord) -> Value {
    json!({
        "Name": rec.name,
        "Driver": rec.driver,
        "Mountpoint": rec.mountpoint.display().to_string(),
        "CreatedAt": go_time(&rec.created_at),
        "Status": {},
        "Labels": rec.labels,
        "Scope": rec.scope,
        "Options": rec.options,
        "UID": rec.uid.unwrap_or(0),
        "GID": rec.gid.unwrap_or(0),
        "Anonymous": rec.anonymous,
        "MountCount": 0,
        "NeedsCopyUp": rec.needs_copy_up,
        "NeedsChown": rec.needs_chown,
        "Timeout": 0,
        "StorageID": "",
        "LockNumber": 0,
    })
}

/// `volume create`: options as typed by the user.
pub struct CreateOptions {
    pub name: Option<String>,
    pub driver: String,
    pub labels: Vec<String>,
    pub options: Vec<String>,
    /// Succeed (printing the name) if the volume exists.
    pub ignore: bool,
}

/// `k=v` pairs (`k` alone is `k=""`), later ones winning, as Podman parses -l and -o.
pub fn parse_pairs(items: &[String]) -> BTreeMap<String, String> {
    items
        .iter()
        .map(|s| match s.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (s.clone(), String::new()),
        })
        .collect()
}

pub fn create(store: &Store, o: &CreateOptions) -> Result<VolumeRecord> {
    if o.driver != crate::store::volumes::DEFAULT_DRIVER {
        let name = o.name.as_deref().unwrap_or("");
        bail!(
            "volume {name} uses volume plugin {d} but it could not be retrieved: no volume plugin with name {d} available: required plugin missing",
            d = o.driver
        );
    }
    let created = store.volume_create(
        o.name.as_deref(),
        parse_pairs(&o.labels),
        parse_pairs(&o.options),
        false,
    );
    match (created, &o.name) {
        (Err(e), Some(name))
            if o.ignore && matches!(volume_error(&e), Some(VolumeError::Exists(_))) =>
        {
            store.volume_get(name)
        }
        (r, _) => r,
    }
}

/// `volume ls` options.
pub struct ListOptions {
    pub filters: Vec<String>,
    pub format: Option<String>,
    pub quiet: bool,
    pub noheading: bool,
}

const DEFAULT_LS_FORMAT: &str = "table {{.Driver}}\t{{.Name}}";

pub fn list(store: &Store, o: &ListOptions) -> Result<String> {
    if o.quiet && o.format.is_some() {
        bail!("quiet and format flags cannot be used together");
    }
    let filters = VolumeFilters::parse(&o.filters, false)?;
    let vols = filters.apply(store, store.volume_list()?)?;
    if let Some(f) = &o.format
        && format::is_json(f)
    {
        let docs: Vec<Value> = vols.iter().map(volume_json).collect();
        return Ok(format::render_json(&docs));
    }
    if vols.is_empty() {
        return Ok(String::new());
    }
    if o.quiet {
        return Ok(vols.iter().map(|v| format!("{}\n", v.name)).collect());
    }
    let src = format::resolve_format(o.format.as_deref().unwrap_or(""), DEFAULT_LS_FORMAT);
    let rows: Vec<Value> = vols.iter().map(volume_template_value).collect();
    let headers = json!({"Name": "VOLUME NAME"});
    let out = format::render_rows(src, &headers, &rows)?;
    if o.noheading && format::is_table(&format::unescape_format(src)) {
        return Ok(out
            .split_once('\n')
            .map(|(_, rest)| rest.to_string())
            .unwrap_or_default());
    }
    Ok(out)
}

/// `volume inspect`: the documents of the named volumes (or all); unknown names are an
/// error after the known ones are printed, as Podman does.
pub fn inspect(store: &Store, names: &[String], all: bool, fmt: Option<&str>) -> Result<String> {
    if all != names.is_empty() {
        bail!("provide one or more volume names or use --all");
    }
    let mut vols = Vec::new();
    let mut missing = None;
    if all {
        vols = store.volume_list()?;
    }
    for n in names {
        match store.volume_get(n) {
            Ok(v) => vols.push(v),
            Err(e) if matches!(volume_error(&e), Some(VolumeError::NoSuch(_))) => {
                missing.get_or_insert_with(|| n.clone());
            }
            Err(e) => return Err(e),
        }
    }
    let out = match fmt {
        Some(f) if !format::is_json(f) => {
            let tpl = format::Template::parse(&format::unescape_format(f))?;
            let mut out = String::new();
            for v in &vols {
                let s = tpl.render(&volume_template_value(v))?;
                out.push_str(&s);
                if !s.ends_with('\n') {
                    out.push('\n');
                }
            }
            out
        }
        _ => format::render_json(&vols.iter().map(volume_json).collect::<Vec<_>>()),
    };
    if let Some(n) = missing {
        // Podman prints what it found, then fails.
        print!("{out}");
        bail!("inspecting object: no such volume {n}");
    }
    Ok(out)
}

/// `volume rm`: removes each named volume (or all), printing each name removed. Failures are
/// reported one per line and the last one decides the exit code: 1 no such volume, 2 in use,
/// else 125 (Podman's setExitCode).
pub fn remove(store: &Store, names: &[String], all: bool, force: bool) -> Result<u8> {
    if all != names.is_empty() {
        bail!("choose either one or more volumes or all");
    }
    let targets: Vec<String> = if all {
        store.volume_list()?.into_iter().map(|v| v.name).collect()
    } else {
        names.to_vec()
    };
    let users = volume_users(store)?;
    let mut errors: Vec<(u8, anyhow::Error)> = Vec::new();
    let mut stdout = std::io::stdout().lock();
    for name in &targets {
        let used = users.get(name).map(Vec::as_slice).unwrap_or(&[]);
        // With -f, Podman first removes the containers using the volume.
        if force {
            for id in used {
                if let Ok(c) = crate::container::find(store, id) {
                    crate::container::lifecycle::remove(store, &c, true, false)?;
                }
            }
        }
        match store.volume_remove(name, force, used) {
            Ok(()) => writeln!(stdout, "{name}")?,
            Err(e) => {
                let code = match volume_error(&e) {
                    Some(VolumeError::NoSuch(_)) => 1,
                    Some(VolumeError::InUse { .. }) => 2,
                    _ => crate::error::EXIT_TOOL,
                };
                errors.push((code, e));
            }
        }
    }
    stdout.flush()?;
    let Some((code, last)) = errors.pop() else {
        return Ok(0);
    };
    for (_, e) in &errors {
        eprintln!("Error: {e:#}");
    }
    Err(anyhow::Error::new(ExitError::new(
        code,
        format!("{last:#}"),
    )))
}

/// The volumes `volume prune` would remove: unused ones matching the filters.
pub fn prune_candidates(store: &Store, filters: &[String]) -> Result<Vec<VolumeRecord>> {
    let filters = VolumeFilters::parse(filters, true)?;
    let in_use: HashSet<String> = volumes_in_use(store)?.into_iter().collect();
    let vols = filters.apply(store, store.volume_list()?)?;
    Ok(vols
        .into_iter()
        .filter(|v| !in_use.contains(&v.name))
        .collect())
}

/// Podman's prompt, listing what would go; false (and nothing asked) if nothing would.
/// No answer (EOF) means no, as `image prune` does.
pub fn confirm_prune(candidates: &[VolumeRecord]) -> Result<bool> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "WARNING! This will remove all volumes not used by at least one container. The following volumes will be removed:"
    )?;
    if candidates.is_empty() {
        writeln!(out, "No dangling volumes found")?;
        return Ok(false);
    }
    for v in candidates {
        writeln!(out, "{}", v.name)?;
    }
    drop(out);
    crate::format::confirm("")
}

/// `volume prune`: remove unused volumes matching the filters, printing their names. The
/// set is computed again here (inside the store namespace), so a volume that came into use
/// since the prompt is kept.
pub fn prune(store: &Store, filters: &[String]) -> Result<()> {
    let users = volume_users(store)?;
    let mut stdout = std::io::stdout().lock();
    for v in prune_candidates(store, filters)? {
        let used = users.get(&v.name).map(Vec::as_slice).unwrap_or(&[]);
        match store.volume_remove(&v.name, false, used) {
            Ok(()) => writeln!(stdout, "{}", v.name)?,
            // Removed by someone else meanwhile, or just came into use: not ours to prune.
            Err(e)
                if matches!(
                    volume_error(&e),
                    Some(VolumeError::NoSuch(_) | VolumeError::InUse { .. })
                ) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_print_like_go() {
        let t = Utc.with_ymd_and_hms(2026, 11, 24, 2, 25, 35).unwrap()
            + chrono::Duration::nanoseconds(875_302_450);
        assert_eq!(go_json_time(&t), "2026-11-24T02:25:35.87530245Z");
        assert_eq!(go_time(&t), "2026-11-24 02:25:35.87530245 +0000 UTC");
        let whole = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        assert_eq!(go_json_time(&whole), "2026-01-02T03:04:05Z");
        assert_eq!(go_time(&whole), "2026-01-02 03:04:05 +0000 UTC");
    }

    #[test]
    fn pairs_parse() {
        let p = parse_pairs(&["a=b".into(), "c".into(), "d=e=f".into(), "a=z".into()]);
        assert_eq!(p["a"], "z");
        assert_eq!(p["c"], "");
        assert_eq!(p["d"], "e=f");
    }
}
