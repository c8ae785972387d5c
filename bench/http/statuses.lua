-- wrk script: GET (or, with WRK_PUSH=1, the seed's metrics push) at a set pace — each connection waits 10 ms before
-- each request — counting answers by status code, so a fault window shows up as 503s (or worse) and recovery as 2xx.
local push = os.getenv("WRK_PUSH") == "1"
wrk.headers["X-Demo-Mode"] = "true"
if push then
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end
local threads = {}
counts = {} -- global: done() reads each thread's copy through thread:get

function setup(thread)
  table.insert(threads, thread)
end

function delay()
  return 10
end

function request()
  if push then
    return wrk.format(nil, nil, nil, string.format('{"timestamp": "%s", "metrics": {"cpu_usage": 50}}', os.date("!%Y-%m-%dT%H:%M:%SZ")))
  end
  return wrk.format()
end

function response(status)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency)
  local total = {}
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for status, n in pairs(c) do
      total[status] = (total[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(total) do
    table.insert(parts, string.format("%d × %d", n, status))
  end
  table.sort(parts)
  io.write(string.format("answers: %s; socket errors %d; p99 %.1f ms\n", table.concat(parts, ", "),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, latency:percentile(99) / 1000))
end
