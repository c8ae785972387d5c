#!/usr/bin/python3
"""The Python client examples of seed 003 (ECP-AI orchestrator), run against `keelson serve`.

Each example keeps the seed's calls, headers and JSON shapes; only the base URL differs (argv[1]).
Run by ./test with Debian's /usr/bin/python3 and python3-requests. Prints `seed clients: N passed, M failed`.
"""
import json
import os
import sys
import tempfile

import requests

BASE_URL = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8001/api/v1"
results = []


def check(name, condition, detail=""):
    results.append((name, bool(condition)))
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else f": {detail}"))


# Scenario 1, step 1: the service requirements of the AI call center.
service_requirements = {
    "tenant_id": "ai-call-center-prod",
    "name": "AI 콜센터 운영",
    "service_requirements": {"callbot": 100, "chatbot": 200, "advisor": 50, "stt": 100, "tts": 100},
    "sla_target": {"availability": "99.95%", "response_time": "150ms", "concurrent_users": 500},
}

# Step 2: automatic resource calculation (the seed's curl, as requests).
response = requests.post(
    f"{BASE_URL}/tenants/calculate-resources",
    headers={"Content-Type": "application/json", "X-Demo-Mode": "false"},
    json=service_requirements,
)
check("calculate-resources answers 200", response.status_code == 200, response.text[:300])
check("calculate-resources picks a preset", response.ok and response.json().get("preset") in ("micro", "small", "medium", "large"), response.text[:300])

# Step 3: create the tenant, download its manifest.
response = requests.post(
    f"{BASE_URL}/tenants/",
    headers={"X-Demo-Mode": "false", "Content-Type": "application/json"},
    json=service_requirements,
)
check("tenant create answers 201", response.status_code == 201, response.text[:300])
tenant_id = response.json().get("tenant_id") if response.ok else service_requirements["tenant_id"]
check("tenant create returns the tenant_id", tenant_id == "ai-call-center-prod", response.text[:300])

manifest_response = requests.get(f"{BASE_URL}/tenants/{tenant_id}/manifest", headers={"X-Demo-Mode": "false"})
check("manifest download answers 200", manifest_response.status_code == 200, manifest_response.text[:300])
check("manifest is YAML starting with a Namespace", "kind: Namespace" in manifest_response.text)


# Manifest download helper of the seed.
def download_manifest(tenant_id, is_demo=False, output_file="manifest.yaml"):
    headers = {'X-Demo-Mode': str(is_demo).lower()}
    url = f"{BASE_URL}/tenants/{tenant_id}/manifest"

    response = requests.get(url, headers=headers)

    if response.status_code == 200:
        with open(output_file, 'w') as f:
            f.write(response.text)
        print(f"매니페스트 저장됨: {output_file}")
    else:
        print(f"오류: {response.status_code}")
    return response.status_code


with tempfile.TemporaryDirectory() as directory:
    path = os.path.join(directory, "manifest.yaml")
    check("download_manifest writes the file", download_manifest("ai-call-center-prod", is_demo=False, output_file=path) == 200 and os.path.getsize(path) > 1000)

# Tenant list shape.
listing = requests.get(f"{BASE_URL}/tenants/", headers={"X-Demo-Mode": "false"})
body = listing.json() if listing.ok else {}
check("tenant list has the seed's counts", all(k in body for k in ("tenants", "total_count", "demo_count", "active_count")), listing.text[:300])

# Manifest validation with the seed's request and response shapes.
validation = requests.post(
    f"{BASE_URL}/tenants/validate-manifest",
    headers={"X-Demo-Mode": "false", "Content-Type": "application/json"},
    json={"tenant_id": "ai-call-center-prod", "manifest_content": manifest_response.text},
)
result = validation.json() if validation.ok else {}
check("validate-manifest answers valid/warnings/errors", {"valid", "warnings", "errors", "resource_summary"} <= set(result), validation.text[:300])
check("validate-manifest has estimated_cost", "estimated_cost" in result.get("resource_summary", {}))
check("our own manifest is valid", result.get("valid") is True, json.dumps(result.get("errors"))[:300])

# Scenario 2: the demo mode (a separate database).
demo = requests.post(
    f"{BASE_URL}/tenants/",
    headers={"X-Demo-Mode": "true", "Content-Type": "application/json"},
    json={"tenant_id": "test-ai-service", "name": "테스트 AI 서비스", "preset": "small", "service_requirements": {"chatbot": 10}},
)
check("demo tenant create answers 201", demo.status_code == 201, demo.text[:300])
demo_list = requests.get(f"{BASE_URL}/tenants/", headers={"X-Demo-Mode": "true"}).json()
prod_list = requests.get(f"{BASE_URL}/tenants/", headers={"X-Demo-Mode": "false"}).json()
check("demo and production are separate", [t["tenant_id"] for t in demo_list.get("tenants", [])] == ["test-ai-service"]
      and "test-ai-service" not in [t["tenant_id"] for t in prod_list.get("tenants", [])], f"{demo_list} / {prod_list}")

# Troubleshooting: a request without X-Demo-Mode is refused.
check("missing X-Demo-Mode is a 400", requests.get(f"{BASE_URL}/tenants/").status_code == 400)

passed = sum(1 for _, ok in results if ok)
print(f"seed clients: {passed} passed, {len(results) - passed} failed")
sys.exit(0 if passed == len(results) else 1)
