//! PDFs with Chinese text (reply letters, the demo's attachments). They use the standard
//! Adobe CJK font STSong-Light, which PDF readers supply, so no font file is embedded or
//! downloaded and a letter is a few kilobytes.

const TOP: f64 = 770.0;
const BOTTOM: f64 = 72.0;
const LEFT: f64 = 72.0;
const WIDTH: f64 = 595.0 - 2.0 * 72.0;
const SIZE: f64 = 12.0;
const LEADING: f64 = 20.0;

/// Width of a character in ems: CJK and full-width forms are square, the rest about half.
fn em(c: char) -> f64 {
    if c.is_ascii() { 0.5 } else { 1.0 }
}

/// Breaks a paragraph into lines that fit the text width at 12 pt.
fn wrap(text: &str) -> Vec<String> {
    let max = WIDTH / SIZE;
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut width = 0.0;
    for c in text.chars() {
        if width + em(c) > max {
            lines.push(std::mem::take(&mut line));
            width = 0.0;
        }
        line.push(c);
        width += em(c);
    }
    lines.push(line);
    lines
}

fn ucs2(s: &str) -> String {
    // UniGB-UCS2-H takes UCS-2 code units; characters outside the BMP are rare in official
    // texts and come out as their surrogate pair, which readers show as a missing glyph.
    s.encode_utf16().map(|u| format!("{u:04X}")).collect()
}

/// A4 pages: the title in 18 pt, centred, then the paragraphs in 12 pt, wrapped, with an
/// indent of two characters, continued on further pages as needed.
pub fn document<S: AsRef<str>>(title: &str, paragraphs: &[S]) -> Vec<u8> {
    let mut pages: Vec<String> = Vec::new();
    let title_width: f64 = title.chars().map(em).sum::<f64>() * 18.0;
    let mut content = format!(
        "BT /F1 18 Tf {:.1} {TOP} Td <{}> Tj ET\n",
        (LEFT + (WIDTH - title_width) / 2.0).max(LEFT),
        ucs2(title)
    );
    let mut y = TOP - 40.0;
    for p in paragraphs {
        for line in wrap(p.as_ref()) {
            if y < BOTTOM {
                pages.push(std::mem::take(&mut content));
                y = TOP;
            }
            content.push_str(&format!(
                "BT /F1 {SIZE} Tf {LEFT} {y:.1} Td <{}> Tj ET\n",
                ucs2(&line)
            ));
            y -= LEADING;
        }
    }
    pages.push(content);

    // Objects: 1 catalog, 2 pages, 3 font, 4 CID font, 5 descriptor, then a page and its
    // content stream per page.
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        String::new(),
        "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H \
         /DescendantFonts [4 0 R] >>"
            .to_string(),
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light \
         /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> \
         /FontDescriptor 5 0 R /DW 1000 /W [1 95 500] >>"
            .to_string(),
        "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 \
         /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 \
         /CapHeight 880 /StemV 93 >>"
            .to_string(),
    ];
    let mut kids = Vec::new();
    for content in &pages {
        let page_no = objects.len() + 1;
        kids.push(format!("{page_no} 0 R"));
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
             /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            page_no + 1
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ));
    }
    objects[1] = format!(
        "<< /Type /Pages /Kids [{}] /Count {} >>",
        kids.join(" "),
        kids.len()
    );
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_cross_reference_table_points_at_each_object() {
        let long = "第一条 为规范政府信息公开申请办理工作,制定本办法。".repeat(80);
        let pdf = super::document("云溪区人民政府公报", &["2024年第1期".to_string(), long]);
        let text = String::from_utf8_lossy(&pdf).into_owned();
        assert!(
            text.contains("/Count 2"),
            "a long text runs onto a second page"
        );
        assert_eq!(
            gongkai_domain::attachment::sniff(&pdf),
            Some(gongkai_domain::attachment::FileKind::Pdf)
        );
        let start: usize = text
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(pdf[start..].starts_with(b"xref"));
        for (i, line) in text[text.find("0000000000 65535 f").unwrap()..]
            .lines()
            .skip(1)
            .take(9)
            .enumerate()
        {
            let at: usize = line[..10].parse().unwrap();
            assert!(
                pdf[at..].starts_with(format!("{} 0 obj", i + 1).as_bytes()),
                "object {}",
                i + 1
            );
        }
    }
}
