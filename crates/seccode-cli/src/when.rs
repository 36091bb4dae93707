//! Times on the command line: RFC 3339, a date, unix seconds, or an age.

use seccode::Timestamp;

use crate::error::CliError;

/// Parse `2026-11-23T21:27:31Z` (or with `+hh:mm` / `-hh:mm`), `2026-11-23` (midnight UTC),
/// `2026-11-23 22:27:31 +01:00` (as the desk shows times), `@1795469251` or `1795469251` (unix
/// seconds), or an age before `now`: `90s`, `30m`, `12h`, `7d`, `2w`.
pub(crate) fn parse_time(text: &str, now: Timestamp) -> Result<Timestamp, CliError> {
    let t = text.trim();
    let bad = || {
        CliError::bad_input(
            "invalid_time",
            format!(
                "`{text}` is not a time: use 2026-11-23T21:27:31Z, 2026-11-23 22:27:31 +01:00, \
                 2026-11-23, @UNIXSECONDS or an \
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
    parse_absolute(t).ok_or_else(bad)
}

/// A time given absolutely: RFC 3339 with `Z` or an offset (a fraction of a second dropped),
/// a date alone (midnight UTC), or a time as the desk shows it (`2026-11-23 22:27:31 +01:00`).
/// The calendar is jiff's.
fn parse_absolute(t: &str) -> Option<Timestamp> {
    let at = if t.len() == 10 {
        let date: jiff::civil::Date = t.parse().ok()?;
        date.to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .ok()?
            .timestamp()
    } else if let Ok(at) = t.parse::<jiff::Timestamp>() {
        at
    } else {
        jiff::fmt::strtime::parse(crate::output::LOCAL_FORMAT, t)
            .ok()?
            .to_timestamp()
            .ok()?
    };
    Some(Timestamp(at.as_second()))
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
        assert_eq!(
            parse_time("2026-11-23t21:27:31z", NOW).unwrap(),
            Timestamp(1_795_469_251)
        );
        assert_eq!(
            parse_time("2026-11-23 21:27:31Z", NOW).unwrap(),
            Timestamp(1_795_469_251)
        );
        assert_eq!(
            parse_time("2026-11-23T16:27:31-05:00", NOW).unwrap(),
            Timestamp(1_795_469_251)
        );
        assert_eq!(
            parse_time("2w", NOW).unwrap(),
            Timestamp(NOW.0 - 14 * 86_400)
        );
    }

    #[test]
    fn reads_back_what_the_desk_shows() {
        let shown = "2026-11-23 22:27:31 +01:00";
        assert_eq!(parse_time(shown, NOW).unwrap(), Timestamp(1_795_469_251));
        let zone = jiff::tz::TimeZone::posix("CET-1CEST,M3.5.0,M10.5.0/3").unwrap();
        assert_eq!(crate::output::time_in(NOW, &zone), shown);
    }

    #[test]
    fn refuses_nonsense() {
        for bad in [
            "",
            "yesterday",
            "2026-13-01",
            "2026-02-30",
            "2026-11-23T25:00:00Z",
            "2026-11-23T21:27:31",
            "2026-11-23 22:27:31",
            "2026-1-23",
            "5x",
        ] {
            assert!(parse_time(bad, NOW).is_err(), "{bad}");
        }
    }
}
