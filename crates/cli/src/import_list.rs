//! `gongkai import list KIND FILE --agency CODE [--publish]`: records of a typed list from CSV
//! or XLSX, with a progress bar. Bad rows are listed with their line and every problem; the
//! good rows are kept. Exit status 4 when a row failed.

use std::path::Path;
use std::process::ExitCode;

use gongkai_domain::DomainError;
use gongkai_domain::lists::ListKind;
use gongkai_domain::user::{Principal, Role};
use gongkai_formats::tabular;
use gongkai_store::{Actor, Db};
use indicatif::{ProgressBar, ProgressStyle};

pub async fn run(
    db: &Db,
    kind: &str,
    path: &Path,
    agency: &str,
    publish: bool,
) -> Result<ExitCode, DomainError> {
    let kind = ListKind::from_slug(kind).map_or_else(|| ListKind::parse(kind), Ok)?;
    let agency =
        gongkai_app::agencies::chosen(db, agency, gongkai_domain::Field::new("agency", "机构"))
            .await?;
    let name = path.to_string_lossy();
    let bytes = std::fs::read(path)
        .map_err(|e| DomainError::unavailable(format!("无法读取 {}:{e}", path.display())))?;
    let started = std::time::Instant::now();
    let mut table = tabular::read(&bytes, tabular::Format::of(&name)?)?;
    let headers = table.remove(0);
    let total = table.len() as u64;
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} 行 {percent}% 剩余 {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    // The command line is the operator's own: it acts as the disclosure office.
    let who = Principal {
        user_id: 0,
        role: Role::Office,
        agency_id: agency.id,
    };
    let ctx = gongkai_app::Ctx::new(db, Actor::system("import"), who);
    let rows = table.into_iter().enumerate().map(|(i, r)| (i + 2, Ok(r)));
    let to = gongkai_app::lists::Target {
        kind,
        agency_id: agency.id,
        publish,
    };
    let report = gongkai_app::lists::import(&ctx, to, &headers, rows, None, |done| {
        bar.set_position(done as u64)
    })
    .await?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    for e in &report.errors {
        eprintln!("第 {} 行:{}", e.line, e.messages.join(";"));
    }
    println!(
        "{}:{} 行,新增 {},未变化 {},有误 {};用时 {:.2} 秒({:.0} 行/秒){}",
        kind.label(),
        report.rows,
        report.created,
        report.unchanged,
        report.errors.len(),
        secs,
        report.rows as f64 / secs.max(0.001),
        if publish { ",已公开" } else { ",为草稿" }
    );
    Ok(if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(4)
    })
}
