//! Counting a search's matches and their facet values (kind, agency, year, topic, 文种,
//! validity) in one pass over columns: each facet is a string fast field, so a match costs one
//! column read per facet — a block of matches at a time — and the values are named only once
//! per segment, at the end.

use std::collections::BTreeMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::index::FACETS;

/// The fast field holding facet `name`.
pub fn field_name(name: &str) -> String {
    format!("f_{name}")
}

/// Matches and, per facet of [`FACETS`], the count of each value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tallied {
    pub total: usize,
    pub values: Vec<BTreeMap<String, u64>>,
}

pub struct Tally;

pub struct SegmentTally {
    total: usize,
    columns: Vec<Option<(StrColumn, Vec<u64>)>>,
    buffer: Vec<Option<u64>>,
}

impl Collector for Tally {
    type Fruit = Tallied;
    type Child = SegmentTally;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentTally> {
        let fast = reader.fast_fields();
        let columns = FACETS
            .iter()
            .map(|name| {
                Ok(fast.str(&field_name(name))?.map(|c| {
                    let n = c.num_terms();
                    (c, vec![0u64; n])
                }))
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(SegmentTally {
            total: 0,
            columns,
            buffer: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Tallied>) -> tantivy::Result<Tallied> {
        let mut out = Tallied {
            total: 0,
            values: vec![BTreeMap::new(); FACETS.len()],
        };
        for f in fruits {
            out.total += f.total;
            for (into, from) in out.values.iter_mut().zip(f.values) {
                for (value, n) in from {
                    *into.entry(value).or_default() += n;
                }
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentTally {
    type Fruit = Tallied;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.total += 1;
        for (column, counts) in self.columns.iter_mut().flatten() {
            for ord in column.term_ords(doc) {
                counts[ord as usize] += 1;
            }
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.total += docs.len();
        self.buffer.resize(docs.len(), None);
        for (column, counts) in self.columns.iter_mut().flatten() {
            let ords = column.ords();
            if ords.get_cardinality().is_multivalue() {
                for doc in docs {
                    for ord in ords.values_for_doc(*doc) {
                        counts[ord as usize] += 1;
                    }
                }
            } else {
                ords.first_vals(docs, &mut self.buffer);
                for ord in self.buffer.iter().flatten() {
                    counts[*ord as usize] += 1;
                }
            }
        }
    }

    fn harvest(self) -> Tallied {
        let values = self
            .columns
            .into_iter()
            .map(|c| {
                let mut named = BTreeMap::new();
                let Some((column, counts)) = c else {
                    return named;
                };
                for (ord, n) in counts.into_iter().enumerate() {
                    let mut value = String::new();
                    if n > 0 && column.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                        named.insert(value, n);
                    }
                }
                named
            })
            .collect();
        Tallied {
            total: self.total,
            values,
        }
    }
}
