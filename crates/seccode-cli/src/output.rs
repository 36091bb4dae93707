//! What a command prints: text for people, JSON for scripts.

use serde_json::Value;

use crate::error::Exit;

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

/// Columns aligned with two spaces; no trailing spaces.
pub(crate) fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            let w = cell.chars().count();
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
            let pad = width.saturating_sub(cell.chars().count());
            line.extend(std::iter::repeat_n(' ', pad));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
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
}
