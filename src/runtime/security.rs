//! PLACEHOLDER, replaced at merge by the real module (capabilities with `caps`, seccomp with
//! `seccompiler`, no_new_privileges). Only the signature is the contract: the runtime calls
//! this in the container process after switching to the process's user (with PR_SET_KEEPCAPS
//! set across the uid switch, so the permitted set is intact and the effective set empty when
//! the uid is not 0), right before execve; seccomp should be loaded last.

use anyhow::{Context, Result};
use oci_spec::runtime::{LinuxSeccomp, Process};

/// Applies the process's capabilities, no_new_privileges and seccomp filter to the current
/// process.
pub fn apply_process_security(process: &Process, seccomp: Option<&LinuxSeccomp>) -> Result<()> {
    let _ = seccomp;
    if process.no_new_privileges().unwrap_or(false) {
        crate::sys::process::set_no_new_privs().context("setting no_new_privileges")?;
    }
    Ok(())
}
