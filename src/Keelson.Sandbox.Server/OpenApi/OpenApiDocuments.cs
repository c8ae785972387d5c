using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Keelson.Sandbox.Server.CustomResources;
using Keelson.Sandbox.Server.Resources;
using Keelson.Validation.Schema;
using Keelson.Validation.Schema.Crds;

namespace Keelson.Sandbox.Server.OpenApi;

/// <summary>
/// The OpenAPI documents of the served resources, built once: one OpenAPI 3.0 document per group version (what
/// <c>kubectl explain</c> reads) and one Swagger 2.0 document for all of them. Built-in kinds come from their
/// KubernetesClient models, custom resources from the schemas Keelson validates them with.
/// </summary>
internal static class OpenApiDocuments
{
    private static readonly Lazy<FrozenDictionary<string, (string Json, string Hash)>> V3 = new(BuildV3);
    private static readonly Lazy<string> V2 = new(BuildV2);

    /// <summary>The path of a resource's group version under <c>/openapi/v3/</c>: <c>api/v1</c> or <c>apis/apps/v1</c>.</summary>
    public static string PathOf(ApiResource resource) => resource.Group.Length == 0 ? $"api/{resource.Version}" : $"apis/{resource.Group}/{resource.Version}";

    /// <summary>Each group version's path and its document's hash, for the <c>/openapi/v3</c> index.</summary>
    public static IEnumerable<(string Path, string Hash)> Index => V3.Value.Select(d => (d.Key, d.Value.Hash));

    /// <summary>The OpenAPI 3.0 document of a group version path, or null when none is served.</summary>
    public static string? GroupVersion(string path) => V3.Value.TryGetValue(path, out var document) ? document.Json : null;

    /// <summary>The Swagger 2.0 document of every served resource.</summary>
    public static string Swagger => V2.Value;

    private static FrozenDictionary<string, (string Json, string Hash)> BuildV3() => ResourceCatalog.GroupVersions.ToFrozenDictionary(
        g => PathOf(g.First()),
        g =>
        {
            var schemas = ModelSchemas.V3();
            var document = new JsonObject
            {
                ["openapi"] = "3.0.0",
                ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
                ["paths"] = Paths([.. g], "#/components/schemas/", schemas),
                ["components"] = new JsonObject { ["schemas"] = Sorted(schemas) },
            };
            var json = document.ToJsonString();
            return (json, Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(json)))[..32]);
        },
        StringComparer.Ordinal);

    private static string BuildV2()
    {
        var schemas = ModelSchemas.V2();
        var paths = new JsonObject();
        foreach (var group in ResourceCatalog.GroupVersions)
        {
            foreach (var (path, item) in Paths([.. group], "#/definitions/", schemas))
            {
                paths[path] = item!.DeepClone();
            }
        }

        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["definitions"] = Sorted(schemas),
        }.ToJsonString();
    }

    // One PATCH operation per resource, tagged with its kind and taking fieldValidation: kubectl reads that to
    // decide the server validates fields, and leaves strict validation to it.
    internal static JsonObject Paths(IReadOnlyList<ApiResource> resources, string refPrefix, ModelSchemas schemas)
    {
        var paths = new JsonObject();
        foreach (var resource in resources)
        {
            var schema = Schema(resource, schemas);
            var scope = resource.Namespaced ? "namespaces/{namespace}/" : "";
            var body = new JsonObject { ["$ref"] = refPrefix + schema };
            paths[$"/{PathOf(resource)}/{scope}{resource.Plural}/{{name}}"] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{resource.Kind}",
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = resource.Group, ["version"] = resource.Version, ["kind"] = resource.Kind },
                    ["parameters"] = new JsonArray(Parameter("fieldValidation", refPrefix), Parameter("fieldManager", refPrefix), Parameter("dryRun", refPrefix), Parameter("force", refPrefix)),
                    ["responses"] = new JsonObject
                    {
                        ["200"] = refPrefix.StartsWith("#/components", StringComparison.Ordinal)
                            ? new JsonObject { ["description"] = "OK", ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = body } } }
                            : new JsonObject { ["description"] = "OK", ["schema"] = body },
                    },
                },
            };
        }

        return paths;
    }

    private static string Schema(ApiResource resource, ModelSchemas schemas)
    {
        if (resource.Custom is not null)
        {
            return CustomResourceOpenApi.AddSchema(resource, schemas);
        }

        if (KindRegistry.Find(resource.ApiVersion, resource.Kind) is { } model)
        {
            return schemas.AddKind(model, resource.Group, resource.Version, resource.Kind);
        }

        // A custom resource: named as the API server names CRD schemas, reversed group first.
        var name = $"{string.Join('.', resource.Group.Split('.').Reverse())}.{resource.Version}.{resource.Kind}";
        var schema = CrdOpenApi.Schema(resource.ApiVersion, resource.Kind)
            ?? new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
        schema["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = resource.Group, ["kind"] = resource.Kind, ["version"] = resource.Version });
        schemas.AddNamed(name, schema);
        return name;
    }

    private static JsonObject Parameter(string name, string refPrefix) => refPrefix.StartsWith("#/components", StringComparison.Ordinal)
        ? new JsonObject { ["name"] = name, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } }
        : new JsonObject { ["name"] = name, ["in"] = "query", ["type"] = "string" };

    internal static JsonObject Sorted(ModelSchemas schemas)
    {
        var result = new JsonObject();
        foreach (var (name, schema) in schemas.Schemas.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            result[name] = schema;
        }

        return result;
    }
}
