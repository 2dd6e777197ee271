//! One query path over two databases.
//!
//! Every statement is written once, in SQL that both SQLite and PostgreSQL accept, with
//! `$1..$n` placeholders (sqlx's SQLite driver reads `$NNN` as positional). A [`Sql`] carries
//! the text and typed arguments; [`ExecRef`] binds them for whichever backend is open. Unlike
//! sqlx's `Any` driver this keeps real date and time types on both sides.

use std::borrow::Cow;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use gongkai_domain::{Code, DomainError};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, Decode, PgConnection, PgPool, Postgres, Row as _, Sqlite};
use sqlx::{SqliteConnection, SqlitePool, Type};

pub type Result<T, E = DomainError> = std::result::Result<T, E>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A typed statement argument. Nulls keep their type so PostgreSQL can infer parameters.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(Option<bool>),
    Date(Option<NaiveDate>),
    Time(Option<DateTime<Utc>>),
    Bytes(Option<Vec<u8>>),
}

macro_rules! value_from {
    ($variant:ident, $ty:ty) => {
        impl From<$ty> for Value {
            fn from(v: $ty) -> Self {
                Value::$variant(Some(v.into()))
            }
        }
        impl From<Option<$ty>> for Value {
            fn from(v: Option<$ty>) -> Self {
                Value::$variant(v.map(Into::into))
            }
        }
    };
}
value_from!(Int, i64);
value_from!(Text, String);
value_from!(Text, &str);
value_from!(Bool, bool);
value_from!(Date, NaiveDate);
value_from!(Time, DateTime<Utc>);
value_from!(Bytes, Vec<u8>);

impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(Some(v.clone()))
    }
}
impl From<Option<&String>> for Value {
    fn from(v: Option<&String>) -> Self {
        Value::Text(v.cloned())
    }
}

/// Rows of `width` values to put in one multi-row statement. Binding on SQLite looks up each
/// `$N` parameter's name, which SQLite finds by a linear scan of the statement's names, so a
/// statement's binding time grows with the square of its parameters: about 200 balance it
/// (at 5,000, binding took more than half an import's time) while still writing dozens of
/// rows per round trip.
pub fn rows_per_statement(width: usize) -> usize {
    (200 / width.max(1)).max(1)
}

/// SQL text plus its arguments, in placeholder order.
#[derive(Clone, Debug)]
pub struct Sql {
    text: Cow<'static, str>,
    args: Vec<Value>,
    /// Whether the connection keeps the statement prepared (see [`Sql::unprepared`]).
    keep: bool,
}

impl Sql {
    pub fn new(text: &'static str) -> Self {
        Sql {
            text: Cow::Borrowed(text),
            args: Vec::new(),
            keep: true,
        }
    }

    /// `UPDATE table SET updated_at = $1, <columns> WHERE id = $n`, with the time bound as $1:
    /// `columns` use $2, $3 …; the caller binds them, then the id (the last parameter).
    pub fn update_touching(table: &str, columns: &str, now: DateTime<Utc>) -> Self {
        Sql::dynamic(format!(
            "UPDATE {table} SET updated_at = $1, {columns} WHERE id = ${}",
            columns.matches('$').count() + 2
        ))
        .bind(now)
    }

    /// SQL assembled at run time. Only for text built from our own constants (never user
    /// input): user values always go through [`Sql::bind`].
    pub fn dynamic(text: String) -> Self {
        Sql {
            text: Cow::Owned(text),
            args: Vec::new(),
            keep: true,
        }
    }

    /// Appends text built from our own constants and numbers (never user input).
    pub fn append(mut self, more: &str) -> Self {
        self.text.to_mut().push_str(more);
        self
    }

    pub fn bind(mut self, v: impl Into<Value>) -> Self {
        self.args.push(v.into());
        self
    }

    /// One multi-row statement: `head` (e.g. `INSERT INTO t (a, b) VALUES`) followed by one
    /// parenthesised group of placeholders per row, then `tail` (e.g. `RETURNING id`). Every
    /// row has the same number of values. Callers chunk their rows with [`rows_per_statement`].
    pub fn rows(head: &'static str, rows: Vec<Vec<Value>>, tail: &'static str) -> Self {
        let mut text = String::from(head);
        let mut args = Vec::with_capacity(rows.iter().map(Vec::len).sum());
        for (r, row) in rows.into_iter().enumerate() {
            text.push_str(if r == 0 { " (" } else { ", (" });
            for c in 0..row.len() {
                if c > 0 {
                    text.push_str(", ");
                }
                text.push_str(&format!("${}", args.len() + c + 1));
            }
            text.push(')');
            args.extend(row);
        }
        text.push(' ');
        text.push_str(tail);
        Sql {
            text: Cow::Owned(text),
            args,
            keep: false,
        }
    }

    /// Runs without keeping a prepared statement, so PostgreSQL plans it for its values each
    /// time. A kept statement gets, after five runs, a generic plan that stays until the
    /// tables are next analysed: one made while an import's tables were nearly empty scans
    /// them whole on every later run. Multi-row statements ([`Sql::rows`]) are never kept.
    pub fn unprepared(mut self) -> Self {
        self.keep = false;
        self
    }
}

macro_rules! bind_all {
    ($sql:expr, $db:ty) => {{
        let Sql { text, args, keep } = $sql;
        let mut q = match text {
            Cow::Borrowed(s) => sqlx::query::<$db>(s),
            Cow::Owned(s) => sqlx::query::<$db>(AssertSqlSafe(s)),
        }
        .persistent(keep);
        for a in args {
            q = match a {
                Value::Int(v) => q.bind(v),
                Value::Text(v) => q.bind(v),
                Value::Bool(v) => q.bind(v),
                Value::Date(v) => q.bind(v),
                Value::Time(v) => q.bind(v),
                Value::Bytes(v) => q.bind(v),
            };
        }
        q
    }};
}

/// A column type both backends can decode.
pub trait Column:
    for<'r> Decode<'r, Sqlite> + Type<Sqlite> + for<'r> Decode<'r, Postgres> + Type<Postgres>
{
}
impl<T> Column for T where
    T: for<'r> Decode<'r, Sqlite> + Type<Sqlite> + for<'r> Decode<'r, Postgres> + Type<Postgres>
{
}

pub enum Row {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

impl Row {
    pub fn get<T: Column>(&self, column: &str) -> Result<T> {
        let r = match self {
            Row::Sqlite(r) => r.try_get(column),
            Row::Postgres(r) => r.try_get(column),
        };
        r.map_err(|e| DomainError::internal_from(format!("column {column}"), e))
    }

    /// A column holding a stable code, read as its type: the one place a stored code becomes
    /// a value. A code the type does not know is a broken invariant (500), never bad input.
    pub fn code<T: Code>(&self, column: &str) -> Result<T> {
        let code: String = self.get(column)?;
        decode(column, &code)
    }

    /// [`Row::code`] for a nullable column.
    pub fn code_opt<T: Code>(&self, column: &str) -> Result<Option<T>> {
        let code: Option<String> = self.get(column)?;
        code.map(|c| decode(column, &c)).transpose()
    }
}

/// A stored code as its type; see [`Row::code`].
pub fn decode<T: Code>(column: &str, code: &str) -> Result<T> {
    T::from_code(code)
        .ok_or_else(|| DomainError::internal(format!("column {column}: unknown code “{code}”")))
}

/// Maps a driver error. A unique violation is a conflict (callers may give a better message);
/// a database that is away, overloaded or timing out is unavailability (503, try later);
/// everything else — a column that does not decode, a constraint the code should have
/// checked, SQL the database rejects — is a bug (500). The driver error stays the fault's
/// cause; nothing is logged here: the request's end logs it once.
pub fn db_err(e: sqlx::Error) -> DomainError {
    use gongkai_domain::Fault;
    if let sqlx::Error::Database(d) = &e {
        if d.is_unique_violation() {
            return DomainError::conflict(None, "记录已存在");
        }
        let constraint = d.constraint().map(str::to_owned);
        let transient = d.code().is_some_and(|c| transient_code(&c));
        let fault = Fault::caused_by("database", e).with_constraint(constraint.as_deref());
        return if transient {
            DomainError::Unavailable(fault)
        } else {
            DomainError::Internal(fault)
        };
    }
    let away = matches!(
        e,
        sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
            | sqlx::Error::BeginFailed
    );
    let fault = Fault::caused_by("database", e);
    if away {
        DomainError::Unavailable(fault)
    } else {
        DomainError::Internal(fault)
    }
}

/// Error codes that mean "the database cannot serve this now", not "this statement is wrong".
/// PostgreSQL SQLSTATE: 08 connection, 53 insufficient resources, 57 operator intervention
/// (57014 is our statement timeout), 40001/40P01 serialization failure and deadlock, 55P03
/// lock not available. SQLite (primary code of an extended one): 5 BUSY, 6 LOCKED, 10 IOERR,
/// 13 FULL, 14 CANTOPEN.
fn transient_code(code: &str) -> bool {
    // A SQLSTATE is always five characters (and may be all digits, e.g. 57014); SQLite's
    // extended codes have at most four digits.
    if code.len() < 5
        && let Ok(n) = code.parse::<i64>()
    {
        return matches!(n & 0xff, 5 | 6 | 10 | 13 | 14);
    }
    ["08", "53", "57"]
        .iter()
        .any(|class| code.starts_with(class))
        || ["40001", "40P01", "55P03"].contains(&code)
}

/// A borrowed connection of either backend, on which statements run.
pub enum ExecRef<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

impl ExecRef<'_> {
    pub async fn fetch_all(self, sql: Sql) -> Result<Vec<Row>> {
        match self {
            ExecRef::Sqlite(c) => Ok(bind_all!(sql, Sqlite)
                .fetch_all(c)
                .await
                .map_err(db_err)?
                .into_iter()
                .map(Row::Sqlite)
                .collect()),
            ExecRef::Postgres(c) => Ok(bind_all!(sql, Postgres)
                .fetch_all(c)
                .await
                .map_err(db_err)?
                .into_iter()
                .map(Row::Postgres)
                .collect()),
        }
    }

    pub async fn fetch_optional(self, sql: Sql) -> Result<Option<Row>> {
        match self {
            ExecRef::Sqlite(c) => Ok(bind_all!(sql, Sqlite)
                .fetch_optional(c)
                .await
                .map_err(db_err)?
                .map(Row::Sqlite)),
            ExecRef::Postgres(c) => Ok(bind_all!(sql, Postgres)
                .fetch_optional(c)
                .await
                .map_err(db_err)?
                .map(Row::Postgres)),
        }
    }

    /// Runs a statement, returning the number of rows it affected.
    pub async fn execute(self, sql: Sql) -> Result<u64> {
        match self {
            ExecRef::Sqlite(c) => Ok(bind_all!(sql, Sqlite)
                .execute(c)
                .await
                .map_err(db_err)?
                .rows_affected()),
            ExecRef::Postgres(c) => Ok(bind_all!(sql, Postgres)
                .execute(c)
                .await
                .map_err(db_err)?
                .rows_affected()),
        }
    }

    /// Runs several statements without arguments (migrations).
    pub async fn execute_script(self, script: String) -> Result<()> {
        match self {
            ExecRef::Sqlite(c) => sqlx::raw_sql(AssertSqlSafe(script))
                .execute(c)
                .await
                .map(drop)
                .map_err(db_err),
            ExecRef::Postgres(c) => sqlx::raw_sql(AssertSqlSafe(script))
                .execute(c)
                .await
                .map(drop)
                .map_err(db_err),
        }
    }
}

/// Anything statements can run on: a pooled connection or a transaction. Repository
/// functions take `&mut impl Exec` so one function serves both.
pub trait Exec: Send {
    fn exec(&mut self) -> ExecRef<'_>;
    fn backend(&self) -> Backend;

    /// The longest a statement may take here, measured by the client (a database behind a
    /// dropped network answers nothing, so the server's own timeout never fires).
    fn limit(&self) -> Option<Duration> {
        None
    }

    fn fetch_all(&mut self, sql: Sql) -> impl Future<Output = Result<Vec<Row>>> + Send {
        let limit = self.limit();
        bounded(limit, self.exec().fetch_all(sql))
    }

    fn fetch_optional(&mut self, sql: Sql) -> impl Future<Output = Result<Option<Row>>> + Send {
        let limit = self.limit();
        bounded(limit, self.exec().fetch_optional(sql))
    }

    fn fetch_one(&mut self, sql: Sql) -> impl Future<Output = Result<Row>> + Send {
        let fut = self.fetch_optional(sql);
        async move {
            fut.await?
                .ok_or_else(|| DomainError::internal("query returned no row"))
        }
    }

    fn execute(&mut self, sql: Sql) -> impl Future<Output = Result<u64>> + Send {
        let limit = self.limit();
        bounded(limit, self.exec().execute(sql))
    }
}

/// Runs `fut`, giving up after `limit` with an unavailability error.
async fn bounded<T>(limit: Option<Duration>, fut: impl Future<Output = Result<T>>) -> Result<T> {
    match limit {
        None => fut.await,
        Some(limit) => tokio::time::timeout(limit, fut).await.unwrap_or_else(|_| {
            Err(DomainError::unavailable(format!(
                "database did not answer within {} s",
                limit.as_secs_f64()
            )))
        }),
    }
}

/// How long a node waits for PostgreSQL. A server must answer its users (and its load
/// balancer's health check) in seconds when the database is away, not hang for the whole
/// outage; batch commands (imports, exports, reindexing) may run long statements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Connecting and waiting for a pooled connection.
    pub acquire: Duration,
    /// One statement (the server's `statement_timeout`, and on the client a second more).
    pub statement: Option<Duration>,
}

impl Limits {
    /// For the command line's batch work: a connection within 10 s, statements unbounded.
    pub const BATCH: Limits = Limits {
        acquire: Duration::from_secs(10),
        statement: None,
    };

    /// For a serving node: 2 s for a connection, 5 s for a statement.
    pub const SERVER: Limits = Limits {
        acquire: Duration::from_secs(2),
        statement: Some(Duration::from_secs(5)),
    };

    fn client_limit(&self) -> Option<Duration> {
        self.statement.map(|s| s + Duration::from_secs(1))
    }
}

#[derive(Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The database: a pool of SQLite or PostgreSQL connections.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    /// Client-side bound on each statement and transaction step (PostgreSQL only: SQLite is a
    /// local file that cannot go away).
    limit: Option<Duration>,
}

/// Current time at the precision both databases keep (microseconds), so a value written and
/// read back compares equal on either backend.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

impl Db {
    /// Opens (creating if missing) the SQLite database at `path`, in WAL mode with
    /// `synchronous=FULL`: an acknowledged write survives power loss, which the request
    /// receipt rule needs.
    pub async fn open_sqlite(path: &Path) -> Result<Db> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(|e| {
                DomainError::unavailable(format!("打开 SQLite 数据库 {path:?} 失败:{e}"))
            })?;
        Ok(Db {
            pool: Pool::Sqlite(pool),
            limit: None,
        })
    }

    pub async fn open_postgres(url: &str) -> Result<Db> {
        Db::open_postgres_with(url, Limits::BATCH).await
    }

    /// Opens PostgreSQL with bounded waits (see [`Limits`]).
    pub async fn open_postgres_with(url: &str, limits: Limits) -> Result<Db> {
        let mut options = PgConnectOptions::from_str(url)
            .map_err(|e| DomainError::unavailable(format!("PostgreSQL 连接串无效:{e}")))?;
        if let Some(s) = limits.statement {
            options = options.options([("statement_timeout", s.as_millis().to_string())]);
        }
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(limits.acquire)
            .connect_with(options);
        let pool = tokio::time::timeout(limits.acquire + Duration::from_secs(1), pool)
            .await
            .map_err(|_| {
                DomainError::unavailable(format!(
                    "连接 PostgreSQL 超时({} 秒内无应答)",
                    limits.acquire.as_secs_f64()
                ))
            })?
            .map_err(|e| DomainError::unavailable(format!("连接 PostgreSQL 失败:{e}")))?;
        Ok(Db {
            pool: Pool::Postgres(pool),
            limit: limits.client_limit(),
        })
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Brings PostgreSQL's statistics of `tables` up to date (a bulk load outruns autovacuum:
    /// planned with the statistics of a nearly empty table, a lookup by 200 keys scans the
    /// whole table). SQLite is left alone: its plans here are fixed without statistics, and
    /// some statements are written for exactly those plans.
    pub async fn analyze(&self, tables: &[&'static str]) -> Result<()> {
        if self.backend() == Backend::Postgres && !tables.is_empty() {
            self.conn()
                .await?
                .execute(Sql::dynamic(format!("ANALYZE {}", tables.join(", "))))
                .await?;
        }
        Ok(())
    }

    /// A pooled connection for reads outside a transaction.
    pub async fn conn(&self) -> Result<Conn> {
        let inner = match &self.pool {
            Pool::Sqlite(p) => ConnInner::Sqlite(p.acquire().await.map_err(db_err)?),
            Pool::Postgres(p) => ConnInner::Postgres(p.acquire().await.map_err(db_err)?),
        };
        Ok(Conn {
            inner,
            limit: self.limit,
        })
    }

    /// Begins a write transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`) so that two writers queue instead of failing on lock upgrade.
    pub async fn begin(&self) -> Result<Tx> {
        let inner = match &self.pool {
            Pool::Sqlite(p) => {
                TxInner::Sqlite(p.begin_with("BEGIN IMMEDIATE").await.map_err(db_err)?)
            }
            Pool::Postgres(p) => TxInner::Postgres(
                bounded(self.limit, async { p.begin().await.map_err(db_err) }).await?,
            ),
        };
        Ok(Tx {
            inner,
            now: now(),
            limit: self.limit,
        })
    }

    /// Runs `work` in a write transaction, committing when it succeeds. An error rolls
    /// everything back: bad input changes nothing.
    pub async fn write<T>(&self, work: impl AsyncFnOnce(&mut Tx) -> Result<T>) -> Result<T> {
        let mut tx = self.begin().await?;
        let value = work(&mut tx).await?;
        tx.commit().await?;
        Ok(value)
    }

    /// Runs `work` while holding the bootstrap lock, so that nodes starting together on an
    /// empty database create the root agency, the first administrator and the demo once:
    /// on PostgreSQL a session advisory lock on a connection of its own, released after; a
    /// SQLite file has one server.
    pub async fn with_bootstrap_lock<T>(&self, work: impl AsyncFnOnce() -> Result<T>) -> Result<T> {
        const KEY: i64 = 7_125_002;
        if self.backend() != Backend::Postgres {
            return work().await;
        }
        let mut lock = self.conn().await?;
        lock.execute(Sql::new("SELECT pg_advisory_lock($1)").bind(KEY))
            .await?;
        let result = work().await;
        lock.execute(Sql::new("SELECT pg_advisory_unlock($1)").bind(KEY))
            .await?;
        result
    }

    /// Is the database answering?
    pub async fn ping(&self) -> Result<()> {
        self.conn()
            .await?
            .fetch_one(Sql::new("SELECT 1 AS one"))
            .await
            .map(drop)
    }

    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}

/// A pooled connection for reads outside a transaction.
pub struct Conn {
    inner: ConnInner,
    limit: Option<Duration>,
}

enum ConnInner {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

impl Exec for Conn {
    fn exec(&mut self) -> ExecRef<'_> {
        match &mut self.inner {
            ConnInner::Sqlite(c) => ExecRef::Sqlite(c),
            ConnInner::Postgres(c) => ExecRef::Postgres(c),
        }
    }

    fn backend(&self) -> Backend {
        match self.inner {
            ConnInner::Sqlite(_) => Backend::Sqlite,
            ConnInner::Postgres(_) => Backend::Postgres,
        }
    }

    fn limit(&self) -> Option<Duration> {
        self.limit
    }
}

enum TxInner {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

/// A write transaction. Dropped without [`Tx::commit`], it rolls back: a failed validation
/// halfway through a use case leaves nothing behind.
pub struct Tx {
    inner: TxInner,
    now: DateTime<Utc>,
    limit: Option<Duration>,
}

impl Tx {
    /// The transaction's timestamp: every row written in it carries the same time.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Runs `work` inside a savepoint: on error only its own changes are undone and the
    /// transaction stays usable (PostgreSQL otherwise refuses every later statement). Lets a
    /// batch of independent rows commit together while each bad row is skipped.
    pub async fn isolated<T>(&mut self, work: impl AsyncFnOnce(&mut Tx) -> Result<T>) -> Result<T> {
        self.execute(Sql::new("SAVEPOINT gk_row")).await?;
        match work(self).await {
            Ok(v) => {
                self.execute(Sql::new("RELEASE SAVEPOINT gk_row")).await?;
                Ok(v)
            }
            Err(e) => {
                self.execute(Sql::new("ROLLBACK TO SAVEPOINT gk_row"))
                    .await?;
                self.execute(Sql::new("RELEASE SAVEPOINT gk_row")).await?;
                Err(e)
            }
        }
    }

    pub async fn commit(self) -> Result<()> {
        match self.inner {
            TxInner::Sqlite(t) => t.commit().await.map_err(db_err),
            TxInner::Postgres(t) => {
                bounded(self.limit, async { t.commit().await.map_err(db_err) }).await
            }
        }
    }

    /// Rolls back now (dropping does so too, but later, when the connection is reused).
    pub async fn rollback(self) -> Result<()> {
        match self.inner {
            TxInner::Sqlite(t) => t.rollback().await.map_err(db_err),
            TxInner::Postgres(t) => t.rollback().await.map_err(db_err),
        }
    }
}

impl Exec for Tx {
    fn exec(&mut self) -> ExecRef<'_> {
        match &mut self.inner {
            TxInner::Sqlite(t) => ExecRef::Sqlite(t),
            TxInner::Postgres(t) => ExecRef::Postgres(t),
        }
    }

    fn backend(&self) -> Backend {
        match self.inner {
            TxInner::Sqlite(_) => Backend::Sqlite,
            TxInner::Postgres(_) => Backend::Postgres,
        }
    }

    fn limit(&self) -> Option<Duration> {
        self.limit
    }
}

#[cfg(test)]
mod tests {
    use super::transient_code;

    #[test]
    fn transient_codes_of_both_backends() {
        // PostgreSQL: statement timeout, admin shutdown, too many connections, serialization.
        for c in [
            "57014", "57P01", "53300", "08006", "40001", "40P01", "55P03",
        ] {
            assert!(transient_code(c), "{c}");
        }
        // PostgreSQL: foreign key, check, not null, syntax, undefined column.
        for c in ["23503", "23514", "23502", "42601", "42703"] {
            assert!(!transient_code(c), "{c}");
        }
        // SQLite: BUSY, BUSY_SNAPSHOT (517), LOCKED, IOERR_WRITE (778), FULL.
        for c in ["5", "517", "6", "778", "13"] {
            assert!(transient_code(c), "{c}");
        }
        // SQLite: CONSTRAINT_FOREIGNKEY (787), CONSTRAINT_CHECK (275), ERROR (1).
        for c in ["787", "275", "1"] {
            assert!(!transient_code(c), "{c}");
        }
    }
}
