//! The command line: clap definitions (one file per command group) and dispatch. Each
//! command is a thin adapter that turns flags into typed options for an operation in
//! images/, store/, ... ; operations never see argument parsing.

mod build;
mod container;
mod image;
mod logging;
mod registry;
mod system;
mod volume;

use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand};

use crate::error::{EXIT_TOOL, exit_code_of};
use crate::store::{Store, StoreConfig, paths};
use crate::sys;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Parser, Debug)]
#[command(
    name = "skiff",
    about = "Manage containers and images: daemonless, rootless, Podman-compatible",
    version = concat!("version ", env!("CARGO_PKG_VERSION")),
    disable_version_flag = true,
    subcommand_required = true,
    arg_required_else_help = true,
    max_term_width = 100
)]
pub struct Cli {
    /// Path to the root directory in which data, including images, is stored
    #[arg(long, global = true, value_name = "PATH", env = "SKIFF_ROOT")]
    pub root: Option<PathBuf>,

    /// Path to the 'run directory' where all state information is stored
    #[arg(long, global = true, value_name = "PATH", env = "SKIFF_RUNROOT")]
    pub runroot: Option<PathBuf>,

    /// Log messages above specified level (trace, debug, info, warn, error)
    #[arg(long, global = true, value_name = "LEVEL", default_value = "warn", value_parser = parse_log_level)]
    pub log_level: String,

    /// Select which storage driver is used to manage storage of images and containers
    #[arg(long, global = true, value_name = "DRIVER", value_parser = ["overlay"])]
    pub storage_driver: Option<String>,

    /// Print the version
    #[arg(short = 'v', long = "version", action = clap::ArgAction::Version)]
    pub version: Option<bool>,

    #[command(subcommand)]
    pub command: Command,
}

fn parse_log_level(s: &str) -> Result<String, String> {
    match logging::parse_level(s) {
        Some(_) => Ok(s.to_string()),
        None => Err(format!(
            "{s:?} is not a valid log level (trace, debug, info, warn, error)"
        )),
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run a command in a new container
    #[command(disable_help_flag = true)]
    Run(container::RunArgs),
    /// Create but do not start a container
    #[command(disable_help_flag = true)]
    Create(container::CreateArgs),
    /// Start one or more containers
    Start(container::StartArgs),
    /// List containers
    #[command(visible_alias = "list", alias = "ls")]
    Ps(container::PsArgs),
    /// Stop one or more containers
    Stop(container::StopArgs),
    /// Kill one or more running containers with a specific signal
    Kill(container::KillArgs),
    /// Remove one or more containers
    Rm(container::RmArgs),
    /// Restart one or more containers
    Restart(container::StopArgs),
    /// Block on one or more containers
    Wait(container::WaitArgs),
    /// Fetch the logs of one or more containers
    Logs(container::LogsArgs),
    /// Run a process in a running container
    Exec(container::ExecArgs),
    /// Manage containers
    #[command(subcommand)]
    Container(container::ContainerCommand),
    /// Rename an existing container
    Rename(container::RenameArgs),
    /// List port mappings or a specific mapping for the container
    Port(container::PortArgs),
    /// Display the running processes of a container
    Top(container::TopArgs),
    /// Inspect changes to the container's file systems
    Diff(container::OneContainer),
    /// Export a container's filesystem contents as a tar archive
    Export(container::ExportArgs),
    /// Create new image based on the changed container
    Commit(container::CommitArgs),
    /// Copy files/folders between a container and the local filesystem
    Cp(container::CpArgs),
    /// Attach to a running container
    Attach(container::OneContainer),
    /// Manage images
    #[command(subcommand)]
    Image(image::ImageCommand),
    /// List images in local storage
    Images(image::ListArgs),
    /// Build an image using instructions from Containerfiles
    Build(Box<build::BuildArgs>),
    /// Manage the build cache
    #[command(subcommand)]
    Builder(build::BuilderCommand),
    /// Docker's buildx, for `buildx build`
    #[command(subcommand, hide = true)]
    Buildx(build::BuilderCommand),
    /// Display the history of an image
    History(image::HistoryArgs),
    /// Load image(s) from a tar archive
    Load(image::LoadArgs),
    /// Import a tarball to create a filesystem image
    Import(image::ImportArgs),
    /// Display the configuration of an object
    Inspect(image::InspectArgs),
    /// Remove one or more images from local storage
    Rmi(image::RemoveArgs),
    /// Save image(s) to an archive
    Save(image::SaveArgs),
    /// Add an additional name to a local image
    Tag(image::TagArgs),
    /// Remove a name from a local image
    Untag(image::UntagArgs),
    /// Pull an image from a registry
    Pull(registry::PullArgs),
    /// Push an image to a specified destination
    Push(registry::PushArgs),
    /// Log in to a container registry
    Login(registry::LoginArgs),
    /// Log out of a container registry
    Logout(registry::LogoutArgs),
    /// Search a registry for an image
    Search(registry::SearchArgs),
    /// Manipulate manifest lists and image indexes
    #[command(subcommand)]
    Manifest(registry::ManifestCommand),
    /// Run a command in a modified user namespace
    Unshare(system::UnshareArgs),
    /// Display the skiff version information
    Version(system::VersionArgs),
    /// Manage volumes
    #[command(subcommand)]
    Volume(volume::VolumeCommand),
}

/// Everything a command needs from the global flags.
pub struct Globals {
    pub root: Option<PathBuf>,
    pub runroot: Option<PathBuf>,
}

impl Globals {
    /// Rootless when the real user is not root (also inside our own user namespace,
    /// where we are uid 0 but the store still belongs to the user).
    pub fn rootless(&self) -> bool {
        sys::userns::is_rootless() || sys::userns::in_store_userns()
    }

    pub fn store_config(&self) -> anyhow::Result<StoreConfig> {
        let rootless = self.rootless();
        let uid = rustix::process::getuid().as_raw();
        let runroot = match &self.runroot {
            Some(r) => r.clone(),
            None => paths::default_runroot(rootless, uid)?,
        };
        Ok(StoreConfig {
            root: self
                .root
                .clone()
                .unwrap_or_else(|| paths::default_root(rootless)),
            runroot,
            rootless,
            single_id_map: sys::userns::single_id_map(),
        })
    }

    /// Open the store for reading; files owned by subordinate ids are not touched.
    pub fn store(&self) -> anyhow::Result<Store> {
        Store::open(self.store_config()?)
    }

    /// Open the store for a change that creates or removes files owned by other ids:
    /// rootless, first move into the user namespace holding the user's id range.
    pub fn store_for_writing(&self) -> anyhow::Result<Store> {
        sys::userns::enter_store_userns()?;
        Store::open(self.store_config()?)
    }
}

/// Parse, run, print errors once; the process exit code.
pub fn main() -> u8 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_error(e),
    };
    logging::init(logging::parse_level(&cli.log_level).unwrap_or(log::LevelFilter::Warn));
    let globals = Globals {
        root: cli.root.clone(),
        runroot: cli.runroot.clone(),
    };
    match dispatch(cli.command, &globals) {
        Ok(code) => code,
        Err(e) => {
            report_error(&e);
            exit_code_of(&e)
        }
    }
}

/// Print an error as one line, Podman's way; the chain only at debug level.
pub fn report_error(e: &anyhow::Error) {
    if log::log_enabled!(log::Level::Debug) {
        eprintln!("Error: {e:#}");
        for cause in e.chain().skip(1) {
            log::debug!("caused by: {cause}");
        }
    } else {
        eprintln!("Error: {e:#}");
    }
}

/// clap's own output for --help/--version; its errors become one line and exit 125.
fn clap_error(e: clap::Error) -> u8 {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            0
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            let _ = e.print();
            EXIT_TOOL
        }
        _ => {
            let text = e.render().to_string();
            let first = text.lines().next().unwrap_or("invalid command line");
            let first = first.strip_prefix("error: ").unwrap_or(first);
            eprintln!("Error: {first}");
            eprintln!("See 'skiff --help'");
            EXIT_TOOL
        }
    }
}

fn dispatch(cmd: Command, g: &Globals) -> anyhow::Result<u8> {
    match cmd {
        Command::Run(a) => container::run(a, g),
        Command::Create(a) => container::create(a, g),
        Command::Start(a) => container::start(a, g),
        Command::Ps(a) => container::ps(a, g),
        Command::Stop(a) => container::stop(a, g),
        Command::Kill(a) => container::kill(a, g),
        Command::Rm(a) => container::rm(a, g),
        Command::Restart(a) => container::restart(a, g),
        Command::Wait(a) => container::wait(a, g),
        Command::Logs(a) => container::logs(a, g),
        Command::Exec(a) => container::exec(a, g),
        Command::Container(c) => container::container_group(c, g),
        Command::Rename(a) => container::rename(a, g),
        Command::Port(a) => container::port(a, g),
        Command::Top(a) => container::top(a, g),
        Command::Diff(a) => container::diff(a, g),
        Command::Export(a) => container::export(a, g),
        Command::Commit(a) => container::commit(a, g),
        Command::Cp(a) => container::cp(a, g),
        Command::Attach(a) => container::attach(a, g),
        Command::Image(c) => image::run(c, g),
        Command::Images(a) => image::list(a, g),
        Command::Build(a) => build::build(*a, g),
        Command::Builder(c) | Command::Buildx(c) => build::run_builder(c, g),
        Command::History(a) => image::history(a, g),
        Command::Load(a) => image::load(a, g),
        Command::Import(a) => image::import(a, g),
        Command::Inspect(a) => image::inspect(a, g),
        Command::Rmi(a) => image::remove(a, g),
        Command::Save(a) => image::save(a, g),
        Command::Tag(a) => image::tag(a, g),
        Command::Untag(a) => image::untag(a, g),
        Command::Pull(a) => registry::pull(a, g),
        Command::Push(a) => registry::push(a, g),
        Command::Login(a) => registry::login(a, g),
        Command::Logout(a) => registry::logout(a, g),
        Command::Search(a) => registry::search(a, g),
        Command::Manifest(c) => registry::manifest(c, g),
        Command::Unshare(a) => system::unshare(a, g),
        Command::Version(a) => system::version(a),
        Command::Volume(c) => volume::run(c, g),
    }
}

/// The clap command tree, for man pages and completions.
pub fn command() -> clap::Command {
    Cli::command()
}

#[cfg(test)]
mod tests {
    #[test]
    fn command_tree_is_consistent() {
        super::command().debug_assert();
    }
}
