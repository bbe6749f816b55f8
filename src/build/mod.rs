//! Building images from Dockerfiles/Containerfiles: the parser (BuildKit's parse tree), the
//! shell-word expansion BuildKit applies to instruction arguments, the .dockerignore matcher
//! for the build context, and the evaluator on top of them (`builder`): stages, the cache,
//! RUN through the runtime, COPY/ADD into an overlay, commits into the store.

mod archive;
mod builder;
mod cache;
mod commit;
mod config_step;
pub mod context;
mod copy_step;
pub mod dockerfile;
mod download;
pub mod ignore;
pub mod instructions;
pub mod options;
mod output;
mod run_mounts;
mod run_step;
pub mod shell;
mod state;

pub use archive::open_archive;
pub use builder::{Puller, build};
pub use options::{BuildOptions, DockerfileSource, PullPolicy, Secret, SecretSource};
