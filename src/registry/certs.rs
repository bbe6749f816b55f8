//! TEMP STUB
use anyhow::Result;
use std::path::Path;
pub fn tls_config(
    _host: &str,
    _cert_dir: Option<&Path>,
    verify: bool,
) -> Result<ureq::tls::TlsConfig> {
    Ok(ureq::tls::TlsConfig::builder()
        .disable_verification(!verify)
        .build())
}
