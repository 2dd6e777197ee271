//! 信息处理费 (条例第四十二条; 国办函〔2020〕109号 第三至五条). Requests are free; only an
//! applicant whose requests clearly exceed a reasonable number may be charged, by item or by
//! page, never both, with progressive bands. Amounts are whole yuan.

/// 按件计收: the price of the `n`-th request of one applicant in a calendar month (1-based).
pub fn item_rate(n: u32) -> u32 {
    match n {
        0..=10 => 0,
        11..=30 => 100,
        _ => 100 * (2 + (n - 31) / 10),
    }
}

/// 按件计收: what requests number `first ..= first + count - 1` of the month cost together.
pub fn by_items(first: u32, count: u32) -> u64 {
    (first..first.saturating_add(count))
        .map(|n| u64::from(item_rate(n)))
        .sum()
}

/// 按量计收 bands: (first page, last page or `None` for no end, yuan per page).
pub const PAGE_BANDS: [(u32, Option<u32>, u32); 4] = [
    (1, Some(30), 0),
    (31, Some(100), 10),
    (101, Some(200), 20),
    (201, None, 40),
];

/// 按量计收: what a reply of `pages` pages costs.
pub fn by_pages(pages: u32) -> u64 {
    PAGE_BANDS
        .iter()
        .map(|&(from, to, rate)| {
            let last = to.map_or(pages, |t| t.min(pages));
            u64::from(last.saturating_sub(from - 1)) * u64::from(rate)
        })
        .sum()
}

/// 按件计收 bands for the guide: (from, to, yuan per item); after the last, +100 per 10.
pub const ITEM_BANDS: [(u32, u32, u32); 3] = [(1, 10, 0), (11, 30, 100), (31, 40, 200)];

/// How one request is charged: by its place in the applicant's month, or by the pages of the
/// reply — one or the other, never both (国办函〔2020〕109号 第三条).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum FeeBasis {
    ByItem,
    ByPages { pages: u32 },
}

/// A fee worked out for a notice: the amount and how it was reached.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Assessment {
    pub basis: FeeBasis,
    pub yuan: u64,
    pub explanation: String,
}

impl FeeBasis {
    /// From a form: `by_item`, or `by_pages` with the page count.
    pub fn parse(basis: &str, pages: &str) -> Result<FeeBasis, crate::DomainError> {
        let field = crate::Field::new("basis", "计收方式");
        match basis.trim() {
            "by_item" => Ok(FeeBasis::ByItem),
            "by_pages" => {
                let pages = pages.trim().parse::<u32>().map_err(|_| {
                    crate::DomainError::invalid(
                        crate::Field::new("pages", "页数"),
                        "按量计收须填写答复材料的页数(整数)",
                    )
                })?;
                Ok(FeeBasis::ByPages { pages })
            }
            _ => Err(crate::DomainError::invalid(
                field,
                "请选择按件计收或按量计收",
            )),
        }
    }
}

/// Works out the fee of a request that is the `nth` of its applicant this month. A basis that
/// comes to nothing is refused: no notice is sent for a free request.
pub fn assess(basis: FeeBasis, nth: u32) -> Result<Assessment, crate::DomainError> {
    let (yuan, explanation) = match basis {
        FeeBasis::ByItem => {
            let rate = item_rate(nth);
            (
                u64::from(rate),
                format!("按件计收:本申请为申请人本月第 {nth} 件,每件 {rate} 元"),
            )
        }
        FeeBasis::ByPages { pages } => {
            let parts: Vec<String> = PAGE_BANDS
                .iter()
                .filter(|&&(_, _, rate)| rate > 0)
                .filter_map(|&(from, to, rate)| {
                    let last = to.map_or(pages, |t| t.min(pages));
                    let n = last.checked_sub(from - 1).filter(|n| *n > 0)?;
                    Some(format!("{n} 页 × {rate} 元"))
                })
                .collect();
            let yuan = by_pages(pages);
            (
                yuan,
                format!(
                    "按量计收:共 {pages} 页,30 页以内不收费{}",
                    if parts.is_empty() {
                        String::new()
                    } else {
                        format!(",{} = {yuan} 元", parts.join(" + "))
                    }
                ),
            )
        }
    };
    if yuan == 0 {
        return Err(crate::DomainError::invalid(
            crate::Field::new("basis", "计收方式"),
            format!("{explanation},不收取信息处理费"),
        ));
    }
    Ok(Assessment {
        basis,
        yuan,
        explanation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worked_examples_of_the_rules() {
        // 35 requests in a month: 10 free, 20 × 100, 5 × 200. (shared/spec/law/fees.md
        // prints this sum as 2,500; its own terms add up to 3,000.)
        assert_eq!(by_items(1, 35), 3_000);
        assert_eq!(item_rate(35), 200);
        assert_eq!(item_rate(10), 0);
        assert_eq!(item_rate(11), 100);
        assert_eq!(item_rate(41), 300);
        assert_eq!(item_rate(50), 300);
        assert_eq!(item_rate(51), 400);
        // 250 pages: 70 × 10 + 100 × 20 + 50 × 40.
        assert_eq!(by_pages(250), 4_700);
        assert_eq!(by_pages(30), 0);
        assert_eq!(by_pages(31), 10);
        assert_eq!(by_pages(0), 0);
    }

    #[test]
    fn the_guide_bands_agree_with_the_rates() {
        for (from, to, rate) in ITEM_BANDS {
            assert!((from..=to).all(|n| item_rate(n) == rate));
        }
        for (from, to, rate) in PAGE_BANDS {
            let to = to.unwrap_or(from + 100);
            assert!((from..=to).all(|p| by_pages(p) - by_pages(p - 1) == u64::from(rate)));
        }
    }

    #[test]
    fn an_assessment_shows_its_arithmetic_and_refuses_a_free_request() {
        let a = assess(FeeBasis::ByPages { pages: 250 }, 1).unwrap();
        assert_eq!(a.yuan, 4_700);
        assert_eq!(
            a.explanation,
            "按量计收:共 250 页,30 页以内不收费,70 页 × 10 元 + 100 页 × 20 元 + 50 页 × 40 元 = 4700 元"
        );
        let a = assess(FeeBasis::ByPages { pages: 31 }, 40).unwrap();
        assert_eq!(
            (a.yuan, a.explanation.ends_with("1 页 × 10 元 = 10 元")),
            (10, true)
        );
        let e = assess(FeeBasis::ByPages { pages: 30 }, 1).unwrap_err();
        assert!(e.to_string().contains("不收取信息处理费"), "{e}");
        let e = assess(FeeBasis::ByItem, 10).unwrap_err();
        assert!(e.to_string().contains("本月第 10 件"), "{e}");
        let a = assess(FeeBasis::ByItem, 11).unwrap();
        assert_eq!(a.yuan, 100);
        let a = assess(FeeBasis::ByItem, 31).unwrap();
        assert_eq!(a.yuan, 200);
        assert_eq!(
            FeeBasis::parse("by_pages", " 45 ").unwrap(),
            FeeBasis::ByPages { pages: 45 }
        );
        assert!(FeeBasis::parse("by_pages", "四十").is_err());
        assert!(FeeBasis::parse("both", "").is_err());
    }

    proptest::proptest! {
        /// The amount of an assessment is the band arithmetic, whichever basis.
        #[test]
        fn an_assessment_charges_what_the_bands_say(nth in 1u32..200, pages in 0u32..1000) {
            match assess(FeeBasis::ByItem, nth) {
                Ok(a) => proptest::prop_assert_eq!(a.yuan, u64::from(item_rate(nth))),
                Err(_) => proptest::prop_assert_eq!(item_rate(nth), 0),
            }
            match assess(FeeBasis::ByPages { pages }, nth) {
                Ok(a) => proptest::prop_assert_eq!(a.yuan, by_pages(pages)),
                Err(_) => proptest::prop_assert_eq!(by_pages(pages), 0),
            }
        }
    }

    proptest::proptest! {
        /// Progressive: one more request or page never costs less than the one before.
        #[test]
        fn fees_never_fall(n in 1u32..500, pages in 1u32..2000) {
            proptest::prop_assert!(item_rate(n + 1) >= item_rate(n));
            proptest::prop_assert!(by_items(1, n + 1) >= by_items(1, n));
            proptest::prop_assert!(by_pages(pages + 1) >= by_pages(pages));
            proptest::prop_assert_eq!(by_items(1, n), by_items(1, n / 2) + by_items(1 + n / 2, n - n / 2));
        }
    }
}
