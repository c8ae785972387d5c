#!/usr/bin/env bash
# Issue 19's memory figures: `keelson serve` on its embedded defaults, fresh, right after N demo tenants are each
# deployed once to the embedded sandbox (the seed's small request: callbot 5, chatbot 10, advisor 2), and after IDLE
# seconds with nothing to do. RSS from /proc; the live GC heap from dotnet-gcdump, which collects fully first.
# KEELSON_CMD chooses the server build (default `./keelson serve`).
#   bench/http/memory.sh [N] [IDLE_SECONDS] [PORT]
# Needs `dotnet tool install -g dotnet-gcdump`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
count="${1:-16}"; idle="${2:-360}"; port="${3:-8027}"
url="http://127.0.0.1:$port"; gcdump="$HOME/.dotnet/tools/dotnet-gcdump"
data="$(mktemp -d)"
read -r -a command <<<"${KEELSON_CMD:-$root/keelson serve}"
KEELSON__MUTATIONSPERMINUTE=1000000 KEELSON__DATADIRECTORY="$data/server" "${command[@]}" --urls "$url" >"$data/serve.log" 2>&1 &
pid=$! # ./keelson execs the self-contained host, so this is the server's pid either way
trap 'kill $pid 2>/dev/null; wait; rm -rf "$data"' EXIT
for _ in $(seq 1 240); do curl -sf "$url/health/live" >/dev/null && break; sleep 0.5; done

measure() {
  local rss heap
  "$gcdump" collect -p "$pid" -o "$data/heap.gcdump" >/dev/null 2>&1
  heap="$("$gcdump" report "$data/heap.gcdump" 2>/dev/null | awk '/GC Heap bytes/ {gsub(",", "", $1); printf "%.1f", $1 / 1048576}')"
  rss="$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")"
  printf '| %s | %s MiB | %s MiB |\n' "$1" "$rss" "$heap"
}

echo "| state | RSS | live GC heap |"
echo "|---|---|---|"
sleep 5; measure "fresh"
python3 "$root/bench/http/deployments.py" "$url" "$count" 1 >"$data/deployments.txt"
measure "$count tenants deployed ($(cat "$data/deployments.txt" | sed 's/deployments finished: //'))"
sleep "$idle"; measure "after ${idle} s idle"
