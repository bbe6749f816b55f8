//! Container records. Two files per container, both replaced atomically:
//! - `<root>/containers/<id>/container.json`: what the container is (set at create; rename
//!   changes the name), next to `spec.json` (its OCI runtime spec), `upper/` and `work/`;
//! - `<runroot>/containers/<id>/state.json`: what it is doing (status, pid, exit code).
//!
//! A per-container flock (`<root>/containers/<id>/lock`) serialises state transitions.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::image::digest::Digest;
use crate::store::fsutil::write_atomic;

/// A mount as recorded for `inspect` and for finding the volumes a container uses.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MountRecord {
    /// "bind", "volume" or "tmpfs".
    pub kind: String,
    /// Host path (bind), volume name (volume), empty (tmpfs).
    pub source: String,
    pub destination: String,
    #[serde(default)]
    pub options: Vec<String>,
    pub rw: bool,
    /// For volumes: the host directory mounted.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub host_path: String,
    #[serde(default)]
    pub anonymous: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ContainerRecord {
    pub id: String,
    pub name: String,
    /// The image as the user named it, and what it resolved to.
    pub image: String,
    pub image_id: Digest,
    #[serde(default)]
    pub image_name: String,
    #[serde(default)]
    pub image_digest: String,
    /// Image layers (chain ids, base first): the overlay lower dirs.
    pub layers: Vec<Digest>,
    pub created: DateTime<Utc>,
    /// The full command (entrypoint + args), for `ps`.
    pub command: Vec<String>,
    #[serde(default)]
    pub labels: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: std::collections::BTreeMap<String, String>,
    pub rootless: bool,
    pub auto_remove: bool,
    pub stop_signal: i32,
    pub stop_timeout: u32,
    pub tty: bool,
    pub interactive: bool,
    pub init: bool,
    pub hostname: String,
    pub network: String,
    #[serde(default)]
    pub mounts: Vec<MountRecord>,
    /// The user's words, for `inspect` (Config.User).
    #[serde(default)]
    pub user: String,
    #[serde(default)]
    pub create_command: Vec<String>,
    /// `--userns=keep-id`: the uid/gid the user keeps inside.
    #[serde(default)]
    pub keep_id: bool,
    #[serde(default)]
    pub read_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Created,
    Running,
    Stopping,
    Exited,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::Running => "running",
            Status::Stopping => "stopping",
            Status::Exited => "exited",
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ContainerState {
    pub status: Status,
    #[serde(default)]
    pub pid: i32,
    /// Start time of `pid` (field 22 of /proc/<pid>/stat): tells our process from a
    /// recycled pid.
    #[serde(default)]
    pub pid_start: u64,
    #[serde(default)]
    pub monitor_pid: i32,
    #[serde(default)]
    pub started_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub finished_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub exit_code: Option<i32>,
    #[serde(default)]
    pub error: String,
}

/// Where one container's files live.
#[derive(Debug, Clone)]
pub struct ContainerPaths {
    pub dir: PathBuf,
    pub run_dir: PathBuf,
}

impl ContainerPaths {
    pub fn new(root: &Path, runroot: &Path, id: &str) -> ContainerPaths {
        ContainerPaths {
            dir: root.join("containers").join(id),
            run_dir: runroot.join("containers").join(id),
        }
    }
    pub fn record(&self) -> PathBuf {
        self.dir.join("container.json")
    }
    pub fn spec(&self) -> PathBuf {
        self.dir.join("spec.json")
    }
    pub fn upper(&self) -> PathBuf {
        self.dir.join("upper")
    }
    pub fn work(&self) -> PathBuf {
        self.dir.join("work")
    }
    pub fn lock(&self) -> PathBuf {
        self.dir.join("lock")
    }
    pub fn log(&self) -> PathBuf {
        self.dir.join("ctr.log")
    }
    pub fn state(&self) -> PathBuf {
        self.run_dir.join("state.json")
    }
    /// The running state as last recorded, kept in the store too: if the runroot's state
    /// goes (a tmpfs wiped at logout while the container runs), its pid and start time still
    /// tell whether it runs, so `stop`/`rm` act on it instead of calling it Created.
    /// Present while the container's removal is under way, or after one failed.
    pub fn removing(&self) -> PathBuf {
        self.dir.join("removing")
    }
    pub fn last_start(&self) -> PathBuf {
        self.dir.join("last-start.json")
    }
    pub fn rootfs(&self) -> PathBuf {
        self.run_dir.join("rootfs")
    }
    pub fn hosts(&self) -> PathBuf {
        self.run_dir.join("hosts")
    }
    pub fn hostname(&self) -> PathBuf {
        self.run_dir.join("hostname")
    }
    pub fn resolv_conf(&self) -> PathBuf {
        self.run_dir.join("resolv.conf")
    }
}

pub fn save_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    write_atomic(path, &serde_json::to_vec_pretty(value)?)
}

pub fn load_record(paths: &ContainerPaths) -> Result<ContainerRecord> {
    let bytes = fs::read(paths.record())
        .with_context(|| format!("reading {}", paths.record().display()))?;
    serde_json::from_slice(&bytes).with_context(|| format!("parsing {}", paths.record().display()))
}

/// The saved state, or `Created` if none was written yet (or the runroot was wiped by a
/// reboot: then a container that was running is not any more).
pub fn load_state(paths: &ContainerPaths) -> Result<ContainerState> {
    match fs::read(paths.state()) {
        Ok(b) => serde_json::from_slice(&b)
            .with_context(|| format!("parsing {}", paths.state().display())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(last_start(paths)),
        Err(e) => Err(e).with_context(|| format!("reading {}", paths.state().display())),
    }
}

/// The store's copy of the last running state (see `ContainerPaths::last_start`); its
/// process is checked by the caller like any recorded one. Never started: Created.
fn last_start(paths: &ContainerPaths) -> ContainerState {
    fs::read(paths.last_start())
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// Is the recorded process still ours? A dead monitor or container, or a recycled pid,
/// means the container is not running any more, whatever the file says.
pub fn process_alive(pid: i32, start: u64) -> bool {
    if pid <= 0 {
        return false;
    }
    match crate::sys::pidfd::process_start_time(pid) {
        Some(t) => start == 0 || t == start,
        None => false,
    }
}

/// The state as it really is: a `running` record whose process is gone reads as exited. A
/// container being started (by `start`, `run`, or a monitor whose CLI was killed) is waited
/// for: the starter holds the container's lock from before its process exists until its pid
/// is recorded, so a `created` or `exited` read is never a container that runs already. Not for callers
/// that hold the lock themselves: they use [`live_state_held`].
pub fn live_state(paths: &ContainerPaths) -> Result<ContainerState> {
    let st = live_state_held(paths)?;
    if matches!(st.status, Status::Running | Status::Stopping) {
        return Ok(st);
    }
    // No lock file: no start ever began. Opened without creating it, so that a concurrent
    // `rm` never finds a new file in the directory it is removing.
    let Ok(file) = fs::File::open(paths.lock()) else {
        return Ok(st);
    };
    use rustix::fs::FlockOperation::{LockShared, NonBlockingLockShared};
    match rustix::fs::flock(&file, NonBlockingLockShared) {
        Ok(()) => {}
        // Held by an `rm` (it marks the directory first): nothing starts, do not wait for
        // the whole removal (`ps -a` would).
        Err(rustix::io::Errno::WOULDBLOCK) if paths.removing().exists() => return Ok(st),
        Err(_) => loop {
            match rustix::fs::flock(&file, LockShared) {
                Err(rustix::io::Errno::INTR) => continue,
                Err(_) => return Ok(st),
                Ok(()) => break,
            }
        },
    }
    let st = live_state_held(paths);
    drop(file);
    st
}

/// [`live_state`] for a caller that holds the container's lock.
pub fn live_state_held(paths: &ContainerPaths) -> Result<ContainerState> {
    let mut st = load_state(paths)?;
    if matches!(st.status, Status::Running | Status::Stopping)
        && !process_alive(st.pid, st.pid_start)
    {
        st.status = Status::Exited;
        if st.finished_at.is_none() {
            st.finished_at = Some(Utc::now());
        }
    }
    Ok(st)
}
