//! Splitting a logical line into instruction word, `--flags` and the rest (BuildKit's
//! split_command.go).

/// Returns the instruction word (original case), the flags and the trimmed arguments.
pub(super) fn split_command(line: &str, escape: char) -> (&str, Vec<String>, String) {
    let trimmed = line.trim();
    let Some((cmd, rest)) = split_once_whitespace(trimmed) else {
        return (trimmed, Vec::new(), String::new());
    };
    let (args, flags) = extract_builder_flags(rest, escape);
    (cmd, flags, args.trim().to_string())
}

/// Go's `[\t\v\f\r ]+` (BuildKit's reWhitespace): ASCII blanks only, no newline.
pub(super) fn is_ascii_blank(c: char) -> bool {
    matches!(c, '\t' | '\x0b' | '\x0c' | '\r' | ' ')
}

/// Splits at the first run of ASCII blanks (reWhitespace.Split(s, 2)).
pub(super) fn split_once_whitespace(s: &str) -> Option<(&str, &str)> {
    let start = s.find(is_ascii_blank)?;
    let rest = s[start..].trim_start_matches(is_ascii_blank);
    Some((&s[..start], rest))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Spaces,
    Word,
    Quote,
}

/// Takes the leading `--name[=value]` words off `line`. Quotes in a flag are removed and the
/// escape character escapes the next character; a bare `--` ends the flags. Returns the rest
/// of the line (from the first word that is not a flag) and the flags.
///
/// BuildKit walks bytes here, so it garbles non-ASCII flag values; we walk characters.
pub(super) fn extract_builder_flags(line: &str, escape: char) -> (&str, Vec<String>) {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut flags = Vec::new();
    let mut word = String::new();
    let mut phase = Phase::Spaces;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut i = 0;
    loop {
        let at_end = i == chars.len();
        if phase == Phase::Spaces {
            if at_end {
                break;
            }
            let (pos, ch) = chars[i];
            if ch.is_whitespace() {
                i += 1;
                continue;
            }
            let next = chars.get(i + 1).map(|&(_, c)| c);
            if ch != '-' || next != Some('-') {
                return (&line[pos..], flags);
            }
            phase = Phase::Word;
        }
        if at_end {
            if word != "--" && (blank_ok || !word.is_empty()) {
                flags.push(word);
            }
            break;
        }
        let (pos, mut ch) = chars[i];
        i += 1;
        if phase == Phase::Word {
            if ch.is_whitespace() {
                if word == "--" {
                    return (&line[pos..], flags);
                }
                if blank_ok || !word.is_empty() {
                    flags.push(std::mem::take(&mut word));
                }
                phase = Phase::Spaces;
                blank_ok = false;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                continue;
            }
        } else if ch == quote {
            phase = Phase::Word;
            continue;
        }
        if ch == escape {
            let Some(&(_, escaped)) = chars.get(i) else {
                // An escape at the very end is dropped.
                phase = Phase::Word;
                continue;
            };
            ch = escaped;
            i += 1;
        }
        word.push(ch);
    }
    ("", flags)
}
