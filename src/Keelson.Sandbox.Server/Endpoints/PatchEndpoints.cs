using System.Text;
using System.Text.Json.Nodes;
using Keelson.Rendering.Output;
using Keelson.Sandbox.Server.Patching;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Server.Resources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keelson.Sandbox.Server.Endpoints;

/// <summary>
/// PATCH: JSON merge patch, strategic merge patch (what <c>kubectl apply</c>, <c>edit</c> and <c>set image</c>
/// send) and server-side apply (<c>kubectl apply --server-side</c>). Server-side apply creates a missing object
/// and otherwise merges the applied configuration into the live one; field ownership is not tracked, so a field
/// dropped from a later apply stays, and there are no conflicts.
/// </summary>
internal static class PatchEndpoints
{
    /// <summary>The patch content types served.</summary>
    public const string Merge = "application/merge-patch+json";

    /// <summary>Strategic merge patch.</summary>
    public const string Strategic = "application/strategic-merge-patch+json";

    /// <summary>Server-side apply.</summary>
    public const string ApplyPatch = "application/apply-patch+yaml";

    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var template in ResourceRoutes.Items)
        {
            app.MapPatch(template, PatchAsync);
        }
    }

    private static async Task<IResult> PatchAsync(HttpContext context, SandboxGate gate)
    {
        var target = ResourceTarget.From(context);
        var type = PatchType(context.Request);
        var patch = type == ApplyPatch ? await ReadApplyAsync(context.Request).ConfigureAwait(false) : await ApiJson.ReadObjectAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var result = gate.Run(cluster =>
        {
            if (type == ApplyPatch && cluster.Engine.Store.Get(StoredObjects.Key(target.Resource, target.Namespace, target.RequiredName)) is null)
            {
                return StoredObjects.Create(cluster, target, patch);
            }

            var live = ApiJson.ToNode(StoredObjects.Get(cluster, target), target.Resource.ApiVersion, target.Resource.Kind);
            return StoredObjects.Replace(cluster, target, Patch(type, live, patch));
        });
        return ApiJson.Result(ApiJson.ToNode(result, target.Resource.ApiVersion, target.Resource.Kind));
    }

    /// <summary>The patched object; a resourceVersion in the patch is kept, so a stale one is a conflict.</summary>
    public static JsonObject Patch(string type, JsonObject live, JsonObject patch) =>
        (type == Merge ? MergePatch.Apply(live, patch) : StrategicMergePatch.Apply(live, patch)) as JsonObject
            ?? throw ApiException.BadRequest("the patch removes the whole object");

    /// <summary>The patch type from Content-Type; anything else is a 415.</summary>
    public static string PatchType(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var contentType = (request.ContentType ?? "").Split(';')[0].Trim();
        return contentType is Merge or Strategic or ApplyPatch ? contentType : throw ApiException.UnsupportedMediaType(contentType);
    }

    // kubectl sends the applied configuration as JSON; YAML (which other clients send) is read through the models.
    private static async Task<JsonObject> ReadApplyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        try
        {
            if (text.TrimStart().StartsWith('{'))
            {
                return JsonNode.Parse(text) as JsonObject ?? throw ApiException.BadRequest("the applied configuration must be an object");
            }

            var objects = ManifestYaml.Read(text);
            return objects.Count == 1 ? ApiJson.ToNode(objects[0]).AsObject() : throw ApiException.BadRequest("the applied configuration must be one object");
        }
        catch (Exception e) when (e is not ApiException)
        {
            throw ApiException.BadRequest($"the applied configuration is not a Kubernetes object in JSON or YAML: {e.Message}");
        }
    }
}
