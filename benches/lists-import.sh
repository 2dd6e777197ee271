#!/usr/bin/env bash
# Benchmark: importing ROWS 双公示 行政处罚 rows from CSV with `gongkai import list xzcf FILE
# --agency YX0205 --publish` into the demo database (SQLite; set DATABASE_URL=postgres://… for
# an empty PostgreSQL database instead). Each row is parsed and checked field by field (credit
# code and identity number check characters, choices, dates, rules across fields), masked,
# versioned, given its filter values, audited and announced to the search indexer.
# Reference measured in the same run: Python's csv module reading the same file and sqlite3
# inserting its rows into a bare table of text columns in one transaction — the floor of any
# import on SQLite. Rows are generated: a quarter natural persons (masked), the rest companies
# with valid 统一社会信用代码, every penalty kind. Prints figures; asserts nothing.
#
#   benches/lists-import.sh                 # 10,000 rows
#   ROWS=2000 benches/lists-import.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${ROWS:-10000}"

cargo build --release --locked -p gongkai >&2
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
bin="$target_dir/release/gongkai"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export GONGKAI_DEMO_PASSWORD="bench password 1"
if [ -n "${DATABASE_URL:-}" ]; then export GONGKAI_DATABASE_URL="$DATABASE_URL"; fi
"$bin" --data-dir "$work/data" demo >/dev/null

python3 - "$ROWS" "$work/penalties.csv" <<'PY'
import csv, random, sys
n, path = int(sys.argv[1]), sys.argv[2]
random.seed(8)
A = "0123456789ABCDEFGHJKLMNPQRTUWXY"
W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
def credit(i):
    body = "91330108MA" + "".join(A[(i * 7 + k * 13) % 31] for k in range(7))
    s = sum(A.index(c) * w for c, w in zip(body, W))
    return body + A[(31 - s % 31) % 31]
WI = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
def idn(i):
    body = "3301021980" + f"{1 + i % 12:02d}{1 + i % 28:02d}" + f"{i % 1000:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WI)) % 11]
surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
acts = [("未按规定公示食品经营许可证", "《中华人民共和国食品安全法》第一百二十六条", "警告"),
        ("销售超过保质期的食品", "《中华人民共和国食品安全法》第一百二十四条", "罚款、没收违法所得"),
        ("无照经营", "《无证无照经营查处办法》第十三条", "罚款"),
        ("超标排放大气污染物", "《中华人民共和国大气污染防治法》第九十九条", "罚款、责令停产停业"),
        ("未取得施工许可证擅自施工", "《建设工程质量管理条例》第五十七条", "罚款")]
header = ["决定书文号", "行政相对人名称", "行政相对人类别", "统一社会信用代码", "法定代表人", "证件号码",
          "违法行为类型", "违法事实", "处罚依据", "处罚类别", "处罚内容", "罚款金额(元)", "决定日期", "处罚机关", "失信程度"]
with open(path, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(header)
    for i in range(n):
        act, basis, kind = acts[i % len(acts)]
        person = i % 4 == 0
        name = surnames[i % 20] + given[(i // 20) % 20] + given[(i // 7) % 20] if person else f"云溪{given[i % 20]}{given[(i // 20) % 20]}商贸有限公司{i}"
        fine = str(500 + (i % 97) * 100) if "罚款" in kind else ""
        date = f"2026-{1 + i % 11:02d}-{1 + i % 28:02d}"
        w.writerow([f"云市监罚〔2026〕{i + 1}号", name, "自然人" if person else "法人及非法人组织",
                    "" if person else credit(i), "" if person else "陈立", idn(i) if person else "",
                    act, f"经查,当事人{name}于{date}前{act},违反了有关规定。", basis, kind,
                    f"{kind},罚款人民币{fine or 0}元", fine, date, "云溪区市场监督管理局", "一般失信"])
PY

ref=$(python3 - "$work/penalties.csv" <<'PY'
import csv, sqlite3, sys, time, tempfile, os
path = sys.argv[1]
db_path = os.path.join(tempfile.mkdtemp(), "ref.db")
t0 = time.perf_counter()
db = sqlite3.connect(db_path)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=FULL")
with open(path, encoding="utf-8") as f:
    rows = list(csv.reader(f))
cols = len(rows[0])
db.execute("CREATE TABLE t (" + ", ".join(f"c{i} TEXT" for i in range(cols)) + ")")
db.executemany("INSERT INTO t VALUES (" + ",".join("?" * cols) + ")", rows[1:])
db.commit()
print(f"{time.perf_counter() - t0:.3f}")
PY
)
start=$(date +%s.%N)
"$bin" --data-dir "$work/data" import list xzcf "$work/penalties.csv" --agency YX0205 --publish 2>"$work/err.log" | tee "$work/out.log"
end=$(date +%s.%N)
python3 - "$ROWS" "$start" "$end" "$ref" <<'PY'
import sys
n, start, end, ref = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
took = end - start
print(f"rows: {n}")
print(f"gongkai import list (whole command, incl. opening the database): {took:.2f} s, {n / took:.0f} rows/s")
print(f"reference (python csv + sqlite3 executemany into a bare table): {ref:.3f} s, {n / ref:.0f} rows/s")
print(f"ratio: {took / ref:.1f}x the reference")
PY
if [ -s "$work/err.log" ]; then echo "rows reported as errors:"; head -5 "$work/err.log"; fi
