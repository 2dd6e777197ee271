//! Demo applications (依申请公开) in every state, several across holidays, so the queue, the
//! clock's ledger and the tracking page have something real to show.

use chrono::NaiveDate;
use gongkai_app::Ctx;
use gongkai_app::requests::{self, Action};
use gongkai_domain::DomainError;
use gongkai_domain::request::clock::PauseKind;
use gongkai_domain::request::intake::{RequestDraft, RequestInput};
use gongkai_domain::request::outcome::{Outcome, Unavailable};
use gongkai_store::Tx;

fn d(s: &str) -> NaiveDate {
    // Constant dates of this file; a typo is a programming error caught by the demo test.
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
}

/// An application by `(name, applicant kind, id number)`.
fn input(
    (name, kind, id): (&str, &str, &str),
    channel: &str,
    submitted: &str,
    arrived: &str,
    what: &str,
) -> RequestInput {
    RequestInput {
        applicant_kind: kind.into(),
        name: name.into(),
        id_type: if kind == "person" {
            "resident_id"
        } else {
            "credit_code"
        }
        .into(),
        id_number: id.into(),
        phone: "021-5700 1234".into(),
        address: "云溪区人民路 100 号".into(),
        description: what.into(),
        delivery_form: "paper".into(),
        delivery_channel: "post".into(),
        channel: channel.into(),
        submitted_on: submitted.into(),
        arrived_on: arrived.into(),
        confirmed_on: String::new(),
        ..Default::default()
    }
}

/// Seeds the applications in the demo's one transaction; `ctx` acts as the office, today.
pub async fn load(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    agency_id: i64,
    assignee: i64,
) -> Result<(), DomainError> {
    let today = ctx.today();
    let step = async |tx: &mut Tx, id: i64, a: Action| -> Result<(), DomainError> {
        requests::act_in(tx, ctx, id, &a).await.map(|_| ())
    };
    // 1. Received on the last working day before National Day 2024, replied in time.
    let a = RequestDraft::parse_registered(
        &input(
            ("张建国", "person", "11010519491231002X"),
            "in_person",
            "2024-09-30",
            "",
            "2024年本区中小学校舍改造项目的立项批复",
        ),
        today,
    )?;
    let id = requests::submit_in(tx, ctx, agency_id, &a).await?.id;
    step(tx, id, Action::Assign { user_id: assignee }).await?;
    step(
        tx,
        id,
        Action::DraftReply {
            outcome: Outcome::Disclosed,
            text: "所申请的立项批复已于2024年5月主动公开,现随函提供。".into(),
            withheld_note: String::new(),
            referred_to: String::new(),
            referred_agency: String::new(),
        },
    )
    .await?;
    step(tx, id, Action::Approve).await?;
    step(
        tx,
        id,
        Action::Deliver {
            on: d("2024-10-25"),
            how: "挂号信".into(),
        },
    )
    .await?;
    step(tx, id, Action::Archive).await?;
    // 2. A 补正 that restarts the clock, then partial disclosure.
    let b = RequestDraft::parse_registered(
        &input(
            ("云溪示范科技有限公司", "business", "91310000MA1K000000"),
            "registered_post",
            "2024-03-01",
            "2024-03-04",
            "关于本公司参与的校园配餐服务招标的有关文件",
        ),
        today,
    )?;
    let id = requests::submit_in(tx, ctx, agency_id, &b).await?.id;
    step(
        tx,
        id,
        Action::RequestCorrection {
            on: d("2024-03-08"),
            deadline: d("2024-03-22"),
            what: "请写明所需文件的名称或文号".into(),
        },
    )
    .await?;
    step(
        tx,
        id,
        Action::ReceiveCorrection {
            on: d("2024-03-20"),
        },
    )
    .await?;
    step(
        tx,
        id,
        Action::DraftReply {
            outcome: Outcome::PartlyDisclosed,
            text: "现提供园区规划批复,其中涉及第三方商业信息的部分不予公开。".into(),
            withheld_note: "附件三涉及企业商业秘密(条例第十五条)".into(),
            referred_to: String::new(),
            referred_agency: String::new(),
        },
    )
    .await?;
    step(tx, id, Action::Approve).await?;
    step(
        tx,
        id,
        Action::Deliver {
            on: d("2024-04-12"),
            how: "挂号信".into(),
        },
    )
    .await?;
    // 3. A third-party consultation across Spring Festival 2025, then 本机关不掌握.
    let c = RequestDraft::parse_registered(
        &input(
            ("李明", "person", "11010519491231002X"),
            "in_person",
            "2025-01-13",
            "",
            "某培训机构2024年办学许可审查材料",
        ),
        today,
    )?;
    let id = requests::submit_in(tx, ctx, agency_id, &c).await?.id;
    step(
        tx,
        id,
        Action::StartConsultation {
            on: d("2025-01-20"),
            pause: PauseKind::ThirdParty,
            note: "书面征求企业意见".into(),
        },
    )
    .await?;
    step(
        tx,
        id,
        Action::EndConsultation {
            on: d("2025-02-14"),
            pause: PauseKind::ThirdParty,
            note: "企业回复不同意公开部分内容".into(),
        },
    )
    .await?;
    step(
        tx,
        id,
        Action::DraftReply {
            outcome: Outcome::Unavailable(Unavailable::NotHeld),
            text: "经检索,本机关未制作或获取该报告全本,建议向区生态环境局咨询。".into(),
            withheld_note: String::new(),
            // Filled from the bureau's guide: its address and phone.
            referred_to: String::new(),
            referred_agency: "YX0205".into(),
        },
    )
    .await?;
    step(tx, id, Action::Approve).await?;
    step(
        tx,
        id,
        Action::Deliver {
            on: d("2025-03-05"),
            how: "邮寄".into(),
        },
    )
    .await?;
    // …and handed over to the bureau, which confirms it the next day and discloses the report.
    let then = Ctx::new(ctx.db, ctx.actor.clone(), ctx.principal).on(d("2025-03-06"));
    let moved = requests::transfer_in(tx, &then, id).await?.id;
    step(
        tx,
        moved,
        Action::ConfirmReceipt {
            on: d("2025-03-07"),
            reason: "转送件于次日登记确认".into(),
        },
    )
    .await?;
    step(
        tx,
        moved,
        Action::DraftReply {
            outcome: Outcome::Disclosed,
            text: "现提供该项目环境影响评价报告全本(电子版)。".into(),
            withheld_note: String::new(),
            referred_to: String::new(),
            referred_agency: String::new(),
        },
    )
    .await?;
    step(tx, moved, Action::Approve).await?;
    step(
        tx,
        moved,
        Action::Deliver {
            on: d("2025-03-20"),
            how: "电子邮件".into(),
        },
    )
    .await?;
    // 4. An open one, received three weeks ago, in progress and due soon.
    let recent = (today - chrono::Duration::days(21)).to_string();
    let e = RequestDraft::parse_registered(
        &input(
            ("王芳", "person", "11010519491231002X"),
            "in_person",
            &recent,
            "",
            "本区2025年义务教育阶段学校招生计划",
        ),
        today,
    )?;
    let id = requests::submit_in(tx, ctx, agency_id, &e).await?.id;
    step(tx, id, Action::Assign { user_id: assignee }).await?;
    // 5. Filed online yesterday, waiting for the office to confirm receipt.
    let mut online = input(
        ("赵磊", "person", "11010519491231002X"),
        "online",
        "",
        "",
        "2025年区级部门预算公开的说明材料",
    );
    online.delivery_channel = "online".into();
    let f = RequestDraft::parse_online(&online, today - chrono::Duration::days(1))?;
    requests::submit_in(tx, ctx, agency_id, &f).await?;
    // 6. Handed in today: in December its 20 working days reach into a year whose holiday
    // notice may not be out, and the deadline shows as provisional.
    let g = RequestDraft::parse_registered(
        &input(
            ("陈静", "person", "11010519491231002X"),
            "in_person",
            &today.to_string(),
            "",
            "本区2026年老旧小区加装电梯项目的审批结果",
        ),
        today,
    )?;
    let id = requests::submit_in(tx, ctx, agency_id, &g).await?.id;
    step(tx, id, Action::Assign { user_id: assignee }).await?;
    // 7. A 补正 asked for six weeks ago and never answered: it waits to be closed as
    // 其他处理 (逾期不补正).
    let asked = today - chrono::Duration::days(42);
    let h = RequestDraft::parse_registered(
        &input(
            ("周涛", "person", "11010519491231002X"),
            "in_person",
            &asked.to_string(),
            "",
            "关于那个项目的文件",
        ),
        today,
    )?;
    let id = requests::submit_in(tx, ctx, agency_id, &h).await?.id;
    step(
        tx,
        id,
        Action::RequestCorrection {
            on: asked,
            deadline: asked + chrono::Duration::days(14),
            what: "请写明所需文件的名称、文号或项目名称".into(),
        },
    )
    .await?;
    Ok(())
}
