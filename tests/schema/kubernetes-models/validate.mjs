// Reads a JSON array of Kubernetes objects and prints, for each, whether the kubernetes-models
// validator accepts it: [{"index": 0, "checked": true, "valid": false, "error": "..."}].
import { readFileSync } from "node:fs";

const objects = JSON.parse(readFileSync(process.argv[2], "utf8"));
const results = [];
for (const [index, object] of objects.entries()) {
  const apiVersion = typeof object.apiVersion === "string" ? object.apiVersion : "";
  const kind = typeof object.kind === "string" ? object.kind : "";
  let model;
  try {
    model = (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
  } catch {
    model = undefined;
  }
  if (!model) {
    results.push({ index, checked: false, valid: null, error: `no model for ${apiVersion} ${kind}` });
    continue;
  }
  try {
    new model(object).validate();
    results.push({ index, checked: true, valid: true, error: null });
  } catch (e) {
    results.push({ index, checked: true, valid: false, error: String(e.message).slice(0, 300) });
  }
}
process.stdout.write(JSON.stringify(results));
