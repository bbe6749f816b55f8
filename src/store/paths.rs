//! Default store locations, as Podman's: rootless under XDG dirs, rootful under /var/lib.

use std::env;
use std::path::PathBuf;

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

/// `$XDG_RUNTIME_DIR/skiff` rootless (falling back to /tmp/skiff-run-<uid>), `/run/skiff` rootful.
pub fn default_runroot(rootless: bool, uid: u32) -> PathBuf {
    if !rootless {
        return PathBuf::from("/run/skiff");
    }
    match env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
        Some(d) => PathBuf::from(d).join("skiff"),
        None => PathBuf::from(format!("/tmp/skiff-run-{uid}")),
    }
}

pub fn home_dir() -> PathBuf {
    env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/"))
}
