//! `seccode_engine_config` and `seccode_engine`: the portal-wide configuration every account
//! operation runs with (Argon2id parameters, pepper, code policy, lockout, verification
//! lifetime, sealing key, clock).

use std::sync::Arc;

use seccode::{
    Ceilings, Clock, CodePolicy, Engine, EngineConfig, HashParams, Lockout, ManualClock, Pepper,
    Sealer, SystemClock, Timestamp, VerifierConfig,
};
use zeroize::Zeroizing;

use crate::boundary::{self, Handle, borrow, free_handle, into_handle};
use crate::guard::ffi_guard;
use crate::result::{Failure, seccode_result};

/// A builder for an engine: start from the defaults with `seccode_engine_config_new`, change
/// what the portal needs, build with `seccode_engine_new`, free with
/// `seccode_engine_config_free`.
///
/// Defaults: Argon2id m=19456 KiB, t=2, p=1; default ceilings (m<=262144, t<=16, p<=16); no
/// pepper; the code policy of 8 to 128 characters and strength at least 3 of 4; 5 consecutive
/// failures lock a contact for 1800 seconds; a verification authorizes requests for 900
/// seconds; no sealing key; one concurrent hash per core; the system clock.
///
/// Thread safety: a config may be used from several threads at once (it is locked internally),
/// though a portal normally builds it once at start-up.
pub struct seccode_engine_config {
    _private: [u8; 0],
}

/// The engine: hash parameters, peppers, the code policy, the lockout rule and the clock.
/// Build one per process and share it.
///
/// Thread safety: an engine is immutable after construction (its manual clock, if any, is
/// atomic) and may be used from any number of threads at once.
pub struct seccode_engine {
    _private: [u8; 0],
}

#[derive(Default, Clone)]
pub(crate) struct ConfigInner {
    params: HashParams,
    ceilings: Ceilings,
    pepper: Option<Pepper>,
    retired: Vec<Pepper>,
    policy: CodePolicy,
    lockout: Lockout,
    verification_lifetime_secs: Option<i64>,
    sealer: Option<Sealer>,
    max_concurrent: usize,
    manual_clock: Option<i64>,
}

pub(crate) struct EngineInner {
    pub(crate) engine: Engine,
    clock: Option<Arc<ManualClock>>,
}

// SAFETY: `seccode_engine_config` is a zero-sized opaque type never constructed in Rust.
unsafe impl Handle for seccode_engine_config {
    type Inner = std::sync::Mutex<ConfigInner>;
}

// SAFETY: `seccode_engine` is a zero-sized opaque type never constructed in Rust.
unsafe impl Handle for seccode_engine {
    type Inner = EngineInner;
}

/// Lock the configuration behind a handle (recovering from poisoning: every change is a
/// single assignment, so a poisoned lock never holds a half-made change).
///
/// # Safety
///
/// As for [`borrow`].
pub(crate) unsafe fn config_of<'a>(
    config: *const seccode_engine_config,
) -> Result<std::sync::MutexGuard<'a, ConfigInner>, Failure> {
    // SAFETY: forwarded contract.
    let cell = unsafe { borrow(config) }?;
    Ok(cell
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner))
}

/// Create an engine configuration holding the defaults.
///
/// `*out_config` receives a config to free with `seccode_engine_config_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_engine_config_new(
    out_config: *mut *mut seccode_engine_config,
) -> seccode_result {
    ffi_guard! {
        let out_config = out(out_config);
        =>
        let handle = into_handle::<seccode_engine_config>(Default::default());
        // SAFETY: `out_config` was checked; the caller provides a writable pointer.
        unsafe { out_config.write(handle) };
        Ok(())
    }
}

/// Free a configuration made by `seccode_engine_config_new`. NULL does nothing; free each
/// config exactly once. Engines built from it are not affected.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_engine_config_free(config: *mut seccode_engine_config) {
    ffi_guard! {
        =>
        // SAFETY: the caller hands back a config made by this library, exactly once.
        unsafe { free_handle(config) }
    }
}

/// Set the Argon2id parameters of new hashes: memory `m_kib` in KiB, `t` passes, `p` lanes.
/// Checked when the engine is built. Tests may use cheap values such as m=64, t=1, p=1.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_engine_config_set_hash_params(
    config: *mut seccode_engine_config,
    m_kib: u32,
    t: u32,
    p: u32,
) -> seccode_result {
    ffi_guard! {
        let mut c = config(config);
        =>
        c.params = HashParams { m_kib, t, p };
        Ok(())
    }
}

/// Set the most work a stored hash may ask for; a stored hash above a ceiling is refused with
/// `SECCODE_RESULT_MALFORMED_DATA` before any memory is allocated for it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_engine_config_set_ceilings(
    config: *mut seccode_engine_config,
    max_m_kib: u32,
    max_t: u32,
    max_p: u32,
) -> seccode_result {
    ffi_guard! {
        let mut c = config(config);
        =>
        c.ceilings = Ceilings {
            max_m_kib,
            max_t,
            max_p,
        };
        Ok(())
    }
}

/// Set the lockout rule: `max_failures` consecutive failed verifications lock a contact for
/// `duration_secs` seconds. Checked when the engine is built (both must be positive).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_engine_config_set_lockout(
    config: *mut seccode_engine_config,
    max_failures: u32,
    duration_secs: i64,
) -> seccode_result {
    ffi_guard! {
        let mut c = config(config);
        =>
        c.lockout = Lockout {
            max_failures,
            duration_secs,
        };
        Ok(())
    }
}

/// Set the secret pepper mixed into every new hash: `key_id` (1 to 8 printable ASCII bytes,
/// recorded in each hash) and `secret` (16 to 64 bytes, copied into a buffer wiped when the
/// config and the engine are freed). The caller may wipe its own copy after the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_engine_config_set_pepper(
    config: *mut seccode_engine_config,
    key_id: *const u8,
    key_id_len: usize,
    secret: *const u8,
    secret_len: usize,
) -> seccode_result {
    ffi_guard! {
        =>
        // SAFETY: the caller passes readable `(ptr, len)` inputs.
        let pepper = unsafe { pepper(key_id, key_id_len, secret, secret_len) }?;
        // SAFETY: the caller passes a live config handle.
        let mut c = unsafe { config_of(config) }?;
        c.pepper = Some(pepper);
        Ok(())
    }
}

/// Add a former pepper: hashes made with it still verify and are upgraded to the current
/// pepper on their next successful verification. Same inputs as
/// `seccode_engine_config_set_pepper`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_engine_config_add_retired_pepper(
    config: *mut seccode_engine_config,
    key_id: *const u8,
    key_id_len: usize,
    secret: *const u8,
    secret_len: usize,
) -> seccode_result {
    ffi_guard! {
        =>
        // SAFETY: the caller passes readable `(ptr, len)` inputs.
        let pepper = unsafe { pepper(key_id, key_id_len, secret, secret_len) }?;
        // SAFETY: the caller passes a live config handle.
        let mut c = unsafe { config_of(config) }?;
        c.retired.push(pepper);
        Ok(())
    }
}

/// Set the code policy new codes must pass (SPEC 2.2): at least `min_chars` and at most
/// `max_chars` characters after normalization, and a strength score of at least
/// `min_strength` (0, which turns the strength rule off, to 4). The other rules (no SSN- or
/// date-shaped numbers, no personal details, no common passwords) always apply. Checked when
/// the engine is built: `min_chars` at least 1 and at most `max_chars`, `min_strength` at
/// most 4, else `SECCODE_RESULT_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_engine_config_set_policy(
    config: *mut seccode_engine_config,
    min_chars: usize,
    max_chars: usize,
    min_strength: u8,
) -> seccode_result {
    ffi_guard! {
        let mut c = config(config);
        =>
        c.policy = CodePolicy {
            min_chars,
            max_chars,
            min_strength,
        };
        Ok(())
    }
}

/// Set how long a successful verification authorizes requests (its `seccode_verified_call`),
/// in seconds: by default 900 (15 minutes, a phone call's length). Checked when the engine is
/// built (it must be positive).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_engine_config_set_verification_lifetime(
    config: *mut seccode_engine_config,
    secs: i64,
) -> seccode_result {
    ffi_guard! {
        let mut c = config(config);
        =>
        c.verification_lifetime_secs = Some(secs);
        Ok(())
    }
}

/// Keep a sealed (encrypted) copy of every code set or imported in plaintext from now on, so
/// that `seccode_account_reveal_account_code` and `seccode_account_reveal_contact_code` can
/// show it to an entitled contact. `key_id` (1 to 64 printable ASCII bytes, no spaces) is
/// stored with each copy; `key` must be exactly 32 bytes (XChaCha20-Poly1305), else
/// `SECCODE_RESULT_INVALID_ARGUMENT`. The key is copied into buffers wiped when the config and
/// the engine are freed; the caller may wipe its own copy after the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_engine_config_set_sealing_key(
    config: *mut seccode_engine_config,
    key_id: *const u8,
    key_id_len: usize,
    key: *const u8,
    key_len: usize,
) -> seccode_result {
    ffi_guard! {
        let key_id = text(key_id, key_id_len);
        let key = bytes(key, key_len);
        let mut c = config(config);
        =>
        let mut copy = Zeroizing::new([0u8; 32]);
        if key.len() != copy.len() {
            return Err(Failure::invalid("the sealing key must be exactly 32 bytes"));
        }
        copy.copy_from_slice(key);
        c.sealer = Some(Sealer::new(key_id, *copy)?);
        Ok(())
    }
}

/// Set how many Argon2id computations may run at once (memory bound: `max * m_kib`); 0 means
/// one per available core.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_engine_config_set_max_concurrent_hashes(
    config: *mut seccode_engine_config,
    max: usize,
) -> seccode_result {
    ffi_guard! {
        let mut c = config(config);
        =>
        c.max_concurrent = max;
        Ok(())
    }
}

/// Use a manual clock standing at `start_unix_secs` instead of the system clock, for tests and
/// simulations: it moves only with `seccode_engine_advance_clock`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_engine_config_set_manual_clock(
    config: *mut seccode_engine_config,
    start_unix_secs: i64,
) -> seccode_result {
    ffi_guard! {
        let mut c = config(config);
        =>
        c.manual_clock = Some(start_unix_secs);
        Ok(())
    }
}

/// Build an engine from `config` (which stays owned by the caller). Fails with
/// `SECCODE_RESULT_INVALID_ARGUMENT` for unusable parameters (see the last error message).
/// Building runs one Argon2id computation with the configured parameters.
///
/// `*out_engine` receives an engine to free with `seccode_engine_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_engine_new(
    config: *const seccode_engine_config,
    out_engine: *mut *mut seccode_engine,
) -> seccode_result {
    ffi_guard! {
        let out_engine = out(out_engine);
        let config = config(config);
        =>
        let c = config.clone();
        drop(config);
        let manual = c
            .manual_clock
            .map(|start| Arc::new(ManualClock::new(Timestamp(start))));
        let clock: Arc<dyn Clock> = match &manual {
            Some(m) => Arc::clone(m) as Arc<dyn Clock>,
            None => Arc::new(SystemClock),
        };
        let defaults = EngineConfig::default();
        let engine = Engine::new(EngineConfig {
            verifier: VerifierConfig {
                params: c.params,
                ceilings: c.ceilings,
                pepper: c.pepper,
                retired_peppers: c.retired,
                max_concurrent: c.max_concurrent,
            },
            policy: c.policy,
            lockout: c.lockout,
            clock,
            verification_lifetime_secs: c
                .verification_lifetime_secs
                .unwrap_or(defaults.verification_lifetime_secs),
            sealer: c.sealer,
        })?;
        let handle = into_handle::<seccode_engine>(EngineInner {
            engine,
            clock: manual,
        });
        // SAFETY: `out_engine` was checked; the caller provides a writable pointer.
        unsafe { out_engine.write(handle) };
        Ok(())
    }
}

/// Free an engine made by `seccode_engine_new`. NULL does nothing; free each engine exactly
/// once, after every call using it has returned.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_engine_free(engine: *mut seccode_engine) {
    ffi_guard! {
        =>
        // SAFETY: the caller hands back an engine made by this library, exactly once.
        unsafe { free_handle(engine) }
    }
}

/// The engine's current time, in seconds since the Unix epoch.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_engine_now(
    engine: *const seccode_engine,
    out_unix_secs: *mut i64,
) -> seccode_result {
    ffi_guard! {
        let out_unix_secs = out(out_unix_secs);
        =>
        // SAFETY: the caller passes a live engine handle.
        let e = unsafe { borrow(engine) }?;
        let now = e.engine.now().unix_seconds();
        // SAFETY: checked above; writable by the caller's contract.
        unsafe { out_unix_secs.write(now) };
        Ok(())
    }
}

/// The engine's Argon2id counters, for tests and monitoring: `*out_evaluations` receives how
/// many evaluations it has run since it was built (each counted as it starts: the one that
/// building runs, two per verification that is not *locked*, one per hash of a new code), and
/// `*out_peak_in_flight` the most that have ever run at once (never above the configured
/// concurrency). Exact counts, not samples: the difference before and after a call tells how
/// many evaluations it ran (other threads' evaluations on the same engine count too).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_engine_hash_stats(
    engine: *const seccode_engine,
    out_evaluations: *mut u64,
    out_peak_in_flight: *mut usize,
) -> seccode_result {
    ffi_guard! {
        let out_evaluations = out(out_evaluations);
        let out_peak_in_flight = out(out_peak_in_flight);
        let engine = engine(engine);
        =>
        let verifier = engine.verifier();
        // SAFETY: both checked above; writable by the caller's contract.
        unsafe {
            out_evaluations.write(verifier.evaluations());
            out_peak_in_flight.write(verifier.peak_in_flight());
        }
        Ok(())
    }
}

/// Move an engine's manual clock forward by `seconds` (which may be negative). Fails with
/// `SECCODE_RESULT_CONFLICT` for an engine on the system clock.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn seccode_engine_advance_clock(
    engine: *const seccode_engine,
    seconds: i64,
) -> seccode_result {
    ffi_guard! {
        =>
        // SAFETY: the caller passes a live engine handle.
        let e = unsafe { borrow(engine) }?;
        let clock = e.clock.as_ref().ok_or(Failure::Boundary(
            seccode_result::Conflict,
            "the engine runs on the system clock; only a manual clock can be advanced",
        ))?;
        clock.advance(seconds);
        Ok(())
    }
}

/// A pepper from `(ptr, len)` inputs; the secret is copied straight into the core's wiped
/// buffer.
///
/// # Safety
///
/// As for [`boundary::bytes`], for both inputs.
unsafe fn pepper(
    key_id: *const u8,
    key_id_len: usize,
    secret: *const u8,
    secret_len: usize,
) -> Result<Pepper, Failure> {
    // SAFETY: forwarded contract.
    let key_id = unsafe { boundary::text(key_id, key_id_len) }?;
    // SAFETY: forwarded contract.
    let secret = unsafe { boundary::bytes(secret, secret_len) }?;
    Ok(Pepper::new(key_id, secret.to_vec())?)
}

/// The engine behind a handle.
///
/// # Safety
///
/// As for [`borrow`].
pub(crate) unsafe fn engine_of<'a>(engine: *const seccode_engine) -> Result<&'a Engine, Failure> {
    // SAFETY: forwarded contract.
    Ok(&unsafe { borrow(engine) }?.engine)
}
