//! Build context tests: each builds a small tree in a temp dir.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::time::{Duration, SystemTime};

use tar::{EntryType, Header};
use tempfile::TempDir;

use super::*;
use crate::image::digest::Digest;

fn write(root: &Path, rel: &str, content: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}

/// A context with these files (`name/` makes an empty directory) and ignore file.
fn context(files: &[&str], ignore: Option<&str>) -> (TempDir, BuildContext) {
    let dir = TempDir::new().unwrap();
    for f in files {
        match f.strip_suffix('/') {
            Some(d) => fs::create_dir_all(dir.path().join(d)).unwrap(),
            None => write(dir.path(), f, &format!("content of {f}")),
        }
    }
    if let Some(text) = ignore {
        write(dir.path(), ".dockerignore", text);
    }
    let ctx = BuildContext::open(dir.path(), None).unwrap();
    (dir, ctx)
}

fn resolve(ctx: &BuildContext, patterns: &[&str]) -> Result<Vec<ContextEntry>> {
    let patterns: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
    ctx.resolve_sources(&patterns)
}

/// The sources named, as strings.
fn sources(ctx: &BuildContext, patterns: &[&str]) -> Vec<String> {
    resolve(ctx, patterns)
        .unwrap()
        .iter()
        .map(|e| e.source().display().to_string())
        .collect()
}

fn error(ctx: &BuildContext, patterns: &[&str]) -> String {
    format!("{:#}", resolve(ctx, patterns).unwrap_err())
}

/// What the COPY of one source walks: relative paths, the source itself as "".
fn walked(ctx: &BuildContext, pattern: &str) -> Vec<String> {
    let entries = resolve(ctx, &[pattern]).unwrap();
    assert_eq!(entries.len(), 1, "{pattern} should name one source");
    let mut out = Vec::new();
    ctx.walk(&entries[0], |item| {
        out.push(item.rel.display().to_string());
        Ok(())
    })
    .unwrap();
    out
}

fn checksum(ctx: &BuildContext, patterns: &[&str]) -> Digest {
    ctx.checksum(&resolve(ctx, patterns).unwrap()).unwrap()
}

fn not_found_msg(path: &str) -> String {
    format!(
        "COPY failed: file not found in build context or excluded by .dockerignore: \
         stat {path}: file does not exist"
    )
}

// --- opening ---

#[test]
fn missing_context_dir() {
    let dir = TempDir::new().unwrap();
    let missing = dir.path().join("nope");
    let err = BuildContext::open(&missing, None).unwrap_err();
    assert_eq!(
        format!("{err:#}"),
        format!("context directory {} does not exist", missing.display())
    );
    write(dir.path(), "file", "x");
    let err = BuildContext::open(&dir.path().join("file"), None).unwrap_err();
    assert!(
        format!("{err:#}").ends_with("is not a directory"),
        "{err:#}"
    );
}

#[test]
fn ignore_file_beside_the_dockerfile_wins() {
    let (dir, _) = context(&["a.txt", "b.txt"], Some("a.txt\n"));
    write(dir.path(), "Dockerfile.dockerignore", "b.txt\n");
    let ctx = BuildContext::open(dir.path(), Some(Path::new("Dockerfile"))).unwrap();
    assert_eq!(sources(&ctx, &["a.txt"]), ["a.txt"]);
    assert_eq!(error(&ctx, &["b.txt"]), not_found_msg("b.txt"));
    let ctx = BuildContext::open(dir.path(), None).unwrap();
    assert_eq!(error(&ctx, &["a.txt"]), not_found_msg("a.txt"));
}

#[test]
fn with_rules_replaces_the_ignore_file() {
    let (dir, _) = context(&["a.txt", "b.txt"], Some("a.txt\n"));
    let rules = IgnoreRules::from_patterns(&["b.txt"]).unwrap();
    let ctx = BuildContext::with_rules(dir.path(), rules).unwrap();
    assert_eq!(sources(&ctx, &["a.txt"]), ["a.txt"]);
    assert!(resolve(&ctx, &["b.txt"]).is_err());
}

// --- sources ---

#[test]
fn plain_sources_and_the_root() {
    let (_dir, ctx) = context(&["a.txt", "sub/b.txt"], None);
    assert_eq!(
        sources(&ctx, &["a.txt", "sub", "sub/b.txt"]),
        ["a.txt", "sub", "sub/b.txt"]
    );
    let entries = resolve(&ctx, &["sub/b.txt", "sub", "."]).unwrap();
    assert_eq!(entries[0].name(), Some(OsStr::new("b.txt")));
    assert!(!entries[0].is_dir());
    assert!(entries[1].is_dir());
    assert_eq!(entries[2].source(), Path::new("."));
    assert_eq!(entries[2].name(), None);
    assert!(entries[2].is_dir());
}

#[test]
fn leading_slash_is_the_root() {
    let (_dir, ctx) = context(&["a.txt", "sub/b.txt"], None);
    assert_eq!(
        sources(&ctx, &["/a.txt", "/sub/./b.txt", "/"]),
        ["a.txt", "sub/b.txt", "."]
    );
    assert_eq!(sources(&ctx, &["sub/../a.txt", "/sub/"]), ["a.txt", "sub"]);
    assert_eq!(sources(&ctx, &["/*.txt"]), ["a.txt"]);
}

#[test]
fn escapes_are_refused() {
    let (_dir, ctx) = context(&["a.txt"], None);
    for bad in ["../a.txt", "sub/../../a.txt", "/../a.txt", "..", "../*"] {
        assert_eq!(
            error(&ctx, &[bad]),
            format!("COPY source {bad:?} is outside the build context")
        );
    }
}

#[test]
fn missing_sources() {
    let (_dir, ctx) = context(&["a.txt", "sub/b.txt"], None);
    assert_eq!(error(&ctx, &["nope.txt"]), not_found_msg("nope.txt"));
    assert_eq!(
        error(&ctx, &["a.txt", "sub/nope"]),
        not_found_msg("sub/nope")
    );
    // A file used as a directory is missing too.
    assert_eq!(error(&ctx, &["a.txt/x"]), not_found_msg("a.txt/x"));
    assert_eq!(
        error(&ctx, &["*.md"]),
        "COPY failed: no source files were specified"
    );
    assert_eq!(
        error(&ctx, &["nodir/*.txt"]),
        "COPY failed: no source files were specified"
    );
    assert_eq!(
        error(&ctx, &[]),
        "COPY failed: no source files were specified"
    );
}

#[test]
fn wildcards() {
    let (_dir, ctx) = context(
        &[
            "b.txt",
            "a.txt",
            "c.md",
            "sub/c.txt",
            "dir/x/file",
            "dir/y/file",
            "dir/y/other",
            "dir/x/deeper/file",
            "dir/file",
            "a1",
            "a22",
            "docs.txt/",
        ],
        None,
    );
    // In name order, not crossing `/`; a matched directory is a source itself.
    assert_eq!(sources(&ctx, &["*.txt"]), ["a.txt", "b.txt", "docs.txt"]);
    assert_eq!(sources(&ctx, &["dir/*/file"]), ["dir/x/file", "dir/y/file"]);
    assert_eq!(sources(&ctx, &["a?"]), ["a1"]);
    assert_eq!(sources(&ctx, &["a??"]), ["a22"]);
    assert_eq!(sources(&ctx, &["[bc].*"]), ["b.txt", "c.md"]);
    assert_eq!(sources(&ctx, &["*/c.txt"]), ["sub/c.txt"]);
    assert_eq!(sources(&ctx, &["d*"]), ["dir", "docs.txt"]);
    // Escapes: with no wildcard left the name is taken literally, backslash and all.
    assert_eq!(error(&ctx, &[r"a\.txt"]), not_found_msg(r"a\.txt"));
    assert_eq!(sources(&ctx, &[r"[a]\.txt"]), ["a.txt"]);
    let err = error(&ctx, &["a["]);
    assert!(err.contains("syntax error in pattern"), "{err}");
}

// --- ignore rules ---

#[test]
fn excluded_paths_are_absent() {
    let ignore = "*.log\nsecret/\nbuild\n!build/keep.txt\n";
    let (_dir, ctx) = context(
        &[
            "app.log",
            "a.txt",
            "secret/key",
            "build/out.o",
            "build/keep.txt",
            "build/sub/x.o",
            "sub/deep.log",
            "sub/ok.txt",
        ],
        Some(ignore),
    );
    assert_eq!(error(&ctx, &["app.log"]), not_found_msg("app.log"));
    assert_eq!(error(&ctx, &["secret"]), not_found_msg("secret"));
    assert_eq!(error(&ctx, &["secret/key"]), not_found_msg("secret/key"));
    assert_eq!(error(&ctx, &["build/out.o"]), not_found_msg("build/out.o"));
    // `*.log` matches at the top only (Docker's patterns are anchored).
    assert_eq!(sources(&ctx, &["sub/deep.log"]), ["sub/deep.log"]);
    // An excluded dir with a re-included file is there, holding only that file.
    assert_eq!(
        sources(&ctx, &["build/keep.txt", "build"]),
        ["build/keep.txt", "build"]
    );
    assert_eq!(walked(&ctx, "build"), ["", "keep.txt"]);
    // Wildcards do not see excluded files.
    assert_eq!(
        error(&ctx, &["*.log"]),
        "COPY failed: no source files were specified"
    );
    assert_eq!(sources(&ctx, &["sub/*.log"]), ["sub/deep.log"]);
}

#[test]
fn wildcards_skip_excluded() {
    let (_dir, ctx) = context(&["a.log", "b.txt", "c.txt"], Some("b.txt\n"));
    assert_eq!(sources(&ctx, &["*.txt"]), ["c.txt"]);
    assert_eq!(
        error(&ctx, &["b.*"]),
        "COPY failed: no source files were specified"
    );
}

#[test]
fn walk_of_the_root_filters_and_sorts() {
    let ignore = "*.log\nbuild\n!build/keep.txt\nempty\n";
    let (_dir, ctx) = context(
        &[
            "app.log",
            "z.txt",
            "a.txt",
            "a-b",
            "a/inner",
            "build/out.o",
            "build/keep.txt",
            "build/sub/x.o",
            "empty/",
            "kept/",
        ],
        Some(ignore),
    );
    assert_eq!(
        walked(&ctx, "."),
        [
            "",
            ".dockerignore",
            "a",
            "a/inner",
            "a-b",
            "a.txt",
            "build",
            "build/keep.txt",
            "kept",
            "z.txt"
        ]
    );
}

#[test]
fn excluded_dir_with_exception_below_a_pruned_sibling() {
    // `build/sub` holds nothing re-included: no parent entry for it.
    let (_dir, ctx) = context(
        &["build/sub/x.o", "build/z/keep.txt"],
        Some("build\n!build/z/keep.txt\n"),
    );
    assert_eq!(walked(&ctx, "build"), ["", "z", "z/keep.txt"]);
    assert_eq!(error(&ctx, &["build/sub"]), not_found_msg("build/sub"));
}

// --- symlinks ---

#[test]
fn top_level_symlinks_are_followed_inside_the_root() {
    let (dir, ctx) = context(&["real/f.txt", "real/g.txt", "top.txt"], None);
    let root = dir.path();
    symlink("real", root.join("dirlink")).unwrap();
    symlink("/real/f.txt", root.join("abslink")).unwrap();
    symlink("../../../../top.txt", root.join("climbing")).unwrap();
    symlink("dirlink/../top.txt", root.join("chain")).unwrap();
    symlink("/etc/passwd", root.join("outside")).unwrap();
    symlink("missing", root.join("dangling")).unwrap();
    symlink("loop", root.join("loop")).unwrap();

    let entries = resolve(&ctx, &["dirlink", "abslink", "climbing", "chain"]).unwrap();
    let resolved: Vec<_> = entries.iter().map(|e| e.resolved().to_path_buf()).collect();
    assert_eq!(
        resolved,
        ["real", "real/f.txt", "top.txt", "top.txt"].map(PathBuf::from)
    );
    assert!(entries[0].is_dir());
    assert_eq!(entries[1].name(), Some(OsStr::new("abslink")));
    // Through a link in the middle of the path.
    assert_eq!(
        resolve(&ctx, &["dirlink/g.txt"]).unwrap()[0].resolved(),
        Path::new("real/g.txt")
    );
    // Wildcards after a linked directory match below its target.
    assert_eq!(
        sources(&ctx, &["dirlink/*.txt"]),
        ["real/f.txt", "real/g.txt"]
    );
    // `/etc/passwd` means the context's own etc/passwd.
    assert_eq!(error(&ctx, &["outside"]), not_found_msg("outside"));
    assert_eq!(error(&ctx, &["dangling"]), not_found_msg("dangling"));
    assert!(error(&ctx, &["loop"]).contains("too many levels of symbolic links"));
    // A matched dangling link is an error, not a silent skip.
    assert_eq!(error(&ctx, &["dang*"]), not_found_msg("dangling"));
    // The walk of a followed source yields the target's contents.
    assert_eq!(walked(&ctx, "dirlink"), ["", "f.txt", "g.txt"]);
}

#[test]
fn symlinks_to_excluded_paths_are_missing() {
    let (dir, ctx) = context(&["secret/key", "a.txt"], Some("secret\n"));
    symlink("secret/key", dir.path().join("link")).unwrap();
    assert_eq!(error(&ctx, &["link"]), not_found_msg("link"));
}

#[test]
fn links_inside_a_copied_dir_stay_links() {
    let (dir, ctx) = context(&["d/f.txt", "other/g.txt"], None);
    symlink("../other", dir.path().join("d/link")).unwrap();
    let entries = resolve(&ctx, &["d"]).unwrap();
    let mut seen = Vec::new();
    ctx.walk(&entries[0], |item| {
        seen.push((
            item.rel.display().to_string(),
            item.metadata.file_type().is_symlink(),
        ));
        Ok(())
    })
    .unwrap();
    assert_eq!(
        seen,
        [
            ("".into(), false),
            ("f.txt".into(), false),
            ("link".into(), true)
        ]
    );
}

// --- checksum ---

#[test]
fn checksum_is_stable_and_sensitive() {
    let (dir, ctx) = context(
        &["app/main.rs", "app/lib/x.rs", "app/debug.log", "README"],
        Some("app/*.log\n"),
    );
    let root = dir.path();
    let base = checksum(&ctx, &["app", "README"]);
    assert_eq!(base, checksum(&ctx, &["app", "README"]));

    // mtime is not content.
    let old = SystemTime::now() - Duration::from_secs(86_400);
    fs::File::options()
        .write(true)
        .open(root.join("app/main.rs"))
        .unwrap()
        .set_modified(old)
        .unwrap();
    assert_eq!(base, checksum(&ctx, &["app", "README"]));

    // Excluded files do not count, changed or added.
    write(root, "app/debug.log", "changed");
    write(root, "app/new.log", "new");
    assert_eq!(base, checksum(&ctx, &["app", "README"]));

    // One byte of content.
    write(root, "app/lib/x.rs", "content of app/lib/x.rX");
    let changed = checksum(&ctx, &["app", "README"]);
    assert_ne!(base, changed);
    write(root, "app/lib/x.rs", "content of app/lib/x.rs");
    assert_eq!(base, checksum(&ctx, &["app", "README"]));

    // Mode bits, setuid included.
    let main = root.join("app/main.rs");
    fs::set_permissions(&main, fs::Permissions::from_mode(0o755)).unwrap();
    let exec = checksum(&ctx, &["app", "README"]);
    assert_ne!(base, exec);
    fs::set_permissions(&main, fs::Permissions::from_mode(0o4755)).unwrap();
    assert_ne!(exec, checksum(&ctx, &["app", "README"]));
    fs::set_permissions(&main, fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(base, checksum(&ctx, &["app", "README"]));

    // A directory's mode.
    fs::set_permissions(root.join("app/lib"), fs::Permissions::from_mode(0o700)).unwrap();
    assert_ne!(base, checksum(&ctx, &["app", "README"]));
    fs::set_permissions(root.join("app/lib"), fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(base, checksum(&ctx, &["app", "README"]));

    // A new file or an empty directory inside a copied directory.
    write(root, "app/lib/y.rs", "");
    assert_ne!(base, checksum(&ctx, &["app", "README"]));
    fs::remove_file(root.join("app/lib/y.rs")).unwrap();
    fs::create_dir(root.join("app/empty")).unwrap();
    assert_ne!(base, checksum(&ctx, &["app", "README"]));
    fs::remove_dir(root.join("app/empty")).unwrap();
    assert_eq!(base, checksum(&ctx, &["app", "README"]));

    // Order and naming of sources.
    assert_ne!(base, checksum(&ctx, &["README", "app"]));
}

#[test]
fn checksum_covers_names_and_link_targets() {
    let (dir, ctx) = context(&["a.txt", "d/x"], None);
    let root = dir.path();
    write(root, "b.txt", "content of a.txt");
    // Same content, different source name: a different destination file.
    assert_ne!(checksum(&ctx, &["a.txt"]), checksum(&ctx, &["b.txt"]));
    // A wildcard that comes to match another file.
    let before = checksum(&ctx, &["a*"]);
    write(root, "a2.txt", "");
    assert_ne!(before, checksum(&ctx, &["a*"]));

    symlink("x", root.join("d/l")).unwrap();
    let with_link = checksum(&ctx, &["d"]);
    fs::remove_file(root.join("d/l")).unwrap();
    symlink("y", root.join("d/l")).unwrap();
    assert_ne!(with_link, checksum(&ctx, &["d"]));
}

#[test]
fn checksum_of_a_followed_source_is_its_target_content() {
    let (dir, ctx) = context(&["real/f.txt"], None);
    symlink("real", dir.path().join("link")).unwrap();
    symlink("real", dir.path().join("link2")).unwrap();
    // Which link was used does not matter; the source name does, for every COPY.
    let a = checksum(&ctx, &["link"]);
    assert_eq!(a, checksum(&ctx, &["link"]));
    assert_ne!(a, checksum(&ctx, &["real"]));
    write(dir.path(), "real/f.txt", "other");
    assert_ne!(a, checksum(&ctx, &["link"]));
}

// --- tarball contexts ---

/// A tar header with any name bytes (the tar crate's `set_path` refuses `..`).
fn raw_entry(out: &mut Vec<u8>, name: &str, kind: EntryType, data: &[u8], link: &str) {
    let mut h = Header::new_gnu();
    h.set_entry_type(kind);
    h.set_size(data.len() as u64);
    h.set_mode(if kind == EntryType::Directory {
        0o755
    } else {
        0o644
    });
    h.set_mtime(1_000_000);
    let old = h.as_old_mut();
    old.name[..name.len()].copy_from_slice(name.as_bytes());
    old.linkname[..link.len()].copy_from_slice(link.as_bytes());
    h.set_cksum();
    out.extend_from_slice(h.as_bytes());
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(512) * 512, 0);
}

fn finish(mut tar: Vec<u8>) -> Vec<u8> {
    tar.extend_from_slice(&[0; 1024]);
    tar
}

fn sample_tar() -> Vec<u8> {
    let mut tar = Vec::new();
    raw_entry(
        &mut tar,
        "Dockerfile",
        EntryType::Regular,
        b"FROM scratch\n",
        "",
    );
    raw_entry(
        &mut tar,
        ".dockerignore",
        EntryType::Regular,
        b"*.log\n",
        "",
    );
    raw_entry(&mut tar, "app/", EntryType::Directory, b"", "");
    raw_entry(
        &mut tar,
        "app/main.rs",
        EntryType::Regular,
        b"fn main() {}\n",
        "",
    );
    raw_entry(&mut tar, "app/link", EntryType::Symlink, b"", "main.rs");
    raw_entry(&mut tar, "app/hard", EntryType::Link, b"", "app/main.rs");
    raw_entry(&mut tar, "/abs/x", EntryType::Regular, b"x", "");
    raw_entry(&mut tar, "debug.log", EntryType::Regular, b"noise", "");
    finish(tar)
}

fn check_sample(ctx: &BuildContext) {
    let root = ctx.root();
    assert_eq!(
        fs::read(root.join("app/main.rs")).unwrap(),
        b"fn main() {}\n"
    );
    assert_eq!(
        fs::read_link(root.join("app/link")).unwrap(),
        Path::new("main.rs")
    );
    assert_eq!(fs::read(root.join("app/hard")).unwrap(), b"fn main() {}\n");
    assert_eq!(fs::read(root.join("abs/x")).unwrap(), b"x");
    let mode = fs::metadata(root.join("app")).unwrap().permissions().mode();
    assert_eq!(mode & 0o7777, 0o755);
    // The tarball's own .dockerignore applies.
    assert_eq!(error(ctx, &["debug.log"]), not_found_msg("debug.log"));
    assert_eq!(walked(ctx, "app"), ["", "hard", "link", "main.rs"]);
}

#[test]
fn from_tar_plain_gzip_zstd() {
    let tar = sample_tar();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&tar).unwrap();
    let gz = gz.finish().unwrap();
    let zst = zstd::encode_all(&tar[..], 1).unwrap();
    for bytes in [tar, gz, zst] {
        let dir = TempDir::new().unwrap();
        let dest = dir.path().join("ctx");
        let ctx = BuildContext::from_tar(&bytes[..], &dest, None).unwrap();
        check_sample(&ctx);
    }
}

#[test]
fn from_tar_refuses_escapes() {
    let cases: [(&str, EntryType, &str, &str); 4] = [
        (
            "../evil",
            EntryType::Regular,
            "",
            "tar entry \"../evil\" is outside the build context",
        ),
        (
            "a/../../evil",
            EntryType::Regular,
            "",
            "is outside the build context",
        ),
        (
            "l",
            EntryType::Symlink,
            "../outside",
            "symlink target \"../outside\" is outside",
        ),
        (
            "h",
            EntryType::Link,
            "../../etc/passwd",
            "is outside the build context",
        ),
    ];
    for (name, kind, link, want) in cases {
        let dir = TempDir::new().unwrap();
        let dest = dir.path().join("ctx");
        let mut tar = Vec::new();
        raw_entry(&mut tar, name, kind, b"", link);
        let err = BuildContext::from_tar(&finish(tar)[..], &dest, None).unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.contains(want), "{name}: {msg}");
        assert!(!dir.path().join("evil").exists());
    }
}

#[test]
fn from_tar_resolves_links_inside_the_root() {
    let dir = TempDir::new().unwrap();
    let dest = dir.path().join("ctx");
    let mut tar = Vec::new();
    // A link to `/` then a file through it: lands in the context, not in the real `/`.
    raw_entry(&mut tar, "up", EntryType::Symlink, b"", "/");
    raw_entry(&mut tar, "up/escaped-file", EntryType::Regular, b"x", "");
    // A link that climbs within the root is fine.
    raw_entry(&mut tar, "d/inner", EntryType::Symlink, b"", "../up");
    // A later entry replaces an earlier one.
    raw_entry(&mut tar, "d/f", EntryType::Regular, b"old", "");
    raw_entry(&mut tar, "d/f", EntryType::Regular, b"new", "");
    let ctx = BuildContext::from_tar(&finish(tar)[..], &dest, None).unwrap();
    assert_eq!(fs::read(dest.join("escaped-file")).unwrap(), b"x");
    assert!(!Path::new("/escaped-file").exists());
    assert!(
        fs::symlink_metadata(dest.join("up"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read(dest.join("d/f")).unwrap(), b"new");
    assert_eq!(
        sources(&ctx, &["d/inner/escaped-file"]),
        ["d/inner/escaped-file"]
    );
}
