-- wrk script: GET one tenant in demo mode (loopback, no key), and report p50/p99.
wrk.method = "GET"
wrk.headers["X-Demo-Mode"] = "true"

-- report.lua beside this script defines done().
dofile((debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./") .. "report.lua")
