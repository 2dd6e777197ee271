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
