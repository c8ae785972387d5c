#!/usr/bin/env bash
# Issue 13's live-metrics aims against `keelson serve` on its embedded defaults (SQLite), as a user runs it:
#   1. a single push (POST /api/v1/tenants/{id}/monitoring) at about 1,000 requests/s with wrk: p99 < 5 ms;
#   2. 1,000 WebSocket subscribers of one tenant each receive a pushed sample within 100 ms (bench/Keelson.Bench
#      --ws-fanout, a separate process).
#   bench/http/monitoring.sh [PORT] [SUBSCRIBERS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
port="${1:-8023}"; subscribers="${2:-1000}"
url="http://127.0.0.1:$port"
data="$(mktemp -d)"
# Each WebSocket and wrk connection is a descriptor on both sides.
ulimit -n 65536 2>/dev/null || true
KEELSON__MUTATIONSPERMINUTE=1000000 KEELSON__DATADIRECTORY="$data/server" "$root/keelson" serve --urls "$url" >/tmp/keelson-bench-monitoring.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait; rm -rf "$data"' EXIT
for _ in $(seq 1 240); do curl -sf "$url/health/live" >/dev/null && break; sleep 0.5; done
curl -sf "$url/health/live" >/dev/null || { echo "keelson serve did not start; see /tmp/keelson-bench-monitoring.log" >&2; exit 1; }
curl -sf -X POST "$url/api/v1/tenants/" -H 'Content-Type: application/json' -H 'X-Demo-Mode: true' \
  -d '{"tenant_id":"bench-push","name":"bench","service_requirements":{"chatbot":10}}' >/dev/null

echo "== POST /api/v1/tenants/{id}/monitoring, unpaced (warm-up 10 s, then 30 s, 2 threads, 16 connections)"
PUSH_DELAY=0 wrk -t2 -c16 -d10s -s "$root/bench/http/push-paced.lua" "$url/api/v1/tenants/bench-push/monitoring" >/dev/null
PUSH_DELAY=0 wrk -t2 -c16 -d30s --latency -s "$root/bench/http/push-paced.lua" "$url/api/v1/tenants/bench-push/monitoring" | tail -1
echo "== the same at about 1,000 requests/s (16 connections, 16 ms pause before each request; 30 s)"
wrk -t2 -c16 -d30s --latency -s "$root/bench/http/push-paced.lua" "$url/api/v1/tenants/bench-push/monitoring" | tail -1

echo "== $subscribers WebSocket subscribers of one tenant, 50 pushes 100 ms apart"
dotnet run -c Release --project "$root/bench/Keelson.Bench" -- --ws-fanout "$url/" "$subscribers" 50
