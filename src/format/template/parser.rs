//! Parser from tokens to a tree, following Go's `text/template/parse`: lists of text and
//! actions, `if`/`with`/`range` with `else` (and `else if`/`else with`), pipelines of commands,
//! variable declarations, and parse-time checks Go makes (undefined functions and variables).

use super::funcs;
use super::lexer::{Tok, Token, lex};
use anyhow::{Result, bail};

/// Deeper nesting than this is refused, so hostile input cannot overflow the stack.
const MAX_DEPTH: usize = 100;

#[derive(Debug, Clone)]
pub(crate) enum Node {
    Text(String),
    Action(Pipeline),
    If(Box<Branch>),
    With(Box<Branch>),
    Range(Box<Branch>),
    Break,
    Continue,
}

#[derive(Debug, Clone)]
pub(crate) struct Branch {
    pub pipe: Pipeline,
    pub list: Vec<Node>,
    pub else_list: Vec<Node>,
}

#[derive(Debug, Clone)]
pub(crate) struct Pipeline {
    /// Declared or assigned variables (`$x :=`, `$i, $e :=`).
    pub decl: Vec<String>,
    pub assign: bool,
    pub cmds: Vec<Command>,
}

#[derive(Debug, Clone)]
pub(crate) struct Command {
    pub args: Vec<Arg>,
    pub line: usize,
    /// Source text of the command, for Go-style `at <...>` error context.
    pub src: String,
}

#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Dot,
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Func(String),
    /// `.A.B` evaluated on dot.
    Field(Vec<String>),
    /// `$x.A.B` (empty chain for plain `$x`).
    Var(String, Vec<String>),
    /// `(pipeline).A.B`.
    Chain(Box<Pipeline>, Vec<String>),
}

pub(crate) fn parse(src: &str) -> Result<Vec<Node>> {
    let toks = lex(src)?;
    let mut p = Parser {
        src,
        toks,
        idx: 0,
        vars: vec!["".to_string()],
        depth: 0,
        range_depth: 0,
    };
    let (list, end) = p.list()?;
    match end {
        Stop::Eof => Ok(list),
        Stop::End => bail!(p.err("unexpected {{end}}")),
        Stop::Else => bail!(p.err("unexpected {{else}}")),
    }
}

#[derive(Debug, PartialEq)]
enum Stop {
    Eof,
    End,
    Else,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    If,
    With,
    Range,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::If => "if",
            Kind::With => "with",
            Kind::Range => "range",
        }
    }
}

struct Parser<'a> {
    src: &'a str,
    toks: Vec<Token>,
    idx: usize,
    /// Variables in scope (`$` is the unnamed root), for Go's "undefined variable" check.
    vars: Vec<String>,
    depth: usize,
    range_depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        self.peek_at(0)
    }

    fn peek_at(&self, n: usize) -> &Tok {
        self.toks.get(self.idx + n).map_or(&Tok::Eof, |t| &t.tok)
    }

    fn next(&mut self) -> Tok {
        let t = self.peek().clone();
        if self.idx < self.toks.len() {
            self.idx += 1;
        }
        t
    }

    fn line(&self) -> usize {
        self.toks
            .get(self.idx)
            .or(self.toks.last())
            .map_or(1, |t| t.line)
    }

    fn err(&self, msg: impl std::fmt::Display) -> anyhow::Error {
        anyhow::anyhow!("template: :{}: {msg}", self.line())
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            bail!(self.err("template nested too deeply"));
        }
        Ok(())
    }

    fn expect_right(&mut self, ctx: &str) -> Result<()> {
        match self.next() {
            Tok::Right => Ok(()),
            Tok::Eof => bail!(self.err("unclosed action")),
            t => bail!(self.err(format!("unexpected {} in {ctx}", describe(&t)))),
        }
    }

    /// Parses nodes until `{{end}}`, `{{else` or end of input.
    fn list(&mut self) -> Result<(Vec<Node>, Stop)> {
        let mut nodes = Vec::new();
        loop {
            match self.next() {
                Tok::Eof => return Ok((nodes, Stop::Eof)),
                Tok::Text(t) => nodes.push(Node::Text(t)),
                Tok::Left => {
                    if let Some(end) = self.action(&mut nodes)? {
                        return Ok((nodes, end));
                    }
                }
                t => bail!(self.err(format!("unexpected {}", describe(&t)))),
            }
        }
    }

    fn action(&mut self, nodes: &mut Vec<Node>) -> Result<Option<Stop>> {
        let Tok::Ident(word) = self.peek().clone() else {
            nodes.push(Node::Action(self.pipeline("command", true)?));
            return Ok(None);
        };
        match word.as_str() {
            "end" => {
                self.next();
                self.expect_right("end")?;
                return Ok(Some(Stop::End));
            }
            "else" => {
                self.next();
                return Ok(Some(Stop::Else));
            }
            "if" | "with" | "range" => {
                self.next();
                let kind = match word.as_str() {
                    "if" => Kind::If,
                    "with" => Kind::With,
                    _ => Kind::Range,
                };
                nodes.push(self.control(kind)?);
            }
            "break" | "continue" => {
                self.next();
                if self.range_depth == 0 {
                    bail!(self.err(format!("{{{{{word}}}}} outside {{{{range}}}}")));
                }
                self.expect_right(&word)?;
                nodes.push(if word == "break" {
                    Node::Break
                } else {
                    Node::Continue
                });
            }
            "define" | "template" | "block" => {
                bail!(self.err(format!("{{{{{word}}}}} is not supported in --format")))
            }
            _ => nodes.push(Node::Action(self.pipeline("command", true)?)),
        }
        Ok(None)
    }

    /// Parses the rest of `{{if pipeline}} list [{{else ...}} list] {{end}}` and friends.
    fn control(&mut self, kind: Kind) -> Result<Node> {
        self.enter()?;
        let mark = self.vars.len();
        let pipe = self.pipeline(kind.name(), true)?;
        if kind == Kind::Range {
            self.range_depth += 1;
        }
        let (list, end) = self.list()?;
        if kind == Kind::Range {
            self.range_depth -= 1;
        }
        let else_list = match end {
            Stop::Eof => bail!(self.err("unexpected EOF")),
            Stop::End => Vec::new(),
            Stop::Else => self.else_branch(kind)?,
        };
        self.vars.truncate(mark);
        self.depth -= 1;
        let branch = Box::new(Branch {
            pipe,
            list,
            else_list,
        });
        Ok(match kind {
            Kind::If => Node::If(branch),
            Kind::With => Node::With(branch),
            Kind::Range => Node::Range(branch),
        })
    }

    fn else_branch(&mut self, kind: Kind) -> Result<Vec<Node>> {
        // `{{else if ...}}` is an `if` nested in the else branch that shares our `{{end}}`.
        if let Tok::Ident(w) = self.peek() {
            let chained = (w == "if" && kind == Kind::If) || (w == "with" && kind == Kind::With);
            if chained {
                self.next();
                return Ok(vec![self.control(kind)?]);
            }
        }
        self.expect_right("else")?;
        let (list, end) = self.list()?;
        match end {
            Stop::End => Ok(list),
            Stop::Else => bail!(self.err(format!(
                "expected end; found {{{{else}}}} in {}",
                kind.name()
            ))),
            Stop::Eof => bail!(self.err("unexpected EOF")),
        }
    }

    /// Parses `[decl :=] cmd | cmd ...` up to `}}` (or `)` when inside parentheses).
    fn pipeline(&mut self, ctx: &str, top: bool) -> Result<Pipeline> {
        self.enter()?;
        let (decl, assign) = self.declarations(ctx)?;
        let mut cmds = Vec::new();
        loop {
            cmds.push(self.command()?);
            match self.next() {
                Tok::Pipe => continue,
                Tok::Right if top => break,
                Tok::RParen if !top => break,
                Tok::Eof => bail!(self.err("unclosed action")),
                t => bail!(self.err(format!("unexpected {} in {ctx}", describe(&t)))),
            }
        }
        for (i, cmd) in cmds.iter().enumerate().skip(1) {
            let executable = matches!(
                cmd.args[0],
                Arg::Func(_) | Arg::Field(_) | Arg::Var(..) | Arg::Chain(..)
            );
            if !executable {
                bail!(self.err(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                )));
            }
        }
        self.depth -= 1;
        Ok(Pipeline { decl, assign, cmds })
    }

    fn declarations(&mut self, ctx: &str) -> Result<(Vec<String>, bool)> {
        let Tok::Var(first) = self.peek().clone() else {
            return Ok((Vec::new(), false));
        };
        let mut names = vec![first];
        let assign = match self.peek_at(1) {
            Tok::Declare => false,
            Tok::Assign => true,
            Tok::Comma if ctx == "range" => {
                let (Tok::Var(second), Tok::Declare | Tok::Assign) =
                    (self.peek_at(2), self.peek_at(3))
                else {
                    bail!(self.err("range can only initialize variables"));
                };
                names.push(second.clone());
                self.idx += 2;
                matches!(self.peek_at(1), Tok::Assign)
            }
            _ => return Ok((Vec::new(), false)),
        };
        self.idx += 2;
        for n in &names {
            if assign {
                self.check_var(n)?;
            } else {
                self.vars.push(n.clone());
            }
        }
        Ok((names, assign))
    }

    fn check_var(&self, name: &str) -> Result<()> {
        if self.vars.iter().any(|v| v == name) {
            return Ok(());
        }
        bail!(self.err(format!("undefined variable \"${name}\"")))
    }

    fn command(&mut self) -> Result<Command> {
        let start = self.toks.get(self.idx).map_or(self.src.len(), |t| t.start);
        let line = self.line();
        let mut args = Vec::new();
        while let Some(arg) = self.operand()? {
            args.push(arg);
        }
        if args.is_empty() {
            let msg = if *self.peek() == Tok::Eof {
                "unclosed action"
            } else {
                "missing value for command"
            };
            bail!(self.err(msg));
        }
        let end = self.toks.get(self.idx).map_or(self.src.len(), |t| t.start);
        let src = self.src.get(start..end).unwrap_or("").trim().to_string();
        Ok(Command { args, line, src })
    }

    /// One argument of a command, or None at `|`, `}}` or `)`.
    fn operand(&mut self) -> Result<Option<Arg>> {
        let arg = match self.peek().clone() {
            Tok::Pipe | Tok::Right | Tok::RParen | Tok::Eof => return Ok(None),
            Tok::Field(name) => {
                self.next();
                let mut chain = vec![name];
                chain.extend(self.field_chain());
                Arg::Field(chain)
            }
            Tok::Var(name) => {
                self.next();
                self.check_var(&name)?;
                Arg::Var(name, self.field_chain())
            }
            Tok::LParen => {
                self.next();
                let pipe = self.pipeline("parenthesized pipeline", false)?;
                Arg::Chain(Box::new(pipe), self.field_chain())
            }
            Tok::Ident(name) => {
                self.next();
                if !funcs::exists(&name) {
                    bail!(self.err(format!("function {name:?} not defined")));
                }
                Arg::Func(name)
            }
            Tok::Dot => self.literal(Arg::Dot),
            Tok::Nil => self.literal(Arg::Nil),
            Tok::Bool(b) => self.literal(Arg::Bool(b)),
            Tok::Str(s) => self.literal(Arg::Str(s)),
            Tok::Char(c) => self.literal(Arg::Int(c)),
            Tok::Number(n) => {
                let arg = parse_number(&n)
                    .ok_or_else(|| self.err(format!("bad number syntax: {n:?}")))?;
                self.literal(arg)
            }
            t => bail!(self.err(format!("unexpected {} in operand", describe(&t)))),
        };
        if matches!(self.peek(), Tok::Field(_)) && !self.toks[self.idx].space_before {
            bail!(self.err("unexpected . after term"));
        }
        Ok(Some(arg))
    }

    fn literal(&mut self, arg: Arg) -> Arg {
        self.next();
        arg
    }

    /// Field names directly attached to the previous term (no space between).
    fn field_chain(&mut self) -> Vec<String> {
        let mut chain = Vec::new();
        while let Some(Token {
            tok: Tok::Field(name),
            space_before: false,
            ..
        }) = self.toks.get(self.idx)
        {
            chain.push(name.clone());
            self.idx += 1;
        }
        chain
    }
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Text(_) => "text".into(),
        Tok::Left => "\"{{\"".into(),
        Tok::Right => "\"}}\"".into(),
        Tok::Field(n) => format!("<.{n}>"),
        Tok::Dot => "<.>".into(),
        Tok::Var(n) => format!("<${n}>"),
        Tok::Ident(n) => format!("<{n}>"),
        Tok::Bool(b) => format!("<{b}>"),
        Tok::Nil => "<nil>".into(),
        Tok::Str(s) => format!("{s:?}"),
        Tok::Number(n) => format!("<{n}>"),
        Tok::Char(c) => format!("<{c}>"),
        Tok::Pipe => "\"|\"".into(),
        Tok::LParen => "\"(\"".into(),
        Tok::RParen => "\")\"".into(),
        Tok::Declare => "\":=\"".into(),
        Tok::Assign => "\"=\"".into(),
        Tok::Comma => "\",\"".into(),
        Tok::Eof => "EOF".into(),
    }
}

/// Go number literals: decimal, 0x/0o/0b and legacy octal integers, `_` separators, floats.
fn parse_number(text: &str) -> Option<Arg> {
    let clean = text.replace('_', "");
    let (neg, body) = match clean.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, clean.strip_prefix('+').unwrap_or(&clean)),
    };
    let lower = body.to_ascii_lowercase();
    let radix_int = if let Some(h) = lower.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()
    } else if let Some(o) = lower.strip_prefix("0o") {
        i64::from_str_radix(o, 8).ok()
    } else if let Some(b) = lower.strip_prefix("0b") {
        i64::from_str_radix(b, 2).ok()
    } else if lower.len() > 1 && lower.starts_with('0') && lower.bytes().all(|b| b.is_ascii_digit())
    {
        i64::from_str_radix(&lower[1..], 8).ok()
    } else {
        lower.parse::<i64>().ok()
    };
    if let Some(v) = radix_int {
        return Some(Arg::Int(if neg { -v } else { v }));
    }
    let f: f64 = lower.parse().ok().filter(|f: &f64| f.is_finite())?;
    if lower.chars().any(|c| c.is_ascii_alphabetic() && c != 'e') {
        return None;
    }
    let f = if neg { -f } else { f };
    // Go number constants that are integral (1e3) are usable as ints too.
    if f.fract() == 0.0 && f.abs() < 9.0e15 && !lower.contains('.') {
        return Some(Arg::Int(f as i64));
    }
    Some(Arg::Float(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert!(matches!(parse_number("12"), Some(Arg::Int(12))));
        assert!(matches!(parse_number("-0x1f"), Some(Arg::Int(-31))));
        assert!(matches!(parse_number("1_000"), Some(Arg::Int(1000))));
        assert!(matches!(parse_number("1e3"), Some(Arg::Int(1000))));
        assert!(matches!(parse_number("1.5"), Some(Arg::Float(f)) if f == 1.5));
        assert!(parse_number("1x").is_none());
        assert!(parse_number("inf").is_none());
    }

    #[test]
    fn structure() {
        let nodes = parse("a{{if .A}}b{{else if .B}}c{{else}}d{{end}}").unwrap();
        assert_eq!(nodes.len(), 2);
        let Node::If(b) = &nodes[1] else {
            panic!("not if")
        };
        assert!(matches!(&b.else_list[0], Node::If(_)));
    }

    #[test]
    fn parse_errors() {
        let cases = [
            ("{{foo}}", "function \"foo\" not defined"),
            ("{{.A", "unclosed action"),
            ("{{end}}", "unexpected {{end}}"),
            ("{{if .A}}", "unexpected EOF"),
            ("{{$x}}", "undefined variable \"$x\""),
            ("{{.A | 3}}", "non executable command in pipeline stage 2"),
            ("{{}}", "missing value for command"),
            ("{{break}}", "outside"),
            ("{{template \"x\"}}", "not supported"),
            ("{{if .A}}{{else}}{{else}}{{end}}", "expected end"),
            ("{{\"a\".B}}", "unexpected . after term"),
        ];
        for (src, want) in cases {
            let err = parse(src).unwrap_err().to_string();
            assert!(err.contains(want), "{src}: {err}");
            assert!(err.starts_with("template: :1: "), "{src}: {err}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let src = format!("{{{{{}1{}}}}}", "(".repeat(5000), ")".repeat(5000));
        assert!(
            parse(&src)
                .unwrap_err()
                .to_string()
                .contains("nested too deeply")
        );
        let src = format!("{}{}", "{{if 1}}".repeat(5000), "{{end}}".repeat(5000));
        assert!(parse(&src).is_err());
    }
}
