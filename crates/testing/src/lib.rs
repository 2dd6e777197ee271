//! Test support: a fresh, migrated database per test on either backend, so that every store
//! and web test runs against SQLite and PostgreSQL alike.
//!
//! PostgreSQL tests connect to `GONGKAI_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`), create a database of their own and drop
//! it when the `TestDb` is dropped, also after a failed assertion.

pub mod fixtures;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use gongkai_store::db::{Backend, Db, Exec, Sql};
use gongkai_store::migrate;

pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

pub fn postgres_admin_url() -> String {
    std::env::var("GONGKAI_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.into())
}

enum Cleanup {
    Dir(PathBuf),
    Postgres { admin_url: String, name: String },
}

pub struct TestDb {
    pub db: Db,
    /// For SQLite, the data directory holding the database file.
    pub dir: Option<PathBuf>,
    /// For PostgreSQL, the URL of this test's database.
    pub url: Option<String>,
    cleanup: Cleanup,
}

fn unique_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let salt = gongkai_store::secret::random_token(6)
        .unwrap_or_default()
        .to_ascii_lowercase()
        .replace(['-', '_'], "x");
    format!("gk_test_{}_{n}_{salt}", std::process::id())
}

impl TestDb {
    /// A fresh migrated database of the given backend. Panics when it cannot be had: a test
    /// that silently skipped PostgreSQL would prove nothing about it.
    pub async fn new(backend: Backend) -> TestDb {
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(unique_name());
                std::fs::create_dir_all(&dir).expect("create temp dir");
                let db = Db::open_sqlite(&dir.join("gongkai.db"))
                    .await
                    .expect("open sqlite");
                migrate::run(&db).await.expect("migrate sqlite");
                TestDb {
                    db,
                    dir: Some(dir.clone()),
                    url: None,
                    cleanup: Cleanup::Dir(dir),
                }
            }
            Backend::Postgres => {
                let admin_url = postgres_admin_url();
                let name = unique_name();
                let admin = Db::open_postgres(&admin_url).await.unwrap_or_else(|e| {
                    panic!("PostgreSQL at {admin_url} is needed for this test: {e:?}")
                });
                admin
                    .conn()
                    .await
                    .expect("admin connection")
                    .execute(Sql::dynamic(format!("CREATE DATABASE {name}")))
                    .await
                    .expect("create test database");
                admin.close().await;
                let url = database_url(&admin_url, &name);
                let db = Db::open_postgres(&url).await.expect("open test database");
                migrate::run(&db).await.expect("migrate postgres");
                TestDb {
                    db,
                    dir: None,
                    url: Some(url),
                    cleanup: Cleanup::Postgres { admin_url, name },
                }
            }
        }
    }
}

impl TestDb {
    /// Rows in `table`.
    pub async fn count(&self, table: &str) -> i64 {
        self.db
            .conn()
            .await
            .expect("connection")
            .fetch_one(Sql::dynamic(format!("SELECT COUNT(*) AS n FROM {table}")))
            .await
            .expect("count")
            .get("n")
            .expect("count column")
    }

    /// Row counts of the given tables: compare before and after to prove nothing was written.
    /// Rows added to each of `tables` since `before` (a [`TestDb::snapshot`] of them).
    pub async fn added_since(&self, tables: &[&str], before: &[i64]) -> Vec<i64> {
        let now = self.snapshot(tables).await;
        now.iter().zip(before).map(|(a, b)| a - b).collect()
    }

    pub async fn snapshot(&self, tables: &[&str]) -> Vec<i64> {
        let mut counts = Vec::with_capacity(tables.len());
        for t in tables {
            counts.push(self.count(t).await);
        }
        counts
    }
}

/// The admin URL with its database name replaced.
pub fn database_url(admin_url: &str, name: &str) -> String {
    let (base, query) = match admin_url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (admin_url, None),
    };
    let prefix = match base.rsplit_once('/') {
        Some((p, _)) if p.contains("://") && p.len() > p.find("://").unwrap_or(0) + 3 => p,
        _ => base,
    };
    match query {
        Some(q) => format!("{prefix}/{name}?{q}"),
        None => format!("{prefix}/{name}"),
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime, which cannot be blocked on; a helper
                // thread with its own small runtime drops the database.
                let handle = std::thread::spawn(move || {
                    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    else {
                        return;
                    };
                    rt.block_on(async move {
                        if let Ok(admin) = Db::open_postgres(&admin_url).await {
                            if let Ok(mut c) = admin.conn().await {
                                let _ = c
                                    .execute(Sql::dynamic(format!(
                                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                                    )))
                                    .await;
                            }
                            admin.close().await;
                        }
                    });
                });
                let _ = handle.join();
            }
        }
    }
}

/// A stand-in for a database behind a dropped network: forwards to PostgreSQL until told to
/// go silent, then swallows everything and answers nothing.
pub async fn silent_proxy(
    target: std::net::SocketAddr,
    silent: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> std::net::SocketAddr {
    use std::sync::atomic::Ordering;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let silent = silent.clone();
            tokio::spawn(async move {
                let Ok(server) = tokio::net::TcpStream::connect(target).await else {
                    return;
                };
                let (mut cr, mut cw) = client.into_split();
                let (mut sr, mut sw) = server.into_split();
                let up_silent = silent.clone();
                let up = tokio::spawn(async move {
                    let mut buf = [0u8; 8192];
                    while let Ok(n) = cr.read(&mut buf).await {
                        if n == 0 {
                            break;
                        }
                        if !up_silent.load(Ordering::SeqCst) {
                            let _ = sw.write_all(&buf[..n]).await;
                        }
                    }
                });
                let mut buf = [0u8; 8192];
                while let Ok(n) = sr.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                    if !silent.load(Ordering::SeqCst) {
                        let _ = cw.write_all(&buf[..n]).await;
                    }
                }
                up.abort();
            });
        }
    });
    addr
}

/// `url` (a PostgreSQL URL) rewritten to reach its server through a [`silent_proxy`].
pub async fn through_silent_proxy(
    url: &str,
    silent: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or(rest);
    let (user, host_port) = match authority.rsplit_once('@') {
        Some((u, h)) => (format!("{u}@"), h),
        None => (String::new(), authority),
    };
    let host_port = if host_port.contains(':') {
        host_port.to_string()
    } else {
        format!("{host_port}:5432")
    };
    let target = tokio::net::lookup_host(host_port.as_str())
        .await
        .ok()
        .and_then(|mut a| a.next())
        .expect("the test database's address resolves");
    let proxy = silent_proxy(target, silent).await;
    url.replacen(authority, &format!("{user}{proxy}"), 1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_url_replaces_the_name() {
        assert_eq!(
            super::database_url("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            super::database_url("postgres://u:p@h/db?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
    }
}
