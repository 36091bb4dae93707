//! Cells of the CSV files the faces export for spreadsheets (the desk's `contact export --csv`,
//! the service's `contacts.csv` and the portal's "Download CSV File"): one rule, kept here
//! because every face that writes such a file already depends on the store.

use std::borrow::Cow;

use seccode::{Account, Contact};

/// The contacts a contacts CSV ([`contacts_csv`]) lists, in id order: the active ones, or every
/// one with `all`.
pub fn csv_contacts(account: &Account, all: bool) -> impl Iterator<Item = &Contact> {
    account.contacts().filter(move |c| all || c.is_active())
}

/// The contacts of `account` as a CSV file for spreadsheets, the same bytes in every face (the
/// desk's `contact export --csv`, the service's `contacts.csv`, the portal's "Download CSV
/// File"): a header `ID,Name,Title,Phone,Email,Security Code` (and `Status` with `all`), then
/// one row per contact of [`csv_contacts`], the code column `set` or `not set` (never the
/// code), every text cell through [`csv_cell`].
pub fn contacts_csv(account: &Account, all: bool) -> std::io::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["ID", "Name", "Title", "Phone", "Email", "Security Code"];
    if all {
        header.push("Status");
    }
    writer.write_record(&header)?;
    for c in csv_contacts(account, all) {
        let d = c.details();
        let id = c.id().to_string();
        let mut record = vec![
            id.as_str().into(),
            csv_cell(&d.name),
            csv_cell(&d.title),
            csv_cell(&d.phone),
            csv_cell(&d.email),
            if c.has_code() { "set" } else { "not set" }.into(),
        ];
        if all {
            record.push(
                if c.is_active() {
                    "active"
                } else {
                    "deactivated"
                }
                .into(),
            );
        }
        writer.write_record(record.iter().map(|cell| cell.as_bytes()))?;
    }
    writer.into_inner().map_err(|e| e.into_error())
}

/// A cell of a CSV file meant for spreadsheets, made safe against formula injection as OWASP
/// advises ("CSV Injection"): text that begins with `=`, `+`, `-`, `@`, a tab or a carriage
/// return gets a single quote `'` in front, so that a spreadsheet shows it as text instead of
/// running it as a formula (`=HYPERLINK(…)` becomes `'=HYPERLINK(…)`); any other text comes
/// back unchanged, borrowed. The CSV writer still quotes the cell as RFC 4180 requires.
///
/// ```
/// use seccode_store::csv_cell;
///
/// assert_eq!(csv_cell("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
/// assert_eq!(csv_cell("@SUM(1)"), "'@SUM(1)");
/// assert_eq!(csv_cell("Jean-Luc Picard"), "Jean-Luc Picard");
/// ```
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralizes_every_formula_start_and_nothing_else() {
        for risky in ["=1+1", "+1", "-1", "@SUM(1)", "\t=1", "\r=1"] {
            assert_eq!(csv_cell(risky), format!("'{risky}"), "{risky:?}");
        }
        for plain in [
            "",
            "Joe",
            "Jean-Luc",
            "a=b",
            "000-000-0000",
            "'=already",
            " =1",
        ] {
            assert!(matches!(csv_cell(plain), Cow::Borrowed(_)), "{plain:?}");
        }
    }
}
