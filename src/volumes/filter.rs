//! `volume ls --filter` and `volume prune --filter`, with Podman's semantics: several values
//! of one key match if any matches, except `label` (all must match); different keys must
//! all match.

use std::collections::HashSet;

use anyhow::{Result, bail};
use chrono::{DateTime, NaiveDate, Utc};

use super::regex::Regex;
use crate::store::Store;
use crate::store::volumes::VolumeRecord;

type LabelFilter = (String, Option<String>);

#[derive(Default)]
pub struct VolumeFilters {
    names: Vec<Regex>,
    labels: Vec<LabelFilter>,
    not_labels: Vec<LabelFilter>,
    drivers: Vec<String>,
    scopes: Vec<String>,
    opts: Vec<LabelFilter>,
    dangling: Vec<bool>,
    anonymous: Vec<bool>,
    until: Vec<DateTime<Utc>>,
    after: Vec<String>,
}

fn key_value(v: &str) -> LabelFilter {
    match v.split_once('=') {
        Some((k, val)) => (k.to_string(), Some(val.to_string())),
        None => (v.to_string(), None),
    }
}

fn parse_bool(key: &str, v: &str) -> Result<bool> {
    match v.to_ascii_lowercase().as_str() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => bail!("{v:?} is not a valid value for the {key:?} filter - must be true or false"),
    }
}

impl VolumeFilters {
    /// Parse `key=value` filters. `prune`: the dangling filter is implied and not accepted.
    pub fn parse(raw: &[String], prune: bool) -> Result<VolumeFilters> {
        let mut f = VolumeFilters::default();
        for r in raw {
            let Some((key, value)) = r.split_once('=') else {
                bail!("filter input must be in the form of filter=value: {r} is invalid");
            };
            match key {
                "name" => f.names.push(Regex::new(value)?),
                "label" => f.labels.push(key_value(value)),
                "label!" => f.not_labels.push(key_value(value)),
                "driver" => f.drivers.push(value.to_string()),
                "scope" => f.scopes.push(value.to_string()),
                "opt" => f.opts.push(key_value(value)),
                "dangling" if !prune => f.dangling.push(parse_bool(key, value)?),
                "anonymous" => f.anonymous.push(parse_bool(key, value)?),
                "until" => f.until.push(parse_until(value)?),
                "after" | "since" => f.after.push(value.to_string()),
                _ => bail!("{key:?} is an invalid volume filter"),
            }
        }
        Ok(f)
    }

    /// The volumes that pass every filter, in their order.
    pub fn apply(&self, store: &Store, vols: Vec<VolumeRecord>) -> Result<Vec<VolumeRecord>> {
        let in_use: HashSet<String> = if self.dangling.is_empty() {
            HashSet::new()
        } else {
            super::volumes_in_use(store)?.into_iter().collect()
        };
        let mut after = Vec::new();
        for name in &self.after {
            after.push(store.volume_get(name)?.created_at);
        }
        Ok(vols
            .into_iter()
            .filter(|v| self.matches(v, &in_use, &after))
            .collect())
    }

    fn matches(&self, v: &VolumeRecord, in_use: &HashSet<String>, after: &[DateTime<Utc>]) -> bool {
        fn any<T>(values: &[T], f: impl Fn(&T) -> bool) -> bool {
            values.is_empty() || values.iter().any(f)
        }
        let has = |(k, want): &LabelFilter| match (v.labels.get(k), want) {
            (Some(have), Some(want)) => have == want,
            (Some(_), None) => true,
            (None, _) => false,
        };
        any(&self.names, |r| r.is_match(&v.name))
            && self.labels.iter().all(has)
            && !self.not_labels.iter().any(has)
            && any(&self.drivers, |d| *d == v.driver)
            && any(&self.scopes, |s| *s == v.scope)
            && any(&self.opts, |(k, want)| match (v.options.get(k), want) {
                (Some(have), Some(want)) => have == want,
                (Some(_), None) => true,
                (None, _) => false,
            })
            && any(&self.dangling, |&d| d != in_use.contains(&v.name))
            && any(&self.anonymous, |&a| a == v.anonymous)
            && any(&self.until, |t| v.created_at < *t)
            && any(after, |t| v.created_at > *t)
    }
}

/// Podman's `until=`: a Go duration before now (`10m`, `1h30m`), a Unix timestamp
/// (`1700000000`, with optional fraction), an RFC 3339 time or a date.
pub fn parse_until(v: &str) -> Result<DateTime<Utc>> {
    if let Some(d) = parse_go_duration(v) {
        return Ok(Utc::now() - d);
    }
    if let Ok(secs) = v.parse::<f64>() {
        let whole = secs.trunc() as i64;
        let nanos = ((secs - secs.trunc()) * 1e9) as u32;
        if let Some(t) = DateTime::from_timestamp(whole, nanos) {
            return Ok(t);
        }
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d")
        && let Some(t) = d.and_hms_opt(0, 0, 0)
    {
        return Ok(t.and_utc());
    }
    bail!("invalid until filter value {v:?}: want a duration, timestamp or RFC 3339 time")
}

/// Go's duration syntax, as a chrono duration (see format::parse_go_duration).
fn parse_go_duration(s: &str) -> Option<chrono::Duration> {
    if s.parse::<f64>().is_ok() {
        return None; // a bare number is a unix time here, not a duration
    }
    crate::format::parse_go_duration(s).and_then(|d| chrono::Duration::from_std(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_errors_are_podmans() {
        let e = |r: &str| {
            VolumeFilters::parse(&[r.to_string()], false)
                .err()
                .unwrap()
                .to_string()
        };
        assert_eq!(e("bogus=1"), "\"bogus\" is an invalid volume filter");
        assert_eq!(
            e("bogus"),
            "filter input must be in the form of filter=value: bogus is invalid"
        );
        assert_eq!(
            e("dangling=maybe"),
            "\"maybe\" is not a valid value for the \"dangling\" filter - must be true or false"
        );
        assert!(VolumeFilters::parse(&["dangling=true".into()], true).is_err());
    }

    #[test]
    fn durations_and_times() {
        assert_eq!(
            parse_go_duration("1h30m"),
            Some(chrono::Duration::minutes(90))
        );
        assert_eq!(
            parse_go_duration("500ms"),
            Some(chrono::Duration::milliseconds(500))
        );
        assert_eq!(parse_go_duration("10"), None);
        assert_eq!(parse_go_duration("1x"), None);
        assert_eq!(parse_until("0").unwrap().timestamp(), 0);
        assert_eq!(
            parse_until("2020-01-02T00:00:00Z").unwrap().timestamp(),
            1_577_923_200
        );
        assert_eq!(
            parse_until("2020-01-02").unwrap().timestamp(),
            1_577_923_200
        );
        assert!(parse_until("1h").unwrap() < Utc::now());
        assert!(parse_until("soon").is_err());
    }
}
