//! Full backup and restore: every table (but live sessions) as JSON Lines with a manifest of
//! row counts and SHA-256 checksums, written from either backend and restored into an empty
//! database of either backend — so a backup is also how an SQLite installation moves to
//! PostgreSQL. Column types come from the migrations ([`crate::schema`]).

use std::io::{BufRead, Write};
use std::path::Path;

use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_domain::{DomainError, backup};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};
use sha2::{Digest, Sha256};

use crate::db::{Backend, Db, Exec, Result, Row, Sql, Value};
use crate::migrate;
use crate::schema::{Kind, TableDef, tables};

pub use gongkai_domain::backup::FORMAT;
/// Live sessions stay behind: a restored instance starts with everyone logged out.
const SKIPPED: &[&str] = &["sessions"];
const PAGE: i64 = 2000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableFile {
    pub table: String,
    pub file: String,
    pub rows: u64,
    pub sha256: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub schema_version: i64,
    pub backend: String,
    pub created_at: DateTime<Utc>,
    pub tables: Vec<TableFile>,
}

fn io(e: impl std::fmt::Display) -> DomainError {
    DomainError::unavailable(format!("backup: {e}"))
}

/// Lower-case hex, as the manifests write checksums.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn to_json(r: &Row, name: &str, kind: Kind) -> Result<Json> {
    Ok(match kind {
        Kind::Int => r.get::<Option<i64>>(name)?.map_or(Json::Null, Json::from),
        Kind::Text => r
            .get::<Option<String>>(name)?
            .map_or(Json::Null, Json::from),
        Kind::Bool => r.get::<Option<bool>>(name)?.map_or(Json::Null, Json::from),
        Kind::Date => r
            .get::<Option<NaiveDate>>(name)?
            .map_or(Json::Null, |d| Json::from(d.to_string())),
        Kind::Time => r
            .get::<Option<DateTime<Utc>>>(name)?
            .map_or(Json::Null, |t| Json::from(t.to_rfc3339())),
        Kind::Bytes => r.get::<Option<Vec<u8>>>(name)?.map_or(Json::Null, |b| {
            Json::from(base64::engine::general_purpose::STANDARD.encode(b))
        }),
    })
}

fn from_json(v: Option<&Json>, kind: Kind, what: &str) -> Result<Value> {
    let bad = || io(format!("{what}: 值与类型不符"));
    let v = v.filter(|v| !v.is_null());
    Ok(match kind {
        Kind::Int => Value::Int(v.map(|v| v.as_i64().ok_or_else(bad)).transpose()?),
        Kind::Text => Value::Text(
            v.map(|v| v.as_str().map(String::from).ok_or_else(bad))
                .transpose()?,
        ),
        Kind::Bool => Value::Bool(v.map(|v| v.as_bool().ok_or_else(bad)).transpose()?),
        Kind::Date => Value::Date(
            v.map(|v| {
                v.as_str()
                    .and_then(|s| s.parse::<NaiveDate>().ok())
                    .ok_or_else(bad)
            })
            .transpose()?,
        ),
        Kind::Time => Value::Time(
            v.map(|v| {
                v.as_str()
                    .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                    .map(|t| t.with_timezone(&Utc))
                    .ok_or_else(bad)
            })
            .transpose()?,
        ),
        Kind::Bytes => Value::Bytes(
            v.map(|v| {
                v.as_str()
                    .and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
                    .ok_or_else(bad)
            })
            .transpose()?,
        ),
    })
}

fn backed_up() -> Vec<TableDef> {
    tables()
        .into_iter()
        .filter(|t| !SKIPPED.contains(&t.name.as_str()))
        .collect()
}

/// Writes every table to `dir/tables/<name>.jsonl` and `dir/manifest.json`, page by page;
/// `progress` hears each table with its row count.
pub async fn export(db: &Db, dir: &Path, mut progress: impl FnMut(&str, u64)) -> Result<Manifest> {
    std::fs::create_dir_all(dir.join("tables")).map_err(io)?;
    let mut c = db.conn().await?;
    let schema_version = migrate::current_version(db).await?.unwrap_or(0);
    let mut files = Vec::new();
    for t in backed_up() {
        let cols: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        let order = if cols.contains(&"id") {
            "id".to_string()
        } else {
            (1..=cols.len())
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let file = format!("tables/{}.jsonl", t.name);
        let mut out = std::io::BufWriter::new(std::fs::File::create(dir.join(&file)).map_err(io)?);
        let mut hash = Sha256::new();
        let mut rows = 0u64;
        loop {
            let page = c
                .fetch_all(
                    Sql::dynamic(format!(
                        "SELECT {} FROM {} ORDER BY {order} LIMIT $1 OFFSET $2",
                        cols.join(", "),
                        t.name
                    ))
                    .bind(PAGE)
                    .bind(i64::try_from(rows).unwrap_or(i64::MAX)),
                )
                .await?;
            for r in &page {
                let mut m = Map::new();
                for col in &t.columns {
                    m.insert(col.name.clone(), to_json(r, &col.name, col.kind)?);
                }
                let mut line = Json::Object(m).to_string();
                line.push('\n');
                hash.update(line.as_bytes());
                out.write_all(line.as_bytes()).map_err(io)?;
            }
            rows += page.len() as u64;
            if (page.len() as i64) < PAGE {
                break;
            }
        }
        out.flush().map_err(io)?;
        progress(&t.name, rows);
        files.push(TableFile {
            table: t.name.clone(),
            file,
            rows,
            sha256: hex(&hash.finalize()),
        });
    }
    let manifest = Manifest {
        format: FORMAT.into(),
        schema_version,
        backend: db.backend().name().into(),
        created_at: crate::db::now(),
        tables: files,
    };
    let text = serde_json::to_string_pretty(&manifest).map_err(io)?;
    std::fs::write(dir.join("manifest.json"), text).map_err(io)?;
    Ok(manifest)
}

/// Reads and checks a backup's manifest and every file's checksum.
pub fn verify(dir: &Path) -> Result<Manifest> {
    let text = std::fs::read_to_string(dir.join("manifest.json")).map_err(io)?;
    let m: Manifest = serde_json::from_str(&text).map_err(io)?;
    backup::check_format(&m.format)?;
    for f in &m.tables {
        let bytes = std::fs::read(dir.join(&f.file)).map_err(io)?;
        backup::check_checksum(&f.file, &f.sha256, &hex(&Sha256::digest(&bytes)))?;
    }
    Ok(m)
}

/// Restores a verified backup into an empty, migrated database (of either backend), in one
/// transaction: on any error nothing is restored.
pub async fn restore(db: &Db, dir: &Path, mut progress: impl FnMut(&str, u64)) -> Result<Manifest> {
    let m = verify(dir)?;
    let version = migrate::current_version(db).await?.unwrap_or(0);
    backup::check_schema(m.schema_version, version)?;
    let mut tx = db.begin().await?;
    for t in ["agencies", "users", "documents"] {
        let n: i64 = tx
            .fetch_optional(Sql::dynamic(format!("SELECT COUNT(*) AS n FROM {t}")))
            .await?
            .map(|r| r.get("n"))
            .transpose()?
            .unwrap_or(0);
        if n > 0 {
            return Err(DomainError::conflict(
                None,
                "目标数据库不是空的:只能恢复到新建的数据库",
            ));
        }
    }
    let schema = tables();
    for f in &m.tables {
        let t = schema
            .iter()
            .find(|t| t.name == f.table)
            .ok_or_else(|| io(format!("未知的表 {}", f.table)))?;
        let later: Vec<&str> = t.self_references().map(|c| c.name.as_str()).collect();
        let file = std::fs::File::open(dir.join(&f.file)).map_err(io)?;
        // (row id, the self-referencing columns' values) for the second pass.
        let mut deferred: Vec<(i64, Vec<(String, Json)>)> = Vec::new();
        let mut rows = 0u64;
        for line in std::io::BufReader::new(file).lines() {
            let line = line.map_err(io)?;
            let Json::Object(mut row) = serde_json::from_str(&line).map_err(io)? else {
                return Err(io(format!("{}: 行不是对象", f.file)));
            };
            // Columns pointing at this table go in after every row is there.
            let mut later_values = Vec::new();
            for col in &later {
                if let Some(v) = row.get_mut(*col).filter(|v| !v.is_null()) {
                    later_values.push((col.to_string(), v.take()));
                }
            }
            let cols: Vec<&crate::schema::ColumnDef> = t
                .columns
                .iter()
                .filter(|c| row.contains_key(&c.name))
                .collect();
            let mut sql = Sql::dynamic(format!(
                "INSERT INTO {} ({}) VALUES ({})",
                t.name,
                cols.iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                (1..=cols.len())
                    .map(|i| format!("${i}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            for c in &cols {
                sql = sql.bind(from_json(
                    row.get(&c.name),
                    c.kind,
                    &format!("{}.{}", t.name, c.name),
                )?);
            }
            tx.execute(sql).await?;
            if !later_values.is_empty() {
                let id = row
                    .get("id")
                    .and_then(Json::as_i64)
                    .ok_or_else(|| io(format!("{}: 自引用的行没有 id", t.name)))?;
                deferred.push((id, later_values));
            }
            rows += 1;
        }
        for (id, values) in deferred {
            for (col, v) in values {
                let kind = t
                    .columns
                    .iter()
                    .find(|c| c.name == col)
                    .map_or(Kind::Int, |c| c.kind);
                tx.execute(
                    Sql::dynamic(format!("UPDATE {} SET {col} = $1 WHERE id = $2", t.name))
                        .bind(from_json(Some(&v), kind, &col)?)
                        .bind(id),
                )
                .await?;
            }
        }
        if rows != f.rows {
            return Err(io(format!("{}: 应有 {} 行,读到 {rows} 行", f.file, f.rows)));
        }
        if db.backend() == Backend::Postgres && t.columns.iter().any(|c| c.name == "id") {
            // Explicit ids leave the identity behind; new rows continue after the highest.
            tx.execute(Sql::dynamic(format!(
                "SELECT setval(pg_get_serial_sequence('{0}', 'id'), GREATEST(COALESCE(MAX(id), 0), 1), MAX(id) IS NOT NULL) FROM {0}",
                t.name
            )))
            .await?;
        }
        progress(&t.name, rows);
    }
    tx.commit().await?;
    Ok(m)
}
