-- wrk script: POST the seed's call-center request to calculate-resources, and report p50/p99.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Demo-Mode"] = "true"
wrk.body = '{"tenant_id":"ai-call-center-prod","name":"AI","service_requirements":{"callbot":100,"chatbot":200,"advisor":50,"stt":100,"tts":100},"sla_target":{"availability":"99.95%","response_time":"150ms","concurrent_users":500}}'

done = function(summary, latency, requests)
  io.write(string.format("requests/s %.0f  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  errors %d (non-2xx %d)\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
