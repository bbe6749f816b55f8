//! The container's cgroup: a pids limit (Podman's default 2048, `--pids-limit`) and, on
//! cgroup v1, the devices controller's allow list (Podman's default, so a device node that
//! reaches a container some other way -- mknod in its /dev tmpfs -- stays dead).
//!
//! Raw file writes, no libcgroups: the whole job is a few mkdirs and writes, and libcgroups
//! pins an older nix. The spec carries what to do: `linux.cgroupsPath` ("/skiff/<id>",
//! relative to each hierarchy's root) and `linux.resources` (pids, devices). Only root
//! manages cgroups here: a rootless container gets none (as Podman on cgroup v1, or without
//! systemd delegation), and create warns when a limit was asked for.
//!
//! Order: `prepare` before clone3 (directories and limits), `Cgroup::add` from the parent
//! before it releases the child (sync 1), so the container's first process is limited before
//! it runs anything of the image's; `remove` when the container is removed.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use oci_spec::runtime::{LinuxDeviceCgroup, LinuxDeviceType, Spec};

const CGROUP_ROOT: &str = "/sys/fs/cgroup";
/// The parent of every container's cgroup, below each hierarchy's root.
const PARENT: &str = "skiff";

/// Podman's (containers.conf) default `pids_limit`.
pub const DEFAULT_PIDS_LIMIT: i64 = 2048;

/// The cgroup path recorded in a container's spec.
pub fn cgroup_path(container_id: &str) -> String {
    format!("/{PARENT}/{container_id}")
}

/// Whether this process can manage cgroups for containers: root, with a pids controller
/// mounted writable (not so inside a container that got a read-only /sys/fs/cgroup).
pub fn available() -> bool {
    rustix::process::geteuid().is_root()
        && pids_controller()
            .is_some_and(|dir| rustix::fs::access(&dir, rustix::fs::Access::WRITE_OK).is_ok())
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Layout {
    /// cgroup v1: one hierarchy per controller under /sys/fs/cgroup/<controller>.
    V1,
    /// cgroup v2 mounted at /sys/fs/cgroup.
    V2,
}

/// Asked once per process: `run` consults it in create, in spawn and for the device rules.
fn layout() -> Layout {
    static LAYOUT: std::sync::OnceLock<Layout> = std::sync::OnceLock::new();
    *LAYOUT.get_or_init(
        || match Path::new(CGROUP_ROOT).join("cgroup.controllers").exists() {
            true => Layout::V2,
            false => Layout::V1,
        },
    )
}

/// The hierarchy holding the pids controller, if any (looked up once per process).
fn pids_controller() -> Option<PathBuf> {
    static ROOT: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    ROOT.get_or_init(find_pids_controller).clone()
}

fn find_pids_controller() -> Option<PathBuf> {
    match layout() {
        Layout::V1 => {
            let dir = Path::new(CGROUP_ROOT).join("pids");
            dir.join("cgroup.procs").exists().then_some(dir)
        }
        Layout::V2 => {
            let list =
                std::fs::read_to_string(Path::new(CGROUP_ROOT).join("cgroup.controllers")).ok()?;
            list.split_whitespace()
                .any(|c| c == "pids")
                .then(|| PathBuf::from(CGROUP_ROOT))
        }
    }
}

/// The cgroup directories of one container, one per hierarchy it joined.
#[derive(Debug)]
pub(super) struct Cgroup {
    dirs: Vec<PathBuf>,
}

/// Creates the container's cgroup directories and writes its limits. None when the spec asks
/// for no cgroup, or we are not root, or no pids controller is mounted.
pub(super) fn prepare(spec: &Spec) -> Result<Option<Cgroup>> {
    let Some(linux) = spec.linux() else {
        return Ok(None);
    };
    let Some(path) = linux.cgroups_path() else {
        return Ok(None);
    };
    if !rustix::process::geteuid().is_root() {
        return Ok(None);
    }
    let Some(pids_root) = pids_controller() else {
        log::debug!("no pids cgroup controller: the container gets no pids limit");
        return Ok(None);
    };
    let rel = relative(path)?;
    let resources = linux.resources().as_ref();
    let pids_limit = resources
        .and_then(|r| r.pids().as_ref())
        .map(|p| p.limit())
        .unwrap_or(-1);
    let devices = resources
        .and_then(|r| r.devices().clone())
        .unwrap_or_default();
    let mut dirs = Vec::new();
    let pids_dir = make_dir(&pids_root, &rel, layout() == Layout::V2)?;
    write(&pids_dir, "pids.max", &pids_max(pids_limit))?;
    dirs.push(pids_dir);
    let devices_root = Path::new(CGROUP_ROOT).join("devices");
    if layout() == Layout::V1 && !devices.is_empty() && devices_root.join("devices.allow").exists()
    {
        let dir = make_dir(&devices_root, &rel, false)?;
        for rule in &devices {
            let file = if rule.allow() {
                "devices.allow"
            } else {
                "devices.deny"
            };
            write(&dir, file, &device_rule(rule))?;
        }
        dirs.push(dir);
    }
    Ok(Some(Cgroup { dirs }))
}

impl Cgroup {
    /// Moves `pid` (in our pid namespace) into every directory of the cgroup.
    pub(super) fn add(&self, pid: i32) -> Result<()> {
        for dir in &self.dirs {
            write(dir, "cgroup.procs", &pid.to_string())?;
        }
        Ok(())
    }
}

/// Moves `pid` into the cgroup of a running container (for `exec`: a process started in
/// the container is limited with it). A no-op for a container that has no cgroup.
pub fn join_container_cgroup(spec: &Spec, pid: i32) -> Result<()> {
    let Some(path) = spec.linux().as_ref().and_then(|l| l.cgroups_path().clone()) else {
        return Ok(());
    };
    if !rustix::process::geteuid().is_root() {
        return Ok(());
    }
    let rel = relative(&path)?;
    for root in hierarchy_roots() {
        let dir = root.join(&rel);
        if dir.is_dir() {
            write(&dir, "cgroup.procs", &pid.to_string())?;
        }
    }
    Ok(())
}

fn hierarchy_roots() -> Vec<PathBuf> {
    match layout() {
        Layout::V2 => vec![PathBuf::from(CGROUP_ROOT)],
        Layout::V1 => ["pids", "devices"]
            .iter()
            .map(|c| Path::new(CGROUP_ROOT).join(c))
            .collect(),
    }
}

/// Whether `prepare` gives containers device rules: root on cgroup v1 with a devices
/// hierarchy (v2 would need an eBPF program, which skiff does not load).
pub fn enforces_device_rules() -> bool {
    available()
        && layout() == Layout::V1
        && Path::new(CGROUP_ROOT)
            .join("devices/devices.allow")
            .exists()
}

/// Removes the cgroups of build steps whose build process is gone (`build-<pid>-<n>`: a build
/// killed with SIGKILL cannot remove its step's; the step's processes died with it). Best
/// effort: a cgroup still in use is busy and stays.
pub fn remove_stale_build_cgroups() {
    if !available() {
        return;
    }
    for root in hierarchy_roots() {
        let Ok(entries) = std::fs::read_dir(root.join(PARENT)) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            let Some(pid) = name
                .to_str()
                .and_then(|n| n.strip_prefix("build-"))
                .and_then(|n| n.split('-').next())
                .and_then(|p| p.parse::<u32>().ok())
            else {
                continue;
            };
            if !Path::new("/proc").join(pid.to_string()).exists() {
                let _ = std::fs::remove_dir(e.path());
            }
        }
    }
}

/// Removes a container's cgroup directories (a no-op for a container that has none). The
/// container's processes must be gone; a directory still busy after a short wait is left
/// (logged), since the removal of the container must not fail on it.
pub fn remove_cgroup(container_id: &str) {
    let Ok(rel) = relative(Path::new(&cgroup_path(container_id))) else {
        return;
    };
    for root in hierarchy_roots() {
        let dir = root.join(&rel);
        for attempt in 0..50 {
            match std::fs::remove_dir(&dir) {
                Ok(()) => break,
                Err(e) if e.kind() == ErrorKind::NotFound => break,
                // Exiting processes leave a moment after their parent reaped them.
                Err(e) if e.raw_os_error() == Some(libc::EBUSY) && attempt < 49 => {
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                Err(e) => {
                    log::debug!("removing cgroup {}: {e}", dir.display());
                    break;
                }
            }
        }
    }
}

/// `cgroupsPath` as a relative path of plain names (no `..`, nothing absolute left).
fn relative(path: &Path) -> Result<PathBuf> {
    let rel: PathBuf = path
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(n) => Some(Ok(n)),
            std::path::Component::RootDir | std::path::Component::CurDir => None,
            _ => Some(Err(())),
        })
        .collect::<std::result::Result<_, ()>>()
        .map_err(|()| anyhow::anyhow!("invalid cgroup path {}", path.display()))?;
    if rel.as_os_str().is_empty() {
        anyhow::bail!("invalid cgroup path {}", path.display());
    }
    Ok(rel)
}

/// Creates `root/rel` with its parents. On v2, each parent enables the pids controller for
/// its children first (a controller reaches a cgroup only through its parents).
fn make_dir(root: &Path, rel: &Path, v2: bool) -> Result<PathBuf> {
    let mut dir = root.to_path_buf();
    for part in rel.components() {
        if v2 {
            // Already enabled, or not allowed here: the pids.max write below tells.
            let _ = write(&dir, "cgroup.subtree_control", "+pids");
        }
        dir.push(part);
        match std::fs::create_dir(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
            Err(e) => {
                return Err(e).with_context(|| format!("creating cgroup {}", dir.display()));
            }
        }
    }
    Ok(dir)
}

fn write(dir: &Path, file: &str, value: &str) -> Result<()> {
    let path = dir.join(file);
    std::fs::write(&path, value).with_context(|| format!("writing {value:?} to {}", path.display()))
}

/// pids.max for a spec limit: 0 or negative is unlimited, as in runc and Podman.
fn pids_max(limit: i64) -> String {
    match limit > 0 {
        true => limit.to_string(),
        false => "max".to_string(),
    }
}

/// A v1 devices rule: "c 1:3 rwm", "a *:* rwm".
fn device_rule(rule: &LinuxDeviceCgroup) -> String {
    let typ = match rule.typ() {
        Some(LinuxDeviceType::C) | Some(LinuxDeviceType::U) => "c",
        Some(LinuxDeviceType::B) => "b",
        Some(LinuxDeviceType::P) => "p",
        Some(LinuxDeviceType::A) | None => "a",
    };
    let num = |n: Option<i64>| n.map_or("*".to_string(), |n| n.to_string());
    let access = rule.access().clone().unwrap_or_else(|| "rwm".to_string());
    format!("{typ} {}:{} {access}", num(rule.major()), num(rule.minor()))
}

/// The device rules for a container: Podman's (runc's) default allow list after denying
/// everything, or everything for `--privileged`; `extra` are the spec's own devices
/// (`--device`), allowed as well.
pub fn device_rules(
    privileged: bool,
    extra: &[(char, i64, i64)],
) -> Result<Vec<LinuxDeviceCgroup>> {
    use oci_spec::runtime::LinuxDeviceCgroupBuilder as B;
    let rule = |allow: bool, typ: LinuxDeviceType, major: Option<i64>, minor: Option<i64>| {
        let mut b = B::default().allow(allow).typ(typ).access("rwm");
        if let Some(m) = major {
            b = b.major(m);
        }
        if let Some(m) = minor {
            b = b.minor(m);
        }
        b.build()
    };
    if privileged {
        return Ok(vec![rule(true, LinuxDeviceType::A, None, None)?]);
    }
    use LinuxDeviceType::{A, B as Blk, C};
    let mut rules = vec![rule(false, A, None, None)?];
    // mknod of any node is allowed; opening one is not, unless listed below.
    for typ in [C, Blk] {
        rules.push(B::default().allow(true).typ(typ).access("m").build()?);
    }
    let allowed: [(i64, Option<i64>); 9] = [
        (1, Some(3)),    // null
        (1, Some(5)),    // zero
        (1, Some(7)),    // full
        (1, Some(8)),    // random
        (1, Some(9)),    // urandom
        (5, Some(0)),    // tty
        (5, Some(2)),    // ptmx
        (136, None),     // pts/*
        (10, Some(200)), // net/tun
    ];
    for (major, minor) in allowed {
        rules.push(rule(true, C, Some(major), minor)?);
    }
    for &(typ, major, minor) in extra {
        let typ = match typ {
            'b' => Blk,
            _ => C,
        };
        rules.push(rule(true, typ, Some(major), Some(minor))?);
    }
    Ok(rules)
}

/// Whether the rules let the container open every device (`--privileged`).
pub fn devices_unrestricted(spec: &Spec) -> bool {
    let rules = spec
        .linux()
        .as_ref()
        .and_then(|l| l.resources().as_ref())
        .and_then(|r| r.devices().as_ref());
    rules.is_some_and(|rules| {
        rules
            .iter()
            .any(|r| r.allow() && matches!(r.typ(), Some(LinuxDeviceType::A) | None))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_read_like_runc() {
        let rules = device_rules(false, &[('b', 7, 0)]).unwrap();
        let text: Vec<String> = rules.iter().map(device_rule).collect();
        assert_eq!(text[0], "a *:* rwm");
        assert!(!rules[0].allow());
        assert!(text.contains(&"c 1:3 rwm".to_string()));
        assert!(text.contains(&"c 136:* rwm".to_string()));
        assert!(text.contains(&"c *:* m".to_string()));
        assert_eq!(text.last().unwrap(), "b 7:0 rwm");
        let all = device_rules(true, &[]).unwrap();
        assert_eq!(
            all.iter().map(device_rule).collect::<Vec<_>>(),
            ["a *:* rwm"]
        );
        assert!(all[0].allow());
    }

    #[test]
    fn limits_and_paths() {
        assert_eq!(pids_max(2048), "2048");
        assert_eq!(pids_max(0), "max");
        assert_eq!(pids_max(-1), "max");
        assert_eq!(
            relative(Path::new("/skiff/abc")).unwrap(),
            Path::new("skiff/abc")
        );
        assert!(relative(Path::new("/skiff/../..")).is_err());
        assert!(relative(Path::new("/")).is_err());
    }
}
