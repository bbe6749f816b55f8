//! RUN: the step's argv, environment, mounts and cache key, then the container (see
//! run_step.rs) and the commit of what it changed.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use super::{Builder, PROXY_ARGS, StageRun};
use crate::build::dockerfile::Heredoc;
use crate::build::instructions::{Command, Location, NetworkMode, ShellOrExec};
use crate::build::run_mounts;
use crate::build::run_step::{self, RunStep};
use crate::error::ExitError;
use crate::store::fsutil::remove_all;

impl Builder<'_> {
    pub(super) fn run_step(
        &mut self,
        st: &mut StageRun,
        cmd: &Command,
        loc: &Location,
    ) -> Result<()> {
        let Command::Run {
            cmd: line,
            mounts,
            network,
            heredocs,
            ..
        } = cmd
        else {
            bail!("not a RUN");
        };
        let mut key = self.key_base(st, cmd);
        let run_args = self.run_args(st);
        for (k, v) in &run_args {
            key.text(b'A', &format!("{k}={v}"));
        }
        let dir = self.step_dir(st)?;
        // This RUN's own: the step directory is shared by a whole stage with --layers=false,
        // and secrets must not outlive the command.
        let mounts_dir = dir.join(crate::store::fsutil::unique_name("mounts"));
        let resolved_mounts = run_mounts::prepare(&run_mounts::MountInputs {
            mounts,
            ctx: &self.ctx,
            secrets: &self.o.secrets,
            cache_root: &self.store.root().join("build-cache-mounts"),
            mounts_dir: &mounts_dir,
            stage_layers: &|name: &str| self.mount_source_layers(name, st.index, loc),
            rootless: self.store.config().rootless,
        })?;
        for part in &resolved_mounts.key_parts {
            key.text(b'M', part);
        }
        let key = key.finish();
        if self.use_cache(st, &key)? {
            return remove_all(&dir);
        }
        let shell = st.image.run_list("Shell");
        let argv = run_argv(line, heredocs, &shell);
        let mut env: Vec<String> = st
            .image
            .env()
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if !env.iter().any(|e| e.starts_with("PATH=")) {
            env.insert(0, crate::runtime::spec::DEFAULT_PATH.to_string());
        }
        for (k, v) in &run_args {
            if !env
                .iter()
                .any(|e| e.split_once('=').is_some_and(|(ek, _)| ek == k))
            {
                env.push(format!("{k}={v}"));
            }
        }
        let host_network = match network {
            Some(NetworkMode::None) => false,
            Some(NetworkMode::Host) => true,
            _ => !self.o.network_none,
        };
        let workdir = st.image.run_str("WorkingDir");
        let step = RunStep {
            lowers: self.store.lower_dirs(&st.image.chains()),
            dir: &dir,
            argv,
            env,
            cwd: if workdir.is_empty() {
                "/".into()
            } else {
                workdir
            },
            user: st.image.run_str("User"),
            host_network,
            no_hosts: self.o.no_hosts,
            mounts: resolved_mounts.mounts,
            rootless: self.store.config().rootless,
            seccomp_cache_dir: Some(self.store.runroot().join("seccomp")),
            quiet: self.o.quiet,
        };
        let code = run_step::run(&step);
        let rootless = self.store.config().rootless;
        if let Err(e) = crate::sys::userns::as_store_owner(rootless, || remove_all(&mounts_dir)) {
            log::warn!("removing the RUN's mount sources: {e:#}");
        }
        let code = code?;
        if code != 0 {
            let message = format!(
                "{}:{}: building at STEP \"{}\": while running runtime: exit status {code}",
                self.file, loc.start_line, loc.original
            );
            return Err(anyhow::Error::new(ExitError::new(
                u8::try_from(code).unwrap_or(1),
                message,
            )));
        }
        let history = run_history(&loc.original, &run_args);
        self.commit_layer(st, &dir, key, history)
    }

    /// The build args RUN sees: the stage's ARGs and any proxy args given.
    fn run_args(&mut self, st: &StageRun) -> Vec<(String, String)> {
        let mut args = st.args.clone();
        for name in PROXY_ARGS {
            if !args.iter().any(|(k, _)| k == name)
                && let Some(v) = self.build_arg(name)
            {
                args.push((name.to_string(), v));
            }
        }
        args
    }

    /// Layers (top first) of a stage or image named by `RUN --mount from=`.
    fn mount_source_layers(
        &self,
        name: &str,
        current: usize,
        loc: &Location,
    ) -> Result<Vec<PathBuf>> {
        let state = match self.stage_ref(name, current, loc)? {
            Some(j) => self.results.get(&j).cloned().context("stage not built")?,
            None => self
                .images
                .get(name)
                .cloned()
                .map(Ok)
                .unwrap_or_else(|| self.load_image(name))?,
        };
        Ok(self.store.lower_dirs(&state.chains()))
    }
}

/// The argv of a RUN: exec form as is; shell form through the stage's shell. A heredoc is
/// handed to the shell with the line (the shell reads it); a RUN that is only a heredoc
/// runs the heredoc's text as the script, as BuildKit does.
fn run_argv(cmd: &ShellOrExec, heredocs: &[Heredoc], shell: &[String]) -> Vec<String> {
    let ShellOrExec::Shell(line) = cmd else {
        return cmd.prepend_shell(shell);
    };
    if heredocs.is_empty() {
        return cmd.prepend_shell(shell);
    }
    let marker = line.trim().trim_start_matches(|c: char| c.is_ascii_digit());
    if heredocs.len() == 1 && marker.starts_with("<<") && !marker.contains(char::is_whitespace) {
        return ShellOrExec::Shell(heredocs[0].chomped_content()).prepend_shell(shell);
    }
    let mut script = line.clone();
    script.push('\n');
    for h in heredocs {
        script.push_str(&h.content);
        script.push_str(&h.name);
        script.push('\n');
    }
    ShellOrExec::Shell(script).prepend_shell(shell)
}

/// History of a RUN, in Buildah's words: `|N K=V ... /bin/sh -c cmd` when build args apply.
fn run_history(original: &str, args: &[(String, String)]) -> Value {
    let command = original
        .trim_start()
        .get(3..)
        .unwrap_or("")
        .trim_start()
        .to_string();
    let shown: Vec<String> = args
        .iter()
        .filter(|(k, _)| !PROXY_ARGS.contains(&k.as_str()))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let created_by = if shown.is_empty() {
        format!("/bin/sh -c {command}")
    } else {
        format!("|{} {} /bin/sh -c {command}", shown.len(), shown.join(" "))
    };
    json!({ "created_by": created_by })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_history_shows_build_args() {
        let h = run_history("RUN echo $A", &[("A".into(), "1".into())]);
        assert_eq!(h["created_by"], json!("|1 A=1 /bin/sh -c echo $A"));
        let h = run_history("RUN  make", &[]);
        assert_eq!(h["created_by"], json!("/bin/sh -c make"));
    }

    #[test]
    fn heredoc_only_runs_as_script() {
        let h = Heredoc {
            name: "EOF".into(),
            file_descriptor: 0,
            expand: true,
            chomp: false,
            content: "echo a\necho b\n".into(),
        };
        let argv = run_argv(
            &ShellOrExec::Shell("<<EOF".into()),
            std::slice::from_ref(&h),
            &[],
        );
        assert_eq!(argv, vec!["/bin/sh", "-c", "echo a\necho b\n"]);
        let argv = run_argv(&ShellOrExec::Shell("cat <<EOF".into()), &[h], &[]);
        assert_eq!(
            argv,
            vec!["/bin/sh", "-c", "cat <<EOF\necho a\necho b\nEOF\n"]
        );
    }
}
