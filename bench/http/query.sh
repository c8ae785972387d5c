#!/usr/bin/env bash
# Issue 13's dashboard query — 24 hours of the seed's 5 metrics at a 1-minute step — over HTTP, side by side with the
# same query on a real Prometheus holding the same samples (Debian's prometheus 2.42; the day is imported with
# `promtool tsdb create-blocks-from openmetrics`). Both are timed whole with hyperfine running curl, as a client sees
# them. KEELSON_CMD chooses the server build (default: `./keelson serve`; e.g. "dotnet .../Keelson.Server.dll" for
# a before/after comparison); a second command in KEELSON_CMD2 is timed in the same hyperfine session. HYPERFINE_EXPORT
# names a JSON file for hyperfine's raw times.
#   bench/http/query.sh [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-60}"
data="$(mktemp -d)"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait; rm -rf "$data"' EXIT
end="$(date -u -d "$(date -u +%Y-%m-%dT%H:%M:00Z) - 1 minute" +%Y-%m-%dT%H:%M:%SZ)"
start="$(date -u -d "$end - 24 hours" +%Y-%m-%dT%H:%M:%SZ)"

serve() { # name port command...
  local name="$1" port="$2"; shift 2
  KEELSON__MUTATIONSPERMINUTE=1000000 KEELSON__DATADIRECTORY="$data/$name" "$@" --urls "http://127.0.0.1:$port" >"$data/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/health/live" >/dev/null && break; sleep 0.5; done
  curl -sf -X POST "http://127.0.0.1:$port/api/v1/tenants/" -H 'Content-Type: application/json' -H 'X-Demo-Mode: true' \
    -d '{"tenant_id":"bench-q","name":"bench","service_requirements":{"chatbot":10}}' >/dev/null
  python3 "$root/bench/http/day_of_metrics.py" push "http://127.0.0.1:$port" bench-q "$end"
  sleep 2 # the batched writer commits off the request path
}

read -r -a first <<<"${KEELSON_CMD:-$root/keelson serve}"
serve keelson 8025 "${first[@]}"
query="/api/v1/tenants/bench-q/monitoring?metric=cpu_usage,memory_usage,gpu_usage,request_count,response_time&start=$start&end=$end&step=60"
commands=("curl -sf -o /dev/null -H 'X-Demo-Mode: true' 'http://127.0.0.1:8025$query'")
names=("keelson")
if [ -n "${KEELSON_CMD2:-}" ]; then
  read -r -a second <<<"$KEELSON_CMD2"
  serve keelson2 8026 "${second[@]}"
  commands+=("curl -sf -o /dev/null -H 'X-Demo-Mode: true' 'http://127.0.0.1:8026$query'")
  names+=("keelson (KEELSON_CMD2)")
fi

python3 "$root/bench/http/day_of_metrics.py" openmetrics "$data/day.om" bench-q "$end"
promtool tsdb create-blocks-from openmetrics "$data/day.om" "$data/prom" >/dev/null
printf 'global:\n  scrape_interval: 1h\n' >"$data/prometheus.yml"
prometheus --config.file="$data/prometheus.yml" --storage.tsdb.path="$data/prom" --storage.tsdb.retention.time=30d \
  --web.listen-address=127.0.0.1:9095 >"$data/prometheus.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:9095/-/ready >/dev/null && break; sleep 0.5; done
promql='avg_over_time({__name__=~"cpu_usage|memory_usage|gpu_usage|request_count|response_time",tenant="bench-q"}[1m])'
prom="http://127.0.0.1:9095/api/v1/query_range?query=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$promql")&start=$start&end=$end&step=60"
commands+=("curl -sf -o /dev/null '$prom'"); names+=("prometheus")

# Both must answer 5 series of a day's points before their times mean anything.
curl -sf -H 'X-Demo-Mode: true' "http://127.0.0.1:8025$query" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("keelson:", len(d["series"]), "series,", [len(s["points"]) for s in d["series"]], "points")'
curl -sf "$prom" | python3 -c 'import json,sys; d=json.load(sys.stdin)["data"]["result"]; print("prometheus:", len(d), "series,", [len(s["values"]) for s in d], "points")'
urls=("keelson=http://127.0.0.1:8025$query"); [ -n "${KEELSON_CMD2:-}" ] && urls+=("keelson2=http://127.0.0.1:8026$query")
urls+=("prometheus=$prom")
args=(); for i in "${!commands[@]}"; do args+=(-n "${names[$i]}" "${commands[$i]}"); done
hyperfine -N --warmup "${WARMUP:-300}" --runs "$runs" ${HYPERFINE_EXPORT:+--export-json "$HYPERFINE_EXPORT"} "${args[@]}"
# The same requests in interleaved rounds: on a busy machine the ratios of these medians are the figures to trust.
python3 "$root/bench/http/interleave.py" "$runs" "${urls[@]}"
