//! Untrusted input: the C entry points of crates/seccode-ffi, called directly from Rust with
//! arbitrary bytes, lengths, ids, enum numbers, NULL pointers and buffer sizes.
//!
//! Input layout: an account JSON document up to the first 0xFF byte (a byte UTF-8 never holds;
//! loaded with
//! `seccode_account_from_json`; a built-in account when it does not load), then the bytes
//! `arbitrary` turns into an engine configuration and up to 48 operations on the account.
//!
//! Checked on every call: no `SECCODE_RESULT_PANIC` (and libFuzzer's panic hook aborts on any
//! panic, even one the guard catches); outputs are written only on success; `(NULL, len > 0)`
//! inputs and NULL handles or outputs are `SECCODE_RESULT_NULL_ARGUMENT`; a verification with a
//! valid code always succeeds (a wrong code is an outcome, not an error); strings returned are
//! valid NUL-terminated UTF-8 and freed exactly once.
#![no_main]

use std::ffi::{CStr, c_char};
use std::ptr::{null, null_mut};
use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use seccode_ffi::*;

/// The portal's resource names, and one that no catalog has.
const RESOURCES: [&str; 14] = [
    "Client Portal",
    "Client Profile",
    "Profile",
    "Payment Methods",
    "Change Password",
    "Manage Contacts",
    "Manage Contact Facility Access",
    "Billing & Services",
    "Reports",
    "Domain Management",
    "Support",
    "Website",
    "Client Preferences",
    "No Such Resource",
];

/// Bytes given as `(ptr, len)`: NULL with any length, or data with a length up to its size.
#[derive(Arbitrary, Debug)]
enum Bytes {
    Null { len: u16 },
    Data { bytes: Vec<u8>, cut: Option<u16> },
    Text(String),
    Known(u8),
}

/// Codes worth trying: the built-in account's codes and near misses.
const CODES: [&str; 6] = [
    "Velvet thunder orchard lamp",
    "velvet thunder, orchard lamp!",
    "Quiet harbor zebra violin",
    "quiet harbor zebra violins",
    "Purple monkey dishwasher lantern",
    "x",
];

struct Arg {
    _owned: Vec<u8>,
    ptr: *const u8,
    len: usize,
}

impl Bytes {
    fn arg(&self) -> Arg {
        match self {
            Bytes::Null { len } => Arg {
                _owned: Vec::new(),
                ptr: null(),
                len: usize::from(*len),
            },
            Bytes::Data { bytes, cut } => {
                let owned = bytes.clone();
                let len = cut.map_or(owned.len(), |c| usize::from(c).min(owned.len()));
                Arg {
                    ptr: owned.as_ptr(),
                    len,
                    _owned: owned,
                }
            }
            Bytes::Text(s) => {
                let owned = s.as_bytes().to_vec();
                Arg {
                    ptr: owned.as_ptr(),
                    len: owned.len(),
                    _owned: owned,
                }
            }
            Bytes::Known(i) => {
                let s = CODES[usize::from(*i) % CODES.len()];
                let owned = s.as_bytes().to_vec();
                Arg {
                    ptr: owned.as_ptr(),
                    len: owned.len(),
                    _owned: owned,
                }
            }
        }
    }
}

thread_local! {
    /// Every non-code text given to the library in this run (names, emails, JSON, ...): a
    /// code's plaintext may come back in an output only if the input carried it as such text.
    static TEXTS: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn record_text(bytes: &[u8]) {
    TEXTS.with(|t| t.borrow_mut().extend_from_slice(bytes));
}

/// An output must not hold a code's plaintext, unless a non-code input of this run held it.
fn assert_no_code(output: &str, what: &str) {
    for code in CODES.iter().take(4) {
        if output.contains(code) {
            let given =
                TEXTS.with(|t| t.borrow().windows(code.len()).any(|w| w == code.as_bytes()));
            assert!(given, "a code in {what}: {output}");
        }
    }
}

impl Bytes {
    /// As [`Bytes::arg`], for an input that is not a code (a name, JSON, ...): recorded, so
    /// that a code given as such text is not mistaken for a leak.
    fn text_arg(&self) -> Arg {
        let arg = self.arg();
        if !arg.ptr.is_null() {
            // SAFETY: `ptr` points to `len` bytes of `_owned`.
            record_text(unsafe { std::slice::from_raw_parts(arg.ptr, arg.len) });
        }
        arg
    }
}

impl Arg {
    /// Whether the core must accept this as a security code: 1 to 1024 bytes of UTF-8.
    fn valid_code(&self) -> bool {
        if self.ptr.is_null() || self.len == 0 || self.len > 1024 {
            return false;
        }
        // SAFETY: `ptr` points to `len` bytes of `_owned`.
        let bytes = unsafe { std::slice::from_raw_parts(self.ptr, self.len) };
        std::str::from_utf8(bytes).is_ok()
    }
}

/// A resource name: one of the portal's, or arbitrary bytes.
#[derive(Arbitrary, Debug)]
enum Resource {
    Known(u8),
    Raw(Bytes),
}

impl Resource {
    fn arg(&self) -> Arg {
        match self {
            Resource::Known(i) => {
                let owned = RESOURCES[usize::from(*i) % RESOURCES.len()]
                    .as_bytes()
                    .to_vec();
                Arg {
                    ptr: owned.as_ptr(),
                    len: owned.len(),
                    _owned: owned,
                }
            }
            Resource::Raw(b) => b.text_arg(),
        }
    }
}

/// A contact id: one of the account's (by position), or any number.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Id {
    Known(u8),
    Raw(u64),
}

#[derive(Arbitrary, Debug)]
struct EngineSpec {
    m: u8,
    t: u8,
    p: u8,
    ceilings: Option<(u32, u32, u32)>,
    lockout: Option<(u32, i64)>,
    pepper: Option<(Bytes, Bytes)>,
    retired: Option<(Bytes, Bytes)>,
    max_concurrent: u8,
}

#[derive(Arbitrary, Debug)]
enum Op {
    Load(Bytes),
    ToJson,
    Verify {
        contact: Id,
        code: Bytes,
    },
    CheckCode {
        slot: u32,
        contact: Id,
        code: Bytes,
        reasons_len: u8,
        null_buf: bool,
    },
    SetAccountCode {
        actor: Id,
        code: Bytes,
    },
    SetContactCode {
        actor: Id,
        target: Id,
        code: Bytes,
    },
    ClearAccountCode {
        actor: Id,
    },
    ClearContactCode {
        actor: Id,
        target: Id,
    },
    ImportLegacyCode {
        slot: u32,
        contact: Id,
        code: Bytes,
    },
    ImportLegacyHash {
        slot: u32,
        contact: Id,
        phc: Bytes,
    },
    SetPermission {
        actor: Id,
        target: Id,
        resource: Resource,
        action: u32,
        setting: u32,
    },
    PermissionSetting {
        contact: Id,
        resource: Resource,
        action: u32,
    },
    Effective {
        contact: Id,
        resource: Resource,
        action: u32,
    },
    RenderGrid {
        contact: Id,
        settings: bool,
    },
    Authorize {
        contact: Id,
        kind: u32,
    },
    AddContact {
        actor: Id,
        id: Id,
        name: Bytes,
        email: Bytes,
        phone: Bytes,
    },
    EditContact {
        actor: Id,
        id: Id,
        name: Bytes,
    },
    Deactivate {
        actor: Id,
        id: Id,
    },
    Reactivate {
        actor: Id,
        id: Id,
    },
    Unlock {
        actor: Id,
        id: Id,
    },
    LockState {
        contact: Id,
    },
    MayKnow {
        contact: Id,
    },
    SetNormalization {
        actor: Id,
        normalization: u32,
    },
    ContactIds {
        len: u8,
        misaligned: bool,
    },
    ContactJson {
        contact: Id,
    },
    HashCode {
        code: Bytes,
        normalization: u32,
    },
    VerifyCode {
        phc: Bytes,
        code: Bytes,
        normalization: u32,
    },
    Catalog(Bytes),
    ResultMessage {
        result: u32,
        len: u8,
    },
    ReasonMessage {
        reason: u32,
        len: u8,
        code: bool,
    },
    LastError {
        len: u8,
        reasons_len: u8,
    },
    DrainAudit,
    AdvanceClock {
        seconds: i64,
    },
    NullHandles {
        which: u8,
    },
}

fn ok(r: seccode_result) -> bool {
    assert_ne!(r, seccode_result::Panic, "a call panicked");
    r == seccode_result::Ok
}

/// Take a string the library returned: it must be NUL-terminated UTF-8; free it once.
fn take_string(s: *mut c_char) -> String {
    assert!(!s.is_null(), "a successful call returned a NULL string");
    // SAFETY: the library returned a NUL-terminated string it allocated.
    let text = unsafe { CStr::from_ptr(s) }
        .to_str()
        .expect("UTF-8")
        .to_owned();
    // SAFETY: returned by the library, freed exactly once.
    unsafe { seccode_string_free(s) };
    text
}

/// The built-in account, made once through the C API with cheap parameters: the primary
/// contact 3522 with an account-wide code, 3523 with an individual code and Profile / View,
/// 3524 without a code, 3525 deactivated.
fn base_json() -> &'static [u8] {
    static BASE: OnceLock<Vec<u8>> = OnceLock::new();
    BASE.get_or_init(|| {
        let engine = Engine::new(&EngineSpec {
            m: 0,
            t: 0,
            p: 0,
            ceilings: None,
            lockout: None,
            pepper: None,
            retired: None,
            max_concurrent: 1,
        });
        let json = br#"{"format":1,"id":1707,"name":"Any Company","contacts":[
            {"id":3522,"primary":true,"name":"Joe Example","email":"marketing@viviotech.net","phone":"000-000-0000"},
            {"id":3523,"name":"Contact Example","permissions":{"Profile":{"view":"allow"}}},
            {"id":3524,"name":"Third Contact","email":"third@example.com"},
            {"id":3525,"name":"Gone Contact","active":false}]}"#;
        let mut account = null_mut();
        // SAFETY: valid input and output pointers.
        assert!(ok(unsafe { seccode_account_from_json(json.as_ptr(), json.len(), &mut account) }));
        let code = CODES[0].as_bytes();
        // SAFETY: live handles, valid input.
        assert!(ok(unsafe {
            seccode_account_set_account_code(account, engine.0, 3522, code.as_ptr(), code.len())
        }));
        let code = CODES[2].as_bytes();
        // SAFETY: live handles, valid input.
        assert!(ok(unsafe {
            seccode_account_set_contact_code(account, engine.0, 3522, 3523, code.as_ptr(), code.len())
        }));
        let mut out = null_mut();
        // SAFETY: live handle, valid output.
        assert!(ok(unsafe { seccode_account_to_json(account, &mut out) }));
        // SAFETY: live handle, freed once.
        unsafe { seccode_account_free(account) };
        take_string(out).into_bytes()
    })
}

struct Engine(*mut seccode_engine);

impl Engine {
    /// An engine from the spec, with cheap parameters (m <= 64 KiB, t <= 2) and ceilings of at
    /// most m=64, t=2, p=2; the plain cheap engine when the spec does not build.
    fn new(spec: &EngineSpec) -> Engine {
        let mut config = null_mut();
        // SAFETY: valid output pointer.
        assert!(ok(unsafe { seccode_engine_config_new(&mut config) }));
        let p = u32::from(spec.p % 2) + 1;
        let m = (u32::from(spec.m) % 57 + 8).max(8 * p);
        let t = u32::from(spec.t % 2) + 1;
        // SAFETY: live config handle; inputs are owned for the call.
        unsafe {
            ok(seccode_engine_config_set_hash_params(config, m, t, p));
            let (cm, ct, cp) = spec.ceilings.unwrap_or((64, 2, 2));
            ok(seccode_engine_config_set_ceilings(
                config,
                cm.min(64),
                ct.min(2),
                cp.min(2),
            ));
            let (failures, secs) = spec.lockout.unwrap_or((5, 1800));
            ok(seccode_engine_config_set_lockout(config, failures, secs));
            if let Some((id, secret)) = &spec.pepper {
                let (id, secret) = (id.arg(), secret.arg());
                ok(seccode_engine_config_set_pepper(
                    config, id.ptr, id.len, secret.ptr, secret.len,
                ));
            }
            if let Some((id, secret)) = &spec.retired {
                let (id, secret) = (id.arg(), secret.arg());
                ok(seccode_engine_config_add_retired_pepper(
                    config, id.ptr, id.len, secret.ptr, secret.len,
                ));
            }
            ok(seccode_engine_config_set_max_concurrent_hashes(
                config,
                usize::from(spec.max_concurrent % 4),
            ));
            ok(seccode_engine_config_set_manual_clock(
                config,
                1_700_000_000,
            ));
        }
        let mut engine = null_mut();
        // SAFETY: live config handle, valid output.
        let built = ok(unsafe { seccode_engine_new(config, &mut engine) });
        if !built {
            assert!(engine.is_null(), "output written on failure");
            // SAFETY: live config handle; cheap defaults.
            unsafe {
                ok(seccode_engine_config_set_hash_params(config, 8, 1, 1));
                ok(seccode_engine_config_set_ceilings(config, 64, 2, 2));
                ok(seccode_engine_config_set_lockout(config, 5, 1800));
                assert!(ok(seccode_engine_new(config, &mut engine)), "cheap engine");
            }
        }
        // SAFETY: freed once; the engine does not borrow it.
        unsafe { seccode_engine_config_free(config) };
        Engine(engine)
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        // SAFETY: made by seccode_engine_new, freed once.
        unsafe { seccode_engine_free(self.0) };
    }
}

/// The account's contact ids, through the C API (asking for the count first).
fn contact_ids(account: *const seccode_account) -> Vec<u64> {
    let mut count = 0usize;
    // SAFETY: live handle; `(NULL, 0)` asks for the count.
    let r = unsafe { seccode_account_contact_ids(account, null_mut(), 0, &mut count) };
    assert!(
        r == seccode_result::Ok || r == seccode_result::BufferTooSmall,
        "{r:?}"
    );
    let mut ids = vec![0u64; count];
    // SAFETY: `ids` holds `count` entries.
    assert!(ok(unsafe {
        seccode_account_contact_ids(account, ids.as_mut_ptr(), ids.len(), &mut count)
    }));
    assert_eq!(count, ids.len());
    ids
}

fn id_of(id: Id, ids: &[u64]) -> u64 {
    match id {
        Id::Known(i) if !ids.is_empty() => ids[usize::from(i) % ids.len()],
        Id::Known(i) => u64::from(i),
        Id::Raw(n) => n,
    }
}

/// A `(NULL, len > 0)` input must be refused (as a NULL argument, unless another argument is
/// refused first).
fn expect_null_refused(arg: &Arg, r: seccode_result) {
    if arg.ptr.is_null() && arg.len > 0 {
        assert_ne!(r, seccode_result::Ok, "(NULL, {}) accepted", arg.len);
    }
}

fn verification_checks(
    account: *const seccode_account,
    v: *mut seccode_verification,
    contact: u64,
) {
    let mut outcome = seccode_outcome::Locked;
    let mut reason = seccode_verify_reason::Locked;
    let mut who = 0u64;
    let mut failed = 0u32;
    let mut until = 0i64;
    let mut count = usize::MAX;
    // SAFETY: live verification handle, valid outputs.
    unsafe {
        assert!(ok(seccode_verification_outcome(v, &mut outcome)));
        assert!(ok(seccode_verification_reason(v, &mut reason)));
        assert!(ok(seccode_verification_contact(v, &mut who)));
        assert!(ok(seccode_verification_lock_state(
            v,
            &mut failed,
            &mut until
        )));
        assert!(ok(seccode_verification_upgrade_count(v, &mut count)));
    }
    assert_eq!(who, contact);
    if outcome != seccode_outcome::Verified {
        assert_eq!(count, 0, "upgrades without a verification");
    }
    for index in 0..=count {
        let mut slot = seccode_slot::AccountWide;
        let mut json = null_mut();
        let mut phc = null_mut();
        // SAFETY: live handle, valid outputs; `index == count` is out of range.
        let (a, b) = unsafe {
            (
                seccode_verification_upgrade(v, index, &mut slot, &mut json),
                seccode_verification_upgrade_phc(v, index, &mut phc),
            )
        };
        if index < count {
            assert!(ok(a) && ok(b));
            take_string(json);
            assert!(take_string(phc).starts_with("$argon2id$v=19$"));
        } else {
            assert!(!ok(a) && !ok(b));
            assert!(json.is_null() && phc.is_null(), "output written on failure");
        }
    }
    for kind in 0..5u32 {
        let mut decision = null_mut();
        // SAFETY: live handles, valid output.
        if ok(unsafe { seccode_account_authorize_verified(account, v, kind, &mut decision) }) {
            let mut verdict = seccode_verdict::Allowed;
            // SAFETY: live decision handle; freed once.
            unsafe {
                assert!(ok(seccode_decision_verdict(decision, &mut verdict)));
                if outcome != seccode_outcome::Verified {
                    assert_eq!(
                        verdict,
                        seccode_verdict::Denied,
                        "an unverified caller is allowed"
                    );
                }
                seccode_decision_free(decision);
            }
        } else {
            assert!(decision.is_null() && kind >= 4);
        }
    }
}

fn text_buffer_call(len: u8, call: impl FnOnce(*mut c_char, usize, *mut usize) -> seccode_result) {
    let mut buf = vec![0x55u8; usize::from(len)];
    let mut needed = usize::MAX;
    let ptr = if buf.is_empty() {
        null_mut()
    } else {
        buf.as_mut_ptr().cast::<c_char>()
    };
    let r = call(ptr, buf.len(), &mut needed);
    match r {
        seccode_result::Ok => {
            assert!(needed < buf.len());
            assert_eq!(buf[needed], 0, "no terminating NUL");
            std::str::from_utf8(&buf[..needed]).expect("UTF-8 message");
        }
        seccode_result::BufferTooSmall => {
            assert!(needed >= buf.len(), "too small but it fits");
            assert!(
                buf.iter().all(|b| *b == 0x55),
                "written into a too-small buffer"
            );
        }
        other => {
            ok(other);
        }
    }
}

fn run(account: &mut *mut seccode_account, engine: &Engine, op: &Op) {
    let e = engine.0.cast_const();
    let a = *account;
    let ids = contact_ids(a);
    let id = |i: &Id| id_of(*i, &ids);
    // SAFETY (for every call below): `account` and `engine` are live handles; every input is
    // `(NULL, any len)` or points to at least `len` owned bytes; every output is valid.
    unsafe {
        match op {
            Op::Load(json) => {
                let arg = json.text_arg();
                let mut fresh = null_mut();
                let r = seccode_account_from_json(arg.ptr, arg.len, &mut fresh);
                expect_null_refused(&arg, r);
                if ok(r) {
                    seccode_account_free(*account);
                    *account = fresh;
                } else {
                    assert!(fresh.is_null(), "output written on failure");
                }
            }
            Op::ToJson => {
                let mut out = null_mut();
                assert!(ok(seccode_account_to_json(a, &mut out)), "saving failed");
                let json = take_string(out);
                let mut again = null_mut();
                assert!(
                    ok(seccode_account_from_json(
                        json.as_ptr(),
                        json.len(),
                        &mut again
                    )),
                    "saved JSON does not load"
                );
                let mut out2 = null_mut();
                assert!(ok(seccode_account_to_json(again, &mut out2)));
                assert_eq!(take_string(out2), json, "save-load-save differs");
                seccode_account_free(again);
            }
            Op::Verify { contact, code } => {
                let arg = code.arg();
                let contact = id(contact);
                let mut v = null_mut();
                let r = seccode_account_verify(a, e, contact, arg.ptr, arg.len, &mut v);
                expect_null_refused(&arg, r);
                if arg.valid_code() {
                    assert!(ok(r), "verify with a valid code failed: {r:?}");
                }
                if ok(r) {
                    verification_checks(a, v, contact);
                    seccode_verification_free(v);
                } else {
                    assert!(v.is_null(), "output written on failure");
                }
            }
            Op::CheckCode {
                slot,
                contact,
                code,
                reasons_len,
                null_buf,
            } => {
                let arg = code.arg();
                let mut reasons = vec![0u32; usize::from(*reasons_len)];
                let buf = if *null_buf {
                    null_mut()
                } else {
                    reasons.as_mut_ptr()
                };
                let mut count = usize::MAX;
                let r = seccode_account_check_code(
                    a,
                    e,
                    *slot,
                    id(contact),
                    arg.ptr,
                    arg.len,
                    buf,
                    reasons.len(),
                    &mut count,
                );
                if *null_buf && !reasons.is_empty() {
                    assert!(!ok(r));
                } else {
                    expect_null_refused(&arg, r);
                }
                if ok(r) {
                    assert!(count <= reasons.len());
                    for n in &reasons[..count] {
                        assert!((1..=11).contains(n), "unknown reason {n}");
                    }
                }
            }
            Op::SetAccountCode { actor, code } => {
                let arg = code.arg();
                let r = seccode_account_set_account_code(a, e, id(actor), arg.ptr, arg.len);
                expect_null_refused(&arg, r);
            }
            Op::SetContactCode {
                actor,
                target,
                code,
            } => {
                let arg = code.arg();
                let r =
                    seccode_account_set_contact_code(a, e, id(actor), id(target), arg.ptr, arg.len);
                expect_null_refused(&arg, r);
            }
            Op::ClearAccountCode { actor } => {
                ok(seccode_account_clear_account_code(a, e, id(actor)));
            }
            Op::ClearContactCode { actor, target } => {
                ok(seccode_account_clear_contact_code(
                    a,
                    e,
                    id(actor),
                    id(target),
                ));
            }
            Op::ImportLegacyCode {
                slot,
                contact,
                code,
            } => {
                let arg = code.arg();
                let r =
                    seccode_account_import_legacy_code(a, e, *slot, id(contact), arg.ptr, arg.len);
                expect_null_refused(&arg, r);
            }
            Op::ImportLegacyHash { slot, contact, phc } => {
                let arg = phc.text_arg();
                let r =
                    seccode_account_import_legacy_hash(a, e, *slot, id(contact), arg.ptr, arg.len);
                expect_null_refused(&arg, r);
            }
            Op::SetPermission {
                actor,
                target,
                resource,
                action,
                setting,
            } => {
                let arg = resource.arg();
                let r = seccode_account_set_permission(
                    a,
                    e,
                    id(actor),
                    id(target),
                    arg.ptr,
                    arg.len,
                    *action,
                    *setting,
                );
                expect_null_refused(&arg, r);
            }
            Op::PermissionSetting {
                contact,
                resource,
                action,
            } => {
                let arg = resource.arg();
                let mut setting = seccode_setting::Deny;
                let r = seccode_account_permission_setting(
                    a,
                    id(contact),
                    arg.ptr,
                    arg.len,
                    *action,
                    &mut setting,
                );
                expect_null_refused(&arg, r);
                if !ok(r) {
                    assert_eq!(setting, seccode_setting::Deny, "output written on failure");
                }
            }
            Op::Effective {
                contact,
                resource,
                action,
            } => {
                let arg = resource.arg();
                let mut effective = seccode_effective::Allow;
                let mut origin = seccode_origin::Owner;
                let mut decided_by = null_mut();
                let r = seccode_account_effective(
                    a,
                    id(contact),
                    arg.ptr,
                    arg.len,
                    *action,
                    &mut effective,
                    &mut origin,
                    &mut decided_by,
                );
                expect_null_refused(&arg, r);
                if ok(r) {
                    let explained =
                        matches!(origin, seccode_origin::Explicit | seccode_origin::Inherited);
                    assert_eq!(!decided_by.is_null(), explained);
                    if !decided_by.is_null() {
                        take_string(decided_by);
                    }
                    if effective == seccode_effective::NotApplicable {
                        assert_eq!(origin, seccode_origin::NotApplicable);
                    }
                } else {
                    assert!(decided_by.is_null(), "output written on failure");
                }
            }
            Op::RenderGrid { contact, settings } => {
                let mut out = null_mut();
                let r = if *settings {
                    seccode_account_render_settings(a, id(contact), &mut out)
                } else {
                    seccode_account_render_grid(a, id(contact), &mut out)
                };
                if ok(r) {
                    assert!(take_string(out).starts_with("Resources"));
                } else {
                    assert!(out.is_null());
                }
            }
            Op::Authorize { contact, kind } => {
                let mut d = null_mut();
                if ok(seccode_account_authorize(a, id(contact), *kind, &mut d)) {
                    let mut count = 0usize;
                    let mut approvers = [0u64; 4];
                    let r = seccode_decision_approvers(
                        d,
                        approvers.as_mut_ptr(),
                        approvers.len(),
                        &mut count,
                    );
                    assert!(ok(r));
                    let mut text = null_mut();
                    assert!(ok(seccode_decision_message(d, &mut text)));
                    take_string(text);
                    let mut json = null_mut();
                    assert!(ok(seccode_decision_to_json(d, &mut json)));
                    take_string(json);
                    seccode_decision_free(d);
                } else {
                    assert!(d.is_null());
                }
            }
            Op::AddContact {
                actor,
                id: new_id,
                name,
                email,
                phone,
            } => {
                let mut details = null_mut();
                assert!(ok(seccode_contact_details_new(&mut details)));
                for (bytes, set) in [
                    (
                        name,
                        seccode_contact_details_set_name as unsafe extern "C" fn(_, _, _) -> _,
                    ),
                    (email, seccode_contact_details_set_email),
                    (phone, seccode_contact_details_set_phone),
                ] {
                    let arg = bytes.text_arg();
                    let r = set(details, arg.ptr, arg.len);
                    expect_null_refused(&arg, r);
                }
                ok(seccode_contact_details_set_rwhois(
                    details, true, false, true,
                ));
                ok(seccode_account_add_contact(
                    a,
                    e,
                    id(actor),
                    id(new_id),
                    details,
                ));
                seccode_contact_details_free(details);
            }
            Op::EditContact {
                actor,
                id: target,
                name,
            } => {
                let mut details = null_mut();
                assert!(ok(seccode_contact_details_new(&mut details)));
                let arg = name.text_arg();
                ok(seccode_contact_details_set_name(details, arg.ptr, arg.len));
                ok(seccode_account_edit_contact(
                    a,
                    e,
                    id(actor),
                    id(target),
                    details,
                ));
                seccode_contact_details_free(details);
            }
            Op::Deactivate { actor, id: target } => {
                ok(seccode_account_deactivate_contact(
                    a,
                    e,
                    id(actor),
                    id(target),
                ));
            }
            Op::Reactivate { actor, id: target } => {
                ok(seccode_account_reactivate_contact(
                    a,
                    e,
                    id(actor),
                    id(target),
                ));
            }
            Op::Unlock { actor, id: target } => {
                ok(seccode_account_unlock(a, e, id(actor), id(target)));
            }
            Op::LockState { contact } => {
                let (mut failed, mut locked, mut until) = (7u32, true, 9i64);
                if !ok(seccode_account_contact_lock_state(
                    a,
                    e,
                    id(contact),
                    &mut failed,
                    &mut locked,
                    &mut until,
                )) {
                    assert_eq!(
                        (failed, locked, until),
                        (7, true, 9),
                        "output written on failure"
                    );
                }
            }
            Op::MayKnow { contact } => {
                let mut may = false;
                ok(seccode_account_may_know_account_code(
                    a,
                    id(contact),
                    &mut may,
                ));
            }
            Op::SetNormalization {
                actor,
                normalization,
            } => {
                ok(seccode_account_set_normalization(
                    a,
                    e,
                    id(actor),
                    *normalization,
                ));
            }
            Op::ContactIds { len, misaligned } => {
                let mut storage = vec![0u64; usize::from(*len) + 1];
                let ptr = if *misaligned {
                    storage
                        .as_mut_ptr()
                        .cast::<u8>()
                        .wrapping_add(1)
                        .cast::<u64>()
                } else {
                    storage.as_mut_ptr()
                };
                let mut count = usize::MAX;
                let r = seccode_account_contact_ids(a, ptr, usize::from(*len), &mut count);
                if *misaligned && *len > 0 {
                    assert!(!ok(r), "a misaligned buffer was accepted");
                } else if ok(r) {
                    assert_eq!(count, ids.len());
                    assert_eq!(&storage[..count], &ids[..]);
                }
            }
            Op::ContactJson { contact } => {
                let mut out = null_mut();
                if ok(seccode_account_contact_json(a, id(contact), &mut out)) {
                    let json = take_string(out);
                    assert_no_code(&json, "contact JSON");
                }
            }
            Op::HashCode {
                code,
                normalization,
            } => {
                let arg = code.arg();
                let mut phc = null_mut();
                let r = seccode_hash_code(e, arg.ptr, arg.len, *normalization, &mut phc);
                expect_null_refused(&arg, r);
                if ok(r) {
                    let phc = take_string(phc);
                    let mut matched = false;
                    assert!(ok(seccode_verify_code(
                        e,
                        phc.as_ptr(),
                        phc.len(),
                        arg.ptr,
                        arg.len,
                        *normalization,
                        &mut matched
                    )));
                    assert!(matched, "a fresh plain hash does not verify");
                } else {
                    assert!(phc.is_null());
                }
            }
            Op::VerifyCode {
                phc,
                code,
                normalization,
            } => {
                let (p, c) = (phc.text_arg(), code.arg());
                let mut matched = true;
                let r = seccode_verify_code(
                    e,
                    p.ptr,
                    p.len,
                    c.ptr,
                    c.len,
                    *normalization,
                    &mut matched,
                );
                if !ok(r) {
                    assert!(matched, "output written on failure");
                }
            }
            Op::Catalog(json) => {
                let arg = json.text_arg();
                let mut catalog = null_mut();
                let r = seccode_catalog_from_json(arg.ptr, arg.len, &mut catalog);
                expect_null_refused(&arg, r);
                if ok(r) {
                    let mut out = null_mut();
                    assert!(ok(seccode_catalog_to_json(catalog, &mut out)));
                    take_string(out);
                    let mut details = null_mut();
                    assert!(ok(seccode_contact_details_new(&mut details)));
                    ok(seccode_contact_details_set_name(
                        details,
                        b"Owner".as_ptr(),
                        5,
                    ));
                    let mut other = null_mut();
                    if ok(seccode_account_new_with_catalog(
                        1,
                        b"Acme".as_ptr(),
                        4,
                        1,
                        details,
                        catalog,
                        &mut other,
                    )) {
                        let mut text = null_mut();
                        assert!(ok(seccode_account_render_grid(other, 1, &mut text)));
                        take_string(text);
                        seccode_account_free(other);
                    }
                    seccode_contact_details_free(details);
                    seccode_catalog_free(catalog);
                } else {
                    assert!(catalog.is_null());
                }
            }
            Op::ResultMessage { result, len } => {
                text_buffer_call(*len, |b, l, n| seccode_result_message(*result, b, l, n));
            }
            Op::ReasonMessage { reason, len, code } => {
                if *code {
                    text_buffer_call(*len, |b, l, n| seccode_reason_code(*reason, b, l, n));
                } else {
                    text_buffer_call(*len, |b, l, n| seccode_reason_message(*reason, b, l, n));
                }
            }
            Op::LastError { len, reasons_len } => {
                text_buffer_call(*len, |b, l, n| seccode_last_error_message(b, l, n));
                let mut reasons = vec![0u32; usize::from(*reasons_len)];
                let mut count = 0usize;
                ok(seccode_last_error_reasons(
                    reasons.as_mut_ptr(),
                    reasons.len(),
                    &mut count,
                ));
            }
            Op::DrainAudit => {
                let mut out = null_mut();
                assert!(ok(seccode_account_drain_audit(a, &mut out)));
                let json = take_string(out);
                assert_no_code(&json, "the audit log");
            }
            Op::AdvanceClock { seconds } => {
                ok(seccode_engine_advance_clock(e, *seconds));
            }
            Op::NullHandles { which } => {
                let mut out = null_mut();
                let r = match which % 6 {
                    0 => seccode_account_to_json(null(), &mut out),
                    1 => seccode_account_verify(null_mut(), e, 1, b"code".as_ptr(), 4, null_mut()),
                    2 => seccode_account_verify(a, null(), 1, b"code".as_ptr(), 4, null_mut()),
                    3 => seccode_account_render_grid(a, 1, null_mut()),
                    4 => seccode_hash_code(null(), b"code".as_ptr(), 4, 0, &mut out),
                    _ => seccode_account_from_json(b"{}".as_ptr(), 2, null_mut()),
                };
                assert_eq!(r, seccode_result::NullArgument);
                assert!(out.is_null());
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|b| *b == 0xFF).unwrap_or(data.len());
    let (json, rest) = data.split_at(split);
    let mut u = Unstructured::new(rest.get(1..).unwrap_or_default());
    let Ok(spec) = EngineSpec::arbitrary(&mut u) else {
        return;
    };
    TEXTS.with(|t| t.borrow_mut().clear());
    record_text(json);
    let engine = Engine::new(&spec);

    let mut account = null_mut();
    // SAFETY: `json` is a live slice; valid output.
    if !ok(unsafe { seccode_account_from_json(json.as_ptr(), json.len(), &mut account) }) {
        assert!(account.is_null(), "output written on failure");
        let base = base_json();
        // SAFETY: as above.
        assert!(ok(unsafe {
            seccode_account_from_json(base.as_ptr(), base.len(), &mut account)
        }));
    }
    for _ in 0..48 {
        let Ok(op) = Op::arbitrary(&mut u) else {
            break;
        };
        run(&mut account, &engine, &op);
    }
    // SAFETY: live handle, freed once.
    unsafe { seccode_account_free(account) };
});
