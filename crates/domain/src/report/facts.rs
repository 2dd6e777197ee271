//! The facts a report's text opens with, written from the tables so that they agree with them
//! (and stay checkable by [`super::stated`] once staff edit the text around them).

use super::Report;
use super::money::WanYuan;
use super::tables::{Row, TOTAL_COLUMN};
use crate::request::Outcome;
use crate::request::appeal::AppealKind;

fn share(n: i64, total: i64) -> String {
    if total == 0 {
        String::new()
    } else {
        format!("，占{:.1}%", n as f64 * 100.0 / total as f64)
    }
}

/// 一、总体情况: what was published and how requests were handled.
pub fn overview(r: &Report) -> String {
    let t = &r.table3;
    let v = |row: Row| t.get(row, TOTAL_COLUMN).unwrap_or(0);
    let total = v(Row::Total);
    let mut parts = Vec::new();
    let n = &r.table2.normative;
    let rules = &r.table2.rules;
    parts.push(format!(
        "{}年度，{}制发规章{}件、行政规范性文件{}件，废止规章{}件、行政规范性文件{}件；年末现行有效规章{}件、行政规范性文件{}件。",
        r.year,
        r.agency,
        rules.issued.unwrap_or(0),
        n.issued.unwrap_or(0),
        rules.repealed.unwrap_or(0),
        n.repealed.unwrap_or(0),
        rules.in_force.unwrap_or(0),
        n.in_force.unwrap_or(0),
    ));
    let mut handled = vec![format!(
        "本年度新收政府信息公开申请{}件，上年结转{}件；本年度办结{total}件",
        v(Row::New),
        v(Row::CarriedIn)
    )];
    let disclosed = v(Row::Outcome(Outcome::Disclosed));
    let partly = v(Row::Outcome(Outcome::PartlyDisclosed));
    let mut items = vec![
        format!("予以公开{disclosed}件{}", share(disclosed, total)),
        format!("部分公开{partly}件{}", share(partly, total)),
    ];
    for (group, word) in [
        ("（三）不予公开", "不予公开"),
        ("（四）无法提供", "无法提供"),
        ("（五）不予处理", "不予处理"),
        ("（六）其他处理", "其他处理"),
    ] {
        let n = t.group_sum(group, TOTAL_COLUMN);
        items.push(format!("{word}{n}件{}", share(n, total)));
    }
    handled.push(format!("其中{}", items.join("；")));
    parts.push(format!(
        "{}。结转下年度继续办理{}件。",
        handled.join("，"),
        v(Row::CarriedOut)
    ));
    let g = |k: AppealKind| r.table4.group(k)[4].unwrap_or(0);
    parts.push(format!(
        "因政府信息公开工作被申请行政复议{}件，被提起行政诉讼{}件。",
        g(AppealKind::Review),
        g(AppealKind::LawsuitDirect) + g(AppealKind::LawsuitAfterReview)
    ));
    parts.join("")
}

/// 六、其他需要报告的事项: the 信息处理费 actually collected (国办函〔2020〕109号).
pub fn other(fees_collected: WanYuan, payers: i64) -> String {
    if fees_collected.yuan == 0 {
        "本年度未收取政府信息公开信息处理费。".to_string()
    } else {
        format!(
            "依据《政府信息公开信息处理费管理办法》，本年度共有{payers}件申请缴纳信息处理费，实际收取信息处理费共计{}元。",
            fees_collected.yuan
        )
    }
}
