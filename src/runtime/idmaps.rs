//! The id maps of a rootless container's user namespace, as spec entries: the user's own id
//! and subordinate ranges (or, with `--userns=keep-id`, the user's id kept in place).

use anyhow::Result;
use oci_spec::runtime::{LinuxIdMapping, LinuxIdMappingBuilder};

use crate::sys;

/// The uid and gid maps for a rootless container.
pub fn rootless_spec_maps(keep_id: bool) -> Result<(Vec<LinuxIdMapping>, Vec<LinuxIdMapping>)> {
    let (uid, gid) = real_ids();
    let name = sys::idmap::current_user_name().unwrap_or_default();
    let maps = sys::idmap::rootless_id_maps(uid, gid, &name)?;
    sys::userns::warn_single_map_once(maps.has_subordinate_ranges(), &name);
    let conv = |m: &[sys::IdMap], own: u32| -> Result<Vec<LinuxIdMapping>> {
        let mut entries: Vec<(u32, u32, u32)> = m
            .iter()
            .map(|e| (e.container_id, e.host_id, e.size))
            .collect();
        if keep_id {
            entries = keep_id_map(&entries, own);
        }
        entries
            .into_iter()
            .map(|(c, h, s)| {
                LinuxIdMappingBuilder::default()
                    .container_id(c)
                    .host_id(h)
                    .size(s)
                    .build()
                    .map_err(|e| anyhow::anyhow!("id map: {e}"))
            })
            .collect()
    };
    Ok((conv(&maps.uid_map, uid)?, conv(&maps.gid_map, gid)?))
}

/// `--userns=keep-id`: the user's own id maps to the same id inside; the subordinate ids
/// fill 0..id and what follows, as Podman does.
fn keep_id_map(rootless: &[(u32, u32, u32)], own: u32) -> Vec<(u32, u32, u32)> {
    let subs: Vec<(u32, u32)> = rootless
        .iter()
        .filter(|(c, _, _)| *c != 0)
        .map(|(_, h, s)| (*h, *s))
        .collect();
    let mut out = vec![(own, own_host(rootless), 1)];
    let mut next_container = 0u32;
    for (host, size) in subs {
        let mut host = host;
        let mut size = size;
        while size > 0 {
            if next_container == own {
                next_container += 1;
            }
            let limit = if next_container < own {
                own - next_container
            } else {
                size
            };
            let n = size.min(limit);
            out.push((next_container, host, n));
            next_container += n;
            host += n;
            size -= n;
        }
    }
    out
}

fn own_host(rootless: &[(u32, u32, u32)]) -> u32 {
    rootless
        .iter()
        .find(|(c, _, _)| *c == 0)
        .map(|(_, h, _)| *h)
        .unwrap_or(0)
}

/// The caller's real uid and gid.
pub fn real_ids() -> (u32, u32) {
    (
        rustix::process::getuid().as_raw(),
        rustix::process::getgid().as_raw(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_id_maps_own_id_in_place() {
        let rootless = vec![(0, 1001, 1), (1, 100000, 65536)];
        let m = keep_id_map(&rootless, 1001);
        assert_eq!(m[0], (1001, 1001, 1));
        assert_eq!(m[1], (0, 100000, 1001));
        assert_eq!(m[2], (1002, 101001, 64535));
        let total: u32 = m.iter().map(|e| e.2).sum();
        assert_eq!(total, 65537);
    }
}
