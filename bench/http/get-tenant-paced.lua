-- wrk script: GET one tenant at a set pace rather than as fast as answers come: every connection waits 7 ms
-- before each request, so 16 connections offer about 2,000 requests/s (the issue's read aim is p99 < 10 ms there).
wrk.method = "GET"
wrk.headers["X-Demo-Mode"] = "true"

function delay()
  return 7
end

done = function(summary, latency, requests)
  io.write(string.format("requests/s %.0f  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  errors %d (non-2xx %d)\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
