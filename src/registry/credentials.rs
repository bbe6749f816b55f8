//! TEMP STUB
use anyhow::Result;
use std::path::{Path, PathBuf};
#[derive(Clone, Debug)]
pub struct Credentials {
    pub username: String,
    pub password: String,
    pub identity_token: Option<String>,
}
pub struct AuthFiles {
    path: PathBuf,
}
impl AuthFiles {
    pub fn default_for_user() -> AuthFiles {
        AuthFiles {
            path: PathBuf::from("/nonexistent"),
        }
    }
    pub fn only(path: PathBuf) -> AuthFiles {
        AuthFiles { path }
    }
    pub fn lookup(&self, _key: &str) -> Result<Option<Credentials>> {
        Ok(None)
    }
    pub fn store(&self, _key: &str, _c: &Credentials) -> Result<()> {
        Ok(())
    }
    pub fn remove(&self, _key: &str) -> Result<bool> {
        Ok(false)
    }
    pub fn remove_all(&self) -> Result<()> {
        Ok(())
    }
    pub fn write_path(&self) -> &Path {
        &self.path
    }
}
pub fn parse_creds_flag(s: &str) -> Result<Credentials> {
    let (u, p) = s.split_once(':').unwrap_or((s, ""));
    Ok(Credentials {
        username: u.into(),
        password: p.into(),
        identity_token: None,
    })
}
