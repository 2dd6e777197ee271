//! Demo 重大行政决策事项目录: this year's catalogue of the government office, its entries linked
//! to the demo consultations, one with every stage up to the collective decision.

use chrono::{Datelike, Duration, NaiveDate};
use gongkai_app::Ctx;
use gongkai_app::decisions;
use gongkai_domain::DomainError;
use gongkai_domain::decision::{EntryDraft, EntryInput, StageDraft, StageInput};
use gongkai_store::{Tx, agencies};

/// Seeds the catalogue in the demo's one transaction; `ctx` acts as the office, today.
pub async fn load(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    agency: i64,
    [open, pending, reported]: [i64; 3],
) -> Result<(), DomainError> {
    let today: NaiveDate = ctx.today();
    let agency = agencies::by_id(tx, agency)
        .await?
        .ok_or(DomainError::NotFound {
            what: "演示机构"
        })?;
    let code = agency.code;
    let parsed = gongkai_domain::agency::AgencyCode::parse(&code)?;
    let catalogue = decisions::create_catalogue_in(tx, ctx, &parsed, today.year()).await?;
    let entry = |title: &str, basis: &str, days: i64| {
        EntryDraft::parse(&EntryInput {
            title: title.into(),
            responsible: code.clone(),
            basis: basis.into(),
            planned_on: (today + Duration::days(days)).to_string(),
            ..Default::default()
        })
    };
    let stage = |kind: &str,
                 days_ago: i64,
                 summary: &str,
                 consultation: Option<i64>,
                 representatives: &str| {
        StageDraft::parse(
            &StageInput {
                kind: kind.into(),
                happened_on: (today - Duration::days(days_ago)).to_string(),
                summary: summary.into(),
                consultation: consultation.map(|c| c.to_string()).unwrap_or_default(),
                representatives: representatives.into(),
                ..Default::default()
            },
            today,
        )
    };
    let parking = decisions::add_entry_in(
        tx,
        ctx,
        catalogue,
        &entry(
            "制定《云溪区公共停车场收费管理办法》",
            "《上海市停车场(库)管理办法》",
            30,
        )?,
    )
    .await?;
    for d in [
        stage(
            "draft",
            85,
            "区发展改革委起草决策草案及起草说明。",
            None,
            "",
        )?,
        stage(
            "consultation",
            80,
            "在区政府门户网站公开征求意见 30 日。",
            Some(reported),
            "",
        )?,
        stage(
            "legality_review",
            45,
            "区司法局出具合法性审查意见,同意提交审议。",
            None,
            "",
        )?,
        stage("feedback", 0, "公开意见采纳情况反馈。", Some(reported), "")?,
        stage(
            "meeting_review",
            15,
            "区政府常务会议审议通过。",
            None,
            "市民代表 2 名、企业代表 1 名列席会议并发表意见",
        )?,
    ] {
        decisions::add_stage_in(tx, ctx, parking, &d).await?;
    }
    let elevator = decisions::add_entry_in(
        tx,
        ctx,
        catalogue,
        &entry(
            "制定《云溪区老旧小区加装电梯实施办法》",
            "《上海市既有多层住宅加装电梯的指导意见》",
            60,
        )?,
    )
    .await?;
    decisions::add_stage_in(
        tx,
        ctx,
        elevator,
        &stage(
            "consultation",
            45,
            "公开征求意见,征集期已结束。",
            Some(pending),
            "",
        )?,
    )
    .await?;
    let dogs = decisions::add_entry_in(
        tx,
        ctx,
        catalogue,
        &entry("制定《云溪区养犬管理办法》", "《上海市养犬管理条例》", 90)?,
    )
    .await?;
    decisions::add_stage_in(
        tx,
        ctx,
        dogs,
        &stage("consultation", 5, "正在公开征求意见。", Some(open), "")?,
    )
    .await?;
    decisions::publish_catalogue_in(tx, ctx, catalogue).await?;
    Ok(())
}
