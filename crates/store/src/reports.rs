//! 年度报告: the counts behind tables 二, 三 and 四 (GROUP BY queries over requests, appeals
//! and documents — never loading the records), the stored drafts with their texts and manual
//! figures, submission into the disclosure workflow as a document of kind 报告, imports of
//! earlier years' reports, and the records behind any cell (drill-down).

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_domain::DomainError;
use gongkai_domain::document::{RelationKind, Validity};
use gongkai_domain::lists::{ListKind, RecordStatus};
use gongkai_domain::report::interchange::{from_json, to_json};
use gongkai_domain::report::manual::ManualFigures;
use gongkai_domain::report::tables::applicants_of_column;
use gongkai_domain::report::{
    self, DocCounts, FORMAT_2021, Finding, Previous, Report, ReportStatus, RequestCounts, Row,
    Scope, Table2, Table3, Table4, Texts, WanYuan, facts, year_bounds,
};
use gongkai_domain::request::ApplicantKind;
use gongkai_domain::request::appeal::{AppealKind, AppealResult};
use gongkai_domain::request::outcome::{OtherHandling, Outcome};
use gongkai_domain::request::workflow::Status as RequestStatus;
use gongkai_domain::user::Principal;
use serde::Serialize;
use serde_json::json;

use crate::agencies::Agency;
use crate::audit::{self, Actor};
use crate::db::{Exec, Result, Sql, Tx};

const WHAT: &str = "年度报告";

/// When a request ended: the reply's delivery (replied, and perhaps archived since), or the
/// applicant's withdrawal.
pub(crate) fn closed() -> String {
    format!(
        "(CASE WHEN r.status = '{}' THEN r.withdrawn_on WHEN r.status IN ('{}', '{}') \
         THEN r.replied_on END)",
        RequestStatus::Withdrawn.as_str(),
        RequestStatus::Replied.as_str(),
        RequestStatus::Archived.as_str(),
    )
}

/// The table 三 row a closed request is counted in; a withdrawal is （六）其他处理 3.其他.
fn row_code() -> String {
    format!(
        "(CASE WHEN r.status = '{}' THEN '{}' ELSE r.outcome END)",
        RequestStatus::Withdrawn.as_str(),
        Outcome::Other(OtherHandling::Other).code(),
    )
}

/// `$first, $first+1, …` for an IN list of `n` values.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn bind_ids(mut sql: Sql, ids: &[i64]) -> Sql {
    for id in ids {
        sql = sql.bind(*id);
    }
    sql
}

/// The agencies a report covers: the agency itself, or a government with every agency under
/// it (at any depth).
pub async fn scope_agencies(e: &mut impl Exec, agency_id: i64, scope: Scope) -> Result<Vec<i64>> {
    if scope == Scope::Agency {
        return Ok(vec![agency_id]);
    }
    let rows = e
        .fetch_all(
            Sql::new(
                "WITH RECURSIVE tree(id) AS (SELECT CAST($1 AS BIGINT) \
                 UNION ALL SELECT a.id FROM agencies a JOIN tree t ON a.parent_id = t.id) \
                 SELECT id FROM tree ORDER BY id",
            )
            .bind(agency_id),
        )
        .await?;
    rows.iter().map(|r| r.get("id")).collect()
}

/// What the platform's records give for one set of agencies and one year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counted {
    pub rules: DocCounts,
    pub normative: DocCounts,
    pub table3: Table3,
    pub table4: Table4,
    /// 信息处理费 paid during the year, and by how many requests.
    pub fees_collected: WanYuan,
    pub fee_payers: i64,
}

/// Which requests a part of table 三 counts; `s` and `t` are the placeholders of 1 January
/// and 31 December. The counts and the drill-down share these, so a cell lists exactly what
/// it counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    New,
    CarriedIn,
    /// Ended in the year: each outcome row, and （七）总计.
    Closed,
    CarriedOut,
}

impl Part {
    const ALL: [Part; 4] = [Part::New, Part::CarriedIn, Part::Closed, Part::CarriedOut];

    fn of(row: Row) -> Part {
        match row {
            Row::New => Part::New,
            Row::CarriedIn => Part::CarriedIn,
            Row::Outcome(_) | Row::Total => Part::Closed,
            Row::CarriedOut => Part::CarriedOut,
        }
    }

    fn condition(self, s: usize, t: usize) -> String {
        let closed = closed();
        match self {
            Part::New => format!("r.received_on >= ${s} AND r.received_on <= ${t}"),
            Part::CarriedIn => {
                format!("r.received_on < ${s} AND ({closed} IS NULL OR {closed} >= ${s})")
            }
            Part::Closed => {
                format!("r.received_on IS NOT NULL AND {closed} >= ${s} AND {closed} <= ${t}")
            }
            Part::CarriedOut => {
                format!("r.received_on <= ${t} AND ({closed} IS NULL OR {closed} > ${t})")
            }
        }
    }
}

/// An appeal's result as it stood on 31 December (placeholder `t`): undecided then is 尚未审结.
fn appeal_result_at(t: usize) -> String {
    format!(
        "(CASE WHEN a.decided_on IS NULL OR a.decided_on > ${t} THEN '{}' ELSE a.result END)",
        AppealResult::Pending.as_str()
    )
}

/// Counts tables 二 (documents), 三 and 四: one pass over the requests, one over the appeals,
/// one over the documents, one for the fees.
pub async fn count(e: &mut impl Exec, ids: &[i64], year: i32) -> Result<Counted> {
    let (start, end) = year_bounds(year)?;
    let n = ids.len();
    let agencies = placeholders(1, n);
    let (s, t) = (n + 1, n + 2);
    let mut counts = RequestCounts::default();

    // Every counted request was received by 31 December and not ended before 1 January; one
    // scan of those sums each part per applicant kind and outcome.
    let sums: Vec<String> = Part::ALL
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                "SUM(CASE WHEN {} THEN 1 ELSE 0 END) AS p{i}",
                p.condition(s, t)
            )
        })
        .collect();
    let (closed, row_code) = (closed(), row_code());
    let sql = format!(
        "SELECT r.applicant_kind AS kind, {row_code} AS code, {} FROM requests r \
         WHERE r.agency_id IN ({agencies}) AND r.received_on <= ${t} \
         AND ({closed} IS NULL OR {closed} >= ${s}) GROUP BY 1, 2",
        sums.join(", ")
    );
    let q = bind_ids(Sql::dynamic(sql), ids).bind(start).bind(end);
    for r in e.fetch_all(q).await? {
        let kind = r.code("kind")?;
        for (i, part) in Part::ALL.iter().enumerate() {
            let n = r.get::<Option<i64>>(&format!("p{i}"))?.unwrap_or(0);
            if n == 0 {
                continue;
            }
            let row = match part {
                Part::New => Row::New,
                Part::CarriedIn => Row::CarriedIn,
                Part::CarriedOut => Row::CarriedOut,
                Part::Closed => {
                    let outcome = r.code_opt("code")?.ok_or_else(|| {
                        DomainError::internal("a replied request without an outcome")
                    })?;
                    Row::Outcome(outcome)
                }
            };
            counts.counts.push((row, kind, n));
        }
    }
    let table3 = Table3::from_counts(&counts);

    // Table 四: appeals filed during the year, with their result as it stood at year end.
    let mut q = bind_ids(
        Sql::dynamic(format!(
            "SELECT a.kind AS kind, {} AS result, COUNT(*) AS n \
             FROM request_appeals a JOIN requests r ON r.id = a.request_id \
             WHERE r.agency_id IN ({agencies}) AND a.filed_on >= ${s} AND a.filed_on <= ${t} \
             GROUP BY 1, 2",
            appeal_result_at(t)
        )),
        ids,
    );
    q = q.bind(start).bind(end);
    let mut appeals = Vec::new();
    for r in e.fetch_all(q).await? {
        appeals.push((r.code("kind")?, r.code("result")?, r.get::<i64>("n")?));
    }
    let table4 = Table4::from_counts(&appeals);

    let (rules, normative) = count_documents(e, ids, year).await?;

    let q = bind_ids(
        Sql::dynamic(format!(
            "SELECT CAST(COALESCE(SUM(r.fee_yuan), 0) AS BIGINT) AS yuan, COUNT(*) AS n \
             FROM requests r WHERE r.agency_id IN ({agencies}) AND r.fee_paid_on >= ${s} \
             AND r.fee_paid_on <= ${t}"
        )),
        ids,
    )
    .bind(start)
    .bind(end);
    let fees = e.fetch_all(q).await?;
    let (yuan, payers) = match fees.first() {
        Some(r) => (r.get::<i64>("yuan")?, r.get::<i64>("n")?),
        None => (0, 0),
    };
    Ok(Counted {
        rules,
        normative,
        table3,
        table4,
        fees_collected: WanYuan::from_yuan(yuan),
        fee_payers: payers,
    })
}

/// Table 二 (第二十条第（一）项): public 规章 and 行政规范性文件 by 成文日期; a document is
/// repealed on the publication of the document that repeals or replaces it.
async fn count_documents(
    e: &mut impl Exec,
    ids: &[i64],
    year: i32,
) -> Result<(DocCounts, DocCounts)> {
    let (start, end) = year_bounds(year)?;
    let n = ids.len();
    let agencies = placeholders(1, n);
    let (s, t) = (n + 1, n + 2);
    let repealed_on = format!(
        "(SELECT MIN(fv.published_on) FROM document_relations dr \
         JOIN documents fd ON fd.id = dr.from_id \
         JOIN document_versions fv ON fv.id = fd.public_version_id \
         WHERE dr.to_id = d.id AND dr.kind IN ('{repeals}', '{replaces}') AND fd.withdrawn_at IS NULL)",
        repeals = RelationKind::Repeals.as_str(),
        replaces = RelationKind::Replaces.as_str(),
    );
    let q = bind_ids(
        Sql::dynamic(format!(
            "SELECT CASE WHEN v.kind = '{rule}' THEN TRUE ELSE FALSE END AS is_rule, \
             SUM(CASE WHEN v.formed_on >= ${s} AND v.formed_on <= ${t} THEN 1 ELSE 0 END) AS issued, \
             SUM(CASE WHEN x.repealed_on >= ${s} AND x.repealed_on <= ${t} THEN 1 ELSE 0 END) AS repealed, \
             SUM(CASE WHEN v.formed_on <= ${t} AND NOT (d.validity IN ('{repealed}', '{expired}') \
                 AND (x.repealed_on IS NULL OR x.repealed_on <= ${t})) THEN 1 ELSE 0 END) AS in_force \
             FROM documents d JOIN document_versions v ON v.id = d.public_version_id \
             JOIN (SELECT d.id AS id, {repealed_on} AS repealed_on FROM documents d) x ON x.id = d.id \
             WHERE d.agency_id IN ({agencies}) AND d.withdrawn_at IS NULL \
             AND (v.kind = '{rule}' OR v.is_normative = TRUE) GROUP BY 1",
            rule = report::RULE_KIND.as_str(),
            repealed = Validity::Repealed.as_str(),
            expired = Validity::Expired.as_str(),
        )),
        ids,
    )
    .bind(start)
    .bind(end);
    let (mut rules, mut normative) = (DocCounts::default(), DocCounts::default());
    for c in [&mut rules, &mut normative] {
        *c = DocCounts {
            issued: Some(0),
            repealed: Some(0),
            in_force: Some(0),
        };
    }
    for r in e.fetch_all(q).await? {
        let c = DocCounts {
            issued: Some(r.get::<Option<i64>>("issued")?.unwrap_or(0)),
            repealed: Some(r.get::<Option<i64>>("repealed")?.unwrap_or(0)),
            in_force: Some(r.get::<Option<i64>>("in_force")?.unwrap_or(0)),
        };
        if r.get::<bool>("is_rule")? {
            rules = c;
        } else {
            normative = c;
        }
    }

    Ok((rules, normative))
}

/// A stored report (draft, submitted or imported).
#[derive(Clone, Debug, Serialize)]
pub struct AnnualReport {
    pub id: i64,
    pub agency_id: i64,
    pub agency_name: String,
    pub year: i32,
    pub scope: Scope,
    pub status: ReportStatus,
    pub manual: ManualFigures,
    pub texts: Texts,
    pub figures: Option<serde_json::Value>,
    pub document_id: Option<i64>,
    /// The report's document is published and not withdrawn.
    pub public: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl AnnualReport {
    pub fn title(&self) -> String {
        report::title(&self.agency_name, self.year)
    }

    pub fn due_on(&self) -> Option<NaiveDate> {
        report::due_on(self.year, self.scope)
    }
}

const COLUMNS: &str = "r.id, r.agency_id, a.name AS agency_name, r.year, r.scope, r.status, \
    r.manual, r.overview, r.problems, r.other, r.figures, r.document_id, r.created_at, r.updated_at, \
    (d.public_version_id IS NOT NULL AND d.withdrawn_at IS NULL) AS public \
    FROM annual_reports r JOIN agencies a ON a.id = r.agency_id \
    LEFT JOIN documents d ON d.id = r.document_id";

fn row_to_report(r: &crate::db::Row) -> Result<AnnualReport> {
    let manual: String = r.get("manual")?;
    let figures: Option<String> = r.get("figures")?;
    Ok(from_row!(r => AnnualReport {
        id,
        agency_id,
        agency_name,
        year = i32::try_from(r.get::<i64>("year")?).unwrap_or(0),
        scope: code,
        status: code,
        manual = serde_json::from_str(&manual)
        .map_err(|e| DomainError::internal_from("stored manual figures", e))?,
        texts = Texts {
        overview: r.get("overview")?,
        problems: r.get("problems")?,
        other: r.get("other")?,
        },
        figures = figures
        .map(|f| serde_json::from_str(&f))
        .transpose()
        .map_err(|e| DomainError::internal_from("stored figures", e))?,
        document_id,
        public = r.get::<bool>("public")?,
        created_at,
        updated_at,
    }))
}

pub async fn get(e: &mut impl Exec, id: i64) -> Result<Option<AnnualReport>> {
    let row = e
        .fetch_optional(sql_once!("SELECT {COLUMNS} WHERE r.id = $1").bind(id))
        .await?;
    row.as_ref().map(row_to_report).transpose()
}

/// A report staff may see: their own agency's, or any for the disclosure office.
pub async fn staff_get(e: &mut impl Exec, who: &Principal, id: i64) -> Result<AnnualReport> {
    let r = get(e, id)
        .await?
        .ok_or(DomainError::NotFound { what: WHAT })?;
    who.require_agency(r.agency_id)?;
    Ok(r)
}

pub async fn staff_list(e: &mut impl Exec, who: &Principal) -> Result<Vec<AnnualReport>> {
    let rows = e
        .fetch_all(
            sql_once!(
                "SELECT {COLUMNS} WHERE ($1 OR r.agency_id = $2) ORDER BY r.year DESC, a.sort_order, r.id"
            )
            .bind(who.role.sees_all_agencies())
            .bind(who.agency_id),
        )
        .await?;
    rows.iter().map(row_to_report).collect()
}

/// Published reports, newest year first.
pub async fn public_list(e: &mut impl Exec) -> Result<Vec<AnnualReport>> {
    let rows = e
        .fetch_all(sql_once!(
            "SELECT {COLUMNS} WHERE d.public_version_id IS NOT NULL AND d.withdrawn_at IS NULL \
             ORDER BY r.year DESC, a.sort_order, r.id"
        ))
        .await?;
    rows.iter().map(row_to_report).collect()
}

pub async fn public_get(e: &mut impl Exec, id: i64) -> Result<Option<(AnnualReport, Report)>> {
    let Some(r) = get(e, id).await?.filter(|r| r.public) else {
        return Ok(None);
    };
    let report = build(e, &r).await?;
    Ok(Some((r, report)))
}

async fn find(
    e: &mut impl Exec,
    agency_id: i64,
    year: i32,
    scope: Scope,
) -> Result<Option<AnnualReport>> {
    let row = e
        .fetch_optional(
            sql_once!("SELECT {COLUMNS} WHERE r.agency_id = $1 AND r.year = $2 AND r.scope = $3")
                .bind(agency_id)
                .bind(i64::from(year))
                .bind(scope.as_str()),
        )
        .await?;
    row.as_ref().map(row_to_report).transpose()
}

/// Last year's figures this year's must continue: from last year's stored report if there is
/// one with frozen figures (submitted or imported). Otherwise from the records: last year's
/// 结转下年度 is by definition the set this year counts as 上年结转, so only last year's
/// documents in force need counting.
async fn previous(
    e: &mut impl Exec,
    agency_id: i64,
    scope: Scope,
    year: i32,
    ids: &[i64],
    this_year: &Counted,
) -> Result<Previous> {
    if let Some(last) = find(e, agency_id, year - 1, scope).await?
        && let Some(figures) = &last.figures
    {
        let last = frozen(figures)?;
        return Ok(Previous {
            carried_out: Some(*last.table3.line(Row::CarriedOut)),
            rules_in_force: last.table2.rules.in_force,
            normative_in_force: last.table2.normative.in_force,
        });
    }
    let (rules, normative) = count_documents(e, ids, year - 1).await?;
    Ok(Previous {
        carried_out: Some(*this_year.table3.line(Row::CarriedIn)),
        rules_in_force: rules.in_force,
        normative_in_force: normative.in_force,
    })
}

fn frozen(figures: &serde_json::Value) -> Result<Report> {
    from_json(&figures.to_string())
        .map_err(|_| DomainError::internal("stored figures do not read back"))
}

/// The report of counted figures, with the staff's manual figures and texts.
fn assemble(
    agency: &str,
    year: i32,
    c: Counted,
    m: &ManualFigures,
    previous: Option<Previous>,
    texts: Option<Texts>,
) -> Report {
    Report {
        format: FORMAT_2021.into(),
        agency: agency.to_string(),
        year,
        table2: Table2 {
            rules: c.rules,
            normative: c.normative,
            licences: m.licences.as_ref().map(|x| x.value),
            penalties: m.penalties.as_ref().map(|x| x.value),
            coercions: m.coercions.as_ref().map(|x| x.value),
            fees: m.fees.as_ref().map(|x| WanYuan::from_yuan(x.value)),
        },
        table3: c.table3,
        table4: c.table4,
        previous,
        texts,
    }
}

/// Which report: there is one per agency, year and scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Whose {
    pub agency_id: i64,
    pub year: i32,
    pub scope: Scope,
}

/// The report of an agency (named `agency`) or its government for a year, counted from the
/// records now, with last year's figures to continue.
pub async fn live(
    e: &mut impl Exec,
    whose: Whose,
    agency: &str,
    manual: &ManualFigures,
    texts: Option<Texts>,
) -> Result<Report> {
    let Whose {
        agency_id,
        year,
        scope,
    } = whose;
    let ids = scope_agencies(e, agency_id, scope).await?;
    let c = count(e, &ids, year).await?;
    let previous = previous(e, agency_id, scope, year, &ids, &c).await?;
    Ok(assemble(agency, year, c, manual, Some(previous), texts))
}

/// The report as it stands: frozen figures once submitted or imported, otherwise counted now.
pub async fn build(e: &mut impl Exec, r: &AnnualReport) -> Result<Report> {
    match &r.figures {
        Some(figures) => frozen(figures),
        None => {
            let whose = Whose {
                agency_id: r.agency_id,
                year: r.year,
                scope: r.scope,
            };
            live(e, whose, &r.agency_name, &r.manual, Some(r.texts.clone())).await
        }
    }
}

/// Inserts a report (one per agency, year and scope) and writes its audit entry.
async fn insert(
    tx: &mut Tx,
    actor: &Actor,
    whose: Whose,
    status: ReportStatus,
    texts: &Texts,
    figures: Option<&Report>,
) -> Result<i64> {
    let Whose {
        agency_id,
        year,
        scope,
    } = whose;
    if let Some(existing) = find(tx, agency_id, year, scope).await? {
        return Err(DomainError::conflict(
            Some(report::YEAR_FIELD),
            format!("{}已存在(#{})", existing.title(), existing.id),
        ));
    }
    let now = tx.now();
    let row = tx
        .fetch_optional(
            Sql::new(
                "INSERT INTO annual_reports (agency_id, year, scope, status, overview, problems, other, figures, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
            )
            .bind(agency_id)
            .bind(i64::from(year))
            .bind(scope.as_str())
            .bind(status.as_str())
            .bind(texts.overview.as_str())
            .bind(texts.problems.as_str())
            .bind(texts.other.as_str())
            .bind(figures.map(|f| to_json(f).to_string()))
            .bind(now),
        )
        .await?
        .ok_or_else(|| DomainError::internal("insert returned no id"))?;
    let id: i64 = row.get("id")?;
    let action = match status {
        ReportStatus::Imported => "report.import",
        _ => "report.create",
    };
    audit::record(
        tx,
        actor,
        action,
        ("annual_report", &id.to_string()),
        None,
        Some(&json!({
            "agency_id": agency_id,
            "year": year,
            "scope": scope.as_str(),
            "agency_in_file": figures.map(|f| f.agency.clone()),
        })),
    )
    .await?;
    Ok(id)
}

/// Starts the report of an agency (or government) for a year, with the generated facts as the
/// first draft of its texts. The caller has checked the scope ([`report::check_scope`]).
pub async fn create(
    tx: &mut Tx,
    actor: &Actor,
    agency: &Agency,
    year: i32,
    scope: Scope,
) -> Result<i64> {
    let agency_id = agency.id;
    let ids = scope_agencies(tx, agency_id, scope).await?;
    let c = count(tx, &ids, year).await?;
    let other = facts::other(c.fees_collected, c.fee_payers);
    let manual = figures_from_lists(tx, &ids, year).await?;
    let draft = assemble(&agency.name, year, c, &manual, None, None);
    let texts = Texts {
        overview: facts::overview(&draft),
        problems: String::new(),
        other,
    };
    let id = insert(
        tx,
        actor,
        Whose {
            agency_id,
            year,
            scope,
        },
        ReportStatus::Draft,
        &texts,
        None,
    )
    .await?;
    if manual != ManualFigures::default() {
        let json = serde_json::to_string(&manual).map_err(DomainError::internal)?;
        tx.execute(
            Sql::new("UPDATE annual_reports SET manual = $1 WHERE id = $2")
                .bind(json)
                .bind(id),
        )
        .await?;
    }
    Ok(id)
}

/// Table 二's 许可 and 处罚 decision counts and its fee amount, from the typed lists where the
/// agencies keep them (双公示 decisions dated in the year; amounts recorded against
/// 行政事业性收费 items). Each says where it came from; staff may change any of them.
pub async fn figures_from_lists(
    e: &mut impl Exec,
    ids: &[i64],
    year: i32,
) -> Result<ManualFigures> {
    use gongkai_domain::report::manual::Entered;
    let n = ids.len();
    let sql = format!(
        "SELECT kind, COUNT(DISTINCT record_key) AS n FROM list_records WHERE agency_id IN ({}) \
         AND kind IN ('{licence}', '{penalty}') AND status IN ('{published}', '{superseded}', '{expired}') \
         AND record_on >= ${} AND record_on <= ${} GROUP BY kind",
        placeholders(1, n),
        n + 1,
        n + 2,
        licence = ListKind::Licence.as_str(),
        penalty = ListKind::Penalty.as_str(),
        published = RecordStatus::Published.as_str(),
        superseded = RecordStatus::Superseded.as_str(),
        expired = RecordStatus::Expired.as_str(),
    );
    let (start, end) = year_bounds(year)?;
    let rows = e
        .fetch_all(bind_ids(Sql::dynamic(sql), ids).bind(start).bind(end))
        .await?;
    let mut m = ManualFigures::default();
    for r in &rows {
        let kind: ListKind = r.code("kind")?;
        let count: i64 = r.get("n")?;
        let entered = |what: &str| Entered {
            value: count,
            source: format!("本平台双公示清单({what}),决定日期在 {year} 年的 {count} 项决定"),
        };
        if kind == ListKind::Licence {
            m.licences = Some(entered("行政许可信息"));
        } else {
            m.penalties = Some(entered("行政处罚信息"));
        }
    }
    let (cents, items) = crate::list_extras::admin_fees_collected(e, ids, year).await?;
    if items > 0 {
        m.fees = Some(Entered {
            // Table 二 is in 万元 to four decimals: whole yuan, as the staff form takes it.
            value: (cents + 50) / 100,
            source: format!(
                "本平台收费目录清单,{items} 个行政事业性收费项目登记的 {year} 年收费金额"
            ),
        });
    }
    Ok(m)
}

/// Saves the texts (checked: `Texts::checked`) and manual figures of draft `r`.
pub async fn save(
    tx: &mut Tx,
    actor: &Actor,
    r: &AnnualReport,
    texts: &Texts,
    manual: &ManualFigures,
) -> Result<()> {
    let manual_json = serde_json::to_string(manual).map_err(DomainError::internal)?;
    tx.execute(
        Sql::new(
            "UPDATE annual_reports SET overview = $1, problems = $2, other = $3, manual = $4, updated_at = $5 WHERE id = $6",
        )
        .bind(texts.overview.as_str())
        .bind(texts.problems.as_str())
        .bind(texts.other.as_str())
        .bind(manual_json)
        .bind(tx.now())
        .bind(r.id),
    )
    .await?;
    audit::record(
        tx,
        actor,
        "report.update",
        ("annual_report", &r.id.to_string()),
        Some(&json!({"texts": r.texts, "manual": r.manual})),
        Some(&json!({"texts": texts, "manual": manual})),
    )
    .await?;
    Ok(())
}

/// Freezes draft `r` with its figures `rep`, now that it went into the disclosure workflow as
/// document `doc`.
pub async fn mark_submitted(
    tx: &mut Tx,
    actor: &Actor,
    r: &AnnualReport,
    rep: &Report,
    doc: i64,
) -> Result<()> {
    let figures = to_json(rep);
    tx.execute(
        Sql::new(
            "UPDATE annual_reports SET status = $5, figures = $1, document_id = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(figures.to_string())
        .bind(doc)
        .bind(tx.now())
        .bind(r.id)
        .bind(ReportStatus::Submitted.as_str()),
    )
    .await?;
    audit::record(
        tx,
        actor,
        "report.submit",
        ("annual_report", &r.id.to_string()),
        Some(&json!({"status": ReportStatus::Draft})),
        Some(&json!({"status": ReportStatus::Submitted, "document_id": doc, "figures": figures})),
    )
    .await
}

/// Imports an earlier year's published report (interchange JSON) for an agency, after it
/// passes every check; the findings are returned instead when it does not. The caller has
/// checked the scope ([`report::check_scope`]).
pub async fn import(
    tx: &mut Tx,
    actor: &Actor,
    agency: &Agency,
    scope: Scope,
    json_text: &str,
) -> Result<std::result::Result<i64, Vec<Finding>>> {
    let agency_id = agency.id;
    let rep = match from_json(json_text) {
        Ok(r) => r,
        Err(problems) => return Ok(Err(problems)),
    };
    let errors: Vec<Finding> = report::check(&rep)
        .into_iter()
        .filter(|f| f.severity == report::Severity::Error)
        .collect();
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let texts = rep.texts.clone().unwrap_or_default();
    let id = insert(
        tx,
        actor,
        Whose {
            agency_id,
            year: rep.year,
            scope,
        },
        ReportStatus::Imported,
        &texts,
        Some(&rep),
    )
    .await?;
    Ok(Ok(id))
}

/// One request behind a cell of table 三.
#[derive(Clone, Debug, Serialize)]
pub struct CellRequest {
    pub id: i64,
    pub tracking_code: String,
    pub agency_name: String,
    pub applicant_kind: ApplicantKind,
    pub received_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub row: Option<String>,
}

/// The requests a cell of table 三 counts (the same conditions as [`count`]), at most `limit`.
pub async fn cell_requests(
    e: &mut impl Exec,
    r: &AnnualReport,
    row: Row,
    column: usize,
    limit: i64,
) -> Result<Vec<CellRequest>> {
    if r.status == ReportStatus::Imported {
        return Err(DomainError::conflict(
            None,
            "导入的年度报告没有对应的申请记录",
        ));
    }
    let ids = scope_agencies(e, r.agency_id, r.scope).await?;
    let (start, end) = year_bounds(r.year)?;
    let n = ids.len();
    let (s, t, k, o, l) = (n + 1, n + 2, n + 3, n + 4, n + 5);
    let (closed, row_code) = (closed(), row_code());
    let condition = format!(
        "{} AND (${o} = '' OR {row_code} = ${o})",
        Part::of(row).condition(s, t)
    );
    let sql = format!(
        "SELECT r.id, r.tracking_code, a.name AS agency_name, r.applicant_kind, r.received_on, \
         {closed} AS closed_on, {row_code} AS row_code \
         FROM requests r JOIN agencies a ON a.id = r.agency_id \
         WHERE r.agency_id IN ({}) AND {condition} AND (${k} = '' OR r.applicant_kind = ${k}) \
         ORDER BY r.received_on NULLS LAST, r.id LIMIT ${l}",
        placeholders(1, n)
    );
    // '' matches every applicant (the 总计 column).
    let kind = applicants_of_column(column)?.map_or("", ApplicantKind::as_str);
    let outcome = match row {
        Row::Outcome(o) => o.code(),
        _ => String::new(),
    };
    let q = bind_ids(Sql::dynamic(sql), &ids)
        .bind(start)
        .bind(end)
        .bind(kind)
        .bind(outcome)
        .bind(limit);
    let rows = e.fetch_all(q).await?;
    rows.iter()
        .map(|r| {
            Ok(from_row!(r => CellRequest {
                id,
                tracking_code,
                agency_name,
                applicant_kind: code,
                received_on,
                closed_on,
                row: get "row_code",
            }))
        })
        .collect()
}

/// One appeal behind a cell of table 四.
#[derive(Clone, Debug, Serialize)]
pub struct CellAppeal {
    pub id: i64,
    pub request_id: i64,
    pub tracking_code: String,
    pub filed_on: NaiveDate,
    pub decided_on: Option<NaiveDate>,
    pub result: AppealResult,
}

/// The appeals a cell of table 四 counts; `result` None is the group's 总计.
pub async fn cell_appeals(
    e: &mut impl Exec,
    r: &AnnualReport,
    kind: AppealKind,
    result: Option<AppealResult>,
) -> Result<Vec<CellAppeal>> {
    let ids = scope_agencies(e, r.agency_id, r.scope).await?;
    let (start, end) = year_bounds(r.year)?;
    let n = ids.len();
    let (s, t, k, res) = (n + 1, n + 2, n + 3, n + 4);
    let effective = appeal_result_at(t);
    let sql = format!(
        "SELECT a.id, a.request_id, r.tracking_code, a.filed_on, a.decided_on, {effective} AS result \
         FROM request_appeals a JOIN requests r ON r.id = a.request_id \
         WHERE r.agency_id IN ({}) AND a.filed_on >= ${s} AND a.filed_on <= ${t} \
         AND a.kind = ${k} AND (${res} = '' OR {effective} = ${res}) ORDER BY a.filed_on, a.id",
        placeholders(1, n)
    );
    let q = bind_ids(Sql::dynamic(sql), &ids)
        .bind(start)
        .bind(end)
        .bind(kind.as_str())
        .bind(result.map_or("", |r| r.as_str()));
    let rows = e.fetch_all(q).await?;
    rows.iter()
        .map(|r| {
            Ok(from_row!(r => CellAppeal {
                id,
                request_id,
                tracking_code,
                filed_on,
                decided_on,
                result: code,
            }))
        })
        .collect()
}
