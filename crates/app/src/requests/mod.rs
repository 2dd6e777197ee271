//! 依申请公开: filing an application, every handling step on the statutory clock, the
//! hand-over to the competent agency, conversion to proactive disclosure, and the appeals
//! recorded against a reply.

mod appeals;
mod handover;
mod intake;
mod steps;

pub use appeals::{add_appeal, add_appeal_in, decide_appeal, decide_appeal_in};
pub use handover::{Transferred, convert, convert_in, transfer, transfer_in};
pub use intake::{
    Submitted, submit, submit_in, submit_online, submit_online_in, withdraw_by_applicant,
    withdraw_by_applicant_in,
};
pub use steps::{Action, act, act_in};

use chrono::NaiveDate;
use gongkai_domain::request::notice::{self, NoticeInput};
use gongkai_domain::{DomainError, Field};
use gongkai_store::Tx;
use gongkai_store::db::Result;
use gongkai_store::requests;

const NOT_FOUND: DomainError = DomainError::NotFound { what: "申请" };

/// Queues the applicant's e-mail for a step they can see, when they gave an address. In the
/// step's transaction: the notice is sent if and only if the step is committed.
async fn notify(tx: &mut Tx, id: i64, public_note: Option<&str>, today: NaiveDate) -> Result<()> {
    let (r, events) = requests::load(tx, id).await?.ok_or(NOT_FOUND)?;
    let Some(to) = r.email.as_deref() else {
        return Ok(());
    };
    let cal = gongkai_store::calendar::work_calendar(tx).await?;
    let due = requests::clock_of(&cal, &r, &events, today)?.and_then(|c| c.due);
    let site = gongkai_store::settings::get(tx, "public_url").await?;
    let input = NoticeInput {
        to,
        agency: &r.agency_name,
        applicant: &r.applicant_name,
        tracking_code: &r.tracking_code,
        status: r.status,
        due_on: due,
        site: site.as_deref(),
    };
    let mail = match public_note {
        Some(note) => notice::progress(&input, note),
        None => notice::filed(&input, r.received_on.is_none()),
    };
    gongkai_store::mail::enqueue(tx, Some(id), &mail).await?;
    Ok(())
}

/// A free text of a step: bounded, and no active markup.
fn text(value: &str, field: Field, min: usize, max: usize) -> Result<String> {
    let v = gongkai_domain::text::bounded_multiline(value, field, min, max)?;
    gongkai_domain::text::reject_active_markup(&v, field)?;
    Ok(v)
}
