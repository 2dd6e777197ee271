//! `gongkai calendar check [year]`: a year's working days, as an official would check them
//! against the State Council notice; `gongkai calendar import FILE`: load that notice.

use std::process::ExitCode;

use chrono::{Datelike, Weekday};
use gongkai_domain::DomainError;
use gongkai_domain::calendar::{DayInfo, WorkCalendar};
use gongkai_store::calendar;

use crate::config::Config;

fn weekday_cn(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

fn print_days(heading: &str, days: &[DayInfo]) {
    println!("{heading}:{} 天", days.len());
    for d in days {
        println!(
            "  {} {} {}",
            d.date,
            weekday_cn(d.date.weekday()),
            d.reason.label()
        );
    }
}

/// Uses this installation's overrides when its database exists already; never creates one.
async fn load_calendar(cfg: &Config) -> Result<(WorkCalendar, &'static str), DomainError> {
    let sqlite = cfg.data_dir.join("gongkai.db");
    if cfg.database_url.is_some() || sqlite.exists() {
        let db = crate::open_migrated(cfg).await?;
        let cal = calendar::work_calendar(&mut db.conn().await?).await?;
        db.close().await;
        Ok((cal, "含本平台的调整"))
    } else {
        Ok((WorkCalendar::official(), "仅官方数据"))
    }
}

pub async fn run(cfg: &Config, year: Option<i32>, strict: bool) -> Result<ExitCode, DomainError> {
    let today = chrono::Local::now().date_naive();
    let year = year.unwrap_or(today.year());
    let (cal, source) = load_calendar(cfg).await?;
    let s = cal.year_summary(year)?;
    println!("{year} 年工作日历({source})");
    if !s.has_official_data {
        eprintln!(
            "警告:{year} 年没有国务院节假日安排数据,以下按《全国年节及纪念日放假办法》推算法定节假日(不含调休),期限为暂定。通知发布后请用 gongkai calendar import 载入。"
        );
    }
    println!("全年工作日:{} 天", s.workdays.len());
    print_days("工作日放假(法定节假日)", &s.holidays_on_weekdays);
    print_days("周末上班(调休)", &s.makeup_workdays);
    if !s.overrides.is_empty() {
        print_days("本平台调整", &s.overrides);
    }
    println!("各月工作日:");
    for month in 1..=12u32 {
        let days: Vec<String> = s
            .workdays
            .iter()
            .filter(|d| d.month() == month)
            .map(|d| format!("{:02}", d.day()))
            .collect();
        println!("  {month:>2} 月({:>2} 天):{}", days.len(), days.join(" "));
    }
    if let Some(w) = cal.coverage_warning(today) {
        eprintln!("提示:{w}");
    }
    if strict && !s.has_official_data {
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads a notice file as the administrator; prints the deadlines it moved.
pub async fn import(
    db: &gongkai_store::Db,
    file: &std::path::Path,
) -> Result<ExitCode, DomainError> {
    let body = std::fs::read_to_string(file)
        .map_err(|e| DomainError::unavailable(format!("无法读取 {}:{e}", file.display())))?;
    // The command line is the operator's own: it acts as the administrator.
    let who = gongkai_domain::user::Principal {
        user_id: 0,
        role: gongkai_domain::user::Role::Admin,
        agency_id: 0,
    };
    let ctx = gongkai_app::Ctx::new(db, gongkai_store::Actor::system("calendar"), who);
    let notice = gongkai_app::calendar_notices::import(&ctx, &body).await?;
    println!(
        "已载入 {} 年节假日安排({} 个日期);{} 年的期限不再是暂定。",
        notice.year, notice.days, notice.year
    );
    if notice.changes.is_empty() {
        println!("没有办理中的期限因此改变。");
    } else {
        println!("以下期限已重新计算:");
        for c in &notice.changes {
            println!(
                "  {} {}:{} → {}",
                c.what, c.tracking_code, c.before, c.after
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
