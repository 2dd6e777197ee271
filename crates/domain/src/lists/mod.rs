//! Typed disclosure lists (双公示, 权责清单, 办事指南, 收费目录, 预决算, 建议提案, 负面清单,
//! 开放数据目录, 政府开放活动): one mechanism, each kind a declaration of fields. Records are
//! versioned by the store; here are their rules: parsing, masking, deadlines.

pub mod extras;
pub mod field;
pub mod kinds;
pub mod public;
pub mod record;
pub mod timing;
pub mod versions;

pub use field::{FieldSpec, FieldType};
pub use kinds::{KindSpec, ListKind};
pub use record::{Columns, Derived, Values, derive, due_on, parse_values};

labelled_enum!(
    /// Where a record version stands. Published versions are never changed: a change is a new
    /// version, which supersedes the old one when it is published.
    RecordStatus, crate::Field::new("status", "状态"), "状态", {
        Draft => ("draft", "草稿"),
        Published => ("published", "已公开"),
        Superseded => ("superseded", "已被新版本替代"),
        Withdrawn => ("withdrawn", "已撤销"),
        /// Its publication period is over (penalties).
        Expired => ("expired", "公示期满"),
    }
);

/// Where new records go: one agency's list of one kind, as drafts or published at once (an
/// import of decisions already made, by a publisher).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    pub kind: ListKind,
    pub agency_id: i64,
    pub publish: bool,
}

impl Target {
    /// `who` acts for the agency, and publishes at once only as a publisher.
    pub fn check(&self, who: &crate::user::Principal) -> Result<(), crate::DomainError> {
        who.require_agency(self.agency_id)?;
        if self.publish {
            require_publisher(who)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;

/// Staff draft and import records; a reviewer (or the office) makes them public, as with
/// documents.
pub fn require_publisher(who: &crate::user::Principal) -> Result<(), crate::DomainError> {
    if who.role == crate::user::Role::Staff {
        Err(crate::DomainError::Forbidden)
    } else {
        Ok(())
    }
}

labelled_enum!(
    /// Where an import from the office stands.
    ImportStatus, crate::Field::new("status", "导入状态"), "导入状态", {
        Running => ("running", "正在导入"),
        Finished => ("finished", "导入完成"),
        Failed => ("failed", "导入未完成"),
    }
);
