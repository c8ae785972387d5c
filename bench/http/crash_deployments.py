#!/usr/bin/env python3
"""The kill -9 scenario of bench/http/faults.sh, in two halves around the kill:

    crash_deployments.py start URL N IDS_FILE    create N demo tenants (the seed's small request) and start a deployment of each
    crash_deployments.py finish URL IDS_FILE     wait (up to 10 min) until every started deployment has finished; print how each ended
"""
import json
import sys
import time
import urllib.request

HEADERS = {"Content-Type": "application/json", "X-Demo-Mode": "true"}


def call(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=HEADERS)
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"{}")


def start(base, count, ids_file):
    ids = []
    for i in range(count):
        tenant = f"crash-{i:02d}"
        call("POST", f"{base}/api/v1/tenants/", {"tenant_id": tenant, "name": tenant, "auto_deploy": False,
                                                "service_requirements": {"callbot": 5, "chatbot": 10, "advisor": 2}})
        ids.append(call("POST", f"{base}/api/v1/tenants/{tenant}/deploy")["deployment_id"])
    with open(ids_file, "w") as out:
        json.dump(ids, out)


def finish(base, ids_file):
    ids = json.load(open(ids_file))
    deadline, ended = time.monotonic() + 600, {}
    while len(ended) < len(ids) and time.monotonic() < deadline:
        for deployment in ids:
            if deployment not in ended:
                state = call("GET", f"{base}/api/v1/deployments/{deployment}")
                if state["finished"]:
                    ended[deployment] = state["status"]
        time.sleep(1)
    outcomes = {}
    for status in ended.values():
        outcomes[status] = outcomes.get(status, 0) + 1
    print(f"deployments started {len(ids)}, finished {len(ended)}: " + ", ".join(f"{n} {s}" for s, n in sorted(outcomes.items())))


if __name__ == "__main__":
    if sys.argv[1] == "start":
        start(sys.argv[2].rstrip("/"), int(sys.argv[3]), sys.argv[4])
    else:
        finish(sys.argv[2].rstrip("/"), sys.argv[3])
