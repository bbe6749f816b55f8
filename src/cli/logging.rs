//! A tiny stderr logger in logrus's shape (`WARN[0000] message`), the shape Podman users
//! already grep for. `--log-level` picks the threshold.

use std::io::Write;
use std::sync::OnceLock;
use std::time::Instant;

use log::{Level, LevelFilter, Log, Metadata, Record};

struct StderrLogger {
    start: Instant,
}

static LOGGER: OnceLock<StderrLogger> = OnceLock::new();

impl Log for StderrLogger {
    fn enabled(&self, m: &Metadata) -> bool {
        // The HTTP and TLS crates log every request at debug: keep them for trace.
        let chatty = ["ureq", "rustls"].iter().any(|c| m.target().starts_with(c));
        if chatty && m.level() > Level::Info {
            return log::max_level() == LevelFilter::Trace;
        }
        m.level() <= log::max_level()
    }

    fn log(&self, r: &Record) {
        if !self.enabled(r.metadata()) {
            return;
        }
        let tag = match r.level() {
            Level::Error => "ERRO",
            Level::Warn => "WARN",
            Level::Info => "INFO",
            Level::Debug => "DEBU",
            Level::Trace => "TRAC",
        };
        let secs = self.start.elapsed().as_secs();
        let _ = writeln!(std::io::stderr().lock(), "{tag}[{secs:04}] {}", r.args());
    }

    fn flush(&self) {}
}

/// Podman's level names; "warning", "fatal" and "panic" are accepted as logrus does.
pub fn parse_level(s: &str) -> Option<LevelFilter> {
    Some(match s.to_ascii_lowercase().as_str() {
        "trace" => LevelFilter::Trace,
        "debug" => LevelFilter::Debug,
        "info" => LevelFilter::Info,
        "warn" | "warning" => LevelFilter::Warn,
        "error" | "fatal" | "panic" => LevelFilter::Error,
        _ => return None,
    })
}

pub fn init(level: LevelFilter) {
    let logger = LOGGER.get_or_init(|| StderrLogger {
        start: Instant::now(),
    });
    let _ = log::set_logger(logger);
    log::set_max_level(level);
}
