//! The demo district: an invented 云溪区 with its office, departments, towns and villages,
//! one user per role, and the five seed documents as records of their issuing agencies.

use chrono::NaiveDate;
use gongkai_domain::DomainError;
use gongkai_domain::agency::{AgencyCode, AgencyDraft, AgencyInput};
use gongkai_domain::attachment;
use gongkai_domain::catalogue::{ItemDraft, ItemInput};
use gongkai_domain::document::Action;
use gongkai_domain::document::{DocumentDraft, DocumentInput, RelationKind};
use gongkai_domain::gazette::{IssueDraft, IssueInput};
use gongkai_domain::interpretation::{InterpretationDraft, InterpretationInput};
use gongkai_domain::user::UserDraft;
use gongkai_domain::user::{Principal, Role};
use gongkai_store::documents;
use gongkai_store::{Actor, Db, agencies, secret, users};

pub const ROOT_CODE: &str = "YX0000";

const HOURS: &str = "周一至周五 9:00—11:30,13:30—17:00(法定节假日除外)";

/// (code, name, short name, kind, parent, phone, address)
const AGENCIES: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    (
        "YX0000",
        "云溪区人民政府",
        "区政府",
        "government",
        "",
        "021-5700 0000",
        "云溪区行政中心路 1 号",
    ),
    (
        "YX0100",
        "云溪区人民政府办公室",
        "区政府办公室",
        "office",
        "YX0000",
        "021-5700 0100",
        "云溪区行政中心路 1 号 3 楼",
    ),
    (
        "YX0201",
        "云溪区发展和改革委员会",
        "区发展改革委",
        "department",
        "YX0000",
        "021-5700 0201",
        "云溪区行政中心路 1 号 5 楼",
    ),
    (
        "YX0202",
        "云溪区教育局",
        "区教育局",
        "department",
        "YX0000",
        "021-5700 0202",
        "云溪区文汇路 18 号",
    ),
    (
        "YX0203",
        "云溪区财政局",
        "区财政局",
        "department",
        "YX0000",
        "021-5700 0203",
        "云溪区行政中心路 1 号 7 楼",
    ),
    (
        "YX0204",
        "云溪区卫生健康委员会",
        "区卫生健康委",
        "department",
        "YX0000",
        "021-5700 0204",
        "云溪区康宁路 66 号",
    ),
    (
        "YX0205",
        "云溪区生态环境局",
        "区生态环境局",
        "department",
        "YX0000",
        "021-5700 0205",
        "云溪区青溪路 9 号",
    ),
    (
        "YX0206",
        "云溪区规划和自然资源局",
        "区规划资源局",
        "department",
        "YX0000",
        "021-5700 0206",
        "云溪区青溪路 11 号",
    ),
    (
        "YX0301",
        "云溪区东湖街道办事处",
        "东湖街道",
        "town",
        "YX0000",
        "021-5700 0301",
        "云溪区东湖路 200 号",
    ),
    (
        "YX0302",
        "云溪区桥头镇人民政府",
        "桥头镇",
        "town",
        "YX0000",
        "021-5700 0302",
        "云溪区桥头镇镇南路 8 号",
    ),
    (
        "YX030201",
        "桥头镇新桥村村民委员会",
        "新桥村",
        "village",
        "YX0302",
        "021-5700 3201",
        "桥头镇新桥村村委会",
    ),
    (
        "YX030202",
        "桥头镇河滨居民委员会",
        "河滨居委",
        "village",
        "YX0302",
        "021-5700 3202",
        "桥头镇河滨路 12 号",
    ),
];

/// (username, display name, role, agency)
pub const USERS: &[(&str, &str, &str, &str)] = &[
    ("admin", "系统管理员", "admin", "YX0000"),
    ("office", "区政务公开办", "office", "YX0100"),
    ("reviewer", "教育局审核人", "reviewer", "YX0202"),
    ("staff", "教育局经办人", "staff", "YX0202"),
];

struct Seed {
    text: &'static str,
    agency: &'static str,
    title: &'static str,
    doc_number: Option<&'static str>,
    /// The record's own 索引号, when the source page shows one.
    index_no: Option<&'static str>,
    kind: &'static str,
    date: (i32, u32, u32),
    /// Lines of page furniture before the text.
    skip_lines: usize,
    /// The text ends before the first line starting with this (site footers).
    cut_at: Option<&'static str>,
}

const SEEDS: &[Seed] = &[
    Seed {
        text: include_str!("../../../demo/seeds/000_bc04e441d24dcaac.txt"),
        agency: "YX0100",
        title: "2018年松江区政务公开工作要点",
        doc_number: None,
        index_no: None,
        kind: "other",
        date: (2018, 6, 8),
        skip_lines: 4,
        cut_at: None,
    },
    Seed {
        text: include_str!("../../../demo/seeds/001_fedb41de06f635a6.txt"),
        agency: "YX0100",
        title: "上海市嘉定区人民政府办公室关于印发《2021年上海市嘉定区政务公开工作要点》的通知",
        doc_number: Some("嘉府办发〔2021〕18号"),
        index_no: Some("WA1301001-2021-003"),
        kind: "notice",
        date: (2021, 4, 16),
        skip_lines: 7,
        cut_at: Some("政策留言板"),
    },
    Seed {
        text: include_str!("../../../demo/seeds/002_4ed54002f05e18c6.txt"),
        agency: "YX0000",
        title: "2017年双城区政务公开工作要点",
        doc_number: None,
        index_no: None,
        kind: "other",
        date: (2017, 7, 3),
        skip_lines: 1,
        cut_at: Some("设为首页"),
    },
    Seed {
        text: include_str!("../../../demo/seeds/003_e12181306ca0a942.txt"),
        agency: "YX0000",
        title: "2018年楊浦區政府信息公開工作年度報告",
        doc_number: None,
        index_no: None,
        kind: "report",
        date: (2019, 3, 29),
        skip_lines: 0,
        cut_at: None,
    },
    Seed {
        text: include_str!("../../../demo/seeds/004_4ec3008c1d2e73c8.txt"),
        agency: "YX0100",
        title: "中共上海市委办公厅 上海市人民政府办公厅印发《关于全面推进政务公开工作的实施意见》的通知",
        doc_number: Some("沪委办发〔2017〕14号"),
        index_no: None,
        kind: "notice",
        date: (2017, 6, 2),
        skip_lines: 3,
        cut_at: Some("地址:复兴中路"),
    },
];

fn body(seed: &Seed) -> String {
    seed.text
        .lines()
        .skip(seed.skip_lines)
        .take_while(|l| seed.cut_at.is_none_or(|m| !l.trim_start().starts_with(m)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Demo accounts and their one-time passwords.
pub struct DemoLogin {
    pub username: &'static str,
    pub role: &'static str,
    pub password: String,
}

pub async fn is_loaded(db: &Db) -> Result<bool, DomainError> {
    let code = AgencyCode::parse(ROOT_CODE)?;
    Ok(agencies::by_code(&mut db.conn().await?, &code)
        .await?
        .is_some())
}

/// Loads the demo district in one transaction. Passwords come from `GONGKAI_DEMO_PASSWORD`
/// (the same for all accounts, for scripted tests) or are generated.
pub async fn load(db: &Db, fixed_password: Option<&str>) -> Result<Vec<DemoLogin>, DomainError> {
    let actor = Actor::system("demo");
    let mut tx = db.begin().await?;
    let operator = gongkai_app::Ctx::operator(db, "demo");
    for (code, name, short, kind, parent, phone, address) in AGENCIES {
        let input = AgencyInput {
            code: (*code).into(),
            name: (*name).into(),
            short_name: (*short).into(),
            kind: (*kind).into(),
            parent: (*parent).into(),
            phone: (*phone).into(),
            email: format!("gk-{}@yunxi.example.gov.cn", code.to_lowercase()),
            address: (*address).into(),
            postcode: "201600".into(),
            office_hours: HOURS.into(),
            fax: (*phone).into(),
        };
        gongkai_app::admin::create_agency_in(&mut tx, &operator, &AgencyDraft::parse(&input)?)
            .await?;
    }
    let mut logins = Vec::new();
    for (username, display, role, agency) in USERS {
        let password = match fixed_password {
            Some(p) => p.to_string(),
            None => secret::random_token(12)?,
        };
        let draft = UserDraft::parse(username, display, role)?;
        gongkai_app::admin::create_user_in(&mut tx, &operator, &draft, agency, &password).await?;
        logins.push(DemoLogin {
            username,
            role,
            password,
        });
    }
    let office = Principal {
        user_id: 0,
        role: Role::Office,
        agency_id: 0,
    };
    let today = tx.now().date_naive();
    // The district's own additions to its 政府信息公开指南.
    gongkai_app::admin::set_disclosure_rules_in(
        &mut tx,
        &operator,
        &gongkai_domain::agency::AgencyCode::parse("YX0000")?,
        &gongkai_domain::agency::DisclosureRules::parse(&gongkai_domain::agency::DisclosureRulesInput {
            guide_note: "## 政府信息查阅场所\n\n- 云溪区档案馆:云溪区文化路 8 号,工作日 9:00—16:30\n- 云溪区图书馆:云溪区文化路 10 号,周二至周日 9:00—20:00\n- 云溪区政务服务中心:一楼综合窗口\n\n## 申请表下载\n\n在线申请无需下载;书面申请可在受理窗口领取申请表,也可自行书写,写明《条例》第二十九条规定的内容即可。".into(),
            ..Default::default()
        })?,
    )
    .await?;
    let ctx = gongkai_app::Ctx::new(db, actor.clone(), office).on(today);
    let mut seed_ids = Vec::new();
    for seed in SEEDS {
        let agency = agency_id(&mut tx, seed.agency).await?;
        let (y, m, d) = seed.date;
        let date =
            NaiveDate::from_ymd_opt(y, m, d).ok_or(DomainError::NotFound { what: "日期" })?;
        let input = DocumentInput {
            title: seed.title.into(),
            doc_number: seed.doc_number.unwrap_or_default().into(),
            kind: seed.kind.into(),
            topic: "综合政务\\政务公开".into(),
            keywords: "政务公开".into(),
            formed_on: date.to_string(),
            body: body(seed),
            disclosure_mode: "proactive".into(),
            ..Default::default()
        };
        let draft = DocumentDraft::parse(&input, today)?;
        let id = gongkai_app::documents::import_published_in(
            &mut tx,
            &ctx,
            agency,
            &draft,
            documents::Earlier {
                index_no: seed.index_no,
                published_on: date,
            },
        )
        .await?;
        seed_ids.push((agency, id));
    }
    generated(&mut tx, &ctx, today).await?;
    // Applications to the education bureau, whose demo staff and reviewer handle them.
    let education = agency_id(&mut tx, "YX0202").await?;
    let staff = users::by_username(&mut tx, &gongkai_domain::user::Username::parse("staff")?)
        .await?
        .ok_or_else(|| DomainError::internal("demo staff user missing"))?;
    crate::demo_requests::load(&mut tx, &ctx, education, staff.id).await?;
    answers(&mut tx, &ctx).await?;
    let government_office = agency_id(&mut tx, "YX0100").await?;
    let consulted = crate::demo_consultations::load(&mut tx, &ctx, government_office).await?;
    crate::demo_decisions::load(&mut tx, &ctx, government_office, consulted).await?;
    // Messages: the 2021 work plan (the second seed) takes one on its page.
    let development = agency_id(&mut tx, "YX0201").await?;
    let (plan_agency, plan) = seed_ids[1];
    crate::demo_messages::load(&mut tx, &ctx, education, development, (plan_agency, plan)).await?;
    let cal = gongkai_store::calendar::work_calendar(&mut tx).await?;
    let list_agencies = crate::demo_lists::Agencies {
        education,
        finance: agency_id(&mut tx, "YX0203").await?,
        ecology: agency_id(&mut tx, "YX0205").await?,
    };
    crate::demo_lists::load(&mut tx, &ctx, &list_agencies, today, &cal).await?;
    tx.commit().await?;
    Ok(logins)
}

/// 一网通答: the questions the office answers most, shown above search results.
async fn answers(
    tx: &mut gongkai_store::Tx,
    ctx: &gongkai_app::Ctx<'_>,
) -> Result<(), DomainError> {
    use gongkai_domain::answer::{AnswerDraft, AnswerInput};
    let agency = agency_id(tx, "YX0100").await?;
    for (question, answer, published) in [
        (
            "如何申请政府信息公开?",
            "公民、法人或者其他组织可以在本平台“申请公开”栏目在线提交申请,无需注册;也可以当面、邮寄或传真提交。提交后会得到查询码和查询密钥,凭此查询办理进度和答复。",
            true,
        ),
        (
            "申请政府信息公开收费吗?",
            "一般不收费。同一申请人一个月内申请件数明显超过合理范围,或者申请公开的信息量较大的,行政机关可以依照国办函〔2020〕109号收取信息处理费:按件计收的,每月10件以内免费;按量计收的,30页以内免费。",
            true,
        ),
        (
            "提出申请后多久能收到答复?",
            "能够当场答复的,当场答复;不能当场答复的,自收到申请之日起20个工作日内答复,经负责人同意可以延长不超过20个工作日。需要补正、征求第三方或其他机关意见的时间不计算在内。",
            true,
        ),
        (
            "(草稿)政府信息公开年度报告何时发布?",
            "每年1月31日前发布上一年度报告。",
            false,
        ),
    ] {
        let d = AnswerDraft::parse(&AnswerInput {
            question: question.into(),
            answer: answer.into(),
            documents: String::new(),
            published: if published {
                "on".into()
            } else {
                String::new()
            },
        })?;
        gongkai_app::answers::create_in(tx, ctx, agency, &d).await?;
    }
    Ok(())
}

async fn agency_id(tx: &mut gongkai_store::Tx, code: &str) -> Result<i64, DomainError> {
    Ok(agencies::by_code(tx, &AgencyCode::parse(code)?)
        .await?
        .ok_or(DomainError::NotFound {
            what: "演示机构"
        })?
        .id)
}

/// (agency, title, 文号, 文种, topic, formed on)
const GENERATED: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "YX0202",
        "云溪区教育局关于做好2024年义务教育阶段招生入学工作的通知",
        "云教发〔2024〕12号",
        "notice",
        "科技、教育\\教育",
        "2024-04-08",
    ),
    (
        "YX0202",
        "云溪区教育局关于印发《云溪区中小学课后服务管理办法》的通知",
        "云教规〔2023〕2号",
        "notice",
        "科技、教育\\教育",
        "2023-08-21",
    ),
    (
        "YX0204",
        "云溪区卫生健康委员会关于开展2024年爱国卫生月活动的通知",
        "云卫发〔2024〕7号",
        "notice",
        "卫生、体育\\卫生",
        "2024-03-28",
    ),
    (
        "YX0203",
        "云溪区2024年区级预算执行情况和2025年区级预算草案的报告",
        "",
        "report",
        "财政、金融、审计\\财政",
        "2025-01-15",
    ),
    (
        "YX0201",
        "云溪区发展和改革委员会关于公布2024年区重大建设项目计划的通知",
        "云发改〔2024〕5号",
        "notice",
        "国民经济管理、国有资产监管\\其他",
        "2024-02-26",
    ),
    (
        "YX0205",
        "云溪区生态环境局关于2024年第三季度环境质量状况的公告",
        "",
        "announcement",
        "城乡建设、环境保护\\环境监测、保护与治理",
        "2024-10-15",
    ),
    (
        "YX0301",
        "东湖街道关于公布2024年社区为民办实事项目的通告",
        "",
        "public_notice",
        "民政、扶贫、救灾\\其他",
        "2024-05-06",
    ),
    (
        "YX0100",
        "云溪区人民政府办公室关于印发《2024年云溪区政务公开工作要点》的通知",
        "云府办发〔2024〕9号",
        "notice",
        "综合政务\\政务公开",
        "2024-04-22",
    ),
];

/// Generated documents that fill the lists, a pair in which a newer rule replaces an older
/// one (the older shows the 已废止 banner), and a draft past its publication date.
async fn generated(
    tx: &mut gongkai_store::Tx,
    ctx: &gongkai_app::Ctx<'_>,
    today: NaiveDate,
) -> Result<(), DomainError> {
    let office = &ctx.principal;
    for (agency, title, number, kind, topic, formed) in GENERATED {
        let input = DocumentInput {
            title: (*title).into(),
            doc_number: (*number).into(),
            kind: (*kind).into(),
            topic: (*topic).into(),
            formed_on: (*formed).into(),
            body: format!(
                "{title}\n(演示内容)本文件为演示数据,由 gongkai 生成,用于展示列表、筛选和元数据。"
            ),
            disclosure_mode: "proactive".into(),
            ..Default::default()
        };
        let draft = DocumentDraft::parse(&input, today)?;
        let published = draft.formed_on + chrono::Duration::days(5);
        let agency = agency_id(tx, agency).await?;
        gongkai_app::documents::import_published_in(
            tx,
            ctx,
            agency,
            &draft,
            documents::Earlier {
                index_no: None,
                published_on: published,
            },
        )
        .await?;
    }
    let gov = agency_id(tx, "YX0100").await?;
    let rule = |title: &str, number: &str, formed: &str, note: &str| DocumentInput {
        title: title.into(),
        doc_number: number.into(),
        kind: "notice".into(),
        topic: "综合政务\\政务公开".into(),
        formed_on: formed.into(),
        is_normative: true,
        needs_interpretation: true,
        body: format!("第一条 为规范本区政府信息公开申请的办理,制定本规定。\n{note}"),
        disclosure_mode: "proactive".into(),
        ..Default::default()
    };
    let old = DocumentDraft::parse(
        &rule(
            "云溪区政府信息公开申请办理规定",
            "云府办规〔2019〕1号",
            "2019-06-03",
            "第二条 本规定自2019年7月1日起施行。",
        ),
        today,
    )?;
    let old = gongkai_app::documents::import_published_in(
        tx,
        ctx,
        gov,
        &old,
        documents::Earlier {
            index_no: None,
            published_on: NaiveDate::from_ymd_opt(2019, 6, 10).unwrap_or(today),
        },
    )
    .await?;
    let new = DocumentDraft::parse(
        &rule(
            "云溪区政府信息公开申请办理规定(2024年修订)",
            "云府办规〔2024〕2号",
            "2024-06-03",
            "第二条 本规定自2024年7月1日起施行,《云溪区政府信息公开申请办理规定》(云府办规〔2019〕1号)同时废止。",
        ),
        today,
    )?;
    let new = gongkai_app::documents::import_published_in(
        tx,
        ctx,
        gov,
        &new,
        documents::Earlier {
            index_no: None,
            published_on: NaiveDate::from_ymd_opt(2024, 6, 7).unwrap_or(today),
        },
    )
    .await?;
    let link = gongkai_domain::document::relation::Link::new(new, old)?;
    gongkai_app::documents::import_relation_in(tx, ctx, link, RelationKind::Replaces).await?;
    // A policy with two interpretations, one of them in a non-text form.
    for (title, form, body) in [
        (
            "《云溪区政府信息公开申请办理规定(2024年修订)》政策解读",
            "text",
            "一、修订背景\n为落实《中华人民共和国政府信息公开条例》,进一步规范申请办理,区政府办公室修订了本规定。\n二、主要变化\n明确了各渠道收到申请之日的认定规则和补正程序。",
        ),
        (
            "一图读懂:政府信息公开申请怎么办",
            "graphic",
            "第一步:提交申请(网上、当面、邮寄)\n第二步:收到申请之日起20个工作日内答复\n第三步:如需补正,7个工作日内一次性告知",
        ),
    ] {
        let d = InterpretationDraft::parse(&InterpretationInput {
            title: title.into(),
            form: form.into(),
            body: body.into(),
            link: String::new(),
        })?;
        gongkai_app::documents::interpret_in(tx, ctx, &[new], &d).await?;
    }
    // The district office's catalogue: items with content, and one still empty.
    let item =
        |name: &str, parent: Option<i64>, elements: &str, basis: &str, refresh: &str| ItemInput {
            parent: parent.map(|p| p.to_string()).unwrap_or_default(),
            name: name.into(),
            elements: elements.into(),
            basis: basis.into(),
            time_limit: "20".into(),
            channel: "政府网站、政府公报".into(),
            audience: "全社会".into(),
            method: "主动公开".into(),
            refresh_days: refresh.into(),
            // The basis names the 条例第二十条 item where there is one: “第二十条第(七)项”.
            statutory: gongkai_domain::catalogue::STATUTORY_ITEMS
                .iter()
                .enumerate()
                .map(|(i, _)| i as u32 + 1)
                .find(|n| {
                    basis.contains(&format!(
                        "第二十条第{}项",
                        gongkai_domain::catalogue::statutory_number(*n)
                    ))
                })
                .map(|n| n.to_string())
                .unwrap_or_default(),
        };
    let gov_office = agency_id(tx, "YX0100").await?;
    let policies = gongkai_app::catalogue::create_column_in(
        tx,
        ctx,
        gov_office,
        &ItemDraft::parse(&item(
            "政策文件",
            None,
            "",
            "《中华人民共和国政府信息公开条例》第二十条",
            "",
        ))?,
    )
    .await?;
    let normative = gongkai_app::catalogue::create_column_in(
        tx,
        ctx,
        gov_office,
        &ItemDraft::parse(&item(
            "行政规范性文件",
            Some(policies),
            "文件名称、文号、正文、施行日期",
            "条例第二十条第(一)项",
            "",
        ))?,
    )
    .await?;
    let work = gongkai_app::catalogue::create_column_in(
        tx,
        ctx,
        gov_office,
        &ItemDraft::parse(&item(
            "政务公开工作要点",
            Some(policies),
            "年度工作要点全文",
            "国务院办公厅年度政务公开工作要点",
            "400",
        ))?,
    )
    .await?;
    gongkai_app::catalogue::create_column_in(
        tx,
        ctx,
        gov_office,
        &ItemDraft::parse(&item(
            "财政预决算",
            None,
            "预算、决算及说明",
            "条例第二十条第(七)项",
            "365",
        ))?,
    )
    .await?;
    for (it, index) in [
        (normative, "YX0100/2024-00002"),
        (normative, "YX0100/2019-00001"),
        (work, "YX0100/2024-00001"),
        (work, "YX0100/2018-00001"),
    ] {
        gongkai_app::catalogue::file_in_column_in(tx, ctx, it, index).await?;
    }
    // One gazette issue collecting the year's main documents, in order.
    let issue = IssueInput {
        year: "2024".into(),
        number: "1".into(),
        issued_on: "2024-06-28".into(),
        documents: "YX0100/2024-00001\nYX0100/2024-00002\nYX0201/2024-00001\nYX0202/2024-00001\nYX0204/2024-00001".into(),
    };
    let issue_id =
        gongkai_app::gazette::create_in(tx, ctx, &IssueDraft::parse(&issue, today)?).await?;
    let font = gongkai_formats::pdf::font::Typeface::system();
    let pdf = gongkai_formats::pdf::document(
        font.as_deref(),
        "云溪区人民政府公报 2024年第1期",
        &[
            "(演示文件)云溪区人民政府办公室编印  2024年6月28日",
            "目录",
            "云溪区2024年政务公开工作要点",
            "云溪区政府信息公开申请办理规定(2024年修订)",
        ],
    );
    let upload = attachment::check("云溪区人民政府公报2024年第1期.pdf", &pdf, usize::MAX)?;
    gongkai_app::publishing::set_gazette_pdf_in(tx, ctx, issue_id, &upload, &pdf).await?;
    // A list published the regular way, with its files: drafted, attached, reviewed, published,
    // and filed under the DRC's catalogue item for 条例第二十条第(八)项.
    let fees = DocumentInput {
        title: "云溪区2024年涉企行政事业性收费目录清单".into(),
        doc_number: "云发改发〔2024〕12号".into(),
        kind: "notice".into(),
        topic: "财政、金融、审计\\财政".into(),
        formed_on: "2024-03-01".into(),
        body: "## 一、公布范围\n本清单列明本区现行有效的涉企行政事业性收费项目。\n\n## 二、说明\n1. 清单之外的收费项目,企业有权拒绝缴纳。\n2. 收费标准详见附件。\n\n| 项目 | 依据 |\n|---|---|\n| 不动产登记费 | 发改价格规〔2016〕2559号 |\n".into(),
        disclosure_mode: "proactive".into(),
        keywords: "收费清单 涉企收费".into(),
        ..Default::default()
    };
    let fees = DocumentDraft::parse(&fees, today)?;
    let drc = agency_id(tx, "YX0201").await?;
    let fees = gongkai_app::documents::register_in(tx, ctx, drc, &fees).await?;
    let pdf = gongkai_formats::pdf::document(
        font.as_deref(),
        "云溪区2024年涉企行政事业性收费目录清单",
        &["(演示文件)", "一、不动产登记费", "二、商标注册收费"],
    );
    let upload = attachment::check("涉企行政事业性收费目录清单.pdf", &pdf, usize::MAX)?;
    gongkai_app::publishing::attach_in(tx, ctx, fees, &upload, &pdf).await?;
    for action in [Action::Submit, Action::Approve, Action::Publish] {
        gongkai_app::documents::act_in(tx, ctx, fees, &action).await?;
    }
    let fee_item = gongkai_app::catalogue::create_column_in(
        tx,
        ctx,
        drc,
        &ItemDraft::parse(&ItemInput {
            name: "行政事业性收费".into(),
            elements: "收费项目、依据、标准".into(),
            basis: "条例第二十条第(八)项".into(),
            time_limit: "20".into(),
            channel: "政府网站".into(),
            audience: "全社会".into(),
            method: "主动公开".into(),
            refresh_days: "400".into(),
            statutory: "8".into(),
            parent: String::new(),
        })?,
    )
    .await?;
    let fee_index = documents::staff_get(tx, office, fees)
        .await?
        .summary
        .index_no;
    gongkai_app::catalogue::file_in_column_in(tx, ctx, fee_item, &fee_index).await?;
    // A draft formed well over 20 working days ago: the dashboard shows it overdue.
    let late = DocumentInput {
        title: "云溪区教育局关于调整部分学校作息时间的通知".into(),
        doc_number: "云教发〔2026〕31号".into(),
        kind: "notice".into(),
        topic: "科技、教育\\教育".into(),
        formed_on: (today - chrono::Duration::days(45)).to_string(),
        body: "各中小学:\n经研究,决定调整部分学校作息时间。".into(),
        disclosure_mode: "proactive".into(),
        ..Default::default()
    };
    let late = DocumentDraft::parse(&late, today)?;
    let education = agency_id(tx, "YX0202").await?;
    gongkai_app::documents::register_in(tx, ctx, education, &late).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_bodies_lose_page_furniture() {
        let b = body(&SEEDS[1]);
        assert!(
            b.starts_with("\n各镇人民政府") || b.starts_with("各镇人民政府"),
            "{}",
            &b[..60]
        );
        assert!(!b.contains("政策留言板"));
        assert!(!body(&SEEDS[2]).contains("网站备案"));
        assert!(!body(&SEEDS[4]).contains("复兴中路593号"));
        assert!(
            body(&SEEDS[0])
                .trim_start()
                .starts_with("2018年本区政务公开工作的总体要求")
        );
        for s in SEEDS {
            assert!(body(s).chars().count() > 1000, "{}", s.title);
        }
    }
}
