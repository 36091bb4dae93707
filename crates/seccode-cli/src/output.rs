//! What a command prints: text for people, JSON for scripts.
//!
//! Text is laid out for a terminal: columns aligned by display width (a CJK character or an
//! emoji takes two columns), times in the local time zone with their offset. JSON keeps the
//! core's forms (RFC 3339 in UTC) whatever the terminal.

use std::io::Write;

use seccode::{Account, Action, AuditEvent, AuditKind, ContactId, GridRow, Timestamp};
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use crate::error::{CliError, Exit};

/// A command's result.
#[derive(Debug)]
pub(crate) struct Report {
    pub exit: Exit,
    pub text: String,
    pub json: Value,
}

impl Report {
    /// A successful report.
    pub(crate) fn new(text: impl Into<String>, json: Value) -> Report {
        Report {
            exit: Exit::Success,
            text: text.into(),
            json,
        }
    }

    /// The same report with another exit status.
    pub(crate) fn exit(mut self, exit: Exit) -> Report {
        self.exit = exit;
        self
    }

    /// The `--json` document: the command's object with `"exit"` added.
    pub(crate) fn to_json(&self) -> Value {
        let mut json = self.json.clone();
        if let Value::Object(map) = &mut json {
            map.insert("exit".into(), Value::from(self.exit.code()));
        }
        json
    }
}

/// How many terminal columns `text` takes (East Asian wide characters and emoji: two).
pub(crate) fn display_width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Columns aligned with two spaces by display width; no trailing spaces.
pub(crate) fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| display_width(h)).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            let w = display_width(cell);
            match widths.get_mut(i) {
                Some(width) => *width = (*width).max(w),
                None => widths.push(w),
            }
        }
    }
    let mut out = String::new();
    let header: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(cell);
            let width = widths.get(i).copied().unwrap_or(0);
            let pad = width.saturating_sub(display_width(cell));
            line.extend(std::iter::repeat_n(' ', pad));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A permission grid for the terminal: the resources indented by depth, and every cell under
/// its action's header (the core's canonical text, SPEC 4, joins cells by two spaces and stays
/// the form of the API and of `--json`).
pub(crate) fn grid(rows: &[GridRow]) -> String {
    let mut headers = vec!["Resources"];
    headers.extend(Action::ALL.map(Action::title));
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let mut line = vec![format!("{}{}", "  ".repeat(row.depth), row.name)];
            line.extend(row.cells.iter().cloned());
            line
        })
        .collect();
    table(&headers, &body)
}

/// A contact's effective grid laid out by [`grid`] (`perm show`).
pub(crate) fn effective_grid(account: &Account, contact: ContactId) -> Result<String, CliError> {
    Ok(grid(&seccode::grid_rows(
        account.catalog(),
        account.grid(contact)?,
    )))
}

/// A contact's raw settings laid out by [`grid`] (`perm show --raw`).
pub(crate) fn settings_grid(account: &Account, contact: ContactId) -> Result<String, CliError> {
    Ok(grid(&seccode::settings_rows(
        account.catalog(),
        account.contact(contact)?.settings(),
    )))
}

/// The form times take on the terminal: `2026-11-30 11:02:03 +01:00`.
pub(crate) const LOCAL_FORMAT: &str = "%Y-%m-%d %H:%M:%S %:z";

/// A time as the desk shows it: in the local time zone (`TZ`, else the system's; UTC when
/// neither is known) with its offset, e.g. `2026-11-30 11:02:03 +01:00`. A time beyond what
/// the calendar handles (years past 9999) is shown as the core writes it.
pub(crate) fn local_time(t: Timestamp) -> String {
    time_in(t, &jiff::tz::TimeZone::system())
}

pub(crate) fn time_in(t: Timestamp, zone: &jiff::tz::TimeZone) -> String {
    match jiff::Timestamp::from_second(t.0) {
        Ok(at) => at
            .to_zoned_datetime(zone.clone())
            .strftime(LOCAL_FORMAT)
            .to_string(),
        Err(_) => t.to_string(),
    }
}

/// An audit event's line for the terminal: the core's text with its times in the local time
/// zone (the stored event and `--json` keep UTC).
pub(crate) fn event_line(event: &AuditEvent) -> String {
    let line = event.to_string();
    let mut line = match line.strip_prefix(&event.at.to_string()) {
        Some(rest) => format!("{}{rest}", local_time(event.at)),
        None => line,
    };
    if let AuditKind::Locked { until } | AuditKind::Throttled { until } = &event.kind {
        line = line.replace(
            &format!("(until {until})"),
            &format!("(until {})", local_time(*until)),
        );
    }
    line
}

/// Write a file whole or not at all (a temporary file in the same directory, readable by its
/// owner only, then renamed over `path`).
pub(crate) fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> Result<(), CliError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let what = format!("writing `{}`", path.display());
    let mut file = tempfile::NamedTempFile::new_in(&dir).map_err(|e| CliError::io(&what, &e))?;
    file.write_all(bytes).map_err(|e| CliError::io(&what, &e))?;
    file.as_file()
        .sync_all()
        .map_err(|e| CliError::io(&what, &e))?;
    file.persist(path)
        .map_err(|e| CliError::io(&what, &e.error))?;
    Ok(())
}

/// Set a field of a JSON object (nothing happens to other values).
pub(crate) fn put(json: &mut Value, key: &str, value: Value) {
    if let Value::Object(map) = json {
        map.insert(key.to_owned(), value);
    }
}

/// `1 thing` / `2 things`.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_columns_without_trailing_spaces() {
        let t = table(
            &["ID", "Name", "Title"],
            &[
                vec![
                    "3522".into(),
                    "Joe Example".into(),
                    "Primary Contact".into(),
                ],
                vec!["3526".into(), "Contact Example 2".into(), String::new()],
            ],
        );
        assert_eq!(
            t,
            "ID    Name               Title\n\
             3522  Joe Example        Primary Contact\n\
             3526  Contact Example 2\n"
        );
    }

    #[test]
    fn aligns_wide_characters_by_display_width() {
        let t = table(
            &["ID", "Name", "Email"],
            &[
                vec!["1".into(), "山田太郎".into(), "yamada@example.jp".into()],
                vec!["2".into(), "Zoë 😀".into(), "zoe@example.com".into()],
                vec!["3".into(), "Bob".into(), "bob@example.com".into()],
            ],
        );
        // 山田太郎 takes 8 columns, "Zoë 😀" 6: the emails start in one column.
        let starts: Vec<usize> = t
            .lines()
            .map(|line| {
                let at = line.rfind("  ").unwrap() + 2;
                display_width(&line[..at])
            })
            .collect();
        assert_eq!(starts, [14, 14, 14, 14], "{t}");
        assert!(t.contains("1   山田太郎  yamada@example.jp\n"), "{t}");
    }

    #[test]
    fn shows_times_in_the_zone_with_its_offset() {
        let paris = jiff::tz::TimeZone::posix("CET-1CEST,M3.5.0,M10.5.0/3").unwrap();
        // 2026-11-30T10:02:03Z, winter: +01:00; 2026-07-01T10:00:00Z, summer: +02:00.
        assert_eq!(
            time_in(Timestamp(1_796_032_923), &paris),
            "2026-11-30 11:02:03 +01:00"
        );
        assert_eq!(
            time_in(Timestamp(1_782_900_000), &paris),
            "2026-07-01 12:00:00 +02:00"
        );
        assert_eq!(
            time_in(Timestamp(0), &jiff::tz::TimeZone::UTC),
            "1970-01-01 00:00:00 +00:00"
        );
        // Out of the calendar's range: the core's own form.
        assert_eq!(
            time_in(Timestamp(400_000_000_000), &paris),
            Timestamp(400_000_000_000).to_string()
        );
    }
}
