//! Default store locations, as Podman's: rootless under XDG dirs, rootful under /var/lib.

use std::env;
use std::fs;
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// `$XDG_DATA_HOME/skiff` (default `~/.local/share/skiff`) rootless, `/var/lib/skiff` rootful.
pub fn default_root(rootless: bool) -> PathBuf {
    if !rootless {
        return PathBuf::from("/var/lib/skiff");
    }
    if let Some(d) = env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(d).join("skiff");
    }
    home_dir().join(".local/share/skiff")
}

/// `/run/skiff` rootful. Rootless, as Podman picks its runtime dir: `$XDG_RUNTIME_DIR/skiff`,
/// else `/run/user/<uid>/skiff` when `/run/user/<uid>` is a directory of the user's, mode
/// 0700 (as after `su - user` or in a cron job), else `$TMPDIR/skiff-run-<uid>` (or under
/// /tmp), created 0700 and refused if another user owns it.
pub fn default_runroot(rootless: bool, uid: u32) -> Result<PathBuf> {
    if !rootless {
        return Ok(PathBuf::from("/run/skiff"));
    }
    if let Some(d) = env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d).join("skiff"));
    }
    let run_user = PathBuf::from(format!("/run/user/{uid}"));
    if usable_runtime_dir(&run_user, uid) {
        return Ok(run_user.join("skiff"));
    }
    let tmp = env::var_os("TMPDIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp"));
    let dir = tmp.join(format!("skiff-run-{uid}"));
    tmp_runroot(&dir, uid)?;
    Ok(dir)
}

/// A directory (not a symlink) owned by `uid` with mode 0700.
fn usable_runtime_dir(dir: &Path, uid: u32) -> bool {
    fs::symlink_metadata(dir)
        .is_ok_and(|m| m.is_dir() && m.uid() == uid && m.permissions().mode() & 0o777 == 0o700)
}

/// Create the per-user tmp runroot 0700, or check that the existing one is the user's.
fn tmp_runroot(dir: &Path, uid: u32) -> Result<()> {
    match fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => return Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e).with_context(|| format!("creating {}", dir.display())),
    }
    let m = fs::symlink_metadata(dir).with_context(|| format!("checking {}", dir.display()))?;
    if !m.is_dir() {
        bail!("{} is not a directory", dir.display());
    }
    if m.uid() != uid {
        bail!(
            "{} is owned by uid {}, not by uid {uid}: refusing to use it as the run root",
            dir.display(),
            m.uid()
        );
    }
    Ok(())
}

pub fn home_dir() -> PathBuf {
    env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_user_dir_must_be_ours_and_0700() {
        let uid = rustix::process::getuid().as_raw();
        let t = tempfile::tempdir().unwrap();
        let d = t.path().join("rt");
        assert!(!usable_runtime_dir(&d, uid), "missing");
        fs::create_dir(&d).unwrap();
        fs::set_permissions(&d, fs::Permissions::from_mode(0o755)).unwrap();
        assert!(!usable_runtime_dir(&d, uid), "0755");
        fs::set_permissions(&d, fs::Permissions::from_mode(0o700)).unwrap();
        assert!(usable_runtime_dir(&d, uid));
        assert!(!usable_runtime_dir(&d, uid + 1), "another user's");
    }

    #[test]
    fn tmp_runroot_is_created_0700_and_refused_when_not_ours() {
        let uid = rustix::process::getuid().as_raw();
        let t = tempfile::tempdir().unwrap();
        let d = t.path().join("skiff-run-x");
        tmp_runroot(&d, uid).unwrap();
        let m = fs::metadata(&d).unwrap();
        assert_eq!(m.permissions().mode() & 0o777, 0o700);
        tmp_runroot(&d, uid).unwrap();
        let e = tmp_runroot(&d, uid + 1).unwrap_err().to_string();
        assert!(e.contains("refusing"), "{e}");
    }
}
