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

mod copy;
mod run;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};

use super::cache::{self, KeyBuilder};
use super::commit::{StepCommit, commit_step};
use super::config_step::{self, StageFlags};
use super::context::BuildContext;
use super::dockerfile;
use super::ignore::IgnoreRules;
use super::instructions::{self, ArgDefault, Command, Location, Stage};
use super::options::{BuildOptions, DockerfileSource};
use super::output::Output;
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
    let result = crate::sys::userns::as_store_owner(store.config().rootless, || remove_all(&dir));
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
                self.o.timestamp,
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
                    reuse_same_step: false,
                    timestamp: self.o.timestamp,
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

    /// An image by name, pulled as `--pull` says, for the stage's platform (FROM
    /// --platform, else the build's --platform): a local image of another platform is pulled
    /// again for the wanted one, or refused (skiff has no emulation to hide it behind).
    fn image(&mut self, name: &str, platform: Option<&str>) -> Result<ImageState> {
        let wanted = match platform {
            Some(p) => crate::images::pull::PlatformWanted::from_flags(Some(p), None, None, None)?,
            None => self.o.platform.clone(),
        };
        let key = format!("{name} {}", platform_text(&wanted));
        if let Some(s) = self.images.get(&key) {
            return Ok(s.clone());
        }
        let wanted_text = platform_text(&wanted);
        let mut state = crate::images::pull_policy::with_image(
            self.store,
            name,
            self.o.pull,
            || (self.pull)(name, Some(&wanted_text)),
            || self.load_image(name),
        )?;
        if let Some(have) = other_platform(&state, &wanted) {
            if self.o.pull == crate::build::PullPolicy::Never {
                bail!(
                    "image {name} is {have}, not the wanted {wanted_text}, and --pull=never forbids pulling it"
                );
            }
            (self.pull)(name, Some(&wanted_text)).map_err(|e| {
                anyhow::anyhow!(
                    "image {name} is {have} here, not the wanted {wanted_text}, and pulling {wanted_text} failed: {e:#}"
                )
            })?;
            state = self.load_image(name)?;
            if let Some(have) = other_platform(&state, &wanted) {
                bail!("image {name} is {have}, not the wanted {wanted_text}");
            }
        }
        self.images.insert(key, state.clone());
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
        let mut key = self.output_key(st.image.id.as_ref());
        key.text(b'I', &format!("{cmd:?}"));
        key
    }

    /// A key on `parent` with what every image of this build shares: the output format
    /// and `--timestamp`.
    fn output_key(&self, parent: Option<&Digest>) -> KeyBuilder {
        let mut key = KeyBuilder::new(parent);
        let format = if self.o.docker_format {
            "docker"
        } else {
            "oci"
        };
        key.text(b'F', format);
        if let Some(t) = self.o.timestamp {
            key.text(b'T', &t.to_string());
        }
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
                reuse_same_step: !self.o.no_cache,
                timestamp: self.o.timestamp,
            },
        )?;
        st.image = image;
        self.out.committed(&st.image);
        Ok(())
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
        let mut key = self.output_key(st.id.as_ref());
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
                reuse_same_step: !o.no_cache,
                timestamp: o.timestamp,
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

fn platform_text(p: &crate::images::pull::PlatformWanted) -> String {
    match &p.variant {
        Some(v) => format!("{}/{}/{v}", p.os, p.arch),
        None => format!("{}/{}", p.os, p.arch),
    }
}

/// The image's platform as text when it is not `wanted` (a variant counts only where both
/// name one; an image that names no platform matches anything).
fn other_platform(
    state: &ImageState,
    wanted: &crate::images::pull::PlatformWanted,
) -> Option<String> {
    let field = |k: &str| state.config[k].as_str().filter(|s| !s.is_empty());
    let (os, arch) = (field("os")?, field("architecture")?);
    let variant = field("variant");
    let differs = os != wanted.os
        || arch != wanted.arch
        || matches!((variant, &wanted.variant), (Some(v), Some(w)) if v != w);
    differs.then(|| match variant {
        Some(v) => format!("{os}/{arch}/{v}"),
        None => format!("{os}/{arch}"),
    })
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

/// History of a config-only step, in Buildah's words.
fn nop_history(original: &str) -> Value {
    json!({"created_by": format!("/bin/sh -c #(nop) {original}"), "empty_layer": true})
}
