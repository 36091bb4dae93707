//! Untrusted input: a stored account (`Account::from_json`), then a script of operations on it.
//!
//! Loading any bytes answers an account or a typed error, never a panic. What loads must
//! save and load again to the same record (save-load identity), save to the same text the
//! second time, and answer every read-only question (grids, rendering, request decisions)
//! without panicking.
//!
//! The script then runs the three-step verification (`begin_verify`, `Attempt::check`,
//! `finish_verify`, interleaved in any order, and `verify` in one go) among changes to the
//! account (codes set, cleared and imported, contacts added, removed, deactivated,
//! reactivated, edited, unlocked, permissions, the clock moving, save and reload), against a
//! model of what must hold:
//!
//! - at most `max_failures` attempts are checked (begun unlocked) for one contact id between
//!   two resets (a success, an unlock, or a lock's length without a checked attempt), however
//!   the steps interleave; where the model knows the id's whole history, an attempt is locked
//!   exactly when that many were checked (or the account is throttled);
//! - a verification whose contact was removed, deactivated or given a code between *begin*
//!   and *finish* does not verify (nor one matching the account-wide code when that changed);
//!   where the model knows the codes, the right code verifies and a wrong one does not;
//! - a `VerifiedCall` is void for good after its contact is removed (even if the id is added
//!   again), deactivated, or its code set, cleared or imported (or the account-wide code
//!   changed, for a call made with it); otherwise it is valid until it expires, also after a
//!   save and reload; a valid call gets the SPEC 5 decisions, a void or expired one is denied;
//! - nothing panics, and save-load is the identity at every reload and at the end.
#![no_main]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use seccode::{
    Account, AccountRecord, Action, Attempt, CallStatus, Ceilings, CheckedAttempt, CodePolicy,
    ContactDetails, ContactId, Decision, DenyReason, Engine, EngineConfig, Error, HashParams,
    LockState, Lockout, ManualClock, Normalization, Outcome, Pepper, RequestKind, SecurityCode,
    Setting, Slot, Timestamp, VerifiedCall, VerifierConfig, VerifyReason,
};

/// How long a lock lasts (and a count without a new failure is kept), in seconds.
const LOCK_SECS: i64 = 1800;
/// How long a successful verification authorizes requests, in seconds.
const LIFETIME_SECS: i64 = 900;
/// The lockout limits the script can pick (its first byte).
const MAX_FAILURES: [u32; 4] = [1, 2, 3, 5];
/// Where the clock starts (plus the script's second and third bytes, in minutes).
const START: i64 = 1_790_000_000;
/// Ids the script can name besides the account's contacts (unknown until added).
const FRESH_IDS: u64 = 1_000_000;
/// Codes distinct under both normalizations; the script sets and tries them by index.
const CODES: [&str; 4] = [
    "Quiet harbor zebra violin",
    "amber lantern orbit 42",
    "Maple seventeen rocket fog",
    "tidal copper nebula 9",
];

fn clock() -> &'static Arc<ManualClock> {
    static CLOCK: OnceLock<Arc<ManualClock>> = OnceLock::new();
    CLOCK.get_or_init(|| Arc::new(ManualClock::new(Timestamp(START))))
}

/// One engine per lockout limit, all on the one manual clock: cheap Argon2 (m=8 KiB, t=1,
/// p=1) under ceilings of m=64 KiB, t=2, p=2; pepper `k1` current and `k0` retired (so the
/// seeds' peppered hashes are usable); no strength estimator (it is `code_policy`'s to fuzz).
#[allow(clippy::needless_update)]
fn engines() -> &'static Vec<Engine> {
    static ENGINES: OnceLock<Vec<Engine>> = OnceLock::new();
    ENGINES.get_or_init(|| {
        let clock: Arc<ManualClock> = Arc::clone(clock());
        MAX_FAILURES
            .iter()
            .map(|&max_failures| {
                let pepper = |id: &str, byte: u8| Pepper::new(id, vec![byte; 32]).expect("pepper");
                Engine::new(EngineConfig {
                    verifier: VerifierConfig {
                        params: HashParams {
                            m_kib: 8,
                            t: 1,
                            p: 1,
                        },
                        ceilings: Ceilings {
                            max_m_kib: 64,
                            max_t: 2,
                            max_p: 2,
                        },
                        pepper: Some(pepper("k1", 0x11)),
                        retired_peppers: vec![pepper("k0", 0x22)],
                        max_concurrent: 1,
                    },
                    policy: CodePolicy {
                        min_strength: 0,
                        ..CodePolicy::default()
                    },
                    lockout: Lockout {
                        max_failures,
                        duration_secs: LOCK_SECS,
                    },
                    clock: clock.clone(),
                    verification_lifetime_secs: LIFETIME_SECS,
                    // The `sealed` feature adds a field (no sealer: nothing here reveals).
                    ..EngineConfig::default()
                })
                .expect("valid engine")
            })
            .collect()
    })
}

fn code(k: u8) -> SecurityCode {
    let text = CODES
        .get(usize::from(k) % CODES.len())
        .copied()
        .unwrap_or_default();
    SecurityCode::from_str_copy(text).expect("valid code")
}

/// What the model knows of a stored code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    /// No code.
    Unset,
    /// `CODES[k]`, set by the script.
    Code(u8),
    /// A hash from the loaded data: the model cannot tell what matches it.
    Unknown,
}

impl Known {
    fn of(hash: bool) -> Known {
        if hash { Known::Unknown } else { Known::Unset }
    }

    /// Whether `CODES[k]` matches, if the model can tell.
    fn matches(self, k: u8) -> Option<bool> {
        match self {
            Known::Unset => Some(false),
            Known::Code(j) => Some(j == k),
            Known::Unknown => None,
        }
    }
}

/// Checked attempts of one id since the last reset the model knows of.
#[derive(Debug, Clone, Copy, Default)]
struct Count {
    checked: u32,
    last: Option<Timestamp>,
}

/// An attempt in flight, with what the model knew when it was begun.
struct Flight {
    id: ContactId,
    locked: bool,
    known: bool,
    active: bool,
    individual: Known,
    account_wide: Known,
    contact_epoch: u64,
    account_epoch: u64,
    /// The code it was checked with (set by the check step).
    code: Option<u8>,
}

/// A granted call and the epochs it was made at.
struct Call {
    call: VerifiedCall,
    contact_epoch: u64,
    account_epoch: u64,
}

struct Model {
    max_failures: u32,
    counts: BTreeMap<ContactId, Count>,
    /// Ids whose failed-attempt state came from the data (so the model cannot predict locks)
    /// until a success or an unlock resets it.
    inexact: BTreeSet<ContactId>,
    /// Bumped whenever a contact id's verifications must stop counting.
    contact_epoch: BTreeMap<ContactId, u64>,
    /// Bumped whenever the account-wide code changes.
    account_epoch: u64,
    individual: BTreeMap<ContactId, Known>,
    account_wide: Known,
    calls: Vec<Call>,
}

impl Model {
    fn new(record: &AccountRecord, max_failures: u32) -> Model {
        let mut inexact: BTreeSet<ContactId> = record
            .unknown_contact_locks
            .iter()
            .filter(|s| s.lock != LockState::default())
            .map(|s| s.contact)
            .collect();
        inexact.extend(
            record
                .contacts
                .iter()
                .filter(|c| c.lock != LockState::default())
                .map(|c| c.id),
        );
        Model {
            max_failures,
            counts: BTreeMap::new(),
            inexact,
            contact_epoch: BTreeMap::new(),
            account_epoch: 0,
            individual: record
                .contacts
                .iter()
                .map(|c| (c.id, Known::of(c.security_code.is_some())))
                .collect(),
            account_wide: Known::of(record.security_code.is_some()),
            calls: Vec::new(),
        }
    }

    fn epoch(&self, id: ContactId) -> u64 {
        self.contact_epoch.get(&id).copied().unwrap_or(0)
    }

    fn bump(&mut self, id: ContactId) {
        *self.contact_epoch.entry(id).or_insert(0) += 1;
    }

    /// The id's attempts are forgotten (a success or an unlock).
    fn reset(&mut self, id: ContactId) {
        self.counts.remove(&id);
        self.inexact.remove(&id);
    }
}

fn throttled(account: &Account, now: Timestamp) -> bool {
    account
        .to_record()
        .throttled_until
        .is_some_and(|until| now < until)
}

/// What the model knows of `id` now, for an attempt about to begin.
fn flight(model: &Model, account: &Account, id: ContactId, locked: bool) -> Flight {
    let found = account.contact(id).ok();
    let may_know = account.may_know_account_code(id).unwrap_or(false);
    Flight {
        id,
        locked,
        known: found.is_some(),
        active: found.is_some_and(|c| c.is_active()),
        individual: model.individual.get(&id).copied().unwrap_or(Known::Unset),
        account_wide: if may_know {
            model.account_wide
        } else {
            Known::Unset
        },
        contact_epoch: model.epoch(id),
        account_epoch: model.account_epoch,
        code: None,
    }
}

/// Step one, and the model's bookkeeping of the count.
fn begin(
    model: &mut Model,
    account: &mut Account,
    engine: &Engine,
    id: ContactId,
) -> (Attempt, Flight) {
    let now = engine.now();
    let throttled_before = throttled(account, now);
    let mut flight = flight(model, account, id, false);
    let attempt = account.begin_verify(engine, id).expect("begin answers");
    assert_eq!(attempt.contact(), id);
    assert_eq!(attempt.account(), account.id());
    flight.locked = attempt.is_locked();
    count_begin(model, account, id, now, flight.locked, throttled_before);
    (attempt, flight)
}

/// The count bound and, where the model knows the whole history, the lock's exact onset.
fn count_begin(
    model: &mut Model,
    account: &Account,
    id: ContactId,
    now: Timestamp,
    locked: bool,
    throttled_before: bool,
) {
    let max = model.max_failures;
    let count = model.counts.entry(id).or_default();
    if count
        .last
        .is_some_and(|last| now >= last.plus_seconds(LOCK_SECS))
    {
        *count = Count::default();
    }
    if !model.inexact.contains(&id) {
        let expected = throttled_before || count.checked >= max;
        if locked != expected {
            // The one other way to answer locked: the unknown-id state just filled up.
            assert!(
                locked && throttled(account, now),
                "attempt {} locked={locked} after {} checked attempts (max {max})",
                id,
                count.checked
            );
        }
    }
    if !locked {
        count.checked += 1;
        count.last = Some(now);
        assert!(
            count.checked <= max,
            "{} attempts checked for id {id} between resets (max {max})",
            count.checked
        );
    }
}

/// Step three's answer against the model.
fn finish(
    model: &mut Model,
    account: &Account,
    engine: &Engine,
    flight: &Flight,
    code: u8,
    v: &seccode::Verification,
) {
    let now = engine.now();
    assert_eq!(v.contact(), flight.id);
    assert_eq!(v.is_verified(), v.outcome() == Outcome::Verified);
    assert_eq!(
        v.call().is_some(),
        v.is_verified(),
        "a call only for a success"
    );
    if !v.is_verified() {
        assert!(v.upgrades().is_empty(), "upgrades without a success");
    }
    if flight.locked {
        assert_eq!(v.outcome(), Outcome::Locked);
        assert!(matches!(
            v.reason(),
            VerifyReason::Locked | VerifyReason::Throttled
        ));
        return;
    }
    assert_ne!(
        v.outcome(),
        Outcome::Locked,
        "a checked attempt answers locked"
    );
    let contact_changed = model.epoch(flight.id) != flight.contact_epoch;
    let account_changed = model.account_epoch != flight.account_epoch;

    // What the model predicts, when it can.
    let predicted = if !flight.known {
        Some(VerifyReason::UnknownContact)
    } else if !flight.active {
        Some(VerifyReason::Deactivated)
    } else {
        match (
            flight.individual.matches(code),
            flight.account_wide.matches(code),
        ) {
            (Some(true), _) if contact_changed => Some(VerifyReason::Changed),
            (Some(true), _) => Some(VerifyReason::Individual),
            (Some(false), Some(true)) if contact_changed || account_changed => {
                Some(VerifyReason::Changed)
            }
            (Some(false), Some(true)) => Some(VerifyReason::AccountWide),
            (Some(false), Some(false))
                if flight.individual == Known::Unset && flight.account_wide == Known::Unset =>
            {
                Some(VerifyReason::NoUsableCode)
            }
            (Some(false), Some(false)) => Some(VerifyReason::WrongCode),
            _ => None,
        }
    };
    if let Some(reason) = predicted {
        let outcome = match reason {
            VerifyReason::Individual | VerifyReason::AccountWide => Outcome::Verified,
            _ => Outcome::NotVerified,
        };
        assert_eq!(
            (v.outcome(), v.reason()),
            (outcome, reason),
            "code {code} for contact {} ({:?} / {:?})",
            flight.id,
            flight.individual,
            flight.account_wide
        );
    }
    if let Some(call) = v.call() {
        assert!(!contact_changed, "verified although the contact changed");
        assert_eq!(call.account(), account.id());
        assert_eq!(call.contact(), flight.id);
        assert_eq!(call.verified_at(), now);
        assert_eq!(call.expires_at(), now.plus_seconds(LIFETIME_SECS));
        match call.slot() {
            Slot::Individual => assert_eq!(v.reason(), VerifyReason::Individual),
            Slot::AccountWide => {
                assert_eq!(v.reason(), VerifyReason::AccountWide);
                assert!(
                    !account_changed,
                    "verified with a changed account-wide code"
                );
            }
        }
        model.reset(flight.id);
        model.calls.push(Call {
            call: call.clone(),
            contact_epoch: flight.contact_epoch,
            account_epoch: flight.account_epoch,
        });
    }
}

/// Every granted call: void for good after a change, else valid until it expires; and the
/// decisions that follow.
fn check_calls(model: &Model, account: &Account, engine: &Engine) {
    let now = engine.now();
    for c in &model.calls {
        let void = model.epoch(c.call.contact()) != c.contact_epoch
            || (c.call.slot() == Slot::AccountWide && model.account_epoch != c.account_epoch);
        let expected = if void {
            CallStatus::Void
        } else if now >= c.call.expires_at() {
            CallStatus::Expired
        } else {
            CallStatus::Valid
        };
        assert_eq!(
            account.call_status(engine, &c.call),
            expected,
            "call of contact {}",
            c.call.contact()
        );
        check_decisions(account, engine, &c.call, expected);
    }
}

/// The SPEC 5 decisions for a call whose status is `status`.
fn check_decisions(account: &Account, engine: &Engine, call: &VerifiedCall, status: CallStatus) {
    for kind in RequestKind::ALL {
        let decision = account
            .authorize(engine, call, kind)
            .expect("a decision for a call");
        let expected = match status {
            CallStatus::Void => Decision::Denied {
                reason: DenyReason::VerificationVoid,
            },
            CallStatus::Expired => Decision::Denied {
                reason: DenyReason::VerificationExpired,
            },
            CallStatus::Valid => match kind {
                RequestKind::Routine => Decision::Allowed,
                RequestKind::Billable => {
                    let id = call.contact();
                    let billing = account.catalog().roles().billing;
                    let grid = account.grid(id).expect("a valid call's contact exists");
                    if account.is_primary(id)
                        || billing.is_some_and(|r| grid.allows(r, Action::Update))
                    {
                        Decision::Allowed
                    } else {
                        assert!(matches!(
                            decision,
                            Decision::Denied {
                                reason: DenyReason::MissingPermission { .. }
                            }
                        ));
                        decision.clone()
                    }
                }
                RequestKind::SignificantChange | RequestKind::Cancellation => {
                    Decision::NeedsApproval {
                        approvers: vec![account.primary()],
                    }
                }
            },
        };
        assert_eq!(
            decision,
            expected,
            "{kind:?} for contact {}",
            call.contact()
        );
    }
}

/// Save, load, compare: the identity, and stable text.
fn save_load(account: &Account) -> Account {
    let record = account.to_record();
    let json = account.to_json().expect("a loaded account saves");
    let again = Account::from_json(&json).expect("a saved account loads");
    assert_eq!(again.to_record(), record, "save-load changed the account");
    assert_eq!(
        again.to_json().expect("saves twice"),
        json,
        "saving is not stable"
    );
    again
}

/// Read-only questions on every contact must answer without panicking; a call made for each
/// contact as it stands now is valid exactly for the active ones and gets their decisions.
fn read_only(account: &Account, engine: &Engine) {
    assert!(
        account.contact(account.primary()).is_ok(),
        "no primary contact"
    );
    let catalog = account.catalog();
    let record = account.to_record();
    let now = engine.now();
    for c in &record.contacts {
        let id = c.id;
        let grid = account.grid(id).expect("every contact has a grid");
        assert_eq!(grid.len(), catalog.len());
        for resource in catalog.resources() {
            for action in Action::ALL {
                let cell = account.effective(id, resource, action).expect("known cell");
                assert_eq!(cell.value, grid.check(resource, action));
            }
        }
        let rendered = account.render_grid(id).expect("renders");
        assert_eq!(rendered.lines().count(), catalog.len() + 1);
        account.render_settings(id).expect("renders settings");
        let _ = account.may_know_account_code(id).expect("known contact");
        account.contact_view(engine, id).expect("known contact");
        account.lock_status(engine, id).expect("known contact");

        // The call a verification with the individual code would grant now.
        let forged = |account_id: u64, stamp: u64| -> VerifiedCall {
            serde_json::from_value(serde_json::json!({
                "account": account_id,
                "contact": id.0,
                "slot": "individual",
                "contact_stamp": stamp,
                "code_stamp": record.code_stamp,
                "verified_at": now.0,
                "expires_at": now.0.saturating_add(LIFETIME_SECS),
            }))
            .expect("a call deserializes")
        };
        let call = forged(record.id.0, c.stamp);
        let status = if c.active {
            CallStatus::Valid
        } else {
            CallStatus::Void
        };
        assert_eq!(account.call_status(engine, &call), status);
        check_decisions(account, engine, &call, status);
        let stale = forged(record.id.0, c.stamp.wrapping_add(1));
        assert_eq!(account.call_status(engine, &stale), CallStatus::Void);
        let foreign = forged(record.id.0.wrapping_add(1), c.stamp);
        assert_eq!(account.call_status(engine, &foreign), CallStatus::Void);
    }
}

/// A contact id named by one byte: one of the account's contacts, or one of a few ids it
/// does not have (yet).
fn who(account: &Account, u: &mut Unstructured) -> ContactId {
    let b: u8 = u.arbitrary().unwrap_or(0);
    if b < 0xC0 {
        let ids: Vec<ContactId> = account.contacts().map(|c| c.id()).collect();
        ids.get(usize::from(b) % ids.len().max(1))
            .copied()
            .unwrap_or(account.primary())
    } else {
        ContactId(FRESH_IDS + u64::from(b % 4))
    }
}

fn byte(u: &mut Unstructured) -> u8 {
    u.arbitrary().unwrap_or(0)
}

/// Most operations a script runs (the rest of the input is ignored).
const MAX_OPS: usize = 48;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(2, |b| *b == 0xFF);
    let Ok(text) = std::str::from_utf8(parts.next().unwrap_or_default()) else {
        return;
    };
    let Ok(loaded) = Account::from_json(text) else {
        return;
    };
    let mut u = Unstructured::new(parts.next().unwrap_or_default());
    let choice = usize::from(byte(&mut u)) % MAX_FAILURES.len();
    let start_minutes = i64::from(u16::from_le_bytes([byte(&mut u), byte(&mut u)]));
    let engine = engines().get(choice).expect("an engine per limit");
    clock().set(Timestamp(START + start_minutes * 60));

    let mut account = save_load(&loaded);
    read_only(&account, engine);

    let max_failures = MAX_FAILURES.get(choice).copied().unwrap_or(1);
    let mut model = Model::new(&account.to_record(), max_failures);
    // Attempts begun and not yet checked, and attempts checked and not yet finished.
    let mut begun: Vec<(Attempt, Flight)> = Vec::new();
    let mut checked: Vec<(CheckedAttempt, Flight)> = Vec::new();

    for _ in 0..MAX_OPS {
        if u.is_empty() {
            break;
        }
        match byte(&mut u) % 20 {
            0 => {
                let id = who(&account, &mut u);
                begun.push(begin(&mut model, &mut account, engine, id));
            }
            1 => {
                // Check a begun attempt with a code.
                let (i, k) = (usize::from(byte(&mut u)), byte(&mut u) % 4);
                if !begun.is_empty() {
                    let i = i % begun.len();
                    let (attempt, mut flight) = begun.remove(i);
                    flight.code = Some(k);
                    let result = attempt.check(engine, &code(k)).expect("check answers");
                    assert_eq!(result.attempt().contact(), flight.id);
                    checked.push((result, flight));
                }
            }
            2 => {
                // Finish a checked attempt.
                let i = usize::from(byte(&mut u));
                if !checked.is_empty() {
                    let (result, flight) = checked.remove(i % checked.len());
                    let v = account
                        .finish_verify(engine, result)
                        .expect("finish answers");
                    finish(
                        &mut model,
                        &account,
                        engine,
                        &flight,
                        flight.code.unwrap_or(0),
                        &v,
                    );
                }
            }
            3 => {
                // The three steps at once.
                let id = who(&account, &mut u);
                let k = byte(&mut u) % 4;
                let now = engine.now();
                let throttled_before = throttled(&account, now);
                let mut flight = flight(&model, &account, id, false);
                let v = account
                    .verify(engine, id, &code(k))
                    .expect("verify answers");
                let locked = v.outcome() == Outcome::Locked;
                count_begin(&mut model, &account, id, now, locked, throttled_before);
                flight.locked = locked;
                finish(&mut model, &account, engine, &flight, k, &v);
            }
            4 => {
                let (actor, target) = (who(&account, &mut u), who(&account, &mut u));
                let k = byte(&mut u) % 4;
                if account
                    .set_contact_code(engine, actor, target, &code(k))
                    .is_ok()
                {
                    model.individual.insert(target, Known::Code(k));
                    model.bump(target);
                }
            }
            5 => {
                let (actor, target) = (who(&account, &mut u), who(&account, &mut u));
                if account.clear_contact_code(engine, actor, target).is_ok() {
                    model.individual.insert(target, Known::Unset);
                    model.bump(target);
                }
            }
            6 => {
                let actor = who(&account, &mut u);
                let k = byte(&mut u) % 4;
                if account.set_account_code(engine, actor, &code(k)).is_ok() {
                    model.account_wide = Known::Code(k);
                    model.account_epoch += 1;
                }
            }
            7 => {
                let actor = who(&account, &mut u);
                if account.clear_account_code(engine, actor).is_ok() {
                    model.account_wide = Known::Unset;
                    model.account_epoch += 1;
                }
            }
            8 => {
                // Import a legacy plaintext code (no actor, no policy).
                let b = byte(&mut u);
                let target = (b & 1 == 1).then(|| who(&account, &mut u));
                let k = byte(&mut u) % 4;
                let overwrite = b & 2 == 2;
                let was_set = account.code_is_set(target);
                let result = account.import_legacy_code(engine, target, &code(k), overwrite);
                match (target, &result) {
                    (_, Err(Error::AlreadySet(_))) => {
                        assert!(!overwrite && was_set == Ok(true), "refused wrongly")
                    }
                    (_, Err(_)) => {}
                    (None, Ok(())) => {
                        assert!(overwrite || was_set == Ok(false), "overwrote a code");
                        model.account_wide = Known::Code(k);
                        model.account_epoch += 1;
                    }
                    (Some(id), Ok(())) => {
                        assert!(overwrite || was_set == Ok(false), "overwrote a code");
                        model.individual.insert(id, Known::Code(k));
                        model.bump(id);
                    }
                }
            }
            9 => {
                let (actor, id) = (who(&account, &mut u), who(&account, &mut u));
                let details = ContactDetails::named(format!("Added {}", id.0 % 100));
                if account.add_contact(engine, actor, id, details).is_ok() {
                    model.individual.insert(id, Known::Unset);
                    model.bump(id);
                }
            }
            10 => {
                let (actor, id) = (who(&account, &mut u), who(&account, &mut u));
                if account.remove_contact(engine, actor, id).is_ok() {
                    assert!(account.contact(id).is_err());
                    model.individual.remove(&id);
                    model.bump(id);
                }
            }
            11 | 12 => {
                let deactivate = byte(&mut u) & 1 == 1;
                let (actor, id) = (who(&account, &mut u), who(&account, &mut u));
                let was_active = account.contact(id).map(|c| c.is_active());
                let result = if deactivate {
                    account.deactivate_contact(engine, actor, id)
                } else {
                    account.reactivate_contact(engine, actor, id)
                };
                if result.is_ok() {
                    let active = account.contact(id).map(|c| c.is_active());
                    assert_eq!(active, Ok(!deactivate));
                    if was_active != active {
                        model.bump(id);
                    }
                }
            }
            13 => {
                // Editing details changes no stamp: calls stay valid.
                let (actor, id) = (who(&account, &mut u), who(&account, &mut u));
                let details = ContactDetails::named(format!("Edited {}", byte(&mut u)));
                let _ = account.edit_contact(engine, actor, id, details);
            }
            14 => {
                let (actor, id) = (who(&account, &mut u), who(&account, &mut u));
                if account.unlock(engine, actor, id).is_ok() {
                    model.reset(id);
                    let status = account.lock_status(engine, id).expect("known contact");
                    assert_eq!(status.failed_attempts(), 0);
                    assert!(!status.is_locked() || throttled(&account, engine.now()));
                }
            }
            15 => {
                let (actor, target) = (who(&account, &mut u), who(&account, &mut u));
                let (r, a, s) = (byte(&mut u), byte(&mut u), byte(&mut u));
                let catalog = Arc::clone(account.catalog());
                let resource = catalog
                    .id_at(usize::from(r) % catalog.len().max(1))
                    .unwrap_or(catalog.root());
                let action = Action::ALL[usize::from(a % 4)];
                let setting = Setting::ALL[usize::from(s % 3)];
                let _ = account.set_permission(engine, actor, target, resource, action, setting);
            }
            16 => {
                let actor = who(&account, &mut u);
                let n = if byte(&mut u) & 1 == 1 {
                    Normalization::Exact
                } else {
                    Normalization::Spoken
                };
                let _ = account.set_normalization(engine, actor, n);
            }
            17 => {
                // The clock moves: a few seconds to a whole lock's length.
                let step = i64::from(byte(&mut u)) * 16;
                clock().advance(if step == 0 { LOCK_SECS } else { step });
            }
            18 => {
                account = save_load(&account);
            }
            _ => check_calls(&model, &account, engine),
        }
    }
    // Whatever is still in flight finishes (with the code it was checked with, or as begun
    // with the first code).
    for (result, flight) in std::mem::take(&mut checked) {
        let v = account
            .finish_verify(engine, result)
            .expect("finish answers");
        finish(
            &mut model,
            &account,
            engine,
            &flight,
            flight.code.unwrap_or(0),
            &v,
        );
    }
    for (attempt, mut flight) in begun {
        flight.code = Some(0);
        let result = attempt.check(engine, &code(0)).expect("check answers");
        let v = account
            .finish_verify(engine, result)
            .expect("finish answers");
        finish(&mut model, &account, engine, &flight, 0, &v);
    }
    check_calls(&model, &account, engine);
    let account = save_load(&account);
    read_only(&account, engine);
});
