#!/usr/bin/env bash
# make bench-web: the public pages under load (issue 19). gunicorn as `make serve` runs it
# (2 workers) on 127.0.0.1 against PostgreSQL with the demo's data and the monitor
# refreshed; wrk (Debian package) with 2 threads and 16 connections for 10 s per page, after
# a warm-up; three rounds, medians. Targets on a 2-core machine: >= 500 requests/s and
# p95 < 50 ms for the kept public pages. wrk and the server share the two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
port=8091
connections="${CONNECTIONS:-16}"
base="http://127.0.0.1:$port"
db="welkom_bench_web_$$"
work="$(mktemp -d)"
server=""
cleanup() {
  [ -n "$server" ] && kill -TERM -- "-$server" 2>/dev/null || true
  sleep 2
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db" postgres >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $db" postgres
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db" WELKOM_VAR_DIR="$work/var" \
  WELKOM_BIND="127.0.0.1:$port" WELKOM_HTTPS=false WELKOM_REQUEST_LOG=false WELKOM_WORKERS="${WELKOM_WORKERS:-2}" \
  WELKOM_THREADS="${WELKOM_THREADS:-1}"
make prepare >/dev/null
WELKOM_DEMO_MODE=true .venv/bin/welkom demo --scale small --if-empty >/dev/null
.venv/bin/welkom import_figures --once src/welkom/monitor/data/policy-figures.csv >/dev/null
.venv/bin/welkom refresh_monitor >/dev/null
setsid .venv/bin/gunicorn --config deploy/gunicorn.conf.py >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do curl -sf -o /dev/null "$base/readyz" && break; sleep 1; done

# The contact finder's page as a visitor opens it: its questions (?municipality=…) are limited
# to 120 a minute per address (lib.throttle), and wrk comes from one address.
pages=(
  "loket home|/loket/"
  "topic page|/loket/topics/housing/"
  "contact finder|/loket/contact/"
  "public monitor|/monitor/public/"
)
printf '%-16s %10s %9s %9s %9s %7s  %s\n' page "req/s" "p50 ms" "p95 ms" "p99 ms" errors target
for entry in "${pages[@]}"; do
  name="${entry%%|*}"; path="${entry#*|}"
  status="$(curl -s -o /dev/null -w '%{http_code}' "$base$path")"
  [ "$status" = 200 ] || { echo "$name: $path answered $status"; exit 1; }
  wrk -t2 -c"$connections" -d3s "$base$path" >/dev/null  # warm-up
  results=()
  for round in $(seq 1 "${ROUNDS:-3}"); do
    results+=("$(wrk -t2 -c"$connections" -d10s -s bench/web.lua "$base$path" | grep '^RESULT' | cut -d' ' -f2-)")
  done
  median() {
    printf '%s\n' "${results[@]}" | awk -v c="$1" '{print $c}' | sort -g \
      | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
  }
  rps="$(median 1)"; p50="$(median 2)"; p95="$(median 3)"; p99="$(median 4)"
  errors="$(printf '%s\n' "${results[@]}" | awk '{s+=$5} END {print s}')"
  verdict="$(awk -v r="$rps" -v p="$p95" 'BEGIN {print (r >= 500 && p < 50) ? "MET" : "NOT MET"}')"
  printf '%-16s %10s %9s %9s %9s %7s  %s\n' "$name" "$rps" "$p50" "$p95" "$p99" "$errors" "$verdict"
  printf '%s\n' "${results[@]}" | sed "s/^/  $name run: /"
done
