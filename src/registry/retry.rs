//! When to try a request again and how long to wait: connection errors and 5xx/429
//! answers, a few times, with exponential backoff (Retry-After honoured up to a cap).

use std::time::Duration;

/// Attempts after the first one.
const MAX_RETRIES: u32 = 4;
const FIRST_DELAY: Duration = Duration::from_millis(200);
const MAX_DELAY: Duration = Duration::from_secs(5);

pub fn is_retryable_status(status: u16) -> bool {
    status == 429 || (500..600).contains(&status) && status != 501 && status != 505
}

/// The delays between tries of one request.
#[derive(Debug)]
pub struct Backoff {
    tries: u32,
}

impl Backoff {
    pub fn new() -> Backoff {
        Backoff { tries: 0 }
    }

    /// How long to wait before the next try, or None when the tries are used up.
    pub fn next_delay(&mut self, server_asked: Option<Duration>) -> Option<Duration> {
        if self.tries >= MAX_RETRIES {
            return None;
        }
        let ours = FIRST_DELAY * 2u32.pow(self.tries);
        self.tries += 1;
        Some(server_asked.unwrap_or(ours).min(MAX_DELAY))
    }

    /// Progress was made: the next failure starts from the first delay again.
    pub fn reset(&mut self) {
        self.tries = 0;
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_then_stop() {
        let mut b = Backoff::new();
        let d: Vec<_> = std::iter::from_fn(|| b.next_delay(None)).collect();
        assert_eq!(d.len(), MAX_RETRIES as usize);
        assert_eq!(d[0], FIRST_DELAY);
        assert_eq!(d[1], FIRST_DELAY * 2);
        b.reset();
        assert_eq!(b.next_delay(Some(Duration::from_secs(60))), Some(MAX_DELAY));
    }

    #[test]
    fn which_statuses_retry() {
        assert!(is_retryable_status(503));
        assert!(is_retryable_status(429));
        assert!(is_retryable_status(500));
        assert!(!is_retryable_status(404));
        assert!(!is_retryable_status(401));
        assert!(!is_retryable_status(501));
    }
}
