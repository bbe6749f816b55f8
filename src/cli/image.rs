//! Image commands: `images`, `image ...`, `tag`, `rmi`, `inspect`, `history`, `save`,
//! `load`, `import`. Flags as Podman's; the work is done in images/.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Subcommand};

use super::Globals;
use crate::images;

#[derive(Subcommand, Debug)]
pub enum ImageCommand {
    /// Build an image using instructions from Containerfiles
    Build(Box<super::build::BuildArgs>),
    /// List images in local storage
    #[command(visible_alias = "list")]
    Ls(ListArgs),
    /// Remove one or more images from local storage
    Rm(RemoveArgs),
    /// Display the configuration of an image
    Inspect(ImageInspectArgs),
    /// Show history of a specified image
    History(HistoryArgs),
    /// Remove unused images
    Prune(PruneArgs),
    /// Save image(s) to an archive
    Save(SaveArgs),
    /// Load image(s) from a tar archive
    Load(LoadArgs),
    /// Import a tarball to create a filesystem image
    Import(ImportArgs),
    /// Add an additional name to a local image
    Tag(TagArgs),
    /// Remove a name from a local image
    Untag(UntagArgs),
    /// Check if an image exists in local storage
    Exists(ExistsArgs),
    /// Pull an image from a registry
    Pull(super::registry::PullArgs),
    /// Push an image to a specified destination
    Push(super::registry::PushArgs),
    /// Search a registry for an image
    Search(super::registry::SearchArgs),
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Show all images (default hides intermediate images)
    #[arg(short, long)]
    pub all: bool,
    /// Display only image IDs
    #[arg(short, long)]
    pub quiet: bool,
    /// Show digests
    #[arg(long)]
    pub digests: bool,
    /// Do not truncate output
    #[arg(long)]
    pub no_trunc: bool,
    /// Do not print column headings
    #[arg(short, long = "noheading")]
    pub noheading: bool,
    /// Filter output based on conditions provided (reference=, dangling=, label=, id=, before=, since=)
    #[arg(short, long = "filter", value_name = "FILTER")]
    pub filter: Vec<String>,
    /// Change the output format to JSON or a Go template
    #[arg(long)]
    pub format: Option<String>,
    /// Sort by created, id, repository, size or tag
    #[arg(long, default_value = "created", value_parser = ["created", "id", "repository", "size", "tag"])]
    pub sort: String,
    /// Only list images matching this name
    pub image: Option<String>,
}

#[derive(Args, Debug)]
pub struct RemoveArgs {
    /// Remove all images
    #[arg(short, long)]
    pub all: bool,
    /// Force removal of the image and any containers using it
    #[arg(short, long)]
    pub force: bool,
    /// Ignore errors if a specified image does not exist
    #[arg(short, long)]
    pub ignore: bool,
    pub images: Vec<String>,
}

#[derive(Args, Debug)]
pub struct ImageInspectArgs {
    /// Format the output using the given Go template
    #[arg(short, long)]
    pub format: Option<String>,
    #[arg(required = true)]
    pub images: Vec<String>,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// Format the output using the given Go template
    #[arg(short, long)]
    pub format: Option<String>,
    /// Specify inspect-object type (image, container or all)
    #[arg(short, long = "type", default_value = "all", value_parser = ["image", "container", "all"])]
    pub kind: String,
    /// Display total file size (containers only)
    #[arg(short, long)]
    pub size: bool,
    #[arg(required = true)]
    pub names: Vec<String>,
}

#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// Display sizes and dates in human readable format
    #[arg(short = 'H', long, default_value_t = true, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub human: bool,
    /// Do not truncate the output
    #[arg(long)]
    pub no_trunc: bool,
    /// Display the numeric IDs only
    #[arg(short, long)]
    pub quiet: bool,
    /// Change the output to JSON or a Go template
    #[arg(long)]
    pub format: Option<String>,
    pub image: String,
}

#[derive(Args, Debug)]
pub struct PruneArgs {
    /// Remove all images not in use by containers, not just dangling ones
    #[arg(short, long)]
    pub all: bool,
    /// Do not prompt for confirmation
    #[arg(short, long)]
    pub force: bool,
    /// Provide filter values (e.g. 'label=<key>=<value>')
    #[arg(long)]
    pub filter: Vec<String>,
}

#[derive(Args, Debug)]
pub struct SaveArgs {
    /// Write to a specified file (default: stdout, which must be redirected)
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Save image to oci-archive or docker-archive
    #[arg(long, default_value = "docker-archive", value_parser = ["oci-archive", "docker-archive"])]
    pub format: String,
    /// Interpret additional arguments as images not tags and create a multi-image-archive (only for docker-archive)
    #[arg(short, long)]
    pub multi_image_archive: bool,
    /// Suppress the output
    #[arg(short, long)]
    pub quiet: bool,
    #[arg(required = true)]
    pub images: Vec<String>,
}

#[derive(Args, Debug)]
pub struct LoadArgs {
    /// Read from specified archive file (default: stdin)
    #[arg(short, long)]
    pub input: Option<PathBuf>,
    /// Suppress the output
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Apply the following possible instructions to the created image: CMD | ENTRYPOINT | ENV | EXPOSE | LABEL | ONBUILD | STOPSIGNAL | USER | VOLUME | WORKDIR
    #[arg(short, long)]
    pub change: Vec<String>,
    /// Set commit message for imported image
    #[arg(short, long)]
    pub message: Option<String>,
    /// Suppress output
    #[arg(short, long)]
    pub quiet: bool,
    /// Set the architecture of the imported image
    #[arg(long)]
    pub arch: Option<String>,
    /// Set the OS of the imported image
    #[arg(long)]
    pub os: Option<String>,
    /// Set the variant of the imported image
    #[arg(long)]
    pub variant: Option<String>,
    /// A tarball of a root filesystem, or - for standard input
    pub source: String,
    /// The name of the new image
    pub reference: Option<String>,
}

#[derive(Args, Debug)]
pub struct TagArgs {
    pub image: String,
    #[arg(required = true)]
    pub names: Vec<String>,
}

#[derive(Args, Debug)]
pub struct UntagArgs {
    pub image: String,
    /// Names to remove (all names when none are given)
    pub names: Vec<String>,
}

#[derive(Args, Debug)]
pub struct ExistsArgs {
    pub image: String,
}

pub fn run(cmd: ImageCommand, g: &Globals) -> Result<u8> {
    match cmd {
        ImageCommand::Ls(a) => list(a, g),
        ImageCommand::Rm(a) => remove(a, g),
        ImageCommand::Inspect(a) => {
            let store = g.store()?;
            images::inspect::inspect_images(&store, &a.images, a.format.as_deref())
        }
        ImageCommand::History(a) => history(a, g),
        ImageCommand::Prune(a) => prune(a, g),
        ImageCommand::Build(a) => super::build::build(*a, g),
        ImageCommand::Save(a) => save(a, g),
        ImageCommand::Load(a) => load(a, g),
        ImageCommand::Import(a) => import(a, g),
        ImageCommand::Tag(a) => tag(a, g),
        ImageCommand::Untag(a) => untag(a, g),
        ImageCommand::Pull(a) => super::registry::pull(a, g),
        ImageCommand::Push(a) => super::registry::push(a, g),
        ImageCommand::Search(a) => super::registry::search(a, g),
        ImageCommand::Exists(a) => {
            let store = g.store()?;
            Ok(if images::lookup_exists(&store, &a.image)? {
                0
            } else {
                1
            })
        }
    }
}

pub fn list(a: ListArgs, g: &Globals) -> Result<u8> {
    let store = g.store()?;
    let opts = images::list::ListOptions {
        all: a.all,
        quiet: a.quiet,
        digests: a.digests,
        no_trunc: a.no_trunc,
        noheading: a.noheading,
        filters: a.filter,
        format: a.format,
        sort: a.sort,
        name: a.image,
    };
    images::list::list(&store, &opts)?;
    Ok(0)
}

pub fn remove(a: RemoveArgs, g: &Globals) -> Result<u8> {
    if a.all && !a.images.is_empty() {
        anyhow::bail!("when using the --all switch, you may not pass any images names or IDs");
    }
    if !a.all && a.images.is_empty() {
        anyhow::bail!("image name or ID must be specified");
    }
    let store = g.store_for_writing()?;
    images::remove::remove(&store, &a.images, a.all, a.force, a.ignore)
}

pub fn inspect(a: InspectArgs, g: &Globals) -> Result<u8> {
    let store = g.store()?;
    images::inspect::inspect_objects(&store, &a.names, a.format.as_deref(), &a.kind)
}

pub fn history(a: HistoryArgs, g: &Globals) -> Result<u8> {
    let store = g.store()?;
    let opts = images::history::HistoryOptions {
        human: a.human,
        no_trunc: a.no_trunc,
        quiet: a.quiet,
        format: a.format,
    };
    images::history::history(&store, &a.image, &opts)?;
    Ok(0)
}

pub fn prune(a: PruneArgs, g: &Globals) -> Result<u8> {
    if !a.force && !images::prune::confirm(a.all)? {
        return Ok(0);
    }
    let store = g.store_for_writing()?;
    images::prune::prune(&store, a.all, &a.filter)?;
    Ok(0)
}

pub fn save(a: SaveArgs, g: &Globals) -> Result<u8> {
    let store = g.store()?;
    let opts = images::save::SaveOptions {
        output: a.output,
        format: a.format,
        multi_image_archive: a.multi_image_archive,
    };
    images::save::save(&store, &a.images, &opts)?;
    Ok(0)
}

pub fn load(a: LoadArgs, g: &Globals) -> Result<u8> {
    let store = g.store_for_writing()?;
    images::load::load(&store, a.input.as_deref(), a.quiet)?;
    Ok(0)
}

pub fn import(a: ImportArgs, g: &Globals) -> Result<u8> {
    let store = g.store_for_writing()?;
    let opts = images::import::ImportOptions {
        changes: a.change,
        message: a.message,
        arch: a.arch,
        os: a.os,
        variant: a.variant,
        reference: a.reference,
    };
    let id = images::import::import(&store, &a.source, &opts)?;
    println!("{}", id.hex());
    let _ = a.quiet;
    Ok(0)
}

pub fn tag(a: TagArgs, g: &Globals) -> Result<u8> {
    let store = g.store()?;
    images::tag::tag(&store, &a.image, &a.names)?;
    Ok(0)
}

pub fn untag(a: UntagArgs, g: &Globals) -> Result<u8> {
    let store = g.store()?;
    images::tag::untag(&store, &a.image, &a.names)?;
    Ok(0)
}
