//! The word expansion BuildKit applies to Dockerfile instruction arguments: quotes, the escape
//! token (`\` or `` ` ``), `$VAR` and `${VAR...}` with the modifiers `:-`, `-`, `:+`, `+`,
//! `:?`, `?`, `#`, `##`, `%`, `%%`, `/` and `//`, and the words an argument splits into after
//! expansion. It follows moby/buildkit `frontend/dockerfile/shell/lex.go`, Unix flavour
//! (case-sensitive names); expansion also reports which variables it found and which it did
//! not, because a build step's cache key depends on the build args the step uses.
//!
//! Hand-written because no crate speaks this dialect: shell-words/shlex only split and quote,
//! shellexpand knows neither BuildKit's quoting and escape rules nor its pattern operators, and
//! none reports the names it looked up. Builds must expand exactly as `docker build` does.
//!
//! Deliberate differences from BuildKit (none changes a result BuildKit's tests pin down):
//! - `${VAR` cut off after the name fails with "missing '}'" rather than an "unsupported
//!   modifier" naming the replacement character.
//! - In keep-unset mode, `${VAR//pat/repl}` keeps both slashes (BuildKit drops one, turning a
//!   replace-all into a replace-first for the shell that sees it later).
//! - Splitting into words keeps the text before a `${VAR:-...}`-style expansion (BuildKit's
//!   newest lex.go shares one word buffer between nested reads and loses it, so `a${X:-b}c`
//!   splits to `bc` there; older releases give `abc`, as we do).
//! - `${...}` nested more than `MAX_NESTING` (100) deep is an error (Go's stacks grow; ours would
//!   overflow).
//! - Names: Go's `unicode.IsLetter`/`IsDigit` are matched exactly in Latin-1 and approximated
//!   beyond it (see `is_letter`).
//!
//! Checked against a transcription of lex.go on a few hundred thousand random words (quotes,
//! escapes, nested modifiers, patterns, all four modes): same words, splits, matched and
//! unmatched names, and the same failures.

mod pattern;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::{Context, Result, anyhow, bail};

/// Where expansion looks variables up. Names are compared exactly (the Unix behaviour).
/// (Not `get`: the inherent `get` of slices and maps would shadow it.)
pub trait Env {
    fn lookup(&self, name: &str) -> Option<&str>;
}

/// An ordered list of (name, value) pairs, as ENV and ARG build it up: later entries win.
impl<K: AsRef<str>, V: AsRef<str>> Env for [(K, V)] {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.iter()
            .rev()
            .find(|(key, _)| key.as_ref() == name)
            .map(|(_, value)| value.as_ref())
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Env for Vec<(K, V)> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.as_slice().lookup(name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> Env for [(K, V); N] {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.as_slice().lookup(name)
    }
}

impl Env for BTreeMap<String, String> {
    fn lookup(&self, name: &str) -> Option<&str> {
        BTreeMap::get(self, name).map(String::as_str)
    }
}

impl Env for HashMap<String, String> {
    fn lookup(&self, name: &str) -> Option<&str> {
        HashMap::get(self, name).map(String::as_str)
    }
}

/// Turns `KEY=VALUE` strings (an image config's Env) into an ordered env list. A string
/// without `=` sets the variable to the empty string, as BuildKit does.
pub fn env_from_assignments<'a>(
    assignments: impl IntoIterator<Item = &'a str>,
) -> Vec<(String, String)> {
    assignments
        .into_iter()
        .map(|assignment| {
            let (key, value) = assignment.split_once('=').unwrap_or((assignment, ""));
            (key.to_string(), value.to_string())
        })
        .collect()
}

/// The result of expanding one argument.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Expanded {
    /// The argument with quotes and escapes removed and variables expanded.
    pub word: String,
    /// The same, split into words at unquoted, unescaped white space.
    pub words: Vec<String>,
    /// Variables that were looked up and found.
    pub matched: BTreeSet<String>,
    /// Variables that were looked up and not found.
    pub unmatched: BTreeSet<String>,
}

/// BuildKit's `shell.Lex`: the escape token and the modes the Dockerfile frontend switches on
/// for particular instructions.
#[derive(Debug, Clone)]
pub struct Lexer {
    escape: char,
    /// Keep the quote characters in the output (quotes still group and protect).
    pub raw_quotes: bool,
    /// Keep the escape token in the output (it still escapes).
    pub raw_escapes: bool,
    /// Treat `'` and `"` as ordinary characters.
    pub skip_process_quotes: bool,
    /// Leave references to unset variables as they were written, for a later shell.
    pub skip_unset_env: bool,
}

impl Lexer {
    /// A lexer with the given escape token: `\` by default, `` ` `` after `# escape=``.
    pub fn new(escape: char) -> Lexer {
        Lexer {
            escape,
            raw_quotes: false,
            raw_escapes: false,
            skip_process_quotes: false,
            skip_unset_env: false,
        }
    }

    /// Expands one argument (BuildKit's ProcessWordWithMatches): the word, its split words and
    /// the variables it used.
    pub fn process_word<E: Env + ?Sized>(&self, word: &str, env: &E) -> Result<Expanded> {
        let mut expander = Expander::new(self, word, env);
        let (expanded, words) = expander
            .process_stop_on(None, self.raw_escapes)
            .with_context(|| format!("failed to process {word:?}"))?;
        Ok(Expanded {
            word: expanded,
            words,
            matched: expander.matched,
            unmatched: expander.unmatched,
        })
    }

    /// Expands one argument and splits it into words after expansion (BuildKit's
    /// ProcessWords): white space from a variable's value splits, quoted or escaped white
    /// space does not.
    pub fn process_words<E: Env + ?Sized>(&self, word: &str, env: &E) -> Result<Vec<String>> {
        Ok(self.process_word(word, env)?.words)
    }
}

/// Go's `unicode.IsLetter` (general category L), which names and `$name` templates use. Exact
/// in Latin-1; beyond it std has no category lookup, so letter-like numerals are excluded but
/// the few combining marks Unicode counts as alphabetic are not.
fn is_letter(c: char) -> bool {
    c.is_alphabetic() && !c.is_numeric()
}

/// Go's `unicode.IsDigit` (category Nd). Exact in Latin-1 (`²` is no digit); beyond it, other
/// numeric characters that are not letters (such as `①`) count as digits too.
fn is_digit(c: char) -> bool {
    if u32::from(c) < 0x100 {
        return c.is_ascii_digit();
    }
    c.is_numeric() && !c.is_alphabetic()
}

/// The special parameters of POSIX sh (`$@`, `$#`, ...): never set in a Dockerfile, but they
/// are one-character names, so `$@x` is `x`.
fn is_special_param(c: char) -> bool {
    matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0')
}

/// Collects the words of an argument: unquoted white space ends a word, quoted text and
/// escaped characters never do. Empty quotes make no word of their own.
#[derive(Default)]
pub(crate) struct WordSplitter {
    word: String,
    words: Vec<String>,
    in_word: bool,
}

impl WordSplitter {
    pub(crate) fn add_char(&mut self, ch: char) {
        if !ch.is_whitespace() {
            self.add_raw_char(ch);
        } else if self.in_word && !self.word.is_empty() {
            self.words.push(std::mem::take(&mut self.word));
            self.in_word = false;
        }
    }

    pub(crate) fn add_raw_char(&mut self, ch: char) {
        self.word.push(ch);
        self.in_word = true;
    }

    pub(crate) fn add_str(&mut self, text: &str) {
        text.chars().for_each(|ch| self.add_char(ch));
    }

    pub(crate) fn add_raw_str(&mut self, text: &str) {
        self.word.push_str(text);
        self.in_word = true;
    }

    pub(crate) fn finish(mut self) -> Vec<String> {
        if !self.word.is_empty() {
            self.words.push(self.word);
        }
        self.words
    }
}

/// How deep `${...}` may nest inside each other's words; real Dockerfiles nest a few levels.
pub(crate) const MAX_NESTING: usize = 100;

/// One expansion in progress: a cursor over the argument plus what it has looked up.
struct Expander<'a, E: Env + ?Sized> {
    lexer: &'a Lexer,
    env: &'a E,
    chars: Vec<char>,
    pos: usize,
    /// Whether escape tokens are kept; patterns keep them so `\*` stays a literal star.
    raw_escapes: bool,
    /// How many words are being read inside each other (see `MAX_NESTING`).
    depth: usize,
    matched: BTreeSet<String>,
    unmatched: BTreeSet<String>,
}

impl<'a, E: Env + ?Sized> Expander<'a, E> {
    fn new(lexer: &'a Lexer, word: &str, env: &'a E) -> Self {
        // Go's text/scanner, which BuildKit reads the word with, skips a leading BOM.
        let word = word.strip_prefix('\u{feff}').unwrap_or(word);
        Expander {
            lexer,
            env,
            chars: word.chars().collect(),
            pos: 0,
            raw_escapes: lexer.raw_escapes,
            depth: 0,
            matched: BTreeSet::new(),
            unmatched: BTreeSet::new(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next_char(&mut self) -> Option<char> {
        let ch = self.peek();
        if ch.is_some() {
            self.pos += 1;
        }
        ch
    }

    fn lookup(&mut self, name: &str) -> Option<String> {
        match self.env.lookup(name) {
            Some(value) => {
                self.matched.insert(name.to_string());
                Some(value.to_string())
            }
            None => {
                self.unmatched.insert(name.to_string());
                None
            }
        }
    }

    /// Expands up to `stop` (consumed) or, with no stop, to the end; returns the text and its
    /// words. Nested `${...}` words and patterns are read with this too.
    fn process_stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Result<(String, Vec<String>)> {
        // Each nested `${...}` recurses; Go's growable stacks never run out, ours would abort.
        if self.depth > MAX_NESTING {
            bail!("expansions nested more than {MAX_NESTING} deep");
        }
        self.depth += 1;
        let outer = std::mem::replace(&mut self.raw_escapes, raw_escapes);
        let result = self.read_until(stop);
        self.raw_escapes = outer;
        self.depth -= 1;
        result
    }

    fn read_until(&mut self, stop: Option<char>) -> Result<(String, Vec<String>)> {
        let mut text = String::new();
        let mut words = WordSplitter::default();
        while let Some(ch) = self.peek() {
            if stop == Some(ch) {
                self.pos += 1;
                return Ok((text, words.finish()));
            }
            let quotes = !self.lexer.skip_process_quotes;
            match ch {
                '$' => {
                    let value = self.dollar()?;
                    words.add_str(&value);
                    text.push_str(&value);
                }
                '\'' if quotes => {
                    let quoted = self.single_quoted()?;
                    words.add_raw_str(&quoted);
                    text.push_str(&quoted);
                }
                '"' if quotes => {
                    let quoted = self.double_quoted()?;
                    words.add_raw_str(&quoted);
                    text.push_str(&quoted);
                }
                _ if ch == self.lexer.escape => {
                    self.pos += 1;
                    if self.raw_escapes {
                        words.add_raw_char(ch);
                        text.push(ch);
                    }
                    // An escape token at the very end escapes nothing and vanishes.
                    let Some(escaped) = self.next_char() else {
                        break;
                    };
                    words.add_raw_char(escaped);
                    text.push(escaped);
                }
                _ => {
                    self.pos += 1;
                    words.add_char(ch);
                    text.push(ch);
                }
            }
        }
        if let Some(stop) = stop {
            bail!("unexpected end of statement while looking for matching {stop}");
        }
        Ok((text, words.finish()))
    }

    /// `'...'`: everything literal up to the next `'`; nothing escapes inside.
    fn single_quoted(&mut self) -> Result<String> {
        let mut text = String::new();
        self.open_quote(&mut text);
        loop {
            match self.next_char() {
                None => {
                    bail!("unexpected end of statement while looking for matching single-quote")
                }
                Some('\'') => {
                    if self.lexer.raw_quotes {
                        text.push('\'');
                    }
                    return Ok(text);
                }
                Some(ch) => text.push(ch),
            }
        }
    }

    /// `"..."`: variables expand; the escape token escapes only `"`, `$` and itself and is
    /// kept before anything else, as in sh.
    fn double_quoted(&mut self) -> Result<String> {
        let mut text = String::new();
        self.open_quote(&mut text);
        loop {
            match self.peek() {
                None => {
                    bail!("unexpected end of statement while looking for matching double-quote")
                }
                Some('"') => {
                    self.pos += 1;
                    if self.lexer.raw_quotes {
                        text.push('"');
                    }
                    return Ok(text);
                }
                Some('$') => {
                    let value = self.dollar()?;
                    text.push_str(&value);
                }
                Some(ch) => {
                    self.pos += 1;
                    if ch != self.lexer.escape {
                        text.push(ch);
                        continue;
                    }
                    if self.raw_escapes {
                        text.push(ch);
                    }
                    match self.peek() {
                        // The loop then reports the missing closing quote.
                        None => {}
                        Some(next) if next == '"' || next == '$' || next == self.lexer.escape => {
                            self.pos += 1;
                            text.push(next);
                        }
                        Some(_) => text.push(ch),
                    }
                }
            }
        }
    }

    fn open_quote(&mut self, text: &mut String) {
        if let Some(quote) = self.next_char()
            && self.lexer.raw_quotes
        {
            text.push(quote);
        }
    }

    /// A name after `$` or `${`: letters, digits and `_`; or all digits if it starts with one
    /// (positional parameters, `$1x` is `x`); or one special parameter character.
    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if name.is_empty() && is_digit(ch) {
                while let Some(digit) = self.peek().filter(|&c| is_digit(c)) {
                    self.pos += 1;
                    name.push(digit);
                }
                return name;
            }
            if name.is_empty() && is_special_param(ch) {
                self.pos += 1;
                return ch.to_string();
            }
            if !(is_letter(ch) || is_digit(ch) || ch == '_') {
                break;
            }
            self.pos += 1;
            name.push(ch);
        }
        name
    }

    /// Expands the `$...` at the cursor.
    fn dollar(&mut self) -> Result<String> {
        self.pos += 1;
        if self.peek() != Some('{') {
            return Ok(self.bare_variable());
        }
        self.pos += 1;
        match self.peek() {
            None => bail!("syntax error: missing '}}'"),
            Some('{' | '}' | ':') => bail!("syntax error: bad substitution"),
            Some(_) => {}
        }
        let name = self.name();
        match self.next_char() {
            None => bail!("syntax error: missing '}}'"),
            Some('}') => Ok(self.braced_variable(&name)),
            Some(':') => {
                let modifier = self.next_char();
                let spelled = format!(":{}", modifier.map(String::from).unwrap_or_default());
                self.modifier(&name, modifier, &spelled, true)
            }
            Some(modifier @ ('+' | '-' | '?' | '#' | '%')) => {
                self.modifier(&name, Some(modifier), &modifier.to_string(), false)
            }
            Some('/') => self.replacement(&name),
            Some(other) => bail!("unsupported modifier ({other}) in substitution"),
        }
    }

    /// `$name`; a `$` before no name is a literal `$`.
    fn bare_variable(&mut self) -> String {
        let name = self.name();
        if name.is_empty() {
            return "$".to_string();
        }
        match self.lookup(&name) {
            Some(value) => value,
            None if self.lexer.skip_unset_env => format!("${name}"),
            None => String::new(),
        }
    }

    /// `${name}`.
    fn braced_variable(&mut self, name: &str) -> String {
        match self.lookup(name) {
            Some(value) => value,
            None if self.lexer.skip_unset_env => format!("${{{name}}}"),
            None => String::new(),
        }
    }

    /// `${name<spelled>word}` for the `-`, `+`, `?`, `#` and `%` families; `null_is_unset` is the
    /// `:` form, which treats an empty value like an unset one.
    fn modifier(
        &mut self,
        name: &str,
        modifier: Option<char>,
        spelled: &str,
        null_is_unset: bool,
    ) -> Result<String> {
        let pattern_op = matches!(modifier, Some('#' | '%'));
        if null_is_unset && pattern_op {
            bail!("unsupported modifier ({spelled}) in substitution");
        }
        // A pattern keeps its escapes so that `\*` reaches the pattern compiler as a literal star.
        let (word, _) = self
            .process_stop_on(Some('}'), pattern_op)
            .map_err(|err| self.missing_brace(err))?;
        let value = self.lookup(name);
        if self.lexer.skip_unset_env && value.is_none() {
            return Ok(format!("${{{name}{spelled}{word}}}"));
        }
        let empty = value
            .as_deref()
            .is_none_or(|v| null_is_unset && v.is_empty());
        match modifier {
            Some('-') if empty => Ok(word),
            Some('-') => Ok(value.unwrap_or_default()),
            Some('+') if empty => Ok(String::new()),
            Some('+') => Ok(word),
            Some('?') => match value {
                None => bail!(
                    "{name}: {}",
                    or_default(&word, "is not allowed to be unset")
                ),
                Some(value) if null_is_unset && value.is_empty() => {
                    bail!(
                        "{name}: {}",
                        or_default(&word, "is not allowed to be empty")
                    )
                }
                Some(value) => Ok(value),
            },
            Some(op @ ('#' | '%')) => remove_pattern(op, &word, &value.unwrap_or_default()),
            _ => bail!("unsupported modifier ({spelled}) in substitution"),
        }
    }

    /// `${name/pattern/replacement}` and `${name//pattern/replacement}`.
    fn replacement(&mut self, name: &str) -> Result<String> {
        let all = self.peek() == Some('/');
        if all {
            self.pos += 1;
        }
        let (pattern, _) = self.process_stop_on(Some('/'), true).map_err(|err| {
            if self.peek().is_none() {
                anyhow!("syntax error: missing '/' in ${{}}")
            } else {
                err
            }
        })?;
        let (replacement, _) = self
            .process_stop_on(Some('}'), true)
            .map_err(|err| self.missing_brace(err))?;
        let value = self.lookup(name);
        if self.lexer.skip_unset_env && value.is_none() {
            let slashes = if all { "//" } else { "/" };
            return Ok(format!("${{{name}{slashes}{pattern}/{replacement}}}"));
        }
        // An unset variable is replaced in as empty: a pattern that matches the empty string
        // still yields the replacement, and a bad pattern is still an error.
        let value = value.unwrap_or_default();
        let replaced = if all {
            pattern::replace_all(&pattern, &value, &replacement)
        } else {
            pattern::replace_first(&pattern, &value, &replacement)
        };
        replaced.map_err(|err| anyhow!("invalid pattern ({pattern}) in substitution: {err}"))
    }

    /// A nested word that ran off the end of the argument means the `}` is missing.
    fn missing_brace(&self, err: anyhow::Error) -> anyhow::Error {
        if self.peek().is_none() {
            anyhow!("syntax error: missing '}}'")
        } else {
            err
        }
    }
}

fn or_default<'s>(message: &'s str, default: &'s str) -> &'s str {
    if message.is_empty() { default } else { message }
}

/// `#`/`%` remove the shortest matching prefix/suffix; doubled (`##`, `%%`) the longest.
fn remove_pattern(op: char, word: &str, value: &str) -> Result<String> {
    let (greedy, pattern) = match word.strip_prefix(op) {
        Some(rest) => (true, rest),
        None => (false, word),
    };
    let trimmed = if op == '%' {
        pattern::trim_suffix(pattern, value, greedy)
    } else {
        pattern::trim_prefix(pattern, value, greedy)
    };
    trimmed.map_err(|err| anyhow!("invalid pattern ({pattern}) in substitution: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|name| name.to_string()).collect()
    }

    fn expand(word: &str, env: &[(&str, &str)]) -> Result<Expanded> {
        Lexer::new('\\').process_word(word, env)
    }

    #[test]
    fn reports_matched_and_unmatched_names() {
        let env = [("FOO", "xxx"), ("BAR", "")];
        let cases: &[(&str, &str, &[&str], &[&str])] = &[
            ("x", "x", &[], &[]),
            ("x ${UNUSED}", "x ", &[], &["UNUSED"]),
            (
                "${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}",
                "xxx  ccc",
                &["BAR", "FOO"],
                &["BAZ"],
            ),
            (
                "${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}",
                "xxx bbb ccc",
                &["BAR", "FOO"],
                &["BAZ"],
            ),
            (
                "${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}",
                "aaa bbb ",
                &["BAR", "FOO"],
                &["BAZ"],
            ),
            (
                "${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}",
                "aaa  ",
                &["BAR", "FOO"],
                &["BAZ"],
            ),
            ("${FOO?aaa} ${BAR?bbb}", "xxx ", &["BAR", "FOO"], &[]),
            ("$FOO$1$@", "xxx", &["FOO"], &["1", "@"]),
            ("'$FOO' \\$BAR", "$FOO $BAR", &[], &[]),
            ("${ABC:-${FOO}}${ABC:-.}", "xxx.", &["FOO"], &["ABC"]),
            (
                "${FOO#$BAR} ${FOO/$X/y}",
                "xxx yxxx",
                &["BAR", "FOO"],
                &["X"],
            ),
        ];
        for &(input, word, matched, unmatched) in cases {
            let got = expand(input, &env).unwrap_or_else(|e| panic!("{input}: {e:#}"));
            assert_eq!(got.word, word, "{input}");
            assert_eq!(got.matched, set(matched), "{input}");
            assert_eq!(got.unmatched, set(unmatched), "{input}");
        }
    }

    #[test]
    fn release_file_name_uses_the_platform_args() {
        let word = "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz";
        let env = [
            ("VERSION", "v1.2.3"),
            ("TARGETOS", "linux"),
            ("TARGETARCH", "arm"),
            ("TARGETVARIANT", "v7"),
        ];
        let got = expand(word, &env).unwrap();
        assert_eq!(got.word, "something-v1.2.3.linux-arm-v7.tar.gz");
        assert_eq!(
            got.matched,
            set(&["TARGETARCH", "TARGETOS", "TARGETVARIANT", "VERSION"])
        );
        assert!(got.unmatched.is_empty());

        let got = expand(word, &env[..3]).unwrap();
        assert_eq!(got.word, "something-v1.2.3.linux-arm.tar.gz");
        assert_eq!(got.unmatched, set(&["TARGETVARIANT"]));
    }

    #[test]
    fn required_variables() {
        let set_env = [("VAR", "plain"), ("ARG", "x")];
        let empty_env = [("VAR", ""), ("ARG", "x")];
        let unset_env = [("ARG", "x")];
        let no_empty = "${VAR:?message here$ARG}";
        let no_unset = "${VAR?message here$ARG}";
        assert_eq!(expand(no_empty, &set_env).unwrap().word, "plain");
        let err = expand(no_empty, &empty_env).unwrap_err();
        assert!(
            format!("{err:#}").ends_with("VAR: message herex"),
            "{err:#}"
        );
        assert!(expand(no_empty, &unset_env).is_err());
        assert_eq!(expand(no_unset, &set_env).unwrap().word, "plain");
        assert_eq!(expand(no_unset, &empty_env).unwrap().word, "");
        assert!(expand(no_unset, &unset_env).is_err());
        let err = expand("${VAR:?}", &empty_env).unwrap_err();
        assert!(
            format!("{err:#}").ends_with("VAR: is not allowed to be empty"),
            "{err:#}"
        );
        let err = expand("${NOPE?}", &empty_env).unwrap_err();
        assert!(
            format!("{err:#}").ends_with("NOPE: is not allowed to be unset"),
            "{err:#}"
        );
    }

    #[test]
    fn errors_name_the_argument_and_the_problem() {
        let err = expand("he${PWD", &[]).unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "failed to process \"he${PWD\": syntax error: missing '}'"
        );
        let err = expand("${}", &[]).unwrap_err();
        assert!(format!("{err:#}").ends_with("syntax error: bad substitution"));
        let err = expand("${X=1}", &[]).unwrap_err();
        assert!(format!("{err:#}").ends_with("unsupported modifier (=) in substitution"));
        let err = expand("${X:#a}", &[("X", "ab")]).unwrap_err();
        assert!(format!("{err:#}").ends_with("unsupported modifier (:#) in substitution"));
        let err = expand("${X//ww}", &[("X", "ab")]).unwrap_err();
        assert!(format!("{err:#}").ends_with("missing '/' in ${}"));
        let err = expand("${X#a\\b}", &[("X", "ab")]).unwrap_err();
        assert!(format!("{err:#}").contains("invalid pattern"), "{err:#}");
        let err = expand("'abc", &[]).unwrap_err();
        assert!(format!("{err:#}").ends_with("matching single-quote"));
    }

    #[test]
    fn backtick_escape() {
        let lexer = Lexer::new('`');
        let env = [("PWD", "/home")];
        let cases = [
            ("he`$PWD", "he$PWD"),
            ("he``$PWD", "he`/home"),
            ("C:\\dir\\$PWD", "C:\\dir\\/home"),
            ("\"a`\"b\"", "a\"b"),
            ("\"a`b\"", "a`b"),
            ("\"a\\\"", "a\\"),
            ("ab`", "ab"),
            ("a` b", "a b"),
        ];
        for (input, want) in cases {
            let got = lexer
                .process_word(input, &env)
                .unwrap_or_else(|e| panic!("{input}: {e:#}"));
            assert_eq!(got.word, want, "{input}");
        }
        assert_eq!(lexer.process_words("a` b c", &env).unwrap(), ["a b", "c"]);
        // The pattern compiler's own escape is always a backslash: with a backtick escape token
        // a backslash in a pattern still makes the next star literal.
        let env = [("F", "a*b*c")];
        assert_eq!(lexer.process_word("${F%\\**}", &env).unwrap().word, "a*b");
        assert_eq!(lexer.process_word("${F%%`**}", &env).unwrap().word, "a*b*c");
    }

    #[test]
    fn pattern_removal() {
        let env = [
            ("F", "/usr/lib/x86_64/libfoo.so.1.2"),
            ("V", "v1.2.3-rc1"),
            ("B", "[ab]cd"),
        ];
        let cases = [
            ("${F#*/}", "usr/lib/x86_64/libfoo.so.1.2"),
            ("${F##*/}", "libfoo.so.1.2"),
            ("${F%/*}", "/usr/lib/x86_64"),
            ("${F%%.*}", "/usr/lib/x86_64/libfoo"),
            ("${F%.*}", "/usr/lib/x86_64/libfoo.so.1"),
            ("${V#v}", "1.2.3-rc1"),
            ("${V#?}", "1.2.3-rc1"),
            ("${V##v?.}", "2.3-rc1"),
            ("${V%-rc?}", "v1.2.3"),
            ("${V%%[0-9]*}", "v1.2.3-rc1"),
            ("${V#nomatch}", "v1.2.3-rc1"),
            ("${V%}", "v1.2.3-rc1"),
            ("${V##}", "v1.2.3-rc1"),
            // BuildKit has no bracket expressions: `[...]` is literal text.
            ("${B#[ab]}", "cd"),
            ("${B#[a]*}", "[ab]cd"),
            ("${B##[*]}", "cd"),
            ("${UNSET#*}", ""),
        ];
        for (input, want) in cases {
            let got = expand(input, &env).unwrap_or_else(|e| panic!("{input}: {e:#}"));
            assert_eq!(got.word, want, "{input}");
        }
    }

    #[test]
    fn pattern_escapes_and_regex_characters_are_literal() {
        let env = [("FOO", "()[]{}^$.*?|\\x"), ("S", "xx**"), ("T", "a***yy*")];
        assert_eq!(
            expand("${FOO#()[]{\\}^$.\\*\\?|\\\\}", &env).unwrap().word,
            "x"
        );
        assert_eq!(expand("${S%%\\**}", &env).unwrap().word, "xx");
        assert_eq!(expand("${T%%\\**\\*}", &env).unwrap().word, "a");
    }

    #[test]
    fn replacement() {
        let env = [
            ("FOO", "/tmp/tmp/bar.txt"),
            ("NEEDLE", "/tmp"),
            ("URL", "http://google.de"),
        ];
        let cases = [
            (
                "${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}",
                "/tmp/bar.txt - /bar.txt",
            ),
            ("${URL/http:\\/\\//https://}", "https://google.de"),
            ("${FOO//\\//\\/}", "\\/tmp\\/tmp\\/bar.txt"),
            ("${FOO///}", "/tmp/tmp/bar.txt"),
            ("${FOO/t?p/x}", "/x/tmp/bar.txt"),
            ("${FOO/*\\//}", "bar.txt"),
            ("${NOPE/a/b}", ""),
            ("${NOPE/*/b}", "b"),
            ("${NOPE//x*/b}", ""),
        ];
        for (input, want) in cases {
            let got = expand(input, &env).unwrap_or_else(|e| panic!("{input}: {e:#}"));
            assert_eq!(got.word, want, "{input}");
        }
    }

    #[test]
    fn keep_unset_and_raw_modes() {
        let mut lexer = Lexer::new('\\');
        lexer.skip_unset_env = true;
        lexer.raw_quotes = true;
        let env = [("SET", "v")];
        let cases = [
            ("$SET $UNSET", "v $UNSET"),
            ("${UNSET} ${SET}", "${UNSET} v"),
            ("${UNSET:-d} ${SET:-d}", "${UNSET:-d} v"),
            ("${UNSET//a/b}", "${UNSET//a/b}"),
            ("'$SET' \"$SET\"", "'$SET' \"v\""),
        ];
        for (input, want) in cases {
            assert_eq!(
                lexer.process_word(input, &env).unwrap().word,
                want,
                "{input}"
            );
        }

        let mut lexer = Lexer::new('\\');
        lexer.raw_escapes = true;
        assert_eq!(
            lexer.process_word("a\\$SET\\ b", &env).unwrap().word,
            "a\\$SET\\ b"
        );

        let mut lexer = Lexer::new('\\');
        lexer.skip_process_quotes = true;
        assert_eq!(
            lexer.process_word("'$SET' \"x\"", &env).unwrap().word,
            "'v' \"x\""
        );
    }

    #[test]
    fn words_keep_text_around_nested_expansions() {
        let lexer = Lexer::new('\\');
        let env = [("X", "1 2")];
        assert_eq!(lexer.process_words("a${Y:-b}c", &env).unwrap(), ["abc"]);
        assert_eq!(
            lexer.process_words("a${Y:-$X}c d", &env).unwrap(),
            ["a1", "2c", "d"]
        );
        assert_eq!(lexer.process_words("\"\" x ''", &env).unwrap(), ["x"]);
    }

    #[test]
    fn later_entries_win_and_assignments_parse() {
        let env = env_from_assignments(["A=1", "B", "A=2=3"]);
        assert_eq!(env.lookup("A"), Some("2=3"));
        assert_eq!(env.lookup("B"), Some(""));
        assert_eq!(env.lookup("C"), None);
        let map: BTreeMap<String, String> = [("K".to_string(), "v".to_string())].into();
        assert_eq!(Lexer::new('\\').process_word("$K", &map).unwrap().word, "v");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let nested = |depth: usize| "${X:-".repeat(depth) + "v" + &"}".repeat(depth);
        assert_eq!(expand(&nested(MAX_NESTING), &[]).unwrap().word, "v");
        assert!(expand(&nested(MAX_NESTING + 1), &[]).is_err());
        let err = expand(&nested(100_000), &[]).unwrap_err();
        assert!(format!("{err:#}").contains("nested more than"), "{err:#}");
    }

    #[test]
    fn leading_byte_order_mark_is_skipped() {
        assert_eq!(expand("\u{feff}a$X", &[("X", "b")]).unwrap().word, "ab");
    }
}
