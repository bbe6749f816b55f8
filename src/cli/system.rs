//! System commands: `version`, `unshare`.

use anyhow::Result;
use clap::Args;

use super::{Globals, VERSION};
use crate::format;
use crate::sys;

#[derive(Args, Debug)]
pub struct UnshareArgs {
    /// The command to run (default: $SHELL)
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<String>,
}

#[derive(Args, Debug)]
pub struct VersionArgs {
    /// Change the output format to JSON or a Go template
    #[arg(short, long)]
    pub format: Option<String>,
}

/// `skiff unshare`: run a command inside the user namespace that owns the rootless store,
/// so users can inspect or remove files owned by their subordinate ids.
pub fn unshare(a: UnshareArgs, g: &Globals) -> Result<u8> {
    if !sys::userns::is_rootless() && !sys::userns::in_store_userns() {
        anyhow::bail!("please use unshare with rootless");
    }
    let cfg = g.store_config()?;
    let env = vec![
        (
            "CONTAINERS_GRAPHROOT".to_string(),
            cfg.root.display().to_string(),
        ),
        (
            "CONTAINERS_RUNROOT".to_string(),
            cfg.runroot.display().to_string(),
        ),
        ("SKIFF_ROOT".to_string(), cfg.root.display().to_string()),
    ];
    let code = sys::userns::run_unshare(&a.command, &env)?;
    Ok(u8::try_from(code).unwrap_or(crate::error::EXIT_TOOL))
}

pub fn version(a: VersionArgs) -> Result<u8> {
    let arch = crate::image::platform::host_arch();
    let info = serde_json::json!({
        "Client": {
            "APIVersion": VERSION,
            "Version": VERSION,
            "GoVersion": "",
            "GitCommit": "",
            "BuiltTime": "",
            "Built": 0,
            "OsArch": format!("linux/{arch}"),
            "Os": "linux",
        }
    });
    match a.format.as_deref() {
        Some(f) if f.eq_ignore_ascii_case("json") => {
            println!("{}", serde_json::to_string_pretty(&info)?);
        }
        Some(f) => {
            let tpl = format::Template::parse(&format::unescape_format(f))?;
            let out = tpl.render(&info)?;
            print!("{out}");
            if !out.ends_with('\n') {
                println!();
            }
        }
        None => {
            println!("Client:       skiff");
            println!("Version:      {VERSION}");
            println!("API Version:  {VERSION}");
            println!("OS/Arch:      linux/{arch}");
        }
    }
    Ok(0)
}
