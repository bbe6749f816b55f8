//! Container names: unique per store, reserved atomically as symlinks
//! `<root>/names/<name> -> <id>` (symlink(2) fails if the name exists, so two processes
//! can never take one name), and Podman-style random names (`adjective_name`).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::store::fsutil::ensure_dir;

const ADJECTIVES: &[&str] = &[
    "admiring",
    "adoring",
    "affectionate",
    "agitated",
    "amazing",
    "angry",
    "awesome",
    "beautiful",
    "blissful",
    "bold",
    "boring",
    "brave",
    "busy",
    "charming",
    "clever",
    "cool",
    "compassionate",
    "competent",
    "confident",
    "cranky",
    "crazy",
    "dazzling",
    "determined",
    "distracted",
    "dreamy",
    "eager",
    "ecstatic",
    "elastic",
    "elated",
    "elegant",
    "eloquent",
    "epic",
    "exciting",
    "fervent",
    "festive",
    "flamboyant",
    "focused",
    "friendly",
    "frosty",
    "funny",
    "gallant",
    "gifted",
    "goofy",
    "gracious",
    "great",
    "happy",
    "hardcore",
    "heuristic",
    "hopeful",
    "hungry",
    "infallible",
    "inspiring",
    "intelligent",
    "interesting",
    "jolly",
    "jovial",
    "keen",
    "kind",
    "laughing",
    "loving",
    "lucid",
    "magical",
    "modest",
    "musing",
    "mystifying",
    "naughty",
    "nervous",
    "nice",
    "nifty",
    "nostalgic",
    "objective",
    "optimistic",
    "peaceful",
    "pedantic",
    "pensive",
    "practical",
    "priceless",
    "quirky",
    "quizzical",
    "recursing",
    "relaxed",
    "reverent",
    "romantic",
    "sad",
    "serene",
    "sharp",
    "silly",
    "sleepy",
    "stoic",
    "strange",
    "stupefied",
    "suspicious",
    "sweet",
    "tender",
    "thirsty",
    "trusting",
    "unruffled",
    "upbeat",
    "vibrant",
    "vigilant",
    "vigorous",
    "wizardly",
    "wonderful",
    "xenodochial",
    "youthful",
    "zealous",
    "zen",
];

const SURNAMES: &[&str] = &[
    "agnesi",
    "albattani",
    "allen",
    "almeida",
    "archimedes",
    "ardinghelli",
    "babbage",
    "banach",
    "bardeen",
    "bartik",
    "bell",
    "benz",
    "bhabha",
    "blackwell",
    "bohr",
    "booth",
    "borg",
    "bose",
    "brahmagupta",
    "brattain",
    "brown",
    "carson",
    "cerf",
    "chandrasekhar",
    "chaum",
    "clarke",
    "colden",
    "cori",
    "curie",
    "darwin",
    "davinci",
    "dijkstra",
    "dubinsky",
    "easley",
    "einstein",
    "elion",
    "engelbart",
    "euclid",
    "euler",
    "fermat",
    "fermi",
    "feynman",
    "franklin",
    "galileo",
    "gates",
    "goldberg",
    "goldstine",
    "goodall",
    "hamilton",
    "hawking",
    "heisenberg",
    "hermann",
    "hodgkin",
    "hoover",
    "hopper",
    "hypatia",
    "jang",
    "jennings",
    "jepsen",
    "johnson",
    "joliot",
    "kalam",
    "kapitsa",
    "keller",
    "kepler",
    "khorana",
    "kilby",
    "knuth",
    "kowalevski",
    "lalande",
    "lamarr",
    "lamport",
    "leakey",
    "leavitt",
    "lederberg",
    "lehmann",
    "lewin",
    "lichterman",
    "liskov",
    "lovelace",
    "lumiere",
    "mahavira",
    "margulis",
    "mayer",
    "mccarthy",
    "mcclintock",
    "meitner",
    "mendel",
    "merkle",
    "mirzakhani",
    "montalcini",
    "moore",
    "morse",
    "napier",
    "nash",
    "neumann",
    "newton",
    "nightingale",
    "nobel",
    "noether",
    "northcutt",
    "noyce",
    "pascal",
    "pasteur",
    "perlman",
    "pike",
    "poincare",
    "ptolemy",
    "raman",
    "ramanujan",
    "ride",
    "ritchie",
    "rosalind",
    "sammet",
    "shamir",
    "shannon",
    "shockley",
    "sinoussi",
    "snyder",
    "stonebraker",
    "swanson",
    "tesla",
    "thompson",
    "torvalds",
    "turing",
    "varahamihira",
    "visvesvaraya",
    "volhard",
    "wescoff",
    "wiles",
    "williams",
    "wilson",
    "wing",
    "wozniak",
    "wright",
    "yalow",
    "yonath",
];

fn names_dir(root: &Path) -> PathBuf {
    root.join("names")
}

/// Podman accepts `[a-zA-Z0-9][a-zA-Z0-9_.-]*`.
pub fn validate(name: &str) -> Result<()> {
    let mut chars = name.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if !ok {
        bail!(
            "container name {name:?} is invalid: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument"
        );
    }
    Ok(())
}

/// The id holding `name`, if any.
pub fn lookup(root: &Path, name: &str) -> Option<String> {
    fs::read_link(names_dir(root).join(name))
        .ok()
        .map(|p| p.to_string_lossy().into_owned())
}

/// Reserve `name` for `id`, atomically; Podman's message when it is taken.
pub fn reserve(root: &Path, name: &str, id: &str) -> Result<()> {
    validate(name)?;
    let dir = ensure_dir(&names_dir(root))?;
    match std::os::unix::fs::symlink(id, dir.join(name)) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            let holder = lookup(root, name).unwrap_or_default();
            bail!(
                "creating container storage: the container name {name:?} is already in use by {holder}. You have to remove that container to be able to reuse that name: that name is already in use"
            )
        }
        Err(e) => Err(e).with_context(|| format!("reserving container name {name}")),
    }
}

/// Release `name` if it still points at `id`.
pub fn release(root: &Path, name: &str, id: &str) {
    if lookup(root, name).as_deref() == Some(id) {
        let _ = fs::remove_file(names_dir(root).join(name));
    }
}

/// A free random name like `sleepy_tesla`.
pub fn random_name(root: &Path, id: &str) -> Result<String> {
    let seed = u64::from_str_radix(&id[..16], 16).unwrap_or(0);
    for attempt in 0..64u64 {
        let x = seed.wrapping_add(attempt.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let a = ADJECTIVES[(x % ADJECTIVES.len() as u64) as usize];
        let s = SURNAMES[((x >> 20) % SURNAMES.len() as u64) as usize];
        let name = if attempt < 8 {
            format!("{a}_{s}")
        } else {
            format!("{a}_{s}{attempt}")
        };
        if lookup(root, &name).is_none() && reserve(root, &name, id).is_ok() {
            return Ok(name);
        }
    }
    bail!("could not find a free random container name")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserve_is_exclusive() {
        let d = tempfile::tempdir().unwrap();
        reserve(d.path(), "web", "a1").unwrap();
        let e = reserve(d.path(), "web", "b2").unwrap_err().to_string();
        assert!(e.contains("already in use by a1"), "{e}");
        release(d.path(), "web", "b2");
        assert_eq!(lookup(d.path(), "web").as_deref(), Some("a1"));
        release(d.path(), "web", "a1");
        assert!(lookup(d.path(), "web").is_none());
        assert!(validate("-bad").is_err());
        assert!(validate("ok_name.1-2").is_ok());
        let n = random_name(d.path(), "0123456789abcdef0123").unwrap();
        assert!(n.contains('_'));
    }
}
