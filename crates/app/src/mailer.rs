//! Sends the mail outbox over SMTP. Every node may run one: messages are claimed with a
//! lease in the database, so each is sent once however many nodes poll, and a message whose
//! node died mid-send is retried by another after the lease.

use std::time::Duration;

use gongkai_domain::DomainError;
use gongkai_store::Db;
use gongkai_store::mail::{self, Outgoing};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How often the outbox is polled when idle.
pub const POLL: Duration = Duration::from_secs(5);
const BATCH: i64 = 20;

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub failed: usize,
}

impl Mailer {
    /// `smtp_url` as lettre reads it: `smtp://host:25` (plain, for a relay on a trusted
    /// network), `smtp://user:pass@host:587?tls=required` (STARTTLS), `smtps://…:465`.
    pub fn new(smtp_url: &str, from: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| format!("smtp_url: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("mail_from “{from}”: {e}"))?;
        Ok(Mailer { transport, from })
    }

    fn message(&self, m: &Outgoing) -> Result<Message, String> {
        let to =
            m.to.parse::<Mailbox>()
                .map_err(|e| format!("收件地址无效:{e}"))?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.as_str())
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    // Base64 keeps every line under the SMTP limit whatever the text.
                    .header(ContentTransferEncoding::Base64)
                    .body(m.body.clone()),
            )
            .map_err(|e| format!("邮件无法生成:{e}"))
    }

    /// Sends what is due now; each result is recorded at once.
    pub async fn deliver_due(&self, db: &Db) -> Result<Pass, DomainError> {
        let now = gongkai_store::db::now();
        let due = mail::claim_due(&mut db.conn().await?, now, BATCH).await?;
        let mut pass = Pass::default();
        for m in &due {
            let outcome = match self.message(m) {
                Err(e) => Err((e, true)),
                Ok(msg) => self
                    .transport
                    .send(msg)
                    .await
                    .map(drop)
                    .map_err(|e| (e.to_string(), e.is_permanent())),
            };
            let now = gongkai_store::db::now();
            let mut c = db.conn().await?;
            match outcome {
                Ok(()) => {
                    mail::mark_sent(&mut c, m.id, now).await?;
                    pass.sent += 1;
                }
                Err((e, permanent)) => {
                    tracing::warn!(
                        mail = m.id,
                        attempt = m.attempts,
                        permanent,
                        "mail not sent: {e}"
                    );
                    mail::mark_failed(&mut c, m, &e, permanent, now).await?;
                    pass.failed += 1;
                }
            }
        }
        Ok(pass)
    }

    /// Polls the outbox until `shutdown` resolves.
    pub async fn run(self, db: Db, shutdown: impl Future<Output = ()>) {
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            match self.deliver_due(&db).await {
                // A full batch: more may be waiting.
                Ok(p) if p.sent + p.failed >= BATCH as usize => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!("mail outbox: {e}"),
            }
            tokio::select! {
                _ = &mut shutdown => return,
                _ = tokio::time::sleep(POLL) => {}
            }
        }
    }
}
