using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keelson.Rendering.Objects;

/// <summary>A Grafana dashboard of a tenant: traffic, errors, latency and resources per component.</summary>
public static class GrafanaDashboard
{
    /// <summary>The dashboard JSON (schema version 39), indented, deterministic.</summary>
    public static string Json(RenderContext context, IEnumerable<string> monitored)
    {
        var ns = context.Namespace;
        var panels = new JsonArray();
        var y = 0;
        void Panel(string title, string expr, string unit, int x)
        {
            panels.Add(new JsonObject
            {
                ["id"] = panels.Count + 1,
                ["type"] = "timeseries",
                ["title"] = title,
                ["datasource"] = new JsonObject { ["type"] = "prometheus", ["uid"] = "${datasource}" },
                ["gridPos"] = new JsonObject { ["h"] = 8, ["w"] = 12, ["x"] = x, ["y"] = y },
                ["fieldConfig"] = new JsonObject { ["defaults"] = new JsonObject { ["unit"] = unit }, ["overrides"] = new JsonArray() },
                ["targets"] = new JsonArray(new JsonObject { ["refId"] = "A", ["expr"] = expr, ["legendFormat"] = "{{service}}{{pod}}" }),
            });
        }

        var names = string.Join("|", monitored);
        var services = $"namespace=\"{ns}\",service=~\"{names}\"";
        Panel("Requests per second", $"sum by (service) (rate(http_requests_total{{{services}}}[5m]))", "reqps", 0);
        Panel("Error ratio", $"sum by (service) (rate(http_requests_total{{{services},code=~\"5..\"}}[5m])) / sum by (service) (rate(http_requests_total{{{services}}}[5m]))", "percentunit", 12);
        y += 8;
        Panel("p95 latency", $"histogram_quantile(0.95, sum by (le, service) (rate(http_request_duration_seconds_bucket{{{services}}}[5m])))", "s", 0);
        Panel("Replicas", $"kube_deployment_status_replicas_available{{namespace=\"{ns}\"}}", "short", 12);
        y += 8;
        Panel("CPU used / limit", $"sum by (pod) (rate(container_cpu_usage_seconds_total{{namespace=\"{ns}\",container!=\"\"}}[5m])) / sum by (pod) (kube_pod_container_resource_limits{{namespace=\"{ns}\",resource=\"cpu\"}})", "percentunit", 0);
        Panel("Memory used / limit", $"sum by (pod) (container_memory_working_set_bytes{{namespace=\"{ns}\",container!=\"\"}}) / sum by (pod) (kube_pod_container_resource_limits{{namespace=\"{ns}\",resource=\"memory\"}})", "percentunit", 12);

        var dashboard = new JsonObject
        {
            ["uid"] = "keelson-" + context.Tenant,
            ["title"] = $"{context.Plan.Spec.Metadata.DisplayName} ({context.Tenant})",
            ["tags"] = new JsonArray("keelson", context.Tenant),
            ["schemaVersion"] = 39,
            ["refresh"] = "30s",
            ["time"] = new JsonObject { ["from"] = "now-6h", ["to"] = "now" },
            ["templating"] = new JsonObject
            {
                ["list"] = new JsonArray(new JsonObject { ["name"] = "datasource", ["type"] = "datasource", ["query"] = "prometheus" }),
            },
            ["panels"] = panels,
        };
        return dashboard.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }
}
