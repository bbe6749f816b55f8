//! BuildKit's parser cases (tests/fixtures/dockerfile-parser, see SOURCES.md there) run
//! through the second stage, `parse_stages`. They are valid syntax but were written for the
//! parser alone, so some use flags or instructions the typed stage refuses: every case must
//! either split into stages or fail with one `FILE:LINE: message` line, never panic.

use std::fs;
use std::path::{Path, PathBuf};

use skiff::build::dockerfile::{ParseError, parse};
use skiff::build::instructions::{Command, parse_stages};

fn cases() -> Vec<PathBuf> {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dockerfile-parser/testfiles");
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    cases.sort();
    cases
}

/// The outcome of one case: Ok(number of stages) or the error line.
fn outcome(dir: &Path) -> Result<usize, String> {
    let source = fs::read_to_string(dir.join("Dockerfile")).unwrap();
    let parsed = parse(&source, "Dockerfile").unwrap();
    match parse_stages(&parsed, "Dockerfile") {
        Ok((_, stages)) => Ok(stages.len()),
        Err(err) => {
            assert!(
                err.downcast_ref::<ParseError>().is_some(),
                "{}: not a ParseError: {err:#}",
                dir.display()
            );
            Err(format!("{err:#}"))
        }
    }
}

#[test]
fn buildkit_parser_cases_split_into_stages_or_fail_on_one_line() {
    let cases = cases();
    assert_eq!(cases.len(), 33, "expected BuildKit's 33 positive cases");
    let mut report = Vec::new();
    for dir in &cases {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        match outcome(dir) {
            Ok(stages) => assert!(stages > 0, "{name}: no stages"),
            Err(message) => {
                assert!(!message.contains('\n'), "{name}: not one line: {message}");
                let line = message
                    .strip_prefix("Dockerfile:")
                    .and_then(|rest| rest.split(':').next())
                    .and_then(|n| n.parse::<usize>().ok());
                assert!(line.is_some_and(|n| n > 0), "{name}: no line: {message}");
                report.push(format!("{name}: {message}"));
            }
        }
    }
    // Most cases are ordinary Dockerfiles; the refusals are the ones written to stress the
    // parser with flags no instruction takes and commands no stage can hold.
    assert!(
        report.len() <= 10,
        "too many refusals:\n{}",
        report.join("\n")
    );
}

#[test]
fn the_refusals_are_buildkits() {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dockerfile-parser/testfiles");
    let message = |name: &str| outcome(&dir.join(name)).unwrap_err();
    // `COPY --user=me` is valid syntax, but COPY takes no --user.
    assert_eq!(message("flags"), "Dockerfile:3: Unknown flag: user");
    // A bare HEALTHCHECK parses, but needs NONE or CMD.
    assert_eq!(
        message("health"),
        "Dockerfile:4: HEALTHCHECK requires at least one argument"
    );
}

#[test]
fn a_real_world_case_keeps_its_commands() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/dockerfile-parser/testfiles/docker");
    let source = fs::read_to_string(dir.join("Dockerfile")).unwrap();
    let parsed = parse(&source, "Dockerfile").unwrap();
    let (_, stages) = parse_stages(&parsed, "Dockerfile").unwrap();
    assert_eq!(stages.len(), 1);
    let commands = &stages[0].commands;
    assert!(
        commands
            .iter()
            .any(|(c, _)| matches!(c, Command::Run { .. }))
    );
    assert!(commands.iter().any(|(c, _)| matches!(c, Command::Env(_))));
    // Locations run forward through the file.
    let lines: Vec<usize> = commands.iter().map(|(_, l)| l.start_line).collect();
    assert!(lines.windows(2).all(|w| w[0] < w[1]), "{lines:?}");
}
