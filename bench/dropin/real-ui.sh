#!/usr/bin/env bash
# A manual check (CI cannot fetch the UI): the ECP-AI orchestrator's own React developer UI, built from a checkout of
# RickySonYH/ecp-ai-k8s-orchestrator, served on http://localhost:3000 with its relative /api calls forwarded to
# `keelson serve` on http://localhost:8001 (the host the UI hard-codes), and every live screen driven in Chromium.
# Prints one PASS/FAIL line per screen; exit status 0 when all pass. Nothing of the UI is copied into this repository.
#   bench/dropin/real-ui.sh UI_CHECKOUT_DIR
# UI_CHECKOUT_DIR is the repository root (with frontend/developer-ui) or the developer-ui folder itself.
# SHOTS=DIR keeps the screenshots there (default: a temporary folder); KEEP=1 leaves both servers running afterwards.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ui="${1:?usage: bench/dropin/real-ui.sh UI_CHECKOUT_DIR}"
[ -d "$ui/frontend/developer-ui" ] && ui="$ui/frontend/developer-ui"
[ -f "$ui/package.json" ] || { echo "no developer-ui package.json under $1" >&2; exit 2; }
ui="$(cd "$ui" && pwd)"
work="$(mktemp -d)"
shots="${SHOTS:-$work/shots}"
api=http://localhost:8001
pids=()
cleanup() {
  if [ -z "${KEEP:-}" ]; then
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
  fi
}
trap cleanup EXIT

for port in 8001 3000; do
  if curl -s -o /dev/null "http://localhost:$port/"; then echo "port $port is in use" >&2; exit 2; fi
done

echo "== the UI: npm ci and react-scripts build in $ui ($(git -C "$ui" rev-parse --short HEAD 2>/dev/null || echo 'not a git checkout'))"
if [ ! -d "$ui/node_modules" ]; then (cd "$ui" && nice -n 10 npm ci --no-audit --no-fund --loglevel=error); fi
# CI=false: the UI's own lint warnings would otherwise stop the build.
if [ ! -f "$ui/build/index.html" ] || [ -n "${REBUILD:-}" ]; then (cd "$ui" && GENERATE_SOURCEMAP=false CI=false nice -n 10 npx react-scripts build >"$work/ui-build.log" 2>&1) || { cat "$work/ui-build.log"; exit 1; }; fi

echo "== keelson serve and the Playwright driver (from the test project's build output)"
nice -n 10 dotnet build "$root/tests/Keelson.Server.Tests" -c Release --nologo -v quiet -clp:NoSummary >/dev/null
server_dll="$(ls "$root"/src/Keelson.Server/bin/Release/net*/Keelson.Server.dll | head -1)"
playwright="$(ls -d "$root"/tests/Keelson.Server.Tests/bin/Release/net*/.playwright/package | head -1)"

# The UI's origin may call the API (CORS) and is served in demo mode whatever X-Demo-Mode says: the UI sends
# `X-Demo-Mode: false` on some calls and omits it on others, while its own backend has one database.
KEELSON__DATADIRECTORY="$work/data" dotnet "$server_dll" --urls "$api" \
  --Keelson:CorsOrigins:0=http://localhost:3000 --Keelson:DemoOrigins:0=http://localhost:3000 --Keelson:DefaultMode=Demo --Keelson:MutationsPerMinute=1000 \
  >"$work/keelson.log" 2>&1 &
pids+=($!)
node "$root/bench/dropin/serve-ui.mjs" "$ui/build" 3000 "$api" >"$work/serve-ui.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 240); do curl -sf "$api/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
curl -sf "$api/health/ready" >/dev/null || { echo "keelson serve did not start"; cat "$work/keelson.log"; exit 1; }

echo "== a deployed tenant with metrics and a firing alert, through the public API (what an agent and an operator would do)"
H=(-s -f -H 'Content-Type: application/json')
deployment="$(curl "${H[@]}" "$api/api/v1/tenants/" -d '{"tenant_id":"ui-seed","service_requirements":{"callbot":10,"chatbot":20,"advisor":0,"stt":0,"tts":0,"ta":0,"qa":0},"tenancy_mode":"large","gpu_type":"auto","cloud_provider":"aws","auto_deploy":true}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["deployment_id"])')"
for _ in $(seq 1 240); do
  status="$(curl "${H[@]}" "$api/api/v1/deployments/$deployment" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')"
  [ "$status" = succeeded ] || [ "$status" = failed ] && break
  sleep 1
done
echo "ui-seed deployment $deployment: $status"
curl "${H[@]}" -X PUT "$api/api/v1/tenants/ui-seed/alert-settings" -d '{"evaluation_interval":"1s"}' >/dev/null
# 60 rules over the pushed CPU, so more alerts fire than the UI's page of 50 holds (its list scrolls to page 2).
for i in $(seq -w 1 60); do
  curl "${H[@]}" "$api/api/v1/tenants/ui-seed/alerts" -d "{\"alert_name\":\"cpu-above-$i\",\"condition\":\"cpu_usage > $((20 + 10#$i))\",\"duration\":\"1s\",\"actions\":[]}" >/dev/null
done
python3 - "$api" <<'PY'
import datetime, json, sys, urllib.request
api = sys.argv[1]
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
batch = []
for minute in range(60, -1, -1):
    at = now - datetime.timedelta(minutes=minute)
    batch.append({"tenant_id": "ui-seed", "timestamp": at.isoformat().replace("+00:00", "Z"), "metrics": {
        "cpu_usage": 40 + minute % 7 + (50 if minute == 0 else 0), "memory_usage": 55 + minute % 5, "gpu_usage": 30 + minute % 3,
        "availability": 99.9, "response_time": 80 + minute % 11, "error_rate": 0.1, "throughput": 120 + minute, "network_io": 12.5, "disk_usage": 35}})
request = urllib.request.Request(api + "/api/v1/monitoring", data=json.dumps({"batch": batch}).encode(), headers={"Content-Type": "application/json"})
print("pushed", json.load(urllib.request.urlopen(request))["samples"], "samples for ui-seed")
PY
for _ in $(seq 1 30); do
  firing="$(curl "${H[@]}" "$api/api/v1/alerts/?page=1&page_size=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total_count"])')"
  [ "$firing" -gt 50 ] && break
  sleep 1
done
echo "$firing alerts fired"

echo "== the screen walk (Chromium; screenshots in $shots)"
node "$root/bench/dropin/real-ui-walk.mjs" "$playwright" http://localhost:3000 "$api" "$shots"
