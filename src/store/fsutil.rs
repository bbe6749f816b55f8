//! Small filesystem helpers for crash-safe writes: every file another process may read
//! while we write it goes to a temporary name in the same directory and is renamed.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A name unique to this process and call: `<prefix>-<pid>-<n>`. The pid lets garbage
/// collection tell the temporaries of live processes from those of crashed ones.
pub fn unique_name(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{prefix}-{}-{n}", std::process::id())
}

/// The pid encoded by `unique_name`, if any.
pub fn pid_of_unique_name(name: &str) -> Option<u32> {
    let mut parts = name.rsplitn(3, '-');
    parts.next()?;
    parts.next()?.parse().ok()
}

/// Write `bytes` to `path` atomically (temp file in the same directory, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".{}", unique_name("tmp")));
    let result = (|| -> io::Result<()> {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("writing {}", path.display()));
    }
    Ok(())
}

/// Remove a file or directory tree if it exists. Directories without write or search
/// permission (e.g. a layer's 0555 dirs) are made writable first.
pub fn remove_all(path: &Path) -> Result<()> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("removing {}", path.display())),
        Ok(m) if !m.is_dir() => {
            return fs::remove_file(path).with_context(|| format!("removing {}", path.display()));
        }
        Ok(_) => {}
    }
    if fs::remove_dir_all(path).is_ok() {
        return Ok(());
    }
    make_tree_writable(path);
    fs::remove_dir_all(path).with_context(|| format!("removing {}", path.display()))
}

fn make_tree_writable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(meta) = fs::symlink_metadata(path) else {
        return;
    };
    if !meta.is_dir() {
        return;
    }
    let mode = meta.permissions().mode();
    if mode & 0o700 != 0o700 {
        let _ = fs::set_permissions(path, fs::Permissions::from_mode(mode | 0o700));
    }
    if let Ok(entries) = fs::read_dir(path) {
        for e in entries.flatten() {
            make_tree_writable(&e.path());
        }
    }
}

/// Create a directory and its parents, with a clear error.
pub fn ensure_dir(path: &Path) -> Result<PathBuf> {
    fs::create_dir_all(path).with_context(|| format!("creating directory {}", path.display()))?;
    Ok(path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_names_carry_pid() {
        let n = unique_name("layer");
        assert_eq!(pid_of_unique_name(&n), Some(std::process::id()));
        assert_ne!(unique_name("x"), unique_name("x"));
    }

    #[test]
    fn atomic_write_replaces() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("f.json");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(fs::read_dir(d.path()).unwrap().count(), 1);
    }
}
