// Generates man pages and shell completions from the clap definitions. Shared by
// `cargo run --example gen-docs` (writes them) and tests/docs_current.rs (checks them).

use std::collections::BTreeMap;
use std::path::Path;

/// Every generated file: path relative to the repo root -> content.
pub fn generate() -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let cmd = skiff::cli::command();
    man_pages(&cmd, "skiff", &mut out);
    for (shell, file) in [
        (clap_complete::Shell::Bash, "completions/skiff.bash"),
        (clap_complete::Shell::Zsh, "completions/_skiff"),
        (clap_complete::Shell::Fish, "completions/skiff.fish"),
    ] {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut skiff::cli::command(), "skiff", &mut buf);
        if shell == clap_complete::Shell::Bash {
            // Container, image and volume names, which clap's static script cannot know.
            buf.extend_from_slice(include_bytes!("completion_names.bash"));
        }
        out.insert(file.to_string(), buf);
    }
    out
}

fn man_pages(cmd: &clap::Command, name: &str, out: &mut BTreeMap<String, Vec<u8>>) {
    let cmd = cmd
        .clone()
        .name(name.to_string())
        .bin_name(name.replace('-', " "));
    let mut buf = Vec::new();
    if clap_mangen::Man::new(cmd.clone()).render(&mut buf).is_ok() {
        out.insert(format!("man/{name}.1"), buf);
    }
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" || sub.is_hide_set() {
            continue;
        }
        man_pages(sub, &format!("{name}-{}", sub.get_name()), out);
    }
}

#[allow(dead_code)]
pub fn write_all(root: &Path) -> std::io::Result<()> {
    for dir in ["man", "completions"] {
        let d = root.join(dir);
        if d.exists() {
            std::fs::remove_dir_all(&d)?;
        }
        std::fs::create_dir_all(&d)?;
    }
    for (path, content) in generate() {
        std::fs::write(root.join(path), content)?;
    }
    Ok(())
}
