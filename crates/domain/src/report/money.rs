//! Amounts in 万元 as the report prints them ("72701.2578"), kept exactly as whole yuan: four
//! decimals of 万元 are one yuan, so no rounding ever happens between the records and the
//! table.

use std::fmt;

use serde::{Serialize, Serializer};

/// An amount of money, exact to the yuan, shown in 万元.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WanYuan {
    pub yuan: i64,
}

impl WanYuan {
    pub fn from_yuan(yuan: i64) -> Self {
        WanYuan { yuan }
    }

    /// Parses "72701.2578", "12", "0.04": a non-negative decimal with at most four places.
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim();
        let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
        let digits = |p: &str| p.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty()
            || !digits(whole)
            || !digits(frac)
            || (s.contains('.') && frac.is_empty())
        {
            return Err(format!("“{s}”不是非负的金额(单位:万元,例如 12.3456)"));
        }
        if frac.len() > 4 {
            return Err(format!("“{s}”的小数超过四位(万元精确到元)"));
        }
        let whole: i64 = whole
            .parse()
            .map_err(|_| format!("“{s}”超出可记录的范围"))?;
        let frac: i64 = format!("{frac:0<4}").parse().unwrap_or(0);
        whole
            .checked_mul(10_000)
            .and_then(|w| w.checked_add(frac))
            .map(WanYuan::from_yuan)
            .ok_or_else(|| format!("“{s}”超出可记录的范围"))
    }
}

impl fmt::Display for WanYuan {
    /// Four decimals with trailing zeros dropped: 727012578 yuan → "72701.2578", 400 → "0.04".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.yuan / 10_000;
        let frac = self.yuan % 10_000;
        if frac == 0 {
            write!(f, "{whole}")
        } else {
            let frac = format!("{frac:04}");
            write!(f, "{whole}.{}", frac.trim_end_matches('0'))
        }
    }
}

impl Serialize for WanYuan {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_exactly() {
        for (input, yuan, shown) in [
            ("72701.2578", 727_012_578, "72701.2578"),
            ("12", 120_000, "12"),
            ("0.04", 400, "0.04"),
            (" 3.10 ", 31_000, "3.1"),
        ] {
            let w = WanYuan::parse(input).unwrap();
            assert_eq!(w.yuan, yuan, "{input}");
            assert_eq!(w.to_string(), shown);
        }
        for bad in [
            "",
            "-1",
            "1.23456",
            "abc",
            "1.",
            ".5",
            "1e3",
            "99999999999999999999",
        ] {
            assert!(WanYuan::parse(bad).is_err(), "{bad}");
        }
    }
}
