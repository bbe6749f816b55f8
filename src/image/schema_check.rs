//! Validation against the OCI image-spec JSON schemas (draft-04) kept in
//! tests/fixtures/oci-schema. Test-only: `jsonschema` is a dev-dependency. Integration tests
//! can use it with `#[path = "../src/image/schema_check.rs"] mod schema_check;`.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaKind {
    Descriptor,
    Manifest,
    Index,
    Config,
    Layout,
}

impl SchemaKind {
    fn file(self) -> &'static str {
        match self {
            SchemaKind::Descriptor => "content-descriptor.json",
            SchemaKind::Manifest => "image-manifest-schema.json",
            SchemaKind::Index => "image-index-schema.json",
            SchemaKind::Config => "config-schema.json",
            SchemaKind::Layout => "image-layout-schema.json",
        }
    }
}

pub fn schema_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oci-schema")
}

fn load(name: &str) -> Result<Value> {
    let path = schema_dir().join(name);
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// The schemas refer to each other by relative file name, resolved against `id`s that
/// change from one nested schema to the next; resolving by the last path segment finds the
/// file whichever base it was resolved against.
struct ByFileName;

impl jsonschema::Retrieve for ByFileName {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let path = uri.path().as_str().to_string();
        let name = path.rsplit('/').next().unwrap_or("");
        load(name).map_err(|e| e.to_string().into())
    }
}

/// Checks `json` against the OCI schema for `kind`; the error lists every violation.
pub fn validate(kind: SchemaKind, json: &Value) -> Result<()> {
    let schema = load(kind.file())?;
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .with_retriever(ByFileName)
        .should_validate_formats(true)
        .build(&schema)
        .map_err(|e| anyhow::anyhow!("compiling {}: {e}", kind.file()))?;
    let mut errors: Vec<String> = validator
        .iter_errors(json)
        .map(|e| format!("{} (at {})", e, e.instance_path()))
        .collect();
    if kind == SchemaKind::Config {
        errors.extend(config_env_errors(json));
    }
    errors.extend(digest_errors(kind, json));
    if !errors.is_empty() {
        bail!("not a valid {kind:?}: {}", errors.join("; "));
    }
    Ok(())
}

/// What image-spec's validator checks beyond the config schema: every `Env` entry is
/// `NAME=value`.
fn config_env_errors(json: &Value) -> Vec<String> {
    let env = json.pointer("/config/Env").and_then(Value::as_array);
    env.into_iter()
        .flatten()
        .filter(|e| !e.as_str().is_some_and(|s| s.contains('=')))
        .map(|e| format!("config.Env entry {e} is not NAME=value"))
        .collect()
}

/// What go-digest checks beyond the schema's pattern: a sha256 digest is 64 lowercase hex
/// digits.
fn digest_errors(kind: SchemaKind, json: &Value) -> Vec<String> {
    let descriptors: Vec<&Value> = match kind {
        SchemaKind::Descriptor => vec![json],
        SchemaKind::Manifest => {
            let layers = json
                .get("layers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten();
            json.get("config").into_iter().chain(layers).collect()
        }
        SchemaKind::Index => json
            .get("manifests")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .collect(),
        _ => Vec::new(),
    };
    descriptors
        .into_iter()
        .filter_map(|d| d.get("digest")?.as_str())
        .filter(|d| {
            d.strip_prefix("sha256:").is_some_and(|h| {
                h.len() != 64 || !h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
            })
        })
        .map(|d| format!("invalid sha256 digest {d}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The image-spec's own examples: valid ones must pass, invalid ones must fail.
    #[test]
    fn upstream_examples() {
        let dir = schema_dir().join("examples");
        let index = std::fs::read_to_string(dir.join("index.tsv")).unwrap();
        let mut checked = 0;
        let mut skipped = Vec::new();
        for line in index.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            let (file, media_type, expect) = (cols[0], cols[1], cols[2]);
            let kind = match media_type {
                "application/vnd.oci.descriptor.v1+json" => SchemaKind::Descriptor,
                "application/vnd.oci.image.manifest.v1+json" => SchemaKind::Manifest,
                "application/vnd.oci.image.index.v1+json" => SchemaKind::Index,
                "application/vnd.oci.image.config.v1+json" => SchemaKind::Config,
                "application/vnd.oci.layout.header.v1+json" => SchemaKind::Layout,
                _ => continue,
            };
            let text = std::fs::read_to_string(dir.join(file)).unwrap();
            // A few files carry the tail of the next Go test case after their document (a
            // glitch of the transcription, see SOURCES.md): which case they stand for is unclear.
            let mut values = serde_json::Deserializer::from_str(&text).into_iter::<Value>();
            let first = values.next();
            if first.as_ref().is_some_and(|v| v.is_ok()) && values.next().is_some() {
                skipped.push(file);
                continue;
            }
            let result = match first {
                Some(Ok(json)) => validate(kind, &json),
                _ => Err(anyhow::anyhow!("not JSON")),
            };
            assert_eq!(result.is_ok(), expect == "valid", "{file}: {result:?}");
            checked += 1;
        }
        assert!(checked > 70, "only {checked} examples checked");
        assert!(skipped.len() <= 3, "skipped {skipped:?}");
    }
}
