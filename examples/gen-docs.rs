//! Regenerate man/ and completions/ from the clap definitions:
//! `cargo run --example gen-docs`

#[path = "../tests/support/docs.rs"]
mod docs;

fn main() -> std::process::ExitCode {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    match docs::write_all(root) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Error: writing docs: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
