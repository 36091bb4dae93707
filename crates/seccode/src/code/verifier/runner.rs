//! Argon2id in pooled, wiped, verifier-owned memory, under the concurrency limit, counting every
//! evaluation.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use argon2::{Algorithm, Argon2, Block, Version};
use zeroize::Zeroize;

use super::gate::{Gate, lock};
use crate::code::hash::{BCRYPT_MAX_CODE_LEN, HashParams, OUTPUT_LEN, Pepper};
use crate::error::{Error, Result};

/// Where an Argon2id evaluation is, as told to a [`Probe`]. Test hook, not a stable API.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeEvent {
    /// The evaluation holds its place under the concurrency limit and its memory, and is
    /// about to run.
    Enter,
    /// The evaluation has run (or failed) and still holds its place and its memory.
    Exit,
}

/// A callback told about every Argon2id evaluation, from inside the section the concurrency
/// limit guards, so a test can count independently how many run at once (or panic in the
/// middle of one). Test hook, not a stable API: see `Verifier::set_probe`.
#[doc(hidden)]
pub type Probe = Arc<dyn Fn(ProbeEvent) + Send + Sync>;

/// Number of 1 KiB blocks Argon2 uses for `params` (validated and within the ceilings).
pub(super) fn block_count(params: &HashParams) -> Result<usize> {
    argon2_params(params, OUTPUT_LEN).map(|p| p.block_count())
}

fn argon2_params(params: &HashParams, output_len: usize) -> Result<argon2::Params> {
    argon2::Params::new(params.m_kib, params.t, params.p, Some(output_len))
        .map_err(|e| Error::Internal(format!("argon2 parameters: {e}")))
}

/// Runs Argon2id in pooled, wiped memory under the concurrency limit.
pub(super) struct Runner {
    pub(super) gate: Gate,
    pool: Mutex<Vec<Vec<Block>>>,
    /// Length of the pooled buffers: the block count of the current parameters.
    pool_blocks: usize,
    /// Argon2id evaluations started, real or dummy, since construction.
    evaluations: AtomicU64,
    probe: Mutex<Option<Probe>>,
}

impl Runner {
    pub(super) fn new(max_concurrent: usize, pool_blocks: usize) -> Runner {
        Runner {
            gate: Gate::new(max_concurrent),
            pool: Mutex::new(Vec::new()),
            pool_blocks,
            evaluations: AtomicU64::new(0),
            probe: Mutex::new(None),
        }
    }

    /// Argon2id (v=19) of `input` with `salt` and the pepper's secret into `out`. `params`
    /// must already be within the ceilings: the only allocation here is the block memory.
    pub(super) fn compute(
        &self,
        params: &HashParams,
        pepper: Option<&Pepper>,
        input: &[u8],
        salt: &[u8],
        out: &mut [u8],
    ) -> Result<()> {
        let argon_params = argon2_params(params, out.len())?;
        let blocks = argon_params.block_count();
        let argon = match pepper {
            Some(pepper) => Argon2::new_with_secret(
                pepper.secret(),
                Algorithm::Argon2id,
                Version::V0x13,
                argon_params,
            )
            .map_err(|e| Error::Internal(format!("argon2: {e}")))?,
            None => Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params),
        };
        let probe = lock(&self.probe).clone();
        // The permit is taken before the memory and released after it is wiped and returned
        // (locals drop in reverse order), so at most `max` buffers are ever in use; the
        // evaluation is counted, and the probe told, inside both.
        let _permit = self.gate.acquire();
        let mut lease = self.lease(blocks)?;
        let _evaluation = Evaluation::start(self, probe);
        argon
            .hash_password_into_with_memory(input, salt, out, lease.blocks_mut())
            .map_err(|e| Error::Internal(format!("argon2: {e}")))
    }

    /// bcrypt of `input` against the legacy bcrypt hash `bcrypt_hash` (validated by
    /// `CodeHash::parse`, its cost within the ceiling), under the same concurrency limit and
    /// counted as one evaluation, like Argon2id. The comparison is the `bcrypt` crate's,
    /// constant-time. An `input` over 72 bytes is hashed over its first 72 (the same work) but
    /// never matches: bcrypt would silently ignore the rest (see `code::hash::bcrypt`).
    pub(super) fn bcrypt(&self, input: &[u8], bcrypt_hash: &str) -> Result<bool> {
        let within = input.len() <= BCRYPT_MAX_CODE_LEN;
        let covered = input.get(..BCRYPT_MAX_CODE_LEN).unwrap_or(input);
        let probe = lock(&self.probe).clone();
        let _permit = self.gate.acquire();
        let _evaluation = Evaluation::start(self, probe);
        let matched = bcrypt::verify(covered, bcrypt_hash)
            .map_err(|e| Error::Internal(format!("bcrypt: {e}")))?;
        Ok(matched & within)
    }

    /// Argon2id and bcrypt evaluations started since construction.
    pub(super) fn evaluations(&self) -> u64 {
        self.evaluations.load(Ordering::SeqCst)
    }

    /// Install or remove the probe.
    pub(super) fn set_probe(&self, probe: Option<Probe>) {
        *lock(&self.probe) = probe;
    }

    /// A zeroed buffer of at least `blocks` blocks: a pooled one if it is big enough, else a
    /// fresh allocation (failing cleanly, not aborting, when memory runs out).
    fn lease(&self, blocks: usize) -> Result<Lease<'_>> {
        let pooled = {
            let mut pool = lock(&self.pool);
            let found = pool.iter().position(|b| b.len() >= blocks);
            found.map(|i| pool.swap_remove(i))
        };
        let buffer = match pooled {
            Some(buffer) => buffer,
            None => {
                let mut buffer = Vec::new();
                buffer
                    .try_reserve_exact(blocks)
                    .map_err(|_| Error::Internal("out of memory for argon2".to_owned()))?;
                buffer.resize(blocks, Block::new());
                buffer
            }
        };
        Ok(Lease {
            runner: self,
            buffer,
            used: blocks,
        })
    }

    /// Take back a wiped buffer: keep it if it has the current size and the pool has room
    /// (never more buffers than computations can run at once), else free it.
    fn give_back(&self, buffer: Vec<Block>) {
        if buffer.len() != self.pool_blocks {
            return;
        }
        let mut pool = lock(&self.pool);
        if pool.len() < self.gate.max() {
            pool.push(buffer);
        }
    }
}

/// One Argon2id evaluation in progress: counted when it starts, reported to the probe on
/// start and (on drop, even when unwinding) on exit.
struct Evaluation {
    probe: Option<Probe>,
}

impl Evaluation {
    fn start(runner: &Runner, probe: Option<Probe>) -> Evaluation {
        runner.evaluations.fetch_add(1, Ordering::SeqCst);
        if let Some(probe) = &probe {
            probe(ProbeEvent::Enter);
        }
        Evaluation { probe }
    }
}

impl Drop for Evaluation {
    fn drop(&mut self) {
        if let Some(probe) = &self.probe {
            probe(ProbeEvent::Exit);
        }
    }
}

/// A buffer on loan from the pool; wiped and returned on drop, even when Argon2 fails.
///
/// Invariant: every block outside `..used` is zero (buffers enter the pool zeroed), so
/// wiping the used prefix leaves the whole buffer zero.
struct Lease<'a> {
    runner: &'a Runner,
    buffer: Vec<Block>,
    used: usize,
}

impl Lease<'_> {
    fn blocks_mut(&mut self) -> &mut [Block] {
        // `used <= buffer.len()` by construction; an empty slice (an Argon2 error) otherwise.
        self.buffer.get_mut(..self.used).unwrap_or_default()
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        for block in self.buffer.iter_mut().take(self.used) {
            block.zeroize();
        }
        self.runner.give_back(std::mem::take(&mut self.buffer));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: HashParams = HashParams {
        m_kib: 64,
        t: 1,
        p: 1,
    };

    fn runner() -> Runner {
        Runner::new(2, block_count(&CHEAP).unwrap())
    }

    fn all_zero(pool: &[Vec<Block>]) -> bool {
        pool.iter()
            .all(|b| b.iter().all(|b| b.as_ref().iter().all(|w| *w == 0)))
    }

    #[test]
    fn buffers_are_wiped_and_pooled() {
        let r = runner();
        let mut out = [0u8; 32];
        for _ in 0..3 {
            r.compute(&CHEAP, None, b"some code here", &[3; 16], &mut out)
                .unwrap();
        }
        assert_eq!(r.evaluations(), 3);
        let pool = lock(&r.pool);
        assert!(!pool.is_empty() && pool.len() <= r.gate.max());
        assert!(pool.iter().all(|b| b.len() == r.pool_blocks));
        assert!(all_zero(&pool));
    }

    #[test]
    fn larger_pooled_buffer_serves_a_smaller_hash() {
        let r = runner();
        let mut out = [0u8; 32];
        r.compute(&CHEAP, None, b"input", &[1; 16], &mut out)
            .unwrap();
        let small = HashParams {
            m_kib: 8,
            t: 1,
            p: 1,
        };
        r.compute(&small, None, b"input", &[1; 16], &mut out)
            .unwrap();
        // Compare with argon2's own allocation.
        let mut expected = [0u8; 32];
        Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            argon2::Params::new(8, 1, 1, Some(32)).unwrap(),
        )
        .hash_password_into(b"input", &[1; 16], &mut expected)
        .unwrap();
        assert_eq!(out, expected);
        let pool = lock(&r.pool);
        assert_eq!(pool.len(), 1, "the pooled buffer was reused");
        assert!(all_zero(&pool));
    }

    #[test]
    fn the_probe_sees_every_evaluation_inside_the_gate() {
        let r = Arc::new(runner());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let probe: Probe = {
            let r = Arc::downgrade(&r);
            let seen = Arc::clone(&seen);
            Arc::new(move |event| {
                let in_flight = r.upgrade().map_or(0, |r| r.gate.state().in_flight);
                lock(&seen).push((event, in_flight));
            })
        };
        r.set_probe(Some(probe));
        let mut out = [0u8; 32];
        r.compute(&CHEAP, None, b"x", &[1; 16], &mut out).unwrap();
        r.set_probe(None);
        r.compute(&CHEAP, None, b"x", &[1; 16], &mut out).unwrap();
        assert_eq!(
            *lock(&seen),
            [(ProbeEvent::Enter, 1), (ProbeEvent::Exit, 1)]
        );
        assert_eq!(r.evaluations(), 2);
    }

    #[test]
    fn failures_before_argon_runs_are_not_evaluations() {
        let r = runner();
        let mut out = [0u8; 32];
        let bad = HashParams {
            m_kib: 64,
            t: 0,
            p: 1,
        };
        assert!(r.compute(&bad, None, b"x", &[1; 16], &mut out).is_err());
        assert_eq!(r.evaluations(), 0);
    }
}
