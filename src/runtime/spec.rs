//! The OCI runtime spec a new container starts from: Podman 4's defaults for namespaces,
//! mounts, masked and read-only paths, capabilities, rlimits and seccomp. Callers then set the
//! rootfs, args, env, user, hostname and id maps.

use anyhow::{Context, Result};
use oci_spec::runtime::{
    Capabilities, Linux, LinuxBuilder, LinuxCapabilitiesBuilder, LinuxNamespace,
    LinuxNamespaceBuilder, LinuxNamespaceType, Mount, MountBuilder, PosixRlimit,
    PosixRlimitBuilder, PosixRlimitType, Process, ProcessBuilder, RootBuilder, Spec, SpecBuilder,
    UserBuilder,
};
use rustix::process::{Resource, getrlimit};

use super::caps::{DEFAULT_CAPS, merge_caps, names_of, oci_caps_from_names};
use super::seccomp::default_linux_seccomp;

/// Podman's default PATH for a container whose image sets none.
pub const DEFAULT_PATH: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Paths Podman hides from the container (containers/common and Podman 4's additions).
pub const MASKED_PATHS: &[&str] = &[
    "/proc/acpi",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/sys/firmware",
    "/sys/fs/selinux",
    "/sys/dev/block",
    // RAPL energy counters leak what other processes compute (PLATYPUS, CVE-2020-8694):
    // containers/common, runc's and Docker's defaults mask it too.
    "/sys/devices/virtual/powercap",
];

/// Paths Podman mounts read-only in the container.
pub const READONLY_PATHS: &[&str] = &[
    "/proc/asound",
    "/proc/bus",
    "/proc/fs",
    "/proc/irq",
    "/proc/sys",
    "/proc/sysrq-trigger",
];

/// Podman 4's rootful defaults (containers.conf `default_ulimits` unset); lowered to the
/// current hard limit, since raising past it needs CAP_SYS_RESOURCE.
const DEFAULT_NOFILE: u64 = 1_048_576;
const DEFAULT_NPROC: u64 = 4_194_304;

/// The spec Podman 4 would write for a container before image and command-line settings.
/// `rootless` adds a user namespace and drops devpts' gid=5; `host_network` leaves the network
/// namespace out (and, rootless, bind-mounts /sys, which a fresh sysfs mount would refuse).
pub fn default_spec(rootless: bool, host_network: bool) -> Result<Spec> {
    let caps: Vec<String> = DEFAULT_CAPS.iter().map(|c| c.to_string()).collect();
    let linux = default_linux(rootless, host_network, &caps)?;
    SpecBuilder::default()
        .version("1.0.2-dev")
        .root(
            RootBuilder::default()
                .path("rootfs")
                .readonly(false)
                .build()?,
        )
        .mounts(default_mounts(rootless, host_network)?)
        .process(default_process(&caps)?)
        .linux(linux)
        .build()
        .context("building the default runtime spec")
}

fn default_process(caps: &[String]) -> Result<Process> {
    let set = oci_caps_from_names(caps)?;
    let capabilities = LinuxCapabilitiesBuilder::default()
        .bounding(set.clone())
        .effective(set.clone())
        .permitted(set)
        .inheritable(Capabilities::new())
        .ambient(Capabilities::new())
        .build()?;
    let process = ProcessBuilder::default()
        .terminal(false)
        .user(
            UserBuilder::default()
                .uid(0u32)
                .gid(0u32)
                .umask(0o022u32)
                .build()?,
        )
        .args(Vec::<String>::new())
        .env(vec![DEFAULT_PATH.to_string()])
        .cwd("/")
        .capabilities(capabilities)
        .rlimits(default_rlimits()?)
        .no_new_privileges(false)
        .build()?;
    Ok(process)
}

fn default_rlimits() -> Result<Vec<PosixRlimit>> {
    let limit = |typ, resource, default: u64| -> Result<PosixRlimit> {
        let hard = getrlimit(resource).maximum.unwrap_or(u64::MAX);
        let value = default.min(hard);
        Ok(PosixRlimitBuilder::default()
            .typ(typ)
            .hard(value)
            .soft(value)
            .build()?)
    };
    Ok(vec![
        limit(
            PosixRlimitType::RlimitNofile,
            Resource::Nofile,
            DEFAULT_NOFILE,
        )?,
        limit(PosixRlimitType::RlimitNproc, Resource::Nproc, DEFAULT_NPROC)?,
    ])
}

fn default_linux(rootless: bool, host_network: bool, caps: &[String]) -> Result<Linux> {
    let strings = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    Ok(LinuxBuilder::default()
        .namespaces(default_namespaces(rootless, host_network)?)
        .masked_paths(strings(MASKED_PATHS))
        .readonly_paths(strings(READONLY_PATHS))
        .seccomp(default_linux_seccomp(caps))
        .build()?)
}

fn default_namespaces(rootless: bool, host_network: bool) -> Result<Vec<LinuxNamespace>> {
    let mut kinds = Vec::new();
    if rootless {
        kinds.push(LinuxNamespaceType::User);
    }
    kinds.extend([
        LinuxNamespaceType::Mount,
        LinuxNamespaceType::Pid,
        LinuxNamespaceType::Ipc,
        LinuxNamespaceType::Uts,
    ]);
    if !host_network {
        kinds.push(LinuxNamespaceType::Network);
    }
    kinds
        .into_iter()
        .map(|typ| Ok(LinuxNamespaceBuilder::default().typ(typ).build()?))
        .collect()
}

fn mount(destination: &str, typ: &str, source: &str, options: &[&str]) -> Result<Mount> {
    Ok(MountBuilder::default()
        .destination(destination)
        .typ(typ)
        .source(source)
        .options(options.iter().map(|o| o.to_string()).collect::<Vec<_>>())
        .build()?)
}

/// Podman's mounts, in Podman's order.
fn default_mounts(rootless: bool, host_network: bool) -> Result<Vec<Mount>> {
    let mut devpts = vec![
        "nosuid",
        "noexec",
        "newinstance",
        "ptmxmode=0666",
        "mode=0620",
    ];
    // The tty group: only a rootful container can be sure gid 5 is mapped.
    if !rootless {
        devpts.push("gid=5");
    }
    // sysfs can only be mounted by the owner of the network namespace; a rootless container
    // on the host's network does not own it.
    let sys = match rootless && host_network {
        true => mount(
            "/sys",
            "bind",
            "/sys",
            &["rprivate", "nosuid", "noexec", "nodev", "ro", "rbind"],
        )?,
        false => mount(
            "/sys",
            "sysfs",
            "sysfs",
            &["nosuid", "noexec", "nodev", "ro"],
        )?,
    };
    Ok(vec![
        mount("/proc", "proc", "proc", &["nosuid", "noexec", "nodev"])?,
        mount(
            "/dev",
            "tmpfs",
            "tmpfs",
            // nodev: skiff's own nodes are bind mounts (with their own flags), so a node
            // made here with mknod (CAP_MKNOD added) opens nothing where no devices cgroup
            // holds it (`with_cgroup` lifts it where one does, as Podman's /dev has none).
            &["nosuid", "nodev", "strictatime", "mode=755", "size=65536k"],
        )?,
        mount("/dev/pts", "devpts", "devpts", &devpts)?,
        mount(
            "/dev/mqueue",
            "mqueue",
            "mqueue",
            &["nosuid", "noexec", "nodev"],
        )?,
        sys,
        mount(
            "/dev/shm",
            "tmpfs",
            "shm",
            &["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"],
        )?,
    ])
}

/// `--privileged`: device nodes made in the container's /dev work (its tmpfs loses nodev).
pub fn allow_devices_in_dev(spec: &mut Spec) {
    let Some(mut mounts) = spec.mounts().clone() else {
        return;
    };
    for m in mounts
        .iter_mut()
        .filter(|m| m.destination() == std::path::Path::new("/dev"))
    {
        let options = m.options().clone().unwrap_or_default();
        m.set_options(Some(options.into_iter().filter(|o| o != "nodev").collect()));
    }
    spec.set_mounts(Some(mounts));
}

/// Applies --cap-add/--cap-drop/--privileged to the spec's bounding, effective and permitted
/// sets, as Podman does for a container running as root, and regenerates the default seccomp
/// profile for the new set (its rules depend on the capabilities). Names may be written
/// "CAP_NET_ADMIN", "net_admin" or "ALL"; an unknown name is an error.
pub fn with_caps(spec: &mut Spec, add: &[String], drop: &[String], privileged: bool) -> Result<()> {
    if add.is_empty() && drop.is_empty() && !privileged {
        // default_spec's caps and seccomp profile stand: nothing to merge or rebuild.
        return Ok(());
    }
    let process = spec.process().clone().unwrap_or_default();
    let current = process.capabilities().clone().unwrap_or_default();
    let base = names_of(current.bounding().as_ref());
    let merged = match privileged {
        true => merge_caps(&base, &["ALL".to_string()], &[])?,
        false => merge_caps(&base, add, drop)?,
    };
    let set = oci_caps_from_names(&merged)?;
    let mut capabilities = current;
    capabilities.set_bounding(Some(set.clone()));
    capabilities.set_effective(Some(set.clone()));
    capabilities.set_permitted(Some(set));
    let mut process = process;
    process.set_capabilities(Some(capabilities));
    spec.set_process(Some(process));
    if let Some(linux) = spec.linux().clone() {
        let mut linux = linux;
        // A privileged container runs unconfined, as with Podman.
        let seccomp = (!privileged).then(|| default_linux_seccomp(&merged));
        linux.set_seccomp(seccomp);
        spec.set_linux(Some(linux));
    }
    Ok(())
}

/// For a container whose user is not root, Podman keeps the bounding set but gives the process
/// only the capabilities added with --cap-add (that the bounding set holds), in the effective,
/// permitted and ambient sets (and inheritable, which ambient needs), so they survive execve
/// of an ordinary binary.
pub fn restrict_caps_for_non_root(spec: &mut Spec, add: &[String]) -> Result<()> {
    let mut process = spec.process().clone().unwrap_or_default();
    let mut capabilities = process.capabilities().clone().unwrap_or_default();
    let bounding = names_of(capabilities.bounding().as_ref());
    let added = merge_caps(&[], add, &[])?;
    let granted: Vec<String> = added.into_iter().filter(|c| bounding.contains(c)).collect();
    let set = oci_caps_from_names(&granted)?;
    capabilities.set_effective(Some(set.clone()));
    capabilities.set_permitted(Some(set.clone()));
    // The kernel raises an ambient capability only if it is inheritable too.
    capabilities.set_inheritable(Some(set.clone()));
    capabilities.set_ambient(Some(set));
    process.set_capabilities(Some(capabilities));
    spec.set_process(Some(process));
    Ok(())
}

/// The container's cgroup (see runtime/cgroup.rs): its path, Podman's pids limit (or
/// `pids_limit`; 0 and -1 are unlimited) and the devices allow list. A rootless container
/// gets none (no cgroup is delegated to the user here, as with Podman on cgroup v1); an
/// explicit limit is then ignored with Podman's warning.
pub fn with_cgroup(
    spec: &mut Spec,
    container_id: &str,
    rootless: bool,
    pids_limit: Option<i64>,
    privileged: bool,
) -> Result<()> {
    use super::cgroup;
    use oci_spec::runtime::{LinuxPidsBuilder, LinuxResourcesBuilder};
    if rootless || !cgroup::available() {
        if pids_limit.is_some() {
            log::warn!(
                "Resource limits are not supported and ignored on cgroups V1 rootless systems"
            );
        }
        return Ok(());
    }
    let limit = pids_limit.unwrap_or(cgroup::DEFAULT_PIDS_LIMIT);
    let limit = if limit <= 0 { -1 } else { limit };
    let extra: Vec<(char, i64, i64)> = spec
        .linux()
        .as_ref()
        .and_then(|l| l.devices().clone())
        .unwrap_or_default()
        .iter()
        .map(|d| {
            let typ = match d.typ() {
                oci_spec::runtime::LinuxDeviceType::B => 'b',
                _ => 'c',
            };
            (typ, d.major(), d.minor())
        })
        .collect();
    let resources = LinuxResourcesBuilder::default()
        .pids(LinuxPidsBuilder::default().limit(limit).build()?)
        .devices(cgroup::device_rules(privileged, &extra)?)
        .build()?;
    let mut linux = spec.linux().clone().unwrap_or_default();
    linux.set_cgroups_path(Some(cgroup::cgroup_path(container_id).into()));
    linux.set_resources(Some(resources));
    spec.set_linux(Some(linux));
    // The devices cgroup holds nodes made in /dev to its allow list, as with Podman: /dev
    // need not be nodev then. Without one (cgroup v2 has no device rules but eBPF), it stays.
    if cgroup::enforces_device_rules() {
        allow_devices_in_dev(spec);
    }
    Ok(())
}

/// What a container's process is: the parts of the spec `fill_process` sets.
pub struct ProcessParts<'a> {
    pub args: &'a [String],
    pub env: &'a [String],
    pub cwd: &'a str,
    pub user: &'a super::user::ExecUser,
    pub hostname: &'a str,
    pub tty: bool,
    pub no_new_privs: bool,
    pub rootfs: &'a std::path::Path,
    pub read_only: bool,
}

/// Sets the process (argv, env, cwd, user, terminal), hostname and root of `spec`.
pub fn fill_process(spec: &mut Spec, p: ProcessParts<'_>) -> Result<()> {
    let mut process = spec.process().clone().unwrap_or_default();
    process.set_args(Some(p.args.to_vec()));
    process.set_env(Some(p.env.to_vec()));
    process.set_cwd(std::path::PathBuf::from(p.cwd));
    process.set_terminal(Some(p.tty));
    process.set_no_new_privileges(Some(p.no_new_privs));
    let mut u = process.user().clone();
    u.set_uid(p.user.uid);
    u.set_gid(p.user.gid);
    u.set_additional_gids(if p.user.additional_gids.is_empty() {
        None
    } else {
        Some(p.user.additional_gids.clone())
    });
    process.set_user(u);
    spec.set_process(Some(process));
    spec.set_hostname(Some(p.hostname.to_string()));
    let mut root = spec.root().clone().unwrap_or_default();
    root.set_path(p.rootfs.to_path_buf());
    root.set_readonly(Some(p.read_only));
    spec.set_root(Some(root));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn json(spec: &Spec) -> Value {
        serde_json::to_value(spec).unwrap()
    }

    fn sorted_strings(v: &Value) -> Vec<String> {
        let mut list: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect();
        list.sort();
        list
    }

    #[test]
    fn rootful_defaults() {
        let v = json(&default_spec(false, false).unwrap());
        let namespaces: Vec<&str> = v["linux"]["namespaces"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["type"].as_str().unwrap())
            .collect();
        assert_eq!(namespaces, ["mount", "pid", "ipc", "uts", "network"]);
        let destinations: Vec<&str> = v["mounts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["destination"].as_str().unwrap())
            .collect();
        assert_eq!(
            destinations,
            [
                "/proc",
                "/dev",
                "/dev/pts",
                "/dev/mqueue",
                "/sys",
                "/dev/shm"
            ]
        );
        let devpts = &v["mounts"][2];
        assert_eq!(devpts["type"], "devpts");
        assert_eq!(
            devpts["options"],
            serde_json::json!([
                "nosuid",
                "noexec",
                "newinstance",
                "ptmxmode=0666",
                "mode=0620",
                "gid=5"
            ])
        );
        assert_eq!(v["mounts"][4]["type"], "sysfs");
        assert_eq!(
            v["mounts"][5]["options"],
            serde_json::json!(["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"])
        );
        assert_eq!(v["linux"]["maskedPaths"].as_array().unwrap().len(), 12);
        assert_eq!(v["linux"]["readonlyPaths"][5], "/proc/sysrq-trigger");

        let process = &v["process"];
        assert_eq!(process["cwd"], "/");
        assert_eq!(process["env"], serde_json::json!([DEFAULT_PATH]));
        assert_eq!(process["noNewPrivileges"], false);
        assert_eq!(process["user"]["uid"], 0);
        let caps = &process["capabilities"];
        let mut want: Vec<String> = DEFAULT_CAPS.iter().map(|s| s.to_string()).collect();
        want.sort();
        for set in ["bounding", "effective", "permitted"] {
            assert_eq!(sorted_strings(&caps[set]), want, "{set}");
        }
        assert_eq!(caps["inheritable"], serde_json::json!([]));
        assert_eq!(caps["ambient"], serde_json::json!([]));
        let rlimits = process["rlimits"].as_array().unwrap();
        assert_eq!(rlimits[0]["type"], "RLIMIT_NOFILE");
        let hard = getrlimit(Resource::Nofile).maximum.unwrap_or(u64::MAX);
        assert_eq!(
            rlimits[0]["hard"].as_u64().unwrap(),
            DEFAULT_NOFILE.min(hard)
        );
        assert_eq!(rlimits[1]["type"], "RLIMIT_NPROC");

        let seccomp = &v["linux"]["seccomp"];
        assert_eq!(seccomp["defaultAction"], "SCMP_ACT_ERRNO");
        assert_eq!(seccomp["defaultErrnoRet"], 38);
    }

    #[test]
    fn rootless_and_host_network() {
        let v = json(&default_spec(true, true).unwrap());
        let namespaces: Vec<&str> = v["linux"]["namespaces"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["type"].as_str().unwrap())
            .collect();
        assert_eq!(namespaces, ["user", "mount", "pid", "ipc", "uts"]);
        assert!(
            !v["mounts"][2]["options"]
                .as_array()
                .unwrap()
                .contains(&"gid=5".into())
        );
        assert_eq!(v["mounts"][4]["type"], "bind");
        assert_eq!(v["mounts"][4]["source"], "/sys");
        assert!(
            v["mounts"][4]["options"]
                .as_array()
                .unwrap()
                .contains(&"ro".into())
        );
        let v = json(&default_spec(true, false).unwrap());
        assert_eq!(v["mounts"][4]["type"], "sysfs");
    }

    fn bounding(spec: &Spec) -> Vec<String> {
        names_of(
            spec.process()
                .as_ref()
                .unwrap()
                .capabilities()
                .as_ref()
                .unwrap()
                .bounding()
                .as_ref(),
        )
    }

    fn allowed(spec: &Spec, name: &str) -> bool {
        let seccomp = spec.linux().as_ref().unwrap().seccomp().clone().unwrap();
        seccomp.syscalls().iter().flatten().any(|s| {
            s.action() == oci_spec::runtime::LinuxSeccompAction::ScmpActAllow
                && s.names().iter().any(|n| n == name)
        })
    }

    #[test]
    fn cap_add_drop() {
        let mut spec = default_spec(false, false).unwrap();
        assert!(!allowed(&spec, "sethostname"));
        let add = vec!["net_admin".to_string(), "CAP_SYS_ADMIN".to_string()];
        with_caps(&mut spec, &add, &["chown".to_string()], false).unwrap();
        let caps = bounding(&spec);
        assert!(caps.contains(&"CAP_NET_ADMIN".to_string()));
        assert!(caps.contains(&"CAP_SYS_ADMIN".to_string()));
        assert!(!caps.contains(&"CAP_CHOWN".to_string()));
        assert!(allowed(&spec, "sethostname"), "seccomp follows the caps");

        let err = with_caps(&mut spec, &["CAP_FOO".to_string()], &[], false).unwrap_err();
        assert_eq!(err.to_string(), r#"unknown capability "CAP_FOO""#);

        let mut spec = default_spec(false, false).unwrap();
        with_caps(&mut spec, &[], &["ALL".to_string()], false).unwrap();
        assert!(bounding(&spec).is_empty());

        let mut spec = default_spec(false, false).unwrap();
        with_caps(&mut spec, &["ALL".to_string()], &[], false).unwrap();
        assert_eq!(
            bounding(&spec),
            super::super::caps::current_bounding_set().unwrap()
        );

        let mut spec = default_spec(false, false).unwrap();
        with_caps(&mut spec, &[], &[], true).unwrap();
        assert!(spec.linux().as_ref().unwrap().seccomp().is_none());
    }

    #[test]
    fn non_root_user_gets_only_added_caps() {
        let mut spec = default_spec(false, false).unwrap();
        restrict_caps_for_non_root(&mut spec, &["kill".to_string(), "net_admin".to_string()])
            .unwrap();
        let caps = spec
            .process()
            .as_ref()
            .unwrap()
            .capabilities()
            .clone()
            .unwrap();
        assert_eq!(names_of(caps.effective().as_ref()), ["CAP_KILL"]);
        assert_eq!(names_of(caps.ambient().as_ref()), ["CAP_KILL"]);
        assert_eq!(names_of(caps.bounding().as_ref()).len(), DEFAULT_CAPS.len());
    }
}
