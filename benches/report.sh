#!/usr/bin/env bash
# Benchmark: the annual report's tables counted from the records (`gongkai report show`, which
# runs the same store queries as the office pages) for one agency with REQUESTS requests
# (quality.md: 100,000 in <= 1 s) and for the whole government with as many again spread over
# the other agencies (<= 5 s). Reference measured in the same run: one bare
# `SELECT applicant_kind, outcome, COUNT(*) … GROUP BY` over the same agency's rows with Python's
# sqlite3 — the floor of any count on SQLite. Requests are generated as rows (received, replied
# or withdrawn across 2024–2026, every outcome and applicant kind), not through the workflow.
# The counted time includes last year's documents in force (check 6). Prints figures; asserts
# nothing.
#
#   benches/report.sh                      # 100,000 requests for one agency
#   REQUESTS=20000 REPS=3 benches/report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS="${REQUESTS:-100000}"
REPS="${REPS:-5}"

cargo build --release --locked -p gongkai >&2
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
bin="$target_dir/release/gongkai"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export GONGKAI_DEMO_PASSWORD="bench password 1"
"$bin" --data-dir "$work/data" demo >/dev/null

python3 - "$REQUESTS" "$REPS" "$bin" "$work/data" <<'PY'
import datetime, random, re, sqlite3, statistics, subprocess, sys, time
n, reps, binary, data = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
random.seed(11)
db = sqlite3.connect(f"{data}/gongkai.db")
agencies = dict(db.execute("SELECT code, id FROM agencies"))
target = agencies["YX0201"]
others = [i for c, i in agencies.items() if c != "YX0201"]
created = db.execute("SELECT created_at FROM agencies LIMIT 1").fetchone()[0]
kinds = ["person"] * 6 + ["business", "research", "non_profit", "legal_service", "other_organisation"]
outcomes = (["disclosed"] * 8 + ["partly_disclosed"] * 2 +
            ["withheld." + g for g in ["state_secret", "prohibited_by_law", "endangers_safety", "third_party_rights",
                                        "internal_affairs", "process_information", "enforcement_case_file", "administrative_query"]] +
            ["unavailable.not_held"] * 3 + ["unavailable.needs_creation", "unavailable.still_unclear"] +
            ["not_processed." + x for x in ["petition", "repeated", "publication", "excessive", "confirmation"]] +
            ["other.correction_lapsed", "other.fee_unpaid", "other.other"])
start = datetime.date(2024, 1, 1)
def rows(count, agency_of, tag):
    for i in range(count):
        received = start + datetime.timedelta(days=random.randrange(0, 3 * 365))
        fate = random.random()
        status, outcome, replied, withdrawn = "in_progress", None, None, None
        if fate < 0.9:
            status, outcome = "replied", random.choice(outcomes)
            replied = (received + datetime.timedelta(days=random.randrange(1, 40))).isoformat()
        elif fate < 0.95:
            status = "withdrawn"
            withdrawn = (received + datetime.timedelta(days=random.randrange(1, 10))).isoformat()
        yield (f"B{tag}-{i:07d}", "x", agency_of(i), status, "online", received.isoformat(), received.isoformat(),
               random.choice(kinds), "某某", "resident_id", "11010519491231002X", "申请公开有关文件",
               "electronic", "online", outcome, replied, withdrawn, created, created)
t0 = time.perf_counter()
sql = ("INSERT INTO requests (tracking_code, key_hash, agency_id, status, channel, submitted_on, received_on, "
       "applicant_kind, applicant_name, id_type, id_number, description, delivery_form, delivery_channel, "
       "outcome, replied_on, withdrawn_on, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
with db:
    db.executemany(sql, rows(n, lambda i: target, "A"))
    db.executemany(sql, rows(n, lambda i: others[i % len(others)], "G"))
db.execute("ANALYZE")
db.close()
print(f"seeded {2 * n:,} requests ({n:,} for YX0201, {n:,} over {len(others)} other agencies) in {time.perf_counter() - t0:.1f} s")

def report(scope, code):
    times, wall = [], []
    for _ in range(reps):
        t = time.perf_counter()
        out = subprocess.run([binary, "--data-dir", data, "report", "show", "--agency", code, "--year", "2025",
                              "--scope", scope], capture_output=True, text=True, check=True)
        wall.append((time.perf_counter() - t) * 1000)
        times.append(float(re.search(r"统计用时 ([0-9.]+) ms", out.stderr).group(1)))
    return statistics.median(times), statistics.median(wall)

ref = []
db = sqlite3.connect(f"{data}/gongkai.db")
for _ in range(reps):
    t = time.perf_counter()
    db.execute("SELECT applicant_kind, outcome, COUNT(*) FROM requests WHERE agency_id = ? GROUP BY 1, 2", (target,)).fetchall()
    ref.append((time.perf_counter() - t) * 1000)
db.close()
ref = statistics.median(ref)
agency, agency_wall = report("agency", "YX0201")
gov, gov_wall = report("government", "YX0000")
print(f"reference: one GROUP BY over YX0201's rows (Python sqlite3): {ref:.1f} ms")
print(f"one agency ({n:,} requests), tables 二/三/四: {agency:.1f} ms counted ({agency_wall:.0f} ms for the whole command) = {agency / ref:.1f}× the reference; target <= 1000 ms")
print(f"whole government ({2 * n:,} requests): {gov:.1f} ms counted ({gov_wall:.0f} ms for the whole command) = {gov / ref:.1f}× the reference; target <= 5000 ms")
PY
