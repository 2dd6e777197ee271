//! Counting a search's matches and their facet values (kind, agency, year, topic, 文种,
//! validity). Each facet is a string fast field. Matches are first marked in a bitset; then
//! whichever side is smaller is read from the columns: the matches themselves, or — for a query
//! matching most of a segment, as 公开 does in a government corpus — the segment's totals
//! (counted once per segment and kept) minus the documents that did not match.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::fastfield::AliveBitSet;
use tantivy::index::SegmentId;
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

/// Per segment (and its number of deletions, which change what is alive): the count of each
/// value ordinal of each facet column over all its live documents.
/// Per facet column, the count of each value ordinal.
type Counts = Vec<Vec<u64>>;

#[derive(Default)]
pub struct Totals {
    cache: Mutex<HashMap<(SegmentId, u32), Arc<Counts>>>,
}

impl Totals {
    fn get(
        &self,
        key: (SegmentId, u32),
        compute: impl FnOnce() -> Vec<Vec<u64>>,
    ) -> Arc<Vec<Vec<u64>>> {
        if let Some(t) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return t;
        }
        let t = Arc::new(compute());
        if let Ok(mut c) = self.cache.lock() {
            // Merged-away segments leave their entries behind: drop all once it grows.
            if c.len() > 256 {
                c.clear();
            }
            c.insert(key, t.clone());
        }
        t
    }
}

pub struct Tally {
    pub totals: Arc<Totals>,
}

pub struct SegmentTally {
    totals: Arc<Totals>,
    key: (SegmentId, u32),
    max_doc: DocId,
    alive: Option<AliveBitSet>,
    columns: Vec<Option<StrColumn>>,
    matched: Vec<u64>,
    count: usize,
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
            .map(|name| fast.str(&field_name(name)))
            .collect::<tantivy::Result<_>>()?;
        let max_doc = reader.max_doc();
        Ok(SegmentTally {
            totals: self.totals.clone(),
            key: (reader.segment_id(), reader.num_deleted_docs()),
            max_doc,
            alive: reader.alive_bitset().cloned(),
            columns,
            matched: vec![0u64; (max_doc as usize).div_ceil(64)],
            count: 0,
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

/// Adds each column's values of `docs` to `counts`.
fn count_into(
    columns: &[Option<StrColumn>],
    docs: &[DocId],
    counts: &mut [Vec<u64>],
    buffer: &mut Vec<Option<u64>>,
) {
    buffer.resize(docs.len(), None);
    for (column, counts) in columns.iter().zip(counts.iter_mut()) {
        let Some(column) = column else { continue };
        let ords = column.ords();
        if ords.get_cardinality().is_multivalue() {
            for doc in docs {
                for ord in ords.values_for_doc(*doc) {
                    counts[ord as usize] += 1;
                }
            }
        } else {
            ords.first_vals(docs, buffer);
            for ord in buffer.iter().flatten() {
                counts[*ord as usize] += 1;
            }
        }
    }
}

impl SegmentTally {
    fn empty_counts(&self) -> Vec<Vec<u64>> {
        self.columns
            .iter()
            .map(|c| vec![0u64; c.as_ref().map_or(0, |c| c.num_terms())])
            .collect()
    }

    fn is_alive(&self, doc: DocId) -> bool {
        self.alive.as_ref().is_none_or(|a| a.is_alive(doc))
    }

    /// Counts over the documents `pick` selects, in blocks.
    fn count_where(&self, pick: impl Fn(DocId) -> bool) -> Vec<Vec<u64>> {
        let mut counts = self.empty_counts();
        let mut block = Vec::with_capacity(1024);
        let mut buffer = Vec::new();
        for doc in 0..self.max_doc {
            if pick(doc) {
                block.push(doc);
                if block.len() == 1024 {
                    count_into(&self.columns, &block, &mut counts, &mut buffer);
                    block.clear();
                }
            }
        }
        count_into(&self.columns, &block, &mut counts, &mut buffer);
        counts
    }

    fn is_matched(&self, doc: DocId) -> bool {
        self.matched[(doc >> 6) as usize] & (1 << (doc & 63)) != 0
    }
}

impl SegmentCollector for SegmentTally {
    type Fruit = Tallied;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.matched[(doc >> 6) as usize] |= 1 << (doc & 63);
        self.count += 1;
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for doc in docs {
            self.matched[(*doc >> 6) as usize] |= 1 << (*doc & 63);
        }
        self.count += docs.len();
    }

    fn harvest(self) -> Tallied {
        let alive_docs = self.max_doc - self.key.1;
        let counts = if self.count as u64 * 2 > u64::from(alive_docs) {
            let totals = self
                .totals
                .get(self.key, || self.count_where(|d| self.is_alive(d)));
            let missed = self.count_where(|d| !self.is_matched(d) && self.is_alive(d));
            totals
                .iter()
                .zip(missed)
                .map(|(t, m)| t.iter().zip(m).map(|(t, m)| t - m).collect())
                .collect()
        } else {
            self.count_where(|d| self.is_matched(d))
        };
        let values = self
            .columns
            .iter()
            .zip(counts)
            .map(|(column, counts)| {
                let mut named = BTreeMap::new();
                let Some(column) = column else {
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
            total: self.count,
            values,
        }
    }
}
