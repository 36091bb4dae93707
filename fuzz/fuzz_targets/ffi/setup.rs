//! What every run starts from: an engine built through the C API from arbitrary (cheap)
//! settings, and the built-in account used when the input's JSON does not load.

use std::ptr::null_mut;
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use seccode_ffi::*;

use crate::contract::{ok, take_string};
use crate::inputs::{Bytes, CODES};

/// The engine settings a run asks for (made cheap by [`Engine::new`]).
#[derive(Arbitrary, Debug)]
pub(crate) struct EngineSpec {
    m: u8,
    t: u8,
    p: u8,
    ceilings: Option<(u32, u32, u32)>,
    lockout: Option<(u32, i64)>,
    pepper: Option<(Bytes, Bytes)>,
    retired: Option<(Bytes, Bytes)>,
    max_concurrent: u8,
}

/// The built-in account, made once through the C API with cheap parameters: the primary
/// contact 3522 with an account-wide code, 3523 with an individual code and Profile / View,
/// 3524 without a code, 3525 deactivated.
pub(crate) fn base_json() -> &'static [u8] {
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

/// An engine handle, freed when dropped.
pub(crate) struct Engine(pub(crate) *mut seccode_engine);

impl Engine {
    /// An engine from the spec, with cheap parameters (m <= 64 KiB, t <= 2) and ceilings of at
    /// most m=64, t=2, p=2; the plain cheap engine when the spec does not build.
    pub(crate) fn new(spec: &EngineSpec) -> Engine {
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
