//! BuildKit's `Node.Dump` format, with Go's string quoting and lowercasing.

use std::fmt::Write;

pub(super) use crate::format::go_quote;

use super::{Args, Instruction};

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
