//! OCI/Docker image formats: digests, references, manifests, configs, archives.

pub mod archive;
#[cfg(test)]
mod archive_tests;
pub mod archive_write;
pub mod digest;
pub mod memory;
pub mod platform;
pub mod reference;
#[cfg(test)]
pub mod schema_check;
pub mod types;

pub use digest::Digest;
pub use reference::Reference;
pub use types::{Descriptor, ImageConfig, Index, Manifest};
