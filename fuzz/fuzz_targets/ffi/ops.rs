//! The operations a run performs on its account, one C entry point (or a few) each, with what
//! each one's answer must satisfy.

use std::ptr::{null, null_mut};

use arbitrary::Arbitrary;
use seccode_ffi::*;

use crate::contract::{contact_ids, expect_null_refused, ok, take_string, text_buffer_call};
use crate::inputs::{Bytes, Id, Resource, id_of};
use crate::secrets::assert_no_code;
use crate::setup::Engine;
use crate::verification::verification_checks;

/// One operation; the variants and their order are the input format of the committed seeds.
#[derive(Arbitrary, Debug)]
pub(crate) enum Op {
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
        overwrite: bool,
    },
    ImportLegacyHash {
        slot: u32,
        contact: Id,
        phc: Bytes,
        overwrite: bool,
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
    /// A verified call as a portal's session would hand it back (JSON, untrusted), then a
    /// request authorized with it.
    Authorize {
        call: Bytes,
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

/// Perform `op` on `account` (replaced when `Op::Load` loads another) and check the answers.
pub(crate) fn run(account: &mut *mut seccode_account, engine: &Engine, op: &Op) {
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
                    verification_checks(a, e, v, contact);
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
                overwrite,
            } => {
                let arg = code.arg();
                let r = seccode_account_import_legacy_code(
                    a,
                    e,
                    *slot,
                    id(contact),
                    arg.ptr,
                    arg.len,
                    *overwrite,
                );
                expect_null_refused(&arg, r);
            }
            Op::ImportLegacyHash {
                slot,
                contact,
                phc,
                overwrite,
            } => {
                let arg = phc.text_arg();
                let r = seccode_account_import_legacy_hash(
                    a,
                    e,
                    *slot,
                    id(contact),
                    arg.ptr,
                    arg.len,
                    *overwrite,
                );
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
            Op::Authorize { call, kind } => {
                let arg = call.text_arg();
                let mut c = null_mut();
                let r = seccode_verified_call_from_json(arg.ptr, arg.len, &mut c);
                expect_null_refused(&arg, r);
                if !ok(r) {
                    assert!(c.is_null(), "output written on failure");
                    return;
                }
                let mut status = seccode_call_status::Valid;
                assert!(ok(seccode_account_call_status(a, e, c, &mut status)));
                let mut json = null_mut();
                assert!(ok(seccode_verified_call_to_json(c, &mut json)));
                take_string(json);
                let mut d = null_mut();
                let r = seccode_account_authorize(a, e, c, *kind, &mut d);
                seccode_verified_call_free(c);
                if ok(r) {
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
                if ok(seccode_account_contact_json(a, e, id(contact), &mut out)) {
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
