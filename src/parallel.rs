//! A bounded pool of scoped threads for the few places that work on several layers at once
//! (unpacking, pulling, pushing): each worker claims the next item until none are left or
//! one has failed, so the first error stops new work instead of waiting for every item.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use anyhow::{Result, anyhow};

/// Runs `f` on every item with at most `workers` threads. `f` also gets the pool's "failed"
/// flag, so long jobs can stop early when another one failed. The results come back in no
/// particular order; on failure, the error that failed the pool first (an item that stopped
/// because of it fails later, so its error never wins).
pub fn run_bounded<T: Sync, R: Send>(
    items: &[T],
    workers: usize,
    f: impl Fn(&T, &AtomicBool) -> Result<R> + Sync,
) -> Result<Vec<R>> {
    let failed = AtomicBool::new(false);
    let first_error: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    let next = AtomicUsize::new(0);
    let workers = workers.clamp(1, items.len().max(1));
    let joined: Vec<Option<Vec<R>>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    while !failed.load(Ordering::Relaxed) {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(k) else { break };
                        match f(item, &failed) {
                            Ok(r) => out.push(r),
                            Err(e) => {
                                if !failed.swap(true, Ordering::SeqCst)
                                    && let Ok(mut slot) = first_error.lock()
                                {
                                    *slot = Some(e);
                                }
                            }
                        }
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().ok()).collect()
    });
    if let Some(e) = first_error.into_inner().ok().flatten() {
        return Err(e);
    }
    let mut out = Vec::with_capacity(items.len());
    for part in joined {
        out.extend(part.ok_or_else(|| anyhow!("worker thread panicked"))?);
    }
    Ok(out)
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
        let mut ok = run_bounded(&items, 4, |i, _| Ok(i * 2)).unwrap();
        ok.sort();
        assert_eq!(ok, (0..50).map(|i| i * 2).collect::<Vec<_>>());

        let started = AtomicUsize::new(0);
        let err = run_bounded(&items, 1, |i, _| {
            started.fetch_add(1, Ordering::Relaxed);
            if *i == 3 { bail!("three") } else { Ok(*i) }
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "three");
        assert_eq!(
            started.into_inner(),
            4,
            "one worker stops claiming after the failure"
        );
        assert!(
            run_bounded(&Vec::<u32>::new(), 4, |i, _| Ok(*i))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn the_first_failure_wins_over_the_ones_it_caused() {
        let items: Vec<u32> = (0..8).collect();
        let err = run_bounded(&items, 4, |i, failed| -> Result<u32> {
            if *i == 0 {
                bail!("real failure");
            }
            // The others wait for the flag, then fail because of it.
            while !failed.load(Ordering::Relaxed) {
                std::thread::yield_now();
            }
            bail!("cancelled")
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "real failure");
    }
}
