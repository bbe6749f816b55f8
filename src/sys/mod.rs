//! The thin layer over the kernel: namespaces, id maps, process primitives. The only module
//! with `unsafe`; every block carries a `// SAFETY:` comment. See DESIGN.md.

pub mod clone;
pub mod idmap;
pub mod mount;
pub mod net;
pub mod pidfd;
pub mod process;
pub mod pty;
pub mod userns;

pub use idmap::{IdMap, RootlessMaps, rootless_id_maps};
pub use userns::{
    MapKind, enter_store_userns, in_store_userns, is_rootless, run_unshare, single_id_map,
};
pub mod seccomp;
pub mod signals;
pub mod tty;
