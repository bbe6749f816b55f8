//! The per-instruction argument parsers (BuildKit's line_parsers.go and its dispatch table).

use super::split_command::{is_ascii_blank, split_command, split_once_whitespace};
use super::{Args, Instruction, dump};

const NOT_STRING_ARRAY: &str =
    "when using JSON array syntax, arrays must be comprised of strings only";

/// What a line parser returns: the arguments and whether they were a JSON array.
type Parsed = Result<(Args, bool), String>;

/// How deep `ONBUILD ONBUILD ...` is parsed before it is refused here. BuildKit parses any
/// depth and refuses a chain one stage later; a bound keeps a hostile line off the stack.
const MAX_ONBUILD_NESTING: usize = 8;

/// Parses one logical line into an instruction; line numbers are set by the caller.
pub(super) fn node_from_line(line: &str, escape: char) -> Result<Instruction, String> {
    node_at_depth(line, escape, 0)
}

fn node_at_depth(line: &str, escape: char, depth: usize) -> Result<Instruction, String> {
    let (cmd, flags, rest) = split_command(line, escape);
    let keyword = dump::go_lower(cmd);
    let (args, json) = if keyword == "onbuild" {
        parse_sub_command(&rest, escape, depth)?
    } else {
        dispatch(&keyword, &rest, escape)?
    };
    Ok(Instruction {
        keyword,
        original: line.to_string(),
        flags,
        args,
        json,
        heredocs: Vec::new(),
        start_line: 0,
        end_line: 0,
        comments: Vec::new(),
    })
}

fn dispatch(keyword: &str, rest: &str, escape: char) -> Parsed {
    match keyword {
        "add" | "copy" | "volume" => parse_maybe_json_to_list(rest),
        "arg" => Ok((Args::Words(parse_words(rest, escape)), false)),
        "cmd" | "entrypoint" | "run" | "shell" => parse_maybe_json(rest),
        "env" => parse_name_val(rest, "ENV", escape),
        "label" => parse_name_val(rest, "LABEL", escape),
        "expose" | "from" => Ok((words(split_whitespace_list(rest)), false)),
        "healthcheck" => parse_health_config(rest),
        "maintainer" | "stopsignal" | "user" | "workdir" => Ok((parse_string(rest), false)),
        // Unknown instructions keep their place; the evaluator refuses them.
        _ => Ok((Args::Words(vec![String::new()]), false)),
    }
}

fn words<S: Into<String>>(list: Vec<S>) -> Args {
    Args::Words(list.into_iter().map(Into::into).collect())
}

fn no_args() -> (Args, bool) {
    (Args::Words(Vec::new()), false)
}

/// ONBUILD: the rest of the line is an instruction of its own.
fn parse_sub_command(rest: &str, escape: char, depth: usize) -> Parsed {
    if rest.is_empty() {
        return Ok(no_args());
    }
    if depth >= MAX_ONBUILD_NESTING {
        return Err("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".into());
    }
    let inner = node_at_depth(rest, escape, depth + 1)?;
    Ok((Args::Nested(Box::new(inner)), false))
}

/// The whole rest as one word (MAINTAINER, USER, WORKDIR, STOPSIGNAL).
fn parse_string(rest: &str) -> Args {
    if rest.is_empty() {
        return Args::Words(Vec::new());
    }
    Args::Words(vec![rest.to_string()])
}

/// Splits at blanks but keeps quoted strings (and escaped characters) together, with their
/// quotes and escapes still in: the expansion step removes them later.
pub(super) fn parse_words(rest: &str, escape: char) -> Vec<String> {
    let chars: Vec<char> = rest.chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut blank_ok = false;
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        i += 1;
        if !in_word {
            if ch.is_whitespace() {
                continue;
            }
            in_word = true;
        }
        match quote {
            None if ch.is_whitespace() => {
                if blank_ok || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                in_word = false;
                blank_ok = false;
                continue;
            }
            None if ch == '\'' || ch == '"' => {
                quote = Some(ch);
                blank_ok = true;
            }
            Some(q) if ch == q => quote = None,
            _ => {}
        }
        // Inside single quotes the escape character is an ordinary one.
        if ch == escape && quote != Some('\'') {
            let Some(&escaped) = chars.get(i) else {
                // A trailing escape is dropped (and ends an open quote).
                quote = None;
                continue;
            };
            word.push(ch);
            word.push(escaped);
            i += 1;
            continue;
        }
        word.push(ch);
    }
    if in_word && (blank_ok || !word.is_empty()) {
        words.push(word);
    }
    words
}

/// ENV and LABEL: `KEY value…` (the raw rest is the value) or `k=v k2=v2 …`, as triples
/// (key, value, separator).
fn parse_name_val(rest: &str, key: &str, escape: char) -> Parsed {
    let parts = parse_words(rest, escape);
    let Some(first) = parts.first() else {
        return Ok(no_args());
    };
    if !first.contains('=') {
        let Some((name, value)) = split_once_whitespace(rest) else {
            return Err(format!("{key} must have two arguments"));
        };
        return Ok((words(vec![name, value, ""]), false));
    }
    let mut out = Vec::with_capacity(parts.len() * 3);
    for word in &parts {
        let Some((name, value)) = word.split_once('=') else {
            return Err(format!(
                "Syntax error - can't find = in {}. Must be of the form: name=value",
                dump::go_quote(word)
            ));
        };
        out.extend([name, value, "="]);
    }
    Ok((words(out), false))
}

/// FROM, EXPOSE and the shell form of ADD/COPY/VOLUME: split at ASCII blanks.
fn split_whitespace_list(rest: &str) -> Vec<&str> {
    if rest.is_empty() {
        return Vec::new();
    }
    go_split_blanks(rest)
}

/// Go's `regexp.Split(s, -1)` with `[\t\v\f\r ]+`: blanks at either end give empty words.
fn go_split_blanks(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find(is_ascii_blank) {
        out.push(&rest[..start]);
        rest = rest[start..].trim_start_matches(is_ascii_blank);
    }
    out.push(rest);
    out
}

/// Some(words) when `rest` is a JSON array of strings; None when it is not JSON at all (the
/// caller falls back to shell form); an error for a valid array holding anything else.
fn parse_json(rest: &str) -> Result<Option<Vec<String>>, String> {
    let rest = rest.trim_start();
    if !rest.starts_with('[') {
        return Ok(None);
    }
    // Like Go's json.Decoder, read the first value and ignore whatever follows it.
    let mut values = serde_json::Deserializer::from_str(rest).into_iter::<Vec<serde_json::Value>>();
    let Some(Ok(array)) = values.next() else {
        return Ok(None);
    };
    array
        .into_iter()
        .map(|value| match value {
            serde_json::Value::String(s) => Ok(s),
            _ => Err(NOT_STRING_ARRAY.to_string()),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// RUN, CMD, ENTRYPOINT, SHELL: a JSON array, or else the rest as one shell-form word.
fn parse_maybe_json(rest: &str) -> Parsed {
    if rest.is_empty() {
        return Ok(no_args());
    }
    match parse_json(rest)? {
        Some(list) => Ok((Args::Words(list), true)),
        None => Ok((Args::Words(vec![rest.to_string()]), false)),
    }
}

/// ADD, COPY, VOLUME: a JSON array, or else words split at blanks.
fn parse_maybe_json_to_list(rest: &str) -> Parsed {
    match parse_json(rest)? {
        Some(list) => Ok((Args::Words(list), true)),
        None => Ok((words(split_whitespace_list(rest)), false)),
    }
}

/// HEALTHCHECK: a type word (CMD, NONE, …) then a command parsed like CMD's.
fn parse_health_config(rest: &str) -> Parsed {
    let sep = rest.find(char::is_whitespace).unwrap_or(rest.len());
    if sep == 0 {
        return Ok(no_args());
    }
    let (kind, command) = rest.split_at(sep);
    let (args, json) = parse_maybe_json(command.trim_start())?;
    let mut list = vec![kind.to_string()];
    if let Args::Words(command_words) = args {
        list.extend(command_words);
    }
    Ok((Args::Words(list), json))
}
