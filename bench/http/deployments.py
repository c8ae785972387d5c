#!/usr/bin/env python3
"""Keeps N deployments in flight against `keelson serve` for a while: N demo tenants (the seed's small request),
each deployed again as soon as its last deployment finishes. Prints how many finished and how each ended.

    bench/http/deployments.py URL N SECONDS
"""
import json
import sys
import threading
import time
import urllib.request

HEADERS = {"Content-Type": "application/json", "X-Demo-Mode": "true"}


def call(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=HEADERS)
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"{}")


def tenant_loop(base, tenant, deadline, outcomes, lock):
    while time.monotonic() < deadline:
        started = call("POST", f"{base}/api/v1/tenants/{tenant}/deploy")
        while True:
            time.sleep(0.5)
            state = call("GET", f"{base}/api/v1/deployments/{started['deployment_id']}")
            if state["finished"]:
                break
        with lock:
            outcomes[state["status"]] = outcomes.get(state["status"], 0) + 1


def main():
    base, count, seconds = sys.argv[1].rstrip("/"), int(sys.argv[2]), float(sys.argv[3])
    for i in range(count):
        call("POST", f"{base}/api/v1/tenants/", {
            "tenant_id": f"load-{i:02d}", "name": f"load {i}", "auto_deploy": False,
            "service_requirements": {"callbot": 5, "chatbot": 10, "advisor": 2},
        })
    deadline = time.monotonic() + seconds
    outcomes, lock = {}, threading.Lock()
    threads = [threading.Thread(target=tenant_loop, args=(base, f"load-{i:02d}", deadline, outcomes, lock)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print("deployments finished: " + ", ".join(f"{n} {s}" for s, n in sorted(outcomes.items())))


if __name__ == "__main__":
    main()
