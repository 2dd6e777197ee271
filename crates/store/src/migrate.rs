//! One migration history for both databases.
//!
//! Each migration is portable SQL with a few type tokens that expand per backend
//! (`{id}`, `{ts}`, `{date}`, `{bytes}`); a step that cannot be portable (triggers) gives both spellings
//! side by side, so the history stays one list with one version number per change.
//! Applied versions are recorded in `gk_schema_migrations` with a checksum of the text that
//! ran; a changed migration is refused rather than silently diverging.

use gongkai_domain::DomainError;
use sha2::{Digest, Sha256};

use crate::db::{Backend, Db, Exec, Result, Sql};

pub enum Step {
    /// Portable SQL with type tokens.
    Portable(&'static str),
    /// Backend-specific spellings of the same change.
    Each {
        sqlite: &'static str,
        postgres: &'static str,
    },
}

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub steps: &'static [Step],
}

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        steps: &[
            Step::Portable(include_str!("../migrations/0001_foundation.sql")),
            Step::Each {
                sqlite: include_str!("../migrations/0001_audit_append_only.sqlite.sql"),
                postgres: include_str!("../migrations/0001_audit_append_only.postgres.sql"),
            },
        ],
    },
    Migration {
        version: 2,
        name: "disclosure",
        steps: &[Step::Portable(include_str!(
            "../migrations/0002_disclosure.sql"
        ))],
    },
    Migration {
        version: 3,
        name: "interpretations",
        steps: &[Step::Portable(include_str!(
            "../migrations/0003_interpretations.sql"
        ))],
    },
    Migration {
        version: 4,
        name: "gazette",
        steps: &[Step::Portable(include_str!(
            "../migrations/0004_gazette.sql"
        ))],
    },
    Migration {
        version: 5,
        name: "catalogue",
        steps: &[Step::Portable(include_str!(
            "../migrations/0005_catalogue.sql"
        ))],
    },
    Migration {
        version: 6,
        name: "attachments",
        steps: &[Step::Portable(include_str!(
            "../migrations/0006_attachments.sql"
        ))],
    },
    Migration {
        version: 7,
        name: "guide",
        steps: &[Step::Portable(include_str!("../migrations/0007_guide.sql"))],
    },
    Migration {
        version: 8,
        name: "requests",
        steps: &[Step::Portable(include_str!(
            "../migrations/0008_requests.sql"
        ))],
    },
    Migration {
        version: 9,
        name: "appeals",
        steps: &[Step::Portable(include_str!(
            "../migrations/0009_appeals.sql"
        ))],
    },
    Migration {
        version: 10,
        name: "mail_transfer",
        steps: &[Step::Portable(include_str!(
            "../migrations/0010_mail_transfer.sql"
        ))],
    },
    Migration {
        version: 11,
        name: "answers",
        steps: &[Step::Portable(include_str!(
            "../migrations/0011_answers.sql"
        ))],
    },
    Migration {
        version: 12,
        name: "search_terms",
        steps: &[Step::Portable(include_str!(
            "../migrations/0012_search_terms.sql"
        ))],
    },
    Migration {
        version: 13,
        name: "consultations",
        steps: &[Step::Portable(include_str!(
            "../migrations/0013_consultations.sql"
        ))],
    },
    Migration {
        version: 14,
        name: "messages",
        steps: &[Step::Portable(include_str!(
            "../migrations/0014_messages.sql"
        ))],
    },
    Migration {
        version: 15,
        name: "decisions",
        steps: &[Step::Portable(include_str!(
            "../migrations/0015_decisions.sql"
        ))],
    },
    Migration {
        version: 16,
        name: "reports",
        steps: &[Step::Portable(include_str!(
            "../migrations/0016_reports.sql"
        ))],
    },
    Migration {
        version: 17,
        name: "report_index",
        steps: &[Step::Portable(include_str!(
            "../migrations/0017_report_index.sql"
        ))],
    },
    Migration {
        version: 18,
        name: "lists",
        steps: &[Step::Portable(include_str!("../migrations/0018_lists.sql"))],
    },
    Migration {
        version: 19,
        name: "relation_review",
        steps: &[Step::Portable(include_str!(
            "../migrations/0019_relation_review.sql"
        ))],
    },
    Migration {
        version: 20,
        name: "throttle_scope",
        steps: &[Step::Portable(include_str!(
            "../migrations/0020_throttle_scope.sql"
        ))],
    },
    Migration {
        version: 21,
        name: "token_expiry",
        steps: &[Step::Portable(include_str!(
            "../migrations/0021_token_expiry.sql"
        ))],
    },
];

/// Expands the type tokens for one backend.
pub fn render(sql: &str, backend: Backend) -> String {
    let (id, ts, date, bytes) = match backend {
        Backend::Sqlite => ("INTEGER PRIMARY KEY AUTOINCREMENT", "TEXT", "TEXT", "BLOB"),
        Backend::Postgres => (
            "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
            "TIMESTAMPTZ",
            "DATE",
            "BYTEA",
        ),
    };
    sql.replace("{id}", id)
        .replace("{ts}", ts)
        .replace("{date}", date)
        .replace("{bytes}", bytes)
}

fn script(m: &Migration, backend: Backend) -> String {
    m.steps
        .iter()
        .map(|s| match s {
            Step::Portable(sql) => render(sql, backend),
            Step::Each { sqlite, postgres } => match backend {
                Backend::Sqlite => sqlite.to_string(),
                Backend::Postgres => postgres.to_string(),
            },
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn checksum(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Brings the schema up to date; returns the versions applied now. Safe to run from several
/// nodes at once: each migration runs in its own transaction under a lock (SQLite's write
/// lock, PostgreSQL's advisory lock) and re-checks whether another node applied it first.
pub async fn run(db: &Db) -> Result<Vec<i64>> {
    let backend = db.backend();
    db.conn()
        .await?
        .execute(Sql::dynamic(render(
            "CREATE TABLE IF NOT EXISTS gk_schema_migrations (\
               version BIGINT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, \
               applied_at {ts} NOT NULL)",
            backend,
        )))
        .await?;
    let mut applied_now = Vec::new();
    for m in MIGRATIONS {
        let text = script(m, backend);
        let sum = checksum(&text);
        let mut tx = db.begin().await?;
        if backend == Backend::Postgres {
            // Serialises concurrent migrators; released at commit.
            tx.execute(Sql::new("SELECT pg_advisory_xact_lock(7125001)"))
                .await?;
        }
        let existing = tx
            .fetch_optional(
                Sql::new("SELECT checksum FROM gk_schema_migrations WHERE version = $1")
                    .bind(m.version),
            )
            .await?;
        if let Some(row) = existing {
            let recorded: String = row.get("checksum")?;
            if recorded != sum {
                return Err(DomainError::internal(format!(
                    "migration {} ({}) differs from the one applied to this database",
                    m.version, m.name
                )));
            }
            continue;
        }
        tx.exec().execute_script(text).await?;
        let now = tx.now();
        tx.execute(
            Sql::new(
                "INSERT INTO gk_schema_migrations (version, name, checksum, applied_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(m.version)
            .bind(m.name)
            .bind(sum)
            .bind(now),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(version = m.version, name = m.name, "migration applied");
        applied_now.push(m.version);
    }
    Ok(applied_now)
}

/// The highest applied version, for readiness and `gongkai migrate`.
pub async fn current_version(db: &Db) -> Result<Option<i64>> {
    let row = db
        .conn()
        .await?
        .fetch_one(Sql::new(
            "SELECT MAX(version) AS v FROM gk_schema_migrations",
        ))
        .await?;
    row.get::<Option<i64>>("v")
}

pub fn latest_version() -> i64 {
    MIGRATIONS.last().map(|m| m.version).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    /// A migration file that is not listed above would silently never run.
    #[test]
    fn every_migration_file_is_listed() {
        let listed = include_str!("migrate.rs");
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
        let mut n = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            assert!(
                listed.contains(&format!("../migrations/{name}")),
                "{name} is not in MIGRATIONS"
            );
            n += 1;
        }
        assert!(n >= 9);
    }
}
