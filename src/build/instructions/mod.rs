//! Typed Dockerfile commands: BuildKit's second stage (moby/buildkit
//! `frontend/dockerfile/instructions`: parse.go, bflag.go, commands*.go).
//!
//! The parser (`build::dockerfile`) gives every instruction the raw argument shape BuildKit's
//! line parsers give it; this module turns each one into a [`Command`], checks its flags and
//! its argument count, and splits the file into build stages. It expands no variables: ARG and
//! ENV values change as a stage proceeds, so the evaluator expands each command just before
//! running it, through [`expand_command`], which applies the shell-word expansion
//! (`build::shell`) to exactly the fields BuildKit expands and reports the variables used (the
//! build cache keys on the build args a step uses).
//!
//! Errors are one line, `FILE:LINE: message`, with BuildKit's words (a
//! [`ParseError`](crate::build::dockerfile::ParseError) inside the `anyhow::Error`). Where we
//! differ from BuildKit:
//! - ARG and STOPSIGNAL refuse flags (`Unknown flag: x`), and HEALTHCHECK NONE refuses flags
//!   other than HEALTHCHECK's own; BuildKit never looks at those flags and ignores them.
//! - ONBUILD's instruction is parsed and checked now, so a trigger that could never run fails
//!   this build; BuildKit stores any text and lets the child image's build fail.
//! - `RUN --mount` values without a `$` are checked now rather than when the stage is built,
//!   so a bad mount in a stage that is never built is an error too.
//! - `COPY --from` is expanded (as Podman does); BuildKit leaves it as written, where a `$`
//!   can only fail, so nothing BuildKit accepts changes meaning.
//! - Labs-only flags (`RUN --device`) are unknown flags, as in the stable frontend.

mod duration;
mod expand;
mod flags;
mod mount;
mod parse;
mod suggest;
#[cfg(test)]
mod tests;

use std::fmt;
use std::time::Duration;

use anyhow::Result;

use crate::build::dockerfile::{Dockerfile, Instruction, ParseError};
use crate::format::go_quote;

pub use crate::build::dockerfile::Heredoc;
pub use expand::expand_command;
pub use mount::{MountSharing, MountType, RunMount};

/// The shell a shell-form command runs under when no SHELL instruction set one.
pub const DEFAULT_SHELL: [&str; 2] = ["/bin/sh", "-c"];

/// A command line as written: shell form (one string for the shell) or exec form (JSON array).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShellOrExec {
    Shell(String),
    Exec(Vec<String>),
}

impl ShellOrExec {
    /// The argv to run: exec form as it is, shell form after `shell` (the stage's SHELL, or
    /// [`DEFAULT_SHELL`] when that is empty), as BuildKit's withShell does.
    pub fn prepend_shell(&self, shell: &[String]) -> Vec<String> {
        match self {
            ShellOrExec::Exec(argv) => argv.clone(),
            ShellOrExec::Shell(line) => {
                let mut argv: Vec<String> = if shell.is_empty() {
                    DEFAULT_SHELL.iter().map(|s| s.to_string()).collect()
                } else {
                    shell.to_vec()
                };
                argv.push(line.clone());
                argv
            }
        }
    }
}

/// `RUN --network=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkMode {
    Default,
    None,
    Host,
}

/// `RUN --security=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    Sandbox,
    Insecure,
}

/// A COPY/ADD source given inline as a heredoc (`COPY <<EOF /dest`): a file named `path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeredocSource {
    /// The heredoc's terminator word, which names the file.
    pub path: String,
    /// The body, leading tabs already removed for `<<-`.
    pub data: String,
    /// The terminator was unquoted: the body is variable-expanded.
    pub expand: bool,
}

/// HEALTHCHECK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Healthcheck {
    /// `HEALTHCHECK NONE`: disable any check inherited from the base image.
    None,
    /// `HEALTHCHECK [flags] CMD ...`. A zero duration or count means "not set" (inherit), as
    /// in the image config.
    Cmd {
        test: ShellOrExec,
        interval: Duration,
        timeout: Duration,
        start_period: Duration,
        start_interval: Duration,
        retries: u32,
    },
}

impl Healthcheck {
    /// The image config's `Healthcheck.Test`: `["NONE"]`, `["CMD-SHELL", line]` or
    /// `["CMD", argv...]`.
    pub fn config_test(&self) -> Vec<String> {
        match self {
            Healthcheck::None => vec!["NONE".to_string()],
            Healthcheck::Cmd {
                test: ShellOrExec::Shell(line),
                ..
            } => vec!["CMD-SHELL".to_string(), line.clone()],
            Healthcheck::Cmd {
                test: ShellOrExec::Exec(argv),
                ..
            } => std::iter::once("CMD".to_string())
                .chain(argv.iter().cloned())
                .collect(),
        }
    }
}

/// One Dockerfile instruction, checked but not yet variable-expanded. Optional string flags
/// given empty (`--chown=`) are None, as BuildKit treats them as not given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `FROM [--platform=p] image [AS alias]`; the alias is lowercased.
    From {
        image: String,
        platform: Option<String>,
        alias: Option<String>,
    },
    Run {
        cmd: ShellOrExec,
        mounts: Vec<RunMount>,
        network: Option<NetworkMode>,
        security: Option<Security>,
        /// Heredoc bodies as written; the shell expands them, the builder never does.
        heredocs: Vec<Heredoc>,
    },
    Copy {
        sources: Vec<String>,
        dest: String,
        from: Option<String>,
        chown: Option<String>,
        chmod: Option<String>,
        link: bool,
        parents: bool,
        exclude: Vec<String>,
        heredocs: Vec<HeredocSource>,
    },
    Add {
        sources: Vec<String>,
        dest: String,
        chown: Option<String>,
        chmod: Option<String>,
        link: bool,
        exclude: Vec<String>,
        checksum: Option<String>,
        keep_git_dir: bool,
        /// `--unpack[=bool]`; None when not given (archives from the context are unpacked,
        /// remote ones are not).
        unpack: Option<bool>,
        heredocs: Vec<HeredocSource>,
    },
    Workdir(String),
    Env(Vec<(String, String)>),
    /// Names with their defaults, if any.
    Arg(Vec<(String, Option<String>)>),
    Label(Vec<(String, String)>),
    /// Port specs, sorted as BuildKit sorts them; one word may expand to several ports.
    Expose(Vec<String>),
    User(String),
    Volume(Vec<String>),
    Cmd(ShellOrExec),
    /// `ENTRYPOINT []` is `Exec(vec![])`: it clears the inherited entrypoint.
    Entrypoint(ShellOrExec),
    Shell(Vec<String>),
    Stopsignal(String),
    Healthcheck(Healthcheck),
    /// `ONBUILD instruction`: the instruction, and the text stored in the image config's
    /// `OnBuild` list (the line without `ONBUILD`, followed by any heredoc bodies).
    Onbuild {
        command: Box<Command>,
        expression: String,
    },
    Maintainer(String),
}

impl Command {
    /// The instruction word, upper case (for messages and history).
    pub fn name(&self) -> &'static str {
        match self {
            Command::From { .. } => "FROM",
            Command::Run { .. } => "RUN",
            Command::Copy { .. } => "COPY",
            Command::Add { .. } => "ADD",
            Command::Workdir(_) => "WORKDIR",
            Command::Env(_) => "ENV",
            Command::Arg(_) => "ARG",
            Command::Label(_) => "LABEL",
            Command::Expose(_) => "EXPOSE",
            Command::User(_) => "USER",
            Command::Volume(_) => "VOLUME",
            Command::Cmd(_) => "CMD",
            Command::Entrypoint(_) => "ENTRYPOINT",
            Command::Shell(_) => "SHELL",
            Command::Stopsignal(_) => "STOPSIGNAL",
            Command::Healthcheck(_) => "HEALTHCHECK",
            Command::Onbuild { .. } => "ONBUILD",
            Command::Maintainer(_) => "MAINTAINER",
        }
    }
}

/// Where a command came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// First and last physical line (1-based), heredoc bodies included.
    pub start_line: usize,
    pub end_line: usize,
    /// The logical line as written (continuations joined).
    pub original: String,
}

impl Location {
    fn of(instruction: &Instruction) -> Location {
        Location {
            start_line: instruction.start_line,
            end_line: instruction.end_line,
            original: instruction.original.clone(),
        }
    }

    /// A one-line `FILE:LINE: message` error for this place; the evaluator wraps expansion
    /// failures with it.
    pub fn error(&self, file: &str, message: impl fmt::Display) -> anyhow::Error {
        anyhow::Error::new(ParseError {
            file: file.to_string(),
            line: self.start_line,
            end_line: self.end_line.max(self.start_line),
            message: message.to_string(),
        })
    }
}

/// One build stage: a FROM and the commands up to the next FROM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// The `AS` name, lowercased.
    pub name: Option<String>,
    /// The image or stage it starts from, not yet expanded (meta args apply).
    pub base: String,
    /// `--platform`, not yet expanded.
    pub platform: Option<String>,
    pub commands: Vec<(Command, Location)>,
    /// Position in the file, from 0 (`COPY --from=0`).
    pub index: usize,
    /// The FROM line.
    pub location: Location,
}

/// A name and its default, as ARG gives them.
pub type ArgDefault = (String, Option<String>);

/// Splits a parsed Dockerfile into stages (BuildKit's instructions.Parse): the ARGs before the
/// first FROM (the meta args, not yet expanded) and the stages in file order. `file` names the
/// file in errors.
pub fn parse_stages(df: &Dockerfile, file: &str) -> Result<(Vec<ArgDefault>, Vec<Stage>)> {
    let escape = df.escape_token();
    let mut meta_args = Vec::new();
    let mut stages: Vec<Stage> = Vec::new();
    for instruction in &df.instructions {
        let location = Location::of(instruction);
        match parse_command(instruction, file, escape)? {
            Command::Arg(args) if stages.is_empty() => meta_args.extend(args),
            Command::From {
                image,
                platform,
                alias,
            } => {
                if let Some(name) = &alias
                    && stages.iter().any(|s| s.name.as_ref() == Some(name))
                {
                    let message = format!("duplicate stage name {}", go_quote(name));
                    return Err(location.error(file, message));
                }
                stages.push(Stage {
                    name: alias,
                    base: image,
                    platform,
                    commands: Vec::new(),
                    index: stages.len(),
                    location,
                });
            }
            command => {
                let Some(stage) = stages.last_mut() else {
                    return Err(location.error(file, "no build stage in current context"));
                };
                stage.commands.push((command, location));
            }
        }
    }
    if stages.is_empty() {
        let nowhere = Location {
            start_line: 0,
            end_line: 0,
            original: String::new(),
        };
        return Err(nowhere.error(file, "dockerfile contains no stages to build"));
    }
    Ok((meta_args, stages))
}

/// Turns one instruction into a command (BuildKit's ParseInstruction). `escape` is the
/// file's escape character, which `RUN --mount` values are read with.
pub fn parse_command(instruction: &Instruction, file: &str, escape: char) -> Result<Command> {
    parse::instruction(instruction, escape)
        .map_err(|message| Location::of(instruction).error(file, message))
}
