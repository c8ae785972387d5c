#!/usr/bin/env python3
"""Validates recorded API responses against the OpenAPI 3.1 document that served them, with python3-jsonschema.

Input (argv[1]): {"document": <openapi>, "cases": [{"name", "path", "method", "status", "media", "body"}]}, where
path is the document's path template and body the parsed JSON (or null for an empty body). Every case must have a
declared response for its status and media type, and a JSON body must be valid against that response's schema.
"""
import json
import sys

from jsonschema import Draft202012Validator, RefResolver

bundle = json.load(open(sys.argv[1], encoding="utf-8"))
document = bundle["document"]
resolver = RefResolver.from_schema(document)
failures = []
for case in bundle["cases"]:
    label = f'{case["name"]}: {case["method"].upper()} {case["path"]} -> {case["status"]}'
    operation = document["paths"].get(case["path"], {}).get(case["method"])
    if operation is None:
        failures.append(f"{label}: the operation is not in the document")
        continue
    response = operation.get("responses", {}).get(str(case["status"]))
    if response is None:
        failures.append(f'{label}: status not declared (declared: {", ".join(sorted(operation.get("responses", {})))})')
        continue
    content = response.get("content", {})
    if case["body"] is None:
        continue
    if case["media"] not in content:
        failures.append(f'{label}: media type {case["media"]} not declared (declared: {", ".join(sorted(content)) or "none"})')
        continue
    schema = content[case["media"]].get("schema")
    if schema is None:
        continue
    errors = sorted(Draft202012Validator(schema, resolver=resolver).iter_errors(case["body"]), key=lambda e: list(e.absolute_path))
    for error in errors[:5]:
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        failures.append(f"{label}: at {where}: {error.message[:300]}")

for failure in failures:
    print("FAIL", failure)
print(f'openapi responses: {len(bundle["cases"])} checked, {len(failures)} failures')
sys.exit(1 if failures else 0)
