//! How a record's versions may change: a draft is edited in place, a published version only
//! through a new version with a note of what changed, and the key that identifies the record
//! never changes. The store keeps the rows; these are the rules it is driven by.

use super::{Derived, KindSpec, ListKind, RecordStatus, Values, require_publisher};
use crate::user::Principal;
use crate::{DomainError, Field};

/// The field a record's key comes from, to name it in messages.
pub fn key_field(kind: ListKind) -> Field {
    let spec: &KindSpec = kind.spec();
    spec.key
        .first()
        .and_then(|k| spec.field(k))
        .map(|f| f.as_field())
        .unwrap_or(Field::new("record_key", "编号"))
}

/// A new record whose key is already live is accepted only as the same values again (a
/// re-run import, no change); anything else is refused, because a change is a new version.
pub fn check_same_as_live(
    kind: ListKind,
    live: &Values,
    values: &Values,
    d: &Derived,
) -> Result<(), DomainError> {
    if live == values {
        return Ok(());
    }
    let f = key_field(kind);
    Err(DomainError::conflict(
        Some(f),
        format!(
            "{}“{}”已存在;如需变更,请在该记录上建立新版本",
            f.label, d.key
        ),
    ))
}

/// New values for a record keep its key.
pub fn check_same_key(kind: ListKind, key: &str, d: &Derived) -> Result<(), DomainError> {
    if d.key == key {
        return Ok(());
    }
    let f = key_field(kind);
    Err(DomainError::invalid(f, format!("{}不能修改", f.label)))
}

/// Only a draft is changed in place.
pub fn check_draft_edit(
    kind: ListKind,
    status: RecordStatus,
    key: &str,
    d: &Derived,
) -> Result<(), DomainError> {
    if status != RecordStatus::Draft {
        return Err(DomainError::conflict(
            None,
            "已公开的记录不能直接修改,请建立新版本",
        ));
    }
    check_same_key(kind, key, d)
}

/// A new version starts from the published one, one pending draft at a time, and says what
/// changed; returns the trimmed note.
pub fn check_revision(
    kind: ListKind,
    status: RecordStatus,
    draft_pending: bool,
    note: &str,
    key: &str,
    d: &Derived,
) -> Result<String, DomainError> {
    if status != RecordStatus::Published {
        return Err(DomainError::conflict(
            None,
            "只能在当前公开的版本上建立新版本",
        ));
    }
    if draft_pending {
        return Err(DomainError::conflict(None, "该记录已有待发布的新版本"));
    }
    let note = note.trim();
    if note.is_empty() {
        return Err(DomainError::invalid(
            Field::new("change_note", "变更说明"),
            "请说明变更内容",
        ));
    }
    check_same_key(kind, key, d)?;
    Ok(note.to_string())
}

/// A publisher makes a draft public.
pub fn check_publish(who: &Principal, status: RecordStatus) -> Result<(), DomainError> {
    require_publisher(who)?;
    if status != RecordStatus::Draft {
        return Err(DomainError::conflict(None, "该版本不是草稿"));
    }
    Ok(())
}

/// A draft is discarded, or a published version taken out of view by a publisher, always
/// with a reason; returns the trimmed reason.
pub fn check_withdrawal(
    who: &Principal,
    status: RecordStatus,
    reason: &str,
) -> Result<String, DomainError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(DomainError::invalid(
            Field::new("reason", "撤销理由"),
            "请填写撤销理由",
        ));
    }
    match status {
        RecordStatus::Published => require_publisher(who)?,
        RecordStatus::Draft => {}
        _ => return Err(DomainError::conflict(None, "该版本已不在公开或草稿状态")),
    }
    Ok(reason.to_string())
}
