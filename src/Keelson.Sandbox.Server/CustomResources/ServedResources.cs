using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using Keelson.Sandbox.Controllers;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Server.Resources;

namespace Keelson.Sandbox.Server.CustomResources;

/// <summary>
/// The resources the facade serves right now: the fixed <see cref="ResourceCatalog"/> and, after them, every served
/// version of every established CustomResourceDefinition in the store. Rebuilt when a definition changes; a new
/// resource's changes are recorded in the <see cref="WatchHistory"/> from then on.
/// </summary>
internal sealed class ServedResources(SandboxGate gate, WatchHistory history)
{
    private long seen = -1;
    private IReadOnlyList<ApiResource> current = ResourceCatalog.All;

    /// <summary>Every served resource, in discovery order.</summary>
    public IReadOnlyList<ApiResource> All => gate.Run(Refresh);

    /// <summary>The resource served at <c>group/version/plural</c>, or null.</summary>
    public ApiResource? Find(string group, string version, string plural) =>
        All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);

    /// <summary>The served custom resources only.</summary>
    public IEnumerable<ApiResource> Custom => All.Where(r => r.Custom is not null);

    /// <summary>The resources as they are now; call inside the gate.</summary>
    public IReadOnlyList<ApiResource> Refresh(SandboxCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var store = cluster.Engine.Store;
        var changed = store.LastChange<V1CustomResourceDefinition>();
        if (changed == seen)
        {
            return current;
        }

        seen = changed;
        var custom = store.List<V1CustomResourceDefinition>()
            .Where(CustomResourceDefinitionController.IsEstablished)
            .SelectMany(Of)
            .Where(r => ResourceCatalog.Find(r.Group, r.Version, r.Plural) is null)
            .ToList();
        foreach (var resource in custom)
        {
            history.Track(resource);
        }

        current = [.. ResourceCatalog.All, .. custom];
        return current;
    }

    // One resource per served version; the schema and columns read from the definition's JSON, as stored.
    private static IEnumerable<ApiResource> Of(V1CustomResourceDefinition crd)
    {
        var json = ApiJson.ToNode(crd).AsObject();
        var spec = json["spec"] as JsonObject ?? [];
        var names = spec["names"] as JsonObject ?? [];
        var kind = (string?)names["kind"] ?? "";
        var shortNames = Strings(names["shortNames"]);
        foreach (var version in (spec["versions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (version["served"]?.GetValueKind() != JsonValueKind.True)
            {
                continue;
            }

            var schema = version["schema"]?["openAPIV3Schema"] as JsonObject ?? new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
            var columns = (version["additionalPrinterColumns"] as JsonArray ?? []).OfType<JsonObject>().Select(c => new PrinterColumn(
                (string?)c["name"] ?? "",
                (string?)c["type"] ?? "string",
                (string?)c["format"] ?? "",
                (string?)c["description"] ?? "",
                (int?)c["priority"] ?? 0,
                (string?)c["jsonPath"] ?? "")).ToList();
            var custom = new CustomResource(
                crd.Metadata.Name,
                schema,
                columns,
                Strings(names["categories"]),
                (string?)names["singular"] is { Length: > 0 } singular ? singular : kind.ToLowerInvariant(),
                (string?)names["listKind"] is { Length: > 0 } listKind ? listKind : kind + "List",
                version["subresources"]?["status"] is JsonObject);
            yield return new ApiResource(
                (string?)spec["group"] ?? "", (string?)version["name"] ?? "", kind, (string?)names["plural"] ?? "", (string?)spec["scope"] != "Cluster", shortNames, Custom: custom);
        }
    }

    private static List<string> Strings(JsonNode? node) => [.. (node as JsonArray ?? []).Select(n => (string?)n).OfType<string>()];
}
