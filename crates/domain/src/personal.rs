//! Personal data however it is written. People type identity numbers with full-width digits
//! (Chinese input methods produce them), with spaces or hyphens between the blocks, right after
//! letters (`ID12010119700101123X`); phones as `138 0000 2222` or `+86-138-0000-2222`; e-mail
//! in capitals or with a full-width `＠`; names with a space (`欧阳 小隐`). Exact string matching
//! misses all of them, so every path that publishes or indexes text asks this module instead:
//! it normalises (NFKC, zero-width characters dropped, separators inside numbers skipped) and
//! reports each find with its span in the original text, so masking replaces exactly what was
//! typed.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

/// What was recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// 居民身份证号码: 18 characters with the GB 11643 check character, or the old 15 digits.
    ResidentId,
    /// 手机号码: 11 digits from 13–19, optionally after +86.
    Mobile,
    /// 固定电话 with its area code (0xx-xxxxxxxx).
    Landline,
    Email,
    /// 银行卡号: 16–19 digits passing the Luhn check.
    BankCard,
}

impl Kind {
    /// Kinds that identify a person wherever they appear. Landlines and e-mail addresses are
    /// published on purpose as agencies' contacts, so they count only when they are a known
    /// person's ([`Known`]).
    pub fn always_personal(self) -> bool {
        matches!(self, Kind::ResidentId | Kind::Mobile | Kind::BankCard)
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::ResidentId => "身份证号码",
            Kind::Mobile => "手机号码",
            Kind::Landline => "电话号码",
            Kind::Email => "电子邮箱",
            Kind::BankCard => "银行卡号",
        }
    }
}

/// One recognised item: its kind, where it stands in the original text (bytes), and its
/// canonical value (digits and an upper-case X; an e-mail address in lower case).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    pub span: Range<usize>,
    pub value: String,
}

/// The text seen through normalisation: one entry per normalised character, with the byte
/// range of the original character it came from.
struct Norm {
    chars: Vec<char>,
    at: Vec<Range<usize>>,
}

fn zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}'
    )
}

fn normalize(text: &str) -> Norm {
    let mut chars = Vec::with_capacity(text.len());
    let mut at = Vec::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if zero_width(c) {
            continue;
        }
        let range = i..i + c.len_utf8();
        if c.is_ascii() {
            chars.push(c);
            at.push(range);
            continue;
        }
        for n in std::iter::once(c).nfkc() {
            chars.push(n);
            at.push(range.clone());
        }
    }
    Norm { chars, at }
}

/// Whether anything here could be personal data at all: the fast path for the search
/// analyser, which sees every text.
fn may_hold_any(text: &str) -> bool {
    // The shortest number recognised has 10 digits.
    let mut digits = 0;
    for c in text.chars() {
        if matches!(c, '@' | '＠' | '﹫') {
            return true;
        }
        if c.is_numeric() {
            digits += 1;
            if digits >= 10 {
                return true;
            }
        }
    }
    false
}

/// Characters people put between the blocks of a number.
fn separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '‐'
                | '‑'
                | '‒'
                | '–'
                | '—'
                | '―'
                | '−'
                | '﹣'
                | '.'
                | '·'
                | '•'
                | '_'
                | '('
                | ')'
        )
}

/// A run of digits, separators skipped: `digits[k]` came from normalised index `pos[k]`;
/// `cuts[k]` says a separator stood before digit `k`.
struct Group {
    digits: Vec<u8>,
    pos: Vec<usize>,
    cuts: Vec<bool>,
}

impl Group {
    fn boundary(&self, k: usize) -> bool {
        k == 0 || k == self.digits.len() || self.cuts[k]
    }
}

/// At most this many separator characters in a row still join two blocks of digits.
const MAX_GAP: usize = 3;

fn groups(n: &Norm) -> Vec<Group> {
    let mut out = Vec::new();
    let mut i = 0;
    let c = &n.chars;
    while i < c.len() {
        if !c[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut g = Group {
            digits: Vec::new(),
            pos: Vec::new(),
            cuts: Vec::new(),
        };
        let mut cut = false;
        loop {
            g.digits.push(c[i] as u8);
            g.pos.push(i);
            g.cuts.push(cut);
            i += 1;
            if i < c.len() && c[i].is_ascii_digit() {
                cut = false;
                continue;
            }
            // Skip a short gap of separators if a digit (or the check character X) follows.
            let mut j = i;
            while j < c.len() && j - i < MAX_GAP && separator(c[j]) {
                j += 1;
            }
            if j < c.len() && c[j].is_ascii_digit() {
                cut = j > i;
                i = j;
                continue;
            }
            if j < c.len() && matches!(c[j], 'X' | 'x') {
                g.digits.push(b'X');
                g.pos.push(j);
                g.cuts.push(j > i);
                i = j + 1;
            }
            break;
        }
        out.push(g);
    }
    out
}

/// GB 11643's check character over an 18-character window (ASCII digits and X only).
fn id_check_ok(d: &[u8]) -> bool {
    std::str::from_utf8(d).is_ok_and(crate::lists::field::id_number_valid)
}

fn num(d: &[u8]) -> u32 {
    d.iter().fold(0, |n, b| n * 10 + u32::from(b - b'0'))
}

fn plausible_date(year: u32, month: u32, day: u32) -> bool {
    (1..=12).contains(&month) && (1..=31).contains(&day) && year > 0
}

/// The province code (first two digits) of a resident ID: 11–82.
fn plausible_region(d: &[u8]) -> bool {
    (11..=82).contains(&num(&d[..2]))
}

fn id18_shape(d: &[u8]) -> bool {
    d.len() == 18
        && d[..17].iter().all(u8::is_ascii_digit)
        && (d[17].is_ascii_digit() || d[17] == b'X')
        && plausible_region(d)
        && (1900..=2099).contains(&num(&d[6..10]))
        && plausible_date(num(&d[6..10]), num(&d[10..12]), num(&d[12..14]))
}

fn luhn(d: &[u8]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let v = u32::from(b - b'0');
            if i % 2 == 1 {
                let v = v * 2;
                if v > 9 { v - 9 } else { v }
            } else {
                v
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn all_digits(d: &[u8]) -> bool {
    d.iter().all(u8::is_ascii_digit)
}

/// The longest item starting at digit `k` of `g`, if any, as (kind, end, canonical start).
fn match_at(g: &Group, k: usize, aligned: bool) -> Option<(Kind, usize, usize)> {
    let d = &g.digits;
    let rest = d.len() - k;
    let id_at = |k: usize| rest >= 18 && id18_shape(&d[k..k + 18]);
    if !aligned {
        return None;
    }
    for len in (16..=19).rev() {
        if rest >= len && g.boundary(k + len) {
            let w = &d[k..k + len];
            if all_digits(w) && matches!(w[0], b'3'..=b'6') && luhn(w) {
                return Some((Kind::BankCard, k + len, k));
            }
        }
    }
    // A wrongly typed check character still marks an ID when the number stands alone and is
    // neither a bank card (above) nor a valid credit code.
    if id_at(k) && g.boundary(k + 18) {
        let code: String = d[k..k + 18].iter().map(|b| *b as char).collect();
        if !crate::lists::field::credit_code_valid(&code) {
            return Some((Kind::ResidentId, k + 18, k));
        }
    }
    let mobile = |s: usize| {
        d.len() >= s + 11
            && d[s] == b'1'
            && matches!(d[s + 1], b'3'..=b'9')
            && all_digits(&d[s..s + 11])
            && g.boundary(s + 11)
    };
    for prefix in [&b"0086"[..], b"86", b""] {
        if d[k..].starts_with(prefix) && mobile(k + prefix.len()) {
            return Some((Kind::Mobile, k + prefix.len() + 11, k + prefix.len()));
        }
    }
    // Old 15-digit IDs carry no check character: only a number standing alone counts.
    if rest >= 15 && g.boundary(k + 15) && all_digits(&d[k..k + 15]) {
        let w = &d[k..k + 15];
        if plausible_region(w) && plausible_date(1, num(&w[8..10]), num(&w[10..12])) {
            return Some((Kind::ResidentId, k + 15, k));
        }
    }
    // 0 + 2–3 digit area code + 7–8 digit number, as one block or split after the area code.
    if d[k] == b'0' && rest >= 10 {
        for len in (10..=12).rev() {
            if rest >= len && g.boundary(k + len) && all_digits(&d[k..k + len]) && d[k + 1] != b'0'
            {
                return Some((Kind::Landline, k + len, k));
            }
        }
    }
    None
}

fn numbers(n: &Norm, out: &mut Vec<Found>) {
    for g in groups(n) {
        let d = &g.digits;
        let mut found = |kind, span_from: usize, value_from: usize, end: usize| {
            out.push(Found {
                kind,
                span: n.at[g.pos[span_from]].start..n.at[g.pos[end - 1]].end,
                value: d[value_from..end].iter().map(|b| *b as char).collect(),
            });
        };
        // An identity number is recognised anywhere in a run when its check character is
        // right (1 in 11 by chance, and the date and region must fit too). Every such window
        // counts, overlapping ones included: which of two overlapping windows is the real
        // number cannot be told, and masking both hides it either way.
        let mut covered = vec![false; d.len()];
        let mut id_ends = Vec::new();
        let mut ids = Vec::new();
        for k in 0..d.len().saturating_sub(17) {
            let w = &d[k..k + 18];
            if id18_shape(w) && id_check_ok(w) {
                found(Kind::ResidentId, k, k, k + 18);
                covered[k..k + 18].iter_mut().for_each(|c| *c = true);
                id_ends.push(k + 18);
                ids.push(k);
            }
        }
        // A card number standing alone can hold a valid ID window (a 19-digit card whose first
        // 18 digits pass the ID check): it is a card too, so none of its digits is left.
        for k in (0..d.len()).filter(|k| g.boundary(*k)) {
            for len in 16..=19 {
                let end = k + len;
                if end > d.len() || !g.boundary(end) || !covered[k..end].contains(&true) {
                    continue;
                }
                let w = &d[k..end];
                let exactly_an_id = len == 18 && ids.contains(&k);
                if !exactly_an_id && all_digits(w) && matches!(w[0], b'3'..=b'6') && luhn(w) {
                    found(Kind::BankCard, k, k, end);
                    covered[k..end].iter_mut().for_each(|c| *c = true);
                    id_ends.push(end);
                }
            }
        }
        // The other kinds, in the stretches no ID covers; a stretch ends where an ID begins,
        // which counts as a boundary.
        let mut k = 0;
        let mut aligned = true;
        while k < d.len() {
            if covered[k] {
                k += 1;
                aligned = id_ends.contains(&k);
                continue;
            }
            let stop = k + covered[k..].iter().take_while(|c| !**c).count();
            let part = Group {
                digits: d[..stop].to_vec(),
                pos: g.pos[..stop].to_vec(),
                cuts: g.cuts[..stop].to_vec(),
            };
            if let Some((kind, end, value_from)) = match_at(&part, k, aligned || part.boundary(k)) {
                found(kind, k, value_from, end);
                k = end;
                aligned = true;
            } else {
                k += 1;
                aligned = false;
            }
        }
    }
}

fn email_local(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn email_domain(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-')
}

fn emails(n: &Norm, out: &mut Vec<Found>) {
    let c = &n.chars;
    for (i, ch) in c.iter().enumerate() {
        if *ch != '@' {
            continue;
        }
        let mut s = i;
        while s > 0 && email_local(c[s - 1]) {
            s -= 1;
        }
        let mut e = i + 1;
        while e < c.len() && email_domain(c[e]) {
            e += 1;
        }
        // A sentence's full stop after the address is not part of its domain.
        while e > i + 1 && matches!(c[e - 1], '.' | '-') {
            e -= 1;
        }
        let domain: String = c[i + 1..e].iter().collect();
        let tld_ok = domain.rsplit_once('.').is_some_and(|(host, tld)| {
            !host.is_empty() && tld.len() >= 2 && tld.chars().all(|t| t.is_ascii_alphabetic())
        });
        if s < i && tld_ok {
            let value: String = c[s..e].iter().collect::<String>().to_lowercase();
            out.push(Found {
                kind: Kind::Email,
                span: n.at[s].start..n.at[e - 1].end,
                value,
            });
        }
    }
}

/// Every identity number, phone number, e-mail address and bank card number in `text`, in
/// order of position.
pub fn find(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    if !may_hold_any(text) {
        return out;
    }
    let n = normalize(text);
    numbers(&n, &mut out);
    emails(&n, &mut out);
    out.sort_by_key(|f| f.span.start);
    out
}

/// Replaces the given byte spans of `text` (sorted by start, possibly overlapping) with one
/// star per character.
fn star(text: &str, spans: &[Range<usize>]) -> String {
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for s in spans {
        match merged.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => merged.push(s.clone()),
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for s in merged {
        out.push_str(&text[last..s.start]);
        // One star per character typed, not counting spaces and dashes between blocks.
        let visible = text[s.clone()]
            .chars()
            .filter(|c| !(zero_width(*c) || (separator(*c) && *c != '.')))
            .count();
        out.extend(std::iter::repeat_n('*', visible.max(1)));
        last = s.end;
    }
    out.push_str(&text[last..]);
    out
}

/// `text` with every identity number, mobile and bank card number starred, however written.
pub fn mask(text: &str) -> String {
    let spans: Vec<Range<usize>> = find(text)
        .into_iter()
        .filter(|f| f.kind.always_personal())
        .map(|f| f.span)
        .collect();
    if spans.is_empty() {
        return text.to_string();
    }
    star(text, &spans)
}

/// Whether `text` holds an identity number, mobile or bank card number.
pub fn holds_any(text: &str) -> bool {
    find(text).iter().any(|f| f.kind.always_personal())
}

/// Two-character surnames kept whole by [`mask_name`].
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "令狐", "端木", "独孤", "南宫", "西门", "申屠", "轩辕", "呼延", "万俟", "澹台", "公冶",
];

/// Characters that may stand inside a name as typed: spaces, zero-width characters, the
/// middle dot of transcribed names.
fn name_filler(c: char) -> bool {
    c.is_whitespace() || zero_width(c) || matches!(c, '·' | '•' | '・' | '‧')
}

/// A name as compared: NFKC, lower case, no spaces or middle dots.
fn compact_name(name: &str) -> String {
    name.nfkc()
        .filter(|c| !name_filler(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// 张三丰 → 张**, 欧阳 娜娜 → 欧阳**. Always two stars, so the mask does not tell the length.
pub fn mask_name(name: &str) -> String {
    let name = compact_name(name);
    let chars: Vec<char> = name.chars().collect();
    let keep = if chars.len() > 2 && COMPOUND_SURNAMES.iter().any(|s| name.starts_with(s)) {
        2
    } else {
        1
    };
    let surname: String = chars.iter().take(keep.min(chars.len())).collect();
    format!("{surname}**")
}

/// The byte spans of `text` where `name` is written, with any spacing or middle dots inside
/// it and in full or half width.
fn name_spans(text: &str, name: &str) -> Vec<Range<usize>> {
    let needle: Vec<char> = compact_name(name).chars().collect();
    if needle.is_empty() {
        return Vec::new();
    }
    // The text's characters without fillers, each with its original byte range.
    let mut chars = Vec::new();
    let mut at: Vec<Range<usize>> = Vec::new();
    for (i, c) in text.char_indices() {
        if name_filler(c) {
            continue;
        }
        let range = i..i + c.len_utf8();
        for n in std::iter::once(c).nfkc().flat_map(char::to_lowercase) {
            chars.push(n);
            at.push(range.clone());
        }
    }
    let mut spans = Vec::new();
    let mut i = 0;
    while i + needle.len() <= chars.len() {
        if chars[i..i + needle.len()] == needle[..] {
            spans.push(at[i].start..at[i + needle.len() - 1].end);
            i += needle.len();
        } else {
            i += 1;
        }
    }
    spans
}

/// `text` with every writing of `name` replaced by its mask (张**).
pub fn mask_name_in(text: &str, name: &str) -> String {
    let spans = name_spans(text, name);
    if spans.is_empty() {
        return text.to_string();
    }
    let mask = mask_name(name);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for s in spans {
        out.push_str(&text[last..s.start]);
        out.push_str(&mask);
        last = s.end;
    }
    out.push_str(&text[last..]);
    out
}

/// One person's details, to be kept out of a text meant for the public.
#[derive(Clone, Debug, Default)]
pub struct Known {
    names: Vec<String>,
    phones: Vec<String>,
    emails: Vec<String>,
    texts: Vec<String>,
}

/// Digits of a phone number without the country code: the form compared.
fn phone_digits(phone: &str) -> String {
    let digits: String = phone.nfkc().filter(char::is_ascii_digit).collect();
    for prefix in ["0086", "86"] {
        if digits.len() == prefix.len() + 11 && digits.starts_with(prefix) {
            return digits[prefix.len()..].to_string();
        }
    }
    digits
}

impl Known {
    pub fn new() -> Known {
        Known::default()
    }

    /// A person's name (two characters or more: a one-character name would refuse every text).
    pub fn name(mut self, name: &str) -> Known {
        let c = compact_name(name);
        if c.chars().count() >= 2 {
            self.names.push(name.to_string());
        }
        self
    }

    pub fn phone(mut self, phone: Option<&str>) -> Known {
        if let Some(p) = phone.map(phone_digits).filter(|p| p.len() >= 7) {
            // A landline is also written without its area code (3 digits for 010 and 02x,
            // else 4).
            if p.starts_with('0') && (10..=12).contains(&p.len()) {
                let area = if matches!(p.as_bytes()[1], b'1' | b'2') {
                    3
                } else {
                    4
                };
                if p.len() - area >= 7 {
                    self.phones.push(p[area..].to_string());
                }
            }
            self.phones.push(p);
        }
        self
    }

    pub fn email(mut self, email: Option<&str>) -> Known {
        if let Some(e) = email {
            let e = compact_name(e);
            if e.contains('@') {
                self.emails.push(e);
            }
        }
        self
    }

    /// Any other detail (an address, an ID number of another type), compared without spaces.
    pub fn text(mut self, text: Option<&str>) -> Known {
        if let Some(t) = text {
            let c = compact_name(t);
            if c.chars().count() >= 2 {
                self.texts.push(c);
            }
        }
        self
    }
}

/// `text` with every identity, mobile and bank card number starred, and the `known` person's
/// phone numbers and e-mail addresses starred and names masked (张**), however written: for
/// texts the public wrote that are shown as they came (comments on drafts).
pub fn mask_known(text: &str, known: &Known) -> String {
    let spans: Vec<Range<usize>> = find(text)
        .into_iter()
        .filter(|f| {
            f.kind.always_personal()
                || (f.kind == Kind::Email && known.emails.contains(&f.value))
                || (f.kind == Kind::Landline
                    && known.phones.iter().any(|p| f.value.ends_with(p.as_str())))
        })
        .map(|f| f.span)
        .collect();
    let mut out = if spans.is_empty() {
        text.to_string()
    } else {
        star(text, &spans)
    };
    for name in &known.names {
        out = mask_name_in(&out, name);
    }
    out
}

/// Why a text may not be published as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Leak {
    /// An identity number, mobile or bank card number, whoever's.
    Number(Kind),
    /// One of the known person's details.
    Name,
    Phone,
    Email,
    Other,
}

impl Leak {
    pub fn describe(&self) -> &'static str {
        match self {
            Leak::Number(k) => k.label(),
            Leak::Name => "姓名",
            Leak::Phone => "电话号码",
            Leak::Email => "电子邮箱",
            Leak::Other => "个人信息",
        }
    }
}

/// The first personal detail in `text` that must not be published: any identity, mobile or
/// bank card number, or any detail of the `known` person however it is written.
pub fn leak(text: &str, known: &Known) -> Option<Leak> {
    let found = find(text);
    if let Some(f) = found.iter().find(|f| f.kind.always_personal()) {
        return Some(Leak::Number(f.kind));
    }
    if known.names.iter().any(|n| !name_spans(text, n).is_empty()) {
        return Some(Leak::Name);
    }
    if !known.phones.is_empty() {
        let n = normalize(text);
        let runs: Vec<String> = groups(&n)
            .into_iter()
            .map(|g| g.digits.iter().map(|b| *b as char).collect())
            .collect();
        if known
            .phones
            .iter()
            .any(|p| runs.iter().any(|r| r.contains(p.as_str())))
        {
            return Some(Leak::Phone);
        }
    }
    let compact = compact_name(text);
    if known.emails.iter().any(|e| {
        found.iter().any(|f| f.kind == Kind::Email && &f.value == e) || compact.contains(e.as_str())
    }) {
        return Some(Leak::Email);
    }
    if known.texts.iter().any(|t| compact.contains(t.as_str())) {
        return Some(Leak::Other);
    }
    None
}

#[cfg(test)]
mod tests;
