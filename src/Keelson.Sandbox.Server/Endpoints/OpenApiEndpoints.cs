using System.Text.Json.Nodes;
using Keelson.Sandbox.Server.CustomResources;
using Keelson.Sandbox.Server.OpenApi;
using Keelson.Sandbox.Server.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keelson.Sandbox.Server.Endpoints;

/// <summary>
/// <c>/openapi/v3</c> (an index, then one OpenAPI 3.0 document per group version, for <c>kubectl explain</c> and
/// kubectl's patch computations) and <c>/openapi/v2</c> as Swagger 2.0 JSON. Each resource's PATCH operation takes
/// <c>fieldValidation</c>, so kubectl leaves strict validation to the server.
/// </summary>
internal static class OpenApiEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/openapi/v3", (ServedResources served) =>
        {
            var paths = new JsonObject();
            foreach (var (path, hash) in OpenApiDocuments.Index)
            {
                paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={hash}" };
            }

            foreach (var (path, _, hash) in CustomResourceOpenApi.Documents(served.Custom))
            {
                paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={hash}" };
            }

            return ApiJson.Result(new JsonObject { ["paths"] = paths });
        });
        app.MapGet("/openapi/v3/api/{version}", (string version, ServedResources served) => Document($"api/{version}", served));
        app.MapGet("/openapi/v3/apis/{group}/{version}", (string group, string version, ServedResources served) => Document($"apis/{group}/{version}", served));

        // The protobuf (gnostic) encoding is not served: a client asking only for it gets 406 and kubectl's v2
        // fallbacks; a client accepting JSON gets the document.
        app.MapGet("/openapi/v2", (HttpRequest request) =>
        {
            var accept = request.Headers.Accept.ToString();
            if (accept.Length > 0 && !accept.Contains("json", StringComparison.OrdinalIgnoreCase) && !accept.Contains("*/*", StringComparison.Ordinal))
            {
                throw new ApiException(406, "NotAcceptable", "only application/json is served for /openapi/v2");
            }

            return Results.Content(OpenApiDocuments.Swagger, "application/json");
        });
    }

    // The fixed group versions' documents are built once; a definition's are built from the store when asked for.
    private static IResult Document(string path, ServedResources served) =>
        (OpenApiDocuments.GroupVersion(path) ?? CustomResourceOpenApi.Documents(served.Custom).FirstOrDefault(d => d.Path == path).Json) is { } json
            ? Results.Content(json, "application/json")
            : throw ApiException.NoResource($"/openapi/v3/{path}");
}
