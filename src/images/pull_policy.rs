//! `--pull`: when a command that needs an image (`run`, `create`, `build`'s FROM) fetches
//! it from a registry, and the one way all of them apply it.

use anyhow::{Result, bail};

/// When an image is pulled before use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PullPolicy {
    /// Only when the store does not have it (the default).
    #[default]
    Missing,
    Always,
    Never,
    /// Pulled like `Always` for now (see the closing notes: no HEAD comparison yet).
    Newer,
}

impl PullPolicy {
    /// A `--pull` value, in any of Podman's spellings (`true`/`false`, `ifmissing`,
    /// `ifnewer`), any case.
    pub fn parse(value: &str) -> Result<PullPolicy> {
        Ok(match value.to_ascii_lowercase().as_str() {
            "always" | "true" => PullPolicy::Always,
            "missing" | "ifmissing" | "false" => PullPolicy::Missing,
            "never" => PullPolicy::Never,
            "newer" | "ifnewer" => PullPolicy::Newer,
            _ => bail!("invalid pull policy {value:?}: want missing, never, always or newer"),
        })
    }
}

/// Gets what `load` makes of image `name` (a container, an image's state), pulling as
/// `policy` says: `always`/`newer` pull first (except a local-only name, `localhost/...` or
/// an id, that is present); `missing` pulls only after `load` said "image not known", so
/// the usual case reads the store once.
pub fn with_image<T>(
    store: &crate::store::Store,
    name: &str,
    policy: PullPolicy,
    pull: impl Fn() -> Result<()>,
    load: impl Fn() -> Result<T>,
) -> Result<T> {
    if matches!(policy, PullPolicy::Always | PullPolicy::Newer) {
        let local_only =
            name.starts_with("localhost/") || crate::image::reference::looks_like_id_prefix(name);
        if !(local_only && super::lookup_exists(store, name)?) {
            pull()?;
        }
        return load();
    }
    match load() {
        Err(e) if policy == PullPolicy::Missing && e.is::<super::ImageNotKnown>() => {
            pull()?;
            load()
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn podman_spellings() {
        assert_eq!(PullPolicy::parse("Always").unwrap(), PullPolicy::Always);
        assert_eq!(PullPolicy::parse("true").unwrap(), PullPolicy::Always);
        assert_eq!(PullPolicy::parse("ifmissing").unwrap(), PullPolicy::Missing);
        assert_eq!(PullPolicy::parse("false").unwrap(), PullPolicy::Missing);
        assert_eq!(PullPolicy::parse("never").unwrap(), PullPolicy::Never);
        assert_eq!(PullPolicy::parse("ifnewer").unwrap(), PullPolicy::Newer);
        assert!(PullPolicy::parse("sometimes").is_err());
    }
}
