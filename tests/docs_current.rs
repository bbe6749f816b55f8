//! The committed man pages and completions match the CLI definitions.

#[path = "support/docs.rs"]
mod docs;

#[test]
fn man_pages_and_completions_are_current() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    let generated = docs::generate();
    for (path, content) in &generated {
        if std::fs::read(root.join(path)).ok().as_deref() != Some(content.as_slice()) {
            stale.push(path.clone());
        }
    }
    for dir in ["man", "completions"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let rel = format!("{dir}/{}", e.unwrap().file_name().to_string_lossy());
            if !generated.contains_key(&rel) {
                stale.push(format!("{rel} (no longer generated)"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files {stale:?}: run `cargo run --example gen-docs` and commit"
    );
}
