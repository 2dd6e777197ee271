#!/usr/bin/env bash
# Benchmark: gongkai's Chinese search (tantivy with jieba words, CJK bigrams and 3–4 character
# grams) against SQLite FTS5 with the trigram tokenizer, in the same run, over the same corpus:
# DOCS documents re-sampled from the sentences of real government documents (demo/seeds) plus
# those documents as known items. Prints build speed, p50/p99 of 20 fixed 2–4 character queries
# in-process (16 dictionary words, 4 terms of two words), each set and all together — the same
# work on both engines (the top 10 with snippets), with the speed ratio, and gongkai's
# whole results page (also the total and the facet counts over every match) — and the
# known-item recall, and p50/p99 of 8 typed questions (gongkai's whole results page against an OR
# of their trigrams on FTS5). The first round of queries on the index just built (cold) is reported on its
# own line, not in the percentiles. Asserts nothing.
#
#   benches/search.sh                 # 100,000 documents
#   DOCS=1000000 benches/search.sh    # the quality.md target size
set -euo pipefail
cd "$(dirname "$0")/.."
DOCS="${DOCS:-100000}" cargo bench --locked -p gongkai-search --bench search
