//! Sign-in throttling per client address: after [`MAX_FAILURES`] failed sign-ins within
//! [`WINDOW`], the address is refused (429) until the oldest of them leaves the window. A
//! successful sign-in forgets the address's failures. Kept in memory, bounded.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed sign-ins an address may make within [`WINDOW`].
pub(crate) const MAX_FAILURES: usize = 10;

/// The window the failures are counted in.
pub(crate) const WINDOW: Duration = Duration::from_secs(10 * 60);

/// At most this many addresses are tracked; beyond it those with no recent failure go.
const MAX_ADDRESSES: usize = 10_000;

/// The failed sign-ins of each address.
pub(crate) struct Throttle {
    failures: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
    max: usize,
    window: Duration,
}

impl Throttle {
    /// At most `max` failures per address within `window`.
    pub(crate) fn new(max: usize, window: Duration) -> Throttle {
        Throttle {
            failures: Mutex::new(HashMap::new()),
            max,
            window,
        }
    }

    /// Whether `addr` may try to sign in now.
    pub(crate) fn allows(&self, addr: IpAddr) -> bool {
        let now = Instant::now();
        let Ok(mut map) = self.failures.lock() else {
            return false;
        };
        let Some(times) = map.get_mut(&addr) else {
            return true;
        };
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            times.pop_front();
        }
        times.len() < self.max
    }

    /// Count a failed sign-in of `addr`.
    pub(crate) fn failed(&self, addr: IpAddr) {
        let now = Instant::now();
        if let Ok(mut map) = self.failures.lock() {
            if map.len() >= MAX_ADDRESSES {
                let window = self.window;
                map.retain(|_, times| {
                    times
                        .back()
                        .is_some_and(|t| now.duration_since(*t) < window)
                });
            }
            let times = map.entry(addr).or_default();
            times.push_back(now);
            while times.len() > self.max {
                times.pop_front();
            }
        }
    }

    /// Forget the failures of `addr` (it signed in).
    pub(crate) fn succeeded(&self, addr: IpAddr) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&addr);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn an_address_is_refused_after_too_many_failures_and_others_are_not() {
        let throttle = Throttle::new(3, WINDOW);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..3 {
            assert!(throttle.allows(a));
            throttle.failed(a);
        }
        assert!(!throttle.allows(a));
        assert!(throttle.allows(b));
        throttle.succeeded(a);
        assert!(throttle.allows(a));
    }

    #[test]
    fn failures_leave_the_window() {
        let throttle = Throttle::new(1, Duration::ZERO);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        throttle.failed(a);
        assert!(throttle.allows(a));
    }
}
