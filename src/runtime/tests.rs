//! The runtime for real: containers from a busybox rootfs, as root and as the unprivileged
//! test users CI creates (`skiff-test` with a subuid/subgid range, `skiff-nosub` without;
//! override with SKIFF_TEST_USER / SKIFF_TEST_USER_NOSUB). Each case runs in a forked child
//! (spawn refuses a multi-threaded caller, and the test harness has threads), which drops to
//! the test user for the rootless runs.

use std::io::Read;
use std::os::fd::OwnedFd;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use oci_spec::runtime::{
    LinuxBuilder, LinuxIdMapping, LinuxIdMappingBuilder, LinuxNamespaceBuilder, LinuxNamespaceType,
    MountBuilder, ProcessBuilder, RootBuilder, Spec, SpecBuilder, UserBuilder,
};
use rustix::pipe::{PipeFlags, pipe_with};

use super::*;
use crate::error::exit_code_of;
use crate::sys::pidfd::{pidfd_send_signal, waitid_pidfd};
use crate::sys::process::{lookup_user, run_in_child, switch_user};

/// A busybox rootfs shared by all tests (read-only use: containers that write get an overlay
/// or a tmpfs), in a directory every user can read. It outlives the test process (statics
/// are not dropped); the next run removes those of processes that are gone.
fn busybox_rootfs() -> &'static Path {
    static ROOTFS: OnceLock<PathBuf> = OnceLock::new();
    ROOTFS.get_or_init(|| {
        remove_stale_rootfs();
        let dir = PathBuf::from(format!("/tmp/skiff-rt-rootfs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir).unwrap();
        build_rootfs(&dir).unwrap();
        dir
    })
}

fn remove_stale_rootfs() {
    let Ok(entries) = std::fs::read_dir("/tmp") else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix("skiff-rt-rootfs-") else {
            continue;
        };
        if pid
            .parse::<i32>()
            .is_ok_and(|pid| crate::sys::pidfd::process_start_time(pid).is_none())
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn build_rootfs(dir: &Path) -> Result<()> {
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755))?;
    for sub in ["bin", "etc", "proc", "dev", "sys", "tmp", "data", "root"] {
        std::fs::create_dir_all(dir.join(sub))?;
    }
    std::fs::copy("/bin/busybox", dir.join("bin/busybox")).context("copying busybox")?;
    let list = std::process::Command::new("/bin/busybox")
        .arg("--list")
        .output()?;
    for applet in String::from_utf8_lossy(&list.stdout).lines() {
        if applet != "busybox" {
            std::os::unix::fs::symlink("busybox", dir.join("bin").join(applet))?;
        }
    }
    std::fs::write(
        dir.join("etc/passwd"),
        "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n",
    )?;
    std::fs::write(
        dir.join("etc/group"),
        "root:x:0:\ntty:x:5:\nnogroup:x:65534:\n",
    )?;
    Ok(())
}

struct TestUser {
    name: String,
    uid: u32,
    gid: u32,
}

fn test_user(var: &str, default: &str) -> Option<TestUser> {
    let name = std::env::var(var).unwrap_or_else(|_| default.to_string());
    let (uid, gid) = lookup_user(&name)?;
    Some(TestUser { name, uid, gid })
}

/// Who runs the container.
#[derive(Clone, Copy, PartialEq)]
enum As {
    Root,
    /// skiff-test, with its subordinate ranges.
    Rootless,
    /// skiff-nosub: a single-id map.
    RootlessSingle,
}

impl As {
    fn user(self) -> Option<TestUser> {
        match self {
            As::Root => None,
            As::Rootless => test_user("SKIFF_TEST_USER", "skiff-test"),
            As::RootlessSingle => test_user("SKIFF_TEST_USER_NOSUB", "skiff-nosub"),
        }
    }

    fn available(self) -> bool {
        if !rustix::process::geteuid().is_root() {
            eprintln!("skipping: runtime tests need root");
            return false;
        }
        if self != As::Root && self.user().is_none() {
            eprintln!("skipping: test user missing");
            return false;
        }
        true
    }
}

fn mapping(m: &crate::sys::IdMap) -> LinuxIdMapping {
    LinuxIdMappingBuilder::default()
        .container_id(m.container_id)
        .host_id(m.host_id)
        .size(m.size)
        .build()
        .unwrap()
}

fn mount(dest: &str, typ: &str, source: &str, options: &[&str]) -> oci_spec::runtime::Mount {
    MountBuilder::default()
        .destination(dest)
        .typ(typ)
        .source(source)
        .options(options.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        .build()
        .unwrap()
}

fn default_mounts() -> Vec<oci_spec::runtime::Mount> {
    vec![
        mount("/proc", "proc", "proc", &["nosuid", "noexec", "nodev"]),
        mount(
            "/dev",
            "tmpfs",
            "tmpfs",
            &["nosuid", "strictatime", "mode=755", "size=65536k"],
        ),
        mount(
            "/dev/pts",
            "devpts",
            "devpts",
            &[
                "nosuid",
                "noexec",
                "newinstance",
                "ptmxmode=0666",
                "mode=0620",
                "gid=5",
            ],
        ),
        mount(
            "/dev/shm",
            "tmpfs",
            "shm",
            &["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"],
        ),
        mount(
            "/dev/mqueue",
            "mqueue",
            "mqueue",
            &["nosuid", "noexec", "nodev"],
        ),
        mount(
            "/sys",
            "sysfs",
            "sysfs",
            &["nosuid", "noexec", "nodev", "ro"],
        ),
        mount("/tmp", "tmpfs", "tmpfs", &["nosuid", "nodev", "mode=1777"]),
    ]
}

/// A spec for `args` in the busybox rootfs with every namespace, as `who` would get it.
fn spec_for(who: As, args: &[&str]) -> Spec {
    let mut kinds = vec![
        LinuxNamespaceType::Mount,
        LinuxNamespaceType::Pid,
        LinuxNamespaceType::Ipc,
        LinuxNamespaceType::Uts,
        LinuxNamespaceType::Network,
    ];
    let mut linux = LinuxBuilder::default();
    if let Some(user) = who.user() {
        kinds.push(LinuxNamespaceType::User);
        let maps = crate::sys::rootless_id_maps(user.uid, user.gid, &user.name).unwrap();
        linux = linux
            .uid_mappings(maps.uid_map.iter().map(mapping).collect::<Vec<_>>())
            .gid_mappings(maps.gid_map.iter().map(mapping).collect::<Vec<_>>());
    }
    let namespaces: Vec<_> = kinds
        .into_iter()
        .map(|t| LinuxNamespaceBuilder::default().typ(t).build().unwrap())
        .collect();
    let linux = linux
        .namespaces(namespaces)
        .masked_paths(
            [
                "/proc/kcore",
                "/proc/keys",
                "/proc/timer_list",
                "/sys/firmware",
            ]
            .map(String::from)
            .to_vec(),
        )
        .readonly_paths(vec!["/proc/sys".to_string()])
        .build()
        .unwrap();
    let process = ProcessBuilder::default()
        .args(args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        .env(vec!["PATH=/bin".to_string(), "HOME=/root".to_string()])
        .cwd("/")
        .user(UserBuilder::default().uid(0u32).gid(0u32).build().unwrap())
        .no_new_privileges(true)
        .build()
        .unwrap();
    SpecBuilder::default()
        .root(
            RootBuilder::default()
                .path(busybox_rootfs())
                .readonly(false)
                .build()
                .unwrap(),
        )
        .hostname("skiffbox")
        .mounts(default_mounts())
        .process(process)
        .linux(linux)
        .build()
        .unwrap()
}

fn set_args(spec: &mut Spec, args: &[&str]) {
    let mut process = spec.process().clone().unwrap();
    process.set_args(Some(args.iter().map(|s| s.to_string()).collect()));
    spec.set_process(Some(process));
}

/// Runs `f` in a forked child as `who` (root, or the test user).
fn as_user(who: As, f: impl FnOnce() -> Result<()>) -> Result<()> {
    // Built here, by root in the test process, so the children share one root-owned tree.
    busybox_rootfs();
    let user = who.user();
    run_in_child(|| {
        if let Some(user) = user {
            switch_user(user.uid, user.gid)?;
        }
        f()
    })
}

struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

fn pipe() -> (OwnedFd, OwnedFd) {
    pipe_with(PipeFlags::CLOEXEC).unwrap()
}

fn pipes() -> (StdioSetup, OwnedFd, OwnedFd) {
    let (out_r, out_w) = pipe();
    let (err_r, err_w) = pipe();
    let stdin: OwnedFd = std::fs::File::open("/dev/null").unwrap().into();
    let stdio = StdioSetup::Fds {
        stdin,
        stdout: out_w,
        stderr: err_w,
    };
    (stdio, out_r, err_r)
}

fn read_all(fd: OwnedFd) -> String {
    let mut s = String::new();
    std::fs::File::from(fd).read_to_string(&mut s).unwrap();
    s
}

/// Spawns, collects stdout and stderr (small outputs: read one after the other), waits.
fn run(spec: &Spec, extras: &RuntimeExtras) -> Result<Output> {
    let (stdio, out, err) = pipes();
    let spawned = spawn(spec, extras, stdio)?;
    let stdout = read_all(out);
    let stderr = read_all(err);
    let code = waitid_pidfd(&spawned.pidfd)?;
    Ok(Output {
        code,
        stdout,
        stderr,
    })
}

fn sh(who: As, script: &str) -> Result<Output> {
    run(
        &spec_for(who, &["sh", "-c", script]),
        &RuntimeExtras {
            seccomp_cache_dir: None,
            rootless: who != As::Root,
            ..Default::default()
        },
    )
}

fn expect_ok(out: &Output, stdout: &str) -> Result<()> {
    ensure!(
        out.code == 0 && out.stdout == stdout,
        "exit {}, stdout {:?} (wanted {stdout:?}), stderr {:?}",
        out.code,
        out.stdout,
        out.stderr
    );
    Ok(())
}

/// Fails when a mount of ours leaked into the host's mount table.
fn no_leaked_mounts() {
    let table = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
    let root = busybox_rootfs().to_string_lossy().into_owned();
    assert!(
        !table.contains(&root) && !table.contains("skiff-rt-"),
        "mounts leaked to the host:\n{table}"
    );
}

fn basics(who: As) {
    if !who.available() {
        return;
    }
    as_user(who, || {
        expect_ok(&sh(who, "echo hello")?, "hello\n")?;
        let out = sh(who, "exit 3")?;
        ensure!(out.code == 3, "exit 3 gave {}", out.code);
        expect_ok(&sh(who, "echo $$")?, "1\n")?;
        expect_ok(&sh(who, "hostname")?, "skiffbox\n")?;
        expect_ok(&sh(who, "id -u; pwd")?, "0\n/\n")?;
        // Masked and read-only paths.
        expect_ok(
            &sh(who, "wc -c < /proc/timer_list; ls /sys/firmware | wc -l")?,
            "0\n0\n",
        )?;
        let out = sh(who, "echo 1 > /proc/sys/kernel/ns_last_pid")?;
        ensure!(out.code != 0, "wrote to read-only /proc/sys");
        // Loopback is up in the container's own network namespace.
        let out = sh(who, "ip link show lo")?;
        ensure!(
            out.stdout.contains(",UP"),
            "lo: {:?} {:?}",
            out.stdout,
            out.stderr
        );
        // Device nodes, links, and the special file systems work.
        expect_ok(
            &sh(
                who,
                "echo x > /dev/null && head -c 3 /dev/zero | wc -c && test -L /dev/fd && \
                 test -c /dev/pts/ptmx && echo m > /dev/shm/f && cat /dev/shm/f && \
                 test -d /dev/mqueue && ls /sys/class/net",
            )?,
            "3\nm\nlo\n",
        )?;
        // Only 0, 1 and 2 are open in the container.
        expect_ok(&sh(who, "ls /proc/self/fd | wc -l")?, "4\n")?;
        Ok(())
    })
    .unwrap();
    no_leaked_mounts();
}

#[test]
fn basics_root() {
    basics(As::Root);
}

#[test]
fn basics_rootless() {
    basics(As::Rootless);
}

#[test]
fn basics_rootless_single_id() {
    let who = As::RootlessSingle;
    if !who.available() {
        return;
    }
    as_user(who, || {
        expect_ok(
            &sh(who, "echo hello; id -u; cat /proc/self/setgroups")?,
            "hello\n0\ndeny\n",
        )
    })
    .unwrap();
}

#[test]
fn rootless_maps_show_the_subuid_range() {
    let who = As::Rootless;
    if !who.available() {
        return;
    }
    let user = who.user().unwrap();
    let maps = crate::sys::rootless_id_maps(user.uid, user.gid, &user.name).unwrap();
    let expected: Vec<String> = maps.uid_map.iter().map(|m| m.to_string()).collect();
    as_user(who, || {
        let out = sh(who, "cat /proc/self/uid_map")?;
        let got: Vec<String> = out
            .stdout
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        ensure!(got == expected, "uid_map {got:?}, expected {expected:?}");
        Ok(())
    })
    .unwrap();
}

fn exec_errors(who: As) {
    if !who.available() {
        return;
    }
    as_user(who, || {
        for (args, code, message) in [
            (&["/nope"][..], 127, "/nope: no such file or directory"),
            (
                &["nope"][..],
                127,
                "executable file `nope` not found in $PATH: No such file or directory",
            ),
            (&["/etc/passwd"][..], 126, "/etc/passwd: permission denied"),
            (&["/etc"][..], 126, "/etc: permission denied"),
        ] {
            let spec = spec_for(who, args);
            let extras = RuntimeExtras {
                seccomp_cache_dir: None,
                rootless: who != As::Root,
                ..Default::default()
            };
            let err = match run(&spec, &extras) {
                Ok(out) => anyhow::bail!("{args:?} ran: exit {}", out.code),
                Err(e) => e,
            };
            ensure!(
                exit_code_of(&err) == code,
                "{args:?}: {err:#} ({})",
                exit_code_of(&err)
            );
            ensure!(format!("{err}") == message, "{args:?}: {err:#}");
            // The same through --init.
            let extras = RuntimeExtras {
                init: true,
                ..extras
            };
            let err = run(&spec, &extras).err().context("ran under init")?;
            ensure!(exit_code_of(&err) == code, "init {args:?}: {err:#}");
        }
        // A setup failure names its step, with 125.
        let mut spec = spec_for(who, &["true"]);
        let mut mounts = spec.mounts().clone().unwrap();
        mounts.push(mount("/data", "bind", "/nonexistent-skiff", &["rbind"]));
        spec.set_mounts(Some(mounts));
        let err = run(&spec, &RuntimeExtras::default()).err().context("ran")?;
        ensure!(exit_code_of(&err) == 125, "{err:#}");
        ensure!(format!("{err}").starts_with("mounting /data: "), "{err:#}");
        Ok(())
    })
    .unwrap();
}

#[test]
fn exec_errors_root() {
    exec_errors(As::Root);
}

#[test]
fn exec_errors_rootless() {
    exec_errors(As::Rootless);
}

/// A directory the test user may write into.
fn shared_dir(who: As) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("skiff-rt-")
        .tempdir_in("/tmp")
        .unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    if let Some(user) = who.user() {
        std::os::unix::fs::chown(dir.path(), Some(user.uid), Some(user.gid)).unwrap();
    }
    dir
}

fn bind_mounts(who: As) {
    if !who.available() {
        return;
    }
    let dir = shared_dir(who);
    std::fs::write(dir.path().join("hostfile"), "from host\n").unwrap();
    as_user(who, || {
        let mut spec = spec_for(who, &["sh", "-c", "cat /data/hostfile; echo y > /data/new"]);
        let mut mounts = spec.mounts().clone().unwrap();
        let source = dir.path().to_str().unwrap();
        mounts.push(mount("/data", "bind", source, &["rbind", "ro"]));
        spec.set_mounts(Some(mounts.clone()));
        let extras = RuntimeExtras {
            seccomp_cache_dir: None,
            rootless: who != As::Root,
            ..Default::default()
        };
        let out = run(&spec, &extras)?;
        ensure!(out.stdout == "from host\n", "{:?}", out.stdout);
        ensure!(
            out.code != 0 && out.stderr.contains("Read-only file system"),
            "exit {} stderr {:?}",
            out.code,
            out.stderr
        );
        // Read-write, onto a file mount point created on the way.
        mounts.pop();
        mounts.push(mount("/data", "bind", source, &["rbind"]));
        mounts.push(mount(
            "/etc/hostname",
            "bind",
            dir.path().join("hostfile").to_str().unwrap(),
            &["bind", "ro"],
        ));
        spec.set_mounts(Some(mounts));
        set_args(
            &mut spec,
            &["sh", "-c", "echo y > /data/new && cat /etc/hostname"],
        );
        expect_ok(&run(&spec, &extras)?, "from host\n")
    })
    .unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("new")).unwrap(),
        "y\n"
    );
    no_leaked_mounts();
}

#[test]
fn bind_mounts_root() {
    bind_mounts(As::Root);
}

#[test]
fn bind_mounts_rootless() {
    bind_mounts(As::Rootless);
}

fn overlay_rootfs(who: As) {
    if !who.available() {
        return;
    }
    let dir = shared_dir(who);
    let (merged, upper, work, layer) = (
        dir.path().join("merged"),
        dir.path().join("upper"),
        dir.path().join("work"),
        dir.path().join("layer"),
    );
    as_user(who, || {
        for d in [&merged, &upper, &work] {
            std::fs::create_dir(d)?;
        }
        // A top layer made by the container's root (rootless: layers are unpacked inside the
        // user namespace, so the host's root-owned busybox tree is not writable there).
        std::fs::create_dir_all(layer.join("etc"))?;
        std::fs::write(layer.join("etc/group"), "root:x:0:\n")?;
        let mut spec = spec_for(
            who,
            &[
                "sh",
                "-c",
                "echo new > /newfile && rm /etc/group && ls /bin/busybox",
            ],
        );
        let mut root = spec.root().clone().unwrap();
        root.set_path(merged.clone());
        spec.set_root(Some(root));
        let extras = RuntimeExtras {
            seccomp_cache_dir: None,
            lower_dirs: vec![layer.clone(), busybox_rootfs().to_path_buf()],
            upper_dir: upper.clone(),
            work_dir: work.clone(),
            rootless: who != As::Root,
            init: false,
        };
        expect_ok(&run(&spec, &extras)?, "/bin/busybox\n")
    })
    .unwrap();
    assert_eq!(
        std::fs::read_to_string(upper.join("newfile")).unwrap(),
        "new\n"
    );
    assert!(!busybox_rootfs().join("newfile").exists());
    assert!(layer.join("etc/group").exists());
    assert!(busybox_rootfs().join("etc/group").exists());
    assert!(
        std::fs::read_dir(&merged).unwrap().next().is_none(),
        "merged dir not empty on the host"
    );
    no_leaked_mounts();
}

#[test]
fn overlay_rootfs_root() {
    overlay_rootfs(As::Root);
}

#[test]
fn overlay_rootfs_rootless() {
    overlay_rootfs(As::Rootless);
}

fn init_and_exec(who: As) {
    if !who.available() {
        return;
    }
    as_user(who, || {
        let rootless = who != As::Root;
        let init = RuntimeExtras {
            rootless,
            init: true,
            ..Default::default()
        };
        // Under init the process is pid 2, and its status comes back through pid 1.
        let out = run(&spec_for(who, &["sh", "-c", "echo $$; exit 4"]), &init)?;
        ensure!(
            out.code == 4 && out.stdout == "2\n",
            "{} {:?}",
            out.code,
            out.stdout
        );
        // A signal to the container reaches the process through init.
        let (stdio, out, _err) = pipes();
        let spec = spec_for(
            who,
            &[
                "sh",
                "-c",
                "trap 'exit 9' TERM; echo ready; while :; do sleep 0.05; done",
            ],
        );
        let spawned = spawn(&spec, &init, stdio)?;
        let mut out = std::fs::File::from(out);
        let mut buf = [0u8; 6];
        out.read_exact(&mut buf)?;
        pidfd_send_signal(&spawned.pidfd, libc::SIGTERM)?;
        let code = waitid_pidfd(&spawned.pidfd)?;
        ensure!(code == 9, "TERM through init gave {code}");

        // exec into a running container.
        let (stdio, _out, _err) = pipes();
        let plain = RuntimeExtras {
            seccomp_cache_dir: None,
            rootless,
            ..Default::default()
        };
        let container = spawn(&spec_for(who, &["sleep", "100"]), &plain, stdio)?;
        let mut process = spec_for(who, &["ps", "-o", "pid,args"])
            .process()
            .clone()
            .unwrap();
        let (stdio, out, err) = pipes();
        let ps = exec_process(
            container.pid,
            &container.pidfd,
            &process,
            None,
            rootless,
            stdio,
            false,
            None,
        )?;
        let (ps_out, ps_err) = (read_all(out), read_all(err));
        let code = waitid_pidfd(&ps.pidfd)?;
        ensure!(code == 0, "ps: {code} {ps_err}");
        ensure!(
            ps_out
                .lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["1", "sleep", "100"]),
            "ps output {ps_out:?}"
        );
        process.set_args(Some(vec![
            "sh".into(),
            "-c".into(),
            "hostname; exit 5".into(),
        ]));
        let (stdio, out, _err) = pipes();
        let sh = exec_process(
            container.pid,
            &container.pidfd,
            &process,
            None,
            rootless,
            stdio,
            false,
            None,
        )?;
        let host = read_all(out);
        let code = waitid_pidfd(&sh.pidfd)?;
        ensure!(
            code == 5 && host == "skiffbox\n",
            "exec sh: {code} {host:?}"
        );
        process.set_args(Some(vec!["nope".into()]));
        let err = exec_process(
            container.pid,
            &container.pidfd,
            &process,
            None,
            rootless,
            StdioSetup::Inherit,
            false,
            None,
        )
        .err()
        .context("exec of nope ran")?;
        ensure!(exit_code_of(&err) == 127, "{err:#}");
        pidfd_send_signal(&container.pidfd, libc::SIGKILL)?;
        let code = waitid_pidfd(&container.pidfd)?;
        ensure!(code == 137, "killed container gave {code}");
        Ok(())
    })
    .unwrap();
    no_leaked_mounts();
}

#[test]
fn init_and_exec_root() {
    init_and_exec(As::Root);
}

#[test]
fn init_and_exec_rootless() {
    init_and_exec(As::Rootless);
}

#[test]
fn pty_is_the_controlling_terminal() {
    let who = As::Rootless;
    if !who.available() {
        return;
    }
    as_user(who, || {
        let (master, slave) = crate::sys::pty::openpty()?;
        let spec = spec_for(
            who,
            &[
                "sh",
                "-c",
                "test -t 0 && test -t 1 && echo tty:yes </dev/tty",
            ],
        );
        let extras = RuntimeExtras {
            seccomp_cache_dir: None,
            rootless: true,
            ..Default::default()
        };
        let spawned = spawn(&spec, &extras, StdioSetup::Pty { slave })?;
        let code = waitid_pidfd(&spawned.pidfd)?;
        let mut buf = vec![0u8; 256];
        let n = rustix::io::read(&master, &mut buf)?;
        let text = String::from_utf8_lossy(&buf[..n]);
        ensure!(code == 0 && text.contains("tty:yes"), "{code} {text:?}");
        Ok(())
    })
    .unwrap();
}

#[test]
fn refuses_a_multi_threaded_caller() {
    let spec = spec_for(As::Root, &["true"]);
    let err = spawn(&spec, &RuntimeExtras::default(), StdioSetup::Inherit).unwrap_err();
    assert!(format!("{err}").contains("threads"), "{err}");
}

/// Median time of one spawn of `true` until it is reaped. `cargo test --release -- --ignored
/// spawn_timing --nocapture`.
#[test]
#[ignore]
fn spawn_timing() {
    for who in [As::Root, As::Rootless] {
        if !who.available() {
            continue;
        }
        as_user(who, || {
            let spec = spec_for(who, &["true"]);
            let extras = RuntimeExtras {
                seccomp_cache_dir: None,
                rootless: who != As::Root,
                ..Default::default()
            };
            let mut times: Vec<Duration> = (0..50)
                .map(|_| {
                    let start = Instant::now();
                    let out = run(&spec, &extras).unwrap();
                    assert_eq!(out.code, 0);
                    start.elapsed()
                })
                .collect();
            times.sort();
            let label = if who == As::Root {
                "rootful"
            } else {
                "rootless"
            };
            eprintln!(
                "spawn of true, {label}: median {:?}, min {:?}, max {:?}",
                times[25], times[0], times[49]
            );
            Ok(())
        })
        .unwrap();
    }
}

fn without_namespaces(spec: &mut Spec, drop: &[LinuxNamespaceType]) {
    let mut linux = spec.linux().clone().unwrap();
    let nss = linux.namespaces().clone().unwrap();
    linux.set_namespaces(Some(
        nss.into_iter()
            .filter(|n| !drop.contains(&n.typ()))
            .collect(),
    ));
    spec.set_linux(Some(linux));
}

#[test]
fn rootless_with_host_network_and_ipc() {
    let who = As::Rootless;
    if !who.available() {
        return;
    }
    as_user(who, || {
        let mut spec = spec_for(who, &["sh", "-c", "test -d /sys/class/net/lo && echo ok"]);
        without_namespaces(
            &mut spec,
            &[LinuxNamespaceType::Network, LinuxNamespaceType::Ipc],
        );
        let extras = RuntimeExtras {
            seccomp_cache_dir: None,
            rootless: true,
            ..Default::default()
        };
        expect_ok(&run(&spec, &extras)?, "ok\n")
    })
    .unwrap();
    no_leaked_mounts();
}

#[test]
fn rootful_with_a_user_namespace() {
    let who = As::Root;
    if !who.available() {
        return;
    }
    as_user(who, || {
        let mut spec = spec_for(who, &["sh", "-c", "id -u; cat /proc/self/uid_map"]);
        let map = crate::sys::IdMap {
            container_id: 0,
            host_id: 200000,
            size: 65536,
        };
        let mut linux = spec.linux().clone().unwrap();
        let mut nss = linux.namespaces().clone().unwrap();
        nss.push(
            LinuxNamespaceBuilder::default()
                .typ(LinuxNamespaceType::User)
                .build()?,
        );
        linux.set_namespaces(Some(nss));
        linux.set_uid_mappings(Some(vec![mapping(&map)]));
        linux.set_gid_mappings(Some(vec![mapping(&map)]));
        spec.set_linux(Some(linux));
        let out = run(&spec, &RuntimeExtras::default())?;
        let got: Vec<String> = out
            .stdout
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        ensure!(got == ["0", "0 200000 65536"], "{got:?} {:?}", out.stderr);
        Ok(())
    })
    .unwrap();
}

#[test]
fn overlay_options_longer_than_a_page() {
    let who = As::Root;
    if !who.available() {
        return;
    }
    // 40 layers whose absolute names need about 6 KiB, under a common parent (as in the
    // store), so that their relative names fit a page.
    let dir = shared_dir(who);
    let base = dir.path().join("x".repeat(140));
    let layers_dir = base.join("layers");
    std::fs::create_dir_all(&layers_dir).unwrap();
    let mut lower_dirs: Vec<PathBuf> = (0..40)
        .map(|i| {
            let p = layers_dir.join(format!("{i:03}"));
            std::fs::create_dir(&p).unwrap();
            p
        })
        .collect();
    std::fs::write(lower_dirs[0].join("marker"), "top\n").unwrap();
    let busybox = layers_dir.join("busybox");
    std::os::unix::fs::symlink(busybox_rootfs(), &busybox).unwrap();
    lower_dirs.push(busybox);
    let total: usize = lower_dirs.iter().map(|p| p.as_os_str().len() + 1).sum();
    assert!(total > 4096, "the test needs options longer than a page");
    let (merged, upper, work) = (base.join("merged"), base.join("upper"), base.join("work"));
    for d in [&merged, &upper, &work] {
        std::fs::create_dir(d).unwrap();
    }
    as_user(who, || {
        let mut spec = spec_for(who, &["cat", "/marker"]);
        let mut root = spec.root().clone().unwrap();
        root.set_path(merged.clone());
        spec.set_root(Some(root));
        let extras = RuntimeExtras {
            seccomp_cache_dir: None,
            lower_dirs,
            upper_dir: upper.clone(),
            work_dir: work.clone(),
            rootless: false,
            init: false,
        };
        expect_ok(&run(&spec, &extras)?, "top\n")
    })
    .unwrap();
    no_leaked_mounts();
}
