//! `ADD https://...`: each URL downloaded (TLS trusting the system and certs.d CAs, as pulls
//! do) into a directory of its own, named after the URL's last path component, mode 0600 as
//! Docker gives it; `--checksum=sha256:...` verified before anything is copied. The files
//! are then copied like context files (with the server's Last-Modified as their mtime, as
//! Docker sets it), and their content checksum keys the cache (Docker downloads on every
//! build and compares the content).

use std::fs::File;
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::image::digest::{Digest, Hasher};

/// Downloads `urls` into `dir`; returns the file names, in order.
pub fn fetch_all(urls: &[String], dir: &Path, checksum: Option<&str>) -> Result<Vec<String>> {
    if checksum.is_some() && urls.len() != 1 {
        bail!("ADD --checksum needs exactly one URL source");
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut names = Vec::new();
    for url in urls {
        let name = file_name(url);
        if names.contains(&name) {
            bail!("ADD: two URLs download to the same name {name:?}");
        }
        let path = dir.join(&name);
        let digest = fetch(url, &path)?;
        if let Some(want) = checksum {
            let want: Digest = want
                .parse()
                .with_context(|| format!("invalid --checksum {want:?}"))?;
            if want != digest {
                bail!("ADD {url}: content has digest {digest}, but --checksum wants {want}");
            }
        }
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        names.push(name);
    }
    Ok(names)
}

/// The URL's last path component (no query), or `download`.
fn file_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let after_host = path.splitn(4, '/').nth(3).unwrap_or("");
    after_host
        .rsplit('/')
        .find(|s| !s.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| "download".to_string())
}

fn fetch(url: &str, path: &Path) -> Result<Digest> {
    let host = url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or("");
    let tls = crate::registry::certs::tls_config(host, None, true)?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .tls_config(tls)
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_per_read(Some(Duration::from_secs(120)))
        .build()
        .into();
    let resp = agent
        .get(url)
        .call()
        .with_context(|| format!("ADD: downloading {url}"))?;
    let status = resp.status();
    if !status.is_success() {
        bail!("ADD: downloading {url}: the server answered {status}");
    }
    let modified = resp
        .headers()
        .get("last-modified")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| chrono::DateTime::parse_from_rfc2822(v).ok());
    let mut body = resp.into_body().into_reader();
    let mut out = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut hasher = Hasher::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = match io::Read::read(&mut body, &mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).with_context(|| format!("ADD: downloading {url}")),
        };
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n])?;
    }
    out.flush()?;
    drop(out);
    // Docker gives the file the server's Last-Modified time.
    if let Some(t) = modified {
        let when = rustix::fs::Timespec {
            tv_sec: t.timestamp(),
            tv_nsec: 0,
        };
        let times = rustix::fs::Timestamps {
            last_access: when,
            last_modification: when,
        };
        rustix::fs::utimensat(rustix::fs::CWD, path, &times, rustix::fs::AtFlags::empty())
            .with_context(|| format!("setting the time of {}", path.display()))?;
    }
    Ok(hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_urls() {
        assert_eq!(file_name("https://h/x/y.tar.gz?sig=1"), "y.tar.gz");
        assert_eq!(file_name("http://127.0.0.1:8080/file"), "file");
        assert_eq!(file_name("http://h/"), "download");
        assert_eq!(file_name("http://h/dir/"), "dir");
    }
}
