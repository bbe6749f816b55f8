//! Building images from Dockerfiles/Containerfiles: the parser (BuildKit's parse tree), the
//! shell-word expansion BuildKit applies to instruction arguments, and the .dockerignore
//! matcher for the build context. The evaluator (stages, cache, RUN through runtime/) comes
//! on top of these.

pub mod context;
pub mod dockerfile;
pub mod ignore;
pub mod instructions;
pub mod shell;
