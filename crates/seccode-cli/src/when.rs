//! Times on the command line: RFC 3339, a date, unix seconds, or an age.

use seccode::Timestamp;

use crate::error::CliError;

/// Parse `2026-11-23T21:27:31Z` (or with `+hh:mm` / `-hh:mm`), `2026-11-23` (midnight UTC),
/// `@1795469251` or `1795469251` (unix seconds), or an age before `now`: `90s`, `30m`, `12h`,
/// `7d`.
pub(crate) fn parse_time(text: &str, now: Timestamp) -> Result<Timestamp, CliError> {
    let t = text.trim();
    let bad = || {
        CliError::bad_input(
            "invalid_time",
            format!(
                "`{text}` is not a time: use 2026-11-23T21:27:31Z, 2026-11-23, @UNIXSECONDS or an \
                 age such as 30m, 12h, 7d"
            ),
        )
    };
    if let Some(digits) = t.strip_prefix('@') {
        return digits.parse::<i64>().map(Timestamp).map_err(|_| bad());
    }
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse::<i64>().map(Timestamp).map_err(|_| bad());
    }
    if let Some((number, unit)) = t.char_indices().last().map(|(i, c)| (t.get(..i), c)) {
        let scale = match unit {
            's' => Some(1),
            'm' => Some(60),
            'h' => Some(3600),
            'd' => Some(86_400),
            'w' => Some(7 * 86_400),
            _ => None,
        };
        if let (Some(number), Some(scale)) = (number, scale)
            && let Ok(n) = number.parse::<i64>()
        {
            return Ok(now.plus_seconds(n.saturating_mul(scale).saturating_neg()));
        }
    }
    parse_rfc3339(t).ok_or_else(bad)
}

fn number(text: Option<&str>, digits: usize) -> Option<i64> {
    let text = text?;
    if text.len() != digits || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn parse_rfc3339(t: &str) -> Option<Timestamp> {
    let year = number(t.get(0..4), 4)?;
    if t.get(4..5)? != "-" || t.get(7..8)? != "-" {
        return None;
    }
    let month = number(t.get(5..7), 2)?;
    let day = number(t.get(8..10), 2)?;
    if !(1..=12).contains(&month) || !(1..=days_in_month(year, month)).contains(&day) {
        return None;
    }
    let date = days_from_civil(year, month, day).checked_mul(86_400)?;
    let rest = t.get(10..)?;
    if rest.is_empty() {
        return Some(Timestamp(date));
    }
    let sep = rest.get(0..1)?;
    if sep != "T" && sep != "t" && sep != " " {
        return None;
    }
    let hour = number(rest.get(1..3), 2)?;
    let minute = number(rest.get(4..6), 2)?;
    let second = number(rest.get(7..9), 2)?;
    if rest.get(3..4)? != ":" || rest.get(6..7)? != ":" || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut zone = rest.get(9..)?;
    if let Some(fraction) = zone.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        zone = fraction.get(digits..)?;
    }
    let offset = match zone {
        "Z" | "z" => 0,
        _ => {
            let sign = match zone.get(0..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            if zone.len() != 6 || zone.get(3..4)? != ":" {
                return None;
            }
            let h = number(zone.get(1..3), 2)?;
            let m = number(zone.get(4..6), 2)?;
            sign * (h * 3600 + m * 60)
        }
    };
    Some(Timestamp(
        date + hour * 3600 + minute * 60 + second - offset,
    ))
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp(1_795_469_251);

    #[test]
    fn round_trips_the_core_display() {
        for t in [0, 951_782_400, 1_795_469_251, -86_400] {
            let shown = Timestamp(t).to_string();
            assert_eq!(parse_time(&shown, NOW).unwrap(), Timestamp(t), "{shown}");
        }
    }

    #[test]
    fn accepts_every_documented_form() {
        assert_eq!(
            parse_time("2026-11-23", NOW).unwrap(),
            Timestamp(1_795_392_000)
        );
        assert_eq!(parse_time("@12", NOW).unwrap(), Timestamp(12));
        assert_eq!(parse_time("12", NOW).unwrap(), Timestamp(12));
        assert_eq!(parse_time("30m", NOW).unwrap(), Timestamp(NOW.0 - 1800));
        assert_eq!(
            parse_time("7d", NOW).unwrap(),
            Timestamp(NOW.0 - 7 * 86_400)
        );
        assert_eq!(
            parse_time("2026-11-23T22:27:31+01:00", NOW).unwrap(),
            Timestamp(1_795_469_251)
        );
        assert_eq!(
            parse_time("2026-11-23T21:27:31.250Z", NOW).unwrap(),
            Timestamp(1_795_469_251)
        );
    }

    #[test]
    fn refuses_nonsense() {
        for bad in [
            "",
            "yesterday",
            "2026-13-01",
            "2026-02-30",
            "2026-11-23T25:00:00Z",
            "5x",
        ] {
            assert!(parse_time(bad, NOW).is_err(), "{bad}");
        }
    }
}
