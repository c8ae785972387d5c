#!/usr/bin/env python3
"""Times GET requests to several servers in interleaved rounds (each round visits every server once, in a fresh random
order, on a new connection as curl would), so a noisy machine slows all of them alike and their ratios stay fair.
   interleave.py ROUNDS NAME=URL [NAME=URL ...]   (headers: X-Demo-Mode: true)"""
import http.client, os, random, statistics, sys, time, urllib.parse

rounds = int(sys.argv[1])
targets = [arg.split("=", 1) for arg in sys.argv[2:]]
times = {name: [] for name, _ in targets}

def get(url):
    parts = urllib.parse.urlsplit(url)
    started = time.perf_counter()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request("GET", parts.path + ("?" + parts.query if parts.query else ""), headers={"X-Demo-Mode": "true"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status != 200 or not body:
        raise SystemExit(f"{url}: HTTP {response.status}")
    return time.perf_counter() - started

for _ in range(int(os.environ.get("WARMUP", "300"))):  # warm-up, untimed: .NET tiers its JIT up over the first few hundred requests
    for _, url in targets:
        get(url)
for _ in range(rounds):
    order = list(targets)
    random.shuffle(order)
    for name, url in order:
        times[name].append(get(url))

baseline = statistics.median(times[targets[0][0]])
print(f"{'':28} {'median':>9} {'p10':>9} {'p90':>9}  median ratio to {targets[0][0]}")
for name, _ in targets:
    ordered = sorted(times[name])
    median = statistics.median(ordered)
    print(f"{name:28} {median*1000:7.1f}ms {ordered[len(ordered)//10]*1000:7.1f}ms "
          f"{ordered[len(ordered)*9//10]*1000:7.1f}ms  {median/baseline:.2f}")
