//! The Go number and duration syntax HEALTHCHECK's flags are written in: `time.ParseDuration`
//! (`1m30s`, `1.5h`, `300ms`) and `strconv.ParseInt(s, 10, 32)`, with Go's error words, since
//! BuildKit passes those errors through to the user.

use std::time::Duration;

use super::go_quote;

/// Nanoseconds in one of Go's duration units.
fn unit_nanos(unit: &str) -> Option<u64> {
    Some(match unit {
        "ns" => 1,
        "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60 * 1_000_000_000,
        "h" => 3600 * 1_000_000_000,
        _ => return None,
    })
}

const LIMIT: u64 = 1 << 63;

/// Go's `time.ParseDuration`: signed nanoseconds.
pub(super) fn parse_go_duration(text: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", go_quote(text));
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: u64 = 0;
    while !rest.is_empty() {
        let (nanos, after) = duration_term(rest, text)?;
        total = total.checked_add(nanos).ok_or_else(invalid)?;
        if total > LIMIT {
            return Err(invalid());
        }
        rest = after;
    }
    if negative {
        // -(1 << 63) is the one magnitude only a negative duration can have.
        return Ok((total as i64).wrapping_neg());
    }
    i64::try_from(total).map_err(|_| invalid())
}

/// One `[0-9]*(\.[0-9]*)?unit` term: its nanoseconds and the text after it.
fn duration_term<'a>(s: &'a str, whole: &str) -> Result<(u64, &'a str), String> {
    let invalid = || format!("time: invalid duration {}", go_quote(whole));
    if !s.starts_with(|c: char| c == '.' || c.is_ascii_digit()) {
        return Err(invalid());
    }
    let int_len = s.bytes().take_while(u8::is_ascii_digit).count();
    let whole_part = leading_int(&s[..int_len]).ok_or_else(invalid)?;
    let mut rest = &s[int_len..];
    let mut fraction = (0u64, 1f64);
    let mut has_fraction = false;
    if let Some(after_dot) = rest.strip_prefix('.') {
        let frac_len = after_dot.bytes().take_while(u8::is_ascii_digit).count();
        fraction = leading_fraction(&after_dot[..frac_len]);
        has_fraction = frac_len > 0;
        rest = &after_dot[frac_len..];
    }
    if int_len == 0 && !has_fraction {
        return Err(invalid());
    }
    let unit_len = rest
        .find(|c: char| c == '.' || c.is_ascii_digit())
        .unwrap_or(rest.len());
    if unit_len == 0 {
        return Err(format!(
            "time: missing unit in duration {}",
            go_quote(whole)
        ));
    }
    let (unit, rest) = rest.split_at(unit_len);
    let Some(scale) = unit_nanos(unit) else {
        return Err(format!(
            "time: unknown unit {} in duration {}",
            go_quote(unit),
            go_quote(whole)
        ));
    };
    if whole_part > LIMIT / scale {
        return Err(invalid());
    }
    let mut nanos = whole_part * scale;
    let (digits, divisor) = fraction;
    if digits > 0 {
        // Go converts through float64 here too, so rounding matches.
        nanos += (digits as f64 * (scale as f64 / divisor)) as u64;
        if nanos > LIMIT {
            return Err(invalid());
        }
    }
    Ok((nanos, rest))
}

/// Go's leadingInt: None on overflow past 1<<63.
fn leading_int(digits: &str) -> Option<u64> {
    let mut value: u64 = 0;
    for digit in digits.bytes() {
        if value > LIMIT / 10 {
            return None;
        }
        value = value * 10 + u64::from(digit - b'0');
        if value > LIMIT {
            return None;
        }
    }
    Some(value)
}

/// Go's leadingFraction: the digits as an integer and 10^(digits used); digits past what
/// fits are dropped.
fn leading_fraction(digits: &str) -> (u64, f64) {
    let mut value: u64 = 0;
    let mut scale = 1f64;
    for digit in digits.bytes() {
        if value > (LIMIT - 1) / 10 {
            break;
        }
        let next = value * 10 + u64::from(digit - b'0');
        if next > LIMIT {
            break;
        }
        value = next;
        scale *= 10.0;
    }
    (value, scale)
}

/// A HEALTHCHECK duration flag (BuildKit's parseOptInterval): empty or zero means not set;
/// anything else must be at least 1ms.
pub(super) fn parse_interval(flag: &str, value: Option<&str>) -> Result<Duration, String> {
    let Some(value) = value.filter(|v| !v.is_empty()) else {
        return Ok(Duration::ZERO);
    };
    let nanos = parse_go_duration(value)?;
    if nanos == 0 {
        return Ok(Duration::ZERO);
    }
    if nanos < 1_000_000 {
        return Err(format!(
            "Interval {} cannot be less than 1ms",
            go_quote(flag)
        ));
    }
    Ok(Duration::from_nanos(nanos.unsigned_abs()))
}

/// Go's `strconv.ParseInt(s, 10, 32)`.
pub(super) fn parse_go_int32(text: &str) -> Result<i32, String> {
    let syntax = || {
        format!(
            "strconv.ParseInt: parsing {}: invalid syntax",
            go_quote(text)
        )
    };
    let range = || {
        format!(
            "strconv.ParseInt: parsing {}: value out of range",
            go_quote(text)
        )
    };
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() {
        return Err(syntax());
    }
    let mut magnitude: u64 = 0;
    for digit in digits.bytes() {
        if !digit.is_ascii_digit() {
            return Err(syntax());
        }
        magnitude = magnitude * 10 + u64::from(digit - b'0');
        // Go stops at the first digit that overflows 32 bits, before looking further.
        if magnitude > u64::from(u32::MAX) {
            return Err(range());
        }
    }
    let signed = if negative {
        -(magnitude as i64)
    } else {
        magnitude as i64
    };
    i32::try_from(signed).map_err(|_| range())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("0"), Ok(0));
        assert_eq!(parse_go_duration("5s"), Ok(5_000_000_000));
        assert_eq!(parse_go_duration("1m30s"), Ok(90_000_000_000));
        assert_eq!(parse_go_duration("1.5h"), Ok(5_400_000_000_000));
        assert_eq!(parse_go_duration(".5ms"), Ok(500_000));
        assert_eq!(parse_go_duration("1.s"), Ok(1_000_000_000));
        assert_eq!(parse_go_duration("-2us"), Ok(-2_000));
        assert_eq!(parse_go_duration("3\u{b5}s"), Ok(3_000));
        assert_eq!(parse_go_duration("2562047h47m16.854775807s"), Ok(i64::MAX));
        assert_eq!(parse_go_duration("-2562047h47m16.854775808s"), Ok(i64::MIN));
        assert_eq!(
            parse_go_duration("2562047h47m16.854775808s"),
            Err("time: invalid duration \"2562047h47m16.854775808s\"".into())
        );
        assert_eq!(
            parse_go_duration("10"),
            Err("time: missing unit in duration \"10\"".into())
        );
        assert_eq!(
            parse_go_duration("3x"),
            Err("time: unknown unit \"x\" in duration \"3x\"".into())
        );
        for bad in ["", "-", ".", "s", "1s.", "+.s", "1e3s"] {
            assert!(parse_go_duration(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn intervals_have_a_floor_of_one_millisecond() {
        assert_eq!(parse_interval("interval", None), Ok(Duration::ZERO));
        assert_eq!(parse_interval("interval", Some("0s")), Ok(Duration::ZERO));
        assert_eq!(
            parse_interval("timeout", Some("1ms")),
            Ok(Duration::from_millis(1))
        );
        assert_eq!(
            parse_interval("interval", Some("999us")),
            Err("Interval \"interval\" cannot be less than 1ms".into())
        );
        assert_eq!(
            parse_interval("start-period", Some("-5s")),
            Err("Interval \"start-period\" cannot be less than 1ms".into())
        );
    }

    #[test]
    fn go_int32() {
        assert_eq!(parse_go_int32("3"), Ok(3));
        assert_eq!(parse_go_int32("+7"), Ok(7));
        assert_eq!(parse_go_int32("-1"), Ok(-1));
        assert_eq!(parse_go_int32("2147483647"), Ok(i32::MAX));
        assert_eq!(
            parse_go_int32("2147483648"),
            Err("strconv.ParseInt: parsing \"2147483648\": value out of range".into())
        );
        assert_eq!(
            parse_go_int32("3x"),
            Err("strconv.ParseInt: parsing \"3x\": invalid syntax".into())
        );
        assert!(parse_go_int32("").is_err());
        assert!(parse_go_int32("1_000").is_err());
    }
}
