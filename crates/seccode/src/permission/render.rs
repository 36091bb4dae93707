//! The grid as the portal shows it (SPEC 4).
//!
//! A cell of a contact's grid prints its effective value: `Allow` or `Deny` when the cell's
//! own setting decided it; `(Allow)`, `(Deny)` or `(None)` when the value comes from an
//! ancestor, from the default or from being the primary contact; `-` when the action does
//! not apply. Cells are joined by two spaces, so a fresh contact's row reads
//! `(None)  (None)  (None)  (None)`.
//!
//! The text form has a header line, `Resources` and the four action names, then one line per
//! resource in display order: the name indented two spaces per level, padded to the widest
//! name (header included), two spaces, then the cells. Every line ends with a newline and
//! has no trailing spaces. The raw settings view has the same layout with `Inherit`, `Allow`,
//! `Deny` and `-`.

use super::{Action, Catalog, Cell, Effective, Grid, Origin, ResourceId, Settings};

/// One line of a rendered grid, for callers that lay it out themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridRow {
    /// The resource.
    pub resource: ResourceId,
    /// Its name.
    pub name: String,
    /// Its depth (0 for the root).
    pub depth: usize,
    /// The text of its four cells, in column order.
    pub cells: [String; 4],
}

impl GridRow {
    /// The four cells joined by two spaces, e.g. `Allow  (None)  Allow  (None)`.
    pub fn cells_line(&self) -> String {
        self.cells.join("  ")
    }
}

impl Cell {
    /// The cell as the portal prints it: `Allow`/`Deny` when explicit, `(Allow)`, `(Deny)` or
    /// `(None)` when inherited, default or owner, `-` when not applicable.
    pub fn label(&self) -> &'static str {
        match (self.origin, self.value) {
            (_, Effective::NotApplicable) | (Origin::NotApplicable, _) => "-",
            (Origin::Explicit, Effective::Allow) => "Allow",
            (Origin::Explicit, Effective::Deny) => "Deny",
            (_, Effective::Allow) => "(Allow)",
            (_, Effective::Deny) => "(Deny)",
            (_, Effective::None) => "(None)",
        }
    }
}

/// The rows of a contact's grid, in display order.
pub fn grid_rows(catalog: &Catalog, grid: &Grid) -> Vec<GridRow> {
    rows(catalog, |id, action| {
        grid.cell(id, action).label().to_owned()
    })
}

/// The rows of a contact's raw settings, in display order: `Inherit`, `Allow`, `Deny`, and
/// `-` where the action does not apply.
pub fn settings_rows(catalog: &Catalog, settings: &Settings) -> Vec<GridRow> {
    rows(catalog, |id, action| {
        if catalog.applies(id, action) {
            settings.get(id, action).title().to_owned()
        } else {
            "-".to_owned()
        }
    })
}

/// A contact's grid as text (see the module documentation for the layout).
///
/// ```
/// use seccode::{Catalog, Grid, Settings, render_grid};
///
/// let catalog = Catalog::portal();
/// let text = render_grid(&catalog, &Grid::compile(&catalog, &Settings::new(&catalog)));
/// assert!(text.starts_with("Resources "));
/// assert!(text.contains("\n  Website                           (None)  -  -  -\n"));
/// ```
pub fn render_grid(catalog: &Catalog, grid: &Grid) -> String {
    layout(&grid_rows(catalog, grid))
}

/// A contact's raw settings as text, in the same layout as [`render_grid`].
pub fn render_settings(catalog: &Catalog, settings: &Settings) -> String {
    layout(&settings_rows(catalog, settings))
}

fn rows(catalog: &Catalog, text: impl Fn(ResourceId, Action) -> String) -> Vec<GridRow> {
    catalog
        .resources()
        .map(|id| GridRow {
            resource: id,
            name: catalog.name(id).to_owned(),
            depth: catalog.depth(id),
            cells: Action::ALL.map(|action| text(id, action)),
        })
        .collect()
}

const HEADER: &str = "Resources";

fn layout(rows: &[GridRow]) -> String {
    let label = |row: &GridRow| format!("{}{}", "  ".repeat(row.depth), row.name);
    let labels: Vec<String> = rows.iter().map(label).collect();
    let width = labels
        .iter()
        .map(|l| l.chars().count())
        .chain(std::iter::once(HEADER.len()))
        .max()
        .unwrap_or(HEADER.len());
    let titles = Action::ALL.map(Action::title).join("  ");
    let mut out = format!("{HEADER:<width$}  {titles}\n");
    for (row, label) in rows.iter().zip(labels) {
        out.push_str(&format!("{label:<width$}  {}\n", row.cells_line()));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::*;
    use crate::permission::Setting;

    fn row<'a>(rows: &'a [GridRow], name: &str) -> &'a GridRow {
        rows.iter().find(|r| r.name == name).unwrap()
    }

    #[test]
    fn cell_labels() {
        let id = Catalog::portal().root();
        let cell = |value, origin| Cell {
            resource: id,
            action: Action::View,
            value,
            origin,
        };
        assert_eq!(cell(Effective::Allow, Origin::Explicit).label(), "Allow");
        assert_eq!(cell(Effective::Deny, Origin::Explicit).label(), "Deny");
        assert_eq!(
            cell(Effective::Allow, Origin::Inherited(id)).label(),
            "(Allow)"
        );
        assert_eq!(
            cell(Effective::Deny, Origin::Inherited(id)).label(),
            "(Deny)"
        );
        assert_eq!(cell(Effective::None, Origin::Default).label(), "(None)");
        assert_eq!(cell(Effective::Allow, Origin::Owner).label(), "(Allow)");
        assert_eq!(
            cell(Effective::NotApplicable, Origin::NotApplicable).label(),
            "-"
        );
    }

    #[test]
    fn seed_manage_contacts_row() {
        let c = Catalog::portal();
        let mut s = Settings::new(&c);
        let mc = c.require("Manage Contacts").unwrap();
        s.set(&c, mc, Action::View, Setting::Allow).unwrap();
        s.set(&c, mc, Action::Update, Setting::Allow).unwrap();
        let rows = grid_rows(&c, &Grid::compile(&c, &s));
        assert_eq!(rows.len(), 13);
        assert_eq!(
            row(&rows, "Manage Contacts").cells_line(),
            "Allow  (None)  Allow  (None)"
        );
        assert_eq!(row(&rows, "Manage Contacts").depth, 2);
        assert_eq!(
            row(&rows, "Client Portal").cells_line(),
            "(None)  (None)  (None)  (None)"
        );
        assert_eq!(
            row(&rows, "Change Password").cells_line(),
            "(None)  -  (None)  -"
        );
        assert_eq!(row(&rows, "Website").cells_line(), "(None)  -  -  -");

        let raw = settings_rows(&c, &s);
        assert_eq!(
            row(&raw, "Manage Contacts").cells_line(),
            "Allow  Inherit  Allow  Inherit"
        );
        assert_eq!(
            row(&raw, "Change Password").cells_line(),
            "Inherit  -  Inherit  -"
        );
    }

    #[test]
    fn text_layout() {
        let c = Catalog::from_json(
            r#"{"resources":[{"name":"Store","actions":["view","create","update","delete"]},
                {"name":"Orders","parent":"Store","actions":["view","update"]}]}"#,
        )
        .unwrap();
        let mut s = Settings::new(&c);
        s.set(&c, c.root(), Action::Update, Setting::Deny).unwrap();
        let text = render_grid(&c, &Grid::compile(&c, &s));
        assert_eq!(
            text,
            "Resources  View  Create  Update  Delete\n\
             Store      (None)  (None)  Deny  (None)\n\
             \x20\x20Orders   (None)  -  (Deny)  -\n"
        );
        let raw = render_settings(&c, &s);
        assert_eq!(
            raw,
            "Resources  View  Create  Update  Delete\n\
             Store      Inherit  Inherit  Deny  Inherit\n\
             \x20\x20Orders   Inherit  -  Inherit  -\n"
        );
        let owner = render_grid(&c, &Grid::owner(&c));
        assert!(owner.contains("Store      (Allow)  (Allow)  (Allow)  (Allow)\n"));
    }

    #[test]
    fn text_pads_to_the_widest_indented_name() {
        let c = Catalog::portal();
        let text = render_grid(&c, &Grid::compile(&c, &Settings::new(&c)));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 14);
        // "    Manage Contact Facility Access" is 34 characters wide.
        assert_eq!(
            lines[0],
            format!("{:<34}  View  Create  Update  Delete", "Resources")
        );
        assert_eq!(
            lines[7],
            "    Manage Contact Facility Access  (None)  (None)  (None)  (None)"
        );
        assert!(lines.iter().all(|l| !l.ends_with(' ')));
    }
}
