//! `gongkai report`: check an annual report file (the interchange JSON of `report-json.md`),
//! import an earlier year's report after it passes, or print a report counted from the records.

use std::path::Path;
use std::process::ExitCode;

use gongkai_domain::DomainError;
use gongkai_domain::agency::AgencyCode;
use gongkai_domain::calendar::WorkCalendar;
use gongkai_domain::report::interchange::{from_json, to_json};
use gongkai_domain::report::manual::ManualFigures;
use gongkai_domain::report::{self, Finding, Scope, Severity};
use gongkai_domain::user::{Principal, Role};
use gongkai_store::{Actor, Db, agencies, reports};

fn print(findings: &[Finding]) {
    for f in findings {
        let tag = match f.severity {
            Severity::Error => "错误",
            Severity::Warning => "提示",
        };
        println!("{tag}[校验{}] {}:{}", f.rule, f.cell, f.message);
    }
}

fn read(file: &Path) -> Result<String, DomainError> {
    std::fs::read_to_string(file)
        .map_err(|e| DomainError::unavailable(format!("{}: {e}", file.display())))
}

/// Runs every check on a report file. Exit status 0 when every check passes (warnings
/// allowed), 1 when a check fails, 2 when the file cannot be read as a report.
pub fn check(file: &Path) -> Result<ExitCode, DomainError> {
    let text = read(file)?;
    let rep = match from_json(&text) {
        Ok(r) => r,
        Err(problems) => {
            print(&problems);
            println!(
                "{}:不是有效的年度报告文件({} 处问题)",
                file.display(),
                problems.len()
            );
            return Ok(ExitCode::from(2));
        }
    };
    let findings = report::check(&rep);
    print(&findings);
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    if errors == 0 {
        println!(
            "{} {} 年度报告:全部校验通过({warnings} 处提示)",
            rep.agency, rep.year
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "{} {} 年度报告:{errors} 处错误,{warnings} 处提示",
            rep.agency, rep.year
        );
        Ok(ExitCode::FAILURE)
    }
}

fn office(agency_id: i64) -> Principal {
    Principal {
        user_id: 0,
        role: Role::Office,
        agency_id,
    }
}

/// Imports an earlier year's published report for an agency once it passes every check.
pub async fn import(
    db: &Db,
    file: &Path,
    agency: &str,
    scope: &str,
) -> Result<ExitCode, DomainError> {
    let scope = Scope::parse(scope)?;
    let text = read(file)?;
    let mut c = db.conn().await?;
    let a = agencies::by_code(&mut c, &AgencyCode::parse(agency)?)
        .await?
        .ok_or(DomainError::NotFound { what: "机关" })?;
    drop(c);
    // The report is imported as the disclosure office would, on the agency's behalf.
    let ctx = gongkai_app::Ctx::new(db, Actor::system("cli"), office(a.id));
    let result = gongkai_app::publishing::import_report(&ctx, a.id, scope, &text).await?;
    match result {
        Ok(id) => {
            println!("已导入年度报告 #{id}({})", a.name);
            Ok(ExitCode::SUCCESS)
        }
        Err(findings) => {
            print(&findings);
            println!("未导入:{} 处错误", findings.len());
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Prints the report of an agency counted from the records now (with last year's figures to
/// continue), as interchange JSON.
pub async fn show(
    db: &Db,
    calendar: &WorkCalendar,
    agency: &str,
    year: &str,
    scope: &str,
) -> Result<ExitCode, DomainError> {
    let scope = Scope::parse(scope)?;
    let year = report::parse_year(year, |y| calendar.has_official_data(y))?;
    let mut c = db.conn().await?;
    let a = agencies::by_code(&mut c, &AgencyCode::parse(agency)?)
        .await?
        .ok_or(DomainError::NotFound { what: "机关" })?;
    let started = std::time::Instant::now();
    let whose = reports::Whose {
        agency_id: a.id,
        year,
        scope,
    };
    let rep = reports::live(&mut c, whose, &a.name, &ManualFigures::default(), None).await?;
    let elapsed = started.elapsed();
    println!(
        "{}",
        serde_json::to_string_pretty(&to_json(&rep)).map_err(DomainError::internal)?
    );
    eprintln!(
        "{} 个机关,统计用时 {:.1} ms",
        reports::scope_agencies(&mut c, a.id, scope).await?.len(),
        elapsed.as_secs_f64() * 1000.0
    );
    Ok(ExitCode::SUCCESS)
}
