//! The build context's ignore file (.containerignore or .dockerignore): which file applies,
//! how it is read, and which context paths it excludes, with Docker's semantics.
//!
//! Which file: see [`find_ignore_file`] (Buildah's order, which Podman uses).
//!
//! Reading (moby/patternmatcher `ignorefile.ReadAll`): lines end at `\n`, a `\r` before it
//! is dropped, and a UTF-8 byte order mark at the start of the file is dropped. A line that
//! starts with `#` is a comment; this is checked before trimming, so ` #x` is a pattern.
//! Lines are trimmed of white space and blank ones skipped. After a leading `!` the rest is
//! trimmed again. The pattern is cleaned as Go's `filepath.Clean` does (`a/./b/../c/` is
//! `a/c`) and one leading `/` dropped: patterns are relative to the context. A line of 64 KiB
//! or more is an error, as in Go's line scanner.
//!
//! Compiling (`patternmatcher.New`): each pattern is trimmed and cleaned again; a lone `!`
//! is an error; a pattern must pass Go's `filepath.Match` syntax check (closed `[...]`
//! classes, no `-` or `]` where a class character is due, no trailing `\`). See pattern.rs
//! for what `*`, `?`, `**`, classes and escapes mean.
//!
//! Matching (`MatchesOrParentMatches`; BuildKit's walk gets the same answers incrementally
//! through `MatchesUsingParentResults`): the path is cleaned, and the context root `.` is never excluded. A pattern applies to a path if it
//! matches the path or one of its parent directories (so `docs` excludes `docs/a/b`). The
//! last pattern that applies decides: a plain one excludes, a `!` one re-includes, so
//! `docs` then `!docs/README.md` keeps that one file.
//!
//! Two differences from Docker, both about patterns hardly anyone writes: Docker compiles a
//! pattern's regexp when the pattern is first tried, so a bad one (`\e`, `[z-a]`) fails the
//! build only when reached; we refuse it when the file is read, naming the line. And Unicode
//! classes (`\pL`) are refused rather than matched (see regexp.rs).
//!
//! Why our own code: ignore-file crates (`ignore`, `globset`) implement gitignore or glob
//! rules, which differ from Docker's in ways users hit (`*` crossing `/` or not, patterns
//! matching at any depth, `!` under an excluded directory), and Docker's meaning of a
//! pattern is the Go regexp it is compiled to, which the `regex` crate does not reproduce.

mod filepath;
mod pattern;
mod regexp;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};

pub use filepath::BadPattern;
pub use pattern::Pattern;

/// The longest line Go's `bufio.Scanner` reads by default, newline included.
const MAX_LINE: usize = 64 * 1024;

/// The compiled patterns of an ignore file, in order.
#[derive(Debug, Default)]
pub struct IgnoreRules {
    patterns: Vec<Pattern>,
}

impl IgnoreRules {
    /// Reads ignore-file text (ReadAll) and compiles its patterns. `origin` names the text in
    /// errors, which give its line: `.dockerignore:3: "a[": syntax error in pattern`.
    pub fn parse(text: &str, origin: &str) -> Result<IgnoreRules> {
        let mut patterns = Vec::new();
        for (line, raw) in read_lines(text).map_err(|e| anyhow!("{origin}:{e}"))? {
            if let Some(p) = compile(&raw).map_err(|e| anyhow!("{origin}:{line}: {e:#}"))? {
                patterns.push(p);
            }
        }
        Ok(IgnoreRules { patterns })
    }

    /// Reads and compiles the ignore file at `path`.
    pub fn load(path: &Path) -> Result<IgnoreRules> {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            anyhow!("{}:{line}: not valid UTF-8", path.display())
        })?;
        IgnoreRules::parse(&text, &path.display().to_string())
    }

    /// Compiles patterns given one by one (patternmatcher.New), as from an ignore file that
    /// was already read: blank ones are skipped; errors name the pattern's position.
    pub fn from_patterns<S: AsRef<str>>(patterns: &[S]) -> Result<IgnoreRules> {
        let mut compiled = Vec::new();
        for (i, raw) in patterns.iter().enumerate() {
            let raw = raw.as_ref();
            if let Some(p) = compile(raw).map_err(|e| anyhow!("pattern {}: {e:#}", i + 1))? {
                compiled.push(p);
            }
        }
        Ok(IgnoreRules { patterns: compiled })
    }

    /// The compiled patterns, in file order.
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Whether there are no patterns, so nothing is excluded.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether a context path (relative, `/`-separated) is left out of the build context:
    /// the last pattern matching the path or one of its parents is not a `!` pattern.
    pub fn is_excluded(&self, path: &str) -> bool {
        let path = filepath::clean(path);
        if path == "." {
            return false;
        }
        self.last_match(&path)
            .is_some_and(|i| !self.patterns[i].is_exception())
    }

    /// Whether the walk may skip directory `dir` without looking inside: it is excluded and
    /// no `!` pattern after the one that excludes it could match anything below it. Those
    /// before cannot matter, and other patterns only match more below (every pattern that
    /// matches `dir` matches what is inside it), so everything below stays excluded.
    /// Never for an absolute path: Go's parent list for `/a` has `/`, but for `/a/b` not, so
    /// the argument fails there (context paths are relative anyway).
    pub fn can_skip_dir(&self, dir: &str) -> bool {
        let dir = filepath::clean(dir);
        if dir == "." || dir.starts_with('/') {
            return false;
        }
        let Some(decider) = self.last_match(&dir) else {
            return false;
        };
        if self.patterns[decider].is_exception() {
            return false;
        }
        !self.patterns[decider + 1..]
            .iter()
            .any(|p| p.is_exception() && p.may_match_below(&dir))
    }

    /// The index of the last pattern that matches `path` (cleaned) or one of its parents.
    /// The last one decides: patternmatcher's loop skips only patterns that could not change
    /// its answer, so this is its result.
    fn last_match(&self, path: &str) -> Option<usize> {
        let parent = filepath::dir(path);
        let parents = parent_dirs(&parent);
        self.patterns
            .iter()
            .rposition(|p| p.matches(path) || parents.iter().any(|d| p.matches(d)))
    }
}

/// The parent directories patternmatcher tries for a path whose `filepath.Dir` is `parent`:
/// each prefix of it ending before a `/`, then itself. None for `.`.
fn parent_dirs(parent: &str) -> Vec<&str> {
    if parent == "." {
        return Vec::new();
    }
    let mut dirs: Vec<&str> = parent
        .match_indices('/')
        .map(|(i, _)| &parent[..i])
        .collect();
    dirs.push(parent);
    dirs
}

/// One entry as patternmatcher.New takes it: None if blank, else the compiled pattern.
fn compile(raw: &str) -> Result<Option<Pattern>> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let cleaned = filepath::clean(trimmed);
    let (text, exception) = match cleaned.strip_prefix('!') {
        Some("") => bail!("illegal exclusion pattern: \"!\""),
        Some(rest) => (rest.to_string(), true),
        None => (cleaned, false),
    };
    let shown = format!("{:?}", raw.trim());
    Pattern::new(text, exception)
        .map(Some)
        .map_err(|e| anyhow!("{shown}: {e:#}"))
}

/// Go's `filepath.Match` on Unix: whether `name` matches the shell pattern, or an error
/// (Go's `ErrBadPattern`, "syntax error in pattern") for a malformed one. Every ignore
/// pattern must pass this check; matching itself works as described above.
pub fn filepath_match(pattern: &str, name: &str) -> Result<bool> {
    Ok(filepath::go_match(pattern, name)?)
}

/// Docker's `ignorefile.ReadAll`: the patterns of ignore-file text, before compiling.
pub fn read_patterns(text: &str) -> Result<Vec<String>> {
    Ok(read_lines(text)?.into_iter().map(|(_, p)| p).collect())
}

/// ReadAll, keeping each pattern's line number. Errors start with the line number.
fn read_lines(text: &str) -> Result<Vec<(usize, String)>> {
    let mut patterns = Vec::new();
    let mut lines: Vec<&str> = text.split('\n').collect();
    // Text ending in a newline has no line after it.
    if lines.last() == Some(&"") {
        lines.pop();
    }
    for (i, line) in lines.into_iter().enumerate() {
        let number = i + 1;
        if line.len() + 1 > MAX_LINE {
            bail!("{number}: line longer than {} bytes", MAX_LINE - 1);
        }
        let mut line = line.strip_suffix('\r').unwrap_or(line);
        if i == 0 {
            line = line.strip_prefix('\u{FEFF}').unwrap_or(line);
        }
        if let Some(pattern) = read_line(line) {
            patterns.push((number, pattern));
        }
    }
    Ok(patterns)
}

/// One line of ReadAll: None for a comment or a blank line.
fn read_line(line: &str) -> Option<String> {
    if line.starts_with('#') {
        return None;
    }
    let mut pattern = line.trim();
    if pattern.is_empty() {
        return None;
    }
    let exception = match pattern.strip_prefix('!') {
        Some(rest) => {
            pattern = rest.trim();
            true
        }
        None => false,
    };
    let mut cleaned = String::new();
    if !pattern.is_empty() {
        cleaned = filepath::clean(pattern);
        if cleaned.len() > 1 && cleaned.starts_with('/') {
            cleaned.remove(0);
        }
    }
    Some(if exception {
        format!("!{cleaned}")
    } else {
        cleaned
    })
}

/// The ignore file for a build, or None. In order, the first that exists wins:
///
/// 1. next to the Dockerfile: `<Dockerfile>.containerignore` or `<Dockerfile>.dockerignore`
///    (`Containerfile.containerignore`, `build/Dockerfile.prod.dockerignore`; BuildKit reads
///    the `.dockerignore` form too). If both exist, the `.dockerignore` one is used: Buildah
///    checks it second and keeps the last found;
/// 2. `.containerignore` in the context directory;
/// 3. `.dockerignore` in the context directory.
///
/// This is Buildah's `ContainerIgnoreFile`, which `podman build` uses. A relative
/// `dockerfile` is taken relative to the context, as there. `--ignorefile` is the caller's
/// to handle: it replaces this search. A context file that is a symlink is used only if it
/// resolves inside the context (Buildah resolves it scoped to the context; one pointing out
/// is then not found there either).
pub fn find_ignore_file(context: &Path, dockerfile: Option<&Path>) -> Option<PathBuf> {
    if let Some(dockerfile) = dockerfile {
        let dockerfile = context.join(dockerfile);
        // Buildah looks for .containerignore, then .dockerignore, and keeps the last found.
        let beside = [".dockerignore", ".containerignore"]
            .into_iter()
            .map(|suffix| {
                let mut name = dockerfile.clone().into_os_string();
                name.push(suffix);
                PathBuf::from(name)
            })
            .find(|p| p.exists());
        if beside.is_some() {
            return beside;
        }
    }
    let root = context.canonicalize().ok()?;
    [".containerignore", ".dockerignore"]
        .into_iter()
        .map(|name| context.join(name))
        .find(|p| p.canonicalize().is_ok_and(|real| real.starts_with(&root)))
}
