#!/usr/bin/env bash
# Benchmark: requests/s of a published document page served by gongkai, against nginx serving
# the same rendered page as a static file, on this machine, in the same run. quality.md's
# target is gongkai >= 0.5 x nginx. Prints figures; asserts nothing (benchmarks are not tests).
#
#   benches/document-page.sh            # 64 connections, 10 s per server
#   CONNS=128 DURATION=20s benches/document-page.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CONNS="${CONNS:-64}"
DURATION="${DURATION:-10s}"
THREADS="${THREADS:-2}"
PAGE="${PAGE:-/documents/2}"
for tool in nginx wrk curl; do
  command -v "$tool" >/dev/null || { echo "needs $tool: apt-get install nginx-light wrk curl" >&2; exit 2; }
done

cargo build --release --locked -p gongkai >&2
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
bin="$target_dir/release/gongkai"

work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

RUST_LOG=warn GONGKAI_DEMO_PASSWORD=bench-password-1 "$bin" serve --demo --bind 127.0.0.1:0 \
  --data-dir "$work/data" >"$work/serve.log" 2>&1 &
server_pid=$!
addr=""
for _ in $(seq 1 100); do
  addr="$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log" | head -n 1 || true)"
  [ -n "$addr" ] && break
  sleep 0.1
done
[ -n "$addr" ] || { cat "$work/serve.log" >&2; exit 1; }

mkdir -p "$work/www"
chmod 755 "$work" "$work/www"
curl -sf "$addr$PAGE" -o "$work/www/page.html"
chmod 644 "$work/www/page.html"
bytes=$(wc -c <"$work/www/page.html")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  server {
    listen 127.0.0.1:$port;
    root $work/www;
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work"
sleep 0.3
curl -sf "http://127.0.0.1:$port/page.html" -o /dev/null

measure() {
  wrk -t"$THREADS" -c"$CONNS" -d2s "$1" >/dev/null   # warm-up
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$1" | tee "$work/wrk.out" >&2
  awk '/Requests\/sec/ {print $2}' "$work/wrk.out"
}

echo "page $PAGE: $bytes bytes; $CONNS connections, $THREADS wrk threads, $DURATION each, $(nproc) cores" >&2
echo "--- nginx (static file)" >&2
nginx_rps=$(measure "http://127.0.0.1:$port/page.html")
echo "--- gongkai (rendered from the database)" >&2
gongkai_rps=$(measure "$addr$PAGE")
python3 - "$nginx_rps" "$gongkai_rps" <<'PY'
import sys
n, g = float(sys.argv[1]), float(sys.argv[2])
print(f"nginx {n:.0f} req/s, gongkai {g:.0f} req/s, ratio {g / n:.2f} (target >= 0.50)")
PY
