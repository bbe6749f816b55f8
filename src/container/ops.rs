//! Smaller container commands: rename, port, prune, diff, top.

use std::fs;

use anyhow::{Context, Result, bail};

use super::record::{Status, live_state, save_json};
use super::{Found, lifecycle, names};
use crate::store::Store;

pub fn rename(store: &Store, c: &Found, new: &str) -> Result<()> {
    names::reserve(store.root(), new, &c.record.id)?;
    let mut rec = c.record.clone();
    let old = std::mem::replace(&mut rec.name, new.to_string());
    if let Err(e) = save_json(&c.paths.record(), &rec) {
        names::release(store.root(), new, &c.record.id);
        return Err(e);
    }
    names::release(store.root(), &old, &c.record.id);
    Ok(())
}

/// `container prune`: remove every container that is not running; prints their ids.
pub fn prune(store: &Store) -> Result<Vec<String>> {
    let mut removed = Vec::new();
    for c in super::list(store)? {
        let st = live_state(&c.paths)?;
        if matches!(st.status, Status::Exited | Status::Created) {
            lifecycle::remove(store, &c, false, false)?;
            removed.push(c.record.id.clone());
        }
    }
    Ok(removed)
}

/// `diff`: changes in the container's upper dir against its image: A added, C changed,
/// D deleted (overlay whiteouts), as Podman lists them.
pub fn diff(store: &Store, c: &Found) -> Result<Vec<String>> {
    super::transfer::diff_upper(&c.paths.upper(), &store.lower_dirs(&c.record.layers))
}

/// `top`: the container's processes, `ps -ef` style, with in-container pids.
pub fn top(c: &Found) -> Result<String> {
    let st = live_state(&c.paths)?;
    if st.status != Status::Running {
        bail!("top can only be used on running containers");
    }
    let ns = fs::read_link(format!("/proc/{}/ns/pid", st.pid))
        .context("reading the container's pid namespace")?;
    let ticks = 100.0;
    let uptime: f64 = fs::read_to_string("/proc/uptime")?
        .split_whitespace()
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.0);
    let mut rows = vec![format!(
        "{:<10}{:<8}{:<8}{:<8}{:<16}{:<8}{:<12}{}",
        "USER", "PID", "PPID", "%CPU", "ELAPSED", "TTY", "TIME", "COMMAND"
    )];
    // USER as the container names it: the host uid mapped back through the container's
    // user namespace, then its /etc/passwd (read inside the container's root).
    let uid_map = fs::read_to_string(format!("/proc/{}/uid_map", st.pid)).unwrap_or_default();
    let names = passwd_names(st.pid);
    let mut procs: Vec<(i64, String)> = Vec::new();
    for e in fs::read_dir("/proc")?.flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        if fs::read_link(format!("/proc/{pid}/ns/pid")).ok().as_ref() != Some(&ns) {
            continue;
        }
        let Ok(status) = fs::read_to_string(format!("/proc/{pid}/status")) else {
            continue;
        };
        let field = |k: &str| {
            status
                .lines()
                .find(|l| l.starts_with(k))
                .map(|l| l[k.len()..].trim().to_string())
                .unwrap_or_default()
        };
        let inner_pid: i64 = field("NSpid:")
            .split_whitespace()
            .last()
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        let inner_ppid = inner_ppid(&field("PPid:"));
        let host_uid: u32 = field("Uid:")
            .split_whitespace()
            .nth(1)
            .and_then(|u| u.parse().ok())
            .unwrap_or(0);
        let uid = match inner_uid(&uid_map, host_uid) {
            Some(inner) => names.get(&inner).cloned().unwrap_or(inner.to_string()),
            None => host_uid.to_string(),
        };
        let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let rest: Vec<&str> = stat
            .rsplit_once(')')
            .map(|(_, r)| r.split_whitespace().collect())
            .unwrap_or_default();
        let num = |i: usize| {
            rest.get(i)
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        let cpu_secs = (num(11) + num(12)) / ticks;
        let elapsed = (uptime - num(19) / ticks).max(0.0);
        let pct = if elapsed > 0.0 {
            100.0 * cpu_secs / elapsed
        } else {
            0.0
        };
        let cmd = fs::read(format!("/proc/{pid}/cmdline"))
            .map(|b| {
                String::from_utf8_lossy(&b)
                    .replace('\0', " ")
                    .trim()
                    .to_string()
            })
            .unwrap_or_default();
        procs.push((
            inner_pid,
            format!(
                "{:<10}{:<8}{:<8}{:<8.3}{:<16}{:<8}{:<12}{}",
                uid,
                inner_pid,
                inner_ppid,
                pct,
                format!("{:.0}s", elapsed),
                "?",
                format!("{:.0}s", cpu_secs),
                cmd
            ),
        ));
    }
    procs.sort();
    rows.extend(procs.into_iter().map(|(_, r)| r));
    Ok(rows.join("\n") + "\n")
}

/// `host` as the user namespace whose uid_map is `map` sees it ("inside outside count" lines).
fn inner_uid(map: &str, host: u32) -> Option<u32> {
    map.lines().find_map(|line| {
        let n: Vec<u64> = line
            .split_whitespace()
            .filter_map(|f| f.parse().ok())
            .collect();
        let [inside, outside, count] = n[..] else {
            return None;
        };
        let host = u64::from(host);
        (host >= outside && host - outside < count)
            .then(|| u32::try_from(inside + (host - outside)).ok())
            .flatten()
    })
}

/// The container's uid -> user name, from its /etc/passwd, opened inside its root
/// (/proc/PID/root with RESOLVE_IN_ROOT: its symlinks cannot lead to a host file). Empty
/// when unreadable.
fn passwd_names(pid: i32) -> std::collections::HashMap<u32, String> {
    use rustix::fs::{Mode, OFlags, ResolveFlags};
    use std::io::Read;
    let read = || -> std::io::Result<String> {
        let root = rustix::fs::open(
            format!("/proc/{pid}/root").as_str(),
            OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
        let fd = rustix::fs::openat2(
            &root,
            "etc/passwd",
            OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NONBLOCK,
            Mode::empty(),
            ResolveFlags::IN_ROOT | ResolveFlags::NO_MAGICLINKS,
        )?;
        let file = fs::File::from(fd);
        if !file.metadata()?.is_file() {
            return Err(std::io::ErrorKind::InvalidInput.into());
        }
        let mut text = String::new();
        file.take(16 << 20).read_to_string(&mut text)?;
        Ok(text)
    };
    let mut names = std::collections::HashMap::new();
    for line in read().unwrap_or_default().lines() {
        let mut f = line.split(':');
        let (Some(name), Some(uid)) = (f.next(), f.nth(1).and_then(|u| u.parse().ok())) else {
            continue;
        };
        // The first entry for a uid names it, as getpwuid does.
        names.entry(uid).or_insert_with(|| name.to_string());
    }
    names
}

/// A host ppid as the container sees it (0 for a parent outside the container).
fn inner_ppid(host_ppid: &str) -> i64 {
    fs::read_to_string(format!("/proc/{host_ppid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("NSpid:"))
                .map(|l| l.to_string())
        })
        .and_then(|l| {
            let ids: Vec<&str> = l.split_whitespace().skip(1).collect();
            (ids.len() > 1)
                .then(|| ids.last().and_then(|p| p.parse().ok()))
                .flatten()
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::inner_uid;

    #[test]
    fn host_uids_map_back_into_the_namespace() {
        let rootless = "         0       1001          1\n         1     100000      65536\n";
        assert_eq!(inner_uid(rootless, 1001), Some(0));
        assert_eq!(inner_uid(rootless, 100000), Some(1));
        assert_eq!(inner_uid(rootless, 165533), Some(65534));
        assert_eq!(inner_uid(rootless, 165536), None);
        assert_eq!(inner_uid("0 0 4294967295\n", 65534), Some(65534));
    }
}
