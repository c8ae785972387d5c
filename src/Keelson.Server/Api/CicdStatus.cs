using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Operations.Cicd;

namespace Keelson.Server.Api;

/// <summary>
/// The CI/CD status card (<c>GET /cicd/system-status</c>) in the original's shape, from what is actually known: stored
/// settings and the alert engine. Registries are not probed, so each says <c>unknown</c> with <c>checked: false</c>.
/// </summary>
public static class CicdStatus
{
    /// <summary>The card for the active <paramref name="settings"/> with <paramref name="firingAlerts"/> alerts firing.</summary>
    public static JsonObject Of(IReadOnlyList<CicdSetting> settings, int firingAlerts)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var values = settings.ToDictionary(s => s.Key, s => JsonNode.Parse(s.ValueJson)!.AsObject(), StringComparer.Ordinal);
        var registries = new JsonArray();
        foreach (var registry in settings.Where(s => s.Category == "registry"))
        {
            registries.Add(new JsonObject
            {
                ["name"] = registry.Key, ["url"] = values[registry.Key]["url"]?.DeepClone(), ["status"] = "unknown", ["checked"] = false, ["last_check"] = null,
                ["reason"] = "Keelson does not contact registries; see POST /api/v1/cicd/test-registry-connection.",
            });
        }

        var security = settings.Where(s => s.Category == "security").Any(s => IsTrue(values[s.Key]["enabled"]));
        var logs = settings.Where(s => s.Category == "monitoring").Any(s => IsTrue(values[s.Key]["log_collection_enabled"]));
        var sonarqube = settings.Where(s => s.Category == "devtools").Any(s => IsTrue(values[s.Key]["sonarqube"]?["enabled"]));
        return new JsonObject
        {
            ["registries"] = registries,
            ["security_scan"] = new JsonObject { ["enabled"] = security, ["last_scan"] = null, ["scan_queue_size"] = 0, ["scanner"] = null },
            ["monitoring"] = new JsonObject
            {
                ["log_collection"] = logs,
                // Pushed and sandbox metrics are always stored by Keelson itself.
                ["metrics_collection"] = true,
                ["alert_status"] = firingAlerts > 0 ? "warning" : "healthy",
                ["firing_alerts"] = firingAlerts,
            },
            ["devtools"] = new JsonObject { ["sonarqube_status"] = sonarqube ? "unknown" : "disconnected", ["test_runner_status"] = "not_configured" },
        };
    }

    private static bool IsTrue(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.True;
}
