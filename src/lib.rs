//! skiff: a daemonless, rootless container tool. See DESIGN.md for the map.

pub mod cli;
pub mod error;
pub mod format;
pub mod image;
pub mod images;
pub mod layer;
pub mod monitor;
pub mod runtime;
pub mod store;
pub mod sys;
