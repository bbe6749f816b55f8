//! OCI/Docker image formats: digests, references, manifests, configs, archives.

pub mod digest;
pub mod platform;

pub use digest::Digest;
