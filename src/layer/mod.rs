//! Tar layers: safe unpacking into overlayfs lower dirs (whiteouts and opaque dirs in overlay
//! form, nothing escapes the layer root), packing a directory back into a layer tar, and
//! layer compression (gzip, zstd).

pub mod compression;
pub(crate) mod fsat;
pub mod overlay;
pub mod pack;
pub mod unpack;

pub use compression::{Compression, decompressor};
pub use pack::{pack_dir, pack_dir_with_mtime};
pub use unpack::{UnpackOptions, UnpackStats, unpack_layer};

#[cfg(test)]
mod tests;
