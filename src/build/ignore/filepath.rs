//! Go's `path/filepath` functions that Docker's ignore rules are built on, for Unix:
//! `Match` (the glob syntax check every pattern must pass), `Clean` and `Dir`.
//!
//! Ported line by line rather than taken from a glob crate because the exact corners matter:
//! which patterns are a syntax error (`[]a]`, `[x-]`, a trailing `\`) decides whether Docker
//! accepts an ignore file at all, and `Match` works on bytes (a `*` may stop inside a UTF-8
//! sequence), which no Rust glob crate reproduces.

use std::fmt;

/// Go's `filepath.ErrBadPattern`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadPattern;

impl fmt::Display for BadPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("syntax error in pattern")
    }
}

impl std::error::Error for BadPattern {}

/// What Go's `utf8.DecodeRune` returns for bytes that do not start a valid sequence.
const RUNE_ERROR: u32 = 0xFFFD;

/// Go's `filepath.Match(pattern, name)` on Unix: whether `name` matches the shell pattern,
/// or `BadPattern`. The whole pattern is checked for syntax even when the match fails early.
pub fn go_match(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    let mut pattern = pattern.as_bytes();
    let mut name = name.as_bytes();
    'pattern: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            // A trailing `*` matches the rest of the name unless it has a `/`.
            return Ok(!name.contains(&b'/'));
        }
        if let Some(t) = match_chunk(chunk, name)? {
            // The last chunk must use up the name; an earlier one may leave a rest.
            if t.is_empty() || !pattern.is_empty() {
                name = t;
                continue;
            }
        }
        if star {
            // Let the star swallow 1, 2, ... bytes, never a `/`.
            let mut i = 0;
            while i < name.len() && name[i] != b'/' {
                // As before, only the last chunk must use up the name.
                if let Some(t) = match_chunk(chunk, &name[i + 1..])?
                    && (t.is_empty() || !pattern.is_empty())
                {
                    name = t;
                    continue 'pattern;
                }
                i += 1;
            }
        }
        check_rest(pattern)?;
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// Before answering "no match", Go checks that the rest of the pattern is well formed.
fn check_rest(mut pattern: &[u8]) -> Result<(), BadPattern> {
    while !pattern.is_empty() {
        let (_, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        match_chunk(chunk, b"")?;
    }
    Ok(())
}

/// Splits off the next chunk: optional leading stars, then everything up to the next star
/// outside a `[...]` class. Returns (had a star, chunk, rest).
fn scan_chunk(mut pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut star = false;
    while let Some((b'*', rest)) = pattern.split_first() {
        pattern = rest;
        star = true;
    }
    let mut in_range = false;
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            // An escape hides the next byte; a trailing `\` is reported by match_chunk.
            b'\\' if i + 1 < pattern.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    (star, &pattern[..i], &pattern[i..])
}

/// Matches a star-free chunk against the start of `s`: Some(rest of s) on a match, None on
/// a mismatch. After a mismatch the chunk is still parsed to the end, for syntax errors.
fn match_chunk<'a>(mut chunk: &[u8], mut s: &'a [u8]) -> Result<Option<&'a [u8]>, BadPattern> {
    let mut failed = false;
    while let Some(&op) = chunk.first() {
        if !failed && s.is_empty() {
            failed = true;
        }
        match op {
            b'[' => {
                let mut r = 0;
                if !failed {
                    let (rune, n) = decode_rune(s);
                    r = rune;
                    s = &s[n..];
                }
                let (matched, rest) = match_class(&chunk[1..], r)?;
                chunk = rest;
                if !matched {
                    failed = true;
                }
            }
            b'?' => {
                if !failed {
                    if s[0] == b'/' {
                        failed = true;
                    }
                    let (_, n) = decode_rune(s);
                    s = &s[n..];
                }
                chunk = &chunk[1..];
            }
            _ => {
                if op == b'\\' {
                    chunk = &chunk[1..];
                    if chunk.is_empty() {
                        return Err(BadPattern);
                    }
                }
                if !failed {
                    if chunk[0] != s[0] {
                        failed = true;
                    }
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    Ok(if failed { None } else { Some(s) })
}

/// Parses a class body (after the `[`) and tests rune `r` against it. Returns whether it
/// matched (negation applied) and the chunk after the closing `]`.
fn match_class(mut chunk: &[u8], r: u32) -> Result<(bool, &[u8]), BadPattern> {
    let mut negated = false;
    if let Some((b'^', rest)) = chunk.split_first() {
        negated = true;
        chunk = rest;
    }
    let mut matched = false;
    let mut ranges = 0;
    loop {
        if ranges > 0
            && let Some((b']', rest)) = chunk.split_first()
        {
            return Ok((matched != negated, rest));
        }
        let (lo, rest) = class_char(chunk)?;
        chunk = rest;
        let mut hi = lo;
        if let Some((b'-', rest)) = chunk.split_first() {
            let (h, rest) = class_char(rest)?;
            hi = h;
            chunk = rest;
        }
        if lo <= r && r <= hi {
            matched = true;
        }
        ranges += 1;
    }
}

/// Go's `getEsc`: one possibly escaped character of a class. An unescaped `-` or `]` here,
/// an invalid UTF-8 sequence, or reaching the end of the chunk is a syntax error.
fn class_char(chunk: &[u8]) -> Result<(u32, &[u8]), BadPattern> {
    let mut chunk = match chunk.first() {
        None | Some(b'-') | Some(b']') => return Err(BadPattern),
        Some(_) => chunk,
    };
    if chunk[0] == b'\\' {
        chunk = &chunk[1..];
        if chunk.is_empty() {
            return Err(BadPattern);
        }
    }
    let (r, n) = decode_rune(chunk);
    let rest = &chunk[n..];
    if (r == RUNE_ERROR && n == 1) || rest.is_empty() {
        return Err(BadPattern);
    }
    Ok((r, rest))
}

/// Go's `utf8.DecodeRune`: the first code point of `b` and its length; (RUNE_ERROR, 1) for
/// an invalid sequence, which a `*` can leave behind by stopping inside a character.
fn decode_rune(b: &[u8]) -> (u32, usize) {
    if b.is_empty() {
        return (RUNE_ERROR, 0);
    }
    let head = &b[..b.len().min(4)];
    let valid = match std::str::from_utf8(head) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default(),
    };
    match valid.chars().next() {
        Some(c) => (c as u32, c.len_utf8()),
        None => (RUNE_ERROR, 1),
    }
}

/// Go's `filepath.Clean` on Unix: the shortest equivalent path by lexical processing.
pub fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                // `..` at the root is the root; a relative path keeps its leading `..`s.
                _ if rooted => {}
                _ => parts.push(".."),
            },
            _ => parts.push(part),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// Go's `filepath.Dir`: everything before the last `/`, cleaned; "." when there is none.
pub fn dir(path: &str) -> String {
    match path.rfind('/') {
        Some(i) => clean(&path[..=i]),
        None => ".".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_follows_go() {
        // From Go's path/filepath match_test.go (which patternmatcher's table adapts).
        let cases: &[(&str, &str, Result<bool, BadPattern>)] = &[
            ("abc", "abc", Ok(true)),
            ("*", "abc", Ok(true)),
            ("a*", "ab/c", Ok(false)),
            ("a*/b", "abc/b", Ok(true)),
            ("a*/b", "a/c/b", Ok(false)),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/f", Ok(true)),
            ("a*b?c*x", "abxbbxdbxebxczzx", Ok(true)),
            ("ab[^e-g]", "abc", Ok(true)),
            ("a\\*b", "ab", Ok(false)),
            ("a?b", "a☺b", Ok(true)),
            ("a???b", "a☺b", Ok(false)),
            ("[a-ζ]*", "α", Ok(true)),
            ("[\\]a]", "]", Ok(true)),
            ("[]a]", "]", Err(BadPattern)),
            ("[x-]", "x", Err(BadPattern)),
            ("\\", "a", Err(BadPattern)),
            ("[a-b-c]", "a", Err(BadPattern)),
            ("a[", "ab", Err(BadPattern)),
            ("*x", "xxx", Ok(true)),
            // The syntax is checked past a failed match.
            ("x[", "a", Err(BadPattern)),
            ("a*[", "b", Err(BadPattern)),
        ];
        for (pattern, name, want) in cases {
            assert_eq!(
                go_match(pattern, name),
                *want,
                "Match({pattern:?}, {name:?})"
            );
        }
    }

    #[test]
    fn match_works_on_bytes_like_go() {
        // The star stops inside the three-byte '€', and each `?` takes one stray byte.
        assert_eq!(go_match("*??", "€"), Ok(true));
        assert_eq!(go_match("??", "€"), Ok(false));
    }

    #[test]
    fn clean_follows_go() {
        let cases = [
            ("", "."),
            (".", "."),
            ("a/./b/../c/", "a/c"),
            ("//a//b", "/a/b"),
            ("/../a", "/a"),
            ("../../a/..", "../.."),
            ("a/../..", ".."),
            ("!./foo", "!./foo"),
            ("/", "/"),
        ];
        for (input, want) in cases {
            assert_eq!(clean(input), want, "Clean({input:?})");
        }
        assert_eq!(dir("a/b/c"), "a/b");
        assert_eq!(dir("file"), ".");
        assert_eq!(dir("/file"), "/");
        assert_eq!(dir("dir/file/"), "dir/file");
    }
}
