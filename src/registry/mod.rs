//! The distribution API client: references resolved through registries.conf, credentials
//! (auth.json), TLS settings (certs.d), the WWW-Authenticate challenge flow, manifests and
//! blobs with retries. Knows nothing of the local store: images/pull.rs and images/push.rs
//! move bytes between the two.

pub mod blob_reader;
pub mod certs;
pub mod challenge;
pub mod client;
pub mod config;
pub mod credentials;
pub mod resolve;
pub mod retry;
