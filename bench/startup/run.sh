#!/usr/bin/env bash
# Whole-process timings of the CLI as a user runs it (start-up and JIT included), with hyperfine (Debian package):
#   bench/startup/run.sh [RUNS]
# Side by side in one run: the ahead-of-time compiled CLI that ./keelson builds, the same CLI built plainly (JIT only), and
# node + js-yaml + kubernetes-models (tests/schema/kubernetes-models/cli.mjs) validating the same files.
# Inputs: one example stack, one manifest file, and the 10,000-object validation corpus of ValidateBenchmarks
# written out as YAML files. Results go to standard output as hyperfine's markdown tables.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-10}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"

"$root/keelson" --version >/dev/null                                  # builds the ReadyToRun CLI if needed
dotnet build src/Keelson.Cli/Keelson.Cli.csproj -c Release -o "$work/jit" --nologo -v quiet -clp:NoSummary >/dev/null
(cd tests/schema/kubernetes-models && [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error)

dotnet run -c Release --project bench/Keelson.Bench -- --export-validate-inputs "$work/inputs.json" >/dev/null
mkdir -p "$work/corpus"
/usr/bin/python3 - "$work/inputs.json" "$work/corpus" <<'PY'
import json, sys, os
files = json.load(open(sys.argv[1]))["files"]
for i, f in enumerate(files):
    open(os.path.join(sys.argv[2], f"{i:05d}.yaml"), "w").write(f["text"])
PY
one=tests/Keelson.Validation.Tests/corpus/01-nginx-deployment-latest.yaml
# ./keelson builds self-contained with a composite ReadyToRun image and runs its own host; where it fell back to a
# framework-dependent build, through dotnet.
if [ -f .keelson/cli/keelson.r2r.dll ]; then r2r=".keelson/cli/keelson"; else r2r="dotnet .keelson/cli/keelson.dll"; fi
jit="dotnet $work/jit/keelson.dll"
node="node tests/schema/kubernetes-models/cli.mjs"

bench() { hyperfine --style basic --export-markdown "$work/t.md" -N -i -w 2 -r "$runs" "$@" >/dev/null; cat "$work/t.md"; echo; }
echo "### --version"; bench -n "keelson (./keelson: AOT-compiled)" "$r2r --version" -n "keelson (JIT)" "$jit --version" -n "node -e 0" "node -e 0"
echo "### plan examples/ai-call-center.yaml"; bench -n "keelson (./keelson: AOT-compiled)" "$r2r plan examples/ai-call-center.yaml" -n "keelson (JIT)" "$jit plan examples/ai-call-center.yaml"
echo "### validate one file"; bench -n "keelson (./keelson: AOT-compiled)" "$r2r validate $one" -n "keelson (JIT)" "$jit validate $one" -n "node + kubernetes-models" "$node $one"
echo "### validate 10,000 objects"; bench -n "keelson (./keelson: AOT-compiled)" "$r2r validate $work/corpus" -n "keelson (JIT)" "$jit validate $work/corpus" -n "node + kubernetes-models" "$node $work/corpus"
