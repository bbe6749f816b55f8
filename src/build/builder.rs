//! The build itself: stages in dependency order, each instruction expanded, looked up in
//! the cache and, on a miss, run (RUN through the runtime, COPY/ADD into an overlay, the rest
//! on the config) and committed as an intermediate image; the target stage's image is
//! finished (`--label`, `--env`, `--annotation`) and tagged.
//!
//! Variables: the ARGs before the first FROM (meta args) are what FROM lines and `--from`
//! values expand with; inside a stage an ARG declares a build arg (its `--build-arg` value,
//! else its default, else the meta arg of that name), and an instruction expands with the
//! stage's args overridden by the image's ENV, as BuildKit does. RUN sees the args as
//! environment variables that are not saved in the image.
//!
//! With `--layers=false` (or `--squash`) a stage runs every instruction on one working
//! directory and commits once at its end: one new layer, no cache.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};

use super::cache::{self, KeyBuilder};
use super::commit::{StepCommit, commit_step};
use super::config_step::{self, StageFlags};
use super::context::{BuildContext, ContextEntry};
use super::copy_step::{self, CopyStep, SourceSet};
use super::dockerfile::{self, Heredoc};
use super::ignore::IgnoreRules;
use super::instructions::{
    self, ArgDefault, Command, HeredocSource, Location, NetworkMode, ShellOrExec, Stage,
};
use super::options::{BuildOptions, DockerfileSource, PullPolicy};
use super::output::Output;
use super::run_mounts;
use super::run_step::{self, RunStep};
use super::shell::Lexer;
use super::state::ImageState;
use crate::error::ExitError;
use crate::image::digest::Digest;
use crate::store::Store;
use crate::store::fsutil::{remove_all, unique_name};

/// Pulls an image into the store (the CLI's pull, with its registry flags), for a platform
/// when FROM names one (`os/arch[/variant]`).
pub type Puller<'a> = dyn Fn(&str, Option<&str>) -> Result<()> + 'a;

/// Build args Docker passes to RUN without an ARG instruction (and keeps out of history).
const PROXY_ARGS: [&str; 8] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// Runs the build; returns the id of the image built (tagged with `o.tags`).
pub fn build(store: &Store, o: &BuildOptions, pull: &Puller<'_>) -> Result<Digest> {
    let (file, text) = read_dockerfile(o)?;
    let df = dockerfile::parse(&text, &file)?;
    for w in &df.warnings {
        log::warn!("{file}:{}: {}", w.line, w.short);
    }
    let (meta_args, stages) = instructions::parse_stages(&df, &file)?;
    let ctx = open_context(o)?;
    let work = store.tmp_dir().join(unique_name("build"));
    std::fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
    let mut b = Builder {
        store,
        o,
        pull,
        file,
        lexer: Lexer::new(df.escape_token()),
        ctx,
        work: work.clone(),
        stages,
        meta: Vec::new(),
        results: HashMap::new(),
        images: HashMap::new(),
        used_args: BTreeSet::new(),
        out: Output::new(o.quiet),
        steps: 0,
    };
    let result = b.set_meta_args(&meta_args).and_then(|()| b.run());
    remove_work_dir(store, &work);
    let id = result?;
    b.warn_unused_args();
    Ok(id)
}

fn read_dockerfile(o: &BuildOptions) -> Result<(String, String)> {
    match &o.dockerfile {
        DockerfileSource::Text { name, text } => Ok((name.clone(), text.clone())),
        DockerfileSource::File(path) => match std::fs::read(path) {
            Ok(bytes) => Ok((
                path.display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            )),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
                "the specified Containerfile or Dockerfile does not exist, {}: no such file or directory",
                path.display()
            ),
            Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
        },
    }
}

fn open_context(o: &BuildOptions) -> Result<BuildContext> {
    if let Some(f) = &o.ignore_file {
        return BuildContext::with_rules(&o.context_dir, IgnoreRules::load(f)?);
    }
    let dockerfile = match &o.dockerfile {
        DockerfileSource::File(p) => p.strip_prefix(&o.context_dir).ok().map(Path::to_path_buf),
        DockerfileSource::Text { .. } => None,
    };
    BuildContext::open(&o.context_dir, dockerfile.as_deref())
}

/// Removes the build's work directory; rootless, its files may belong to the container's
/// ids, which only the store's user namespace can remove.
fn remove_work_dir(store: &Store, dir: &Path) {
    let dir = dir.to_path_buf();
    let result = if store.config().rootless && !crate::sys::userns::in_store_userns() {
        crate::sys::process::run_in_child(|| {
            crate::sys::userns::enter_store_userns()?;
            remove_all(&dir)
        })
    } else {
        remove_all(&dir)
    };
    if let Err(e) = result {
        log::warn!("removing the build's work directory: {e:#}");
    }
}

struct Builder<'a> {
    store: &'a Store,
    o: &'a BuildOptions,
    pull: &'a Puller<'a>,
    /// The Dockerfile's name in messages.
    file: String,
    lexer: Lexer,
    ctx: BuildContext,
    work: PathBuf,
    stages: Vec<Stage>,
    /// Meta args with a value, in order.
    meta: Vec<(String, String)>,
    /// Built stages by index.
    results: HashMap<usize, ImageState>,
    /// Images used as bases or `--from` sources, by name.
    images: HashMap<String, ImageState>,
    used_args: BTreeSet<String>,
    out: Output,
    /// Step directories made so far (for unique names).
    steps: usize,
}

/// A stage being built.
struct StageRun {
    index: usize,
    image: ImageState,
    /// The stage's ARGs with values.
    args: Vec<(String, String)>,
    flags: StageFlags,
    /// `--layers=false`: the working directory all steps write to, and the history
    /// entries not yet committed.
    pending_dir: Option<PathBuf>,
    pending_history: Vec<Value>,
    /// Which of the pending history entries last changed files.
    pending_layer: Option<usize>,
}

impl<'a> Builder<'a> {
    fn set_meta_args(&mut self, meta_args: &[ArgDefault]) -> Result<()> {
        for (name, default) in platform_args() {
            self.meta.push((name, default));
        }
        for (name, default) in meta_args {
            let value = match self.build_arg(name) {
                Some(v) => Some(v),
                None => match default {
                    Some(d) => Some(
                        self.lexer
                            .process_word(d, self.meta.as_slice())
                            .map_err(|e| anyhow!("{}: ARG {name}: {e:#}", self.file))?
                            .word,
                    ),
                    None => None,
                },
            };
            if let Some(v) = value {
                self.meta.retain(|(k, _)| k != name);
                self.meta.push((name.clone(), v));
            }
        }
        Ok(())
    }

    /// A `--build-arg` value, marking it used.
    fn build_arg(&mut self, name: &str) -> Option<String> {
        let v = self
            .o
            .build_args
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone());
        if v.is_some() {
            self.used_args.insert(name.to_string());
        }
        v
    }

    fn warn_unused_args(&self) {
        let unused: BTreeSet<&str> = self
            .o
            .build_args
            .iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| !self.used_args.contains(*k) && !PROXY_ARGS.contains(k))
            .collect();
        if !unused.is_empty() {
            let list: Vec<&str> = unused.into_iter().collect();
            eprintln!(
                "[Warning] one or more build args were not consumed: [{}]",
                list.join(" ")
            );
        }
    }

    fn run(&mut self) -> Result<Digest> {
        let target = self.target_stage()?;
        let order = self.stage_order(target)?;
        for idx in order {
            let state = self.build_stage(idx)?;
            self.results.insert(idx, state);
        }
        let built = self
            .results
            .get(&target)
            .cloned()
            .context("the target stage was not built")?;
        let mut image = self.finish(built)?;
        if self.o.squash_all {
            image = super::commit::squash_all(
                self.store,
                &image,
                &self.work,
                self.o.docker_format,
                self.o.annotations.clone(),
            )?;
            self.out.committed(&image);
        }
        if image.id.is_none() {
            // A bare `FROM scratch`: an empty image, as Podman makes.
            image = commit_step(
                self.store,
                StepCommit {
                    config: image.config.clone(),
                    parent: &image,
                    history: vec![],
                    upper: None,
                    cleanup: None,
                    cache_key: None,
                    docker_format: self.o.docker_format,
                    annotations: Vec::new(),
                },
            )?;
        }
        let id = image.id.clone().context("the build made no image")?;
        self.tag(&id)?;
        Ok(id)
    }

    fn target_stage(&self) -> Result<usize> {
        match &self.o.target {
            None => Ok(self.stages.len() - 1),
            Some(t) => {
                let want = t.to_ascii_lowercase();
                self.stages
                    .iter()
                    .position(|s| s.name.as_deref() == Some(want.as_str()))
                    .ok_or_else(|| {
                        anyhow!("target stage {t:?} could not be found in {}", self.file)
                    })
            }
        }
    }

    /// The stages the target needs, each after the stages it uses.
    fn stage_order(&self, target: usize) -> Result<Vec<usize>> {
        let mut order = Vec::new();
        let mut visiting = Vec::new();
        self.visit(target, &mut order, &mut visiting)?;
        Ok(order)
    }

    fn visit(&self, idx: usize, order: &mut Vec<usize>, visiting: &mut Vec<usize>) -> Result<()> {
        if order.contains(&idx) {
            return Ok(());
        }
        if visiting.contains(&idx) {
            let stage = &self.stages[idx];
            return Err(stage
                .location
                .error(&self.file, "circular dependency between build stages"));
        }
        visiting.push(idx);
        for dep in self.stage_deps(idx)? {
            self.visit(dep, order, visiting)?;
        }
        visiting.pop();
        order.push(idx);
        Ok(())
    }

    /// The stages stage `idx` uses: its base, `COPY --from`, `RUN --mount from=`.
    fn stage_deps(&self, idx: usize) -> Result<Vec<usize>> {
        let stage = &self.stages[idx];
        let mut deps = Vec::new();
        let base = self.expand_meta(&stage.base, &stage.location)?;
        if let Some(j) = self.stage_named(&base, idx, true) {
            deps.push(j);
        }
        for (cmd, loc) in &stage.commands {
            let mut froms: Vec<&String> = Vec::new();
            match cmd {
                Command::Copy { from: Some(f), .. } => froms.push(f),
                Command::Run { mounts, .. } => {
                    froms.extend(mounts.iter().filter_map(|m| m.from.as_ref()))
                }
                _ => {}
            }
            for f in froms {
                let name = self.expand_meta(f, loc)?;
                if let Some(j) = self.stage_ref(&name, idx, loc)? {
                    deps.push(j);
                }
            }
        }
        Ok(deps)
    }

    /// A stage named `name` (FROM may only name an earlier one).
    fn stage_named(&self, name: &str, current: usize, earlier_only: bool) -> Option<usize> {
        let want = name.to_ascii_lowercase();
        self.stages
            .iter()
            .position(|s| s.name.as_deref() == Some(want.as_str()))
            .filter(|&j| j != current && (!earlier_only || j < current))
    }

    /// `--from=` as a stage: a name or an index (None: an image).
    fn stage_ref(&self, name: &str, current: usize, loc: &Location) -> Result<Option<usize>> {
        if let Ok(n) = name.parse::<usize>() {
            if n >= self.stages.len() {
                return Err(loc.error(
                    &self.file,
                    format!(
                        "invalid stage index {n}: the file has {} stages",
                        self.stages.len()
                    ),
                ));
            }
            if n == current {
                return Err(loc.error(&self.file, "a stage cannot copy from itself"));
            }
            return Ok(Some(n));
        }
        Ok(self.stage_named(name, current, false))
    }

    fn expand_meta(&self, word: &str, loc: &Location) -> Result<String> {
        self.lexer
            .process_word(word, self.meta.as_slice())
            .map(|e| e.word)
            .map_err(|e| loc.error(&self.file, format!("{e:#}")))
    }

    fn build_stage(&mut self, idx: usize) -> Result<ImageState> {
        let stage = self.stages[idx].clone();
        let total = stage.commands.len() + 1;
        self.out
            .step(idx, self.stages.len(), 1, total, &stage.location.original);
        let base = self.expand_meta(&stage.base, &stage.location)?;
        let platform = match &stage.platform {
            Some(p) => Some(self.expand_meta(p, &stage.location)?),
            None => None,
        };
        let mut image = self
            .base_image(&base, platform.as_deref(), idx)
            .map_err(|e| stage.location.error(&self.file, format!("{e:#}")))?;
        let triggers = super::state::string_list(&image.run_config()["OnBuild"]);
        if !triggers.is_empty() {
            image.run_config_mut().remove("OnBuild");
        }
        let mut st = StageRun {
            index: idx,
            image,
            args: Vec::new(),
            flags: StageFlags::default(),
            pending_dir: None,
            pending_history: Vec::new(),
            pending_layer: None,
        };
        for trigger in &triggers {
            let (cmd, loc) = self.parse_trigger(trigger, &stage.location)?;
            self.out.line(&format!("ONBUILD trigger: {trigger}"));
            self.step(&mut st, &cmd, &loc)?;
        }
        for (n, (cmd, loc)) in stage.commands.iter().enumerate() {
            self.out
                .step(idx, self.stages.len(), n + 2, total, &loc.original);
            self.step(&mut st, cmd, loc)?;
        }
        self.flush(&mut st)?;
        Ok(st.image)
    }

    /// An ONBUILD trigger of the base image, parsed as a one-line Dockerfile.
    fn parse_trigger(&self, text: &str, from: &Location) -> Result<(Command, Location)> {
        let err = |m: String| from.error(&self.file, format!("ONBUILD trigger {text:?}: {m}"));
        let df = dockerfile::parse(text, "ONBUILD").map_err(|e| err(format!("{e:#}")))?;
        let inst = df
            .instructions
            .first()
            .ok_or_else(|| err("empty trigger".into()))?;
        let cmd = instructions::parse_command(inst, "ONBUILD", df.escape_token())
            .map_err(|e| err(format!("{e:#}")))?;
        if matches!(
            cmd,
            Command::From { .. } | Command::Onbuild { .. } | Command::Maintainer(_)
        ) {
            return Err(err(format!(
                "{} isn't allowed as an ONBUILD trigger",
                cmd.name()
            )));
        }
        Ok((cmd, from.clone()))
    }

    /// The image a stage starts from: scratch, an earlier stage, or an image.
    fn base_image(&mut self, name: &str, platform: Option<&str>, idx: usize) -> Result<ImageState> {
        if name.eq_ignore_ascii_case("scratch") {
            return Ok(ImageState::scratch());
        }
        if let Some(j) = self.stage_named(name, idx, true) {
            return self
                .results
                .get(&j)
                .cloned()
                .with_context(|| format!("stage {name:?} was not built"));
        }
        self.image(name, platform)
    }

    /// An image by name, pulled as `--pull` says.
    fn image(&mut self, name: &str, platform: Option<&str>) -> Result<ImageState> {
        if let Some(s) = self.images.get(name) {
            return Ok(s.clone());
        }
        let local_only =
            name.starts_with("localhost/") || crate::image::reference::looks_like_id_prefix(name);
        let policy = self.o.pull;
        if matches!(policy, PullPolicy::Always | PullPolicy::Newer)
            && !(local_only && crate::images::lookup_exists(self.store, name)?)
        {
            (self.pull)(name, platform)?;
        }
        let state = match self.load_image(name) {
            Err(e) if policy == PullPolicy::Missing && e.is::<crate::images::ImageNotKnown>() => {
                (self.pull)(name, platform)?;
                self.load_image(name)?
            }
            other => other?,
        };
        self.images.insert(name.to_string(), state.clone());
        Ok(state)
    }

    fn load_image(&self, name: &str) -> Result<ImageState> {
        let idx = self.store.index()?;
        let found = crate::images::find(&idx, name)?;
        ImageState::load(self.store, found.record)
    }

    /// Expansion environment: the stage's args, overridden by the image's ENV.
    fn expand_env(&self, st: &StageRun) -> Vec<(String, String)> {
        let mut env = st.args.clone();
        env.extend(st.image.env());
        env
    }

    fn step(&mut self, st: &mut StageRun, cmd: &Command, loc: &Location) -> Result<()> {
        let cmd = self.expand_copy_from(cmd, loc)?;
        let env = self.expand_env(st);
        let (cmd, _used) = instructions::expand_command(&cmd, &self.lexer, env.as_slice())
            .map_err(|e| loc.error(&self.file, format!("{e:#}")))?;
        let result = match &cmd {
            Command::Arg(list) => self.arg_step(st, &cmd, list, loc),
            Command::Run { .. } => self.run_step(st, &cmd, loc),
            Command::Copy { .. } | Command::Add { .. } => self.copy_step(st, &cmd, loc),
            Command::Workdir(_) => self.workdir_step(st, &cmd, loc),
            Command::From { .. } => Err(anyhow!("FROM inside a stage")),
            _ => self.config_step(st, &cmd, loc),
        };
        result.map_err(|e| {
            if e.is::<ExitError>() || e.is::<dockerfile::ParseError>() {
                e
            } else {
                loc.error(&self.file, format!("{e:#}"))
            }
        })
    }

    /// `COPY --from=$NAME` names a stage or image with the meta args, as BuildKit reads it
    /// (a stage's own ARGs are not in scope for it).
    fn expand_copy_from(&self, cmd: &Command, loc: &Location) -> Result<Command> {
        let mut cmd = cmd.clone();
        if let Command::Copy { from: Some(f), .. } = &mut cmd
            && f.contains('$')
        {
            *f = self.expand_meta(f, loc)?;
        }
        Ok(cmd)
    }

    fn arg_step(
        &mut self,
        st: &mut StageRun,
        cmd: &Command,
        list: &[(String, Option<String>)],
        loc: &Location,
    ) -> Result<()> {
        let mut key = self.key_base(st, cmd);
        for (name, default) in list {
            let value = self
                .build_arg(name)
                .or_else(|| default.clone())
                .or_else(|| {
                    self.meta
                        .iter()
                        .rev()
                        .find(|(k, _)| k == name)
                        .map(|(_, v)| v.clone())
                });
            st.args.retain(|(k, _)| k != name);
            if let Some(v) = value {
                key.text(b'A', &format!("{name}={v}"));
                st.args.push((name.clone(), v));
            }
        }
        let history = nop_history(&loc.original);
        self.commit_config(st, key.finish(), history)
    }

    fn config_step(&mut self, st: &mut StageRun, cmd: &Command, loc: &Location) -> Result<()> {
        let key = self.key_base(st, cmd);
        if !config_step::apply(cmd, &mut st.image, &mut st.flags)? {
            bail!("{} is not supported here", cmd.name());
        }
        self.commit_config(st, key.finish(), nop_history(&loc.original))
    }

    /// The key's common part: parent, instruction, output format.
    fn key_base(&self, st: &StageRun, cmd: &Command) -> KeyBuilder {
        let mut key = KeyBuilder::new(st.image.id.as_ref());
        key.text(b'I', &format!("{cmd:?}"));
        key.text(
            b'F',
            if self.o.docker_format {
                "docker"
            } else {
                "oci"
            },
        );
        key
    }

    /// A cache hit: the image an earlier build made for `key`.
    fn cached(&self, key: &Digest) -> Result<Option<ImageState>> {
        if self.o.no_cache || !self.o.layers {
            return Ok(None);
        }
        let idx = self.store.index()?;
        match cache::lookup(self.store, &idx, key) {
            Some(rec) => Ok(Some(ImageState::load(self.store, rec)?)),
            None => Ok(None),
        }
    }

    /// On a cache hit, moves the stage to the cached image and says so.
    fn use_cache(&self, st: &mut StageRun, key: &Digest) -> Result<bool> {
        let Some(hit) = self.cached(key)? else {
            return Ok(false);
        };
        st.image = hit;
        self.out.cache_hit(&st.image);
        Ok(true)
    }

    /// Commits a config-only step (the config change is already applied to `st.image`,
    /// which a cache hit replaces).
    fn commit_config(&mut self, st: &mut StageRun, key: Digest, history: Value) -> Result<()> {
        if !self.o.layers {
            st.pending_history.push(history);
            return Ok(());
        }
        if self.use_cache(st, &key)? {
            return Ok(());
        }
        self.commit_now(st, vec![history], None, None, Some(key))
    }

    /// A fresh directory for one step (or, with --layers=false, the stage's one).
    fn step_dir(&mut self, st: &mut StageRun) -> Result<PathBuf> {
        if !self.o.layers
            && let Some(d) = &st.pending_dir
        {
            return Ok(d.clone());
        }
        self.steps += 1;
        let dir = self.work.join(format!("step-{}", self.steps));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        if !self.o.layers {
            st.pending_dir = Some(dir.clone());
        }
        Ok(dir)
    }

    /// Commits a step that changed files in `dir/upper`.
    fn commit_layer(
        &mut self,
        st: &mut StageRun,
        dir: &Path,
        key: Digest,
        history: Value,
    ) -> Result<()> {
        if !self.o.layers {
            st.pending_layer = Some(st.pending_history.len());
            st.pending_history.push(history);
            return Ok(());
        }
        let dir = dir.to_path_buf();
        self.commit_now(
            st,
            vec![history],
            Some(dir.join("upper")),
            Some(dir),
            Some(key),
        )
    }

    /// `--layers=false`: commits the stage's one working directory and history; the last
    /// instruction that changed files owns the layer in the history.
    fn flush(&mut self, st: &mut StageRun) -> Result<()> {
        if st.pending_history.is_empty() && st.pending_dir.is_none() {
            return Ok(());
        }
        let mut history = std::mem::take(&mut st.pending_history);
        let dir = st.pending_dir.take();
        let layer = st.pending_layer.take().filter(|_| dir.is_some());
        for (n, h) in history.iter_mut().enumerate() {
            match h.as_object_mut() {
                Some(o) if Some(n) == layer => {
                    o.remove("empty_layer");
                }
                Some(o) => {
                    o.insert("empty_layer".into(), json!(true));
                }
                None => {}
            }
        }
        let upper = layer.and(dir.as_ref().map(|d| d.join("upper")));
        self.commit_now(st, history, upper, dir, None)
    }

    /// Writes the stage's image now and moves the stage to it.
    fn commit_now(
        &mut self,
        st: &mut StageRun,
        history: Vec<Value>,
        upper: Option<PathBuf>,
        cleanup: Option<PathBuf>,
        cache_key: Option<Digest>,
    ) -> Result<()> {
        let image = commit_step(
            self.store,
            StepCommit {
                config: st.image.config.clone(),
                parent: &st.image,
                history,
                upper,
                cleanup,
                cache_key,
                docker_format: self.o.docker_format,
                annotations: Vec::new(),
            },
        )?;
        st.image = image;
        self.out.committed(&st.image);
        Ok(())
    }

    fn run_step(&mut self, st: &mut StageRun, cmd: &Command, loc: &Location) -> Result<()> {
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
        let resolved_mounts = run_mounts::prepare(&run_mounts::MountInputs {
            mounts,
            ctx: &self.ctx,
            secrets: &self.o.secrets,
            cache_root: &self.store.root().join("build-cache-mounts"),
            step_dir: &dir,
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
        let code = run_step::run(&step)?;
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

    /// WORKDIR: the config's directory, created in the image (owned by root, 0755) when no
    /// layer has it yet, as BuildKit and Buildah leave it in the image.
    fn workdir_step(&mut self, st: &mut StageRun, cmd: &Command, loc: &Location) -> Result<()> {
        let key = self.key_base(st, cmd);
        config_step::apply(cmd, &mut st.image, &mut st.flags)?;
        let dir = st.image.run_str("WorkingDir");
        let rel = dir.trim_start_matches('/');
        let lowers = self.store.lower_dirs(&st.image.chains());
        let mut view: Vec<PathBuf> = st.pending_dir.iter().map(|d| d.join("upper")).collect();
        view.extend(lowers.iter().cloned());
        if rel.is_empty() || dir_in_layers(&view, rel) {
            return self.commit_config(st, key.finish(), nop_history(&loc.original));
        }
        let key = key.finish();
        if self.use_cache(st, &key)? {
            return Ok(());
        }
        let step_dir = self.step_dir(st)?;
        let step = CopyStep {
            lowers,
            dir: &step_dir,
            sources: Vec::new(),
            dest: format!("{dir}/"),
            multiple: false,
            owner: (0, 0),
            chmod: None,
            rootless: self.store.config().rootless,
        };
        copy_step::run(&step)?;
        let mut history = nop_history(&loc.original);
        if let Some(h) = history.as_object_mut() {
            h.remove("empty_layer");
        }
        self.commit_layer(st, &step_dir, key, history)
    }

    fn copy_step(&mut self, st: &mut StageRun, cmd: &Command, loc: &Location) -> Result<()> {
        let spec = CopySpec::of(cmd)?;
        let mut key = self.key_base(st, cmd);
        let dir = self.step_dir(st)?;
        let workdir = st.image.run_str("WorkingDir");
        let dest = absolute_dest(&spec.dest, &workdir);
        let heredoc_ctx;
        let download_ctx;
        let mut sets: Vec<SourceSet<'_>> = Vec::new();
        let mut summary = String::new();
        let mut count = spec.sources.len() + spec.heredocs.len();
        let wildcard = spec.sources.iter().any(|s| has_wildcard(s));
        if let Some(from) = &spec.from {
            let source = match self.stage_ref(from, st.index, loc)? {
                Some(j) => self
                    .results
                    .get(&j)
                    .cloned()
                    .with_context(|| format!("stage {from:?} was not built"))?,
                None => self.image(from, None)?,
            };
            let id = source
                .id
                .as_ref()
                .map(|d| d.to_string())
                .unwrap_or_default();
            key.text(b'S', &id);
            sets.push(SourceSet::Layers {
                name: from.clone(),
                layers: self.store.lower_dirs(&source.chains()),
                patterns: spec.sources.clone(),
            });
            summary = format!("--from={from} {}", spec.sources.join(" "));
        } else {
            let (urls, local): (Vec<String>, Vec<String>) =
                spec.sources.iter().cloned().partition(|s| is_url(s));
            if !urls.is_empty() && !spec.is_add {
                bail!("source can't be a URL for COPY");
            }
            if !local.is_empty() {
                let entries = self.ctx.resolve_sources(&local)?;
                let sum = self.ctx.checksum(&entries)?;
                key.text(b'C', &sum.to_string());
                summary = content_summary(&entries, &sum);
                sets.push(SourceSet::Dir {
                    ctx: &self.ctx,
                    entries,
                    extract: spec.is_add && spec.unpack != Some(false),
                });
            }
            if !spec.heredocs.is_empty() {
                let env = self.expand_env(st);
                let hdir = dir.join("heredoc");
                write_heredocs(&hdir, &spec.heredocs, &self.lexer, &env)?;
                heredoc_ctx = BuildContext::with_rules(&hdir, IgnoreRules::default())?;
                let names: Vec<String> = spec.heredocs.iter().map(|h| h.path.clone()).collect();
                let entries = heredoc_ctx.resolve_sources(&names)?;
                let sum = heredoc_ctx.checksum(&entries)?;
                key.text(b'H', &sum.to_string());
                summary = content_summary(&entries, &sum);
                sets.push(SourceSet::Dir {
                    ctx: &heredoc_ctx,
                    entries,
                    extract: false,
                });
            }
            if !urls.is_empty() {
                let ddir = dir.join("download");
                let names = super::download::fetch_all(&urls, &ddir, spec.checksum.as_deref())?;
                download_ctx = BuildContext::with_rules(&ddir, IgnoreRules::default())?;
                let entries = download_ctx.resolve_sources(&names)?;
                let sum = download_ctx.checksum(&entries)?;
                key.text(b'D', &sum.to_string());
                summary = content_summary(&entries, &sum);
                count = count.max(names.len());
                sets.push(SourceSet::Dir {
                    ctx: &download_ctx,
                    entries,
                    extract: false,
                });
            }
        }
        let key = key.finish();
        if self.use_cache(st, &key)? {
            return remove_all(&dir);
        }
        let lowers = self.store.lower_dirs(&st.image.chains());
        let owner = match &spec.chown {
            Some(c) => resolve_chown(c, &lowers, &dir)?,
            None => (0, 0),
        };
        let chmod = spec.chmod.as_deref().map(parse_chmod).transpose()?;
        let step = CopyStep {
            lowers,
            dir: &dir,
            sources: sets,
            dest: dest.clone(),
            multiple: count > 1 || wildcard,
            owner,
            chmod,
            rootless: self.store.config().rootless,
        };
        copy_step::run(&step)?;
        let word = if spec.is_add { "ADD" } else { "COPY" };
        let history = json!({
            "created_by": format!("/bin/sh -c #(nop) {word} {summary} in {dest} "),
        });
        self.commit_layer(st, &dir, key, history)
    }

    /// `--label`, `--env`, `--annotation` on the target's image, as one more commit.
    fn finish(&mut self, image: ImageState) -> Result<ImageState> {
        let o = self.o;
        if o.labels.is_empty()
            && o.env.is_empty()
            && o.unset_env.is_empty()
            && o.annotations.is_empty()
        {
            return Ok(image);
        }
        let mut st = image;
        let mut key = KeyBuilder::new(st.id.as_ref());
        key.text(b'F', if o.docker_format { "docker" } else { "oci" });
        for (k, v) in &o.labels {
            key.text(b'L', &format!("{k}={v}"));
        }
        for (k, v) in &o.env {
            key.text(b'E', &format!("{k}={v}"));
        }
        for k in &o.unset_env {
            key.text(b'U', k);
        }
        for (k, v) in &o.annotations {
            key.text(b'N', &format!("{k}={v}"));
        }
        let key = key.finish();
        if let Some(hit) = self.cached(&key)? {
            return Ok(hit);
        }
        let mut flags = StageFlags::default();
        if !o.labels.is_empty() {
            config_step::apply(&Command::Label(o.labels.clone()), &mut st, &mut flags)?;
        }
        if !o.env.is_empty() {
            config_step::apply(&Command::Env(o.env.clone()), &mut st, &mut flags)?;
        }
        if !o.unset_env.is_empty() {
            let env: Vec<Value> = st
                .env()
                .into_iter()
                .filter(|(k, _)| !o.unset_env.contains(k))
                .map(|(k, v)| json!(format!("{k}={v}")))
                .collect();
            st.run_config_mut().insert("Env".into(), Value::Array(env));
        }
        let image = commit_step(
            self.store,
            StepCommit {
                config: st.config.clone(),
                parent: &st,
                history: vec![],
                upper: None,
                cleanup: None,
                cache_key: Some(key),
                docker_format: o.docker_format,
                annotations: o.annotations.clone(),
            },
        )?;
        Ok(image)
    }

    /// Names the image and shows it as a build result (not a hidden intermediate).
    fn tag(&mut self, id: &Digest) -> Result<()> {
        if let Some(first) = self.o.tags.first() {
            self.out.line(&format!("COMMIT {first}"));
        }
        self.out.line(&format!("--> {}", &id.hex()[..12]));
        self.store.update_index(|idx| {
            if let Some(r) = idx.get_mut(id) {
                r.intermediate = false;
            }
            for t in &self.o.tags {
                idx.set_name(id, t);
            }
            Ok(())
        })?;
        for t in &self.o.tags {
            self.out.line(&format!("Successfully tagged {t}"));
        }
        Ok(())
    }
}

/// Whether the merged view of `layers` (top first, overlay form) has a directory (or a
/// symlink, which the copy resolves) at `rel`: a whiteout on the way hides what lower layers
/// have, and so does an opaque directory.
fn dir_in_layers(layers: &[PathBuf], rel: &str) -> bool {
    use std::os::unix::fs::FileTypeExt;
    use std::os::unix::fs::MetadataExt;
    let parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
    for layer in layers {
        let mut path = layer.clone();
        let mut opaque = false;
        for (i, part) in parts.iter().enumerate() {
            path.push(part);
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                break;
            };
            let ft = meta.file_type();
            if ft.is_char_device() && meta.rdev() == 0 {
                return false; // deleted here
            }
            if i + 1 == parts.len() {
                return ft.is_dir() || ft.is_symlink();
            }
            if !ft.is_dir() {
                return false;
            }
            opaque |= crate::runtime::user::is_opaque(&path);
        }
        if opaque {
            return false;
        }
    }
    false
}

/// BuildKit's automatic platform args (all for this host's platform).
fn platform_args() -> Vec<(String, String)> {
    let arch = crate::image::platform::host_arch();
    let platform = format!("linux/{arch}");
    vec![
        ("BUILDPLATFORM".into(), platform.clone()),
        ("BUILDOS".into(), "linux".into()),
        ("BUILDARCH".into(), arch.into()),
        ("TARGETPLATFORM".into(), platform),
        ("TARGETOS".into(), "linux".into()),
        ("TARGETARCH".into(), arch.into()),
    ]
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

/// History of a config-only step, in Buildah's words.
fn nop_history(original: &str) -> Value {
    json!({"created_by": format!("/bin/sh -c #(nop) {original}"), "empty_layer": true})
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

/// `file:<sum>`, `dir:<sum>` or `multi:<sum>` for COPY's history line.
fn content_summary(entries: &[ContextEntry], sum: &Digest) -> String {
    let kind = match entries {
        [one] if one.is_dir() => "dir",
        [_] => "file",
        _ => "multi",
    };
    format!("{kind}:{}", sum.hex())
}

/// The fields of COPY and ADD that the step needs.
struct CopySpec {
    is_add: bool,
    sources: Vec<String>,
    dest: String,
    from: Option<String>,
    chown: Option<String>,
    chmod: Option<String>,
    heredocs: Vec<HeredocSource>,
    checksum: Option<String>,
    unpack: Option<bool>,
}

impl CopySpec {
    fn of(cmd: &Command) -> Result<CopySpec> {
        match cmd {
            Command::Copy { parents: true, .. } => bail!("COPY --parents is not supported yet"),
            Command::Copy { exclude, .. } | Command::Add { exclude, .. } if !exclude.is_empty() => {
                bail!("{} --exclude is not supported yet", cmd.name())
            }
            Command::Copy {
                sources,
                dest,
                from,
                chown,
                chmod,
                heredocs,
                ..
            } => Ok(CopySpec {
                is_add: false,
                sources: sources.clone(),
                dest: dest.clone(),
                from: from.clone(),
                chown: chown.clone(),
                chmod: chmod.clone(),
                heredocs: heredocs.clone(),
                checksum: None,
                unpack: None,
            }),
            Command::Add {
                sources,
                dest,
                chown,
                chmod,
                checksum,
                unpack,
                heredocs,
                ..
            } => Ok(CopySpec {
                is_add: true,
                sources: sources.clone(),
                dest: dest.clone(),
                from: None,
                chown: chown.clone(),
                chmod: chmod.clone(),
                heredocs: heredocs.clone(),
                checksum: checksum.clone(),
                unpack: *unpack,
            }),
            _ => bail!("not a COPY or ADD"),
        }
    }
}

/// A destination relative to WORKDIR made absolute; a trailing `/` is kept (it means "a
/// directory").
fn absolute_dest(dest: &str, workdir: &str) -> String {
    if dest.starts_with('/') {
        return dest.to_string();
    }
    let base = if workdir.is_empty() { "/" } else { workdir };
    let mut joined = config_step::join_workdir(base, dest);
    if (dest.ends_with('/') || dest == "." || dest.ends_with("/.")) && !joined.ends_with('/') {
        joined.push('/');
    }
    joined
}

fn has_wildcard(source: &str) -> bool {
    source.contains(['*', '?', '['])
}

fn is_url(source: &str) -> bool {
    source.starts_with("http://") || source.starts_with("https://")
}

/// Writes COPY's heredoc files (expanded unless the word was quoted), mode 0644.
fn write_heredocs(
    dir: &Path,
    heredocs: &[HeredocSource],
    lexer: &Lexer,
    env: &[(String, String)],
) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut raw = lexer.clone();
    raw.skip_process_quotes = true;
    for h in heredocs {
        let data = if h.expand {
            raw.process_word(&h.data, env)?.word
        } else {
            h.data.clone()
        };
        let name = h.path.trim_start_matches('/');
        if name.is_empty() || name.contains('/') {
            bail!("invalid heredoc file name {:?}", h.path);
        }
        let path = dir.join(name);
        std::fs::write(&path, data).with_context(|| format!("writing {}", path.display()))?;
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644))?;
    }
    Ok(())
}

/// `--chown=user[:group]`: names looked up in the image's /etc/passwd and /etc/group; a
/// user without a group gets the same number as its group, as Docker documents.
fn resolve_chown(spec: &str, lowers: &[PathBuf], dir: &Path) -> Result<(u32, u32)> {
    let mut search = vec![dir.join("upper")];
    search.extend(lowers.iter().cloned());
    let passwd = crate::runtime::user::read_file_from_layers(&search, "/etc/passwd");
    let group = crate::runtime::user::read_file_from_layers(&search, "/etc/group");
    let (user_part, group_part) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let user = crate::runtime::user::resolve_user(user_part, passwd.as_deref(), group.as_deref())
        .with_context(|| format!("--chown={spec}"))?;
    let gid = match group_part {
        None => user.uid,
        Some(g) => {
            let as_group = format!("{}:{g}", user.uid);
            crate::runtime::user::resolve_user(&as_group, passwd.as_deref(), group.as_deref())
                .with_context(|| format!("--chown={spec}"))?
                .gid
        }
    };
    Ok((user.uid, gid))
}

/// `--chmod=0755` (octal).
fn parse_chmod(value: &str) -> Result<u32> {
    u32::from_str_radix(value, 8)
        .ok()
        .filter(|m| *m <= 0o7777)
        .ok_or_else(|| anyhow!("invalid --chmod={value}: want an octal mode such as 0755"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_are_absolute() {
        assert_eq!(absolute_dest("/x", "/app"), "/x");
        assert_eq!(absolute_dest("x", "/app"), "/app/x");
        assert_eq!(absolute_dest("x/", "/app"), "/app/x/");
        assert_eq!(absolute_dest(".", "/app"), "/app/");
        assert_eq!(absolute_dest("x", ""), "/x");
    }

    #[test]
    fn run_history_shows_build_args() {
        let h = run_history("RUN echo $A", &[("A".into(), "1".into())]);
        assert_eq!(h["created_by"], json!("|1 A=1 /bin/sh -c echo $A"));
        let h = run_history("RUN  make", &[]);
        assert_eq!(h["created_by"], json!("/bin/sh -c make"));
    }

    #[test]
    fn directories_through_whiteouts() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let (top, base) = (tmp.path().join("top"), tmp.path().join("base"));
        std::fs::create_dir_all(base.join("home/user")).unwrap();
        std::fs::create_dir_all(base.join("srv")).unwrap();
        std::fs::write(base.join("file"), "").unwrap();
        std::fs::create_dir_all(top.join("home")).unwrap();
        symlink("/srv", top.join("link")).unwrap();
        let layers = vec![top.clone(), base.clone()];
        assert!(dir_in_layers(&layers, "home/user"));
        assert!(dir_in_layers(&layers, "link"));
        assert!(!dir_in_layers(&layers, "file"));
        assert!(!dir_in_layers(&layers, "nope"));
        // A whiteout (a 0/0 char device) needs mknod: only as root.
        if rustix::process::geteuid().is_root() {
            rustix::fs::mknodat(
                rustix::fs::CWD,
                top.join("home/user"),
                rustix::fs::FileType::CharacterDevice,
                rustix::fs::Mode::from_raw_mode(0),
                0,
            )
            .unwrap();
            assert!(!dir_in_layers(&layers, "home/user"));
        }
    }

    #[test]
    fn chmod_values() {
        assert_eq!(parse_chmod("0755").unwrap(), 0o755);
        assert_eq!(parse_chmod("644").unwrap(), 0o644);
        assert!(parse_chmod("u+x").is_err());
        assert!(parse_chmod("17777").is_err());
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
