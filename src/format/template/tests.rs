//! End-to-end template tests; expected outputs are what Go's text/template prints.

use super::*;
use serde_json::json;

fn data() -> Value {
    json!({
        "ID": "sha256abcdef0123456789",
        "Name": "web",
        "Names": ["web", "frontend"],
        "Size": 5830000,
        "Ratio": 0.5,
        "Running": true,
        "Empty": "",
        "Zero": 0,
        "None": null,
        "List": [],
        "Labels": {"app": "nginx", "tier": "front", "com.example.x": "dotted"},
        "Ports": [{"Host": 8080, "Ctr": 80}, {"Host": 8443, "Ctr": 443}],
        "Config": {"Env": ["A=1", "B=2"], "Cmd": {"Args": ["sh", "-c"]}},
        "State": "running"
    })
}

fn r(src: &str) -> String {
    match Template::parse(src).and_then(|t| t.render(&data())) {
        Ok(s) => s,
        Err(e) => panic!("{src}: {e:#}"),
    }
}

fn err(src: &str) -> String {
    match Template::parse(src).and_then(|t| t.render(&data())) {
        Ok(s) => panic!("{src}: expected an error, got {s:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn fields_and_text() {
    assert_eq!(r("plain"), "plain");
    assert_eq!(r(""), "");
    assert_eq!(r("{{.Name}}:{{.Size}}"), "web:5830000");
    assert_eq!(r("{{.Config.Cmd.Args}}"), "[sh -c]");
    assert_eq!(r("{{.Labels.app}}"), "nginx");
    assert_eq!(
        r("{{.Missing}}|{{.Labels.nope}}|{{.None}}|{{.Missing.Deeper}}"),
        "<no value>|<no value>|<no value>|<no value>"
    );
    assert_eq!(r("{{.Ratio}} {{.Running}} {{.List}}"), "0.5 true []");
    assert_eq!(
        r("{{.Labels}}"),
        "map[app:nginx com.example.x:dotted tier:front]"
    );
    assert_eq!(
        r("{{.Ports}}"),
        "[map[Ctr:80 Host:8080] map[Ctr:443 Host:8443]]"
    );
    assert_eq!(r("{{ .Name }}"), "web");
    assert_eq!(r("{{\n.Name\n}}"), "web");
}

#[test]
fn dot_on_scalars_and_arrays() {
    let t = Template::parse("{{.}}").unwrap();
    assert_eq!(t.render(&json!("x")).unwrap(), "x");
    assert_eq!(t.render(&json!(3)).unwrap(), "3");
    assert_eq!(t.render(&json!(null)).unwrap(), "<no value>");
    assert_eq!(t.render(&json!([1, [2, 3]])).unwrap(), "[1 [2 3]]");
}

#[test]
fn trim_markers_and_comments() {
    assert_eq!(r("a   {{- .Name -}}   b"), "awebb");
    assert_eq!(r("a\n\t{{- .Name}}\n"), "aweb\n");
    assert_eq!(r("x {{/* note */}} y"), "x  y");
    assert_eq!(r("x {{- /* note */ -}} y"), "xy");
    assert_eq!(r("{{-3}}"), "-3");
}

#[test]
fn literals() {
    assert_eq!(
        r(r#"{{"a\tb"}}|{{`raw\n`}}|{{'a'}}|{{1.50}}|{{0x10}}|{{true}}|{{-7}}"#),
        "a\tb|raw\\n|97|1.5|16|true|-7"
    );
}

#[test]
fn variables() {
    assert_eq!(r("{{$x := .Name}}{{$x}}-{{$x}}"), "web-web");
    assert_eq!(r("{{$x := 1}}{{$x = 2}}{{$x}}"), "2");
    assert_eq!(r("{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}"), "2");
    assert_eq!(
        r("{{$x := 1}}{{if true}}{{$x := 3}}{{$x}}{{end}}{{$x}}"),
        "31"
    );
    assert_eq!(r("{{with .Labels}}{{$.Name}}/{{.app}}{{end}}"), "web/nginx");
    assert_eq!(r("{{$.Labels.tier}}"), "front");
    assert_eq!(r("{{$c := .Config}}{{$c.Cmd.Args}}"), "[sh -c]");
    assert!(err("{{if true}}{{$y := 1}}{{end}}{{$y}}").contains("undefined variable \"$y\""));
    assert!(err("{{$z = 1}}").contains("undefined variable"));
}

#[test]
fn conditionals() {
    assert_eq!(r("{{if .Running}}up{{else}}down{{end}}"), "up");
    assert_eq!(
        r("{{if .Empty}}a{{else if .Zero}}b{{else if .List}}c{{else}}d{{end}}"),
        "d"
    );
    assert_eq!(r("{{if .None}}a{{else if .Labels}}b{{end}}"), "b");
    assert_eq!(
        r("{{if eq .State \"running\" \"paused\"}}live{{end}}"),
        "live"
    );
    assert_eq!(r("{{if and .Running (gt .Size 100)}}big{{end}}"), "big");
    assert_eq!(r("{{if or .Empty .Zero}}x{{else}}y{{end}}"), "y");
    assert_eq!(r("{{if not .Empty}}ok{{end}}"), "ok");
    assert_eq!(r("{{with .Missing}}x{{else}}none{{end}}"), "none");
    assert_eq!(r("{{with .Config.Cmd}}{{.Args}}{{end}}"), "[sh -c]");
    assert_eq!(r("{{with $v := .Name}}{{$v}}{{.}}{{end}}"), "webweb");
    assert_eq!(r("{{with .Empty}}a{{else with .Name}}{{.}}{{end}}"), "web");
    assert_eq!(r("{{if $x := .Name}}{{$x}}{{end}}"), "web");
}

#[test]
fn and_or_values_and_short_circuit() {
    assert_eq!(
        r("{{and 1 0 2}}|{{and 1 2}}|{{or 0 \"\" .Name}}|{{or 0 \"\"}}"),
        "0|2|web|"
    );
    // The index error on the right is never evaluated.
    assert_eq!(r("{{or .Name (index .List 5)}}"), "web");
    assert_eq!(r("{{and .Empty (index .List 5)}}"), "");
    assert_eq!(r("{{.Name | and true}}"), "web");
}

#[test]
fn ranges() {
    assert_eq!(r("{{range .Names}}[{{.}}]{{end}}"), "[web][frontend]");
    assert_eq!(
        r("{{range $i, $n := .Names}}{{$i}}={{$n}} {{end}}"),
        "0=web 1=frontend "
    );
    assert_eq!(r("{{range $n := .Names}}{{$n}},{{end}}"), "web,frontend,");
    assert_eq!(
        r("{{range $k, $v := .Labels}}{{$k}}={{$v}};{{end}}"),
        "app=nginx;com.example.x=dotted;tier=front;"
    );
    assert_eq!(r("{{range .List}}x{{else}}empty{{end}}"), "empty");
    assert_eq!(r("{{range .None}}x{{else}}nil{{end}}"), "nil");
    assert_eq!(
        r("{{range .Ports}}{{.Host}}->{{.Ctr}} {{end}}"),
        "8080->80 8443->443 "
    );
    assert_eq!(r("{{range 3}}{{.}}{{end}}"), "012");
    assert_eq!(
        r("{{range .Names}}{{if eq . \"web\"}}{{continue}}{{end}}{{.}}{{end}}"),
        "frontend"
    );
    assert_eq!(r("{{range .Names}}{{.}}{{break}}{{end}}"), "web");
    assert_eq!(
        r("{{range .Names}}{{range $.Names}}{{.}}{{end}};{{end}}"),
        "webfrontend;webfrontend;"
    );
    assert_eq!(r("{{range $i, $e := .Names}}{{end}}{{$.Name}}"), "web");
    assert!(err("{{range .Name}}{{end}}").contains("range can't iterate over web"));
    assert!(err("{{range 100000000000}}{{end}}").contains("too large"));
}

#[test]
fn pipelines_and_parens() {
    assert_eq!(r("{{.Name | upper}}"), "WEB");
    assert_eq!(r("{{.Name | printf \"%s-%s\" \"x\"}}"), "x-web");
    assert_eq!(r("{{.ID | printf \"%.6s\" | upper}}"), "SHA256");
    // Like Go, the piped value is the last argument: truncate(12, .ID) is a type error.
    assert!(err("{{.ID | truncate 12}}").contains("expected integer"));
    assert_eq!(r("{{(index .Ports 1).Host}}"), "8443");
    assert_eq!(r("{{len (split \"a,b,c\" \",\")}}"), "3");
    assert_eq!(r("{{$x := .Names | len}}{{$x}}"), "2");
}

#[test]
fn builtin_functions() {
    assert_eq!(r("{{len .Names}} {{len .Labels}} {{len .Name}}"), "2 3 3");
    assert_eq!(r(r#"{{index .Labels "com.example.x"}}"#), "dotted");
    assert_eq!(r(r#"{{index .Config "Cmd" "Args" 1}}"#), "-c");
    assert_eq!(r(r#"{{index .Labels "nope"}}"#), "<no value>");
    assert_eq!(r("{{index .Names 0}}"), "web");
    assert_eq!(r("{{slice .Name 1}}|{{slice .Names 0 1}}"), "eb|[web]");
    assert_eq!(
        r("{{print .Name 1 2 \"x\"}}|{{println .Name 1}}"),
        "web1 2x|web 1\n"
    );
    assert_eq!(
        r("{{printf \"%-8s|%5d|%v|%q|%t|%x\" .Name .Zero .Names .Name .Running 255}}"),
        "web     |    0|[web frontend]|\"web\"|true|ff"
    );
    assert_eq!(r("{{printf \"%.1f%%\" .Ratio}}"), "0.5%");
    assert_eq!(r("{{printf \"%v\" .Missing}}"), "<nil>");
    assert_eq!(
        r("{{eq .Size 5830000}} {{ne .Name \"db\"}} {{lt 1 2}} {{le 2 2}} {{gt 1 2}} {{ge 1 2}}"),
        "true true true true false false"
    );
}

#[test]
fn podman_functions() {
    // Objects keep their key order (serde_json preserve_order): Podman's rows are Go structs,
    // printed in field order; label maps come from configs Go already wrote sorted.
    assert_eq!(
        r("{{json .Labels}}"),
        r#"{"app":"nginx","tier":"front","com.example.x":"dotted"}"#
    );
    assert_eq!(
        r("{{json .Names}} {{json .Name}} {{json .None}}"),
        r#"["web","frontend"] "web" null"#
    );
    assert_eq!(r(r#"{{json "<&>"}}"#), r#""<&>""#);
    assert_eq!(
        r("{{lower \"AbC\"}} {{upper .Name}} {{title \"hello world\"}}"),
        "abc WEB Hello World"
    );
    assert_eq!(
        r("{{join .Names \",\"}}|{{join .Config.Env \" \"}}"),
        "web,frontend|A=1 B=2"
    );
    assert_eq!(r("{{split \"a:b\" \":\"}}"), "[a b]");
    assert_eq!(r("{{truncate .ID 12}}"), "sha256abcdef");
    assert_eq!(r("{{truncate .Name 12}}"), "web");
    assert_eq!(
        r("{{contains .Name \"e\"}} {{contains .Name \"z\"}}"),
        "true false"
    );
    assert_eq!(r("{{replace .Name \"w\" \"W\"}}"), "Web");
    assert_eq!(r("{{pad .Name 2 1}}|"), "  web |");
}

#[test]
fn unescape() {
    assert_eq!(
        unescape_format(r"{{.ID}}\t{{.Name}}\n"),
        "{{.ID}}\t{{.Name}}\n"
    );
    assert_eq!(unescape_format("no escapes"), "no escapes");
}

#[test]
fn execution_errors_are_go_like() {
    assert_eq!(
        err("{{.Name.Foo}}"),
        "template: :1: executing \"\" at <.Name.Foo>: can't evaluate field Foo in type string"
    );
    assert!(err("{{index .Names 9}}").contains("index out of range: 9"));
    assert!(err("{{len .Size}}").contains("len of type int"));
    assert!(err("{{.Name 1}}").contains("can't give argument to non-function"));
    assert!(err("{{eq .Name 1}}").contains("incompatible types for comparison"));
    assert!(err("{{truncate .Name}}").contains("wrong number of args for truncate"));
    assert!(err("{{nil}}").contains("nil is not a command"));
    assert!(err("line1\n{{.Name.X}}").starts_with("template: :2:"));
}

#[test]
fn parse_errors_are_one_line() {
    for (src, want) in [
        ("{{foo}}", "template: :1: function \"foo\" not defined"),
        ("{{.Name", "template: :1: unclosed action"),
        ("{{if}}{{end}}", "template: :1: missing value for command"),
        ("a\n{{end}}", "template: :2: unexpected {{end}}"),
    ] {
        assert_eq!(err(src), want);
    }
}

/// Hostile inputs must give an error (or output), never a panic.
#[test]
fn adversarial_inputs_never_panic() {
    let inputs = [
        "{{",
        "}}",
        "{{}}",
        "{{{{",
        "{{ }}",
        "{{-}}",
        "{{- -}}",
        "{{.}",
        "{{..}}",
        "{{.A.}}",
        "{{$}}",
        "{{$ := 1}}",
        "{{:=}}",
        "{{= 1}}",
        "{{|}}",
        "{{.A|}}",
        "{{|.A}}",
        "{{((}}",
        "{{())}}",
        "{{()}}",
        "{{\"}}",
        "{{`}}",
        "{{'}}",
        "{{''}}",
        "{{'\\q'}}",
        "{{\"\\x\"}}",
        "{{\"\\u12\"}}",
        "{{1e}}",
        "{{0x}}",
        "{{--1}}",
        "{{1..2}}",
        "{{else}}",
        "{{end}}{{end}}",
        "{{if 1}}{{else}}",
        "{{range}}",
        "{{range $a, $b, $c := .}}{{end}}",
        "{{with}}{{end}}",
        "{{if 1}}{{else if}}{{end}}",
        "{{define \"x\"}}{{end}}",
        "{{/*",
        "{{/* */",
        "{{/* */ x}}",
        "\u{ff}{{é}}",
        "{{.é}}{{$é := 1}}{{$é}}",
        "{{printf}}",
        "{{printf \"%*d\" 1 2}}",
        "{{printf 1}}",
        "{{index}}",
        "{{index . nil}}",
        "{{slice . 1 2 3}}",
        "{{json}}",
        "{{join . . .}}",
        "{{split 1 2}}",
        "{{truncate . -5}}",
        "{{pad . -1 99999999999}}",
        "{{len}}",
        "{{not}}",
        "{{and}}",
        "{{or}}",
        "{{eq}}",
        "{{lt nil nil}}",
        "{{break}}",
        "{{range 3}}{{break 1}}{{end}}",
        "{{true.A}}",
        "{{nil.A}}",
        "{{(1).A}}",
        "{{$.A.B.C.D}}",
        "{{.Names.X}}",
        "{{printf \"%d %s %v %q %x %e %c %U\" . . . . . . . .}}",
    ];
    for src in inputs {
        let _ = Template::parse(src).and_then(|t| t.render(&data()));
        let _ = Template::parse(src).and_then(|t| t.render(&json!(null)));
        let _ = Template::parse(src).and_then(|t| t.render(&json!([1, "x"])));
    }
}

#[test]
fn field_names_are_collected() {
    let t =
        Template::parse("{{.ID}} {{if .A}}{{$.B.C}}{{end}} {{(index .D 1).E}} {{.ID}}").unwrap();
    assert_eq!(t.field_names(), ["ID", "A", "B", "C", "D", "E"]);
}

/// Random concatenations of template fragments (a fixed-seed LCG, so failures reproduce).
#[test]
fn fuzzed_fragments_never_panic() {
    const PIECES: &[&str] = &[
        "{{",
        "}}",
        "{{- ",
        " -}}",
        ".A",
        ".Names",
        "$x",
        "$",
        ":=",
        "=",
        "|",
        "(",
        ")",
        "\"",
        "`",
        "'",
        "if ",
        "else ",
        "end",
        "range ",
        "with ",
        "break",
        "1",
        "-",
        "eq ",
        ",",
        "/*",
        "*/",
        " ",
        "printf ",
        "\"%-5d%s\"",
        "index ",
        ".",
        "len ",
        "and ",
        "or ",
        "\n",
        "x",
        "é",
        "$i, $e := ",
        "0x",
        "e9",
    ];
    let mut seed: u64 = 0x5eed;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    let data = json!({"A": 1, "Names": ["a", "b"]});
    for _ in 0..20_000 {
        let len = next() % 16;
        let src: String = (0..len).map(|_| PIECES[next() % PIECES.len()]).collect();
        if let Ok(t) = Template::parse(&src) {
            let _ = t.render(&data);
        }
    }
}
