//! Turning a container's OCI runtime spec into a running process, with no OCI runtime
//! binary: clone3 into the namespaces, id maps (newuidmap rootless), overlay rootfs, mounts,
//! pivot_root, capabilities, seccomp, exec. Composes the primitives of sys/.
//!
//! The caller (container/) builds the `Spec` (starting from `spec::default_spec`) and the
//! `RuntimeExtras`; `spawn` returns once the container's process has exec'd, or fails with
//! an `ExitError` (125 setup failed, 126 cannot invoke, 127 command not found).

pub mod caps;
pub mod cgroup;
mod child;
mod exec;
pub mod idmaps;
mod init;
mod mounts;
pub mod seccomp;
pub mod seccomp_profile;
pub mod security;
mod spawn;
pub mod spec;
mod sync;
#[cfg(test)]
mod tests;
pub mod user;

use std::os::fd::OwnedFd;

pub use cgroup::remove_cgroup;
pub use exec::exec_process;
pub use spawn::{reap_failed as kill_and_reap, spawn};
use std::path::PathBuf;

/// What the runtime needs beyond the OCI spec.
#[derive(Debug, Clone, Default)]
pub struct RuntimeExtras {
    /// Overlay lower dirs, top layer first. Empty: `spec.root.path` is used as the rootfs as is.
    pub lower_dirs: Vec<PathBuf>,
    /// Overlay upper and work dirs (on the same filesystem).
    pub upper_dir: PathBuf,
    pub work_dir: PathBuf,
    /// Rootless: overlay in userxattr mode, device nodes bind-mounted, id maps through
    /// newuidmap/newgidmap (or a single-id map written directly when there is no range).
    pub rootless: bool,
    /// Run skiff's tiny init as pid 1: it forks the process, reaps zombies, forwards signals.
    pub init: bool,
    /// Where compiled seccomp programs are cached (None: compile every time).
    pub seccomp_cache_dir: Option<PathBuf>,
}

/// The container process's standard streams.
#[derive(Debug)]
pub enum StdioSetup {
    /// Share the caller's stdin/stdout/stderr.
    Inherit,
    /// These fds become 0, 1 and 2.
    Fds {
        stdin: OwnedFd,
        stdout: OwnedFd,
        stderr: OwnedFd,
    },
    /// The slave side of a pty becomes the controlling terminal and 0, 1, 2.
    Pty { slave: OwnedFd },
    /// A new pty from the container's own devpts (so `tty` and job control work inside):
    /// the slave becomes the controlling terminal and 0, 1, 2; the master comes back in
    /// `Spawned::pty_master` (passed over the sync socket, as runc's console socket does).
    NewPty,
}

/// A running process we are the parent of.
#[derive(Debug)]
pub struct Spawned {
    pub pid: i32,
    pub pidfd: OwnedFd,
    /// With `StdioSetup::NewPty`: the pty master.
    pub pty_master: Option<OwnedFd>,
}
