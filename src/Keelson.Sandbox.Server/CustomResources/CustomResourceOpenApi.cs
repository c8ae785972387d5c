using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using Keelson.Sandbox.Server.OpenApi;
using Keelson.Sandbox.Server.Resources;

namespace Keelson.Sandbox.Server.CustomResources;

/// <summary>
/// OpenAPI v3 documents of the group versions CustomResourceDefinitions serve, as the API extensions server
/// publishes them: each kind's schema is the definition's <c>openAPIV3Schema</c>, with <c>apiVersion</c>, <c>kind</c> and
/// <c>metadata</c> (ObjectMeta) added and the group, version and kind tagged, so <c>kubectl explain</c> reads it.
/// </summary>
internal static class CustomResourceOpenApi
{
    /// <summary>The path and JSON document of each custom group version not already in the fixed documents, with its hash.</summary>
    public static IEnumerable<(string Path, string Json, string Hash)> Documents(IEnumerable<ApiResource> custom) =>
        custom.GroupBy(r => r.ApiVersion)
            .Where(g => OpenApiDocuments.GroupVersion(OpenApiDocuments.PathOf(g.First())) is null)
            .Select(g =>
            {
                var schemas = ModelSchemas.V3();
                var document = new JsonObject
                {
                    ["openapi"] = "3.0.0",
                    ["info"] = new JsonObject { ["title"] = "Kubernetes CRD Swagger", ["version"] = "v0.1.0" },
                    ["paths"] = OpenApiDocuments.Paths([.. g], "#/components/schemas/", schemas),
                    ["components"] = new JsonObject { ["schemas"] = OpenApiDocuments.Sorted(schemas) },
                };
                var json = document.ToJsonString();
                return (OpenApiDocuments.PathOf(g.First()), json, Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(json)))[..32]);
            });

    /// <summary>Adds a custom resource's schema, named as the API server names it (<c>com.example.stable.v1.CronTab</c>).</summary>
    public static string AddSchema(ApiResource resource, ModelSchemas schemas)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(schemas);
        var name = $"{string.Join('.', resource.Group.Split('.').Reverse())}.{resource.Version}.{resource.Kind}";
        var schema = (JsonObject)resource.Custom!.Schema.DeepClone();
        var properties = schema["properties"] as JsonObject ?? [];
        schema["properties"] = properties;
        properties["apiVersion"] = new JsonObject
        {
            ["type"] = "string",
            ["description"] = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.",
        };
        properties["kind"] = new JsonObject
        {
            ["type"] = "string",
            ["description"] = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. In CamelCase.",
        };
        var metadata = schemas.ReferenceTo(typeof(V1ObjectMeta));
        metadata["description"] = "Standard object's metadata.";
        properties["metadata"] = metadata;
        schema["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = resource.Group, ["kind"] = resource.Kind, ["version"] = resource.Version });
        schemas.AddNamed(name, schema);
        return name;
    }
}
