//! OCI/Docker image formats: digests, references, manifests, configs, archives.

pub mod digest;

pub use digest::Digest;
