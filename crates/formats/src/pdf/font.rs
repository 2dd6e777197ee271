//! The CJK typeface embedded in PDFs: an OpenType font installed from a Debian package
//! (Noto Serif CJK from `fonts-noto-cjk` by default), read once, and subset per document so a
//! letter carries only the glyphs it uses.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use ttf_parser::{Face, GlyphId, name_id};

/// Where Debian's packages put CJK fonts, best first: 宋体-style serif for official letters,
/// then sans, then the older fallbacks.
pub const SYSTEM_PATHS: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
];

pub struct Typeface {
    data: Vec<u8>,
    index: u32,
    /// PostScript name, used (with a subset tag) as the PDF font name.
    pub postscript_name: String,
    pub path: PathBuf,
    cff: bool,
}

impl std::fmt::Debug for Typeface {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Typeface({}, {})",
            self.postscript_name,
            self.path.display()
        )
    }
}

fn name(face: &Face, id: u16) -> Option<String> {
    face.names()
        .into_iter()
        .filter(|n| n.name_id == id)
        .find_map(|n| n.to_string())
}

impl Typeface {
    /// Reads a font file; in a collection (`.ttc`), picks the simplified-Chinese face (its
    /// family ends in "SC"), else the first face that maps 中.
    pub fn load(path: &Path) -> Result<Typeface, String> {
        let data = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let faces = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
        let mut chosen = None;
        for index in 0..faces {
            let Ok(face) = Face::parse(&data, index) else {
                continue;
            };
            if face.glyph_index('中').is_none() {
                continue;
            }
            let family = name(&face, name_id::FAMILY).unwrap_or_default();
            let sc = family.ends_with(" SC") || family.ends_with("SC");
            if chosen.is_none() || sc {
                chosen = Some((
                    index,
                    face.tables().cff.is_some(),
                    name(&face, name_id::POST_SCRIPT_NAME),
                ));
            }
            if sc {
                break;
            }
        }
        let (index, cff, ps) =
            chosen.ok_or_else(|| format!("{}: no face with Chinese glyphs", path.display()))?;
        // PDF names may not contain spaces or delimiters.
        let postscript_name: String = ps
            .unwrap_or_else(|| "CJKFont".into())
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        Ok(Typeface {
            data,
            index,
            postscript_name,
            path: path.to_path_buf(),
            cff,
        })
    }

    /// The first of [`SYSTEM_PATHS`] that loads, read once per process.
    pub fn system() -> Option<Arc<Typeface>> {
        static SYSTEM: OnceLock<Option<Arc<Typeface>>> = OnceLock::new();
        SYSTEM
            .get_or_init(|| {
                SYSTEM_PATHS
                    .iter()
                    .find_map(|p| Typeface::load(Path::new(p)).ok())
                    .map(Arc::new)
            })
            .clone()
    }

    fn face(&self) -> Face<'_> {
        // Proven at load: this index parsed.
        Face::parse(&self.data, self.index).expect("face parsed at load")
    }

    pub fn is_cff(&self) -> bool {
        self.cff
    }
}

/// The glyphs one document uses, numbered from 1 in order of first use (0 is .notdef).
pub struct Subset<'a> {
    face: Face<'a>,
    typeface: &'a Typeface,
    remapper: subsetter::GlyphRemapper,
    /// New glyph id → the text it shows, for the ToUnicode map.
    pub unicode: BTreeMap<u16, char>,
}

impl<'a> Subset<'a> {
    pub fn new(typeface: &'a Typeface) -> Self {
        Subset {
            face: typeface.face(),
            typeface,
            remapper: subsetter::GlyphRemapper::new(),
            unicode: BTreeMap::new(),
        }
    }

    fn scale(&self, units: f64) -> f64 {
        units * 1000.0 / f64::from(self.face.units_per_em())
    }

    /// Width of a character in thousandths of an em.
    pub fn width(&self, c: char) -> f64 {
        let gid = self.face.glyph_index(c).unwrap_or(GlyphId(0));
        self.scale(f64::from(self.face.glyph_hor_advance(gid).unwrap_or(0)))
    }

    /// The new glyph id for `c`, adding it to the subset; characters the font lacks show as
    /// .notdef (an empty box), never as another character.
    pub fn glyph(&mut self, c: char) -> u16 {
        match self.face.glyph_index(c) {
            Some(gid) => {
                let new = self.remapper.remap(gid.0);
                self.unicode.entry(new).or_insert(c);
                new
            }
            None => 0,
        }
    }

    /// `/W` entries: each used glyph's advance.
    pub fn widths(&self) -> Vec<(u16, u32)> {
        self.remapper
            .remapped_gids()
            .enumerate()
            .map(|(new, old)| {
                let w = self.face.glyph_hor_advance(GlyphId(old)).unwrap_or(0);
                (new as u16, self.scale(f64::from(w)).round() as u32)
            })
            .collect()
    }

    /// Font metrics for the descriptor, in thousandths of an em: bbox, ascent, descent,
    /// cap height.
    pub fn metrics(&self) -> ([i32; 4], i32, i32, i32) {
        let b = self.face.global_bounding_box();
        let s = |v: i16| self.scale(f64::from(v)).round() as i32;
        (
            [s(b.x_min), s(b.y_min), s(b.x_max), s(b.y_max)],
            s(self.face.ascender()),
            s(self.face.descender()),
            s(self.face.capital_height().unwrap_or(self.face.ascender())),
        )
    }

    /// The subset font program, with glyph ids = CIDs.
    pub fn program(&self) -> Result<Vec<u8>, String> {
        subsetter::subset(&self.typeface.data, self.typeface.index, &self.remapper)
            .map_err(|e| format!("subsetting {}: {e}", self.typeface.postscript_name))
    }

    /// A six-letter tag derived from the glyph set, as PDF wants for subset fonts.
    pub fn tag(&self) -> String {
        let mut h: u32 = 2166136261;
        for g in self.remapper.remapped_gids() {
            h = (h ^ u32::from(g)).wrapping_mul(16777619);
        }
        (0..6)
            .map(|i| char::from(b'A' + ((h >> (i * 5)) % 26) as u8))
            .collect()
    }
}
