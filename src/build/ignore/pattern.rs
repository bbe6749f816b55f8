//! One ignore pattern, compiled as Docker's patternmatcher compiles it (`Pattern.compile`):
//! the pattern is scanned once into a Go regular expression, and three shapes get a plain
//! string test instead, with their quirks kept:
//!
//! - no `*`, `?`, `[`, `]` or `\`: the path must equal the pattern;
//! - such a pattern ending in `**` (`dir/**`): the path must start with what comes before
//!   the `**` (so `dir/**` does not match `dir` itself);
//! - a pattern starting with `**` and otherwise plain (`**/name`, `**name`): the path must end
//!   with what follows the `**`, or equal it without its leading `/` (so `**file` matches
//!   `xfile`).
//!
//! In the expression `*` is `[^/]*`, `?` is `[^/]`, `**` is `(.*/)?` (so `**/` is `**`),
//! a final `**` is `.*`, `.+()|{}$` are literal, and a backslash keeps the next character
//! as a regexp escape; `[`, `]` and `^` pass through to the regexp syntax.

use anyhow::{Result, anyhow};

use super::filepath;
use super::regexp::Regexp;

/// A compiled pattern of an ignore file.
#[derive(Debug)]
pub struct Pattern {
    text: String,
    exception: bool,
    matcher: Matcher,
}

#[derive(Debug)]
enum Matcher {
    Exact,
    Prefix(Vec<u8>),
    Suffix(Vec<u8>),
    Regexp(Regexp),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Exact,
    Prefix,
    Suffix,
    Regexp,
}

impl Pattern {
    /// Compiles one cleaned pattern (without its `!`). It must pass Go's `filepath.Match`
    /// syntax check, and its expression must compile.
    pub(super) fn new(text: String, exception: bool) -> Result<Pattern> {
        filepath::go_match(&text, ".")?;
        let (shape, expr) = translate(&text);
        // The prefix and suffix are cut by bytes, as Go does; a leading byte order mark
        // (which Go's scanner skips) can leave them not valid UTF-8.
        let bytes = text.as_bytes();
        let matcher =
            match shape {
                Shape::Exact => Matcher::Exact,
                Shape::Prefix => Matcher::Prefix(bytes[..bytes.len().saturating_sub(2)].to_vec()),
                Shape::Suffix => Matcher::Suffix(bytes.get(2..).unwrap_or_default().to_vec()),
                Shape::Regexp => Matcher::Regexp(Regexp::compile(&expr).map_err(|e| {
                    anyhow!("{e:#} (in the Go regexp `{expr}` Docker compiles it to)")
                })?),
            };
        Ok(Pattern {
            text,
            exception,
            matcher,
        })
    }

    /// The cleaned pattern, without the `!` of an exception.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether this is a `!` pattern, which re-includes what it matches (Go: Exclusion).
    pub fn is_exception(&self) -> bool {
        self.exception
    }

    /// Whether the pattern matches `path` itself (Go: Pattern.match).
    pub(super) fn matches(&self, path: &str) -> bool {
        let bytes = path.as_bytes();
        match &self.matcher {
            Matcher::Exact => path == self.text,
            Matcher::Prefix(prefix) => bytes.starts_with(prefix),
            Matcher::Suffix(suffix) => {
                bytes.ends_with(suffix)
                    || suffix.first() == Some(&b'/') && bytes == suffix.get(1..).unwrap_or_default()
            }
            Matcher::Regexp(re) => re.is_match(path),
        }
    }

    /// Whether the pattern might match some path inside directory `dir` (a path starting
    /// with `dir/`). Never a false "no".
    pub(super) fn may_match_below(&self, dir: &str) -> bool {
        let below = format!("{dir}/");
        match &self.matcher {
            Matcher::Exact => self.text.len() > below.len() && self.text.starts_with(&below),
            Matcher::Prefix(prefix) => {
                below.as_bytes().starts_with(prefix) || prefix.starts_with(below.as_bytes())
            }
            Matcher::Suffix(_) => true,
            Matcher::Regexp(re) => re.may_match_with_prefix(&below),
        }
    }
}

/// Regexp special characters that mean nothing in a glob: literal in the expression.
fn should_escape(c: char) -> bool {
    ".+()|{}$".contains(c)
}

/// patternmatcher's scan of a pattern: its shape and its Go regular expression.
fn translate(pattern: &str) -> (Shape, String) {
    let mut expr = String::from("^");
    let mut shape = Shape::Exact;
    // Go's text/scanner skips a byte order mark at the start.
    let body = pattern.strip_prefix('\u{FEFF}').unwrap_or(pattern);
    let mut chars = body.chars().peekable();
    let mut first = true;
    while let Some(c) = chars.next() {
        match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                chars.next_if_eq(&'/');
                if chars.peek().is_some() {
                    expr.push_str("(.*/)?");
                    shape = Shape::Regexp;
                } else if shape == Shape::Exact {
                    shape = Shape::Prefix;
                } else {
                    expr.push_str(".*");
                    shape = Shape::Regexp;
                }
                if first {
                    shape = Shape::Suffix;
                }
            }
            '*' => {
                expr.push_str("[^/]*");
                shape = Shape::Regexp;
            }
            '?' => {
                expr.push_str("[^/]");
                shape = Shape::Regexp;
            }
            c if should_escape(c) => {
                expr.push('\\');
                expr.push(c);
            }
            '\\' => match chars.next() {
                Some(next) => {
                    expr.push('\\');
                    expr.push(next);
                    shape = Shape::Regexp;
                }
                // Unreachable after the syntax check, kept as Go has it.
                None => expr.push('\\'),
            },
            '[' | ']' => {
                expr.push(c);
                shape = Shape::Regexp;
            }
            c => expr.push(c),
        }
        first = false;
    }
    if shape == Shape::Regexp {
        expr.push('$');
    }
    (shape, expr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translation_matches_patternmatcher() {
        // patternmatcher_test.go's compileTests (Unix column).
        let cases = [
            ("*", Shape::Regexp, r"^[^/]*$"),
            ("file*", Shape::Regexp, r"^file[^/]*$"),
            ("*file", Shape::Regexp, r"^[^/]*file$"),
            ("a*/b", Shape::Regexp, r"^a[^/]*/b$"),
            ("**", Shape::Suffix, ""),
            ("**/**", Shape::Regexp, r"^(.*/)?.*$"),
            ("dir/**", Shape::Prefix, ""),
            ("**/dir", Shape::Suffix, ""),
            ("**/dir2/*", Shape::Regexp, r"^(.*/)?dir2/[^/]*$"),
            ("**/dir2/**", Shape::Regexp, r"^(.*/)?dir2/.*$"),
            ("**file", Shape::Suffix, ""),
            ("**/file*txt", Shape::Regexp, r"^(.*/)?file[^/]*txt$"),
            ("**/**/*.txt", Shape::Regexp, r"^(.*/)?(.*/)?[^/]*\.txt$"),
            ("a[b-d]e", Shape::Regexp, r"^a[b-d]e$"),
            (".*", Shape::Regexp, r"^\.[^/]*$"),
            ("abc.def", Shape::Exact, ""),
            ("abc?def", Shape::Regexp, r"^abc[^/]def$"),
            ("**/foo/bar", Shape::Suffix, ""),
            ("a(b)c/def", Shape::Exact, ""),
            ("a.|)$(}+{bc", Shape::Exact, ""),
            (r"a\\", Shape::Regexp, r"^a\\$"),
            (r"a\*b", Shape::Regexp, r"^a\*b$"),
        ];
        for (pattern, shape, expr) in cases {
            let (got_shape, got_expr) = translate(pattern);
            assert_eq!(got_shape, shape, "{pattern}");
            if shape == Shape::Regexp {
                assert_eq!(got_expr, expr, "{pattern}");
            }
        }
    }

    #[test]
    fn quirks_are_kept() {
        let p = |t: &str| Pattern::new(t.to_string(), false).unwrap();
        assert!(p("**file").matches("xfile"));
        assert!(!p("dir/**").matches("dir"));
        assert!(p("dir/**").matches("dir/"));
        // A glob class of `*` becomes a regexp class that does not contain `*`.
        assert!(!p("[*]").matches("*"));
        assert!(p("[*]").matches("]"));
        // Glob reading: the class `[[:digit:]` then `]`; Go's regexp reads a POSIX class.
        assert!(p("[[:digit:]]").matches("7"));
        assert!(!p("[[:digit:]]").matches(":]"));
        assert!(p(r"\d").matches("7"));
        assert!(p("a^b").matches("a^b"));
        assert!(!p("a^b*").matches("a^b"));
    }

    #[test]
    fn refusals() {
        let err = |t: &str| Pattern::new(t.to_string(), false).unwrap_err();
        assert_eq!(err("a[").to_string(), "syntax error in pattern");
        assert!(format!("{:#}", err(r"\e")).contains("invalid escape sequence"));
        assert!(format!("{:#}", err("[z-a]")).contains("invalid character class range"));
    }
}
