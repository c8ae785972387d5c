#!/usr/bin/python3
"""Independent check of schemas/stack.schema.json with Debian's python3-jsonschema (draft 2020-12).

Every example must validate, and each known-bad document must be rejected, so the schema editors
see agrees with Keelson's own parser on these cases.
"""
import copy
import glob
import json
import os
import sys

import yaml
from jsonschema import Draft202012Validator

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
with open(os.path.join(root, "schemas", "stack.schema.json"), encoding="utf-8") as f:
    schema = json.load(f)
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema)

failures = []
examples = sorted(glob.glob(os.path.join(root, "examples", "*.yaml")))
for path in examples:
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    errors = list(validator.iter_errors(doc))
    if errors:
        failures.append(f"{path}: expected valid, got: {errors[0].message}")

base = {
    "metadata": {"tenant": "demo"},
    "components": [
        {"name": "api", "kind": "service", "image": "example.com/api:1"},
        {"name": "bot", "kind": "ai-service", "service": "chatbot", "sessions": 10},
    ],
}


def mutate(change):
    doc = copy.deepcopy(base)
    change(doc)
    return doc


bad = {
    "unknown top-level field": mutate(lambda d: d.update(colour="red")),
    "field of another kind": mutate(lambda d: d["components"][0].update(sessions=5)),
    "misspelt field": mutate(lambda d: d["components"][1].update(sesions=5)),
    "missing image": mutate(lambda d: d["components"][0].pop("image")),
    "unknown kind": mutate(lambda d: d["components"][0].update(kind="servce")),
    "sessions and arrivals together": mutate(lambda d: d["components"][1].update(arrivalsPerHour=10, handleTimeSeconds=60)),
    "arrivals without handle time": mutate(lambda d: (d["components"][1].pop("sessions"), d["components"][1].update(arrivalsPerHour=10))),
    "tenant not a DNS label": mutate(lambda d: d["metadata"].update(tenant="Demo_Tenant")),
    "bad memory quantity": mutate(lambda d: d["components"][0].update(resources={"requests": {"memory": "512MB"}})),
    "sessions below minimum": mutate(lambda d: d["components"][1].update(sessions=0)),
    "no components": mutate(lambda d: d.update(components=[])),
    "profile and pools together": mutate(lambda d: d.update(cluster={"profile": "aws-gpu", "name": "x", "pools": []})),
}
for name, doc in bad.items():
    if validator.is_valid(doc):
        failures.append(f"bad document '{name}' was accepted by the schema")
if not validator.is_valid(base):
    failures.append("the base document was rejected: " + next(validator.iter_errors(base)).message)

for failure in failures:
    print("schema check: " + failure, file=sys.stderr)
checked = len(examples) + len(bad) + 1
print(f"schema check: {checked - len(failures)} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
