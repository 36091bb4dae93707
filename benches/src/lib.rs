//! Fixtures shared by the benchmarks and the measurement programs of this package: the seed
//! portal's account with a realistic permission grid, engines at chosen Argon2 parameters, the
//! raw-argon2 baseline, a C-ABI account, the equivalent cedar question, and a 10,000-contact
//! account.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc)]

#[cfg(feature = "ffi")]
use std::ptr::null_mut;
use std::sync::Arc;

use argon2::{Algorithm, Argon2, Version};
use seccode::{
    Account, AccountId, AccountRecord, Action, Binding, CodeHash, ContactDetails, ContactId,
    ContactRecord, Engine, EngineConfig, HashParams, Lockout, Normalization, Scope, SecurityCode,
    Setting, VerifierConfig,
};

/// The account id of the seed ("Client ID" 1707).
pub const ACCOUNT: u64 = 1707;
/// The primary contact (Joe Example).
pub const PRIMARY: ContactId = ContactId(3522);
/// The contact whose grid the permission benchmarks ask about ("Contact Example").
pub const CONTACT: ContactId = ContactId(3523);
/// A contact without a code.
pub const NO_CODE: ContactId = ContactId(3524);
/// A deactivated contact (it has an individual code).
pub const DEACTIVATED: ContactId = ContactId(3525);
/// An id no contact has.
pub const UNKNOWN: ContactId = ContactId(9999);

/// The account-wide code.
pub const ACCOUNT_CODE: &str = "Velvet thunder orchard lamp";
/// The individual code of [`CONTACT`] (and of [`DEACTIVATED`] before it was deactivated).
pub const CONTACT_CODE: &str = "Quiet harbor zebra violin";
/// A wrong code of the same length as [`CONTACT_CODE`].
pub const WRONG_CODE: &str = "Quiet harbor zebra violas";

/// SPEC 2.1's default cost.
pub const DEFAULT_PARAMS: HashParams = HashParams {
    m_kib: 19_456,
    t: 2,
    p: 1,
};

/// A cheap cost for measurements that need many samples.
pub const fn cheap(m_kib: u32) -> HashParams {
    HashParams { m_kib, t: 1, p: 1 }
}

/// A security code from a literal.
pub fn code(s: &str) -> SecurityCode {
    SecurityCode::try_from(s).unwrap()
}

/// An engine at `params`, with `max_concurrent` Argon2 computations at once (0: one per
/// core) and a lockout that never triggers (so wrong codes can be measured forever).
pub fn engine(params: HashParams, max_concurrent: usize) -> Engine {
    Engine::new(EngineConfig {
        verifier: VerifierConfig {
            params,
            max_concurrent,
            ..VerifierConfig::default()
        },
        lockout: Lockout {
            max_failures: u32::MAX,
            duration_secs: 1,
        },
        ..EngineConfig::default()
    })
    .unwrap()
}

/// The seed account: Joe Example (primary, account-wide code set), Contact Example (individual
/// code, a realistic grid with `Profile / View` Allow, so it may use the account-wide code),
/// a contact without code, and a deactivated contact.
///
/// [`CONTACT`]'s settings: Client Portal View Allow and Update Allow; Client Profile View Deny
/// (reopened by Profile View Allow); Manage Contacts View and Update Allow; Billing & Services
/// Update Deny.
pub fn portal_account(engine: &Engine) -> Account {
    let joe = ContactDetails {
        title: "Primary Contact".into(),
        phone: "000-000-0000".into(),
        email: "marketing@viviotech.net".into(),
        ..ContactDetails::named("Joe Example")
    };
    let mut a = Account::new(AccountId(ACCOUNT), "Any Company", PRIMARY, joe).unwrap();
    for (id, name) in [
        (CONTACT, "Contact Example"),
        (NO_CODE, "Third Contact"),
        (DEACTIVATED, "Gone Contact"),
    ] {
        a.add_contact(engine, PRIMARY, id, ContactDetails::named(name))
            .unwrap();
    }
    a.set_account_code(engine, PRIMARY, &code(ACCOUNT_CODE))
        .unwrap();
    a.set_contact_code(engine, PRIMARY, CONTACT, &code(CONTACT_CODE))
        .unwrap();
    a.set_contact_code(engine, PRIMARY, DEACTIVATED, &code(CONTACT_CODE))
        .unwrap();
    for (resource, action, setting) in contact_settings() {
        let id = a.catalog().require(resource).unwrap();
        a.set_permission(engine, PRIMARY, CONTACT, id, action, setting)
            .unwrap();
    }
    a.deactivate_contact(engine, PRIMARY, DEACTIVATED).unwrap();
    a.drain_audit();
    a
}

/// [`CONTACT`]'s explicit settings.
pub fn contact_settings() -> Vec<(&'static str, Action, Setting)> {
    vec![
        ("Client Portal", Action::View, Setting::Allow),
        ("Client Portal", Action::Update, Setting::Allow),
        ("Client Profile", Action::View, Setting::Deny),
        ("Profile", Action::View, Setting::Allow),
        ("Manage Contacts", Action::View, Setting::Allow),
        ("Manage Contacts", Action::Update, Setting::Allow),
        ("Billing & Services", Action::Update, Setting::Deny),
    ]
}

/// The raw argon2 crate at the same parameters as an engine: `evaluations` hashes of
/// `input` into a 32-byte output with a 16-byte salt, each allocating its own memory as the
/// crate does, then a constant-time comparison with `expected`.
pub struct RawArgon2 {
    argon: Argon2<'static>,
    salt: [u8; 16],
    expected: [u8; 32],
}

impl RawArgon2 {
    /// The baseline at `params`.
    pub fn new(params: HashParams) -> RawArgon2 {
        let p = argon2::Params::new(params.m_kib, params.t, params.p, Some(32)).unwrap();
        RawArgon2 {
            argon: Argon2::new(Algorithm::Argon2id, Version::V0x13, p),
            salt: [7; 16],
            expected: [0; 32],
        }
    }

    /// One Argon2id evaluation and a constant-time comparison, as a verification of one stored
    /// hash does.
    pub fn check(&self, input: &[u8]) -> bool {
        use subtle::ConstantTimeEq;
        let mut out = [0u8; 32];
        self.argon
            .hash_password_into(input, &self.salt, &mut out)
            .unwrap();
        bool::from(out.ct_eq(&self.expected))
    }

    /// Two evaluations (the individual and the account-wide slot), as `Account::verify` does.
    pub fn check_two(&self, input: &[u8]) -> bool {
        let a = self.check(input);
        let b = self.check(input);
        a | b
    }
}

/// The hashed input of a scoped code: `seccode/v1\0 || scope || \0 || normalized` (DESIGN.md),
/// so the raw baseline hashes as many bytes as seccode does.
pub fn scoped_input(scope: &Scope, code: &str) -> Vec<u8> {
    let normalized = Normalization::Spoken.apply(&self::code(code));
    let mut input = b"seccode/v1\0".to_vec();
    input.extend_from_slice(scope.label().as_bytes());
    input.push(0);
    input.extend_from_slice(normalized.as_bytes());
    input
}

/// A stored hash of `code` for `scope`, made by `engine`.
pub fn stored_hash(engine: &Engine, scope: &Scope, code: &str) -> CodeHash {
    engine
        .verifier()
        .hash(&self::code(code), Normalization::Spoken, scope)
        .unwrap()
}

/// An account with `n` contacts as stored JSON (hashes only): every contact has a name, title,
/// phone and email; every tenth an individual code hash and a few permission settings; the
/// account a code hash. The hashes are copies of one PHC string (load and save do not verify).
pub fn big_account_json(n: u64) -> String {
    let engine = engine(cheap(64), 1);
    let phc = stored_hash(&engine, &Scope::account(ACCOUNT), ACCOUNT_CODE);
    let hash = CodeHash::parse(phc.phc(), Normalization::Spoken, Binding::Scoped).unwrap();
    let mut contacts = Vec::new();
    for i in 0..n {
        let id = ContactId(10_000 + i);
        let mut permissions = std::collections::BTreeMap::new();
        if i % 10 == 3 {
            for (resource, action, setting) in contact_settings() {
                permissions
                    .entry(resource.to_owned())
                    .or_insert_with(std::collections::BTreeMap::new)
                    .insert(action, setting);
            }
        }
        contacts.push(ContactRecord {
            id,
            primary: i == 0,
            name: format!("Contact Number {i}"),
            title: "Support Engineer".into(),
            phone: format!("+1 555 {:07}", i),
            email: format!("contact{i}@example.com"),
            audit_account: i % 50 == 7,
            rwhois: Default::default(),
            active: i % 100 != 99,
            security_code: (i % 10 == 3).then(|| hash.clone()),
            sealed_code: None,
            password: None,
            permissions,
            lock: Default::default(),
            stamp: 0,
        });
    }
    let record = AccountRecord {
        format: seccode::FORMAT,
        id: AccountId(ACCOUNT),
        name: "Any Company".into(),
        normalization: Normalization::Spoken,
        catalog: None,
        security_code: Some(hash),
        sealed_code: None,
        contacts,
        unknown_contact_locks: Vec::new(),
        code_stamp: 0,
        throttled_until: None,
    };
    Account::from_record(record).unwrap().to_json().unwrap()
}

#[cfg(feature = "ffi")]
/// An engine and an account made through the C ABI (the `extern "C"` functions of
/// crates/seccode-ffi), freed on drop.
pub struct CAccount {
    /// The engine handle.
    pub engine: *mut seccode_ffi::seccode_engine,
    /// The account handle.
    pub account: *mut seccode_ffi::seccode_account,
}

#[cfg(feature = "ffi")]
impl CAccount {
    /// An engine at `params` (lockout that never triggers) and the account `json` loaded into it.
    pub fn new(params: HashParams, json: &str) -> CAccount {
        use seccode_ffi::*;
        let ok = |r: seccode_result| assert_eq!(r, seccode_result::Ok);
        let mut config = null_mut();
        let mut engine = null_mut();
        let mut account = null_mut();
        // SAFETY: valid handles and pointers throughout; the config is freed once.
        unsafe {
            ok(seccode_engine_config_new(&mut config));
            ok(seccode_engine_config_set_hash_params(
                config,
                params.m_kib,
                params.t,
                params.p,
            ));
            ok(seccode_engine_config_set_lockout(config, u32::MAX, 1));
            ok(seccode_engine_new(config, &mut engine));
            seccode_engine_config_free(config);
            ok(seccode_account_from_json(
                json.as_ptr(),
                json.len(),
                &mut account,
            ));
        }
        CAccount { engine, account }
    }

    /// `seccode_account_verify` then `seccode_verification_outcome`; true when verified.
    pub fn verify(&self, contact: u64, code: &str) -> bool {
        use seccode_ffi::*;
        let mut v = null_mut();
        let mut outcome = seccode_outcome::Locked;
        // SAFETY: live handles; `code` is a live slice; `v` is freed once.
        unsafe {
            let r = seccode_account_verify(
                self.account,
                self.engine,
                contact,
                code.as_ptr(),
                code.len(),
                &mut v,
            );
            assert_eq!(r, seccode_result::Ok);
            assert_eq!(
                seccode_verification_outcome(v, &mut outcome),
                seccode_result::Ok
            );
            seccode_verification_free(v);
        }
        outcome == seccode_outcome::Verified
    }
}

#[cfg(feature = "ffi")]
impl Drop for CAccount {
    fn drop(&mut self) {
        // SAFETY: handles made in `new`, freed once.
        unsafe {
            seccode_ffi::seccode_account_free(self.account);
            seccode_ffi::seccode_engine_free(self.engine);
        }
    }
}

#[cfg(feature = "ffi")]
// SAFETY: the C ABI documents engines and accounts as usable from any thread.
unsafe impl Send for CAccount {}

/// A shared engine handle for threads.
pub type SharedEngine = Arc<Engine>;

/// The machine, for the figures: `nproc` and the CPU model.
pub fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, usize::from);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{cpus} CPUs, {model}")
}
