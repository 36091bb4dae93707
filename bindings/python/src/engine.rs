//! `Engine`, `CodePolicy` and the plain `hash_code` / `verify_code` / `needs_rehash` helpers.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use seccode::{
    Ceilings, CodePolicy, Engine, EngineConfig, HashParams, Lockout, ManualClock, Normalization,
    Pepper, PolicyContext, Probe, ProbeEvent, Reason, Sealer, SecurityCode, Timestamp,
    VerifierConfig,
};
use zeroize::Zeroizing;

use crate::{convert, errors};

/// The runtime every account operation takes: hash parameters, pepper, code policy, lockout
/// rule, verification lifetime, sealing key and clock. Build one per process and share it between accounts and threads.
#[pyclass(module = "seccode._native", name = "Engine", frozen)]
pub(crate) struct PyEngine {
    pub(crate) inner: Arc<Engine>,
    /// The manual clock, when the engine was built with `now=`.
    clock: Option<Arc<ManualClock>>,
}

impl PyEngine {
    /// The core engine, to move into a detached closure.
    pub(crate) fn core(&self) -> Arc<Engine> {
        Arc::clone(&self.inner)
    }

    /// An engine object around a core engine built elsewhere (a `Store`'s), with the manual
    /// clock it runs on, if any.
    pub(crate) fn from_parts(inner: Arc<Engine>, clock: Option<Arc<ManualClock>>) -> Self {
        PyEngine { inner, clock }
    }
}

/// The secrets an engine is given by its caller rather than read from a store: the pepper,
/// retired peppers and the sealing key.
pub(crate) struct Secrets {
    pub(crate) pepper: Option<Pepper>,
    pub(crate) retired: Vec<Pepper>,
    pub(crate) sealer: Option<Sealer>,
}

/// Read the secret arguments shared by `Engine(...)` and `Store(...)`: a pepper and its key
/// id (both or neither), retired peppers as a mapping of key id to bytes, a 32-byte sealing
/// key and its id (both or neither). The copies made here are wiped.
pub(crate) fn secrets(
    py: Python<'_>,
    pepper: Option<&Bound<'_, PyAny>>,
    pepper_key_id: Option<String>,
    retired: Option<&Bound<'_, PyAny>>,
    sealing_key: Option<&Bound<'_, PyAny>>,
    sealing_key_id: Option<String>,
) -> PyResult<Secrets> {
    let pepper = match (pepper, pepper_key_id) {
        (None, None) => None,
        (Some(secret), Some(key_id)) => {
            let mut secret = convert::secret_bytes(secret, "pepper")?;
            Some(errors::core(
                py,
                Pepper::new(&key_id, std::mem::take(&mut *secret)),
            )?)
        }
        _ => {
            return Err(errors::invalid_argument(
                py,
                "invalid pepper: give both `pepper` and `pepper_key_id`, or neither",
            ));
        }
    };
    let retired = match retired {
        Some(mapping) => retired_peppers(py, mapping)?,
        None => Vec::new(),
    };
    let sealer = match (sealing_key, sealing_key_id) {
        (None, None) => None,
        (Some(key), Some(key_id)) => Some(sealer(py, key, &key_id)?),
        _ => {
            return Err(errors::invalid_argument(
                py,
                "invalid sealing key: give both `sealing_key` and `sealing_key_id`, or neither",
            ));
        }
    };
    Ok(Secrets {
        pepper,
        retired,
        sealer,
    })
}

/// Peppers from a mapping of key id to secret bytes.
fn retired_peppers(py: Python<'_>, mapping: &Bound<'_, PyAny>) -> PyResult<Vec<Pepper>> {
    let mut peppers = Vec::new();
    for item in mapping.call_method0("items")?.try_iter()? {
        let (key_id, secret): (String, Bound<'_, PyAny>) = item?.extract()?;
        let mut secret = convert::secret_bytes(&secret, "retired pepper")?;
        peppers.push(errors::core(
            py,
            Pepper::new(&key_id, std::mem::take(&mut *secret)),
        )?);
    }
    Ok(peppers)
}

/// The sealer of a 32-byte key (`bytes` or `bytearray`) named `key_id`; the copies made
/// here are wiped.
fn sealer(py: Python<'_>, key: &Bound<'_, PyAny>, key_id: &str) -> PyResult<Sealer> {
    let secret = convert::secret_bytes(key, "sealing key")?;
    let mut bytes = Zeroizing::new([0u8; 32]);
    if secret.len() != bytes.len() {
        return Err(errors::invalid_argument(
            py,
            "invalid sealing key: must be 32 bytes",
        ));
    }
    bytes.copy_from_slice(&secret);
    errors::core(py, Sealer::new(key_id, *bytes))
}

#[pymethods]
impl PyEngine {
    /// Every argument is optional; an omitted one takes the core's default (Argon2id
    /// m=19456 KiB, t=2, p=1, no pepper, 5 failures lock for 1800 seconds, the SPEC's code
    /// policy, one hash at a time per core, verifications that hold for 900 seconds, no
    /// sealing key, the system clock).
    #[new]
    #[pyo3(signature = (
        *,
        memory_kib = None,
        iterations = None,
        parallelism = None,
        pepper = None,
        pepper_key_id = None,
        retired_peppers = None,
        max_memory_kib = None,
        max_iterations = None,
        max_parallelism = None,
        max_failures = None,
        lockout_seconds = None,
        max_concurrent = None,
        policy = None,
        verification_lifetime_seconds = None,
        sealing_key = None,
        sealing_key_id = None,
        now = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        memory_kib: Option<u32>,
        iterations: Option<u32>,
        parallelism: Option<u32>,
        pepper: Option<&Bound<'_, PyAny>>,
        pepper_key_id: Option<String>,
        retired_peppers: Option<&Bound<'_, PyAny>>,
        max_memory_kib: Option<u32>,
        max_iterations: Option<u32>,
        max_parallelism: Option<u32>,
        max_failures: Option<u32>,
        lockout_seconds: Option<i64>,
        max_concurrent: Option<usize>,
        policy: Option<&Bound<'_, PyCodePolicy>>,
        verification_lifetime_seconds: Option<i64>,
        sealing_key: Option<&Bound<'_, PyAny>>,
        sealing_key_id: Option<String>,
        now: Option<i64>,
    ) -> PyResult<Self> {
        let defaults = HashParams::default();
        let params = HashParams {
            m_kib: memory_kib.unwrap_or(defaults.m_kib),
            t: iterations.unwrap_or(defaults.t),
            p: parallelism.unwrap_or(defaults.p),
        };
        let default_ceilings = Ceilings::default();
        let ceilings = Ceilings {
            max_m_kib: max_memory_kib.unwrap_or(default_ceilings.max_m_kib),
            max_t: max_iterations.unwrap_or(default_ceilings.max_t),
            max_p: max_parallelism.unwrap_or(default_ceilings.max_p),
        };
        let Secrets {
            pepper,
            retired,
            sealer,
        } = secrets(
            py,
            pepper,
            pepper_key_id,
            retired_peppers,
            sealing_key,
            sealing_key_id,
        )?;
        let default_lockout = Lockout::default();
        let lockout = Lockout {
            max_failures: max_failures.unwrap_or(default_lockout.max_failures),
            duration_secs: lockout_seconds.unwrap_or(default_lockout.duration_secs),
        };
        let policy = policy.map_or_else(CodePolicy::default, |p| p.get().inner.clone());
        let clock = now.map(|at| Arc::new(ManualClock::new(Timestamp(at))));
        let verifier = VerifierConfig {
            params,
            ceilings,
            pepper,
            retired_peppers: retired,
            max_concurrent: max_concurrent.unwrap_or(VerifierConfig::default().max_concurrent),
        };
        let defaults = EngineConfig::default();
        let mut config = EngineConfig {
            verifier,
            policy,
            lockout,
            verification_lifetime_secs: verification_lifetime_seconds
                .unwrap_or(defaults.verification_lifetime_secs),
            sealer,
            ..defaults
        };
        if let Some(clock) = &clock {
            config.clock = Arc::clone(clock) as Arc<dyn seccode::Clock>;
        }
        // Building the verifier computes its dummy hash: Argon2 work, detached.
        let engine = errors::core(py, py.detach(move || Engine::new(config)))?;
        Ok(PyEngine {
            inner: Arc::new(engine),
            clock,
        })
    }

    /// The current time of the engine's clock, in Unix seconds.
    #[getter]
    fn now(&self) -> i64 {
        self.inner.now().unix_seconds()
    }

    /// Whether the engine runs on a manual clock (built with `now=`).
    #[getter]
    fn manual_clock(&self) -> bool {
        self.clock.is_some()
    }

    /// Move the manual clock forward by `seconds` (for tests and simulations).
    fn advance_clock(&self, py: Python<'_>, seconds: i64) -> PyResult<()> {
        self.manual(py)?.advance(seconds);
        Ok(())
    }

    /// Set the manual clock to `at` (Unix seconds).
    fn set_clock(&self, py: Python<'_>, at: i64) -> PyResult<()> {
        self.manual(py)?.set(Timestamp(at));
        Ok(())
    }

    /// Argon2id memory cost of new hashes, in KiB.
    #[getter]
    fn memory_kib(&self) -> u32 {
        self.inner.verifier().params().m_kib
    }

    /// Argon2id passes of new hashes.
    #[getter]
    fn iterations(&self) -> u32 {
        self.inner.verifier().params().t
    }

    /// Argon2id lanes of new hashes.
    #[getter]
    fn parallelism(&self) -> u32 {
        self.inner.verifier().params().p
    }

    /// The key id of the current pepper, if any (never the pepper).
    #[getter]
    fn pepper_key_id(&self) -> Option<String> {
        self.inner.verifier().current_key_id().map(str::to_owned)
    }

    /// Consecutive failed verifications that lock a contact.
    #[getter]
    fn max_failures(&self) -> u32 {
        self.inner.lockout().max_failures
    }

    /// How long a lock lasts, in seconds.
    #[getter]
    fn lockout_seconds(&self) -> i64 {
        self.inner.lockout().duration_secs
    }

    /// How long a successful verification authorizes requests, in seconds.
    #[getter]
    fn verification_lifetime_seconds(&self) -> i64 {
        self.inner.verification_lifetime_secs()
    }

    /// The id of the sealing key, if codes are sealed (never the key).
    #[getter]
    fn sealing_key_id(&self) -> Option<String> {
        self.inner.sealer().map(|s| s.key_id().to_owned())
    }

    /// The most Argon2 computations that run at once; further callers wait.
    #[getter]
    fn max_concurrent(&self) -> usize {
        self.inner.verifier().max_concurrent()
    }

    /// How many Argon2 computations are running right now.
    #[getter]
    fn hashes_in_flight(&self) -> usize {
        self.inner.verifier().in_flight()
    }

    /// The most Argon2 computations that have run at once so far.
    #[getter]
    fn peak_hashes_in_flight(&self) -> usize {
        self.inner.verifier().peak_in_flight()
    }

    /// How many Argon2id evaluations this engine has run since it was built (the core's
    /// exact count: one per hash made or checked, the dummy included).
    #[getter]
    fn evaluations(&self) -> u64 {
        self.inner.verifier().evaluations()
    }

    /// Test hook, not a stable API: hold every Argon2id evaluation of this engine at its
    /// start until `parties` evaluations are inside at once, then let everything through
    /// (the core's `Verifier::set_probe`). The waiting happens in Rust, detached from the
    /// interpreter and holding nothing of the caller's, so the meeting can only happen if
    /// evaluations truly run at the same moment; `patience_seconds` only ends a wait that
    /// would otherwise last forever (the meeting then never happens). Use it as a context
    /// manager: leaving it removes the probe.
    fn _meet(&self, parties: usize, patience_seconds: f64) -> PyResult<PyMeeting> {
        let patience = Duration::try_from_secs_f64(patience_seconds)
            .map_err(|_| PyValueError::new_err("patience_seconds must be a duration"))?;
        let meeting = Arc::new(Meeting {
            parties,
            patience,
            state: Mutex::new(MeetingState::default()),
            arrived: Condvar::new(),
        });
        let probe_meeting = Arc::clone(&meeting);
        let probe: Probe = Arc::new(move |event| probe_meeting.on(event));
        self.inner.verifier().set_probe(Some(probe));
        Ok(PyMeeting {
            engine: self.core(),
            meeting,
        })
    }

    /// The policy new codes must pass.
    #[getter]
    fn policy(&self) -> PyCodePolicy {
        PyCodePolicy {
            inner: self.inner.policy().clone(),
        }
    }

    /// A plain Argon2id PHC string of the normalized code (no scope, no pepper), with this
    /// engine's parameters; argon2-cffi and libsodium verify it.
    #[pyo3(signature = (code, *, normalization = None))]
    fn hash_code(
        &self,
        py: Python<'_>,
        code: &Bound<'_, PyAny>,
        normalization: Option<String>,
    ) -> PyResult<String> {
        hash_with(py, self.core(), code, normalization)
    }

    /// Whether `code`, normalized as `normalization` says, matches a plain Argon2id PHC
    /// string (from `hash_code`, argon2-cffi, libsodium...).
    #[pyo3(signature = (phc, code, *, normalization = None))]
    fn verify_code(
        &self,
        py: Python<'_>,
        phc: String,
        code: &Bound<'_, PyAny>,
        normalization: Option<String>,
    ) -> PyResult<bool> {
        verify_with(py, self.core(), phc, code, normalization)
    }

    /// Whether a plain Argon2id PHC string (from `hash_code`, argon2-cffi...) should be
    /// replaced by a fresh `hash_code` of the same code: its parameters, salt or output length
    /// differ from what this engine makes (the core's `Verifier::needs_rehash_plain`).
    fn needs_rehash(&self, py: Python<'_>, phc: &str) -> PyResult<bool> {
        errors::core(py, self.inner.verifier().needs_rehash_plain(phc))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let params = self.inner.verifier().params();
        let lockout = self.inner.lockout();
        let pepper = match self.inner.verifier().current_key_id() {
            Some(key_id) => crate::views::py_repr(py, key_id)?,
            None => String::from("None"),
        };
        Ok(format!(
            "Engine(memory_kib={}, iterations={}, parallelism={}, pepper_key_id={pepper}, \
             max_failures={}, lockout_seconds={}, verification_lifetime_seconds={}, clock={})",
            params.m_kib,
            params.t,
            params.p,
            lockout.max_failures,
            lockout.duration_secs,
            self.inner.verification_lifetime_secs(),
            if self.clock.is_some() {
                "manual"
            } else {
                "system"
            },
        ))
    }
}

impl PyEngine {
    fn manual(&self, py: Python<'_>) -> PyResult<&ManualClock> {
        self.clock.as_deref().ok_or_else(|| {
            errors::invalid_argument(
                py,
                "invalid clock: this engine runs on the system clock (build it with `now=` for a manual clock)",
            )
        })
    }
}

fn hash_with(
    py: Python<'_>,
    engine: Arc<Engine>,
    code: &Bound<'_, PyAny>,
    normalization: Option<String>,
) -> PyResult<String> {
    let normalization = convert::normalization_in(py, normalization.as_deref())?;
    let code = convert::security_code(code)?;
    let result = py.detach(move || engine.verifier().hash_plain(&code, normalization));
    errors::core(py, result)
}

fn verify_with(
    py: Python<'_>,
    engine: Arc<Engine>,
    phc: String,
    code: &Bound<'_, PyAny>,
    normalization: Option<String>,
) -> PyResult<bool> {
    let normalization = convert::normalization_in(py, normalization.as_deref())?;
    let code = convert::security_code(code)?;
    let result = py.detach(move || engine.verifier().verify_plain(&phc, &code, normalization));
    errors::core(py, result)
}

/// The engine of the module-level helpers when none is given: the core's defaults, built on
/// first use.
fn default_engine(py: Python<'_>) -> PyResult<Arc<Engine>> {
    static DEFAULT: OnceLock<Arc<Engine>> = OnceLock::new();
    if let Some(engine) = DEFAULT.get() {
        return Ok(Arc::clone(engine));
    }
    let built = py.detach(|| Engine::new(EngineConfig::default()));
    let engine = Arc::new(errors::core(py, built)?);
    Ok(Arc::clone(DEFAULT.get_or_init(|| engine)))
}

fn engine_or_default(
    py: Python<'_>,
    engine: Option<&Bound<'_, PyEngine>>,
) -> PyResult<Arc<Engine>> {
    match engine {
        Some(engine) => Ok(engine.get().core()),
        None => default_engine(py),
    }
}

/// A plain Argon2id PHC string of the normalized code (no scope, no pepper). Uses `engine`'s
/// parameters, or the core's defaults.
#[pyfunction]
#[pyo3(signature = (code, *, normalization = None, engine = None))]
pub(crate) fn hash_code(
    py: Python<'_>,
    code: &Bound<'_, PyAny>,
    normalization: Option<String>,
    engine: Option<&Bound<'_, PyEngine>>,
) -> PyResult<String> {
    let engine = engine_or_default(py, engine)?;
    hash_with(py, engine, code, normalization)
}

/// Whether `code`, normalized as `normalization` says, matches a plain Argon2id PHC string.
#[pyfunction]
#[pyo3(signature = (phc, code, *, normalization = None, engine = None))]
pub(crate) fn verify_code(
    py: Python<'_>,
    phc: String,
    code: &Bound<'_, PyAny>,
    normalization: Option<String>,
    engine: Option<&Bound<'_, PyEngine>>,
) -> PyResult<bool> {
    let engine = engine_or_default(py, engine)?;
    verify_with(py, engine, phc, code, normalization)
}

/// Whether a plain Argon2id PHC string should be replaced by a fresh `hash_code` of the same
/// code (as argon2-cffi's `check_needs_rehash`): its parameters, salt or output length differ
/// from what `engine`, or the core's defaults, make. Call it after `verify_code` succeeds,
/// while the code is at hand.
#[pyfunction]
#[pyo3(signature = (phc, *, engine = None))]
pub(crate) fn needs_rehash(
    py: Python<'_>,
    phc: &str,
    engine: Option<&Bound<'_, PyEngine>>,
) -> PyResult<bool> {
    let engine = engine_or_default(py, engine)?;
    errors::core(py, engine.verifier().needs_rehash_plain(phc))
}

/// The rules a new security code must follow (SPEC 2.2).
#[pyclass(module = "seccode._native", name = "CodePolicy", frozen, eq)]
#[derive(PartialEq)]
pub(crate) struct PyCodePolicy {
    pub(crate) inner: CodePolicy,
}

#[pymethods]
impl PyCodePolicy {
    /// An omitted argument takes the SPEC's default (8 to 128 characters after
    /// normalization, strength at least 3 of 4; 0 turns the strength rule off).
    #[new]
    #[pyo3(signature = (*, min_chars = None, max_chars = None, min_strength = None))]
    fn new(
        py: Python<'_>,
        min_chars: Option<usize>,
        max_chars: Option<usize>,
        min_strength: Option<u8>,
    ) -> PyResult<Self> {
        let defaults = CodePolicy::default();
        let inner = CodePolicy {
            min_chars: min_chars.unwrap_or(defaults.min_chars),
            max_chars: max_chars.unwrap_or(defaults.max_chars),
            min_strength: min_strength.unwrap_or(defaults.min_strength),
        };
        errors::core(py, inner.validate())?;
        Ok(PyCodePolicy { inner })
    }

    /// Fewest characters after normalization.
    #[getter]
    fn min_chars(&self) -> usize {
        self.inner.min_chars
    }

    /// Most characters after normalization.
    #[getter]
    fn max_chars(&self) -> usize {
        self.inner.max_chars
    }

    /// Lowest acceptable strength score (0 to 4; 0 is off).
    #[getter]
    fn min_strength(&self) -> u8 {
        self.inner.min_strength
    }

    /// Every reason why `code` may not be a new security code for the given contact and
    /// account details; an empty list means acceptable.
    #[pyo3(signature = (
        code,
        *,
        normalization = None,
        account_id = None,
        account_name = None,
        contact_name = None,
        email = None,
        phone = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn check<'py>(
        &self,
        py: Python<'py>,
        code: &Bound<'py, PyAny>,
        normalization: Option<String>,
        account_id: Option<u64>,
        account_name: Option<String>,
        contact_name: Option<String>,
        email: Option<String>,
        phone: Option<String>,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let normalization: Normalization = convert::normalization_in(py, normalization.as_deref())?;
        let code: SecurityCode = convert::security_code(code)?;
        let policy = &self.inner;
        let reasons = py.detach(move || {
            let ctx = PolicyContext {
                account_id,
                account_name: account_name.as_deref(),
                contact_name: contact_name.as_deref(),
                email: email.as_deref(),
                phone: phone.as_deref(),
            };
            policy.check(&code, normalization, &ctx)
        });
        reasons
            .into_iter()
            .map(|r| convert::reason(py, r))
            .collect()
    }

    /// The reason's message worded with this policy's numbers.
    fn describe(&self, py: Python<'_>, reason: String) -> PyResult<String> {
        let reason = convert::reason_in(py, &reason)?;
        Ok(self.inner.describe(reason))
    }

    fn __repr__(&self) -> String {
        format!(
            "CodePolicy(min_chars={}, max_chars={}, min_strength={})",
            self.inner.min_chars, self.inner.max_chars, self.inner.min_strength
        )
    }
}

/// `(number, message)` of a policy reason code: what `Reason.number` and `Reason.message`
/// show.
#[pyfunction]
pub(crate) fn _reason_info(py: Python<'_>, code: String) -> PyResult<(u32, &'static str)> {
    let reason: Reason = convert::reason_in(py, &code)?;
    Ok((reason.number(), reason.message()))
}

/// What a [`Meeting`] has seen.
#[derive(Debug, Default)]
struct MeetingState {
    inside: usize,
    peak: usize,
    met: bool,
    gave_up: bool,
}

/// The probe behind `Engine._meet` (test hook).
struct Meeting {
    parties: usize,
    patience: Duration,
    state: Mutex<MeetingState>,
    arrived: Condvar,
}

impl Meeting {
    fn state(&self) -> MutexGuard<'_, MeetingState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn on(&self, event: ProbeEvent) {
        let mut state = self.state();
        match event {
            ProbeEvent::Exit => state.inside = state.inside.saturating_sub(1),
            ProbeEvent::Enter => {
                state.inside = state.inside.saturating_add(1);
                state.peak = state.peak.max(state.inside);
                if state.inside >= self.parties {
                    state.met = true;
                    self.arrived.notify_all();
                } else if !state.met && !state.gave_up {
                    let (mut state, timeout) = self
                        .arrived
                        .wait_timeout_while(state, self.patience, |s| !s.met)
                        .unwrap_or_else(|poisoned| poisoned.into_inner());
                    if timeout.timed_out() && !state.met {
                        state.gave_up = true;
                    }
                }
            }
        }
    }
}

/// What `Engine._meet` returns (test hook, not a stable API): whether the evaluations met,
/// and the most that were inside at once while it was installed.
#[pyclass(module = "seccode._native", name = "_Meeting", frozen)]
pub(crate) struct PyMeeting {
    engine: Arc<Engine>,
    meeting: Arc<Meeting>,
}

#[pymethods]
impl PyMeeting {
    /// Whether `parties` evaluations were inside Argon2 at the same moment.
    #[getter]
    fn met(&self) -> bool {
        self.meeting.state().met
    }

    /// Whether an evaluation stopped waiting because its patience ran out.
    #[getter]
    fn gave_up(&self) -> bool {
        self.meeting.state().gave_up
    }

    /// The most evaluations inside at once.
    #[getter]
    fn peak(&self) -> usize {
        self.meeting.state().peak
    }

    /// Remove the probe from the engine.
    fn end(&self) {
        self.engine.verifier().set_probe(None);
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __exit__(
        &self,
        _kind: Option<&Bound<'_, PyAny>>,
        _value: Option<&Bound<'_, PyAny>>,
        _traceback: Option<&Bound<'_, PyAny>>,
    ) -> bool {
        self.end();
        false
    }
}
