#!/usr/bin/env bash
# Benchmark: how well search answers real questions. Imports the corpus of
# ../shared/data/search-eval/ (laws and work reports) into a fresh SQLite data dir, indexes it,
# asks every dev question through the search API over HTTP, and prints Recall@10 and MRR@10 at
# document level, article Hit@10 (the passage answer or a result anchored at a relevant
# article), and p50/p99 latency. Reference in the same run: SQLite FTS5
# (trigram tokenizer, an OR of the question's trigrams, ranked by bm25) over the same corpus,
# from Python. Tune on this dev split without writing rules for particular questions. Prints
# figures; asserts nothing.
#
#   benches/search-quality.sh
#   EVAL=/path/to/search-eval LIMIT=100 benches/search-quality.sh   # the first 100 questions
set -euo pipefail
cd "$(dirname "$0")/.."
EVAL="${EVAL:-../shared/data/search-eval}"
LIMIT="${LIMIT:-0}"
for tool in curl python3; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 2; }
done
[ -f "$EVAL/corpus.jsonl.gz" ] || { echo "no corpus at $EVAL" >&2; exit 2; }

cargo build --release --locked -p gongkai >&2
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
bin="$target_dir/release/gongkai"

work="$(mktemp -d)"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The corpus as an import file: one published document per text, under the district
# government, its 索引号 naming the corpus id's line so results map back to corpus ids.
python3 - "$EVAL/corpus.jsonl.gz" "$work/rows.jsonl" "$work/ids.json" <<'PY'
import gzip, json, re, sys
src, out, ids_out = sys.argv[1:4]
ids = {}
with gzip.open(src, "rt", encoding="utf-8") as f, open(out, "w", encoding="utf-8") as w:
    for n, line in enumerate(f):
        d = json.loads(line)
        body = re.sub(r"<!--.*?-->", "", d["body"], flags=re.S)
        if not body.strip():
            continue  # a few texts are a title only: nothing to find
        issued = d.get("issued") or "2000-01-01"
        index_no = f"EVAL-{n:05d}"
        ids[index_no] = d["id"]
        w.write(json.dumps({
            "agency": "YX0000",
            "index_no": index_no,
            "title": d["title"],
            "kind": "report" if d["kind"] == "report" else "other",
            "formed_on": issued,
            "published_on": issued,
            # LawRefBook leaves HTML comments (`<!-- TABLE -->`) in its Markdown; the importer
            # refuses markup in a body, and they are no text anyway.
            "body": body,
            "disclosure_mode": "proactive",
        }, ensure_ascii=False) + "\n")
json.dump(ids, open(ids_out, "w"))
print(f"corpus: {len(ids)} texts", file=sys.stderr)
PY

GONGKAI_DEMO_PASSWORD=bench-password-1 "$bin" --data-dir "$work/data" demo >/dev/null
"$bin" --data-dir "$work/data" import documents "$work/rows.jsonl" >&2 \
  || echo "(some rows were refused; the figures below are over those imported)" >&2
"$bin" --data-dir "$work/data" reindex >&2
RUST_LOG=warn "$bin" serve --data-dir "$work/data" --bind 127.0.0.1:0 >"$work/serve.log" 2>&1 &
server=$!
url=""
for _ in $(seq 1 300); do
  url=$(grep -o 'http://[0-9.:]*' "$work/serve.log" | head -n 1 || true)
  [ -n "$url" ] && curl -sf -o /dev/null "$url/readyz" && break
  sleep 0.2
done
[ -n "$url" ] || { cat "$work/serve.log" >&2; exit 1; }

python3 - "$EVAL" "$work" "$url" "$LIMIT" <<'PY'
import gzip, json, re, sqlite3, statistics, sys, time, urllib.parse, urllib.request
evaldir, work, url, limit = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
qs = [json.loads(l) for l in open(f"{evaldir}/questions-dev.jsonl", encoding="utf-8")]
if limit:
    qs = qs[:limit]

# gongkai document id -> corpus id, through the 索引号 given at import.
by_index = json.load(open(f"{work}/ids.json"))
db = sqlite3.connect(f"file:{work}/data/gongkai.db?mode=ro", uri=True)
corpus_of = {i: by_index[n] for i, n in db.execute("SELECT id, index_no FROM documents") if n in by_index}
db.close()

def measure(ask):
    recall = mrr = article = 0.0
    times = []
    for q in qs:
        relevant = {r["doc"] for r in q["relevant"]}
        articles = {(r["doc"], r["article"]) for r in q["relevant"]}
        t = time.perf_counter()
        ranked, anchored = ask(q["question"])
        times.append((time.perf_counter() - t) * 1000)
        top = ranked[:10]
        if relevant & set(top):
            recall += 1
            first = next(i for i, d in enumerate(top) if d in relevant)
            mrr += 1 / (first + 1)
        if articles & set(anchored):
            article += 1
    n = len(qs)
    times.sort()
    p = lambda x: times[min(len(times) - 1, int(x * len(times)))]
    return recall / n, mrr / n, article / n, p(0.5), p(0.99)

def gongkai(question):
    query = urllib.parse.urlencode({"q": question, "kind": "document", "per_page": 10})
    with urllib.request.urlopen(f"{url}/api/v1/search?{query}") as r:
        body = json.load(r)
    ranked = [corpus_of.get(h["id"]) for h in body.get("hits", [])]
    # A hit anchored at an article (`…#第N条`) or the passage answer naming one counts at
    # article level.
    anchored = []
    answer = body.get("answer")
    for h in body.get("hits", []) + ([answer] if answer else []):
        m = re.search(r"#(第[^#/?]+条)$", urllib.parse.unquote(h.get("url", "")))
        if m and corpus_of.get(h["id"]):
            anchored.append((corpus_of[h["id"]], m.group(1)))
    return ranked, anchored

# Reference: FTS5 with trigrams, an OR of the question's trigrams, bm25.
ref = sqlite3.connect(":memory:")
ref.execute("CREATE VIRTUAL TABLE docs USING fts5(cid UNINDEXED, title, body, tokenize='trigram')")
with gzip.open(f"{evaldir}/corpus.jsonl.gz", "rt", encoding="utf-8") as f:
    ref.executemany("INSERT INTO docs (cid, title, body) VALUES (?, ?, ?)",
                    ((d["id"], d["title"], d["body"]) for d in map(json.loads, f)))

def fts5(question):
    text = re.sub(r"[^\w]", "", question)
    grams = sorted({text[i:i + 3] for i in range(len(text) - 2)})
    if not grams:
        return [], []
    match = " OR ".join('"' + g.replace('"', '""') + '"' for g in grams)
    rows = ref.execute("SELECT cid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10", (match,)).fetchall()
    return [r[0] for r in rows], []

gongkai("预热")  # first request warms the searcher
for name, ask in (("gongkai", gongkai), ("FTS5 trigram OR, bm25 (reference)", fts5)):
    r, m, a, p50, p99 = measure(ask)
    print(f"{name}: {len(qs)} questions, Recall@10 {r:.3f}, MRR@10 {m:.3f}, article Hit@10 {a:.3f}, "
          f"p50 {p50:.1f} ms, p99 {p99:.1f} ms")
print("targets (dev split): Recall@10 >= 0.85, MRR@10 >= 0.60, article Hit@10 >= 0.60")
PY
