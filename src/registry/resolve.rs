//! Which registries to try for a name the user typed, as Podman resolves it: a fully
//! qualified name is tried as it is; a short name goes through registries.conf's aliases,
//! then its unqualified-search-registries in order (docker.io when none are configured,
//! which is what Docker users expect: `alpine` -> docker.io/library/alpine:latest).
//! `localhost/...` names are local only and never pulled.

use anyhow::{Result, bail};

use super::config::RegistriesConf;
use crate::image::reference::{self, LOCAL_REGISTRY, Reference};

/// The registry used for short names when registries.conf names none.
pub const FALLBACK_SEARCH_REGISTRY: &str = "docker.io";

/// `docker://` is the only transport a registry reference may carry.
pub fn strip_transport(input: &str) -> &str {
    input.strip_prefix("docker://").unwrap_or(input)
}

/// The references to try, in order, each with a tag or digest.
pub fn pull_candidates(input: &str, conf: &RegistriesConf) -> Result<Vec<Reference>> {
    let input = strip_transport(input);
    if !reference::is_short_name(input) {
        let r = reference::parse_normalized(input)?.with_default_tag();
        if r.registry == LOCAL_REGISTRY {
            bail!("{input}: localhost/ names the local store only and cannot be pulled");
        }
        return Ok(vec![r]);
    }
    // Validate the short name itself first, for a clear error on bad input.
    let parsed = reference::parse_normalized(input)?;
    let (name, suffix) = split_suffix(input);
    if let Some(target) = conf.alias(name) {
        let mut r = reference::parse_normalized(target)?;
        r.tag = parsed.tag.clone();
        r.digest = parsed.digest.clone();
        return Ok(vec![r.with_default_tag()]);
    }
    let configured = conf.search_registries();
    let registries: Vec<&str> = if configured.is_empty() {
        vec![FALLBACK_SEARCH_REGISTRY]
    } else {
        configured.iter().map(String::as_str).collect()
    };
    let mut out = Vec::new();
    for reg in registries {
        let r = reference::parse_normalized(&format!("{reg}/{name}{suffix}"))?;
        out.push(r.with_default_tag());
    }
    Ok(out)
}

/// `name` and the `:tag` / `@digest` part after it.
fn split_suffix(input: &str) -> (&str, &str) {
    let cut = input.find('@').unwrap_or(input.len());
    let before_digest = &input[..cut];
    let tag_at = before_digest
        .rfind(':')
        .filter(|&i| !before_digest[i..].contains('/'));
    let at = tag_at.unwrap_or(cut);
    (&input[..at], &input[at..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conf(toml: &str) -> RegistriesConf {
        RegistriesConf::parse_str(toml, "test").unwrap()
    }

    fn names(v: Vec<Reference>) -> Vec<String> {
        v.into_iter().map(|r| r.to_string()).collect()
    }

    #[test]
    fn short_names_default_to_docker_hub() {
        let c = conf("");
        assert_eq!(
            names(pull_candidates("alpine", &c).unwrap()),
            ["docker.io/library/alpine:latest"]
        );
        assert_eq!(
            names(pull_candidates("user/app:1.0", &c).unwrap()),
            ["docker.io/user/app:1.0"]
        );
    }

    #[test]
    fn search_registries_in_order_and_aliases_first() {
        let c = conf(
            "unqualified-search-registries = [\"quay.io\", \"docker.io\"]\n[aliases]\n\"busybox\" = \"docker.io/library/busybox\"\n",
        );
        assert_eq!(
            names(pull_candidates("app:2", &c).unwrap()),
            ["quay.io/app:2", "docker.io/library/app:2"]
        );
        assert_eq!(
            names(pull_candidates("busybox:1.36", &c).unwrap()),
            ["docker.io/library/busybox:1.36"]
        );
    }

    #[test]
    fn qualified_names_and_localhost() {
        let c = conf("unqualified-search-registries = [\"quay.io\"]");
        assert_eq!(
            names(pull_candidates("docker://127.0.0.1:5000/a/b", &c).unwrap()),
            ["127.0.0.1:5000/a/b:latest"]
        );
        let d = "sha256:0123456789012345678901234567890123456789012345678901234567890123";
        assert_eq!(
            names(pull_candidates(&format!("quay.io/x@{d}"), &c).unwrap()),
            [format!("quay.io/x@{d}")]
        );
        let e = pull_candidates("localhost/app", &c).unwrap_err();
        assert!(e.to_string().contains("local store only"), "{e}");
        assert!(pull_candidates("Bad:Name", &c).is_err());
    }

    #[test]
    fn suffix_split() {
        assert_eq!(split_suffix("a/b:1"), ("a/b", ":1"));
        assert_eq!(split_suffix("a/b"), ("a/b", ""));
        assert_eq!(split_suffix("a@sha256:00"), ("a", "@sha256:00"));
    }
}
