//! Tests of reading, matching, directory skipping and the choice of ignore file. The
//! upstream tables run in tests/dockerignore.rs.

use std::fs;
use std::path::Path;

use super::*;

fn rules(patterns: &[&str]) -> IgnoreRules {
    IgnoreRules::from_patterns(patterns).unwrap_or_else(|e| panic!("{patterns:?}: {e:#}"))
}

#[test]
fn read_keeps_readall_details() {
    let text = "\u{FEFF}# comment\r\n #not a comment\r\n\t./a/../b/ \n!  /c//d\n\n/\nlast";
    let got = read_patterns(text).unwrap();
    assert_eq!(got, ["#not a comment", "b", "!c/d", "/", "last"]);
    let long = "x".repeat(MAX_LINE - 1);
    assert_eq!(read_patterns(&long).unwrap(), std::slice::from_ref(&long));
    let err = IgnoreRules::parse(&format!("a\n{long}x\n"), "ctx/.dockerignore").unwrap_err();
    assert_eq!(
        err.to_string(),
        "ctx/.dockerignore:2: line longer than 65535 bytes"
    );
}

#[test]
fn parse_errors_name_origin_and_line() {
    let err = IgnoreRules::parse("ok\n\n  a[\n", ".dockerignore").unwrap_err();
    assert_eq!(
        format!("{err:#}"),
        r#".dockerignore:3: "a[": syntax error in pattern"#
    );
    let err = IgnoreRules::parse("# x\n!\n", "Containerfile.containerignore").unwrap_err();
    assert_eq!(
        format!("{err:#}"),
        r#"Containerfile.containerignore:2: illegal exclusion pattern: "!""#
    );
    let err = IgnoreRules::parse("a\\e", ".dockerignore").unwrap_err();
    assert!(
        format!("{err:#}").starts_with(r#".dockerignore:1: "a\\e": invalid escape sequence"#),
        "{err:#}"
    );
    let err = IgnoreRules::from_patterns(&["a", "[x-]"]).unwrap_err();
    assert_eq!(
        format!("{err:#}"),
        r#"pattern 2: "[x-]": syntax error in pattern"#
    );
}

#[test]
fn matching_uses_parents_and_last_match() {
    let r = rules(&["docs", "!docs/README.md", "*.tmp", "!keep.tmp"]);
    assert!(r.is_excluded("docs"));
    assert!(r.is_excluded("docs/a/b.txt"));
    assert!(!r.is_excluded("docs/README.md"));
    assert!(r.is_excluded("x.tmp"));
    assert!(!r.is_excluded("keep.tmp"));
    assert!(!r.is_excluded("sub/x.tmp"), "* does not cross /");
    assert!(r.is_excluded("./docs/"), "paths are cleaned");
    assert!(!r.is_excluded("."));
    assert!(
        !rules(&["**"]).is_excluded("."),
        "the context root is never excluded"
    );
    assert!(IgnoreRules::default().is_empty());
    assert_eq!(r.patterns()[1].text(), "docs/README.md");
    assert!(r.patterns()[1].is_exception());
}

#[test]
fn can_skip_dir_only_when_nothing_below_can_come_back() {
    let r = rules(&["node_modules", "build/**", "!build/keep/**", "*/cache"]);
    assert!(r.can_skip_dir("node_modules"));
    assert!(!r.can_skip_dir("src"), "not excluded");
    assert!(
        !r.can_skip_dir("build"),
        "build/** does not match build itself"
    );
    assert!(r.can_skip_dir("build/tmp"));
    assert!(!r.can_skip_dir("build/keep"));
    assert!(r.can_skip_dir("a/cache"));
    assert!(!r.can_skip_dir("."));
    assert!(r.can_skip_dir("./node_modules/"), "paths are cleaned");
    // Go tries `/` as a parent of `/a` but not of `/a/b`: absolute paths are never skipped.
    let r = rules(&["/"]);
    assert!(r.is_excluded("/a") && !r.is_excluded("/a/b"));
    assert!(!r.can_skip_dir("/a"));

    let r = rules(&["docs", "!docs/README.md"]);
    assert!(!r.can_skip_dir("docs"));
    assert!(r.can_skip_dir("docs/sub") == r.is_excluded("docs/sub"));

    // Exceptions that could match at any depth keep every directory open.
    assert!(!rules(&["**", "!**/*.go"]).can_skip_dir("vendor"));
    assert!(!rules(&["*", "!*/keep"]).can_skip_dir("a"));
    assert!(rules(&["*", "!*/keep"]).can_skip_dir("a/b"));
    assert!(!rules(&["**", "!**/keep"]).can_skip_dir("a/b"));
    // An exception before the pattern that excludes the directory does not matter.
    assert!(rules(&["!vendor/keep", "vendor"]).can_skip_dir("vendor"));
    assert!(!rules(&["vendor", "!vendor/keep"]).can_skip_dir("vendor"));
    // A directory an exception re-includes is walked.
    assert!(!rules(&["**", "!src"]).can_skip_dir("src"));
    assert!(rules(&["**", "!src"]).can_skip_dir("vendor"));
}

#[test]
fn can_skip_dir_is_sound() {
    // Whenever a directory may be skipped, everything below it must be excluded.
    let lists: &[&[&str]] = &[
        &["a", "!a/b"],
        &["a", "!a/b/c", "a/b"],
        &["*", "!*/x"],
        &["**", "!a/**/x"],
        &["a/**", "!a/b*"],
        &["a*", "!a?/c"],
        &["**/b", "!**/b/c"],
        &["[ab]", "![ab]/[cd]"],
        &["**", "!**/c*", "a/c"],
        &["a", "!a/b/**"],
    ];
    let names = ["a", "b", "c", "x", "ab", "bc", "cx"];
    let mut paths: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    for _ in 0..2 {
        let longer: Vec<String> = paths
            .iter()
            .flat_map(|p| names.iter().map(move |n| format!("{p}/{n}")))
            .collect();
        paths.extend(longer);
    }
    for list in lists {
        let r = rules(list);
        for dir in &paths {
            if !r.can_skip_dir(dir) {
                continue;
            }
            let prefix = format!("{dir}/");
            for p in paths.iter().filter(|p| p.starts_with(&prefix)) {
                assert!(r.is_excluded(p), "{list:?}: skipped {dir} but {p} is kept");
            }
        }
    }
}

fn touch(path: &Path) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, "x\n").unwrap();
}

#[test]
fn find_ignore_file_prefers_containerignore_in_the_context() {
    let tmp = tempfile::tempdir().unwrap();
    let ctx = tmp.path();
    assert_eq!(find_ignore_file(ctx, None), None);
    touch(&ctx.join(".dockerignore"));
    assert_eq!(find_ignore_file(ctx, None), Some(ctx.join(".dockerignore")));
    touch(&ctx.join(".containerignore"));
    assert_eq!(
        find_ignore_file(ctx, None),
        Some(ctx.join(".containerignore"))
    );
    // A Dockerfile without a file of its own changes nothing.
    let df = Path::new("Containerfile");
    assert_eq!(
        find_ignore_file(ctx, Some(df)),
        Some(ctx.join(".containerignore"))
    );
}

#[test]
fn find_ignore_file_prefers_the_dockerfiles_own() {
    let tmp = tempfile::tempdir().unwrap();
    let ctx = tmp.path();
    touch(&ctx.join(".containerignore"));
    touch(&ctx.join("build/Dockerfile.prod.containerignore"));
    let df = Path::new("build/Dockerfile.prod");
    let own = Some(ctx.join("build/Dockerfile.prod.containerignore"));
    assert_eq!(find_ignore_file(ctx, Some(df)), own);
    // Both forms: Buildah keeps the .dockerignore one.
    touch(&ctx.join("build/Dockerfile.prod.dockerignore"));
    let own = Some(ctx.join("build/Dockerfile.prod.dockerignore"));
    assert_eq!(find_ignore_file(ctx, Some(df)), own);
    // An absolute Dockerfile outside the context.
    let elsewhere = tempfile::tempdir().unwrap();
    let df = elsewhere.path().join("Dockerfile");
    assert_eq!(
        find_ignore_file(ctx, Some(&df)),
        Some(ctx.join(".containerignore"))
    );
    touch(&elsewhere.path().join("Dockerfile.dockerignore"));
    let own = Some(elsewhere.path().join("Dockerfile.dockerignore"));
    assert_eq!(find_ignore_file(ctx, Some(&df)), own);
}

#[test]
fn find_ignore_file_keeps_context_symlinks_inside() {
    let tmp = tempfile::tempdir().unwrap();
    let ctx = tmp.path().join("ctx");
    let outside = tmp.path().join("secret");
    touch(&outside);
    touch(&ctx.join("rules/ignore"));
    std::os::unix::fs::symlink(&outside, ctx.join(".containerignore")).unwrap();
    assert_eq!(find_ignore_file(&ctx, None), None);
    std::os::unix::fs::symlink("rules/ignore", ctx.join(".dockerignore")).unwrap();
    assert_eq!(
        find_ignore_file(&ctx, None),
        Some(ctx.join(".dockerignore"))
    );
}

#[test]
fn load_reads_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join(".dockerignore");
    fs::write(&path, "target\n!target/keep\n").unwrap();
    let r = IgnoreRules::load(&path).unwrap();
    assert!(r.is_excluded("target/debug"));
    assert!(!r.is_excluded("target/keep"));
    fs::write(&path, b"ok\nbad\xff\n").unwrap();
    let err = IgnoreRules::load(&path).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("{}:2: not valid UTF-8", path.display())
    );
}
