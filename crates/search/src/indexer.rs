//! Each node's indexer: it tails the outbox, re-reads the rows each entry names, and commits
//! the index with its cursor. With PostgreSQL an outbox id can commit after a higher one, so
//! the cursor never passes a gap until the gap is old; ids skipped that way are watched for a
//! while longer, and a restart re-reads a window below the cursor. A missing or outdated index
//! is rebuilt in the background while the old one keeps serving.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use gongkai_domain::DomainError;
use gongkai_store::audit::{self, OutboxEntry};
use gongkai_store::{Db, Exec, Sql, search_synonyms};

use crate::index::{Results, Search, SearchIndex, Writer};
use crate::sources::{self, Change};
use crate::synonyms::Synonyms;

type R<T> = Result<T, DomainError>;

/// How many outbox entries one pass reads.
const BATCH: i64 = 500;
/// Re-read this many ids below the stored cursor on start: a gap the previous run skipped
/// may have committed since.
const REWIND: i64 = 1000;
/// How long skipped ids are still watched for.
const LATE_WATCH: Duration = Duration::from_secs(3600);

#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Status {
    /// Outbox entries up to here are in the index.
    pub cursor: i64,
    /// The newest outbox entry seen in the database.
    pub head: i64,
    pub documents: u64,
    /// Documents indexed so far by a rebuild in progress.
    pub rebuilding: Option<u64>,
    pub last_error: Option<String>,
}

impl Status {
    pub fn lag(&self) -> i64 {
        (self.head - self.cursor).max(0)
    }
}

/// The node's search: the index being served and the indexer's state.
pub struct Node {
    db: Db,
    /// `None`: an index in memory (tests).
    dir: Option<PathBuf>,
    current: RwLock<Arc<SearchIndex>>,
    status: Mutex<Status>,
    tail: Mutex<Tail>,
    /// How old a gap must be before the cursor passes it.
    gap_grace: chrono::Duration,
    /// One pass (or swap) at a time: an index has one writer.
    pass: tokio::sync::Mutex<()>,
    /// Queries searched on this node since the last flush (popular searches).
    tally: Mutex<std::collections::HashMap<String, i64>>,
    /// The popular searches last read, and when.
    popular: Mutex<Option<(Instant, Vec<String>)>>,
    /// The shipped synonyms with the office's entries, as last read; `None` until the first
    /// pass reads them, and again after an outbox entry announces a change.
    synonyms: RwLock<Option<Arc<Synonyms>>>,
}

#[derive(Default)]
struct Tail {
    cursor: i64,
    /// Ids above the cursor already applied, with when the entry was written.
    applied: BTreeMap<i64, DateTime<Utc>>,
    /// Ids the cursor passed without seeing them, and since when.
    late: BTreeMap<i64, Instant>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock leaves plain data; keep serving it.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Node {
    /// Opens the index in `dir` (or in memory) and prepares to tail from its checkpoint.
    pub fn open(db: Db, dir: Option<PathBuf>) -> R<Arc<Node>> {
        Node::open_with_gap_grace(db, dir, chrono::Duration::seconds(60))
    }

    /// [`Node::open`] with another grace period for gaps (tests of the gap rule use zero).
    pub fn open_with_gap_grace(
        db: Db,
        dir: Option<PathBuf>,
        gap_grace: chrono::Duration,
    ) -> R<Arc<Node>> {
        let index = match &dir {
            Some(d) => SearchIndex::open(d)?,
            None => SearchIndex::in_memory()?,
        };
        let cursor = index.checkpoint()?.map_or(0, |c| c.cursor);
        let documents = index.num_docs();
        Ok(Arc::new(Node {
            db,
            dir,
            current: RwLock::new(Arc::new(index)),
            status: Mutex::new(Status {
                cursor,
                documents,
                ..Status::default()
            }),
            tail: Mutex::new(Tail {
                cursor: (cursor - REWIND).max(0),
                ..Tail::default()
            }),
            gap_grace,
            pass: tokio::sync::Mutex::new(()),
            tally: Mutex::default(),
            popular: Mutex::default(),
            synonyms: RwLock::new(None),
        }))
    }

    /// The index to search now.
    pub fn index(&self) -> Arc<SearchIndex> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The synonyms searches are expanded with: the shipped list, with the office's entries
    /// once a pass has read them.
    pub fn synonyms(&self) -> Arc<Synonyms> {
        self.synonyms
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .unwrap_or_else(|| Arc::new(Synonyms::shipped()))
    }

    /// Reads the office's entries again.
    async fn reload_synonyms(&self, c: &mut impl Exec) -> R<()> {
        let rows = search_synonyms::all(c).await?;
        let s = Synonyms::shipped().with(
            rows.iter()
                .map(|r| (r.synonym.term.as_str(), r.synonym.official.as_slice())),
        );
        *self.synonyms.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(s));
        Ok(())
    }

    /// Searches the index served now, the query expanded with the synonyms.
    pub fn search(&self, s: &Search) -> R<Results> {
        let mut s = s.clone();
        self.synonyms().expand(&mut s.parsed);
        self.index().search(&s)
    }

    pub fn status(&self) -> Status {
        lock(&self.status).clone()
    }

    pub fn needs_rebuild(&self) -> R<bool> {
        let index = self.index();
        Ok(!index.is_current()?)
    }

    async fn head(&self) -> R<i64> {
        let r = self
            .db
            .conn()
            .await?
            .fetch_one(Sql::new("SELECT COALESCE(MAX(id), 0) AS head FROM outbox"))
            .await?;
        r.get("head")
    }

    fn apply(writer: &mut Writer, changes: Vec<Change>) -> R<()> {
        for c in changes {
            match c {
                Change::Upsert(e) => writer.upsert(&e)?,
                Change::Delete(kind, id) => writer.delete(kind, id),
            }
        }
        Ok(())
    }

    /// One pass over the outbox; returns how many entries it applied. Safe to call from
    /// several tasks: passes run one at a time.
    pub async fn catch_up(&self) -> R<usize> {
        let _pass = self.pass.lock().await;
        let index = self.index();
        let (cursor, late): (i64, Vec<i64>) = {
            let t = lock(&self.tail);
            (t.cursor, t.late.keys().copied().collect())
        };
        let mut c = self.db.conn().await?;
        let mut entries = audit::outbox_after(&mut c, cursor, BATCH).await?;
        if !late.is_empty() {
            entries.extend(late_entries(&mut c, &late).await?);
        }
        let now = gongkai_store::db::now();
        let fresh: Vec<OutboxEntry> = {
            let t = lock(&self.tail);
            entries
                .into_iter()
                .filter(|e| {
                    !t.applied.contains_key(&e.id)
                        && (e.id > t.cursor || t.late.contains_key(&e.id))
                })
                .collect()
        };
        let unread = self
            .synonyms
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .is_none();
        if unread
            || fresh
                .iter()
                .any(|e| e.entity_type == search_synonyms::ENTITY)
        {
            self.reload_synonyms(&mut c).await?;
        }
        let mut writer = None;
        let mut applied = 0;
        for e in &fresh {
            let changes = sources::changes_for(&mut c, &e.entity_type, &e.entity_id).await?;
            if !changes.is_empty() {
                if writer.is_none() {
                    writer = Some(index.writer()?);
                }
                if let Some(w) = writer.as_mut() {
                    Node::apply(w, changes)?;
                }
            }
            applied += 1;
        }
        drop(c);
        // Advance the cursor over what is now contiguous; pass a gap only when the entry
        // after it is older than the grace period (its transaction rolled back, or is
        // watched for as late).
        let new_cursor = {
            let mut t = lock(&self.tail);
            for e in &fresh {
                t.late.remove(&e.id);
                if e.id > t.cursor {
                    t.applied.insert(e.id, e.at);
                }
            }
            loop {
                let next = t.cursor + 1;
                if t.applied.remove(&next).is_some() {
                    t.cursor = next;
                    continue;
                }
                match t.applied.iter().next() {
                    Some((_, at)) if *at < now - self.gap_grace => {
                        t.late.insert(next, Instant::now());
                        t.cursor = next;
                    }
                    _ => break,
                }
            }
            t.late.retain(|_, since| since.elapsed() < LATE_WATCH);
            t.cursor
        };
        let moved = new_cursor != lock(&self.status).cursor;
        if writer.is_some() || moved {
            let mut w = match writer {
                Some(w) => w,
                None => index.writer()?,
            };
            w.commit(new_cursor)?;
            index.refresh()?;
        }
        let head = self.head().await?;
        let mut s = lock(&self.status);
        s.cursor = new_cursor;
        s.head = head.max(new_cursor);
        s.documents = index.num_docs();
        s.last_error = None;
        Ok(applied)
    }

    /// Builds a fresh index of everything public, then serves it. Changes made meanwhile are
    /// caught up by tailing from where the rebuild started.
    pub async fn rebuild(&self, progress: impl Fn(u64)) -> R<u64> {
        let start = self.head().await?;
        let (fresh, staging) = match &self.dir {
            Some(d) => {
                let staging = d.with_extension("rebuild");
                if staging.exists() {
                    std::fs::remove_dir_all(&staging)
                        .map_err(|e| DomainError::unavailable(format!("检索索引:{e}")))?;
                }
                (SearchIndex::open(&staging)?, Some(staging))
            }
            None => (SearchIndex::in_memory()?, None),
        };
        let mut writer = fresh.bulk_writer()?;
        let mut count = 0u64;
        let mut c = self.db.conn().await?;
        sources::all_public(&mut c, 500, |batch| {
            for e in &batch {
                writer.upsert(e)?;
            }
            count += batch.len() as u64;
            lock(&self.status).rebuilding = Some(count);
            progress(count);
            Ok(())
        })
        .await?;
        drop(c);
        writer.commit(start)?;
        drop(writer);
        let _pass = self.pass.lock().await;
        let fresh = match (&self.dir, staging) {
            (Some(d), Some(staging)) => {
                drop(fresh);
                let old = d.with_extension("old");
                let io = |e: std::io::Error| DomainError::unavailable(format!("检索索引:{e}"));
                if old.exists() {
                    std::fs::remove_dir_all(&old).map_err(io)?;
                }
                if d.exists() {
                    std::fs::rename(d, &old).map_err(io)?;
                }
                std::fs::rename(&staging, d).map_err(io)?;
                let opened = SearchIndex::open(d)?;
                // The old files stay readable through their open handles until released.
                let _ = std::fs::remove_dir_all(&old);
                opened
            }
            _ => fresh,
        };
        fresh.refresh()?;
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(fresh);
        {
            let mut t = lock(&self.tail);
            *t = Tail {
                cursor: (start - REWIND).max(0),
                ..Tail::default()
            };
        }
        let mut s = lock(&self.status);
        s.rebuilding = None;
        s.cursor = start;
        s.documents = count;
        Ok(count)
    }

    /// Rebuilds if needed, then tails the outbox until `shutdown` resolves.
    pub async fn run(self: Arc<Self>, poll: Duration, shutdown: impl Future<Output = ()>) {
        let mut shutdown = std::pin::pin!(shutdown);
        match self.needs_rebuild() {
            Ok(true) => {
                tracing::info!("search index missing or outdated: rebuilding");
                match self.rebuild(|_| {}).await {
                    Ok(n) => tracing::info!(documents = n, "search index rebuilt"),
                    Err(e) => self.failed(&e),
                }
            }
            Ok(false) => {}
            Err(e) => self.failed(&e),
        }
        let mut flushed = Instant::now();
        loop {
            match self.catch_up().await {
                Ok(n) if n as i64 >= BATCH => continue,
                Ok(_) => {}
                Err(e) => self.failed(&e),
            }
            if flushed.elapsed() > Duration::from_secs(60) {
                if let Err(e) = self.flush_queries().await {
                    tracing::warn!("popular searches not saved: {e}");
                }
                flushed = Instant::now();
            }
            tokio::select! {
                _ = &mut shutdown => return,
                _ = tokio::time::sleep(poll) => {}
            }
        }
    }

    /// Counts a query that found something, if it may be suggested to others.
    pub fn note_query(&self, text: &str) {
        if !crate::query::is_suggestible(text) {
            return;
        }
        let mut t = lock(&self.tally);
        // Bounded: a flood of distinct queries cannot grow it without end.
        if t.len() < 10_000 || t.contains_key(text) {
            *t.entry(text.to_string()).or_default() += 1;
        }
    }

    /// Adds this node's tally to the database.
    pub async fn flush_queries(&self) -> R<()> {
        let tally: Vec<(String, i64)> = std::mem::take(&mut *lock(&self.tally))
            .into_iter()
            .collect();
        if tally.is_empty() {
            return Ok(());
        }
        let mut c = self.db.conn().await?;
        gongkai_store::search_terms::record(&mut c, &tally, gongkai_store::db::now()).await?;
        // This node's own searches show at once; other nodes' within five minutes.
        *lock(&self.popular) = None;
        Ok(())
    }

    /// The most searched queries of the last 30 days (searched at least 3 times), read at
    /// most every five minutes.
    pub async fn popular(&self) -> R<Vec<String>> {
        if let Some((at, terms)) = &*lock(&self.popular)
            && at.elapsed() < Duration::from_secs(300)
        {
            return Ok(terms.clone());
        }
        let since = gongkai_store::db::now() - chrono::Duration::days(30);
        // Checked again on the way out: terms counted before the recogniser knew a spelling
        // must not be shown either.
        let terms: Vec<String> =
            gongkai_store::search_terms::popular(&mut self.db.conn().await?, since, 3, 10)
                .await?
                .into_iter()
                .filter(|t| crate::query::is_suggestible(t))
                .collect();
        *lock(&self.popular) = Some((Instant::now(), terms.clone()));
        Ok(terms)
    }

    fn failed(&self, e: &DomainError) {
        tracing::warn!("search indexer: {e}");
        lock(&self.status).last_error = Some(e.to_string());
    }
}

async fn late_entries(c: &mut impl Exec, ids: &[i64]) -> R<Vec<OutboxEntry>> {
    let mut out = Vec::new();
    let ids: BTreeSet<i64> = ids.iter().copied().collect();
    for id in ids {
        // At most a handful: a gap is rare.
        if let Some(e) = audit::outbox_after(c, id - 1, 1).await?.into_iter().next()
            && e.id == id
        {
            out.push(e);
        }
    }
    Ok(out)
}
