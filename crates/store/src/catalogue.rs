//! The proactive-disclosure catalogue: the rows of items per agency and of the documents filed
//! under them. The rules (agency scope, parents, what may be filed) are in
//! `gongkai_app::catalogue`.

use chrono::NaiveDate;
use gongkai_domain::catalogue::ItemDraft;
use gongkai_domain::user::Principal;
use serde::Serialize;

use crate::db::{Exec, Result, Row, Sql, Tx};
use crate::documents::{self, DocumentSummary};

#[derive(Clone, Debug, Serialize)]
pub struct Item {
    pub id: i64,
    pub agency_id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub elements: String,
    pub basis: String,
    pub time_limit_workdays: Option<i64>,
    pub channel: String,
    pub audience: String,
    pub method: String,
    pub refresh_days: Option<i64>,
    /// The 条例第二十条 item (1–15) this item fulfils.
    pub statutory_item: Option<i64>,
    /// Public documents filed under the item, and the newest one's publication date.
    pub filed: i64,
    pub latest: Option<NaiveDate>,
}

fn item(r: &Row) -> Result<Item> {
    Ok(from_row!(r => Item {
        id,
        agency_id,
        parent_id,
        name,
        elements,
        basis,
        time_limit_workdays,
        channel,
        audience,
        method,
        refresh_days,
        statutory_item,
        filed,
        latest,
    }))
}

const ITEMS: &str = "SELECT c.id, c.agency_id, c.parent_id, c.name, c.elements, c.basis, c.time_limit_workdays, \
    c.channel, c.audience, c.method, c.refresh_days, c.statutory_item, COUNT(d.id) AS filed, MAX(v.published_on) AS latest \
    FROM catalogue_items c \
    LEFT JOIN catalogue_filings f ON f.item_id = c.id \
    LEFT JOIN documents d ON d.id = f.document_id AND d.public_version_id IS NOT NULL AND d.withdrawn_at IS NULL \
    LEFT JOIN document_versions v ON v.id = d.public_version_id";

/// The agency of catalogue item `item_id`, if it exists.
pub async fn agency_of(e: &mut impl Exec, item_id: i64) -> Result<Option<i64>> {
    e.fetch_optional(Sql::new("SELECT agency_id FROM catalogue_items WHERE id = $1").bind(item_id))
        .await?
        .map(|r| r.get("agency_id"))
        .transpose()
}

/// The parent of item `item_id` (`None` at the top or when it does not exist).
pub async fn parent_of(e: &mut impl Exec, item_id: i64) -> Result<Option<i64>> {
    Ok(e.fetch_optional(
        Sql::new("SELECT parent_id FROM catalogue_items WHERE id = $1").bind(item_id),
    )
    .await?
    .map(|r| r.get::<Option<i64>>("parent_id"))
    .transpose()?
    .flatten())
}

/// Stores a new item of `agency_id` (its parent checked by the caller).
pub async fn insert_item(tx: &mut Tx, agency_id: i64, d: &ItemDraft) -> Result<i64> {
    let now = tx.now();
    tx.fetch_one(
        Sql::new(
            "INSERT INTO catalogue_items (parent_id, name, elements, basis, time_limit_workdays, channel, \
             audience, method, refresh_days, statutory_item, agency_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
        )
        .bind_item(d)
        .bind(agency_id)
        .bind(now),
    )
    .await?
    .get("id")
}

/// Replaces an item's editable fields.
pub async fn save_item(tx: &mut Tx, item_id: i64, d: &ItemDraft) -> Result<()> {
    let now = tx.now();
    tx.execute(
        Sql::new(
            "UPDATE catalogue_items SET parent_id = $1, name = $2, elements = $3, basis = $4, \
             time_limit_workdays = $5, channel = $6, audience = $7, method = $8, refresh_days = $9, \
             statutory_item = $10, updated_at = $11 WHERE id = $12",
        )
        .bind_item(d)
        .bind(now)
        .bind(item_id),
    )
    .await
    .map(drop)
}

/// Files document `document_id` under item `item_id` (once).
pub async fn insert_filing(tx: &mut Tx, item_id: i64, document_id: i64) -> Result<()> {
    tx.execute(
        Sql::new("INSERT INTO catalogue_filings (item_id, document_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(item_id)
            .bind(document_id),
    )
    .await
    .map(drop)
}

trait BindItem {
    fn bind_item(self, d: &ItemDraft) -> Self;
}

impl BindItem for Sql {
    /// The editable fields as $1..$10, in the order both statements use.
    fn bind_item(self, d: &ItemDraft) -> Sql {
        self.bind(d.parent)
            .bind(&d.name)
            .bind(&d.elements)
            .bind(&d.basis)
            .bind(d.time_limit_workdays.map(i64::from))
            .bind(&d.channel)
            .bind(&d.audience)
            .bind(&d.method)
            .bind(d.refresh_days.map(i64::from))
            .bind(d.statutory_item.map(i64::from))
    }
}

/// One item with its content counts, if it exists.
pub async fn item_by_id(e: &mut impl Exec, item_id: i64) -> Result<Option<Item>> {
    let row = e
        .fetch_optional(sql_once!("{ITEMS} WHERE c.id = $1 GROUP BY c.id").bind(item_id))
        .await?;
    row.as_ref().map(item).transpose()
}

/// An agency's items, in id order, with their public content counts.
pub async fn items(e: &mut impl Exec, agency_id: i64) -> Result<Vec<Item>> {
    let rows = e
        .fetch_all(
            sql_once!("{ITEMS} WHERE c.agency_id = $1 GROUP BY c.id ORDER BY c.id").bind(agency_id),
        )
        .await?;
    rows.iter().map(item).collect()
}

/// Items of every agency `who` may see (for the office's check of empty and stale items).
pub async fn all_items(e: &mut impl Exec, who: &Principal) -> Result<Vec<Item>> {
    let rows = e
        .fetch_all(
            sql_once!(
                "{ITEMS} WHERE ($1 OR c.agency_id = $2) GROUP BY c.id ORDER BY c.agency_id, c.id"
            )
            .bind(who.role.sees_all_agencies())
            .bind(who.agency_id),
        )
        .await?;
    rows.iter().map(item).collect()
}

/// A page of the public documents filed under an item, newest first, and their number.
pub async fn content(
    e: &mut impl Exec,
    item_id: i64,
    page: i64,
    per_page: i64,
) -> Result<(Vec<DocumentSummary>, i64)> {
    const PUBLIC: &str = "FROM catalogue_filings f JOIN documents d ON d.id = f.document_id \
        JOIN document_versions v ON v.id = d.public_version_id \
        JOIN agencies a ON a.id = d.agency_id \
        WHERE f.item_id = $1 AND d.withdrawn_at IS NULL";
    let per_page = per_page.clamp(1, documents::MAX_PAGE_SIZE);
    let total: i64 = e
        .fetch_one(sql_once!("SELECT COUNT(*) AS n {PUBLIC}").bind(item_id))
        .await?
        .get("n")?;
    let rows = e
        .fetch_all(
            sql_once!(
                "SELECT {} {PUBLIC} ORDER BY v.published_on DESC NULLS LAST, d.id DESC LIMIT $2 OFFSET $3",
                documents::SUMMARY
            )
            .bind(item_id)
            .bind(per_page)
            .bind((page.max(1) - 1) * per_page),
        )
        .await?;
    let docs = rows.iter().map(documents::summary).collect::<Result<_>>()?;
    Ok((docs, total))
}

/// Items in tree order with their depth.
pub fn tree_order(items: Vec<Item>) -> Vec<(usize, Item)> {
    fn walk(parent: Option<i64>, depth: usize, all: &[Item], out: &mut Vec<(usize, Item)>) {
        for i in all.iter().filter(|i| i.parent_id == parent) {
            out.push((depth, i.clone()));
            if depth < 16 {
                walk(Some(i.id), depth + 1, all, out);
            }
        }
    }
    let mut out = Vec::with_capacity(items.len());
    walk(None, 0, &items, &mut out);
    out
}

/// All item ids after `after`, in id order (for a search rebuild).
pub async fn ids_after(e: &mut impl Exec, after: i64, limit: i64) -> Result<Vec<i64>> {
    let rows = e
        .fetch_all(
            Sql::new("SELECT id FROM catalogue_items WHERE id > $1 ORDER BY id LIMIT $2")
                .bind(after)
                .bind(limit),
        )
        .await?;
    rows.iter().map(|r| r.get("id")).collect()
}
