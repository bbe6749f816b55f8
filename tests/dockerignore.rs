//! The .dockerignore rules against moby/patternmatcher's own test tables
//! (tests/fixtures/dockerignore, see SOURCES.md there): every row must pass.

use std::path::Path;

use serde_json::Value;
use skiff::build::ignore::{IgnoreRules, filepath_match, read_patterns};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/dockerignore")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Checks one row; Err describes the failure.
fn check_row(row: &Value) -> Result<(), String> {
    let table = row["table"].as_str().ok_or("no table")?;
    let path = row["path"].as_str().ok_or("no path")?;
    let expect = row["expect"].as_str().ok_or("no expect")?;
    let patterns: Vec<&str> = row["patterns"]
        .as_array()
        .ok_or("no patterns")?
        .iter()
        .map(|p| p.as_str().ok_or("pattern not a string"))
        .collect::<Result<_, _>>()?;
    // All three tables hold patternmatcher's answers for a pattern list (see SOURCES.md).
    let got = match IgnoreRules::from_patterns(&patterns) {
        Err(e) => format!("error ({e:#})"),
        Ok(rules) if rules.is_excluded(path) => "match".to_string(),
        Ok(_) => "nomatch".to_string(),
    };
    if !got.starts_with(expect) {
        return Err(format!("got {got}"));
    }
    if table == "filepath-match" {
        check_filepath_match(patterns[0], path, expect)?;
    }
    Ok(())
}

/// Go's filepath.Match agrees with the table on errors, and on matches where no parent
/// directory can come into play.
fn check_filepath_match(pattern: &str, path: &str, expect: &str) -> Result<(), String> {
    let got = filepath_match(pattern, path);
    match (expect, got) {
        ("error", Err(_)) => Ok(()),
        (_, Ok(m)) if path.contains('/') || m == (expect == "match") => Ok(()),
        (_, got) => Err(format!("filepath_match gave {got:?}")),
    }
}

#[test]
fn patternmatcher_tables() {
    let text = fixture("patternmatcher-cases.jsonl");
    let mut rows = 0;
    let mut failures = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let row: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("row {}: {e}", i + 1));
        rows += 1;
        if let Err(why) = check_row(&row) {
            failures.push(format!("row {}: {line}\n    {why}", i + 1));
        }
    }
    assert_eq!(rows, 137, "the table has 137 rows");
    assert!(
        failures.is_empty(),
        "{} of {rows} rows fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn readall_case() {
    let case: Value = serde_json::from_str(&fixture("readall-case.json")).unwrap();
    let text = case["dockerignore"].as_str().unwrap();
    let want: Vec<&str> = case["expected_patterns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(read_patterns(text).unwrap(), want);
    // Compiling refuses the lone `!` of line 8, naming it.
    let err = IgnoreRules::parse(text, ".dockerignore").unwrap_err();
    assert_eq!(
        format!("{err:#}"),
        r#".dockerignore:8: illegal exclusion pattern: "!""#
    );
    let rules = IgnoreRules::parse(&text.replace("\n!\n! ", "\n"), ".dockerignore").unwrap();
    assert!(rules.is_excluded("test2/x"));
    assert!(rules.is_excluded("a/file/here"));
    assert!(!rules.is_excluded("a/file"));
    assert!(rules.patterns()[4].is_exception());
}
