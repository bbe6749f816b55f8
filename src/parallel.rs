//! A bounded pool of scoped threads for the few places that work on several layers at once
//! (unpacking, pulling, pushing): each worker claims the next item until none are left or
//! one has failed, so the first error stops new work instead of waiting for every item.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use anyhow::{Result, anyhow};

/// Runs `f` on every item with at most `workers` threads. `f` also gets the pool's "failed"
/// flag, so long jobs can stop early when another one failed. Results come back in no
/// particular order; items not started because of a failure have none.
pub fn run_bounded<T: Sync, R: Send>(
    items: &[T],
    workers: usize,
    f: impl Fn(&T, &AtomicBool) -> Result<R> + Sync,
) -> Vec<Result<R>> {
    let failed = AtomicBool::new(false);
    let next = AtomicUsize::new(0);
    let workers = workers.clamp(1, items.len().max(1));
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    while !failed.load(Ordering::Relaxed) {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(k) else { break };
                        let r = f(item, &failed);
                        if r.is_err() {
                            failed.store(true, Ordering::Relaxed);
                        }
                        out.push(r);
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|_| vec![Err(anyhow!("worker thread panicked"))])
            })
            .collect()
    })
}

/// The number of CPUs, for CPU-bound pools.
pub fn cpus() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::bail;

    #[test]
    fn runs_everything_and_stops_after_a_failure() {
        let items: Vec<u32> = (0..50).collect();
        let mut ok = run_bounded(&items, 4, |i, _| Ok(i * 2))
            .into_iter()
            .map(|r| r.unwrap())
            .collect::<Vec<_>>();
        ok.sort();
        assert_eq!(ok, (0..50).map(|i| i * 2).collect::<Vec<_>>());

        let results = run_bounded(
            &items,
            1,
            |i, _| if *i == 3 { bail!("three") } else { Ok(*i) },
        );
        assert_eq!(
            results.len(),
            4,
            "one worker stops claiming after the failure"
        );
        assert!(results.iter().any(|r| r.is_err()));
        assert!(run_bounded(&Vec::<u32>::new(), 4, |i, _| Ok(*i)).is_empty());
    }
}
