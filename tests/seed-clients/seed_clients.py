#!/usr/bin/python3
"""The Python client examples of seed 003 (ECP-AI orchestrator), run against `keelson serve`.

Each example keeps the seed's calls, headers and JSON shapes; only the base URL differs (argv[1]).
Run by ./test with Debian's /usr/bin/python3, python3-requests and python3-websocket. Prints `seed clients: N passed, M failed`.
"""
import json
import os
import sys
import tempfile
import threading
import time
from datetime import datetime

import requests
import websocket

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

# Monitoring: the seed's ECPMonitoringClient, unchanged, sends metrics for a production tenant.
class ECPMonitoringClient:
    def __init__(self, base_url, is_demo=False):
        self.base_url = base_url
        self.headers = {
            'Content-Type': 'application/json',
            'X-Demo-Mode': str(is_demo).lower()
        }

    def send_metrics(self, tenant_id, metrics):
        """
        메트릭 데이터 전송

        Args:
            tenant_id: 테넌트 ID
            metrics: 메트릭 데이터 딕셔너리
        """
        endpoint = f"{self.base_url}/tenants/{tenant_id}/monitoring"

        payload = {
            "timestamp": datetime.utcnow().isoformat(),
            "metrics": metrics
        }

        response = requests.post(endpoint,
                               headers=self.headers,
                               json=payload)
        return response.json()


response = requests.post(
    f"{BASE_URL}/tenants/",
    headers={"X-Demo-Mode": "false", "Content-Type": "application/json"},
    json={"tenant_id": "my-ai-service", "name": "내 AI 서비스", "service_requirements": {"chatbot": 10}},
)
check("monitoring tenant create answers 201", response.status_code == 201, response.text[:300])

client = ECPMonitoringClient(BASE_URL, is_demo=False)

metrics = {
    "cpu_usage": 65.5,
    "memory_usage": 78.2,
    "gpu_usage": 85.0,
    "request_count": 1250,
    "response_time": 145.8
}

result = client.send_metrics("my-ai-service", metrics)
check("send_metrics is accepted", result.get("status") == "accepted" and result.get("samples") == 5, json.dumps(result)[:300])

# The seed's query: GET /tenants/{tenant_id}/monitoring?metric_type=cpu&hours=24.
response = requests.get(f"{BASE_URL}/tenants/my-ai-service/monitoring", headers={"X-Demo-Mode": "false"}, params={"metric_type": "cpu", "hours": 24})
series = response.json().get("series", []) if response.ok else []
check("the seed's monitoring query returns the pushed cpu_usage",
      [(s["metric_name"], s["summary"]["last"]) for s in series] == [("cpu_usage", 65.5)], response.text[:300])

# Python's json writes NaN as a bare NaN token (requests refuses to), which is not JSON.
bad = requests.post(f"{BASE_URL}/tenants/my-ai-service/monitoring", headers={"X-Demo-Mode": "false", "Content-Type": "application/json"},
                    data=json.dumps({"timestamp": datetime.utcnow().isoformat(), "metrics": {"cpu_usage": float("nan")}}))
check("a NaN push is refused naming the field", bad.status_code == 400 and "metrics.cpu_usage" in bad.json().get("field", ""), bad.text[:300])

# The seed's WebSocket client (scenario 1, step 4), unchanged, on the demo tenant of scenario 2: the browser-style
# stream carries no headers, and without them it is the open demo on loopback. The test adds only what the seed
# leaves to the reader: pushing while it listens, and closing after the first message.
tenant_id = "test-ai-service"
WS_BASE = BASE_URL.replace("http://", "ws://").removesuffix("/api/v1")


def on_message(ws, message):
    data = json.loads(message)
    print(f"CPU: {data['cpu']}%, Memory: {data['memory']}%, GPU: {data['gpu']}%")

    # 임계값 체크
    if data['cpu'] > 80:
        send_alert("CPU 사용률 높음", tenant_id)


ws = websocket.WebSocketApp(
    f"{WS_BASE}/ws/monitoring/{tenant_id}",
    on_message=on_message
)

received = []
seed_on_message = ws.on_message


def observe(socket, message):
    seed_on_message(socket, message)
    received.append(json.loads(message))
    socket.close()


def push_until_received():
    demo_client = ECPMonitoringClient(BASE_URL, is_demo=True)
    deadline = time.time() + 15
    while not received and time.time() < deadline:
        demo_client.send_metrics(tenant_id, {"cpu_usage": 65.5, "memory_usage": 78.2, "gpu_usage": 85.0})
        time.sleep(0.3)
    ws.close()


ws.on_message = observe
ws.on_open = lambda socket: threading.Thread(target=push_until_received, daemon=True).start()
ws.run_forever()
check("the seed's WebSocket client receives cpu, memory and gpu",
      bool(received) and (received[0].get("cpu"), received[0].get("memory"), received[0].get("gpu")) == (65.5, 78.2, 85.0), str(received)[:300])

# Troubleshooting: a request without X-Demo-Mode gets the server's default mode (demo) and says so; a bad value is a 400.
headerless = requests.get(f"{BASE_URL}/tenants/")
check("missing X-Demo-Mode uses the default demo mode", headerless.status_code == 200 and headerless.headers.get("X-Keelson-Mode") == "demo",
      f"{headerless.status_code} {headerless.headers.get('X-Keelson-Mode')}")
check("an X-Demo-Mode other than true or false is a 400", requests.get(f"{BASE_URL}/tenants/", headers={"X-Demo-Mode": "maybe"}).status_code == 400)

passed = sum(1 for _, ok in results if ok)
print(f"seed clients: {passed} passed, {len(results) - passed} failed")
sys.exit(0 if passed == len(results) else 1)
