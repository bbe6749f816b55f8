//! Errors that carry a process exit code (Podman's conventions: 125 for skiff's own
//! failures, 126 cannot invoke, 127 not found, otherwise the container's code).

use std::fmt;

pub const EXIT_TOOL: u8 = 125;
pub const EXIT_CANNOT_INVOKE: u8 = 126;
pub const EXIT_NOT_FOUND: u8 = 127;

/// An error with a specific exit code. Attach it to an `anyhow::Error` chain with
/// `anyhow::Error::new(ExitError::new(127, "..."))`; `exit_code_of` finds it.
#[derive(Debug)]
pub struct ExitError {
    pub code: u8,
    pub message: String,
}

impl ExitError {
    pub fn new(code: u8, message: impl Into<String>) -> Self {
        ExitError {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for ExitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExitError {}

/// The exit code an error maps to: the first `ExitError` in its chain, else 125.
pub fn exit_code_of(err: &anyhow::Error) -> u8 {
    err.chain()
        .find_map(|e| e.downcast_ref::<ExitError>().map(|x| x.code))
        .unwrap_or(EXIT_TOOL)
}
