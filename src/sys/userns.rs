//! The rootless store user namespace.
//!
//! Rootless store operations (unpacking layers, removing containers, build steps) run inside a
//! user namespace that maps container uid 0 to the user and uids 1.. to the user's subordinate
//! ranges, the same way every time (see DESIGN.md, "The rootless namespace model"). The current
//! process moves itself into it, as util-linux `unshare --map-users` does:
//!
//! 1. While single-threaded, fork a helper that stays in the original namespaces.
//! 2. The process unshares CLONE_NEWUSER | CLONE_NEWNS and tells the helper to go on.
//! 3. The helper runs the setuid `newuidmap`/`newgidmap` on our pid and reports back.
//! 4. We become uid/gid 0 inside and make every mount private.
//!
//! Without subordinate ranges, or when the helpers fail, the process maps only its own ids
//! (which it may do itself) and says so in one warning line. Environment markers tell nested
//! skiff processes (`skiff unshare skiff images`) that they are already inside.

use std::io::Write;
use std::process::Command;

use anyhow::{Context, Result, anyhow, bail};
use rustix::mount::{MountPropagationFlags, mount_change};
use rustix::pipe::{PipeFlags, pipe_with};
use rustix::process::{DumpableBehavior, Pid, getpid, set_dumpable_behavior};
use rustix::thread::UnshareFlags;

use super::idmap::{
    IdMap, RootlessMaps, current_user_name, map_file_content, newidmap_args, rootless_id_maps,
};
use super::process::{exit_code_of_status, fork_child, read_to_end, wait_child};
use crate::error::{EXIT_CANNOT_INVOKE, EXIT_NOT_FOUND, ExitError};

/// Set to "1" in a process that has entered skiff's store user namespace.
pub const ENV_USERNS_CONFIGURED: &str = "_SKIFF_USERNS_CONFIGURED";
/// Set to "1" when that namespace maps only the user's own ids (chown to others fails).
pub const ENV_USERNS_SINGLE: &str = "_SKIFF_USERNS_SINGLE";
/// The user's uid outside the namespace.
pub const ENV_ROOTLESS_UID: &str = "_SKIFF_ROOTLESS_UID";
/// Set once the user was told there is no subordinate id range, so the children of one
/// command (a build enters the namespace many times) do not say it again.
const ENV_SINGLE_MAP_WARNED: &str = "_SKIFF_SINGLE_MAP_WARNED";

/// Whether the missing-subuid-range warning was given in this command already.
pub fn single_map_warned() -> bool {
    std::env::var_os(ENV_SINGLE_MAP_WARNED).is_some()
}

/// The one warning for a user without a subordinate id range: printed through the logger,
/// once for a command and the children it forks (a build or a run enters user namespaces
/// several times), with the fix. Must be called while the process is single-threaded.
pub fn warn_single_map_once(has_ranges: bool, user_name: &str) {
    if has_ranges || single_map_warned() {
        return;
    }
    log::warn!(
        "no subuid/subgid range for user \"{user_name}\" in /etc/subuid and /etc/subgid: using a single-id mapping, so files owned by other users in images are owned by you (to add one, as root: usermod --add-subuids 100000-165535 --add-subgids 100000-165535 {user_name})"
    );
    // SAFETY: the caller runs single-threaded (documented above), so nothing reads or
    // writes the environment concurrently.
    unsafe { std::env::set_var(ENV_SINGLE_MAP_WARNED, "1") };
}

/// How the namespace's ids were mapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapKind {
    /// The user's id and subordinate ranges, written by newuidmap/newgidmap.
    Full,
    /// Only the user's own uid and gid, written by the process itself.
    Single,
}

/// Whether this process runs inside skiff's store user namespace (entered here or inherited
/// from a parent skiff). The marker counts only where it can be true: uid 0 outside the
/// initial user namespace, so a stale variable in a real root shell is ignored.
pub fn in_store_userns() -> bool {
    std::env::var_os(ENV_USERNS_CONFIGURED).is_some_and(|v| v == "1")
        && rustix::process::geteuid().is_root()
        && !in_initial_userns()
}

/// Whether the store namespace maps only the user's own ids.
pub fn single_id_map() -> bool {
    in_store_userns() && std::env::var_os(ENV_USERNS_SINGLE).is_some_and(|v| v == "1")
}

/// Whether skiff runs rootless: as an unprivileged user, or as uid 0 of its own store
/// namespace (which is still that user underneath).
pub fn is_rootless() -> bool {
    !rustix::process::geteuid().is_root() || in_store_userns()
}

/// The user's uid outside the store namespace when rootless (the real uid when not yet inside).
pub fn rootless_uid() -> Option<u32> {
    if in_store_userns() {
        return std::env::var(ENV_ROOTLESS_UID).ok()?.parse().ok();
    }
    is_rootless().then(|| rustix::process::getuid().as_raw())
}

fn in_initial_userns() -> bool {
    match std::fs::read_to_string("/proc/self/uid_map") {
        Ok(map) => {
            let fields: Vec<&str> = map.split_whitespace().collect();
            fields == ["0", "0", "4294967295"]
        }
        Err(_) => true,
    }
}

/// Moves the current process into the rootless store user namespace (plus a private mount
/// namespace) and makes it uid/gid 0 there. Does nothing when rootful or already inside.
/// Must be called while the process is single-threaded (early in main).
/// Afterwards `single_id_map()` tells which mapping it got.
pub fn enter_store_userns() -> Result<()> {
    if in_store_userns() || !is_rootless() {
        return Ok(());
    }
    let uid = rustix::process::getuid().as_raw();
    let gid = rustix::process::getgid().as_raw();
    let user_name = current_user_name().unwrap_or_else(|| uid.to_string());
    let maps = rootless_id_maps(uid, gid, &user_name)?;
    let kind = enter_userns_with_maps(&maps, &user_name)?;
    // SAFETY: enter_userns_with_maps checked that this process has a single thread, so no
    // other thread can read or write the environment concurrently.
    unsafe {
        std::env::set_var(ENV_USERNS_CONFIGURED, "1");
        std::env::set_var(ENV_ROOTLESS_UID, uid.to_string());
        if kind == MapKind::Single {
            std::env::set_var(ENV_USERNS_SINGLE, "1");
        } else {
            std::env::remove_var(ENV_USERNS_SINGLE);
        }
    }
    Ok(())
}

/// Runs `f` as the owner of the store's files: rootless and not inside yet, in a forked
/// child that enters the store's user namespace (files of subordinate ids are then the
/// process's to change); otherwise right here. `f`'s text comes back either way.
pub fn as_store_owner_output(rootless: bool, f: impl FnOnce() -> Result<String>) -> Result<String> {
    if rootless && !in_store_userns() {
        super::process::run_in_child_output(|| {
            enter_store_userns()?;
            f()
        })
    } else {
        f()
    }
}

/// [`as_store_owner_output`] for work with no result.
pub fn as_store_owner(rootless: bool, f: impl FnOnce() -> Result<()>) -> Result<()> {
    as_store_owner_output(rootless, || f().map(|()| String::new())).map(|_| ())
}

/// Unshares a user and a mount namespace for the current (single-threaded) process, maps it
/// with `maps` through newuidmap/newgidmap (or its own ids only, when there are no subordinate
/// ranges or the helpers fail, with one warning line on stderr), becomes uid/gid 0 inside and
/// makes all mounts private. Reusable by the runtime for other namespaces with the same maps.
pub fn enter_userns_with_maps(maps: &RootlessMaps, user_name: &str) -> Result<MapKind> {
    let threads = super::process::thread_count()?;
    if threads != 1 {
        bail!(
            "cannot create user namespace: the process has {threads} threads (it must be entered before any thread starts)"
        );
    }
    let uid = rustix::process::getuid().as_raw();
    let gid = rustix::process::getgid().as_raw();
    // A process that changed credentials (setuid from root, a setuid binary) is not dumpable:
    // its /proc files then belong to root, and neither newuidmap nor the process itself could
    // write its maps.
    set_dumpable_behavior(DumpableBehavior::Dumpable).context("setting the process dumpable")?;

    let helper = if maps.has_subordinate_ranges() {
        Some(MapHelper::spawn(getpid(), maps)?)
    } else {
        None
    };
    if let Err(e) = unshare_user_and_mount() {
        if let Some(helper) = helper {
            helper.cancel();
        }
        return Err(e);
    }
    let kind = match helper.map(MapHelper::finish) {
        Some(Ok(())) => MapKind::Full,
        None => {
            write_single_maps(uid, gid)?;
            warn_single_map_once(false, user_name);
            MapKind::Single
        }
        Some(Err(reason)) => {
            // A range exists but newuidmap refused it: a different fix, so its own words.
            write_single_maps(uid, gid)?;
            if !single_map_warned() {
                log::warn!("{reason}: using a single-id mapping");
            }
            MapKind::Single
        }
    };
    become_root_inside()?;
    mount_change(
        "/",
        MountPropagationFlags::PRIVATE | MountPropagationFlags::REC,
    )
    .context("making mounts private in the new mount namespace")?;
    Ok(kind)
}

fn unshare_user_and_mount() -> Result<()> {
    // SAFETY: unshare_unsafe is unsafe only for CLONE_FILES (threads observing descriptors of
    // another table); we pass CLONE_NEWUSER | CLONE_NEWNS only, in a single-threaded process.
    let result =
        unsafe { rustix::thread::unshare_unsafe(UnshareFlags::NEWUSER | UnshareFlags::NEWNS) };
    result.map_err(unshare_error)
}

/// One line: "cannot create user namespace: Operation not permitted (are ... enabled?)".
fn unshare_error(e: rustix::io::Errno) -> anyhow::Error {
    let hint = match e {
        rustix::io::Errno::PERM | rustix::io::Errno::NOSPC | rustix::io::Errno::ACCESS => {
            " (are unprivileged user namespaces enabled?)"
        }
        _ => "",
    };
    anyhow!("cannot create user namespace: {}{hint}", errno_text(e))
}

/// The C library's text for an errno, without std's " (os error N)" suffix.
fn errno_text(e: rustix::io::Errno) -> String {
    let text = std::io::Error::from(e).to_string();
    match text.find(" (os error ") {
        Some(end) => text[..end].to_string(),
        None => text,
    }
}

/// Writes "0 <uid> 1" / "0 <gid> 1" for the process itself, the one mapping an unprivileged
/// process may write. A map the helper already wrote (newuidmap succeeded, newgidmap failed)
/// is kept: each map can be written once.
fn write_single_maps(uid: u32, gid: u32) -> Result<()> {
    if map_is_empty("/proc/self/uid_map")? {
        let map = [IdMap {
            container_id: 0,
            host_id: uid,
            size: 1,
        }];
        write_proc("/proc/self/uid_map", &map_file_content(&map))?;
    }
    if map_is_empty("/proc/self/gid_map")? {
        // The kernel requires setgroups to be denied before an unprivileged gid_map write.
        write_proc("/proc/self/setgroups", "deny")?;
        let map = [IdMap {
            container_id: 0,
            host_id: gid,
            size: 1,
        }];
        write_proc("/proc/self/gid_map", &map_file_content(&map))?;
    }
    Ok(())
}

fn map_is_empty(path: &str) -> Result<bool> {
    let content = std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?;
    Ok(content.trim().is_empty())
}

fn write_proc(path: &str, content: &str) -> Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .with_context(|| format!("opening {path}"))?;
    f.write_all(content.as_bytes())
        .with_context(|| format!("writing {:?} to {path}", content.trim()))
}

/// Takes uid and gid 0 of the new namespace for the real, effective and saved ids. The
/// supplementary groups are kept (unmapped ones show as nogroup): dropping them could grant
/// access that a group's negative permissions deny, and the single map forbids it anyway.
fn become_root_inside() -> Result<()> {
    rustix::thread::set_thread_res_gid(gid0(), gid0(), gid0())
        .context("setresgid(0, 0, 0) in the user namespace")?;
    rustix::thread::set_thread_res_uid(uid0(), uid0(), uid0())
        .context("setresuid(0, 0, 0) in the user namespace")?;
    Ok(())
}

fn uid0() -> rustix::process::Uid {
    rustix::process::Uid::ROOT
}

fn gid0() -> rustix::process::Gid {
    rustix::process::Gid::ROOT
}

/// The helper process that stays in the original user namespace and writes our maps with
/// the setuid newuidmap/newgidmap once we have unshared.
struct MapHelper {
    pid: Pid,
    go: std::os::fd::OwnedFd,
    report: std::os::fd::OwnedFd,
}

/// Report bytes from the helper: the first byte, then an error text.
const REPORT_OK: u8 = b'0';

impl MapHelper {
    fn spawn(target: Pid, maps: &RootlessMaps) -> Result<MapHelper> {
        let (go_r, go_w) = pipe_with(PipeFlags::CLOEXEC).context("creating a pipe")?;
        let (report_r, report_w) = pipe_with(PipeFlags::CLOEXEC).context("creating a pipe")?;
        let uid_args = newidmap_args(&maps.uid_map);
        let gid_args = newidmap_args(&maps.gid_map);
        let (mut go_r, mut go_w) = (Some(go_r), Some(go_w));
        let (mut report_r, mut report_w) = (Some(report_r), Some(report_w));
        // The closure works on the child's copy of these options: taking from them there
        // leaves the parent's untouched.
        let pid = fork_child(|| {
            // The parent's ends would keep the pipes open in the helper: close them.
            drop(go_w.take());
            drop(report_r.take());
            let go = go_r.take().expect("pipe end present");
            let report = report_w.take().expect("pipe end present");
            helper_main(target, go, report, &uid_args, &gid_args)
        })?;
        drop(go_r);
        drop(report_w);
        Ok(MapHelper {
            pid,
            go: go_w.expect("pipe end present"),
            report: report_r.expect("pipe end present"),
        })
    }

    /// The namespace could not be created: let the helper exit without mapping anything.
    fn cancel(self) {
        drop(self.go);
        drop(self.report);
        let _ = wait_child(self.pid);
    }

    /// Tells the helper to write the maps and waits for its report; Err is the reason to
    /// fall back to a single-id map, as one line.
    fn finish(self) -> std::result::Result<(), String> {
        let sent = rustix::io::write(&self.go, &[1]);
        drop(self.go);
        let report = read_to_end(self.report);
        let status = wait_child(self.pid).map_err(|e| format!("{e:#}"))?;
        if let Err(e) = sent {
            return Err(format!("cannot signal the id-map helper: {e}"));
        }
        if exit_code_of_status(status) != 0 {
            return Err(format!(
                "id-map helper failed with status {}",
                exit_code_of_status(status)
            ));
        }
        match report.as_bytes().first() {
            Some(&REPORT_OK) => Ok(()),
            Some(_) => Err(one_line(&report[1..])),
            None => Err("id-map helper exited without a report".into()),
        }
    }
}

/// The helper's side: wait for the go byte (EOF means the parent gave up), run newuidmap and
/// newgidmap on the target, report. Runs in a single-threaded forked child.
fn helper_main(
    target: Pid,
    go: std::os::fd::OwnedFd,
    report: std::os::fd::OwnedFd,
    uid_args: &[String],
    gid_args: &[String],
) -> i32 {
    let mut byte = [0u8; 1];
    match rustix::io::read(&go, &mut byte) {
        Ok(1) => {}
        _ => return 0,
    }
    let outcome = run_id_mapper("newuidmap", target, uid_args)
        .and_then(|()| run_id_mapper("newgidmap", target, gid_args));
    let message = match outcome {
        Ok(()) => vec![REPORT_OK],
        Err(reason) => [b"E".as_slice(), reason.as_bytes()].concat(),
    };
    let mut report = std::fs::File::from(report);
    let _ = report.write_all(&message);
    0
}

fn run_id_mapper(program: &str, target: Pid, args: &[String]) -> std::result::Result<(), String> {
    let output = Command::new(program)
        .arg(target.as_raw_nonzero().to_string())
        .args(args)
        .output();
    let output = match output {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(format!("{program} not found (install the uidmap package)"));
        }
        Err(e) => return Err(format!("cannot run {program}: {e}")),
    };
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let prefix = format!("{program}: ");
    let detail = stderr.trim().strip_prefix(&prefix).unwrap_or(stderr.trim());
    Err(format!("{program} failed: {}", one_line(detail)))
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `skiff unshare [cmd...]`: enters the store namespace, runs `cmd` (default $SHELL, else
/// /bin/sh) with `extra_env` added, and returns its exit code (128 + signal if killed).
pub fn run_unshare(cmd: &[String], extra_env: &[(String, String)]) -> Result<i32> {
    enter_store_userns()?;
    let shell = std::env::var("SHELL").ok().filter(|s| !s.is_empty());
    let (program, args) = match cmd.split_first() {
        Some((program, args)) => (program.clone(), args),
        None => (shell.unwrap_or_else(|| "/bin/sh".into()), &[][..]),
    };
    let mut command = Command::new(&program);
    command
        .args(args)
        .envs(extra_env.iter().map(|(k, v)| (k, v)));
    // Like system(3): a Ctrl-C or Ctrl-\ is for the command, which decides what to do with it;
    // we wait and report how it ended.
    let _guard = IgnoreInteractiveSignals::new();
    // SAFETY: the pre-exec hook only calls signal(2), which is async-signal-safe.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut command, || {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            libc::signal(libc::SIGQUIT, libc::SIG_DFL);
            Ok(())
        });
    }
    let status = match command.status() {
        Ok(status) => status,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ExitError::new(
                EXIT_NOT_FOUND,
                format!("exec: \"{program}\": executable file not found in $PATH"),
            )
            .into());
        }
        Err(e) => {
            return Err(
                ExitError::new(EXIT_CANNOT_INVOKE, format!("exec: \"{program}\": {e}")).into(),
            );
        }
    };
    use std::os::unix::process::ExitStatusExt;
    Ok(match (status.code(), status.signal()) {
        (Some(code), _) => code,
        (None, Some(sig)) => 128 + sig,
        _ => 128,
    })
}

/// Ignores SIGINT and SIGQUIT while alive, restoring the previous handlers on drop.
struct IgnoreInteractiveSignals {
    previous: [(libc::c_int, libc::sighandler_t); 2],
}

impl IgnoreInteractiveSignals {
    fn new() -> Self {
        let previous = [libc::SIGINT, libc::SIGQUIT].map(|sig| {
            // SAFETY: installing SIG_IGN runs no code of ours in signal context.
            (sig, unsafe { libc::signal(sig, libc::SIG_IGN) })
        });
        IgnoreInteractiveSignals { previous }
    }
}

impl Drop for IgnoreInteractiveSignals {
    fn drop(&mut self) {
        for (sig, handler) in self.previous {
            if handler != libc::SIG_ERR {
                // SAFETY: restores the disposition that was installed before, as it was.
                unsafe { libc::signal(sig, handler) };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! These tests fork, drop to an unprivileged test user and enter the namespace for real.
    //! They need root and the users CI creates: `skiff-test` with a subuid/subgid range and
    //! `skiff-nosub` without one (override with SKIFF_TEST_USER / SKIFF_TEST_USER_NOSUB).
    //! The forked children set environment variables while the test harness has other
    //! threads; a child only runs a few syscalls and short-lived helpers, so that is fine.

    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    use super::*;
    use crate::sys::idmap::{host_id_for, parse_map_file};
    use crate::sys::process::{lookup_user, run_in_child, switch_user};

    struct TestUser {
        name: String,
        uid: u32,
        gid: u32,
    }

    fn test_user(var: &str, default: &str) -> Option<TestUser> {
        if !rustix::process::geteuid().is_root() {
            eprintln!("skipping: needs root to switch to a test user");
            return None;
        }
        let name = std::env::var(var).unwrap_or_else(|_| default.to_string());
        let Some((uid, gid)) = lookup_user(&name) else {
            eprintln!("skipping: test user {name:?} does not exist (set {var} or create it)");
            return None;
        };
        Some(TestUser { name, uid, gid })
    }

    /// A directory every user may write into, for files created inside the namespace.
    fn shared_dir() -> tempfile::TempDir {
        let dir = tempfile::Builder::new()
            .prefix("skiff-userns-")
            .tempdir_in("/tmp")
            .unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        dir
    }

    fn user_ns_id() -> Result<std::path::PathBuf> {
        std::fs::read_link("/proc/self/ns/user").context("reading /proc/self/ns/user")
    }

    fn ensure_maps(path: &str, expected: &[IdMap]) -> Result<()> {
        let actual = parse_map_file(&std::fs::read_to_string(path)?)?;
        anyhow::ensure!(
            actual == expected,
            "{path}: {actual:?}, expected {expected:?}"
        );
        Ok(())
    }

    /// Drops to the test user, as a fresh rootless skiff process would start.
    fn become_test_user(user: &TestUser) -> Result<()> {
        // SAFETY: a forked child has a single thread.
        unsafe {
            std::env::remove_var(ENV_USERNS_CONFIGURED);
            std::env::remove_var(ENV_USERNS_SINGLE);
        }
        switch_user(user.uid, user.gid)?;
        anyhow::ensure!(
            is_rootless() && !in_store_userns(),
            "not rootless after switch"
        );
        Ok(())
    }

    #[test]
    fn enters_full_map_as_unprivileged_user() {
        let Some(user) = test_user("SKIFF_TEST_USER", "skiff-test") else {
            return;
        };
        let maps = rootless_id_maps(user.uid, user.gid, &user.name).unwrap();
        assert!(
            maps.has_subordinate_ranges(),
            "test user {} has no range in /etc/subuid and /etc/subgid",
            user.name
        );
        let dir = shared_dir();
        let file = dir.path().join("owned-by-1000");
        let outer_ns = user_ns_id().unwrap();
        run_in_child(|| {
            become_test_user(&user)?;
            enter_store_userns()?;
            anyhow::ensure!(rustix::process::geteuid().is_root(), "euid not 0 inside");
            anyhow::ensure!(rustix::process::getegid().is_root(), "egid not 0 inside");
            anyhow::ensure!(in_store_userns() && is_rootless() && !single_id_map());
            anyhow::ensure!(
                rootless_uid() == Some(user.uid),
                "rootless_uid {:?}",
                rootless_uid()
            );
            anyhow::ensure!(
                user_ns_id()? != outer_ns,
                "still in the outer user namespace"
            );
            ensure_maps("/proc/self/uid_map", &maps.uid_map)?;
            ensure_maps("/proc/self/gid_map", &maps.gid_map)?;
            std::fs::write(&file, "x")?;
            std::os::unix::fs::chown(&file, Some(1000), Some(1000)).context("chown inside")?;
            // A nested skiff (inherited markers) stays in this namespace.
            let before = user_ns_id()?;
            enter_store_userns()?;
            anyhow::ensure!(user_ns_id()? == before, "entered a second namespace");
            Ok(())
        })
        .unwrap();
        let meta = std::fs::metadata(&file).unwrap();
        assert_eq!(Some(meta.uid()), host_id_for(&maps.uid_map, 1000));
        assert_eq!(Some(meta.gid()), host_id_for(&maps.gid_map, 1000));
        assert_eq!(meta.uid(), maps.uid_map[1].host_id + 999);
    }

    #[test]
    fn falls_back_to_single_map_without_ranges() {
        let Some(user) = test_user("SKIFF_TEST_USER_NOSUB", "skiff-nosub") else {
            return;
        };
        let maps = rootless_id_maps(user.uid, user.gid, &user.name).unwrap();
        assert!(
            !maps.has_subuids,
            "test user {} should have no range in /etc/subuid",
            user.name
        );
        let dir = shared_dir();
        let file = dir.path().join("mine");
        run_in_child(|| {
            become_test_user(&user)?;
            enter_store_userns()?;
            anyhow::ensure!(rustix::process::geteuid().is_root(), "euid not 0 inside");
            anyhow::ensure!(in_store_userns() && is_rootless() && single_id_map());
            let single = |id| {
                vec![IdMap {
                    container_id: 0,
                    host_id: id,
                    size: 1,
                }]
            };
            ensure_maps("/proc/self/uid_map", &single(user.uid))?;
            ensure_maps("/proc/self/gid_map", &single(user.gid))?;
            let setgroups = std::fs::read_to_string("/proc/self/setgroups")?;
            anyhow::ensure!(setgroups.trim() == "deny", "setgroups is {setgroups:?}");
            std::fs::write(&file, "x")?;
            std::os::unix::fs::chown(&file, Some(0), Some(0)).context("chown to 0")?;
            anyhow::ensure!(
                std::os::unix::fs::chown(&file, Some(1000), None).is_err(),
                "chown to an unmapped uid succeeded"
            );
            Ok(())
        })
        .unwrap();
        let meta = std::fs::metadata(&file).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (user.uid, user.gid));
    }

    #[test]
    fn falls_back_when_newuidmap_refuses() {
        let Some(user) = test_user("SKIFF_TEST_USER", "skiff-test") else {
            return;
        };
        // A range the user does not own: newuidmap refuses it.
        let foreign = |id| {
            vec![
                IdMap {
                    container_id: 0,
                    host_id: id,
                    size: 1,
                },
                IdMap {
                    container_id: 1,
                    host_id: 3_000_000_000,
                    size: 10,
                },
            ]
        };
        let maps = RootlessMaps {
            uid_map: foreign(user.uid),
            gid_map: foreign(user.gid),
            has_subuids: true,
            has_subgids: true,
        };
        run_in_child(|| {
            become_test_user(&user)?;
            let kind = enter_userns_with_maps(&maps, &user.name)?;
            anyhow::ensure!(kind == MapKind::Single, "got {kind:?}");
            anyhow::ensure!(rustix::process::geteuid().is_root(), "euid not 0 inside");
            let single = |id| {
                vec![IdMap {
                    container_id: 0,
                    host_id: id,
                    size: 1,
                }]
            };
            ensure_maps("/proc/self/uid_map", &single(user.uid))?;
            ensure_maps("/proc/self/gid_map", &single(user.gid))?;
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn unshare_runs_commands_inside() {
        let Some(user) = test_user("SKIFF_TEST_USER", "skiff-test") else {
            return;
        };
        run_in_child(|| {
            become_test_user(&user)?;
            let sh = |script: &str| ["/bin/sh", "-c", script].map(String::from);
            let env = [("SKIFF_X".to_string(), "bar".to_string())];
            let code = run_unshare(
                &sh("test \"$SKIFF_X\" = bar && test \"$(id -u)\" = 0"),
                &env,
            )?;
            anyhow::ensure!(code == 0, "id/env check exited {code}");
            let code = run_unshare(&sh("exit 7"), &[])?;
            anyhow::ensure!(code == 7, "exit 7 gave {code}");
            let code = run_unshare(&sh("kill -9 $$"), &[])?;
            anyhow::ensure!(code == 137, "kill -9 gave {code}");
            let err = run_unshare(&["/no/such/skiff-cmd".to_string()], &[]).unwrap_err();
            anyhow::ensure!(
                crate::error::exit_code_of(&err) == 127,
                "not found: {err:#}"
            );
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn refuses_a_multi_threaded_process() {
        run_in_child(|| {
            let (tx, rx) = std::sync::mpsc::channel::<()>();
            let thread = std::thread::spawn(move || rx.recv());
            let maps = crate::sys::idmap::rootless_id_maps_from(
                1,
                1,
                "nobody-skiff",
                std::path::Path::new("/nonexistent"),
                std::path::Path::new("/nonexistent"),
            )?;
            let err = enter_userns_with_maps(&maps, "nobody-skiff").unwrap_err();
            drop(tx);
            let _ = thread.join();
            anyhow::ensure!(format!("{err:#}").contains("threads"), "{err:#}");
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn errors_are_one_line() {
        assert_eq!(
            unshare_error(rustix::io::Errno::PERM).to_string(),
            "cannot create user namespace: Operation not permitted (are unprivileged user namespaces enabled?)"
        );
        assert_eq!(
            unshare_error(rustix::io::Errno::INVAL).to_string(),
            "cannot create user namespace: Invalid argument"
        );
        assert_eq!(
            one_line("write\n to uid_map  failed"),
            "write to uid_map failed"
        );
    }
}
