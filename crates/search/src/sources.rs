//! What the index holds, read from the database: only what the public may see now. A change
//! announced in the outbox is re-read here, so the index follows the current rows whatever
//! happened in between, and applying a change twice is harmless.

use gongkai_domain::DomainError;
use gongkai_store::{
    Exec, agencies, answers, catalogue, consultations, documents, gazette, interpretations, lists,
    messages,
};

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

/// A consultation while it is published: its draft with explanation and basis, and the
/// feedback report once there is one.
async fn consultation(e: &mut impl Exec, id: i64) -> R<Change> {
    let Some(c) = consultations::public_get(e, id).await? else {
        return Ok(Change::Delete(Kind::Consultation, id));
    };
    let mut body = [c.explanation.as_str(), c.basis.as_str(), c.draft.as_str()].join("\n");
    if let Some(r) = &c.report {
        body.push('\n');
        body.push_str(&r.paragraphs().join("\n"));
    }
    Ok(Change::Upsert(Box::new(Entry {
        kind: Kind::Consultation,
        id,
        url: format!("/consultations/{id}"),
        title: c.title,
        body,
        doc_number: None,
        agency_code: c.agency_code,
        agency_name: c.agency_name,
        topic: None,
        doc_kind: None,
        validity: None,
        date: Some(c.opens_on),
    })))
}

/// A list record while it is the current public version. Its text is the masked public view
/// (a natural person's name never reaches the index).
async fn list_record(e: &mut impl Exec, id: i64) -> R<Change> {
    let today = gongkai_store::db::now().date_naive();
    let Some(r) = lists::public_get(e, id, today).await? else {
        return Ok(Change::Delete(Kind::List, id));
    };
    if r.status != gongkai_domain::lists::RecordStatus::Published || r.ceased {
        return Ok(Change::Delete(Kind::List, id));
    }
    let body = r
        .public_fields()
        .iter()
        .map(|s| format!("{}:{}", s.label, s.value))
        .collect::<Vec<_>>()
        .join("\n");
    Ok(Change::Upsert(Box::new(Entry {
        kind: Kind::List,
        id,
        url: format!("/lists/{}/{id}", r.kind.as_str()),
        title: format!("{}:{}", r.kind.label(), r.title),
        body,
        doc_number: None,
        agency_code: r.agency_code,
        agency_name: r.agency_name,
        topic: None,
        doc_kind: None,
        validity: None,
        date: r.record_on.or(r.published_at.map(|t| t.date_naive())),
    })))
}

/// A published message (选登): only its edited public copy — the title, text and reply the
/// office chose to show — never the asker's name, contact or original wording.
async fn message(e: &mut impl Exec, id: i64) -> R<Change> {
    let Some(m) = messages::public_get(e, id).await? else {
        return Ok(Change::Delete(Kind::Message, id));
    };
    let (Some(title), Some(published_at)) = (m.public_title, m.published_at) else {
        return Ok(Change::Delete(Kind::Message, id));
    };
    let body = [m.public_body, m.public_reply]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n");
    Ok(Change::Upsert(Box::new(Entry {
        kind: Kind::Message,
        id,
        url: format!("/messages/{id}"),
        title,
        body,
        doc_number: None,
        agency_code: m.agency_code,
        agency_name: m.agency_name,
        topic: None,
        doc_kind: None,
        validity: None,
        date: Some(published_at.date_naive()),
    })))
}

/// The changes an outbox entry about `entity_type` `entity_id` calls for; unknown types (an
/// agency, the calendar) need none.
pub async fn changes_for(e: &mut impl Exec, entity_type: &str, entity_id: &str) -> R<Vec<Change>> {
    let Ok(id) = entity_id.parse::<i64>() else {
        return Ok(Vec::new());
    };
    let kind = match entity_type {
        "document" => Kind::Document,
        "interpretation" => Kind::Interpretation,
        "gazette_issue" => Kind::Gazette,
        "answer" => Kind::Answer,
        "catalogue_item" => Kind::Catalogue,
        "consultation" => Kind::Consultation,
        "list_record" => Kind::List,
        "message" => Kind::Message,
        _ => return Ok(Vec::new()),
    };
    let mut out = vec![change(e, kind, id).await?];
    if kind == Kind::Document {
        // An interpretation is public while a policy it explains is.
        for i in interpretations::ids_for_document(e, id).await? {
            out.push(interpretation(e, i).await?);
        }
        // A Q&A entry lists the public documents it rests on.
        for a in answers::ids_for_document(e, id).await? {
            out.push(answer(e, a).await?);
        }
    }
    Ok(out)
}

/// What the index holds for record `id` of `kind` now.
async fn change(e: &mut impl Exec, kind: Kind, id: i64) -> R<Change> {
    match kind {
        Kind::Document => document(e, id).await,
        Kind::Interpretation => interpretation(e, id).await,
        Kind::Gazette => gazette_issue(e, id).await,
        Kind::Catalogue => catalogue_item(e, id).await,
        Kind::Answer => answer(e, id).await,
        Kind::Consultation => consultation(e, id).await,
        Kind::List => list_record(e, id).await,
        Kind::Message => message(e, id).await,
    }
}

/// Ids of `kind` after `after`, in id order: the candidates of a rebuild.
async fn ids_after(e: &mut impl Exec, kind: Kind, after: i64, batch: i64) -> R<Vec<i64>> {
    match kind {
        Kind::Document => documents::public_ids_after(e, after, batch).await,
        Kind::Interpretation => interpretations::ids_after(e, after, batch).await,
        Kind::Catalogue => catalogue::ids_after(e, after, batch).await,
        Kind::Answer => answers::ids_after(e, after, batch).await,
        Kind::Consultation => consultations::ids_after(e, after, batch).await,
        Kind::Message => messages::ids_after(e, after, batch).await,
        Kind::List => {
            lists::public_ids_after(e, after, batch, gongkai_store::db::now().date_naive()).await
        }
        // Few: a district publishes a few dozen issues a year.
        Kind::Gazette if after == 0 => Ok(gazette::all(e, 100_000)
            .await?
            .into_iter()
            .map(|i| i.id)
            .collect()),
        Kind::Gazette => Ok(Vec::new()),
    }
}

/// Every public record, in batches of about `batch`, for a rebuild; `each` gets each batch.
pub async fn all_public<E: Exec>(
    e: &mut E,
    batch: i64,
    mut each: impl FnMut(Vec<Entry>) -> R<()>,
) -> R<()> {
    for kind in Kind::ALL {
        let mut after = 0;
        loop {
            let ids = ids_after(e, kind, after, batch).await?;
            let Some(&last) = ids.iter().max() else { break };
            let mut entries = Vec::with_capacity(ids.len());
            for id in ids {
                if let Change::Upsert(entry) = change(e, kind, id).await? {
                    entries.push(*entry);
                }
            }
            each(entries)?;
            after = last;
        }
    }
    Ok(())
}
