//! `skiff pull`: resolve the name (registries.conf), fetch the manifest (choosing this
//! platform from an index), then stream every missing layer, in parallel, through the
//! hasher into the staging area while unpacking it in the same pass; commit the image only
//! when every digest checked out. A failure or a kill leaves no image and no layer visible.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result, anyhow, bail};

use crate::format::{Progress, ProgressMode, ProgressReader};
use crate::image::digest::Digest;
use crate::image::platform::host_arch;
use crate::image::reference::Reference;
use crate::image::types::{
    DOCKER_MANIFEST_V1, DOCKER_MANIFEST_V1_SIGNED, Document, Index, Manifest, is_non_distributable,
    parse_config, parse_document,
};
use crate::registry::blob_reader::BlobReader;
use crate::registry::client::{Client, ConnectOptions, FetchedManifest};
use crate::registry::config::{PullSource, RegistriesConf};
use crate::registry::credentials::{AuthFiles, Credentials};
use crate::registry::resolve::pull_candidates;
use crate::store::{LayerJob, Staging, Store};

/// Layers downloaded at once.
const PARALLEL_BLOBS: usize = 6;

/// The platform to pick from an index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlatformWanted {
    pub os: String,
    pub arch: String,
    pub variant: Option<String>,
}

impl Default for PlatformWanted {
    fn default() -> Self {
        PlatformWanted {
            os: "linux".into(),
            arch: host_arch().into(),
            variant: None,
        }
    }
}

impl PlatformWanted {
    /// From `--platform os/arch[/variant]` and the `--os`/`--arch`/`--variant` flags
    /// (which override parts of it).
    pub fn from_flags(
        platform: Option<&str>,
        os: Option<&str>,
        arch: Option<&str>,
        variant: Option<&str>,
    ) -> Result<PlatformWanted> {
        let mut p = PlatformWanted::default();
        if let Some(s) = platform.filter(|s| !s.is_empty()) {
            let parts: Vec<&str> = s.split('/').collect();
            if parts.len() < 2 || parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
                bail!("invalid platform {s:?}: expected os/arch[/variant], e.g. linux/arm64");
            }
            p.os = parts[0].to_string();
            p.arch = parts[1].to_string();
            p.variant = parts.get(2).map(|v| v.to_string());
        }
        if let Some(o) = os.filter(|s| !s.is_empty()) {
            p.os = o.to_string();
        }
        if let Some(a) = arch.filter(|s| !s.is_empty()) {
            p.arch = a.to_string();
        }
        if let Some(v) = variant.filter(|s| !s.is_empty()) {
            p.variant = Some(v.to_string());
        }
        Ok(p)
    }
}

#[derive(Clone, Debug, Default)]
pub struct RegistryOptions {
    /// `--tls-verify`: None means "as registries.conf says" (verify unless insecure).
    pub tls_verify: Option<bool>,
    pub cert_dir: Option<PathBuf>,
    /// `--creds user:pass`.
    pub creds: Option<Credentials>,
    /// `--authfile`.
    pub authfile: Option<PathBuf>,
}

impl RegistryOptions {
    pub fn auth_files(&self) -> AuthFiles {
        match &self.authfile {
            Some(p) => AuthFiles::only(p.clone()),
            None => AuthFiles::default_for_user(),
        }
    }

    /// Connection settings for `registry/repo`, credentials looked up unless given.
    pub fn connect_options(&self, name: &str, insecure: bool) -> Result<ConnectOptions> {
        let credentials = match &self.creds {
            Some(c) => Some(c.clone()),
            None => self.auth_files().lookup(name)?,
        };
        Ok(ConnectOptions {
            tls_verify: self.tls_verify.unwrap_or(!insecure),
            cert_dir: self.cert_dir.clone(),
            credentials,
        })
    }
}

pub struct PullOptions {
    pub registry: RegistryOptions,
    pub platform: PlatformWanted,
    pub all_tags: bool,
    pub progress: ProgressMode,
}

/// An image as pulled: its id and the name it got.
#[derive(Clone, Debug)]
pub struct Pulled {
    pub id: Digest,
    pub name: String,
}

/// Pull `input` (a name as users type it); with `all_tags`, every tag of its repository.
pub fn pull(store: &Store, input: &str, opts: &PullOptions) -> Result<Vec<Pulled>> {
    let conf = RegistriesConf::load_default()?;
    let candidates = pull_candidates(input, &conf)?;
    let progress = Progress::new(opts.progress);
    if opts.all_tags {
        return pull_all_tags(store, &conf, input, candidates, opts, &progress);
    }
    let mut errors = Vec::new();
    for candidate in &candidates {
        match pull_candidate(store, &conf, candidate, opts, &progress) {
            Ok(p) => return Ok(vec![p]),
            Err(e) => errors.push((candidate.to_string(), e)),
        }
    }
    Err(combine_errors(input, errors))
}

fn pull_all_tags(
    store: &Store,
    conf: &RegistriesConf,
    input: &str,
    candidates: Vec<Reference>,
    opts: &PullOptions,
    progress: &Progress,
) -> Result<Vec<Pulled>> {
    let raw = crate::registry::resolve::strip_transport(input);
    if raw.contains('@')
        || raw
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains(':'))
    {
        bail!("{input}: a tag or digest cannot be used with --all-tags");
    }
    let mut errors = Vec::new();
    for candidate in &candidates {
        let result = (|| -> Result<Vec<Pulled>> {
            // Every tag comes from the registry the tag list came from, over one connection.
            let source = primary_source(conf, candidate)?;
            let client = connect(conf, &source, opts)?;
            let (_, repo) = split_name(&source.name);
            let tags = client.list_tags(repo)?;
            if tags.is_empty() {
                bail!("{} has no tags", candidate.name());
            }
            let mut out = Vec::new();
            for tag in tags {
                let mut r = candidate.clone();
                r.tag = Some(tag);
                r.digest = None;
                progress.message(&format!("Trying to pull {r}..."));
                out.push(pull_from(store, &client, &source, &r, opts, progress)?);
            }
            Ok(out)
        })();
        match result {
            Ok(v) => return Ok(v),
            Err(e) => errors.push((candidate.to_string(), e)),
        }
    }
    Err(combine_errors(input, errors))
}

fn combine_errors(input: &str, mut errors: Vec<(String, anyhow::Error)>) -> anyhow::Error {
    if errors.len() == 1 {
        let (_, e) = errors.remove(0);
        return e;
    }
    let parts: Vec<String> = errors.iter().map(|(c, e)| format!("{c}: {e:#}")).collect();
    anyhow!(
        "pulling {input}: every candidate failed: {}",
        parts.join("; ")
    )
}

/// The registry itself (pull_sources lists mirrors first, the primary location last).
fn primary_source(conf: &RegistriesConf, r: &Reference) -> Result<PullSource> {
    conf.pull_sources(&r.name(), r.digest.is_some())?
        .into_iter()
        .last()
        .ok_or_else(|| anyhow!("no source to pull {} from", r.name()))
}

fn split_name(name: &str) -> (&str, &str) {
    name.split_once('/').unwrap_or((name, ""))
}

fn connect(conf: &RegistriesConf, source: &PullSource, opts: &PullOptions) -> Result<Client> {
    let (host, _) = split_name(&source.name);
    let insecure = source.insecure || conf.is_insecure(host);
    let connect = opts.registry.connect_options(&source.name, insecure)?;
    Client::connect(host, &connect)
}

/// Pull one fully qualified reference, trying its mirrors first.
fn pull_candidate(
    store: &Store,
    conf: &RegistriesConf,
    r: &Reference,
    opts: &PullOptions,
    progress: &Progress,
) -> Result<Pulled> {
    let sources = conf.pull_sources(&r.name(), r.digest.is_some())?;
    progress.message(&format!("Trying to pull {r}..."));
    let mut last = None;
    for source in &sources {
        let result = connect(conf, source, opts)
            .and_then(|client| pull_from(store, &client, source, r, opts, progress));
        match result {
            Ok(p) => return Ok(p),
            Err(e) => {
                if source.mirror {
                    log::debug!("mirror {} of {}: {e:#}", source.name, r.name());
                }
                last = Some(e);
            }
        }
    }
    Err(last.unwrap_or_else(|| anyhow!("no source to pull {} from", r.name())))
}

fn pull_from(
    store: &Store,
    client: &Client,
    source: &PullSource,
    r: &Reference,
    opts: &PullOptions,
    progress: &Progress,
) -> Result<Pulled> {
    let (_, repo) = split_name(&source.name);
    let wanted = match (&r.digest, &r.tag) {
        (Some(d), _) => d.to_string(),
        (None, Some(t)) => t.clone(),
        (None, None) => "latest".to_string(),
    };
    let top = client.get_manifest(repo, &wanted)?;
    if let Some(d) = &r.digest
        && &top.digest != d
    {
        bail!(
            "manifest {d} from {}/{repo} hashes to {}: refusing it",
            client.registry(),
            top.digest
        );
    }
    let (manifest_fetched, manifest) = choose_manifest(client, repo, r, top, &opts.platform)?;
    progress.message("Getting image source signatures");

    let config_digest = manifest.config.digest.clone();
    // A config already in the store was verified when it was stored: a re-pull of an
    // unchanged image reads it instead of downloading it again.
    let config_bytes = if store.blobs().has(&config_digest) {
        store.blobs().read(&config_digest)?
    } else {
        client.get_blob_bytes(repo, &config_digest, Some(manifest.config.size))?
    };
    let config = parse_config(&config_bytes)
        .with_context(|| format!("image config {config_digest} of {r}"))?;
    if config.architecture != opts.platform.arch || config.os != opts.platform.os {
        log::warn!(
            "image platform ({}/{}) does not match the expected platform ({}/{})",
            config.os,
            config.architecture,
            opts.platform.os,
            opts.platform.arch
        );
    }
    if config.rootfs.diff_ids.len() != manifest.layers.len() {
        bail!(
            "manifest {} of {r} lists {} layers but its config lists {} diff ids",
            manifest_fetched.digest,
            manifest.layers.len(),
            config.rootfs.diff_ids.len()
        );
    }

    let mut stage = store.begin()?;
    stage.put_blob_bytes(&manifest_fetched.bytes)?;
    stage.put_blob_bytes(&config_bytes)?;
    let jobs = super::add::layer_jobs(&manifest, &config.rootfs.diff_ids);
    fetch_layers(store, &mut stage, client, repo, &manifest, &jobs, progress)?;
    progress.message(&format!("Copying config {} done", config_digest.short()));
    progress.message("Writing manifest to image destination");

    let name = match &r.digest {
        Some(d) => format!("{}@{d}", r.name()),
        None => r.to_string(),
    };
    let rec = super::add::prepare_parsed(
        &mut stage,
        &manifest_fetched.digest,
        &manifest,
        &config,
        vec![name.clone()],
    )?;
    let id = rec.id.clone();
    stage.commit(vec![rec])?;
    Ok(Pulled { id, name })
}

/// The single-image manifest to pull: `top` itself, or the entry of an index for the
/// wanted platform (fetched and checked against the index's digest).
fn choose_manifest(
    client: &Client,
    repo: &str,
    r: &Reference,
    top: FetchedManifest,
    platform: &PlatformWanted,
) -> Result<(FetchedManifest, Manifest)> {
    refuse_schema1(&top, r)?;
    let doc = parse_document(&top.bytes).with_context(|| format!("manifest of {r}"))?;
    let index = match doc {
        Document::Manifest(m) => return Ok((top, *m)),
        Document::Index(i) => i,
    };
    let entry = pick_platform(&index, platform).ok_or_else(|| {
        anyhow!(
            "choosing an image from manifest list {r}: no image found in image index for architecture {:?}, variant {:?}, OS {:?}",
            platform.arch,
            platform.variant.as_deref().unwrap_or(""),
            platform.os
        )
    })?;
    let fetched = client.get_manifest(repo, &entry.to_string())?;
    if fetched.digest != entry {
        bail!(
            "manifest {entry} from {}/{repo} hashes to {}: refusing it",
            client.registry(),
            fetched.digest
        );
    }
    refuse_schema1(&fetched, r)?;
    match parse_document(&fetched.bytes).with_context(|| format!("manifest {entry} of {r}"))? {
        Document::Manifest(m) => Ok((fetched, *m)),
        Document::Index(_) => {
            bail!("manifest {entry} of {r} is an index inside an index, which is not supported")
        }
    }
}

fn refuse_schema1(m: &FetchedManifest, r: &Reference) -> Result<()> {
    let schema1 = m.media_type == DOCKER_MANIFEST_V1
        || m.media_type == DOCKER_MANIFEST_V1_SIGNED
        || serde_json::from_slice::<serde_json::Value>(&m.bytes)
            .ok()
            .and_then(|v| v.get("schemaVersion").and_then(|s| s.as_u64()))
            == Some(1);
    if schema1 {
        bail!(
            "{r} uses Docker's schema1 manifest format, which is deprecated and not supported: push it again with a current tool (schema2 or OCI)"
        );
    }
    Ok(())
}

/// The digest of the index entry for `want` (a missing variant matches any; entries
/// without a platform, or for "unknown" (attestations), never match).
pub fn pick_platform(index: &Index, want: &PlatformWanted) -> Option<Digest> {
    index
        .manifests
        .iter()
        .filter(|d| {
            d.platform.as_ref().is_some_and(|p| {
                p.os == want.os
                    && p.architecture == want.arch
                    && match &want.variant {
                        Some(v) => p.variant.as_deref() == Some(v.as_str()),
                        None => true,
                    }
            })
        })
        .map(|d| d.digest.clone())
        .next()
}

/// Download the layers the store lacks, several at once, each unpacked as it streams.
fn fetch_layers(
    store: &Store,
    stage: &mut Staging<'_>,
    client: &Client,
    repo: &str,
    manifest: &Manifest,
    jobs: &[LayerJob],
    progress: &Progress,
) -> Result<()> {
    let mut to_stream: Vec<(usize, bool)> = Vec::new();
    let mut claimed: Vec<&Digest> = Vec::new();
    for (i, job) in jobs.iter().enumerate() {
        let desc = &manifest.layers[i];
        let label = format!("Copying blob {}", job.blob.short());
        if is_non_distributable(&desc.media_type) {
            log::warn!(
                "skipping foreign layer {} ({}): it may not be distributed by registries",
                job.blob,
                desc.media_type
            );
            stage.add_empty_layer(job)?;
            continue;
        }
        let have_blob = store.blobs().has(&job.blob);
        let have_layer = store.has_layer(&job.chain_id);
        if have_blob && have_layer {
            progress
                .line(label, Some(desc.size))
                .finish("skipped: already exists");
            continue;
        }
        if have_blob || claimed.contains(&&job.blob) {
            // Unpacked from the local copy by prepare_parsed.
            continue;
        }
        claimed.push(&job.blob);
        to_stream.push((i, !have_layer));
    }
    if to_stream.is_empty() {
        return Ok(());
    }
    let stage_ref = &*stage;
    let streamed =
        crate::parallel::run_bounded(&to_stream, PARALLEL_BLOBS, |&(i, unpack), failed| {
            let job = &jobs[i];
            let size = manifest.layers[i].size;
            let line = progress.line(format!("Copying blob {}", job.blob.short()), Some(size));
            let blob = BlobReader::new(client, repo, &job.blob, Some(size));
            let mut reader = Cancellable {
                inner: ProgressReader::new(blob, &line),
                cancel: failed,
            };
            let r = stage_ref.stream_layer(job, Some(size), unpack, &mut reader);
            line.finish(if r.is_ok() { "done" } else { "failed" });
            r
        })?;
    for s in streamed {
        stage.add_streamed(s);
    }
    Ok(())
}

const CANCELLED: &str = "download cancelled: another layer failed";

/// Stops a download when another one failed, so the pull fails fast.
struct Cancellable<'a, R> {
    inner: R,
    cancel: &'a AtomicBool,
}

impl<R: std::io::Read> std::io::Read for Cancellable<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(std::io::Error::other(CANCELLED));
        }
        self.inner.read(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::types::{Descriptor, Platform};

    fn entry(os: &str, arch: &str, variant: Option<&str>, n: u8) -> Descriptor {
        let mut d = Descriptor::new(crate::image::types::OCI_MANIFEST, Digest::of(&[n]), 1);
        d.platform = Some(Platform {
            architecture: arch.into(),
            os: os.into(),
            variant: variant.map(str::to_string),
            ..Default::default()
        });
        d
    }

    #[test]
    fn platform_choice() {
        let index = Index {
            schema_version: 2,
            media_type: None,
            artifact_type: None,
            manifests: vec![
                entry("unknown", "unknown", None, 0),
                entry("linux", "arm", Some("v6"), 1),
                entry("linux", "arm", Some("v7"), 2),
                entry("linux", "amd64", None, 3),
            ],
            subject: None,
            annotations: None,
        };
        let want = |a: &str, v: Option<&str>| PlatformWanted {
            os: "linux".into(),
            arch: a.into(),
            variant: v.map(str::to_string),
        };
        assert_eq!(
            pick_platform(&index, &want("amd64", None)),
            Some(Digest::of(&[3]))
        );
        assert_eq!(
            pick_platform(&index, &want("arm", Some("v7"))),
            Some(Digest::of(&[2]))
        );
        assert_eq!(
            pick_platform(&index, &want("arm", None)),
            Some(Digest::of(&[1]))
        );
        assert_eq!(pick_platform(&index, &want("s390x", None)), None);
    }

    #[test]
    fn platform_flags() {
        let p = PlatformWanted::from_flags(Some("linux/arm64/v8"), None, None, None).unwrap();
        assert_eq!(
            (p.os.as_str(), p.arch.as_str(), p.variant.as_deref()),
            ("linux", "arm64", Some("v8"))
        );
        let p = PlatformWanted::from_flags(None, None, Some("arm64"), None).unwrap();
        assert_eq!(p.arch, "arm64");
        assert!(PlatformWanted::from_flags(Some("linux"), None, None, None).is_err());
        assert!(PlatformWanted::from_flags(Some("linux//"), None, None, None).is_err());
    }
}
