//! Demo 意见征集: one consultation open for comment, one closed with its opinions still to be
//! decided, one closed with every opinion decided and its feedback report published.

use chrono::{Duration, NaiveDate};
use gongkai_app::Ctx;
use gongkai_app::consultations;
use gongkai_domain::DomainError;
use gongkai_domain::consultation::{
    CommentDraft, CommentInput, ConsultationDraft, ConsultationInput, DispositionDraft, Identity,
    Phase,
};
use gongkai_store::Tx;

fn comment(body: &str, article: &str, name: &str, show: bool) -> Result<CommentDraft, DomainError> {
    CommentDraft::parse(
        &CommentInput {
            body: body.into(),
            article: article.into(),
            name: name.into(),
            show_name: if show { "on" } else { "" }.into(),
            ..Default::default()
        },
        Phase::Open,
        Identity::Optional,
        Identity::Optional,
        &[1, 2, 3, 4, 5],
    )
}

/// Seeds the consultations in the demo's one transaction; `ctx` acts as the office, today,
/// each step back-dated as the story needs.
pub async fn load(tx: &mut Tx, ctx: &Ctx<'_>, agency: i64) -> Result<[i64; 3], DomainError> {
    let today: NaiveDate = ctx.today();
    let on = |day: NaiveDate| Ctx::new(ctx.db, ctx.actor.clone(), ctx.principal).on(day);
    let at = |t| Ctx::new(ctx.db, ctx.actor.clone(), ctx.principal).at(t);
    // Open now.
    let open = ConsultationDraft::parse(&ConsultationInput {
        title: "《云溪区养犬管理办法(征求意见稿)》公开征求意见".into(),
        explanation: "为规范本区养犬行为,保障市民健康和人身安全,维护市容环境和社会秩序,区政府组织起草了本办法。\n本办法共五条,明确了适用范围、登记管理、文明养犬和法律责任。".into(),
        basis: "《上海市养犬管理条例》\n《重大行政决策程序暂行条例》".into(),
        draft: "云溪区养犬管理办法(征求意见稿)\n第一条 为规范养犬行为,保障公民健康和人身安全,根据《上海市养犬管理条例》,结合本区实际,制定本办法。\n第二条 本办法适用于本区行政区域内的养犬及相关管理活动。\n第三条 个人饲养犬只应当向居住地派出所申请养犬登记。\n第四条 携犬出户的,应当为犬只束犬链,并由成年人牵领。\n第五条 本办法自公布之日起施行。".into(),
        opens_on: (today - Duration::days(5)).to_string(),
        closes_on: (today + Duration::days(24)).to_string(),
        channels: "电子邮件:yangquan@yunxi.example.gov.cn\n信函:云溪区文化路 1 号 区人民政府办公室(请注明“养犬管理意见”)".into(),
        ..Default::default()
    })?;
    let id = consultations::create_in(tx, ctx, agency, &open).await?;
    let open_id = id;
    consultations::publish_in(tx, &on(today - Duration::days(5)), id).await?;
    let when = ctx.now - Duration::days(2);
    for (i, (body, article, name, show)) in [
        (
            "建议第三条增加网上办理养犬登记的渠道,方便上班族。",
            "3",
            "王先生",
            true,
        ),
        ("第四条建议明确犬链长度,例如不超过 1.5 米。", "4", "", false),
        ("希望增加小区内犬只粪便清理的要求。", "", "李女士", false),
    ]
    .into_iter()
    .enumerate()
    {
        let d = comment(body, article, name, show)?;
        consultations::comment_in(tx, &at(when), id, &d, &format!("demo-{i}")).await?;
    }

    // Closed, its opinions waiting for the office.
    let pending = ConsultationDraft::parse(&ConsultationInput {
        title: "《云溪区老旧小区加装电梯实施办法(征求意见稿)》公开征求意见".into(),
        explanation: "为推进既有多层住宅加装电梯,改善居民出行条件,起草本办法。".into(),
        basis: "《上海市既有多层住宅加装电梯的指导意见》".into(),
        draft: "第一条 为推进既有多层住宅加装电梯工作,制定本办法。\n第二条 加装电梯应当经本幢房屋专有部分占建筑物总面积三分之二以上的业主同意。\n第三条 区财政对符合条件的加装项目给予补贴。\n第四条 本办法自公布之日起施行。".into(),
        opens_on: (today - Duration::days(45)).to_string(),
        closes_on: (today - Duration::days(10)).to_string(),
        ..Default::default()
    })?;
    let id = consultations::create_in(tx, ctx, agency, &pending).await?;
    let pending_id = id;
    consultations::publish_in(tx, &on(today - Duration::days(45)), id).await?;
    let when = ctx.now - Duration::days(20);
    for (i, (body, article, name, show)) in [
        (
            "建议提高第三条的补贴标准,并明确申请流程。",
            "3",
            "陈先生",
            true,
        ),
        ("一楼住户的采光和噪音影响应当给予补偿。", "2", "", false),
        ("希望简化加装电梯的规划审批手续。", "", "", false),
    ]
    .into_iter()
    .enumerate()
    {
        let d = comment(body, article, name, show)?;
        consultations::comment_in(tx, &at(when), id, &d, &format!("demo-p{i}")).await?;
    }

    // Closed, decided and reported.
    let closed = ConsultationDraft::parse(&ConsultationInput {
        title: "《云溪区公共停车场收费管理办法(征求意见稿)》公开征求意见".into(),
        explanation: "为规范公共停车场收费行为,起草本办法,现向社会公开征求意见。".into(),
        basis: "《上海市停车场(库)管理办法》".into(),
        draft: "第一条 为规范公共停车场收费行为,制定本办法。\n第二条 公共停车场实行明码标价。\n第三条 本办法自公布之日起施行。".into(),
        opens_on: (today - Duration::days(80)).to_string(),
        closes_on: (today - Duration::days(51)).to_string(),
        ..Default::default()
    })?;
    let id = consultations::create_in(tx, ctx, agency, &closed).await?;
    consultations::publish_in(tx, &on(today - Duration::days(80)), id).await?;
    let when = ctx.now - Duration::days(70);
    let mut ids = Vec::new();
    for (i, (body, article)) in [
        ("建议夜间停车实行优惠价格。", "2"),
        ("夜间停车应当降低收费标准。", "2"),
        ("建议收费公示牌同时公布投诉电话。", "2"),
        ("小区门口的违章停车应该加强执法。", ""),
    ]
    .into_iter()
    .enumerate()
    {
        let d = comment(body, article, "", false)?;
        ids.push(consultations::comment_in(tx, &at(when), id, &d, &format!("demo-c{i}")).await?);
    }
    let partly =
        DispositionDraft::parse("partly", "夜间优惠由各停车场自行确定,本办法明确允许实行")?;
    consultations::create_group_in(tx, ctx, id, "建议夜间停车实行优惠收费", &partly, &ids[0..2])
        .await?;
    consultations::dispose_in(tx, ctx, ids[2], &DispositionDraft::parse("adopted", "")?).await?;
    let out = DispositionDraft::parse(
        "out_of_scope",
        "属于道路交通执法事项,已转交区公安分局交警支队",
    )?;
    consultations::dispose_in(tx, ctx, ids[3], &out).await?;
    consultations::record_decision_in(tx, ctx, id, today - Duration::days(30), None).await?;
    consultations::publish_report_in(tx, ctx, id, "").await?;
    Ok([open_id, pending_id, id])
}
