//! Monthly trends for the disclosure office's dashboard: publications, requests received and
//! ended, messages received, counted by the database one month per column.

use chrono::NaiveDate;
use serde::Serialize;

use crate::db::{Exec, Result, Sql};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Month {
    pub start: NaiveDate,
    pub published: i64,
    pub requests_received: i64,
    pub requests_ended: i64,
    pub messages_received: i64,
}

/// Counts of `date` per month over `from` with an agency column, as one row of sums.
async fn per_month(
    e: &mut impl Exec,
    from: &str,
    date: &str,
    agency_col: &str,
    agency: Option<i64>,
    months: &[(NaiveDate, NaiveDate)],
) -> Result<Vec<i64>> {
    let n = months.len();
    let sums: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "SUM(CASE WHEN {date} >= ${} AND {date} < ${} THEN 1 ELSE 0 END) AS m{i}",
                2 * i + 1,
                2 * i + 2
            )
        })
        .collect();
    let sql = format!(
        "SELECT {} FROM {from} WHERE (${a} = 0 OR {agency_col} = ${a}) AND {date} >= $1",
        sums.join(", "),
        a = 2 * n + 1
    );
    let mut q = Sql::dynamic(sql);
    for (start, end) in months {
        q = q.bind(*start).bind(*end);
    }
    q = q.bind(agency.unwrap_or(0));
    let row = e.fetch_optional(q).await?;
    (0..n)
        .map(|i| {
            Ok(match &row {
                Some(r) => r.get::<Option<i64>>(&format!("m{i}"))?.unwrap_or(0),
                None => 0,
            })
        })
        .collect()
}

/// One line per month, for every agency or one.
pub async fn trends(
    e: &mut impl Exec,
    agency: Option<i64>,
    months: &[(NaiveDate, NaiveDate)],
) -> Result<Vec<Month>> {
    if months.is_empty() {
        return Ok(Vec::new());
    }
    let published = per_month(
        e,
        "documents d JOIN document_versions v ON v.id = d.public_version_id",
        "v.published_on",
        "d.agency_id",
        agency,
        months,
    )
    .await?;
    let received = per_month(
        e,
        "requests r",
        "r.received_on",
        "r.agency_id",
        agency,
        months,
    )
    .await?;
    let ended = per_month(
        e,
        "requests r",
        &crate::reports::closed(),
        "r.agency_id",
        agency,
        months,
    )
    .await?;
    let messages = per_month(
        e,
        "messages m",
        "m.received_on",
        "m.agency_id",
        agency,
        months,
    )
    .await?;
    Ok(months
        .iter()
        .enumerate()
        .map(|(i, (start, _))| Month {
            start: *start,
            published: published[i],
            requests_received: received[i],
            requests_ended: ended[i],
            messages_received: messages[i],
        })
        .collect())
}
