//! The Dockerfile/Containerfile parser: source text to BuildKit's parse tree.
//!
//! This is the first of BuildKit's two stages (moby/buildkit `frontend/dockerfile/parser`):
//! it splits the file into logical lines (parser directives, comments, line continuations with
//! the escape character, heredoc bodies) and gives each instruction the argument shape
//! BuildKit's per-instruction line parsers give it (exec/JSON form or shell form, `k v` and
//! `k=v` pairs, whitespace lists, `--flags`, ONBUILD's nested instruction). It checks nothing
//! about what the instructions mean: an unknown instruction or an unknown flag parses here and
//! is refused by the evaluator, with the line numbers recorded here, exactly as BuildKit does.
//!
//! Why our own code: the Dockerfile crates on crates.io (parse-dockerfile, dockerfile-parser,
//! dockerfile-parser-rs) each build their own typed AST with their own rules. What users
//! expect is BuildKit's behaviour, quirks included (the old `ENV k v` form taking the raw rest
//! of the line, a broken JSON array silently becoming shell form, escapes kept in words for
//! the later expansion step, heredoc words found by shell lexing), and BuildKit's own test
//! cases pin that down through `Node.Dump`, which `Dockerfile::dump` reproduces byte for byte.
//! That needs the same algorithm, not a look-alike grammar.

mod directives;
mod dump;
mod heredoc;
mod line_parsers;
mod split_command;
#[cfg(test)]
mod tests;

use std::fmt;

pub use heredoc::{chomp_heredoc_content, parse_heredoc};

use directives::{DirectiveParser, trim_continuation};

/// A parsed Dockerfile: what BuildKit's `parser.Parse` returns as `Result`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dockerfile {
    pub directives: Directives,
    /// The instructions in file order (BuildKit's `AST.Children`).
    pub instructions: Vec<Instruction>,
    /// Things BuildKit warns about while parsing (empty continuation lines).
    pub warnings: Vec<Warning>,
}

/// The parser directives found at the top of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directives {
    /// The escape character in force: `\` unless `# escape=` said `` ` ``.
    pub escape_token: char,
    pub escape: Option<Directive>,
    /// `# syntax=`: recorded, never acted on (we have one frontend).
    pub syntax: Option<Directive>,
    /// `# check=`: recorded for a linter; the parser ignores it as BuildKit's does.
    pub check: Option<Directive>,
}

impl Default for Directives {
    fn default() -> Self {
        Directives {
            escape_token: DEFAULT_ESCAPE,
            escape: None,
            syntax: None,
            check: None,
        }
    }
}

/// One `# name=value` parser directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Lowercased: `escape`, `syntax` or `check`.
    pub name: String,
    pub value: String,
    pub line: usize,
}

/// One instruction (a child of BuildKit's root node).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// The instruction word, lowercased (`run`, `copy`, or anything unknown).
    pub keyword: String,
    /// The logical line it came from: continuations joined, comment lines dropped.
    pub original: String,
    /// `--name=value` words before the arguments, quotes and escapes removed.
    pub flags: Vec<String>,
    pub args: Args,
    /// The arguments were a JSON array (exec form).
    pub json: bool,
    /// Heredoc bodies, in the order their `<<WORD`s appear on the line.
    pub heredocs: Vec<Heredoc>,
    /// First and last physical line (1-based), heredoc bodies included.
    pub start_line: usize,
    pub end_line: usize,
    /// The comment lines right above it (BuildKit's `PrevComment`).
    pub comments: Vec<String>,
}

/// An instruction's arguments (BuildKit's `Node.Next` chain).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Args {
    /// Words as BuildKit's line parser for the instruction split them. Not yet
    /// variable-expanded, and for shell form still with their quotes and escapes. ENV and
    /// LABEL give triples (key, value, separator), the separator being `=` or `""` for the
    /// old `KEY value` form. An unknown instruction gives one empty word, as in BuildKit.
    Words(Vec<String>),
    /// ONBUILD's instruction.
    Nested(Box<Instruction>),
}

/// One heredoc attached to an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// The terminator word, quotes removed.
    pub name: String,
    /// The `N` of `N<<WORD`, 0 when absent.
    pub file_descriptor: u64,
    /// False when any part of the word was quoted (`<<'EOF'`): no variable expansion.
    pub expand: bool,
    /// `<<-`: leading tabs are to be stripped (see `chomped_content`).
    pub chomp: bool,
    /// The body lines with their line endings, leading tabs still in place.
    pub content: String,
}

/// A parse-time warning with the line it was reported at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub short: String,
    pub detail: String,
    pub url: String,
    /// The last line of the instruction, where BuildKit places it.
    pub line: usize,
}

/// A parse failure. Displays as one line, `FILE:LINE: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub file: String,
    /// First line of the offending instruction (1-based); 0 when the file has no lines.
    pub line: usize,
    pub end_line: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

impl std::error::Error for ParseError {}

const DEFAULT_ESCAPE: char = '\\';
const EMPTY_CONTINUATION_URL: &str =
    "https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/";

/// Parses a Dockerfile. `file_name` only names the file in errors. A failure is a
/// [`ParseError`] inside the `anyhow::Error`.
pub fn parse(source: &str, file_name: &str) -> anyhow::Result<Dockerfile> {
    Parser::new(source, file_name)
        .run()
        .map_err(anyhow::Error::new)
}

impl Dockerfile {
    /// BuildKit's `Node.Dump` of the whole tree, one `(instruction …)` per line, plus the final
    /// newline BuildKit's tests add: the format of its `testfiles/*/result`.
    pub fn dump(&self) -> String {
        self.instructions
            .iter()
            .map(|i| format!("({})\n", i.dump()))
            .collect()
    }

    pub fn escape_token(&self) -> char {
        self.directives.escape_token
    }
}

impl Instruction {
    /// The argument words; empty for ONBUILD (see `nested`).
    pub fn words(&self) -> &[String] {
        match &self.args {
            Args::Words(words) => words,
            Args::Nested(_) => &[],
        }
    }

    /// ONBUILD's instruction.
    pub fn nested(&self) -> Option<&Instruction> {
        match &self.args {
            Args::Nested(inner) => Some(inner),
            Args::Words(_) => None,
        }
    }

    /// This instruction as BuildKit's `Node.Dump` prints it, without the outer parentheses.
    pub fn dump(&self) -> String {
        dump::instruction(self)
    }

    /// BuildKit reads heredocs only for RUN, COPY and ADD in shell form, also under ONBUILD.
    fn can_contain_heredoc(&self) -> bool {
        let target = match (self.keyword.as_str(), &self.args) {
            ("onbuild", Args::Nested(inner)) => inner.as_ref(),
            _ => self,
        };
        matches!(target.keyword.as_str(), "add" | "copy" | "run") && !target.json
    }

    fn set_lines(&mut self, start: usize, end: usize) {
        self.start_line = start;
        self.end_line = end;
        if let Args::Nested(inner) = &mut self.args {
            inner.set_lines(start, end);
        }
    }
}

impl Heredoc {
    /// The body with leading tabs removed from each line when the heredoc was `<<-`.
    pub fn chomped_content(&self) -> String {
        if self.chomp {
            chomp_heredoc_content(&self.content)
        } else {
            self.content.clone()
        }
    }
}

/// The line-by-line driver: BuildKit's `Parse` loop.
struct Parser<'a> {
    file: &'a str,
    lines: std::str::SplitInclusive<'a, char>,
    /// Physical lines consumed so far, so the number of the line last read.
    line_no: usize,
    directive_parser: DirectiveParser,
    directives: Directives,
    comments: Vec<String>,
    warnings: Vec<Warning>,
}

impl<'a> Parser<'a> {
    fn new(source: &'a str, file: &'a str) -> Self {
        Parser {
            file,
            lines: source.split_inclusive('\n'),
            line_no: 0,
            directive_parser: DirectiveParser::default(),
            directives: Directives::default(),
            comments: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn run(mut self) -> Result<Dockerfile, ParseError> {
        let mut instructions = Vec::new();
        while let Some(mut raw) = self.next_line() {
            if self.line_no == 1 {
                raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
            }
            if let Some(instruction) = self.instruction_from(raw)? {
                instructions.push(instruction);
            }
        }
        if instructions.is_empty() {
            return Err(self.error(self.line_no, self.line_no, "file with no instructions"));
        }
        Ok(Dockerfile {
            directives: self.directives,
            instructions,
            warnings: self.warnings,
        })
    }

    /// Reads the instruction that starts at `raw` (plus its continuation lines and heredoc
    /// bodies); None when `raw` is blank, a comment or a directive.
    fn instruction_from(&mut self, raw: &'a str) -> Result<Option<Instruction>, ParseError> {
        self.collect_comment(raw);
        let first = self.process_line(raw, true)?;
        let start_line = self.line_no;
        let (first, end_of_line) = trim_continuation(first, self.directives.escape_token);
        if end_of_line && first.is_empty() {
            return Ok(None);
        }
        let line = self.join_continuations(first.to_string(), end_of_line)?;

        let mut instruction = line_parsers::node_from_line(&line, self.directives.escape_token)
            .map_err(|message| self.error(start_line, self.line_no, message))?;
        instruction.comments = std::mem::take(&mut self.comments);
        if instruction.can_contain_heredoc() && line.contains("<<") {
            instruction.heredocs = self.read_heredocs(&line, start_line)?;
        }
        instruction.set_lines(start_line, self.line_no);
        Ok(Some(instruction))
    }

    /// Appends continuation lines to `line` until one does not end in the escape character.
    /// Comment lines in between are skipped; blank ones too, with a warning.
    fn join_continuations(
        &mut self,
        mut line: String,
        mut end_of_line: bool,
    ) -> Result<String, ParseError> {
        let mut has_empty_continuation = false;
        while !end_of_line {
            let Some(raw) = self.next_line() else { break };
            let token = self.process_line(raw, false)?;
            if directives::is_comment(raw) {
                continue;
            }
            if token.trim_start().is_empty() {
                has_empty_continuation = true;
                continue;
            }
            let (part, eol) = trim_continuation(token, self.directives.escape_token);
            line.push_str(part);
            end_of_line = eol;
        }
        if has_empty_continuation {
            self.warn_empty_continuation(&line);
        }
        Ok(line)
    }

    fn next_line(&mut self) -> Option<&'a str> {
        let line = self.lines.next()?;
        self.line_no += 1;
        Some(line)
    }

    /// Keeps the comment block above an instruction; a bare `#` line ends a block.
    fn collect_comment(&mut self, raw: &str) {
        let Some(comment) = raw.trim_start().strip_prefix('#') else {
            return;
        };
        let comment = comment.trim();
        if comment.is_empty() {
            self.comments.clear();
        } else {
            self.comments.push(comment.to_string());
        }
    }

    /// BuildKit's processLine: drops the line ending (and, for the first line of an
    /// instruction, leading blanks), applies a parser directive, and blanks a comment line.
    fn process_line(&mut self, raw: &'a str, strip_left: bool) -> Result<&'a str, ParseError> {
        let mut token = directives::trim_newline(raw);
        if strip_left {
            token = token.trim_start();
        }
        let found = self
            .directive_parser
            .parse_line(token)
            .map_err(|message| self.error(self.line_no, self.line_no, message))?;
        if let Some((name, value)) = found {
            self.apply_directive(name, value)?;
        }
        Ok(if directives::is_comment(token) {
            ""
        } else {
            token
        })
    }

    fn apply_directive(&mut self, name: String, value: String) -> Result<(), ParseError> {
        let line = self.line_no;
        if name == "escape" {
            self.directives.escape_token = directives::escape_token(&value)
                .map_err(|message| self.error(line, line, message))?;
        }
        // A directive is not a comment for the instruction below it.
        self.comments.pop();
        let directive = Some(Directive {
            name: name.clone(),
            value,
            line,
        });
        match name.as_str() {
            "escape" => self.directives.escape = directive,
            "syntax" => self.directives.syntax = directive,
            _ => self.directives.check = directive,
        }
        Ok(())
    }

    fn warn_empty_continuation(&mut self, line: &str) {
        self.warnings.push(Warning {
            short: format!("Empty continuation line found in: {line}"),
            detail: "Empty continuation lines will become errors in a future release".into(),
            url: EMPTY_CONTINUATION_URL.into(),
            line: self.line_no,
        });
    }

    /// Reads the body of each heredoc named on `line`, one after the other.
    fn read_heredocs(&mut self, line: &str, start_line: usize) -> Result<Vec<Heredoc>, ParseError> {
        let mut heredocs = heredoc::heredocs_from_line(line)
            .map_err(|message| self.error(start_line, self.line_no, message))?;
        for heredoc in &mut heredocs {
            if !self.read_heredoc_body(heredoc) {
                return Err(self.error(start_line, self.line_no, "unterminated heredoc"));
            }
        }
        Ok(heredocs)
    }

    /// Appends lines to the heredoc up to its terminator; false at the end of the file.
    fn read_heredoc_body(&mut self, heredoc: &mut Heredoc) -> bool {
        while let Some(raw) = self.next_line() {
            let mut candidate = directives::trim_newline(raw);
            if heredoc.chomp {
                candidate = candidate.trim_start_matches('\t');
            }
            if candidate == heredoc.name {
                return true;
            }
            heredoc.content.push_str(raw);
        }
        false
    }

    fn error(&self, line: usize, end_line: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            file: self.file.to_string(),
            line,
            end_line: end_line.max(line),
            message: message.into(),
        }
    }
}
