//! Podman's `--format` output: `table` templates with a header row, plain templates one row
//! per line, `json` as a pretty array, all aligned like Go's text/tabwriter as Podman sets it
//! up (`tabwriter.NewWriter(w, 12, 2, 2, ' ', 0)`), which it does for table and plain alike.

use super::template::{Template, unescape_format};
use anyhow::{Result, bail};
use serde::Serialize;
use serde_json::{Map, Value};

const TAB_MIN_WIDTH: usize = 12;
const TAB_PADDING: usize = 2;

/// The rest of a `table ...` format (empty for bare `table`), or None if not a table.
pub fn strip_table(fmt: &str) -> Option<&str> {
    let rest = fmt.trim_start().strip_prefix("table")?;
    if rest.is_empty() {
        return Some(rest);
    }
    let mut chars = rest.chars();
    match chars.next() {
        Some(c) if c.is_whitespace() => Some(chars.as_str()),
        // Users also write the two characters `\t` after `table`.
        _ => rest
            .strip_prefix("\\t")
            .or_else(|| rest.strip_prefix("\\n")),
    }
}

pub fn is_table(fmt: &str) -> bool {
    strip_table(fmt).is_some()
}

/// Podman's IsJSON: `json`, `{{json .}}` or `{{ json }}`, case-insensitive, surrounding
/// whitespace allowed.
pub fn is_json(fmt: &str) -> bool {
    let f = fmt.trim();
    if f.eq_ignore_ascii_case("json") {
        return true;
    }
    let Some(inner) = f.strip_prefix("{{").and_then(|s| s.strip_suffix("}}")) else {
        return false;
    };
    let inner = inner.trim();
    let Some(rest) = inner
        .get(..4)
        .filter(|w| w.eq_ignore_ascii_case("json"))
        .map(|_| &inner[4..])
    else {
        return false;
    };
    matches!(rest.trim(), "" | ".")
}

/// The format to use: the command's default table format for an empty or bare `table` format.
pub fn resolve_format<'a>(user: &'a str, default_table: &'a str) -> &'a str {
    if user.trim().is_empty() || strip_table(user).is_some_and(|r| r.trim().is_empty()) {
        default_table
    } else {
        user
    }
}

/// Header text Podman derives from a field name: camelCase words, upper-cased
/// ("CreatedAt" -> "CREATED AT", "ImageID" -> "IMAGE ID", "ID" -> "ID").
pub fn header_for_field(name: &str) -> String {
    camel_split(name).join(" ").to_uppercase()
}

/// fatih/camelcase's Split, which Podman uses: runs of one character class, then the last
/// upper-case letter of a run moves to a following lower-case run ("HTTPServer" -> HTTP Server).
fn camel_split(s: &str) -> Vec<String> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Lower,
        Upper,
        Digit,
        Other,
    }
    let class = |c: char| {
        if c.is_lowercase() {
            Class::Lower
        } else if c.is_uppercase() {
            Class::Upper
        } else if c.is_numeric() {
            Class::Digit
        } else {
            Class::Other
        }
    };
    let mut runs: Vec<(Class, Vec<char>)> = Vec::new();
    for c in s.chars() {
        let k = class(c);
        match runs.last_mut() {
            Some((last, chars)) if *last == k => chars.push(c),
            _ => runs.push((k, vec![c])),
        }
    }
    for i in 0..runs.len().saturating_sub(1) {
        if runs[i].0 == Class::Upper
            && runs[i + 1].0 == Class::Lower
            && let Some(c) = runs[i].1.pop()
        {
            runs[i + 1].1.insert(0, c);
        }
    }
    runs.into_iter()
        .filter(|(_, c)| !c.is_empty())
        .map(|(_, c)| c.into_iter().collect())
        .collect()
}

/// Renders `rows` with a user's `--format`: `json` (pretty array), `table ...` (header row from
/// `headers`, a map of field name to header text, then rows) or a plain template (one line
/// per row). `\t`/`\n` typed literally are unescaped first, and the output is tab-aligned.
/// Callers substitute their default for bare `table` with [`resolve_format`].
pub fn render_rows(template_src: &str, headers: &Value, rows: &[Value]) -> Result<String> {
    if is_json(template_src) {
        return Ok(render_json(rows));
    }
    let src = unescape_format(template_src);
    let (table, body) = match strip_table(&src) {
        Some(rest) => (true, rest),
        None => (false, src.as_str()),
    };
    if table && body.trim().is_empty() {
        bail!("bare \"table\" format has no columns: the command's default format is needed");
    }
    // Podman ends every row with a newline unless the template already does.
    let mut body = body.to_string();
    if !body.ends_with('\n') {
        body.push('\n');
    }
    let tmpl = Template::parse(&body)?;
    let mut out = String::new();
    if table {
        out.push_str(&tmpl.render_header(&header_row(&tmpl, headers))?);
    }
    for row in rows {
        out.push_str(&tmpl.render(row)?);
    }
    Ok(tabwrite(&out))
}

/// Header data for the template: every field it names gets a derived header, overridden
/// (upper-cased, as Podman does) by the caller's `headers`.
fn header_row(tmpl: &Template, headers: &Value) -> Value {
    let mut map = Map::new();
    for name in tmpl.field_names() {
        let header = header_for_field(&name);
        map.insert(name, Value::String(header));
    }
    if let Value::Object(given) = headers {
        for (k, v) in given {
            let text = match v {
                Value::String(s) => s.to_uppercase(),
                other => super::template::value_string(other).to_uppercase(),
            };
            map.insert(k.clone(), Value::String(text));
        }
    }
    Value::Object(map)
}

/// Pretty JSON array with 4-space indent, as Podman prints `--format json`; ends in a newline.
pub fn render_json(rows: &[Value]) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    // Serializing a Value into a Vec cannot fail.
    if rows.serialize(&mut ser).is_err() {
        return "[]\n".into();
    }
    let mut s = String::from_utf8_lossy(&buf).into_owned();
    s.push('\n');
    s
}

/// Go's text/tabwriter with Podman's settings (minwidth 12, padding 2, space padding, no
/// flags): tab-terminated cells are padded to their column block's width; the text after a
/// line's last tab is not a column cell and is written as is.
pub fn tabwrite(text: &str) -> String {
    let lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
    let mut out = String::with_capacity(text.len());
    let mut widths = Vec::new();
    format_block(&lines, &mut out, &mut widths, 0, lines.len());
    out
}

fn cell_width(cell: &str) -> usize {
    cell.chars().count()
}

/// Go's Writer.format: a column block is a run of consecutive lines that all have a cell in
/// this column; its width is the widest cell plus padding (at least minwidth).
fn format_block(
    lines: &[Vec<&str>],
    out: &mut String,
    widths: &mut Vec<usize>,
    line0: usize,
    line1: usize,
) {
    let column = widths.len();
    let mut start = line0;
    let mut this = line0;
    while this < line1 {
        if column + 1 >= lines[this].len() {
            this += 1;
            continue;
        }
        write_lines(lines, out, widths, start, this);
        let block_start = this;
        let mut width = TAB_MIN_WIDTH;
        while this < line1 && column + 1 < lines[this].len() {
            width = width.max(cell_width(lines[this][column]) + TAB_PADDING);
            this += 1;
        }
        widths.push(width);
        format_block(lines, out, widths, block_start, this);
        widths.pop();
        start = this;
    }
    write_lines(lines, out, widths, start, line1);
}

fn write_lines(
    lines: &[Vec<&str>],
    out: &mut String,
    widths: &[usize],
    line0: usize,
    line1: usize,
) {
    for (i, line) in lines.iter().enumerate().take(line1).skip(line0) {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if let Some(&w) = widths.get(j) {
                out.extend(std::iter::repeat_n(' ', w.saturating_sub(cell_width(cell))));
            }
        }
        if i + 1 < lines.len() {
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rows() -> Vec<Value> {
        vec![
            json!({"ID": "abc", "Name": "web", "Names": ["web", "w2"], "CreatedAt": "2 days ago", "Size": 10}),
            json!({"ID": "0123456789abcdef", "Name": "db", "Names": ["db"], "CreatedAt": "1 hour ago", "Size": 2000}),
        ]
    }

    #[test]
    fn table_with_headers_is_aligned_like_tabwriter() {
        let out = render_rows(
            r"table {{.ID}}\t{{.Name}}",
            &json!({"ID": "IMAGE ID"}),
            &rows(),
        )
        .unwrap();
        assert_eq!(
            out,
            "IMAGE ID          NAME\nabc               web\n0123456789abcdef  db\n"
        );
    }

    #[test]
    fn table_headers_derived_and_overridden() {
        let src = "table {{.ID}}\t{{.CreatedAt}}\t{{.Size}}\t{{.Name}}";
        let out = render_rows(src, &json!({"Name": "names"}), &rows()[..1]).unwrap();
        assert_eq!(
            out,
            "ID          CREATED AT  SIZE        NAMES\nabc         2 days ago  10          web\n"
        );
    }

    #[test]
    fn table_header_tolerates_functions_and_chains() {
        let src = r#"table {{join .Names ","}}\t{{.Labels.app}}\t{{range .Names}}{{.}}{{end}}\t{{truncate .ID 3}}|"#;
        let out = render_rows(src, &json!({}), &[]).unwrap();
        assert_eq!(out, "NAMES       LABELS      NAMES       ID|\n");
    }

    #[test]
    fn table_without_rows_prints_header_only() {
        let out = render_rows("table {{.ID}}", &json!({"ID": "CONTAINER ID"}), &[]).unwrap();
        assert_eq!(out, "CONTAINER ID\n");
    }

    #[test]
    fn plain_templates_one_line_per_row() {
        assert_eq!(
            render_rows("{{.ID}}", &json!({}), &rows()).unwrap(),
            "abc\n0123456789abcdef\n"
        );
        assert_eq!(
            render_rows(r"{{.Name}}\n", &json!({}), &rows()).unwrap(),
            "web\ndb\n"
        );
        // Podman's writer aligns tabs in plain formats too, and prints no header.
        assert_eq!(
            render_rows(r"{{.Name}}\t{{.Size}}", &json!({}), &rows()).unwrap(),
            "web         10\ndb          2000\n"
        );
        assert_eq!(
            render_rows("{{.Nope}}", &json!({}), &rows()[..1]).unwrap(),
            "<no value>\n"
        );
    }

    #[test]
    fn json_formats() {
        for f in ["json", " JSON ", "{{json .}}", "{{ json }}", "{{json.}}"] {
            assert!(is_json(f), "{f}");
        }
        for f in ["{{json .ID}}", "jsonx", "table json", "{{.}}"] {
            assert!(!is_json(f), "{f}");
        }
        let out = render_rows("json", &json!({}), &[json!({"a": 1, "b": [true]})]).unwrap();
        assert_eq!(
            out,
            "[\n    {\n        \"a\": 1,\n        \"b\": [\n            true\n        ]\n    }\n]\n"
        );
        assert_eq!(render_json(&[]), "[]\n");
    }

    #[test]
    fn table_prefix() {
        assert_eq!(strip_table("table"), Some(""));
        assert_eq!(strip_table("table {{.ID}}"), Some("{{.ID}}"));
        assert_eq!(strip_table("table\t{{.ID}}"), Some("{{.ID}}"));
        assert_eq!(strip_table(r"table\t{{.ID}}"), Some("{{.ID}}"));
        assert_eq!(strip_table("tablet"), None);
        assert_eq!(strip_table("{{.ID}}"), None);
        assert!(is_table(" table {{.ID}}"));
        assert_eq!(resolve_format("table", "table {{.ID}}"), "table {{.ID}}");
        assert_eq!(resolve_format("", "table {{.ID}}"), "table {{.ID}}");
        assert_eq!(resolve_format("{{.Name}}", "table {{.ID}}"), "{{.Name}}");
        assert!(render_rows("table", &json!({}), &[]).is_err());
    }

    #[test]
    fn header_names() {
        for (name, want) in [
            ("ID", "ID"),
            ("CreatedAt", "CREATED AT"),
            ("ImageID", "IMAGE ID"),
            ("HTTPServer", "HTTP SERVER"),
            ("RunningFor", "RUNNING FOR"),
            ("Port8080", "PORT 8080"),
            ("names", "NAMES"),
            ("", ""),
        ] {
            assert_eq!(header_for_field(name), want, "{name}");
        }
    }

    #[test]
    fn tabwriter_semantics() {
        // Text after the last tab is not padded; no trailing newline is invented.
        assert_eq!(tabwrite("a\tb"), "a           b");
        assert_eq!(tabwrite("a\tb\t\n"), "a           b           \n");
        // A line without tabs ends the column block above it.
        assert_eq!(
            tabwrite("a\tb\tc\nx\n1234567890123\t2\n"),
            "a           b           c\nx\n1234567890123  2\n"
        );
        // Minimum width 12 includes the padding of 2; widths count characters, not bytes.
        assert_eq!(
            tabwrite("1234567890\tx\néé\ty"),
            "1234567890  x\néé          y"
        );
        assert_eq!(tabwrite("12345678901\tx"), "12345678901  x");
        assert_eq!(tabwrite(""), "");
        // Columns to the right form their own blocks.
        assert_eq!(
            tabwrite("a\tb\nc\td\te\n"),
            "a           b\nc           d           e\n"
        );
    }

    #[test]
    fn template_errors_propagate() {
        let e = render_rows("{{.ID", &json!({}), &rows())
            .unwrap_err()
            .to_string();
        assert_eq!(e, "template: :1: unclosed action");
        let e = render_rows("{{.ID.X}}", &json!({}), &rows())
            .unwrap_err()
            .to_string();
        assert!(e.contains("can't evaluate field X"), "{e}");
    }
}
