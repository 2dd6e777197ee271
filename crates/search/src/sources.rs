//! What the index holds, read from the database: only what the public may see now. A change
//! announced in the outbox is re-read here, so the index follows the current rows whatever
//! happened in between, and applying a change twice is harmless.

use gongkai_domain::DomainError;
use gongkai_store::{Exec, agencies, answers, catalogue, documents, gazette, interpretations};

use crate::index::{Entry, Kind};

type R<T> = Result<T, DomainError>;

/// What the index must do for one record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Upsert(Box<Entry>),
    Delete(Kind, i64),
}

async fn document(e: &mut impl Exec, id: i64) -> R<Change> {
    let Some(d) = documents::public_get(e, id).await? else {
        return Ok(Change::Delete(Kind::Document, id));
    };
    if d.withdrawn_at.is_some() {
        return Ok(Change::Delete(Kind::Document, id));
    }
    let s = d.summary;
    let mut body = d.version.body;
    if !d.version.keywords.is_empty() {
        body.push('\n');
        body.push_str(&d.version.keywords.join(" "));
    }
    Ok(Change::Upsert(Box::new(Entry {
        kind: Kind::Document,
        id,
        url: format!("/documents/{id}"),
        title: s.title,
        body,
        doc_number: s.doc_number,
        agency_code: s.agency_code,
        agency_name: s.agency_name,
        topic: s.topic,
        doc_kind: Some(s.kind.as_str().to_string()),
        validity: Some(s.validity.as_str().to_string()),
        date: s.published_on,
    })))
}

async fn interpretation(e: &mut impl Exec, id: i64) -> R<Change> {
    let Some((i, policies)) = interpretations::public_get(e, id).await? else {
        return Ok(Change::Delete(Kind::Interpretation, id));
    };
    let agency = agencies::by_id(e, i.agency_id).await?;
    let mut body = i.body;
    for (_, title) in &policies {
        body.push('\n');
        body.push_str(title);
    }
    Ok(Change::Upsert(Box::new(Entry {
        kind: Kind::Interpretation,
        id,
        url: format!("/interpretations/{id}"),
        title: i.title,
        body,
        doc_number: None,
        agency_code: agency.as_ref().map(|a| a.code.clone()).unwrap_or_default(),
        agency_name: agency.map(|a| a.name).unwrap_or_default(),
        topic: None,
        doc_kind: None,
        validity: None,
        date: Some(i.created_at.date_naive()),
    })))
}

async fn gazette_issue(e: &mut impl Exec, id: i64) -> R<Change> {
    let Some((issue, docs)) = gazette::get(e, id).await? else {
        return Ok(Change::Delete(Kind::Gazette, id));
    };
    let body = docs
        .iter()
        .map(|d| match &d.doc_number {
            Some(n) => format!("{}({n})", d.title),
            None => d.title.clone(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    Ok(Change::Upsert(Box::new(Entry {
        kind: Kind::Gazette,
        id,
        url: format!("/gazette/{id}"),
        title: format!("政府公报 {}", issue.label()),
        body,
        doc_number: None,
        agency_code: String::new(),
        agency_name: String::new(),
        topic: None,
        doc_kind: None,
        validity: None,
        date: Some(issue.issued_on),
    })))
}

/// A 主动公开目录 item: public as part of its agency's catalogue.
async fn catalogue_item(e: &mut impl Exec, id: i64) -> R<Change> {
    let Some(item) = catalogue::item_by_id(e, id).await? else {
        return Ok(Change::Delete(Kind::Catalogue, id));
    };
    let Some(agency) = agencies::by_id(e, item.agency_id).await? else {
        return Ok(Change::Delete(Kind::Catalogue, id));
    };
    let body = [
        item.elements.as_str(),
        item.basis.as_str(),
        item.channel.as_str(),
        item.audience.as_str(),
        item.method.as_str(),
    ]
    .iter()
    .filter(|s| !s.trim().is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join("\n");
    Ok(Change::Upsert(Box::new(Entry {
        kind: Kind::Catalogue,
        id,
        url: format!("/agencies/{}/catalogue/{id}", agency.code),
        title: item.name,
        body,
        doc_number: None,
        agency_code: agency.code,
        agency_name: agency.name,
        topic: None,
        doc_kind: None,
        validity: None,
        date: item.latest,
    })))
}

async fn answer(e: &mut impl Exec, id: i64) -> R<Change> {
    let Some(a) = answers::public_get(e, id).await? else {
        return Ok(Change::Delete(Kind::Answer, id));
    };
    let mut body = a.answer;
    for (_, _, title) in &a.documents {
        body.push('\n');
        body.push_str(title);
    }
    Ok(Change::Upsert(Box::new(Entry {
        kind: Kind::Answer,
        id,
        url: format!("/answers/{id}"),
        title: a.question,
        body,
        doc_number: None,
        agency_code: a.agency_code,
        agency_name: a.agency_name,
        topic: None,
        doc_kind: None,
        validity: None,
        date: Some(a.updated_at.date_naive()),
    })))
}

/// The changes an outbox entry about `entity_type` `entity_id` calls for; unknown types (an
/// agency, the calendar) need none.
pub async fn changes_for(e: &mut impl Exec, entity_type: &str, entity_id: &str) -> R<Vec<Change>> {
    let Ok(id) = entity_id.parse::<i64>() else {
        return Ok(Vec::new());
    };
    Ok(match entity_type {
        "document" => {
            let mut out = vec![document(e, id).await?];
            // An interpretation is public while a policy it explains is.
            for i in interpretations::ids_for_document(e, id).await? {
                out.push(interpretation(e, i).await?);
            }
            out
        }
        "interpretation" => vec![interpretation(e, id).await?],
        "gazette_issue" => vec![gazette_issue(e, id).await?],
        "answer" => vec![answer(e, id).await?],
        "catalogue_item" => vec![catalogue_item(e, id).await?],
        _ => Vec::new(),
    })
}

/// Every public record, in batches of about `batch`, for a rebuild; `each` gets each batch.
pub async fn all_public<E: Exec>(
    e: &mut E,
    batch: i64,
    mut each: impl FnMut(Vec<Entry>) -> R<()>,
) -> R<()> {
    let upserts = |changes: Vec<Change>| -> Vec<Entry> {
        changes
            .into_iter()
            .filter_map(|c| match c {
                Change::Upsert(entry) => Some(*entry),
                Change::Delete(..) => None,
            })
            .collect()
    };
    let mut after = 0;
    loop {
        let ids = documents::public_ids_after(e, after, batch).await?;
        let Some(&last) = ids.last() else { break };
        let mut changes = Vec::with_capacity(ids.len());
        for id in ids {
            changes.push(document(e, id).await?);
        }
        each(upserts(changes))?;
        after = last;
    }
    let mut after = 0;
    loop {
        let ids = interpretations::ids_after(e, after, batch).await?;
        let Some(&last) = ids.last() else { break };
        let mut changes = Vec::with_capacity(ids.len());
        for id in ids {
            changes.push(interpretation(e, id).await?);
        }
        each(upserts(changes))?;
        after = last;
    }
    let mut after = 0;
    loop {
        let ids = answers::ids_after(e, after, batch).await?;
        let Some(&last) = ids.last() else { break };
        let mut changes = Vec::with_capacity(ids.len());
        for id in ids {
            changes.push(answer(e, id).await?);
        }
        each(upserts(changes))?;
        after = last;
    }
    let mut after = 0;
    loop {
        let ids = catalogue::ids_after(e, after, batch).await?;
        let Some(&last) = ids.last() else { break };
        let mut changes = Vec::with_capacity(ids.len());
        for id in ids {
            changes.push(catalogue_item(e, id).await?);
        }
        each(upserts(changes))?;
        after = last;
    }
    let mut changes = Vec::new();
    for issue in gazette::all(e, 100_000).await? {
        changes.push(gazette_issue(e, issue.id).await?);
    }
    each(upserts(changes))
}
