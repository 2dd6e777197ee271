//! The agency a form or an API body names.

use gongkai_domain::agency::AgencyCode;
use gongkai_domain::{DomainError, Field};
use gongkai_store::Db;
use gongkai_store::agencies::{self, Agency};
use gongkai_store::db::Result;

/// The agency named by `code` in `field`: "请选择…" when nothing is named, the code's own
/// message when it is malformed, "…不存在" when no agency has it. One wording for every
/// form and API that names an agency.
pub async fn chosen(db: &Db, code: &str, field: Field) -> Result<Agency> {
    if code.trim().is_empty() {
        return Err(DomainError::invalid(
            field,
            format!("请选择{}", field.label),
        ));
    }
    let code = AgencyCode::parse(code).map_err(|e| match e {
        DomainError::Invalid { message, .. } => DomainError::invalid(field, message),
        other => other,
    })?;
    agencies::by_code(&mut db.conn().await?, &code)
        .await?
        .ok_or_else(|| DomainError::invalid(field, format!("{}不存在", field.label)))
}
