//! The container child's last privileged steps: capabilities, no_new_privs, seccomp.
//!
//! Where this runs in the child (after pivot_root and every mount, just before execve):
//!
//! 1. `prepare_user_switch()`: sets PR_SET_KEEPCAPS, so the permitted set survives the uid
//!    change that follows.
//! 2. The caller switches to the process user: setgroups, setresgid, setresuid.
//! 3. `apply_process_security(process, seccomp)`, then execve at once.
//!
//! A container whose user stays root may skip steps 1 and 2. Inside
//! `apply_process_security` the order follows runc's and crun's:
//!
//! - the effective set is raised again from the permitted set (setresuid emptied it);
//! - the bounding set is cut to `process.capabilities.bounding` (needs CAP_SETPCAP);
//! - without no_new_privileges the seccomp filter is loaded now, while CAP_SYS_ADMIN is still
//!   effective (the kernel requires CAP_SYS_ADMIN or no_new_privs to load a filter);
//! - keepcaps is cleared, and the inheritable, effective, permitted and ambient sets are set;
//! - with no_new_privileges, PR_SET_NO_NEW_PRIVS is set and the filter is loaded last, so it
//!   has to allow as few of our own syscalls as possible.
//!
//! Whatever runs between loading the filter and execve (capset, prctl) is allowed by Podman's
//! profile; a custom profile that forbids them fails here, as it does with runc.
//!
//! Known gap: seccompiler's `apply_filter` always sets no_new_privs before loading, so today a
//! filter implies no_new_privs even when the spec leaves it off (Podman's default): setuid and
//! file-capability binaries in the container do not gain privileges. Loading without it needs a
//! raw seccomp(2) call, which belongs in sys/.

use anyhow::{Context, Result};
use oci_spec::runtime::{LinuxSeccomp, Process};

use super::caps::{caps_set_from_oci, limit_bounding_set, raise_effective_to_permitted};

/// Step 1 of the order above: keep the permitted capabilities across the coming setresuid.
pub fn prepare_user_switch() -> Result<()> {
    rustix::thread::set_keep_capabilities(true).context("setting PR_SET_KEEPCAPS")
}

/// Step 3 of the order above: applies `process.capabilities`, `process.no_new_privileges` and
/// `seccomp` (the spec's `linux.seccomp`; None means unconfined) to the calling thread.
/// Call it in the (single-threaded) container child after switching uid/gid, right before
/// execve. Fails on a capability name the kernel's list does not hold.
pub fn apply_process_security(process: &Process, seccomp: Option<&LinuxSeccomp>) -> Result<()> {
    // Compile first: a bad profile must fail before any privilege is gone.
    let filter = seccomp
        .map(super::seccomp::compile)
        .transpose()
        .context("compiling the seccomp filter")?;
    apply_process_security_compiled(process, filter.as_ref())
}

/// `apply_process_security` with the filter compiled beforehand (by the parent, before the
/// clone, so the container's setup does not spend its time compiling).
pub fn apply_process_security_compiled(
    process: &Process,
    filter: Option<&seccompiler::BpfProgram>,
) -> Result<()> {
    let no_new_privs = process.no_new_privileges().unwrap_or(false);

    if let Some(wanted) = process.capabilities() {
        raise_effective_to_permitted()?;
        let bounding = caps_set_from_oci(wanted.bounding().as_ref())?;
        limit_bounding_set(&bounding)?;
    }
    if let Some(filter) = filter.filter(|_| !no_new_privs) {
        load_filter(filter)?;
    }
    if let Some(wanted) = process.capabilities() {
        rustix::thread::set_keep_capabilities(false).context("clearing PR_SET_KEEPCAPS")?;
        super::caps::set_thread_caps(wanted)?;
    }
    if no_new_privs {
        rustix::thread::set_no_new_privs(true).context("setting no_new_privs")?;
        if let Some(filter) = filter {
            load_filter(filter)?;
        }
    }
    Ok(())
}

/// For pid 1 under `--init`, which is skiff's own code and never execs: not dumpable (the
/// container's processes cannot ptrace it, nor open its /proc/1/exe, the host's binary),
/// no capability but CAP_KILL (and that only if the container has it: forwarding a signal
/// to a process of another user needs it), no_new_privs, and the container's seccomp filter.
/// So taking over pid 1 gains a container process nothing it does not already have.
pub fn confine_supervisor(
    process: &Process,
    filter: Option<&seccompiler::BpfProgram>,
) -> Result<()> {
    use caps::{CapSet, Capability, CapsHashSet};
    rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable)
        .context("making init non-dumpable")?;
    let container_has_kill = match process.capabilities() {
        Some(wanted) => {
            caps_set_from_oci(wanted.bounding().as_ref())?.contains(&Capability::CAP_KILL)
        }
        None => true,
    };
    let keep: CapsHashSet = container_has_kill
        .then_some(Capability::CAP_KILL)
        .into_iter()
        .collect();
    raise_effective_to_permitted()?;
    limit_bounding_set(&keep)?;
    rustix::thread::set_no_new_privs(true).context("setting no_new_privs")?;
    if let Some(filter) = filter {
        load_filter(filter)?;
    }
    let set = |which: CapSet, value: &CapsHashSet| {
        caps::set(None, which, value).with_context(|| format!("setting the {which:?} capabilities"))
    };
    caps::clear(None, CapSet::Ambient).context("clearing the ambient capabilities")?;
    set(CapSet::Inheritable, &CapsHashSet::new())?;
    set(CapSet::Effective, &keep)?;
    set(CapSet::Permitted, &keep)
}

fn load_filter(filter: &seccompiler::BpfProgram) -> Result<()> {
    // Not seccompiler::apply_filter: it always sets no_new_privs, which Podman leaves off.
    crate::sys::seccomp::load_filter(filter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::seccomp::default_linux_seccomp;
    use crate::runtime::spec::default_spec;
    use crate::sys::process::run_in_child;
    use anyhow::{bail, ensure};
    use caps::{CapSet, Capability};
    use rustix::thread::UnshareFlags;

    fn is_root() -> bool {
        rustix::process::geteuid().is_root()
            && caps::has_cap(None, CapSet::Effective, Capability::CAP_SYS_ADMIN).unwrap_or(false)
    }

    // rustix's safe `unshare` is deprecated because CLONE_FILES can break other threads' fds;
    // these tests unshare only mount and UTS namespaces, which it is sound for.
    #[allow(deprecated)]
    fn unshare(flags: UnshareFlags) -> rustix::io::Result<()> {
        rustix::thread::unshare(flags)
    }

    #[test]
    fn default_seccomp_and_caps_confine_a_root_child() {
        if !is_root() {
            eprintln!("skipped: needs root with CAP_SYS_ADMIN");
            return;
        }
        let spec = default_spec(false, false).unwrap();
        let process = spec.process().clone().unwrap();
        let seccomp = spec.linux().as_ref().unwrap().seccomp().clone().unwrap();
        run_in_child(|| {
            // A fresh UTS namespace first, so a failing test cannot rename the host.
            unshare(UnshareFlags::NEWUTS).context("unshare(CLONE_NEWUTS) before confinement")?;
            prepare_user_switch()?;
            apply_process_security(&process, Some(&seccomp))?;

            match unshare(UnshareFlags::NEWNS) {
                Err(e) if e == rustix::io::Errno::PERM => {}
                other => bail!("unshare(CLONE_NEWNS) gave {other:?}, wanted EPERM"),
            }
            // execve works under the filter, and sethostname is refused (seccomp and caps).
            let status = std::process::Command::new("true")
                .status()
                .context("running true")?;
            ensure!(status.success(), "true failed under the filter: {status}");
            let out = std::process::Command::new("hostname")
                .arg("skiff-confined")
                .output()
                .context("running hostname")?;
            let stderr = String::from_utf8_lossy(&out.stderr);
            ensure!(
                !out.status.success(),
                "sethostname succeeded without CAP_SYS_ADMIN"
            );
            // net-tools' hostname words EPERM as "you must be root to change the host name".
            let refused = stderr.contains("must be root") || stderr.contains("not permitted");
            ensure!(refused, "hostname said: {stderr}");
            ensure!(rustix::process::getpid().as_raw_nonzero().get() > 0);
            let bounding = caps::read(None, CapSet::Bounding)?;
            ensure!(
                !bounding.contains(&Capability::CAP_NET_RAW),
                "CAP_NET_RAW kept"
            );
            ensure!(
                !bounding.contains(&Capability::CAP_SYS_ADMIN),
                "CAP_SYS_ADMIN kept"
            );
            ensure!(bounding.contains(&Capability::CAP_CHOWN), "CAP_CHOWN lost");
            let effective = caps::read(None, CapSet::Effective)?;
            ensure!(effective == bounding, "effective {effective:?} != bounding");
            ensure!(caps::read(None, CapSet::Inheritable)?.is_empty());
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn no_new_privileges_is_set_when_asked() {
        if !is_root() {
            eprintln!("skipped: needs root with CAP_SYS_ADMIN");
            return;
        }
        let mut process = default_spec(false, false)
            .unwrap()
            .process()
            .clone()
            .unwrap();
        process.set_no_new_privileges(Some(true));
        let seccomp = default_linux_seccomp(&[]);
        run_in_child(|| {
            apply_process_security(&process, Some(&seccomp))?;
            ensure!(rustix::thread::no_new_privs()?, "no_new_privs not set");
            ensure!(!caps::has_cap(
                None,
                CapSet::Effective,
                Capability::CAP_SYS_ADMIN
            )?);
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn a_bad_filter_fails_before_dropping_anything() {
        let process = default_spec(false, false)
            .unwrap()
            .process()
            .clone()
            .unwrap();
        let mut seccomp = default_linux_seccomp(&[]);
        seccomp.set_default_action(oci_spec::runtime::LinuxSeccompAction::ScmpActNotify);
        run_in_child(|| {
            let err = apply_process_security(&process, Some(&seccomp)).unwrap_err();
            ensure!(format!("{err:#}").contains("SCMP_ACT_NOTIFY"), "{err:#}");
            Ok(())
        })
        .unwrap();
    }
}
