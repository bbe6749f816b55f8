//! Copy progress for pull and push, on stderr, as Podman shows it: on a terminal one
//! redrawn line per blob (`Copying blob 1a2b3c4d5e6f [=====>    ] 12.0MiB / 30.0MiB | 40.1 MiB/s`),
//! otherwise one plain line per blob when it is done; nothing at all when quiet.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::human_size;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgressMode {
    Quiet,
    Plain,
    Bars,
}

impl ProgressMode {
    /// Bars on a terminal, plain lines otherwise, nothing when `quiet`.
    pub fn for_stderr(quiet: bool) -> ProgressMode {
        if quiet {
            ProgressMode::Quiet
        } else if std::io::stderr().is_terminal() {
            ProgressMode::Bars
        } else {
            ProgressMode::Plain
        }
    }
}

const REDRAW_EVERY: Duration = Duration::from_millis(100);
const BAR_WIDTH: usize = 30;

struct Line {
    label: String,
    total: Option<u64>,
    done: u64,
    finished: Option<String>,
    started: Instant,
}

struct State {
    lines: Vec<Line>,
    /// How many bar lines are on screen below the last plain message.
    drawn: usize,
    last_draw: Option<Instant>,
}

pub struct Progress {
    mode: ProgressMode,
    state: Mutex<State>,
}

/// One blob's line; report bytes with `add`, end with `finish`.
pub struct ProgressLine<'p> {
    progress: &'p Progress,
    index: usize,
}

impl Progress {
    pub fn new(mode: ProgressMode) -> Progress {
        Progress {
            mode,
            state: Mutex::new(State {
                lines: Vec::new(),
                drawn: 0,
                last_draw: None,
            }),
        }
    }

    /// A message on a line of its own (`Trying to pull ...`).
    pub fn message(&self, msg: &str) {
        if self.mode == ProgressMode::Quiet {
            return;
        }
        let Ok(mut st) = self.state.lock() else {
            return;
        };
        let mut err = std::io::stderr().lock();
        if self.mode == ProgressMode::Bars {
            // Messages go above the bars: erase them, print, and let the next redraw add
            // them again (finished bars stay where they are).
            Self::erase(&mut err, st.drawn);
            st.drawn = 0;
            st.lines.retain(|l| l.finished.is_none());
        }
        let _ = writeln!(err, "{msg}");
        if self.mode == ProgressMode::Bars {
            Self::draw(&mut err, &mut st);
        }
    }

    /// Start a line for a blob of `total` bytes (if known).
    pub fn line(&self, label: String, total: Option<u64>) -> ProgressLine<'_> {
        let mut index = 0;
        if let Ok(mut st) = self.state.lock() {
            index = st.lines.len();
            st.lines.push(Line {
                label,
                total,
                done: 0,
                finished: None,
                started: Instant::now(),
            });
        }
        ProgressLine {
            progress: self,
            index,
        }
    }

    fn update(&self, index: usize, f: impl FnOnce(&mut Line), force: bool) {
        let Ok(mut st) = self.state.lock() else {
            return;
        };
        if let Some(l) = st.lines.get_mut(index) {
            f(l);
        }
        match self.mode {
            ProgressMode::Quiet => {}
            ProgressMode::Plain => {
                if force && let Some(l) = st.lines.get(index) {
                    let _ = writeln!(
                        std::io::stderr().lock(),
                        "{} {}",
                        l.label,
                        l.finished.as_deref().unwrap_or("done")
                    );
                }
            }
            ProgressMode::Bars => {
                let now = Instant::now();
                if !force && st.last_draw.is_some_and(|t| now - t < REDRAW_EVERY) {
                    return;
                }
                st.last_draw = Some(now);
                let mut err = std::io::stderr().lock();
                Self::draw(&mut err, &mut st);
            }
        }
    }

    fn erase(out: &mut impl Write, lines: usize) {
        for _ in 0..lines {
            let _ = write!(out, "\x1b[1A\x1b[2K");
        }
    }

    fn draw(out: &mut impl Write, st: &mut State) {
        let mut buf = String::new();
        for _ in 0..st.drawn {
            buf.push_str("\x1b[1A");
        }
        for l in &st.lines {
            buf.push_str("\x1b[2K");
            buf.push_str(&render(l));
            buf.push('\n');
        }
        st.drawn = st.lines.len();
        let _ = out.write_all(buf.as_bytes());
        let _ = out.flush();
    }
}

fn render(l: &Line) -> String {
    if let Some(f) = &l.finished {
        return format!("{} {f}", l.label);
    }
    let secs = l.started.elapsed().as_secs_f64().max(0.001);
    let speed = format!("{}/s", human_size((l.done as f64 / secs) as u64));
    match l.total {
        Some(total) if total > 0 => {
            let filled = ((l.done.min(total) as f64 / total as f64) * BAR_WIDTH as f64) as usize;
            let mut bar = "=".repeat(filled);
            if filled < BAR_WIDTH {
                bar.push('>');
                bar.push_str(&"-".repeat(BAR_WIDTH - filled - 1));
            }
            format!(
                "{} [{bar}] {} / {} | {speed}",
                l.label,
                human_size(l.done),
                human_size(total)
            )
        }
        _ => format!("{} {} | {speed}", l.label, human_size(l.done)),
    }
}

impl ProgressLine<'_> {
    pub fn add(&self, n: u64) {
        self.progress.update(self.index, |l| l.done += n, false);
    }

    /// End the line with `what` (`done`, `skipped: already exists`).
    pub fn finish(&self, what: &str) {
        self.progress
            .update(self.index, |l| l.finished = Some(what.to_string()), true);
    }
}

/// A reader that reports the bytes it passes to a progress line.
pub struct ProgressReader<'a, R> {
    inner: R,
    line: &'a ProgressLine<'a>,
}

impl<'a, R> ProgressReader<'a, R> {
    pub fn new(inner: R, line: &'a ProgressLine<'a>) -> Self {
        ProgressReader { inner, line }
    }
}

impl<R: std::io::Read> std::io::Read for ProgressReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.line.add(n as u64);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_bar_and_finished_lines() {
        let mut l = Line {
            label: "Copying blob 0123456789ab".into(),
            total: Some(100),
            done: 50,
            finished: None,
            started: Instant::now(),
        };
        let s = render(&l);
        assert!(
            s.starts_with("Copying blob 0123456789ab [===============>"),
            "{s}"
        );
        assert!(s.contains(" 50 B / 100 B |"), "{s}");
        l.finished = Some("done".into());
        assert_eq!(render(&l), "Copying blob 0123456789ab done");
    }
}
