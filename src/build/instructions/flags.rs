//! Instruction flags with BuildKit's BFlags rules (bflag.go): `--name=value` strings,
//! booleans that may stand alone or say `=true`/`=false`, and string lists that may repeat
//! (`--mount`, `--exclude`). A flag the instruction does not declare is an unknown flag.

/// What a declared flag holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Bool,
    Str,
    Strings,
}

/// The flags an instruction takes.
pub(super) type Spec = &'static [(&'static str, Kind)];

#[derive(Debug)]
enum Value {
    Bool(bool),
    Str(String),
    Strings(Vec<String>),
}

/// The flags given, checked against a [`Spec`].
#[derive(Debug, Default)]
pub(super) struct Flags {
    used: Vec<(&'static str, Value)>,
}

/// Reads the raw `--name[=value]` words (quotes already removed by the parser).
pub(super) fn parse(raw: &[String], spec: Spec) -> Result<Flags, String> {
    let mut flags = Flags::default();
    for arg in raw {
        let Some(body) = arg.strip_prefix("--") else {
            return Err(format!("Arg should start with -- : {arg}"));
        };
        // A bare `--` ends the flags.
        if body.is_empty() {
            break;
        }
        let (name, value) = match body.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (body, None),
        };
        let Some(&(name, kind)) = spec.iter().find(|(known, _)| *known == name) else {
            return Err(format!("Unknown flag: {name}"));
        };
        flags.set(name, kind, value)?;
    }
    Ok(flags)
}

impl Flags {
    fn set(&mut self, name: &'static str, kind: Kind, value: Option<&str>) -> Result<(), String> {
        let existing = self.used.iter().position(|(used, _)| *used == name);
        if existing.is_some() && kind != Kind::Strings {
            return Err(format!("Duplicate flag specified: {name}"));
        }
        let missing = || format!("Missing a value on flag: {name}");
        let parsed = match kind {
            Kind::Bool => Value::Bool(parse_bool_flag(name, value)?),
            Kind::Str => Value::Str(value.ok_or_else(missing)?.to_string()),
            Kind::Strings => {
                let value = value.ok_or_else(missing)?.to_string();
                if let Some(index) = existing
                    && let (_, Value::Strings(list)) = &mut self.used[index]
                {
                    list.push(value);
                    return Ok(());
                }
                Value::Strings(vec![value])
            }
        };
        self.used.push((name, parsed));
        Ok(())
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.used
            .iter()
            .find(|(used, _)| *used == name)
            .map(|(_, value)| value)
    }

    /// A string flag's value when given, even empty.
    pub(super) fn given_str(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            Some(Value::Str(value)) => Some(value),
            _ => None,
        }
    }

    /// A string flag's value; None when absent or empty (BuildKit's default is "").
    pub(super) fn str(&self, name: &str) -> Option<String> {
        self.given_str(name)
            .filter(|value| !value.is_empty())
            .map(str::to_string)
    }

    /// A boolean flag when given.
    pub(super) fn given_bool(&self, name: &str) -> Option<bool> {
        match self.get(name) {
            Some(Value::Bool(value)) => Some(*value),
            _ => None,
        }
    }

    /// A boolean flag, false when absent.
    pub(super) fn bool(&self, name: &str) -> bool {
        self.given_bool(name).unwrap_or(false)
    }

    /// A repeatable flag's values in order.
    pub(super) fn strings(&self, name: &str) -> Vec<String> {
        match self.get(name) {
            Some(Value::Strings(list)) => list.clone(),
            _ => Vec::new(),
        }
    }
}

/// `--flag` alone is true; `--flag=` is an error; otherwise true/false in any case.
fn parse_bool_flag(name: &str, value: Option<&str>) -> Result<bool, String> {
    let Some(value) = value else {
        return Ok(true);
    };
    if value.is_empty() {
        return Err(format!("Missing a value on flag: {name}"));
    }
    match value.to_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(format!(
            "Expecting boolean value for flag {name}, not: {value}"
        )),
    }
}
