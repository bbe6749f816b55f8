//! BuildKit's `Node.Dump` format, with Go's string quoting and lowercasing.

use std::fmt::Write;

use super::{Args, Instruction, printable};

/// `keyword ["--flag" …] "arg" …`, a nested instruction in parentheses.
pub(super) fn instruction(instruction: &Instruction) -> String {
    let mut out = go_lower(&instruction.keyword);
    if !instruction.flags.is_empty() {
        let flags: Vec<String> = instruction.flags.iter().map(|f| go_quote(f)).collect();
        let _ = write!(out, " [{}]", flags.join(" "));
    }
    match &instruction.args {
        Args::Words(words) => {
            for word in words {
                out.push(' ');
                out.push_str(&go_quote(word));
            }
        }
        Args::Nested(inner) => {
            let _ = write!(out, " ({})", self::instruction(inner));
        }
    }
    out
}

/// Go's `strings.ToLower`: rune by rune, without the context rules (final sigma) of
/// `str::to_lowercase`; the one rune that lowercases to two (U+0130) becomes `i`, as in Go.
pub(super) fn go_lower(s: &str) -> String {
    s.chars()
        .map(|c| c.to_lowercase().next().unwrap_or(c))
        .collect()
}

/// Go's `strconv.Quote`: printable runes (Go's `IsPrint`, non-ASCII included) as they are,
/// `"` and `\` backslashed, C escapes where Go has them, else `\x`, `\u` or `\U`.
pub(super) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_escaped(&mut out, c);
    }
    out.push('"');
    out
}

fn push_escaped(out: &mut String, c: char) {
    if c == '"' || c == '\\' {
        out.push('\\');
        out.push(c);
        return;
    }
    if printable::is_print(c) {
        out.push(c);
        return;
    }
    let code = u32::from(c);
    let _ = match c {
        '\x07' => write!(out, "\\a"),
        '\x08' => write!(out, "\\b"),
        '\x0c' => write!(out, "\\f"),
        '\n' => write!(out, "\\n"),
        '\r' => write!(out, "\\r"),
        '\t' => write!(out, "\\t"),
        '\x0b' => write!(out, "\\v"),
        _ if code < 0x20 || code == 0x7f => write!(out, "\\x{code:02x}"),
        _ if code < 0x10000 => write!(out, "\\u{code:04x}"),
        _ => write!(out, "\\U{code:08x}"),
    };
}
