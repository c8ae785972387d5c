-- wrk script: POST the seed's call-center request to calculate-resources, and report p50/p99.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Demo-Mode"] = "true"
wrk.body = '{"tenant_id":"ai-call-center-prod","name":"AI","service_requirements":{"callbot":100,"chatbot":200,"advisor":50,"stt":100,"tts":100},"sla_target":{"availability":"99.95%","response_time":"150ms","concurrent_users":500}}'

-- report.lua beside this script defines done().
dofile((debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./") .. "report.lua")
