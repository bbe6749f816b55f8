//! User and group id maps for user namespaces.
//!
//! Rootless skiff maps container id 0 to the user's own id and container ids 1.. to the
//! user's subordinate ranges from /etc/subuid and /etc/subgid, appended contiguously in file
//! order. The computation is pure and deterministic, so ownership on disk is the same on every
//! invocation, and the runtime reuses it for containers' own user namespaces.

use std::ffi::CStr;
use std::fmt;
use std::path::Path;

use anyhow::{Context, Result};

pub const SUBUID_PATH: &str = "/etc/subuid";
pub const SUBGID_PATH: &str = "/etc/subgid";

/// The kernel accepts at most this many lines in a uid_map or gid_map (since Linux 4.15).
const MAX_MAP_LINES: usize = 340;

/// One line of /proc/<pid>/uid_map or gid_map: `size` ids starting at `container_id` inside
/// the namespace are `host_id..` outside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdMap {
    pub container_id: u32,
    pub host_id: u32,
    pub size: u32,
}

impl fmt::Display for IdMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.container_id, self.host_id, self.size)
    }
}

/// A subordinate id range from /etc/subuid or /etc/subgid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubIdRange {
    pub start: u32,
    pub count: u32,
}

/// The id maps of the rootless store namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootlessMaps {
    pub uid_map: Vec<IdMap>,
    pub gid_map: Vec<IdMap>,
    /// Whether /etc/subuid had a range for the user (else uid_map is the single own id).
    pub has_subuids: bool,
    /// Whether /etc/subgid had a range for the user (else gid_map is the single own id).
    pub has_subgids: bool,
}

impl RootlessMaps {
    /// Both files had ranges: the full mapping through newuidmap/newgidmap is possible.
    pub fn has_subordinate_ranges(&self) -> bool {
        self.has_subuids && self.has_subgids
    }
}

/// The subordinate ranges owned by a user in the text of a subuid/subgid file. An entry's owner
/// is a user name or a numeric uid (in both files, as shadow-utils and containers/storage do).
/// Comments, blank lines and malformed lines are skipped.
pub fn parse_subid_ranges(content: &str, user_name: &str, uid: u32) -> Vec<SubIdRange> {
    let uid_text = uid.to_string();
    let mut ranges = Vec::new();
    for (n, line) in content.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((owner, range)) = parse_subid_line(line) else {
            log::debug!("skipping malformed subordinate id line {}: {line:?}", n + 1);
            continue;
        };
        if owner == user_name || owner == uid_text {
            ranges.push(range);
        }
    }
    ranges
}

fn parse_subid_line(line: &str) -> Option<(&str, SubIdRange)> {
    let mut parts = line.split(':');
    let owner = parts.next()?.trim();
    let start = parts.next()?.trim().parse::<u32>().ok()?;
    let count = parts.next()?.trim().parse::<u32>().ok()?;
    if owner.is_empty() || parts.next().is_some() || count == 0 {
        return None;
    }
    // The range must fit in the 32-bit id space.
    start.checked_add(count - 1)?;
    Some((owner, SubIdRange { start, count }))
}

/// Reads a subuid/subgid file; a missing file means no ranges.
pub fn read_subid_ranges(path: &Path, user_name: &str, uid: u32) -> Result<Vec<SubIdRange>> {
    match std::fs::read_to_string(path) {
        Ok(content) => Ok(parse_subid_ranges(&content, user_name, uid)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

/// The map for one kind of id: 0 -> own id, then the ranges appended from container id 1.
pub fn build_id_map(own_id: u32, ranges: &[SubIdRange]) -> Vec<IdMap> {
    let mut map = vec![IdMap {
        container_id: 0,
        host_id: own_id,
        size: 1,
    }];
    let mut next: u32 = 1;
    for range in ranges {
        if map.len() >= MAX_MAP_LINES {
            log::debug!(
                "ignoring subordinate ranges beyond the kernel's {MAX_MAP_LINES} map lines"
            );
            break;
        }
        // Clip a range that would run past the top of the container's id space.
        let room = u32::MAX - next;
        let size = range.count.min(room);
        if size == 0 {
            break;
        }
        map.push(IdMap {
            container_id: next,
            host_id: range.start,
            size,
        });
        next += size;
    }
    map
}

/// The rootless maps for a user, from the given subuid and subgid files.
pub fn rootless_id_maps_from(
    uid: u32,
    gid: u32,
    user_name: &str,
    subuid_path: &Path,
    subgid_path: &Path,
) -> Result<RootlessMaps> {
    let subuids = read_subid_ranges(subuid_path, user_name, uid)?;
    let subgids = read_subid_ranges(subgid_path, user_name, uid)?;
    Ok(RootlessMaps {
        uid_map: build_id_map(uid, &subuids),
        gid_map: build_id_map(gid, &subgids),
        has_subuids: !subuids.is_empty(),
        has_subgids: !subgids.is_empty(),
    })
}

/// The rootless maps for a user, from /etc/subuid and /etc/subgid.
pub fn rootless_id_maps(uid: u32, gid: u32, user_name: &str) -> Result<RootlessMaps> {
    rootless_id_maps_from(
        uid,
        gid,
        user_name,
        Path::new(SUBUID_PATH),
        Path::new(SUBGID_PATH),
    )
}

/// The content to write to /proc/<pid>/uid_map or gid_map.
pub fn map_file_content(map: &[IdMap]) -> String {
    map.iter().map(|m| format!("{m}\n")).collect()
}

/// The triples newuidmap/newgidmap take after the pid.
pub fn newidmap_args(map: &[IdMap]) -> Vec<String> {
    map.iter()
        .flat_map(|m| [m.container_id, m.host_id, m.size])
        .map(|n| n.to_string())
        .collect()
}

/// Parses the content of /proc/<pid>/uid_map or gid_map (columns separated by spaces).
pub fn parse_map_file(content: &str) -> Result<Vec<IdMap>> {
    content
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let nums: Vec<u32> = line
                .split_whitespace()
                .map(str::parse)
                .collect::<Result<_, _>>()
                .with_context(|| format!("bad id map line {line:?}"))?;
            match nums[..] {
                [container_id, host_id, size] => Ok(IdMap {
                    container_id,
                    host_id,
                    size,
                }),
                _ => anyhow::bail!("bad id map line {line:?}"),
            }
        })
        .collect()
}

/// The host id of a container id under a map, if mapped.
pub fn host_id_for(map: &[IdMap], container_id: u32) -> Option<u32> {
    map.iter().find_map(|m| {
        let offset = container_id.checked_sub(m.container_id)?;
        (offset < m.size).then(|| m.host_id + offset)
    })
}

/// The container id of a host id under a map, if mapped.
pub fn container_id_for(map: &[IdMap], host_id: u32) -> Option<u32> {
    map.iter().find_map(|m| {
        let offset = host_id.checked_sub(m.host_id)?;
        (offset < m.size).then(|| m.container_id + offset)
    })
}

/// The user name of a uid from the passwd database (files, LDAP, ... through NSS).
pub fn user_name_for_uid(uid: u32) -> Option<String> {
    let mut buf = vec![0u8; 1024];
    loop {
        // SAFETY: passwd is plain old data; all-zero is a valid (empty) value.
        let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        // SAFETY: every pointer refers to live memory of the given size; getpwuid_r writes
        // only into pwd and buf, and sets result to &pwd or null.
        let rc = unsafe {
            libc::getpwuid_r(
                uid,
                &mut pwd,
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut result,
            )
        };
        if rc == libc::ERANGE && buf.len() < 1 << 20 {
            buf.resize(buf.len() * 4, 0);
            continue;
        }
        if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
            return None;
        }
        // SAFETY: on success pw_name points to a NUL-terminated string inside buf, alive here.
        let name = unsafe { CStr::from_ptr(pwd.pw_name) };
        return Some(name.to_string_lossy().into_owned());
    }
}

/// The name of the user running skiff: the passwd entry of the real uid, else $USER.
pub fn current_user_name() -> Option<String> {
    user_name_for_uid(rustix::process::getuid().as_raw())
        .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUBUID: &str = "\
# comment line
alice:100000:65536

bob:165536:65536
1003:231072:65536
alice:300000:1000
broken line
carol:notanumber:10
dave:5:0
erin:4294967295:2
  alice : 400000 : 10
";

    #[test]
    fn parses_ranges_by_name_and_skips_junk() {
        let r = parse_subid_ranges(SUBUID, "alice", 1001);
        assert_eq!(
            r,
            vec![
                SubIdRange {
                    start: 100000,
                    count: 65536
                },
                SubIdRange {
                    start: 300000,
                    count: 1000
                },
                SubIdRange {
                    start: 400000,
                    count: 10
                },
            ]
        );
        assert!(parse_subid_ranges(SUBUID, "carol", 1).is_empty());
        assert!(parse_subid_ranges(SUBUID, "dave", 1).is_empty());
        assert!(parse_subid_ranges(SUBUID, "erin", 1).is_empty());
        assert!(parse_subid_ranges(SUBUID, "nobody", 4242).is_empty());
    }

    #[test]
    fn matches_numeric_uid() {
        let r = parse_subid_ranges(SUBUID, "frank", 1003);
        assert_eq!(
            r,
            vec![SubIdRange {
                start: 231072,
                count: 65536
            }]
        );
    }

    #[test]
    fn builds_contiguous_maps() {
        let dir = tempfile::tempdir().unwrap();
        let subuid = dir.path().join("subuid");
        let subgid = dir.path().join("subgid");
        std::fs::write(&subuid, SUBUID).unwrap();
        std::fs::write(&subgid, "alice:500000:65536\n").unwrap();
        let maps = rootless_id_maps_from(1001, 1002, "alice", &subuid, &subgid).unwrap();
        assert_eq!(
            maps.uid_map,
            vec![
                IdMap {
                    container_id: 0,
                    host_id: 1001,
                    size: 1
                },
                IdMap {
                    container_id: 1,
                    host_id: 100000,
                    size: 65536
                },
                IdMap {
                    container_id: 65537,
                    host_id: 300000,
                    size: 1000
                },
                IdMap {
                    container_id: 66537,
                    host_id: 400000,
                    size: 10
                },
            ]
        );
        assert_eq!(
            maps.gid_map,
            vec![
                IdMap {
                    container_id: 0,
                    host_id: 1002,
                    size: 1
                },
                IdMap {
                    container_id: 1,
                    host_id: 500000,
                    size: 65536
                },
            ]
        );
        assert!(maps.has_subordinate_ranges());
        assert_eq!(host_id_for(&maps.uid_map, 0), Some(1001));
        assert_eq!(host_id_for(&maps.uid_map, 1000), Some(100999));
        assert_eq!(host_id_for(&maps.uid_map, 65537), Some(300000));
        assert_eq!(host_id_for(&maps.uid_map, 66547), None);
        assert_eq!(container_id_for(&maps.uid_map, 100999), Some(1000));
        assert_eq!(container_id_for(&maps.uid_map, 99999), None);
    }

    #[test]
    fn missing_files_give_single_maps() {
        let dir = tempfile::tempdir().unwrap();
        let none = dir.path().join("none");
        let maps = rootless_id_maps_from(1001, 1001, "alice", &none, &none).unwrap();
        assert_eq!(
            maps.uid_map,
            vec![IdMap {
                container_id: 0,
                host_id: 1001,
                size: 1
            }]
        );
        assert_eq!(maps.gid_map, maps.uid_map);
        assert!(!maps.has_subuids && !maps.has_subgids && !maps.has_subordinate_ranges());
    }

    #[test]
    fn clips_at_top_of_id_space() {
        let ranges = [
            SubIdRange {
                start: 10,
                count: u32::MAX - 10,
            },
            SubIdRange {
                start: 5,
                count: 100,
            },
        ];
        let map = build_id_map(7, &ranges);
        assert_eq!(
            map[1],
            IdMap {
                container_id: 1,
                host_id: 10,
                size: u32::MAX - 10
            }
        );
        assert_eq!(
            map[2],
            IdMap {
                container_id: u32::MAX - 9,
                host_id: 5,
                size: 9
            }
        );
        assert_eq!(map.len(), 3);
    }

    #[test]
    fn formats_and_parses_map_files() {
        let map = build_id_map(
            1000,
            &[SubIdRange {
                start: 100000,
                count: 65536,
            }],
        );
        assert_eq!(map_file_content(&map), "0 1000 1\n1 100000 65536\n");
        assert_eq!(
            newidmap_args(&map),
            ["0", "1000", "1", "1", "100000", "65536"]
        );
        let kernel = "         0       1000          1\n         1     100000      65536\n";
        assert_eq!(parse_map_file(kernel).unwrap(), map);
        assert!(parse_map_file("0 1").is_err());
    }

    #[test]
    fn looks_up_root_name() {
        assert_eq!(user_name_for_uid(0).as_deref(), Some("root"));
    }
}
