//! COPY, ADD and WORKDIR: what the step copies (context, stage or image, heredocs, URLs),
//! its cache key, the destination and owner, then the copy (see copy_step.rs) and its commit.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::json;

use super::{Builder, StageRun, nop_history};
use crate::build::config_step;
use crate::build::context::{BuildContext, ContextEntry};
use crate::build::copy_step::{self, CopyStep, SourceSet};
use crate::build::ignore::IgnoreRules;
use crate::build::instructions::{Command, HeredocSource, Location};
use crate::build::shell::Lexer;
use crate::image::digest::Digest;
use crate::store::fsutil::remove_all;

impl Builder<'_> {
    /// WORKDIR: the config's directory, created in the image (owned by root, 0755) when no
    /// layer has it yet, as BuildKit and Buildah leave it in the image.
    pub(super) fn workdir_step(
        &mut self,
        st: &mut StageRun,
        cmd: &Command,
        loc: &Location,
    ) -> Result<()> {
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

    pub(super) fn copy_step(
        &mut self,
        st: &mut StageRun,
        cmd: &Command,
        loc: &Location,
    ) -> Result<()> {
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
                let names =
                    crate::build::download::fetch_all(&urls, &ddir, spec.checksum.as_deref())?;
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
}

/// Whether the merged view of `layers` (top first, overlay form) has a directory (or a
/// symlink, which the copy resolves) at `rel`.
fn dir_in_layers(layers: &[PathBuf], rel: &str) -> bool {
    crate::layer::overlay::lookup(layers, Path::new(rel))
        .is_some_and(|(_, meta)| meta.is_dir() || meta.file_type().is_symlink())
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
}
