//! Parser directives (`# escape=`, `# syntax=`, `# check=`) and the line-level helpers that
//! depend on the escape character: comments and line continuations.

/// The directives BuildKit knows; any other `# key=value` line is an ordinary comment.
const VALID_DIRECTIVES: [&str; 3] = ["syntax", "escape", "check"];

/// Recognises directives while they last: the first line that is not one (a blank line, an
/// instruction, any other comment) ends the directive block for good.
#[derive(Debug, Default)]
pub(super) struct DirectiveParser {
    done: bool,
    seen: Vec<String>,
}

impl DirectiveParser {
    /// Returns the lowercased name and the value of a directive on `line`.
    pub(super) fn parse_line(&mut self, line: &str) -> Result<Option<(String, String)>, String> {
        if self.done {
            return Ok(None);
        }
        let Some((key, value)) = match_directive(line) else {
            self.done = true;
            return Ok(None);
        };
        let key = key.to_ascii_lowercase();
        if !VALID_DIRECTIVES.contains(&key.as_str()) {
            self.done = true;
            return Ok(None);
        }
        if self.seen.contains(&key) {
            return Err(format!("only one {key} parser directive can be used"));
        }
        self.seen.push(key.clone());
        Ok(Some((key, value.to_string())))
    }
}

/// BuildKit's `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`, where `\s` is ASCII
/// `[\t\n\f\r ]`. Written out because the lazy value group has one odd case: a value of
/// blanks only still matches, with the last blank as the value.
fn match_directive(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix('#')?.trim_start_matches(is_regex_space);
    let key_len = rest
        .char_indices()
        .take_while(|&(i, c)| {
            if i == 0 {
                c.is_ascii_alphabetic()
            } else {
                c.is_ascii_alphanumeric()
            }
        })
        .count();
    if key_len == 0 {
        return None;
    }
    // The key is ASCII, so its length in chars is its length in bytes.
    let (key, rest) = rest.split_at(key_len);
    let after_equals = rest.trim_start_matches(is_regex_space).strip_prefix('=')?;
    let value = after_equals.trim_start_matches(is_regex_space);
    if !value.is_empty() {
        return Some((key, value.trim_end_matches(is_regex_space)));
    }
    let last = after_equals.chars().next_back()?;
    Some((key, &after_equals[after_equals.len() - last.len_utf8()..]))
}

/// Go regexp's `\s`.
fn is_regex_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ')
}

/// The value of `# escape=`: only a backslash or a backtick.
pub(super) fn escape_token(value: &str) -> Result<char, String> {
    match value {
        "\\" => Ok('\\'),
        "`" => Ok('`'),
        _ => Err(format!(
            "invalid escape token '{value}' does not match ` or \\"
        )),
    }
}

/// A comment line: `#` after optional leading white space.
pub(super) fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// Drops the line ending; like BuildKit, any run of trailing `\r` and `\n`.
pub(super) fn trim_newline(line: &str) -> &str {
    line.trim_end_matches(['\r', '\n'])
}

/// Strips a trailing line-continuation escape (and blanks after it); the flag says whether
/// the logical line ends here. BuildKit's regex: the escape must be the last non-blank
/// character and not itself escaped, or stand alone on the line. Like BuildKit, a third
/// escape (`foo \\\`) is not recognised as continuation.
pub(super) fn trim_continuation(line: &str, escape: char) -> (&str, bool) {
    let trimmed = line.trim_end_matches([' ', '\t']);
    let Some(before) = trimmed.strip_suffix(escape) else {
        return (line, true);
    };
    if before.is_empty() || !before.ends_with(escape) {
        return (before, false);
    }
    (line, true)
}
