//! Demo records of every typed list: 双公示 decisions (one a natural person's, masked; one an
//! old penalty past its publication period), powers with an adjustment, a service guide, fee
//! items with amounts, a budget disclosure, proposal replies, a negative-list item due for
//! review, an open dataset with a CSV resource, and an open event taking registrations.

use chrono::{Datelike, Duration, NaiveDate};
use gongkai_app::Ctx;
use gongkai_domain::DomainError;
use gongkai_domain::calendar::WorkCalendar;
use gongkai_domain::lists::extras::CollectionDraft;
use gongkai_domain::lists::{ListKind, Values, parse_values};
use gongkai_store::Tx;
use gongkai_store::list_extras::NewResource;
use gongkai_store::lists::Created;

fn values(kind: ListKind, pairs: &[(&str, String)]) -> Result<Values, DomainError> {
    parse_values(kind.spec(), |f| {
        pairs
            .iter()
            .find(|(k, _)| *k == f.key)
            .map(|(_, v)| v.as_str())
    })
    .map_err(|mut es| es.remove(0))
}

async fn add(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    kind: ListKind,
    agency: i64,
    pairs: &[(&str, String)],
    cal: &WorkCalendar,
) -> Result<i64, DomainError> {
    let v = values(kind, pairs)?;
    match gongkai_app::lists::create_in(
        tx,
        ctx,
        cal,
        gongkai_domain::lists::Target {
            kind,
            agency_id: agency,
            publish: true,
        },
        &v,
    )
    .await?
    {
        Created::New(id) | Created::Unchanged(id) => Ok(id),
    }
}

fn s(v: &str) -> String {
    v.to_string()
}

/// The demo agencies that keep lists.
pub struct Agencies {
    pub education: i64,
    pub finance: i64,
    pub ecology: i64,
}

pub async fn load(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    a: &Agencies,
    today: NaiveDate,
    cal: &WorkCalendar,
) -> Result<(), DomainError> {
    let day = |n: i64| (today - Duration::days(n)).to_string();
    let year = today.year();
    // 双公示: licences.
    add(
        tx,
        ctx,
        ListKind::Licence,
        a.ecology,
        &[
            ("doc_no", format!("云环评审〔{year}〕12号")),
            ("category", s("普通")),
            ("party", s("云溪新材料科技有限公司")),
            ("party_kind", s("法人及非法人组织")),
            ("credit_code", s("91330108MA2H0QXT18")),
            ("legal_rep", s("陈立")),
            (
                "content",
                s("年产 2000 吨环保涂料建设项目环境影响报告表审批"),
            ),
            ("decided_on", day(3)),
            ("authority", s("云溪区生态环境局")),
        ],
        cal,
    )
    .await?;
    add(
        tx,
        ctx,
        ListKind::Licence,
        a.education,
        &[
            ("doc_no", format!("云教许〔{year}〕5号")),
            ("category", s("普通")),
            ("party", s("云溪区小树苗托育服务中心")),
            ("party_kind", s("个体工商户")),
            ("credit_code", s("92330108MA2J7KLP0G")),
            ("content", s("民办培训机构办学许可(艺术类)")),
            ("decided_on", day(5)),
            ("valid_from", day(5)),
            ("valid_to", (today + Duration::days(5 * 365)).to_string()),
            ("authority", s("云溪区教育局")),
        ],
        cal,
    )
    .await?;
    // 双公示: penalties, one against a natural person (shown as 张**), one past its period.
    add(
        tx,
        ctx,
        ListKind::Penalty,
        a.ecology,
        &[
            ("doc_no", format!("云环罚〔{year}〕8号")),
            ("party", s("张建国")),
            ("party_kind", s("自然人")),
            ("id_number", s("330102199001011234")),
            ("violation", s("露天焚烧垃圾")),
            (
                "facts",
                // As clerks type it: the ID in full-width digits with spaces, the phone
                // hyphenated, the name spaced. The public sees none of it.
                s("当事人张 建国(身份证号 ３３０１０２ 19900101 1234,联系电话 138-0000-2222)于本月在桥头镇村道旁露天焚烧生活垃圾,经现场检查属实。"),
            ),
            (
                "basis",
                s("《中华人民共和国大气污染防治法》第一百一十九条第二款"),
            ),
            ("category", s("罚款")),
            ("content", s("罚款人民币五百元")),
            ("fine", s("500")),
            ("decided_on", day(2)),
            ("authority", s("云溪区生态环境局")),
            ("severity", s("一般失信")),
        ],
        cal,
    )
    .await?;
    add(
        tx,
        ctx,
        ListKind::Penalty,
        a.ecology,
        &[
            ("doc_no", format!("云环罚〔{year}〕6号")),
            ("party", s("云溪新材料科技有限公司")),
            ("party_kind", s("法人及非法人组织")),
            ("credit_code", s("91330108MA2H0QXT18")),
            ("legal_rep", s("陈立")),
            ("violation", s("未按规定设置危险废物识别标志")),
            (
                "facts",
                s("经检查,该公司危险废物贮存场所未设置危险废物识别标志。"),
            ),
            (
                "basis",
                s("《中华人民共和国固体废物污染环境防治法》第一百一十二条"),
            ),
            ("category", s("警告、罚款")),
            ("content", s("警告,并处罚款人民币壹万元")),
            ("fine", s("10000")),
            ("decided_on", day(4)),
            ("authority", s("云溪区生态环境局")),
            ("severity", s("一般失信")),
        ],
        cal,
    )
    .await?;
    add(
        tx,
        ctx,
        ListKind::Penalty,
        a.ecology,
        &[
            ("doc_no", format!("云环罚〔{}〕3号", year - 2)),
            ("party", s("云溪某某洗涤有限公司")),
            ("party_kind", s("法人及非法人组织")),
            ("credit_code", s("91330100799655058B")),
            ("violation", s("超标排放水污染物")),
            ("facts", s("该公司废水总排口化学需氧量超过排放标准。")),
            ("basis", s("《中华人民共和国水污染防治法》第八十三条")),
            ("category", s("罚款")),
            ("content", s("罚款人民币二十万元")),
            ("fine", s("200000")),
            ("decided_on", (today - Duration::days(400)).to_string()),
            ("authority", s("云溪区生态环境局")),
            ("severity", s("一般失信")),
        ],
        cal,
    )
    .await?;
    gongkai_app::lists::expire_in(tx, ctx).await?;
    // 权责清单, one power handed down to the towns.
    add(tx, ctx, ListKind::Powers, a.ecology, &[
        ("code", s("330108-XK-001")),
        ("name", s("建设项目环境影响评价文件审批")),
        ("category", s("行政许可")),
        ("basis", s("《中华人民共和国环境影响评价法》第二十二条")),
        ("subject", s("云溪区生态环境局")),
        ("duties", s("1.受理责任:公示申请材料,一次性告知补正材料。\n2.审查责任:组织技术评估。\n3.决定责任:作出审批决定并公开。")),
        ("accountability", s("对符合条件的不予受理、不在法定期限内作出决定的,依法追究责任。")),
    ], cal).await?;
    add(
        tx,
        ctx,
        ListKind::Powers,
        a.ecology,
        &[
            ("code", s("330108-CF-015")),
            ("name", s("对露天焚烧秸秆、落叶等产生烟尘污染物质的处罚")),
            ("category", s("行政处罚")),
            ("basis", s("《中华人民共和国大气污染防治法》第一百一十九条")),
            ("subject", s("各镇人民政府、街道办事处")),
            ("duties", s("立案、调查、审查、告知、决定、执行。")),
            (
                "accountability",
                s("未依法履行职责造成后果的,依法追究责任。"),
            ),
            ("adjustment", s("下放")),
            ("adjusted_on", day(6)),
        ],
        cal,
    )
    .await?;
    // 办事指南.
    add(tx, ctx, ListKind::Guide, a.education, &[
        ("code", s("330108-JY-0031")),
        ("name", s("适龄儿童入学登记")),
        ("basis", s("《中华人民共和国义务教育法》第十二条")),
        ("conditions", s("户籍或居住证在本区、年满六周岁的适龄儿童。")),
        ("materials", s("户口簿|原件|1\n房产证明或居住证|复印件|1|/static/site.css\n儿童预防接种证|原件|1")),
        ("process", s("网上登记—学校审核—公布结果—报到注册")),
        ("time_limit", s("10个工作日")),
        ("fee", s("不收费")),
        ("place", s("云溪区政务服务中心二楼教育窗口,工作日 9:00—17:00;也可在网上办理")),
        ("phone", s("021-5700 0202")),
        ("online", s("全程网办")),
    ], cal).await?;
    // 收费目录 with what was collected last year.
    let fee = add(
        tx,
        ctx,
        ListKind::Fees,
        a.ecology,
        &[
            ("code", s("HB-001")),
            ("name", s("环境监测服务费")),
            ("category", s("行政事业性收费")),
            ("basis", s("财税〔2015〕102号")),
            ("standard", s("按监测项目计收,每项 80—600 元")),
            ("collector", s("云溪区环境监测站")),
        ],
        cal,
    )
    .await?;
    let collected = CollectionDraft::parse(year - 1, 1_234_500, "区财政非税收入系统年报")?;
    gongkai_app::lists::set_collection_in(tx, ctx, fee, &collected).await?;
    add(
        tx,
        ctx,
        ListKind::Fees,
        a.finance,
        &[
            ("code", s("JJ-003")),
            ("name", s("城市基础设施配套费")),
            ("category", s("政府性基金")),
            ("basis", s("财综〔2002〕3号")),
            ("standard", s("按建筑面积每平方米 100 元")),
            ("collector", s("云溪区住房和城乡建设局")),
        ],
        cal,
    )
    .await?;
    // 预决算: this year's budget, approved last week, with every required part.
    add(
        tx,
        ctx,
        ListKind::Budget,
        a.education,
        &[
            ("year", year.to_string()),
            ("kind", s("部门预算")),
            ("approved_on", day(7)),
            ("title", format!("云溪区教育局{year}年部门预算")),
            ("link", s("/documents")),
            (
                "sections",
                gongkai_domain::lists::kinds::BUDGET_SECTIONS.join("、"),
            ),
        ],
        cal,
    )
    .await?;
    add(
        tx,
        ctx,
        ListKind::Budget,
        a.ecology,
        &[
            ("year", (year - 1).to_string()),
            ("kind", s("部门决算")),
            ("approved_on", day(10)),
            ("title", format!("云溪区生态环境局{}年部门决算", year - 1)),
            ("link", s("/documents")),
            ("sections", s("收支总表、收入总表、支出总表、情况说明")),
        ],
        cal,
    )
    .await?;
    // 建议提案办理结果.
    add(tx, ctx, ListKind::Proposal, a.education, &[
        ("number", format!("{year}-R-015")),
        ("title", s("关于增加东湖片区小学学位的建议")),
        ("kind", s("人大代表建议")),
        ("year", year.to_string()),
        ("proposer", s("王海燕代表")),
        ("lead", s("云溪区教育局")),
        ("assist", s("云溪区规划和自然资源局")),
        ("result", s("列入计划拟解决")),
        ("replied_on", day(20)),
        ("mode", s("全文公开")),
        ("reply", s("王海燕代表:您提出的建议收悉。经研究,东湖第二小学扩建工程已列入明年计划,建成后新增学位 540 个。感谢您对教育工作的关心。")),
    ], cal).await?;
    add(
        tx,
        ctx,
        ListKind::Proposal,
        a.ecology,
        &[
            ("number", format!("{year}-Z-042")),
            ("title", s("关于加强桥头镇河道水质监测的提案")),
            ("kind", s("政协委员提案")),
            ("year", year.to_string()),
            ("proposer", s("李振华委员")),
            ("lead", s("云溪区生态环境局")),
            ("result", s("解决或基本解决")),
            ("replied_on", day(15)),
            ("mode", s("摘要公开")),
            ("reply", s("(答复全文涉及企业排污许可细节)")),
            (
                "summary",
                s("已在桥头镇主要河道增设 3 个水质自动监测站,数据在开放数据目录中按日更新。"),
            ),
        ],
        cal,
    )
    .await?;
    // 负面清单: one item whose periodic review is coming up.
    add(
        tx,
        ctx,
        ListKind::Negative,
        a.ecology,
        &[
            ("code", s("FM-HB-01")),
            ("item", s("环境违法案件举报人信息")),
            ("ground", s("保护第三方合法权益")),
            (
                "basis",
                s("《政府信息公开条例》第十五条;《环境保护公众参与办法》第十一条"),
            ),
            ("scope", s("举报人姓名、联系方式及可能识别其身份的信息")),
            ("review_on", (today + Duration::days(12)).to_string()),
        ],
        cal,
    )
    .await?;
    add(
        tx,
        ctx,
        ListKind::Negative,
        a.education,
        &[
            ("code", s("FM-JY-02")),
            ("item", s("中考试题及评分标准(启用前)")),
            ("ground", s("属于国家秘密")),
            ("basis", s("《教育工作中国家秘密及其密级具体范围的规定》")),
            ("scope", s("启用前的试题、参考答案和评分标准")),
            ("review_on", (today + Duration::days(200)).to_string()),
        ],
        cal,
    )
    .await?;
    // 开放数据: a dataset with a CSV file and an API endpoint.
    let dataset = add(tx, ctx, ListKind::Dataset, a.ecology, &[
        ("code", s("YX-HB-2026-001")),
        ("title", s("云溪区河道水质自动监测日数据")),
        ("description", s("桥头镇、东湖街道主要河道水质自动监测站的日均值:pH、溶解氧、高锰酸盐指数、氨氮。")),
        ("topic", s("资源环境")),
        ("frequency", s("每日")),
        ("licence", s("知识共享署名 4.0(CC BY 4.0)")),
        ("temporal", format!("{year}-01-01 至今")),
        ("spatial", s("云溪区")),
        ("fields", s("日期:监测日期\n站点:监测站名称\n溶解氧:mg/L\n氨氮:mg/L")),
        ("updated_on", day(1)),
    ], cal).await?;
    let csv = format!(
        "日期,站点,溶解氧,氨氮\n{},桥头一站,7.8,0.21\n{},桥头二站,6.9,0.35\n{},东湖站,8.1,0.18\n{},桥头一站,7.6,0.24\n",
        day(2),
        day(2),
        day(2),
        day(1)
    );
    gongkai_app::lists::add_resource_in(
        tx,
        ctx,
        dataset,
        "水质日数据(CSV)",
        NewResource::File {
            format: gongkai_domain::lists::extras::DataFormat::Csv,
            file_name: "water-quality.csv",
            bytes: csv.as_bytes(),
            rows: Some(4),
        },
    )
    .await?;
    gongkai_app::lists::add_resource_in(
        tx,
        ctx,
        dataset,
        "水质数据接口",
        NewResource::Endpoint("https://data.example.invalid/api/water-quality"),
    )
    .await?;
    // 政府开放活动: one coming up, one held with its feedback published.
    add(
        tx,
        ctx,
        ListKind::Event,
        a.ecology,
        &[
            ("code", format!("KF-{year}-07")),
            ("theme", s("走进污水处理厂——生态环境开放日")),
            ("held_on", (today + Duration::days(20)).to_string()),
            ("time", s("9:30—11:30")),
            ("mode", s("现场")),
            ("place", s("云溪区第二污水处理厂(桥头镇滨河路 88 号)")),
            ("capacity", s("30")),
            (
                "description",
                s("参观污水处理工艺流程,与技术人员交流,了解河道水质监测数据。"),
            ),
        ],
        cal,
    )
    .await?;
    add(tx, ctx, ListKind::Event, a.education, &[
        ("code", format!("KF-{year}-03")),
        ("theme", s("义务教育招生政策开放日")),
        ("held_on", day(60)),
        ("time", s("14:00—16:00")),
        ("mode", s("现场和线上")),
        ("place", s("云溪区教育局三楼会议室;线上直播")),
        ("capacity", s("50")),
        ("description", s("解读招生政策,现场答疑。")),
        ("feedback", s("共 46 人现场参加、1200 人次观看直播;收到问题 38 个,已在“一网通答”中答复 30 个,其余 8 个已转相关学校办理。")),
    ], cal).await?;
    Ok(())
}
