//! BuildKit's own parser cases (tests/fixtures/dockerfile-parser, see SOURCES.md there): every
//! positive case must dump exactly BuildKit's `result`, every negative case must fail with a
//! one-line `FILE:LINE: message` error.

use std::fs;
use std::path::{Path, PathBuf};

use skiff::build::dockerfile::{ParseError, parse};

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/dockerfile-parser")
        .join(kind);
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    cases.sort();
    cases
}

fn case_name(dir: &Path) -> String {
    dir.file_name().unwrap().to_string_lossy().into_owned()
}

/// A line-by-line diff, good enough to see which instruction went wrong.
fn diff(expected: &str, got: &str) -> String {
    let expected: Vec<&str> = expected.lines().collect();
    let got: Vec<&str> = got.lines().collect();
    let mut out = String::new();
    for i in 0..expected.len().max(got.len()) {
        let (e, g) = (expected.get(i), got.get(i));
        if e == g {
            out.push_str(&format!("  {}\n", e.unwrap_or(&"")));
            continue;
        }
        if let Some(e) = e {
            out.push_str(&format!("- {e}\n"));
        }
        if let Some(g) = g {
            out.push_str(&format!("+ {g}\n"));
        }
    }
    out
}

#[test]
fn buildkit_positive_cases_dump_as_buildkit_does() {
    let cases = fixtures("testfiles");
    assert_eq!(cases.len(), 33, "expected BuildKit's 33 positive cases");
    let mut failures = Vec::new();
    for dir in &cases {
        let name = case_name(dir);
        let source = fs::read_to_string(dir.join("Dockerfile")).unwrap();
        let expected = fs::read_to_string(dir.join("result")).unwrap();
        match parse(&source, "Dockerfile") {
            Ok(parsed) => {
                let got = parsed.dump();
                if got != expected {
                    failures.push(format!(
                        "{name}: dump differs (- BuildKit, + ours)\n{}",
                        diff(&expected, &got)
                    ));
                }
            }
            Err(err) => failures.push(format!("{name}: parse failed: {err:#}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn buildkit_negative_cases_fail_with_a_located_error() {
    let cases = fixtures("testfiles-negative");
    assert_eq!(cases.len(), 4, "expected BuildKit's 4 negative cases");
    for dir in &cases {
        let name = case_name(dir);
        let source = fs::read_to_string(dir.join("Dockerfile")).unwrap();
        let err = match parse(&source, "Dockerfile") {
            Ok(parsed) => panic!(
                "{name}: parsed, but BuildKit refuses it:\n{}",
                parsed.dump()
            ),
            Err(err) => err,
        };
        let message = err.to_string();
        assert!(message.starts_with("Dockerfile"), "{name}: {message}");
        assert!(!message.contains('\n'), "{name}: not one line: {message}");
        assert!(
            err.downcast_ref::<ParseError>().is_some(),
            "{name}: not a ParseError: {message}"
        );
    }
}

#[test]
fn negative_case_messages_name_the_line() {
    let read = |name: &str| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/dockerfile-parser/testfiles-negative")
            .join(name)
            .join("Dockerfile");
        fs::read_to_string(path).unwrap()
    };
    let message = |name: &str| parse(&read(name), "Dockerfile").unwrap_err().to_string();
    assert_eq!(
        message("env_no_value"),
        "Dockerfile:3: ENV must have two arguments"
    );
    assert_eq!(
        message("shykes-nested-json"),
        "Dockerfile:1: when using JSON array syntax, arrays must be comprised of strings only"
    );
    assert_eq!(
        message("empty_dockerfile"),
        "Dockerfile: file with no instructions"
    );
    assert_eq!(
        message("only_comments"),
        "Dockerfile:3: file with no instructions"
    );
}
