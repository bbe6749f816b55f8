//! The container's first process, after clone3: one straight list of checked steps (crun's
//! container_init_setup style). Each failure goes back to the parent as an exit code and a
//! message naming the step; nothing here panics on a user error.
//!
//! The tail (`start_process`: rlimits, session, stdio, user, security, exec) is shared with
//! `exec` for processes started in a running container.

use std::convert::Infallible;
use std::ffi::CString;
use std::os::fd::{AsFd, OwnedFd};
use std::panic::{AssertUnwindSafe, catch_unwind};

use anyhow::{Context, Result, anyhow, bail};
use oci_spec::runtime::{LinuxNamespaceType, PosixRlimitType, Process, Spec, User};
use rustix::process::{Resource, Rlimit};

use super::mounts::{self, MountContext, has_namespace};
use super::sync::Channel;
use super::{RuntimeExtras, StdioSetup};
use crate::error::{EXIT_CANNOT_INVOKE, EXIT_NOT_FOUND, EXIT_TOOL, ExitError};
use crate::sys;

const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The clone3 child's entry point. Never returns: it execs or exits.
pub(super) fn container_main(
    spec: &Spec,
    extras: &RuntimeExtras,
    seccomp: Option<&seccompiler::BpfProgram>,
    stdio: StdioSetup,
    channel: Channel,
) -> ! {
    // We die with our parent; if it died before this, the wait below sees end of file.
    let _ = sys::process::die_with_parent();
    // Sync 1: the parent writes our id maps; if it gives up, so do we.
    if !channel.wait_maps_done() {
        sys::process::exit_now(EXIT_TOOL as i32);
    }
    // The maps are written: from here to execve (which makes the process dumpable again),
    // nothing in the container (another container sharing our pid namespace, or a process
    // exec'd in) may ptrace us or open our /proc/<pid>/exe (the host's binary) or fds.
    if let Err(e) =
        rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable)
    {
        let err = anyhow::Error::from(std::io::Error::from(e)).context("making setup non-dumpable");
        sys::process::exit_now(report(&channel, &err));
    }
    let result = catch_unwind(AssertUnwindSafe(|| {
        container_setup(spec, extras, seccomp, stdio, &channel)
    }));
    let err = match result {
        Ok(Err(e)) => e,
        Err(_) => anyhow!("container setup panicked"),
    };
    sys::process::exit_now(report(&channel, &err))
}

/// Sends an error to the parent and returns the exit code for it.
pub(super) fn report(channel: &Channel, err: &anyhow::Error) -> i32 {
    let code = crate::error::exit_code_of(err);
    let text = err
        .chain()
        .find_map(|e| e.downcast_ref::<ExitError>().map(|x| x.message.clone()))
        .unwrap_or_else(|| format!("{err:#}"));
    channel.send_error(code, &text);
    code as i32
}

fn container_setup(
    spec: &Spec,
    extras: &RuntimeExtras,
    seccomp: Option<&seccompiler::BpfProgram>,
    stdio: StdioSetup,
    channel: &Channel,
) -> Result<Infallible> {
    let own = |t| has_namespace(spec, t);
    let process = spec.process().as_ref().context("the spec has no process")?;
    if own(LinuxNamespaceType::User) {
        become_root_in_userns()?;
    }
    if !own(LinuxNamespaceType::Mount) {
        bail!("the spec has no mount namespace");
    }
    mounts::make_mounts_private()?;
    let root = spec.root().as_ref().context("the spec has no root")?;
    let rootfs = root.path();
    mounts::mount_rootfs(rootfs, extras)?;
    mounts::rootfs_nodev(rootfs, spec)?;
    let ctx = MountContext {
        spec,
        own_userns: own(LinuxNamespaceType::User),
        own_netns: own(LinuxNamespaceType::Network),
        own_ipcns: own(LinuxNamespaceType::Ipc),
    };
    let root_fd = mounts::open_root(rootfs)?;
    mounts::mount_spec_mounts(&root_fd, &ctx)?;
    mounts::populate_dev(&root_fd, spec)?;
    drop(root_fd);
    if root.readonly().unwrap_or(false) {
        mounts::remount_rootfs_readonly(rootfs)?;
    }
    mounts::pivot_into(rootfs)?;
    if let Some(linux) = spec.linux() {
        mounts::mask_paths(linux.masked_paths().as_deref().unwrap_or_default())?;
        mounts::readonly_paths(linux.readonly_paths().as_deref().unwrap_or_default())?;
    }
    if own(LinuxNamespaceType::Uts)
        && let Some(hostname) = spec.hostname()
    {
        sys::process::set_hostname(hostname).context("setting the hostname")?;
    }
    enter_cwd(process, true)?;
    if own(LinuxNamespaceType::Network) {
        sys::net::loopback_up().context("bringing up the loopback interface")?;
    }
    start_process(process, seccomp, stdio, channel, extras.init)
}

/// After the parent wrote the maps: take uid/gid 0 of the new user namespace.
pub(super) fn become_root_in_userns() -> Result<()> {
    sys::process::set_res_gid(0).context("setresgid(0) in the user namespace")?;
    sys::process::set_res_uid(0).context("setresuid(0) in the user namespace")
}

/// Changes to the process's working directory; `create` makes it first when missing (as
/// Podman does for an image's WorkingDir).
pub(super) fn enter_cwd(process: &Process, create: bool) -> Result<()> {
    let cwd = process.cwd();
    let cwd = if cwd.as_os_str().is_empty() {
        std::path::Path::new("/")
    } else {
        cwd.as_path()
    };
    if create && !cwd.exists() {
        std::fs::create_dir_all(cwd)
            .with_context(|| format!("creating the working directory {}", cwd.display()))?;
    }
    rustix::process::chdir(cwd)
        .with_context(|| format!("changing to the working directory {}", cwd.display()))
}

/// The end of every container process's setup: rlimits, a new session, the standard streams,
/// then (under `init`) the fork of the real process, its user, security settings and exec.
pub(super) fn start_process(
    process: &Process,
    seccomp: Option<&seccompiler::BpfProgram>,
    stdio: StdioSetup,
    channel: &Channel,
    init: bool,
) -> Result<Infallible> {
    die_with_parent(channel)?;
    // A session keyring of its own: the caller's (with whatever keys a login put there)
    // must not be readable with keyctl from inside, as runc and crun do.
    sys::process::join_new_session_keyring();
    set_rlimits(process)?;
    rustix::process::setsid().context("setsid")?;
    let stdio = match stdio {
        StdioSetup::NewPty => {
            let (master, slave) = open_container_pty()?;
            channel
                .send_pty_master(&master)
                .context("passing the pty to the caller")?;
            drop(master);
            StdioSetup::Pty { slave }
        }
        other => other,
    };
    let tty = install_stdio(stdio)?;
    let command = prepare_command(process)?;
    if init {
        return super::init::fork_and_supervise(
            channel,
            || {
                rustix::process::setsid().context("setsid")?;
                exec_process(process, seccomp, tty.as_ref(), &command, channel)
            },
            || super::security::confine_supervisor(process, seccomp),
        );
    }
    exec_process(process, seccomp, tty.as_ref(), &command, channel)
}

/// Controlling terminal, user, security, exec.
fn exec_process(
    process: &Process,
    seccomp: Option<&seccompiler::BpfProgram>,
    tty: Option<&OwnedFd>,
    command: &Command,
    channel: &Channel,
) -> Result<Infallible> {
    if let Some(tty) = tty {
        rustix::process::ioctl_tiocsctty(tty).context("setting the controlling terminal")?;
    }
    switch_user(process.user())?;
    die_with_parent(channel)?;
    sys::process::cloexec_from(3).context("marking descriptors close-on-exec")?;
    sys::process::reset_signals();
    channel.send_exec();
    super::security::apply_process_security_compiled(process, seccomp)
        .context("applying the process's security settings")?;
    Err(command.exec())
}

/// Set (in the forked exec helper, so only for its process) for `exec -d`: the process
/// outlives the CLI, whose job ends once it runs.
pub(super) static OUTLIVES_PARENT: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// SIGKILL when our parent (the CLI, the detached monitor, the build, our init) exits, so no
/// container process outlives what supervises it. Set again after each change of
/// credentials (which clears it); the channel's other end, held by the caller until we
/// exec, tells if it is gone already.
fn die_with_parent(channel: &Channel) -> Result<()> {
    if OUTLIVES_PARENT.load(std::sync::atomic::Ordering::Relaxed) {
        return Ok(());
    }
    sys::process::die_with_parent().context("setting the parent death signal")?;
    if sys::process::peer_closed(channel.0.as_fd()) {
        bail!("the parent process exited");
    }
    Ok(())
}

/// A pty from the devpts mounted in the container (/dev/ptmx is its pts/ptmx).
fn open_container_pty() -> Result<(OwnedFd, OwnedFd)> {
    use rustix::pty::{OpenptFlags, ioctl_tiocgptpeer, openpt, unlockpt};
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC)
        .context("opening /dev/ptmx in the container")?;
    unlockpt(&master).context("unlocking the pty")?;
    let slave = ioctl_tiocgptpeer(
        &master,
        OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC,
    )
    .context("opening the pty slave")?;
    Ok((master, slave))
}

/// Makes the given fds 0, 1 and 2. Returns the pty slave (a copy above 2) for the controlling
/// terminal.
fn install_stdio(stdio: StdioSetup) -> Result<Option<OwnedFd>> {
    // Copies above 2 first, so a source that already is 0, 1 or 2 is not overwritten.
    let high = |fd: &OwnedFd| {
        rustix::io::fcntl_dupfd_cloexec(fd, 3).context("duplicating a stdio descriptor")
    };
    let onto = |fd: &OwnedFd, target: i32| {
        sys::process::dup_onto(fd.as_fd(), target)
            .with_context(|| format!("installing descriptor {target}"))
    };
    match stdio {
        StdioSetup::Inherit => Ok(None),
        StdioSetup::Fds {
            stdin,
            stdout,
            stderr,
        } => {
            let fds = [high(&stdin)?, high(&stdout)?, high(&stderr)?];
            drop((stdin, stdout, stderr));
            for (target, fd) in fds.iter().enumerate() {
                onto(fd, target as i32)?;
            }
            Ok(None)
        }
        StdioSetup::Pty { slave } => {
            let fd = high(&slave)?;
            drop(slave);
            for target in 0..3 {
                onto(&fd, target)?;
            }
            Ok(Some(fd))
        }
        StdioSetup::NewPty => bail!("internal error: the pty was not allocated"),
    }
}

fn set_rlimits(process: &Process) -> Result<()> {
    let infinite = |v: u64| (v != u64::MAX).then_some(v);
    let min = |a: Option<u64>, b: Option<u64>| match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, None) => a,
        (None, b) => b,
    };
    for limit in process.rlimits().as_deref().unwrap_or_default() {
        let resource = resource_of(limit.typ());
        // Never above the current hard limit: raising it needs CAP_SYS_RESOURCE in the
        // initial user namespace, which a container does not have.
        let current = rustix::process::getrlimit(resource);
        let maximum = min(infinite(limit.hard()), current.maximum);
        let soft = min(infinite(limit.soft()), maximum);
        rustix::process::setrlimit(
            resource,
            Rlimit {
                current: soft,
                maximum,
            },
        )
        .with_context(|| format!("setting rlimit {:?}", limit.typ()))?;
    }
    Ok(())
}

fn resource_of(typ: PosixRlimitType) -> Resource {
    use PosixRlimitType as T;
    match typ {
        T::RlimitCpu => Resource::Cpu,
        T::RlimitFsize => Resource::Fsize,
        T::RlimitData => Resource::Data,
        T::RlimitStack => Resource::Stack,
        T::RlimitCore => Resource::Core,
        T::RlimitRss => Resource::Rss,
        T::RlimitNproc => Resource::Nproc,
        T::RlimitNofile => Resource::Nofile,
        T::RlimitMemlock => Resource::Memlock,
        T::RlimitAs => Resource::As,
        T::RlimitLocks => Resource::Locks,
        T::RlimitSigpending => Resource::Sigpending,
        T::RlimitMsgqueue => Resource::Msgqueue,
        T::RlimitNice => Resource::Nice,
        T::RlimitRtprio => Resource::Rtprio,
        T::RlimitRttime => Resource::Rttime,
    }
}

/// Whether setgroups(2) is allowed in our user namespace ("deny" after a single-id map).
fn setgroups_allowed() -> bool {
    std::fs::read_to_string("/proc/self/setgroups").map_or(true, |s| s.trim() != "deny")
}

/// Supplementary groups, gid, uid, umask. PR_SET_KEEPCAPS keeps the permitted capabilities
/// across the switch away from uid 0, for the security step to set them.
fn switch_user(user: &User) -> Result<()> {
    let (uid, gid) = (user.uid(), user.gid());
    if setgroups_allowed() {
        let groups = user.additional_gids().clone().unwrap_or_default();
        sys::process::set_groups(&groups).context("setting supplementary groups")?;
    }
    sys::process::set_keep_caps(true).context("PR_SET_KEEPCAPS")?;
    sys::process::set_res_gid(gid).with_context(|| format!("setresgid {gid}"))?;
    sys::process::set_res_uid(uid).with_context(|| format!("setresuid {uid}"))?;
    let umask = user.umask().unwrap_or(0o022);
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(umask));
    Ok(())
}

/// argv, envp and the paths to try, made before the process drops privileges.
pub(super) struct Command {
    name: String,
    argv: Vec<CString>,
    envp: Vec<CString>,
    /// The path as given (it has a '/'), or the candidates along $PATH.
    candidates: Vec<CString>,
    explicit: bool,
}

fn cstring(s: &str) -> Result<CString> {
    CString::new(s).with_context(|| format!("{s:?} contains a NUL byte"))
}

pub(super) fn prepare_command(process: &Process) -> Result<Command> {
    let args = process.args().as_deref().unwrap_or_default();
    let Some(name) = args.first() else {
        bail!("no command specified");
    };
    let env = process.env().as_deref().unwrap_or_default();
    let argv = args.iter().map(|a| cstring(a)).collect::<Result<_>>()?;
    let envp = env.iter().map(|e| cstring(e)).collect::<Result<_>>()?;
    let explicit = name.contains('/');
    let candidates = if explicit {
        vec![cstring(name)?]
    } else {
        let path = env
            .iter()
            .rev()
            .find_map(|e| e.strip_prefix("PATH="))
            .unwrap_or(DEFAULT_PATH);
        path.split(':')
            .map(|dir| if dir.is_empty() { "." } else { dir })
            .map(|dir| cstring(&format!("{}/{name}", dir.trim_end_matches('/'))))
            .collect::<Result<_>>()?
    };
    Ok(Command {
        name: name.clone(),
        argv,
        envp,
        candidates,
        explicit,
    })
}

impl Command {
    /// Execs the command (searching $PATH like execvpe); returns the error to report.
    pub(super) fn exec(&self) -> anyhow::Error {
        let mut denied = None;
        for path in &self.candidates {
            let err = sys::process::execve(path, &self.argv, &self.envp);
            let shown = String::from_utf8_lossy(path.as_bytes()).into_owned();
            if self.explicit {
                return exec_error(&shown, &err);
            }
            match err.raw_os_error() {
                Some(libc::ENOENT | libc::ENOTDIR) => continue,
                Some(libc::EACCES) => {
                    denied.get_or_insert(shown);
                }
                _ => return exec_error(&shown, &err),
            }
        }
        if let Some(path) = denied {
            return ExitError::new(EXIT_CANNOT_INVOKE, format!("{path}: permission denied")).into();
        }
        ExitError::new(
            EXIT_NOT_FOUND,
            format!(
                "executable file `{}` not found in $PATH: No such file or directory",
                self.name
            ),
        )
        .into()
    }
}

/// runc's words for an execve failure, with Podman's exit codes.
fn exec_error(path: &str, err: &std::io::Error) -> anyhow::Error {
    let (code, what) = match err.raw_os_error() {
        Some(libc::ENOENT) => (EXIT_NOT_FOUND, "no such file or directory".to_string()),
        Some(libc::EACCES | libc::EPERM | libc::EISDIR) => {
            (EXIT_CANNOT_INVOKE, "permission denied".to_string())
        }
        Some(libc::ENOEXEC) => (EXIT_CANNOT_INVOKE, "exec format error".to_string()),
        _ => {
            let text = err.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text);
            (EXIT_CANNOT_INVOKE, text.to_lowercase())
        }
    };
    ExitError::new(code, format!("{path}: {what}")).into()
}

/// The clone3 flags for the namespaces the spec asks to create. Joining one by path is not
/// supported yet (the bridge network will need it, through a holder process's pidfd).
pub(super) fn clone_flags(spec: &Spec) -> Result<u64> {
    let mut flags = 0u64;
    let namespaces = spec.linux().as_ref().and_then(|l| l.namespaces().clone());
    for ns in namespaces.unwrap_or_default() {
        if ns.path().is_some() {
            bail!(
                "joining an existing {} namespace is not supported yet",
                ns.typ()
            );
        }
        flags |= match ns.typ() {
            LinuxNamespaceType::User => libc::CLONE_NEWUSER,
            LinuxNamespaceType::Mount => libc::CLONE_NEWNS,
            LinuxNamespaceType::Pid => libc::CLONE_NEWPID,
            LinuxNamespaceType::Ipc => libc::CLONE_NEWIPC,
            LinuxNamespaceType::Uts => libc::CLONE_NEWUTS,
            LinuxNamespaceType::Network => libc::CLONE_NEWNET,
            LinuxNamespaceType::Cgroup => libc::CLONE_NEWCGROUP,
            LinuxNamespaceType::Time => libc::CLONE_NEWTIME,
        } as u64;
    }
    Ok(flags)
}
