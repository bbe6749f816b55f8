//! Looking paths up in a stack of unpacked layers (overlay lower-dir form) as the merged
//! view shows them, without mounting anything: a 0/0 character device is a whiteout (the
//! path is gone), a directory marked opaque (`trusted.overlay.opaque` or
//! `user.overlay.opaque` = "y") hides what lower layers have below it, and anything that is
//! not a directory hides lower layers' directories of the same name.
//!
//! Nothing here follows a symlink on the host: a lookup through a symlink in the merged view
//! finds nothing, and [`resolve`] follows links itself, inside the stack, as if it were `/`.

use std::collections::VecDeque;
use std::fs::Metadata;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

/// How many symlinks [`resolve`] follows before giving up (Linux's limit).
const MAX_LINKS: usize = 40;

/// What one layer says about a path.
enum InLayer {
    Found(PathBuf, Metadata),
    /// Deleted here (a whiteout), or cut off (a non-directory or an opaque directory on the
    /// way): lower layers must not be searched.
    Hidden,
    Absent,
}

fn in_layer(layer: &Path, parts: &[&str]) -> InLayer {
    let mut current = layer.to_path_buf();
    for (i, part) in parts.iter().enumerate() {
        current.push(part);
        let Ok(meta) = std::fs::symlink_metadata(&current) else {
            // Missing here: an opaque parent in this layer hides lower layers' entries too.
            return match i > 0 && current.parent().is_some_and(is_opaque) {
                true => InLayer::Hidden,
                false => InLayer::Absent,
            };
        };
        if meta.file_type().is_char_device() && meta.rdev() == 0 {
            return InLayer::Hidden;
        }
        if i + 1 == parts.len() {
            return InLayer::Found(current, meta);
        }
        if !meta.is_dir() {
            return InLayer::Hidden;
        }
    }
    InLayer::Absent
}

fn parts(rel: &Path) -> Vec<&str> {
    rel.to_str()
        .unwrap_or("")
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect()
}

/// The entry at `rel` in the merged view of `layers` (top first): the host path in the
/// topmost layer that has it and its lstat. None when absent, deleted, or reached through
/// something that is not a directory (a symlink included).
pub fn lookup(layers: &[PathBuf], rel: &Path) -> Option<(PathBuf, Metadata)> {
    let parts = parts(rel);
    if parts.is_empty() {
        return None;
    }
    for layer in layers {
        match in_layer(layer, &parts) {
            InLayer::Found(path, meta) => return Some((path, meta)),
            InLayer::Hidden => return None,
            InLayer::Absent => {}
        }
    }
    None
}

/// The directories that make up the merged directory `rel`, top first (what an overlay of
/// them would show). Empty when `rel` is no directory in the merged view.
pub fn merged_dirs(layers: &[PathBuf], rel: &Path) -> Vec<PathBuf> {
    let parts = parts(rel);
    let mut out = Vec::new();
    for layer in layers {
        if parts.is_empty() {
            out.push(layer.clone());
            if is_opaque(layer) {
                break;
            }
            continue;
        }
        match in_layer(layer, &parts) {
            InLayer::Found(path, meta) if meta.is_dir() => {
                let opaque = is_opaque(&path);
                out.push(path);
                if opaque {
                    break;
                }
            }
            InLayer::Found(..) | InLayer::Hidden => break,
            InLayer::Absent => {}
        }
    }
    out
}

/// `path` (inside the image) with every symlink on the way followed inside the layer stack,
/// as if it were `/` (`..` stops at the root): the relative path of an entry that exists and
/// is reached through directories only.
pub fn resolve(layers: &[PathBuf], path: &str) -> Result<PathBuf> {
    let mut pending: VecDeque<String> = path.split('/').map(str::to_string).collect();
    let mut done: Vec<String> = Vec::new();
    let mut links = 0;
    while let Some(part) = pending.pop_front() {
        match part.as_str() {
            "" | "." => continue,
            ".." => {
                done.pop();
                continue;
            }
            _ => {}
        }
        done.push(part);
        let rel: PathBuf = done.iter().collect();
        let Some((host, meta)) = lookup(layers, &rel) else {
            bail!("{path}: no such file or directory");
        };
        if !meta.file_type().is_symlink() {
            continue;
        }
        links += 1;
        if links > MAX_LINKS {
            bail!("{path}: too many levels of symbolic links");
        }
        let target = std::fs::read_link(&host)?;
        let target = target.to_string_lossy();
        done.pop();
        if target.starts_with('/') {
            done.clear();
        }
        for p in target.split('/').rev() {
            pending.push_front(p.to_string());
        }
    }
    Ok(done.iter().collect())
}

/// Whether an overlay directory is marked opaque (rootful or userxattr spelling).
pub fn is_opaque(dir: &Path) -> bool {
    ["trusted.overlay.opaque", "user.overlay.opaque"]
        .iter()
        .any(|name| {
            let mut buf = [0u8; 4];
            matches!(rustix::fs::lgetxattr(dir, *name, &mut buf), Ok(1) if buf[0] == b'y')
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::symlink;

    struct Stack {
        _tmp: tempfile::TempDir,
        top: PathBuf,
        base: PathBuf,
    }

    impl Stack {
        fn new() -> Stack {
            let tmp = tempfile::tempdir().unwrap();
            let (top, base) = (tmp.path().join("top"), tmp.path().join("base"));
            fs::create_dir_all(&top).unwrap();
            fs::create_dir_all(&base).unwrap();
            Stack {
                _tmp: tmp,
                top,
                base,
            }
        }

        fn layers(&self) -> Vec<PathBuf> {
            vec![self.top.clone(), self.base.clone()]
        }
    }

    fn whiteout(path: &Path) -> bool {
        rustix::fs::mknodat(
            rustix::fs::CWD,
            path,
            rustix::fs::FileType::CharacterDevice,
            rustix::fs::Mode::from_raw_mode(0),
            0,
        )
        .is_ok()
    }

    #[test]
    fn lookups_through_the_stack() {
        let s = Stack::new();
        fs::create_dir_all(s.base.join("etc")).unwrap();
        fs::write(s.base.join("etc/passwd"), "base").unwrap();
        fs::create_dir_all(s.top.join("etc")).unwrap();
        fs::write(s.top.join("etc/group"), "top").unwrap();
        let l = s.layers();
        let (p, _) = lookup(&l, Path::new("etc/passwd")).unwrap();
        assert_eq!(p, s.base.join("etc/passwd"));
        let (p, _) = lookup(&l, Path::new("/etc/group")).unwrap();
        assert_eq!(p, s.top.join("etc/group"));
        assert!(lookup(&l, Path::new("etc/nope")).is_none());
        assert_eq!(
            merged_dirs(&l, Path::new("etc")),
            vec![s.top.join("etc"), s.base.join("etc")]
        );
        // A file in an upper layer hides a lower directory of the same name.
        fs::create_dir_all(s.base.join("d/sub")).unwrap();
        fs::write(s.top.join("d"), "").unwrap();
        assert!(lookup(&l, Path::new("d/sub")).is_none());
        assert!(merged_dirs(&l, Path::new("d")).is_empty());
    }

    #[test]
    fn symlinks_resolve_inside_the_stack() {
        let s = Stack::new();
        fs::create_dir_all(s.base.join("real/dir")).unwrap();
        fs::write(s.base.join("real/dir/f"), "").unwrap();
        symlink("/real", s.top.join("abs")).unwrap();
        symlink("../../../real/dir", s.top.join("rel")).unwrap();
        symlink("/etc", s.top.join("host")).unwrap();
        symlink("loop", s.top.join("loop")).unwrap();
        let l = s.layers();
        assert_eq!(
            resolve(&l, "/abs/dir/f").unwrap(),
            PathBuf::from("real/dir/f")
        );
        assert_eq!(resolve(&l, "rel").unwrap(), PathBuf::from("real/dir"));
        assert_eq!(
            resolve(&l, "/..//real/./dir").unwrap(),
            PathBuf::from("real/dir")
        );
        // `/etc` is the image's, which has none: never the host's.
        assert!(resolve(&l, "host/passwd").is_err());
        assert!(resolve(&l, "loop").is_err());
        // Through a symlink, a plain lookup finds nothing.
        assert!(lookup(&l, Path::new("abs/dir")).is_none());
    }

    #[test]
    fn whiteouts_and_opaque_dirs_hide_lower_layers() {
        let s = Stack::new();
        fs::create_dir_all(s.base.join("home/user")).unwrap();
        fs::create_dir_all(s.base.join("opq/old")).unwrap();
        fs::create_dir_all(s.top.join("home")).unwrap();
        fs::create_dir_all(s.top.join("opq")).unwrap();
        // Whiteouts and trusted.* xattrs need root.
        if !whiteout(&s.top.join("home/user")) {
            return;
        }
        rustix::fs::setxattr(
            s.top.join("opq"),
            "trusted.overlay.opaque",
            b"y",
            rustix::fs::XattrFlags::empty(),
        )
        .unwrap();
        let l = s.layers();
        assert!(lookup(&l, Path::new("home/user")).is_none());
        assert!(lookup(&l, Path::new("opq/old")).is_none());
        assert_eq!(merged_dirs(&l, Path::new("opq")), vec![s.top.join("opq")]);
        assert!(resolve(&l, "home/user").is_err());
    }
}
