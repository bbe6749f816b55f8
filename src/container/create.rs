//! `create` (and the first half of `run`): resolve the image, reserve a name, make the
//! container's directories, and write its record and OCI runtime spec. Either everything
//! is written or nothing is left behind.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::Utc;
use oci_spec::runtime::Spec;
use serde_json::Value;

use super::mounts::{self, to_oci};
use super::record::{ContainerPaths, ContainerRecord, MountRecord, save_json};
use super::{names, new_id, paths_for, signal};
use crate::images::pull_policy::PullPolicy;
use crate::images::view::{ImageView, string_list};
use crate::runtime::{idmaps, seccomp, spec as rspec, user};
use crate::store::Store;
use crate::store::fsutil::{ensure_dir, remove_all};

/// Everything `run`/`create` flags say about a new container.
#[derive(Debug, Default, Clone)]
pub struct CreateOptions {
    pub image: String,
    pub command: Vec<String>,
    pub name: Option<String>,
    pub env: Vec<String>,
    pub env_files: Vec<PathBuf>,
    pub env_host: bool,
    pub workdir: Option<String>,
    pub user: Option<String>,
    pub entrypoint: Option<String>,
    pub hostname: Option<String>,
    pub labels: Vec<String>,
    pub annotations: Vec<String>,
    pub volumes: Vec<String>,
    pub mounts: Vec<String>,
    pub tmpfs: Vec<String>,
    pub read_only: bool,
    pub init: bool,
    pub stop_signal: Option<String>,
    pub stop_timeout: Option<u32>,
    pub network: Option<String>,
    pub pull: Option<String>,
    pub userns: Option<String>,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    pub privileged: bool,
    /// `--pids-limit`: None is Podman's default (2048); 0 or -1 is unlimited.
    pub pids_limit: Option<i64>,
    pub security_opt: Vec<String>,
    pub tty: bool,
    pub interactive: bool,
    pub auto_remove: bool,
    pub create_command: Vec<String>,
}

pub struct Created {
    pub paths: ContainerPaths,
    pub record: ContainerRecord,
    pub spec: Spec,
}

pub fn create(store: &Store, o: &CreateOptions) -> Result<Created> {
    pull_policy(o)?;
    let idx = store.index()?;
    let found = crate::images::find(&idx, &o.image)?;
    let image = ImageView::load_config(store, found.record)?;
    let id = new_id()?;
    let name = match &o.name {
        Some(n) => {
            names::reserve(store.root(), n, &id)?;
            n.clone()
        }
        None => names::random_name(store.root(), &id)?,
    };
    let paths = paths_for(store, &id);
    let result = build(store, o, &image, &id, &name, &paths);
    if result.is_err() {
        let _ = remove_all(&paths.dir);
        let _ = remove_all(&paths.run_dir);
        names::release(store.root(), &name, &id);
    }
    result
}

/// The `--pull` value of `o` (missing when not given).
pub fn pull_policy(o: &CreateOptions) -> Result<PullPolicy> {
    o.pull
        .as_deref()
        .map_or(Ok(PullPolicy::Missing), PullPolicy::parse)
}

fn build(
    store: &Store,
    o: &CreateOptions,
    image: &ImageView,
    id: &str,
    name: &str,
    paths: &ContainerPaths,
) -> Result<Created> {
    let rootless = store.config().rootless;
    let cfg = image.container_config().clone();
    let network = o.network.clone().unwrap_or_else(|| "private".to_string());
    if !matches!(network.as_str(), "none" | "host" | "private") {
        bail!("network mode {network:?} is not supported yet (none, host, private)");
    }
    let host_net = network == "host";
    let keep_id = match o.userns.as_deref() {
        None | Some("") | Some("host") => false,
        Some("keep-id") if rootless => true,
        Some("keep-id") => bail!("keep-id is only supported in rootless mode"),
        Some(other) => bail!("--userns={other} is not supported (host, keep-id)"),
    };
    for d in [paths.upper(), paths.work(), paths.rootfs()] {
        ensure_dir(&d)?;
    }
    let layers_top_first: Vec<PathBuf> = store.lower_dirs(&image.record.layers);

    // Command: entrypoint + cmd as Docker documents it.
    let entrypoint = match &o.entrypoint {
        Some(e) => parse_entrypoint(e),
        None => string_list(&cfg["Entrypoint"]),
    };
    let cmd = if !o.command.is_empty() {
        o.command.clone()
    } else if o.entrypoint.is_some() {
        vec![]
    } else {
        string_list(&cfg["Cmd"])
    };
    let args: Vec<String> = entrypoint.iter().chain(cmd.iter()).cloned().collect();
    if args.is_empty() {
        bail!("no command or entrypoint provided, and no CMD or ENTRYPOINT from image");
    }

    // User, resolved in the image's own /etc/passwd and /etc/group.
    let user_spec = o
        .user
        .clone()
        .unwrap_or_else(|| cfg["User"].as_str().unwrap_or("").to_string());
    let uid_override = if keep_id && o.user.is_none() {
        Some(idmaps::real_ids())
    } else {
        None
    };
    let passwd = user::read_file_from_layers(&layers_top_first, "/etc/passwd");
    let group = user::read_file_from_layers(&layers_top_first, "/etc/group");
    let effective_user = match uid_override {
        Some((uid, gid)) => format!("{uid}:{gid}"),
        None => user_spec.clone(),
    };
    // An id out of range is the caller's error (125), before any lookup.
    user::check_user_spec(&effective_user)?;
    let exec_user = user::resolve_user(&effective_user, passwd.as_deref(), group.as_deref())
        .map_err(|e| {
            anyhow::Error::new(crate::error::ExitError::new(
                crate::error::EXIT_CANNOT_INVOKE,
                format!("{e:#}"),
            ))
        })?;

    let hostname = o.hostname.clone().unwrap_or_else(|| id[..12].to_string());
    let env = build_env(o, &cfg, &hostname, &exec_user.home)?;
    let workdir = o
        .workdir
        .clone()
        .or_else(|| {
            cfg["WorkingDir"]
                .as_str()
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        })
        .unwrap_or_else(|| "/".into());
    if !workdir.starts_with('/') {
        bail!("workdir {workdir:?} must be an absolute path");
    }

    // Mounts: user mounts, then the image's VOLUMEs not covered, then --read-only tmpfs.
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
    let mut mount_records: Vec<MountRecord> = Vec::new();
    for v in &o.volumes {
        mount_records.push(mounts::parse_volume(v, &cwd)?);
    }
    for m in &o.mounts {
        mount_records.push(mounts::parse_mount(m, &cwd)?);
    }
    for t in &o.tmpfs {
        mount_records.push(mounts::parse_tmpfs(t)?);
    }
    if let Some(vols) = cfg["Volumes"].as_object() {
        for dst in vols.keys() {
            if !mount_records.iter().any(|m| &m.destination == dst) {
                mount_records.push(mounts::parse_volume(dst, &cwd)?);
            }
        }
    }
    if o.read_only {
        for dst in ["/tmp", "/var/tmp", "/run"] {
            if !mount_records.iter().any(|m| m.destination == dst) {
                // As Podman's --read-only tmpfs: programs may run from them.
                mount_records.push(mounts::parse_tmpfs(&format!("{dst}:rw,exec,size=65536k"))?);
            }
        }
    }
    // The spec.
    let mut spec = rspec::default_spec(rootless, host_net)?;
    rspec::with_caps(&mut spec, &o.cap_add, &o.cap_drop, o.privileged)?;
    if exec_user.uid != 0 {
        // As Podman: a non-root user keeps the bounding set but only the added capabilities.
        rspec::restrict_caps_for_non_root(&mut spec, &o.cap_add)?;
    }
    rspec::with_cgroup(&mut spec, id, rootless, o.pids_limit, o.privileged)?;
    let mut no_new_privs = false;
    // default_spec/with_caps already put the default profile for these caps in the spec.
    let mut seccomp_profile = spec.linux().as_ref().and_then(|l| l.seccomp().clone());
    for s in &o.security_opt {
        match s.split_once(['=', ':']) {
            Some(("seccomp", "unconfined")) => seccomp_profile = None,
            Some(("seccomp", file)) => {
                seccomp_profile = Some(seccomp::load_profile_file(
                    Path::new(file),
                    &effective_caps(&spec),
                )?)
            }
            Some(("label", _))
            | Some(("apparmor", _))
            | Some(("mask", _))
            | Some(("unmask", _)) => {}
            _ if s == "no-new-privileges"
                || s == "no-new-privileges=true"
                || s == "no-new-privileges:true" =>
            {
                no_new_privs = true
            }
            _ => bail!("invalid --security-opt {s:?}"),
        }
    }
    if o.privileged {
        seccomp_profile = None;
        rspec::allow_devices_in_dev(&mut spec);
    }
    rspec::fill_process(
        &mut spec,
        rspec::ProcessParts {
            args: &args,
            env: &env,
            cwd: &workdir,
            user: &exec_user,
            hostname: &hostname,
            tty: o.tty,
            no_new_privs,
            rootfs: &paths.rootfs(),
            read_only: o.read_only,
        },
    )?;
    if let Some(linux) = spec.linux_mut() {
        linux.set_seccomp(seccomp_profile);
        if o.privileged {
            linux.set_masked_paths(Some(vec![]));
            linux.set_readonly_paths(Some(vec![]));
        }
        if rootless {
            let (uids, gids) = idmaps::rootless_spec_maps(keep_id)?;
            linux.set_uid_mappings(Some(uids));
            linux.set_gid_mappings(Some(gids));
        }
    }
    // Every check a user's flag can fail is done by now: only then are volumes created,
    // so a refused `run` leaves no anonymous volume behind.
    let stop_signal = match (&o.stop_signal, cfg["StopSignal"].as_str()) {
        (Some(s), _) => signal::parse_signal(s)?,
        (None, Some(s)) if !s.is_empty() => signal::parse_signal(s)?,
        _ => 15,
    };
    let labels = key_values(&o.labels, "label")?;
    let annotations = key_values(&o.annotations, "annotation")?;
    for m in mount_records.iter_mut().filter(|m| m.kind == "volume") {
        let vol = if m.anonymous {
            store.volume_create(None, BTreeMap::new(), BTreeMap::new(), true)?
        } else {
            store.volume_ensure(&m.source)?
        };
        m.source = vol.name.clone();
        m.host_path = vol.mountpoint.display().to_string();
    }
    crate::volumes::copy_up(store, &image.record.layers, &mount_records)?;

    write_etc_files(paths, &hostname, name, host_net)?;
    let mut spec_mounts = spec.mounts().clone().unwrap_or_default();
    for (src, dst) in [
        (paths.hosts(), "/etc/hosts"),
        (paths.hostname(), "/etc/hostname"),
        (paths.resolv_conf(), "/etc/resolv.conf"),
    ] {
        if mount_records.iter().any(|m| m.destination == dst) {
            continue;
        }
        spec_mounts.push(to_oci(&MountRecord {
            kind: "bind".into(),
            source: src.display().to_string(),
            destination: dst.into(),
            options: vec![],
            rw: true,
            host_path: src.display().to_string(),
            anonymous: false,
        })?);
    }
    for m in &mount_records {
        spec_mounts.push(to_oci(m)?);
    }
    spec.set_mounts(Some(spec_mounts));

    let record = ContainerRecord {
        id: id.to_string(),
        name: name.to_string(),
        image: o.image.clone(),
        image_id: image.record.id.clone(),
        image_name: image.record.names.first().cloned().unwrap_or_default(),
        image_digest: image.record.digest.to_string(),
        layers: image.record.layers.clone(),
        created: Utc::now(),
        command: args,
        labels,
        annotations,
        rootless,
        auto_remove: o.auto_remove,
        stop_signal,
        stop_timeout: o.stop_timeout.unwrap_or(10),
        tty: o.tty,
        interactive: o.interactive,
        init: o.init,
        hostname,
        network,
        mounts: mount_records,
        user: user_spec,
        create_command: o.create_command.clone(),
        keep_id,
        read_only: o.read_only,
    };
    let mut annotations: std::collections::HashMap<String, String> =
        record.annotations.clone().into_iter().collect();
    annotations.insert("io.container.manager".into(), "skiff".into());
    spec.set_annotations(Some(annotations));
    save_json(&paths.spec(), &spec)?;
    // No state file yet: a container without one is `created` (record::load_state).
    // The record last: a container is listed only once everything it needs exists.
    save_json(&paths.record(), &record)?;
    Ok(Created {
        paths: paths.clone(),
        record,
        spec,
    })
}

fn effective_caps(spec: &Spec) -> Vec<String> {
    spec.process()
        .as_ref()
        .and_then(|p| p.capabilities().as_ref())
        .and_then(|c| c.bounding().as_ref())
        .map(|b| b.iter().map(|c| c.to_string()).collect())
        .unwrap_or_default()
}

fn build_env(o: &CreateOptions, cfg: &Value, hostname: &str, home: &str) -> Result<Vec<String>> {
    let mut env: Vec<(String, String)> = Vec::new();
    let mut set = |k: &str, v: &str| match env.iter_mut().find(|(ek, _)| ek == k) {
        Some(e) => e.1 = v.to_string(),
        None => env.push((k.to_string(), v.to_string())),
    };
    set(
        "PATH",
        "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    );
    if o.tty {
        set("TERM", "xterm");
    }
    set("container", "skiff");
    for e in string_list(&cfg["Env"]) {
        let (k, v) = e.split_once('=').unwrap_or((&e, ""));
        set(k, v);
    }
    if o.env_host {
        for (k, v) in std::env::vars() {
            set(&k, &v);
        }
    }
    for f in &o.env_files {
        let text =
            fs::read_to_string(f).with_context(|| format!("reading env file {}", f.display()))?;
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            apply_env_arg(line, &mut set);
        }
    }
    for e in &o.env {
        apply_env_arg(e, &mut set);
    }
    let has = |k: &str, env: &[(String, String)]| env.iter().any(|(ek, _)| ek == k);
    if !has("HOME", &env) {
        env.push((
            "HOME".into(),
            if home.is_empty() {
                "/".into()
            } else {
                home.into()
            },
        ));
    }
    if !has("HOSTNAME", &env) {
        env.push(("HOSTNAME".into(), hostname.into()));
    }
    Ok(env.into_iter().map(|(k, v)| format!("{k}={v}")).collect())
}

/// `-e K=V` sets; `-e K` copies K from the host (if set); `-e K*` copies every match.
fn apply_env_arg(arg: &str, set: &mut impl FnMut(&str, &str)) {
    if let Some((k, v)) = arg.split_once('=') {
        set(k, v);
    } else if let Some(prefix) = arg.strip_suffix('*') {
        for (k, v) in std::env::vars().filter(|(k, _)| k.starts_with(prefix)) {
            set(&k, &v);
        }
    } else if let Ok(v) = std::env::var(arg) {
        set(arg, &v);
    }
}

/// `--entrypoint '["a","b"]'` or `--entrypoint a`; an empty string clears it.
fn parse_entrypoint(e: &str) -> Vec<String> {
    if e.is_empty() {
        return vec![];
    }
    if let Ok(Value::Array(a)) = serde_json::from_str::<Value>(e) {
        return a
            .iter()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect();
    }
    vec![e.to_string()]
}

fn key_values(list: &[String], what: &str) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for item in list {
        let (k, v) = item.split_once('=').unwrap_or((item, ""));
        if k.is_empty() {
            bail!("invalid {what} {item:?}: want key=value");
        }
        out.insert(k.to_string(), v.to_string());
    }
    Ok(out)
}

fn write_etc_files(
    paths: &ContainerPaths,
    hostname: &str,
    name: &str,
    host_net: bool,
) -> Result<()> {
    ensure_dir(&paths.run_dir)?;
    let hosts = if host_net {
        fs::read_to_string("/etc/hosts").unwrap_or_default()
    } else {
        format!(
            "127.0.0.1\tlocalhost localhost.localdomain\n::1\tlocalhost localhost.localdomain\n127.0.1.1\t{hostname} {name}\n"
        )
    };
    fs::write(paths.hosts(), hosts).context("writing /etc/hosts for the container")?;
    fs::write(paths.hostname(), format!("{hostname}\n"))
        .context("writing /etc/hostname for the container")?;
    let resolv = fs::read_to_string("/etc/resolv.conf").unwrap_or_default();
    fs::write(paths.resolv_conf(), resolv).context("writing /etc/resolv.conf for the container")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entrypoint_forms() {
        assert_eq!(
            parse_entrypoint("[\"/bin/sh\",\"-c\"]"),
            vec!["/bin/sh", "-c"]
        );
        assert_eq!(parse_entrypoint("/init"), vec!["/init"]);
        assert!(parse_entrypoint("").is_empty());
    }
}
