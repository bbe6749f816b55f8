//! The integration-test harness shared by every `tests/*.rs` (`mod common;`).
//!
//! Tests run the real `skiff` binary, as root and as an unprivileged test user, each in an
//! [`Env`] of its own: a fresh temporary directory holding that test's `--root` and `--runroot`.
//!
//! ```ignore
//! mod common;
//! use common::{Env, test_images};
//!
//! #[test]
//! fn load_as_user() {
//!     let Some(env) = Env::rootless() else { return };
//!     let img = test_images().join("busybox.tar");
//!     env.skiff(&["load", "-i", img.to_str().unwrap()]).success();
//!     assert!(env.skiff(&["images"]).success().stdout().contains("skiff-test/busybox"));
//! }
//! ```
//!
//! Facts this is built around (see DESIGN.md, "Testing on this machine"):
//! - CI runs as root, and the repository may live under /root, which the test user cannot
//!   read: the binary and the test images are copied into a world-readable directory first.
//!   Never hand the test user a path inside the repository or the target dir.
//! - The rootless user is `$SKIFF_TEST_USER` (default `skiff-test`, with a subuid range);
//!   `.ci/run` creates it. If it is missing, [`Env::rootless`] panics, unless
//!   `SKIFF_ALLOW_SKIP=1`, when it prints "skipped: ..." and returns `None`.
//! - Every command gets a clean environment (HOME, USER, LOGNAME, PATH, LANG, and for rootless
//!   XDG_RUNTIME_DIR; RUST_BACKTRACE and RUST_LOG pass through) and a timeout
//!   (`SKIFF_TEST_TIMEOUT` seconds, default 300), so a hang fails one test instead of CI.
//! - Dropping an [`Env`] leaves nothing behind: it runs `skiff rm --all --force` if the runroot
//!   is not empty, kills processes still naming the env's directory, lazily unmounts anything
//!   mounted below it, makes every directory writable and removes the tree (files owned by
//!   subordinate ids included). `SKIFF_TEST_KEEP=1` keeps the directory for a post-mortem.
//!
//! Environment variables: `SKIFF_TEST_USER`, `SKIFF_ALLOW_SKIP`, `SKIFF_TEST_TIMEOUT`,
//! `SKIFF_TEST_KEEP`, `SKIFF_TEST_TMPDIR` (where temporary directories go; default the system
//! temp dir, which must be reachable by the test user).
#![allow(dead_code)]

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::fs;
use std::io::{self, Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, OnceLock, mpsc};
use std::thread;
use std::time::Duration;

use tempfile::TempDir;

/// PATH given to every command run by the harness.
pub const PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/// Default rootless test user (override with `SKIFF_TEST_USER`).
pub const DEFAULT_TEST_USER: &str = "skiff-test";
/// A user without a subuid/subgid range, created by `.ci/run`.
pub const NOSUB_TEST_USER: &str = "skiff-nosub";

const HARNESS_PREFIX: &str = "skiff-harness-";
const ENV_PREFIX: &str = "skiff-env-";
/// How long a command may hold its stdout/stderr open through leftover descendants after it
/// exited, before we stop waiting and report it.
const PIPE_GRACE: Duration = Duration::from_secs(5);

// ---------------------------------------------------------------------------------------------
// Shared, world-readable files: the binary and the test images.

/// Where temporary directories go: `$SKIFF_TEST_TMPDIR` or the system temp dir.
pub fn tmp_base() -> PathBuf {
    match std::env::var_os("SKIFF_TEST_TMPDIR") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => std::env::temp_dir(),
    }
}

/// A world-readable (0755) directory private to this test process, for the copies of the
/// binary and the images. Statics are never dropped, so the directory is named after our pid
/// and each process removes the ones of processes that no longer exist.
fn shared_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = tmp_base();
        remove_stale_harness_dirs(&base);
        let dir = tempfile::Builder::new()
            .prefix(&format!("{HARNESS_PREFIX}{}-", std::process::id()))
            .tempdir_in(&base)
            .unwrap_or_else(|e| panic!("creating a temp dir in {}: {e}", base.display()))
            .keep();
        set_mode(&dir, 0o755);
        dir
    })
}

fn remove_stale_harness_dirs(base: &Path) {
    let Ok(entries) = fs::read_dir(base) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(HARNESS_PREFIX)) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// The `skiff` binary under test, copied once per test process to a world-readable place
/// (mode 0755) so that the unprivileged test user can run it.
pub fn skiff_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let src = Path::new(env!("CARGO_BIN_EXE_skiff"));
        let dest = shared_dir().join("skiff");
        let tmp = shared_dir().join(".skiff.tmp");
        // Copy in a child process: a writable fd to the binary open in this (multi-threaded)
        // process would leak into children forked meanwhile by other tests, and exec would
        // then fail with ETXTBSY.
        let mut cp = Command::new("cp");
        cp.arg("--").arg(src).arg(&tmp);
        run_command(cp, None).success();
        set_mode(&tmp, 0o755);
        fs::rename(&tmp, &dest).expect("renaming the copied binary");
        dest
    })
}

/// The directory holding the images made by `contrib/testimages/mkimages.sh`: `busybox.tar`,
/// `multilayer.tar` (oci-archives), `busybox-rootfs.tar`, `multilayer.expected`,
/// `busybox.expected`. World-readable (0755 dir, 0644 files).
///
/// They are built once into a cache under the target dir (`$CARGO_TARGET_TMPDIR/testimages/
/// <hash of the script and busybox>`), under a lock and through a rename, so parallel test
/// binaries neither race nor rebuild; each test process then copies them into its own
/// world-readable directory (the target dir may be under /root).
pub fn test_images() -> &'static Path {
    static IMAGES: OnceLock<PathBuf> = OnceLock::new();
    IMAGES.get_or_init(|| {
        let cache = build_test_images();
        let dest = shared_dir().join("images");
        fs::create_dir_all(&dest).expect("creating the images dir");
        for entry in fs::read_dir(&cache)
            .expect("reading the image cache")
            .flatten()
        {
            let to = dest.join(entry.file_name());
            fs::copy(entry.path(), &to)
                .unwrap_or_else(|e| panic!("copying {}: {e}", entry.path().display()));
            set_mode(&to, 0o644);
        }
        set_mode(&dest, 0o755);
        dest
    })
}

fn build_test_images() -> PathBuf {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("contrib/testimages/mkimages.sh");
    let mut key = fnv1a(FNV_OFFSET, &fs::read(&script).expect("reading mkimages.sh"));
    // A changed busybox changes the images too.
    if let Ok(m) = fs::metadata("/bin/busybox") {
        key = fnv1a(key, format!("{}:{}", m.len(), m.mtime()).as_bytes());
    }
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("testimages");
    let dir = base.join(format!("{key:016x}"));
    if dir.join("busybox.tar").exists() {
        return dir;
    }
    fs::create_dir_all(&base).expect("creating the image cache dir");
    let lock = fs::File::create(base.join(".lock")).expect("creating the image cache lock");
    lock.lock().expect("locking the image cache");
    if dir.join("busybox.tar").exists() {
        return dir;
    }
    let tmp = base.join(format!(".tmp-{key:016x}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    let mut cmd = Command::new("bash");
    cmd.arg(&script).arg(&tmp).env_remove("SOURCE_DATE_EPOCH");
    run_command(cmd, None).success();
    fs::rename(&tmp, &dir).expect("renaming the built images into the cache");
    dir
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv1a(mut hash: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// chmod, or the test fails saying which file.
pub fn set_mode(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {mode:o} {}: {e}", path.display()));
}

/// The effective uid of this process.
pub fn euid() -> u32 {
    fs::metadata("/proc/self").expect("stat /proc/self").uid()
}

fn allow_skip() -> bool {
    std::env::var("SKIFF_ALLOW_SKIP").is_ok_and(|v| v == "1")
}

/// Print why a test is skipped (with `SKIFF_ALLOW_SKIP=1`), or panic with `why`.
fn skip_or_panic(why: &str) {
    if allow_skip() {
        eprintln!("skipped: {why}");
        return;
    }
    panic!("{why} (run the tests through `sudo bash .ci/run`, or set SKIFF_ALLOW_SKIP=1 to skip)");
}

// ---------------------------------------------------------------------------------------------
// Users.

/// An account from /etc/passwd.
#[derive(Clone, Debug)]
pub struct TestUser {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
    pub home: PathBuf,
}

impl TestUser {
    /// Look a user up by name in /etc/passwd.
    pub fn lookup(name: &str) -> Option<TestUser> {
        let passwd = fs::read_to_string("/etc/passwd").ok()?;
        passwd.lines().find_map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            if f.len() < 7 || f[0] != name {
                return None;
            }
            Some(TestUser {
                name: f[0].to_string(),
                uid: f[2].parse().ok()?,
                gid: f[3].parse().ok()?,
                home: PathBuf::from(f[5]),
            })
        })
    }

    /// `/run/user/<uid>`.
    pub fn runtime_dir(&self) -> PathBuf {
        PathBuf::from(format!("/run/user/{}", self.uid))
    }
}

/// The rootless test user's name: `$SKIFF_TEST_USER` or `skiff-test`.
pub fn test_user_name() -> String {
    std::env::var("SKIFF_TEST_USER")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| DEFAULT_TEST_USER.to_string())
}

// ---------------------------------------------------------------------------------------------
// Env: one test's private store, as root or as the test user.

/// One test's world: a temporary directory with `root/` (`--root`) and `runroot/`
/// (`--runroot`), and the user every command runs as (`None`: root).
pub struct Env {
    dir: TempDir,
    user: Option<TestUser>,
}

impl Env {
    /// An environment whose commands run as root. Panics if the tests do not run as root.
    pub fn root() -> Env {
        assert_eq!(
            euid(),
            0,
            "skiff's integration tests run as root (they also switch to the test user): \
             use `sudo bash .ci/run` or `sudo -E cargo test`"
        );
        let env = Env {
            dir: new_env_dir(),
            user: None,
        };
        for d in [env.root_dir(), env.runroot_dir()] {
            fs::create_dir(&d).unwrap_or_else(|e| panic!("mkdir {}: {e}", d.display()));
            set_mode(&d, 0o700);
        }
        env
    }

    /// An environment whose commands run as the rootless test user (`$SKIFF_TEST_USER`,
    /// default `skiff-test`). `None` (after printing "skipped: ...") only with
    /// `SKIFF_ALLOW_SKIP=1` when the user does not exist; otherwise a missing user panics.
    pub fn rootless() -> Option<Env> {
        Env::rootless_as(&test_user_name())
    }

    /// Like [`Env::rootless`], as the named user (e.g. [`NOSUB_TEST_USER`]).
    pub fn rootless_as(name: &str) -> Option<Env> {
        if euid() != 0 {
            skip_or_panic("no test user: the tests must run as root to switch users");
            return None;
        }
        let Some(user) = TestUser::lookup(name) else {
            skip_or_panic(&format!("no test user: user {name:?} does not exist"));
            return None;
        };
        let env = Env {
            dir: new_env_dir(),
            user: Some(user.clone()),
        };
        chown(env.path(), &user);
        set_mode(env.path(), 0o700);
        for d in [env.root_dir(), env.runroot_dir()] {
            fs::create_dir(&d).unwrap_or_else(|e| panic!("mkdir {}: {e}", d.display()));
            chown(&d, &user);
            set_mode(&d, 0o700);
        }
        ensure_user_dir(&user.runtime_dir(), &user, 0o700);
        if !user.home.exists() && user.home != Path::new("/nonexistent") {
            ensure_user_dir(&user.home, &user, 0o755);
        }
        Some(env)
    }

    /// The test user, or `None` for a root environment.
    pub fn user(&self) -> Option<&TestUser> {
        self.user.as_ref()
    }

    pub fn is_rootless(&self) -> bool {
        self.user.is_some()
    }

    /// The uid commands run as (0 for root).
    pub fn uid(&self) -> u32 {
        self.user.as_ref().map_or(0, |u| u.uid)
    }

    /// The environment's temporary directory (owned by the test user when rootless); commands
    /// run with it as their working directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The `--root` passed to every skiff command.
    pub fn root_dir(&self) -> PathBuf {
        self.path().join("root")
    }

    /// The `--runroot` passed to every skiff command.
    pub fn runroot_dir(&self) -> PathBuf {
        self.path().join("runroot")
    }

    /// Write a file below [`Env::path`] (parents created), owned by the env's user.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path().join(rel);
        let mut created = Vec::new();
        let mut p = path.parent();
        while let Some(d) = p {
            if d.exists() {
                break;
            }
            created.push(d.to_path_buf());
            p = d.parent();
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .unwrap_or_else(|e| panic!("mkdir {}: {e}", parent.display()));
        }
        fs::write(&path, contents).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        if let Some(user) = &self.user {
            for d in created.iter().chain([&path]) {
                chown(d, user);
            }
        }
        path
    }

    /// `skiff --root R --runroot RR ARGS...` as the env's user, ready to run or spawn.
    pub fn skiff_command<S: AsRef<OsStr>>(&self, args: &[S]) -> Command {
        let mut argv: Vec<OsString> = vec![
            "--root".into(),
            self.root_dir().into(),
            "--runroot".into(),
            self.runroot_dir().into(),
        ];
        argv.extend(args.iter().map(|a| a.as_ref().to_os_string()));
        self.command(skiff_bin().as_os_str(), &argv)
    }

    /// Run `skiff --root R --runroot RR ARGS...` as the env's user, stdin empty.
    /// A shell command line running skiff with this env's store, for `sh -c` and `script`.
    pub fn skiff_line(&self, args: &str) -> String {
        format!(
            "{} --root {} --runroot {} {args}",
            skiff_bin().display(),
            self.root_dir().display(),
            self.runroot_dir().display()
        )
    }

    pub fn skiff<S: AsRef<OsStr>>(&self, args: &[S]) -> Output {
        self.labelled(run_command(self.skiff_command(args), None))
    }

    /// `skiff --root R [--runroot RUNROOT] ARGS...` as the env's user, with the variables in
    /// `unset` removed from its environment (e.g. `XDG_RUNTIME_DIR`, as after `su - user`).
    pub fn skiff_with<S: AsRef<OsStr>>(
        &self,
        runroot: Option<&Path>,
        unset: &[&str],
        args: &[S],
    ) -> Output {
        let mut argv: Vec<OsString> = vec!["--root".into(), self.root_dir().into()];
        if let Some(r) = runroot {
            argv.extend(["--runroot".into(), r.into()]);
        }
        argv.extend(args.iter().map(|a| a.as_ref().to_os_string()));
        let mut cmd = self.command(skiff_bin().as_os_str(), &argv);
        for k in unset {
            cmd.env_remove(k);
        }
        self.labelled(run_command(cmd, None))
    }

    /// Like [`Env::skiff`], feeding `stdin` to the command.
    pub fn skiff_stdin<S: AsRef<OsStr>>(&self, args: &[S], stdin: &[u8]) -> Output {
        self.labelled(run_command(self.skiff_command(args), Some(stdin)))
    }

    /// `argv[0] argv[1..]` as the env's user (found on the clean PATH), ready to run or spawn.
    pub fn command<P: AsRef<OsStr>, S: AsRef<OsStr>>(&self, program: P, args: &[S]) -> Command {
        let mut cmd = match &self.user {
            None => Command::new(program.as_ref()),
            Some(u) => {
                let mut c = Command::new("setpriv");
                c.arg(format!("--reuid={}", u.uid))
                    .arg(format!("--regid={}", u.gid))
                    .arg("--init-groups")
                    .arg("--")
                    .arg(program.as_ref());
                c
            }
        };
        cmd.args(args).current_dir(self.path()).env_clear();
        for (k, v) in self.clean_env() {
            cmd.env(k, v);
        }
        cmd
    }

    /// Run any command as the env's user (root or the test user), with the same clean
    /// environment skiff gets, e.g. `env.run_as(&["find", root_dir])`.
    pub fn run_as<S: AsRef<OsStr>>(&self, argv: &[S]) -> Output {
        let (program, args) = argv.split_first().expect("run_as needs a command");
        self.labelled(run_command(self.command(program, args), None))
    }

    /// Like [`Env::run_as`], feeding `stdin` to the command.
    pub fn run_as_stdin<S: AsRef<OsStr>>(&self, argv: &[S], stdin: &[u8]) -> Output {
        let (program, args) = argv.split_first().expect("run_as needs a command");
        self.labelled(run_command(self.command(program, args), Some(stdin)))
    }

    /// `skiff load -i <test_images()/file>`, e.g. `env.load_test_image("busybox.tar")`.
    pub fn load_test_image(&self, file: &str) -> Output {
        let path = test_images().join(file);
        self.skiff(&[OsStr::new("load"), OsStr::new("-i"), path.as_os_str()])
    }

    fn clean_env(&self) -> Vec<(String, String)> {
        let (name, home) = match &self.user {
            Some(u) => (u.name.clone(), u.home.display().to_string()),
            None => ("root".to_string(), "/root".to_string()),
        };
        let mut env = vec![
            ("HOME".to_string(), home),
            ("USER".to_string(), name.clone()),
            ("LOGNAME".to_string(), name),
            ("PATH".to_string(), PATH.to_string()),
            ("LANG".to_string(), "C.UTF-8".to_string()),
        ];
        if let Some(u) = &self.user {
            env.push((
                "XDG_RUNTIME_DIR".into(),
                u.runtime_dir().display().to_string(),
            ));
        }
        for k in ["RUST_BACKTRACE", "RUST_LOG"] {
            if let Ok(v) = std::env::var(k) {
                env.push((k.to_string(), v));
            }
        }
        env
    }

    fn labelled(&self, mut out: Output) -> Output {
        out.user = match &self.user {
            Some(u) => format!("{} (uid {})", u.name, u.uid),
            None => "root".to_string(),
        };
        out
    }
}

fn new_env_dir() -> TempDir {
    let base = tmp_base();
    tempfile::Builder::new()
        .prefix(ENV_PREFIX)
        .tempdir_in(&base)
        .unwrap_or_else(|e| panic!("creating a temp dir in {}: {e}", base.display()))
}

fn chown(path: &Path, user: &TestUser) {
    std::os::unix::fs::lchown(path, Some(user.uid), Some(user.gid))
        .unwrap_or_else(|e| panic!("chown {}:{} {}: {e}", user.uid, user.gid, path.display()));
}

/// Create `dir` (and missing parents, 0755 root) owned by `user` with `mode`, if missing.
/// Concurrent tests may race here: AlreadyExists is fine.
fn ensure_user_dir(dir: &Path, user: &TestUser, mode: u32) {
    if let Some(parent) = dir.parent() {
        let _ = fs::create_dir_all(parent);
    }
    match fs::create_dir(dir) {
        Ok(()) => {
            chown(dir, user);
            set_mode(dir, mode);
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => panic!("mkdir {}: {e}", dir.display()),
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let dir = self.path().to_path_buf();
        if std::env::var("SKIFF_TEST_KEEP").is_ok_and(|v| v == "1") {
            eprintln!("SKIFF_TEST_KEEP=1: keeping {}", dir.display());
            let _ = std::mem::replace(&mut self.dir, new_env_dir()).keep();
            return;
        }
        // Containers first, the polite way, if skiff ever left state.
        let has_state = fs::read_dir(self.runroot_dir()).is_ok_and(|mut d| d.next().is_some());
        if has_state {
            let mut cmd = self.skiff_command(&["rm", "--all", "--force", "--time", "0"]);
            cmd.stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            let _ = try_run_with_timeout(cmd, None, Duration::from_secs(60));
        }
        kill_processes_under(&dir);
        unmount_under(&dir);
        let left = mounts_under(&dir);
        if !left.is_empty() {
            // Removing the tree now could delete the contents of a bind mount's source.
            eprintln!(
                "harness: NOT removing {}: still mounted: {left:?}",
                dir.display()
            );
            let _ = std::mem::replace(&mut self.dir, new_env_dir()).keep();
            return;
        }
        make_dirs_writable(&dir);
        if let Err(e) = fs::remove_dir_all(&dir) {
            eprintln!("harness: removing {}: {e}", dir.display());
        }
    }
}

/// SIGKILL every process whose command line, working directory or root names `dir`
/// (monitors and helpers of this env; never this process).
fn kill_processes_under(dir: &Path) {
    let needle = dir.as_os_str().as_encoded_bytes();
    let me = std::process::id();
    for _round in 0..5 {
        let mut killed = false;
        let Ok(procs) = fs::read_dir("/proc") else {
            return;
        };
        for entry in procs.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            if pid == me {
                continue;
            }
            let p = entry.path();
            let cmdline = fs::read(p.join("cmdline")).unwrap_or_default();
            let in_cmdline = cmdline.windows(needle.len()).any(|w| w == needle);
            let in_path = ["cwd", "root"]
                .iter()
                .any(|l| fs::read_link(p.join(l)).is_ok_and(|t| t.starts_with(dir)));
            if in_cmdline || in_path {
                let _ = Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .stderr(Stdio::null())
                    .status();
                killed = true;
            }
        }
        if !killed {
            return;
        }
        thread::sleep(Duration::from_millis(100));
    }
}

/// Mount points at or below `dir` in our mount namespace, deepest first.
fn mounts_under(dir: &Path) -> Vec<PathBuf> {
    let info = fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    let mut mounts: Vec<PathBuf> = info
        .lines()
        .filter_map(|l| l.split(' ').nth(4))
        .map(|m| PathBuf::from(unescape_mountinfo(m)))
        .filter(|m| m.starts_with(dir))
        .collect();
    mounts.sort_by_key(|m| std::cmp::Reverse(m.as_os_str().len()));
    mounts.dedup();
    mounts
}

fn unmount_under(dir: &Path) {
    for _round in 0..3 {
        let mounts = mounts_under(dir);
        if mounts.is_empty() {
            return;
        }
        for m in mounts {
            let _ = Command::new("umount")
                .arg("-l")
                .arg(&m)
                .stderr(Stdio::null())
                .status();
        }
    }
}

/// Mountinfo escapes space, tab, newline and backslash as `\ooo`.
fn unescape_mountinfo(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && b[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            let v = (b[i + 1] - b'0') * 64 + (b[i + 2] - b'0') * 8 + (b[i + 3] - b'0');
            out.push(v);
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// chmod u+rwx every directory below `dir` (never following symlinks), so that trees left by
/// rootless runs (overlay work dirs, mode 000 dirs owned by subordinate ids) can be removed.
fn make_dirs_writable(dir: &Path) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(meta) = fs::symlink_metadata(&d) else {
            continue;
        };
        if !meta.is_dir() {
            continue;
        }
        let mode = meta.mode() & 0o7777;
        if mode & 0o700 != 0o700 {
            let _ = fs::set_permissions(&d, fs::Permissions::from_mode(mode | 0o700));
        }
        if let Ok(entries) = fs::read_dir(&d) {
            for e in entries.flatten() {
                if e.file_type().is_ok_and(|t| t.is_dir()) {
                    stack.push(e.path());
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Running commands.

/// The default per-command timeout: `$SKIFF_TEST_TIMEOUT` seconds, else 300.
pub fn default_timeout() -> Duration {
    let secs = std::env::var("SKIFF_TEST_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    Duration::from_secs(secs)
}

/// Run `cmd` to completion with the default timeout, stdin from `stdin` (empty if `None`),
/// capturing stdout and stderr.
pub fn run_command(cmd: Command, stdin: Option<&[u8]>) -> Output {
    run_with_timeout(cmd, stdin, default_timeout())
}

/// Like [`run_command`] with an explicit timeout; on timeout the process is killed
/// (SIGKILL) and the [`Output`] says so.
pub fn run_with_timeout(cmd: Command, stdin: Option<&[u8]>, timeout: Duration) -> Output {
    let desc = describe(&cmd);
    try_run_with_timeout(cmd, stdin, timeout).unwrap_or_else(|e| panic!("running {desc}: {e}"))
}

/// Like [`run_with_timeout`], returning spawn and wait errors instead of panicking.
pub fn try_run_with_timeout(
    mut cmd: Command,
    stdin: Option<&[u8]>,
    timeout: Duration,
) -> io::Result<Output> {
    let desc = describe(&cmd);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = spawn_retrying(&mut cmd)?;
    let pid = child.id();

    let mut child_stdin = child.stdin.take().expect("stdin pipe");
    let input = stdin.unwrap_or_default().to_vec();
    // A child that never reads must not block us: write from a thread, errors ignored.
    thread::spawn(move || {
        let _ = child_stdin.write_all(&input);
    });
    let (out_buf, out_done) = drain(child.stdout.take().expect("stdout pipe"));
    let (err_buf, err_done) = drain(child.stderr.take().expect("stderr pipe"));

    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    let mut timed_out = false;
    let status = match rx.recv_timeout(timeout) {
        Ok(s) => s,
        Err(_) => {
            timed_out = true;
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            rx.recv().expect("waiter thread")
        }
    }?;

    // Output pipes close when the last holder exits; a leftover descendant (say, a detached
    // monitor that kept our stdout) would make us wait forever.
    let pipes_done =
        out_done.recv_timeout(PIPE_GRACE).is_ok() & err_done.recv_timeout(PIPE_GRACE).is_ok();
    let stdout = out_buf.lock().unwrap().clone();
    let stderr = err_buf.lock().unwrap().clone();
    Ok(Output {
        cmd: desc,
        user: String::new(),
        status,
        stdout,
        stderr,
        timed_out,
        pipes_held_open: !pipes_done,
    })
}

/// Spawn, retrying on ETXTBSY: another test may have just written an executable (a script
/// in its env dir) while a fork of ours held the fd open.
fn spawn_retrying(cmd: &mut Command) -> io::Result<std::process::Child> {
    let mut delay = Duration::from_millis(10);
    for _ in 0..8 {
        match cmd.spawn() {
            Err(e) if e.raw_os_error() == Some(26) => thread::sleep(delay),
            other => return other,
        }
        delay *= 2;
    }
    cmd.spawn()
}

fn drain<R: Read + Send + 'static>(mut r: R) -> (Arc<Mutex<Vec<u8>>>, mpsc::Receiver<()>) {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let (tx, rx) = mpsc::channel();
    let b = Arc::clone(&buf);
    thread::spawn(move || {
        let mut chunk = [0u8; 16384];
        loop {
            match r.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => b.lock().unwrap().extend_from_slice(&chunk[..n]),
            }
        }
        let _ = tx.send(());
    });
    (buf, rx)
}

/// A shell-like rendering of a command, for failure reports.
fn describe(cmd: &Command) -> String {
    let mut parts = vec![quote(cmd.get_program())];
    parts.extend(cmd.get_args().map(quote));
    parts.join(" ")
}

fn quote(s: &OsStr) -> String {
    let s = s.to_string_lossy();
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c));
    if plain {
        s.into_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// What a command did. The assertions panic with the command, its user, exit status, stdout
/// and stderr, and report at the caller's line.
pub struct Output {
    pub cmd: String,
    /// Who ran it: "root" or "NAME (uid N)"; empty for [`run_command`] outside an [`Env`].
    pub user: String,
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// Killed after the timeout.
    pub timed_out: bool,
    /// The command exited but something it started still held stdout/stderr open.
    pub pipes_held_open: bool,
}

impl Output {
    /// Assert exit code 0 (and no timeout, no leftover holder of the output pipes).
    #[track_caller]
    pub fn success(self) -> Output {
        if !self.status.success() || self.timed_out || self.pipes_held_open {
            panic!("{}", self.report("command failed but expected success"));
        }
        self
    }

    /// Assert that the command exited with `code`.
    #[track_caller]
    pub fn failure(self, code: i32) -> Output {
        if self.status.code() != Some(code) || self.timed_out {
            panic!("{}", self.report(&format!("expected exit code {code}")));
        }
        self
    }

    /// Assert a non-zero exit (any code, not a timeout).
    #[track_caller]
    pub fn fails(self) -> Output {
        if self.status.success() || self.timed_out {
            panic!("{}", self.report("command succeeded but expected failure"));
        }
        self
    }

    /// The exit code, `None` if killed by a signal.
    pub fn code(&self) -> Option<i32> {
        self.status.code()
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    /// stdout split into lines.
    pub fn lines(&self) -> Vec<String> {
        self.stdout().lines().map(str::to_string).collect()
    }

    /// Assert that stdout contains `needle`.
    #[track_caller]
    pub fn stdout_has(self, needle: &str) -> Output {
        if !self.stdout().contains(needle) {
            panic!(
                "{}",
                self.report(&format!("stdout does not contain {needle:?}"))
            );
        }
        self
    }

    /// Assert that stderr contains `needle`.
    #[track_caller]
    pub fn stderr_has(self, needle: &str) -> Output {
        if !self.stderr().contains(needle) {
            panic!(
                "{}",
                self.report(&format!("stderr does not contain {needle:?}"))
            );
        }
        self
    }

    pub fn report(&self, what: &str) -> String {
        format!("\n\n==========\n{what}\n\n{self}==========\n")
    }
}

impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "command: {}", self.cmd)?;
        if !self.user.is_empty() {
            writeln!(f, "user: {}", self.user)?;
        }
        writeln!(f, "status: {}", self.status)?;
        if self.timed_out {
            writeln!(
                f,
                "TIMED OUT (killed; SKIFF_TEST_TIMEOUT={}s)",
                default_timeout().as_secs()
            )?;
        }
        if self.pipes_held_open {
            writeln!(
                f,
                "a leftover process still holds stdout/stderr open after exit"
            )?;
        }
        writeln!(f, "\nstdout:\n{}", self.stdout())?;
        writeln!(f, "\nstderr:\n{}", self.stderr())
    }
}

impl fmt::Debug for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The first subordinate uid of `user` in /etc/subuid (tests compute mapped owners from it).
pub fn subuid_start(user: &str) -> u32 {
    let text = fs::read_to_string("/etc/subuid").expect("reading /etc/subuid");
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            (f.len() == 3 && f[0] == user)
                .then(|| f[1].parse().ok())
                .flatten()
        })
        .next()
        .unwrap_or_else(|| panic!("{user} has no range in /etc/subuid"))
}

/// A static binary built from C `code` in the env's directory (build-essential is installed
/// where the tests run), for a container to run: busybox lacks many syscalls' tools.
pub fn build_static(env: &Env, name: &str, code: &str) -> PathBuf {
    let src = env.write(&format!("{name}.c"), code);
    let bin = env.path().join(name);
    let out = Command::new("cc")
        .arg("-static")
        .arg("-O2")
        .arg("-o")
        .arg(&bin)
        .arg(&src)
        .output()
        .expect("cc (build-essential) is needed for this test");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    set_mode(&bin, 0o755);
    bin
}

/// Host processes (other than this one) whose command line, NULs as spaces, `keep` accepts:
/// "pid: command line" each.
pub fn host_processes(keep: impl Fn(&str) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    for e in fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if pid == std::process::id() {
            continue;
        }
        if let Ok(cmd) = fs::read(format!("/proc/{pid}/cmdline")) {
            let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
            if keep(&cmd) {
                out.push(format!("{pid}: {cmd}"));
            }
        }
    }
    out
}
