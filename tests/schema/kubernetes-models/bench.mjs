// Times the kubernetes-models validators (ajv, compiled from the Kubernetes OpenAPI schemas) on the inputs of
// Keelson's ValidateBenchmarks, written with:
//   dotnet run -c Release --project bench/Keelson.Bench -- --export-validate-inputs FILE
//   node tests/schema/kubernetes-models/bench.mjs FILE
// Three measurements, each 3 warm-up rounds then the median of 5:
//   parse: js-yaml loadAll of every input text, List kinds expanded into their items (as Keelson's loader does);
//   validate: model.validate() on the already parsed objects;
//   parseAndValidate: both.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import yaml from "js-yaml";

const { files } = JSON.parse(readFileSync(process.argv[2], "utf8"));

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

function add(doc, objects) {
  if (typeof doc.kind === "string" && doc.kind.endsWith("List") && Array.isArray(doc.items)) {
    for (const item of doc.items) if (isObject(item)) add(item, objects);
  } else {
    objects.push(doc);
  }
}

function parse() {
  const objects = [];
  let unreadable = 0;
  for (const { text } of files) {
    try {
      for (const doc of yaml.loadAll(text)) if (isObject(doc)) add(doc, objects);
    } catch {
      unreadable++;
    }
  }
  return { objects, unreadable };
}

const parsed = parse();
const models = new Map();
for (const o of parsed.objects) {
  const key = `${o.apiVersion}/${o.kind}`;
  if (!models.has(key)) {
    try {
      models.set(key, (await import(`kubernetes-models/${o.apiVersion}/${o.kind}`))[o.kind] ?? null);
    } catch {
      models.set(key, null);
    }
  }
}

function validate(objects) {
  let invalid = 0, checked = 0;
  for (const o of objects) {
    const model = models.get(`${o.apiVersion}/${o.kind}`);
    if (!model) continue;
    checked++;
    try { new model(o).validate(); } catch { invalid++; }
  }
  return { checked, invalid };
}

function time(run) {
  for (let i = 0; i < 3; i++) run();
  const times = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { medianMs: +times[2].toFixed(1), minMs: +times[0].toFixed(1), maxMs: +times[4].toFixed(1) };
}

console.log(JSON.stringify({
  files: files.length,
  objects: parsed.objects.length,
  unreadableFiles: parsed.unreadable,
  ...validate(parsed.objects),
  parse: time(parse),
  validate: time(() => validate(parsed.objects)),
  parseAndValidate: time(() => validate(parse().objects)),
}));
