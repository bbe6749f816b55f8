//! Loading a seccomp BPF program without forcing no_new_privs (seccompiler's apply_filter
//! always sets it; Podman's default leaves it off so setuid binaries keep working). The
//! caller must hold CAP_SYS_ADMIN (in its user namespace) when no_new_privs is off.

use std::io;

use anyhow::{Context, Result};

const SECCOMP_SET_MODE_FILTER: libc::c_ulong = 1;

pub fn load_filter(program: &[seccompiler::sock_filter]) -> Result<()> {
    let len = u16::try_from(program.len()).context("seccomp program too long")?;
    // seccompiler's sock_filter is #[repr(C)] with the kernel's layout, as libc's is.
    let prog = libc::sock_fprog {
        len,
        filter: program.as_ptr().cast::<libc::sock_filter>().cast_mut(),
    };
    // SAFETY: `prog` points at `program`, which outlives the call; the kernel copies the
    // filter and does not keep the pointer.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_seccomp,
            SECCOMP_SET_MODE_FILTER,
            0 as libc::c_ulong,
            &prog as *const libc::sock_fprog,
        )
    };
    if rc != 0 {
        return Err(io::Error::last_os_error()).context("loading the seccomp filter");
    }
    Ok(())
}
