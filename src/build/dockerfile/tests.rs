//! Unit tests: heredocs (cases after BuildKit's parser_heredoc_test.go), directives, escape
//! characters, CRLF and BOM input, line numbers, warnings, Go quoting. BuildKit's own
//! Dockerfile/result fixtures run in tests/dockerfile_parser.rs.

use super::line_parsers::parse_words;
use super::*;

fn ok(source: &str) -> Dockerfile {
    match parse(source, "Dockerfile") {
        Ok(parsed) => parsed,
        Err(err) => panic!("parse failed: {err:#}\n{source}"),
    }
}

fn err(source: &str) -> ParseError {
    match parse(source, "Dockerfile") {
        Ok(parsed) => panic!("parsed, expected an error:\n{}", parsed.dump()),
        Err(err) => err
            .downcast::<ParseError>()
            .expect("a ParseError inside the anyhow::Error"),
    }
}

fn heredoc(name: &str, content: &str, expand: bool, chomp: bool, fd: u64) -> Heredoc {
    Heredoc {
        name: name.into(),
        file_descriptor: fd,
        expand,
        chomp,
        content: content.into(),
    }
}

fn lines(parsed: &Dockerfile) -> Vec<(usize, usize)> {
    parsed
        .instructions
        .iter()
        .map(|i| (i.start_line, i.end_line))
        .collect()
}

// ---- heredocs ----

const HEREDOC_FILE: &str = "
FROM alpine:3.6

ENV NAME=me

RUN ls

USER <<INVALID
INVALID

RUN <<EMPTY
EMPTY

RUN 3<<EMPTY2
EMPTY2

RUN \"<<NOHEREDOC\"

RUN <<INDENT
\tfoo
\tbar
INDENT

RUN <<-UNINDENT
\tbaz
\tquux
UNINDENT

RUN <<-UNINDENT2
\tbaz
\tquux
\tUNINDENT2

RUN <<-EXPAND
\texpand $NAME
EXPAND

RUN <<-'NOEXPAND'
\tdon't expand $NAME
NOEXPAND

RUN <<COPY
echo hello world
echo foo bar
COPY

RUN <<COMMENT
# internal comment
echo hello world
echo foo bar # trailing comment
COMMENT

RUN --mount=type=cache,target=/foo <<MOUNT
echo hello
MOUNT

COPY <<FILE1 <<FILE2 /dest
content 1
FILE1
content 2
FILE2

COPY <<X <<Y /dest
Y
X
X
Y
\t";

#[test]
fn heredocs_are_extracted_as_buildkit_does() {
    let parsed = ok(HEREDOC_FILE);
    let expected: Vec<Vec<Heredoc>> = vec![
        vec![], // FROM
        vec![], // ENV
        vec![], // RUN ls
        vec![], // USER <<INVALID: USER takes no heredoc
        vec![], // INVALID: so this is an (unknown) instruction
        vec![heredoc("EMPTY", "", true, false, 0)],
        vec![heredoc("EMPTY2", "", true, false, 3)],
        vec![], // RUN "<<NOHEREDOC"
        vec![heredoc("INDENT", "\tfoo\n\tbar\n", true, false, 0)],
        vec![heredoc("UNINDENT", "\tbaz\n\tquux\n", true, true, 0)],
        vec![heredoc("UNINDENT2", "\tbaz\n\tquux\n", true, true, 0)],
        vec![heredoc("EXPAND", "\texpand $NAME\n", true, true, 0)],
        vec![heredoc(
            "NOEXPAND",
            "\tdon't expand $NAME\n",
            false,
            true,
            0,
        )],
        vec![heredoc(
            "COPY",
            "echo hello world\necho foo bar\n",
            true,
            false,
            0,
        )],
        vec![heredoc(
            "COMMENT",
            "# internal comment\necho hello world\necho foo bar # trailing comment\n",
            true,
            false,
            0,
        )],
        vec![heredoc("MOUNT", "echo hello\n", true, false, 0)],
        vec![
            heredoc("FILE1", "content 1\n", true, false, 0),
            heredoc("FILE2", "content 2\n", true, false, 0),
        ],
        vec![
            heredoc("X", "Y\n", true, false, 0),
            heredoc("Y", "X\n", true, false, 0),
        ],
    ];
    let got: Vec<Vec<Heredoc>> = parsed
        .instructions
        .iter()
        .map(|i| i.heredocs.clone())
        .collect();
    assert_eq!(got, expected);
    assert_eq!(parsed.instructions[4].keyword, "invalid");
    // The body is not part of the arguments: BuildKit keeps `<<EOF` as written.
    assert_eq!(
        parsed.instructions[16].dump(),
        r#"copy "<<FILE1" "<<FILE2" "/dest""#
    );
}

#[test]
fn heredoc_line_numbers_cover_the_body() {
    let parsed = ok("FROM a\nRUN <<EOF\none\ntwo\nEOF\nRUN <<A <<B\na\nA\nb\nB\nCMD x\n");
    assert_eq!(lines(&parsed), vec![(1, 1), (2, 5), (6, 10), (11, 11)]);
}

#[test]
fn json_form_has_no_heredocs() {
    let parsed = ok("FROM alpine:3.6\nRUN [\"whoami\"]\nRUN [\"<<EOF\"]\nRUN [\"<<'EOF'\"]\n\t");
    for instruction in &parsed.instructions {
        assert!(instruction.heredocs.is_empty(), "{instruction:?}");
    }
    assert_eq!(parsed.instructions.len(), 4);
}

#[test]
fn onbuild_heredoc_is_read_into_the_onbuild_instruction() {
    let parsed =
        ok("FROM a\nONBUILD RUN <<EOF\necho hi\nEOF\nONBUILD COPY <<-EOF /x\n\tdata\n\tEOF\n");
    let run = &parsed.instructions[1];
    assert_eq!(
        run.heredocs,
        vec![heredoc("EOF", "echo hi\n", true, false, 0)]
    );
    assert_eq!(run.nested().map(|i| i.keyword.as_str()), Some("run"));
    let copy = &parsed.instructions[2];
    assert_eq!(copy.heredocs[0].chomped_content(), "data\n");
    assert_eq!(lines(&parsed), vec![(1, 1), (2, 4), (5, 7)]);
}

#[test]
fn heredoc_word_forms() {
    for word in [
        "<<EOF",
        "<<'EOF'",
        "<<\"EOF\"",
        "<<-EOF",
        "<<-'EOF'",
        "<<-\"EOF\"",
    ] {
        let doc = parse_heredoc(word)
            .unwrap()
            .unwrap_or_else(|| panic!("{word}"));
        assert_eq!(doc.name, "EOF", "{word}");
        assert_eq!(doc.expand, !word.contains(['\'', '"']), "{word}");
        assert_eq!(doc.chomp, word.contains('-'), "{word}");
    }
    for word in ["", "EOF", "<<", "<<-", "<EOF", "<<<EOF", "cat<<EOF"] {
        assert_eq!(parse_heredoc(word).unwrap(), None, "{word:?}");
    }
    for word in ["<<'EOF", "<<\"EOF", "<<EOF'", "<<EOF\""] {
        assert!(parse_heredoc(word).is_err(), "{word}");
    }
    let doc = parse_heredoc("12<<E\"O\"F").unwrap().unwrap();
    assert_eq!(
        (doc.name.as_str(), doc.file_descriptor, doc.expand),
        ("EOF", 12, false)
    );
    assert_eq!(
        parse_heredoc("<<'EOF").unwrap_err().to_string(),
        "failed to process \"'EOF\": unexpected end of statement while looking for matching single-quote"
    );
}

#[test]
fn heredocs_from_line_follow_shell_words() {
    let names = |line: &str| -> Vec<String> {
        heredoc::heredocs_from_line(line)
            .unwrap()
            .into_iter()
            .map(|h| h.name)
            .collect()
    };
    assert_eq!(names("RUN <<EOF"), ["EOF"]);
    assert_eq!(names("RUN <<-EOF"), ["EOF"]);
    assert_eq!(names("RUN <<'EOF'"), ["EOF"]);
    assert_eq!(names("RUN 4<<EOF"), ["EOF"]);
    assert_eq!(names("RUN <<EOF <<EOF2"), ["EOF", "EOF2"]);
    assert_eq!(names("RUN cat <<EOF > /out && echo $HOME ${X:-y}"), ["EOF"]);
    assert!(names("RUN '<<EOF'").is_empty());
    assert!(names("RUN \"<<EOF\"").is_empty());
    assert!(names("RUN \\<<EOF").is_empty());
    // A line that does not lex has no heredocs at all.
    assert!(names("RUN <<EOF 'open").is_empty());
}

#[test]
fn unterminated_heredoc_is_an_error_at_its_instruction() {
    let e = err("FROM a\n\nRUN <<EOF\necho\nEOS\n");
    assert_eq!(e.to_string(), "Dockerfile:3: unterminated heredoc");
    assert_eq!((e.line, e.end_line), (3, 5));
    let e = err("FROM a\nCOPY <<A <<B /x\nA\n");
    assert_eq!(e.to_string(), "Dockerfile:2: unterminated heredoc");
}

#[test]
fn chomp_strips_leading_tabs_of_each_line() {
    assert_eq!(
        chomp_heredoc_content("\thello\n\t\tworld\n x\n"),
        "hello\nworld\n x\n"
    );
    let doc = heredoc("E", "\ta\n", true, false, 0);
    assert_eq!(doc.chomped_content(), "\ta\n");
}

// ---- directives and the escape character ----

#[test]
fn backtick_escape_directive() {
    let parsed = ok(
        "# escape=`\nFROM `\n  image\nRUN dir c:\\ `\n  && echo `\"q`\"\nCOPY --chown=a`\"b x y\n",
    );
    assert_eq!(parsed.escape_token(), '`');
    let escape = parsed.directives.escape.as_ref().unwrap();
    assert_eq!((escape.value.as_str(), escape.line), ("`", 1));
    assert_eq!(
        parsed.dump(),
        "(from \"image\")\n(run \"dir c:\\\\   && echo `\\\"q`\\\"\")\n(copy [\"--chown=a\\\"b\"] \"x\" \"y\")\n"
    );
    assert_eq!(lines(&parsed), vec![(2, 3), (4, 5), (6, 6)]);
    // With a backtick escape, a backslash at the end does not continue the line.
    let parsed = ok("#escape=`\nRUN a \\\nRUN b\n");
    assert_eq!(parsed.instructions.len(), 2);
}

#[test]
fn directives_are_recorded_and_only_at_the_top() {
    let parsed =
        ok("# syntax=docker/dockerfile:1\n# CHECK = skip=all\n#escape=\\\n# a comment\nFROM a\n");
    let d = &parsed.directives;
    let syntax = d.syntax.as_ref().unwrap();
    assert_eq!(
        (syntax.name.as_str(), syntax.value.as_str(), syntax.line),
        ("syntax", "docker/dockerfile:1", 1)
    );
    let check = d.check.as_ref().unwrap();
    assert_eq!(
        (check.name.as_str(), check.value.as_str(), check.line),
        ("check", "skip=all", 2)
    );
    assert_eq!(d.escape.as_ref().map(|e| e.line), Some(3));
    // Directives are not comments of the first instruction.
    assert_eq!(parsed.instructions[0].comments, ["a comment"]);

    // After a blank line, a comment or an unknown key, `# escape=` is just a comment.
    for source in [
        "\n# escape=`\nFROM a\n",
        "# hi\n# escape=`\nFROM a\n",
        "# foo=bar\n# escape=`\nFROM a\n",
    ] {
        let parsed = ok(source);
        assert_eq!(parsed.escape_token(), '\\', "{source:?}");
        assert_eq!(parsed.directives.escape, None, "{source:?}");
    }
}

#[test]
fn directive_errors_name_their_line() {
    assert_eq!(
        err("# escape=`\n# escape=\\\nFROM a\n").to_string(),
        "Dockerfile:2: only one escape parser directive can be used"
    );
    assert_eq!(
        err("# syntax=a\n# escape=x\nFROM a\n").to_string(),
        "Dockerfile:2: invalid escape token 'x' does not match ` or \\"
    );
    // The regex's lazy value still takes one blank when the value is only blanks.
    assert_eq!(
        err("# escape= \t\nFROM a\n").to_string(),
        "Dockerfile:1: invalid escape token '\t' does not match ` or \\"
    );
}

// ---- line endings, BOM, continuations, comments ----

#[test]
fn crlf_line_endings() {
    let source = "# escape=`\r\nFROM a\r\nRUN echo 1 `\r\n  && echo 2\r\nENV A=1 `\r\n\r\n  B=2\r\nRUN <<EOF\r\nline\r\nEOF\r\nCMD [\"x\"]\r\n";
    let parsed = ok(source);
    assert_eq!(parsed.escape_token(), '`');
    assert_eq!(
        parsed.dump(),
        "(from \"a\")\n(run \"echo 1   && echo 2\")\n(env \"A\" \"1\" \"=\" \"B\" \"2\" \"=\")\n(run \"<<EOF\")\n(cmd \"x\")\n"
    );
    // Heredoc bodies keep their line endings, as in BuildKit.
    assert_eq!(parsed.instructions[3].heredocs[0].content, "line\r\n");
    assert_eq!(
        lines(&parsed),
        vec![(2, 2), (3, 4), (5, 7), (8, 10), (11, 11)]
    );
    assert_eq!(parsed.warnings.len(), 1);
}

#[test]
fn byte_order_mark_is_dropped_from_the_first_line() {
    let parsed = ok("\u{feff}# escape=`\nFROM a `\n b\n");
    assert_eq!(parsed.escape_token(), '`');
    assert_eq!(parsed.dump(), "(from \"a\" \"b\")\n");
    let parsed = ok("\u{feff}FROM a\n");
    assert_eq!(parsed.instructions[0].keyword, "from");
    assert_eq!(parsed.instructions[0].original, "FROM a");
}

#[test]
fn line_numbers_of_instructions() {
    let source = "# escape=\\\n\n\n\nFROM busybox\n\n\n# a comment\n\n\nENV GOPATH \\\n/go\n\n\n\n# Install\nRUN a \\\n\t&& b \\\n\n\n    && c \\\n    # note\n    && d\n\n\n";
    let parsed = ok(source);
    assert_eq!(lines(&parsed), vec![(5, 5), (11, 12), (17, 23)]);
    assert_eq!(
        parsed.dump(),
        "(from \"busybox\")\n(env \"GOPATH\" \"/go\" \"\")\n(run \"a \\t&& b     && c     && d\")\n"
    );
    assert_eq!(parsed.instructions[2].comments, ["Install"]);
}

#[test]
fn empty_continuation_lines_are_warnings() {
    let source = "
FROM alpine:3.6

RUN something \\

    following \\

    more

RUN another \\

    thing
RUN non-indented \\
# this is a comment
   after-comment

RUN indented \\
    # this is an indented comment
    comment
\t";
    let parsed = ok(source);
    assert_eq!(parsed.warnings.len(), 2);
    assert_eq!(
        parsed.warnings[0].short,
        "Empty continuation line found in: RUN something     following     more"
    );
    assert_eq!(parsed.warnings[0].line, 8);
    assert_eq!(
        parsed.warnings[1].short,
        "Empty continuation line found in: RUN another     thing"
    );
    assert_eq!(parsed.warnings[1].line, 12);
    assert!(parsed.warnings[0].url.ends_with("/no-empty-continuation/"));
    assert_eq!(
        parsed.dump(),
        "(from \"alpine:3.6\")\n(run \"something     following     more\")\n(run \"another     thing\")\n(run \"non-indented    after-comment\")\n(run \"indented     comment\")\n"
    );
}

#[test]
fn comments_before_an_instruction() {
    let parsed = ok("# one\n  # two\n#\n# three\nFROM a\nRUN b\n");
    assert_eq!(parsed.instructions[0].comments, ["three"]);
    assert!(parsed.instructions[1].comments.is_empty());
    let parsed = ok("# one\n  # two\nFROM a\n");
    assert_eq!(parsed.instructions[0].comments, ["one", "two"]);
}

#[test]
fn continuation_at_the_end_of_the_file() {
    assert_eq!(ok("FROM a\nRUN b \\").dump(), "(from \"a\")\n(run \"b\")\n");
    assert_eq!(
        ok("FROM a\nRUN b \\\n").dump(),
        "(from \"a\")\n(run \"b\")\n"
    );
}

// ---- instruction shapes ----

#[test]
fn flags_quotes_escapes_and_double_dash() {
    let parsed = ok(
        "COPY --from=build --chown=\"a b\" --chmod='7'\\'5 src dst\nRUN --mount=type=cache,target=/x -- --not-a-flag\nCOPY --x=\"\" --y=é a b\nFROM --platform=$P img AS x\n",
    );
    assert_eq!(
        parsed.instructions[0].flags,
        ["--from=build", "--chown=a b", "--chmod=7'5"]
    );
    assert_eq!(parsed.instructions[0].words(), ["src", "dst"]);
    assert_eq!(
        parsed.instructions[1].flags,
        ["--mount=type=cache,target=/x"]
    );
    assert_eq!(parsed.instructions[1].words(), ["--not-a-flag"]);
    assert_eq!(parsed.instructions[2].flags, ["--x=", "--y=é"]);
    assert_eq!(
        parsed.instructions[3].dump(),
        r#"from ["--platform=$P"] "img" "AS" "x""#
    );
}

#[test]
fn instruction_words_are_case_insensitive_and_unknown_ones_parse() {
    let parsed = ok("from a\nRuN echo\nFROBNICATE the widget\n");
    assert_eq!(
        parsed.dump(),
        "(from \"a\")\n(run \"echo\")\n(frobnicate \"\")\n"
    );
    assert_eq!(parsed.instructions[2].original, "FROBNICATE the widget");
    assert_eq!(parsed.instructions[2].start_line, 3);
}

#[test]
fn exec_and_shell_forms() {
    let parsed = ok(
        "CMD [\"a\", \"b\"] trailing\nCMD [\"a\", 1\nENTRYPOINT []\nSHELL [\"/bin/sh\", \"-c\"]\nRUN echo [\"x\"]\nVOLUME [\"/a\"]\nVOLUME /a /b\n",
    );
    let forms: Vec<(bool, Vec<String>)> = parsed
        .instructions
        .iter()
        .map(|i| (i.json, i.words().to_vec()))
        .collect();
    let s = |v: &[&str]| v.iter().map(|w| w.to_string()).collect::<Vec<_>>();
    assert_eq!(
        forms,
        vec![
            (true, s(&["a", "b"])),
            (false, s(&["[\"a\", 1"])),
            (true, s(&[])),
            (true, s(&["/bin/sh", "-c"])),
            (false, s(&["echo [\"x\"]"])),
            (true, s(&["/a"])),
            (false, s(&["/a", "/b"])),
        ]
    );
    assert_eq!(
        err("FROM a\n\nRUN [\"a\", {\"b\": 1}]\n").to_string(),
        "Dockerfile:3: when using JSON array syntax, arrays must be comprised of strings only"
    );
}

#[test]
fn env_label_arg_forms() {
    let parsed = ok("ENV A B C\nLABEL \"k\"=\"v w\" x=y\nARG A B=c \"D=e f\"\nENV\n");
    assert_eq!(parsed.instructions[0].words(), ["A", "B C", ""]);
    assert_eq!(
        parsed.instructions[1].words(),
        ["\"k\"", "\"v w\"", "=", "x", "y", "="]
    );
    assert_eq!(parsed.instructions[2].words(), ["A", "B=c", "\"D=e f\""]);
    assert!(parsed.instructions[3].words().is_empty());
    let e = err("FROM a\nENV a=1 b\n");
    assert_eq!(
        e.to_string(),
        "Dockerfile:2: Syntax error - can't find = in \"b\". Must be of the form: name=value"
    );
    assert_eq!(
        err("LABEL onlykey\n").to_string(),
        "Dockerfile:1: LABEL must have two arguments"
    );
}

#[test]
fn healthcheck_and_onbuild() {
    let parsed = ok(
        "HEALTHCHECK NONE\nHEALTHCHECK --interval=5s CMD [\"curl\", \"-f\"]\nONBUILD\nONBUILD ONBUILD COPY --from=x a b\n",
    );
    assert_eq!(
        parsed.dump(),
        "(healthcheck \"NONE\")\n(healthcheck [\"--interval=5s\"] \"CMD\" \"curl\" \"-f\")\n(onbuild)\n(onbuild (onbuild (copy [\"--from=x\"] \"a\" \"b\")))\n"
    );
    assert!(parsed.instructions[1].json);
    let inner = parsed.instructions[3]
        .nested()
        .and_then(Instruction::nested)
        .unwrap();
    assert_eq!((inner.start_line, inner.end_line), (4, 4));
    assert_eq!(inner.original, "COPY --from=x a b");
}

#[test]
fn parse_words_keeps_quotes_and_escapes() {
    let cases: &[(&str, &[&str])] = &[
        ("foo", &["foo"]),
        ("foo bar", &["foo", "bar"]),
        ("foo\\ bar", &["foo\\ bar"]),
        ("foo=bar", &["foo=bar"]),
        ("foo bar 'abc xyz'", &["foo", "bar", "'abc xyz'"]),
        ("foo bar \"abc xyz\"", &["foo", "bar", "\"abc xyz\""]),
        ("àöû", &["àöû"]),
        ("föo bàr \"âbc xÿz\"", &["föo", "bàr", "\"âbc xÿz\""]),
        ("a=\"\" b=''", &["a=\"\"", "b=''"]),
        ("'a\\' b'", &["'a\\'", "b'"]),
        ("x\\", &["x"]),
    ];
    for (input, expected) in cases {
        assert_eq!(parse_words(input, '\\'), *expected, "{input:?}");
    }
}

// ---- the dump format ----

#[test]
fn go_quote_matches_strconv_quote() {
    let q = dump::go_quote;
    assert_eq!(q("plain"), "\"plain\"");
    assert_eq!(q("a\"b\\c"), "\"a\\\"b\\\\c\"");
    assert_eq!(q("\x07\x08\x0c\n\r\t\x0b"), "\"\\a\\b\\f\\n\\r\\t\\v\"");
    assert_eq!(q("\0\x1b\x7f"), "\"\\x00\\x1b\\x7f\"");
    // Printable non-ASCII stays; spaces other than U+0020, format and private-use
    // characters, and unassigned code points are escaped.
    assert_eq!(q("é♥☃한😀"), "\"é♥☃한😀\"");
    assert_eq!(
        q("\u{a0}\u{ad}\u{2028}\u{feff}\u{e000}"),
        "\"\\u00a0\\u00ad\\u2028\\ufeff\\ue000\""
    );
    assert_eq!(
        q("\u{80}\u{10fffd}\u{e0001}"),
        "\"\\u0080\\U0010fffd\\U000e0001\""
    );
    assert_eq!(q("\u{0378}"), "\"\\u0378\"");
}

#[test]
fn dump_lowercases_like_go() {
    assert_eq!(dump::go_lower("RUN"), "run");
    assert_eq!(dump::go_lower("ΣΑΣ"), "σασ");
    assert_eq!(dump::go_lower("İ"), "i");
}

#[test]
fn errors_are_one_located_line() {
    let e = err("");
    assert_eq!(e.to_string(), "Dockerfile: file with no instructions");
    let e = parse("\n\n# c\n", "build/Containerfile").unwrap_err();
    assert_eq!(
        e.to_string(),
        "build/Containerfile:3: file with no instructions"
    );
}

#[test]
fn hostile_nesting_is_an_error_not_a_crash() {
    // ONBUILD chained far beyond any real file: refused while parsing, without deep recursion.
    let line = format!("FROM scratch\n{}RUN true\n", "ONBUILD ".repeat(20_000));
    let err = parse(&line, "Dockerfile").unwrap_err();
    assert!(format!("{err:#}").contains("Chaining ONBUILD"), "{err:#}");
    // Two levels still parse (the typed stage refuses them with the same words).
    assert!(parse("FROM scratch\nONBUILD ONBUILD RUN true\n", "Dockerfile").is_ok());
    // A heredoc line with `${...}` nested 100 000 deep.
    let nested = "${X:-".repeat(100_000) + "v" + &"}".repeat(100_000);
    let df = format!("FROM scratch\nRUN {nested} <<EOF\nx\nEOF\n");
    // No stack overflow: the word is refused, so the line has no heredoc.
    let parsed = parse(&df, "Dockerfile").map(|d| d.instructions[1].heredocs.len());
    assert!(
        matches!(parsed, Ok(0) | Err(_)),
        "{:?}",
        parsed.map_err(|e| e.to_string())
    );
}
