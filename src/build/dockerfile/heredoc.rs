//! Finding heredocs on an instruction line (BuildKit's heredocsFromLine and ParseHeredoc).
//!
//! BuildKit finds `<<WORD` by splitting the line into shell words with its variable-expansion
//! lexer (quotes and escapes kept raw, no variables set, unset ones left as written), so that
//! `"<<EOF"` in quotes is not a heredoc. The small lexer below is that lexer restricted to an
//! empty environment, which is all the parser needs; the expansion proper lives in
//! `build::shell`.

use super::{Heredoc, dump};

/// Heredoc words are always lexed with a backslash escape, whatever `# escape=` says.
const ESCAPE: char = '\\';

/// The heredocs named on an instruction line, in order. A line that does not lex (an
/// unbalanced quote, say) has none, as in BuildKit.
pub(super) fn heredocs_from_line(line: &str) -> Result<Vec<Heredoc>, String> {
    let words = Lexer::new(line, true, true).words().unwrap_or_default();
    let mut heredocs = Vec::new();
    for word in &words {
        if let Some(heredoc) = heredoc_from_word(word)? {
            heredocs.push(heredoc);
        }
    }
    Ok(heredocs)
}

/// Parses one word as a heredoc marker (`<<EOF`, `<<-'EOF'`, `3<<EOF`): None when it is not
/// one, an error when its terminator word does not lex (`<<'EOF`). The evaluator uses it to
/// tell which COPY/ADD sources are heredocs.
pub fn parse_heredoc(word: &str) -> anyhow::Result<Option<Heredoc>> {
    heredoc_from_word(word).map_err(anyhow::Error::msg)
}

/// Removes leading tabs from every line (what `<<-` asks for).
pub fn chomp_heredoc_content(content: &str) -> String {
    content
        .split_inclusive('\n')
        .map(|line| line.trim_start_matches('\t'))
        .collect()
}

/// BuildKit's `^(\d*)<<(-?)([^<]*)$` and then the terminator word's quoting.
fn heredoc_from_word(word: &str) -> Result<Option<Heredoc>, String> {
    let digits = word
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(word.len());
    let (fd, rest) = word.split_at(digits);
    let Some(rest) = rest.strip_prefix("<<") else {
        return Ok(None);
    };
    let (chomp, rest) = match rest.strip_prefix('-') {
        Some(after) => (true, after),
        None => (false, rest),
    };
    if rest.is_empty() || rest.contains('<') {
        return Ok(None);
    }

    let failed = |message: String| format!("failed to process {}: {message}", dump::go_quote(rest));
    let words = Lexer::new(rest, false, false).words().map_err(failed)?;
    let [name] = words.as_slice() else {
        return Ok(None);
    };
    let raw_words = Lexer::new(rest, true, false).words().map_err(failed)?;
    let [raw_name] = raw_words.as_slice() else {
        return Err(format!(
            "internal lexing of heredoc produced inconsistent results: {rest}"
        ));
    };
    // Any quote that lexing removed means part of the word was quoted: no expansion.
    let quotes = |s: &str| s.chars().filter(|&c| c == '\'' || c == '"').count();
    Ok(Some(Heredoc {
        name: name.clone(),
        file_descriptor: parse_fd(fd),
        expand: quotes(name) == quotes(raw_name),
        chomp,
        content: String::new(),
    }))
}

/// Go's ParseUint with its error ignored: empty is 0, too large is the maximum.
fn parse_fd(digits: &str) -> u64 {
    if digits.is_empty() {
        return 0;
    }
    digits.parse().unwrap_or(u64::MAX)
}

/// The word being built and the words finished so far (BuildKit's wordsStruct).
type Words = crate::build::shell::WordSplitter;

/// Shell word splitting with an empty environment, where `$VAR` and `${VAR…}` stay as written.
struct Lexer<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    raw_quotes: bool,
    raw_escapes: bool,
    /// `${...}` words being read inside each other (bounded like `shell`'s).
    depth: usize,
}

impl<'a> Lexer<'a> {
    fn new(source: &'a str, raw_quotes: bool, raw_escapes: bool) -> Self {
        Lexer {
            chars: source.chars().peekable(),
            raw_quotes,
            raw_escapes,
            depth: 0,
        }
    }

    fn words(mut self) -> Result<Vec<String>, String> {
        self.process(None).map(|(_, words)| words)
    }

    /// Reads to the end, or to `stop` (consumed); returns the text and its words.
    fn process(&mut self, stop: Option<char>) -> Result<(String, Vec<String>), String> {
        let mut result = String::new();
        let mut words = Words::default();
        while let Some(&ch) = self.chars.peek() {
            if Some(ch) == stop {
                self.chars.next();
                return Ok((result, words.finish()));
            }
            match ch {
                '\'' | '"' => {
                    let quoted = if ch == '\'' {
                        self.single_quoted()?
                    } else {
                        self.double_quoted()?
                    };
                    result.push_str(&quoted);
                    words.add_raw_str(&quoted);
                }
                '$' => {
                    let text = self.dollar()?;
                    result.push_str(&text);
                    words.add_str(&text);
                }
                _ => {
                    self.chars.next();
                    if ch != ESCAPE {
                        words.add_char(ch);
                        result.push(ch);
                        continue;
                    }
                    if self.raw_escapes {
                        words.add_raw_char(ch);
                        result.push(ch);
                    }
                    let Some(escaped) = self.chars.next() else {
                        break;
                    };
                    words.add_raw_char(escaped);
                    result.push(escaped);
                }
            }
        }
        match stop {
            Some(stop) => Err(format!(
                "unexpected end of statement while looking for matching {stop}"
            )),
            None => Ok((result, words.finish())),
        }
    }

    fn single_quoted(&mut self) -> Result<String, String> {
        let mut result = String::new();
        self.chars.next();
        if self.raw_quotes {
            result.push('\'');
        }
        loop {
            match self.chars.next() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching single-quote"
                            .into(),
                    );
                }
                Some('\'') => {
                    if self.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(ch) => result.push(ch),
            }
        }
    }

    fn double_quoted(&mut self) -> Result<String, String> {
        let mut result = String::new();
        self.chars.next();
        if self.raw_quotes {
            result.push('"');
        }
        loop {
            match self.chars.peek().copied() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching double-quote"
                            .into(),
                    );
                }
                Some('"') => {
                    self.chars.next();
                    if self.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => result.push_str(&self.dollar()?),
                Some(ch) => {
                    self.chars.next();
                    if ch == ESCAPE {
                        self.double_quoted_escape(&mut result);
                    } else {
                        result.push(ch);
                    }
                }
            }
        }
    }

    /// Inside double quotes the escape only escapes `"`, `$` and itself.
    fn double_quoted_escape(&mut self, result: &mut String) {
        match self.chars.peek().copied() {
            None => {}
            Some(next @ ('"' | '$' | ESCAPE)) => {
                self.chars.next();
                if self.raw_escapes {
                    result.push(ESCAPE);
                }
                result.push(next);
            }
            Some(_) => result.push(ESCAPE),
        }
    }

    /// `$NAME`, `${NAME}` and `${NAME<op>word}` with nothing set: the text as written.
    fn dollar(&mut self) -> Result<String, String> {
        self.chars.next();
        if self.chars.peek() != Some(&'{') {
            return Ok(format!("${}", self.name()));
        }
        self.chars.next();
        match self.chars.peek() {
            None => return Err("syntax error: missing '}'".into()),
            Some('{' | '}' | ':') => return Err("syntax error: bad substitution".into()),
            Some(_) => {}
        }
        let name = self.name();
        let mut op = match self.chars.next() {
            Some('}') => return Ok(format!("${{{name}}}")),
            Some(op @ ('?' | '%' | '#' | '/' | ':')) => op.to_string(),
            _ => return Err("missing ':' in substitution".into()),
        };
        if op == ":" {
            match self.chars.next() {
                Some(modifier @ ('+' | '-' | '?')) => op.push(modifier),
                Some(other) => {
                    return Err(format!("unsupported modifier ({other}) in substitution"));
                }
                None => return Err("syntax error: missing '}'".into()),
            }
        }
        if self.depth >= crate::build::shell::MAX_NESTING {
            return Err(format!(
                "expansions nested more than {} deep",
                crate::build::shell::MAX_NESTING
            ));
        }
        self.depth += 1;
        let result = self.process(Some('}'));
        self.depth -= 1;
        let (word, _) = result.map_err(|err| {
            if self.chars.peek().is_none() {
                "syntax error: missing '}'".to_string()
            } else {
                err
            }
        })?;
        Ok(format!("${{{name}{op}{word}}}"))
    }

    /// A variable name: digits, one special parameter, or letters, digits and `_`.
    fn name(&mut self) -> String {
        let mut name = String::new();
        if let Some(&first) = self.chars.peek() {
            if first.is_ascii_digit() {
                while let Some(digit) = self.chars.next_if(char::is_ascii_digit) {
                    name.push(digit);
                }
                return name;
            }
            if matches!(first, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.chars.next();
                name.push(first);
                return name;
            }
        }
        while let Some(ch) = self.chars.next_if(|&c| c.is_alphanumeric() || c == '_') {
            name.push(ch);
        }
        name
    }
}
