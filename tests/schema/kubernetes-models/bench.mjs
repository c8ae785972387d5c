// Times the kubernetes-models validators on the objects of a v1 List (written by the ValidateBenchmarks
// setup with KEELSON_BENCH_EXPORT=FILE). Run after ./test installed the package:
//   node tests/schema/kubernetes-models/bench.mjs FILE
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const items = JSON.parse(readFileSync(process.argv[2], "utf8")).items;
const models = new Map();
for (const o of items) {
  const key = `${o.apiVersion}/${o.kind}`;
  if (!models.has(key)) {
    try {
      models.set(key, (await import(`kubernetes-models/${o.apiVersion}/${o.kind}`))[o.kind] ?? null);
    } catch {
      models.set(key, null);
    }
  }
}

function run() {
  let invalid = 0, checked = 0;
  for (const o of items) {
    const model = models.get(`${o.apiVersion}/${o.kind}`);
    if (!model) continue;
    checked++;
    try { new model(o).validate(); } catch { invalid++; }
  }
  return { checked, invalid };
}

for (let i = 0; i < 3; i++) run();
const times = [];
let result;
for (let i = 0; i < 5; i++) {
  const start = performance.now();
  result = run();
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ objects: items.length, ...result, medianMs: times[2], minMs: times[0], maxMs: times[4] }));
