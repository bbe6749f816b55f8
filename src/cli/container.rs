//! Container commands: run, create, start, ps, stop, kill, rm, wait, logs, exec, restart.
//! Flags as Podman's; the work is done in container/.

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;

use super::Globals;
use crate::container::{self, NoSuchContainer, create::CreateOptions, lifecycle};
use crate::images;
use crate::store::Store;

#[derive(Args, Debug, Clone)]
pub struct CreateArgs {
    /// Print help (-h is --hostname, as in Podman)
    #[arg(long, action = clap::ArgAction::Help)]
    pub help: Option<bool>,
    /// Add capabilities to the container
    #[arg(long = "cap-add")]
    pub cap_add: Vec<String>,
    /// Drop capabilities from the container
    #[arg(long = "cap-drop")]
    pub cap_drop: Vec<String>,
    /// Write the container ID to the file
    #[arg(long)]
    pub cidfile: Option<PathBuf>,
    /// Set environment variables in container
    #[arg(short, long)]
    pub env: Vec<String>,
    /// Read in a file of environment variables
    #[arg(long = "env-file")]
    pub env_file: Vec<PathBuf>,
    /// Use all current host environment variables in container
    #[arg(long = "env-host")]
    pub env_host: bool,
    /// Overwrite the default ENTRYPOINT of the image
    #[arg(long, allow_hyphen_values = true)]
    pub entrypoint: Option<String>,
    /// Set container hostname
    #[arg(short = 'h', long)]
    pub hostname: Option<String>,
    /// Run an init inside the container that forwards signals and reaps processes
    #[arg(long)]
    pub init: bool,
    /// Keep STDIN open even if not attached
    #[arg(short, long)]
    pub interactive: bool,
    /// Set metadata on container
    #[arg(short, long)]
    pub label: Vec<String>,
    /// Add annotations to container (key=value)
    #[arg(long)]
    pub annotation: Vec<String>,
    /// Attach a filesystem mount to the container
    #[arg(long)]
    pub mount: Vec<String>,
    /// Assign a name to the container
    #[arg(long)]
    pub name: Option<String>,
    /// Connect a container to a network (none, host, private)
    #[arg(long, visible_alias = "net")]
    pub network: Option<String>,
    /// Give extended privileges to container
    #[arg(long)]
    pub privileged: bool,
    /// Tune container pids limit (set -1 for unlimited)
    #[arg(long = "pids-limit", allow_hyphen_values = true)]
    pub pids_limit: Option<i64>,
    /// Suppress output information when pulling images
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub registry: super::registry::RegistryFlags,
    #[command(flatten)]
    pub platform: super::registry::PlatformFlags,
    /// Pull image policy (missing, never, always, newer)
    #[arg(long, num_args = 0..=1, default_missing_value = "always")]
    pub pull: Option<String>,
    /// Make containers root filesystem read-only
    #[arg(long = "read-only")]
    pub read_only: bool,
    /// Remove container (and pod if created) after exit
    #[arg(long)]
    pub rm: bool,
    /// Security options (seccomp=unconfined|<file>, no-new-privileges)
    #[arg(long = "security-opt")]
    pub security_opt: Vec<String>,
    /// Signal to stop a container (default: SIGTERM)
    #[arg(long = "stop-signal")]
    pub stop_signal: Option<String>,
    /// Timeout (in seconds) that containers stopped by user command have to exit (default 10)
    #[arg(long = "stop-timeout")]
    pub stop_timeout: Option<u32>,
    /// Mount a temporary filesystem (tmpfs) into a container
    #[arg(long)]
    pub tmpfs: Vec<String>,
    /// Allocate a pseudo-TTY for container
    #[arg(short, long)]
    pub tty: bool,
    /// Username or UID (format: <name|uid>[:<group|gid>])
    #[arg(short, long)]
    pub user: Option<String>,
    /// User namespace to use (host, keep-id)
    #[arg(long)]
    pub userns: Option<String>,
    /// Bind mount a volume into the container
    #[arg(short, long)]
    pub volume: Vec<String>,
    /// Working directory inside the container
    #[arg(short, long)]
    pub workdir: Option<String>,
    /// The image, then the command and its arguments
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "IMAGE [COMMAND [ARG...]]"
    )]
    pub image_and_command: Vec<String>,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Run container in background and print container ID
    #[arg(short, long)]
    pub detach: bool,
    /// Proxy received signals to the process
    #[arg(long = "sig-proxy", default_value_t = true, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub sig_proxy: bool,
    #[command(flatten)]
    pub create: CreateArgs,
}

#[derive(Args, Debug)]
pub struct StartArgs {
    /// Attach container's STDOUT and STDERR
    #[arg(short, long)]
    pub attach: bool,
    /// Make STDIN available to the contained process
    #[arg(short, long)]
    pub interactive: bool,
    /// Proxy received signals to the process
    #[arg(long = "sig-proxy", default_value_t = true, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub sig_proxy: bool,
    #[arg(required = true)]
    pub containers: Vec<String>,
}

#[derive(Args, Debug)]
pub struct PsArgs {
    /// Show all the containers, default is only running containers
    #[arg(short, long)]
    pub all: bool,
    /// Print only the container IDs
    #[arg(short, long)]
    pub quiet: bool,
    /// Act on the latest container podman is aware of
    #[arg(short, long)]
    pub latest: bool,
    /// Print the n last created containers (all states)
    #[arg(short = 'n', long = "last")]
    pub last: Option<usize>,
    /// Display the extended information
    #[arg(long = "no-trunc")]
    pub no_trunc: bool,
    /// Do not print headers
    #[arg(long = "noheading")]
    pub noheading: bool,
    /// Filter output based on conditions given
    #[arg(short, long)]
    pub filter: Vec<String>,
    /// Pretty-print containers to JSON or using a Go template
    #[arg(long)]
    pub format: Option<String>,
}

#[derive(Args, Debug)]
pub struct StopArgs {
    /// Stop all running containers
    #[arg(short, long)]
    pub all: bool,
    /// Ignore errors when a specified container is missing
    #[arg(short, long)]
    pub ignore: bool,
    /// Seconds to wait for stop before killing the container
    #[arg(short = 't', long = "time", visible_alias = "timeout")]
    pub time: Option<u32>,
    pub containers: Vec<String>,
}

#[derive(Args, Debug)]
pub struct KillArgs {
    /// Signal all running containers
    #[arg(short, long)]
    pub all: bool,
    /// Signal to send to the container
    #[arg(short, long, default_value = "KILL")]
    pub signal: String,
    pub containers: Vec<String>,
}

#[derive(Args, Debug)]
pub struct RmArgs {
    /// Remove all containers
    #[arg(short, long)]
    pub all: bool,
    /// Force removal of a running or unusable container
    #[arg(short, long)]
    pub force: bool,
    /// Ignore errors when a specified container is missing
    #[arg(short, long)]
    pub ignore: bool,
    /// Seconds to wait for stop before killing the container
    #[arg(short = 't', long = "time")]
    pub time: Option<u32>,
    /// Remove anonymous volumes associated with the container
    #[arg(short, long)]
    pub volumes: bool,
    pub containers: Vec<String>,
}

#[derive(Args, Debug)]
pub struct WaitArgs {
    #[arg(required = true)]
    pub containers: Vec<String>,
}

#[derive(Args, Debug)]
pub struct LogsArgs {
    /// Follow log output
    #[arg(short, long)]
    pub follow: bool,
    /// Show logs since TIMESTAMP
    #[arg(long)]
    pub since: Option<String>,
    /// Show logs until TIMESTAMP
    #[arg(long)]
    pub until: Option<String>,
    /// Output the specified number of LINES at the end of the logs
    #[arg(long, allow_hyphen_values = true)]
    pub tail: Option<i64>,
    /// Output the timestamps in the log
    #[arg(short, long)]
    pub timestamps: bool,
    #[arg(required = true)]
    pub containers: Vec<String>,
}

#[derive(Args, Debug)]
pub struct ExecArgs {
    /// Run the exec session in detached mode (backgrounded)
    #[arg(short, long)]
    pub detach: bool,
    /// Set environment variables
    #[arg(short, long)]
    pub env: Vec<String>,
    /// Read in a file of environment variables
    #[arg(long = "env-file")]
    pub env_file: Vec<PathBuf>,
    /// Keep STDIN open even if not attached
    #[arg(short, long)]
    pub interactive: bool,
    /// Give extended privileges to this container
    #[arg(long)]
    pub privileged: bool,
    /// Allocate a pseudo-TTY
    #[arg(short, long)]
    pub tty: bool,
    /// Sets the username or UID used and optionally the groupname or GID for the specified command
    #[arg(short, long)]
    pub user: Option<String>,
    /// Working directory inside the container
    #[arg(short, long)]
    pub workdir: Option<String>,
    /// The container, then the command and its arguments
    #[arg(required = true, num_args = 2.., trailing_var_arg = true, allow_hyphen_values = true, value_name = "CONTAINER COMMAND [ARG...]")]
    pub container_and_command: Vec<String>,
}

fn create_options(a: &CreateArgs, auto_remove: bool) -> CreateOptions {
    let (image, command) = a
        .image_and_command
        .split_first()
        .map(|(i, c)| (i.clone(), c.to_vec()))
        .unwrap_or_default();
    CreateOptions {
        image,
        command,
        name: a.name.clone(),
        env: a.env.clone(),
        env_files: a.env_file.clone(),
        env_host: a.env_host,
        workdir: a.workdir.clone(),
        user: a.user.clone(),
        entrypoint: a.entrypoint.clone(),
        hostname: a.hostname.clone(),
        labels: a.label.clone(),
        annotations: a.annotation.clone(),
        volumes: a.volume.clone(),
        mounts: a.mount.clone(),
        tmpfs: a.tmpfs.clone(),
        read_only: a.read_only,
        init: a.init,
        stop_signal: a.stop_signal.clone(),
        stop_timeout: a.stop_timeout,
        network: a.network.clone(),
        pull: a.pull.clone(),
        userns: a.userns.clone(),
        cap_add: a.cap_add.clone(),
        cap_drop: a.cap_drop.clone(),
        privileged: a.privileged,
        pids_limit: a.pids_limit,
        security_opt: a.security_opt.clone(),
        tty: a.tty,
        interactive: a.interactive,
        auto_remove,
        create_command: std::env::args().collect(),
    }
}

/// Refused before the container is created, so a taken cidfile leaves nothing behind.
fn check_cidfile(path: &Option<PathBuf>) -> Result<()> {
    if let Some(p) = path.as_ref().filter(|p| p.exists()) {
        bail!(
            "container id file exists. Ensure another container is not using it or delete {}",
            p.display()
        );
    }
    Ok(())
}

fn write_cidfile(path: &Option<PathBuf>, id: &str) -> Result<()> {
    if let Some(p) = path {
        std::fs::write(p, id)
            .map_err(|e| anyhow::anyhow!("writing cidfile {}: {e}", p.display()))?;
    }
    Ok(())
}

pub fn create(a: CreateArgs, g: &Globals) -> Result<u8> {
    check_cidfile(&a.cidfile)?;
    let store = g.store()?;
    let c = create_pulling(&a, g, &store)?;
    write_cidfile(&a.cidfile, &c.record.id)?;
    println!("{}", c.record.id);
    Ok(0)
}

pub fn run(a: RunArgs, g: &Globals) -> Result<u8> {
    check_cidfile(&a.create.cidfile)?;
    let store = g.store()?;
    let c = create_pulling(&a.create, g, &store)?;
    write_cidfile(&a.create.cidfile, &c.record.id)?;
    let spec = c.spec;
    let found = container::Found {
        paths: c.paths,
        record: c.record,
    };
    // The spec just written is used as is, not read back.
    if !a.detach {
        warn_stdin_not_tty(a.create.interactive, a.create.tty);
    }
    if a.detach {
        if let Err(e) = lifecycle::start_detached(&store, &found, &spec) {
            cleanup_failed_start(&store, &found);
            return Err(e);
        }
        println!("{}", found.record.id);
        return Ok(0);
    }
    match lifecycle::run_foreground(&store, &found, &spec, a.sig_proxy) {
        Ok(code) => Ok(exit_byte(code)),
        Err(e) => {
            cleanup_failed_start(&store, &found);
            Err(e)
        }
    }
}

/// Create the container, pulling its image when `--pull` says so: `missing` (the default)
/// pulls only after the store said "image not known", so the usual run with the image
/// present reads the image index once; `always`/`newer` pull first, except a local-only
/// name (`localhost/...`, an id) that is present.
fn create_pulling(
    a: &CreateArgs,
    g: &Globals,
    store: &Store,
) -> Result<container::create::Created> {
    let o = create_options(a, a.rm);
    let policy = container::create::pull_policy(&o)?;
    images::pull_policy::with_image(
        store,
        &o.image,
        policy,
        || pull_image(a, g, &o.image),
        || container::create::create(store, &o),
    )
}

fn pull_image(a: &CreateArgs, g: &Globals, image: &str) -> Result<()> {
    let registry = a.registry.options()?;
    let platform = a.platform.wanted()?;
    super::registry::pull_outside_store_userns(g, image, registry, platform, a.quiet)
}

/// A container whose process never ran is removed with --rm, as Podman does.
fn cleanup_failed_start(store: &crate::store::Store, f: &container::Found) {
    if f.record.auto_remove {
        let _ = lifecycle::remove(store, f, true, true);
    }
}

/// `-it` with a stdin that is not a terminal (a pipe, /dev/null, CI): Podman's warning. The
/// run goes on: the input is copied to the container's terminal, and its end of file too.
fn warn_stdin_not_tty(interactive: bool, tty: bool) {
    if interactive && tty && !rustix::termios::isatty(std::io::stdin()) {
        log::warn!(
            "The input device is not a TTY. The --tty and --interactive flags might not work properly"
        );
    }
}

fn exit_byte(code: i32) -> u8 {
    u8::try_from(code).unwrap_or(if code < 0 {
        crate::error::EXIT_TOOL
    } else {
        (code & 0xff) as u8
    })
}

pub fn start(a: StartArgs, g: &Globals) -> Result<u8> {
    let store = g.store()?;
    if a.attach || a.interactive {
        if a.containers.len() != 1 {
            bail!("you cannot start and attach multiple containers at once");
        }
        let f = container::find(&store, &a.containers[0])?;
        let spec = lifecycle::load_spec(&f.paths)?;
        return Ok(exit_byte(lifecycle::run_foreground(
            &store,
            &f,
            &spec,
            a.sig_proxy,
        )?));
    }
    for name in &a.containers {
        let f = container::find(&store, name)?;
        lifecycle::start_detached(&store, &f, &lifecycle::load_spec(&f.paths)?)?;
        println!("{name}");
    }
    Ok(0)
}

/// Run `op` on each named container (or all with `all`), printing `print(name)` for each
/// success; unknown containers are an error unless `ignore`.
fn each(
    g: &Globals,
    names: &[String],
    all: bool,
    ignore: bool,
    only_running: bool,
    mut op: impl FnMut(&crate::store::Store, &container::Found) -> Result<()>,
    print_id: bool,
) -> Result<u8> {
    let store = g.store()?;
    if all && !names.is_empty() {
        bail!("--all and container names cannot be used together");
    }
    if !all && names.is_empty() {
        bail!("you must provide at least one container name or ID");
    }
    let targets: Vec<(String, Result<container::Found>)> = if all {
        container::list(&store)?
            .into_iter()
            .filter(|f| {
                !only_running
                    || container::record::live_state(&f.paths)
                        .is_ok_and(|s| s.status == container::record::Status::Running)
            })
            .map(|f| (f.record.id.clone(), Ok(f)))
            .collect()
    } else {
        names
            .iter()
            .map(|n| (n.clone(), container::find(&store, n)))
            .collect()
    };
    let mut first_err: Option<anyhow::Error> = None;
    for (name, found) in targets {
        let res = found.and_then(|f| op(&store, &f).map(|_| f));
        match res {
            Ok(f) => println!("{}", if print_id { f.record.id.clone() } else { name }),
            Err(e) if ignore && e.is::<NoSuchContainer>() => {}
            Err(e) => {
                if first_err.is_some() {
                    eprintln!("Error: {e:#}");
                } else {
                    first_err = Some(e);
                }
            }
        }
    }
    match first_err {
        Some(e) => Err(e),
        None => Ok(0),
    }
}

pub fn stop(a: StopArgs, g: &Globals) -> Result<u8> {
    let t = a.time;
    each(
        g,
        &a.containers,
        a.all,
        a.ignore,
        true,
        |_, f| lifecycle::stop(f, t),
        false,
    )
}

pub fn kill(a: KillArgs, g: &Globals) -> Result<u8> {
    let sig = container::signal::parse_signal(&a.signal)?;
    each(
        g,
        &a.containers,
        a.all,
        false,
        true,
        |_, f| lifecycle::kill(f, sig),
        false,
    )
}

pub fn rm(a: RmArgs, g: &Globals) -> Result<u8> {
    let (force, vols, t) = (a.force, a.volumes, a.time);
    let result = each(
        g,
        &a.containers,
        a.all,
        a.ignore,
        false,
        |store, f| {
            if force {
                lifecycle::stop(f, Some(t.unwrap_or(0)))?;
            }
            lifecycle::remove(store, f, force, vols)
        },
        true,
    );
    // Podman: 1 when a container was not found.
    match result {
        Err(e) if e.is::<NoSuchContainer>() => {
            eprintln!("Error: {e:#}");
            Ok(1)
        }
        other => other,
    }
}

pub fn wait(a: WaitArgs, g: &Globals) -> Result<u8> {
    let store = g.store()?;
    for name in &a.containers {
        let f = container::find(&store, name)?;
        println!("{}", lifecycle::wait(&f)?);
    }
    Ok(0)
}

pub fn restart(a: StopArgs, g: &Globals) -> Result<u8> {
    let t = a.time;
    each(
        g,
        &a.containers,
        a.all,
        a.ignore,
        false,
        |store, f| {
            lifecycle::stop(f, t)?;
            lifecycle::start_detached(store, f, &lifecycle::load_spec(&f.paths)?)
        },
        true,
    )
}

pub fn ps(a: PsArgs, g: &Globals) -> Result<u8> {
    let store = g.store()?;
    let o = container::ps::PsOptions {
        all: a.all,
        quiet: a.quiet,
        latest: a.latest,
        last: a.last,
        no_trunc: a.no_trunc,
        filters: a.filter,
        format: a.format,
        noheading: a.noheading,
    };
    container::ps::ps(&store, &o)?;
    Ok(0)
}

pub fn logs(a: LogsArgs, g: &Globals) -> Result<u8> {
    let store = g.store()?;
    let now = chrono::Utc::now();
    let opts = crate::monitor::logfile::LogOptions {
        follow: a.follow,
        tail: a.tail.and_then(|n| usize::try_from(n).ok()),
        since: a
            .since
            .as_deref()
            .map(|s| crate::monitor::logfile::parse_time_filter(s, now))
            .transpose()?,
        until: a
            .until
            .as_deref()
            .map(|s| crate::monitor::logfile::parse_time_filter(s, now))
            .transpose()?,
        timestamps: a.timestamps,
    };
    for name in &a.containers {
        let f = container::find(&store, name)?;
        let paths = f.paths.clone();
        let running = move || {
            container::record::live_state(&paths).is_ok_and(|s| {
                matches!(
                    s.status,
                    container::record::Status::Running | container::record::Status::Created
                )
            })
        };
        let stdout = std::io::stdout();
        let stderr = std::io::stderr();
        crate::monitor::logfile::read_logs(
            &f.paths.log(),
            &opts,
            &running,
            &mut stdout.lock(),
            &mut stderr.lock(),
        )?;
    }
    Ok(0)
}

pub fn exec(a: ExecArgs, g: &Globals) -> Result<u8> {
    let store = g.store()?;
    let (name, command) = a
        .container_and_command
        .split_first()
        .map(|(n, c)| (n.clone(), c.to_vec()))
        .unwrap_or_default();
    let f = container::find(&store, &name)?;
    if !a.detach {
        warn_stdin_not_tty(a.interactive, a.tty);
    }
    let o = container::exec::ExecOptions {
        command,
        env: a.env,
        env_files: a.env_file,
        interactive: a.interactive,
        tty: a.tty,
        user: a.user,
        workdir: a.workdir,
        detach: a.detach,
        privileged: a.privileged,
    };
    Ok(exit_byte(container::exec::exec(&store, &f, &o)?))
}

#[derive(Args, Debug)]
pub struct RenameArgs {
    pub container: String,
    pub new_name: String,
}

#[derive(Args, Debug)]
pub struct OneContainer {
    pub container: String,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Write to a specified file (default: stdout, which must be redirected)
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    pub container: String,
}

#[derive(Args, Debug)]
pub struct CommitArgs {
    /// Set the author for the image committed
    #[arg(short, long)]
    pub author: Option<String>,
    /// Apply the following possible instructions to the created image
    #[arg(short, long)]
    pub change: Vec<String>,
    /// Set commit message for imported image
    #[arg(short, long)]
    pub message: Option<String>,
    /// Pause container during commit (accepted; skiff commits without pausing)
    #[arg(short, long)]
    pub pause: bool,
    /// Suppress output
    #[arg(short, long)]
    pub quiet: bool,
    pub container: String,
    pub image: Option<String>,
}

#[derive(Args, Debug)]
pub struct CpArgs {
    /// Copy archive mode (accepted for compatibility)
    #[arg(short, long)]
    pub archive: bool,
    pub src: String,
    pub dest: String,
}

#[derive(Args, Debug)]
pub struct PruneArgs {
    /// Do not prompt for confirmation
    #[arg(short, long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct PortArgs {
    /// Display port information for all containers
    #[arg(short, long)]
    pub all: bool,
    pub container: Option<String>,
    pub port: Option<String>,
}

#[derive(Args, Debug)]
pub struct TopArgs {
    pub container: String,
    /// ps-style descriptors (accepted; the default columns are shown)
    pub descriptors: Vec<String>,
}

pub fn rename(a: RenameArgs, g: &Globals) -> Result<u8> {
    let store = g.store()?;
    let c = container::find(&store, &a.container)?;
    container::ops::rename(&store, &c, &a.new_name)?;
    Ok(0)
}

/// skiff publishes no ports yet, so there is nothing to print, as Podman for such a container.
pub fn port(a: PortArgs, g: &Globals) -> Result<u8> {
    let store = g.store()?;
    if let Some(c) = &a.container {
        container::find(&store, c)?;
    } else if !a.all {
        bail!("you must provide a running container name or ID, or --all");
    }
    let _ = a.port;
    Ok(0)
}

pub fn top(a: TopArgs, g: &Globals) -> Result<u8> {
    let store = g.store()?;
    let c = container::find(&store, &a.container)?;
    print!("{}", container::ops::top(&c)?);
    Ok(0)
}

pub fn diff(a: OneContainer, g: &Globals) -> Result<u8> {
    let store = g.store_for_writing()?;
    let c = container::find(&store, &a.container)?;
    for line in container::ops::diff(&store, &c)? {
        println!("{line}");
    }
    Ok(0)
}

pub fn export(a: ExportArgs, g: &Globals) -> Result<u8> {
    let store = g.store()?;
    let c = container::find(&store, &a.container)?;
    if a.output.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        bail!("refusing to export to terminal. Use -o flag or redirect");
    }
    container::transfer::export(&store, &c, a.output.as_deref())?;
    Ok(0)
}

pub fn commit(a: CommitArgs, g: &Globals) -> Result<u8> {
    let store = g.store_for_writing()?;
    let c = container::find(&store, &a.container)?;
    let o = container::transfer::CommitOptions {
        name: a.image,
        message: a.message,
        author: a.author,
        changes: a.change,
    };
    let id = container::transfer::commit(&store, &c, &o)?;
    let _ = (a.pause, a.quiet);
    println!("{}", id.hex());
    Ok(0)
}

pub fn cp(a: CpArgs, g: &Globals) -> Result<u8> {
    let store = g.store()?;
    let split = |s: &str| -> Option<(String, String)> {
        let (c, p) = s.split_once(':')?;
        (!c.is_empty() && !c.contains('/')).then(|| (c.to_string(), p.to_string()))
    };
    match (split(&a.src), split(&a.dest)) {
        (Some((c, path)), None) => {
            let c = container::find(&store, &c)?;
            container::transfer::copy_out(&store, &c, &path, std::path::Path::new(&a.dest))?;
        }
        (None, Some((c, path))) => {
            let c = container::find(&store, &c)?;
            container::transfer::copy_in(&store, &c, std::path::Path::new(&a.src), &path)?;
        }
        (Some(_), Some(_)) => bail!("copying between containers is not supported"),
        (None, None) => bail!(
            "invalid arguments {}, {}: you must use just one container",
            a.src,
            a.dest
        ),
    }
    let _ = a.archive;
    Ok(0)
}

pub fn prune(a: PruneArgs, g: &Globals) -> Result<u8> {
    if !a.force && !crate::format::confirm("WARNING! This will remove all non running containers.")?
    {
        return Ok(0);
    }
    let store = g.store()?;
    for id in container::ops::prune(&store)? {
        println!("{id}");
    }
    Ok(0)
}

/// `attach`: the container's output (and, for a container created with -i, our stdin) through
/// its monitor's attach socket, until it exits; then its exit code. A container run in the
/// foreground by another skiff has no monitor socket: then its log is followed instead.
pub fn attach(a: OneContainer, g: &Globals) -> Result<u8> {
    use std::os::fd::AsFd;
    let store = g.store()?;
    let c = container::find(&store, &a.container)?;
    let st = container::record::live_state(&c.paths)?;
    if st.status != container::record::Status::Running {
        bail!("you can only attach to running containers");
    }
    match crate::monitor::attach::connect(&c.paths.run_dir) {
        Ok(sock) => {
            let stdin = std::io::stdin();
            let forward = c.record.interactive || c.record.tty;
            let _raw = if c.record.tty {
                crate::sys::tty::RawModeGuard::enter(stdin.as_fd())?
            } else {
                None
            };
            crate::monitor::attach::relay(&sock, forward.then(|| stdin.as_fd()))?;
        }
        Err(_) => {
            let opts = crate::monitor::logfile::LogOptions {
                follow: true,
                tail: Some(0),
                ..Default::default()
            };
            let paths = c.paths.clone();
            let running = move || {
                container::record::live_state(&paths)
                    .is_ok_and(|s| s.status == container::record::Status::Running)
            };
            crate::monitor::logfile::read_logs(
                &c.paths.log(),
                &opts,
                &running,
                &mut std::io::stdout().lock(),
                &mut std::io::stderr().lock(),
            )?;
        }
    }
    Ok(exit_byte(lifecycle::wait(&c)?))
}

#[derive(clap::Subcommand, Debug)]
pub enum ContainerCommand {
    /// List containers
    #[command(visible_alias = "list", alias = "ps")]
    Ls(PsArgs),
    /// Remove one or more containers
    Rm(RmArgs),
    /// Remove all non running containers
    Prune(PruneArgs),
    /// Display the configuration of a container
    Inspect(super::image::ImageInspectArgs),
    /// Check if a container exists in local storage
    Exists(OneContainer),
    /// Run a command in a new container
    #[command(disable_help_flag = true)]
    Run(RunArgs),
    /// Create but do not start a container
    #[command(disable_help_flag = true)]
    Create(CreateArgs),
    /// Start one or more containers
    Start(StartArgs),
    /// Stop one or more containers
    Stop(StopArgs),
    /// Kill one or more running containers with a specific signal
    Kill(KillArgs),
    /// Restart one or more containers
    Restart(StopArgs),
    /// Block on one or more containers
    Wait(WaitArgs),
    /// Fetch the logs of one or more containers
    Logs(LogsArgs),
    /// Run a process in a running container
    Exec(ExecArgs),
    /// Rename an existing container
    Rename(RenameArgs),
    /// List port mappings or a specific mapping for the container
    Port(PortArgs),
    /// Display the running processes of a container
    Top(TopArgs),
    /// Inspect changes to the container's file systems
    Diff(OneContainer),
    /// Export a container's filesystem contents as a tar archive
    Export(ExportArgs),
    /// Create new image based on the changed container
    Commit(CommitArgs),
    /// Copy files/folders between a container and the local filesystem
    Cp(CpArgs),
    /// Attach to a running container
    Attach(OneContainer),
}

pub fn container_group(cmd: ContainerCommand, g: &Globals) -> Result<u8> {
    match cmd {
        ContainerCommand::Ls(a) => ps(a, g),
        ContainerCommand::Rm(a) => rm(a, g),
        ContainerCommand::Prune(a) => prune(a, g),
        ContainerCommand::Inspect(a) => {
            let store = g.store()?;
            crate::images::inspect::inspect_objects(
                &store,
                &a.images,
                a.format.as_deref(),
                "container",
            )
        }
        ContainerCommand::Exists(a) => {
            let store = g.store()?;
            Ok(if container::find(&store, &a.container).is_ok() {
                0
            } else {
                1
            })
        }
        ContainerCommand::Run(a) => run(a, g),
        ContainerCommand::Create(a) => create(a, g),
        ContainerCommand::Start(a) => start(a, g),
        ContainerCommand::Stop(a) => stop(a, g),
        ContainerCommand::Kill(a) => kill(a, g),
        ContainerCommand::Restart(a) => restart(a, g),
        ContainerCommand::Wait(a) => wait(a, g),
        ContainerCommand::Logs(a) => logs(a, g),
        ContainerCommand::Exec(a) => exec(a, g),
        ContainerCommand::Rename(a) => rename(a, g),
        ContainerCommand::Port(a) => port(a, g),
        ContainerCommand::Top(a) => top(a, g),
        ContainerCommand::Diff(a) => diff(a, g),
        ContainerCommand::Export(a) => export(a, g),
        ContainerCommand::Commit(a) => commit(a, g),
        ContainerCommand::Cp(a) => cp(a, g),
        ContainerCommand::Attach(a) => attach(a, g),
    }
}
