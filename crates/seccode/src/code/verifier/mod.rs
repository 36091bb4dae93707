//! [`Verifier`]: makes and checks Argon2id hashes of security codes (SPEC 2.1, 2.4, 2.7).
//!
//! - Every computation runs in memory the verifier owns: a pool of `argon2::Block` buffers
//!   that are wiped (with `zeroize`'s volatile writes) after every hash and every check, before
//!   they are reused or freed. The `argon2` crate on its own would free its ~19 MiB of working
//!   memory, derived from the code, without wiping it.
//! - At most [`Verifier::max_concurrent`] computations run at once; further callers wait.
//!   This bounds the memory a burst of verifications can take to `max_concurrent * m`.
//! - [`Verifier::check`] with no stored hash computes against a dummy hash made at
//!   construction with the current parameters and pepper, so the time taken does not reveal
//!   whether a contact exists or has a code.
//! - Stored parameters are checked against the [`Ceilings`] before anything is allocated.
//! - [`Verifier::evaluations`] counts every Argon2id evaluation, so tests can check that the
//!   work does not depend on the secret's presence.
//!
//! The verifier API is here; the pooled memory and the evaluation count are in `runner`, the
//! concurrency limit in `gate`.

mod gate;
mod runner;

use std::fmt;
use std::sync::Arc;

use subtle::{Choice, ConstantTimeEq};
use zeroize::Zeroizing;

#[doc(hidden)]
pub use runner::{Probe, ProbeEvent};
use runner::{Runner, block_count};

use crate::code::hash::{
    Binding, Ceilings, CodeHash, HashAlgorithm, HashCost, HashParams, MAX_SALT_LEN, MIN_SALT_LEN,
    OUTPUT_LEN, Pepper, SALT_LEN, Scope, check_bcrypt_cost,
};
use crate::code::normalize::Normalization;
use crate::code::secret::SecurityCode;
use crate::error::{Error, Result};

/// Everything a [`Verifier`] is built from.
///
/// The default is SPEC 2.1's cost (m=19456 KiB, t=2, p=1), the default [`Ceilings`], no
/// pepper, and one concurrent computation per available core.
#[derive(Debug, Clone, Default)]
pub struct VerifierConfig {
    /// Parameters of every new hash; stored hashes with other parameters are reported
    /// outdated.
    pub params: HashParams,
    /// The most work a stored hash may ask for.
    pub ceilings: Ceilings,
    /// The pepper of new hashes, if any.
    pub pepper: Option<Pepper>,
    /// Former peppers: hashes made with them still verify, and are reported outdated.
    pub retired_peppers: Vec<Pepper>,
    /// Most Argon2 computations at once; `0` means one per available core.
    pub max_concurrent: usize,
}

/// The result of checking a code against one stored hash (one slot).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotCheck {
    /// The code matched the stored hash. Always false for an absent hash.
    pub matched: bool,
    /// The stored hash should be replaced by a fresh one (its parameters or pepper are not
    /// the current ones, or it is legacy). Always false for an absent hash. Normalization
    /// drift is the caller's to judge: see [`Verifier::is_outdated`].
    pub outdated: bool,
}

/// Makes and checks Argon2id hashes of security codes.
///
/// Cheap to clone (clones share the memory pool and the concurrency limit); `Send + Sync`.
#[derive(Clone)]
pub struct Verifier {
    inner: Arc<Inner>,
}

struct Inner {
    params: HashParams,
    ceilings: Ceilings,
    pepper: Option<Pepper>,
    retired_peppers: Vec<Pepper>,
    dummy: CodeHash,
    runner: Runner,
}

/// A plain hash ([`Verifier::verify_plain`], [`Verifier::needs_rehash_plain`]): an Argon2id
/// PHC string without a key id. bcrypt is accepted only for import into an account.
fn parse_plain(phc: &str, normalization: Normalization) -> Result<CodeHash> {
    let stored = CodeHash::parse(phc, normalization, Binding::Legacy)?;
    if stored.algorithm() != HashAlgorithm::Argon2id {
        return Err(Error::MalformedHash(
            "a plain hash is an Argon2id PHC string; bcrypt is only imported".to_owned(),
        ));
    }
    Ok(stored)
}

impl Verifier {
    /// Build a verifier, and the dummy hash it checks against when there is no stored hash
    /// (one Argon2id computation with the current parameters).
    ///
    /// Fails with [`Error::InvalidInput`] when the parameters are invalid or over the
    /// ceilings, or when two peppers share a key id.
    pub fn new(config: VerifierConfig) -> Result<Verifier> {
        config.params.validate()?;
        config.ceilings.validate()?;
        config.ceilings.check(&config.params).map_err(|_| {
            Error::invalid(
                "hash parameters",
                "the current parameters exceed the configured ceilings",
            )
        })?;
        let mut key_ids: Vec<&str> = config
            .pepper
            .iter()
            .chain(config.retired_peppers.iter())
            .map(Pepper::key_id)
            .collect();
        key_ids.sort_unstable();
        if key_ids.windows(2).any(|w| w.first() == w.get(1)) {
            return Err(Error::invalid("pepper", "two peppers share a key id"));
        }
        let max_concurrent = match config.max_concurrent {
            0 => std::thread::available_parallelism().map_or(1, usize::from),
            n => n,
        };
        let runner = Runner::new(max_concurrent, block_count(&config.params)?);
        let dummy = make_dummy(&runner, &config.params, config.pepper.as_ref())?;
        Ok(Verifier {
            inner: Arc::new(Inner {
                params: config.params,
                ceilings: config.ceilings,
                pepper: config.pepper,
                retired_peppers: config.retired_peppers,
                dummy,
                runner,
            }),
        })
    }

    /// Hash `code` for storage: normalized with `normalization`, bound to `scope`, with the
    /// current parameters and pepper, a random 16-byte salt and a 32-byte output.
    pub fn hash(
        &self,
        code: &SecurityCode,
        normalization: Normalization,
        scope: &Scope,
    ) -> Result<CodeHash> {
        let normalized = normalization.apply(code);
        let input = scope.input(&normalized);
        let pepper = self.inner.pepper.as_ref();
        self.make(&input, pepper, normalization, Binding::Scoped)
    }

    /// Check `code` against the hash stored for `scope`, or against the dummy hash when
    /// `stored` is `None`, doing the same Argon2id work either way (an absent hash never
    /// matches). The final comparison is constant-time.
    ///
    /// A legacy hash is computed over the normalized code alone; a scoped one over the code
    /// bound to `scope`, with the pepper its key id names. A legacy bcrypt hash is checked
    /// by the `bcrypt` crate (one evaluation, under the same concurrency limit); a code of
    /// more than [`BCRYPT_MAX_CODE_LEN`](crate::BCRYPT_MAX_CODE_LEN) bytes after
    /// normalization never matches it (bcrypt would ignore the bytes past 72).
    ///
    /// Errors, all returned before any Argon2 work, so a caller that treats an unusable hash
    /// as absent can fall back to `check(None, ..)` and keep the work constant:
    /// [`Error::HashCeilingExceeded`] when the stored parameters exceed the ceilings (for
    /// bcrypt, a cost over [`BCRYPT_COST_CEILING`](crate::BCRYPT_COST_CEILING)), and
    /// [`Error::UnknownKey`] when its key id names no configured pepper.
    pub fn check(
        &self,
        stored: Option<&CodeHash>,
        scope: &Scope,
        code: &SecurityCode,
    ) -> Result<SlotCheck> {
        let (target, present) = match stored {
            Some(hash) => (hash, Choice::from(1)),
            None => (&self.inner.dummy, Choice::from(0)),
        };
        let pepper = self.usable_pepper(target)?;
        let normalized = target.normalization().apply(code);
        let input = match target.binding() {
            Binding::Scoped => scope.input(&normalized),
            Binding::Legacy => plain_input(&normalized),
        };
        let equal = match target.algorithm() {
            HashAlgorithm::Bcrypt => {
                Choice::from(u8::from(self.inner.runner.bcrypt(&input, target.phc())?))
            }
            HashAlgorithm::Argon2id => self.compare(target, pepper, &input)?,
        };
        Ok(SlotCheck {
            matched: bool::from(equal & present),
            outdated: stored.is_some_and(|hash| self.is_stale(hash)),
        })
    }

    /// The dummy hash that stands in for an absent one (current parameters and pepper).
    pub(crate) fn dummy(&self) -> &CodeHash {
        &self.inner.dummy
    }

    /// Whether a stored hash could be checked at all: its parameters are within the ceilings
    /// and its key id, if any, names a configured pepper. Does no Argon2 work.
    pub fn usable(&self, stored: &CodeHash) -> Result<()> {
        self.usable_pepper(stored).map(|_| ())
    }

    /// Whether `stored` should be replaced by a fresh hash: its parameters or pepper key id
    /// differ from the current ones, it is legacy, or its normalization is not `wanted`.
    pub fn is_outdated(&self, stored: &CodeHash, wanted: Normalization) -> bool {
        self.is_stale(stored) || stored.normalization() != wanted
    }

    /// A plain Argon2id PHC string of the normalized code: no scope, no pepper, current
    /// parameters, random 16-byte salt, 32-byte output. argon2-cffi, libsodium and the
    /// reference implementation verify it.
    pub fn hash_plain(&self, code: &SecurityCode, normalization: Normalization) -> Result<String> {
        let normalized = normalization.apply(code);
        let input = plain_input(&normalized);
        let hash = self.make(&input, None, normalization, Binding::Legacy)?;
        Ok(hash.phc().to_owned())
    }

    /// Check `code`, normalized with `normalization`, against a plain Argon2id PHC string
    /// (from [`Verifier::hash_plain`], argon2-cffi, libsodium...). Constant-time comparison.
    ///
    /// Fails with [`Error::MalformedHash`] for a string that is not an acceptable Argon2id
    /// PHC string (a key id means a pepper, which a plain hash has not; a bcrypt hash is
    /// accepted only for import, see [`Account::import_legacy_hash`](crate::Account::import_legacy_hash)),
    /// and with [`Error::HashCeilingExceeded`] for one over the ceilings.
    pub fn verify_plain(
        &self,
        phc: &str,
        code: &SecurityCode,
        normalization: Normalization,
    ) -> Result<bool> {
        let stored = parse_plain(phc, normalization)?;
        let pepper = self.usable_pepper(&stored)?;
        let normalized = normalization.apply(code);
        let input = plain_input(&normalized);
        let equal = self.compare(&stored, pepper, &input)?;
        Ok(bool::from(equal))
    }

    /// Whether a plain Argon2id PHC string should be replaced by a fresh
    /// [`hash_plain`](Verifier::hash_plain) of the same code (after a successful
    /// [`verify_plain`](Verifier::verify_plain), while the code is at hand): true when its
    /// parameters (m, t, p) differ from the current ones, or its salt or output length from
    /// the 16 and 32 bytes `hash_plain` writes. A hash over the ceilings differs from the
    /// current parameters too, so it answers true (though `verify_plain` refuses it). Does no
    /// Argon2 work and never looks at a code.
    ///
    /// Fails with [`Error::MalformedHash`] for exactly the strings `verify_plain` refuses as
    /// malformed (not an Argon2id `v=19` PHC string, or one with a pepper key id).
    pub fn needs_rehash_plain(&self, phc: &str) -> Result<bool> {
        let stored = parse_plain(phc, Normalization::Exact)?;
        Ok(stored.params() != self.inner.params
            || stored.salt().len() != SALT_LEN
            || stored.hash_bytes().len() != OUTPUT_LEN)
    }

    /// The parameters of new hashes.
    pub fn params(&self) -> HashParams {
        self.inner.params
    }

    /// The ceilings stored hashes are held to.
    pub fn ceilings(&self) -> Ceilings {
        self.inner.ceilings
    }

    /// The key id of the current pepper, if there is one.
    pub fn current_key_id(&self) -> Option<&str> {
        self.inner.pepper.as_ref().map(Pepper::key_id)
    }

    /// The most Argon2 computations this verifier (and its clones) run at once.
    pub fn max_concurrent(&self) -> usize {
        self.inner.runner.gate.max()
    }

    /// How many Argon2 computations are running now.
    pub fn in_flight(&self) -> usize {
        self.inner.runner.gate.state().in_flight
    }

    /// The most computations that have ever run at once (never above
    /// [`Verifier::max_concurrent`]); for tests and benchmarks.
    pub fn peak_in_flight(&self) -> usize {
        self.inner.runner.gate.state().peak
    }

    /// How many Argon2id evaluations this verifier and its clones have run since it was built,
    /// each counted once as it starts: the one [`Verifier::new`] runs to make the dummy hash,
    /// one per [`hash`](Verifier::hash), [`check`](Verifier::check) (against the stored hash
    /// or the dummy alike; a legacy bcrypt hash's evaluation counts as one too), [`hash_plain`](Verifier::hash_plain) and
    /// [`verify_plain`](Verifier::verify_plain). Calls that fail before any Argon2 work (a
    /// malformed string, parameters over the ceilings, an unknown pepper key id) add nothing.
    ///
    /// The count is exact, not sampled: the difference before and after a call tells how many
    /// evaluations it ran, whatever the timing. With other threads using the same verifier
    /// (or a clone) at the same time, their evaluations count too.
    pub fn evaluations(&self) -> u64 {
        self.inner.runner.evaluations()
    }

    /// Test hook, not a stable API: tell `probe` about every Argon2id evaluation this verifier
    /// and its clones run, from inside the section the concurrency limit guards
    /// ([`ProbeEvent::Enter`] just before Argon2 runs, [`ProbeEvent::Exit`] just after, also
    /// when it fails or unwinds), so a test can count how many run at once independently of
    /// the verifier's own counters, or panic in the middle of one. `None` removes it. The
    /// probe runs on the calling thread while it holds a place under the limit: it must not
    /// call back into the verifier.
    #[doc(hidden)]
    pub fn set_probe(&self, probe: Option<Probe>) {
        self.inner.runner.set_probe(probe);
    }

    /// Test hook, not a stable API: [`hash`](Verifier::hash) with the given salt (8 to 64
    /// bytes) instead of a random one, for known-answer tests. A fixed salt defeats the point
    /// of a salt; never store what this makes. Fails with [`Error::MalformedHash`] for a salt
    /// of the wrong length.
    #[doc(hidden)]
    pub fn hash_with_salt(
        &self,
        code: &SecurityCode,
        normalization: Normalization,
        scope: &Scope,
        salt: &[u8],
    ) -> Result<CodeHash> {
        if !(MIN_SALT_LEN..=MAX_SALT_LEN).contains(&salt.len()) {
            return Err(Error::MalformedHash(format!(
                "salt must be {MIN_SALT_LEN} to {MAX_SALT_LEN} bytes"
            )));
        }
        let normalized = normalization.apply(code);
        let input = scope.input(&normalized);
        let pepper = self.inner.pepper.as_ref();
        self.make_with_salt(&input, pepper, normalization, Binding::Scoped, salt)
    }

    /// Hash `input` with a fresh salt into a new [`CodeHash`].
    fn make(
        &self,
        input: &[u8],
        pepper: Option<&Pepper>,
        normalization: Normalization,
        binding: Binding,
    ) -> Result<CodeHash> {
        let mut salt = [0u8; SALT_LEN];
        getrandom::fill(&mut salt)
            .map_err(|e| Error::Internal(format!("random number generator failed: {e}")))?;
        self.make_with_salt(input, pepper, normalization, binding, &salt)
    }

    /// Hash `input` with `salt` (of an accepted length) into a new [`CodeHash`].
    fn make_with_salt(
        &self,
        input: &[u8],
        pepper: Option<&Pepper>,
        normalization: Normalization,
        binding: Binding,
        salt: &[u8],
    ) -> Result<CodeHash> {
        let params = self.inner.params;
        let mut out = Zeroizing::new([0u8; OUTPUT_LEN]);
        self.inner
            .runner
            .compute(&params, pepper, input, salt, out.as_mut_slice())?;
        CodeHash::from_parts(
            &params,
            pepper.map(Pepper::key_id),
            salt,
            out.as_slice(),
            normalization,
            binding,
        )
    }

    /// Recompute `stored` over `input` and compare in constant time.
    fn compare(&self, stored: &CodeHash, pepper: Option<&Pepper>, input: &[u8]) -> Result<Choice> {
        let expected = stored.hash_bytes();
        let mut out = Zeroizing::new(vec![0u8; expected.len()]);
        self.inner.runner.compute(
            &stored.params(),
            pepper,
            input,
            stored.salt(),
            out.as_mut_slice(),
        )?;
        Ok(out.as_slice().ct_eq(expected))
    }

    /// The ceiling check and pepper lookup every check does before any work.
    fn usable_pepper(&self, stored: &CodeHash) -> Result<Option<&Pepper>> {
        if let HashCost::Bcrypt { cost } = stored.cost() {
            check_bcrypt_cost(cost)?;
            return Ok(None);
        }
        self.inner.ceilings.check(&stored.params())?;
        match stored.key_id() {
            None => Ok(None),
            Some(key_id) => self
                .inner
                .pepper
                .iter()
                .chain(self.inner.retired_peppers.iter())
                .find(|p| p.key_id() == key_id)
                .map(Some)
                .ok_or_else(|| Error::UnknownKey(key_id.to_owned())),
        }
    }

    /// Outdated apart from normalization: parameters, pepper key id, legacy binding.
    fn is_stale(&self, stored: &CodeHash) -> bool {
        stored.params() != self.inner.params
            || stored.key_id() != self.current_key_id()
            || stored.binding() == Binding::Legacy
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let retired: Vec<&str> = self
            .inner
            .retired_peppers
            .iter()
            .map(Pepper::key_id)
            .collect();
        f.debug_struct("Verifier")
            .field("params", &self.inner.params)
            .field("ceilings", &self.inner.ceilings)
            .field("current_key_id", &self.current_key_id())
            .field("retired_key_ids", &retired)
            .field("max_concurrent", &self.max_concurrent())
            .finish_non_exhaustive()
    }
}

/// The Argon2 input of a legacy or plain hash: the normalized code alone, in a wiped buffer.
fn plain_input(normalized: &str) -> Zeroizing<Vec<u8>> {
    let mut input = Zeroizing::new(Vec::with_capacity(normalized.len()));
    input.extend_from_slice(normalized.as_bytes());
    input
}

/// The dummy hash: a random secret under the current parameters and pepper, bound to a scope
/// no real record has. Nothing can match it, and `check` reports an absent hash as unmatched
/// regardless.
fn make_dummy(runner: &Runner, params: &HashParams, pepper: Option<&Pepper>) -> Result<CodeHash> {
    let mut secret = Zeroizing::new([0u8; 32]);
    let mut salt = [0u8; SALT_LEN];
    getrandom::fill(secret.as_mut_slice())
        .and_then(|()| getrandom::fill(&mut salt))
        .map_err(|e| Error::Internal(format!("random number generator failed: {e}")))?;
    let mut out = Zeroizing::new([0u8; OUTPUT_LEN]);
    runner.compute(params, pepper, secret.as_slice(), &salt, out.as_mut_slice())?;
    CodeHash::from_parts(
        params,
        pepper.map(Pepper::key_id),
        &salt,
        out.as_slice(),
        Normalization::Spoken,
        Binding::Scoped,
    )
}
#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: HashParams = HashParams {
        m_kib: 64,
        t: 1,
        p: 1,
    };

    fn verifier(pepper: Option<Pepper>, retired: Vec<Pepper>) -> Verifier {
        Verifier::new(VerifierConfig {
            params: CHEAP,
            pepper,
            retired_peppers: retired,
            max_concurrent: 2,
            ..VerifierConfig::default()
        })
        .unwrap()
    }

    fn code(s: &str) -> SecurityCode {
        SecurityCode::try_from(s).unwrap()
    }

    fn pepper(id: &str, byte: u8) -> Pepper {
        Pepper::new(id, vec![byte; 32]).unwrap()
    }

    #[test]
    fn verifier_is_send_sync_and_cheap_to_clone() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<Verifier>();
        assert_send_sync::<VerifierConfig>();
    }

    #[test]
    fn hash_then_check() {
        let v = verifier(None, vec![]);
        let scope = Scope::contact(1707, 3522);
        let h = v
            .hash(
                &code("Purple monkey, dishwasher!"),
                Normalization::Spoken,
                &scope,
            )
            .unwrap();
        assert_eq!(h.binding(), Binding::Scoped);
        assert_eq!(h.params(), CHEAP);
        assert!(h.phc().starts_with("$argon2id$v=19$m=64,t=1,p=1$"));
        let ok = v
            .check(Some(&h), &scope, &code("purple monkey dishwasher"))
            .unwrap();
        assert_eq!(
            ok,
            SlotCheck {
                matched: true,
                outdated: false
            }
        );
        let bad = v
            .check(Some(&h), &scope, &code("purple monkey dishwasherx"))
            .unwrap();
        assert!(!bad.matched);
        assert!(!v.is_outdated(&h, Normalization::Spoken));
        assert!(v.is_outdated(&h, Normalization::Exact));
    }

    #[test]
    fn absent_hash_never_matches() {
        let v = verifier(Some(pepper("k1", 1)), vec![]);
        let r = v
            .check(None, &Scope::account(1), &code("anything at all"))
            .unwrap();
        assert_eq!(
            r,
            SlotCheck {
                matched: false,
                outdated: false
            }
        );
        assert_eq!(v.inner.dummy.params(), CHEAP);
        assert_eq!(v.inner.dummy.key_id(), Some("k1"));
    }

    #[test]
    fn pepper_changes_the_hash_and_rotation_reports_outdated() {
        let old = verifier(Some(pepper("k1", 1)), vec![]);
        let scope = Scope::account(9);
        let h = old
            .hash(&code("correct horse"), Normalization::Spoken, &scope)
            .unwrap();
        assert_eq!(h.key_id(), Some("k1"));

        let rotated = verifier(Some(pepper("k2", 2)), vec![pepper("k1", 1)]);
        let r = rotated
            .check(Some(&h), &scope, &code("correct horse"))
            .unwrap();
        assert_eq!(
            r,
            SlotCheck {
                matched: true,
                outdated: true
            }
        );

        // Same key id, different secret: does not match.
        let wrong = verifier(Some(pepper("k1", 7)), vec![]);
        assert!(
            !wrong
                .check(Some(&h), &scope, &code("correct horse"))
                .unwrap()
                .matched
        );

        let forgotten = verifier(Some(pepper("k2", 2)), vec![]);
        assert!(matches!(
            forgotten.check(Some(&h), &scope, &code("correct horse")),
            Err(Error::UnknownKey(k)) if k == "k1"
        ));
        assert!(forgotten.usable(&h).is_err());
    }

    #[test]
    fn plain_round_trip() {
        let v = verifier(Some(pepper("k1", 1)), vec![]);
        let phc = v
            .hash_plain(&code("Grüße aus Köln"), Normalization::Exact)
            .unwrap();
        assert!(!phc.contains("keyid"), "{phc}");
        assert!(
            v.verify_plain(&phc, &code("Grüße aus Köln"), Normalization::Exact)
                .unwrap()
        );
        assert!(
            !v.verify_plain(&phc, &code("grüße aus köln"), Normalization::Exact)
                .unwrap()
        );
        assert!(matches!(
            v.verify_plain("$argon2id$v=19$m=64", &code("x"), Normalization::Exact),
            Err(Error::MalformedHash(_))
        ));
    }

    #[test]
    fn config_is_validated() {
        let bad = |config: VerifierConfig| Verifier::new(config).is_err();
        assert!(bad(VerifierConfig {
            params: HashParams {
                m_kib: 4,
                t: 1,
                p: 1
            },
            ..VerifierConfig::default()
        }));
        assert!(bad(VerifierConfig {
            params: HashParams {
                m_kib: 1 << 20,
                t: 1,
                p: 1
            },
            ..VerifierConfig::default()
        }));
        assert!(bad(VerifierConfig {
            params: CHEAP,
            pepper: Some(pepper("k1", 1)),
            retired_peppers: vec![pepper("k1", 2)],
            ..VerifierConfig::default()
        }));
        let v = Verifier::new(VerifierConfig {
            params: CHEAP,
            ..VerifierConfig::default()
        })
        .unwrap();
        assert!(v.max_concurrent() >= 1);
    }

    #[test]
    fn every_argon2_evaluation_is_counted() {
        let v = verifier(Some(pepper("k1", 1)), vec![]);
        assert_eq!(v.evaluations(), 1, "the dummy hash made by new");
        let scope = Scope::contact(1707, 3523);
        let given = code("tangerine osprey");
        let mut expected = 1;
        let mut step = |v: &Verifier, ran: u64| {
            expected += ran;
            assert_eq!(v.evaluations(), expected);
        };
        let h = v.hash(&given, Normalization::Spoken, &scope).unwrap();
        step(&v, 1);
        assert!(v.check(Some(&h), &scope, &given).unwrap().matched);
        step(&v, 1);
        assert!(!v.check(None, &scope, &given).unwrap().matched);
        step(&v, 1);
        let phc = v.hash_plain(&given, Normalization::Exact).unwrap();
        step(&v, 1);
        assert!(v.verify_plain(&phc, &given, Normalization::Exact).unwrap());
        step(&v, 1);
        v.clone()
            .hash_with_salt(&given, Normalization::Spoken, &scope, &[5; 16])
            .unwrap();
        step(&v, 1);
        // Refused before any work: no evaluation.
        let unknown_key = verifier(Some(pepper("k2", 2)), vec![]);
        let before = unknown_key.evaluations();
        assert!(unknown_key.check(Some(&h), &scope, &given).is_err());
        assert!(
            v.verify_plain("$argon2id$v=19$m=64", &given, Normalization::Exact)
                .is_err()
        );
        assert!(
            v.hash_with_salt(&given, Normalization::Spoken, &scope, &[5; 7])
                .is_err()
        );
        assert_eq!(unknown_key.evaluations(), before);
        step(&v, 0);
    }

    #[test]
    fn a_fixed_salt_gives_a_fixed_hash() {
        let v = verifier(Some(pepper("k1", 1)), vec![]);
        let scope = Scope::account(1707);
        let given = code("tangerine osprey");
        let a = v
            .hash_with_salt(&given, Normalization::Spoken, &scope, &[5; 16])
            .unwrap();
        let b = v
            .hash_with_salt(&given, Normalization::Spoken, &scope, &[5; 16])
            .unwrap();
        assert_eq!(a, b);
        assert_eq!(a.key_id(), Some("k1"));
        assert!(v.check(Some(&a), &scope, &given).unwrap().matched);
        let c = v
            .hash_with_salt(&given, Normalization::Spoken, &scope, &[6; 16])
            .unwrap();
        assert_ne!(a.phc(), c.phc());
        assert!(matches!(
            v.hash_with_salt(&given, Normalization::Spoken, &scope, &[5; 65]),
            Err(Error::MalformedHash(_))
        ));
    }

    #[test]
    fn default_params_work() {
        let v = Verifier::new(VerifierConfig::default()).unwrap();
        let scope = Scope::contact(1, 2);
        let h = v
            .hash(&code("a default cost code"), Normalization::Spoken, &scope)
            .unwrap();
        assert!(h.phc().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            v.check(Some(&h), &scope, &code("A default-cost code."))
                .unwrap()
                .matched
        );
    }
}
