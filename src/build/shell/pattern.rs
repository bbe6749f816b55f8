//! The shell patterns of `${VAR#pat}`, `${VAR%pat}` and `${VAR/pat/repl}`, matched the way
//! BuildKit matches them.
//!
//! BuildKit turns such a pattern into a Go regular expression (`*` becomes `.*` or `.*?`, `?`
//! becomes `.`, everything else is literal; no `[...]` bracket expressions) and takes the
//! leftmost-first match. Which match that is decides the result (`${V#*x}` vs `${V##*x}`), so
//! this module reproduces it with a small backtracking matcher that tries alternatives in the
//! same priority order a backtracking regex engine would. Hand-written because a glob crate
//! answers only "does it match", not "where does the preferred match end", and the regex crate
//! would have to be a new direct dependency for three metacharacters.

use std::collections::HashSet;

use anyhow::{Result, bail};

/// Go's text/scanner skips a byte order mark at the start of its input; BuildKit scans each
/// pattern with a fresh scanner, so a pattern's leading BOM is not part of it.
const BOM: char = '\u{feff}';

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token {
    /// `*`: any run of characters except a newline.
    Star,
    /// `?`: any one character except a newline (Go's `.` without the `s` flag).
    Any,
    Literal(char),
}

/// Where a run of single-character tokens ended.
enum Step {
    Matched(usize),
    Star(StarChoice),
    Failed,
}

/// A star being tried at `pos`, where up to `run` characters (no newline) are available.
struct StarChoice {
    token: usize,
    pos: usize,
    run: usize,
    tried: usize,
}

impl StarChoice {
    /// The next length to try, as the position after it.
    fn next_end(&mut self, greedy: bool) -> Option<usize> {
        if self.tried > self.run {
            return None;
        }
        let step = self.tried;
        self.tried += 1;
        Some(if greedy {
            self.pos + self.run - step
        } else {
            self.pos + step
        })
    }
}

/// A compiled pattern and whether its stars prefer the longest run.
pub(super) struct Pattern {
    tokens: Vec<Token>,
    greedy: bool,
}

impl Pattern {
    /// Parses `pattern`. A backslash escapes `*`, `?` and `\`; before `}` or `/` it only stopped
    /// the lexer from ending the `${...}` there and is dropped; before anything else it is an
    /// error, as in BuildKit.
    pub(super) fn parse(pattern: &str, greedy: bool) -> Result<Pattern> {
        let pattern = pattern.strip_prefix(BOM).unwrap_or(pattern);
        let mut tokens = Vec::new();
        let mut chars = pattern.chars().peekable();
        while let Some(ch) = chars.next() {
            let token = match ch {
                '*' => Token::Star,
                '?' => Token::Any,
                '\\' => match chars.peek() {
                    Some('}' | '/') => continue,
                    Some(&escaped @ ('*' | '?' | '\\')) => {
                        chars.next();
                        Token::Literal(escaped)
                    }
                    Some(other) => bail!("invalid escape '\\{other}'"),
                    None => bail!("invalid escape '\\' at the end of the pattern"),
                },
                other => Token::Literal(other),
            };
            tokens.push(token);
        }
        Ok(Pattern { tokens, greedy })
    }

    /// The end of the preferred match that starts at `start`, if any.
    /// The end of the preferred match that starts at `start`, if any: a depth-first search
    /// that tries each star's lengths longest first (greedy) or shortest first, keeping its
    /// choice points on a heap stack so a long pattern cannot overflow the call stack.
    fn match_at(
        &self,
        text: &[char],
        start: usize,
        failed: &mut HashSet<(usize, usize)>,
    ) -> Option<usize> {
        let mut choices: Vec<StarChoice> = Vec::new();
        let (mut token, mut pos) = (0, start);
        loop {
            match self.run_to_star(text, token, pos, failed) {
                Step::Matched(end) => return Some(end),
                Step::Star(choice) => choices.push(choice),
                Step::Failed => {}
            }
            (token, pos) = loop {
                let choice = choices.last_mut()?;
                match choice.next_end(self.greedy) {
                    Some(end) => break (choice.token + 1, end),
                    None => {
                        failed.insert((choice.token, choice.pos));
                        choices.pop();
                    }
                }
            };
        }
    }

    /// Matches the single-character tokens from `token` on, up to the next star.
    fn run_to_star(
        &self,
        text: &[char],
        mut token: usize,
        mut pos: usize,
        failed: &mut HashSet<(usize, usize)>,
    ) -> Step {
        loop {
            let Some(&current) = self.tokens.get(token) else {
                return Step::Matched(pos);
            };
            // Whether a state can match does not depend on how it was reached, so a state
            // that failed once is not tried again: this keeps many-star patterns polynomial.
            if failed.contains(&(token, pos)) {
                return Step::Failed;
            }
            let fits = match current {
                Token::Star => {
                    let run = text[pos..].iter().take_while(|&&c| c != '\n').count();
                    return Step::Star(StarChoice {
                        token,
                        pos,
                        run,
                        tried: 0,
                    });
                }
                Token::Literal(want) => text.get(pos) == Some(&want),
                Token::Any => text.get(pos).is_some_and(|&c| c != '\n'),
            };
            if !fits {
                failed.insert((token, pos));
                return Step::Failed;
            }
            token += 1;
            pos += 1;
        }
    }

    /// The leftmost match at or after `from`, as (start, end) in characters.
    fn find(
        &self,
        text: &[char],
        from: usize,
        failed: &mut HashSet<(usize, usize)>,
    ) -> Option<(usize, usize)> {
        (from..=text.len())
            .find_map(|start| self.match_at(text, start, failed).map(|end| (start, end)))
    }
}

/// `${VAR#pat}` (shortest) and `${VAR##pat}` (longest): drops the matching prefix.
pub(super) fn trim_prefix(pattern: &str, value: &str, greedy: bool) -> Result<String> {
    let pattern = Pattern::parse(pattern, greedy)?;
    let text: Vec<char> = value.chars().collect();
    let end = pattern.match_at(&text, 0, &mut HashSet::new()).unwrap_or(0);
    Ok(text[end..].iter().collect())
}

/// `${VAR%pat}` (shortest) and `${VAR%%pat}` (longest): drops the matching suffix. As in
/// BuildKit, by matching the reversed pattern against the reversed value, which turns "shortest
/// rightmost" into the leftmost search the matcher does.
pub(super) fn trim_suffix(pattern: &str, value: &str, greedy: bool) -> Result<String> {
    let reversed_value: String = value.chars().rev().collect();
    let trimmed = trim_prefix(&reverse_pattern(pattern), &reversed_value, greedy)?;
    Ok(trimmed.chars().rev().collect())
}

/// Reverses a pattern but keeps each backslash in front of the character it escapes
/// (`a\*c` becomes `c\*a`).
fn reverse_pattern(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut units: Vec<&[char]> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let width = if chars[i] == '\\' && i + 1 < chars.len() {
            2
        } else {
            1
        };
        units.push(&chars[i..i + width]);
        i += width;
    }
    units.iter().rev().flat_map(|unit| unit.iter()).collect()
}

/// `${VAR/pat/repl}`: replaces the first match, with `repl` taken literally.
pub(super) fn replace_first(pattern: &str, value: &str, replacement: &str) -> Result<String> {
    let pattern = Pattern::parse(pattern, true)?;
    let text: Vec<char> = value.chars().collect();
    let Some((start, end)) = pattern.find(&text, 0, &mut HashSet::new()) else {
        return Ok(value.to_string());
    };
    let mut out: String = text[..start].iter().collect();
    out.push_str(replacement);
    out.extend(&text[end..]);
    Ok(out)
}

/// `${VAR//pat/repl}`: replaces every match. BuildKit uses Go's `Regexp.ReplaceAllString` here,
/// so empty matches and the `$` templates in `repl` behave as they do there (see
/// [`expand_template`]).
pub(super) fn replace_all(pattern: &str, value: &str, replacement: &str) -> Result<String> {
    let pattern = Pattern::parse(pattern, true)?;
    let text: Vec<char> = value.chars().collect();
    let mut failed = HashSet::new();
    let mut out = String::new();
    let mut last_end = 0;
    let mut search = 0;
    while search <= text.len() {
        let Some((start, end)) = pattern.find(&text, search, &mut failed) else {
            break;
        };
        out.extend(&text[last_end..start]);
        // An empty match right after another match is not replaced again.
        if end > last_end || start == 0 {
            let matched: String = text[start..end].iter().collect();
            out.push_str(&expand_template(replacement, &matched));
        }
        last_end = end;
        // Always move on by at least one character.
        search = if search + 1 > end { search + 1 } else { end };
    }
    out.extend(&text[last_end..]);
    Ok(out)
}

/// Go's `Regexp.Expand` for a regex without groups: `$$` is a `$`, `$0` and `${0}` are the
/// whole match, any other `$name`/`${name}` is empty, and a `$` not followed by a name is kept.
fn expand_template(template: &str, matched: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        rest = &rest[dollar + 1..];
        if let Some(after) = rest.strip_prefix('$') {
            out.push('$');
            rest = after;
            continue;
        }
        match template_name(rest) {
            Some((name, after)) => {
                if name == "0" {
                    out.push_str(matched);
                }
                rest = after;
            }
            None => out.push('$'),
        }
    }
    out.push_str(rest);
    out
}

/// The `name` or `{name}` at the start of `text` (after a `$`), and what follows it.
fn template_name(text: &str) -> Option<(&str, &str)> {
    let (braced, body) = match text.strip_prefix('{') {
        Some(body) => (true, body),
        None => (false, text),
    };
    let len = body
        .char_indices()
        .find(|&(_, c)| !(super::is_letter(c) || super::is_digit(c) || c == '_'))
        .map_or(body.len(), |(i, _)| i);
    if len == 0 {
        return None;
    }
    let (name, after) = body.split_at(len);
    if !braced {
        return Some((name, after));
    }
    after.strip_prefix('}').map(|after| (name, after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_prefers_shortest_or_longest() {
        assert_eq!(trim_prefix("*x", "axbxc", false).unwrap(), "bxc");
        assert_eq!(trim_prefix("*x", "axbxc", true).unwrap(), "c");
        assert_eq!(trim_suffix("x*", "axbxc", false).unwrap(), "axb");
        assert_eq!(trim_suffix("x*", "axbxc", true).unwrap(), "a");
        assert_eq!(trim_prefix("*x*y", "xxyy", false).unwrap(), "y");
    }

    #[test]
    fn question_mark_is_one_character() {
        assert_eq!(trim_prefix("??", "héllo", false).unwrap(), "llo");
        assert_eq!(trim_suffix("?", "héllo", true).unwrap(), "héll");
        assert_eq!(trim_prefix("?\\?", "???y", false).unwrap(), "?y");
    }

    #[test]
    fn wildcards_stop_at_newlines_like_go_dot() {
        assert_eq!(trim_prefix("*", "ab\ncd", true).unwrap(), "\ncd");
        assert_eq!(trim_prefix("?", "\nx", false).unwrap(), "\nx");
    }

    #[test]
    fn brackets_are_literal() {
        assert_eq!(trim_prefix("[ab]", "[ab]c", false).unwrap(), "c");
        assert_eq!(trim_prefix("[ab]", "ac", false).unwrap(), "ac");
        assert_eq!(trim_suffix("[0-9]*", "v1[0-9]x", true).unwrap(), "v1");
    }

    #[test]
    fn escapes() {
        assert_eq!(trim_suffix("\\**\\*", "a***yy*", true).unwrap(), "a");
        assert_eq!(trim_prefix("a\\}", "a}b", false).unwrap(), "b");
        assert!(Pattern::parse("\\x", true).is_err());
        assert!(Pattern::parse("\\", true).is_err());
        assert!(Pattern::parse("\\\\\\", true).is_err());
    }

    #[test]
    fn long_patterns_do_not_exhaust_the_stack() {
        let value = "a".repeat(200_000);
        assert_eq!(trim_prefix(&value, &value, false).unwrap(), "");
        let stars = "*".repeat(100_000) + "b";
        assert_eq!(trim_prefix(&stars, "aab", true).unwrap(), "");
        assert_eq!(trim_prefix(&stars, "aaa", true).unwrap(), "aaa");
    }

    #[test]
    fn reverse_keeps_escape_pairs() {
        assert_eq!(reverse_pattern("a\\*c"), "c\\*a");
        assert_eq!(reverse_pattern("\\\\\\ab"), "b\\a\\\\");
        assert_eq!(reverse_pattern("ab\\"), "\\ba");
        assert_eq!(reverse_pattern("👽\\🚀🖖"), "🖖\\🚀👽");
    }

    #[test]
    fn replace_first_and_all() {
        assert_eq!(
            replace_first("\\*/", "/foo*/*/*.txt", ".").unwrap(),
            "/foo.*/*.txt"
        );
        assert_eq!(
            replace_all("\\*/", "/foo*/*/*.txt", ".").unwrap(),
            "/foo..*.txt"
        );
        assert_eq!(
            replace_all("/?/", "/a/foo/b/c.txt", "/").unwrap(),
            "/foo/c.txt"
        );
        assert_eq!(replace_first("", "xxyy", "ww").unwrap(), "wwxxyy");
        assert_eq!(replace_all("", "ab", "-").unwrap(), "-a-b-");
        assert_eq!(replace_all("x?", "axxbxc", "-").unwrap(), "a-b-");
    }

    #[test]
    fn replace_all_expands_go_templates() {
        assert_eq!(replace_all("o", "foo", "[$0]").unwrap(), "f[o][o]");
        assert_eq!(replace_all("o", "foo", "${0}$1$$").unwrap(), "fo$o$");
        assert_eq!(replace_all("o", "foo", "$-").unwrap(), "f$-$-");
        assert_eq!(replace_first("o", "foo", "$0").unwrap(), "f$0o");
    }
}
