//! Values from a closed set (audit kinds, resources, actions, settings, matchings, request
//! kinds, key roles): an unknown one is refused (exit 3) naming the closest known value, or
//! listing them all when none is close. The one place for the closest-match rule; the names
//! themselves come from where the set is defined (the core's `AuditKind::NAMES`, `Action::ALL`,
//! the account's permission catalog, ...), and each value is first read by its own parser.

use serde_json::json;

use crate::error::CliError;

/// The closest of `known` to `input`, when one is close enough to be a slip of the keyboard:
/// compared without letter case, at most a third of the known name's characters apart (at
/// least 1, at most 3) by Damerau-Levenshtein distance (a swap of two neighbours counts as
/// one). Ties go to the first in `known`.
pub(crate) fn closest<'a>(input: &str, known: &[&'a str]) -> Option<&'a str> {
    let wanted = input.trim().to_lowercase();
    known
        .iter()
        .map(|name| {
            let distance = strsim::damerau_levenshtein(&wanted, &name.to_lowercase());
            (distance, *name)
        })
        .filter(|(distance, name)| *distance <= (name.chars().count() / 3).clamp(1, 3))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

/// The error for an unknown `what` (e.g. `audit kind`): "unknown audit kind `x`; did you mean
/// `y`?", or the valid values when none is close.
pub(crate) fn unknown(what: &str, input: &str, known: &[&str]) -> CliError {
    let suggestion = closest(input, known);
    let message = match suggestion {
        Some(name) => format!("unknown {what} `{input}`; did you mean `{name}`?"),
        None => {
            let all: Vec<String> = known.iter().map(|n| format!("`{n}`")).collect();
            format!(
                "unknown {what} `{input}`; expected one of {}",
                all.join(", ")
            )
        }
    };
    let mut err = CliError::bad_input("unknown_value", message);
    err.extra = json!({ "value": input, "suggestion": suggestion, "valid": known });
    err
}

/// `input` read by `parse` (the set's own rule), or [`unknown`] when it refuses it.
pub(crate) fn parse_or_suggest<T, E>(
    what: &str,
    input: &str,
    known: &[&str],
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<T, CliError> {
    parse(input).map_err(|_| unknown(what, input, known))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_suggested_and_far_ones_are_not() {
        let kinds = seccode::AuditKind::NAMES;
        assert_eq!(
            closest("verfication_failed", &kinds),
            Some("verification_failed")
        );
        assert_eq!(closest("UNLOCKD", &kinds), Some("unlocked"));
        assert_eq!(closest("verification", &kinds), None);
        assert_eq!(closest("Profil", &["Profile", "Products"]), Some("Profile"));
        assert_eq!(closest("veiw", &["view", "create"]), Some("view"));
        assert_eq!(closest("xyz", &["view", "create"]), None);
        assert_eq!(closest("", &["view"]), None);
    }

    #[test]
    fn the_message_names_the_suggestion_or_every_value() {
        let err = unknown("action", "veiw", &["view", "create"]);
        assert_eq!(err.message, "unknown action `veiw`; did you mean `view`?");
        assert_eq!(err.exit, crate::error::Exit::BadInput);
        let err = unknown("action", "zap", &["view", "create"]);
        assert_eq!(
            err.message,
            "unknown action `zap`; expected one of `view`, `create`"
        );
    }
}
