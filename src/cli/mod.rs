//! The command line: clap definitions and dispatch.

pub fn main() -> u8 {
    0
}
