//! Human-readable sizes and durations exactly as Podman prints them (docker/go-units).

use super::template::float_g;

const DECIMAL_UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];

/// go-units `HumanSize` (`HumanSizeWithPrecision(size, 3)`): decimal units, Go's `%.3g`.
/// 5830000 -> "5.83 MB", 1000 -> "1 kB"; like Go, 999999 -> "1e+03 kB".
pub fn human_size(bytes: u64) -> String {
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1000.0 && unit < DECIMAL_UNITS.len() - 1 {
        size /= 1000.0;
        unit += 1;
    }
    format!("{} {}", float_g(size, Some(3)), DECIMAL_UNITS[unit])
}

/// go-units `HumanDuration` for a duration in seconds; Podman appends " ago".
pub fn human_duration(secs: i64) -> String {
    if secs < 1 {
        return "Less than a second".into();
    }
    if secs == 1 {
        return "1 second".into();
    }
    if secs < 60 {
        return format!("{secs} seconds");
    }
    let minutes = secs / 60;
    if minutes == 1 {
        return "About a minute".into();
    }
    if minutes < 60 {
        return format!("{minutes} minutes");
    }
    // go-units rounds hours to nearest (int(d.Hours() + 0.5)) for everything below years.
    let hours = ((secs as f64) / 3600.0 + 0.5) as i64;
    if hours == 1 {
        return "About an hour".into();
    }
    if hours < 48 {
        return format!("{hours} hours");
    }
    if hours < 24 * 7 * 2 {
        return format!("{} days", hours / 24);
    }
    if hours < 24 * 30 * 2 {
        return format!("{} weeks", hours / 24 / 7);
    }
    if hours < 24 * 365 * 2 {
        return format!("{} months", hours / 24 / 30);
    }
    format!("{} years", secs / 3600 / 24 / 365)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        let cases = [
            (0, "0 B"),
            (999, "999 B"),
            (1000, "1 kB"),
            (1024, "1.02 kB"),
            (5_830_000, "5.83 MB"),
            (12_345_678, "12.3 MB"),
            (100_000_000, "100 MB"),
            (999_999, "1e+03 kB"),
            (1_500_000_000, "1.5 GB"),
            (7_000_000_000_000, "7 TB"),
            (u64::MAX, "18.4 EB"),
        ];
        for (n, want) in cases {
            assert_eq!(human_size(n), want, "{n}");
        }
    }

    #[test]
    fn durations() {
        let cases = [
            (-5, "Less than a second"),
            (0, "Less than a second"),
            (1, "1 second"),
            (59, "59 seconds"),
            (60, "About a minute"),
            (119, "About a minute"),
            (120, "2 minutes"),
            (3599, "59 minutes"),
            (3600, "About an hour"),
            (5399, "About an hour"),
            (5400, "2 hours"),
            (47 * 3600, "47 hours"),
            (48 * 3600, "2 days"),
            (13 * 86400, "13 days"),
            (14 * 86400, "2 weeks"),
            (59 * 86400, "8 weeks"),
            (60 * 86400, "2 months"),
            (729 * 86400, "24 months"),
            (730 * 86400, "2 years"),
            (3650 * 86400, "10 years"),
        ];
        for (s, want) in cases {
            assert_eq!(human_duration(s), want, "{s}");
        }
    }
}
