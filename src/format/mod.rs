//! Output formatting: Go templates for `--format`, Podman-style tables and JSON, and the
//! human-readable sizes and durations Podman prints.

mod human;
mod table;
mod template;

pub use human::{human_duration, human_size};
pub use table::{
    header_for_field, is_json, is_table, render_json, render_rows, resolve_format, strip_table,
    tabwrite,
};
pub use template::{Template, unescape_format};

mod prompt;
pub use prompt::{confirm, parse_go_duration};

mod goquote;
pub use goquote::go_quote;

mod progress;
pub use progress::{Progress, ProgressLine, ProgressMode, ProgressReader};
