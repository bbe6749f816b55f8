//! Evaluation of a parsed template against a JSON value, with Go's scoping of variables
//! (`$` is the root; declarations live until the enclosing `{{end}}`) and Go-style errors.

use super::funcs::{self, truthy};
use super::gofmt::{type_name, value_string};
use super::parser::{Arg, Branch, Command, Node, Pipeline};
use anyhow::{Result, anyhow, bail};
use serde_json::Value;

/// Caps `{{range N}}` so a typo cannot spin for hours.
const MAX_RANGE_INT: i64 = 1_000_000;

enum Flow {
    Normal,
    Break,
    Continue,
}

pub(crate) struct Exec {
    out: String,
    vars: Vec<(String, Value)>,
    /// Rendering a table header: rows' values are replaced by header strings, so field
    /// chains, `range` and similar on those strings must degrade gracefully.
    header_mode: bool,
}

impl Exec {
    pub(crate) fn run(nodes: &[Node], data: &Value, header_mode: bool) -> Result<String> {
        let mut ex = Exec {
            out: String::new(),
            vars: vec![(String::new(), data.clone())],
            header_mode,
        };
        ex.walk(data, nodes)?;
        Ok(ex.out)
    }

    fn walk(&mut self, dot: &Value, nodes: &[Node]) -> Result<Flow> {
        for node in nodes {
            let flow = match node {
                Node::Text(t) => {
                    self.out.push_str(t);
                    Flow::Normal
                }
                Node::Action(pipe) => {
                    let v = self.pipeline(dot, pipe)?;
                    if pipe.decl.is_empty() {
                        self.print(&v);
                    }
                    Flow::Normal
                }
                Node::If(b) => self.if_or_with(dot, b, false)?,
                Node::With(b) => self.if_or_with(dot, b, true)?,
                Node::Range(b) => self.range(dot, b)?,
                Node::Break => Flow::Break,
                Node::Continue => Flow::Continue,
            };
            if !matches!(flow, Flow::Normal) {
                return Ok(flow);
            }
        }
        Ok(Flow::Normal)
    }

    /// Top-level printing: a missing value is Go's `<no value>`.
    fn print(&mut self, v: &Value) {
        match v {
            Value::Null => self.out.push_str("<no value>"),
            Value::String(s) => self.out.push_str(s),
            other => self.out.push_str(&value_string(other)),
        }
    }

    fn if_or_with(&mut self, dot: &Value, b: &Branch, with: bool) -> Result<Flow> {
        let mark = self.vars.len();
        let v = self.pipeline(dot, &b.pipe)?;
        let flow = if !truthy(&v) {
            self.walk(dot, &b.else_list)?
        } else if with {
            self.walk(&v, &b.list)?
        } else {
            self.walk(dot, &b.list)?
        };
        self.vars.truncate(mark);
        Ok(flow)
    }

    fn range(&mut self, dot: &Value, b: &Branch) -> Result<Flow> {
        let mark = self.vars.len();
        let v = self.commands(dot, &b.pipe.cmds)?;
        let items = self.range_items(&v, b)?;
        if items.is_empty() {
            let flow = self.walk(dot, &b.else_list)?;
            self.vars.truncate(mark);
            return Ok(flow);
        }
        for (key, elem) in items {
            let m = self.vars.len();
            match b.pipe.decl.as_slice() {
                [e] => self.bind(e, elem.clone(), b.pipe.assign),
                [k, e] => {
                    self.bind(k, key, b.pipe.assign);
                    self.bind(e, elem.clone(), b.pipe.assign);
                }
                _ => {}
            }
            let flow = self.walk(&elem, &b.list)?;
            self.vars.truncate(m);
            if matches!(flow, Flow::Break) {
                break;
            }
        }
        self.vars.truncate(mark);
        Ok(Flow::Normal)
    }

    fn range_items(&self, v: &Value, b: &Branch) -> Result<Vec<(Value, Value)>> {
        Ok(match v {
            Value::Null => Vec::new(),
            Value::Array(a) => a
                .iter()
                .enumerate()
                .map(|(i, e)| (Value::from(i), e.clone()))
                .collect(),
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                keys.into_iter()
                    .map(|k| (Value::String(k.clone()), m[k].clone()))
                    .collect()
            }
            Value::Number(n) if n.as_i64().is_some() => {
                let n = n.as_i64().unwrap_or(0);
                if n > MAX_RANGE_INT {
                    bail!(self.at(&b.pipe.cmds[0], format!("range count {n} too large")));
                }
                (0..n.max(0))
                    .map(|i| (Value::from(i), Value::from(i)))
                    .collect()
            }
            Value::String(_) if self.header_mode => vec![(Value::from(0), v.clone())],
            other => bail!(self.at(
                &b.pipe.cmds[0],
                format!("range can't iterate over {}", value_string(other))
            )),
        })
    }

    /// Declares (`:=`, shadowing) or assigns (`=`, innermost existing) a variable.
    fn bind(&mut self, name: &str, v: Value, assign: bool) {
        if assign && let Some(slot) = self.vars.iter_mut().rev().find(|(n, _)| n == name) {
            slot.1 = v;
            return;
        }
        self.vars.push((name.to_string(), v));
    }

    fn pipeline(&mut self, dot: &Value, pipe: &Pipeline) -> Result<Value> {
        let v = self.commands(dot, &pipe.cmds)?;
        for name in &pipe.decl {
            self.bind(name, v.clone(), pipe.assign);
        }
        Ok(v)
    }

    fn commands(&mut self, dot: &Value, cmds: &[Command]) -> Result<Value> {
        let mut piped: Option<Value> = None;
        for cmd in cmds {
            piped = Some(self.command(dot, cmd, piped)?);
        }
        Ok(piped.unwrap_or(Value::Null))
    }

    fn at(&self, cmd: &Command, msg: impl std::fmt::Display) -> anyhow::Error {
        anyhow!(
            "template: :{}: executing \"\" at <{}>: {msg}",
            cmd.line,
            cmd.src
        )
    }

    fn command(&mut self, dot: &Value, cmd: &Command, piped: Option<Value>) -> Result<Value> {
        let Arg::Func(name) = &cmd.args[0] else {
            if cmd.args.len() > 1 || piped.is_some() {
                bail!(self.at(cmd, "can't give argument to non-function"));
            }
            if matches!(cmd.args[0], Arg::Nil) {
                bail!(self.at(cmd, "nil is not a command"));
            }
            return self.arg(dot, cmd, &cmd.args[0]);
        };
        let rest = &cmd.args[1..];
        if name == "and" || name == "or" {
            return self.and_or(dot, cmd, name == "and", rest, piped);
        }
        let mut args = Vec::with_capacity(rest.len() + 1);
        for a in rest {
            args.push(self.arg(dot, cmd, a)?);
        }
        args.extend(piped);
        funcs::call(name, &args).map_err(|e| self.at(cmd, e))
    }

    /// Go 1.18+ short-circuits: `and` yields the first false argument, `or` the first true.
    fn and_or(
        &mut self,
        dot: &Value,
        cmd: &Command,
        is_and: bool,
        rest: &[Arg],
        piped: Option<Value>,
    ) -> Result<Value> {
        if rest.len() + usize::from(piped.is_some()) == 0 {
            bail!(self.at(cmd, "wrong number of args: want at least 1 got 0"));
        }
        let mut last = Value::Null;
        for a in rest {
            last = self.arg(dot, cmd, a)?;
            if truthy(&last) != is_and {
                return Ok(last);
            }
        }
        Ok(piped.unwrap_or(last))
    }

    fn arg(&mut self, dot: &Value, cmd: &Command, arg: &Arg) -> Result<Value> {
        Ok(match arg {
            Arg::Dot => dot.clone(),
            Arg::Nil => Value::Null,
            Arg::Bool(b) => Value::Bool(*b),
            Arg::Int(i) => Value::from(*i),
            Arg::Float(f) => Value::from(*f),
            Arg::Str(s) => Value::String(s.clone()),
            Arg::Func(name) => funcs::call(name, &[]).map_err(|e| self.at(cmd, e))?,
            Arg::Field(chain) => self.fields(cmd, dot, chain)?,
            Arg::Var(name, chain) => {
                let Some((_, v)) = self.vars.iter().rev().find(|(n, _)| n == name) else {
                    bail!(self.at(cmd, format!("undefined variable: ${name}")));
                };
                self.fields(cmd, v, chain)?
            }
            Arg::Chain(pipe, chain) => {
                let v = self.pipeline(dot, pipe)?;
                self.fields(cmd, &v, chain)?
            }
        })
    }

    /// Follows a field chain by reference, cloning only the final value.
    fn fields(&self, cmd: &Command, v: &Value, chain: &[String]) -> Result<Value> {
        static NULL: Value = Value::Null;
        let mut cur = v;
        for name in chain {
            cur = match cur {
                Value::Object(m) => m.get(name).unwrap_or(&NULL),
                Value::Null => cur,
                _ if self.header_mode => cur,
                other => bail!(self.at(
                    cmd,
                    format!("can't evaluate field {name} in type {}", type_name(other))
                )),
            };
        }
        Ok(cur.clone())
    }
}
