//! The concurrency limit: a counting semaphore ([`Gate`]) whose [`Permit`]s free their place on
//! drop, including when the holder unwinds from a panic.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// A counting semaphore: at most `max` holders of a [`Permit`] at once.
pub(super) struct Gate {
    state: Mutex<GateState>,
    freed: Condvar,
    max: usize,
}

/// The gate's own bookkeeping.
#[derive(Default)]
pub(super) struct GateState {
    /// Permits held now.
    pub(super) in_flight: usize,
    /// Most permits ever held at once.
    pub(super) peak: usize,
}

impl Gate {
    /// A gate for `max` holders at once (at least 1).
    pub(super) fn new(max: usize) -> Gate {
        Gate {
            state: Mutex::new(GateState::default()),
            freed: Condvar::new(),
            max: max.max(1),
        }
    }

    /// The most holders at once.
    pub(super) fn max(&self) -> usize {
        self.max
    }

    /// The counters, locked.
    pub(super) fn state(&self) -> MutexGuard<'_, GateState> {
        lock(&self.state)
    }

    /// Wait for a free place and take it until the permit is dropped.
    pub(super) fn acquire(&self) -> Permit<'_> {
        let mut state = self.state();
        while state.in_flight >= self.max {
            state = self
                .freed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state.in_flight = state.in_flight.saturating_add(1);
        state.peak = state.peak.max(state.in_flight);
        Permit { gate: self }
    }
}

/// One running computation; frees its place in the [`Gate`] on drop.
pub(super) struct Permit<'a> {
    gate: &'a Gate,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut state = self.gate.state();
        state.in_flight = state.in_flight.saturating_sub(1);
        drop(state);
        self.gate.freed.notify_one();
    }
}

/// Lock a mutex, recovering the data if a thread panicked while holding it: the data here
/// (counters, a list of zeroed buffers) is consistent at every point a panic could occur.
pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permits_are_counted_and_freed_on_drop() {
        let gate = Gate::new(2);
        let a = gate.acquire();
        let b = gate.acquire();
        assert_eq!(gate.state().in_flight, 2);
        drop(a);
        assert_eq!(gate.state().in_flight, 1);
        drop(b);
        assert_eq!(gate.state().in_flight, 0);
        assert_eq!(gate.state().peak, 2);
        assert_eq!(Gate::new(0).max(), 1);
    }

    #[test]
    fn a_permit_is_freed_when_its_holder_panics() {
        let gate = Gate::new(1);
        let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _permit = gate.acquire();
            panic!("holder panics");
        }));
        assert!(unwound.is_err());
        assert_eq!(gate.state().in_flight, 0);
        drop(gate.acquire());
    }
}
