//! registries.conf, version 2 (TOML), as containers-registries.conf(5) and containers/image's
//! `pkg/sysregistriesv2` define it: unqualified-search registries, the short-name mode,
//! short-name aliases, and `[[registry]]` entries (prefix rewriting, mirrors, insecure, blocked).
//!
//! Files, in the order they are merged:
//! - the main file: `$CONTAINERS_REGISTRIES_CONF` if set (it must exist, and nothing else is
//!   read beside it but the alias cache); else the user's `$XDG_CONFIG_HOME/containers/registries.conf`
//!   if it exists, with only the user's `registries.conf.d`; else `/etc/containers/registries.conf`
//!   with `/etc/containers/registries.conf.d` and then the user's `registries.conf.d`;
//! - the drop-ins: `*.conf` in those directories, each directory in name order (Fedora's
//!   `000-shortnames.conf` alias tables arrive this way);
//! - the machine-written alias cache `short-name-aliases.conf` (`$XDG_CACHE_HOME/containers/`
//!   rootless, `/var/cache/containers/` rootful), whose aliases win over all the others.
//!
//! Merging follows containers/image: a later `[[registry]]` replaces an earlier one with the same
//! prefix, a later `unqualified-search-registries` (even `[]`) or `short-name-mode` replaces the
//! earlier value, aliases merge key by key and an alias set to `""` removes an earlier one.
//! The version 1 format (`[registries.search]` ...) is converted in a main file and refused in a
//! drop-in, as containers/image does.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde::Deserialize;

const SYSTEM_CONF: &str = "/etc/containers/registries.conf";
const SYSTEM_CONF_DIR: &str = "/etc/containers/registries.conf.d";
const ROOTFUL_ALIAS_CACHE: &str = "/var/cache/containers/short-name-aliases.conf";

/// How a short name (no registry) may be resolved; the caller implements the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ShortNameMode {
    /// Ask the user to choose among the search registries; fail without a terminal.
    Enforcing,
    /// Ask when there is a terminal, otherwise try the search registries in order.
    #[default]
    Permissive,
    /// Never ask: try the search registries in order.
    Disabled,
}

/// When a mirror may serve a pull.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PullFromMirror {
    #[default]
    All,
    DigestOnly,
    TagOnly,
}

/// One `[[registry.mirror]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorEntry {
    pub location: String,
    pub insecure: bool,
    pub pull_from_mirror: PullFromMirror,
}

/// One `[[registry]]` table, normalised: `prefix` is never empty, `location` is empty only for
/// a wildcard prefix (`*.example.com`), meaning "pull from where the name says".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryEntry {
    pub prefix: String,
    pub location: String,
    pub insecure: bool,
    pub blocked: bool,
    pub mirror_by_digest_only: bool,
    pub mirrors: Vec<MirrorEntry>,
    /// The file this entry came from, for error messages.
    pub origin: String,
}

/// One place to pull an image from, in the order to try them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullSource {
    /// `host[:port]/repo` after prefix rewriting.
    pub name: String,
    pub insecure: bool,
    pub mirror: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Alias {
    /// `None` when a later file reset the alias with `""`.
    value: Option<String>,
    origin: String,
}

/// The merged registries configuration.
#[derive(Debug, Clone, Default)]
pub struct RegistriesConf {
    /// Unique prefixes, sorted (as containers/image keeps them, so the order is stable).
    registries: Vec<RegistryEntry>,
    search: Vec<String>,
    search_set: bool,
    search_origin: String,
    short_name_mode: Option<ShortNameMode>,
    aliases: HashMap<String, Alias>,
}

impl RegistriesConf {
    /// The configuration the user's environment selects (see the module comment).
    pub fn load_default() -> Result<RegistriesConf> {
        let sources = DefaultSources::from_env();
        sources.load()
    }

    /// Merge `main` files (missing ones are skipped) and then the `*.conf` drop-ins of
    /// `dropin_dirs`, each directory in name order.
    pub fn load_files(main: &[PathBuf], dropin_dirs: &[PathBuf]) -> Result<RegistriesConf> {
        let mut conf = RegistriesConf::default();
        for path in main {
            if let Some(file) = load_file(path, Format::V1OrV2)? {
                conf.merge(file);
            }
        }
        for path in dropin_files(dropin_dirs)? {
            if let Some(file) = load_file(&path, Format::V2Only)? {
                conf.merge(file);
            }
        }
        Ok(conf)
    }

    /// Parse one file's text; `origin` names it in errors.
    pub fn parse_str(s: &str, origin: &str) -> Result<RegistriesConf> {
        parse_file(s, origin, Format::V1OrV2)
    }

    /// Merge the `[aliases]` table of a machine-written `short-name-aliases.conf`; its aliases
    /// win over every registries.conf. A missing file is no error.
    pub fn merge_alias_file(&mut self, path: &Path) -> Result<()> {
        #[derive(Deserialize)]
        struct AliasFile {
            #[serde(default)]
            aliases: BTreeMap<String, String>,
        }
        let origin = path.display().to_string();
        let Some(text) = read_optional(path)? else {
            return Ok(());
        };
        let file: AliasFile = toml::from_str(&text).map_err(|e| toml_error(&origin, &text, &e))?;
        let aliases = parse_aliases(file.aliases, &origin).map_err(|e| anyhow!("{origin}: {e}"))?;
        self.aliases.extend(aliases);
        Ok(())
    }

    /// Registries to try, in order, for a short name without an alias.
    pub fn search_registries(&self) -> &[String] {
        &self.search
    }

    /// The file that set `unqualified-search-registries` ("" if none did), for messages like
    /// Podman's "no unqualified-search registries are defined in ...".
    pub fn search_registries_origin(&self) -> &str {
        &self.search_origin
    }

    pub fn short_name_mode(&self) -> ShortNameMode {
        self.short_name_mode.unwrap_or_default()
    }

    /// The fully qualified name (`docker.io/library/busybox`, no tag) a short name is aliased to.
    pub fn alias(&self, short_name: &str) -> Option<&str> {
        self.aliases.get(short_name)?.value.as_deref()
    }

    /// The file that defined (or reset) the alias of `short_name`.
    pub fn alias_origin(&self, short_name: &str) -> Option<&str> {
        self.aliases.get(short_name).map(|a| a.origin.as_str())
    }

    /// The `[[registry]]` entry with the longest prefix matching `name` ("host[:port]/repo/path").
    pub fn registry_for(&self, name: &str) -> Option<&RegistryEntry> {
        self.registry_match(name).map(|(entry, _)| entry)
    }

    /// Where to pull `name` (a fully qualified "host/repo" without tag/digest) from, in order:
    /// mirrors (honouring pull-from-mirror and mirror-by-digest-only for `by_digest`), then the
    /// primary location (rewritten by `location`). Error if the registry is blocked.
    pub fn pull_sources(&self, name: &str, by_digest: bool) -> Result<Vec<PullSource>> {
        let Some((entry, matched)) = self.registry_match(name) else {
            return Ok(vec![PullSource {
                name: name.to_string(),
                insecure: false,
                mirror: false,
            }]);
        };
        if entry.blocked {
            bail!(
                "registry {} is blocked in {} (pulling {name})",
                entry.prefix,
                entry.origin
            );
        }
        let rest = &name[matched..];
        let mut sources: Vec<PullSource> = entry
            .mirrors
            .iter()
            .filter(|m| mirror_serves(entry, m, by_digest))
            .map(|m| PullSource {
                name: format!("{}{rest}", m.location),
                insecure: m.insecure,
                mirror: true,
            })
            .collect();
        let primary = if entry.location.is_empty() {
            name.to_string()
        } else {
            format!("{}{rest}", entry.location)
        };
        sources.push(PullSource {
            name: primary,
            insecure: entry.insecure,
            mirror: false,
        });
        Ok(sources)
    }

    /// Whether plain http / unverified TLS is allowed for `host[:port]`: the entry matching the
    /// host says `insecure = true`, or an insecure registry location or mirror lives on it (so a
    /// pull source from `pull_sources` and this answer agree).
    pub fn is_insecure(&self, host: &str) -> bool {
        if self.registry_for(host).is_some_and(|r| r.insecure) {
            return true;
        }
        self.registries.iter().any(|r| {
            (r.insecure && host_of(&r.location) == host)
                || r.mirrors
                    .iter()
                    .any(|m| m.insecure && host_of(&m.location) == host)
        })
    }

    pub fn is_blocked(&self, name: &str) -> bool {
        self.registry_for(name).is_some_and(|r| r.blocked)
    }

    /// The best entry and how many bytes of `name` its prefix matched.
    fn registry_match(&self, name: &str) -> Option<(&RegistryEntry, usize)> {
        let mut best: Option<(&RegistryEntry, usize)> = None;
        for entry in &self.registries {
            let Some(matched) = prefix_match(name, &entry.prefix) else {
                continue;
            };
            // Longest prefix wins, compared as containers/image does: by the prefix's length.
            if best.is_none_or(|(b, _)| entry.prefix.len() > b.prefix.len()) {
                best = Some((entry, matched));
            }
        }
        best
    }

    /// Lay `later` over `self`, as a drop-in over the files before it.
    fn merge(&mut self, later: RegistriesConf) {
        let mut by_prefix: BTreeMap<String, RegistryEntry> = std::mem::take(&mut self.registries)
            .into_iter()
            .map(|r| (r.prefix.clone(), r))
            .collect();
        for r in later.registries {
            by_prefix.insert(r.prefix.clone(), r);
        }
        self.registries = by_prefix.into_values().collect();
        if later.search_set {
            self.search = later.search;
            self.search_set = true;
            self.search_origin = later.search_origin;
        }
        if later.short_name_mode.is_some() {
            self.short_name_mode = later.short_name_mode;
        }
        self.aliases.extend(later.aliases);
    }
}

fn mirror_serves(entry: &RegistryEntry, mirror: &MirrorEntry, by_digest: bool) -> bool {
    if entry.mirror_by_digest_only {
        return by_digest;
    }
    match mirror.pull_from_mirror {
        PullFromMirror::All => true,
        PullFromMirror::DigestOnly => by_digest,
        PullFromMirror::TagOnly => !by_digest,
    }
}

/// How many bytes of `name` `prefix` matches, if it does. A plain prefix matches whole path
/// components only (so `example.com` matches neither `example.com:5000` nor `example.comx`:
/// containers/image lets the port case through by accident and asks nobody to rely on it);
/// `*.example.com` matches any subdomain of example.com, with any port, and nothing else.
fn prefix_match(name: &str, prefix: &str) -> Option<usize> {
    if let Some(domain) = prefix.strip_prefix('*') {
        let host_port = name.split('/').next().unwrap_or(name);
        let host = host_port.split(':').next().unwrap_or(host_port);
        let matches = host.len() > domain.len() && host.ends_with(domain);
        return matches.then_some(host.len());
    }
    let rest = name.strip_prefix(prefix)?;
    let boundary = match rest.chars().next() {
        None | Some('/') | Some('@') => true,
        // A ':' after a path component starts a tag; after a bare host it is a port.
        Some(':') => prefix.contains('/'),
        Some(_) => false,
    };
    boundary.then_some(prefix.len())
}

/// The `host[:port]` part of a location.
fn host_of(location: &str) -> &str {
    location.split('/').next().unwrap_or(location)
}

/// The main file may be in either format; drop-ins must be version 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    V1OrV2,
    V2Only,
}

/// The selection the environment makes, computed apart from reading so tests can check it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DefaultSources {
    main: PathBuf,
    /// Set by `$CONTAINERS_REGISTRIES_CONF`: then the file must exist.
    main_required: bool,
    dropin_dirs: Vec<PathBuf>,
    alias_file: PathBuf,
}

impl DefaultSources {
    fn from_env() -> DefaultSources {
        let home = home_dir();
        let config_home = env_path("XDG_CONFIG_HOME").unwrap_or_else(|| home.join(".config"));
        let alias_file = if crate::sys::userns::is_rootless() {
            let cache_home = env_path("XDG_CACHE_HOME").unwrap_or_else(|| home.join(".cache"));
            cache_home.join("containers/short-name-aliases.conf")
        } else {
            PathBuf::from(ROOTFUL_ALIAS_CACHE)
        };
        DefaultSources::select(
            env_path("CONTAINERS_REGISTRIES_CONF"),
            &config_home.join("containers"),
            alias_file,
        )
    }

    fn select(env_conf: Option<PathBuf>, user_dir: &Path, alias_file: PathBuf) -> DefaultSources {
        if let Some(main) = env_conf {
            return DefaultSources {
                main,
                main_required: true,
                dropin_dirs: Vec::new(),
                alias_file,
            };
        }
        let user_conf = user_dir.join("registries.conf");
        let user_dropins = user_dir.join("registries.conf.d");
        if user_conf.exists() {
            return DefaultSources {
                main: user_conf,
                main_required: false,
                dropin_dirs: vec![user_dropins],
                alias_file,
            };
        }
        DefaultSources {
            main: PathBuf::from(SYSTEM_CONF),
            main_required: false,
            dropin_dirs: vec![PathBuf::from(SYSTEM_CONF_DIR), user_dropins],
            alias_file,
        }
    }

    fn load(&self) -> Result<RegistriesConf> {
        if self.main_required && !self.main.exists() {
            bail!(
                "{}: no such file (named by $CONTAINERS_REGISTRIES_CONF)",
                self.main.display()
            );
        }
        let mut conf =
            RegistriesConf::load_files(std::slice::from_ref(&self.main), &self.dropin_dirs)?;
        conf.merge_alias_file(&self.alias_file)?;
        Ok(conf)
    }
}

/// A non-empty environment variable as a path. Shared with credentials.rs and certs.rs.
pub(super) fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// `$HOME`, or `/` when unset (as a service account may have it).
pub(super) fn home_dir() -> PathBuf {
    env_path("HOME").unwrap_or_else(|| PathBuf::from("/"))
}

/// A file's text, or `None` if it does not exist.
fn read_optional(path: &Path) -> Result<Option<String>> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

fn load_file(path: &Path, format: Format) -> Result<Option<RegistriesConf>> {
    log::debug!("loading registries configuration {}", path.display());
    let Some(text) = read_optional(path)? else {
        return Ok(None);
    };
    parse_file(&text, &path.display().to_string(), format).map(Some)
}

/// The `*.conf` files of each directory (not recursing), each directory in name order.
fn dropin_files(dirs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for dir in dirs {
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
        };
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            let name = entry.file_name();
            if !is_dir && name.to_string_lossy().ends_with(".conf") {
                names.push(name);
            }
        }
        names.sort();
        files.extend(names.into_iter().map(|n| dir.join(n)));
    }
    Ok(files)
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawFile {
    unqualified_search_registries: Option<Vec<String>>,
    short_name_mode: Option<String>,
    #[serde(default)]
    registry: Vec<RawRegistry>,
    #[serde(default)]
    aliases: BTreeMap<String, String>,
    /// The version 1 format: `[registries.search]`, `[registries.insecure]`, `[registries.block]`.
    registries: Option<RawV1>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawRegistry {
    prefix: Option<String>,
    location: Option<String>,
    #[serde(default)]
    insecure: bool,
    #[serde(default)]
    blocked: bool,
    #[serde(default)]
    mirror_by_digest_only: bool,
    #[serde(default)]
    mirror: Vec<RawMirror>,
    pull_from_mirror: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawMirror {
    location: Option<String>,
    #[serde(default)]
    insecure: bool,
    pull_from_mirror: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct RawV1 {
    #[serde(default)]
    search: RawV1List,
    #[serde(default)]
    insecure: RawV1List,
    #[serde(default)]
    block: RawV1List,
}

#[derive(Debug, Default, Deserialize)]
struct RawV1List {
    #[serde(default)]
    registries: Vec<String>,
}

impl RawV1 {
    fn is_empty(&self) -> bool {
        self.search.registries.is_empty()
            && self.insecure.registries.is_empty()
            && self.block.registries.is_empty()
    }
}

impl RawFile {
    /// Whether any version 2 setting is present (empty lists count as absent, as upstream).
    fn has_v2_settings(&self) -> bool {
        self.unqualified_search_registries
            .as_ref()
            .is_some_and(|s| !s.is_empty())
            || self.short_name_mode.as_ref().is_some_and(|m| !m.is_empty())
            || !self.registry.is_empty()
            || !self.aliases.is_empty()
    }
}

fn parse_file(text: &str, origin: &str, format: Format) -> Result<RegistriesConf> {
    let mut raw: RawFile = toml::from_str(text).map_err(|e| toml_error(origin, text, &e))?;
    if let Some(v1) = raw.registries.take() {
        if format == Format::V2Only {
            bail!("{origin}: drop-in files must use the version 2 format, not [registries.*]");
        }
        if !v1.is_empty() {
            if raw.has_v2_settings() {
                bail!(
                    "{origin}: mixing the version 1 ([registries.*]) and version 2 formats is not supported"
                );
            }
            raw = convert_v1(v1);
        }
    }
    build(raw, origin).map_err(|e| anyhow!("{origin}: {e:#}"))
}

/// Version 1 lists become version 2 entries: blocked and insecure registries as entries with
/// prefix = location, the search list as `unqualified-search-registries`.
fn convert_v1(v1: RawV1) -> RawFile {
    let mut registry: Vec<RawRegistry> = Vec::new();
    let mut mark = |location: &str, set: fn(&mut RawRegistry)| {
        let location = location.trim_end_matches('/');
        let index = match registry
            .iter()
            .position(|r| r.location.as_deref() == Some(location))
        {
            Some(i) => i,
            None => {
                registry.push(RawRegistry {
                    location: Some(location.to_string()),
                    ..RawRegistry::default()
                });
                registry.len() - 1
            }
        };
        set(&mut registry[index]);
    };
    for location in &v1.block.registries {
        mark(location, |r| r.blocked = true);
    }
    for location in &v1.insecure.registries {
        mark(location, |r| r.insecure = true);
    }
    RawFile {
        unqualified_search_registries: Some(v1.search.registries),
        registry,
        ..RawFile::default()
    }
}

fn build(raw: RawFile, origin: &str) -> Result<RegistriesConf> {
    let mut registries: BTreeMap<String, RegistryEntry> = BTreeMap::new();
    for r in raw.registry {
        let entry = build_registry(r, origin)?;
        // The first of several entries with one prefix wins; later ones could never match.
        registries.entry(entry.prefix.clone()).or_insert(entry);
    }
    check_conflicts(registries.values())?;
    let search_set = raw.unqualified_search_registries.is_some();
    let search = raw
        .unqualified_search_registries
        .unwrap_or_default()
        .iter()
        .map(|s| parse_search_registry(s))
        .collect::<Result<Vec<_>>>()?;
    let short_name_mode = match raw.short_name_mode.as_deref() {
        None | Some("") => None,
        Some(mode) => Some(parse_short_name_mode(mode)?),
    };
    Ok(RegistriesConf {
        registries: registries.into_values().collect(),
        search,
        search_set,
        search_origin: if search_set {
            origin.to_string()
        } else {
            String::new()
        },
        short_name_mode,
        aliases: parse_aliases(raw.aliases, origin)?,
    })
}

fn build_registry(r: RawRegistry, origin: &str) -> Result<RegistryEntry> {
    let location = parse_location(r.location.as_deref().unwrap_or(""))?;
    let prefix = match r.prefix.as_deref() {
        None | Some("") if location.is_empty() => {
            bail!("a [[registry]] has neither location nor prefix")
        }
        None | Some("") => location.clone(),
        Some(p) => parse_location(p)?,
    };
    let wildcard = prefix.starts_with("*.");
    if wildcard && prefix.contains(['/', '@', ':']) {
        bail!("wildcard prefix {prefix:?} must have the form *.example.com");
    }
    if !wildcard && (prefix.contains('*') || location.is_empty()) {
        bail!(
            "[[registry]] prefix {prefix:?}: location is required unless the prefix has the form *.example.com"
        );
    }
    if r.pull_from_mirror.as_deref().is_some_and(|p| !p.is_empty()) {
        bail!("pull-from-mirror must not be set for the non-mirror registry {prefix:?}");
    }
    let mirrors = r
        .mirror
        .into_iter()
        .map(|m| build_mirror(m, &prefix, r.mirror_by_digest_only))
        .collect::<Result<Vec<_>>>()?;
    Ok(RegistryEntry {
        prefix,
        location,
        insecure: r.insecure,
        blocked: r.blocked,
        mirror_by_digest_only: r.mirror_by_digest_only,
        mirrors,
        origin: origin.to_string(),
    })
}

fn build_mirror(m: RawMirror, prefix: &str, by_digest_only: bool) -> Result<MirrorEntry> {
    let location = parse_location(m.location.as_deref().unwrap_or(""))?;
    if location.is_empty() {
        bail!("a mirror of registry {prefix:?} has no location");
    }
    let pull_from_mirror = match m.pull_from_mirror.as_deref() {
        None | Some("") => None,
        Some("all") => Some(PullFromMirror::All),
        Some("digest-only") => Some(PullFromMirror::DigestOnly),
        Some("tag-only") => Some(PullFromMirror::TagOnly),
        Some(other) => bail!(
            "unsupported pull-from-mirror value {other:?} for mirror {location:?} (all, digest-only or tag-only)"
        ),
    };
    if by_digest_only && pull_from_mirror.is_some() {
        bail!(
            "registry {prefix:?} sets mirror-by-digest-only and its mirror {location:?} sets pull-from-mirror: use one of them"
        );
    }
    Ok(MirrorEntry {
        location,
        insecure: m.insecure,
        pull_from_mirror: pull_from_mirror.unwrap_or_default(),
    })
}

/// Entries for one location must agree on insecure and blocked (upstream refuses them too).
fn check_conflicts<'a>(entries: impl Iterator<Item = &'a RegistryEntry>) -> Result<()> {
    let mut seen: HashMap<&str, (bool, bool)> = HashMap::new();
    for e in entries {
        let key = if e.location.is_empty() {
            e.prefix.as_str()
        } else {
            e.location.as_str()
        };
        let Some(&(insecure, blocked)) = seen.get(key) else {
            seen.insert(key, (e.insecure, e.blocked));
            continue;
        };
        if insecure != e.insecure {
            bail!(
                "registry {key:?} is defined multiple times with conflicting 'insecure' settings"
            );
        }
        if blocked != e.blocked {
            bail!("registry {key:?} is defined multiple times with conflicting 'blocked' settings");
        }
    }
    Ok(())
}

/// A location or prefix without trailing slashes; URL schemes are refused.
fn parse_location(input: &str) -> Result<String> {
    let trimmed = input.trim_end_matches('/');
    if trimmed.starts_with("http://") || trimmed.starts_with("https://") {
        bail!("invalid location {input:?}: URI schemes are not supported");
    }
    Ok(trimmed.to_string())
}

/// An `unqualified-search-registries` entry must be a bare `host[:port]`.
fn parse_search_registry(input: &str) -> Result<String> {
    let host = parse_location(input)?;
    let valid = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '_' | '[' | ']'));
    if !valid {
        bail!("invalid unqualified-search-registries entry {input:?}: expected host[:port]");
    }
    Ok(host)
}

fn parse_short_name_mode(mode: &str) -> Result<ShortNameMode> {
    match mode {
        "enforcing" => Ok(ShortNameMode::Enforcing),
        "permissive" => Ok(ShortNameMode::Permissive),
        "disabled" => Ok(ShortNameMode::Disabled),
        _ => bail!("invalid short-name-mode {mode:?} (enforcing, permissive or disabled)"),
    }
}

fn parse_aliases(raw: BTreeMap<String, String>, origin: &str) -> Result<HashMap<String, Alias>> {
    let mut aliases = HashMap::new();
    for (name, value) in raw {
        validate_short_name(&name).map_err(|e| anyhow!("[aliases] {e}"))?;
        let value = if value.is_empty() {
            None
        } else {
            let qualified =
                normalize_alias_value(&value).map_err(|e| anyhow!("[aliases] {name:?}: {e}"))?;
            Some(qualified)
        };
        let origin = origin.to_string();
        aliases.insert(name, Alias { value, origin });
    }
    Ok(aliases)
}

/// Split "host/rest" when the first component is a registry host, as the reference grammar
/// decides: it contains '.' or ':' or is "localhost".
fn split_domain(name: &str) -> Option<(&str, &str)> {
    let (first, rest) = name.split_once('/')?;
    let is_domain = first.contains(['.', ':']) || first == "localhost";
    is_domain.then_some((first, rest))
}

fn check_no_tag_or_digest(name: &str) -> std::result::Result<(), String> {
    if name.contains('@') {
        return Err(format!("{name:?} must not contain a digest"));
    }
    let last = name.rsplit('/').next().unwrap_or(name);
    if last.contains(':') {
        return Err(format!("{name:?} must not contain a tag"));
    }
    Ok(())
}

/// The left side of an alias: a repository without registry, tag or digest.
fn validate_short_name(name: &str) -> std::result::Result<(), String> {
    if name.is_empty() {
        return Err("empty short name".to_string());
    }
    if split_domain(name).is_some() {
        return Err(format!("short name {name:?} must not contain a registry"));
    }
    check_no_tag_or_digest(name).map_err(|e| format!("short name {e}"))
}

/// The right side of an alias: registry and repository, no tag or digest, with Docker Hub's
/// implicit `library/` made explicit (`docker.io/alpine` -> `docker.io/library/alpine`).
fn normalize_alias_value(value: &str) -> std::result::Result<String, String> {
    let Some((domain, path)) = split_domain(value) else {
        return Err(format!(
            "{value:?} must contain a registry and a repository"
        ));
    };
    if path.is_empty() || path.split('/').any(str::is_empty) {
        return Err(format!("{value:?} is not a valid repository name"));
    }
    check_no_tag_or_digest(path).map_err(|_| {
        format!("{value:?} must not contain a tag or digest (an alias names a repository)")
    })?;
    if path.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(format!("{value:?}: repository names must be lowercase"));
    }
    let domain = if domain == "index.docker.io" {
        "docker.io"
    } else {
        domain
    };
    if domain == "docker.io" && !path.contains('/') {
        return Ok(format!("docker.io/library/{path}"));
    }
    Ok(format!("{domain}/{path}"))
}

/// One line: "file:line: message".
fn toml_error(origin: &str, text: &str, e: &toml::de::Error) -> anyhow::Error {
    let message = e.message().replace('\n', " ");
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            anyhow!("{origin}:{line}: {message}")
        }
        None => anyhow!("{origin}: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> RegistriesConf {
        RegistriesConf::parse_str(s, "test.conf").unwrap()
    }

    fn parse_err(s: &str) -> String {
        format!(
            "{:#}",
            RegistriesConf::parse_str(s, "test.conf").unwrap_err()
        )
    }

    fn names(sources: &[PullSource]) -> Vec<&str> {
        sources.iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn empty_config_has_defaults() {
        let c = parse("");
        assert!(c.search_registries().is_empty());
        assert_eq!(c.short_name_mode(), ShortNameMode::Permissive);
        assert_eq!(c.alias("busybox"), None);
        assert_eq!(c.registry_for("docker.io/library/busybox"), None);
        let s = c.pull_sources("docker.io/library/busybox", false).unwrap();
        assert_eq!(
            s,
            vec![PullSource {
                name: "docker.io/library/busybox".into(),
                insecure: false,
                mirror: false
            }]
        );
    }

    #[test]
    fn global_settings() {
        let c = parse(
            r#"
unqualified-search-registries = ["registry.fedoraproject.org", "docker.io/", "localhost:5000"]
short-name-mode = "enforcing"
[aliases]
"busybox" = "docker.io/busybox"
"fedora" = "registry.fedoraproject.org/fedora"
"ns/tool" = "quay.io/ns/tool"
"#,
        );
        assert_eq!(
            c.search_registries(),
            ["registry.fedoraproject.org", "docker.io", "localhost:5000"]
        );
        assert_eq!(c.search_registries_origin(), "test.conf");
        assert_eq!(c.short_name_mode(), ShortNameMode::Enforcing);
        assert_eq!(c.alias("busybox"), Some("docker.io/library/busybox"));
        assert_eq!(c.alias("fedora"), Some("registry.fedoraproject.org/fedora"));
        assert_eq!(c.alias("ns/tool"), Some("quay.io/ns/tool"));
        assert_eq!(c.alias_origin("fedora"), Some("test.conf"));
    }

    #[test]
    fn bad_global_values_are_refused() {
        assert!(parse_err(r#"short-name-mode = "prompt""#).contains("invalid short-name-mode"));
        assert!(
            parse_err(r#"unqualified-search-registries = ["docker.io/library"]"#)
                .contains("expected host[:port]")
        );
        assert!(
            parse_err(r#"unqualified-search-registries = ["https://docker.io"]"#)
                .contains("URI schemes")
        );
        assert!(parse_err("[aliases]\n\"docker.io/x\" = \"docker.io/x\"").contains("registry"));
        assert!(parse_err("[aliases]\n\"x:1\" = \"docker.io/x\"").contains("tag"));
        assert!(parse_err("[aliases]\n\"x\" = \"x\"").contains("registry and a repository"));
        assert!(parse_err("[aliases]\n\"x\" = \"quay.io/x:1\"").contains("tag or digest"));
        assert!(parse_err("[aliases]\n\"x\" = \"quay.io/x@sha256:ab\"").contains("digest"));
    }

    #[test]
    fn toml_errors_name_file_and_line() {
        let e = parse_err("unqualified-search-registries = [\"a\"]\n\n[[registry]\nprefix = 1\n");
        assert!(e.starts_with("test.conf:3: "), "{e}");
        assert!(!e.contains('\n'), "{e}");
        let e = parse_err("[[registry]]\nlocation = \"a.io\"\ninsecure = \"yes\"\n");
        assert!(e.starts_with("test.conf:3: "), "{e}");
    }

    #[test]
    fn longest_prefix_on_component_boundaries() {
        let c = parse(
            r#"
[[registry]]
location = "example.com"
insecure = true
[[registry]]
prefix = "example.com/foo"
location = "internal.example.com/mirror/foo"
[[registry]]
prefix = "example.com/foo/bar"
location = "other.example.com/bar"
"#,
        );
        let prefix = |n: &str| c.registry_for(n).map(|r| r.prefix.as_str());
        assert_eq!(prefix("example.com/x"), Some("example.com"));
        assert_eq!(prefix("example.com"), Some("example.com"));
        assert_eq!(prefix("example.com/foo"), Some("example.com/foo"));
        assert_eq!(prefix("example.com/foo/baz"), Some("example.com/foo"));
        assert_eq!(prefix("example.com/foobar"), Some("example.com"));
        assert_eq!(prefix("example.com/foo/bar/x"), Some("example.com/foo/bar"));
        assert_eq!(prefix("example.company/x"), None);
        assert_eq!(prefix("example.com:5000/x"), None);
        let s = c.pull_sources("example.com/foo/app", false).unwrap();
        assert_eq!(names(&s), ["internal.example.com/mirror/foo/app"]);
        let s = c.pull_sources("example.com/foo/bar/x", false).unwrap();
        assert_eq!(names(&s), ["other.example.com/bar/x"]);
    }

    #[test]
    fn wildcard_prefixes() {
        let c = parse(
            r#"
[[registry]]
prefix = "*.example.com"
blocked = true
[[registry]]
prefix = "*.internal.example.com"
location = "proxy.local/internal"
[[registry]]
prefix = "good.internal.example.com"
location = "good.internal.example.com"
"#,
        );
        assert!(c.is_blocked("a.example.com/x"));
        assert!(c.is_blocked("a.b.example.com:5000/x"));
        assert!(!c.is_blocked("example.com/x"));
        assert!(!c.is_blocked("notexample.com/x"));
        assert!(!c.is_blocked("docker.io/a.example.com"));
        let err = c.pull_sources("a.example.com/x", false).unwrap_err();
        assert!(
            format!("{err}").contains("is blocked in test.conf"),
            "{err}"
        );
        let s = c.pull_sources("x.internal.example.com/app", false).unwrap();
        assert_eq!(names(&s), ["proxy.local/internal/app"]);
        let s = c
            .pull_sources("x.internal.example.com:5000/app", false)
            .unwrap();
        assert_eq!(names(&s), ["proxy.local/internal:5000/app"]);
        let s = c
            .pull_sources("good.internal.example.com/app", false)
            .unwrap();
        assert_eq!(names(&s), ["good.internal.example.com/app"]);
    }

    #[test]
    fn wildcard_without_location_pulls_from_the_name() {
        let c = parse("[[registry]]\nprefix = \"*.example.com\"\ninsecure = true\n");
        let s = c.pull_sources("a.example.com/x", false).unwrap();
        assert_eq!(
            s,
            vec![PullSource {
                name: "a.example.com/x".into(),
                insecure: true,
                mirror: false
            }]
        );
        assert!(c.is_insecure("a.example.com"));
        assert!(!c.is_insecure("example.com"));
    }

    #[test]
    fn mirrors_in_order_then_primary() {
        let c = parse(
            r#"
[[registry]]
prefix = "docker.io"
location = "docker.io"
[[registry.mirror]]
location = "mirror-a.local:5000/hub"
insecure = true
[[registry.mirror]]
location = "mirror-b.local"
pull-from-mirror = "digest-only"
[[registry.mirror]]
location = "mirror-c.local"
pull-from-mirror = "tag-only"
[[registry.mirror]]
location = "mirror-d.local"
pull-from-mirror = "all"
"#,
        );
        let by_tag = c.pull_sources("docker.io/library/alpine", false).unwrap();
        assert_eq!(
            names(&by_tag),
            [
                "mirror-a.local:5000/hub/library/alpine",
                "mirror-c.local/library/alpine",
                "mirror-d.local/library/alpine",
                "docker.io/library/alpine"
            ]
        );
        assert!(by_tag[0].insecure && by_tag[0].mirror);
        assert!(!by_tag[3].mirror && !by_tag[3].insecure);
        let by_digest = c.pull_sources("docker.io/library/alpine", true).unwrap();
        assert_eq!(
            names(&by_digest),
            [
                "mirror-a.local:5000/hub/library/alpine",
                "mirror-b.local/library/alpine",
                "mirror-d.local/library/alpine",
                "docker.io/library/alpine"
            ]
        );
        assert!(c.is_insecure("mirror-a.local:5000"));
        assert!(!c.is_insecure("mirror-b.local"));
        assert!(!c.is_insecure("docker.io"));
    }

    #[test]
    fn mirror_by_digest_only() {
        let c = parse(
            r#"
[[registry]]
location = "quay.io"
mirror-by-digest-only = true
[[registry.mirror]]
location = "mirror.local/quay"
"#,
        );
        let s = c.pull_sources("quay.io/a/b", false).unwrap();
        assert_eq!(names(&s), ["quay.io/a/b"]);
        let s = c.pull_sources("quay.io/a/b", true).unwrap();
        assert_eq!(names(&s), ["mirror.local/quay/a/b", "quay.io/a/b"]);
    }

    #[test]
    fn bad_registry_tables_are_refused() {
        let cases = [
            (
                "[[registry]]\ninsecure = true",
                "neither location nor prefix",
            ),
            ("[[registry]]\nprefix = \"a.io\"", "location is required"),
            ("[[registry]]\nlocation = \"https://a.io\"", "URI schemes"),
            (
                "[[registry]]\nprefix = \"*.a.io/ns\"\nlocation = \"b.io\"",
                "*.example.com",
            ),
            (
                "[[registry]]\nlocation = \"a.io\"\npull-from-mirror = \"all\"",
                "non-mirror",
            ),
            (
                "[[registry]]\nlocation = \"a.io\"\n[[registry.mirror]]\ninsecure = true",
                "no location",
            ),
            (
                "[[registry]]\nlocation = \"a.io\"\n[[registry.mirror]]\nlocation = \"m.io\"\npull-from-mirror = \"sometimes\"",
                "unsupported pull-from-mirror",
            ),
            (
                "[[registry]]\nlocation = \"a.io\"\nmirror-by-digest-only = true\n[[registry.mirror]]\nlocation = \"m.io\"\npull-from-mirror = \"all\"",
                "use one of them",
            ),
            (
                "[[registry]]\nlocation = \"a.io\"\n[[registry]]\nprefix = \"b.io\"\nlocation = \"a.io\"\ninsecure = true",
                "conflicting 'insecure'",
            ),
        ];
        for (text, want) in cases {
            let e = parse_err(text);
            assert!(e.contains(want), "{text:?}: {e}");
            assert!(e.starts_with("test.conf"), "{e}");
        }
    }

    #[test]
    fn duplicate_prefix_in_one_file_keeps_the_first() {
        let c = parse(
            "[[registry]]\nprefix = \"a.io\"\nlocation = \"one.io\"\n[[registry]]\nprefix = \"a.io\"\nlocation = \"two.io\"\n",
        );
        assert_eq!(c.registry_for("a.io/x").unwrap().location, "one.io");
    }

    #[test]
    fn v1_format_is_converted() {
        let c = parse(
            r#"
[registries.search]
registries = ["docker.io", "quay.io"]
[registries.insecure]
registries = ["localhost:5000"]
[registries.block]
registries = ["bad.io"]
"#,
        );
        assert_eq!(c.search_registries(), ["docker.io", "quay.io"]);
        assert!(c.is_insecure("localhost:5000"));
        assert!(c.is_blocked("bad.io/x"));
        assert!(!c.is_blocked("quay.io/x"));
        let e = parse_err(
            "unqualified-search-registries = [\"a.io\"]\n[registries.search]\nregistries = [\"b.io\"]\n",
        );
        assert!(e.contains("mixing"), "{e}");
    }

    fn write(path: &Path, text: &str) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    #[test]
    fn dropins_merge_in_order() {
        let tmp = tempfile::tempdir().unwrap();
        let main = tmp.path().join("registries.conf");
        let sys_d = tmp.path().join("sys.d");
        let user_d = tmp.path().join("user.d");
        write(
            &main,
            r#"
unqualified-search-registries = ["a.io"]
short-name-mode = "enforcing"
[aliases]
"one" = "a.io/one"
"two" = "a.io/two"
[[registry]]
location = "a.io"
[[registry]]
location = "b.io"
blocked = true
"#,
        );
        // Sorted by name: 00 before 10; the user directory after the system one.
        write(
            &sys_d.join("10-later.conf"),
            "unqualified-search-registries = []\n",
        );
        write(
            &sys_d.join("00-first.conf"),
            "unqualified-search-registries = [\"b.io\"]\n[aliases]\n\"two\" = \"\"\n",
        );
        write(&sys_d.join("ignored.txt"), "this is not toml = = =\n");
        write(
            &user_d.join("50-user.conf"),
            "[[registry]]\nlocation = \"b.io\"\n[aliases]\n\"three\" = \"c.io/three\"\n",
        );
        fs::create_dir_all(sys_d.join("sub.conf")).unwrap();
        let c = RegistriesConf::load_files(&[main], &[sys_d.clone(), user_d.clone()]).unwrap();
        assert!(c.search_registries().is_empty());
        assert!(c.search_registries_origin().ends_with("10-later.conf"));
        assert_eq!(c.short_name_mode(), ShortNameMode::Enforcing);
        assert_eq!(c.alias("one"), Some("a.io/one"));
        assert_eq!(c.alias("two"), None);
        assert_eq!(c.alias("three"), Some("c.io/three"));
        assert!(
            !c.is_blocked("b.io/x"),
            "user drop-in replaced the b.io entry"
        );
        assert!(c.registry_for("a.io/x").is_some());
    }

    #[test]
    fn missing_files_are_an_empty_config() {
        let tmp = tempfile::tempdir().unwrap();
        let c = RegistriesConf::load_files(
            &[tmp.path().join("none.conf")],
            &[tmp.path().join("none.d")],
        )
        .unwrap();
        assert!(c.search_registries().is_empty());
    }

    #[test]
    fn malformed_dropin_names_the_file() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path().join("d");
        write(&d.join("bad.conf"), "\n[aliases\n");
        let e = RegistriesConf::load_files(&[], std::slice::from_ref(&d)).unwrap_err();
        let e = format!("{e:#}");
        assert!(e.contains("bad.conf:2: "), "{e}");
        write(
            &d.join("bad.conf"),
            "[registries.search]\nregistries = []\n",
        );
        let e = format!("{:#}", RegistriesConf::load_files(&[], &[d]).unwrap_err());
        assert!(e.contains("version 2"), "{e}");
    }

    #[test]
    fn alias_cache_wins() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = tmp.path().join("short-name-aliases.conf");
        write(&cache, "[aliases]\n\"one\" = \"cache.io/one\"\n");
        let mut c = parse("[aliases]\n\"one\" = \"a.io/one\"\n\"two\" = \"a.io/two\"\n");
        c.merge_alias_file(&cache).unwrap();
        c.merge_alias_file(&tmp.path().join("missing.conf"))
            .unwrap();
        assert_eq!(c.alias("one"), Some("cache.io/one"));
        assert_eq!(c.alias("two"), Some("a.io/two"));
        assert_eq!(c.alias_origin("one"), Some(cache.to_str().unwrap()));
    }

    #[test]
    fn default_sources_selection() {
        let tmp = tempfile::tempdir().unwrap();
        let user_dir = tmp.path().join("containers");
        let alias = tmp.path().join("alias.conf");
        let s = DefaultSources::select(None, &user_dir, alias.clone());
        assert_eq!(s.main, PathBuf::from(SYSTEM_CONF));
        assert_eq!(
            s.dropin_dirs,
            [
                PathBuf::from(SYSTEM_CONF_DIR),
                user_dir.join("registries.conf.d")
            ]
        );
        write(&user_dir.join("registries.conf"), "");
        let s = DefaultSources::select(None, &user_dir, alias.clone());
        assert_eq!(s.main, user_dir.join("registries.conf"));
        assert_eq!(s.dropin_dirs, [user_dir.join("registries.conf.d")]);
        let env = tmp.path().join("env.conf");
        let s = DefaultSources::select(Some(env.clone()), &user_dir, alias);
        assert_eq!(s.main, env);
        assert!(s.dropin_dirs.is_empty());
        let e = format!("{:#}", s.load().unwrap_err());
        assert!(e.contains("env.conf: no such file"), "{e}");
        write(&env, "unqualified-search-registries = [\"x.io\"]\n");
        assert_eq!(s.load().unwrap().search_registries(), ["x.io"]);
    }
}
