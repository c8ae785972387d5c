#!/usr/bin/env bash
# Where the time goes in `keelson serve` while deployments run (issue 19): the paced read of bench/http/run.sh, idle
# and then while bench/http/deployments.py keeps ten deployments going, with dotnet-counters (and, with --trace,
# dotnet-trace's thread-time sampling) attached to the server for 20 s of the busy window.
#   bench/http/profile.sh OUT_DIR [--trace]
# Needs `dotnet tool install -g dotnet-counters dotnet-trace`; summarise a trace with bench/http/trace_summary.py.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:?an output directory}"; trace="${2:-}"
port=8031; url="http://127.0.0.1:$port"; tools="$HOME/.dotnet/tools"
mkdir -p "$out"; data="$(mktemp -d)"
KEELSON__MUTATIONSPERMINUTE=1000000 KEELSON__DATADIRECTORY="$data/server" "$root/keelson" serve --urls "$url" >"$out/serve.log" 2>&1 &
launcher=$!
trap 'kill $launcher 2>/dev/null; wait; rm -rf "$data"' EXIT
for _ in $(seq 1 240); do curl -sf "$url/health/live" >/dev/null && break; sleep 0.5; done
# ./keelson execs the self-contained host, so the launcher's pid is the server's.
pid=$launcher
curl -sf -X POST "$url/api/v1/tenants/" -H 'Content-Type: application/json' -H 'X-Demo-Mode: true' \
  -d '{"tenant_id":"bench-tenant","name":"bench","service_requirements":{"chatbot":50,"stt":20}}' >/dev/null
wrk -t2 -c16 -d5s -s "$root/bench/http/get-tenant.lua" "$url/api/v1/tenants/bench-tenant" >/dev/null
echo "== idle"
wrk -t2 -c16 -d15s --latency -s "$root/bench/http/get-tenant-paced.lua" "$url/api/v1/tenants/bench-tenant" | grep -E "Requests/sec|50%|99%"
python3 "$root/bench/http/deployments.py" "$url" 10 45 >"$out/deployments.txt" &
deploying=$!
sleep 8
if [ "$trace" = "--trace" ]; then
  "$tools/dotnet-trace" collect -p "$pid" --duration 00:00:00:20 --format speedscope -o "$out/trace.nettrace" >"$out/trace.log" 2>&1 &
fi
"$tools/dotnet-counters" collect -p "$pid" --duration 00:00:00:20 --refresh-interval 2 --format csv -o "$out/counters.csv" \
  --counters System.Runtime,Microsoft.AspNetCore.Hosting >"$out/counters.log" 2>&1 &
echo "== while ten deployments run"
wrk -t2 -c16 -d20s --latency -s "$root/bench/http/get-tenant-paced.lua" "$url/api/v1/tenants/bench-tenant" | grep -E "Requests/sec|50%|99%"
wait "$deploying"; cat "$out/deployments.txt"
sleep 3
