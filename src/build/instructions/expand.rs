//! Variable expansion of a command's arguments, applied where BuildKit applies it (the
//! `Expand`/`ExpandRaw` methods of commands.go, plus what dockerfile2llb expands itself: the
//! FROM base and platform, ARG defaults, EXPOSE's words).
//!
//! Not expanded, as in BuildKit: RUN/CMD/ENTRYPOINT command lines (the shell expands shell
//! form; exec form is literal), RUN heredocs (the shell again), HEALTHCHECK, SHELL,
//! MAINTAINER, ONBUILD (expanded when the trigger runs in a child build), ARG names, stage
//! names, `--exclude` patterns, and the RUN flags other than `--mount`.

use std::collections::BTreeSet;

use anyhow::{Result, anyhow};

use crate::build::shell::{Env, Lexer};

use super::mount::{self, RunMount};
use super::{Command, HeredocSource};

/// Expands `cmd`'s arguments with `env` (the stage's ARG and ENV values so far; for FROM, the
/// meta args). Returns the expanded command and the names of the variables it used, found in
/// `env`: the build args among them are part of the step's cache key.
///
/// For ARG, only defaults are expanded; a build arg given on the command line replaces the
/// default unexpanded, so the evaluator should not count a replaced default's variables.
pub fn expand_command<E: Env + ?Sized>(
    cmd: &Command,
    lexer: &Lexer,
    env: &E,
) -> Result<(Command, BTreeSet<String>)> {
    let mut expander = Expander {
        lexer,
        env,
        used: BTreeSet::new(),
    };
    let expanded = expander.command(cmd)?;
    Ok((expanded, expander.used))
}

struct Expander<'a, E: Env + ?Sized> {
    lexer: &'a Lexer,
    env: &'a E,
    used: BTreeSet<String>,
}

impl<E: Env + ?Sized> Expander<'_, E> {
    fn word(&mut self, word: &str) -> Result<String> {
        let expanded = self.lexer.process_word(word, self.env)?;
        self.used.extend(expanded.matched);
        Ok(expanded.word)
    }

    /// A word that may split into several (EXPOSE `$PORTS`).
    fn words(&mut self, word: &str) -> Result<Vec<String>> {
        let expanded = self.lexer.process_word(word, self.env)?;
        self.used.extend(expanded.matched);
        Ok(expanded.words)
    }

    fn all(&mut self, words: &[String]) -> Result<Vec<String>> {
        words.iter().map(|word| self.word(word)).collect()
    }

    /// An optional flag value; one that expands to nothing is not given, as in BuildKit.
    fn optional(&mut self, value: &Option<String>) -> Result<Option<String>> {
        let Some(value) = value else {
            return Ok(None);
        };
        let expanded = self.word(value)?;
        Ok((!expanded.is_empty()).then_some(expanded))
    }

    fn pairs(&mut self, pairs: &[(String, String)]) -> Result<Vec<(String, String)>> {
        pairs
            .iter()
            .map(|(key, value)| Ok((self.word(key)?, self.word(value)?)))
            .collect()
    }

    /// Heredoc bodies for COPY/ADD: only `$` is special, quotes are text, and the escape is
    /// always `\` (BuildKit's ExpandRaw lexer), since a body is file content, not a word.
    fn heredocs(&mut self, sources: &[HeredocSource]) -> Result<Vec<HeredocSource>> {
        let mut raw = Lexer::new('\\');
        raw.skip_process_quotes = true;
        let mut out = Vec::with_capacity(sources.len());
        for source in sources {
            let mut source = source.clone();
            if source.expand {
                let expanded = raw.process_word(&source.data, self.env)?;
                self.used.extend(expanded.matched);
                source.data = expanded.word;
            }
            out.push(source);
        }
        Ok(out)
    }

    /// `--mount` values are read again from the flag text, now with variables.
    fn mounts(&mut self, mounts: &[RunMount]) -> Result<Vec<RunMount>> {
        let mut out = Vec::with_capacity(mounts.len());
        for m in mounts {
            let mut expand = |value: &str| -> Result<Option<String>, String> {
                self.word(value).map(Some).map_err(|e| format!("{e:#}"))
            };
            out.push(mount::parse_mount(&m.raw, &mut expand).map_err(|e| anyhow!(e))?);
        }
        Ok(out)
    }

    fn command(&mut self, cmd: &Command) -> Result<Command> {
        Ok(match cmd {
            Command::From {
                image,
                platform,
                alias,
            } => Command::From {
                image: self.word(image)?,
                platform: self.optional(platform)?,
                alias: alias.clone(),
            },
            Command::Run {
                cmd,
                mounts,
                network,
                security,
                heredocs,
            } => Command::Run {
                cmd: cmd.clone(),
                mounts: self.mounts(mounts)?,
                network: *network,
                security: *security,
                heredocs: heredocs.clone(),
            },
            Command::Copy { .. } => self.copy(cmd)?,
            Command::Add { .. } => self.add(cmd)?,
            Command::Workdir(path) => Command::Workdir(self.word(path)?),
            Command::Env(pairs) => Command::Env(self.pairs(pairs)?),
            Command::Label(pairs) => Command::Label(self.pairs(pairs)?),
            Command::Arg(args) => Command::Arg(self.arg_defaults(args)?),
            Command::Expose(ports) => {
                let mut expanded = Vec::with_capacity(ports.len());
                for port in ports {
                    expanded.extend(self.words(port)?);
                }
                Command::Expose(expanded)
            }
            Command::User(user) => Command::User(self.word(user)?),
            Command::Volume(volumes) => Command::Volume(self.all(volumes)?),
            Command::Stopsignal(signal) => Command::Stopsignal(self.word(signal)?),
            Command::Cmd(_)
            | Command::Entrypoint(_)
            | Command::Shell(_)
            | Command::Healthcheck(_)
            | Command::Onbuild { .. }
            | Command::Maintainer(_) => cmd.clone(),
        })
    }

    fn arg_defaults(
        &mut self,
        args: &[(String, Option<String>)],
    ) -> Result<Vec<(String, Option<String>)>> {
        args.iter()
            .map(|(name, default)| {
                let default = default.as_deref().map(|d| self.word(d)).transpose()?;
                Ok((name.clone(), default))
            })
            .collect()
    }

    fn copy(&mut self, cmd: &Command) -> Result<Command> {
        let Command::Copy {
            sources,
            dest,
            from,
            chown,
            chmod,
            link,
            parents,
            exclude,
            heredocs,
        } = cmd
        else {
            return Ok(cmd.clone());
        };
        // BuildKit's order, so that the first failure reported is the same.
        let chown = self.optional(chown)?;
        let chmod = self.optional(chmod)?;
        let from = self.optional(from)?;
        Ok(Command::Copy {
            sources: self.all(sources)?,
            dest: self.word(dest)?,
            from,
            chown,
            chmod,
            link: *link,
            parents: *parents,
            exclude: exclude.clone(),
            heredocs: self.heredocs(heredocs)?,
        })
    }

    fn add(&mut self, cmd: &Command) -> Result<Command> {
        let Command::Add {
            sources,
            dest,
            chown,
            chmod,
            link,
            exclude,
            checksum,
            keep_git_dir,
            unpack,
            heredocs,
        } = cmd
        else {
            return Ok(cmd.clone());
        };
        let chown = self.optional(chown)?;
        let chmod = self.optional(chmod)?;
        let checksum = self.optional(checksum)?;
        Ok(Command::Add {
            sources: self.all(sources)?,
            dest: self.word(dest)?,
            chown,
            chmod,
            link: *link,
            exclude: exclude.clone(),
            checksum,
            keep_git_dir: *keep_git_dir,
            unpack: *unpack,
            heredocs: self.heredocs(heredocs)?,
        })
    }
}
