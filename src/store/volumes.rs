//! Named volumes: a data directory bind-mounted into containers, and its record.
//!
//! ```text
//! <root>/volumes/<name>/_data          the data (what containers mount), 0755
//! <root>/volumes/<name>/volume.json    the VolumeRecord
//! ```
//! A volume appears and disappears with one rename of its whole directory: creation stages
//! `_data` and `volume.json` in tmp/ and renames the directory into volumes/ (the rename fails
//! if the name is taken, so two creators cannot both win); removal renames it back into tmp/
//! before deleting the files, so a crash at any point leaves either the whole volume or a
//! temporary that garbage collection removes. No lock is needed for either.
//!
//! Which containers use a volume is the container records' business: callers pass that list
//! to [`Store::volume_remove`].

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Store;
use super::fsutil::{ensure_dir, remove_all, unique_name, write_atomic};

pub const DEFAULT_DRIVER: &str = "local";
const RECORD_FILE: &str = "volume.json";
const DATA_DIR: &str = "_data";

/// The on-disk record of a volume (`volume.json`), in Podman's field names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VolumeRecord {
    pub name: String,
    pub driver: String,
    /// The `_data` directory: what a container mounts.
    pub mountpoint: PathBuf,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub options: BTreeMap<String, String>,
    pub scope: String,
    /// Created for a container's anonymous `-v /path` (removed with the container by `rm -v`).
    #[serde(default)]
    pub anonymous: bool,
    /// Owner of `_data` from `-o o=uid=N,gid=N` (ids as seen inside containers).
    #[serde(rename = "UID", default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<u32>,
    #[serde(rename = "GID", default, skip_serializing_if = "Option::is_none")]
    pub gid: Option<u32>,
    /// The image's files at the mount point are still to be copied in on first mount.
    #[serde(default)]
    pub needs_copy_up: bool,
    /// `_data` is still to be chowned to the container's user on first mount.
    #[serde(default)]
    pub needs_chown: bool,
}

/// Volume failures with Podman's words; callers map them to exit codes
/// (`volume rm`: 1 for NoSuch, 2 for InUse).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeError {
    NoSuch(String),
    Exists(String),
    InUse { name: String, users: Vec<String> },
    InvalidName(String),
}

impl fmt::Display for VolumeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VolumeError::NoSuch(n) => write!(f, "no volume with name {n:?} found: no such volume"),
            VolumeError::Exists(n) => {
                write!(f, "volume with name {n} already exists: volume already exists")
            }
            VolumeError::InUse { name, users } => write!(
                f,
                "volume {name} is being used by the following container(s): {}: volume is being used",
                users.join(", ")
            ),
            VolumeError::InvalidName(_) => f.write_str(
                "running volume create option: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument",
            ),
        }
    }
}

impl std::error::Error for VolumeError {}

/// The `VolumeError` in an error chain, if any.
pub fn volume_error(e: &anyhow::Error) -> Option<&VolumeError> {
    e.chain().find_map(|c| c.downcast_ref::<VolumeError>())
}

/// Podman's rule for volume (and container) names: `[a-zA-Z0-9][a-zA-Z0-9_.-]*`.
pub fn valid_volume_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
}

/// What `-o` options mean for the local driver, parsed as Podman does.
#[derive(Debug, Default)]
struct ParsedOptions {
    options: BTreeMap<String, String>,
    uid: Option<u32>,
    gid: Option<u32>,
    no_copy: bool,
}

fn parse_options(given: &BTreeMap<String, String>) -> Result<ParsedOptions> {
    let mut p = ParsedOptions {
        options: given.clone(),
        ..Default::default()
    };
    let tmpfs = given
        .get("type")
        .is_some_and(|t| t.eq_ignore_ascii_case("tmpfs"));
    for (key, value) in given {
        match key.to_ascii_lowercase().as_str() {
            "o" => {
                for o in value.split(',').filter(|o| !o.is_empty()) {
                    let (k, v) = match o.split_once('=') {
                        Some((k, v)) => (k, Some(v)),
                        None => (o, None),
                    };
                    match k.to_ascii_lowercase().as_str() {
                        "uid" => p.uid = Some(parse_id("UID", v)?),
                        "gid" => p.gid = Some(parse_id("GID", v)?),
                        "nocopy" => p.no_copy = true,
                        "size" | "inodes" if !tmpfs => bail!(
                            "volume options size and inodes not supported. Filesystem does not support Project Quota"
                        ),
                        _ => {}
                    }
                }
            }
            "nocopy" => p.no_copy = true,
            "device" => {
                let bind = given
                    .get("type")
                    .is_some_and(|t| t.eq_ignore_ascii_case("bind"));
                if bind && !Path::new(value).exists() {
                    bail!(
                        "invalid volume option {key} for driver 'local': stat {value}: no such file or directory"
                    );
                }
            }
            "type" | "uid" | "gid" | "size" | "inodes" | "noquota" | "copy" => {}
            _ => bail!("invalid mount option {key} for driver 'local': invalid argument"),
        }
    }
    if let Some(u) = p.uid {
        p.options.insert("UID".into(), u.to_string());
    }
    if let Some(g) = p.gid {
        p.options.insert("GID".into(), g.to_string());
    }
    Ok(p)
}

fn parse_id(what: &str, v: Option<&str>) -> Result<u32> {
    let Some(v) = v else {
        bail!(
            "{} option must provide a {what}: invalid argument",
            what.to_lowercase()
        );
    };
    v.parse().map_err(|_| {
        anyhow::anyhow!(
            "cannot convert {what} {v} to integer: strconv.Atoi: parsing {v:?}: invalid syntax"
        )
    })
}

/// 64 random hex digits, the name of an anonymous volume (as Podman's stringid).
fn random_name() -> Result<String> {
    let mut bytes = [0u8; 32];
    fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .context("reading /dev/urandom")?;
    // Podman avoids all-digit ids (they could be mistaken for numbers); so do we.
    let name = hex::encode(bytes);
    if name.bytes().all(|b| b.is_ascii_digit()) {
        return random_name();
    }
    Ok(name)
}

impl Store {
    pub fn volumes_dir(&self) -> PathBuf {
        self.root().join("volumes")
    }

    fn volume_dir(&self, name: &str) -> PathBuf {
        self.volumes_dir().join(name)
    }

    /// Create a volume. `name: None` picks a random 64-hex name (`anonymous` marks volumes
    /// made for a container's `-v /path`). Labels are `k -> v` (`-l k` is `k -> ""`); options
    /// are `-o k=v` as given (validated like Podman's local driver; `o=uid=N,gid=N` sets the
    /// owner of `_data`, `nocopy` disables copy-up).
    pub fn volume_create(
        &self,
        name: Option<&str>,
        labels: BTreeMap<String, String>,
        options: BTreeMap<String, String>,
        anonymous: bool,
    ) -> Result<VolumeRecord> {
        let name = match name {
            Some(n) if !valid_volume_name(n) => {
                return Err(VolumeError::InvalidName(n.to_string()).into());
            }
            Some(n) => n.to_string(),
            None => random_name()?,
        };
        let parsed = parse_options(&options)?;
        let dest = self.volume_dir(&name);
        if dest.join(RECORD_FILE).exists() {
            return Err(VolumeError::Exists(name).into());
        }
        let rec = VolumeRecord {
            mountpoint: dest.join(DATA_DIR),
            name: name.clone(),
            driver: DEFAULT_DRIVER.to_string(),
            created_at: Utc::now(),
            labels,
            options: parsed.options,
            scope: "local".to_string(),
            anonymous,
            uid: parsed.uid,
            gid: parsed.gid,
            needs_copy_up: !parsed.no_copy,
            needs_chown: parsed.uid.is_none() && parsed.gid.is_none(),
        };
        ensure_dir(&self.volumes_dir())?;
        let staged = self.tmp_dir().join(unique_name("volume"));
        let result = self.stage_volume(&staged, &rec).and_then(|()| {
            rename_into_place(&staged, &dest).map_err(|e| match e.kind() {
                io::ErrorKind::AlreadyExists | io::ErrorKind::DirectoryNotEmpty => {
                    VolumeError::Exists(name.clone()).into()
                }
                _ => anyhow::Error::new(e).context(format!(
                    "creating volume directory {:?}",
                    dest.display().to_string()
                )),
            })
        });
        if result.is_err() {
            let _ = remove_all(&staged);
        }
        result.map(|()| rec)
    }

    fn stage_volume(&self, staged: &Path, rec: &VolumeRecord) -> Result<()> {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        fs::DirBuilder::new()
            .mode(0o700)
            .create(staged)
            .with_context(|| format!("creating {}", staged.display()))?;
        let data = staged.join(DATA_DIR);
        fs::DirBuilder::new()
            .mode(0o755)
            .create(&data)
            .with_context(|| format!("creating {}", data.display()))?;
        // The umask may have narrowed the modes.
        fs::set_permissions(staged, fs::Permissions::from_mode(0o700))?;
        fs::set_permissions(&data, fs::Permissions::from_mode(0o755))?;
        if rec.uid.is_some() || rec.gid.is_some() {
            let uid = rec.uid.map(rustix::fs::Uid::from_raw);
            let gid = rec.gid.map(rustix::fs::Gid::from_raw);
            if let Err(e) = rustix::fs::chown(&data, uid, gid) {
                // With only the user's own id mapped, other owners cannot exist.
                if !self.config().single_id_map {
                    return Err(e).with_context(|| {
                        format!(
                            "chowning volume directory {:?} to {}:{}",
                            data.display().to_string(),
                            rec.uid.unwrap_or(0),
                            rec.gid.unwrap_or(0)
                        )
                    });
                }
            }
        }
        let json = serde_json::to_vec_pretty(rec)?;
        write_atomic(&staged.join(RECORD_FILE), &json)
    }

    /// The volume called `name`; `VolumeError::NoSuch` if there is none.
    pub fn volume_get(&self, name: &str) -> Result<VolumeRecord> {
        if !valid_volume_name(name) {
            return Err(VolumeError::NoSuch(name.to_string()).into());
        }
        let path = self.volume_dir(name).join(RECORD_FILE);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(VolumeError::NoSuch(name.to_string()).into());
            }
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        serde_json::from_slice(&bytes).with_context(|| format!("parsing {}", path.display()))
    }

    pub fn volume_exists(&self, name: &str) -> bool {
        valid_volume_name(name) && self.volume_dir(name).join(RECORD_FILE).is_file()
    }

    /// Every volume, sorted by name. Unreadable records are skipped with a warning.
    pub fn volume_list(&self) -> Result<Vec<VolumeRecord>> {
        let dir = self.volumes_dir();
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
        };
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
            let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                continue;
            };
            match self.volume_get(&name) {
                Ok(rec) => out.push(rec),
                // Removed meanwhile by another process.
                Err(e) if matches!(volume_error(&e), Some(VolumeError::NoSuch(_))) => {}
                Err(e) => log::warn!("skipping volume {name}: {e:#}"),
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// Get the volume, creating it (no labels, no options) if missing: `-v name:/path`.
    pub fn volume_ensure(&self, name: &str) -> Result<VolumeRecord> {
        match self.volume_get(name) {
            Ok(rec) => return Ok(rec),
            Err(e) if matches!(volume_error(&e), Some(VolumeError::NoSuch(_))) => {}
            Err(e) => return Err(e),
        }
        match self.volume_create(Some(name), BTreeMap::new(), BTreeMap::new(), false) {
            // Another process created it first: use theirs.
            Err(e) if matches!(volume_error(&e), Some(VolumeError::Exists(_))) => {
                self.volume_get(name)
            }
            other => other,
        }
    }

    /// Remove a volume and its data. `users` are the containers (ids or names) that use it,
    /// computed by the caller; unless `force`, a used volume is refused with Podman's message
    /// (with `force` the caller is expected to have removed those containers). Rootless, call
    /// this inside the store user namespace so files owned by subordinate ids can be removed.
    pub fn volume_remove(&self, name: &str, force: bool, users: &[String]) -> Result<()> {
        self.volume_get(name)?;
        if !users.is_empty() && !force {
            return Err(VolumeError::InUse {
                name: name.to_string(),
                users: users.to_vec(),
            }
            .into());
        }
        let doomed = self.tmp_dir().join(unique_name("volume-rm"));
        match fs::rename(self.volume_dir(name), &doomed) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(VolumeError::NoSuch(name.to_string()).into());
            }
            Err(e) => return Err(e).with_context(|| format!("removing volume {name}")),
        }
        remove_all(&doomed).with_context(|| format!("removing the data of volume {name}"))
    }

    /// Change a volume's record (e.g. clear `needs_copy_up` after the first mount).
    /// Last writer wins; the record file is replaced atomically.
    pub fn volume_update(
        &self,
        name: &str,
        f: impl FnOnce(&mut VolumeRecord),
    ) -> Result<VolumeRecord> {
        let mut rec = self.volume_get(name)?;
        f(&mut rec);
        let json = serde_json::to_vec_pretty(&rec)?;
        write_atomic(&self.volume_dir(name).join(RECORD_FILE), &json)?;
        Ok(rec)
    }
}

/// rename(2) without replacing: fails with AlreadyExists/DirectoryNotEmpty if `to` exists
/// (renaming a directory onto an empty directory would otherwise replace it).
fn rename_into_place(from: &Path, to: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        Err(rustix::io::Errno::INVAL) | Err(rustix::io::Errno::NOSYS) => {
            // Filesystems without RENAME_NOREPLACE: a non-empty target still fails.
            fs::rename(from, to)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_podman() {
        for ok in ["a", "A1", "a.b-c_d", "0", "a..b"] {
            assert!(valid_volume_name(ok), "{ok}");
        }
        for bad in ["", "-a", ".a", "_a", "a b", "a/b", "é", ".."] {
            assert!(!valid_volume_name(bad), "{bad}");
        }
    }

    #[test]
    fn options_parse_like_podman() {
        let opts = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let p = parse_options(&opts(&[("o", "uid=1000,gid=100")])).unwrap();
        assert_eq!((p.uid, p.gid), (Some(1000), Some(100)));
        assert_eq!(p.options["UID"], "1000");
        assert_eq!(p.options["o"], "uid=1000,gid=100");
        let e = parse_options(&opts(&[("bogus", "1")])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid mount option bogus for driver 'local': invalid argument"
        );
        let e = parse_options(&opts(&[("o", "uid")])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "uid option must provide a UID: invalid argument"
        );
        let e = parse_options(&opts(&[("o", "uid=abc")])).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("cannot convert UID abc to integer")
        );
        assert!(parse_options(&opts(&[("nocopy", "")])).unwrap().no_copy);
        assert!(parse_options(&opts(&[("type", "tmpfs"), ("o", "size=10m")])).is_ok());
        assert!(parse_options(&opts(&[("o", "size=10m")])).is_err());
    }

    #[test]
    fn messages_are_podmans() {
        assert_eq!(
            VolumeError::Exists("foo".into()).to_string(),
            "volume with name foo already exists: volume already exists"
        );
        assert_eq!(
            VolumeError::NoSuch("nope".into()).to_string(),
            "no volume with name \"nope\" found: no such volume"
        );
        assert_eq!(
            VolumeError::InUse {
                name: "v".into(),
                users: vec!["abc".into(), "def".into()]
            }
            .to_string(),
            "volume v is being used by the following container(s): abc, def: volume is being used"
        );
    }

    #[test]
    fn random_names_are_64_hex() {
        let n = random_name().unwrap();
        assert_eq!(n.len(), 64);
        assert!(valid_volume_name(&n));
        assert_ne!(n, random_name().unwrap());
    }
}
