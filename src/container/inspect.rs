//! `skiff inspect` for containers: Podman's document shape.

use anyhow::Result;
use serde_json::{Value, json};

use super::Found;
use super::record::{Status, live_state};
use crate::images::view::json_time;
use crate::store::Store;

const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

pub fn inspect_json(store: &Store, f: &Found) -> Result<Value> {
    let r = &f.record;
    let st = live_state(&f.paths)?;
    let spec: Value = std::fs::read(f.paths.spec())
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Value::Null);
    let process = &spec["process"];
    let args: Vec<String> = r.command.clone();
    let lowers: Vec<String> = r
        .layers
        .iter()
        .rev()
        .map(|c| store.layer_diff_dir(c).display().to_string())
        .collect();
    let mounts: Vec<Value> = r
        .mounts
        .iter()
        .map(|m| {
            json!({
                "Type": m.kind, "Name": if m.kind == "volume" { json!(m.source) } else { json!(null) },
                "Source": m.host_path, "Destination": m.destination, "Driver": if m.kind == "volume" { "local" } else { "" },
                "Mode": "", "Options": m.options, "RW": m.rw, "Propagation": "rprivate",
            })
        })
        .collect();
    let caps = process["capabilities"]["bounding"].clone();
    Ok(json!({
        "Id": r.id,
        "Created": json_time(&r.created),
        "Path": args.first().cloned().unwrap_or_default(),
        "Args": args.iter().skip(1).cloned().collect::<Vec<_>>(),
        "State": {
            "OciVersion": "1.0.2",
            "Status": st.status.as_str(),
            "Running": st.status == Status::Running,
            "Paused": false,
            "Restarting": false,
            "OOMKilled": false,
            "Dead": false,
            "Pid": if st.status == Status::Running { st.pid } else { 0 },
            "ConmonPid": if st.status == Status::Running { st.monitor_pid } else { 0 },
            "ExitCode": st.exit_code.unwrap_or(0),
            "Error": st.error,
            "StartedAt": st.started_at.map(|t| json_time(&t)).unwrap_or_else(|| ZERO_TIME.into()),
            "FinishedAt": st.finished_at.map(|t| json_time(&t)).unwrap_or_else(|| ZERO_TIME.into()),
        },
        "Image": r.image_id.hex(),
        "ImageDigest": r.image_digest,
        "ImageName": if r.image_name.is_empty() { r.image.clone() } else { r.image_name.clone() },
        "Rootfs": "",
        "Pod": "",
        "ResolvConfPath": f.paths.resolv_conf(),
        "HostnamePath": f.paths.hostname(),
        "HostsPath": f.paths.hosts(),
        "StaticDir": f.paths.dir,
        "OCIConfigPath": f.paths.spec(),
        "OCIRuntime": "skiff",
        "Name": r.name,
        "RestartCount": 0,
        "Driver": "overlay",
        "MountLabel": "",
        "ProcessLabel": "",
        "AppArmorProfile": "",
        "EffectiveCaps": caps,
        "BoundingCaps": caps,
        "ExecIDs": [],
        "GraphDriver": {"Name": "overlay", "Data": {
            "LowerDir": lowers.join(":"),
            "UpperDir": f.paths.upper(),
            "WorkDir": f.paths.work(),
        }},
        "Mounts": mounts,
        "Dependencies": [],
        "NetworkSettings": {"EndpointID": "", "Gateway": "", "IPAddress": "", "IPPrefixLen": 0, "MacAddress": "", "Ports": {}},
        "IsInfra": false,
        "Config": {
            "Hostname": r.hostname,
            "Domainname": "",
            "User": r.user,
            "AttachStdin": r.interactive,
            "AttachStdout": false,
            "AttachStderr": false,
            "Tty": r.tty,
            "OpenStdin": r.interactive,
            "StdinOnce": false,
            "Env": process["env"],
            "Cmd": args,
            "Image": if r.image_name.is_empty() { r.image.clone() } else { r.image_name.clone() },
            "Volumes": null,
            "WorkingDir": process["cwd"],
            "Entrypoint": "",
            "OnBuild": null,
            "Labels": if r.labels.is_empty() { Value::Null } else { json!(r.labels) },
            "Annotations": r.annotations,
            "StopSignal": r.stop_signal,
            "CreateCommand": r.create_command,
            "Umask": "0022",
            "StopTimeout": r.stop_timeout,
        },
        "HostConfig": {
            "Binds": r.mounts.iter().filter(|m| m.kind != "tmpfs").map(|m| format!("{}:{}:{}", if m.kind == "volume" { &m.source } else { &m.host_path }, m.destination, if m.rw { "rw" } else { "ro" })).collect::<Vec<_>>(),
            "LogConfig": {"Type": "k8s-file", "Config": null, "Path": f.paths.log(), "Tag": "", "Size": "0B"},
            "NetworkMode": r.network,
            "AutoRemove": r.auto_remove,
            "ReadonlyRootfs": r.read_only,
            "Init": r.init,
            "Privileged": false,
            "PidsLimit": spec["linux"]["resources"]["pids"]["limit"].as_i64().map_or(0, |l| l.max(0)),
            "UsernsMode": if r.keep_id { "keep-id" } else { "" },
        },
    }))
}
