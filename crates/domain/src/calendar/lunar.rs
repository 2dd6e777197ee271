//! The Chinese lunisolar calendar, computed from the moon's phases and the sun's longitude.
//!
//! Three statutory holidays fall on lunar dates (春节, 端午, 中秋) and one on a solar term
//! (清明). When a year's State Council notice is not out yet, deadlines still need those days,
//! so they are computed here the way the calendar itself is defined (GB/T 33661-2017): a month
//! begins on the Beijing-time day of a new moon; the month holding the winter solstice is the
//! eleventh; in a year of thirteen months the first month without a principal solar term
//! (中气) is the leap month.
//!
//! The astronomy is Meeus, *Astronomical Algorithms*, ch. 25 (the sun's apparent longitude,
//! ~0.01°, a quarter of an hour) and ch. 49 (new moons, well under a minute), with the
//! Espenak–Meeus ΔT polynomials. That is enough for the day of every event unless it falls
//! within minutes of midnight; the tests compare every year of the shipped official calendar.

use chrono::{Days, NaiveDate};

/// Years this module computes (the span of the ΔT polynomials used).
pub const YEARS: std::ops::RangeInclusive<i32> = 1901..=2100;

/// Julian Ephemeris Day of 2000-01-01 12:00 TT.
const J2000: f64 = 2451545.0;

fn sin_deg(x: f64) -> f64 {
    x.to_radians().sin()
}

/// ΔT = TT − UT in seconds (Espenak & Meeus, NASA five-millennium canon).
fn delta_t(year: f64) -> f64 {
    if year < 1920.0 {
        let t = year - 1900.0;
        -2.79 + 1.494119 * t - 0.0598939 * t * t + 0.0061966 * t.powi(3) - 0.000197 * t.powi(4)
    } else if year < 1941.0 {
        let t = year - 1920.0;
        21.20 + 0.84493 * t - 0.076100 * t * t + 0.0020936 * t.powi(3)
    } else if year < 1961.0 {
        let t = year - 1950.0;
        29.07 + 0.407 * t - t * t / 233.0 + t.powi(3) / 2547.0
    } else if year < 1986.0 {
        let t = year - 1975.0;
        45.45 + 1.067 * t - t * t / 260.0 - t.powi(3) / 718.0
    } else if year < 2005.0 {
        let t = year - 2000.0;
        63.86 + 0.3345 * t - 0.060374 * t * t
            + 0.0017275 * t.powi(3)
            + 0.000651814 * t.powi(4)
            + 0.00002373599 * t.powi(5)
    } else if year < 2050.0 {
        let t = year - 2000.0;
        62.92 + 0.32217 * t + 0.005589 * t * t
    } else {
        let u = (year - 1820.0) / 100.0;
        -20.0 + 32.0 * u * u - 0.5628 * (2150.0 - year)
    }
}

/// The Beijing civil date (UTC+8) of an instant given as a Julian Ephemeris Day.
fn beijing_date(jde: f64) -> NaiveDate {
    let year = 2000.0 + (jde - J2000) / 365.25;
    let jd_ut = jde - delta_t(year) / 86400.0;
    let jdn = (jd_ut + 8.0 / 24.0 + 0.5).floor() as i64;
    let epoch = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN);
    // JDN 2451545 is 2000-01-01; every year in YEARS stays far inside chrono's range.
    let offset = jdn - 2_451_545;
    if offset >= 0 {
        epoch + Days::new(offset as u64)
    } else {
        epoch - Days::new(offset.unsigned_abs())
    }
}

/// The sun's apparent geocentric longitude in degrees, [0, 360) (Meeus ch. 25, low accuracy).
fn solar_longitude(jde: f64) -> f64 {
    let t = (jde - J2000) / 36525.0;
    let l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t;
    let m = 357.52911 + 35999.05029 * t - 0.0001537 * t * t;
    let c = (1.914602 - 0.004817 * t - 0.000014 * t * t) * sin_deg(m)
        + (0.019993 - 0.000101 * t) * sin_deg(2.0 * m)
        + 0.000289 * sin_deg(3.0 * m);
    let omega = 125.04 - 1934.136 * t;
    (l0 + c - 0.00569 - 0.00478 * sin_deg(omega)).rem_euclid(360.0)
}

/// The instant (JDE) near `guess` when the sun reaches `longitude`.
fn solar_term_jde(longitude: f64, guess: f64) -> f64 {
    let mut jde = guess;
    for _ in 0..20 {
        let diff = (longitude - solar_longitude(jde) + 540.0).rem_euclid(360.0) - 180.0;
        jde += diff * 365.2422 / 360.0;
        if diff.abs() < 1e-7 {
            break;
        }
    }
    jde
}

/// The Beijing date on which the sun reaches `longitude` (a multiple of 15°) in `year`.
/// Longitude 0 is the March equinox; 285°–345° (小寒 … 惊蛰) are the January–March terms of
/// `year`, 270° (冬至) its December solstice.
pub fn solar_term(year: i32, longitude: f64) -> NaiveDate {
    // Mean March equinox of `year`, then forward or back by the mean rate.
    let equinox = J2000 + 79.0 + 365.2422 * f64::from(year - 2000);
    let offset = if longitude > 270.0 {
        longitude - 360.0
    } else {
        longitude
    };
    beijing_date(solar_term_jde(
        longitude,
        equinox + offset * 365.2422 / 360.0,
    ))
}

/// JDE of new moon number `k` (k = 0 is the new moon of 2000-01-06; Meeus ch. 49).
fn new_moon_jde(k: f64) -> f64 {
    let t = k / 1236.85;
    let jde = 2451550.09766 + 29.530588861 * k + 0.00015437 * t * t - 0.000000150 * t.powi(3)
        + 0.00000000073 * t.powi(4);
    let e = 1.0 - 0.002516 * t - 0.0000074 * t * t;
    let m = 2.5534 + 29.10535670 * k - 0.0000014 * t * t - 0.00000011 * t.powi(3);
    let mp = 201.5643 + 385.81693528 * k + 0.0107582 * t * t + 0.00001238 * t.powi(3)
        - 0.000000058 * t.powi(4);
    let f = 160.7108 + 390.67050284 * k - 0.0016118 * t * t - 0.00000227 * t.powi(3)
        + 0.000000011 * t.powi(4);
    let om = 124.7746 - 1.56375588 * k + 0.0020672 * t * t + 0.00000215 * t.powi(3);
    let corr = -0.40720 * sin_deg(mp)
        + 0.17241 * e * sin_deg(m)
        + 0.01608 * sin_deg(2.0 * mp)
        + 0.01039 * sin_deg(2.0 * f)
        + 0.00739 * e * sin_deg(mp - m)
        - 0.00514 * e * sin_deg(mp + m)
        + 0.00208 * e * e * sin_deg(2.0 * m)
        - 0.00111 * sin_deg(mp - 2.0 * f)
        - 0.00057 * sin_deg(mp + 2.0 * f)
        + 0.00056 * e * sin_deg(2.0 * mp + m)
        - 0.00042 * sin_deg(3.0 * mp)
        + 0.00042 * e * sin_deg(m + 2.0 * f)
        + 0.00038 * e * sin_deg(m - 2.0 * f)
        - 0.00024 * e * sin_deg(2.0 * mp - m)
        - 0.00017 * sin_deg(om)
        - 0.00007 * sin_deg(mp + 2.0 * m)
        + 0.00004 * sin_deg(2.0 * mp - 2.0 * f)
        + 0.00004 * sin_deg(3.0 * m)
        + 0.00003 * sin_deg(mp + m - 2.0 * f)
        + 0.00003 * sin_deg(2.0 * mp + 2.0 * f)
        - 0.00003 * sin_deg(mp + m + 2.0 * f)
        + 0.00003 * sin_deg(mp - m + 2.0 * f)
        - 0.00002 * sin_deg(mp - m - 2.0 * f)
        - 0.00002 * sin_deg(3.0 * mp + m)
        + 0.00002 * sin_deg(4.0 * mp);
    let planetary: [(f64, f64); 14] = [
        (0.000325, 299.77 + 0.107408 * k - 0.009173 * t * t),
        (0.000165, 251.88 + 0.016321 * k),
        (0.000164, 251.83 + 26.651886 * k),
        (0.000126, 349.42 + 36.412478 * k),
        (0.000110, 84.66 + 18.206239 * k),
        (0.000062, 141.74 + 53.303771 * k),
        (0.000060, 207.14 + 2.453732 * k),
        (0.000056, 154.84 + 7.306860 * k),
        (0.000047, 34.52 + 27.261239 * k),
        (0.000042, 207.19 + 0.121824 * k),
        (0.000040, 291.34 + 1.844379 * k),
        (0.000037, 161.72 + 24.198154 * k),
        (0.000035, 239.56 + 25.513099 * k),
        (0.000023, 331.55 + 3.592518 * k),
    ];
    jde + corr + planetary.iter().map(|(c, a)| c * sin_deg(*a)).sum::<f64>()
}

/// One lunar month: its first day and its number (1 = 正月), leap or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Month {
    pub first_day: NaiveDate,
    pub number: u32,
    pub leap: bool,
}

/// The lunar months from the eleventh month holding the winter solstice of `year - 1` up to
/// (not including) the eleventh month holding the winter solstice of `year`.
pub fn months(year: i32) -> Vec<Month> {
    let ws0 = solar_term(year - 1, 270.0);
    let ws1 = solar_term(year, 270.0);
    // A new moon number a little before the first solstice, then step to the one on or
    // before it.
    let mut k = ((f64::from(year - 1) + 11.0 / 12.0 - 2000.0) * 12.3685).floor() - 1.0;
    while beijing_date(new_moon_jde(k + 1.0)) <= ws0 {
        k += 1.0;
    }
    while beijing_date(new_moon_jde(k)) > ws0 {
        k -= 1.0;
    }
    let starts: Vec<NaiveDate> = (0..16)
        .map(|i| beijing_date(new_moon_jde(k + f64::from(i))))
        .collect();
    // Index of the month holding the next solstice: 12 in a common year, 13 in a leap year.
    let next_eleventh = (1..15)
        .find(|&i| starts[i] <= ws1 && ws1 < starts[i + 1])
        .unwrap_or(12);
    let leap_index = if next_eleventh == 13 {
        // Principal terms between the solstices: 大寒 (300°) … 小雪 (240°), 30° apart.
        let principal: Vec<NaiveDate> = (1..12)
            .map(|i| solar_term(year, (270.0 + 30.0 * f64::from(i)).rem_euclid(360.0)))
            .collect();
        (1..13).find(|&i| {
            !principal
                .iter()
                .any(|d| starts[i] <= *d && *d < starts[i + 1])
        })
    } else {
        None
    };
    let mut out = Vec::with_capacity(next_eleventh);
    let mut number = 11;
    for (i, first_day) in starts.iter().take(next_eleventh).enumerate() {
        let leap = leap_index == Some(i);
        if i > 0 && !leap {
            number = number % 12 + 1;
        }
        out.push(Month {
            first_day: *first_day,
            number,
            leap,
        });
    }
    out
}

/// The Gregorian date of day `day` of lunar month `month` (not leap) of the lunar year that
/// begins in Gregorian `year`. Months 11 and 12 are those at the end of that lunar year,
/// which fall in January or February of `year + 1`; callers here need months 1–10 only.
pub fn date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    if !YEARS.contains(&year) || !(1..=10).contains(&month) || !(1..=30).contains(&day) {
        return None;
    }
    months(year)
        .into_iter()
        .find(|m| m.number == month && !m.leap)
        .and_then(|m| m.first_day.checked_add_days(Days::new(u64::from(day - 1))))
}

/// 除夕: the last day of the lunar year that ends in Gregorian `year`.
pub fn new_years_eve(year: i32) -> Option<NaiveDate> {
    date(year, 1, 1).and_then(|d| d.pred_opt())
}
