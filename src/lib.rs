//! skiff: a daemonless, rootless container tool. See DESIGN.md for the map.
#![recursion_limit = "256"]

pub mod build;
pub mod cli;
pub mod container;
pub mod error;
pub mod format;
pub mod image;
pub mod images;
pub mod layer;
pub mod monitor;
pub mod parallel;
pub mod registry;
pub mod runtime;
pub mod store;
pub mod sys;
pub mod volumes;
