//! The part of Go's `regexp` syntax (RE2 with Perl flags, as `regexp.Compile` parses it) that
//! a translated .dockerignore pattern can contain, and a matcher for it.
//!
//! Docker's patternmatcher turns a pattern into a Go regular expression and lets Go decide.
//! The translation passes character classes, backslash escapes and `^` through unchanged, so
//! those follow Go's regexp rules, not glob rules: `[[:digit:]]` is a POSIX class, `\d` an
//! ASCII digit, `\b` an ASCII word boundary, `\Q...\E` quotes, and `[*]` becomes `[[^/]*]`,
//! the class `[[^/]` repeated, then a literal `]`. The `regex` crate differs from Go here
//! (Unicode-aware `\d`, `\w` and `\b`, no `\Q`), so we parse Go's syntax ourselves and run it
//! as a Pike VM (a Thompson NFA simulation): linear in the path length, as Go's matcher is,
//! whatever the pattern.
//!
//! Refused with an error: Unicode classes (`\pL`, `\p{Greek}`), which would need the Unicode
//! tables, and syntax the translation never emits because it escapes `(`, `|` and `{`
//! (flags, alternation, counted repetition).

use anyhow::{Result, anyhow, bail};

const MAX_RUNE: u32 = 0x10FFFF;

/// Inclusive code point ranges.
type Ranges = Vec<(u32, u32)>;

/// A compiled expression.
#[derive(Debug)]
pub struct Regexp {
    program: Vec<Inst>,
}

#[derive(Debug, Clone, Copy)]
enum Assertion {
    BeginText,
    EndText,
    WordBoundary,
    NotWordBoundary,
}

/// A set of code points: inclusive ranges, then negation.
#[derive(Debug)]
struct CharClass {
    ranges: Ranges,
    negated: bool,
}

impl CharClass {
    fn contains(&self, c: char) -> bool {
        let c = c as u32;
        self.ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != self.negated
    }
}

#[derive(Debug, Clone, Copy)]
enum Repeat {
    Star,
    Plus,
    Quest,
}

#[derive(Debug)]
enum Node {
    // A code point rather than a char: `\x{D800}` is accepted by Go and matches nothing.
    Literal(u32),
    AnyButNewline,
    Class(CharClass),
    Assert(Assertion),
    Group(Vec<Node>),
    Repeat(Box<Node>, Repeat),
}

#[derive(Debug)]
enum Inst {
    Literal(u32),
    AnyButNewline,
    Class(CharClass),
    Assert(Assertion),
    Split(usize, usize),
    Jump(usize),
    Match,
}

impl Regexp {
    /// Parses `expr` as Go's `regexp.Compile` would, or says why Go would refuse it.
    pub fn compile(expr: &str) -> Result<Regexp> {
        let mut program = Vec::new();
        for node in parse(expr)? {
            emit(node, &mut program);
        }
        program.push(Inst::Match);
        Ok(Regexp { program })
    }

    /// Go's `MatchString`: whether the expression matches anywhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.run(text, false)
    }

    /// Whether some text starting with `prefix` might match. Never a false "no": the walk
    /// relies on it to skip whole directories.
    pub fn may_match_with_prefix(&self, prefix: &str) -> bool {
        self.run(prefix, true)
    }

    /// The Pike VM. With `open_end`, the text is only a prefix: at its end the next character
    /// is unknown, so assertions about it are taken as possibly true, and any thread still
    /// alive means a match is possible.
    fn run(&self, text: &str, open_end: bool) -> bool {
        let chars: Vec<char> = text.chars().collect();
        let at = |i: usize| Position {
            prev: i.checked_sub(1).and_then(|j| chars.get(j).copied()),
            next: chars.get(i).copied(),
            open_end: open_end && i == chars.len(),
        };
        let mut seen = vec![false; self.program.len()];
        let mut threads = Vec::new();
        self.add_thread(&mut threads, &mut seen, 0, at(0));
        for i in 0..=chars.len() {
            if threads
                .iter()
                .any(|&pc| matches!(self.program[pc], Inst::Match))
            {
                return true;
            }
            let Some(&c) = chars.get(i) else { break };
            seen.fill(false);
            let mut next = Vec::new();
            for &pc in &threads {
                if self.consumes(pc, c) {
                    self.add_thread(&mut next, &mut seen, pc + 1, at(i + 1));
                }
            }
            // MatchString searches: a match may start anywhere (our expressions begin
            // with `^`, so in practice only at 0).
            self.add_thread(&mut next, &mut seen, 0, at(i + 1));
            threads = next;
        }
        open_end && !threads.is_empty()
    }

    fn consumes(&self, pc: usize, c: char) -> bool {
        match &self.program[pc] {
            Inst::Literal(l) => c as u32 == *l,
            Inst::AnyButNewline => c != '\n',
            Inst::Class(class) => class.contains(c),
            _ => false,
        }
    }

    /// Follows jumps, splits and assertions from `pc`, adding the instructions that consume
    /// a character (or match) to `threads`, each once.
    fn add_thread(&self, threads: &mut Vec<usize>, seen: &mut [bool], pc: usize, at: Position) {
        let mut stack = vec![pc];
        while let Some(pc) = stack.pop() {
            if std::mem::replace(&mut seen[pc], true) {
                continue;
            }
            match &self.program[pc] {
                Inst::Split(a, b) => stack.extend([*b, *a]),
                Inst::Jump(a) => stack.push(*a),
                Inst::Assert(a) => {
                    if at.allows(*a) {
                        stack.push(pc + 1);
                    }
                }
                _ => threads.push(pc),
            }
        }
    }
}

#[derive(Clone, Copy)]
struct Position {
    prev: Option<char>,
    next: Option<char>,
    open_end: bool,
}

impl Position {
    fn allows(&self, assertion: Assertion) -> bool {
        match assertion {
            Assertion::BeginText => self.prev.is_none(),
            _ if self.open_end => true,
            Assertion::EndText => self.next.is_none(),
            Assertion::WordBoundary => is_word(self.prev) != is_word(self.next),
            Assertion::NotWordBoundary => is_word(self.prev) == is_word(self.next),
        }
    }
}

/// Go's `\b` is ASCII: [0-9A-Za-z_].
fn is_word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn emit(node: Node, program: &mut Vec<Inst>) {
    match node {
        Node::Literal(c) => program.push(Inst::Literal(c)),
        Node::AnyButNewline => program.push(Inst::AnyButNewline),
        Node::Class(class) => program.push(Inst::Class(class)),
        Node::Assert(a) => program.push(Inst::Assert(a)),
        Node::Group(nodes) => nodes.into_iter().for_each(|n| emit(n, program)),
        Node::Repeat(sub, Repeat::Star) => {
            let split = program.len();
            program.push(Inst::Match); // placeholder for the split
            emit(*sub, program);
            program.push(Inst::Jump(split));
            program[split] = Inst::Split(split + 1, program.len());
        }
        Node::Repeat(sub, Repeat::Plus) => {
            let start = program.len();
            emit(*sub, program);
            program.push(Inst::Split(start, program.len() + 1));
        }
        Node::Repeat(sub, Repeat::Quest) => {
            let split = program.len();
            program.push(Inst::Match); // placeholder for the split
            emit(*sub, program);
            program[split] = Inst::Split(split + 1, program.len());
        }
    }
}

/// Go's `regexp/syntax` parser, for the constructs above.
fn parse(expr: &str) -> Result<Vec<Node>> {
    // The sequences of the open groups, innermost last.
    let mut groups: Vec<Vec<Node>> = vec![Vec::new()];
    let mut t = expr;
    let mut after_repeat = false;
    while let Some(c) = t.chars().next() {
        let mut repeated = false;
        let rest = &t[c.len_utf8()..];
        t = match c {
            '(' if rest.starts_with('?') => bail!("flags and named groups are not supported"),
            '(' => {
                groups.push(Vec::new());
                rest
            }
            ')' => {
                let inner = groups.pop().unwrap_or_default();
                let Some(outer) = groups.last_mut() else {
                    bail!("unexpected ): `{expr}`")
                };
                outer.push(Node::Group(inner));
                rest
            }
            // Never produced: the translation escapes these.
            '|' | '{' => bail!("`{c}` is not supported"),
            '*' | '+' | '?' => {
                let kind = match c {
                    '*' => Repeat::Star,
                    '+' => Repeat::Plus,
                    _ => Repeat::Quest,
                };
                // A trailing `?` makes it non-greedy: the same set of matches.
                let rest = rest.strip_prefix('?').unwrap_or(rest);
                if after_repeat {
                    bail!("invalid nested repetition operator: `{c}`");
                }
                let seq = innermost(&mut groups);
                let Some(sub) = seq.pop() else {
                    bail!("missing argument to repetition operator: `{c}`")
                };
                seq.push(Node::Repeat(Box::new(sub), kind));
                repeated = true;
                rest
            }
            '^' => push(&mut groups, Node::Assert(Assertion::BeginText), rest),
            '$' => push(&mut groups, Node::Assert(Assertion::EndText), rest),
            '.' => push(&mut groups, Node::AnyButNewline, rest),
            '[' => {
                let (class, rest) = parse_class(t)?;
                push(&mut groups, Node::Class(class), rest)
            }
            '\\' => parse_backslash(t, innermost(&mut groups))?,
            _ => push(&mut groups, Node::Literal(c as u32), rest),
        };
        after_repeat = repeated;
    }
    match groups.pop() {
        Some(seq) if groups.is_empty() => Ok(seq),
        _ => bail!("missing closing ): `{expr}`"),
    }
}

fn innermost(groups: &mut Vec<Vec<Node>>) -> &mut Vec<Node> {
    if groups.is_empty() {
        groups.push(Vec::new());
    }
    let last = groups.len() - 1;
    &mut groups[last]
}

fn push<'a>(groups: &mut Vec<Vec<Node>>, node: Node, rest: &'a str) -> &'a str {
    innermost(groups).push(node);
    rest
}

/// A backslash outside a class: an assertion, `\Q...\E`, a Perl class or an escaped
/// character. Returns the text after it.
fn parse_backslash<'a>(t: &'a str, seq: &mut Vec<Node>) -> Result<&'a str> {
    let assertion = match t.as_bytes().get(1) {
        Some(b'A') => Some(Assertion::BeginText),
        Some(b'z') => Some(Assertion::EndText),
        Some(b'b') => Some(Assertion::WordBoundary),
        Some(b'B') => Some(Assertion::NotWordBoundary),
        Some(b'C') => bail!("invalid escape sequence: `\\C`"),
        _ => None,
    };
    if let Some(a) = assertion {
        seq.push(Node::Assert(a));
        return Ok(&t[2..]);
    }
    if let Some(body) = t.strip_prefix("\\Q") {
        let (quoted, rest) = body.split_once("\\E").unwrap_or((body, ""));
        seq.extend(quoted.chars().map(|c| Node::Literal(c as u32)));
        return Ok(rest);
    }
    if let Some((ranges, rest)) = perl_class(t)? {
        seq.push(Node::Class(CharClass {
            ranges,
            negated: false,
        }));
        return Ok(rest);
    }
    let (c, rest) = parse_escape(t)?;
    seq.push(Node::Literal(c));
    Ok(rest)
}

/// A bracketed class, `s` starting at its `[`. Go's rules with Perl flags: `]` first is a
/// literal, `-` is a literal where it cannot make a range, `[:name:]` is a POSIX class.
fn parse_class(s: &str) -> Result<(CharClass, &str)> {
    let mut t = &s[1..];
    let negated = match t.strip_prefix('^') {
        Some(rest) => {
            t = rest;
            true
        }
        None => false,
    };
    let mut ranges = Vec::new();
    let mut first = true;
    while first || !t.starts_with(']') {
        first = false;
        if t.len() > 2
            && t.starts_with("[:")
            && let Some((group, rest)) = posix_class(t)?
        {
            ranges.extend(group);
            t = rest;
            continue;
        }
        if let Some((group, rest)) = perl_class(t)? {
            ranges.extend(group);
            t = rest;
            continue;
        }
        let before = t;
        let (lo, rest) = class_char(t, s)?;
        t = rest;
        let mut hi = lo;
        if let Some(after_dash) = t.strip_prefix('-')
            && !after_dash.is_empty()
            && !after_dash.starts_with(']')
        {
            let (h, rest) = class_char(after_dash, s)?;
            t = rest;
            if h < lo {
                let text = &before[..before.len() - t.len()];
                bail!("invalid character class range: `{text}`");
            }
            hi = h;
        }
        ranges.push((lo, hi));
    }
    Ok((CharClass { ranges, negated }, &t[1..]))
}

fn class_char<'a>(t: &'a str, class: &str) -> Result<(u32, &'a str)> {
    match t.chars().next() {
        None => bail!("missing closing ]: `{class}`"),
        Some('\\') => parse_escape(t),
        Some(c) => Ok((c as u32, &t[c.len_utf8()..])),
    }
}

/// `[:alpha:]` and the other POSIX classes (ASCII, as in Go), `[:^alpha:]` negated. None if
/// `t` has no `:]` at all, in which case the `[` is an ordinary character.
fn posix_class(t: &str) -> Result<Option<(Ranges, &str)>> {
    let Some(i) = t[2..].find(":]") else {
        return Ok(None);
    };
    let (name, rest) = t.split_at(i + 4);
    let inner = &name[2..name.len() - 2];
    let (negate, key) = match inner.strip_prefix('^') {
        Some(key) => (true, key),
        None => (false, inner),
    };
    let ranges: &[(u32, u32)] = match key {
        "alnum" => &[(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)],
        "alpha" => &[(0x41, 0x5A), (0x61, 0x7A)],
        "ascii" => &[(0x00, 0x7F)],
        "blank" => &[(0x09, 0x09), (0x20, 0x20)],
        "cntrl" => &[(0x00, 0x1F), (0x7F, 0x7F)],
        "digit" => &[(0x30, 0x39)],
        "graph" => &[(0x21, 0x7E)],
        "lower" => &[(0x61, 0x7A)],
        "print" => &[(0x20, 0x7E)],
        "punct" => &[(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)],
        "space" => &[(0x09, 0x0D), (0x20, 0x20)],
        "upper" => &[(0x41, 0x5A)],
        "word" => &[(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)],
        "xdigit" => &[(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)],
        _ => bail!("invalid character class range: `{name}`"),
    };
    Ok(Some((group(ranges, negate), rest)))
}

/// `\d`, `\s`, `\w` and their negations `\D`, `\S`, `\W` (ASCII, as in Go).
fn perl_class(t: &str) -> Result<Option<(Ranges, &str)>> {
    let b = t.as_bytes();
    if b.len() < 2 || b[0] != b'\\' {
        return Ok(None);
    }
    const DIGIT: &[(u32, u32)] = &[(0x30, 0x39)];
    const SPACE: &[(u32, u32)] = &[(0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)];
    const WORD: &[(u32, u32)] = &[(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)];
    let (ranges, negate) = match b[1] {
        b'd' => (DIGIT, false),
        b'D' => (DIGIT, true),
        b's' => (SPACE, false),
        b'S' => (SPACE, true),
        b'w' => (WORD, false),
        b'W' => (WORD, true),
        b'p' | b'P' => bail!("Unicode character classes (\\p, \\P) are not supported"),
        _ => return Ok(None),
    };
    Ok(Some((group(ranges, negate), &t[2..])))
}

/// `ranges` (sorted, disjoint), or their complement.
fn group(ranges: &[(u32, u32)], negate: bool) -> Ranges {
    if !negate {
        return ranges.to_vec();
    }
    let mut out = Vec::new();
    let mut next = 0;
    for &(lo, hi) in ranges {
        if lo > next {
            out.push((next, lo - 1));
        }
        next = hi + 1;
    }
    if next <= MAX_RUNE {
        out.push((next, MAX_RUNE));
    }
    out
}

/// Go's `parseEscape`: `t` starts with a backslash; returns the code point and the rest.
fn parse_escape(t: &str) -> Result<(u32, &str)> {
    let mut chars = t[1..].chars();
    let Some(c) = chars.next() else {
        bail!("trailing backslash at end of expression")
    };
    let rest = chars.as_str();
    let is_octal = |s: &str| {
        s.as_bytes()
            .first()
            .is_some_and(|b| (b'0'..=b'7').contains(b))
    };
    let value = match c {
        // A lone \1..\7 would be a backreference, which Go does not support.
        '1'..='7' if !is_octal(rest) => None,
        '0'..='7' => {
            // Up to two more octal digits.
            let mut value = c as u32 - '0' as u32;
            let mut rest = rest;
            for _ in 0..2 {
                if !is_octal(rest) {
                    break;
                }
                value = value * 8 + u32::from(rest.as_bytes()[0] - b'0');
                rest = &rest[1..];
            }
            Some((value, rest))
        }
        'x' => hex_escape(rest),
        'a' => Some((0x07, rest)),
        'f' => Some((0x0C, rest)),
        'n' => Some((0x0A, rest)),
        'r' => Some((0x0D, rest)),
        't' => Some((0x09, rest)),
        'v' => Some((0x0B, rest)),
        // Escaped punctuation is itself.
        c if c.is_ascii() && !c.is_ascii_alphanumeric() => Some((c as u32, rest)),
        _ => None,
    };
    value.ok_or_else(|| anyhow!("invalid escape sequence: `\\{c}`"))
}

/// After `\x`: two hex digits, or any number of them in braces.
fn hex_escape(t: &str) -> Option<(u32, &str)> {
    let mut chars = t.chars();
    let c = chars.next()?;
    if c != '{' {
        let high = c.to_digit(16)?;
        let low = chars.next()?.to_digit(16)?;
        return Some((high * 16 + low, chars.as_str()));
    }
    let body = chars.as_str();
    let end = body.find('}')?;
    let digits = &body[..end];
    if digits.is_empty() {
        return None;
    }
    let mut value = 0;
    for d in digits.chars() {
        value = value * 16 + d.to_digit(16)?;
        if value > MAX_RUNE {
            return None;
        }
    }
    Some((value, &body[end + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn re(expr: &str) -> Regexp {
        Regexp::compile(expr).unwrap_or_else(|e| panic!("{expr}: {e:#}"))
    }

    #[test]
    fn translated_shapes_match_like_go() {
        let r = re(r"^(.*/)?dir2/[^/]*$");
        assert!(r.is_match("dir2/x"));
        assert!(r.is_match("a/b/dir2/x"));
        assert!(!r.is_match("a/dir2/x/y"));
        assert!(!r.is_match("adir2/x"));
        let r = re(r"^(.*/)?.*$");
        assert!(r.is_match(""));
        assert!(r.is_match("a/b"));
        // `.` stops at a newline, a negated class does not.
        assert!(!re("^a.b$").is_match("a\nb"));
        assert!(re("^a[^/]b$").is_match("a\nb"));
    }

    #[test]
    fn classes_follow_go_syntax() {
        // `[*]` from a pattern becomes `[[^/]*]`: the class {[, ^, /} repeated, then `]`.
        let r = re(r"^[[^/]*]$");
        assert!(r.is_match("]"));
        assert!(r.is_match("[^/]"));
        assert!(!r.is_match("*]"));
        assert!(re("^[[:digit:]x]$").is_match("7"));
        assert!(re("^[[:^digit:]]$").is_match("a"));
        assert!(!re("^[[:^digit:]]$").is_match("7"));
        assert!(re(r"^[\d-]$").is_match("-"));
        assert!(re(r"^[]a]$").is_match("]"));
        assert!(re(r"^[a-]$").is_match("-"));
        assert!(re(r"^[^\x{41}-\x5A]$").is_match("a"));
        assert!(!re(r"^[^\x{41}-\x5A]$").is_match("Q"));
        assert!(re(r"^\d\s\w$").is_match("1 _"));
        assert!(!re(r"^\d$").is_match("٣")); // ASCII only, as in Go
    }

    #[test]
    fn escapes_and_assertions() {
        assert!(re(r"^a\*b$").is_match("a*b"));
        assert!(re(r"^\Qa*b$").is_match("a*b$"));
        assert!(re(r"^\Q.*\E.$").is_match(".*x"));
        assert!(re(r"^a\tb\101$").is_match("a\tbA"));
        assert!(re(r"^\bfoo\b$").is_match("foo"));
        assert!(!re(r"^a\bb$").is_match("ab"));
        assert!(re(r"^a\Bb$").is_match("ab"));
        // `^` in the middle is begin-of-text: it never matches after a character.
        assert!(!re("^a^b$").is_match("ab"));
        assert!(re("^^*a$").is_match("a"));
        // Unanchored search, as MatchString.
        assert!(re("b").is_match("abc"));
    }

    #[test]
    fn refuses_what_go_refuses() {
        for bad in [
            r"\e",
            r"\1",
            r"\x",
            r"\x{}",
            r"\x{110000}",
            r"[z-a]",
            r"[[:foo:]]",
            r"[a",
            r"a**",
            r"*a",
            r"(a",
            r"a)",
            r"\C",
            r"\",
            r"\pL",
        ] {
            assert!(Regexp::compile(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn prefix_feasibility() {
        let r = re(r"^(.*/)?keep$");
        assert!(r.may_match_with_prefix("a/b/"));
        let r = re(r"^src/[^/]*\.go$");
        assert!(r.may_match_with_prefix("src/"));
        assert!(!r.may_match_with_prefix("vendor/"));
        assert!(!r.may_match_with_prefix("src/a/"));
        // `$` right after the prefix cannot be ruled out by the prefix alone.
        assert!(re(r"^a/$").may_match_with_prefix("a/"));
    }
}
