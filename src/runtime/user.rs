//! `--user` and the image's USER resolved against the container's own /etc/passwd and
//! /etc/group (never the host's), with Podman's and crun's rules and error words.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

/// Who the container's process runs as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecUser {
    pub uid: u32,
    pub gid: u32,
    /// Supplementary groups: the groups of /etc/group that list the user by name.
    pub additional_gids: Vec<u32>,
    pub home: String,
    /// The passwd name, or the numeric uid as text when passwd has no entry.
    pub name: String,
}

struct PasswdEntry<'a> {
    name: &'a str,
    uid: u32,
    gid: u32,
    home: &'a str,
}

struct GroupEntry<'a> {
    name: &'a str,
    gid: u32,
    members: Vec<&'a str>,
}

fn passwd_entries(text: &str) -> impl Iterator<Item = PasswdEntry<'_>> {
    text.lines().filter_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        if line.starts_with('#') || fields.len() < 7 {
            return None;
        }
        Some(PasswdEntry {
            name: fields[0],
            uid: fields[2].parse().ok()?,
            gid: fields[3].parse().ok()?,
            home: fields[5],
        })
    })
}

fn group_entries(text: &str) -> impl Iterator<Item = GroupEntry<'_>> {
    text.lines().filter_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        if line.starts_with('#') || fields.len() < 4 {
            return None;
        }
        Some(GroupEntry {
            name: fields[0],
            gid: fields[2].parse().ok()?,
            members: fields[3].split(',').filter(|m| !m.is_empty()).collect(),
        })
    })
}

/// Resolves "", "name", "uid", "name:group", "uid:gid", "name:gid" or "uid:group". A numeric
/// uid need not be in passwd (it then gets gid 0 and home "/"); a name must be. An explicit
/// group replaces the primary group and, as in Docker and Podman, the supplementary ones.
pub fn resolve_user(spec: &str, passwd: Option<&str>, group: Option<&str>) -> Result<ExecUser> {
    let (user_part, group_part) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let user_part = if user_part.is_empty() { "0" } else { user_part };
    let passwd = passwd.unwrap_or("");
    let group = group.unwrap_or("");

    let mut user = match parse_id(user_part)? {
        Some(uid) => match passwd_entries(passwd).find(|e| e.uid == uid) {
            Some(entry) => from_entry(&entry),
            None => ExecUser {
                uid,
                gid: 0,
                additional_gids: Vec::new(),
                home: "/".into(),
                name: uid.to_string(),
            },
        },
        None => match passwd_entries(passwd).find(|e| e.name == user_part) {
            Some(entry) => from_entry(&entry),
            None => bail!("unable to find user {user_part}: no matching entries in passwd file"),
        },
    };

    match group_part.filter(|g| !g.is_empty()) {
        Some(group_part) => {
            user.gid = resolve_group(group_part, group)?;
        }
        None => {
            user.additional_gids = group_entries(group)
                .filter(|g| g.members.contains(&user.name.as_str()) && g.gid != user.gid)
                .map(|g| g.gid)
                .collect();
        }
    }
    // An id from passwd or group is as untrusted as a typed one: setresuid(-1) would
    // mean "unchanged" and leave the process root.
    for id in [user.uid, user.gid].iter().chain(&user.additional_gids) {
        check_id(u64::from(*id))?;
    }
    Ok(user)
}

/// The largest uid or gid a container may use (Podman's limit: ids are int32 there, and
/// -1 / 4294967295 mean "unchanged" to setresuid).
pub const MAX_ID: u64 = 2_147_483_647;

/// Podman's refusal of an id above [`MAX_ID`].
pub fn check_id(id: u64) -> Result<()> {
    if id > MAX_ID {
        bail!("uids and gids must be in range 0-{MAX_ID}");
    }
    Ok(())
}

/// A numeric id (checked against [`MAX_ID`]), or None for a name.
fn parse_id(part: &str) -> Result<Option<u32>> {
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let id: u64 = part.parse().unwrap_or(u64::MAX);
    check_id(id)?;
    Ok(u32::try_from(id).ok())
}

/// Checks the numeric parts of an image config's `User` ("uid", "uid:gid", "name:gid"):
/// an image that asks for an id out of range is refused when it enters the store.
pub fn check_user_spec(spec: &str) -> Result<()> {
    let (user_part, group_part) = spec.split_once(':').unwrap_or((spec, ""));
    parse_id(user_part)?;
    parse_id(group_part)?;
    Ok(())
}

fn from_entry(entry: &PasswdEntry) -> ExecUser {
    ExecUser {
        uid: entry.uid,
        gid: entry.gid,
        additional_gids: Vec::new(),
        home: entry.home.to_string(),
        name: entry.name.to_string(),
    }
}

fn resolve_group(group_part: &str, group: &str) -> Result<u32> {
    if let Some(gid) = parse_id(group_part)? {
        return Ok(gid);
    }
    match group_entries(group).find(|g| g.name == group_part) {
        Some(entry) => Ok(entry.gid),
        None => bail!("unable to find group {group_part}: no matching entries in group file"),
    }
}

/// Reads `path` (absolute, inside the container) as the merged view of the layers (top
/// first, overlay form) shows it (see `layer::overlay`). None when absent, deleted, or not a
/// readable file.
///
/// A running container's upper dir is one of the layers and it can swap a directory for a
/// symlink at any moment, so the file is opened again below its layer with no symlink
/// followed on the way (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS), never through a host path,
/// and read only if that open finds a regular file (a FIFO cannot hang us).
pub fn read_file_from_layers(layers_top_first: &[PathBuf], path: &str) -> Option<String> {
    let (file, meta) = crate::layer::overlay::lookup(layers_top_first, Path::new(path))?;
    if !meta.is_file() {
        return None;
    }
    let layer = layers_top_first.iter().find(|l| file.starts_with(l))?;
    let rel = file.strip_prefix(layer).ok()?;
    read_beneath(layer, rel).ok()
}

/// The most of a passwd or group file we read (a larger one is not a passwd file).
const MAX_ACCOUNT_FILE: u64 = 16 << 20;

fn read_beneath(dir: &Path, rel: &Path) -> std::io::Result<String> {
    use rustix::fs::{Mode, OFlags, ResolveFlags};
    use std::io::Read;
    let flags = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NOFOLLOW;
    let dir = rustix::fs::open(dir, flags | OFlags::DIRECTORY, Mode::empty())?;
    let fd = rustix::fs::openat2(
        &dir,
        rel,
        flags | OFlags::NONBLOCK,
        Mode::empty(),
        ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS,
    )?;
    let file = std::fs::File::from(fd);
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::from(std::io::ErrorKind::InvalidInput));
    }
    let mut text = String::new();
    file.take(MAX_ACCOUNT_FILE).read_to_string(&mut text)?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\n\
        daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n\
        # a comment\n\
        www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n\
        app:x:1000:1000::/home/app:/bin/sh\n";
    const GROUP: &str = "root:x:0:\n\
        daemon:x:1:\n\
        tty:x:5:app\n\
        www-data:x:33:\n\
        app:x:1000:\n\
        docker:x:999:app,www-data\n";

    fn user(spec: &str) -> Result<ExecUser> {
        resolve_user(spec, Some(PASSWD), Some(GROUP))
    }

    #[test]
    fn forms() {
        // spec, uid, gid, supplementary gids, home, name
        type Case<'a> = (&'a str, u32, u32, &'a [u32], &'a str, &'a str);
        let cases: &[Case] = &[
            ("", 0, 0, &[], "/root", "root"),
            ("root", 0, 0, &[], "/root", "root"),
            ("app", 1000, 1000, &[5, 999], "/home/app", "app"),
            ("1000", 1000, 1000, &[5, 999], "/home/app", "app"),
            ("www-data:tty", 33, 5, &[], "/var/www", "www-data"),
            ("33:44", 33, 44, &[], "/var/www", "www-data"),
            ("app:1", 1000, 1, &[], "/home/app", "app"),
            ("1000:docker", 1000, 999, &[], "/home/app", "app"),
            ("4242", 4242, 0, &[], "/", "4242"),
            ("4242:7", 4242, 7, &[], "/", "4242"),
            ("app:", 1000, 1000, &[5, 999], "/home/app", "app"),
        ];
        for (spec, uid, gid, extra, home, name) in cases {
            let got = user(spec).unwrap();
            assert_eq!(
                got,
                ExecUser {
                    uid: *uid,
                    gid: *gid,
                    additional_gids: extra.to_vec(),
                    home: home.to_string(),
                    name: name.to_string(),
                },
                "{spec:?}"
            );
        }
    }

    #[test]
    fn errors_read_like_podman() {
        let err = user("nobody2").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unable to find user nobody2: no matching entries in passwd file"
        );
        let err = user("app:foo").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unable to find group foo: no matching entries in group file"
        );
        // No passwd file at all: numeric ids still work, names do not.
        assert_eq!(resolve_user("5:5", None, None).unwrap().uid, 5);
        assert!(resolve_user("app", None, None).is_err());
    }

    #[test]
    fn ids_out_of_range_are_refused() {
        let passwd = "big:x:4294967295:0::/:/bin/sh\nbiggid:x:7:2147483648::/:/bin/sh\n";
        let group = "huge:x:4294967294:\n";
        for spec in [
            "4294967295",
            "2147483648",
            "99999999999999999999",
            "0:4294967295",
            "big",
            "biggid",
            "0:huge",
        ] {
            let err = resolve_user(spec, Some(passwd), Some(group)).unwrap_err();
            assert_eq!(
                err.to_string(),
                "uids and gids must be in range 0-2147483647",
                "{spec:?}"
            );
        }
        assert!(user("app:2147483648").is_err());
        assert_eq!(user("2147483647:2147483647").unwrap().uid, 2147483647);
        assert!(check_user_spec("4294967295").is_err());
        assert!(check_user_spec("app:4294967295").is_err());
        assert!(check_user_spec("app:staff").is_ok());
        assert!(check_user_spec("1000:1000").is_ok());
    }

    #[test]
    fn layers_with_whiteouts() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().join("top");
        let mid = dir.path().join("mid");
        let bottom = dir.path().join("bottom");
        for layer in [&top, &mid, &bottom] {
            std::fs::create_dir_all(layer.join("etc")).unwrap();
        }
        std::fs::write(bottom.join("etc/passwd"), "bottom").unwrap();
        std::fs::write(bottom.join("etc/group"), "bottom group").unwrap();
        std::fs::write(mid.join("etc/passwd"), "mid").unwrap();
        std::fs::write(bottom.join("etc/hosts"), "hosts").unwrap();
        let layers = vec![top.clone(), mid.clone(), bottom.clone()];

        assert_eq!(
            read_file_from_layers(&layers, "/etc/passwd").as_deref(),
            Some("mid")
        );
        assert_eq!(
            read_file_from_layers(&layers, "/etc/group").as_deref(),
            Some("bottom group")
        );
        assert_eq!(read_file_from_layers(&layers, "/etc/shadow"), None);

        // A 0/0 character device whites out the file below it.
        let whiteout = rustix::fs::mknodat(
            rustix::fs::CWD,
            top.join("etc/group"),
            rustix::fs::FileType::CharacterDevice,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        );
        let root = rustix::process::geteuid().is_root();
        assert!(whiteout.is_ok() || !root, "mknod as root: {whiteout:?}");
        if whiteout.is_ok() {
            assert_eq!(read_file_from_layers(&layers, "/etc/group"), None);
        }

        // An opaque directory hides the lower layers' contents.
        let marked = rustix::fs::setxattr(
            top.join("etc"),
            "trusted.overlay.opaque",
            b"y",
            rustix::fs::XattrFlags::empty(),
        )
        .or_else(|_| {
            rustix::fs::setxattr(
                top.join("etc"),
                "user.overlay.opaque",
                b"y",
                rustix::fs::XattrFlags::empty(),
            )
        });
        assert!(marked.is_ok() || !root, "opaque xattr as root: {marked:?}");
        if marked.is_ok() {
            assert_eq!(read_file_from_layers(&layers, "/etc/hosts"), None);
            assert_eq!(read_file_from_layers(&layers, "/etc/passwd"), None);
        }
    }

    /// The re-open below the layer never leaves it: a directory swapped for a symlink (a
    /// running container's upper dir can do that between lookup and read) and a FIFO are
    /// refused, not followed or waited on.
    #[test]
    fn read_beneath_follows_no_link_and_opens_no_fifo() {
        let tmp = tempfile::tempdir().unwrap();
        let layer = tmp.path().join("layer");
        let host = tmp.path().join("host");
        std::fs::create_dir_all(&layer).unwrap();
        std::fs::create_dir_all(&host).unwrap();
        std::fs::write(host.join("passwd"), "secret:x:0:0::/:/bin/sh\n").unwrap();
        std::os::unix::fs::symlink(&host, layer.join("etc")).unwrap();
        assert!(read_beneath(&layer, Path::new("etc/passwd")).is_err());
        std::os::unix::fs::symlink("../host", layer.join("up")).unwrap();
        assert!(read_beneath(&layer, Path::new("up/passwd")).is_err());
        rustix::fs::mknodat(
            rustix::fs::CWD,
            layer.join("fifo"),
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o644),
            0,
        )
        .unwrap();
        assert!(read_beneath(&layer, Path::new("fifo")).is_err());
        std::fs::create_dir(layer.join("real")).unwrap();
        std::fs::write(layer.join("real/passwd"), "app:x:1:1::/:/bin/sh\n").unwrap();
        assert_eq!(
            read_beneath(&layer, Path::new("real/passwd")).unwrap(),
            "app:x:1:1::/:/bin/sh\n"
        );
    }
}
