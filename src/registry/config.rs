//! TEMP STUB
use anyhow::Result;
pub struct RegistriesConf {
    search: Vec<String>,
}
pub struct PullSource {
    pub name: String,
    pub insecure: bool,
    pub mirror: bool,
}
#[derive(Clone, Copy, Debug)]
pub enum ShortNameMode {
    Enforcing,
    Permissive,
    Disabled,
}
impl RegistriesConf {
    pub fn load_default() -> Result<RegistriesConf> {
        Ok(RegistriesConf { search: vec![] })
    }
    pub fn parse_str(s: &str, _origin: &str) -> Result<RegistriesConf> {
        let v: toml::Table = toml::from_str(s)?;
        let search = v
            .get("unqualified-search-registries")
            .and_then(|a| a.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        Ok(RegistriesConf { search })
    }
    pub fn search_registries(&self) -> &[String] {
        &self.search
    }
    pub fn alias(&self, _s: &str) -> Option<&str> {
        None
    }
    pub fn pull_sources(&self, name: &str, _by_digest: bool) -> Result<Vec<PullSource>> {
        Ok(vec![PullSource {
            name: name.to_string(),
            insecure: false,
            mirror: false,
        }])
    }
    pub fn is_insecure(&self, _host: &str) -> bool {
        false
    }
    pub fn is_blocked(&self, _name: &str) -> bool {
        false
    }
}
