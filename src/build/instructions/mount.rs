//! `RUN --mount=type=cache,target=/root/.cache,...` (BuildKit's commands_runmount.go).
//!
//! The flag value is a CSV record of `key=value` fields (and a few bare words). Values are
//! variable-expanded like other arguments, so the final parse happens at expansion time; at
//! parse time every field whose value has no `$` is already read and checked (expanding it
//! could not change it), and the rest waits.

use super::suggest::with_suggestion;

/// `type=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MountType {
    Bind,
    Cache,
    Tmpfs,
    Secret,
    Ssh,
}

impl MountType {
    pub fn as_str(self) -> &'static str {
        match self {
            MountType::Bind => "bind",
            MountType::Cache => "cache",
            MountType::Tmpfs => "tmpfs",
            MountType::Secret => "secret",
            MountType::Ssh => "ssh",
        }
    }

    /// Secret and ssh mounts may be `required`, and with cache mounts may set mode/uid/gid.
    fn is_secret_or_ssh(self) -> bool {
        matches!(self, MountType::Secret | MountType::Ssh)
    }
}

/// `sharing=` for cache mounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MountSharing {
    Shared,
    Private,
    Locked,
}

/// One `--mount`. Empty string values (`target=`) are None, as BuildKit treats them as unset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunMount {
    pub mount_type: MountType,
    /// A stage name/index or image to take a bind or cache mount's files from.
    pub from: Option<String>,
    pub source: Option<String>,
    pub target: Option<String>,
    /// Defaults to true for bind, secret and ssh mounts, false for cache and tmpfs.
    pub readonly: bool,
    /// The cache id or secret id.
    pub id: Option<String>,
    pub sharing: Option<MountSharing>,
    /// A secret or ssh mount whose source must exist.
    pub required: bool,
    pub mode: Option<u32>,
    pub uid: Option<u32>,
    pub gid: Option<u32>,
    /// A tmpfs size limit in bytes.
    pub size: Option<u64>,
    /// The flag value as written; expansion parses it again.
    pub raw: String,
}

impl RunMount {
    fn new(raw: &str) -> RunMount {
        RunMount {
            mount_type: MountType::Bind,
            from: None,
            source: None,
            target: None,
            readonly: false,
            id: None,
            sharing: None,
            required: false,
            mode: None,
            uid: None,
            gid: None,
            size: None,
            raw: raw.to_string(),
        }
    }
}

const MOUNT_TYPES: &[&str] = &["bind", "cache", "tmpfs", "secret", "ssh"];
const SHARING_MODES: &[&str] = &["shared", "private", "locked"];
const MOUNT_KEYS: &[&str] = &[
    "type",
    "from",
    "source",
    "target",
    "readonly",
    "id",
    "sharing",
    "required",
    "mode",
    "uid",
    "gid",
    "src",
    "dst",
    "ro",
    "rw",
    "readwrite",
];

/// Expands one field value; Ok(None) leaves it for later (it has a variable in it).
pub(super) type ValueExpander<'a> = dyn FnMut(&str) -> Result<Option<String>, String> + 'a;

/// Parses one `--mount` value. Fields `expand` defers keep their text as written (string
/// fields) or their default, and the checks that depend on them are skipped.
pub(super) fn parse_mount(raw: &str, expand: &mut ValueExpander<'_>) -> Result<RunMount, String> {
    let fields = read_csv_record(raw).map_err(|e| format!("failed to parse csv mounts: {e}"))?;
    let mut state = MountParse {
        mount: RunMount::new(raw),
        readonly_auto: true,
        type_deferred: false,
        anything_deferred: false,
    };
    for field in &fields {
        state.field(field, expand)?;
    }
    if !state.anything_deferred {
        validate(&mut state.mount, state.readonly_auto)?;
    }
    Ok(state.mount)
}

struct MountParse {
    mount: RunMount,
    /// No ro/rw field: the default depends on the type.
    readonly_auto: bool,
    /// `type=` waits for expansion, so checks that depend on the type must wait too.
    type_deferred: bool,
    anything_deferred: bool,
}

impl MountParse {
    fn field(&mut self, field: &str, expand: &mut ValueExpander<'_>) -> Result<(), String> {
        let Some((key, value)) = field.split_once('=') else {
            return self.bare_word(field);
        };
        let key = key.to_lowercase();
        if key == "from" && has_variable(value) {
            return Err(
                "'from' doesn't support variable expansion, define alias stage instead".into(),
            );
        }
        if !MOUNT_KEYS.contains(&key.as_str()) && !matches!(key.as_str(), "size" | "destination") {
            let message = format!("unexpected key '{key}' in '{field}'");
            return Err(with_suggestion(message, &key, MOUNT_KEYS, true));
        }
        match expand(value)? {
            Some(value) => self.set(&key, value),
            None => {
                self.defer(&key, value);
                Ok(())
            }
        }
    }

    /// `ro`, `rw`, `readonly`, `readwrite` and `required` may stand alone.
    fn bare_word(&mut self, field: &str) -> Result<(), String> {
        let key = field.to_lowercase();
        match key.as_str() {
            "readonly" | "ro" => self.set_readonly(true),
            "readwrite" | "rw" => self.set_readonly(false),
            "required" => return self.set_required(&key, true),
            _ => return Err(format!("invalid field '{field}' must be a key=value pair")),
        }
        Ok(())
    }

    fn set_readonly(&mut self, readonly: bool) {
        self.mount.readonly = readonly;
        self.readonly_auto = false;
    }

    fn set_required(&mut self, key: &str, required: bool) -> Result<(), String> {
        if !self.type_deferred && !self.mount.mount_type.is_secret_or_ssh() {
            return Err(self.unexpected_for_type(key));
        }
        self.mount.required = required;
        Ok(())
    }

    fn unexpected_for_type(&self, key: &str) -> String {
        format!(
            "unexpected key '{key}' for mount type '{}'",
            self.mount.mount_type.as_str()
        )
    }

    /// A field whose value waits for expansion: strings keep their text, the rest keep
    /// their defaults until then.
    fn defer(&mut self, key: &str, value: &str) {
        self.anything_deferred = true;
        let text = Some(value.to_string());
        match key {
            "type" => self.type_deferred = true,
            "from" => self.mount.from = text,
            "source" | "src" => self.mount.source = text,
            "target" | "dst" | "destination" => self.mount.target = text,
            "id" => self.mount.id = text,
            "readonly" | "ro" | "readwrite" | "rw" => self.readonly_auto = false,
            _ => {}
        }
    }

    fn set(&mut self, key: &str, value: String) -> Result<(), String> {
        let invalid = || format!("invalid value for {key}: {value}");
        match key {
            "type" => self.mount.mount_type = parse_type(&value)?,
            "from" => self.mount.from = non_empty(value),
            "source" | "src" => self.mount.source = non_empty(value),
            "target" | "dst" | "destination" => self.mount.target = non_empty(value),
            "id" => self.mount.id = non_empty(value),
            "readonly" | "ro" => self.set_readonly(parse_go_bool(&value).ok_or_else(invalid)?),
            "readwrite" | "rw" => self.set_readonly(!parse_go_bool(&value).ok_or_else(invalid)?),
            "required" => {
                let required = parse_go_bool(&value);
                self.set_required(key, required.unwrap_or(false))?;
                required.ok_or_else(invalid)?;
            }
            "size" => {
                if !self.type_deferred && self.mount.mount_type != MountType::Tmpfs {
                    return Err(self.unexpected_for_type(key));
                }
                self.mount.size = Some(ram_in_bytes(&value).ok_or_else(invalid)?);
            }
            "sharing" => self.mount.sharing = Some(parse_sharing(&value)?),
            "mode" => {
                let mode = u32::from_str_radix(&value, 8)
                    .ok()
                    .filter(|_| is_plain_number(&value));
                self.mount.mode =
                    Some(mode.ok_or_else(|| format!("invalid value {value} for mode"))?);
            }
            "uid" | "gid" => {
                let id = value
                    .parse::<u32>()
                    .ok()
                    .filter(|_| is_plain_number(&value))
                    .ok_or_else(|| format!("invalid value {value} for {key}"))?;
                if key == "uid" {
                    self.mount.uid = Some(id);
                } else {
                    self.mount.gid = Some(id);
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// BuildKit refuses `$` followed by anything in `from=` (regexp `\$.`).
fn has_variable(value: &str) -> bool {
    value
        .split('$')
        .skip(1)
        .any(|after| after.chars().next().is_some_and(|c| c != '\n'))
}

/// Go's ParseUint takes digits only (Rust's from_str_radix also takes a leading `+`).
fn is_plain_number(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit())
}

fn non_empty(value: String) -> Option<String> {
    (!value.is_empty()).then_some(value)
}

fn parse_type(value: &str) -> Result<MountType, String> {
    Ok(match value.to_lowercase().as_str() {
        "bind" => MountType::Bind,
        "cache" => MountType::Cache,
        "tmpfs" => MountType::Tmpfs,
        "secret" => MountType::Secret,
        "ssh" => MountType::Ssh,
        _ => {
            let message = format!("unsupported mount type {}", super::go_quote(value));
            return Err(with_suggestion(message, value, MOUNT_TYPES, true));
        }
    })
}

fn parse_sharing(value: &str) -> Result<MountSharing, String> {
    Ok(match value.to_lowercase().as_str() {
        "shared" => MountSharing::Shared,
        "private" => MountSharing::Private,
        "locked" => MountSharing::Locked,
        _ => {
            let message = format!("unsupported sharing value {}", super::go_quote(value));
            return Err(with_suggestion(message, value, SHARING_MODES, true));
        }
    })
}

/// The checks BuildKit's validateMount makes once every field is known.
fn validate(mount: &mut RunMount, readonly_auto: bool) -> Result<(), String> {
    let kind = mount.mount_type;
    let file_info_allowed = kind.is_secret_or_ssh() || kind == MountType::Cache;
    if !file_info_allowed {
        for (name, set) in [
            ("mode", mount.mode.is_some()),
            ("uid", mount.uid.is_some()),
            ("gid", mount.gid.is_some()),
        ] {
            if set {
                return Err(format!(
                    "{name} not allowed for {} type mounts",
                    super::go_quote(kind.as_str())
                ));
            }
        }
    }
    if readonly_auto {
        mount.readonly = !matches!(kind, MountType::Cache | MountType::Tmpfs);
    }
    if kind == MountType::Secret {
        if mount.from.is_some() {
            return Err("secret mount should not have a from".into());
        }
        if mount.sharing.is_some() {
            return Err("secret mount should not define sharing".into());
        }
        if mount.source.is_none() && mount.target.is_none() && mount.id.is_none() {
            return Err("invalid secret mount. one of source, target required".into());
        }
        if mount.source.is_some() && mount.id.is_some() {
            return Err("both source and id can't be set".into());
        }
    }
    if mount.sharing.is_some() && kind != MountType::Cache {
        return Err(format!(
            "invalid cache sharing set for {} mount",
            kind.as_str()
        ));
    }
    Ok(())
}

/// Go's `strconv.ParseBool`.
fn parse_go_bool(value: &str) -> Option<bool> {
    match value {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// docker/go-units `RAMInBytes`: `64m`, `1.5GiB`, `512 k`, `1024` (binary multiples).
fn ram_in_bytes(text: &str) -> Option<u64> {
    let number_len = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(number_len);
    if !number.starts_with(|c: char| c.is_ascii_digit()) || number.ends_with('.') {
        return None;
    }
    let number: f64 = number.parse().ok()?;
    let mut suffix = suffix
        .strip_prefix(' ')
        .unwrap_or(suffix)
        .chars()
        .peekable();
    let mut multiplier = 1f64;
    if let Some(power) = suffix.peek().and_then(|c| unit_power(*c)) {
        multiplier = 1024f64.powi(power);
        suffix.next();
    }
    suffix.next_if(|c| matches!(c, 'i' | 'I'));
    suffix.next_if(|c| matches!(c, 'b' | 'B'));
    if suffix.next().is_some() {
        return None;
    }
    // Go converts float64 to int64 here; `as` saturates instead of wrapping.
    Some((number * multiplier) as u64)
}

fn unit_power(c: char) -> Option<i32> {
    Some(match c.to_ascii_lowercase() {
        'k' => 1,
        'm' => 2,
        'g' => 3,
        't' => 4,
        'p' => 5,
        _ => return None,
    })
}

/// Go's `encoding/csv` reading the first record of `text` (comma separated, fields in double
/// quotes may hold commas and `""` for a quote), with its error words.
pub(super) fn read_csv_record(text: &str) -> Result<Vec<String>, String> {
    if text.is_empty() {
        return Err("EOF".into());
    }
    let bytes = text.as_bytes();
    let mut fields = Vec::new();
    let mut pos = 0;
    loop {
        if bytes.get(pos) == Some(&b'"') {
            let (field, next) = quoted_csv_field(text, pos)?;
            fields.push(field);
            match next {
                Some(next) => pos = next,
                None => return Ok(fields),
            }
            continue;
        }
        let end = text[pos..].find(',').map_or(text.len(), |i| pos + i);
        let field = &text[pos..end];
        if let Some(quote) = field.find('"') {
            return Err(csv_error(pos + quote + 1, "bare \" in non-quoted-field"));
        }
        fields.push(field.to_string());
        if end == text.len() {
            return Ok(fields);
        }
        pos = end + 1;
    }
}

/// A quoted field starting at `start`: its text and where the next field starts (None at
/// the end of the record).
fn quoted_csv_field(text: &str, start: usize) -> Result<(String, Option<usize>), String> {
    let mut field = String::new();
    let mut pos = start + 1;
    loop {
        let Some(quote) = text[pos..].find('"').map(|i| pos + i) else {
            return Err(csv_error(
                text.len() + 1,
                "extraneous or missing \" in quoted-field",
            ));
        };
        field.push_str(&text[pos..quote]);
        pos = quote + 1;
        match text.as_bytes().get(pos) {
            Some(b'"') => {
                field.push('"');
                pos += 1;
            }
            Some(b',') => return Ok((field, Some(pos + 1))),
            None => return Ok((field, None)),
            Some(_) => {
                return Err(csv_error(
                    quote + 1,
                    "extraneous or missing \" in quoted-field",
                ));
            }
        }
    }
}

fn csv_error(column: usize, message: &str) -> String {
    format!("parse error on line 1, column {column}: {message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(value: &str) -> Result<Option<String>, String> {
        Ok((!value.contains('$')).then(|| value.to_string()))
    }

    fn parse(raw: &str) -> Result<RunMount, String> {
        parse_mount(raw, &mut literal)
    }

    #[test]
    fn cache_mount_with_everything() {
        let m = parse(
            "type=cache,target=/root/.cache,id=pip,sharing=locked,mode=0755,uid=1000,gid=100",
        )
        .unwrap();
        assert_eq!(m.mount_type, MountType::Cache);
        assert_eq!(m.target.as_deref(), Some("/root/.cache"));
        assert_eq!(m.id.as_deref(), Some("pip"));
        assert_eq!(m.sharing, Some(MountSharing::Locked));
        assert_eq!(m.mode, Some(0o755));
        assert_eq!((m.uid, m.gid), (Some(1000), Some(100)));
        assert!(!m.readonly);
    }

    #[test]
    fn defaults_and_readonly_words() {
        let bind = parse("target=/src,from=build,source=/out").unwrap();
        assert_eq!(bind.mount_type, MountType::Bind);
        assert!(bind.readonly, "bind mounts are read-only unless rw");
        assert!(!parse("target=/src,rw").unwrap().readonly);
        assert!(!parse("target=/src,readwrite=true").unwrap().readonly);
        assert!(parse("type=cache,target=/c,ro").unwrap().readonly);
        assert!(parse("type=cache,target=/c,readonly=1").unwrap().readonly);
        let secret = parse("type=secret,id=token,required").unwrap();
        assert!(secret.required && secret.readonly);
        let tmpfs = parse("type=tmpfs,target=/tmp,size=64m").unwrap();
        assert_eq!(tmpfs.size, Some(64 << 20));
        assert_eq!(parse("type=SSH").unwrap().mount_type, MountType::Ssh);
    }

    #[test]
    fn errors_use_buildkit_words() {
        let cases = [
            (
                "type=cach,target=/x",
                "unsupported mount type \"cach\" (did you mean cache?)",
            ),
            ("type=volume", "unsupported mount type \"volume\""),
            (
                "tagret=/x",
                "unexpected key 'tagret' in 'tagret=/x' (did you mean target?)",
            ),
            (
                "target=/x,bogus",
                "invalid field 'bogus' must be a key=value pair",
            ),
            (
                "target=/x,required",
                "unexpected key 'required' for mount type 'bind'",
            ),
            (
                "target=/x,size=1g",
                "unexpected key 'size' for mount type 'bind'",
            ),
            (
                "type=cache,target=/x,sharing=all",
                "unsupported sharing value \"all\"",
            ),
            ("type=cache,target=/x,mode=9", "invalid value 9 for mode"),
            ("type=cache,target=/x,uid=-1", "invalid value -1 for uid"),
            ("target=/x,ro=maybe", "invalid value for ro: maybe"),
            (
                "target=/x,mode=0644",
                "mode not allowed for \"bind\" type mounts",
            ),
            (
                "type=secret",
                "invalid secret mount. one of source, target required",
            ),
            (
                "type=secret,id=a,source=b",
                "both source and id can't be set",
            ),
            (
                "type=secret,id=a,from=x",
                "secret mount should not have a from",
            ),
            (
                "type=tmpfs,target=/t,sharing=shared",
                "invalid cache sharing set for tmpfs mount",
            ),
            (
                "target=/x,from=$STAGE",
                "'from' doesn't support variable expansion, define alias stage instead",
            ),
            ("", "failed to parse csv mounts: EOF"),
            (
                "target=/a\"b",
                "failed to parse csv mounts: parse error on line 1, column 10: bare \" in non-quoted-field",
            ),
        ];
        for (raw, want) in cases {
            assert_eq!(parse(raw).unwrap_err(), want, "{raw}");
        }
    }

    #[test]
    fn variables_defer_their_fields() {
        let m = parse("type=cache,target=$HOME/.cache,uid=$UID").unwrap();
        assert_eq!(m.target.as_deref(), Some("$HOME/.cache"));
        assert_eq!(m.uid, None);
        // The type is unknown until expansion, so type-dependent checks wait.
        assert!(parse("type=$T,size=1g,required").is_ok());
    }

    #[test]
    fn csv_quoting() {
        assert_eq!(
            read_csv_record("a=1,\"b=x,y\",c=\"\"").unwrap_err(),
            "parse error on line 1, column 15: bare \" in non-quoted-field"
        );
        assert_eq!(
            read_csv_record("a=1,\"b=x,\"\"y\"\"\",c").unwrap(),
            ["a=1", "b=x,\"y\"", "c"]
        );
        assert_eq!(read_csv_record("a,,b").unwrap(), ["a", "", "b"]);
        assert_eq!(read_csv_record("a,").unwrap(), ["a", ""]);
        assert!(read_csv_record("\"open").is_err());
        assert!(read_csv_record("\"x\"y").is_err());
    }

    #[test]
    fn ram_sizes() {
        assert_eq!(ram_in_bytes("1024"), Some(1024));
        assert_eq!(ram_in_bytes("64m"), Some(64 << 20));
        assert_eq!(ram_in_bytes("1.5GiB"), Some(3 << 29));
        assert_eq!(ram_in_bytes("2 kb"), Some(2048));
        for bad in ["", "m", "1.", "1.2.3", "1x", "-1", "1mm"] {
            assert_eq!(ram_in_bytes(bad), None, "{bad:?}");
        }
    }
}
