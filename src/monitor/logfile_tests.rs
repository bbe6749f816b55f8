use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::*;

fn read_all(path: &Path, opts: &LogOptions) -> (String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    read_logs(path, opts, &|| false, &mut out, &mut err).unwrap();
    (
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn entries(path: &Path) -> Vec<(String, String, String)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| {
            let mut parts = line.splitn(4, ' ');
            let stamp = parts.next().unwrap();
            assert!(
                DateTime::parse_from_rfc3339(stamp).is_ok(),
                "bad stamp {stamp}"
            );
            assert_eq!(
                stamp.len(),
                "2023-10-12T10:00:00.123456789+00:00".len(),
                "{stamp}"
            );
            (
                parts.next().unwrap().to_string(),
                parts.next().unwrap().to_string(),
                parts.next().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn e(stream: &str, kind: &str, content: &str) -> (String, String, String) {
    (stream.to_string(), kind.to_string(), content.to_string())
}

#[test]
fn writer_splits_lines_and_keeps_partials_per_stream() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ctr.log");
    let mut log = LogWriter::create(&path).unwrap();
    log.write(Stream::Stdout, b"hello\nwor").unwrap();
    log.write(Stream::Stderr, b"oops\n\n").unwrap();
    log.write(Stream::Stdout, b"ld\n").unwrap();
    log.write(Stream::Stdout, b"no newline").unwrap();
    log.flush_partial().unwrap();
    log.flush_partial().unwrap();
    assert_eq!(
        entries(&path),
        vec![
            e("stdout", "F", "hello"),
            e("stderr", "F", "oops"),
            e("stderr", "F", ""),
            e("stdout", "F", "world"),
            e("stdout", "P", "no newline"),
        ]
    );
    let (out, err) = read_all(&path, &LogOptions::default());
    assert_eq!(out, "hello\nworld\nno newline");
    assert_eq!(err, "oops\n\n");
}

#[test]
fn long_lines_become_partial_entries_and_are_joined_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ctr.log");
    let mut log = LogWriter::create(&path).unwrap();
    let long = "x".repeat(MAX_PARTIAL * 2 + 10);
    log.write(Stream::Stdout, long.as_bytes()).unwrap();
    log.write(Stream::Stdout, b"\nshort\n").unwrap();
    let kinds: Vec<String> = entries(&path).into_iter().map(|(_, k, _)| k).collect();
    assert_eq!(kinds, ["P", "P", "F", "F"]);
    let (out, _) = read_all(&path, &LogOptions::default());
    assert_eq!(out, format!("{long}\nshort\n"));
}

const FIXED: &str = "\
2023-10-12T10:00:00.100000000+00:00 stdout F one
2023-10-12T10:00:01.000000000+00:00 stderr F two
2023-10-12T12:00:02.123456789+02:00 stdout P thr
2023-10-12T10:00:03.000000000+00:00 stdout F ee
garbage line
2023-10-12T10:00:04.000000000+00:00 stdout F four
2023-10-12T10:00:05.000000000+00:00 stdout P fiv";

fn fixed_log() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ctr.log");
    std::fs::write(&path, FIXED).unwrap();
    (dir, path)
}

#[test]
fn reader_joins_partials_and_prints_a_torn_last_line() {
    let (_dir, path) = fixed_log();
    let (out, err) = read_all(&path, &LogOptions::default());
    assert_eq!(out, "one\nthree\nfour\nfiv");
    assert_eq!(err, "two\n");
}

#[test]
fn reader_tail_since_until_timestamps() {
    let (_dir, path) = fixed_log();
    let tail = |n| LogOptions {
        tail: Some(n),
        ..Default::default()
    };
    assert_eq!(read_all(&path, &tail(2)).0, "four\nfiv");
    assert_eq!(
        read_all(&path, &tail(3)),
        ("three\nfour\nfiv".into(), String::new())
    );
    assert_eq!(read_all(&path, &tail(0)), (String::new(), String::new()));
    assert_eq!(read_all(&path, &tail(100)).0, "one\nthree\nfour\nfiv");

    let at = |s: &str| Some(DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc));
    let window = LogOptions {
        since: at("2023-10-12T10:00:00.100000000Z"),
        until: at("2023-10-12T10:00:04Z"),
        ..Default::default()
    };
    assert_eq!(read_all(&path, &window), ("three\n".into(), "two\n".into()));

    let stamped = LogOptions {
        timestamps: true,
        tail: Some(3),
        ..Default::default()
    };
    assert_eq!(
        read_all(&path, &stamped).0,
        "2023-10-12T10:00:03Z three\n2023-10-12T10:00:04Z four\n2023-10-12T10:00:05Z fiv"
    );
    let stamped = LogOptions {
        timestamps: true,
        ..Default::default()
    };
    assert_eq!(read_all(&path, &stamped).1, "2023-10-12T10:00:01Z two\n");
}

#[test]
fn podman_time_format() {
    let t = DateTime::parse_from_rfc3339("2023-10-12T10:00:00.123456789+00:00").unwrap();
    assert_eq!(format_log_time(&t), "2023-10-12T10:00:00.123456789Z");
    let t = DateTime::parse_from_rfc3339("2023-10-12T12:00:00.120000000+02:00").unwrap();
    assert_eq!(format_log_time(&t), "2023-10-12T12:00:00.12+02:00");
    let t = DateTime::parse_from_rfc3339("2023-10-12T12:00:00.000000000-05:30").unwrap();
    assert_eq!(format_log_time(&t), "2023-10-12T12:00:00-05:30");
}

#[test]
fn missing_log_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nope.log");
    assert_eq!(
        read_all(&path, &LogOptions::default()),
        (String::new(), String::new())
    );
    let follow = LogOptions {
        follow: true,
        ..Default::default()
    };
    assert_eq!(read_all(&path, &follow), (String::new(), String::new()));
}

#[test]
fn follow_prints_appended_output_until_the_container_stops() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ctr.log");
    let running = Arc::new(AtomicBool::new(true));
    let writer = {
        let (path, running) = (path.clone(), running.clone());
        std::thread::spawn(move || {
            // The log appears only after the reader started.
            std::thread::sleep(Duration::from_millis(120));
            let mut log = LogWriter::create(&path).unwrap();
            for i in 0..5 {
                log.write(Stream::Stdout, format!("line {i}\n").as_bytes())
                    .unwrap();
                log.write(Stream::Stderr, b"err ").unwrap();
                std::thread::sleep(Duration::from_millis(30));
            }
            log.write(Stream::Stdout, b"last, unfinished").unwrap();
            log.write(Stream::Stderr, b"done\n").unwrap();
            log.flush_partial().unwrap();
            running.store(false, Ordering::SeqCst);
        })
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let opts = LogOptions {
        follow: true,
        ..Default::default()
    };
    let is_running = || running.load(Ordering::SeqCst);
    read_logs(&path, &opts, &is_running, &mut out, &mut err).unwrap();
    writer.join().unwrap();
    let expected: String = (0..5).map(|i| format!("line {i}\n")).collect();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        format!("{expected}last, unfinished")
    );
    assert_eq!(
        String::from_utf8(err).unwrap(),
        "err err err err err done\n"
    );
}

#[test]
fn follow_with_tail_starts_from_the_last_lines() {
    let (_dir, path) = fixed_log();
    let calls = std::cell::Cell::new(0);
    let is_running = || {
        calls.set(calls.get() + 1);
        if calls.get() == 3 {
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .unwrap();
            f.write_all(b"e\n2023-10-12T10:00:06.000000000+00:00 stdout F six\n")
                .unwrap();
        }
        calls.get() < 5
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let opts = LogOptions {
        follow: true,
        tail: Some(1),
        ..Default::default()
    };
    read_logs(&path, &opts, &is_running, &mut out, &mut err).unwrap();
    // The torn "P fiv" entry was held back until its newline came ("P five"), then joined
    // with the full line that followed.
    assert_eq!(String::from_utf8(out).unwrap(), "four\nfivesix\n");
}

#[test]
fn time_filters() {
    let now = DateTime::parse_from_rfc3339("2023-10-12T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let p = |s| {
        parse_time_filter(s, now)
            .unwrap()
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    };
    assert_eq!(p("2023-10-12T09:00:00+02:00"), "2023-10-12T07:00:00Z");
    assert_eq!(p("2023-10-12T09:00:00.5Z"), "2023-10-12T09:00:00.500Z");
    assert_eq!(p("2023-10-12T09:00:00"), "2023-10-12T09:00:00Z");
    assert_eq!(p("2023-10-11"), "2023-10-11T00:00:00Z");
    assert_eq!(p("2023-10-11+01:00"), "2023-10-10T23:00:00Z");
    assert_eq!(p("1697104800"), "2023-10-12T10:00:00Z");
    assert_eq!(p("1697104800.25"), "2023-10-12T10:00:00.250Z");
    assert_eq!(p("10m"), "2023-10-12T09:50:00Z");
    assert_eq!(p("1h30m"), "2023-10-12T08:30:00Z");
    assert_eq!(p("1.5h"), "2023-10-12T08:30:00Z");
    assert_eq!(p("500ms"), "2023-10-12T09:59:59.500Z");
    // As in Podman, a bare number is unix seconds before it is a duration.
    assert_eq!(p("0"), "1970-01-01T00:00:00Z");
    assert_eq!(p("0s"), "2023-10-12T10:00:00Z");
    for bad in ["", "yesterday", "10x", "h", "2023-13-01", "1.2.3"] {
        assert!(parse_time_filter(bad, now).is_err(), "{bad:?} parsed");
    }
}
