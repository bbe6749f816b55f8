//! Template functions: Go's builtins (comparisons, `and`/`or`/`not`, `len`, `index`, `slice`,
//! `print*`) and Podman's extras (`json`, `lower`, `upper`, `title`, `join`, `split`,
//! `truncate`, `pad`) plus `contains` and `replace`.
//! The executor evaluates `and`/`or` lazily; the eager versions here serve other call sites.

use super::gofmt::{self, type_name, value_string};
use anyhow::{Result, bail};
use serde_json::Value;
use std::cmp::Ordering;

const NAMES: &[&str] = &[
    "and", "or", "not", "eq", "ne", "lt", "le", "gt", "ge", "len", "index", "slice", "print",
    "printf", "println", "json", "lower", "upper", "title", "join", "split", "truncate", "pad",
    "contains", "replace",
];

pub(crate) fn exists(name: &str) -> bool {
    NAMES.contains(&name)
}

/// Go's truth: false, 0, "", null, empty arrays and maps are false.
pub(crate) fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
    }
}

fn want_args(name: &str, args: &[Value], n: usize) -> Result<()> {
    if args.len() != n {
        bail!(
            "wrong number of args for {name}: want {n} got {}",
            args.len()
        );
    }
    Ok(())
}

fn want_at_least(name: &str, args: &[Value], n: usize) -> Result<()> {
    if args.len() < n {
        bail!(
            "wrong number of args for {name}: want at least {n} got {}",
            args.len()
        );
    }
    Ok(())
}

/// Strings are used as is; other values as Go would print them, which keeps
/// `{{upper .Size}}` and friends useful instead of a type error.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => value_string(other),
    }
}

fn int_arg(name: &str, v: &Value) -> Result<i64> {
    match v {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                return Ok(i);
            }
            bail!("{name}: expected integer; found {}", value_string(v))
        }
        _ => bail!(
            "{name}: expected integer; found {} of type {}",
            value_string(v),
            type_name(v)
        ),
    }
}

pub(crate) fn call(name: &str, args: &[Value]) -> Result<Value> {
    Ok(match name {
        "and" | "or" => {
            want_at_least(name, args, 1)?;
            let stop = args.iter().find(|a| truthy(a) != (name == "and"));
            stop.or(args.last()).cloned().unwrap_or(Value::Null)
        }
        "not" => {
            want_args(name, args, 1)?;
            Value::Bool(!truthy(&args[0]))
        }
        "eq" => {
            want_at_least(name, args, 2)?;
            let mut any = false;
            for other in &args[1..] {
                any |= compare(&args[0], other)? == Some(Ordering::Equal);
            }
            Value::Bool(any)
        }
        "ne" => {
            want_args(name, args, 2)?;
            Value::Bool(compare(&args[0], &args[1])? != Some(Ordering::Equal))
        }
        "lt" | "le" | "gt" | "ge" => {
            want_args(name, args, 2)?;
            let ord = ordered(&args[0], &args[1])?;
            Value::Bool(match name {
                "lt" => ord == Ordering::Less,
                "le" => ord != Ordering::Greater,
                "gt" => ord == Ordering::Greater,
                _ => ord != Ordering::Less,
            })
        }
        "len" => {
            want_args(name, args, 1)?;
            Value::from(match &args[0] {
                Value::String(s) => s.len(),
                Value::Array(a) => a.len(),
                Value::Object(m) => m.len(),
                other => bail!("len of type {}", type_name(other)),
            })
        }
        "index" => {
            want_at_least(name, args, 1)?;
            index(&args[0], &args[1..])?
        }
        "slice" => {
            want_at_least(name, args, 1)?;
            slice(&args[0], &args[1..])?
        }
        "print" => Value::String(gofmt::sprint(args)),
        "println" => Value::String(gofmt::sprintln(args)),
        "printf" => {
            want_at_least(name, args, 1)?;
            Value::String(gofmt::sprintf(&text(&args[0]), &args[1..]))
        }
        "json" => {
            want_args(name, args, 1)?;
            Value::String(serde_json::to_string(&args[0])?)
        }
        "lower" => {
            want_args(name, args, 1)?;
            Value::String(text(&args[0]).to_lowercase())
        }
        "upper" => {
            want_args(name, args, 1)?;
            Value::String(text(&args[0]).to_uppercase())
        }
        "title" => {
            want_args(name, args, 1)?;
            Value::String(title(&text(&args[0])))
        }
        "join" => {
            want_args(name, args, 2)?;
            let sep = text(&args[1]);
            Value::String(match &args[0] {
                Value::Array(a) => a.iter().map(text).collect::<Vec<_>>().join(&sep),
                Value::Null => String::new(),
                other => text(other),
            })
        }
        "split" => {
            want_args(name, args, 2)?;
            Value::Array(split(&text(&args[0]), &text(&args[1])))
        }
        "truncate" => {
            want_args(name, args, 2)?;
            let n = usize::try_from(int_arg(name, &args[1])?).unwrap_or(0);
            Value::String(text(&args[0]).chars().take(n).collect())
        }
        "pad" => {
            want_args(name, args, 3)?;
            let s = text(&args[0]);
            if s.is_empty() {
                return Ok(Value::String(s));
            }
            let prefix = usize::try_from(int_arg(name, &args[1])?)
                .unwrap_or(0)
                .min(10_000);
            let suffix = usize::try_from(int_arg(name, &args[2])?)
                .unwrap_or(0)
                .min(10_000);
            Value::String(format!("{}{s}{}", " ".repeat(prefix), " ".repeat(suffix)))
        }
        "contains" => {
            want_args(name, args, 2)?;
            Value::Bool(text(&args[0]).contains(&text(&args[1])))
        }
        "replace" => {
            want_args(name, args, 3)?;
            let (s, old, new) = (text(&args[0]), text(&args[1]), text(&args[2]));
            Value::String(if old.is_empty() {
                s
            } else {
                s.replace(&old, &new)
            })
        }
        _ => bail!("function {name:?} not defined"),
    })
}

/// Equality as Go's `eq`: numbers compare by value, null only equals null, and
/// values of different basic kinds are an error. Returns None for "not equal".
fn compare(a: &Value, b: &Value) -> Result<Option<Ordering>> {
    match (a, b) {
        (Value::Null, _) | (_, Value::Null) => {
            Ok((a.is_null() && b.is_null()).then_some(Ordering::Equal))
        }
        (Value::Array(_) | Value::Object(_), _) | (_, Value::Array(_) | Value::Object(_)) => {
            bail!(
                "non-comparable type {}",
                type_name(if a.is_array() || a.is_object() { a } else { b })
            )
        }
        (Value::Bool(x), Value::Bool(y)) => Ok(Some(x.cmp(y))),
        _ => ordered(a, b).map(Some),
    }
}

fn ordered(a: &Value, b: &Value) -> Result<Ordering> {
    match (a, b) {
        (Value::String(x), Value::String(y)) => Ok(x.cmp(y)),
        (Value::Number(x), Value::Number(y)) => {
            if let (Some(x), Some(y)) = (x.as_i64(), y.as_i64()) {
                return Ok(x.cmp(&y));
            }
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            Ok(x.partial_cmp(&y).unwrap_or(Ordering::Equal))
        }
        (Value::Bool(_), Value::Bool(_)) | (Value::Null, _) | (_, Value::Null) => {
            bail!("invalid type for comparison")
        }
        (Value::Array(_) | Value::Object(_), _) | (_, Value::Array(_) | Value::Object(_)) => {
            bail!("invalid type for comparison")
        }
        _ => bail!("incompatible types for comparison"),
    }
}

fn index(item: &Value, keys: &[Value]) -> Result<Value> {
    let mut cur = item.clone();
    for key in keys {
        cur = match (&cur, key) {
            (Value::Object(m), Value::String(k)) => m.get(k).cloned().unwrap_or(Value::Null),
            (Value::Object(_), k) => bail!("cannot index map with key of type {}", type_name(k)),
            (Value::Array(a), k) => {
                let i = int_arg("index", k)?;
                let idx = usize::try_from(i).ok().filter(|&i| i < a.len());
                match idx {
                    Some(i) => a[i].clone(),
                    None => bail!("error calling index: index out of range: {i}"),
                }
            }
            (Value::String(s), k) => {
                let i = int_arg("index", k)?;
                match usize::try_from(i).ok().and_then(|i| s.as_bytes().get(i)) {
                    Some(&b) => Value::from(b),
                    None => bail!("error calling index: index out of range: {i}"),
                }
            }
            (Value::Null, _) => Value::Null,
            (other, _) => bail!(
                "error calling index: can't index item of type {}",
                type_name(other)
            ),
        };
    }
    Ok(cur)
}

fn slice(item: &Value, bounds: &[Value]) -> Result<Value> {
    if bounds.len() > 2 {
        bail!(
            "error calling slice: too many slice indexes: {}",
            bounds.len()
        );
    }
    let len = match item {
        Value::String(s) => s.len(),
        Value::Array(a) => a.len(),
        other => bail!(
            "error calling slice: can't slice item of type {}",
            type_name(other)
        ),
    };
    let mut idx = [0usize, len];
    for (i, b) in bounds.iter().enumerate() {
        let v = int_arg("slice", b)?;
        idx[i] = usize::try_from(v)
            .ok()
            .filter(|&v| v <= len)
            .ok_or_else(|| anyhow::anyhow!("error calling slice: index out of range: {v}"))?;
    }
    if idx[0] > idx[1] {
        bail!(
            "error calling slice: invalid slice index: {} > {}",
            idx[0],
            idx[1]
        );
    }
    Ok(match item {
        Value::String(s) => match s.get(idx[0]..idx[1]) {
            Some(sub) => Value::String(sub.to_string()),
            None => bail!("error calling slice: index not on a character boundary"),
        },
        Value::Array(a) => Value::Array(a[idx[0]..idx[1]].to_vec()),
        _ => Value::Null,
    })
}

/// Go's strings.Split: an empty separator splits into characters.
fn split(s: &str, sep: &str) -> Vec<Value> {
    if sep.is_empty() {
        return s.chars().map(|c| Value::String(c.to_string())).collect();
    }
    s.split(sep).map(|p| Value::String(p.to_string())).collect()
}

/// Go's (deprecated but Podman-used) strings.Title: upper-case letters that start words.
fn title(s: &str) -> String {
    let is_sep = |c: char| {
        if c.is_ascii() {
            return !(c.is_ascii_alphanumeric() || c == '_');
        }
        c.is_whitespace()
    };
    let mut prev = ' ';
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_sep(prev) {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev = c;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn c(name: &str, args: &[Value]) -> Value {
        call(name, args).unwrap()
    }

    #[test]
    fn comparisons() {
        assert_eq!(c("eq", &[json!(1), json!(2), json!(1)]), json!(true));
        assert_eq!(c("eq", &[json!("a"), json!("b")]), json!(false));
        assert_eq!(c("eq", &[json!(1), json!(1.0)]), json!(true));
        assert_eq!(c("eq", &[json!(null), json!("x")]), json!(false));
        assert_eq!(c("ne", &[json!(true), json!(false)]), json!(true));
        assert_eq!(c("lt", &[json!("a"), json!("b")]), json!(true));
        assert_eq!(c("ge", &[json!(2), json!(2)]), json!(true));
        assert_eq!(c("gt", &[json!(1.5), json!(2)]), json!(false));
        assert!(call("eq", &[json!(1), json!("1")]).is_err());
        assert!(call("lt", &[json!(true), json!(false)]).is_err());
        assert!(call("eq", &[json!([1]), json!([1])]).is_err());
        assert!(call("eq", &[json!(1)]).is_err());
    }

    #[test]
    fn eager_and_or() {
        assert_eq!(c("and", &[json!(1), json!(0), json!(2)]), json!(0));
        assert_eq!(c("or", &[json!(0), json!(""), json!("x")]), json!("x"));
        assert_eq!(c("or", &[json!(0), json!("")]), json!(""));
        assert!(call("and", &[]).is_err());
    }

    #[test]
    fn strings() {
        assert_eq!(
            c("title", &[json!("hello wORLD-foo_bar")]),
            json!("Hello WORLD-Foo_bar")
        );
        assert_eq!(c("join", &[json!(["a", "b"]), json!(",")]), json!("a,b"));
        assert_eq!(c("split", &[json!("a:b"), json!(":")]), json!(["a", "b"]));
        assert_eq!(c("truncate", &[json!("abcdef"), json!(3)]), json!("abc"));
        assert_eq!(c("truncate", &[json!("ab"), json!(3)]), json!("ab"));
        assert_eq!(c("pad", &[json!("x"), json!(1), json!(2)]), json!(" x  "));
        assert_eq!(c("pad", &[json!(""), json!(1), json!(2)]), json!(""));
        assert_eq!(
            c("replace", &[json!("a.b.c"), json!("."), json!("/")]),
            json!("a/b/c")
        );
        assert_eq!(c("contains", &[json!("abc"), json!("b")]), json!(true));
        assert_eq!(
            c("json", &[json!({"a": [1, "<x>"]})]),
            json!(r#"{"a":[1,"<x>"]}"#)
        );
        assert!(call("truncate", &[json!("a"), json!("x")]).is_err());
    }

    #[test]
    fn indexing_and_slicing() {
        let v = json!({"m": {"k": [10, 20]}});
        assert_eq!(
            c("index", &[v.clone(), json!("m"), json!("k"), json!(1)]),
            json!(20)
        );
        assert_eq!(c("index", &[v.clone(), json!("nope")]), json!(null));
        assert!(call("index", &[json!([1]), json!(5)]).is_err());
        assert!(call("index", &[json!([1]), json!(-1)]).is_err());
        assert!(call("index", &[json!(true), json!(0)]).is_err());
        assert_eq!(
            c("slice", &[json!("hello"), json!(1), json!(3)]),
            json!("el")
        );
        assert_eq!(c("slice", &[json!([1, 2, 3]), json!(1)]), json!([2, 3]));
        assert!(call("slice", &[json!("héllo"), json!(2)]).is_err());
        assert!(call("slice", &[json!("abc"), json!(2), json!(1)]).is_err());
        assert_eq!(c("len", &[json!("héllo")]), json!(6));
        assert!(call("len", &[json!(3)]).is_err());
    }
}
