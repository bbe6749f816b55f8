//! A small unanchored regular-expression matcher for `volume ls --filter name=REGEX`
//! (Podman matches names with Go's regexp). It covers what name filters use: literals,
//! `.`, classes (`[a-z]`, `[^0-9]`, `\d`, `\w`, `\s`), `*`, `+`, `?`, `^`, `$`, groups and
//! `|`. Our own rather than the regex crate: a dependency for one filter is not worth it,
//! and names are short, so backtracking is fine.

use anyhow::{Result, bail};

#[derive(Debug, Clone)]
enum Atom {
    Char(char),
    Any,
    Class { negate: bool, items: Vec<ClassItem> },
    Group(Vec<Vec<Piece>>),
    Start,
    End,
}

#[derive(Debug, Clone)]
enum ClassItem {
    Range(char, char),
    Digit,
    Word,
    Space,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Repeat {
    One,
    Optional,
    Star,
    Plus,
}

#[derive(Debug, Clone)]
struct Piece {
    atom: Atom,
    repeat: Repeat,
}

/// A compiled pattern: alternatives, each a sequence of pieces.
#[derive(Debug, Clone)]
pub struct Regex {
    alts: Vec<Vec<Piece>>,
}

impl Regex {
    pub fn new(src: &str) -> Result<Regex> {
        let chars: Vec<char> = src.chars().collect();
        let mut pos = 0;
        let alts = parse_alts(&chars, &mut pos)?;
        if pos != chars.len() {
            bail!("error parsing regexp: unexpected ): `{src}`");
        }
        Ok(Regex { alts })
    }

    /// Whether the pattern matches anywhere in `s` (Go's MatchString).
    pub fn is_match(&self, s: &str) -> bool {
        let text: Vec<char> = s.chars().collect();
        (0..=text.len()).any(|start| {
            self.alts
                .iter()
                .any(|alt| match_seq(alt, &text, start, &mut |_| true))
        })
    }
}

fn parse_alts(c: &[char], pos: &mut usize) -> Result<Vec<Vec<Piece>>> {
    let mut alts = vec![Vec::new()];
    while *pos < c.len() {
        let ch = c[*pos];
        match ch {
            ')' => break,
            '|' => {
                *pos += 1;
                alts.push(Vec::new());
                continue;
            }
            _ => {}
        }
        let atom = parse_atom(c, pos)?;
        let repeat = match c.get(*pos) {
            Some('*') => Repeat::Star,
            Some('+') => Repeat::Plus,
            Some('?') => Repeat::Optional,
            _ => Repeat::One,
        };
        if repeat != Repeat::One {
            if matches!(atom, Atom::Start | Atom::End) {
                bail!("error parsing regexp: missing argument to repetition operator");
            }
            *pos += 1;
        }
        alts.last_mut()
            .expect("one alternative")
            .push(Piece { atom, repeat });
    }
    Ok(alts)
}

fn parse_atom(c: &[char], pos: &mut usize) -> Result<Atom> {
    let ch = c[*pos];
    *pos += 1;
    Ok(match ch {
        '.' => Atom::Any,
        '^' => Atom::Start,
        '$' => Atom::End,
        '*' | '+' | '?' => {
            bail!("error parsing regexp: missing argument to repetition operator: `{ch}`")
        }
        '(' => {
            // Non-capturing `(?:` is the same thing to a matcher that captures nothing.
            if c.get(*pos) == Some(&'?') && c.get(*pos + 1) == Some(&':') {
                *pos += 2;
            }
            let alts = parse_alts(c, pos)?;
            if c.get(*pos) != Some(&')') {
                bail!(
                    "error parsing regexp: missing closing ): `{}`",
                    c.iter().collect::<String>()
                );
            }
            *pos += 1;
            Atom::Group(alts)
        }
        '[' => parse_class(c, pos)?,
        '\\' => {
            let Some(&e) = c.get(*pos) else {
                bail!("error parsing regexp: trailing backslash at end of expression");
            };
            *pos += 1;
            match class_escape(e) {
                Some(item) => Atom::Class {
                    negate: false,
                    items: vec![item],
                },
                None => Atom::Char(e),
            }
        }
        _ => Atom::Char(ch),
    })
}

fn class_escape(e: char) -> Option<ClassItem> {
    match e {
        'd' => Some(ClassItem::Digit),
        'w' => Some(ClassItem::Word),
        's' => Some(ClassItem::Space),
        _ => None,
    }
}

fn parse_class(c: &[char], pos: &mut usize) -> Result<Atom> {
    let negate = c.get(*pos) == Some(&'^');
    if negate {
        *pos += 1;
    }
    let mut items = Vec::new();
    let mut first = true;
    loop {
        let Some(&ch) = c.get(*pos) else {
            bail!("error parsing regexp: missing closing ]");
        };
        *pos += 1;
        if ch == ']' && !first {
            break;
        }
        first = false;
        let lo = if ch == '\\' {
            let Some(&e) = c.get(*pos) else {
                bail!("error parsing regexp: missing closing ]");
            };
            *pos += 1;
            if let Some(item) = class_escape(e) {
                items.push(item);
                continue;
            }
            e
        } else {
            ch
        };
        if c.get(*pos) == Some(&'-') && c.get(*pos + 1).is_some_and(|&n| n != ']') {
            let hi = c[*pos + 1];
            *pos += 2;
            items.push(ClassItem::Range(lo, hi));
        } else {
            items.push(ClassItem::Range(lo, lo));
        }
    }
    Ok(Atom::Class { negate, items })
}

fn class_has(items: &[ClassItem], ch: char) -> bool {
    items.iter().any(|i| match *i {
        ClassItem::Range(lo, hi) => lo <= ch && ch <= hi,
        ClassItem::Digit => ch.is_ascii_digit(),
        ClassItem::Word => ch.is_ascii_alphanumeric() || ch == '_',
        ClassItem::Space => matches!(ch, ' ' | '\t' | '\n' | '\r' | '\x0c'),
    })
}

/// Match `seq` at `at`, then call `k` with the end position (continuation-passing, so that
/// repetitions and groups backtrack into what follows them).
fn match_seq(seq: &[Piece], text: &[char], at: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
    let Some((piece, rest)) = seq.split_first() else {
        return k(at);
    };
    match piece.repeat {
        Repeat::One => match_atom(&piece.atom, text, at, &mut |next| {
            match_seq(rest, text, next, k)
        }),
        Repeat::Optional => {
            match_atom(&piece.atom, text, at, &mut |next| {
                match_seq(rest, text, next, k)
            }) || match_seq(rest, text, at, k)
        }
        Repeat::Star => match_star(piece, rest, text, at, k),
        Repeat::Plus => match_atom(&piece.atom, text, at, &mut |next| {
            next != at && match_star(piece, rest, text, next, k)
        }),
    }
}

/// Greedy `atom*` then `rest`; an empty iteration ends the loop (no infinite recursion).
fn match_star(
    piece: &Piece,
    rest: &[Piece],
    text: &[char],
    at: usize,
    k: &mut dyn FnMut(usize) -> bool,
) -> bool {
    match_atom(&piece.atom, text, at, &mut |next| {
        next != at && match_star(piece, rest, text, next, k)
    }) || match_seq(rest, text, at, k)
}

fn match_atom(atom: &Atom, text: &[char], at: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
    match atom {
        Atom::Start => at == 0 && k(at),
        Atom::End => at == text.len() && k(at),
        Atom::Group(alts) => alts.iter().any(|alt| match_seq(alt, text, at, k)),
        Atom::Char(c) => text.get(at) == Some(c) && k(at + 1),
        Atom::Any => text.get(at).is_some_and(|&c| c != '\n') && k(at + 1),
        Atom::Class { negate, items } => {
            text.get(at)
                .is_some_and(|&c| class_has(items, c) != *negate)
                && k(at + 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Regex;

    fn m(p: &str, s: &str) -> bool {
        Regex::new(p).unwrap().is_match(s)
    }

    #[test]
    fn matches_like_go_regexp() {
        assert!(m("fo", "foo"));
        assert!(m("oo", "foo"));
        assert!(m("f*", "bar"));
        assert!(m("^f", "foo"));
        assert!(!m("^f", "off"));
        assert!(m("o$", "foo"));
        assert!(!m("^fo$", "foo"));
        assert!(m("^fo+$", "foooo"));
        assert!(m("^f.o$", "fxo"));
        assert!(m("^[a-c]+\\d?$", "abc1"));
        assert!(!m("^[^a-c]", "abc"));
        assert!(m("^(web|db)-[0-9]+$", "db-12"));
        assert!(!m("^(web|db)-[0-9]+$", "cache-1"));
        assert!(m("a|^z", "zzz"));
        assert!(m("^a\\.b$", "a.b"));
        assert!(!m("^a\\.b$", "axb"));
        assert!(m("^(a*)*$", "aaa"));
        assert!(m("^x(ab)?y$", "xy"));
        assert!(m("", "anything"));
    }

    #[test]
    fn bad_patterns_are_errors() {
        for p in ["*a", "(a", "a)", "[a", "a\\"] {
            assert!(Regex::new(p).is_err(), "{p}");
        }
    }
}
