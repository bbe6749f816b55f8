//! One instruction to one [`Command`] (BuildKit's parse.go): argument counts, flags, and the
//! shapes each instruction's arguments take. Messages are BuildKit's; the caller adds the
//! file and line.

use crate::build::dockerfile::{Instruction, chomp_heredoc_content, parse_heredoc};
use crate::build::shell::Lexer;

use super::duration::{parse_go_int32, parse_interval};
use super::flags::{self, Flags, Kind, Spec};
use super::mount::{self, RunMount};
use super::suggest::with_suggestion;
use super::{Command, Healthcheck, HeredocSource, NetworkMode, Security, ShellOrExec, go_quote};

type Parsed = Result<Command, String>;

const NO_FLAGS: Spec = &[];
const FROM_FLAGS: Spec = &[("platform", Kind::Str)];
const RUN_FLAGS: Spec = &[
    ("mount", Kind::Strings),
    ("network", Kind::Str),
    ("security", Kind::Str),
];
const COPY_FLAGS: Spec = &[
    ("exclude", Kind::Strings),
    ("parents", Kind::Bool),
    ("chown", Kind::Str),
    ("from", Kind::Str),
    ("chmod", Kind::Str),
    ("link", Kind::Bool),
];
const ADD_FLAGS: Spec = &[
    ("exclude", Kind::Strings),
    ("chown", Kind::Str),
    ("chmod", Kind::Str),
    ("link", Kind::Bool),
    ("keep-git-dir", Kind::Bool),
    ("checksum", Kind::Str),
    ("unpack", Kind::Bool),
];
const HEALTHCHECK_FLAGS: Spec = &[
    ("interval", Kind::Str),
    ("timeout", Kind::Str),
    ("start-period", Kind::Str),
    ("start-interval", Kind::Str),
    ("retries", Kind::Str),
];

/// Every instruction word, for "did you mean" hints.
const INSTRUCTIONS: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// BuildKit's ParseInstruction. `escape` is the file's escape character.
pub(super) fn instruction(inst: &Instruction, escape: char) -> Parsed {
    match inst.keyword.as_str() {
        "add" => parse_add(inst),
        "arg" => parse_arg(inst),
        "cmd" => Ok(Command::Cmd(shell_dependent(inst)?)),
        "copy" => parse_copy(inst),
        "entrypoint" => Ok(Command::Entrypoint(shell_dependent(inst)?)),
        "env" => Ok(Command::Env(key_value_command(inst, "ENV")?)),
        "expose" => parse_expose(inst),
        "from" => parse_from(inst),
        "healthcheck" => parse_healthcheck(inst),
        "label" => Ok(Command::Label(key_value_command(inst, "LABEL")?)),
        "maintainer" => Ok(Command::Maintainer(single_argument(inst, "MAINTAINER")?)),
        "onbuild" => parse_onbuild(inst, escape),
        "run" => parse_run(inst, escape),
        "shell" => parse_shell(inst),
        "stopsignal" => Ok(Command::Stopsignal(single_argument(inst, "STOPSIGNAL")?)),
        "user" => Ok(Command::User(single_argument(inst, "USER")?)),
        "volume" => parse_volume(inst),
        "workdir" => Ok(Command::Workdir(single_argument(inst, "WORKDIR")?)),
        _ => Err(unknown_instruction(inst)),
    }
}

/// BuildKit names the instruction as written (`unknown instruction: RUNN (did you mean RUN?)`).
fn unknown_instruction(inst: &Instruction) -> String {
    let word = inst
        .original
        .split_whitespace()
        .next()
        .unwrap_or(&inst.keyword);
    let message = format!("unknown instruction: {word}");
    with_suggestion(message, word, INSTRUCTIONS, false)
}

fn at_least_one(name: &str) -> String {
    format!("{name} requires at least one argument")
}

fn no_flags(inst: &Instruction) -> Result<(), String> {
    flags::parse(&inst.flags, NO_FLAGS).map(|_| ())
}

/// MAINTAINER, STOPSIGNAL, USER, WORKDIR: the rest of the line as one argument.
fn single_argument(inst: &Instruction, name: &str) -> Result<String, String> {
    let [argument] = inst.words() else {
        return Err(format!("{name} requires exactly one argument"));
    };
    no_flags(inst)?;
    Ok(argument.clone())
}

/// RUN, CMD, ENTRYPOINT: exec form from a JSON array, else the line for the shell.
fn command_line(inst: &Instruction) -> ShellOrExec {
    if inst.json {
        ShellOrExec::Exec(inst.words().to_vec())
    } else {
        ShellOrExec::Shell(inst.words().join(" "))
    }
}

fn shell_dependent(inst: &Instruction) -> Result<ShellOrExec, String> {
    no_flags(inst)?;
    Ok(command_line(inst))
}

/// ENV and LABEL: the parser's (key, value, separator) triples.
fn key_value_command(inst: &Instruction, name: &str) -> Result<Vec<(String, String)>, String> {
    no_flags(inst)?;
    let words = inst.words();
    if words.is_empty() {
        return Err(at_least_one(name));
    }
    if !words.len().is_multiple_of(3) {
        return Err(format!("Bad input to {name}, too many arguments"));
    }
    words
        .chunks_exact(3)
        .map(|triple| match triple {
            [key, ..] if key.is_empty() => Err(format!("{name} names can not be blank")),
            [key, value, _] => Ok((key.clone(), value.clone())),
            _ => Err(format!("Bad input to {name}, too many arguments")),
        })
        .collect()
}

fn parse_arg(inst: &Instruction) -> Parsed {
    let words = inst.words();
    if words.is_empty() {
        return Err(at_least_one("ARG"));
    }
    no_flags(inst)?;
    let mut args = Vec::with_capacity(words.len());
    for word in words {
        // Unlike ENV, the parser leaves `name=value` whole: a default is optional.
        let arg = match word.split_once('=') {
            Some(("", _)) => return Err("ARG names can not be blank".into()),
            Some((name, value)) => (name.to_string(), Some(value.to_string())),
            None => (word.clone(), None),
        };
        args.push(arg);
    }
    Ok(Command::Arg(args))
}

fn parse_from(inst: &Instruction) -> Parsed {
    let args = inst.words();
    let alias = stage_name(args)?;
    let flags = flags::parse(&inst.flags, FROM_FLAGS)?;
    let image = args.first().cloned().unwrap_or_default();
    Ok(Command::From {
        image,
        platform: flags.str("platform"),
        alias,
    })
}

/// `FROM image` or `FROM image AS name`; names are lowercased and must look like
/// `^[a-z][a-z0-9-_.]*$`.
fn stage_name(args: &[String]) -> Result<Option<String>, String> {
    match args {
        [_] => Ok(None),
        [_, as_word, name] if as_word.eq_ignore_ascii_case("as") => {
            let lower = name.to_lowercase();
            let mut chars = lower.chars();
            let valid = chars.next().is_some_and(|c| c.is_ascii_lowercase())
                && chars.all(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')
                });
            if !valid {
                return Err(format!(
                    "invalid name for build stage: {}, name can't start with a number or contain symbols",
                    go_quote(name)
                ));
            }
            Ok(Some(lower))
        }
        _ => Err("FROM requires either one or three arguments".into()),
    }
}

fn parse_onbuild(inst: &Instruction, escape: char) -> Parsed {
    let Some(nested) = inst.nested() else {
        return Err(at_least_one("ONBUILD"));
    };
    no_flags(inst)?;
    let trigger = nested.keyword.to_uppercase();
    match trigger.as_str() {
        "ONBUILD" => return Err("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".into()),
        "MAINTAINER" | "FROM" => {
            return Err(format!("{trigger} isn't allowed as an ONBUILD trigger"));
        }
        _ => {}
    }
    // The parser hangs heredoc bodies on the ONBUILD line, not on the instruction inside.
    let mut nested = nested.clone();
    if nested.heredocs.is_empty() {
        nested.heredocs = inst.heredocs.clone();
    }
    let command = instruction(&nested, escape)?;
    Ok(Command::Onbuild {
        command: Box::new(command),
        expression: onbuild_expression(inst),
    })
}

/// The text an image stores for the trigger: the line without its `ONBUILD` word (BuildKit's
/// `(?i)^\s*ONBUILD\s*`), then each heredoc body and terminator, so it parses again as is.
fn onbuild_expression(inst: &Instruction) -> String {
    let is_space = |c: char| matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ');
    let text = inst.original.trim_start_matches(is_space);
    let text = match text.get(..7) {
        Some(word) if word.eq_ignore_ascii_case("onbuild") => {
            text[7..].trim_start_matches(is_space)
        }
        _ => text,
    };
    let mut expression = text.to_string();
    for heredoc in &inst.heredocs {
        expression.push('\n');
        expression.push_str(&heredoc.content);
        expression.push_str(&heredoc.name);
    }
    expression
}

fn parse_run(inst: &Instruction, escape: char) -> Parsed {
    let flags = flags::parse(&inst.flags, RUN_FLAGS)?;
    let lexer = Lexer::new(escape);
    let mounts = flags
        .strings("mount")
        .iter()
        .map(|raw| literal_mount(raw, &lexer))
        .collect::<Result<Vec<_>, _>>()?;
    let network = flags.given_str("network").map(parse_network).transpose()?;
    let security = flags
        .given_str("security")
        .map(parse_security)
        .transpose()?;
    Ok(Command::Run {
        cmd: command_line(inst),
        mounts,
        network,
        security,
        heredocs: inst.heredocs.clone(),
    })
}

/// Reads a `--mount` before any variable is known: a value without `$` expands to the same
/// thing whatever the environment, so it is read now; the rest waits for expansion.
fn literal_mount(raw: &str, lexer: &Lexer) -> Result<RunMount, String> {
    let no_variables: [(&str, &str); 0] = [];
    let mut literal = |value: &str| -> Result<Option<String>, String> {
        if value.contains('$') {
            return Ok(None);
        }
        lexer
            .process_word(value, &no_variables)
            .map(|expanded| Some(expanded.word))
            .map_err(|e| format!("{e:#}"))
    };
    mount::parse_mount(raw, &mut literal)
}

fn parse_network(value: &str) -> Result<NetworkMode, String> {
    match value {
        "default" => Ok(NetworkMode::Default),
        "none" => Ok(NetworkMode::None),
        "host" => Ok(NetworkMode::Host),
        _ => Err(format!("invalid network mode {}", go_quote(value))),
    }
}

fn parse_security(value: &str) -> Result<Security, String> {
    match value {
        "sandbox" => Ok(Security::Sandbox),
        "insecure" => Ok(Security::Insecure),
        _ => Err(format!("security {} is not valid", go_quote(value))),
    }
}

/// COPY/ADD's positional arguments: path sources, heredoc sources, the destination.
struct SourcesAndDest {
    sources: Vec<String>,
    dest: String,
    heredocs: Vec<HeredocSource>,
}

/// Checks the count and the flags (in BuildKit's order), then splits the arguments.
fn copy_arguments(
    inst: &Instruction,
    name: &str,
    spec: Spec,
) -> Result<(Flags, SourcesAndDest), String> {
    if inst.words().len() < 2 {
        return Err(format!(
            "{name} requires at least two arguments, but only one was provided. Destination could not be determined"
        ));
    }
    let flags = flags::parse(&inst.flags, spec)?;
    Ok((flags, sources_and_dest(inst, name)?))
}

fn sources_and_dest(inst: &Instruction, name: &str) -> Result<SourcesAndDest, String> {
    let Some((dest, sources)) = inst.words().split_last() else {
        return Err(format!("{name} requires at least two arguments"));
    };
    // As BuildKit's MustParseHeredoc: a word that fails to parse as a heredoc is a path.
    let as_heredoc = |word: &str| parse_heredoc(word).ok().flatten();
    if as_heredoc(dest).is_some() {
        return Err(format!("{name} cannot accept a heredoc as a destination"));
    }
    let mut parts = SourcesAndDest {
        sources: Vec::new(),
        dest: dest.clone(),
        heredocs: Vec::new(),
    };
    for source in sources {
        let Some(marker) = as_heredoc(source) else {
            parts.sources.push(source.clone());
            continue;
        };
        let content = inst
            .heredocs
            .iter()
            .find(|body| body.name == marker.name)
            .map(|body| body.content.clone())
            .unwrap_or_default();
        let data = if marker.chomp {
            chomp_heredoc_content(&content)
        } else {
            content
        };
        parts.heredocs.push(HeredocSource {
            path: marker.name,
            data,
            expand: marker.expand,
        });
    }
    Ok(parts)
}

fn parse_copy(inst: &Instruction) -> Parsed {
    let (flags, parts) = copy_arguments(inst, "COPY", COPY_FLAGS)?;
    Ok(Command::Copy {
        sources: parts.sources,
        dest: parts.dest,
        from: flags.str("from"),
        chown: flags.str("chown"),
        chmod: flags.str("chmod"),
        link: flags.bool("link"),
        parents: flags.bool("parents"),
        exclude: flags.strings("exclude"),
        heredocs: parts.heredocs,
    })
}

fn parse_add(inst: &Instruction) -> Parsed {
    let (flags, parts) = copy_arguments(inst, "ADD", ADD_FLAGS)?;
    Ok(Command::Add {
        sources: parts.sources,
        dest: parts.dest,
        chown: flags.str("chown"),
        chmod: flags.str("chmod"),
        link: flags.bool("link"),
        exclude: flags.strings("exclude"),
        checksum: flags.str("checksum"),
        keep_git_dir: flags.bool("keep-git-dir"),
        unpack: flags.given_bool("unpack"),
        heredocs: parts.heredocs,
    })
}

fn parse_healthcheck(inst: &Instruction) -> Parsed {
    let Some((kind, command)) = inst.words().split_first() else {
        return Err(at_least_one("HEALTHCHECK"));
    };
    let kind = kind.to_uppercase();
    if kind == "NONE" {
        if !command.is_empty() {
            return Err("HEALTHCHECK NONE takes no arguments".into());
        }
        flags::parse(&inst.flags, HEALTHCHECK_FLAGS)?;
        return Ok(Command::Healthcheck(Healthcheck::None));
    }
    let flags = flags::parse(&inst.flags, HEALTHCHECK_FLAGS)?;
    if kind != "CMD" {
        return Err(format!(
            "Unknown type {} in HEALTHCHECK (try CMD)",
            go_quote(&kind)
        ));
    }
    if command.is_empty() {
        return Err("Missing command after HEALTHCHECK CMD".into());
    }
    let test = if inst.json {
        ShellOrExec::Exec(command.to_vec())
    } else {
        ShellOrExec::Shell(command.join(" "))
    };
    Ok(Command::Healthcheck(Healthcheck::Cmd {
        test,
        interval: parse_interval("interval", flags.given_str("interval"))?,
        timeout: parse_interval("timeout", flags.given_str("timeout"))?,
        start_period: parse_interval("start-period", flags.given_str("start-period"))?,
        start_interval: parse_interval("start-interval", flags.given_str("start-interval"))?,
        retries: parse_retries(flags.str("retries"))?,
    }))
}

fn parse_retries(value: Option<String>) -> Result<u32, String> {
    let Some(value) = value else {
        return Ok(0);
    };
    let retries = parse_go_int32(&value)?;
    u32::try_from(retries).map_err(|_| format!("--retries cannot be negative ({retries})"))
}

fn parse_expose(inst: &Instruction) -> Parsed {
    let mut ports = inst.words().to_vec();
    if ports.is_empty() {
        return Err(at_least_one("EXPOSE"));
    }
    no_flags(inst)?;
    ports.sort();
    Ok(Command::Expose(ports))
}

fn parse_volume(inst: &Instruction) -> Parsed {
    let words = inst.words();
    if words.is_empty() {
        return Err(at_least_one("VOLUME"));
    }
    no_flags(inst)?;
    let mut volumes = Vec::with_capacity(words.len());
    for word in words {
        let volume = word.trim();
        if volume.is_empty() {
            return Err("VOLUME specified can not be an empty string".into());
        }
        volumes.push(volume.to_string());
    }
    Ok(Command::Volume(volumes))
}

fn parse_shell(inst: &Instruction) -> Parsed {
    no_flags(inst)?;
    let words = inst.words();
    if words.is_empty() {
        return Err(at_least_one("SHELL"));
    }
    if !inst.json {
        return Err("SHELL requires the arguments to be in JSON form".into());
    }
    Ok(Command::Shell(words.to_vec()))
}
