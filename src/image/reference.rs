//! Image references (`docker.io/library/busybox:latest`, `localhost:5000/a/b@sha256:...`),
//! parsed and normalised like Docker's distribution/reference (`ParseNormalizedNamed`), plus
//! Podman's rule that unqualified local names live under `localhost/`.
//!
//! Hand-written rather than a crate: the grammar is small, and we want Docker's exact
//! normalisation and error words, which the Rust crates around do not reproduce.

use std::fmt;

use anyhow::{Result, bail};

use super::Digest;

pub const DEFAULT_REGISTRY: &str = "docker.io";
pub const LOCAL_REGISTRY: &str = "localhost";
pub const DEFAULT_TAG: &str = "latest";
const NAME_TOTAL_LENGTH_MAX: usize = 255;
const TAG_LENGTH_MAX: usize = 128;

const ERR_FORMAT: &str = "invalid reference format";
const ERR_UPPERCASE: &str = "invalid reference format: repository name must be lowercase";

/// A parsed, normalised image reference.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Reference {
    /// The registry host, with port if any: `docker.io`, `localhost:5000`, `quay.io`.
    pub registry: String,
    /// The repository path inside the registry: `library/busybox`.
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<Digest>,
}

/// `s` parsed like `docker pull s`: names without a registry are on docker.io, and
/// single-component docker.io names get `library/`.
pub fn parse_normalized(s: &str) -> Result<Reference> {
    parse_with_default(s, DEFAULT_REGISTRY)
}

/// `s` parsed as the name of a locally made image (`podman tag`, `import`, `commit`,
/// `build -t`): a name without a registry becomes `localhost/<name>`, as Podman does.
pub fn parse_local(s: &str) -> Result<Reference> {
    parse_with_default(s, LOCAL_REGISTRY)
}

/// Whether the user gave no registry in `s` (`busybox`, `library/busybox`, `a/b:tag`).
pub fn is_short_name(s: &str) -> bool {
    split_domain(s).0.is_none()
}

/// Whether `s` may be (a prefix of) an image id: 3 to 64 lowercase hex digits, optionally
/// after `sha256:`.
pub fn looks_like_id_prefix(s: &str) -> bool {
    let hex = s.strip_prefix("sha256:").unwrap_or(s);
    (3..=64).contains(&hex.len()) && hex.bytes().all(is_lower_hex)
}

impl Reference {
    /// `registry/repository`, without tag or digest.
    pub fn name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }

    /// The reference with `:latest` added when it has neither tag nor digest.
    pub fn with_default_tag(mut self) -> Reference {
        if self.tag.is_none() && self.digest.is_none() {
            self.tag = Some(DEFAULT_TAG.to_string());
        }
        self
    }

    /// The short form Docker prints: `busybox:latest` for `docker.io/library/busybox:latest`,
    /// `user/app` for `docker.io/user/app`; other registries stay in full.
    pub fn familiar(&self) -> String {
        let name = if self.registry == DEFAULT_REGISTRY {
            self.repository
                .strip_prefix("library/")
                .unwrap_or(&self.repository)
                .to_string()
        } else {
            self.name()
        };
        let mut out = name;
        self.push_suffix(&mut out);
        out
    }

    fn push_suffix(&self, out: &mut String) {
        if let Some(tag) = &self.tag {
            out.push(':');
            out.push_str(tag);
        }
        if let Some(digest) = &self.digest {
            out.push('@');
            out.push_str(&digest.to_string());
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = self.name();
        self.push_suffix(&mut out);
        f.write_str(&out)
    }
}

impl std::str::FromStr for Reference {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> Result<Reference> {
        parse_normalized(s)
    }
}

fn parse_with_default(s: &str, default_registry: &str) -> Result<Reference> {
    if s.is_empty() {
        bail!("{ERR_FORMAT}: repository name must have at least one component");
    }
    if s.len() == 64 && s.bytes().all(is_lower_hex) {
        bail!("invalid repository name ({s}), cannot specify 64-byte hexadecimal strings");
    }
    let (name_and_tag, digest) = match s.split_once('@') {
        Some((n, d)) => (n, Some(parse_digest(d)?)),
        None => (s, None),
    };
    let (name, tag) = split_tag(name_and_tag);
    if let Some(tag) = tag {
        check_tag(tag)?;
    }
    let (domain, path) = split_domain(name);
    let registry = match domain {
        Some(d) => {
            check_domain(d)?;
            if d == "index.docker.io" {
                DEFAULT_REGISTRY
            } else {
                d
            }
        }
        None => default_registry,
    };
    check_path(path)?;
    let repository = if registry == DEFAULT_REGISTRY && !path.contains('/') {
        format!("library/{path}")
    } else {
        path.to_string()
    };
    if registry.len() + 1 + repository.len() > NAME_TOTAL_LENGTH_MAX {
        bail!(
            "{ERR_FORMAT}: repository name must not be more than {NAME_TOTAL_LENGTH_MAX} characters"
        );
    }
    Ok(Reference {
        registry: registry.to_string(),
        repository,
        tag: tag.map(str::to_string),
        digest,
    })
}

fn parse_digest(s: &str) -> Result<Digest> {
    let Some((algo, hex)) = s.split_once(':') else {
        bail!(ERR_FORMAT)
    };
    let algo_ok = !algo.is_empty()
        && algo
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+._-".contains(&b));
    if !algo_ok || hex.len() < 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        bail!(ERR_FORMAT);
    }
    s.parse()
}

/// Splits `name[:tag]`: the tag is after the last `:` unless a `/` follows it (then the
/// colon was a registry port).
fn split_tag(s: &str) -> (&str, Option<&str>) {
    match s.rfind(':') {
        Some(i) if !s[i + 1..].contains('/') => (&s[..i], Some(&s[i + 1..])),
        _ => (s, None),
    }
}

/// Splits off the registry: the first component is one if it contains `.` or `:`, is
/// `localhost`, or has uppercase letters (which a repository path may not).
fn split_domain(name: &str) -> (Option<&str>, &str) {
    let name = name.split('@').next().unwrap_or(name);
    match name.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == LOCAL_REGISTRY
                || first.bytes().any(|b| b.is_ascii_uppercase()) =>
        {
            (Some(first), rest)
        }
        _ => (None, name),
    }
}

fn check_tag(tag: &str) -> Result<()> {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = tag.as_bytes();
    let ok = !bytes.is_empty()
        && bytes.len() <= TAG_LENGTH_MAX
        && word(bytes[0])
        && bytes[1..]
            .iter()
            .all(|&b| word(b) || b == b'.' || b == b'-');
    if !ok {
        bail!(ERR_FORMAT);
    }
    Ok(())
}

/// `host[:port]`, host a dotted name of `[A-Za-z0-9-]` labels or a bracketed IPv6 address.
fn check_domain(domain: &str) -> Result<()> {
    let (host, port) = if let Some(rest) = domain.strip_prefix('[') {
        let Some((ip, after)) = rest.split_once(']') else {
            bail!(ERR_FORMAT)
        };
        if ip.is_empty()
            || !ip
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            bail!(ERR_FORMAT);
        }
        match after {
            "" => (None, None),
            _ => match after.strip_prefix(':') {
                Some(p) => (None, Some(p)),
                None => bail!(ERR_FORMAT),
            },
        }
    } else {
        match domain.split_once(':') {
            Some((h, p)) => (Some(h), Some(p)),
            None => (Some(domain), None),
        }
    };
    if let Some(host) = host {
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        if !host.split('.').all(label_ok) {
            bail!(ERR_FORMAT);
        }
    }
    if let Some(port) = port
        && (port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()))
    {
        bail!(ERR_FORMAT);
    }
    Ok(())
}

fn check_path(path: &str) -> Result<()> {
    if path.split('/').all(path_component_ok) {
        return Ok(());
    }
    if path.to_ascii_lowercase().split('/').all(path_component_ok) {
        bail!(ERR_UPPERCASE);
    }
    bail!(ERR_FORMAT)
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
fn path_component_ok(c: &str) -> bool {
    let b = c.as_bytes();
    let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    let mut i = 0;
    loop {
        let start = i;
        while i < b.len() && alnum(b[i]) {
            i += 1;
        }
        if i == start {
            return false;
        }
        if i == b.len() {
            return true;
        }
        match b[i] {
            b'.' => i += 1,
            b'_' => i += if b.get(i + 1) == Some(&b'_') { 2 } else { 1 },
            b'-' => {
                while i < b.len() && b[i] == b'-' {
                    i += 1;
                }
            }
            _ => return false,
        }
    }
}

fn is_lower_hex(b: u8) -> bool {
    b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

    #[test]
    fn valid_references_normalise() {
        let d = format!("sha256:{HEX}");
        let cases: Vec<(String, &str)> = vec![
            ("busybox".into(), "docker.io/library/busybox"),
            ("busybox:latest".into(), "docker.io/library/busybox:latest"),
            ("library/busybox".into(), "docker.io/library/busybox"),
            ("user/app:1.0".into(), "docker.io/user/app:1.0"),
            ("docker.io/busybox".into(), "docker.io/library/busybox"),
            (
                "index.docker.io/busybox".into(),
                "docker.io/library/busybox",
            ),
            (
                "quay.io/podman/stable:v4".into(),
                "quay.io/podman/stable:v4",
            ),
            ("localhost/foo".into(), "localhost/foo"),
            (
                "localhost:5000/foo/bar:tag".into(),
                "localhost:5000/foo/bar:tag",
            ),
            ("127.0.0.1:5000/a".into(), "127.0.0.1:5000/a"),
            ("[::1]:5000/a:b".into(), "[::1]:5000/a:b"),
            ("[fe80::1]/a".into(), "[fe80::1]/a"),
            ("Registry.Example/a".into(), "Registry.Example/a"),
            ("UPPER/a".into(), "UPPER/a"),
            ("a.b-c.d/e---f/g_h.i".into(), "a.b-c.d/e---f/g_h.i"),
            ("foo/a-b__c.d_e".into(), "docker.io/foo/a-b__c.d_e"),
            ("localhost:5000".into(), "docker.io/library/localhost:5000"),
            (
                "busybox:Tag_1.2-x".into(),
                "docker.io/library/busybox:Tag_1.2-x",
            ),
            (
                format!("busybox@{d}"),
                "docker.io/library/busybox@sha256:ffff",
            ),
            (
                format!("busybox:1@{d}"),
                "docker.io/library/busybox:1@sha256:ffff",
            ),
            (format!("r.io:1/a/b:t@{d}"), "r.io:1/a/b:t@sha256:ffff"),
            (format!("a:{}", "t".repeat(128)), ""),
        ];
        for (input, want) in cases {
            let r = parse_normalized(&input).unwrap_or_else(|e| panic!("{input}: {e}"));
            let got = r.to_string().replace(&HEX[4..], "");
            if !want.is_empty() {
                assert_eq!(got, want, "{input}");
            }
        }
    }

    #[test]
    fn invalid_references() {
        let long_tag = format!("a:{}", "t".repeat(129));
        let long_name = format!("a/{}", "b".repeat(250));
        let cases = [
            "",
            ":",
            ":tag",
            "a:",
            "a::b",
            "/a",
            "a/",
            "a//b",
            "-a",
            "a-",
            "a_",
            "a.",
            "a..b",
            "a___b",
            "a._b",
            "a/b:-tag",
            "a/b:.tag",
            "a/b:t@g",
            "a b",
            "a@sha256:abc",
            "a@sha256",
            "a@",
            "a@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            "-r.io/a",
            "r-.io/a",
            "r.io:/a",
            "r.io:x/a",
            "[::1/a",
            "[]/a",
            "r.io/",
            long_tag.as_str(),
            long_name.as_str(),
            HEX,
        ];
        for input in cases {
            assert!(
                parse_normalized(input).is_err(),
                "{input:?} should be invalid"
            );
        }
    }

    #[test]
    fn error_messages() {
        let msg = |s: &str| parse_normalized(s).unwrap_err().to_string();
        assert_eq!(msg("Busybox"), ERR_UPPERCASE);
        assert_eq!(msg("docker.io/Busybox:latest"), ERR_UPPERCASE);
        assert_eq!(msg("a/b c"), ERR_FORMAT);
        assert_eq!(msg("a:b:c"), ERR_FORMAT);
        assert!(msg("").starts_with(ERR_FORMAT));
        assert!(msg(HEX).contains("cannot specify 64-byte hexadecimal strings"));
    }

    #[test]
    fn fields() {
        let r = parse_normalized("localhost:5000/a/b:1.0").unwrap();
        assert_eq!(r.registry, "localhost:5000");
        assert_eq!(r.repository, "a/b");
        assert_eq!(r.tag.as_deref(), Some("1.0"));
        assert_eq!(r.digest, None);
        assert_eq!(r.name(), "localhost:5000/a/b");
    }

    #[test]
    fn local_names() {
        let l = |s: &str| parse_local(s).unwrap().to_string();
        assert_eq!(l("myimg"), "localhost/myimg");
        assert_eq!(l("a/b:t"), "localhost/a/b:t");
        assert_eq!(l("docker.io/busybox"), "docker.io/library/busybox");
        assert_eq!(l("quay.io/x/y:1"), "quay.io/x/y:1");
        assert_eq!(parse_local("MyImg").unwrap_err().to_string(), ERR_UPPERCASE);
    }

    #[test]
    fn default_tag_and_familiar() {
        let r = parse_normalized("busybox").unwrap().with_default_tag();
        assert_eq!(r.to_string(), "docker.io/library/busybox:latest");
        assert_eq!(r.familiar(), "busybox:latest");
        let d = parse_normalized(&format!("busybox@sha256:{HEX}"))
            .unwrap()
            .with_default_tag();
        assert_eq!(d.tag, None);
        assert_eq!(parse_normalized("user/app").unwrap().familiar(), "user/app");
        assert_eq!(
            parse_normalized("quay.io/a/b:1").unwrap().familiar(),
            "quay.io/a/b:1"
        );
    }

    #[test]
    fn short_names() {
        assert!(is_short_name("busybox"));
        assert!(is_short_name("library/busybox:1"));
        assert!(is_short_name("a/b/c"));
        assert!(!is_short_name("docker.io/busybox"));
        assert!(!is_short_name("localhost/busybox"));
        assert!(!is_short_name("localhost:5000/busybox"));
        assert!(!is_short_name("Foo/bar"));
    }

    #[test]
    fn id_prefixes() {
        assert!(looks_like_id_prefix("abc"));
        assert!(looks_like_id_prefix(HEX));
        assert!(looks_like_id_prefix(&format!("sha256:{HEX}")));
        assert!(looks_like_id_prefix("sha256:0123"));
        assert!(!looks_like_id_prefix("ab"));
        assert!(!looks_like_id_prefix("ABC"));
        assert!(!looks_like_id_prefix("busybox"));
        assert!(!looks_like_id_prefix(&format!("{HEX}0")));
    }
}
