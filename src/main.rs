//! The `skiff` binary: parse, dispatch, map errors to Podman's exit codes.
//! `main` never returns `anyhow::Result`: errors are printed once, as one line.

use std::process::ExitCode;

fn main() -> ExitCode {
    let code = skiff::cli::main();
    ExitCode::from(code)
}
