//! `skiff volume ...`: create, ls, inspect, rm, prune, exists. Flags as Podman's; the work
//! is done in volumes/ and store/volumes.rs.

use anyhow::Result;
use clap::{Args, Subcommand};

use super::Globals;
use crate::volumes;

#[derive(Subcommand, Debug)]
pub enum VolumeCommand {
    /// Create a new volume
    Create(CreateArgs),
    /// List volumes
    #[command(visible_alias = "list")]
    Ls(ListArgs),
    /// Display detailed information on one or more volumes
    Inspect(InspectArgs),
    /// Remove one or more volumes
    #[command(visible_alias = "remove")]
    Rm(RemoveArgs),
    /// Remove all unused volumes
    Prune(PruneArgs),
    /// Check if the given volume exists
    Exists(ExistsArgs),
}

#[derive(Args, Debug)]
pub struct CreateArgs {
    /// Specify volume driver name
    #[arg(short, long, default_value = "local", value_name = "DRIVER")]
    pub driver: String,
    /// Set metadata for a volume (e.g. --label mykey=value)
    #[arg(short, long, value_name = "LABEL")]
    pub label: Vec<String>,
    /// Set driver specific options
    #[arg(short, long, value_name = "OPT")]
    pub opt: Vec<String>,
    /// Don't fail if volume already exists
    #[arg(long)]
    pub ignore: bool,
    /// The name of the volume (default: a random 64-hex name)
    pub name: Option<String>,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Filter volume output (name=, label=, label!=, driver=, dangling=, anonymous=, opt=, scope=, until=, after=)
    #[arg(short, long = "filter", value_name = "FILTER")]
    pub filter: Vec<String>,
    /// Format volume output using JSON or a Go template
    #[arg(long)]
    pub format: Option<String>,
    /// Do not print headers
    #[arg(short, long = "noheading")]
    pub noheading: bool,
    /// Print volume output in quiet mode
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// Inspect all volumes
    #[arg(short, long)]
    pub all: bool,
    /// Format volume output using JSON or a Go template
    #[arg(short, long)]
    pub format: Option<String>,
    pub names: Vec<String>,
}

#[derive(Args, Debug)]
pub struct RemoveArgs {
    /// Remove all volumes
    #[arg(short, long)]
    pub all: bool,
    /// Remove a volume by force, even if it is being used by a container
    #[arg(short, long)]
    pub force: bool,
    pub names: Vec<String>,
}

#[derive(Args, Debug)]
pub struct PruneArgs {
    /// Do not prompt for confirmation
    #[arg(short, long)]
    pub force: bool,
    /// Provide filter values (e.g. 'label=<key>=<value>')
    #[arg(long, value_name = "FILTER")]
    pub filter: Vec<String>,
}

#[derive(Args, Debug)]
pub struct ExistsArgs {
    pub name: String,
}

pub fn run(cmd: VolumeCommand, g: &Globals) -> Result<u8> {
    match cmd {
        VolumeCommand::Create(a) => create(a, g),
        VolumeCommand::Ls(a) => {
            let store = g.store()?;
            let opts = volumes::ListOptions {
                filters: a.filter,
                format: a.format,
                quiet: a.quiet,
                noheading: a.noheading,
            };
            print!("{}", volumes::list(&store, &opts)?);
            Ok(0)
        }
        VolumeCommand::Inspect(a) => {
            let store = g.store()?;
            let out = volumes::inspect(&store, &a.names, a.all, a.format.as_deref())?;
            print!("{out}");
            Ok(0)
        }
        VolumeCommand::Rm(a) => {
            if a.all != a.names.is_empty() {
                anyhow::bail!("choose either one or more volumes or all");
            }
            let store = g.store_for_writing()?;
            volumes::remove(&store, &a.names, a.all, a.force)
        }
        VolumeCommand::Prune(a) => prune(a, g),
        VolumeCommand::Exists(a) => {
            let store = g.store()?;
            Ok(if store.volume_exists(&a.name) { 0 } else { 1 })
        }
    }
}

fn create(a: CreateArgs, g: &Globals) -> Result<u8> {
    let store = g.store_for_writing()?;
    let opts = volumes::CreateOptions {
        name: a.name,
        driver: a.driver,
        labels: a.label,
        options: a.opt,
        ignore: a.ignore,
    };
    let rec = volumes::create(&store, &opts)?;
    println!("{}", rec.name);
    Ok(0)
}

fn prune(a: PruneArgs, g: &Globals) -> Result<u8> {
    if !a.force {
        let store = g.store()?;
        let candidates = volumes::prune_candidates(&store, &a.filter)?;
        if !volumes::confirm_prune(&candidates)? {
            return Ok(0);
        }
    }
    let store = g.store_for_writing()?;
    volumes::prune(&store, &a.filter)?;
    Ok(0)
}
