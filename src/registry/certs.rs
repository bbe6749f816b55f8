//! TLS settings per registry host, as containers-certs.d(5) and containers/image lay them out:
//! a directory per `host[:port]` holding `*.crt` CA certificates (trusted beside the system
//! roots) and `*.cert` + `*.key` client certificate pairs.
//!
//! The directory is the first of `$XDG_CONFIG_HOME/containers/certs.d/<host>` (~/.config/...),
//! `/etc/containers/certs.d/<host>` and `/etc/docker/certs.d/<host>` that exists, as
//! containers/image picks it (one directory, not a merge); `--cert-dir DIR` replaces the search
//! with DIR itself. System roots come from `$SSL_CERT_FILE` or the distribution's bundle
//! (Debian's /etc/ssl/certs/ca-certificates.crt, Fedora's, openSUSE's, Alpine's), read once per
//! process; without any bundle, ureq's built-in WebPki roots are used.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use anyhow::{Context, Result, anyhow, bail};
use ureq::tls::{Certificate, ClientCert, PemItem, PrivateKey, RootCerts, TlsConfig};

use super::config::{env_path, home_dir};

/// Where distributions keep their CA bundle, in the order Go's crypto/x509 tries them.
const SYSTEM_BUNDLES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt", // Debian, Ubuntu, Arch, Alpine
    "/etc/pki/tls/certs/ca-bundle.crt",   // Fedora, RHEL
    "/etc/ssl/ca-bundle.pem",             // openSUSE
    "/etc/ssl/cert.pem",                  // Alpine, BSDs
];

/// The system roots, parsed once per process. Sharing one `Arc` also lets ureq reuse pooled
/// connections between hosts that add no CA of their own.
static SYSTEM_ROOTS: OnceLock<Option<Arc<Vec<Certificate<'static>>>>> = OnceLock::new();

/// The TLS configuration for connecting to `host` ("host[:port]"). `cert_dir` is `--cert-dir`;
/// `verify = false` is `--tls-verify=false` (client certificates are still presented).
pub fn tls_config(host: &str, cert_dir: Option<&Path>, verify: bool) -> Result<TlsConfig> {
    let dirs = match cert_dir {
        Some(dir) => vec![dir.to_path_buf()],
        None => host_cert_dir(host, &default_bases())?.into_iter().collect(),
    };
    build(&dirs, system_roots()?, verify)
}

/// The testable core of `tls_config`: CA certificates and client pairs from all of `dirs`
/// (missing ones are skipped), on top of `system_bundle` (ureq's WebPki roots if `None`).
pub fn tls_config_from_dirs(
    dirs: &[PathBuf],
    system_bundle: Option<&Path>,
    verify: bool,
) -> Result<TlsConfig> {
    let roots = match system_bundle {
        Some(path) => Some(Arc::new(read_bundle(path)?)),
        None => None,
    };
    build(dirs, roots, verify)
}

fn build(
    dirs: &[PathBuf],
    system: Option<Arc<Vec<Certificate<'static>>>>,
    verify: bool,
) -> Result<TlsConfig> {
    let mut cas = Vec::new();
    let mut client = None;
    for dir in dirs {
        let found = read_cert_dir(dir)?;
        cas.extend(found.cas);
        if client.is_none() {
            client = found.client;
        }
    }
    let root_certs = match (system, cas.is_empty()) {
        (Some(system), true) => RootCerts::Specific(system),
        (Some(system), false) => RootCerts::from(system.iter().cloned().chain(cas)),
        (None, true) => RootCerts::WebPki,
        // No bundle to extend: trust the directory's CAs alone, as Go does with an empty
        // system pool.
        (None, false) => RootCerts::from(cas),
    };
    Ok(TlsConfig::builder()
        .root_certs(root_certs)
        .client_cert(client)
        .disable_verification(!verify)
        .build())
}

fn default_bases() -> Vec<PathBuf> {
    let config_home = env_path("XDG_CONFIG_HOME").unwrap_or_else(|| home_dir().join(".config"));
    vec![
        config_home.join("containers/certs.d"),
        PathBuf::from("/etc/containers/certs.d"),
        PathBuf::from("/etc/docker/certs.d"),
    ]
}

/// The first `<base>/<host>` that exists. Unreadable candidates are skipped, as upstream does.
fn host_cert_dir(host: &str, bases: &[PathBuf]) -> Result<Option<PathBuf>> {
    // The host comes from an image name: it must not walk out of certs.d.
    if host.is_empty() || host.contains('/') || host == "." || host == ".." {
        bail!("invalid registry host {host:?}");
    }
    for base in bases {
        let dir = base.join(host);
        match fs::metadata(&dir) {
            Ok(_) => return Ok(Some(dir)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                log::debug!("skipping {}: {e}", dir.display());
                continue;
            }
            Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
        }
    }
    Ok(None)
}

fn system_roots() -> Result<Option<Arc<Vec<Certificate<'static>>>>> {
    if let Some(roots) = SYSTEM_ROOTS.get() {
        return Ok(roots.clone());
    }
    let roots = match system_bundle_path() {
        Some(path) => Some(Arc::new(read_bundle(&path)?)),
        None => None,
    };
    Ok(SYSTEM_ROOTS.get_or_init(|| roots).clone())
}

fn system_bundle_path() -> Option<PathBuf> {
    if let Some(path) = env_path("SSL_CERT_FILE") {
        if path.exists() {
            return Some(path);
        }
        log::warn!(
            "$SSL_CERT_FILE {} does not exist; using built-in root certificates",
            path.display()
        );
        return None;
    }
    let found = SYSTEM_BUNDLES
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists());
    if found.is_none() {
        log::debug!("no system CA bundle found; using built-in root certificates");
    }
    found
}

fn read_bundle(path: &Path) -> Result<Vec<Certificate<'static>>> {
    let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let (certs, _) = parse_pem_file(path, &bytes)?;
    if certs.is_empty() {
        bail!("{}: no PEM certificate found", path.display());
    }
    Ok(certs)
}

#[derive(Default)]
struct DirCerts {
    cas: Vec<Certificate<'static>>,
    client: Option<ClientCert>,
}

fn read_cert_dir(dir: &Path) -> Result<DirCerts> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(DirCerts::default()),
        Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    log::debug!("looking for TLS certificates and keys in {}", dir.display());
    let mut found = DirCerts::default();
    for name in &names {
        let path = dir.join(name);
        if name.ends_with(".crt") {
            found.cas.extend(read_ca_file(&path)?);
        } else if let Some(stem) = name.strip_suffix(".cert") {
            let key = format!("{stem}.key");
            if !names.contains(&key) {
                bail!(
                    "{}: client certificate without its key {key} (CA certificates use the extension .crt)",
                    path.display()
                );
            }
            if found.client.is_some() {
                log::debug!(
                    "ignoring {}: one client certificate is used",
                    path.display()
                );
                continue;
            }
            found.client = Some(read_client_pair(&path, &dir.join(&key))?);
        } else if let Some(stem) = name.strip_suffix(".key") {
            let cert = format!("{stem}.cert");
            if !names.contains(&cert) {
                bail!(
                    "{}: client key without its certificate {cert}",
                    path.display()
                );
            }
        }
    }
    Ok(found)
}

fn read_ca_file(path: &Path) -> Result<Vec<Certificate<'static>>> {
    let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let (certs, _) = parse_pem_file(path, &bytes)?;
    if certs.is_empty() {
        bail!("{}: no PEM certificate found", path.display());
    }
    Ok(certs)
}

fn read_client_pair(cert_path: &Path, key_path: &Path) -> Result<ClientCert> {
    let bytes = fs::read(cert_path).with_context(|| format!("reading {}", cert_path.display()))?;
    let (chain, _) = parse_pem_file(cert_path, &bytes)?;
    if chain.is_empty() {
        bail!("{}: no PEM certificate found", cert_path.display());
    }
    let bytes = fs::read(key_path).with_context(|| format!("reading {}", key_path.display()))?;
    let (_, keys) = parse_pem_file(key_path, &bytes)?;
    let Some(key) = keys.into_iter().next() else {
        bail!("{}: no PEM private key found", key_path.display());
    };
    Ok(ClientCert::new_with_certs(&chain, key))
}

type PemContents = (Vec<Certificate<'static>>, Vec<PrivateKey<'static>>);

/// All certificates and private keys of a PEM file; other sections are skipped.
fn parse_pem_file(path: &Path, bytes: &[u8]) -> Result<PemContents> {
    let mut certs = Vec::new();
    let mut keys = Vec::new();
    for item in ureq::tls::parse_pem(bytes) {
        match item.map_err(|e| anyhow!("{}: {}", path.display(), pem_error(&e)))? {
            PemItem::Certificate(cert) => certs.push(cert),
            PemItem::PrivateKey(key) => keys.push(key),
            _ => {}
        }
    }
    Ok((certs, keys))
}

/// The PEM parser's message up to its details, which it prints as raw byte arrays.
fn pem_error(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Pem(inner) => {
            let text = inner.to_string();
            let summary = text.split(':').next().unwrap_or(&text);
            format!("malformed PEM ({summary})")
        }
        other => format!("malformed PEM ({other})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    /// A self-signed P-256 certificate and its key, made by openssl in `dir`.
    fn make_cert(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
        let cert = dir.join(format!("{name}.pem"));
        let key = dir.join(format!("{name}-key.pem"));
        let status = Command::new("openssl")
            .args([
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
            ])
            .args(["-nodes", "-days", "2", "-subj", &format!("/CN={name}")])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .stderr(std::process::Stdio::null())
            .status()
            .expect("openssl runs");
        assert!(status.success());
        (cert, key)
    }

    fn specific_count(config: &TlsConfig) -> Option<usize> {
        match config.root_certs() {
            RootCerts::Specific(certs) => Some(certs.len()),
            _ => None,
        }
    }

    #[test]
    fn cas_and_client_pair() {
        let tmp = tempfile::tempdir().unwrap();
        let (ca, _) = make_cert(tmp.path(), "ca");
        let (client, client_key) = make_cert(tmp.path(), "client");
        let (sys, _) = make_cert(tmp.path(), "system");
        let host = tmp.path().join("certs.d/registry.local:5000");
        fs::create_dir_all(&host).unwrap();
        fs::copy(&ca, host.join("ca.crt")).unwrap();
        fs::copy(&client, host.join("client.cert")).unwrap();
        fs::copy(&client_key, host.join("client.key")).unwrap();
        fs::write(host.join("README"), "ignored").unwrap();

        let config = tls_config_from_dirs(std::slice::from_ref(&host), Some(&sys), true).unwrap();
        assert_eq!(specific_count(&config), Some(2), "system root + certs.d CA");
        let pair = config.client_cert().expect("client certificate");
        assert_eq!(pair.certs().len(), 1);
        assert!(!config.disable_verification());

        let config = tls_config_from_dirs(&[host], None, false).unwrap();
        assert_eq!(
            specific_count(&config),
            Some(1),
            "the CA alone without a bundle"
        );
        assert!(config.disable_verification());
    }

    #[test]
    fn no_dirs_keeps_the_system_roots() {
        let tmp = tempfile::tempdir().unwrap();
        let (sys, _) = make_cert(tmp.path(), "system");
        let missing = tmp.path().join("missing");
        let config =
            tls_config_from_dirs(std::slice::from_ref(&missing), Some(&sys), true).unwrap();
        assert_eq!(specific_count(&config), Some(1));
        assert!(config.client_cert().is_none());
        let config = tls_config_from_dirs(&[missing], None, true).unwrap();
        assert!(matches!(config.root_certs(), RootCerts::WebPki));
    }

    #[test]
    fn unpaired_cert_or_key_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let (cert, key) = make_cert(tmp.path(), "c");
        let dir = tmp.path().join("d");
        fs::create_dir(&dir).unwrap();
        fs::copy(&cert, dir.join("client.cert")).unwrap();
        let e = format!(
            "{:#}",
            tls_config_from_dirs(std::slice::from_ref(&dir), None, true).unwrap_err()
        );
        assert!(
            e.contains("client.cert") && e.contains("client.key") && e.contains(".crt"),
            "{e}"
        );
        fs::remove_file(dir.join("client.cert")).unwrap();
        fs::copy(&key, dir.join("client.key")).unwrap();
        let e = format!(
            "{:#}",
            tls_config_from_dirs(&[dir], None, true).unwrap_err()
        );
        assert!(
            e.contains("client.key: client key without its certificate client.cert"),
            "{e}"
        );
    }

    #[test]
    fn bad_pem_names_the_file() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("d");
        fs::create_dir(&dir).unwrap();
        let bad = dir.join("bad.crt");
        fs::write(
            &bad,
            "-----BEGIN CERTIFICATE-----\n%%% not base64 %%%\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        let e = format!(
            "{:#}",
            tls_config_from_dirs(std::slice::from_ref(&dir), None, true).unwrap_err()
        );
        assert!(
            e.starts_with(&format!("{}: malformed PEM", bad.display())),
            "{e}"
        );
        assert!(!e.contains('\n'), "{e}");

        fs::write(&bad, "-----BEGIN CERTIFICATE-----\nMIIB\n").unwrap();
        let e = format!(
            "{:#}",
            tls_config_from_dirs(std::slice::from_ref(&dir), None, true).unwrap_err()
        );
        assert!(
            e.contains("bad.crt: malformed PEM (missing section end marker)"),
            "{e}"
        );

        fs::write(&bad, "just text\n").unwrap();
        let e = format!(
            "{:#}",
            tls_config_from_dirs(std::slice::from_ref(&dir), None, true).unwrap_err()
        );
        assert!(e.contains("bad.crt: no PEM certificate found"), "{e}");

        fs::remove_file(&bad).unwrap();
        let (cert, _) = make_cert(tmp.path(), "c");
        fs::copy(&cert, dir.join("client.cert")).unwrap();
        fs::copy(&cert, dir.join("client.key")).unwrap();
        let e = format!(
            "{:#}",
            tls_config_from_dirs(&[dir], None, true).unwrap_err()
        );
        assert!(e.contains("client.key: no PEM private key found"), "{e}");

        let bundle = tmp.path().join("bundle.pem");
        fs::write(&bundle, "").unwrap();
        let e = format!(
            "{:#}",
            tls_config_from_dirs(&[], Some(&bundle), true).unwrap_err()
        );
        assert!(e.contains("bundle.pem: no PEM certificate found"), "{e}");
    }

    #[test]
    fn first_existing_host_dir_wins() {
        let tmp = tempfile::tempdir().unwrap();
        let bases = [
            tmp.path().join("user"),
            tmp.path().join("etc"),
            tmp.path().join("docker"),
        ];
        assert_eq!(host_cert_dir("r.io", &bases).unwrap(), None);
        fs::create_dir_all(bases[2].join("r.io")).unwrap();
        fs::create_dir_all(bases[1].join("r.io")).unwrap();
        assert_eq!(
            host_cert_dir("r.io", &bases).unwrap(),
            Some(bases[1].join("r.io"))
        );
        fs::create_dir_all(bases[0].join("r.io:5000")).unwrap();
        assert_eq!(
            host_cert_dir("r.io", &bases).unwrap(),
            Some(bases[1].join("r.io"))
        );
        assert_eq!(
            host_cert_dir("r.io:5000", &bases).unwrap(),
            Some(bases[0].join("r.io:5000"))
        );
        assert!(host_cert_dir("../etc", &bases).is_err());
        assert!(host_cert_dir("..", &bases).is_err());
    }
}
