#!/usr/bin/env bash
# Load benchmark of the API on loopback with wrk (Debian package): starts `keelson serve`, warms up, measures.
#   bench/http/run.sh [URL-PORT]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
port="${1:-8019}"
url="http://127.0.0.1:$port"
data="$(mktemp -d)"
KEELSON__DATADIRECTORY="$data" "$root/keelson" serve --urls "$url" >/tmp/keelson-bench-serve.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 60); do curl -sf "$url/health/live" >/dev/null && break; sleep 0.5; done

echo "== POST /api/v1/tenants/calculate-resources (warm-up 10 s, then 30 s, 2 threads, 16 connections)"
wrk -t2 -c16 -d10s -s "$root/bench/http/calculate.lua" "$url/api/v1/tenants/calculate-resources" >/dev/null
wrk -t2 -c16 -d30s --latency -s "$root/bench/http/calculate.lua" "$url/api/v1/tenants/calculate-resources" | tail -1

echo "== GET /api/v1/tenants/{id} (SQLite; warm-up 10 s, then 30 s, 2 threads, 16 connections)"
curl -sf -X POST "$url/api/v1/tenants/" -H 'Content-Type: application/json' -H 'X-Demo-Mode: true' \
  -d '{"tenant_id":"bench-tenant","name":"bench","service_requirements":{"chatbot":50,"stt":20}}' >/dev/null
wrk -t2 -c16 -d10s -s "$root/bench/http/get-tenant.lua" "$url/api/v1/tenants/bench-tenant" >/dev/null
wrk -t2 -c16 -d30s --latency -s "$root/bench/http/get-tenant.lua" "$url/api/v1/tenants/bench-tenant" | tail -1

echo "== GET /api/v1/tenants/{id} at about 2,000 requests/s (16 connections, 7 ms pause before each request; 30 s)"
wrk -t2 -c16 -d30s --latency -s "$root/bench/http/get-tenant-paced.lua" "$url/api/v1/tenants/bench-tenant" | tail -1
