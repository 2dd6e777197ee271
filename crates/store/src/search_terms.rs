//! Popular searches: each node counts what readers searched for and adds its tally here now
//! and then; the search page offers the most searched recent queries.

use chrono::{DateTime, Utc};

use crate::db::{Exec, Result, Sql};

/// Adds a node's tally.
pub async fn record(e: &mut impl Exec, tally: &[(String, i64)], now: DateTime<Utc>) -> Result<()> {
    for (term, n) in tally {
        e.execute(
            Sql::new(
                "INSERT INTO search_terms (term, count, last_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (term) DO UPDATE SET count = search_terms.count + $2, last_at = $3",
            )
            .bind(term.as_str())
            .bind(*n)
            .bind(now),
        )
        .await?;
    }
    Ok(())
}

/// The most searched queries last searched since `since`, searched at least `min` times.
pub async fn popular(
    e: &mut impl Exec,
    since: DateTime<Utc>,
    min: i64,
    limit: i64,
) -> Result<Vec<String>> {
    let rows = e
        .fetch_all(
            Sql::new(
                "SELECT term FROM search_terms WHERE last_at >= $1 AND count >= $2 \
                 ORDER BY count DESC, term LIMIT $3",
            )
            .bind(since)
            .bind(min)
            .bind(limit),
        )
        .await?;
    rows.iter().map(|r| r.get("term")).collect()
}
