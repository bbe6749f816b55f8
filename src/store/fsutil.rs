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
/// permission (e.g. a layer's 0555 dirs) are made writable first. Iterative, never following
/// a symlink below `path`, with a bounded number of open fds: a container's 30,000-level
/// tree goes as well as a flat one.
pub fn remove_all(path: &Path) -> Result<()> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("removing {}", path.display())),
        Ok(m) if !m.is_dir() => {
            return fs::remove_file(path).with_context(|| format!("removing {}", path.display()));
        }
        Ok(_) => {}
    }
    let (parent, name) = match (path.parent(), path.file_name()) {
        (Some(p), Some(n)) => (
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            },
            n,
        ),
        _ => anyhow::bail!("removing {}: not a removable path", path.display()),
    };
    let remove = || -> io::Result<()> {
        let dir = rustix::fs::open(
            parent,
            rustix::fs::OFlags::PATH | rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC,
            rustix::fs::Mode::empty(),
        )?;
        use std::os::fd::AsFd;
        use std::os::unix::ffi::OsStrExt;
        crate::layer::fsat::remove_tree_at(dir.as_fd(), name.as_bytes())
    };
    remove().with_context(|| format!("removing {}", path.display()))
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
    fn remove_all_handles_deep_and_unwritable_trees() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let top = d.path().join("top");
        // Deeper than PATH_MAX and than the fd limit of a recursive walk.
        let mut fd = rustix::fs::open(
            d.path(),
            rustix::fs::OFlags::PATH | rustix::fs::OFlags::DIRECTORY,
            rustix::fs::Mode::empty(),
        )
        .unwrap();
        let mut name = "top";
        for i in 0..3000 {
            rustix::fs::mkdirat(&fd, name, rustix::fs::Mode::from_raw_mode(0o755)).unwrap();
            fd = rustix::fs::openat(
                &fd,
                name,
                rustix::fs::OFlags::PATH | rustix::fs::OFlags::DIRECTORY,
                rustix::fs::Mode::empty(),
            )
            .unwrap();
            if i % 500 == 0 {
                rustix::fs::openat(
                    &fd,
                    "f",
                    rustix::fs::OFlags::CREATE | rustix::fs::OFlags::WRONLY,
                    rustix::fs::Mode::from_raw_mode(0o644),
                )
                .unwrap();
            }
            name = "dddd";
        }
        drop(fd);
        fs::create_dir_all(top.join("ro/inner")).unwrap();
        fs::write(top.join("ro/inner/f"), "x").unwrap();
        std::os::unix::fs::symlink(d.path(), top.join("ro/link")).unwrap();
        fs::set_permissions(top.join("ro/inner"), fs::Permissions::from_mode(0o555)).unwrap();
        fs::set_permissions(top.join("ro"), fs::Permissions::from_mode(0o000)).unwrap();
        remove_all(&top).unwrap();
        assert!(!top.exists());
        // The symlink's target (our temp dir) is untouched.
        assert!(d.path().exists());
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
