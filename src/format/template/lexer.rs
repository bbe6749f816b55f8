//! Tokenizer for Go text/template source, following Go's `text/template/parse/lex.go`:
//! text outside `{{ }}`, trim markers `{{- ` / ` -}}`, comments, and the tokens inside actions.

use anyhow::{Result, bail};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Text(String),
    Left,
    Right,
    /// `.Name` (without the dot).
    Field(String),
    Dot,
    /// `$name`, or `$` alone (name is empty).
    Var(String),
    Ident(String),
    Bool(bool),
    Nil,
    Str(String),
    Number(String),
    Char(i64),
    Pipe,
    LParen,
    RParen,
    Declare,
    Assign,
    Comma,
    Eof,
}

#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub tok: Tok,
    pub line: usize,
    /// Byte offset of the token in the source, for error context.
    pub start: usize,
    /// Whether whitespace separates this token from the previous one; Go uses this to
    /// tell a field chain (`$x.A`) from a new argument (`$x .A`).
    pub space_before: bool,
}

/// Go trims exactly these around trim markers.
fn is_go_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

pub(crate) fn line_of(src: &str, offset: usize) -> usize {
    src.as_bytes()[..offset.min(src.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

pub(crate) fn lex(src: &str) -> Result<Vec<Token>> {
    Lexer {
        src,
        pos: 0,
        toks: Vec::new(),
        line_mark: (0, 1),
    }
    .run()
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    toks: Vec<Token>,
    /// (offset, line) of the last token, so line numbers cost O(n) overall, not O(n²).
    line_mark: (usize, usize),
}

impl Lexer<'_> {
    fn rest(&self) -> &str {
        &self.src[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn push(&mut self, tok: Tok, start: usize, space_before: bool) {
        let (mark, mark_line) = self.line_mark;
        let line = if start >= mark {
            mark_line
                + self.src.as_bytes()[mark..start]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
        } else {
            line_of(self.src, start)
        };
        self.line_mark = (start, line);
        self.toks.push(Token {
            tok,
            line,
            start,
            space_before,
        });
    }

    fn err(&self, msg: impl std::fmt::Display) -> anyhow::Error {
        anyhow::anyhow!("template: :{}: {msg}", line_of(self.src, self.pos))
    }

    fn run(mut self) -> Result<Vec<Token>> {
        let mut trim_next_text = false;
        loop {
            let start = self.pos;
            let Some(idx) = self.rest().find("{{") else {
                let mut text = self.rest();
                if trim_next_text {
                    text = text.trim_start_matches(is_go_space);
                }
                if !text.is_empty() {
                    self.push(Tok::Text(text.to_string()), start, false);
                }
                self.pos = self.src.len();
                self.push(Tok::Eof, self.pos, false);
                return Ok(self.toks);
            };
            let mut text = &self.src[start..start + idx];
            let after = start + idx + 2;
            let trim_left = has_left_trim(&self.src[after..]);
            if trim_left {
                text = text.trim_end_matches(is_go_space);
            }
            if trim_next_text {
                text = text.trim_start_matches(is_go_space);
            }
            if !text.is_empty() {
                self.push(Tok::Text(text.to_string()), start, false);
            }
            self.pos = after + if trim_left { 2 } else { 0 };
            trim_next_text = if self.rest().starts_with("/*") {
                self.comment()?
            } else {
                self.push(Tok::Left, start + idx, false);
                self.action()?
            };
        }
    }

    /// Skips a `/* */` comment and its closing delimiter; returns whether it had a right trim.
    fn comment(&mut self) -> Result<bool> {
        let Some(end) = self.rest().find("*/") else {
            bail!(self.err("unclosed comment"));
        };
        self.pos += end + 2;
        if let Some(n) = right_delim_len(self.rest()) {
            let trimmed = n > 2;
            self.pos += n;
            return Ok(trimmed);
        }
        bail!(self.err("comment ends before closing delimiter"))
    }

    /// Lexes tokens inside `{{ }}`; returns whether the closing delimiter had a trim marker.
    fn action(&mut self) -> Result<bool> {
        let mut paren_depth = 0usize;
        let open_line = self.toks.last().map_or(1, |t| t.line);
        loop {
            let ws_start = self.pos;
            if let Some(n) = right_delim_len(self.rest()) {
                if paren_depth > 0 {
                    bail!(self.err("unclosed left paren"));
                }
                self.push(Tok::Right, self.pos, false);
                self.pos += n;
                return Ok(n > 2);
            }
            while self.peek().is_some_and(is_go_space) {
                self.pos += 1;
                // A trim marker needs its leading space, so re-check after each one.
                if right_delim_len(self.rest()).is_some() {
                    break;
                }
            }
            let space = self.pos > ws_start;
            if right_delim_len(self.rest()).is_some() {
                continue;
            }
            let start = self.pos;
            let Some(c) = self.peek() else {
                // Name the line the action opened on, not the end of input.
                bail!("template: :{open_line}: unclosed action");
            };
            match c {
                '|' => self.single(Tok::Pipe, space),
                '(' => {
                    paren_depth += 1;
                    self.single(Tok::LParen, space);
                }
                ')' => {
                    if paren_depth == 0 {
                        bail!(self.err("unexpected right paren"));
                    }
                    paren_depth -= 1;
                    self.single(Tok::RParen, space);
                }
                ',' => self.single(Tok::Comma, space),
                '=' => self.single(Tok::Assign, space),
                ':' => {
                    if !self.rest().starts_with(":=") {
                        bail!(self.err("expected :="));
                    }
                    self.pos += 2;
                    self.push(Tok::Declare, start, space);
                }
                '"' => {
                    let s = self.quoted()?;
                    self.push(Tok::Str(s), start, space);
                }
                '`' => {
                    let body = &self.rest()[1..];
                    let Some(end) = body.find('`') else {
                        bail!(self.err("unterminated raw quoted string"));
                    };
                    let s = body[..end].to_string();
                    self.pos += end + 2;
                    self.push(Tok::Str(s), start, space);
                }
                '\'' => {
                    let v = self.char_const()?;
                    self.push(Tok::Char(v), start, space);
                }
                '$' => {
                    self.pos += 1;
                    let name = self.word();
                    self.push(Tok::Var(name), start, space);
                }
                '.' => {
                    let next = self.rest()[1..].chars().next();
                    if next.is_some_and(|c| c.is_ascii_digit()) {
                        self.number(space)?;
                    } else if next.is_some_and(is_alnum) {
                        self.pos += 1;
                        let name = self.word();
                        self.push(Tok::Field(name), start, space);
                    } else {
                        self.single(Tok::Dot, space);
                    }
                }
                '+' | '-' | '0'..='9' => self.number(space)?,
                c if is_alnum(c) => {
                    let w = self.word();
                    let tok = match w.as_str() {
                        "true" => Tok::Bool(true),
                        "false" => Tok::Bool(false),
                        "nil" => Tok::Nil,
                        _ => Tok::Ident(w),
                    };
                    self.push(tok, start, space);
                }
                c => bail!(self.err(format!("unrecognized character in action: {c:?}"))),
            }
        }
    }

    fn single(&mut self, tok: Tok, space: bool) {
        let start = self.pos;
        self.pos += 1;
        self.push(tok, start, space);
    }

    fn word(&mut self) -> String {
        let len: usize = self
            .rest()
            .chars()
            .take_while(|&c| is_alnum(c))
            .map(char::len_utf8)
            .sum();
        let w = self.rest()[..len].to_string();
        self.pos += len;
        w
    }

    fn number(&mut self, space: bool) -> Result<()> {
        let start = self.pos;
        let bytes = self.src.as_bytes();
        let mut i = self.pos;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        while let Some(&b) = bytes.get(i) {
            let exp_sign = matches!(b, b'+' | b'-')
                && matches!(
                    bytes.get(i.wrapping_sub(1)),
                    Some(b'e' | b'E' | b'p' | b'P')
                )
                && !self.src[start..i].starts_with("0x");
            if b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || exp_sign {
                i += 1;
            } else {
                break;
            }
        }
        let text = &self.src[start..i];
        if text == "+" || text == "-" {
            bail!(self.err(format!("bad number syntax: {text:?}")));
        }
        self.pos = i;
        self.push(Tok::Number(text.to_string()), start, space);
        Ok(())
    }

    /// Decodes a Go interpreted string literal.
    fn quoted(&mut self) -> Result<String> {
        let mut out = String::new();
        let mut chars = self.rest()[1..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos += i + 2;
                    return Ok(out);
                }
                '\n' => break,
                '\\' => {
                    let Some((_, e)) = chars.next() else { break };
                    match e {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        'a' => out.push('\x07'),
                        'b' => out.push('\x08'),
                        'f' => out.push('\x0c'),
                        'v' => out.push('\x0b'),
                        '\\' => out.push('\\'),
                        '"' => out.push('"'),
                        '\'' => out.push('\''),
                        'x' | 'u' | 'U' => {
                            let n = match e {
                                'x' => 2,
                                'u' => 4,
                                _ => 8,
                            };
                            let hex: String = chars.by_ref().take(n).map(|(_, c)| c).collect();
                            let ch = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                            match ch {
                                Some(ch) if hex.len() == n => out.push(ch),
                                _ => bail!(self.err("invalid escape in quoted string")),
                            }
                        }
                        _ => bail!(self.err(format!("unknown escape sequence: \\{e}"))),
                    }
                }
                c => out.push(c),
            }
        }
        bail!(self.err("unterminated quoted string"))
    }

    fn char_const(&mut self) -> Result<i64> {
        let body = &self.rest()[1..];
        let mut it = body.chars();
        let (val, len) = match it.next() {
            Some('\\') => match it.next() {
                Some('n') => ('\n', 2),
                Some('t') => ('\t', 2),
                Some('r') => ('\r', 2),
                Some('\\') => ('\\', 2),
                Some('\'') => ('\'', 2),
                Some('0') => ('\0', 2),
                _ => bail!(self.err("unsupported escape in character constant")),
            },
            Some(c) if c != '\'' && c != '\n' => (c, c.len_utf8()),
            _ => bail!(self.err("malformed character constant")),
        };
        if !body[len..].starts_with('\'') {
            bail!(self.err("unterminated character constant"));
        }
        self.pos += len + 2;
        Ok(i64::from(u32::from(val)))
    }
}

/// `{{-` is a trim marker only when followed by whitespace (`{{-3}}` is the number -3).
fn has_left_trim(s: &str) -> bool {
    let mut it = s.chars();
    it.next() == Some('-') && it.next().is_some_and(is_go_space)
}

/// Length of the closing delimiter at the start of `s`: 2 for `}}`, more for ` -}}`.
fn right_delim_len(s: &str) -> Option<usize> {
    if s.starts_with("}}") {
        return Some(2);
    }
    let mut it = s.chars();
    let first = it.next()?;
    if is_go_space(first) && s[first.len_utf8()..].starts_with("-}}") {
        return Some(first.len_utf8() + 3);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<Tok> {
        lex(src).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn text_and_fields() {
        assert_eq!(
            toks("a {{.A.B}} b"),
            vec![
                Tok::Text("a ".into()),
                Tok::Left,
                Tok::Field("A".into()),
                Tok::Field("B".into()),
                Tok::Right,
                Tok::Text(" b".into()),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn trim_markers() {
        assert_eq!(
            toks("a  {{- 1 -}}  b"),
            vec![
                Tok::Text("a".into()),
                Tok::Left,
                Tok::Number("1".into()),
                Tok::Right,
                Tok::Text("b".into()),
                Tok::Eof
            ]
        );
        assert_eq!(toks("{{-3}}")[1], Tok::Number("-3".into()));
    }

    #[test]
    fn comments_are_dropped() {
        assert_eq!(
            toks("x {{- /* hi */ -}} y"),
            vec![Tok::Text("x".into()), Tok::Text("y".into()), Tok::Eof]
        );
    }

    #[test]
    fn literals() {
        assert_eq!(
            toks(r#"{{"a\tb" `r\n` 'x' 1.5e3 $x := nil}}"#)[1..8],
            [
                Tok::Str("a\tb".into()),
                Tok::Str("r\\n".into()),
                Tok::Char(120),
                Tok::Number("1.5e3".into()),
                Tok::Var("x".into()),
                Tok::Declare,
                Tok::Nil
            ]
        );
    }

    #[test]
    fn errors() {
        for bad in [
            "{{",
            "{{.A",
            "{{\"abc}}",
            "{{/* x",
            "{{ ) }}",
            "{{ ( }}",
            "{{ # }}",
            "{{'ab'}}",
        ] {
            assert!(lex(bad).is_err(), "{bad}");
        }
    }
}
