//! `-v`, `--mount` and `--tmpfs` as Podman parses them, into mount records; and mount
//! records into OCI spec mounts.

use std::path::Path;

use anyhow::{Result, bail};
use oci_spec::runtime::{Mount, MountBuilder};

use super::record::MountRecord;

const BIND_OPTIONS: &[&str] = &[
    "ro", "rw", "z", "Z", "U", "rbind", "bind", "nosuid", "suid", "nodev", "dev", "noexec", "exec",
    "shared", "rshared", "slave", "rslave", "private", "rprivate", "copy", "nocopy", "idmap",
];

fn check_destination(dst: &str) -> Result<()> {
    if !dst.starts_with('/') {
        bail!("invalid container path {dst:?}, must be an absolute path");
    }
    // The container's /proc and /sys are the kernel's own views, with paths masked and made
    // read-only over them: nothing a user mounts may cover or replace any of it (runc's rule,
    // which Podman inherits).
    let clean = Path::new(dst)
        .components()
        .filter(|c| matches!(c, std::path::Component::Normal(_)))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>();
    if let Some(top @ ("proc" | "sys")) = clean.first().map(String::as_str) {
        bail!("{dst:?} cannot be mounted because it is inside /{top}");
    }
    Ok(())
}

fn is_host_path(src: &str) -> bool {
    src.starts_with('/') || src.starts_with('.')
}

/// `-v [SRC:]DST[:OPTS]`.
pub fn parse_volume(spec: &str, cwd: &Path) -> Result<MountRecord> {
    let parts: Vec<&str> = spec.split(':').collect();
    let (src, dst, opts) = match parts.as_slice() {
        [dst] => ("", *dst, ""),
        [src, dst] => (*src, *dst, ""),
        [src, dst, opts] => (*src, *dst, *opts),
        _ => bail!("incorrect volume format {spec:?}, should be [host-dir:]ctr-dir[:option]"),
    };
    if dst.is_empty() {
        bail!("incorrect volume format {spec:?}, should be [host-dir:]ctr-dir[:option]");
    }
    check_destination(dst)?;
    let mut options = Vec::new();
    let mut rw = true;
    for o in opts.split(',').filter(|o| !o.is_empty()) {
        if !BIND_OPTIONS.contains(&o) {
            bail!("invalid option {o:?} in volume {spec:?}");
        }
        match o {
            "ro" => rw = false,
            "rw" => rw = true,
            // SELinux relabelling and chown-on-mount have nothing to do here.
            "z" | "Z" | "U" | "copy" => {}
            // Kept for copy-up (volumes::copy_up); the runtime ignores it.
            "nocopy" => options.push(o.to_string()),
            other => options.push(other.to_string()),
        }
    }
    if src.is_empty() {
        return Ok(volume_record("", dst, options, rw, true));
    }
    if is_host_path(src) {
        let abs = if src.starts_with('/') {
            Path::new(src).to_path_buf()
        } else {
            cwd.join(src)
        };
        return bind_record(&abs.display().to_string(), dst, options, rw);
    }
    Ok(volume_record(src, dst, options, rw, false))
}

fn volume_record(
    name: &str,
    dst: &str,
    options: Vec<String>,
    rw: bool,
    anonymous: bool,
) -> MountRecord {
    MountRecord {
        kind: "volume".into(),
        source: name.into(),
        destination: clean(dst),
        options,
        rw,
        host_path: String::new(),
        anonymous,
    }
}

fn bind_record(src: &str, dst: &str, options: Vec<String>, rw: bool) -> Result<MountRecord> {
    if std::fs::metadata(src).is_err() {
        bail!("statfs {src}: no such file or directory");
    }
    Ok(MountRecord {
        kind: "bind".into(),
        source: src.into(),
        destination: clean(dst),
        options,
        rw,
        host_path: src.into(),
        anonymous: false,
    })
}

fn clean(p: &str) -> String {
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        trimmed.into()
    }
}

/// `--mount type=bind|volume|tmpfs,source=..,target=..,readonly,...`.
pub fn parse_mount(spec: &str, cwd: &Path) -> Result<MountRecord> {
    let mut kind = String::new();
    let mut src = String::new();
    let mut dst = String::new();
    let mut rw = true;
    let mut options = Vec::new();
    for field in spec.split(',') {
        let (k, v) = field
            .split_once('=')
            .map(|(k, v)| (k, Some(v)))
            .unwrap_or((field, None));
        match (k, v) {
            ("type", Some(v)) => kind = v.to_string(),
            ("source" | "src", Some(v)) => src = v.to_string(),
            ("target" | "destination" | "dst", Some(v)) => dst = v.to_string(),
            ("readonly" | "ro", None) | ("readonly" | "ro", Some("true" | "1")) => rw = false,
            ("readonly" | "ro", Some("false" | "0")) => rw = true,
            ("tmpfs-size", Some(v)) => options.push(format!("size={v}")),
            ("tmpfs-mode", Some(v)) => options.push(format!("mode={v}")),
            ("bind-propagation", Some(v)) => options.push(v.to_string()),
            ("volume-nocopy", None | Some("true" | "1")) => options.push("nocopy".into()),
            ("relabel" | "volume-opt" | "consistency" | "bind-nonrecursive" | "U" | "chown", _) => {
            }
            _ => bail!("unsupported field {field:?} in --mount {spec:?}"),
        }
    }
    if dst.is_empty() {
        bail!("--mount {spec:?}: target is required");
    }
    check_destination(&dst)?;
    match kind.as_str() {
        "bind" => {
            if src.is_empty() {
                bail!("--mount {spec:?}: source is required for bind mounts");
            }
            let abs = if src.starts_with('/') {
                Path::new(&src).to_path_buf()
            } else {
                cwd.join(&src)
            };
            bind_record(&abs.display().to_string(), &dst, options, rw)
        }
        "volume" => Ok(volume_record(&src, &dst, options, rw, src.is_empty())),
        "tmpfs" => Ok(tmpfs_record(&dst, options, rw)),
        "" => bail!("--mount {spec:?}: type is required (bind, volume or tmpfs)"),
        other => {
            bail!("--mount {spec:?}: unsupported mount type {other:?} (bind, volume or tmpfs)")
        }
    }
}

/// `--tmpfs /path[:opts]`.
pub fn parse_tmpfs(spec: &str) -> Result<MountRecord> {
    let (dst, opts) = spec.split_once(':').unwrap_or((spec, ""));
    check_destination(dst)?;
    let mut rw = true;
    let mut options = Vec::new();
    for o in opts.split(',').filter(|o| !o.is_empty()) {
        match o {
            "ro" => rw = false,
            "rw" => rw = true,
            other => options.push(other.to_string()),
        }
    }
    Ok(tmpfs_record(dst, options, rw))
}

fn tmpfs_record(dst: &str, options: Vec<String>, rw: bool) -> MountRecord {
    MountRecord {
        kind: "tmpfs".into(),
        source: String::new(),
        destination: clean(dst),
        options,
        rw,
        host_path: String::new(),
        anonymous: false,
    }
}

/// The OCI mount for a record (volumes must have their host path filled in).
pub fn to_oci(m: &MountRecord) -> Result<Mount> {
    let mut opts: Vec<String> = Vec::new();
    let (typ, source) = match m.kind.as_str() {
        "tmpfs" => {
            // Podman's defaults for a tmpfs (pkg/util ProcessOptions): noexec unless `exec`.
            opts.extend(["nosuid".to_string(), "nodev".to_string()]);
            if !m.options.iter().any(|o| o == "exec") {
                opts.push("noexec".into());
            }
            ("tmpfs", "tmpfs".to_string())
        }
        _ => {
            if !m.options.iter().any(|o| o == "bind") {
                opts.push("rbind".into());
            }
            // As Podman: a setuid binary or device node dropped into a volume or a host
            // directory does not work in another container; `suid`/`dev` ask for it
            // (they come later in the list and win).
            opts.extend(["nosuid".to_string(), "nodev".to_string()]);
            ("bind", m.host_path.clone())
        }
    };
    opts.push(if m.rw { "rw".into() } else { "ro".into() });
    opts.extend(m.options.iter().cloned());
    MountBuilder::default()
        .destination(&m.destination)
        .typ(typ)
        .source(source)
        .options(opts)
        .build()
        .map_err(|e| anyhow::anyhow!("building mount for {}: {e}", m.destination))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volume_forms() {
        let cwd = Path::new("/");
        let m = parse_volume("/tmp:/data:ro,z", cwd).unwrap();
        assert_eq!(
            (
                m.kind.as_str(),
                m.source.as_str(),
                m.destination.as_str(),
                m.rw
            ),
            ("bind", "/tmp", "/data", false)
        );
        let m = parse_volume("cache:/var/cache", cwd).unwrap();
        assert_eq!(
            (m.kind.as_str(), m.source.as_str(), m.anonymous),
            ("volume", "cache", false)
        );
        let m = parse_volume("/scratch", cwd).unwrap();
        assert!(m.anonymous && m.kind == "volume");
        assert!(parse_volume("/tmp:relative", cwd).is_err());
        assert!(
            parse_volume("/nonexistent-skiff-dir:/x", cwd)
                .unwrap_err()
                .to_string()
                .contains("statfs")
        );
        assert!(parse_volume("a:b:c:d", cwd).is_err());
        assert!(parse_volume("/tmp:/x:bogus", cwd).is_err());
    }

    #[test]
    fn mount_and_tmpfs_forms() {
        let cwd = Path::new("/");
        let m = parse_mount("type=bind,source=/tmp,target=/t,readonly", cwd).unwrap();
        assert!(!m.rw && m.kind == "bind");
        let m = parse_mount("type=tmpfs,target=/run,tmpfs-size=64m", cwd).unwrap();
        assert_eq!(m.options, vec!["size=64m"]);
        let m = parse_mount("type=volume,src=data,dst=/data", cwd).unwrap();
        assert_eq!(m.source, "data");
        assert!(parse_mount("type=nfs,target=/x", cwd).is_err());
        let t = parse_tmpfs("/run:rw,size=10m,mode=1777").unwrap();
        assert_eq!(t.options, vec!["size=10m", "mode=1777"]);
        let oci = to_oci(&t).unwrap();
        assert_eq!(oci.typ().as_deref(), Some("tmpfs"));
    }

    #[test]
    fn binds_default_to_nosuid_nodev() {
        let cwd = Path::new("/");
        let opts = |m: &MountRecord| to_oci(m).unwrap().options().clone().unwrap();
        let m = parse_volume("/tmp:/data", cwd).unwrap();
        assert_eq!(opts(&m), ["rbind", "nosuid", "nodev", "rw"]);
        let mut v = parse_volume("vol:/data:suid,dev", cwd).unwrap();
        v.host_path = "/x".into();
        assert_eq!(opts(&v), ["rbind", "nosuid", "nodev", "rw", "suid", "dev"]);
    }

    #[test]
    fn nothing_over_proc_or_sys() {
        let cwd = Path::new("/");
        for dst in [
            "/proc",
            "/proc/",
            "/proc/sys/kernel",
            "/sys",
            "//sys/fs",
            "/./proc",
        ] {
            let err = parse_volume(&format!("/tmp:{dst}"), cwd).unwrap_err();
            assert!(
                err.to_string().contains("cannot be mounted"),
                "{dst}: {err}"
            );
            assert!(parse_tmpfs(dst).is_err(), "{dst}");
            assert!(parse_mount(&format!("type=tmpfs,target={dst}"), cwd).is_err());
        }
        assert!(parse_volume("/tmp:/procfs", cwd).is_ok());
        assert!(parse_volume("/tmp:/data/proc", cwd).is_ok());
    }
}
