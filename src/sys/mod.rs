//! The thin layer over the kernel: namespaces, id maps, process primitives. The only module
//! with `unsafe`; every block carries a `// SAFETY:` comment. See DESIGN.md.

pub mod idmap;
pub mod process;
pub mod userns;

pub use idmap::{IdMap, RootlessMaps, rootless_id_maps};
pub use userns::{
    MapKind, enter_store_userns, in_store_userns, is_rootless, run_unshare, single_id_map,
};
pub mod seccomp;
pub mod signals;
pub mod tty;
