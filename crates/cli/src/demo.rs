//! The demo district: an invented 云溪区 with its office, departments, towns and villages,
//! one user per role, and the five seed documents as records of their issuing agencies.

use chrono::NaiveDate;
use gongkai_domain::DomainError;
use gongkai_domain::agency::{AgencyCode, AgencyDraft, AgencyInput};
use gongkai_domain::user::UserDraft;
use gongkai_store::documents::{self, DocumentDraft};
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
        date: (2018, 6, 8),
        skip_lines: 4,
        cut_at: None,
    },
    Seed {
        text: include_str!("../../../demo/seeds/001_fedb41de06f635a6.txt"),
        agency: "YX0100",
        title: "上海市嘉定区人民政府办公室关于印发《2021年上海市嘉定区政务公开工作要点》的通知",
        doc_number: Some("嘉府办发〔2021〕18号"),
        date: (2021, 4, 16),
        skip_lines: 7,
        cut_at: Some("政策留言板"),
    },
    Seed {
        text: include_str!("../../../demo/seeds/002_4ed54002f05e18c6.txt"),
        agency: "YX0000",
        title: "2017年双城区政务公开工作要点",
        doc_number: None,
        date: (2017, 7, 3),
        skip_lines: 1,
        cut_at: Some("设为首页"),
    },
    Seed {
        text: include_str!("../../../demo/seeds/003_e12181306ca0a942.txt"),
        agency: "YX0000",
        title: "2018年楊浦區政府信息公開工作年度報告",
        doc_number: None,
        date: (2019, 3, 29),
        skip_lines: 0,
        cut_at: None,
    },
    Seed {
        text: include_str!("../../../demo/seeds/004_4ec3008c1d2e73c8.txt"),
        agency: "YX0100",
        title: "中共上海市委办公厅 上海市人民政府办公厅印发《关于全面推进政务公开工作的实施意见》的通知",
        doc_number: Some("沪委办发〔2017〕14号"),
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
        };
        agencies::create(&mut tx, &actor, &AgencyDraft::parse(&input)?).await?;
    }
    let mut logins = Vec::new();
    for (username, display, role, agency) in USERS {
        let password = match fixed_password {
            Some(p) => p.to_string(),
            None => secret::random_token(12)?,
        };
        let draft = UserDraft::parse(username, display, role)?;
        users::create(&mut tx, &actor, &draft, agency, &password).await?;
        logins.push(DemoLogin {
            username,
            role,
            password,
        });
    }
    for seed in SEEDS {
        let agency = agencies::by_code(&mut tx, &AgencyCode::parse(seed.agency)?)
            .await?
            .ok_or(DomainError::NotFound {
                what: "演示机构"
            })?;
        let (y, m, d) = seed.date;
        let draft = DocumentDraft::new(
            agency.id,
            seed.title,
            seed.doc_number,
            NaiveDate::from_ymd_opt(y, m, d),
            &body(seed),
        )?;
        documents::create(&mut tx, &actor, &draft).await?;
    }
    tx.commit().await?;
    Ok(logins)
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
