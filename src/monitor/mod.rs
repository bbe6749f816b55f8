//! The per-container monitor (our conmon) and the foreground waiter: container output to a
//! `k8s-file` log, exit status collection through a pidfd, signal and tty relaying for
//! `skiff run` without `-d`. Everything waits in one poll(2) loop: no threads, no handlers.

pub mod logfile;

pub use logfile::{LogOptions, LogWriter, Stream, format_log_time, parse_time_filter, read_logs};
pub mod attach;
pub mod detached;

pub use detached::{ExitInfo, detach_stdio, supervise};
pub mod foreground;

pub use foreground::{ForegroundOptions, wait_foreground};
