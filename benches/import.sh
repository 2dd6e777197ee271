#!/usr/bin/env bash
# Benchmark: `gongkai import documents` throughput on generated, realistic rows (Chinese titles,
# 文号, topics, ~600-character bodies), against a reference measured in the same run: Python's
# sqlite3 inserting the same rows into one flat table in one transaction (WAL, synchronous=FULL,
# a unique index on agency + 文号) — the floor of what any importer on SQLite could do. quality.md
# asks for 1,000,000 documents in <= 10 minutes. Prints figures; asserts nothing.
#
#   benches/import.sh                  # 100,000 rows
#   ROWS=1000000 benches/import.sh     # the full target
#   DATABASE_URL=postgres://postgres@127.0.0.1/gk_bench benches/import.sh   # PostgreSQL
#   SEARCHABLE=1 ROWS=1000000 benches/import.sh   # also: reindex, then serve and read its RSS
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${ROWS:-100000}"

cargo build --release --locked -p gongkai >&2
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
bin="$target_dir/release/gongkai"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 - "$ROWS" "$work/rows.csv" <<'PY'
import csv, random, sys
n, out = int(sys.argv[1]), sys.argv[2]
random.seed(7)
agencies = [("YX0100", "云府办发"), ("YX0201", "云发改发"), ("YX0202", "云教发"), ("YX0203", "云财发"),
            ("YX0204", "云卫健发"), ("YX0205", "云环发"), ("YX0206", "云规资发"), ("YX0301", "云东湖发")]
topics = ["综合政务\\政务公开", "财政、金融、审计\\财政", "科技、教育\\教育", "卫生、体育\\卫生",
          "城乡建设、环境保护\\环境监测、保护与治理", "国民经济管理、国有资产监管\\宏观经济"]
kinds = ["notice", "opinion", "report", "reply", "announcement", "public_notice"]
subjects = ["营商环境", "义务教育", "公共卫生", "生态环境", "城市更新", "乡村振兴", "数字政府", "安全生产",
            "社会救助", "就业创业", "养老服务", "政务公开", "预算管理", "重大项目", "交通出行", "食品安全"]
sentences = ["为深入贯彻落实党中央、国务院决策部署,进一步提升政务服务水平,结合本区实际,制定本方案。",
             "各部门要高度重视,明确责任分工,细化工作措施,确保各项任务按期完成。",
             "本通知自印发之日起施行,有效期五年。执行中遇到的问题,请及时向区政府办公室反映。",
             "坚持公开为常态、不公开为例外,推进决策、执行、管理、服务、结果公开。",
             "加强组织领导,健全工作机制,强化督查考核,切实把各项措施落到实处。",
             "依法依规做好政府信息公开申请办理工作,严格落实法定答复期限。"]
seq = {}
chars = 0
with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["agency", "title", "doc_number", "kind", "topic", "keywords", "formed_on", "published_on", "body"])
    for i in range(n):
        code, prefix = agencies[i % len(agencies)]
        year = 2008 + (i // len(agencies)) % 18
        key = (code, year)
        seq[key] = seq.get(key, 0) + 1
        month, day = 1 + i % 12, 1 + i % 27
        subject = random.choice(subjects)
        title = f"关于做好{year}年{subject}工作第{seq[key]}号事项的通知"
        body = "\n".join(random.choice(sentences) for _ in range(10))
        chars += len(title) + len(body)
        w.writerow([code, title, f"{prefix}〔{year}〕{seq[key]}号", random.choice(kinds), random.choice(topics),
                    f"{subject} 政务公开", f"{year}-{month:02d}-{day:02d}", f"{year}-{month:02d}-{min(day + 3, 28):02d}", body])
# Title and body characters, so the reindex rate compares with the search bench's chars/s.
open(out + ".chars", "w").write(str(chars))
PY
bytes=$(wc -c <"$work/rows.csv")
echo "rows: $ROWS ($((bytes / 1024 / 1024)) MiB CSV), $(nproc) cores" >&2

# Reference: the same rows, flat, into SQLite by Python in one transaction.
ref_secs=$(python3 - "$work/rows.csv" "$work/ref.db" <<'PY'
import csv, sqlite3, sys, time
src, db = sys.argv[1], sys.argv[2]
c = sqlite3.connect(db, isolation_level=None)
c.execute("PRAGMA journal_mode=WAL"); c.execute("PRAGMA synchronous=FULL")
c.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, agency TEXT, title TEXT, doc_number TEXT, kind TEXT, topic TEXT, keywords TEXT, formed_on TEXT, published_on TEXT, body TEXT)")
c.execute("CREATE UNIQUE INDEX docs_number ON docs (agency, doc_number)")
start = time.monotonic()
with open(src, encoding="utf-8") as f:
    r = csv.reader(f); next(r)
    c.execute("BEGIN")
    c.executemany("INSERT INTO docs (agency, title, doc_number, kind, topic, keywords, formed_on, published_on, body) VALUES (?,?,?,?,?,?,?,?,?)", r)
    c.execute("COMMIT")
print(f"{time.monotonic() - start:.3f}")
PY
)

if [ -n "${DATABASE_URL:-}" ]; then
  export GONGKAI_DATABASE_URL="$DATABASE_URL"
  backend=postgres
else
  backend=sqlite
fi
GONGKAI_DEMO_PASSWORD=bench-password-1 "$bin" --data-dir "$work/data" demo >/dev/null
start=$(date +%s.%N)
"$bin" --data-dir "$work/data" import documents "$work/rows.csv" >&2
end=$(date +%s.%N)
again_start=$(date +%s.%N)
"$bin" --data-dir "$work/data" import documents "$work/rows.csv" >&2
again_end=$(date +%s.%N)
python3 - "$ROWS" "$start" "$end" "$ref_secs" "$again_start" "$again_end" "$backend" <<'PY'
import sys
n = int(sys.argv[1]); t = float(sys.argv[3]) - float(sys.argv[2]); ref = float(sys.argv[4])
again = float(sys.argv[6]) - float(sys.argv[5]); backend = sys.argv[7]
print(f"gongkai import ({backend}): {n} rows in {t:.1f} s = {n / t:.0f} rows/s "
      f"(1,000,000 rows at this rate: {1e6 / (n / t) / 60:.1f} min; target <= 10 min)")
print(f"reference (python sqlite3, flat table, one transaction): {ref:.1f} s = {n / ref:.0f} rows/s")
print(f"ratio gongkai/reference rows/s: {ref / t:.2f}")
print(f"re-run of the same file (every row found and skipped): {again:.1f} s = {n / again:.0f} rows/s")
PY

# Optionally the rest of "imported and searchable": the index built from the database, then the
# server started on the data dir, its readiness, and its memory after searches over HTTP.
if [ "${SEARCHABLE:-}" = 1 ]; then
  rs=$(date +%s.%N)
  "$bin" --data-dir "$work/data" reindex >&2
  re=$(date +%s.%N)
  RUST_LOG=warn "$bin" serve --data-dir "$work/data" --bind 127.0.0.1:0 >"$work/serve.log" 2>&1 &
  server=$!
  url=""
  for _ in $(seq 1 100); do
    url=$(grep -o 'http://[0-9.:]*' "$work/serve.log" | head -n 1 || true)
    [ -n "$url" ] && curl -sf -o /dev/null "$url/readyz" && break
    sleep 0.1
  done
  ready=$(date +%s.%N)
  rss_start=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")
  for q in 公开 政务 信息 解读 脱贫 招标 网站 依申请 政务公开 信息公开 年度报告 政策解读 主动公开 办事指南 双随机 营商环境; do
    curl -s -o /dev/null -G --data-urlencode "q=$q" "$url/search"
  done
  peak=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
  kill "$server"
  python3 - "$ROWS" "$start" "$end" "$rs" "$re" "$ready" "$rss_start" "$peak" "$(cat "$work/rows.csv.chars")" <<'PY'
import sys
n = int(sys.argv[1]); start, end, rs, re, ready = map(float, sys.argv[2:7])
rss, peak = int(sys.argv[7]) / 1024, int(sys.argv[8]) / 1024
chars = int(sys.argv[9])
print(f"reindex: {re - rs:.1f} s = {n / (re - rs):.0f} docs/s = {chars / (re - rs) / 1e6:.2f} M chars/s "
      f"({chars / n:.0f} title and body characters per document)")
print(f"imported and searchable: {(end - start) + (re - rs):.1f} s = {((end - start) + (re - rs)) / 60:.1f} min (target <= 10 min)")
print(f"serve ready in {ready - re:.2f} s; RSS {rss:.0f} MiB after start, peak {peak:.0f} MiB after 16 searches (target <= 512 MiB)")
PY
fi
