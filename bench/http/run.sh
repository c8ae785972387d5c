#!/usr/bin/env bash
# Load benchmark of the API on loopback with wrk (Debian package): starts `keelson serve`, warms up, measures.
#   bench/http/run.sh [PORT] [--postgres]
# With --postgres the server uses a throw-away PostgreSQL cluster (demo and production databases) and Redis as the
# tenant cache, as in production, instead of the embedded SQLite files; that needs root (initdb runs as postgres).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
port="${1:-8019}"
backend="${2:-sqlite}"
url="http://127.0.0.1:$port"
data="$(mktemp -d)"
cleanup=()
trap 'for c in "${cleanup[@]}"; do eval "$c" || true; done; rm -rf "$data"' EXIT

if [ "$backend" = "--postgres" ]; then
  source "$root/bench/http/postgres.sh"
  start_postgres "$data" 5479
  cleanup+=("stop_postgres '$data'")
  redis-server --port 6479 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --pidfile "$data/redis.pid" >/dev/null
  cleanup+=("kill \$(cat '$data/redis.pid')")
  export ConnectionStrings__Redis="127.0.0.1:6479"
fi

# One client address drives every mutation here, so the per-client rate limit is lifted for the run.
KEELSON__MUTATIONSPERMINUTE=1000000 KEELSON__DATADIRECTORY="$data/server" "$root/keelson" serve --urls "$url" >/tmp/keelson-bench-serve.log 2>&1 &
server=$!
cleanup=("kill $server" "${cleanup[@]}")
# ./keelson builds the CLI first when a source changed, which can take a minute.
for _ in $(seq 1 240); do curl -sf "$url/health/live" >/dev/null && break; sleep 0.5; done
curl -sf "$url/health/live" >/dev/null || { echo "keelson serve did not start; see /tmp/keelson-bench-serve.log" >&2; exit 1; }

echo "== POST /api/v1/tenants/calculate-resources (warm-up 10 s, then 30 s, 2 threads, 16 connections)"
wrk -t2 -c16 -d10s -s "$root/bench/http/calculate.lua" "$url/api/v1/tenants/calculate-resources" >/dev/null
wrk -t2 -c16 -d30s --latency -s "$root/bench/http/calculate.lua" "$url/api/v1/tenants/calculate-resources" | tail -1

echo "== GET /api/v1/tenants/{id} (${backend#--}; warm-up 10 s, then 30 s, 2 threads, 16 connections)"
curl -sf -X POST "$url/api/v1/tenants/" -H 'Content-Type: application/json' -H 'X-Demo-Mode: true' \
  -d '{"tenant_id":"bench-tenant","name":"bench","service_requirements":{"chatbot":50,"stt":20}}' >/dev/null
wrk -t2 -c16 -d10s -s "$root/bench/http/get-tenant.lua" "$url/api/v1/tenants/bench-tenant" >/dev/null
wrk -t2 -c16 -d30s --latency -s "$root/bench/http/get-tenant.lua" "$url/api/v1/tenants/bench-tenant" | tail -1

echo "== GET /api/v1/tenants/{id} at about 2,000 requests/s (16 connections, 7 ms pause before each request; 30 s)"
wrk -t2 -c16 -d30s --latency -s "$root/bench/http/get-tenant-paced.lua" "$url/api/v1/tenants/bench-tenant" | tail -1

# Issue 19: the same paced reads while the server runs deployments on its embedded sandbox. Ten demo tenants are
# each deployed again as soon as their last deployment finishes, so ten are in flight through the whole window.
echo "== GET /api/v1/tenants/{id} at about 2,000 requests/s while 10 deployments run (30 s)"
python3 "$root/bench/http/deployments.py" "$url" 10 50 &
deploying=$!
sleep 10
wrk -t2 -c16 -d30s --latency -s "$root/bench/http/get-tenant-paced.lua" "$url/api/v1/tenants/bench-tenant" | tail -1
wait "$deploying"
