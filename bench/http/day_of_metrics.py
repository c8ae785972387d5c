#!/usr/bin/env python3
"""One day of 15-second samples of the seed's five metrics for one tenant, the same numbers in two forms: pushed to
`keelson serve` as batches (`push URL TENANT END`), or written as OpenMetrics for `promtool tsdb
create-blocks-from openmetrics` (`openmetrics FILE TENANT END`). END is an ISO-8601 UTC instant (whole seconds)."""
import datetime
import json
import sys
import urllib.request

METRICS = ["cpu_usage", "memory_usage", "gpu_usage", "request_count", "response_time"]
STEPS = 24 * 60 * 4


def samples(end):
    # Oldest first; the values are those of bench/Keelson.Bench's MetricBenchmarks.
    for i in reversed(range(STEPS)):
        at = end - datetime.timedelta(seconds=15 * i)
        yield at, {m: float((i * 7 % 100) + k) for k, m in enumerate(METRICS)}


def push(url, tenant, end):
    batch = []
    for at, values in samples(end):
        batch.append({"tenant_id": tenant, "timestamp": at.strftime("%Y-%m-%dT%H:%M:%SZ"), "metrics": values})
        if len(batch) == 1000:
            send(url, batch)
            batch = []
    if batch:
        send(url, batch)


def send(url, batch):
    request = urllib.request.Request(url.rstrip("/") + "/api/v1/monitoring", json.dumps({"batch": batch}).encode(),
                                     {"Content-Type": "application/json", "X-Demo-Mode": "true"})
    with urllib.request.urlopen(request) as response:
        assert response.status == 202, response.status


def openmetrics(path, tenant, end):
    with open(path, "w") as out:
        for m in METRICS:
            out.write(f"# TYPE {m} gauge\n")
            for at, values in samples(end):
                # The name again as a label: avg_over_time drops __name__, and five series must stay apart.
                out.write(f'{m}{{tenant="{tenant}",metric="{m}"}} {values[m]} {int(at.timestamp())}\n')
        out.write("# EOF\n")


if __name__ == "__main__":
    command, target, tenant, end = sys.argv[1:5]
    end = datetime.datetime.strptime(end, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    {"push": push, "openmetrics": openmetrics}[command](target, tenant, end)
