using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Keelson.Testing;

namespace Keelson.Server.Tests.Api;

/// <summary>
/// The contract of <c>/openapi/v1.json</c>: every operation in it is called, each answer's status and media type are
/// declared for that operation, and each JSON body is valid against the declared schema — checked by
/// python3-jsonschema (Draft 2020-12, as OpenAPI 3.1 uses), not by our own reading of the document.
/// </summary>
public sealed class OpenApiContractTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Tenant = "oa-tenant";

    private sealed record Call(string Template, string Method, string Path, string? Json = null, string? Demo = null, string? ContentType = "application/json", byte[]? Bytes = null, string? ModelTenant = null);

    [Fact]
    public async Task Every_operation_is_called_and_every_answer_matches_the_document()
    {
        using var client = factory.CreateClient();
        var document = JsonNode.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!.AsObject();

        // What the calls need: a deployed tenant, a pushed sample, an alert rule, a silence.
        var recorded = new List<JsonObject>();
        var created = await SendAsync(client, recorded, new Call("/api/v1/tenants", "post", "/api/v1/tenants/", DeploymentEndpointsTests.Request(Tenant).ToJsonString()));
        Assert.Equal(201, created.Status);
        var deploy = await SendAsync(client, recorded, new Call("/api/v1/tenants/{tenant_id}/deploy", "post", $"/api/v1/tenants/{Tenant}/deploy"));
        var deploymentId = deploy.Body!["deployment_id"]!.GetValue<string>();
        await DeploymentClient.WaitFinishedAsync(client, deploymentId);
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var rule = """{"alert_name": "high_cpu", "condition": "cpu_usage > 80", "duration": "1m", "severity": "warning", "actions": [{"type": "webhook", "url": "http://127.0.0.1:9/hook"}]}""";
        var silence = $$"""{"matchers": [{"name": "tenant", "value": "{{Tenant}}", "isRegex": false}], "startsAt": "{{DateTimeOffset.UtcNow:O}}", "endsAt": "{{DateTimeOffset.UtcNow.AddHours(1):O}}", "createdBy": "oa", "comment": "contract"}""";
        var requirements = """{"tenant_id": "oa-calc", "service_requirements": {"chatbot": 10}}""";
        var model = await TestModels.BytesAsync("dynamic_mlp");
        const string Versions = "/api/v1/tenants/{tenant_id}/models/{name}/versions";
        const string Infer = """{"inputs": [{"name": "x", "datatype": "FP32", "shape": [2, 4], "data": [1, 2, 3, 4, 5, 6, 7, 8]}]}""";

        Call[] calls =
        [
            new("/api/v1/tenants", "get", "/api/v1/tenants/"),
            new("/api/v1/tenants/{tenant_id}", "get", $"/api/v1/tenants/{Tenant}"),
            new("/api/v1/tenants/{tenant_id}", "get", "/api/v1/tenants/nobody"),
            new("/api/v1/tenants/{tenant_id}", "put", $"/api/v1/tenants/{Tenant}", DeploymentEndpointsTests.Request(Tenant).ToJsonString()),
            new("/api/v1/tenants/{tenant_id}", "patch", $"/api/v1/tenants/{Tenant}", """{"description": "contract"}"""),
            new("/api/v1/tenants/{tenant_id}", "patch", $"/api/v1/tenants/{Tenant}", """{"status": "running"}"""),
            new("/api/v1/tenants", "post", "/api/v1/tenants/", """{"tenant_id": "Bad_Id", "service_requirements": {"chatbot": -1}}"""),
            new("/api/v1/tenants", "post", "/api/v1/tenants/", """{"tenant_id": "a", "tenant_id": "b"}"""),
            new("/api/v1/tenants", "post", "/api/v1/tenants/", requirements, ContentType: null),
            new("/api/v1/tenants", "get", "/api/v1/tenants/", Demo: "maybe"),
            new("/api/v1/tenants", "get", "/api/v1/tenants/", Demo: "false"),
            new("/api/v1/tenants/check-duplicate/{tenant_id}", "get", $"/api/v1/tenants/check-duplicate/{Tenant}"),
            new("/api/v1/tenants/calculate-resources", "post", "/api/v1/tenants/calculate-resources", requirements),
            new("/api/v1/calculate-resources", "post", "/api/v1/calculate-resources", """{"callbot": 10, "chatbot": 0}"""),
            new("/api/v1/calculate-resources", "post", "/api/v1/calculate-resources", """{"callbot": "ten"}"""),
            new("/api/v1/tenants/validate-manifest", "post", "/api/v1/tenants/validate-manifest", """{"manifest_content": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n"}"""),
            new("/api/v1/tenants/{tenant_id}/manifest", "get", $"/api/v1/tenants/{Tenant}/manifest?format=json"),
            new("/api/v1/tenants/{tenant_id}/deployments", "get", $"/api/v1/tenants/{Tenant}/deployments"),
            new("/api/v1/deployments/{deployment_id}", "get", $"/api/v1/deployments/{deploymentId}"),
            new("/api/v1/deployments/{deployment_id}", "get", "/api/v1/deployments/00000000-0000-0000-0000-000000000000"),
            new("/api/v1/deployments/{deployment_id}/diff", "get", $"/api/v1/deployments/{deploymentId}/diff"),
            new("/api/v1/deployments/{deployment_id}/diff", "get", $"/api/v1/deployments/{deploymentId}/diff?against=00000000-0000-0000-0000-000000000000"),
            new("/api/v1/deployments/{deployment_id}/rollback", "post", $"/api/v1/deployments/{deploymentId}/rollback"),
            new("/api/v1/tenants/{tenant_id}/monitoring", "post", $"/api/v1/tenants/{Tenant}/monitoring", $$$"""{"timestamp": "{{{now}}}", "metrics": {"cpu_usage": 42.5}}"""),
            new("/api/v1/monitoring", "post", "/api/v1/monitoring", $$$"""{"batch": [{"tenant_id": "{{{Tenant}}}", "timestamp": "{{{now}}}", "metrics": {"memory_usage": 50}}]}"""),
            new("/api/v1/tenants/{tenant_id}/monitoring", "get", $"/api/v1/tenants/{Tenant}/monitoring?metric_type=cpu&hours=1"),
            new("/api/v1/tenants/{tenant_id}/monitoring/components", "get", $"/api/v1/tenants/{Tenant}/monitoring/components?metric=cpu_usage_percent&hours=1&step=1m"),
            new("/api/v1/tenants/{tenant_id}/load-spikes", "post", $"/api/v1/tenants/{Tenant}/load-spikes", """{"factor": 2, "duration": "10m"}"""),
            new("/api/v1/tenants/{tenant_id}/load-spikes", "post", $"/api/v1/tenants/{Tenant}/load-spikes", """{"factor": 21, "duration": "10m"}"""),
            new("/api/v1/tenants/{tenant_id}/load-spikes", "post", $"/api/v1/tenants/{Tenant}/load-spikes", """{"factor": 2, "duration": "10m"}""", Demo: "false"),
            new("/api/v1/tenants/{tenant_id}/load-spikes", "get", $"/api/v1/tenants/{Tenant}/load-spikes"),
            new("/api/v1/tenants/{tenant_id}/load-spikes", "delete", $"/api/v1/tenants/{Tenant}/load-spikes"),
            new("/api/v1/tenants/{tenant_id}/load-spikes", "delete", $"/api/v1/tenants/{Tenant}/load-spikes"),
            new("/api/v1/tenants/{tenant_id}/load-spikes", "get", "/api/v1/tenants/nobody/load-spikes"),
            new("/api/v1/tenants/{tenant_id}/alerts", "post", $"/api/v1/tenants/{Tenant}/alerts", rule),
            new("/api/v1/tenants/{tenant_id}/alerts", "get", $"/api/v1/tenants/{Tenant}/alerts"),
            new("/api/v1/tenants/{tenant_id}/alerts/{alert_name}", "get", $"/api/v1/tenants/{Tenant}/alerts/high_cpu"),
            new("/api/v1/tenants/{tenant_id}/alerts/{alert_name}", "put", $"/api/v1/tenants/{Tenant}/alerts/high_cpu", rule),
            new("/api/v1/tenants/{tenant_id}/alerts/{alert_name}/disable", "post", $"/api/v1/tenants/{Tenant}/alerts/high_cpu/disable"),
            new("/api/v1/tenants/{tenant_id}/alerts/{alert_name}/enable", "post", $"/api/v1/tenants/{Tenant}/alerts/high_cpu/enable"),
            new("/api/v1/tenants/{tenant_id}/alerts/{alert_name}/test", "post", $"/api/v1/tenants/{Tenant}/alerts/high_cpu/test"),
            new("/api/v1/tenants/{tenant_id}/alerts/active", "get", $"/api/v1/tenants/{Tenant}/alerts/active"),
            new("/api/v1/tenants/{tenant_id}/alerts/events", "get", $"/api/v1/tenants/{Tenant}/alerts/events"),
            new("/api/v1/tenants/{tenant_id}/alert-settings", "get", $"/api/v1/tenants/{Tenant}/alert-settings"),
            new("/api/v1/tenants/{tenant_id}/alert-settings", "put", $"/api/v1/tenants/{Tenant}/alert-settings", """{"evaluation_interval": "30s"}"""),
            new("/api/v1/tenants/{tenant_id}/alerts/{alert_name}", "delete", $"/api/v1/tenants/{Tenant}/alerts/high_cpu"),
            new("/api/v1/tenants/{tenant_id}/notifications", "get", $"/api/v1/tenants/{Tenant}/notifications"),
            new("/api/v1/notifications", "get", "/api/v1/notifications?limit=5"),
            new("/api/v1/tenants/{tenant_id}/job-queues/{queue}", "put", $"/api/v1/tenants/{Tenant}/job-queues/batch", """{"flavors": [{"pool": "general", "nominal": {"cpu": "4", "memory": "16Gi"}}]}"""),
            new("/api/v1/tenants/{tenant_id}/job-queues/{queue}", "put", $"/api/v1/tenants/{Tenant}/job-queues/bad", """{"flavors": [{"pool": "nowhere", "nominal": {"cpu": "4"}}]}"""),
            new("/api/v1/tenants/{tenant_id}/job-queues", "get", $"/api/v1/tenants/{Tenant}/job-queues"),
            new("/api/v1/tenants/{tenant_id}/job-queues/{queue}", "get", $"/api/v1/tenants/{Tenant}/job-queues/batch"),
            new("/api/v1/tenants/{tenant_id}/jobs", "post", $"/api/v1/tenants/{Tenant}/jobs", """{"name": "report", "queue": "batch", "image": "busybox:1.36", "resources": {"cpu": "1", "memory": "1Gi"}}"""),
            new("/api/v1/tenants/{tenant_id}/jobs", "post", $"/api/v1/tenants/{Tenant}/jobs", """{"name": "report", "queue": "nightly", "image": "busybox", "resources": {"cpu": "1", "memory": "1Gi"}}"""),
            new("/api/v1/tenants/{tenant_id}/jobs", "get", $"/api/v1/tenants/{Tenant}/jobs?state=pending"),
            new("/api/v1/tenants/{tenant_id}/jobs/{job_id}", "get", $"/api/v1/tenants/{Tenant}/jobs/1"),
            new("/api/v1/tenants/{tenant_id}/jobs/{job_id}/cancel", "post", $"/api/v1/tenants/{Tenant}/jobs/1/cancel"),
            new("/api/v1/tenants/{tenant_id}/jobs/{job_id}/retry", "post", $"/api/v1/tenants/{Tenant}/jobs/1/retry"),
            new("/api/v1/tenants/{tenant_id}/jobs/{job_id}/retry", "post", $"/api/v1/tenants/{Tenant}/jobs/1/retry"),
            new("/api/v1/tenants/{tenant_id}/job-queues/{queue}", "delete", $"/api/v1/tenants/{Tenant}/job-queues/batch"),
            new("/api/v1/silences", "post", "/api/v1/silences", silence),
            new("/api/v1/silences", "get", "/api/v1/silences"),
            new("/api/v1/tenants/{tenant_id}/complete-deployment", "post", $"/api/v1/tenants/{Tenant}/complete-deployment"),
            new("/api/v1/tenants/{tenant_id}/start", "post", $"/api/v1/tenants/{Tenant}/start"),
            new("/api/v1/tenants/{tenant_id}/stop", "post", "/api/v1/tenants/nobody/stop"),
            new("/api/v1/tenants/{tenant_id}/restart", "post", $"/api/v1/tenants/{Tenant}/restart"),
            new("/api/v1/tenants/{tenant_id}/deploy", "post", "/api/v1/tenants/nobody/deploy"),
            new("/ws/deployments/{deployment_id}", "get", $"/ws/deployments/{deploymentId}"),
            new("/ws/monitoring/{tenant_id}", "get", $"/ws/monitoring/{Tenant}"),
            new("/ws/monitoring/{tenant_id}/components", "get", $"/ws/monitoring/{Tenant}/components"),
            new("/ws/clusters/{cluster_name}", "get", "/ws/clusters/aws-gpu"),
            new("/ws/alerts", "get", "/ws/alerts"),
            new("/api/v1/tenants/calculate-detailed-hardware", "post", "/api/v1/tenants/calculate-detailed-hardware", """{"callbot": 10, "chatbot": 0, "gpu_type": "t4", "tenancy_mode": "large"}"""),
            new("/api/v1/tenants/calculate-detailed-hardware", "post", "/api/v1/tenants/calculate-detailed-hardware", """{"callbot": -1}"""),
            new("/api/v1/tenants/{tenant_id}/generate-manifests", "post", "/api/v1/tenants/gen-x/generate-manifests", """{"callbot": 10, "gpu_type": "t4", "cloud_provider": "ncp"}"""),
            new("/api/v1/tenants/{tenant_id}/manifest-preview", "get", $"/api/v1/tenants/{Tenant}/manifest-preview"),
            new("/api/v1/tenants/{tenant_id}/manifest-preview", "get", "/api/v1/tenants/nobody/manifest-preview"),
            new("/api/v1/tenants/{tenant_id}/download-package", "get", $"/api/v1/tenants/{Tenant}/download-package?cloud_provider=ncp"),
            new("/api/v1/tenants/{tenant_id}/download-package", "get", "/api/v1/tenants/nobody/download-package"),
            new("/api/v1/tenants/{tenant_id}/download-package", "post", "/api/v1/tenants/pkg-x/download-package", """{"callbot": 10}"""),
            new("/api/v1/cicd/global-settings", "get", "/api/v1/cicd/global-settings?"),
            new("/api/v1/cicd/initialize-default-settings", "post", "/api/v1/cicd/initialize-default-settings"),
            new("/api/v1/cicd/global-settings", "post", "/api/v1/cicd/global-settings", """{"setting_key": "extra_registry", "setting_category": "registry", "setting_value": {"url": "r.example.com", "password": "x"}}"""),
            new("/api/v1/cicd/global-settings/{setting_key}", "get", "/api/v1/cicd/global-settings/extra_registry"),
            new("/api/v1/cicd/global-settings/{setting_key}", "put", "/api/v1/cicd/global-settings/main_registry", """{"setting_value": {"url": "h.example.com", "password": "p"}, "description": "d"}"""),
            new("/api/v1/cicd/global-settings/{setting_key}", "delete", "/api/v1/cicd/global-settings/extra_registry"),
            new("/api/v1/cicd/system-status", "get", "/api/v1/cicd/system-status"),
            new("/api/v1/cicd/test-registry-connection", "post", "/api/v1/cicd/test-registry-connection", """{"url": "h.example.com:5000"}"""),
            new("/api/v1/cicd/register", "post", "/api/v1/cicd/register", """{"service_name": "callbot", "display_name": "Callbot", "image_name": "callbot", "image_tag": "1.0.0", "registry_url": "harbor.ecp-ai.com", "repository": "ecp-ai", "category": "main", "description": ""}"""),
            new("/api/v1/cicd/list", "get", "/api/v1/cicd/list"),
            new("/api/v1/cicd/stats/overview", "get", "/api/v1/cicd/stats/overview"),
            new("/api/v1/cicd/{service_name}", "get", "/api/v1/cicd/callbot"),
            new("/api/v1/cicd/{service_name}", "put", "/api/v1/cicd/callbot", """{"image_tag": "1.1.0"}"""),
            new("/api/v1/cicd/{service_name}/history", "get", "/api/v1/cicd/callbot/history"),
            new("/api/v1/cicd/{service_name}/rollback", "post", "/api/v1/cicd/callbot/rollback", """{"version": 1}"""),
            new("/api/v1/cicd/{service_name}", "delete", "/api/v1/cicd/callbot"),
            new("/api/v1/overview", "get", "/api/v1/overview"),
            new("/api/v1/clusters", "get", "/api/v1/clusters"),
            new("/api/v1/clusters/{cluster_name}", "get", "/api/v1/clusters/aws-gpu?events=5"),
            new("/api/v1/clusters/{cluster_name}", "get", "/api/v1/clusters/aws-gpu?events=ten"),
            new("/api/v1/clusters/{cluster_name}", "get", "/api/v1/clusters/nowhere"),
            new("/api/v1/clusters/{cluster_name}", "get", "/api/v1/clusters/aws-gpu?include_pods=false"),
            new("/api/v1/clusters/{cluster_name}/pods", "get", "/api/v1/clusters/aws-gpu/pods?offset=1&limit=2&phase=Running"),
            new("/api/v1/clusters/{cluster_name}/pods", "get", "/api/v1/clusters/aws-gpu/pods?limit=0"),
            new("/api/v1/clusters/{cluster_name}/pods", "get", "/api/v1/clusters/nowhere/pods"),
            new("/api/v1/clusters/{cluster_name}/version", "get", "/api/v1/clusters/aws-gpu/version"),
            new("/api/v1/clusters/{cluster_name}/version", "get", "/api/v1/clusters/nowhere/version"),
            new("/api/v1/tenants/{tenant_id}/simulations", "post", $"/api/v1/tenants/{Tenant}/simulations", """{"load": "kind: Load\nname: flat\ncurve:\n  \"00:00\": 0.5\n", "duration": "20m"}"""),
            new("/api/v1/tenants/{tenant_id}/simulations", "post", $"/api/v1/tenants/{Tenant}/simulations", """{"load": "kind: Load\nname: x\ncurve:\n  \"25:00\": 2\n"}"""),
            new("/api/v1/tenants/{tenant_id}/simulations", "post", $"/api/v1/tenants/{Tenant}/simulations", """{"load": "kind: Load"}""", Demo: "false"),
            new("/api/v1/settings", "get", "/api/v1/settings"),
            new("/api/v1/settings/retention", "put", "/api/v1/settings/retention", """{"retention": "20d"}"""),
            new("/api/v1/settings/retention", "put", "/api/v1/settings/retention", """{"retention": "forever"}"""),
            new("/api/v1/settings/retention", "delete", "/api/v1/settings/retention"),
            new("/api/v1/api-keys", "post", "/api/v1/api-keys", $$"""{"tenant_id": "{{Tenant}}", "name": "contract"}"""),
            new("/api/v1/api-keys", "post", "/api/v1/api-keys", """{"tenant_id": "nobody", "name": ""}"""),
            new("/api/v1/api-keys", "get", "/api/v1/api-keys"),
            new("/api/v1/api-keys/{key_id}", "delete", "/api/v1/api-keys/key_0000000000000000"),
            new("/api/v1/simulator/health", "get", "/api/v1/simulator/health"),
            new("/api/v1/simulator/monitoring/advanced/realtime", "get", "/api/v1/simulator/monitoring/advanced/realtime"),
            new("/api/v1/simulator/monitoring/advanced/tenants", "get", "/api/v1/simulator/monitoring/advanced/tenants"),
            new("/api/v1/simulator/monitoring/advanced/sla", "get", "/api/v1/simulator/monitoring/advanced/sla"),
            new("/api/v1/simulator/monitoring/advanced/alerts", "get", "/api/v1/simulator/monitoring/advanced/alerts"),
            new("/api/v1/simulator/monitoring/advanced/ws/realtime", "get", "/api/v1/simulator/monitoring/advanced/ws/realtime"),
            new("/api/v1/alerts", "get", "/api/v1/alerts/?page=1&page_size=50&include_recent=true"),
            new("/api/v1/alerts", "get", "/api/v1/alerts/?page=0"),
            new("/api/v1/alerts/{alert_id}/status", "put", "/api/v1/alerts/alert-nothere/status", """{"status": "acknowledged"}"""),
            new("/api/v1/thresholds/default", "get", "/api/v1/thresholds/default"),
            new("/api/v1/thresholds/presets", "get", "/api/v1/thresholds/presets"),
            new("/api/v1/thresholds/{setting_id}", "put", "/api/v1/thresholds/default-monitoring-thresholds", """{"name": "사용자 모니터링 임계값", "description": "d", "category": "monitoring", "thresholds": {"cpu": {"warning": 70, "critical": 90}}, "notifications_enabled": true, "email_enabled": false, "sms_enabled": false, "slack_enabled": false, "is_default": true}"""),
            new("/api/v1/thresholds/presets/{preset_name}/apply", "post", "/api/v1/thresholds/presets/premium/apply"),
            new("/api/v1/thresholds", "get", "/api/v1/thresholds/"),
            new("/api/v1/thresholds", "post", "/api/v1/thresholds/", """{"name": "사용자 모니터링 임계값", "description": "d", "category": "monitoring", "thresholds": {"cpu": {"warning": 70, "critical": 90}}, "notifications_enabled": true, "email_enabled": false, "sms_enabled": false, "slack_enabled": false, "is_default": false}"""),
            new("/api/v1/thresholds/{setting_id}", "delete", "/api/v1/thresholds/threshold_nothere"),
            new(Versions, "post", $"/api/v1/tenants/{Tenant}/models/scorer/versions", "", ContentType: "application/octet-stream", Bytes: model),
            new(Versions, "post", $"/api/v1/tenants/{Tenant}/models/scorer/versions", "", ContentType: "application/octet-stream", Bytes: model),
            new(Versions, "post", $"/api/v1/tenants/{Tenant}/models/scorer/versions", "", ContentType: "application/octet-stream", Bytes: model[..100]),
            new("/api/v1/tenants/{tenant_id}/models", "get", $"/api/v1/tenants/{Tenant}/models"),
            new(Versions, "get", $"/api/v1/tenants/{Tenant}/models/scorer/versions"),
            new(Versions + "/{version}", "get", $"/api/v1/tenants/{Tenant}/models/scorer/versions/1"),
            new(Versions + "/{version}", "get", $"/api/v1/tenants/{Tenant}/models/scorer/versions/canary"),
            new(Versions + "/{version}/file", "get", $"/api/v1/tenants/{Tenant}/models/scorer/versions/1/file"),
            new(Versions + "/{version}/file", "get", $"/api/v1/tenants/{Tenant}/models/scorer/versions/canary/file"),
            new("/api/v1/tenants/{tenant_id}/models/{name}/aliases/{alias}", "put", $"/api/v1/tenants/{Tenant}/models/scorer/aliases/production", """{"version": 1}"""),
            new("/api/v1/tenants/{tenant_id}/models/{name}/aliases/{alias}", "put", $"/api/v1/tenants/{Tenant}/models/scorer/aliases/staging", """{"version": 2}"""),
            new("/api/v1/tenants/{tenant_id}/models/{name}/aliases", "get", $"/api/v1/tenants/{Tenant}/models/scorer/aliases"),
            new("/api/v1/tenants/{tenant_id}/models/{name}/serving", "get", $"/api/v1/tenants/{Tenant}/models/scorer/serving"),
            new("/api/v1/tenants/{tenant_id}/models/{name}/serving", "put", $"/api/v1/tenants/{Tenant}/models/scorer/serving", """{"max_batch_size": 8, "max_queue_delay_us": 500, "max_concurrency": 2}"""),
            new("/v2", "get", "/v2"),
            new("/v2/health/live", "get", "/v2/health/live"),
            new("/v2/health/ready", "get", "/v2/health/ready"),
            new("/v2/models/{name}", "get", "/v2/models/scorer", ModelTenant: Tenant),
            new("/v2/models/{name}/versions/{version}", "get", "/v2/models/scorer/versions/staging", ModelTenant: Tenant),
            new("/v2/models/{name}/ready", "get", "/v2/models/scorer/ready", ModelTenant: Tenant),
            new("/v2/models/{name}/versions/{version}/ready", "get", "/v2/models/scorer/versions/2/ready", ModelTenant: Tenant),
            new("/v2/models/{name}/infer", "post", "/v2/models/scorer/infer", Infer, ModelTenant: Tenant),
            new("/v2/models/{name}/infer", "post", "/v2/models/scorer/infer", """{"inputs": [{"name": "x", "datatype": "INT64", "shape": [1, 4], "data": [1, 2, 3, 4]}]}""", ModelTenant: Tenant),
            new("/v2/models/{name}/versions/{version}/infer", "post", "/v2/models/scorer/versions/2/infer", Infer, ModelTenant: Tenant),
            new("/v2/models/{name}/versions/{version}/infer", "post", "/v2/models/nothing/versions/2/infer", Infer, ModelTenant: Tenant),
            new(Versions + "/{version}", "delete", $"/api/v1/tenants/{Tenant}/models/scorer/versions/1"),
            new("/api/v1/tenants/{tenant_id}/models/{name}/aliases/{alias}", "delete", $"/api/v1/tenants/{Tenant}/models/scorer/aliases/production"),
            new(Versions + "/{version}", "delete", $"/api/v1/tenants/{Tenant}/models/scorer/versions/1"),
            new("/health", "get", "/health"),
            new("/ready", "get", "/ready"),
            new("/metrics/pushed", "get", "/metrics/pushed"),
        ];
        foreach (var call in calls)
        {
            await SendAsync(client, recorded, call);
        }

        // The silence and the restart made above give ids for the routes that need one.
        var (_, silences) = recorded.Select(r => (r["path"]!.GetValue<string>(), r)).Last(r => r.Item1 == "/api/v1/silences" && r.r["method"]!.GetValue<string>() == "post");
        var silenceId = silences["body"]!["silenceID"]!.GetValue<string>();
        await SendAsync(client, recorded, new Call("/api/v1/silences/{id}", "get", $"/api/v1/silences/{silenceId}"));
        await SendAsync(client, recorded, new Call("/api/v1/silences/{id}", "delete", $"/api/v1/silences/{silenceId}"));
        foreach (var deployment in (await DeploymentClientList(client)).Where(d => !d["finished"]!.GetValue<bool>()))
        {
            await DeploymentClient.WaitFinishedAsync(client, deployment["deployment_id"]!.GetValue<string>());
        }

        await SendAsync(client, recorded, new Call("/api/v1/tenants/{tenant_id}", "delete", $"/api/v1/tenants/{Tenant}"));

        // Every operation of the document was called at least once.
        var operations = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Where(m => m.Key is "get" or "post" or "put" or "patch" or "delete").Select(m => $"{m.Key.ToUpperInvariant()} {p.Key}"))
            .ToHashSet(StringComparer.Ordinal);
        var called = recorded.Select(r => $"{r["method"]!.GetValue<string>().ToUpperInvariant()} {r["path"]!.GetValue<string>()}").ToHashSet(StringComparer.Ordinal);
        Assert.Empty(operations.Except(called).Order(StringComparer.Ordinal));
        Assert.Empty(called.Except(operations).Order(StringComparer.Ordinal));

        // The error calls really were errors, so their problem documents were checked too.
        Assert.Contains(recorded, r => r["status"]!.GetValue<int>() == 415);
        Assert.Contains(recorded, r => r["status"]!.GetValue<int>() == 401);
        Assert.True(recorded.Count(r => r["status"]!.GetValue<int>() is >= 400 and < 500) >= 10);

        var bundle = Path.Combine(factory.DataDirectory, "openapi-cases.json");
        await File.WriteAllTextAsync(bundle, new JsonObject { ["document"] = document.DeepClone(), ["cases"] = new JsonArray([.. recorded]) }.ToJsonString());
        var script = Path.Combine(AppContext.BaseDirectory, "openapi", "validate_responses.py");
        var output = await ExternalProcess.RunAsync("/usr/bin/python3", [script, bundle], TimeSpan.FromMinutes(2));
        Assert.Contains($"openapi responses: {recorded.Count} checked, 0 failures", output, StringComparison.Ordinal);
    }

    private static async Task<IEnumerable<JsonNode>> DeploymentClientList(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/tenants/{Tenant}/deployments");
        using var response = await client.SendAsync(request);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["deployments"]!.AsArray()!.Select(d => d!);
    }

    private static async Task<(int Status, JsonNode? Body)> SendAsync(HttpClient client, List<JsonObject> recorded, Call call)
    {
        using var request = new HttpRequestMessage(new HttpMethod(call.Method.ToUpperInvariant()), call.Path);
        if (call.ModelTenant is not null)
        {
            request.Headers.Add("X-Keelson-Tenant", call.ModelTenant);
        }

        if (call.Json is not null)
        {
            request.Content = new ByteArrayContent(call.Bytes ?? Encoding.UTF8.GetBytes(call.Json));
            if (call.ContentType is not null)
            {
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(call.ContentType);
            }
        }

        if (call.Demo is not null)
        {
            request.Headers.Add("X-Demo-Mode", call.Demo);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var media = response.Content.Headers.ContentType?.MediaType;
        JsonNode? body = null;
        if (text.Length > 0 && media is "application/json" or "application/problem+json")
        {
            body = JsonNode.Parse(text);
        }

        recorded.Add(new JsonObject
        {
            ["name"] = $"{call.Method.ToUpperInvariant()} {call.Path}", ["path"] = call.Template, ["method"] = call.Method,
            ["status"] = (int)response.StatusCode, ["media"] = media, ["body"] = body?.DeepClone(),
        });
        Assert.True(response.StatusCode != HttpStatusCode.InternalServerError, $"{call.Method} {call.Path} failed: {text}");
        return ((int)response.StatusCode, body);
    }
}
