//! Container logs in Podman's `k8s-file` format (what conmon writes), one entry per line:
//!
//! ```text
//! 2023-10-12T10:00:00.123456789+02:00 stdout F hello
//! ```
//!
//! RFC3339 with nine fraction digits and the local numeric offset, the stream, `F` for a full
//! line or `P` for a partial one (a chunk without its newline: output that ended without one,
//! or a line longer than [`MAX_PARTIAL`]), then the content without its newline. The reader
//! joins `P` entries with the `F` entry that completes them, as `podman logs` does.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// A container output stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    pub fn as_str(self) -> &'static str {
        match self {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
        }
    }

    fn index(self) -> usize {
        match self {
            Stream::Stdout => 0,
            Stream::Stderr => 1,
        }
    }

    fn parse(word: &[u8]) -> Option<Stream> {
        match word {
            b"stdout" => Some(Stream::Stdout),
            b"stderr" => Some(Stream::Stderr),
            _ => None,
        }
    }
}

/// A line longer than this is written as `P` entries of this size (conmon splits at its read
/// buffer size in the same way), so a writer never holds more than this per stream.
pub const MAX_PARTIAL: usize = 16 * 1024;

/// Entries are sent to the file once this much is collected (or at the end of a `write`).
const OUT_BUFFER: usize = 64 * 1024;

/// Appends output to a `k8s-file` log, line by line.
pub struct LogWriter {
    file: File,
    /// Bytes of an unfinished line, per stream.
    partial: [Vec<u8>; 2],
    /// The entries of one `write` call, sent to the file in one write(2).
    out: Vec<u8>,
}

impl LogWriter {
    /// Opens (creating it, mode 0600) the log file for appending.
    pub fn create(path: &Path) -> Result<LogWriter> {
        let file = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .mode(0o600)
            .open(path)
            .with_context(|| format!("opening log file {}", path.display()))?;
        Ok(LogWriter {
            file,
            partial: [Vec::new(), Vec::new()],
            out: Vec::new(),
        })
    }

    /// Logs `bytes` read from `stream`: each completed line becomes an `F` entry; the rest is
    /// kept until its newline arrives (or [`flush_partial`](Self::flush_partial)).
    pub fn write(&mut self, stream: Stream, bytes: &[u8]) -> Result<()> {
        let stamp = timestamp_now();
        let mut rest = bytes;
        while let Some(pos) = rest.iter().position(|&b| b == b'\n') {
            let (line, tail) = rest.split_at(pos);
            let partial = &mut self.partial[stream.index()];
            if partial.is_empty() {
                push_entry(&mut self.out, &stamp, stream, b'F', line);
            } else {
                partial.extend_from_slice(line);
                push_entry(&mut self.out, &stamp, stream, b'F', partial);
                partial.clear();
            }
            rest = &tail[1..];
            if self.out.len() >= OUT_BUFFER {
                self.write_out()?;
            }
        }
        let partial = &mut self.partial[stream.index()];
        partial.extend_from_slice(rest);
        while partial.len() >= MAX_PARTIAL {
            push_entry(&mut self.out, &stamp, stream, b'P', &partial[..MAX_PARTIAL]);
            partial.drain(..MAX_PARTIAL);
        }
        self.write_out()
    }

    /// Writes any unfinished lines as `P` entries (at the end of the output).
    pub fn flush_partial(&mut self) -> Result<()> {
        let stamp = timestamp_now();
        for stream in [Stream::Stdout, Stream::Stderr] {
            let partial = &mut self.partial[stream.index()];
            if !partial.is_empty() {
                push_entry(&mut self.out, &stamp, stream, b'P', partial);
                partial.clear();
            }
        }
        self.write_out()
    }

    fn write_out(&mut self) -> Result<()> {
        if self.out.is_empty() {
            return Ok(());
        }
        let result = self
            .file
            .write_all(&self.out)
            .context("writing the container log");
        self.out.clear();
        // A burst of output must not pin its buffer for the life of the monitor.
        self.out.shrink_to(OUT_BUFFER + 2 * MAX_PARTIAL);
        for partial in &mut self.partial {
            partial.shrink_to(MAX_PARTIAL);
        }
        result
    }
}

fn push_entry(out: &mut Vec<u8>, stamp: &str, stream: Stream, kind: u8, content: &[u8]) {
    out.extend_from_slice(stamp.as_bytes());
    out.push(b' ');
    out.extend_from_slice(stream.as_str().as_bytes());
    out.push(b' ');
    out.push(kind);
    out.push(b' ');
    out.extend_from_slice(content);
    out.push(b'\n');
}

/// Now, as conmon stamps log entries: nine fraction digits and the local numeric offset.
fn timestamp_now() -> String {
    Local::now().format("%Y-%m-%dT%H:%M:%S%.9f%:z").to_string()
}

/// A time as `podman logs -t` prints it: Go's RFC3339Nano (fraction without trailing zeros,
/// `Z` for a zero offset), in the offset the entry was written with.
pub fn format_log_time(time: &DateTime<FixedOffset>) -> String {
    let mut text = time.format("%Y-%m-%dT%H:%M:%S").to_string();
    let nanos = time.timestamp_subsec_nanos();
    if nanos != 0 {
        let fraction = format!("{nanos:09}");
        text.push('.');
        text.push_str(fraction.trim_end_matches('0'));
    }
    if time.offset().local_minus_utc() == 0 {
        text.push('Z');
    } else {
        text.push_str(&time.format("%:z").to_string());
    }
    text
}

/// What `skiff logs` prints.
#[derive(Clone, Debug, Default)]
pub struct LogOptions {
    /// Keep printing new output until the container stops.
    pub follow: bool,
    /// Only the last N lines (of those the time filters keep).
    pub tail: Option<usize>,
    /// Only lines logged strictly after this time.
    pub since: Option<DateTime<Utc>>,
    /// Only lines logged strictly before this time.
    pub until: Option<DateTime<Utc>>,
    /// Prefix each line with its time.
    pub timestamps: bool,
}

/// One logical line: a `F` entry with the `P` entries before it joined in, or a trailing
/// partial line (`full == false`).
#[derive(Debug)]
struct LogLine {
    time: DateTime<FixedOffset>,
    stream: Stream,
    content: Vec<u8>,
    full: bool,
}

/// One parsed entry of the file.
struct Entry<'a> {
    time: DateTime<FixedOffset>,
    stream: Stream,
    full: bool,
    content: &'a [u8],
}

fn parse_entry(line: &[u8]) -> Option<Entry<'_>> {
    let mut parts = line.splitn(4, |&b| b == b' ');
    let time = std::str::from_utf8(parts.next()?).ok()?;
    let time = DateTime::parse_from_rfc3339(time).ok()?;
    let stream = Stream::parse(parts.next()?)?;
    let full = match parts.next()? {
        b"F" => true,
        b"P" => false,
        _ => return None,
    };
    let content = parts.next().unwrap_or(b"");
    Some(Entry {
        time,
        stream,
        full,
        content,
    })
}

/// Turns entries into logical lines, joining partial entries per stream.
#[derive(Default)]
struct Assembler {
    partial: [Option<LogLine>; 2],
}

impl Assembler {
    fn push(&mut self, entry: Entry<'_>) -> Option<LogLine> {
        let slot = &mut self.partial[entry.stream.index()];
        let mut line = slot.take().unwrap_or_else(|| LogLine {
            time: entry.time,
            stream: entry.stream,
            content: Vec::new(),
            full: false,
        });
        line.time = entry.time;
        line.content.extend_from_slice(entry.content);
        if entry.full {
            line.full = true;
            return Some(line);
        }
        *slot = Some(line);
        None
    }

    /// The unfinished lines, at the end of the log.
    fn finish(&mut self) -> impl Iterator<Item = LogLine> + '_ {
        self.partial.iter_mut().filter_map(Option::take)
    }
}

/// Reads the log, applying the options, and prints each line's content: stdout lines to
/// `out`, stderr lines to `err`. With `follow`, keeps printing what is appended until
/// `is_running()` returns false and the file is drained. A log that does not exist (yet) is
/// empty.
pub fn read_logs(
    path: &Path,
    opts: &LogOptions,
    is_running: &dyn Fn() -> bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let mut printer = Printer { opts, out, err };
    let mut reader = LogReader::default();

    let Some(mut file) = open_log(path, opts.follow, is_running)? else {
        return Ok(());
    };
    let mut tail = opts.tail.map(|n| (n, VecDeque::with_capacity(n.min(4096))));
    let mut emit = |line: LogLine, printer: &mut Printer<'_>| -> Result<()> {
        if !printer.wanted(&line) {
            return Ok(());
        }
        match &mut tail {
            Some((0, _)) => Ok(()),
            Some((n, kept)) => {
                if kept.len() == *n {
                    kept.pop_front();
                }
                kept.push_back(line);
                Ok(())
            }
            None => printer.print(&line),
        }
    };

    // What is in the file now (the part `--tail` applies to).
    reader.read_available(&mut file, path, &mut |line| emit(line, &mut printer))?;
    if !opts.follow {
        reader.finish(&mut |line| emit(line, &mut printer))?;
    }
    if let Some((_, kept)) = tail.take() {
        for line in kept {
            printer.print(&line)?;
        }
    }
    if !opts.follow {
        return Ok(());
    }

    loop {
        let running = is_running();
        let got =
            reader.read_available(&mut file, path, &mut |line| printer.print_filtered(&line))?;
        if !running {
            // The writer is gone: what we just read was the last of it.
            return reader.finish(&mut |line| printer.print_filtered(&line));
        }
        if got == 0 {
            std::thread::sleep(FOLLOW_INTERVAL);
        }
    }
}

const FOLLOW_INTERVAL: Duration = Duration::from_millis(50);

/// Opens the log; when following, waits for it to appear while the container runs.
fn open_log(path: &Path, follow: bool, is_running: &dyn Fn() -> bool) -> Result<Option<File>> {
    loop {
        let running = follow && is_running();
        match File::open(path) {
            Ok(file) => return Ok(Some(file)),
            Err(e) if e.kind() == ErrorKind::NotFound => {
                if !running {
                    return Ok(None);
                }
                std::thread::sleep(FOLLOW_INTERVAL);
            }
            Err(e) => {
                return Err(e).with_context(|| format!("opening log file {}", path.display()));
            }
        }
    }
}

/// Reads entries from a growing file: keeps an incomplete last entry until its newline comes.
struct LogReader {
    buf: Vec<u8>,
    pending: Vec<u8>,
    assembler: Assembler,
}

impl Default for LogReader {
    fn default() -> LogReader {
        LogReader {
            buf: vec![0u8; 64 * 1024],
            pending: Vec::new(),
            assembler: Assembler::default(),
        }
    }
}

impl LogReader {
    /// Reads to the current end of the file, handing each completed logical line to `sink`.
    /// Returns the number of bytes read.
    fn read_available(
        &mut self,
        file: &mut File,
        path: &Path,
        sink: &mut dyn FnMut(LogLine) -> Result<()>,
    ) -> Result<usize> {
        let mut total = 0;
        loop {
            let n = match file.read(&mut self.buf) {
                Ok(0) => return Ok(total),
                Ok(n) => n,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(e).with_context(|| format!("reading log file {}", path.display()));
                }
            };
            total += n;
            self.pending.extend_from_slice(&self.buf[..n]);
            let Some(end) = self.pending.iter().rposition(|&b| b == b'\n') else {
                continue;
            };
            let complete: Vec<u8> = self.pending.drain(..=end).collect();
            for line in complete.split(|&b| b == b'\n') {
                self.push_line(line, sink)?;
            }
        }
    }

    fn push_line(
        &mut self,
        line: &[u8],
        sink: &mut dyn FnMut(LogLine) -> Result<()>,
    ) -> Result<()> {
        // Lines that are not entries (a torn write after a crash, the empty tail of a split)
        // are skipped rather than ending the whole listing.
        let Some(entry) = parse_entry(line) else {
            return Ok(());
        };
        match self.assembler.push(entry) {
            Some(logical) => sink(logical),
            None => Ok(()),
        }
    }

    /// At the end of the log: an entry without its newline still counts, and unfinished
    /// partial lines are printed as they are.
    fn finish(&mut self, sink: &mut dyn FnMut(LogLine) -> Result<()>) -> Result<()> {
        let last = std::mem::take(&mut self.pending);
        self.push_line(&last, sink)?;
        for line in self.assembler.finish() {
            sink(line)?;
        }
        Ok(())
    }
}

struct Printer<'a> {
    opts: &'a LogOptions,
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
}

impl Printer<'_> {
    fn wanted(&self, line: &LogLine) -> bool {
        let time = line.time.with_timezone(&Utc);
        if self.opts.since.is_some_and(|since| time <= since) {
            return false;
        }
        if self.opts.until.is_some_and(|until| time >= until) {
            return false;
        }
        true
    }

    fn print_filtered(&mut self, line: &LogLine) -> Result<()> {
        if self.wanted(line) {
            self.print(line)?;
        }
        Ok(())
    }

    fn print(&mut self, line: &LogLine) -> Result<()> {
        let dest: &mut dyn Write = match line.stream {
            Stream::Stdout => &mut *self.out,
            Stream::Stderr => &mut *self.err,
        };
        if self.opts.timestamps {
            write!(dest, "{} ", format_log_time(&line.time))?;
        }
        dest.write_all(&line.content)?;
        if line.full {
            dest.write_all(b"\n")?;
        }
        dest.flush()?;
        Ok(())
    }
}

/// Parses a `--since`/`--until` value as Podman does: RFC3339 (with or without fraction and
/// zone; no zone means UTC), a date `2006-01-02` (midnight UTC), unix seconds (`1697104800`,
/// `1697104800.5`), or a Go duration (`10m`, `1h30m`, `1.5h`) meaning that long before `now`.
pub fn parse_time_filter(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok(time.with_timezone(&Utc));
    }
    if let Ok(time) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Ok(Utc.from_utc_datetime(&time));
    }
    if let Some(time) = parse_date_with_zone(text) {
        return Ok(time);
    }
    if let Some(time) = parse_unix_seconds(text) {
        return Ok(time);
    }
    if let Some(duration) = crate::format::parse_go_duration(text) {
        let duration = chrono::Duration::from_std(duration).context("duration out of range")?;
        return now
            .checked_sub_signed(duration)
            .context("duration out of range");
    }
    bail!("unable to interpret time value {text:?}")
}

/// `2006-01-02` (UTC) or `2006-01-02Z07:00`.
fn parse_date_with_zone(text: &str) -> Option<DateTime<Utc>> {
    let date_part = text.get(..10)?;
    let date = NaiveDate::parse_from_str(date_part, "%Y-%m-%d").ok()?;
    let midnight = date.and_hms_opt(0, 0, 0)?;
    let zone = &text[10..];
    let offset = match zone {
        "" | "Z" => FixedOffset::east_opt(0)?,
        _ => {
            let (sign, hm) = match zone.as_bytes()[0] {
                b'+' => (1, &zone[1..]),
                b'-' => (-1, &zone[1..]),
                _ => return None,
            };
            let (h, m) = hm.split_once(':')?;
            let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
            FixedOffset::east_opt(sign * (h * 3600 + m * 60))?
        }
    };
    let time = offset.from_local_datetime(&midnight).single()?;
    Some(time.with_timezone(&Utc))
}

fn parse_unix_seconds(text: &str) -> Option<DateTime<Utc>> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let secs: i64 = whole.parse().ok()?;
    let mut digits = fraction.chars().take(9).collect::<String>();
    while digits.len() < 9 {
        digits.push('0');
    }
    let nanos: u32 = digits.parse().ok()?;
    DateTime::from_timestamp(secs, nanos)
}

#[cfg(test)]
#[path = "logfile_tests.rs"]
mod tests;
