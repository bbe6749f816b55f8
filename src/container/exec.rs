//! `skiff exec`: a new process in a running container's namespaces, with the container's
//! environment, capabilities and seccomp profile unless told otherwise.

use std::fs::File;
use std::os::fd::OwnedFd;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use oci_spec::runtime::{Process, Spec};

use super::Found;
use super::record::{Status, live_state};
use crate::monitor;
use crate::runtime::{self, StdioSetup, user};
use crate::store::Store;

pub struct ExecOptions {
    pub command: Vec<String>,
    pub env: Vec<String>,
    pub env_files: Vec<PathBuf>,
    pub interactive: bool,
    pub tty: bool,
    pub user: Option<String>,
    pub workdir: Option<String>,
    pub detach: bool,
    pub privileged: bool,
}

pub fn exec(store: &Store, f: &Found, o: &ExecOptions) -> Result<i32> {
    let st = live_state(&f.paths)?;
    if st.status != Status::Running {
        bail!("can only create exec sessions on running containers: container state improper");
    }
    let pidfd = crate::sys::pidfd::pidfd_open(st.pid).context("opening the container's process")?;
    if !super::record::process_alive(st.pid, st.pid_start) {
        bail!("can only create exec sessions on running containers: container state improper");
    }
    let spec: Spec = super::lifecycle::load_spec(&f.paths)?;
    let process = exec_process(store, f, &spec, o)?;
    // Without a terminal the process gets pipes (or /dev/null), never our descriptors.
    let (stdio, pipes) = if o.tty {
        (StdioSetup::NewPty, None)
    } else if o.detach {
        let null = || {
            File::options()
                .read(true)
                .write(true)
                .open("/dev/null")
                .map(OwnedFd::from)
        };
        (
            StdioSetup::Fds {
                stdin: null()?,
                stdout: null()?,
                stderr: null()?,
            },
            None,
        )
    } else {
        let (setup, ours) = monitor::foreground::stdio_pipes(o.interactive)?;
        (setup, Some(ours))
    };
    // The container's seccomp profile applies to exec'd processes too, as in Podman.
    let seccomp = if o.privileged {
        None
    } else {
        spec.linux().as_ref().and_then(|l| l.seccomp().clone())
    };
    let mut sp = runtime::exec_process(
        st.pid,
        &pidfd,
        &process,
        seccomp.as_ref(),
        f.record.rootless,
        stdio,
        o.detach,
        Some(&spec),
    )
    .map_err(|e| {
        // Stopped or removed meanwhile (`rm -f`): say so, not which /proc file vanished.
        // (A dying process has no namespaces left before its pidfd says it is gone.)
        let gone = crate::sys::pidfd::pidfd_send_signal(&pidfd, 0).is_err()
            || std::fs::read_link(format!("/proc/{}/ns/mnt", st.pid)).is_err();
        if gone {
            anyhow::anyhow!(
                "can only create exec sessions on running containers: container state improper"
            )
        } else {
            e
        }
    })?;
    if o.detach {
        println!("{}", super::new_id()?);
        return Ok(0);
    }
    let opts = monitor::foreground::ForegroundOptions {
        sig_proxy: true,
        tty_master: sp.pty_master.take(),
        stdin_open: o.interactive,
        stop_timeout: Some(std::time::Duration::from_secs(u64::from(
            f.record.stop_timeout,
        ))),
    };
    monitor::foreground::wait_foreground_piped(sp.pid, &sp.pidfd, &opts, pipes)
}

fn exec_process(store: &Store, f: &Found, spec: &Spec, o: &ExecOptions) -> Result<Process> {
    let mut p = spec.process().clone().unwrap_or_default();
    p.set_args(Some(o.command.clone()));
    p.set_terminal(Some(o.tty));
    let mut env = p.env().clone().unwrap_or_default();
    let mut set = |kv: String| {
        let key = kv.split('=').next().unwrap_or("").to_string();
        env.retain(|e| e.split('=').next() != Some(key.as_str()));
        env.push(kv);
    };
    for file in &o.env_files {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("reading env file {}", file.display()))?;
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            set(line.to_string());
        }
    }
    for e in &o.env {
        match e.split_once('=') {
            Some(_) => set(e.clone()),
            None => {
                if let Ok(v) = std::env::var(e) {
                    set(format!("{e}={v}"));
                }
            }
        }
    }
    if o.tty && !env.iter().any(|e| e.starts_with("TERM=")) {
        env.push("TERM=xterm".into());
    }
    p.set_env(Some(env));
    if let Some(w) = &o.workdir {
        p.set_cwd(PathBuf::from(w));
    }
    if let Some(u) = &o.user {
        let mut dirs = vec![f.paths.upper()];
        dirs.extend(store.lower_dirs(&f.record.layers));
        let passwd = user::read_file_from_layers(&dirs, "/etc/passwd");
        let group = user::read_file_from_layers(&dirs, "/etc/group");
        let eu = user::resolve_user(u, passwd.as_deref(), group.as_deref())?;
        let mut pu = p.user().clone();
        pu.set_uid(eu.uid);
        pu.set_gid(eu.gid);
        pu.set_additional_gids(if eu.additional_gids.is_empty() {
            None
        } else {
            Some(eu.additional_gids)
        });
        p.set_user(pu);
    }
    if o.privileged {
        let mut caps_spec = Spec::default();
        crate::runtime::spec::with_caps(&mut caps_spec, &[], &[], true)?;
        if let Some(c) = caps_spec
            .process()
            .as_ref()
            .and_then(|cp| cp.capabilities().clone())
        {
            p.set_capabilities(Some(c));
        }
    }
    Ok(p)
}
