//! Figures for one agency's messages: received, valid, answered (and on time), the average
//! working days to a reply, overdue now, unanswered beyond three months.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Status, is_stale};
use crate::calendar::WorkCalendar;
use crate::error::DomainError;

/// What the figures need of one message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandledMessage {
    pub status: Status,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
    pub replied_on: Option<NaiveDate>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct BoxStats {
    pub received: usize,
    /// Not invalid, duplicate or transferred away.
    pub valid: usize,
    pub replied: usize,
    pub replied_on_time: usize,
    /// Valid, unanswered, past the limit today.
    pub overdue: usize,
    /// Valid, unanswered, received more than three months ago.
    pub stale: usize,
    /// Mean working days from receipt to reply, over the replied ones.
    pub average_workdays: Option<f64>,
}

impl BoxStats {
    /// Share of replies given within the limit, in per cent.
    pub fn on_time_percent(&self) -> Option<f64> {
        (self.replied > 0).then(|| self.replied_on_time as f64 * 100.0 / self.replied as f64)
    }
}

pub fn box_stats(
    calendar: &WorkCalendar,
    messages: &[HandledMessage],
    today: NaiveDate,
) -> Result<BoxStats, DomainError> {
    let mut s = BoxStats {
        received: messages.len(),
        ..BoxStats::default()
    };
    let mut workdays = 0u64;
    for m in messages {
        if matches!(
            m.status,
            Status::Invalid | Status::Duplicate | Status::Transferred
        ) {
            continue;
        }
        s.valid += 1;
        match m.replied_on {
            Some(r) => {
                s.replied += 1;
                if r <= m.due_on {
                    s.replied_on_time += 1;
                }
                workdays += u64::from(
                    calendar
                        .workdays_between(m.received_on, r.max(m.received_on))?
                        .workdays,
                );
            }
            None => {
                if today > m.due_on {
                    s.overdue += 1;
                }
                if is_stale(m.status, m.received_on, today) {
                    s.stale += 1;
                }
            }
        }
    }
    s.average_workdays = (s.replied > 0).then(|| workdays as f64 / s.replied as f64);
    Ok(s)
}
