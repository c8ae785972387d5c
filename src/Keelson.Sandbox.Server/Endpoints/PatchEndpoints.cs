using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Keelson.Rendering.Output;
using Keelson.Sandbox.Fields;
using Keelson.Sandbox.Server.Patching;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Server.Resources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keelson.Sandbox.Server.Endpoints;

/// <summary>
/// PATCH: JSON patch (<c>kubectl patch --type=json</c>, <c>rollout undo</c>), JSON merge patch, strategic merge
/// patch (what <c>kubectl apply</c>, <c>edit</c> and <c>set image</c> send) and server-side apply
/// (<c>kubectl apply --server-side</c>), each with <c>dryRun</c> and <c>fieldValidation</c>. Every patch is recorded in
/// <c>managedFields</c> as an update by its field manager; server-side apply follows field ownership
/// (<see cref="FieldManager"/>): conflicts, <c>force</c>, removal of fields a manager stopped applying.
/// </summary>
internal static class PatchEndpoints
{
    /// <summary>JSON patch (RFC 6902).</summary>
    public const string Json = "application/json-patch+json";

    /// <summary>JSON merge patch (RFC 7386).</summary>
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
        var options = WriteOptions.From(context.Request, "PatchOptions");
        var type = PatchType(context.Request, target.Resource);
        RequireApplyOptions(options, type);
        var (patch, problems) = await ReadPatchAsync(context.Request, type).ConfigureAwait(false);
        var (result, created) = gate.Run(cluster =>
        {
            if (type == ApplyPatch)
            {
                return ServerSideApply(context, cluster, target, options, patch.AsObject(), problems);
            }

            var live = ResourceViews.ToNode(StoredObjects.Get(cluster, target), target.Resource);
            var patched = Patch(type, live, patch);
            FieldValidation.EnforcePatch(context, options.Validation, FieldValidation.Problems(patched, problems, target.Resource), target, patch.ToJsonString());
            return (StoredObjects.Replace(cluster, target, patched, options.DryRun, new FieldOwnership(options.Manager)), false);
        });

        // The API server answers an apply that creates the object with 201 Created, as a POST would.
        return ApiJson.Result(ResourceViews.ToNode(result, target.Resource), created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    /// <summary>
    /// Server-side apply: the applied configuration merged into the live object under field ownership (a missing
    /// object is created), a 409 Conflict listing each field another manager owns with another value unless
    /// <c>force=true</c>. Returns the stored (or, dry run, would-be) object and whether it was created.
    /// </summary>
    private static (IKubernetesObject<V1ObjectMeta> Result, bool Created) ServerSideApply(HttpContext context, SandboxCluster cluster, ResourceTarget target, WriteOptions options, JsonObject applied, IReadOnlyList<string> problems)
    {
        if (applied["metadata"]?["managedFields"] is not null)
        {
            throw ApiException.BadRequest("metadata.managedFields must be nil");
        }

        var existing = cluster.Engine.Store.Get(StoredObjects.Key(target.Resource, target.Namespace, target.RequiredName));
        var live = existing is null ? null : ResourceViews.ToNode(existing, target.Resource);
        (live?["metadata"] as JsonObject)?.Remove("managedFields");
        var now = FieldOwnershipJson.Seconds(cluster.Engine.Clock.UtcDateTime);
        JsonObject merged;
        IReadOnlyList<ManagerEntry> entries;
        try
        {
            (merged, entries) = FieldManager.Apply(
                target.Resource.Kind, live, applied, FieldManager.Decode(existing?.Metadata.ManagedFields), options.Manager, target.Resource.ApiVersion, options.Force, now);
        }
        catch (FieldConflictException e)
        {
            throw ConflictOf(e);
        }

        var ownership = new FieldOwnership(options.Manager, Applied: entries);
        if (existing is null)
        {
            FieldValidation.Enforce(context, options.Validation, FieldValidation.Problems(applied, problems, target.Resource), target.Resource);
            return (StoredObjects.Create(cluster, target, merged, options.DryRun, ownership), true);
        }

        FieldValidation.EnforcePatch(context, options.Validation, FieldValidation.Problems(merged, problems, target.Resource), target, applied.ToJsonString());
        return (StoredObjects.Replace(cluster, target, merged, options.DryRun, ownership), false);
    }

    /// <summary>The API server's apply conflict: 409 Conflict, one FieldManagerConflict cause per field (kubectl prints the message).</summary>
    internal static ApiException ConflictOf(FieldConflictException conflict) =>
        new(StatusCodes.Status409Conflict, "Conflict", conflict.Message)
        {
            Causes = [.. conflict.Conflicts.Select(c => (JsonNode)new JsonObject
            {
                ["reason"] = "FieldManagerConflict",
                ["message"] = $"conflict with {c.Owner.Describe()}",
                ["field"] = c.Path.ToString(),
            })],
        };

    /// <summary>An apply needs a field manager; <c>force</c> is for applies only (422 otherwise, as upstream).</summary>
    public static void RequireApplyOptions(WriteOptions options, string type)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (type == ApplyPatch && options.FieldManager is null)
        {
            throw WriteOptions.Invalid("PatchOptions", "fieldManager: Required value: is required for apply patch");
        }

        if (type != ApplyPatch && options.Force)
        {
            throw WriteOptions.Invalid("PatchOptions", "force: Forbidden: may not be specified for non-apply patch");
        }
    }

    /// <summary>The patched object; a resourceVersion in the patch is kept, so a stale one is a conflict.</summary>
    public static JsonObject Patch(string type, JsonObject live, JsonNode patch) =>
        type switch
        {
            Json => JsonPatch.Apply(live, patch),
            Merge => MergePatch.Apply(live, patch),
            _ => StrategicMergePatch.Apply(live, patch.AsObject()),
        } as JsonObject ?? throw ApiException.BadRequest("the patch removes the whole object");

    /// <summary>The patch type from Content-Type; anything else is a 415.</summary>
    public static string PatchType(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var contentType = (request.ContentType ?? "").Split(';')[0].Trim();
        return contentType is Json or Merge or Strategic or ApplyPatch ? contentType : throw ApiException.UnsupportedMediaType(contentType);
    }

    /// <summary>The patch type from Content-Type for a patch of <paramref name="resource"/>: a custom kind also refuses strategic merge (415).</summary>
    public static string PatchType(HttpRequest request, ApiResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var type = PatchType(request);
        if (type == Strategic && resource.Custom is not null)
        {
            // Custom resources have no patch strategies: the API server does not take strategic merge patches for them.
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {Json}, {Merge}, {ApplyPatch}");
        }

        return type;
    }

    /// <summary>
    /// The patch body of a type: a list of operations for JSON patch, an object otherwise; with the problems
    /// field validation must also report: keys an object patch gives twice (the last one is kept), and the unknown
    /// fields of a YAML apply, which reading it through the models has dropped.
    /// </summary>
    public static async Task<(JsonNode Patch, IReadOnlyList<string> Problems)> ReadPatchAsync(HttpRequest request, string type)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (type == Json)
        {
            return (await ReadOperationsAsync(request).ConfigureAwait(false), []);
        }

        if (type != ApplyPatch)
        {
            var body = await ApiJson.ReadObjectAsync(request, request.HttpContext.RequestAborted).ConfigureAwait(false);
            var (clean, duplicates) = FieldValidation.Deduplicate(body);
            return (clean, duplicates);
        }

        var (applied, unread) = await ReadApplyAsync(request).ConfigureAwait(false);
        var (cleanApplied, repeated) = FieldValidation.Deduplicate(ApiJson.FromWall(request, applied));
        return (cleanApplied, [.. repeated, .. unread]);
    }

    private static async Task<JsonNode> ReadOperationsAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false) as JsonArray
                ?? throw ApiException.BadRequest("json: cannot unmarshal the patch into a list of operations: a JSON patch is a list of {\"op\", \"path\", ...} objects");
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"the JSON patch is not JSON: {e.Message}");
        }
    }

    // kubectl sends the applied configuration as JSON; YAML (which other clients send) is read through the models,
    // which drop unknown fields, so those are found in the YAML text first.
    private static async Task<(JsonObject Applied, IReadOnlyList<string> Unread)> ReadApplyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        try
        {
            if (text.TrimStart().StartsWith('{'))
            {
                return (JsonNode.Parse(text) as JsonObject ?? throw ApiException.BadRequest("the applied configuration must be an object"), []);
            }

            var objects = ManifestYaml.Read(text);
            return objects.Count == 1
                ? (ApiJson.ToNode(objects[0]).AsObject(), FieldValidation.UnknownIn(text))
                : throw ApiException.BadRequest("the applied configuration must be one object");
        }
        catch (Exception e) when (e is not ApiException)
        {
            throw ApiException.BadRequest($"the applied configuration is not a Kubernetes object in JSON or YAML: {e.Message}");
        }
    }
}
