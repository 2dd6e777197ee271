//! The list kinds and their declared fields. Everything a list does — validation, import
//! columns, public columns, filters, masking, deadlines — is read from these declarations.

use super::field::FieldSpec as F;
use super::field::FieldType::*;
use super::timing::Limit;
use crate::document::WithholdGround;
use crate::error::Field;

labelled_enum!(
    ListKind, Field::new("kind", "清单类别"), "清单类别", {
        Licence => ("xzxk", "行政许可信息"),
        Penalty => ("xzcf", "行政处罚信息"),
        Powers => ("qzqd", "权责清单"),
        Guide => ("bszn", "办事指南"),
        Fees => ("sfml", "收费目录清单"),
        Budget => ("yjs", "预决算公开"),
        Proposal => ("jyta", "建议提案办理结果"),
        Negative => ("fmqd", "政务公开负面清单"),
        Dataset => ("sjml", "开放数据目录"),
        Event => ("kfhd", "政府开放活动"),
    }
);

/// What a list kind declares.
#[derive(Debug)]
pub struct KindSpec {
    pub kind: ListKind,
    /// The heading the portal groups kinds under (双公示 holds 许可 and 处罚).
    pub group: &'static str,
    /// Why the list exists, shown above it.
    pub intro: &'static str,
    /// Which agency keeps the records: each record belongs to one agency of this description.
    pub responsible: &'static str,
    pub fields: &'static [F],
    /// Fields whose values together identify a record within its agency.
    pub key: &'static [&'static str],
    /// Fields whose public values make the record's title.
    pub title: &'static [&'static str],
    /// The record's own date: the list's order, the feed's date, the year filter.
    pub date: Option<&'static str>,
    /// The date an update limit counts from, and the limit.
    pub event: Option<(&'static str, Limit)>,
}

impl ListKind {
    pub fn spec(self) -> &'static KindSpec {
        match self {
            ListKind::Licence => &LICENCE,
            ListKind::Penalty => &PENALTY,
            ListKind::Powers => &POWERS,
            ListKind::Guide => &GUIDE,
            ListKind::Fees => &FEES,
            ListKind::Budget => &BUDGET,
            ListKind::Proposal => &PROPOSAL,
            ListKind::Negative => &NEGATIVE,
            ListKind::Dataset => &DATASET,
            ListKind::Event => &EVENT,
        }
    }

    /// The kind whose URL slug (its code) is `slug`.
    pub fn from_slug(slug: &str) -> Option<ListKind> {
        ListKind::ALL.iter().copied().find(|k| k.as_str() == slug)
    }
}

impl KindSpec {
    pub fn field(&self, key: &str) -> Option<&'static F> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The field a column header names: its label or its key.
    pub fn field_for_header(&self, header: &str) -> Option<&'static F> {
        let h = header
            .trim()
            .trim_start_matches('\u{feff}')
            .trim_end_matches(['*', '*']);
        self.fields.iter().find(|f| f.label == h || f.key == h)
    }

    pub fn filters(&self) -> impl Iterator<Item = &'static F> + '_ {
        self.fields.iter().filter(|f| f.filter)
    }

    pub fn columns(&self) -> impl Iterator<Item = &'static F> + '_ {
        self.fields.iter().filter(|f| f.column)
    }
}

const PARTY_KINDS: &[&str] = &["法人及非法人组织", "个体工商户", "自然人"];
pub const NATURAL_PERSON: &str = "自然人";

static LICENCE: KindSpec = KindSpec {
    kind: ListKind::Licence,
    responsible: "作出许可决定的行政机关",
    group: "双公示",
    intro: "行政许可决定自作出之日起 7 个工作日内公示(双公示)。自然人姓名按规则遮蔽,身份证号码不予公示。",
    fields: &[
        F::new("doc_no", "决定书文号", Text).required().column(),
        F::new(
            "category",
            "许可类别",
            Choice(&["普通", "特许", "认可", "核准", "登记", "其他"]),
        )
        .required()
        .filter()
        .column(),
        F::new("party", "行政相对人名称", PartyName)
            .required()
            .column(),
        F::new("party_kind", "行政相对人类别", Choice(PARTY_KINDS))
            .required()
            .filter(),
        F::new("credit_code", "统一社会信用代码", CreditCode),
        F::new("legal_rep", "法定代表人", Text),
        F::new("id_number", "证件号码", IdNumber),
        F::new("content", "许可内容", LongText).required(),
        F::new("decided_on", "决定日期", Date)
            .required()
            .filter()
            .column(),
        F::new("valid_from", "有效期自", Date),
        F::new("valid_to", "有效期至", Date),
        F::new("authority", "许可机关", Text).required(),
    ],
    key: &["doc_no"],
    title: &["party", "doc_no"],
    date: Some("decided_on"),
    event: Some(("decided_on", Limit::WorkingDays(7))),
};

/// 行政处罚法第九条.
const PENALTY_KINDS: &[&str] = &[
    "警告",
    "通报批评",
    "罚款",
    "没收违法所得",
    "没收非法财物",
    "暂扣许可证件",
    "降低资质等级",
    "吊销许可证件",
    "限制开展生产经营活动",
    "责令停产停业",
    "责令关闭",
    "限制从业",
    "行政拘留",
    "其他",
];
pub const GENERAL_DISHONESTY: &str = "一般失信";
pub const SERIOUS_DISHONESTY: &str = "严重失信";

static PENALTY: KindSpec = KindSpec {
    kind: ListKind::Penalty,
    responsible: "作出处罚决定的行政机关",
    group: "双公示",
    intro: "行政处罚决定自作出之日起 7 个工作日内公示;一般失信行为的处罚信息公示一年,严重失信三年,期满不再公示。自然人姓名按规则遮蔽,身份证号码不予公示。",
    fields: &[
        F::new("doc_no", "决定书文号", Text).required().column(),
        F::new("party", "行政相对人名称", PartyName)
            .required()
            .column(),
        F::new("party_kind", "行政相对人类别", Choice(PARTY_KINDS))
            .required()
            .filter(),
        F::new("credit_code", "统一社会信用代码", CreditCode),
        F::new("legal_rep", "法定代表人", Text),
        F::new("id_number", "证件号码", IdNumber),
        F::new("violation", "违法行为类型", Text)
            .required()
            .column(),
        F::new("facts", "违法事实", LongText).required(),
        F::new("basis", "处罚依据", LongText).required(),
        F::new("category", "处罚类别", Choices(PENALTY_KINDS))
            .required()
            .filter(),
        F::new("content", "处罚内容", LongText).required(),
        F::new("fine", "罚款金额(元)", Yuan),
        F::new("decided_on", "决定日期", Date)
            .required()
            .filter()
            .column(),
        F::new("authority", "处罚机关", Text).required(),
        F::new(
            "severity",
            "失信程度",
            Choice(&[GENERAL_DISHONESTY, SERIOUS_DISHONESTY]),
        )
        .required(),
    ],
    key: &["doc_no"],
    title: &["party", "doc_no"],
    date: Some("decided_on"),
    event: Some(("decided_on", Limit::WorkingDays(7))),
};

pub const POWER_KINDS: &[&str] = &[
    "行政许可",
    "行政处罚",
    "行政强制",
    "行政征收",
    "行政给付",
    "行政检查",
    "行政确认",
    "行政奖励",
    "行政裁决",
    "其他",
];
pub const CANCELLED: &str = "取消";

static POWERS: KindSpec = KindSpec {
    kind: ListKind::Powers,
    responsible: "行使职权的行政机关(机构编制部门统筹)",
    group: "权责清单",
    intro: "权力清单和责任清单。职能调整(取消、下放、承接等)后 10 个工作日内更新,调整历史可查。",
    fields: &[
        F::new("code", "职权编码", Text).required().column(),
        F::new("name", "职权名称", Text).required().column(),
        F::new("category", "职权类别", Choice(POWER_KINDS))
            .required()
            .filter()
            .column(),
        F::new("basis", "设定依据", LongText).required(),
        F::new("subject", "实施主体", Text).required().column(),
        F::new("duties", "责任事项", LongText).required(),
        F::new("accountability", "追责情形", LongText).required(),
        F::new(
            "adjustment",
            "调整类型",
            Choice(&["新增", CANCELLED, "下放", "承接", "变更"]),
        )
        .filter(),
        F::new("adjusted_on", "调整日期", Date),
    ],
    key: &["code"],
    title: &["name"],
    date: Some("adjusted_on"),
    event: Some(("adjusted_on", Limit::WorkingDays(10))),
};

static GUIDE: KindSpec = KindSpec {
    kind: ListKind::Guide,
    responsible: "政务服务事项的实施机关",
    group: "办事服务",
    intro: "政务服务事项办事指南。办事指南是受理的唯一依据,不得要求指南以外的材料。",
    fields: &[
        F::new("code", "事项编码", Text).required().column(),
        F::new("name", "事项名称", Text).required().column(),
        F::new("basis", "设定依据", LongText).required(),
        F::new("conditions", "受理条件", LongText).required(),
        F::new("materials", "申请材料", Materials).required(),
        F::new("process", "办理流程", LongText).required(),
        F::new("time_limit", "办理时限", Text).required().column(),
        F::new("fee", "收费标准", Text).required(),
        F::new("place", "办理地点和时间", LongText).required(),
        F::new("phone", "咨询和监督电话", Phone).required(),
        F::new(
            "online",
            "网上可办程度",
            Choice(&["全程网办", "一次登录", "最多跑一次", "不可网办"]),
        )
        .required()
        .filter()
        .column(),
    ],
    key: &["code"],
    title: &["name"],
    date: None,
    event: None,
};

pub const ADMIN_FEE: &str = "行政事业性收费";

static FEES: KindSpec = KindSpec {
    kind: ListKind::Fees,
    responsible: "执收单位的主管部门(财政、发展改革部门统筹)",
    group: "收费目录清单",
    intro: "行政事业性收费和政府性基金目录清单。各项目的年度收费金额汇入年度报告表二“行政事业性收费”。",
    fields: &[
        F::new("code", "项目编码", Text).required(),
        F::new("name", "项目名称", Text).required().column(),
        F::new("category", "收费类别", Choice(&[ADMIN_FEE, "政府性基金"]))
            .required()
            .filter()
            .column(),
        F::new("basis", "收费依据", LongText).required(),
        F::new("standard", "收费标准", LongText).required().column(),
        F::new("collector", "执收单位", Text).required().column(),
        F::new("valid_to", "有效期至", Date),
    ],
    key: &["code"],
    title: &["name"],
    date: None,
    event: None,
};

pub const BUDGET_SECTIONS: &[&str] = &[
    "部门职责及机构设置情况",
    "收支总表",
    "收入总表",
    "支出总表",
    "财政拨款收支总表",
    "一般公共预算财政拨款支出表",
    "一般公共预算财政拨款基本支出表",
    "“三公”经费支出表",
    "政府性基金预算财政拨款支出表",
    "国有资本经营预算财政拨款支出表",
    "情况说明",
    "名词解释",
];

static BUDGET: KindSpec = KindSpec {
    kind: ListKind::Budget,
    responsible: "各预算部门(财政部门统筹)",
    group: "财政预决算",
    intro: "部门预算、决算经本级财政部门批复后二十日内向社会公开(预算法第十四条),应包含规定的全部表格和说明。",
    fields: &[
        F::new("title", "标题", Text).required().column(),
        F::new("year", "年度", Year).required().filter().column(),
        F::new("kind", "类型", Choice(&["部门预算", "部门决算"]))
            .required()
            .filter()
            .column(),
        F::new("approved_on", "批复日期", Date).required().column(),
        F::new("link", "公开文件", Link).required(),
        F::new("sections", "公开内容", Choices(BUDGET_SECTIONS)).required(),
        F::new("note", "说明", LongText),
    ],
    key: &["year", "kind"],
    title: &["title"],
    date: Some("approved_on"),
    event: Some(("approved_on", Limit::Days(20))),
};

pub const FULL_TEXT: &str = "全文公开";
pub const SUMMARY_ONLY: &str = "摘要公开";
pub const NOT_DISCLOSED: &str = "不公开";

static PROPOSAL: KindSpec = KindSpec {
    kind: ListKind::Proposal,
    responsible: "建议提案的主办单位",
    group: "建议提案办理",
    intro: "人大代表建议和政协委员提案的办理结果。除涉及国家秘密等不宜公开的外,答复全文公开;摘要公开或不公开的说明理由。",
    fields: &[
        F::new("number", "编号", Text).required().column(),
        F::new("title", "标题", Text).required().column(),
        F::new("kind", "类别", Choice(&["人大代表建议", "政协委员提案"]))
            .required()
            .filter()
            .column(),
        F::new("year", "年度", Year).required().filter(),
        F::new("proposer", "提出人", Text).required(),
        F::new("lead", "主办单位", Text).required(),
        F::new("assist", "协办单位", Text),
        F::new(
            "result",
            "办理结果类别",
            Choice(&["解决或基本解决", "列入计划拟解决", "留作参考"]),
        )
        .required()
        .filter()
        .column(),
        F::new("replied_on", "答复日期", Date).required(),
        F::new(
            "mode",
            "公开方式",
            Choice(&[FULL_TEXT, SUMMARY_ONLY, NOT_DISCLOSED]),
        )
        .required(),
        F::new("reply", "答复全文", LongText).required(),
        F::new("summary", "答复摘要", LongText),
        F::new("reason", "不公开理由", Text),
    ],
    key: &["number"],
    title: &["title"],
    date: Some("replied_on"),
    event: None,
};

static NEGATIVE: KindSpec = KindSpec {
    kind: ListKind::Negative,
    responsible: "各行政机关(政务公开主管部门审核)",
    group: "政务公开负面清单",
    intro: "不予公开的事项,每项有条例第十四条至第十六条规定的理由和法律依据,定期复核。",
    fields: &[
        F::new("code", "编号", Text).required().column(),
        F::new("item", "事项名称", Text).required().column(),
        F::new("ground", "不予公开理由", Choice(GROUND_LABELS))
            .required()
            .filter()
            .column(),
        F::new("basis", "法律依据", LongText).required(),
        F::new("scope", "涉及信息范围", LongText).required(),
        F::new("review_on", "复核日期", Date).required().column(),
    ],
    key: &["code"],
    title: &["item"],
    date: None,
    event: None,
};

/// The labels of the withholding grounds, in the regulation's order.
pub const GROUND_LABELS: &[&str] = &[
    "属于国家秘密",
    "其他法律行政法规禁止公开",
    "危及“三安全一稳定”",
    "保护第三方合法权益",
    "属于三类内部事务信息",
    "属于四类过程性信息",
    "属于行政执法案卷",
    "属于行政查询事项",
];

/// The ground a negative-list label names.
pub fn ground_of(label: &str) -> Option<WithholdGround> {
    WithholdGround::ALL
        .iter()
        .copied()
        .find(|g| g.label() == label)
}

pub const FREQUENCIES: &[&str] = &[
    "实时",
    "每日",
    "每周",
    "每月",
    "每季度",
    "每半年",
    "每年",
    "不定期",
];

static DATASET: KindSpec = KindSpec {
    kind: ListKind::Dataset,
    responsible: "数据提供部门(公共数据主管部门统筹)",
    group: "数据开放",
    intro: "公共数据开放目录:数据集、更新频率、开放许可和资源文件,可下载,表格资源可按接口分页读取。",
    fields: &[
        F::new("code", "数据集编号", Text).required(),
        F::new("title", "数据集名称", Text).required().column(),
        F::new("description", "描述", LongText).required(),
        F::new(
            "topic",
            "主题",
            Choice(&[
                "经济建设",
                "资源环境",
                "教育科技",
                "道路交通",
                "社会发展",
                "公共安全",
                "财税金融",
                "城建住房",
                "社保就业",
                "医疗卫生",
                "文化休闲",
                "机构团体",
                "农业农村",
                "信用服务",
                "其他",
            ]),
        )
        .required()
        .filter()
        .column(),
        F::new("frequency", "更新频率", Choice(FREQUENCIES))
            .required()
            .filter()
            .column(),
        F::new(
            "licence",
            "开放许可",
            Choice(&[
                "知识共享署名 4.0(CC BY 4.0)",
                "政府数据无条件开放",
                "政府数据有条件开放",
            ]),
        )
        .required(),
        F::new("temporal", "时间范围", Text),
        F::new("spatial", "空间范围", Text),
        F::new("fields", "数据项", LongText),
        F::new("updated_on", "最近更新日期", Date)
            .required()
            .column(),
    ],
    key: &["code"],
    title: &["title"],
    date: Some("updated_on"),
    event: None,
};

static EVENT: KindSpec = KindSpec {
    kind: ListKind::Event,
    responsible: "主办活动的机关",
    group: "政府开放活动",
    intro: "政府开放日等活动:公开报名,现场或线上参加,活动后公布反馈情况。",
    fields: &[
        F::new("code", "活动编号", Text).required(),
        F::new("theme", "活动主题", Text).required().column(),
        F::new("held_on", "活动日期", Date)
            .required()
            .filter()
            .column(),
        F::new("time", "活动时间", Text).required(),
        F::new("mode", "形式", Choice(&["现场", "线上", "现场和线上"]))
            .required()
            .filter()
            .column(),
        F::new("place", "地点或参与方式", Text).required(),
        F::new("capacity", "名额", Count).required().column(),
        F::new("description", "活动介绍", LongText).required(),
        F::new("feedback", "反馈情况", LongText),
    ],
    key: &["code"],
    title: &["theme"],
    date: Some("held_on"),
    event: None,
};
