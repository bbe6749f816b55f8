//! Small interactions shared by commands: the y/N confirmation Podman asks before pruning,
//! and Go's duration syntax (`1h30m`) that time filters take.

use std::io::{BufRead, IsTerminal, Write};
use std::time::Duration;

use anyhow::Result;

/// Print `warning` and ask `Are you sure you want to continue? [y/N]`; no answer (end of
/// input) means no, as a script without -f should not delete anything.
pub fn confirm(warning: &str) -> Result<bool> {
    let mut out = std::io::stdout().lock();
    if !warning.is_empty() {
        writeln!(out, "{warning}")?;
    }
    write!(out, "Are you sure you want to continue? [y/N] ")?;
    out.flush()?;
    drop(out);
    let mut line = String::new();
    let stdin = std::io::stdin();
    if stdin.lock().read_line(&mut line)? == 0 && !stdin.is_terminal() {
        println!();
    }
    Ok(matches!(line.trim(), "y" | "Y" | "yes" | "Yes"))
}

/// Go's time.ParseDuration for non-negative values: `300ms`, `1.5h`, `2h45m`, `0`.
pub fn parse_go_duration(text: &str) -> Option<Duration> {
    let text = text.strip_prefix('+').unwrap_or(text);
    if text == "0" {
        return Some(Duration::ZERO);
    }
    if text.is_empty() {
        return None;
    }
    let mut rest = text;
    let mut total = 0f64;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..number_len];
        if number.is_empty() || number == "." {
            return None;
        }
        let value: f64 = number.parse().ok()?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += value * scale;
    }
    Duration::try_from_secs_f64(total).ok()
}
