//! The mail outbox. A message is queued in the transaction of the step it reports, then sent
//! by a mailer on any node: it claims a message for a lease (so two nodes never both send it,
//! and a node that dies mid-send leaves it to the next), and records the result.

use chrono::{DateTime, Duration, Utc};
use gongkai_domain::request::notice::{Mail, MailStatus};
use serde::Serialize;

use crate::db::{Exec, Result, Row, Sql, Tx};

/// Give up after this many failed attempts (about a day with the back-off below).
pub const MAX_ATTEMPTS: i64 = 8;
/// A message not sent within this time is dropped: a week-old progress notice misleads.
pub const EXPIRY_DAYS: i64 = 7;
/// How long a claim lasts.
pub const LEASE_SECONDS: i64 = 120;

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Outgoing {
    pub id: i64,
    pub request_id: Option<i64>,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Sent {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub to: String,
    pub subject: String,
    pub status: MailStatus,
    pub attempts: i64,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

impl Sent {
    pub fn status_label(&self) -> &'static str {
        self.status.label_after(self.attempts)
    }
}

pub async fn enqueue(tx: &mut Tx, request_id: Option<i64>, m: &Mail) -> Result<i64> {
    let now = tx.now();
    let row = tx
        .fetch_one(
            Sql::new(
                "INSERT INTO mail_outbox (created_at, request_id, to_addr, subject, body, status, \
                 attempts, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $1) RETURNING id",
            )
            .bind(now)
            .bind(request_id)
            .bind(m.to.as_str())
            .bind(m.subject.as_str())
            .bind(m.body.as_str())
            .bind(MailStatus::Queued.as_str()),
        )
        .await?;
    row.get("id")
}

fn outgoing(r: &Row) -> Result<Outgoing> {
    Ok(from_row!(r => Outgoing {
        id,
        request_id,
        to: get "to_addr",
        subject,
        body,
        attempts,
    }))
}

/// Expires what is too old, then claims up to `limit` messages due now. Each claim is one
/// conditional UPDATE, so of two nodes racing for a message exactly one wins it.
pub async fn claim_due(e: &mut impl Exec, now: DateTime<Utc>, limit: i64) -> Result<Vec<Outgoing>> {
    e.execute(
        Sql::new(
            "UPDATE mail_outbox SET status = $2, locked_until = NULL \
             WHERE status = $3 AND created_at < $1",
        )
        .bind(now - Duration::days(EXPIRY_DAYS))
        .bind(MailStatus::Expired.as_str())
        .bind(MailStatus::Queued.as_str()),
    )
    .await?;
    let rows = e
        .fetch_all(
            Sql::new(
                "SELECT id, request_id, to_addr, subject, body, attempts FROM mail_outbox \
                 WHERE status = $3 AND next_attempt_at <= $1 \
                 AND (locked_until IS NULL OR locked_until < $1) ORDER BY id LIMIT $2",
            )
            .bind(now)
            .bind(limit)
            .bind(MailStatus::Queued.as_str()),
        )
        .await?;
    let mut claimed = Vec::new();
    for r in &rows {
        let m = outgoing(r)?;
        let won = e
            .execute(
                Sql::new(
                    "UPDATE mail_outbox SET locked_until = $1, attempts = attempts + 1 \
                     WHERE id = $2 AND status = $5 AND attempts = $3 \
                     AND (locked_until IS NULL OR locked_until < $4)",
                )
                .bind(now + Duration::seconds(LEASE_SECONDS))
                .bind(m.id)
                .bind(m.attempts)
                .bind(now)
                .bind(MailStatus::Queued.as_str()),
            )
            .await?;
        if won == 1 {
            claimed.push(Outgoing {
                attempts: m.attempts + 1,
                ..m
            });
        }
    }
    Ok(claimed)
}

pub async fn mark_sent(e: &mut impl Exec, id: i64, now: DateTime<Utc>) -> Result<()> {
    e.execute(
        Sql::new(
            "UPDATE mail_outbox SET status = $3, sent_at = $1, locked_until = NULL, \
             last_error = NULL WHERE id = $2",
        )
        .bind(now)
        .bind(id)
        .bind(MailStatus::Sent.as_str()),
    )
    .await
    .map(drop)
}

/// Records a failed attempt: `permanent` (the server refused the address or message) gives
/// up at once; otherwise it is retried with a doubling delay, up to [`MAX_ATTEMPTS`].
pub async fn mark_failed(
    e: &mut impl Exec,
    m: &Outgoing,
    error: &str,
    permanent: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    let give_up = permanent || m.attempts >= MAX_ATTEMPTS;
    // 1, 2, 4 … minutes.
    let delay = Duration::minutes(1i64 << (m.attempts - 1).clamp(0, 10));
    let error: String = error.chars().take(500).collect();
    e.execute(
        Sql::new(
            "UPDATE mail_outbox SET status = $1, next_attempt_at = $2, locked_until = NULL, \
             last_error = $3 WHERE id = $4",
        )
        .bind(
            if give_up {
                MailStatus::Failed
            } else {
                MailStatus::Queued
            }
            .as_str(),
        )
        .bind(now + delay)
        .bind(error)
        .bind(m.id),
    )
    .await
    .map(drop)
}

/// The messages about one request, newest first, for its office page.
pub async fn for_request(e: &mut impl Exec, request_id: i64) -> Result<Vec<Sent>> {
    let rows = e
        .fetch_all(
            Sql::new(
                "SELECT id, created_at, to_addr, subject, status, attempts, sent_at, last_error \
                 FROM mail_outbox WHERE request_id = $1 ORDER BY id DESC",
            )
            .bind(request_id),
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(from_row!(r => Sent {
                id,
                created_at,
                to: get "to_addr",
                subject,
                status: code,
                attempts,
                sent_at,
                last_error,
            }))
        })
        .collect()
}

/// Messages waiting and failed, for `/readyz` and the office.
pub async fn backlog(e: &mut impl Exec) -> Result<(i64, i64)> {
    let r = e
        .fetch_one(
            Sql::new(
                "SELECT COALESCE(SUM(CASE WHEN status = $1 THEN 1 ELSE 0 END), 0) AS queued, \
                 COALESCE(SUM(CASE WHEN status = $2 THEN 1 ELSE 0 END), 0) AS failed FROM mail_outbox",
            )
            .bind(MailStatus::Queued.as_str())
            .bind(MailStatus::Failed.as_str()),
        )
        .await?;
    Ok((r.get("queued")?, r.get("failed")?))
}
