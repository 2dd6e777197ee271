//! The append-only audit log and the transactional outbox. Both are written only inside a
//! [`Tx`], in the same transaction as the change they describe.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value as Json;

use crate::db::{Exec, Result, Row, Sql, Tx, rows_per_statement};

/// Who is making a change, as recorded in the audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    /// Username, or a label such as `system:demo` or `cli` for changes made outside a login.
    pub name: String,
    pub request_id: Option<String>,
}

impl Actor {
    pub fn system(label: &str) -> Self {
        Actor {
            user_id: None,
            name: format!("system:{label}"),
            request_id: None,
        }
    }

    /// Someone without an account (an applicant), known only by the HTTP request.
    pub fn public(request_id: &str) -> Self {
        Actor {
            user_id: None,
            name: "public".into(),
            request_id: Some(request_id.to_string()),
        }
    }

    pub fn user(user_id: i64, username: &str, request_id: Option<String>) -> Self {
        Actor {
            user_id: Some(user_id),
            name: username.to_string(),
            request_id,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub before: Option<Json>,
    pub after: Option<Json>,
    pub request_id: Option<String>,
}

/// Appends an audit entry in the caller's transaction.
pub async fn record(
    tx: &mut Tx,
    actor: &Actor,
    action: &str,
    entity: (&str, &str),
    before: Option<&Json>,
    after: Option<&Json>,
) -> Result<()> {
    let now = tx.now();
    tx.execute(
        Sql::new(
            "INSERT INTO audit_log (at, actor_user_id, actor, action, entity_type, entity_id, \
             before_json, after_json, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(now)
        .bind(actor.user_id)
        .bind(&actor.name)
        .bind(action)
        .bind(entity.0)
        .bind(entity.1)
        .bind(before.map(Json::to_string))
        .bind(after.map(Json::to_string))
        .bind(actor.request_id.as_ref()),
    )
    .await
    .map(drop)
}

/// Appends one audit entry per `(entity_id, after)` of the same action and entity type, in
/// as few statements as the parameter limits allow (bulk imports).
pub async fn record_many(
    tx: &mut Tx,
    actor: &Actor,
    action: &str,
    entity_type: &str,
    entries: &[(String, Json)],
) -> Result<()> {
    let now = tx.now();
    for chunk in entries.chunks(rows_per_statement(9)) {
        let rows = chunk
            .iter()
            .map(|(id, after)| {
                vec![
                    now.into(),
                    actor.user_id.into(),
                    (&actor.name).into(),
                    action.into(),
                    entity_type.into(),
                    id.into(),
                    Option::<String>::None.into(),
                    after.to_string().into(),
                    actor.request_id.as_ref().into(),
                ]
            })
            .collect();
        tx.execute(Sql::rows(
            "INSERT INTO audit_log (at, actor_user_id, actor, action, entity_type, entity_id, \
             before_json, after_json, request_id) VALUES",
            rows,
            "",
        ))
        .await?;
    }
    Ok(())
}

fn parse_json(text: Option<String>) -> Option<Json> {
    text.and_then(|t| serde_json::from_str(&t).ok())
}

fn entry(r: &Row) -> Result<AuditEntry> {
    Ok(from_row!(r => AuditEntry {
        id,
        at,
        actor_user_id,
        actor,
        action,
        entity_type,
        entity_id,
        before = parse_json(r.get("before_json")?),
        after = parse_json(r.get("after_json")?),
        request_id,
    }))
}

const AUDIT_COLUMNS: &str = "id, at, actor_user_id, actor, action, entity_type, entity_id, \
                             before_json, after_json, request_id";

/// The history of one record, oldest first.
pub async fn for_entity(
    e: &mut impl Exec,
    entity_type: &str,
    entity_id: &str,
) -> Result<Vec<AuditEntry>> {
    let rows = e
        .fetch_all(
            sql_once!(
                "SELECT {AUDIT_COLUMNS} FROM audit_log \
                 WHERE entity_type = $1 AND entity_id = $2 ORDER BY id"
            )
            .bind(entity_type)
            .bind(entity_id),
        )
        .await?;
    rows.iter().map(entry).collect()
}

/// Entries of one action since `since`, newest first (at most `limit`), optionally of one
/// record only.
pub async fn of_action_since(
    e: &mut impl Exec,
    action: &str,
    entity: Option<(&str, &str)>,
    since: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<AuditEntry>> {
    let (entity_type, entity_id) = entity.unzip();
    let rows = e
        .fetch_all(
            sql_once!(
                "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE action = $1 AND at > $2 \
                 AND ($3 IS NULL OR (entity_type = $3 AND entity_id = $4)) \
                 ORDER BY id DESC LIMIT $5"
            )
            .bind(action)
            .bind(since)
            .bind(entity_type.map(str::to_string))
            .bind(entity_id.map(str::to_string))
            .bind(limit),
        )
        .await?;
    rows.iter().map(entry).collect()
}

/// The newest entries across all records, newest first.
pub async fn recent(e: &mut impl Exec, limit: i64) -> Result<Vec<AuditEntry>> {
    let rows = e
        .fetch_all(
            sql_once!("SELECT {AUDIT_COLUMNS} FROM audit_log ORDER BY id DESC LIMIT $1")
                .bind(limit),
        )
        .await?;
    rows.iter().map(entry).collect()
}

#[derive(Clone, Debug, Serialize)]
pub struct OutboxEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub topic: String,
    pub entity_type: String,
    pub entity_id: String,
}

/// Announces a change to whoever tails the outbox (the search indexer on every node).
pub async fn announce(tx: &mut Tx, topic: &str, entity: (&str, &str)) -> Result<()> {
    let now = tx.now();
    tx.execute(
        Sql::new("INSERT INTO outbox (at, topic, entity_type, entity_id) VALUES ($1, $2, $3, $4)")
            .bind(now)
            .bind(topic)
            .bind(entity.0)
            .bind(entity.1),
    )
    .await
    .map(drop)
}

/// Announces a change to each of `ids` (of one entity type) in as few statements as possible.
pub async fn announce_many(
    tx: &mut Tx,
    topic: &str,
    entity_type: &str,
    ids: &[String],
) -> Result<()> {
    let now = tx.now();
    for chunk in ids.chunks(rows_per_statement(4)) {
        let rows = chunk
            .iter()
            .map(|id| vec![now.into(), topic.into(), entity_type.into(), id.into()])
            .collect();
        tx.execute(Sql::rows(
            "INSERT INTO outbox (at, topic, entity_type, entity_id) VALUES",
            rows,
            "",
        ))
        .await?;
    }
    Ok(())
}

/// Outbox entries after `after_id`, in id order.
pub async fn outbox_after(
    e: &mut impl Exec,
    after_id: i64,
    limit: i64,
) -> Result<Vec<OutboxEntry>> {
    let rows = e
        .fetch_all(
            Sql::new(
                "SELECT id, at, topic, entity_type, entity_id FROM outbox \
                 WHERE id > $1 ORDER BY id LIMIT $2",
            )
            .bind(after_id)
            .bind(limit),
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(from_row!(r => OutboxEntry {
                id,
                at,
                topic,
                entity_type,
                entity_id,
            }))
        })
        .collect()
}
