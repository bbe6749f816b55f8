//! A Go `text/template` engine for `--format`, over `serde_json::Value` data.
//!
//! Our own rather than a crate: no Rust crate on this machine implements Go's template
//! language together with Podman's functions and Go's exact printing rules, which users'
//! scripts depend on. Not supported: `define`/`template`/`block` (unused by `--format`),
//! method calls, and Go's `html`/`js`/`urlquery`/`call` functions.

mod exec;
mod funcs;
mod gofmt;
mod lexer;
mod parser;

pub(crate) use gofmt::{float_g, value_string};

use anyhow::Result;
use serde_json::Value;

#[derive(Debug, Clone)]
pub struct Template {
    nodes: Vec<parser::Node>,
}

impl Template {
    /// Parses Go template source; errors read like Go's (`template: :1: unclosed action`).
    pub fn parse(src: &str) -> Result<Template> {
        Ok(Template {
            nodes: parser::parse(src)?,
        })
    }

    /// Executes the template with `data` as dot and `$`.
    pub fn render(&self, data: &Value) -> Result<String> {
        exec::Exec::run(&self.nodes, data, false)
    }

    /// Renders a table header row: `data` maps field names to header text, and field
    /// chains or `range` over those strings yield the header text instead of failing.
    pub(crate) fn render_header(&self, data: &Value) -> Result<String> {
        exec::Exec::run(&self.nodes, data, true)
    }

    /// Every field name the template mentions, in order of first appearance.
    pub(crate) fn field_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        collect_nodes(&self.nodes, &mut names);
        names
    }
}

fn collect_nodes(nodes: &[parser::Node], out: &mut Vec<String>) {
    use parser::Node;
    for node in nodes {
        match node {
            Node::Action(p) => collect_pipe(p, out),
            Node::If(b) | Node::With(b) | Node::Range(b) => {
                collect_pipe(&b.pipe, out);
                collect_nodes(&b.list, out);
                collect_nodes(&b.else_list, out);
            }
            Node::Text(_) | Node::Break | Node::Continue => {}
        }
    }
}

fn collect_pipe(p: &parser::Pipeline, out: &mut Vec<String>) {
    use parser::Arg;
    for arg in p.cmds.iter().flat_map(|c| &c.args) {
        let chain = match arg {
            Arg::Field(chain) | Arg::Var(_, chain) => chain,
            Arg::Chain(inner, chain) => {
                collect_pipe(inner, out);
                chain
            }
            _ => continue,
        };
        for name in chain {
            if !out.contains(name) {
                out.push(name.clone());
            }
        }
    }
}

/// Turns the two-character sequences `\t` and `\n` that users type in shell into the
/// real characters, as Podman does to the whole format string before parsing.
pub fn unescape_format(s: &str) -> String {
    s.replace("\\t", "\t").replace("\\n", "\n")
}

#[cfg(test)]
mod tests;
