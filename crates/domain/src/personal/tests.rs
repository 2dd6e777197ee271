use proptest::prelude::*;

use super::*;

fn kinds(text: &str) -> Vec<Kind> {
    find(text).into_iter().map(|f| f.kind).collect()
}

#[test]
fn the_spellings_seen_in_published_records_are_recognised() {
    for (text, kind, value) in [
        (
            "320502 19881111 5516",
            Kind::ResidentId,
            "320502198811115516",
        ),
        (
            "ID12010119700101123X",
            Kind::ResidentId,
            "12010119700101123X",
        ),
        (
            "110101-19900307-7715",
            Kind::ResidentId,
            "110101199003077715",
        ),
        (
            "证号：１１０１０５１９４９１２３１００２ｘ。",
            Kind::ResidentId,
            "11010519491231002X",
        ),
        (
            "11010519491231002\u{200B}X",
            Kind::ResidentId,
            "11010519491231002X",
        ),
        ("138 0000 2222", Kind::Mobile, "13800002222"),
        ("138-0000-2222", Kind::Mobile, "13800002222"),
        ("+86 138 0000 2222", Kind::Mobile, "13800002222"),
        ("电话１３８００００２２２２", Kind::Mobile, "13800002222"),
        ("0512-68888888", Kind::Landline, "051268888888"),
        ("(010) 6512 3456", Kind::Landline, "01065123456"),
        ("WANG.Xiao@Example.CN", Kind::Email, "wang.xiao@example.cn"),
        (
            "邮箱ｗａｎｇ＠ｅｘａｍｐｌｅ．ｃｎ。",
            Kind::Email,
            "wang@example.cn",
        ),
        (
            "6222 0212 3456 7890 128",
            Kind::BankCard,
            "6222021234567890128",
        ),
    ] {
        let f = find(text);
        assert_eq!(f.len(), 1, "{text}: {f:?}");
        assert_eq!((f[0].kind, f[0].value.as_str()), (kind, value), "{text}");
    }
}

#[test]
fn an_id_with_a_valid_check_character_is_found_inside_longer_digits() {
    assert_eq!(kinds("2024320502198811115516"), [Kind::ResidentId]);
    // Two numbers written one after the other with a space are two finds.
    assert_eq!(
        kinds("13800002222 320502198811115516"),
        [Kind::Mobile, Kind::ResidentId]
    );
    assert_eq!(
        kinds("13800002222/13900003333"),
        [Kind::Mobile, Kind::Mobile]
    );
}

#[test]
fn a_card_number_holding_a_valid_id_window_is_starred_whole() {
    // Its first 18 digits pass the ID check by chance.
    let text = "卡号 6200001986042206051";
    assert!(kinds(text).contains(&Kind::BankCard), "{:?}", find(text));
    assert_eq!(mask(text), "卡号 *******************");
}

#[test]
fn official_numbers_are_not_personal_data() {
    for text in [
        "嘉府办发〔2021〕18号",
        "2024年1月1日起施行",
        "统一社会信用代码 91330108MA2H0QXT18",
        "罚款 12,345,678.90 元",
        "索引号 YX0202/2024-00018",
        "共计 1234567890 元",
        "2024.01.01",
        "第 13 条第 2 款",
    ] {
        assert!(!holds_any(text), "{text}: {:?}", find(text));
        assert_eq!(mask(text), text);
    }
    // An agency's hotline is found but left as it is by the mask.
    assert_eq!(mask("咨询电话 0512-68888888"), "咨询电话 0512-68888888");
}

#[test]
fn masking_stars_exactly_what_was_typed() {
    assert_eq!(
        mask("身份证 320502 19881111 5516,电话 138-0000-2222。"),
        "身份证 ******************,电话 ***********。"
    );
    assert_eq!(mask("ID12010119700101123X"), "ID******************");
    assert_eq!(mask("证号330102199001011234。"), "证号******************。");
}

#[test]
fn names_are_masked_however_they_are_spaced() {
    assert_eq!(mask_name("张三丰"), "张**");
    assert_eq!(mask_name("欧阳 小隐"), "欧阳**");
    assert_eq!(mask_name(" 欧阳\u{3000}娜娜"), "欧阳**");
    assert_eq!(mask_name("欧阳"), "欧**");
    assert_eq!(
        mask_name_in("当事人欧阳 小隐于 2024 年……欧阳小隐签字", "欧阳小隐"),
        "当事人欧阳**于 2024 年……欧阳**签字"
    );
    assert_eq!(mask_name_in("王 留言来信", "王留言"), "王**来信");
}

#[test]
fn a_known_persons_details_are_refused_however_written() {
    let known = Known::new()
        .name("王留言")
        .phone(Some("0512-68880000"))
        .email(Some("Wang@Example.cn"))
        .text(Some("云溪区文化路 8 号"));
    assert_eq!(leak("关于小区停车的建议", &known), None);
    for (text, why) in [
        ("王 留言", Leak::Name),
        ("王\u{200B}留言", Leak::Name),
        ("电话 0512 6888 0000", Leak::Phone),
        ("电话６８８８００００", Leak::Phone),
        ("WANG＠EXAMPLE.CN", Leak::Email),
        ("住云溪区文化路8号", Leak::Other),
        (
            "我的身份证 110101-19900307-7715",
            Leak::Number(Kind::ResidentId),
        ),
        ("手机 138 0000 2222", Leak::Number(Kind::Mobile)),
    ] {
        assert_eq!(leak(text, &known), Some(why), "{text}");
    }
}

#[test]
fn a_known_persons_details_are_masked_in_a_text_shown_as_written() {
    let known = Known::new()
        .name("张建国")
        .phone(Some("0512-68880000"))
        .email(Some("zhang@example.cn"));
    assert_eq!(
        mask_known(
            "我是张 建国,电话 0512 6888 0000,邮箱 ZHANG@example.cn,手机13800002222。",
            &known
        ),
        "我是张**,电话 ************,邮箱 ****************,手机***********。"
    );
    // Other people's landlines and addresses are left alone.
    assert_eq!(
        mask_known("热线 0512-12345678", &known),
        "热线 0512-12345678"
    );
}

// ---- generated spellings ----

fn id_number() -> impl Strategy<Value = String> {
    (
        11u32..=65,
        0u32..10_000,
        1950u32..2020,
        1u32..=12,
        1u32..=28,
        0u32..1000,
    )
        .prop_map(|(region, county, y, m, d, seq)| {
            let body = format!("{region:02}{county:04}{y:04}{m:02}{d:02}{seq:03}");
            let sum: u32 = body
                .bytes()
                .zip([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
                .map(|(b, w)| u32::from(b - b'0') * w)
                .sum();
            let check = b"10X98765432"[(sum % 11) as usize] as char;
            format!("{body}{check}")
        })
}

fn mobile() -> impl Strategy<Value = String> {
    (3u32..=9, 0u64..1_000_000_000).prop_map(|(second, rest)| format!("1{second}{rest:09}"))
}

fn bank_card() -> impl Strategy<Value = String> {
    (0u64..1_000_000_000_000, 16usize..=19).prop_map(|(n, len)| {
        let mut body: Vec<u8> = format!("62{n:0>width$}", width = len - 3)
            .bytes()
            .take(len - 1)
            .collect();
        // The Luhn check digit over the body.
        let sum: u32 = body
            .iter()
            .rev()
            .enumerate()
            .map(|(i, b)| {
                let v = u32::from(b - b'0');
                if i % 2 == 0 {
                    let v = v * 2;
                    if v > 9 { v - 9 } else { v }
                } else {
                    v
                }
            })
            .sum();
        body.push(b'0' + ((10 - sum % 10) % 10) as u8);
        String::from_utf8(body).unwrap()
    })
}

/// A number as people type it: some characters full width, separators between some blocks.
fn spelled(number: String) -> impl Strategy<Value = String> {
    let n = number.chars().count();
    (
        proptest::collection::vec(any::<bool>(), n),
        proptest::collection::vec(
            prop_oneof![
                4 => Just(""),
                1 => Just(" "),
                1 => Just("-"),
                1 => Just(" - "),
                1 => Just("\u{3000}"),
                1 => Just("\u{200B}"),
                1 => Just("－"),
            ],
            n,
        ),
        any::<bool>(),
    )
        .prop_map(move |(wide, seps, lower_x)| {
            let mut out = String::new();
            for (i, c) in number.chars().enumerate() {
                if i > 0 {
                    out.push_str(seps[i]);
                }
                let c = if c == 'X' && lower_x { 'x' } else { c };
                out.push(if wide[i] {
                    char::from_u32(c as u32 + 0xFEE0).unwrap()
                } else {
                    c
                });
            }
            out
        })
}

fn context() -> impl Strategy<Value = (String, String)> {
    let before = prop_oneof![
        Just(""),
        Just("身份证号码:"),
        Just("ID"),
        Just("No."),
        Just("当事人王某,"),
        Just("电话/"),
        Just("联系方式 "),
        Just("abc"),
    ];
    let after = prop_oneof![
        Just(""),
        Just("。"),
        Just("号"),
        Just(" 等"),
        Just("abc"),
        Just(",")
    ];
    (before, after).prop_map(|(b, a)| (b.to_string(), a.to_string()))
}

fn digit_count(s: &str) -> usize {
    s.nfkc().filter(char::is_ascii_digit).count()
}

fn check_masked(
    number: &str,
    kind: Kind,
    text: &str,
    before: &str,
    after: &str,
) -> Result<(), TestCaseError> {
    let f = find(text);
    // An 18-digit card number can also be a well-formed ID: masked either way.
    let same = |k: Kind| k == kind || (kind == Kind::BankCard && k == Kind::ResidentId);
    prop_assert!(
        f.iter()
            .any(|f| same(f.kind) && f.value == number.to_uppercase()),
        "{text:?}: {f:?}"
    );
    let masked = mask(text);
    // None of the number's digits is left: only the context's own.
    prop_assert_eq!(
        digit_count(&masked),
        digit_count(before) + digit_count(after),
        "{:?} -> {:?}",
        text,
        masked
    );
    prop_assert!(masked.starts_with(before) && masked.ends_with(after));
    prop_assert!(matches!(leak(text, &Known::new()), Some(Leak::Number(k)) if same(k)));
    Ok(())
}

proptest! {
    #[test]
    fn generated_ids_are_masked_and_refused(
        (id, spelled, (before, after)) in id_number()
            .prop_flat_map(|id| (Just(id.clone()), spelled(id), context()))
    ) {
        let text = format!("{before}{spelled}{after}");
        check_masked(&id, Kind::ResidentId, &text, &before, &after)?;
    }

    #[test]
    fn generated_ids_next_to_other_digits_are_masked(
        (id, lead, tail) in (id_number(), 0u32..100_000, 0u32..100)
    ) {
        let text = format!("编号{lead}{id}{tail}");
        prop_assert!(find(&text).iter().any(|f| f.kind == Kind::ResidentId && f.value == id));
        let masked = mask(&text);
        // Every digit of the ID is starred (overlapping candidate windows may star more).
        let digits_left: String = masked.chars().filter(char::is_ascii_digit).collect();
        let id_digits = id.chars().filter(char::is_ascii_digit).count();
        prop_assert!(digits_left.len() <= text.chars().filter(char::is_ascii_digit).count() - id_digits, "{text} -> {masked}");
        prop_assert!(!masked.contains(&id[..6]) || lead.to_string().contains(&id[..6]), "{text} -> {masked}");
    }

    #[test]
    fn generated_mobiles_are_masked_and_refused(
        (m, spelled, (before, after), plus) in mobile()
            .prop_flat_map(|m| (Just(m.clone()), spelled(m), context(), any::<bool>()))
    ) {
        let spelled = if plus { format!("+86 {spelled}") } else { spelled };
        let text = format!("{before}{spelled}{after}");
        check_masked(&m, Kind::Mobile, &text, &before, &after)?;
    }

    #[test]
    fn generated_bank_cards_are_masked_and_refused(
        (card, spelled, (before, after)) in bank_card()
            .prop_flat_map(|c| (Just(c.clone()), spelled(c), context()))
    ) {
        let text = format!("{before}{spelled}{after}");
        check_masked(&card, Kind::BankCard, &text, &before, &after)?;
    }

    #[test]
    fn generated_emails_of_a_known_person_are_refused(
        local in "[a-z][a-z0-9._]{0,10}[a-z0-9]",
        host in "[a-z]{2,10}",
        tld in prop_oneof![Just("cn"), Just("com"), Just("gov.cn")],
        upper in any::<bool>(),
        wide_at in any::<bool>(),
        before in prop_oneof![Just(""), Just("邮箱:"), Just("发送至 "), Just("（")],
        after in prop_oneof![Just(""), Just("。"), Just(" 谢谢"), Just("）")],
    ) {
        let email = format!("{local}@{host}.{tld}");
        let mut typed = if upper { email.to_uppercase() } else { email.clone() };
        if wide_at {
            typed = typed.replace('@', "＠");
        }
        let text = format!("{before}{typed}{after}");
        let found = find(&text);
        prop_assert!(found.iter().any(|f| f.kind == Kind::Email && f.value == email), "{text}: {found:?}");
        let known = Known::new().email(Some(&email));
        prop_assert_eq!(leak(&text, &known), Some(Leak::Email));
    }

    #[test]
    fn generated_names_with_any_spacing_are_refused_and_masked(
        surname in prop_oneof![Just("王"), Just("欧阳"), Just("李")],
        given in "[\u{4e00}-\u{9fa5}]{1,2}",
        sep in prop_oneof![Just(""), Just(" "), Just("\u{3000}"), Just("\u{200B}"), Just(" · ")],
    ) {
        let name = format!("{surname}{given}");
        let typed = format!("{surname}{sep}{given}");
        let text = format!("来信人{typed}反映");
        let known = Known::new().name(&name);
        prop_assert_eq!(leak(&text, &known), Some(Leak::Name));
        let masked = mask_name_in(&text, &name);
        prop_assert_eq!(masked, format!("来信人{}反映", mask_name(&name)));
    }

    /// Any text: finding never panics, spans lie on character boundaries, masking keeps the
    /// text around the finds.
    #[test]
    fn any_text_is_scanned_safely(s in "(?s).{0,120}") {
        for f in find(&s) {
            prop_assert!(s.is_char_boundary(f.span.start) && s.is_char_boundary(f.span.end));
        }
        let _ = mask(&s);
        let _ = leak(&s, &Known::new().name("王小明").phone(Some("13800002222")));
    }
}
