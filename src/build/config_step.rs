//! The instructions that only change the image config (ENV, LABEL, EXPOSE, USER, WORKDIR,
//! VOLUME, CMD, ENTRYPOINT, SHELL, STOPSIGNAL, HEALTHCHECK, ONBUILD, MAINTAINER), applied
//! to the config document as Docker's builder applies them.

use anyhow::Result;
use serde_json::{Map, Value, json};

use super::instructions::{Command, Healthcheck, ShellOrExec};
use super::state::{ImageState, string_list};

/// Per-stage facts the config rules depend on.
#[derive(Debug, Default, Clone)]
pub struct StageFlags {
    /// CMD was set in this stage: ENTRYPOINT then keeps it (otherwise ENTRYPOINT clears
    /// the CMD inherited from the base image, as Docker documents).
    pub cmd_set: bool,
}

/// Applies one config-only command (already expanded). Returns false for a command that
/// is not config-only.
pub fn apply(cmd: &Command, image: &mut ImageState, flags: &mut StageFlags) -> Result<bool> {
    match cmd {
        Command::Env(pairs) => {
            for (k, v) in pairs {
                image.set_env(k, v);
            }
            return Ok(true);
        }
        Command::Maintainer(name) => {
            image.config["author"] = json!(name);
            return Ok(true);
        }
        _ => {}
    }
    let shell = image.run_list("Shell");
    let cfg = image.run_config_mut();
    match cmd {
        Command::Label(pairs) => {
            let labels = object_field(cfg, "Labels");
            for (k, v) in pairs {
                labels.insert(k.clone(), json!(v));
            }
        }
        Command::Expose(ports) => {
            let exposed = object_field(cfg, "ExposedPorts");
            for p in ports {
                let key = if p.contains('/') {
                    p.to_ascii_lowercase()
                } else {
                    format!("{p}/tcp")
                };
                exposed.insert(key, json!({}));
            }
        }
        Command::User(user) => {
            cfg.insert("User".into(), json!(user));
        }
        Command::Workdir(dir) => {
            let current = cfg
                .get("WorkingDir")
                .and_then(Value::as_str)
                .unwrap_or("/")
                .to_string();
            cfg.insert("WorkingDir".into(), json!(join_workdir(&current, dir)));
        }
        Command::Volume(paths) => {
            let volumes = object_field(cfg, "Volumes");
            for p in paths {
                volumes.insert(p.clone(), json!({}));
            }
        }
        Command::Cmd(c) => {
            cfg.insert("Cmd".into(), json!(c.prepend_shell(&shell)));
            flags.cmd_set = true;
        }
        Command::Entrypoint(e) => {
            match e {
                ShellOrExec::Exec(argv) if argv.is_empty() => {
                    cfg.insert("Entrypoint".into(), Value::Null);
                }
                _ => {
                    cfg.insert("Entrypoint".into(), json!(e.prepend_shell(&shell)));
                }
            }
            if !flags.cmd_set {
                cfg.insert("Cmd".into(), Value::Null);
            }
        }
        Command::Shell(argv) => {
            cfg.insert("Shell".into(), json!(argv));
        }
        Command::Stopsignal(sig) => {
            cfg.insert("StopSignal".into(), json!(sig));
        }
        Command::Healthcheck(hc) => {
            cfg.insert("Healthcheck".into(), healthcheck_config(hc));
        }
        Command::Onbuild { expression, .. } => {
            let mut list = cfg.get("OnBuild").map(string_list).unwrap_or_default();
            list.push(expression.clone());
            cfg.insert("OnBuild".into(), json!(list));
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// The image config's Healthcheck object: durations in nanoseconds, unset (zero) fields
/// left out, as Docker writes it.
fn healthcheck_config(hc: &Healthcheck) -> Value {
    let mut out = Map::new();
    out.insert("Test".into(), json!(hc.config_test()));
    if let Healthcheck::Cmd {
        interval,
        timeout,
        start_period,
        start_interval,
        retries,
        ..
    } = hc
    {
        for (key, d) in [
            ("Interval", interval),
            ("Timeout", timeout),
            ("StartPeriod", start_period),
            ("StartInterval", start_interval),
        ] {
            if !d.is_zero() {
                out.insert(key.into(), json!(d.as_nanos() as u64));
            }
        }
        if *retries != 0 {
            out.insert("Retries".into(), json!(retries));
        }
    }
    Value::Object(out)
}

/// The object at `cfg[key]`, made one if it is missing or null.
fn object_field<'a>(cfg: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let slot = cfg.entry(key.to_string()).or_insert_with(|| json!({}));
    if !slot.is_object() {
        *slot = json!({});
    }
    match slot.as_object_mut() {
        Some(m) => m,
        None => unreachable!("just made an object"),
    }
}

/// WORKDIR: an absolute path replaces, a relative one goes below the current directory;
/// the result is cleaned (`/a/b/../c` is `/a/c`).
pub fn join_workdir(current: &str, dir: &str) -> String {
    let joined = if dir.starts_with('/') {
        dir.to_string()
    } else {
        format!("{}/{dir}", current.trim_end_matches('/'))
    };
    format!("/{}", clean_path(&joined))
}

/// A path cleaned lexically and made relative to `/`: `/a/./b/../c/` is `a/c`; `..` stops
/// at the root.
pub fn clean_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for comp in path.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn apply_all(cmds: &[Command]) -> ImageState {
        let mut image = ImageState::scratch();
        let mut flags = StageFlags::default();
        for c in cmds {
            assert!(apply(c, &mut image, &mut flags).unwrap());
        }
        image
    }

    #[test]
    fn workdirs_join_and_clean() {
        assert_eq!(join_workdir("/", "app"), "/app");
        assert_eq!(join_workdir("/app", "src/../lib"), "/app/lib");
        assert_eq!(join_workdir("/app", "/srv/"), "/srv");
        assert_eq!(join_workdir("/app", ".."), "/");
        assert_eq!(clean_path("/app/"), "app");
        assert_eq!(clean_path("/a/./b/../c"), "a/c");
        assert_eq!(clean_path("/"), "");
    }

    #[test]
    fn entrypoint_clears_inherited_cmd_but_not_this_stages() {
        let mut image = ImageState::scratch();
        image.run_config_mut().insert("Cmd".into(), json!(["sh"]));
        let mut flags = StageFlags::default();
        let ep = Command::Entrypoint(ShellOrExec::Exec(vec!["/bin/app".into()]));
        apply(&ep, &mut image, &mut flags).unwrap();
        assert_eq!(image.run_config()["Cmd"], Value::Null);
        let cmd = Command::Cmd(ShellOrExec::Exec(vec!["--help".into()]));
        apply(&cmd, &mut image, &mut flags).unwrap();
        apply(&ep, &mut image, &mut flags).unwrap();
        assert_eq!(image.run_config()["Cmd"], json!(["--help"]));
        assert_eq!(image.run_config()["Entrypoint"], json!(["/bin/app"]));
    }

    #[test]
    fn shell_forms_use_the_stage_shell() {
        let image = apply_all(&[
            Command::Shell(vec!["/bin/bash".into(), "-ec".into()]),
            Command::Cmd(ShellOrExec::Shell("echo hi".into())),
        ]);
        assert_eq!(
            image.run_config()["Cmd"],
            json!(["/bin/bash", "-ec", "echo hi"])
        );
    }

    #[test]
    fn config_fields_as_docker_writes_them() {
        let image = apply_all(&[
            Command::Env(vec![("A".into(), "1".into()), ("B".into(), "x y".into())]),
            Command::Env(vec![("A".into(), "2".into())]),
            Command::Label(vec![("l".into(), "v".into())]),
            Command::Expose(vec!["80".into(), "53/UDP".into()]),
            Command::Volume(vec!["/data".into()]),
            Command::User("app:app".into()),
            Command::Stopsignal("SIGQUIT".into()),
            Command::Healthcheck(Healthcheck::Cmd {
                test: ShellOrExec::Shell("true".into()),
                interval: Duration::from_secs(5),
                timeout: Duration::ZERO,
                start_period: Duration::ZERO,
                start_interval: Duration::ZERO,
                retries: 3,
            }),
            Command::Maintainer("me".into()),
            Command::Onbuild {
                command: Box::new(Command::User("x".into())),
                expression: "USER x".into(),
            },
        ]);
        let cfg = image.run_config();
        assert_eq!(cfg["Env"], json!(["A=2", "B=x y"]));
        assert_eq!(cfg["Labels"], json!({"l": "v"}));
        assert_eq!(cfg["ExposedPorts"], json!({"80/tcp": {}, "53/udp": {}}));
        assert_eq!(cfg["Volumes"], json!({"/data": {}}));
        assert_eq!(cfg["User"], json!("app:app"));
        assert_eq!(cfg["StopSignal"], json!("SIGQUIT"));
        assert_eq!(
            cfg["Healthcheck"],
            json!({"Test": ["CMD-SHELL", "true"], "Interval": 5_000_000_000u64, "Retries": 3})
        );
        assert_eq!(image.config["author"], json!("me"));
        assert_eq!(cfg["OnBuild"], json!(["USER x"]));
    }
}
