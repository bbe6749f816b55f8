//! Capability names as users write them (`--cap-add net_admin`, `CAP_SYS_ADMIN`, `ALL`), merged
//! the way Podman merges them, and applied to the current thread with the caps crate.

use std::collections::BTreeSet;
use std::str::FromStr;

use anyhow::{Context, Result, bail};
use caps::{CapSet, Capability, CapsHashSet};
use oci_spec::runtime::LinuxCapabilities;

/// Podman 4's default capability set (containers.conf `default_capabilities`).
pub const DEFAULT_CAPS: &[&str] = &[
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_NET_BIND_SERVICE",
    "CAP_SETFCAP",
    "CAP_SETGID",
    "CAP_SETPCAP",
    "CAP_SETUID",
    "CAP_SYS_CHROOT",
];

/// The word that stands for every capability in --cap-add/--cap-drop.
pub const ALL: &str = "ALL";

/// "net_admin", "NET_ADMIN" and "cap_net_admin" all become "CAP_NET_ADMIN"; "all" becomes
/// "ALL". Names the kernel's list does not hold are an error, worded as Docker words it.
pub fn normalize_cap_name(name: &str) -> Result<String> {
    let upper = name.trim().to_ascii_uppercase();
    if upper == ALL {
        return Ok(upper);
    }
    let full = match upper.starts_with("CAP_") {
        true => upper,
        false => format!("CAP_{upper}"),
    };
    if Capability::from_str(&full).is_err() {
        bail!("unknown capability {full:?}");
    }
    Ok(full)
}

/// Normalizes a list of names, keeping "ALL" as is.
pub fn normalize_cap_names(names: &[String]) -> Result<Vec<String>> {
    names.iter().map(|n| normalize_cap_name(n)).collect()
}

/// Podman's MergeCapabilities: `base` plus `add` minus `drop`, sorted. "ALL" in `drop` means
/// "only what `add` names"; "ALL" in `add` means every capability this process may hold.
pub fn merge_caps(base: &[String], add: &[String], drop: &[String]) -> Result<Vec<String>> {
    let base = normalize_cap_names(base)?;
    let add = normalize_cap_names(add)?;
    let drop = normalize_cap_names(drop)?;
    let has_all = |list: &[String]| list.iter().any(|c| c == ALL);
    if has_all(&drop) {
        if has_all(&add) {
            bail!("adding all caps and removing all caps not allowed");
        }
        return Ok(sorted(add));
    }
    let (base, add) = match has_all(&add) {
        true => (current_bounding_set()?, Vec::new()),
        false => (base, add),
    };
    if let Some(both) = add.iter().find(|c| drop.contains(c)) {
        bail!("capability {both:?} cannot be dropped and added");
    }
    let kept = base.into_iter().filter(|c| !drop.contains(c));
    Ok(sorted(kept.chain(add).collect()))
}

fn sorted(list: Vec<String>) -> Vec<String> {
    list.into_iter()
        .filter(|c| c != ALL)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The capabilities this process can still hand to a container: its bounding set.
pub fn current_bounding_set() -> Result<Vec<String>> {
    let set = caps::read(None, CapSet::Bounding).context("reading the capability bounding set")?;
    Ok(sorted(set.iter().map(|c| c.to_string()).collect()))
}

/// The caps crate's set for OCI capability names.
pub fn caps_set_from_oci(list: Option<&oci_spec::runtime::Capabilities>) -> Result<CapsHashSet> {
    let mut set = CapsHashSet::new();
    for cap in list.into_iter().flatten() {
        let name = format!("CAP_{cap}");
        let parsed = Capability::from_str(&name)
            .map_err(|_| anyhow::anyhow!("unknown capability {name:?}"))?;
        set.insert(parsed);
    }
    Ok(set)
}

/// OCI capability values for normalized "CAP_X" names.
pub fn oci_caps_from_names(names: &[String]) -> Result<oci_spec::runtime::Capabilities> {
    names
        .iter()
        .map(|n| {
            serde_json::from_value(serde_json::Value::String(n.clone()))
                .map_err(|_| anyhow::anyhow!("unknown capability {n:?}"))
        })
        .collect()
}

/// Names of a set of OCI capabilities, "CAP_X" form, sorted.
pub fn names_of(list: Option<&oci_spec::runtime::Capabilities>) -> Vec<String> {
    sorted(
        list.into_iter()
            .flatten()
            .map(|c| format!("CAP_{c}"))
            .collect(),
    )
}

/// After setresuid with keepcaps the permitted set survives but the effective set is empty:
/// raise it again so the steps that follow (bounding set, seccomp) have their privileges.
pub fn raise_effective_to_permitted() -> Result<()> {
    let permitted =
        caps::read(None, CapSet::Permitted).context("reading permitted capabilities")?;
    caps::set(None, CapSet::Effective, &permitted).context("raising effective capabilities")
}

/// Drops from the bounding set every capability not in `keep`; needs CAP_SETPCAP.
pub fn limit_bounding_set(keep: &CapsHashSet) -> Result<()> {
    // The kernel's own list: dropping a capability it does not know fails with EINVAL.
    for cap in caps::runtime::thread_all_supported() {
        if keep.contains(&cap) {
            continue;
        }
        caps::drop(None, CapSet::Bounding, cap)
            .with_context(|| format!("dropping {cap} from the bounding set"))?;
    }
    Ok(())
}

/// Sets the inheritable, effective, permitted and ambient sets. The order matters to the
/// kernel: inheritable may only grow while CAP_SETPCAP is effective, effective must stay within
/// permitted, and an ambient capability must be both permitted and inheritable.
pub fn set_thread_caps(wanted: &LinuxCapabilities) -> Result<()> {
    let inheritable = caps_set_from_oci(wanted.inheritable().as_ref())?;
    let effective = caps_set_from_oci(wanted.effective().as_ref())?;
    let permitted = caps_set_from_oci(wanted.permitted().as_ref())?;
    let ambient = caps_set_from_oci(wanted.ambient().as_ref())?;
    caps::set(None, CapSet::Inheritable, &inheritable)
        .context("setting inheritable capabilities")?;
    caps::set(None, CapSet::Effective, &effective).context("setting effective capabilities")?;
    caps::set(None, CapSet::Permitted, &permitted).context("setting permitted capabilities")?;
    if caps::runtime::ambient_set_supported().is_ok() {
        caps::set(None, CapSet::Ambient, &ambient).context("setting ambient capabilities")?;
    } else if !ambient.is_empty() {
        bail!("this kernel has no ambient capabilities");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn names_normalize_like_podman() {
        assert_eq!(normalize_cap_name("net_admin").unwrap(), "CAP_NET_ADMIN");
        assert_eq!(
            normalize_cap_name("CAP_NET_ADMIN").unwrap(),
            "CAP_NET_ADMIN"
        );
        assert_eq!(
            normalize_cap_name("cap_sys_admin").unwrap(),
            "CAP_SYS_ADMIN"
        );
        assert_eq!(normalize_cap_name("all").unwrap(), "ALL");
        let err = normalize_cap_name("CAP_FOO").unwrap_err();
        assert_eq!(err.to_string(), r#"unknown capability "CAP_FOO""#);
        let err = normalize_cap_name("foo").unwrap_err();
        assert_eq!(err.to_string(), r#"unknown capability "CAP_FOO""#);
    }

    #[test]
    fn merge_adds_drops_and_sorts() {
        let base = strings(DEFAULT_CAPS);
        let merged = merge_caps(&base, &strings(&["net_admin"]), &strings(&["CHOWN"])).unwrap();
        assert!(merged.contains(&"CAP_NET_ADMIN".to_string()));
        assert!(!merged.contains(&"CAP_CHOWN".to_string()));
        assert_eq!(merged.len(), DEFAULT_CAPS.len());
        let mut check = merged.clone();
        check.sort();
        assert_eq!(check, merged);
    }

    #[test]
    fn merge_all() {
        let base = strings(DEFAULT_CAPS);
        let only = merge_caps(&base, &strings(&["kill"]), &strings(&["all"])).unwrap();
        assert_eq!(only, strings(&["CAP_KILL"]));
        let none = merge_caps(&base, &[], &strings(&["ALL"])).unwrap();
        assert!(none.is_empty());
        let everything = merge_caps(&base, &strings(&["ALL"]), &[]).unwrap();
        assert_eq!(everything, current_bounding_set().unwrap());
        let err = merge_caps(&base, &strings(&["ALL"]), &strings(&["ALL"])).unwrap_err();
        assert!(err.to_string().contains("not allowed"), "{err}");
        let err = merge_caps(&base, &strings(&["kill"]), &strings(&["KILL"])).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"capability "CAP_KILL" cannot be dropped and added"#
        );
        let err = merge_caps(&base, &strings(&["CAP_FOO"]), &[]).unwrap_err();
        assert_eq!(err.to_string(), r#"unknown capability "CAP_FOO""#);
    }

    #[test]
    fn oci_round_trip() {
        let names = strings(DEFAULT_CAPS);
        let oci = oci_caps_from_names(&names).unwrap();
        assert_eq!(names_of(Some(&oci)), names);
        let set = caps_set_from_oci(Some(&oci)).unwrap();
        assert!(set.contains(&Capability::CAP_SYS_CHROOT));
        assert_eq!(set.len(), DEFAULT_CAPS.len());
    }
}
