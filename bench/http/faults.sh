#!/usr/bin/env bash
# Issue 19's fault scenarios against `keelson serve` on PostgreSQL, on loopback, bounded in count and time:
#   1. PostgreSQL stopped for 10 s in the middle of 30 s of paced reads and pushes: the answers by status, what an
#      outage answer looks like (503, Retry-After, the dependency named, no connection string), and how long until
#      reads succeed again after PostgreSQL is back;
#   2. kill -9 of the server while N deployments run, a restart on the same databases: every deployment finishes, and
#      each Deployment in the sandbox has exactly one ReplicaSet (nothing applied twice).
# KEELSON_CMD chooses the server build (default `./keelson serve`). Needs root (PostgreSQL runs as postgres).
#   bench/http/faults.sh [N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
count="${1:-10}"; port=8029; url="http://127.0.0.1:$port"; pgport=5482
data="$(mktemp -d)"
source "$root/bench/http/postgres.sh"
read -r -a command <<<"${KEELSON_CMD:-$root/keelson serve}"
server=""
trap '[ -n "$server" ] && kill $server 2>/dev/null; stop_postgres "$data"; wait; rm -rf "$data"' EXIT
start_postgres "$data" "$pgport"

serve() {
  KEELSON__MUTATIONSPERMINUTE=1000000 KEELSON__DATADIRECTORY="$data/server" "${command[@]}" --urls "$url" >>"$data/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 240); do curl -sf "$url/health/live" >/dev/null && break; sleep 0.5; done
}

serve
curl -sf -X POST "$url/api/v1/tenants/" -H 'Content-Type: application/json' -H 'X-Demo-Mode: true' \
  -d '{"tenant_id":"bench-f","name":"bench","service_requirements":{"chatbot":10}}' >/dev/null

echo "== PostgreSQL stopped for 10 s during 30 s of paced reads and pushes (8 connections each, 10 ms pause)"
wrk -t1 -c8 -d30s -s "$root/bench/http/statuses.lua" "$url/api/v1/tenants/bench-f" >"$data/reads.txt" &
reads=$!
WRK_PUSH=1 wrk -t1 -c8 -d30s -s "$root/bench/http/statuses.lua" "$url/api/v1/tenants/bench-f/monitoring" >"$data/pushes.txt" &
pushes=$!
sleep 10
stop_postgres "$data"
sleep 2
echo "-- an answer during the outage:"
curl -s -D "$data/headers.txt" -o "$data/outage.json" -H 'X-Demo-Mode: true' "$url/api/v1/tenants/bench-f" || true
grep -iE "^HTTP|^retry-after" "$data/headers.txt" | tr -d '\r'
cat "$data/outage.json"; echo
if grep -qiE "Host=|Username=|Password=" "$data/outage.json"; then echo "!! the answer carries a connection string"; fi
sleep 8
resume_postgres "$data" "$pgport"
back=$(date +%s.%N)
until curl -sf -o /dev/null -H 'X-Demo-Mode: true' "$url/api/v1/tenants/bench-f"; do sleep 0.05; done
printf -- "-- first successful read %.2f s after PostgreSQL was started again\n" "$(echo "$(date +%s.%N) - $back" | bc)"
wait "$reads" "$pushes"
echo "reads:  $(tail -1 "$data/reads.txt")"
echo "pushes: $(tail -1 "$data/pushes.txt")"

echo "== kill -9 while $count deployments run, then a restart on the same databases"
python3 "$root/bench/http/crash_deployments.py" start "$url" "$count" "$data/ids.json"
sleep 5
kill -9 "$server"; wait "$server" 2>/dev/null || true
serve
python3 "$root/bench/http/crash_deployments.py" finish "$url" "$data/ids.json"
kubeconfig="$(ls "$data"/server/sandbox/*.kubeconfig | head -1)"
kubectl --kubeconfig "$kubeconfig" get replicasets -A -o json | python3 -c '
import collections, json, sys
owners = collections.Counter(o["name"] + "@" + r["metadata"]["namespace"] for r in json.load(sys.stdin)["items"]
                             for o in r["metadata"].get("ownerReferences", []) if o["kind"] == "Deployment")
crash = {k: v for k, v in owners.items() if k.split("@")[1].startswith("crash-")}
print(f"Deployments of the crashed tenants: {len(crash)}, with more than one ReplicaSet: {sum(1 for v in crash.values() if v > 1)}")'
