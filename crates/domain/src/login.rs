//! Staff sign-in limits. Failed logins are counted per account and client, so someone
//! elsewhere guessing cannot lock the real user out; per client, so one address cannot try
//! many accounts; failures of one account from anywhere only raise an alert.

use chrono::{DateTime, Duration, Utc};

use crate::error::DomainError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoginPolicy {
    pub window: Duration,
    /// Failures of one account from one client before the delay starts.
    pub max_failures_per_user: i64,
    pub max_failures_per_client: i64,
    /// The first delay after the limit; it doubles with each further failure, up to the window.
    pub first_delay: Duration,
    /// Failures of one account from all clients that raise an alert for the administrator.
    pub alert_failures_per_account: i64,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        LoginPolicy {
            window: Duration::minutes(15),
            max_failures_per_user: 5,
            max_failures_per_client: 20,
            first_delay: Duration::seconds(30),
            alert_failures_per_account: 20,
        }
    }
}

impl LoginPolicy {
    /// How long to wait after the latest failure, given `failures` before this attempt.
    pub fn delay(&self, failures: i64) -> Duration {
        if failures < self.max_failures_per_user {
            return Duration::zero();
        }
        let doublings = (failures - self.max_failures_per_user).min(20) as u32;
        (self.first_delay * 2_i32.pow(doublings.min(16))).min(self.window)
    }

    /// The start of the window that counts at `now`.
    pub fn since(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - self.window
    }

    /// This account from this client: `failures` earlier in the window, the `latest` of them.
    /// Refused (with how long to wait) while the growing delay since the latest runs.
    pub fn check_pair(
        &self,
        failures: i64,
        latest: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<(), DomainError> {
        let delay = self.delay(failures);
        match latest {
            Some(latest) if delay > Duration::zero() && now < latest + delay => {
                Err(DomainError::RateLimited {
                    retry_after_secs: (latest + delay - now).num_seconds().max(1) as u64,
                })
            }
            _ => Ok(()),
        }
    }

    /// This client under any name: refused for the window once it failed too often.
    pub fn check_client(&self, failures: i64) -> Result<(), DomainError> {
        if failures >= self.max_failures_per_client {
            return Err(DomainError::RateLimited {
                retry_after_secs: self.window.num_seconds().max(1) as u64,
            });
        }
        Ok(())
    }

    /// Whether a failure after `earlier` failures of the account from anywhere in the window
    /// reaches the alert threshold.
    pub fn reaches_alert(&self, earlier: i64) -> bool {
        earlier + 1 >= self.alert_failures_per_account
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn the_delay_starts_at_the_limit_doubles_and_stops_at_the_window() {
        let p = LoginPolicy::default();
        assert_eq!(p.delay(4), Duration::zero());
        assert_eq!(p.delay(5), Duration::seconds(30));
        assert_eq!(p.delay(6), Duration::seconds(60));
        assert_eq!(p.delay(7), Duration::seconds(120));
        assert_eq!(p.delay(10), Duration::minutes(15), "capped at the window");
        assert_eq!(p.delay(i64::MAX), Duration::minutes(15));
    }

    #[test]
    fn a_pair_waits_out_its_delay_and_a_client_its_window() {
        let p = LoginPolicy::default();
        let latest = at("2026-12-07T10:00:00Z");
        assert_eq!(p.check_pair(4, Some(latest), latest), Ok(()));
        assert_eq!(
            p.check_pair(5, Some(latest), at("2026-12-07T10:00:10Z")),
            Err(DomainError::RateLimited {
                retry_after_secs: 20
            })
        );
        assert_eq!(
            p.check_pair(5, Some(latest), at("2026-12-07T10:00:30Z")),
            Ok(())
        );
        assert_eq!(p.check_pair(9, None, latest), Ok(()));
        assert_eq!(p.check_client(19), Ok(()));
        assert_eq!(
            p.check_client(20),
            Err(DomainError::RateLimited {
                retry_after_secs: 900
            })
        );
        assert!(!p.reaches_alert(18));
        assert!(p.reaches_alert(19));
    }
}
