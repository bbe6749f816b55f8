//! Go's `fmt` as templates see it: `%v` printing of JSON values (`[a b]`, `map[k:v]`, Go float
//! formatting), `Sprint`/`Sprintln`, and `Sprintf` with the common verbs, flags and widths.

use serde_json::{Number, Value};

/// `%v` of a value as Go prints an `interface{}` holding it; JSON null is Go's `<nil>`.
pub(crate) fn value_string(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v);
    out
}

fn write_value(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("<nil>"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number_string(n)),
        Value::String(s) => out.push_str(s),
        Value::Array(a) => {
            out.push('[');
            for (i, e) in a.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_value(out, e);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push_str("map[");
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(k);
                out.push(':');
                write_value(out, &m[k]);
            }
            out.push(']');
        }
    }
}

fn number_string(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    float_g(n.as_f64().unwrap_or(0.0), None)
}

/// Go's type name for a value, as it appears in `%!d(string=x)` diagnostics.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

/// `fmt.Sprint`: spaces only between operands when neither side is a string.
pub(crate) fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 && !a.is_string() && !args[i - 1].is_string() {
            out.push(' ');
        }
        write_value(&mut out, a);
    }
    out
}

/// `fmt.Sprintln`: always spaces, then a newline.
pub(crate) fn sprintln(args: &[Value]) -> String {
    let parts: Vec<String> = args.iter().map(value_string).collect();
    parts.join(" ") + "\n"
}

/// Decimal digits and decimal-point position of |f|, like Go's strconv decimal:
/// value = 0.d1d2d3... * 10^dp. `prec` is the number of significant digits (None = shortest).
fn decimal_digits(f: f64, prec: Option<usize>) -> (Vec<u8>, i32) {
    let s = match prec {
        Some(p) => format!("{:.*e}", p.saturating_sub(1), f.abs()),
        None => format!("{:e}", f.abs()),
    };
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
    }
    if digits == [b'0'] {
        return (Vec::new(), 0);
    }
    (digits, exp + 1)
}

fn fmt_e(neg: bool, digits: &[u8], dp: i32, prec: usize, upper: bool) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push(digits.first().map_or('0', |&d| d as char));
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            out.push(digits.get(i).map_or('0', |&d| d as char));
        }
    }
    let exp = if digits.is_empty() { 0 } else { dp - 1 };
    out.push(if upper { 'E' } else { 'e' });
    out.push(if exp < 0 { '-' } else { '+' });
    out.push_str(&format!("{:02}", exp.abs()));
    out
}

fn fmt_f(neg: bool, digits: &[u8], dp: i32, prec: usize) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if dp > 0 {
        for i in 0..dp as usize {
            out.push(digits.get(i).map_or('0', |&d| d as char));
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 0..prec as i64 {
            let idx = i64::from(dp) + i;
            let d = usize::try_from(idx).ok().and_then(|j| digits.get(j));
            out.push(d.map_or('0', |&d| d as char));
        }
    }
    out
}

/// Go's `%g`/`%.Ng` (strconv.FormatFloat with 'g'); `prec` None means shortest (`%v`).
pub(crate) fn float_g(f: f64, prec: Option<usize>) -> String {
    if let Some(s) = special_float(f) {
        return s;
    }
    let neg = f.is_sign_negative() && f != 0.0;
    let prec = prec.map(|p| p.max(1));
    let (digits, dp) = decimal_digits(f, prec);
    let nd = digits.len() as i32;
    let mut p = prec.map_or(nd, |p| p as i32);
    let mut eprec = p;
    if eprec > nd && nd >= dp {
        eprec = nd;
    }
    if prec.is_none() {
        eprec = 6;
    }
    let exp = dp - 1;
    if !digits.is_empty() && (exp < -4 || exp >= eprec) {
        if p > nd {
            p = nd;
        }
        return fmt_e(neg, &digits, dp, (p - 1).max(0) as usize, false);
    }
    if p > dp {
        p = nd;
    }
    fmt_f(neg, &digits, dp, (p - dp).max(0) as usize)
}

fn special_float(f: f64) -> Option<String> {
    if f.is_nan() {
        Some("NaN".into())
    } else if f.is_infinite() {
        Some(if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        })
    } else {
        None
    }
}

#[derive(Default, Clone, Copy)]
struct Spec {
    minus: bool,
    plus: bool,
    zero: bool,
    space: bool,
    sharp: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

/// `fmt.Sprintf` with Go's verbs s v q d t x X o b c e E f F g G and Go's error notations
/// (`%!d(string=x)`, `%!s(MISSING)`, `%!(EXTRA ...)`).
pub(crate) fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut argi = 0;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&f) = chars.peek() {
            match f {
                '-' => spec.minus = true,
                '+' => spec.plus = true,
                '0' => spec.zero = true,
                ' ' => spec.space = true,
                '#' => spec.sharp = true,
                _ => break,
            }
            chars.next();
        }
        spec.width = read_num(&mut chars);
        if chars.peek() == Some(&'.') {
            chars.next();
            spec.prec = Some(read_num(&mut chars).unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(argi) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        argi += 1;
        out.push_str(&format_arg(verb, spec, arg));
    }
    if argi < args.len() {
        let extra: Vec<String> = args[argi..]
            .iter()
            .map(|a| format!("{}={}", type_name(a), value_string(a)))
            .collect();
        out.push_str(&format!("%!(EXTRA {})", extra.join(", ")));
    }
    out
}

fn read_num(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<usize> {
    let mut n: Option<usize> = None;
    while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
        // Clamp absurd widths so `%99999999999d` cannot allocate gigabytes.
        n = Some((n.unwrap_or(0) * 10 + d as usize).min(10_000));
        chars.next();
    }
    n
}

fn bad_verb(verb: char, arg: &Value) -> String {
    format!("%!{verb}({}={})", type_name(arg), value_string(arg))
}

fn as_int(v: &Value) -> Option<i128> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from)),
        _ => None,
    }
}

fn format_arg(verb: char, spec: Spec, arg: &Value) -> String {
    match verb {
        'v' => {
            let s = match arg {
                Value::String(s) if spec.sharp => quote(s),
                Value::Number(n) if n.is_f64() => {
                    sign_float(float_g(n.as_f64().unwrap_or(0.0), None), spec)
                }
                Value::Number(_) => int_string(as_int(arg).unwrap_or(0), 10, false, spec),
                _ => value_string(arg),
            };
            pad(s, spec, arg.is_number())
        }
        's' => {
            let mut s = value_string(arg);
            if let Some(p) = spec.prec {
                s = s.chars().take(p).collect();
            }
            pad(s, spec, false)
        }
        'q' => match (arg, as_int(arg)) {
            (Value::String(s), _) => pad(quote(s), spec, false),
            (_, Some(i)) => {
                let c = u32::try_from(i)
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('\u{fffd}');
                pad(format!("'{c}'"), spec, false)
            }
            _ => bad_verb(verb, arg),
        },
        't' => match arg {
            Value::Bool(b) => pad(b.to_string(), spec, false),
            _ => bad_verb(verb, arg),
        },
        'd' | 'o' | 'b' | 'x' | 'X' | 'c' => format_integer_verb(verb, spec, arg),
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => match arg {
            Value::Number(n) => {
                let f = n.as_f64().unwrap_or(0.0);
                pad(sign_float(float_verb(verb, f, spec.prec), spec), spec, true)
            }
            _ => bad_verb(verb, arg),
        },
        _ => bad_verb(verb, arg),
    }
}

fn format_integer_verb(verb: char, spec: Spec, arg: &Value) -> String {
    if let (Value::String(s), 'x' | 'X') = (arg, verb) {
        let hex: String = s.bytes().map(|b| format!("{b:02x}")).collect();
        let hex = if verb == 'X' { hex.to_uppercase() } else { hex };
        return pad(hex, spec, false);
    }
    let Some(i) = as_int(arg) else {
        return bad_verb(verb, arg);
    };
    let s = match verb {
        'c' => u32::try_from(i)
            .ok()
            .and_then(char::from_u32)
            .unwrap_or('\u{fffd}')
            .to_string(),
        'o' => int_string(i, 8, false, spec),
        'b' => int_string(i, 2, false, spec),
        'x' => int_string(i, 16, false, spec),
        'X' => int_string(i, 16, true, spec),
        _ => int_string(i, 10, false, spec),
    };
    pad(s, spec, verb != 'c')
}

fn int_string(i: i128, radix: u32, upper: bool, spec: Spec) -> String {
    let mut digits = match radix {
        2 => format!("{:b}", i.unsigned_abs()),
        8 => format!("{:o}", i.unsigned_abs()),
        16 if upper => format!("{:X}", i.unsigned_abs()),
        16 => format!("{:x}", i.unsigned_abs()),
        _ => i.unsigned_abs().to_string(),
    };
    if let Some(p) = spec.prec
        && digits.len() < p
    {
        digits = "0".repeat(p - digits.len()) + &digits;
    }
    if spec.sharp {
        match radix {
            16 if upper => digits.insert_str(0, "0X"),
            16 => digits.insert_str(0, "0x"),
            8 => digits.insert(0, '0'),
            2 => digits.insert_str(0, "0b"),
            _ => {}
        }
    }
    if i < 0 {
        digits.insert(0, '-');
    } else if spec.plus {
        digits.insert(0, '+');
    } else if spec.space {
        digits.insert(0, ' ');
    }
    digits
}

fn sign_float(s: String, spec: Spec) -> String {
    if s.starts_with('-') || s.starts_with('+') {
        return s;
    }
    if spec.plus {
        return format!("+{s}");
    }
    if spec.space {
        return format!(" {s}");
    }
    s
}

fn float_verb(verb: char, f: f64, prec: Option<usize>) -> String {
    if let Some(s) = special_float(f) {
        return s;
    }
    let neg = f.is_sign_negative() && f != 0.0;
    match verb {
        'e' | 'E' => {
            let p = prec.unwrap_or(6);
            let (digits, dp) = decimal_digits(f, Some(p + 1));
            fmt_e(neg, &digits, dp, p, verb == 'E')
        }
        'f' | 'F' => {
            let s = format!("{:.*}", prec.unwrap_or(6), f.abs());
            if neg { format!("-{s}") } else { s }
        }
        'G' => float_g(f, prec).to_uppercase(),
        _ => float_g(f, prec),
    }
}

/// Pads to the width (in runes, like Go); zero padding goes after any sign for numbers.
fn pad(s: String, spec: Spec, numeric: bool) -> String {
    let Some(width) = spec.width else { return s };
    let len = s.chars().count();
    if len >= width {
        return s;
    }
    let fill = width - len;
    if spec.minus {
        return s + &" ".repeat(fill);
    }
    if spec.zero {
        if numeric && (s.starts_with('-') || s.starts_with('+') || s.starts_with(' ')) {
            let (sign, rest) = s.split_at(1);
            return format!("{sign}{}{rest}", "0".repeat(fill));
        }
        return "0".repeat(fill) + &s;
    }
    " ".repeat(fill) + &s
}

/// Go's strconv.Quote.
pub(crate) fn quote(s: &str) -> String {
    crate::format::go_quote(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_print_like_go() {
        assert_eq!(
            value_string(&json!([1, "a", true, null])),
            "[1 a true <nil>]"
        );
        assert_eq!(
            value_string(&json!({"b": 1, "a": {"x": [2]}})),
            "map[a:map[x:[2]] b:1]"
        );
        assert_eq!(value_string(&json!(1.5)), "1.5");
        assert_eq!(value_string(&json!(1e6)), "1e+06");
        assert_eq!(value_string(&json!(123456.0)), "123456");
        assert_eq!(value_string(&json!(0.0001)), "0.0001");
        assert_eq!(value_string(&json!(0.00001)), "1e-05");
        assert_eq!(value_string(&json!(u64::MAX)), "18446744073709551615");
    }

    #[test]
    fn float_g_precision() {
        assert_eq!(float_g(5.83, Some(3)), "5.83");
        assert_eq!(float_g(1.0, Some(3)), "1");
        assert_eq!(float_g(12.345678, Some(3)), "12.3");
        assert_eq!(float_g(999.0, Some(3)), "999");
        assert_eq!(float_g(999.999, Some(3)), "1e+03");
        assert_eq!(float_g(0.0, Some(3)), "0");
        assert_eq!(float_g(-2.5, Some(3)), "-2.5");
        assert_eq!(float_g(100.0, Some(3)), "100");
    }

    #[test]
    fn sprint_spacing() {
        assert_eq!(
            sprint(&[json!("a"), json!(1), json!(2), json!("b")]),
            "a1 2b"
        );
        assert_eq!(sprintln(&[json!("a"), json!(1)]), "a 1\n");
    }

    #[test]
    fn sprintf_verbs() {
        let cases: Vec<(&str, Vec<Value>, &str)> = vec![
            (
                "%s|%d|%v|%t",
                vec![json!("x"), json!(42), json!([1, 2]), json!(true)],
                "x|42|[1 2]|true",
            ),
            (
                "%-6s|%6s|",
                vec![json!("ab"), json!("cd")],
                "ab    |    cd|",
            ),
            (
                "%5d|%-5d|%05d|%+d",
                vec![json!(42), json!(42), json!(-42), json!(7)],
                "   42|42   |-0042|+7",
            ),
            (
                "%x %X %#x %o %b",
                vec![json!(255), json!(255), json!(255), json!(8), json!(5)],
                "ff FF 0xff 10 101",
            ),
            ("%x", vec![json!("hi")], "6869"),
            ("%q", vec![json!("a\"b\n")], "\"a\\\"b\\n\""),
            (
                "%.2f %e %g %.3g",
                vec![json!(1.23456), json!(1234.5), json!(0.5), json!(2.0 / 3.0)],
                "1.23 1.234500e+03 0.5 0.667",
            ),
            ("%.2s|%c|%%", vec![json!("hello"), json!(65)], "he|A|%"),
            ("%d", vec![json!("x")], "%!d(string=x)"),
            ("%d %s", vec![json!(1)], "1 %!s(MISSING)"),
            ("%d", vec![json!(1), json!("z")], "1%!(EXTRA string=z)"),
            ("%z", vec![json!(1)], "%!z(int=1)"),
            ("%", vec![], "%!(NOVERB)"),
            (
                "%5.1f|%-8.3f|",
                vec![json!(2.25), json!(1.0)],
                "  2.2|1.000   |",
            ),
            ("%6v|", vec![json!(1.5)], "   1.5|"),
        ];
        for (f, args, want) in cases {
            assert_eq!(sprintf(f, &args), want, "{f}");
        }
    }

    #[test]
    fn huge_width_is_clamped() {
        assert_eq!(sprintf("%99999999999999999999d", &[json!(1)]).len(), 10_000);
    }
}
