//! flock-based locks. A lock file is never removed, so every process locks the same inode.

use std::fs::{File, OpenOptions};
use std::path::Path;

use anyhow::{Context, Result};
use rustix::fs::{FlockOperation, flock};

/// Held while alive; released on drop (or when the process dies, which is why flock
/// rather than lock files with pids: a kill -9 never leaves the store locked).
pub struct Lock {
    _file: File,
}

impl Lock {
    pub fn exclusive(path: &Path) -> Result<Lock> {
        Self::take(path, FlockOperation::LockExclusive)
    }

    pub fn shared(path: &Path) -> Result<Lock> {
        Self::take(path, FlockOperation::LockShared)
    }

    fn take(path: &Path, op: FlockOperation) -> Result<Lock> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(path)
            .with_context(|| format!("opening lock file {}", path.display()))?;
        loop {
            match flock(&file, op) {
                Ok(()) => return Ok(Lock { _file: file }),
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => return Err(e).with_context(|| format!("locking {}", path.display())),
            }
        }
    }
}
