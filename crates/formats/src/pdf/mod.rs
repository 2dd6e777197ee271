//! PDFs with Chinese text (reply letters, the demo's attachments). The text is set in a CJK
//! typeface from the system's Debian font packages, subset and embedded (see [`font`]), so the
//! letter looks the same on every reader and its text can be copied and searched. Without an
//! installed font it falls back to Adobe's standard CJK font STSong-Light, which readers supply.

pub mod font;

use std::io::Write as _;

use font::{Subset, Typeface};

const TOP: f64 = 770.0;
const BOTTOM: f64 = 72.0;
const LEFT: f64 = 72.0;
const WIDTH: f64 = 595.0 - 2.0 * 72.0;
const SIZE: f64 = 12.0;
const TITLE_SIZE: f64 = 18.0;
const LEADING: f64 = 20.0;
const HEADING_SIZE: f64 = 14.0;
/// Inner margin of a table cell.
const PAD: f64 = 2.0;

/// Each column's x and width on the page.
fn columns(grid: &crate::grid::Grid) -> Vec<(f64, f64)> {
    let total: f64 = grid.widths.iter().sum::<f64>().max(1.0);
    let mut x = LEFT;
    grid.widths
        .iter()
        .map(|w| {
            let width = w / total * WIDTH;
            let col = (x, width);
            x += width;
            col
        })
        .collect()
}

/// Row heights: each row fits its single-row cells; a spanning cell that needs more room
/// grows the last row it spans.
fn row_heights(ink: &Ink, grid: &crate::grid::Grid, size: f64) -> Vec<f64> {
    let cols = columns(grid);
    let line = size * 1.25;
    let need = |c: &crate::grid::Cell| {
        let width: f64 = cols[c.col..c.col + c.colspan].iter().map(|(_, w)| w).sum();
        ink.wrap_in(&c.text, size, 0.0, width - 2.0 * PAD).len() as f64 * line + 2.0 * PAD
    };
    let mut heights = vec![line + 2.0 * PAD; grid.rows()];
    for c in grid.cells.iter().filter(|c| c.rowspan == 1) {
        heights[c.row] = heights[c.row].max(need(c));
    }
    for c in grid.cells.iter().filter(|c| c.rowspan > 1) {
        let have: f64 = heights[c.row..c.row + c.rowspan].iter().sum();
        let n = need(c);
        if n > have {
            heights[c.row + c.rowspan - 1] += n - have;
        }
    }
    heights
}

fn table_height(ink: &Ink, grid: &crate::grid::Grid, size: f64) -> f64 {
    row_heights(ink, grid, size).iter().sum()
}

/// Draws the table's ruled cells with their text centred, from `top`; returns the y below it.
fn draw_table(
    ink: &mut Ink,
    content: &mut String,
    grid: &crate::grid::Grid,
    size: f64,
    top: f64,
) -> f64 {
    let cols = columns(grid);
    let heights = row_heights(ink, grid, size);
    let line = size * 1.25;
    let mut row_top = vec![top; heights.len() + 1];
    for (i, h) in heights.iter().enumerate() {
        row_top[i + 1] = row_top[i] - h;
    }
    content.push_str("0.5 w\n");
    for c in &grid.cells {
        let x = cols[c.col].0;
        let w: f64 = cols[c.col..c.col + c.colspan].iter().map(|(_, w)| w).sum();
        let y_top = row_top[c.row];
        let h = y_top - row_top[c.row + c.rowspan];
        content.push_str(&format!("{x:.1} {:.1} {w:.1} {h:.1} re S\n", y_top - h));
        let lines = ink.wrap_in(&c.text, size, 0.0, w - 2.0 * PAD);
        let block = lines.len() as f64 * line;
        let mut baseline = y_top - (h - block) / 2.0 - size;
        for l in lines.iter().filter(|l| !l.is_empty()) {
            let tx = x + (w - ink.text_width(l, size)) / 2.0;
            content.push_str(&format!(
                "BT /F1 {size} Tf {tx:.1} {baseline:.1} Td <{}> Tj ET\n",
                ink.encode(l)
            ));
            baseline -= line;
        }
    }
    row_top[heights.len()]
}

/// How text becomes glyphs: an embedded subset, or the reader's own STSong-Light.
enum Ink<'a> {
    Embedded(Box<Subset<'a>>),
    Standard,
}

impl Ink<'_> {
    /// Advance in thousandths of an em.
    fn width(&self, c: char) -> f64 {
        match self {
            Ink::Embedded(s) => s.width(c),
            // CJK and full-width forms are square, the rest about half.
            Ink::Standard => {
                if c.is_ascii() {
                    500.0
                } else {
                    1000.0
                }
            }
        }
    }

    fn text_width(&self, s: &str, size: f64) -> f64 {
        s.chars().map(|c| self.width(c)).sum::<f64>() * size / 1000.0
    }

    /// The hex string a `Tj` shows.
    fn encode(&mut self, s: &str) -> String {
        match self {
            Ink::Embedded(sub) => s.chars().map(|c| format!("{:04X}", sub.glyph(c))).collect(),
            // UniGB-UCS2-H takes UCS-2 code units; characters outside the BMP are rare in
            // official texts and come out as their surrogate pair (a missing glyph).
            Ink::Standard => s.encode_utf16().map(|u| format!("{u:04X}")).collect(),
        }
    }

    /// Breaks a paragraph into lines that fit the text width; CJK text breaks between any two
    /// characters.
    /// The first line starts `indent` points in.
    fn wrap(&self, text: &str, size: f64, indent: f64) -> Vec<String> {
        self.wrap_in(text, size, indent, WIDTH)
    }

    fn wrap_in(&self, text: &str, size: f64, indent: f64, width_limit: f64) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        let mut width = indent;
        for c in text.chars() {
            let w = self.width(c) * size / 1000.0;
            if width + w > width_limit && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                width = 0.0;
            }
            line.push(c);
            width += w;
        }
        lines.push(line);
        lines
    }
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    z.write_all(bytes).expect("write to memory");
    z.finish().expect("write to memory")
}

fn stream(dict: &str, bytes: &[u8]) -> Vec<u8> {
    let packed = deflate(bytes);
    let mut out = format!(
        "<< {dict} /Filter /FlateDecode /Length {} >>\nstream\n",
        packed.len()
    )
    .into_bytes();
    out.extend_from_slice(&packed);
    out.extend_from_slice(b"\nendstream");
    out
}

/// The ToUnicode CMap, so that the text can be copied, searched and read aloud.
fn to_unicode(map: &std::collections::BTreeMap<u16, char>) -> String {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def /CMapType 2 def\n\
         1 begincodespacerange <0000> <FFFF> endcodespacerange\n",
    );
    let entries: Vec<_> = map.iter().collect();
    for chunk in entries.chunks(100) {
        cmap.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (gid, c) in chunk {
            let utf16: String = c
                .encode_utf16(&mut [0; 2])
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            cmap.push_str(&format!("<{gid:04X}> <{utf16}>\n"));
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap CMapName currentdict /CMap defineresource pop end end\n");
    cmap
}

/// How a paragraph sits on the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    /// First line indented by two characters, as in the body of an official letter.
    Indented,
    Centre,
    /// Flush right: the signature and the date.
    Right,
}

/// What a page holds, in order.
pub enum Block<'a> {
    Text(Align, &'a str),
    /// A section heading, 14 pt.
    Heading(&'a str),
    /// A ruled table at the given type size; it starts a new page when it does not fit.
    Table(&'a crate::grid::Grid, f64),
}

/// A document of headings, paragraphs and ruled tables (the annual report).
pub fn blocks(typeface: Option<&Typeface>, title: &str, blocks: &[Block]) -> Vec<u8> {
    blocks_pdf(typeface, title, blocks)
}

/// A4 pages: the title in 18 pt, centred, then the paragraphs in 12 pt, wrapped, continued
/// on further pages as needed. With `typeface`, its glyphs are embedded.
pub fn document<S: AsRef<str>>(
    typeface: Option<&Typeface>,
    title: &str,
    paragraphs: &[S],
) -> Vec<u8> {
    let blocks: Vec<Block> = paragraphs
        .iter()
        .map(|p| Block::Text(Align::Left, p.as_ref()))
        .collect();
    blocks_pdf(typeface, title, &blocks)
}

/// A reply letter in the usual layout: number centred under the title, the salutation flush
/// left, the body indented, signature and date flush right.
pub fn letter(typeface: Option<&Typeface>, l: &gongkai_domain::request::letter::Letter) -> Vec<u8> {
    let mut blocks = vec![
        Block::Text(Align::Centre, l.number.as_str()),
        Block::Text(Align::Left, l.salutation.as_str()),
    ];
    blocks.extend(
        l.paragraphs
            .iter()
            .map(|p| Block::Text(Align::Indented, p.as_str())),
    );
    blocks.push(Block::Text(Align::Left, ""));
    blocks.push(Block::Text(Align::Right, l.signature.as_str()));
    blocks.push(Block::Text(Align::Right, l.date.as_str()));
    blocks_pdf(typeface, &l.title, &blocks)
}

fn blocks_pdf(typeface: Option<&Typeface>, title: &str, blocks: &[Block]) -> Vec<u8> {
    let mut ink = match typeface {
        Some(t) => Ink::Embedded(Box::new(Subset::new(t))),
        None => Ink::Standard,
    };
    let pages = layout(&mut ink, title, blocks);
    let embedded = match &ink {
        Ink::Embedded(sub) => match sub.program() {
            Ok(program) => Some((&**sub, program)),
            Err(e) => {
                tracing::warn!("PDF font not embedded: {e}");
                return blocks_pdf(None, title, blocks);
            }
        },
        Ink::Standard => None,
    };
    assemble(typeface, embedded, &pages)
}

/// Sets the title and paragraphs on pages; returns each page's content stream.
fn layout(ink: &mut Ink, title: &str, blocks: &[Block]) -> Vec<String> {
    let mut pages: Vec<String> = Vec::new();
    let mut content = String::new();
    let mut y = TOP;
    for line in ink.wrap(title, TITLE_SIZE, 0.0) {
        let x = (LEFT + (WIDTH - ink.text_width(&line, TITLE_SIZE)) / 2.0).max(LEFT);
        content.push_str(&format!(
            "BT /F1 {TITLE_SIZE} Tf {x:.1} {y:.1} Td <{}> Tj ET\n",
            ink.encode(&line)
        ));
        y -= TITLE_SIZE * 1.5;
    }
    y -= 40.0 - TITLE_SIZE * 1.5;
    for (i, block) in blocks.iter().enumerate() {
        let (align, text) = match block {
            Block::Text(align, text) => (align, *text),
            Block::Heading(text) => {
                // A heading stays with the table under it.
                let table = match blocks.get(i + 1) {
                    Some(Block::Table(grid, size)) => table_height(ink, grid, *size),
                    _ => 0.0,
                };
                if y - 2.0 * LEADING - table < BOTTOM && y < TOP {
                    pages.push(std::mem::take(&mut content));
                    y = TOP;
                }
                y -= HEADING_SIZE * 0.6;
                for line in ink.wrap(text, HEADING_SIZE, 0.0) {
                    content.push_str(&format!(
                        "BT /F1 {HEADING_SIZE} Tf {LEFT:.1} {y:.1} Td <{}> Tj ET\n",
                        ink.encode(&line)
                    ));
                    y -= HEADING_SIZE * 1.6;
                }
                continue;
            }
            Block::Table(grid, size) => {
                // `y` is the next baseline; the table's top rule goes where that line's
                // characters would reach.
                let mut top = y + SIZE;
                if top - table_height(ink, grid, *size) < BOTTOM && top < TOP {
                    pages.push(std::mem::take(&mut content));
                    top = TOP + SIZE;
                }
                y = draw_table(ink, &mut content, grid, *size, top) - SIZE * 1.8;
                continue;
            }
        };
        let indent = if *align == Align::Indented {
            2.0 * SIZE
        } else {
            0.0
        };
        for (i, line) in ink.wrap(text, SIZE, indent).into_iter().enumerate() {
            if y < BOTTOM {
                pages.push(std::mem::take(&mut content));
                y = TOP;
            }
            let width = ink.text_width(&line, SIZE);
            let x = match align {
                Align::Left => LEFT,
                Align::Indented if i == 0 => LEFT + indent,
                Align::Indented => LEFT,
                Align::Centre => (LEFT + (WIDTH - width) / 2.0).max(LEFT),
                Align::Right => (LEFT + WIDTH - width).max(LEFT),
            };
            if !line.is_empty() {
                content.push_str(&format!(
                    "BT /F1 {SIZE} Tf {x:.1} {y:.1} Td <{}> Tj ET\n",
                    ink.encode(&line)
                ));
            }
            y -= LEADING;
        }
    }
    pages.push(content);
    pages
}

fn assemble(
    typeface: Option<&Typeface>,
    embedded: Option<(&Subset, Vec<u8>)>,
    pages: &[String],
) -> Vec<u8> {
    // Objects: 1 catalog, 2 pages, 3 font, 4 CID font, 5 descriptor, 6 font program and 7
    // ToUnicode (embedded only), then a page and its content stream per page.
    let mut objects: Vec<Vec<u8>> = vec![b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(), Vec::new()];
    match embedded {
        Some((sub, program)) => {
            let name = format!(
                "{}+{}",
                sub.tag(),
                typeface.map_or("", |t| &t.postscript_name)
            );
            let cff = typeface.is_some_and(Typeface::is_cff);
            let widths: String = sub
                .widths()
                .iter()
                .map(|(g, w)| format!("{g} [{w}]"))
                .collect::<Vec<_>>()
                .join(" ");
            let (bbox, ascent, descent, cap) = sub.metrics();
            objects.push(
                format!(
                    "<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H \
                     /DescendantFonts [4 0 R] /ToUnicode 7 0 R >>"
                )
                .into_bytes(),
            );
            objects.push(
                format!(
                    "<< /Type /Font /Subtype /{} /BaseFont /{name} \
                     /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
                     /FontDescriptor 5 0 R /DW 1000 /W [{widths}]{} >>",
                    if cff { "CIDFontType0" } else { "CIDFontType2" },
                    if cff { "" } else { " /CIDToGIDMap /Identity" },
                )
                .into_bytes(),
            );
            objects.push(
                format!(
                    "<< /Type /FontDescriptor /FontName /{name} /Flags 6 \
                     /FontBBox [{} {} {} {}] /ItalicAngle 0 /Ascent {ascent} /Descent {descent} \
                     /CapHeight {cap} /StemV 80 /{} 6 0 R >>",
                    bbox[0],
                    bbox[1],
                    bbox[2],
                    bbox[3],
                    if cff { "FontFile3" } else { "FontFile2" },
                )
                .into_bytes(),
            );
            objects.push(stream(
                if cff { "/Subtype /OpenType" } else { "" },
                &program,
            ));
            objects.push(stream("", to_unicode(&sub.unicode).as_bytes()));
        }
        None => {
            objects.push(
                b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H \
                  /DescendantFonts [4 0 R] >>"
                    .to_vec(),
            );
            objects.push(
                b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light \
                  /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> \
                  /FontDescriptor 5 0 R /DW 1000 /W [1 95 500] >>"
                    .to_vec(),
            );
            objects.push(
                b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 \
                  /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 \
                  /CapHeight 880 /StemV 93 >>"
                    .to_vec(),
            );
        }
    }
    let mut kids = Vec::new();
    for content in pages {
        let page_no = objects.len() + 1;
        kids.push(format!("{page_no} 0 R"));
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
                 /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                page_no + 1
            )
            .into_bytes(),
        );
        objects.push(stream("", content.as_bytes()));
    }
    objects[1] = format!(
        "<< /Type /Pages /Kids [{}] /Count {} >>",
        kids.join(" "),
        kids.len()
    )
    .into_bytes();
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
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
        let pdf = super::document(
            None,
            "云溪区人民政府公报",
            &["2024年第1期".to_string(), long],
        );
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

    /// Inflates the stream of object `n`.
    fn object_stream(pdf: &[u8], n: usize) -> Vec<u8> {
        use std::io::Read as _;
        let head = format!("\n{n} 0 obj\n");
        let at = pdf
            .windows(head.len())
            .position(|w| w == head.as_bytes())
            .unwrap();
        let body = &pdf[at..];
        let start = body.windows(7).position(|w| w == b"stream\n").unwrap() + 7;
        let end = body.windows(10).position(|w| w == b"\nendstream").unwrap();
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(&body[start..end])
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    /// The font of a Debian package is embedded, subset to the glyphs used, and the text reads
    /// back through the ToUnicode map exactly as written. CI installs `fonts-noto-cjk`; a
    /// machine without any CJK font skips this (outside CI).
    #[test]
    fn the_system_font_is_subset_and_embedded_and_the_text_reads_back() {
        let Some(face) = super::font::Typeface::system() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must install fonts-noto-cjk"
            );
            eprintln!("no CJK font installed: skipped");
            return;
        };
        let title = "政府信息公开申请答复书";
        let body = "云溪区教育局于2024年9月30日收到您的申请(Email: a@b.cn)。经审查,予以公开。";
        let pdf = super::document(Some(&face), title, &[body]);
        let text = String::from_utf8_lossy(&pdf).into_owned();
        assert!(text.contains(if face.is_cff() {
            "/FontFile3"
        } else {
            "/FontFile2"
        }));
        assert!(text.contains("/Encoding /Identity-H"));
        assert!(!text.contains("STSong"));
        assert!(
            pdf.len() < 200_000,
            "subset, not the whole font: {} bytes",
            pdf.len()
        );

        // The embedded program is a font with exactly the used glyphs plus .notdef.
        let program = object_stream(&pdf, 6);
        let sub = ttf_parser::Face::parse(&program, 0).unwrap();
        let distinct: std::collections::BTreeSet<char> =
            title.chars().chain(body.chars()).collect();
        assert_eq!(usize::from(sub.number_of_glyphs()), distinct.len() + 1);

        // Decode every shown string through the ToUnicode map.
        let cmap = String::from_utf8(object_stream(&pdf, 7)).unwrap();
        let mut map = std::collections::HashMap::new();
        for line in cmap
            .lines()
            .filter(|l| l.starts_with('<') && l.contains("> <"))
        {
            let (gid, uni) = line.split_once("> <").unwrap();
            let c = char::from_u32(u32::from_str_radix(uni.trim_end_matches('>'), 16).unwrap());
            map.insert(gid.trim_start_matches('<').to_string(), c.unwrap());
        }
        let content = String::from_utf8(object_stream(&pdf, 9)).unwrap();
        let shown: String = content
            .lines()
            .filter_map(|l| Some(l.split_once('<')?.1.split_once('>')?.0))
            .flat_map(|hex| {
                (0..hex.len())
                    .step_by(4)
                    .map(|i| map[&hex[i..i + 4]])
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(shown, format!("{title}{body}"));
    }

    /// Tables are ruled cell by cell, spans included, and their text reads back.
    #[test]
    fn tables_are_ruled_with_their_spans_and_the_text_reads_back() {
        let mut g = crate::grid::Grid::new(&[2.0, 1.0, 1.0]);
        g.head(0, 0, 2, 1, "信息内容");
        g.head(0, 1, 1, 2, "处理决定");
        g.head(1, 1, 1, 1, "本年");
        g.head(1, 2, 1, 1, "上年");
        g.head(2, 0, 1, 1, "行政许可");
        g.value(2, 1, 1, "12");
        g.value(2, 2, 1, "7");
        let pdf = super::blocks(
            None,
            "年度报告",
            &[
                super::Block::Heading("二、主动公开政府信息情况"),
                super::Block::Table(&g, 9.0),
            ],
        );
        let content = String::from_utf8(object_stream(&pdf, 6)).unwrap();
        assert_eq!(content.matches(" re S").count(), g.cells.len());
        // STSong-Light shows UCS-2: decode every string shown.
        let shown: Vec<String> = content
            .lines()
            .filter_map(|l| Some(l.split_once('<')?.1.split_once('>')?.0))
            .map(|hex| {
                let units: Vec<u16> = (0..hex.len())
                    .step_by(4)
                    .map(|i| u16::from_str_radix(&hex[i..i + 4], 16).unwrap())
                    .collect();
                String::from_utf16(&units).unwrap()
            })
            .collect();
        for want in [
            "年度报告",
            "二、主动公开政府信息情况",
            "信息内容",
            "处理决定",
            "行政许可",
            "12",
            "7",
        ] {
            assert!(shown.iter().any(|s| s == want), "{want} in {shown:?}");
        }
        // The two-row cell is as tall as the two rows beside it; the two-column cell as wide
        // as the two columns under it. Rectangles are x, y, width, height, in cell order.
        let rects: Vec<Vec<f64>> = content
            .lines()
            .filter(|l| l.ends_with(" re S"))
            .map(|l| l.split(' ').take(4).map(|n| n.parse().unwrap()).collect())
            .collect();
        let (tall, wide, this_year, last_year) = (&rects[0], &rects[1], &rects[2], &rects[3]);
        assert!(
            (tall[3] - (wide[3] + this_year[3])).abs() < 0.2,
            "{rects:?}"
        );
        assert!(
            (wide[2] - (this_year[2] + last_year[2])).abs() < 0.2,
            "{rects:?}"
        );
    }
}
