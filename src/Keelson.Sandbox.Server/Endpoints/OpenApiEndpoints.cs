using System.Text.Json.Nodes;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Server.Resources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keelson.Sandbox.Server.Endpoints;

/// <summary>
/// A skeleton of <c>/openapi/v3</c>: for each resource, a PATCH operation tagged with its group, version and kind
/// that takes the <c>fieldValidation</c> parameter. That is what kubectl checks before <c>apply</c> or
/// <c>create</c>: with it, kubectl leaves validation to the server and does not need the schemas, which the
/// facade does not serve (without any OpenAPI, plain <c>kubectl apply</c> stops with "failed to download openapi").
/// </summary>
internal static class OpenApiEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/openapi/v3", () =>
        {
            var paths = new JsonObject();
            foreach (var groupVersion in ResourceCatalog.GroupVersions)
            {
                var path = Path(groupVersion.First());
                paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash=keelson" };
            }

            return ApiJson.Result(new JsonObject { ["paths"] = paths });
        });
        app.MapGet("/openapi/v3/api/{version}", (string version) => Document("", version));
        app.MapGet("/openapi/v3/apis/{group}/{version}", (string group, string version) => Document(group, version));
    }

    private static string Path(ApiResource resource) => resource.Group.Length == 0 ? $"api/{resource.Version}" : $"apis/{resource.Group}/{resource.Version}";

    private static IResult Document(string group, string version)
    {
        var served = ResourceCatalog.All.Where(r => r.Group == group && r.Version == version).ToList();
        if (served.Count == 0)
        {
            throw ApiException.NoResource($"/openapi/v3/{group}/{version}");
        }

        var paths = new JsonObject();
        foreach (var resource in served)
        {
            var scope = resource.Namespaced ? "namespaces/{namespace}/" : "";
            paths[$"/{Path(resource)}/{scope}{resource.Plural}/{{name}}"] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{resource.Kind}",
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = resource.Kind },
                    ["parameters"] = new JsonArray(
                        Parameter("fieldValidation"),
                        Parameter("fieldManager"),
                        Parameter("dryRun"),
                        Parameter("force")),
                    ["responses"] = new JsonObject(),
                },
            };
        }

        return ApiJson.Result(new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Keelson sandbox", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        });
    }

    private static JsonObject Parameter(string name) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["schema"] = new JsonObject { ["type"] = "string" },
    };
}
