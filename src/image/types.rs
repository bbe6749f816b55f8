//! OCI and Docker image documents: descriptors, manifests, indexes, configs.
//!
//! Reading is lenient (unknown fields ignored, `null` read as empty, as Docker writes both);
//! writing is minimal (empty fields left out) so that what we write validates against the
//! OCI schemas. Docker schema2 manifests and manifest lists have the same shape as OCI
//! manifests and indexes, so one type serves both.

use std::collections::BTreeMap;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Deserializer, Serialize};

use super::Digest;

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
pub const OCI_LAYOUT_HEADER: &str = "application/vnd.oci.layout.header.v1+json";
pub const OCI_LAYER_TAR: &str = "application/vnd.oci.image.layer.v1.tar";
pub const OCI_LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
pub const OCI_LAYER_ZSTD: &str = "application/vnd.oci.image.layer.v1.tar+zstd";
pub const OCI_LAYER_ND_TAR: &str = "application/vnd.oci.image.layer.nondistributable.v1.tar";
pub const OCI_LAYER_ND_GZIP: &str = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
pub const OCI_LAYER_ND_ZSTD: &str = "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";
pub const OCI_EMPTY: &str = "application/vnd.oci.empty.v1+json";

pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const DOCKER_MANIFEST_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
pub const DOCKER_MANIFEST_V1: &str = "application/vnd.docker.distribution.manifest.v1+json";
pub const DOCKER_MANIFEST_V1_SIGNED: &str =
    "application/vnd.docker.distribution.manifest.v1+prettyjws";
pub const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
pub const DOCKER_LAYER_TAR: &str = "application/vnd.docker.image.rootfs.diff.tar";
pub const DOCKER_LAYER_GZIP: &str = "application/vnd.docker.image.rootfs.diff.tar.gzip";
pub const DOCKER_LAYER_FOREIGN: &str = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

pub const ANNOTATION_REF_NAME: &str = "org.opencontainers.image.ref.name";
pub const ANNOTATION_CONTAINERD_NAME: &str = "io.containerd.image.name";

/// Whether `media_type` names an image index or a Docker manifest list.
pub fn is_index_media_type(media_type: &str) -> bool {
    media_type == OCI_INDEX || media_type == DOCKER_MANIFEST_LIST
}

/// Whether `media_type` names a single-image manifest we can use.
pub fn is_manifest_media_type(media_type: &str) -> bool {
    media_type == OCI_MANIFEST || media_type == DOCKER_MANIFEST
}

/// Whether a layer is one registries may not serve (Windows base layers and the like):
/// Docker's foreign layers and OCI's non-distributable ones.
pub fn is_non_distributable(media_type: &str) -> bool {
    media_type == DOCKER_LAYER_FOREIGN || media_type.contains("nondistributable")
}

/// The OCI layer media type that means the same as a Docker one (others pass unchanged).
pub fn oci_layer_media_type(media_type: &str) -> &str {
    match media_type {
        DOCKER_LAYER_TAR => OCI_LAYER_TAR,
        DOCKER_LAYER_GZIP => OCI_LAYER_GZIP,
        DOCKER_LAYER_FOREIGN => OCI_LAYER_ND_GZIP,
        other => other,
    }
}

/// Reads `null` as the type's default (Docker writes `"Env": null`, `"history": null`).
fn nullable<'de, D: Deserializer<'de>, T: Default + Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Platform {
    #[serde(default, deserialize_with = "nullable")]
    pub architecture: String,
    #[serde(default, deserialize_with = "nullable")]
    pub os: String,
    #[serde(
        rename = "os.version",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub os_version: Option<String>,
    #[serde(
        rename = "os.features",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub os_features: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
}

/// A content descriptor: what a manifest or index says about a blob it points to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    #[serde(default, deserialize_with = "nullable")]
    pub media_type: String,
    pub digest: Digest,
    pub size: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urls: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
}

impl Descriptor {
    pub fn new(media_type: &str, digest: Digest, size: u64) -> Descriptor {
        Descriptor {
            media_type: media_type.to_string(),
            digest,
            size,
            urls: None,
            annotations: None,
            platform: None,
            artifact_type: None,
            data: None,
        }
    }

    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations.as_ref()?.get(key).map(String::as_str)
    }
}

/// An OCI image manifest or a Docker schema2 manifest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub schema_version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    pub config: Descriptor,
    #[serde(default, deserialize_with = "nullable")]
    pub layers: Vec<Descriptor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<Descriptor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<BTreeMap<String, String>>,
}

impl Manifest {
    /// The media type of this manifest: its `mediaType` field, or OCI's when absent.
    pub fn effective_media_type(&self) -> &str {
        self.media_type.as_deref().unwrap_or(OCI_MANIFEST)
    }

    /// The same image as an OCI manifest: Docker media types swapped for OCI ones. The
    /// config blob is unchanged (Docker's config JSON is a valid OCI config).
    pub fn to_oci(&self) -> Manifest {
        let mut m = self.clone();
        m.media_type = Some(OCI_MANIFEST.to_string());
        if m.config.media_type == DOCKER_CONFIG {
            m.config.media_type = OCI_CONFIG.to_string();
        }
        for l in &mut m.layers {
            l.media_type = oci_layer_media_type(&l.media_type).to_string();
        }
        m
    }
}

/// An OCI image index or a Docker manifest list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Index {
    pub schema_version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub manifests: Vec<Descriptor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<Descriptor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<BTreeMap<String, String>>,
}

/// A manifest-shaped document: one image, or an index of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Document {
    Manifest(Box<Manifest>),
    Index(Box<Index>),
}

/// The image configuration (OCI `config.json` / Docker image JSON).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub architecture: String,
    #[serde(default, deserialize_with = "nullable")]
    pub os: String,
    #[serde(
        rename = "os.version",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub os_version: Option<String>,
    #[serde(
        rename = "os.features",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub os_features: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<ContainerConfig>,
    #[serde(default, deserialize_with = "nullable")]
    pub rootfs: RootFs,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub history: Vec<History>,
    /// Fields we do not model (Docker's `container_config`, `docker_version`, ...), kept so
    /// that a config read and written again loses nothing.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl ImageConfig {
    /// `created` as a time, when it parses as RFC 3339.
    pub fn created_time(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        let t = chrono::DateTime::parse_from_rfc3339(self.created.as_deref()?).ok()?;
        Some(t.with_timezone(&chrono::Utc))
    }
}

/// The defaults for containers run from the image (`config` in the image config).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerConfig {
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "String::is_empty"
    )]
    pub user: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exposed_ports: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entrypoint: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cmd: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volumes: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "String::is_empty"
    )]
    pub working_dir: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<BTreeMap<String, String>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "String::is_empty"
    )]
    pub stop_signal: String,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "is_false"
    )]
    pub args_escaped: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<HealthConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_build: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shell: Option<Vec<String>>,
}

/// A `HEALTHCHECK`; durations are nanoseconds, as Docker writes them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HealthConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test: Option<Vec<String>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub interval: i64,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub timeout: i64,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub start_period: i64,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub start_interval: i64,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "is_zero"
    )]
    pub retries: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RootFs {
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub diff_ids: Vec<Digest>,
}

impl Default for RootFs {
    fn default() -> RootFs {
        RootFs {
            kind: "layers".to_string(),
            diff_ids: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "is_false"
    )]
    pub empty_layer: bool,
}

/// What a manifest-shaped JSON document says it is, from `mediaType` or, when that is
/// absent, from its shape.
fn sniff(bytes: &[u8]) -> Result<(serde_json::Value, Kind)> {
    let v: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| anyhow::anyhow!("invalid manifest JSON: {e}"))?;
    let Some(obj) = v.as_object() else {
        bail!("invalid manifest JSON: not an object")
    };
    let schema_version = obj.get("schemaVersion").and_then(|s| s.as_u64());
    let media_type = obj.get("mediaType").and_then(|m| m.as_str()).unwrap_or("");
    let kind = if schema_version == Some(1)
        || media_type == DOCKER_MANIFEST_V1
        || media_type == DOCKER_MANIFEST_V1_SIGNED
        || obj.contains_key("fsLayers")
    {
        bail!("schema version 1 manifests are not supported")
    } else if is_index_media_type(media_type) {
        Kind::Index
    } else if is_manifest_media_type(media_type) {
        Kind::Manifest
    } else if !media_type.is_empty() {
        bail!("unsupported manifest media type {media_type:?}")
    } else if obj.contains_key("manifests") {
        Kind::Index
    } else if obj.contains_key("config") {
        Kind::Manifest
    } else {
        bail!("invalid manifest JSON: neither an image manifest nor an index")
    };
    if schema_version != Some(2) {
        bail!("invalid manifest JSON: schemaVersion must be 2");
    }
    Ok((v, kind))
}

enum Kind {
    Manifest,
    Index,
}

/// Parses a manifest or an index.
pub fn parse_document(bytes: &[u8]) -> Result<Document> {
    let (v, kind) = sniff(bytes)?;
    Ok(match kind {
        Kind::Manifest => Document::Manifest(Box::new(from_value(v)?)),
        Kind::Index => Document::Index(Box::new(from_value(v)?)),
    })
}

/// Parses an OCI image manifest or a Docker schema2 manifest; an index or list is an error
/// here, since a single image is needed.
pub fn parse_manifest(bytes: &[u8]) -> Result<Manifest> {
    match parse_document(bytes)? {
        Document::Manifest(m) => Ok(*m),
        Document::Index(_) => {
            bail!(
                "expected an image manifest, got an image index (manifest list): choose one platform's manifest"
            )
        }
    }
}

/// Parses an OCI image index or a Docker manifest list.
pub fn parse_index(bytes: &[u8]) -> Result<Index> {
    match parse_document(bytes)? {
        Document::Index(i) => Ok(*i),
        Document::Manifest(_) => bail!("expected an image index, got an image manifest"),
    }
}

/// Parses an image config.
pub fn parse_config(bytes: &[u8]) -> Result<ImageConfig> {
    serde_json::from_slice(bytes).map_err(|e| anyhow::anyhow!("invalid image config JSON: {e}"))
}

fn from_value<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Result<T> {
    serde_json::from_value(v).map_err(|e| anyhow::anyhow!("invalid manifest JSON: {e}"))
}

/// Serialises a document the way we write them: compact JSON.
pub fn to_json<T: Serialize>(doc: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(doc).context("serialising JSON")
}

#[cfg(test)]
mod tests {
    use super::*;

    const D1: &str = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn docker_manifest() -> String {
        format!(
            r#"{{"schemaVersion":2,"mediaType":"{DOCKER_MANIFEST}",
            "config":{{"mediaType":"{DOCKER_CONFIG}","size":7023,"digest":"{D1}"}},
            "layers":[{{"mediaType":"{DOCKER_LAYER_GZIP}","size":32654,"digest":"{D1}"}}]}}"#
        )
    }

    #[test]
    fn parses_docker_and_oci_manifests() {
        let m = parse_manifest(docker_manifest().as_bytes()).unwrap();
        assert_eq!(m.effective_media_type(), DOCKER_MANIFEST);
        assert_eq!(m.layers[0].size, 32654);
        let oci = m.to_oci();
        assert_eq!(oci.config.media_type, OCI_CONFIG);
        assert_eq!(oci.layers[0].media_type, OCI_LAYER_GZIP);

        let no_type = format!(
            r#"{{"schemaVersion":2,"config":{{"mediaType":"{OCI_CONFIG}","size":1,"digest":"{D1}"}},"layers":null,"extra":1}}"#
        );
        let m = parse_manifest(no_type.as_bytes()).unwrap();
        assert_eq!(m.effective_media_type(), OCI_MANIFEST);
        assert!(m.layers.is_empty());
    }

    #[test]
    fn refuses_what_is_not_a_manifest() {
        let err = |s: &str| parse_manifest(s.as_bytes()).unwrap_err().to_string();
        assert!(err("{").starts_with("invalid manifest JSON: "));
        assert!(err("[]").starts_with("invalid manifest JSON"));
        assert_eq!(
            err(r#"{"schemaVersion":1,"fsLayers":[]}"#),
            "schema version 1 manifests are not supported"
        );
        assert!(err(r#"{"schemaVersion":2,"manifests":[]}"#).contains("image index"));
        assert!(
            err(&format!(
                r#"{{"schemaVersion":2,"mediaType":"{DOCKER_MANIFEST_LIST}","manifests":[]}}"#
            ))
            .contains("image index")
        );
        assert!(
            err(r#"{"schemaVersion":2,"config":{"digest":"sha256:12","size":1}}"#)
                .starts_with("invalid manifest JSON")
        );
        assert!(
            err(r#"{"schemaVersion":2,"config":{"digest":"x","size":-1}}"#)
                .starts_with("invalid manifest JSON")
        );
        assert!(err(r#"{"schemaVersion":3,"config":{}}"#).contains("schemaVersion"));
        assert!(err(r#"{"mediaType":"text/plain"}"#).contains("unsupported"));
        // Hostile nesting must be an error, not a stack overflow.
        let deep = "[".repeat(100_000);
        assert!(err(&deep).starts_with("invalid manifest JSON"));
    }

    #[test]
    fn config_reads_docker_nulls_and_keeps_extra_fields() {
        let json = r#"{"architecture":"amd64","os":"linux","config":{"Env":null,"Cmd":["sh"],"User":null,
            "ExposedPorts":{"80/tcp":{}},"Healthcheck":{"Test":["CMD","true"],"Interval":1000000000}},
            "rootfs":{"type":"layers","diff_ids":null},"history":null,"container":"abc","docker_version":"24"}"#;
        let c = parse_config(json.as_bytes()).unwrap();
        assert_eq!(
            c.config.as_ref().unwrap().cmd.as_deref(),
            Some(&["sh".to_string()][..])
        );
        assert_eq!(
            c.extra.get("container").and_then(|v| v.as_str()),
            Some("abc")
        );
        let out: serde_json::Value = serde_json::from_slice(&to_json(&c).unwrap()).unwrap();
        assert_eq!(out["docker_version"], "24");
        assert!(out.get("history").is_none());
        assert!(out["config"].get("Env").is_none());
        assert!(
            parse_config(b"nope")
                .unwrap_err()
                .to_string()
                .starts_with("invalid image config JSON")
        );
    }

    #[test]
    fn created_time_parses() {
        let c = parse_config(br#"{"created":"2024-01-02T03:04:05.123456789Z"}"#).unwrap();
        assert_eq!(c.created_time().unwrap().timestamp(), 1704164645);
    }
}
