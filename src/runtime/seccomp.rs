//! Seccomp: the default profile, Docker/Podman profile files, and compiling the OCI form to BPF.
//!
//! A profile file (and our built-in copy of Podman's) is resolved against the container's
//! capabilities and the host architecture into the OCI `LinuxSeccomp` that the container's
//! spec stores, exactly as Podman and Docker do it; `compile` turns that into one BPF program
//! with seccompiler.
//!
//! seccompiler gives a filter a single on-match action, while OCI rules each carry their own.
//! So `compile` builds one seccompiler filter per distinct action and chains them: each
//! filter's "no match" return is rewritten into a jump to the next filter, and the last one
//! returns the default action. Filters run in the kernel's precedence order (kill before trap
//! before errno ... before allow), so a syscall matched by rules with different actions gets
//! the strictest, as it would with one kernel filter per action.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use oci_spec::runtime::{
    Arch, LinuxSeccomp, LinuxSeccompAction, LinuxSeccompArg, LinuxSeccompBuilder,
    LinuxSeccompOperator, LinuxSyscall, LinuxSyscallBuilder,
};
use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
    SeccompRule, TargetArch, sock_filter,
};
use serde::Deserialize;

use super::seccomp_profile::{self as profile, syscall_number};

/// The kernel refuses longer classic-BPF programs (BPF_MAXINSNS).
const MAX_BPF_INSTRUCTIONS: usize = 4096;
const BPF_RET_K: u16 = 0x06;
const BPF_JMP_JA: u16 = 0x05;

/// A profile in the Docker/Podman JSON format (containers/common's seccomp.json).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProfileFile {
    default_action: String,
    #[serde(default)]
    default_errno_ret: Option<u32>,
    #[serde(default)]
    architectures: Option<Vec<String>>,
    #[serde(default)]
    arch_map: Option<Vec<ArchMapEntry>>,
    #[serde(default)]
    syscalls: Option<Vec<SyscallEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ArchMapEntry {
    architecture: String,
    #[serde(default)]
    sub_architectures: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SyscallEntry {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    names: Option<Vec<String>>,
    action: String,
    #[serde(default)]
    errno_ret: Option<u32>,
    #[serde(default)]
    args: Option<Vec<ArgEntry>>,
    #[serde(default)]
    includes: Option<Condition>,
    #[serde(default)]
    excludes: Option<Condition>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ArgEntry {
    index: usize,
    value: u64,
    #[serde(default)]
    value_two: u64,
    op: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Condition {
    #[serde(default)]
    caps: Option<Vec<String>>,
    #[serde(default)]
    arches: Option<Vec<String>>,
    #[serde(default)]
    min_kernel: Option<String>,
}

/// Podman's default profile resolved for a container whose bounding set is `caps` ("CAP_X"
/// names; "x" and "cap_x" are accepted too) on this host's architecture.
pub fn default_linux_seccomp(caps: &[String]) -> LinuxSeccomp {
    resolve(&builtin_profile(), caps, host_arch())
        .expect("the built-in seccomp profile resolves (checked by the unit tests)")
}

/// Loads a Docker/Podman-format profile (`--security-opt seccomp=FILE`) and resolves its
/// includes/excludes against the container's bounding set `caps` and the host architecture.
pub fn load_profile_file(path: &Path, caps: &[String]) -> Result<LinuxSeccomp> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading seccomp profile {}", path.display()))?;
    parse_profile(&text, caps)
        .with_context(|| format!("loading seccomp profile {}", path.display()))
}

/// `load_profile_file` for profile text already in memory.
pub fn parse_profile(text: &str, caps: &[String]) -> Result<LinuxSeccomp> {
    let file: ProfileFile = serde_json::from_str(text).context("decoding seccomp profile JSON")?;
    resolve(&file, caps, host_arch())
}

/// Compiles the OCI seccomp config into one BPF program for the host architecture. Syscall
/// names this architecture lacks are skipped (profiles list every architecture's calls).
/// `compile`, with the program cached in `cache_dir` (keyed by the profile's sha256):
/// compiling Podman's profile costs a few milliseconds, loading the cached bytes a few
/// microseconds. A damaged cache file is compiled again.
pub fn compile_cached(
    seccomp: &LinuxSeccomp,
    cache_dir: Option<&std::path::Path>,
) -> Result<BpfProgram> {
    let Some(dir) = cache_dir else {
        return compile(seccomp);
    };
    let key = crate::image::digest::Digest::of(&serde_json::to_vec(seccomp)?);
    let path = dir.join(format!("{}-{}.bpf", std::env::consts::ARCH, key.hex()));
    if let Ok(bytes) = std::fs::read(&path)
        && !bytes.is_empty()
        && bytes.len() % 8 == 0
    {
        return Ok(bytes
            .chunks_exact(8)
            .map(|c| seccompiler::sock_filter {
                code: u16::from_le_bytes([c[0], c[1]]),
                jt: c[2],
                jf: c[3],
                k: u32::from_le_bytes([c[4], c[5], c[6], c[7]]),
            })
            .collect());
    }
    let program = compile(seccomp)?;
    let mut bytes = Vec::with_capacity(program.len() * 8);
    for f in &program {
        bytes.extend_from_slice(&f.code.to_le_bytes());
        bytes.extend_from_slice(&[f.jt, f.jf]);
        bytes.extend_from_slice(&f.k.to_le_bytes());
    }
    if std::fs::create_dir_all(dir).is_ok() {
        let _ = crate::store::fsutil::write_atomic(&path, &bytes);
    }
    Ok(program)
}

pub fn compile(seccomp: &LinuxSeccomp) -> Result<BpfProgram> {
    let arch = host_target_arch()?;
    compile_for(seccomp, arch)
}

/// The architecture names a profile's includes/excludes use (Go's GOARCH) and the libseccomp
/// name of its native architecture in archMap.
#[derive(Clone, Copy)]
struct HostArch {
    go_name: &'static str,
    scmp_name: &'static str,
}

fn host_arch() -> HostArch {
    match std::env::consts::ARCH {
        "aarch64" => HostArch {
            go_name: "arm64",
            scmp_name: "SCMP_ARCH_AARCH64",
        },
        "riscv64" => HostArch {
            go_name: "riscv64",
            scmp_name: "SCMP_ARCH_RISCV64",
        },
        _ => HostArch {
            go_name: "amd64",
            scmp_name: "SCMP_ARCH_X86_64",
        },
    }
}

fn host_target_arch() -> Result<TargetArch> {
    TargetArch::try_from(std::env::consts::ARCH)
        .map_err(|_| anyhow::anyhow!("seccomp is not supported on {}", std::env::consts::ARCH))
}

fn builtin_profile() -> ProfileFile {
    let strings = |list: &[&str]| -> Option<Vec<String>> {
        Some(list.iter().map(|s| s.to_string()).collect())
    };
    let syscalls = profile::RULES
        .iter()
        .map(|rule| SyscallEntry {
            name: None,
            names: strings(rule.names),
            action: rule.action.to_string(),
            errno_ret: rule.errno_ret,
            args: Some(
                rule.args
                    .iter()
                    .map(|a| ArgEntry {
                        index: a.index,
                        value: a.value,
                        value_two: a.value_two,
                        op: a.op.to_string(),
                    })
                    .collect(),
            ),
            includes: Some(Condition {
                caps: strings(rule.includes_caps),
                arches: strings(rule.includes_arches),
                min_kernel: None,
            }),
            excludes: Some(Condition {
                caps: strings(rule.excludes_caps),
                arches: strings(rule.excludes_arches),
                min_kernel: None,
            }),
        })
        .collect();
    ProfileFile {
        default_action: profile::DEFAULT_ACTION.to_string(),
        default_errno_ret: profile::DEFAULT_ERRNO_RET,
        architectures: None,
        arch_map: Some(
            profile::ARCH_MAP
                .iter()
                .map(|(arch, subs)| ArchMapEntry {
                    architecture: arch.to_string(),
                    sub_architectures: strings(subs),
                })
                .collect(),
        ),
        syscalls: Some(syscalls),
    }
}

/// Docker's and Podman's resolution of a profile file into the OCI form.
fn resolve(file: &ProfileFile, caps: &[String], arch: HostArch) -> Result<LinuxSeccomp> {
    let caps: Vec<String> = caps.iter().map(|c| normalize_cap(c)).collect();
    let architectures = resolve_architectures(file, arch)?;
    let mut syscalls = Vec::new();
    for entry in file.syscalls.iter().flatten() {
        if !applies(entry, &caps, arch) {
            continue;
        }
        syscalls.push(to_oci_syscall(entry)?);
    }
    let mut builder = LinuxSeccompBuilder::default()
        .default_action(parse_action(&file.default_action)?)
        .architectures(architectures)
        .syscalls(syscalls);
    if let Some(errno) = file.default_errno_ret {
        builder = builder.default_errno_ret(errno);
    }
    builder.build().context("building the seccomp config")
}

fn normalize_cap(name: &str) -> String {
    let upper = name.to_ascii_uppercase();
    if upper.starts_with("CAP_") {
        upper
    } else {
        format!("CAP_{upper}")
    }
}

fn resolve_architectures(file: &ProfileFile, arch: HostArch) -> Result<Vec<Arch>> {
    let listed = file.architectures.as_deref().unwrap_or_default();
    let mapped = file.arch_map.as_deref().unwrap_or_default();
    if !listed.is_empty() && !mapped.is_empty() {
        bail!("the profile uses both 'architectures' and 'archMap'; use only one");
    }
    let mut names: Vec<&str> = listed.iter().map(String::as_str).collect();
    for entry in mapped.iter().filter(|e| e.architecture == arch.scmp_name) {
        names.push(&entry.architecture);
        names.extend(entry.sub_architectures.iter().flatten().map(String::as_str));
    }
    // Architectures oci-spec does not know cannot matter on this host: skip them.
    Ok(names
        .into_iter()
        .filter_map(|n| serde_json::from_value(serde_json::Value::String(n.into())).ok())
        .collect())
}

/// Whether a profile entry applies: excluded if the container holds any excluded cap or runs on
/// an excluded arch (or a new enough kernel); included only if it holds every included cap.
fn applies(entry: &SyscallEntry, caps: &[String], arch: HostArch) -> bool {
    let has = |c: &String| caps.contains(&normalize_cap(c));
    if let Some(ex) = &entry.excludes {
        if ex.arches.iter().flatten().any(|a| a == arch.go_name) {
            return false;
        }
        if ex.caps.iter().flatten().any(has) {
            return false;
        }
        if ex.min_kernel.as_deref().is_some_and(kernel_at_least) {
            return false;
        }
    }
    if let Some(inc) = &entry.includes {
        let arches = inc.arches.as_deref().unwrap_or_default();
        if !arches.is_empty() && !arches.iter().any(|a| a == arch.go_name) {
            return false;
        }
        if !inc.caps.iter().flatten().all(has) {
            return false;
        }
        if inc
            .min_kernel
            .as_deref()
            .is_some_and(|v| !kernel_at_least(v))
        {
            return false;
        }
    }
    true
}

/// Compares the running kernel's "major.minor" with a profile's `minKernel`.
fn kernel_at_least(wanted: &str) -> bool {
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    version_at_least(&release, wanted)
}

fn version_at_least(release: &str, wanted: &str) -> bool {
    let parse = |v: &str| -> (u32, u32) {
        let mut parts = v.trim().split(|c: char| !c.is_ascii_digit());
        let major = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
        let minor = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
        (major, minor)
    };
    parse(release) >= parse(wanted)
}

fn to_oci_syscall(entry: &SyscallEntry) -> Result<LinuxSyscall> {
    let names = match (&entry.name, &entry.names) {
        (Some(_), Some(names)) if !names.is_empty() => {
            bail!("a syscall entry uses both 'name' and 'names'; use only one")
        }
        (Some(name), _) => vec![name.clone()],
        (None, names) => names.clone().unwrap_or_default(),
    };
    let args = entry
        .args
        .iter()
        .flatten()
        .map(|a| -> Result<LinuxSeccompArg> {
            Ok(oci_spec::runtime::LinuxSeccompArgBuilder::default()
                .index(a.index)
                .value(a.value)
                .value_two(a.value_two)
                .op(parse_operator(&a.op)?)
                .build()?)
        })
        .collect::<Result<Vec<_>>>()?;
    let mut builder = LinuxSyscallBuilder::default()
        .names(names)
        .action(parse_action(&entry.action)?);
    if !args.is_empty() {
        builder = builder.args(args);
    }
    if let Some(errno) = entry.errno_ret {
        builder = builder.errno_ret(errno);
    }
    Ok(builder.build()?)
}

fn parse_action(name: &str) -> Result<LinuxSeccompAction> {
    serde_json::from_value(serde_json::Value::String(name.into()))
        .map_err(|_| anyhow::anyhow!("unknown seccomp action {name:?}"))
}

fn parse_operator(name: &str) -> Result<LinuxSeccompOperator> {
    serde_json::from_value(serde_json::Value::String(name.into()))
        .map_err(|_| anyhow::anyhow!("unknown seccomp operator {name:?}"))
}

/// The errno an ERRNO action without its own value returns, as runc and crun do.
const DEFAULT_ERRNO: u32 = libc::EPERM as u32;

fn to_action(action: LinuxSeccompAction, errno: Option<u32>) -> Result<SeccompAction> {
    Ok(match action {
        LinuxSeccompAction::ScmpActAllow => SeccompAction::Allow,
        LinuxSeccompAction::ScmpActErrno => SeccompAction::Errno(errno.unwrap_or(DEFAULT_ERRNO)),
        LinuxSeccompAction::ScmpActKill | LinuxSeccompAction::ScmpActKillThread => {
            SeccompAction::KillThread
        }
        LinuxSeccompAction::ScmpActKillProcess => SeccompAction::KillProcess,
        LinuxSeccompAction::ScmpActTrap => SeccompAction::Trap,
        LinuxSeccompAction::ScmpActLog => SeccompAction::Log,
        LinuxSeccompAction::ScmpActTrace => SeccompAction::Trace(errno.unwrap_or(0)),
        LinuxSeccompAction::ScmpActNotify => {
            bail!("seccomp action SCMP_ACT_NOTIFY is not supported")
        }
    })
}

/// The kernel's precedence among actions: lower runs first and wins.
fn precedence(action: &SeccompAction) -> u8 {
    match action {
        SeccompAction::KillProcess => 0,
        SeccompAction::KillThread => 1,
        SeccompAction::Trap => 2,
        SeccompAction::Errno(_) => 3,
        SeccompAction::Trace(_) => 4,
        SeccompAction::Log => 5,
        SeccompAction::Allow => 6,
    }
}

fn to_condition(arg: &LinuxSeccompArg) -> Result<SeccompCondition> {
    let index = u8::try_from(arg.index()).context("seccomp argument index out of range")?;
    // MASKED_EQ: libseccomp's `value` is the mask and `valueTwo` the expected value.
    let (op, value) = match arg.op() {
        LinuxSeccompOperator::ScmpCmpNe => (SeccompCmpOp::Ne, arg.value()),
        LinuxSeccompOperator::ScmpCmpLt => (SeccompCmpOp::Lt, arg.value()),
        LinuxSeccompOperator::ScmpCmpLe => (SeccompCmpOp::Le, arg.value()),
        LinuxSeccompOperator::ScmpCmpEq => (SeccompCmpOp::Eq, arg.value()),
        LinuxSeccompOperator::ScmpCmpGe => (SeccompCmpOp::Ge, arg.value()),
        LinuxSeccompOperator::ScmpCmpGt => (SeccompCmpOp::Gt, arg.value()),
        LinuxSeccompOperator::ScmpCmpMaskedEq => (
            SeccompCmpOp::MaskedEq(arg.value()),
            arg.value_two().unwrap_or(0),
        ),
    };
    SeccompCondition::new(index, SeccompCmpArgLen::Qword, op, value)
        .map_err(|e| anyhow::anyhow!("seccomp argument condition: {e}"))
}

/// Rules of one action, by syscall number; `None` means "matched whatever the arguments".
type ActionRules = BTreeMap<i64, Option<Vec<SeccompRule>>>;

fn compile_for(seccomp: &LinuxSeccomp, arch: TargetArch) -> Result<BpfProgram> {
    let default = to_action(seccomp.default_action(), seccomp.default_errno_ret())?;
    let mut groups: Vec<(SeccompAction, ActionRules)> = Vec::new();
    for syscall in seccomp.syscalls().iter().flatten() {
        let action = to_action(syscall.action(), syscall.errno_ret())?;
        if action == default {
            continue;
        }
        let conditions = syscall
            .args()
            .iter()
            .flatten()
            .map(to_condition)
            .collect::<Result<Vec<_>>>()?;
        let rule = match conditions.is_empty() {
            true => None,
            false => Some(
                SeccompRule::new(conditions).map_err(|e| anyhow::anyhow!("seccomp rule: {e}"))?,
            ),
        };
        let index = match groups.iter().position(|(a, _)| *a == action) {
            Some(i) => i,
            None => {
                groups.push((action, BTreeMap::new()));
                groups.len() - 1
            }
        };
        for name in syscall.names() {
            let Some(number) = syscall_number(arch, name) else {
                continue;
            };
            add_rule(&mut groups[index].1, number, rule.clone());
        }
    }
    groups.retain(|(_, rules)| !rules.is_empty());
    groups.sort_by_key(|(action, _)| precedence(action));
    chain_filters(groups, default, arch)
}

fn add_rule(rules: &mut ActionRules, number: i64, rule: Option<SeccompRule>) {
    let slot = rules.entry(number).or_insert_with(|| Some(Vec::new()));
    match (slot.as_mut(), rule) {
        // Already unconditional: extra conditions change nothing.
        (None, _) => {}
        (Some(_), None) => *slot = None,
        (Some(list), Some(rule)) => list.push(rule),
    }
}

/// Compiles each action's filter and links them: a "no match" in one jumps to the next.
fn chain_filters(
    groups: Vec<(SeccompAction, ActionRules)>,
    default: SeccompAction,
    arch: TargetArch,
) -> Result<BpfProgram> {
    if groups.is_empty() {
        let other = match default {
            SeccompAction::Allow => SeccompAction::KillProcess,
            _ => SeccompAction::Allow,
        };
        return build_segment(BTreeMap::new(), default, other, arch);
    }
    let count = groups.len();
    let mut segments = Vec::with_capacity(count);
    for (i, (action, rules)) in groups.into_iter().enumerate() {
        let last = i + 1 == count;
        let mismatch = if last {
            default.clone()
        } else {
            sentinel_for(&action)
        };
        let rules = rules
            .into_iter()
            .map(|(nr, rules)| (nr, rules.unwrap_or_default()))
            .collect();
        let program = build_segment(rules, mismatch.clone(), action, arch)?;
        segments.push((program, (!last).then_some(mismatch)));
    }
    let mut program = Vec::new();
    for (segment, sentinel) in segments {
        let next_start = program.len() + segment.len();
        let base = program.len();
        for (offset, mut insn) in segment.into_iter().enumerate() {
            if let Some(sentinel) = &sentinel
                && insn.code == BPF_RET_K
                && insn.k == u32::from(sentinel.clone())
            {
                let here = base + offset;
                insn = sock_filter {
                    code: BPF_JMP_JA,
                    jt: 0,
                    jf: 0,
                    k: u32::try_from(next_start - here - 1).context("seccomp jump offset")?,
                };
            }
            program.push(insn);
        }
    }
    if program.len() > MAX_BPF_INSTRUCTIONS {
        bail!(
            "the seccomp filter is too large ({} BPF instructions, the kernel takes {MAX_BPF_INSTRUCTIONS})",
            program.len()
        );
    }
    Ok(program)
}

/// A return value no rule of this segment uses, marking "fall through to the next segment".
fn sentinel_for(action: &SeccompAction) -> SeccompAction {
    let candidate = SeccompAction::Trace(0xfff1);
    match *action == candidate {
        true => SeccompAction::Trace(0xfff2),
        false => candidate,
    }
}

fn build_segment(
    rules: BTreeMap<i64, Vec<SeccompRule>>,
    mismatch: SeccompAction,
    matched: SeccompAction,
    arch: TargetArch,
) -> Result<BpfProgram> {
    let filter = SeccompFilter::new(rules, mismatch, matched, arch)
        .map_err(|e| anyhow::anyhow!("building seccomp filter: {e}"))?;
    BpfProgram::try_from(filter).map_err(|e| anyhow::anyhow!("compiling seccomp filter: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs a classic-BPF seccomp program over one syscall, for the opcodes seccompiler emits.
    fn run(program: &[sock_filter], arch: u32, nr: i64, args: [u64; 6]) -> u32 {
        let mut data = vec![nr as u32, arch, 0, 0];
        for a in args {
            data.push(a as u32);
            data.push((a >> 32) as u32);
        }
        let (mut acc, mut pc) = (0u32, 0usize);
        loop {
            let insn = &program[pc];
            pc += 1;
            match insn.code {
                0x20 => acc = data[insn.k as usize / 4],
                0x06 => return insn.k,
                0x05 => pc += insn.k as usize,
                0x54 => acc &= insn.k,
                0x15 | 0x25 | 0x35 | 0x45 => {
                    let hit = match insn.code {
                        0x15 => acc == insn.k,
                        0x25 => acc > insn.k,
                        0x35 => acc >= insn.k,
                        _ => acc & insn.k != 0,
                    };
                    pc += if hit { insn.jt } else { insn.jf } as usize;
                }
                code => panic!("opcode {code:#x} not handled by the test interpreter"),
            }
        }
    }

    const X86_64: u32 = 0xc000_003e;
    const ALLOW: u32 = 0x7fff_0000;
    const ERRNO: u32 = 0x0005_0000;

    fn caps(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn default_program(with: &[&str]) -> BpfProgram {
        let oci = resolve(&builtin_profile(), &caps(with), host_arch()).unwrap();
        compile_for(&oci, TargetArch::x86_64).unwrap()
    }

    fn nr(name: &str) -> i64 {
        syscall_number(TargetArch::x86_64, name).unwrap()
    }

    #[test]
    fn builtin_profile_resolves_by_caps() {
        let plain = default_linux_seccomp(&caps(super::super::caps::DEFAULT_CAPS));
        assert_eq!(plain.default_action(), LinuxSeccompAction::ScmpActErrno);
        assert_eq!(plain.default_errno_ret(), Some(38));
        let allowed = |s: &LinuxSeccomp, name: &str| {
            s.syscalls().iter().flatten().any(|c| {
                c.action() == LinuxSeccompAction::ScmpActAllow
                    && c.names().iter().any(|n| n == name)
            })
        };
        assert!(allowed(&plain, "getpid"));
        assert!(allowed(&plain, "chroot"), "CAP_SYS_CHROOT is a default cap");
        assert!(!allowed(&plain, "sethostname"));
        assert!(
            !allowed(&plain, "s390_runtime_instr"),
            "other arches' entries are dropped"
        );
        if cfg!(target_arch = "x86_64") {
            assert!(allowed(&plain, "arch_prctl"));
            assert_eq!(
                plain.architectures().clone().unwrap(),
                [Arch::ScmpArchX86_64, Arch::ScmpArchX86, Arch::ScmpArchX32]
            );
        }
        let admin = default_linux_seccomp(&caps(&["sys_admin"]));
        assert!(allowed(&admin, "sethostname"));
        assert!(!allowed(&admin, "chroot"));
    }

    #[test]
    fn compiles_the_default_profile_for_x86_64() {
        let program = default_program(super::super::caps::DEFAULT_CAPS);
        assert!(program.len() < MAX_BPF_INSTRUCTIONS, "{}", program.len());
        let call = |name: &str, args: [u64; 6]| run(&program, X86_64, nr(name), args);
        assert_eq!(call("getpid", [0; 6]), ALLOW);
        assert_eq!(
            call("unshare", [0; 6]),
            ALLOW,
            "Podman leaves unshare to capabilities"
        );
        assert_eq!(call("sethostname", [0; 6]), ERRNO | 1);
        assert_eq!(call("kexec_load", [0; 6]), ERRNO | 1);
        assert_eq!(
            run(&program, X86_64, 4000, [0; 6]),
            ERRNO | 38,
            "unknown: ENOSYS"
        );
        assert_eq!(call("personality", [8, 0, 0, 0, 0, 0]), ALLOW);
        assert_eq!(call("personality", [0xffff_ffff, 0, 0, 0, 0, 0]), ALLOW);
        assert_eq!(call("personality", [4, 0, 0, 0, 0, 0]), ERRNO | 38);
        // socket(AF_NETLINK, _, NETLINK_AUDIT) is refused with EINVAL without CAP_AUDIT_WRITE.
        assert_eq!(call("socket", [16, 3, 9, 0, 0, 0]), ERRNO | 22);
        assert_eq!(call("socket", [16, 3, 0, 0, 0, 0]), ALLOW);
        assert_eq!(call("socket", [2, 1, 9, 0, 0, 0]), ALLOW);
        // Another architecture's syscalls kill the process (seccompiler's arch check).
        assert_eq!(run(&program, 0x4000_0003, 20, [0; 6]), 0x8000_0000);

        let program = default_program(&["CAP_AUDIT_WRITE", "CAP_SYS_ADMIN"]);
        assert_eq!(
            run(&program, X86_64, nr("socket"), [16, 3, 9, 0, 0, 0]),
            ALLOW
        );
        assert_eq!(run(&program, X86_64, nr("sethostname"), [0; 6]), ALLOW);
    }

    #[test]
    fn compile_for_the_host() {
        let program = compile(&default_linux_seccomp(&[])).unwrap();
        assert!(!program.is_empty());
    }

    const DOCKER_STYLE: &str = r#"{
        "defaultAction": "SCMP_ACT_ERRNO",
        "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64", "SCMP_ARCH_NOPE"],
        "syscalls": [
            {"names": ["read", "write", "exit_group", "not_a_syscall"], "action": "SCMP_ACT_ALLOW", "args": null},
            {"name": "getpid", "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
            {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
             "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}],
             "excludes": {"caps": ["CAP_SYS_ADMIN"]}},
            {"names": ["clone"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
            {"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"], "minKernel": "2.6"}},
            {"names": ["reboot"], "action": "SCMP_ACT_LOG", "includes": {"arches": ["amd64", "arm64"]}},
            {"names": ["kill"], "action": "SCMP_ACT_KILL_PROCESS", "excludes": {"arches": ["amd64", "arm64"]}},
            {"names": ["brk"], "action": "SCMP_ACT_ALLOW", "args": [
                {"index": 0, "value": 10, "op": "SCMP_CMP_GT"},
                {"index": 0, "value": 20, "op": "SCMP_CMP_LE"}]},
            {"names": ["close"], "action": "SCMP_ACT_TRAP"}
        ]
    }"#;

    #[test]
    fn docker_format_profiles() {
        let plain = parse_profile(DOCKER_STYLE, &[]).unwrap();
        let names: Vec<Vec<String>> = plain
            .syscalls()
            .iter()
            .flatten()
            .map(|s| s.names().clone())
            .collect();
        assert_eq!(names.len(), 6, "{names:?}");
        assert_eq!(names[1], ["getpid"]);
        assert_eq!(plain.architectures().as_ref().unwrap().len(), 2);

        let program = compile_for(&plain, TargetArch::x86_64).unwrap();
        let call = |name: &str, args: [u64; 6]| run(&program, X86_64, nr(name), args);
        assert_eq!(call("read", [0; 6]), ALLOW);
        assert_eq!(call("getpid", [0; 6]), ERRNO | 13);
        assert_eq!(call("clone", [0x11, 0, 0, 0, 0, 0]), ALLOW);
        assert_eq!(call("clone", [0x2000_0000, 0, 0, 0, 0, 0]), ERRNO | 1);
        assert_eq!(call("mount", [0; 6]), ERRNO | 1);
        assert_eq!(call("reboot", [0; 6]), 0x7ffc_0000);
        assert_eq!(call("kill", [0; 6]), ERRNO | 1);
        assert_eq!(call("brk", [15, 0, 0, 0, 0, 0]), ALLOW);
        assert_eq!(call("brk", [25, 0, 0, 0, 0, 0]), ERRNO | 1);
        assert_eq!(call("brk", [5, 0, 0, 0, 0, 0]), ERRNO | 1);
        assert_eq!(call("close", [0; 6]), 0x0003_0000);

        let admin = parse_profile(DOCKER_STYLE, &caps(&["CAP_SYS_ADMIN"])).unwrap();
        let program = compile_for(&admin, TargetArch::x86_64).unwrap();
        let call = |name: &str, args: [u64; 6]| run(&program, X86_64, nr(name), args);
        assert_eq!(call("clone", [0x2000_0000, 0, 0, 0, 0, 0]), ALLOW);
        assert_eq!(call("mount", [0; 6]), ALLOW);
    }

    #[test]
    fn bad_profiles_are_errors() {
        assert!(parse_profile("{", &[]).is_err());
        let err = parse_profile(r#"{"defaultAction": "SCMP_ACT_MAYBE"}"#, &[]).unwrap_err();
        assert!(err.to_string().contains("SCMP_ACT_MAYBE"), "{err}");
        let both = r#"{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
            {"name": "read", "names": ["write"], "action": "SCMP_ACT_ALLOW"}]}"#;
        assert!(parse_profile(both, &[]).is_err());
        let dir = tempfile::tempdir().unwrap();
        let err = load_profile_file(&dir.path().join("missing.json"), &[]).unwrap_err();
        assert!(format!("{err:#}").contains("missing.json"), "{err:#}");
        let path = dir.path().join("p.json");
        std::fs::write(&path, DOCKER_STYLE).unwrap();
        assert!(load_profile_file(&path, &[]).is_ok());
    }

    #[test]
    fn allow_by_default_profiles() {
        let text = r#"{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
            {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]}"#;
        let program = compile_for(&parse_profile(text, &[]).unwrap(), TargetArch::x86_64).unwrap();
        assert_eq!(run(&program, X86_64, nr("mkdir"), [0; 6]), ERRNO | 1);
        assert_eq!(run(&program, X86_64, nr("getpid"), [0; 6]), ALLOW);
        let empty = r#"{"defaultAction": "SCMP_ACT_ALLOW"}"#;
        let program = compile_for(&parse_profile(empty, &[]).unwrap(), TargetArch::x86_64).unwrap();
        assert_eq!(run(&program, X86_64, nr("mkdir"), [0; 6]), ALLOW);
    }

    #[test]
    fn kernel_versions() {
        assert!(version_at_least("6.18.0-1-amd64", "5.8"));
        assert!(version_at_least("5.8", "5.8"));
        assert!(!version_at_least("5.4.0", "5.8"));
    }

    #[test]
    fn syscall_tables() {
        assert_eq!(syscall_number(TargetArch::x86_64, "getpid"), Some(39));
        assert_eq!(syscall_number(TargetArch::x86_64, "clone3"), Some(435));
        assert_eq!(syscall_number(TargetArch::aarch64, "unshare"), Some(97));
        assert_eq!(syscall_number(TargetArch::aarch64, "open"), None);
        assert_eq!(
            syscall_number(TargetArch::x86_64, "s390_runtime_instr"),
            None
        );
    }
}
