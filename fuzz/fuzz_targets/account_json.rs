//! Untrusted input: a stored account (`Account::from_json`).
//!
//! Loading any bytes answers an account or a typed error, never a panic. What loads must
//! save and load again to the same record (save-load identity), save to the same text the
//! second time, and answer every read-only question (grids, rendering, requests) without
//! panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use seccode::{Account, RequestKind};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(account) = Account::from_json(text) else {
        return;
    };

    let record = account.to_record();
    let json = account.to_json().expect("a loaded account saves");
    let again = Account::from_json(&json).expect("a saved account loads");
    assert_eq!(again.to_record(), record, "save-load changed the account");
    assert_eq!(
        again.to_json().expect("saves twice"),
        json,
        "saving is not stable"
    );
    assert!(
        account.contact(account.primary()).is_ok(),
        "no primary contact"
    );

    // Read-only questions on every contact must answer without panicking.
    let catalog = account.catalog();
    let ids: Vec<_> = account.contacts().map(|c| c.id()).collect();
    for id in ids {
        let grid = account.grid(id).expect("every contact has a grid");
        assert_eq!(grid.len(), catalog.len());
        for resource in catalog.resources() {
            for action in seccode::Action::ALL {
                let cell = account.effective(id, resource, action).expect("known cell");
                assert_eq!(cell.value, grid.check(resource, action));
            }
        }
        let rendered = account.render_grid(id).expect("renders");
        assert_eq!(rendered.lines().count(), catalog.len() + 1);
        account.render_settings(id).expect("renders settings");
        let _ = account.may_know_account_code(id).expect("known contact");
        for kind in [
            RequestKind::Routine,
            RequestKind::Billable,
            RequestKind::SignificantChange,
            RequestKind::Cancellation,
        ] {
            account.authorize(id, kind).expect("known contact");
        }
    }
});
