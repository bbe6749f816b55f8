//! `--change` instructions (`import -c`, later `commit -c`): a Dockerfile instruction
//! applied to an image's container config. Podman also accepts `KEY=value` spelling.

use anyhow::{Result, bail};
use serde_json::{Map, Value, json};

/// Apply one change like `CMD ["sh"]`, `ENV A=1 B=2`, `EXPOSE 80/tcp`, `LABEL a=b`.
pub fn apply_change(cfg: &mut Map<String, Value>, change: &str) -> Result<()> {
    let change = change.trim();
    let split = change
        .find(|c: char| c.is_whitespace() || c == '=')
        .unwrap_or(change.len());
    let (word, rest) = change.split_at(split);
    let rest = rest.strip_prefix('=').unwrap_or(rest).trim();
    let word = word.to_ascii_uppercase();
    if rest.is_empty() && word != "CMD" && word != "ENTRYPOINT" {
        bail!("invalid change {change:?}: {word} needs an argument");
    }
    match word.as_str() {
        "CMD" => set_command(cfg, "Cmd", rest),
        "ENTRYPOINT" => set_command(cfg, "Entrypoint", rest),
        "ENV" => {
            let env = cfg.entry("Env").or_insert_with(|| json!([]));
            for (k, v) in key_values(rest, true)? {
                upsert_env(env, &k, &v);
            }
        }
        "LABEL" => {
            let labels = object_field(cfg, "Labels");
            for (k, v) in key_values(rest, false)? {
                labels.insert(k, json!(v));
            }
        }
        "EXPOSE" => {
            let ports = object_field(cfg, "ExposedPorts");
            for p in rest.split_whitespace() {
                let p = if p.contains('/') {
                    p.to_string()
                } else {
                    format!("{p}/tcp")
                };
                ports.insert(p, json!({}));
            }
        }
        "VOLUME" => {
            let vols = object_field(cfg, "Volumes");
            for v in list_or_words(rest) {
                vols.insert(v, json!({}));
            }
        }
        "USER" => {
            cfg.insert("User".into(), json!(rest));
        }
        "WORKDIR" => {
            cfg.insert("WorkingDir".into(), json!(rest));
        }
        "STOPSIGNAL" => {
            cfg.insert("StopSignal".into(), json!(rest));
        }
        "ONBUILD" => {
            let list = cfg.entry("OnBuild").or_insert_with(|| json!([]));
            if let Value::Array(a) = list {
                a.push(json!(rest));
            }
        }
        _ => bail!(
            "invalid change {change:?}: {word} is not one of CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR"
        ),
    }
    Ok(())
}

fn object_field<'a>(cfg: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let v = cfg.entry(key).or_insert_with(|| json!({}));
    if !v.is_object() {
        *v = json!({});
    }
    match v {
        Value::Object(m) => m,
        _ => unreachable!("just made an object"),
    }
}

/// JSON (exec) form stays as is; shell form becomes `/bin/sh -c "..."`, as Docker does.
fn set_command(cfg: &mut Map<String, Value>, key: &str, rest: &str) {
    let v = if rest.is_empty() {
        Value::Null
    } else if let Ok(Value::Array(a)) = serde_json::from_str::<Value>(rest) {
        if a.iter().all(Value::is_string) {
            Value::Array(a)
        } else {
            json!(["/bin/sh", "-c", rest])
        }
    } else {
        json!(["/bin/sh", "-c", rest])
    };
    cfg.insert(key.into(), v);
}

fn list_or_words(rest: &str) -> Vec<String> {
    if let Ok(Value::Array(a)) = serde_json::from_str::<Value>(rest) {
        return a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
    }
    rest.split_whitespace().map(str::to_string).collect()
}

fn upsert_env(env: &mut Value, key: &str, value: &str) {
    let Value::Array(list) = env else { return };
    let entry = json!(format!("{key}={value}"));
    let prefix = format!("{key}=");
    match list
        .iter()
        .position(|e| e.as_str().is_some_and(|s| s.starts_with(&prefix)))
    {
        Some(i) => list[i] = entry,
        None => list.push(entry),
    }
}

/// `k=v k2="v 2"` pairs; with `legacy`, the old `KEY value` form (one pair) is accepted.
fn key_values(rest: &str, legacy: bool) -> Result<Vec<(String, String)>> {
    let words = split_quoted(rest)?;
    if legacy && !words.first().is_some_and(|w| w.contains('=')) {
        let (k, v) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        return Ok(vec![(k.to_string(), v.trim().to_string())]);
    }
    words
        .into_iter()
        .map(|w| match w.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
            _ => bail!("invalid key=value pair {w:?}"),
        })
        .collect()
}

/// Split on whitespace, honouring double and single quotes and backslash escapes.
fn split_quoted(s: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') | (None, '\\') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            (Some(_), c) => cur.push(c),
            (None, '"') | (None, '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if quote.is_some() {
        bail!("unterminated quote in {s:?}");
    }
    if in_word {
        out.push(cur);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applied(changes: &[&str]) -> Value {
        let mut m = Map::new();
        for c in changes {
            apply_change(&mut m, c).unwrap();
        }
        Value::Object(m)
    }

    #[test]
    fn instructions() {
        let v = applied(&[
            r#"CMD ["sh","-c","echo hi"]"#,
            "ENTRYPOINT /bin/init --flag",
            "ENV A=1 B=\"two words\"",
            "ENV LEGACY some value",
            "WORKDIR /srv",
            "EXPOSE 80 53/udp",
            "LABEL org.example=yes",
            "USER nobody",
            "VOLUME /data",
        ]);
        assert_eq!(v["Cmd"], json!(["sh", "-c", "echo hi"]));
        assert_eq!(
            v["Entrypoint"],
            json!(["/bin/sh", "-c", "/bin/init --flag"])
        );
        assert_eq!(v["Env"], json!(["A=1", "B=two words", "LEGACY=some value"]));
        assert_eq!(v["WorkingDir"], json!("/srv"));
        assert_eq!(v["ExposedPorts"], json!({"80/tcp": {}, "53/udp": {}}));
        assert_eq!(v["Labels"], json!({"org.example": "yes"}));
        assert_eq!(v["User"], json!("nobody"));
        assert_eq!(v["Volumes"], json!({"/data": {}}));
    }

    #[test]
    fn podman_equals_spelling() {
        let v = applied(&["CMD=/bin/sh", "WORKDIR=/x"]);
        assert_eq!(v["Cmd"], json!(["/bin/sh", "-c", "/bin/sh"]));
        assert_eq!(v["WorkingDir"], json!("/x"));
    }

    #[test]
    fn bad_changes() {
        let mut m = Map::new();
        assert!(apply_change(&mut m, "FROB x").is_err());
        assert!(apply_change(&mut m, "LABEL \"unterminated").is_err());
        assert!(apply_change(&mut m, "USER").is_err());
    }
}
