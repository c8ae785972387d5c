#!/usr/bin/env bash
# The cluster view of a large cluster (issue 16): a saved sandbox of NODES nodes and PODS running pods served by
# `keelson serve`, then GET /api/v1/clusters/large timed on loopback: the first read with curl, warm reads with
# hyperfine (Debian package); and the console's own calls (?include_pods=false, a page of /pods) where the build has them.
#   bench/http/cluster-view.sh [BASE_SERVER_DLL] [NODES] [PODS]
# BASE_SERVER_DLL is the Keelson.Server.dll of another build (e.g. main, built in a detached worktree), measured in the
# same run on a copy of the same saved sandbox, before this checkout's build; "-" measures this checkout only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
base="${1:--}"
nodes="${2:-1000}"
pods="${3:-10000}"
runs="${RUNS:-5}"
data="$(mktemp -d)"
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$data"' EXIT

echo "== $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); $nodes nodes, $pods pods; $runs warm runs"
dotnet build "$root/src/Keelson.Server" -c Release --nologo -v quiet -clp:NoSummary >/dev/null
dotnet run -c Release --project "$root/bench/Keelson.Bench" -- --large-sandbox "$data/seed" "$nodes" "$pods"

measure() {
  local label="$1" dll="$2" port="$3" paged="$4" url="http://127.0.0.1:$3"
  cp -r "$data/seed" "$data/$label"
  KEELSON__DATADIRECTORY="$data/$label" dotnet "$dll" --urls "$url" >"$data/$label.log" 2>&1 &
  server=$!
  for _ in $(seq 1 240); do curl -sf "$url/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -sf "$url/health/ready" >/dev/null || { echo "$label: keelson serve did not start"; cat "$data/$label.log"; exit 1; }
  local get="curl -sf -o /dev/null -H X-Demo-Mode:true $url/api/v1/clusters/large"
  echo "== $label: first read (curl: seconds, bytes) $(curl -sf -o /dev/null -w '%{time_total} s, %{size_download} B' -H X-Demo-Mode:true "$url/api/v1/clusters/large")"
  local commands=(-n "$label GET /clusters/large" "$get")
  if [ "$paged" = yes ]; then
    commands+=(-n "$label GET /clusters/large?include_pods=false" "$get?include_pods=false")
    commands+=(-n "$label GET /clusters/large/pods?offset=$((pods - 100))&limit=100" "curl -sf -o /dev/null -H X-Demo-Mode:true $url/api/v1/clusters/large/pods?offset=$((pods - 100))&limit=100")
  fi
  hyperfine -N --style basic --warmup 1 --runs "$runs" --export-markdown "$data/$label.md" "${commands[@]}" >/dev/null
  cat "$data/$label.md"
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
}

[ "$base" != "-" ] && measure before "$base" 8031 no
measure after "$root/src/Keelson.Server/bin/Release/net10.0/Keelson.Server.dll" 8032 yes
