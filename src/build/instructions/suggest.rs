//! BuildKit's "(did you mean X?)" hints (util/suggest): the closest option within an edit
//! distance of 2, in the case the user wrote when matching ignores case.

/// Appends a hint for `value` to `message` when one of `options` is close to it. An exact
/// match means the error is about something else, so no hint.
pub(super) fn with_suggestion(
    message: String,
    value: &str,
    options: &[&str],
    case_sensitive: bool,
) -> String {
    match closest(value, options, case_sensitive) {
        Some(found) => format!("{message} (did you mean {found}?)"),
        None => message,
    }
}

fn closest(value: &str, options: &[&str], case_sensitive: bool) -> Option<String> {
    let wanted = if case_sensitive {
        value.to_string()
    } else {
        value.to_lowercase()
    };
    let mut best: Option<(usize, String)> = None;
    for option in options {
        let option = if case_sensitive {
            option.to_string()
        } else {
            option.to_lowercase()
        };
        if option == wanted {
            return None;
        }
        let distance = levenshtein(&wanted, &option);
        if distance < best.as_ref().map_or(3, |(d, _)| *d) {
            best = Some((distance, option));
        }
    }
    let (_, found) = best?;
    Some(if case_sensitive {
        found
    } else {
        match_case(&found, value)
    })
}

/// The option in the user's case when they wrote all lower or all upper case.
fn match_case(option: &str, written: &str) -> String {
    if written == written.to_lowercase() {
        option.to_lowercase()
    } else if written == written.to_uppercase() {
        option.to_uppercase()
    } else {
        option.to_string()
    }
}

/// Edit distance in characters (insertions, deletions, substitutions).
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            let delete = previous[j + 1] + 1;
            let insert = current[j] + 1;
            current.push(substitute.min(delete).min(insert));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_within_two_edits_in_the_written_case() {
        let options = ["RUN", "COPY", "FROM"];
        assert_eq!(closest("RUNN", &options, false).as_deref(), Some("RUN"));
        assert_eq!(closest("copi", &options, false).as_deref(), Some("copy"));
        assert_eq!(closest("Fromm", &options, false).as_deref(), Some("from"));
        assert_eq!(closest("XYZZY", &options, false), None);
        assert_eq!(closest("run", &options, false), None);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
    }
}
