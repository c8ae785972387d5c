// A one-shot command-line validator built from the npm peers, for whole-process timing beside `keelson validate`:
//   node tests/schema/kubernetes-models/cli.mjs PATH...   (files or directories of .yaml/.yml/.json)
// It reads every file, parses with js-yaml (List kinds expanded, as Keelson's loader does), validates each object
// with its kubernetes-models class (ajv, compiled from the OpenAPI schemas), prints one line per invalid object and
// a summary, and exits 1 when any object is invalid, like kubeconform.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

function files(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).sort().flatMap((name) => {
    const full = join(path, name);
    return statSync(full).isDirectory() ? files(full) : /\.(ya?ml|json)$/.test(name) ? [full] : [];
  });
}

function add(doc, objects) {
  if (typeof doc.kind === "string" && doc.kind.endsWith("List") && Array.isArray(doc.items)) {
    for (const item of doc.items) if (isObject(item)) add(item, objects);
  } else {
    objects.push(doc);
  }
}

const models = new Map();
async function model(o) {
  const key = `${o.apiVersion}/${o.kind}`;
  if (!models.has(key)) {
    try {
      models.set(key, (await import(`kubernetes-models/${o.apiVersion}/${o.kind}`))[o.kind] ?? null);
    } catch {
      models.set(key, null);
    }
  }
  return models.get(key);
}

let objects = 0, invalid = 0, unchecked = 0;
for (const file of process.argv.slice(2).flatMap(files)) {
  const found = [];
  try {
    for (const doc of yaml.loadAll(readFileSync(file, "utf8"))) if (isObject(doc)) add(doc, found);
  } catch (e) {
    console.log(`${file}: unreadable: ${String(e.message).split("\n")[0]}`);
    invalid++;
    continue;
  }
  for (const o of found) {
    objects++;
    const m = await model(o);
    if (!m) { unchecked++; continue; }
    try { new m(o).validate(); } catch (e) { invalid++; console.log(`${file}: ${o.kind}/${o.metadata?.name}: ${String(e.message).split("\n")[0]}`); }
  }
}
console.log(`${objects} objects, ${invalid} invalid, ${unchecked} without a model`);
process.exitCode = invalid > 0 ? 1 : 0;
