//! The small fixtures every crate's tests build on: dates, the test actor, a principal, an
//! agency. One definition, so a change to what an agency needs is made once.

use chrono::NaiveDate;
use gongkai_domain::agency::{AgencyDraft, AgencyInput};
use gongkai_domain::document::DocumentInput;
use gongkai_domain::user::UserDraft;
use gongkai_domain::user::{Principal, Role};
use gongkai_store::users::{self, User};
use gongkai_store::{Actor, Db, Tx, agencies};

/// A date written `YYYY-MM-DD`.
pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a test date as YYYY-MM-DD")
}

/// An instant on day `s` (early morning UTC, the same day in China).
pub fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
    day(s)
        .and_hms_opt(1, 0, 0)
        .expect("01:00 exists on every day")
        .and_utc()
}

/// Who the audit log names for what a test does.
pub fn actor() -> Actor {
    Actor::system("test")
}

/// A principal with `role` in agency `agency_id` (user id 0).
pub fn p(role: Role, agency_id: i64) -> Principal {
    Principal {
        user_id: 0,
        role,
        agency_id,
    }
}

/// The form of an agency with code `code`, of `kind`, under `parent` (empty for the top).
pub fn agency_input(code: &str, kind: &str, parent: &str) -> AgencyInput {
    AgencyInput {
        code: code.into(),
        name: format!("机构{code}"),
        kind: kind.into(),
        parent: parent.into(),
        phone: "021-12345678".into(),
        office_hours: "工作日 9:00-17:00".into(),
        ..Default::default()
    }
}

/// Stores that agency.
pub async fn add_agency(db: &Db, code: &str, kind: &str, parent: &str) -> agencies::Agency {
    let draft = AgencyDraft::parse(&agency_input(code, kind, parent)).expect("a valid agency");
    db.write(async |tx| Ok(add_agency_in(tx, &draft).await))
        .await
        .expect("the agency is stored")
}

/// Stores an agency in a transaction, under the parent its draft names (which must exist).
pub async fn add_agency_in(tx: &mut Tx, draft: &AgencyDraft) -> agencies::Agency {
    let parent = match &draft.parent {
        Some(code) => Some(
            agencies::by_code(tx, code)
                .await
                .unwrap()
                .expect("the parent exists"),
        ),
        None => None,
    };
    agencies::create(tx, &actor(), draft, parent.as_ref())
        .await
        .expect("the agency is stored")
}

/// A proactively disclosed notice with a 文号, a topic and two paragraphs.
pub fn doc_input(title: &str, formed_on: &str) -> DocumentInput {
    DocumentInput {
        title: title.into(),
        doc_number: "云府办发〔2024〕3号".into(),
        kind: "notice".into(),
        topic: "综合政务\\政务公开".into(),
        formed_on: formed_on.into(),
        body: "第一段\n第二段".into(),
        disclosure_mode: "proactive".into(),
        ..Default::default()
    }
}

/// An account in the agency with `agency_code`, with `password` as given (tests choose weak
/// ones on purpose; the policy is the app's to check).
pub async fn add_user(tx: &mut Tx, draft: &UserDraft, agency_code: &str, password: &str) -> User {
    let code = gongkai_domain::agency::AgencyCode::parse(agency_code).unwrap();
    let agency = agencies::by_code(tx, &code).await.unwrap().unwrap();
    users::create(tx, &actor(), draft, agency.id, password)
        .await
        .unwrap()
}
