//! BuildKit's own expansion tables (tests/fixtures/dockerfile-shell, see SOURCES.md there) run
//! through build::shell: every Unix row of envVarTest through process_word and every row of
//! wordsTest through process_words.

use std::path::PathBuf;

use skiff::build::shell::{Lexer, env_from_assignments};

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/dockerfile-shell")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// `PLATFORM|word|expected`, fields trimmed; `error` means expansion must fail.
#[test]
fn env_var_table() {
    let env = env_from_assignments(["PWD=/home", "SHELL=bash", "KOREAN=한국어", "NULL="]);
    let lexer = Lexer::new('\\');
    let mut failures = Vec::new();
    let mut checked = 0;
    for (index, line) in fixture("envVarTest").lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.trim().split('|').map(str::trim).collect();
        let [platform, word, expected] = fields[..] else {
            panic!(
                "envVarTest line {}: not PLATFORM|word|expected: {line:?}",
                index + 1
            );
        };
        match platform {
            "A" | "U" => {}
            "W" => continue,
            other => panic!("envVarTest line {}: unknown platform {other:?}", index + 1),
        }
        checked += 1;
        let got = lexer.process_word(word, &env).map(|expanded| expanded.word);
        let ok = match &got {
            Ok(got) => expected != "error" && got == expected,
            Err(_) => expected == "error",
        };
        if !ok {
            failures.push(format!(
                "line {}: {word:?} expected {expected:?}, got {got:?}",
                index + 1
            ));
        }
    }
    assert!(checked > 200, "only {checked} rows checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `input | word1,word2,...` (the part after `| ` is taken verbatim, trailing spaces included);
/// `ENV k=v` adds to the env of the rows after it.
#[test]
fn words_table() {
    let lexer = Lexer::new('\\');
    let mut assignments: Vec<String> = Vec::new();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (index, line) in fixture("wordsTest").lines().enumerate() {
        if line.starts_with('#') {
            continue;
        }
        if let Some(assignment) = line.strip_prefix("ENV ") {
            assignments.push(assignment.trim_start_matches(' ').to_string());
            continue;
        }
        let Some((input, expected)) = line.split_once('|') else {
            panic!("wordsTest line {}: no '|' in {line:?}", index + 1);
        };
        assert!(
            !expected.contains('|'),
            "wordsTest line {}: more than one '|'",
            index + 1
        );
        let input = input.trim();
        let expected: Vec<&str> = expected.trim_start_matches(' ').split(',').collect();
        let env = env_from_assignments(assignments.iter().map(String::as_str));
        checked += 1;
        let got = lexer
            .process_words(input, &env)
            .unwrap_or_else(|_| vec!["error".to_string()]);
        if got != expected {
            failures.push(format!(
                "line {}: {input:?} expected {expected:?}, got {got:?}",
                index + 1
            ));
        }
    }
    assert!(checked > 20, "only {checked} rows checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
