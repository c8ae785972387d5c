using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Keelson.Sandbox.Fields;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Server.Resources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keelson.Sandbox.Server.Endpoints;

/// <summary>
/// The <c>/status</c> subresource of the kinds that have one (<see cref="ApiResource.HasStatus"/>): GET answers the
/// whole object (or a Table), PUT and every PATCH type (server-side apply included) change only its status, recorded
/// in <c>managedFields</c> with <c>subresource: status</c>; <c>dryRun</c> and <c>fieldValidation</c> as on the main resource.
/// </summary>
internal static class StatusEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        // A namespace's status needs its own literal route: /api/v1/namespaces/{name}/status is otherwise taken for
        // the collection "status" in namespace {name}.
        foreach (var template in ResourceRoutes.Subresource("status").Concat(ResourceRoutes.ClusterSubresource("status")).Append("/api/{version}/namespaces/{name}/status"))
        {
            app.MapGet(template, Get);
            app.MapPut(template, ReplaceAsync);
            app.MapPatch(template, PatchAsync);
        }
    }

    private static IResult Get(HttpContext context, SandboxGate gate)
    {
        StatusTarget(context);
        return ReadEndpoints.Get(context, gate);
    }

    private static async Task<IResult> ReplaceAsync(HttpContext context, SandboxGate gate)
    {
        var target = StatusTarget(context);
        var options = WriteOptions.From(context.Request, "UpdateOptions");
        var (body, duplicates) = FieldValidation.Deduplicate(await ApiJson.ReadObjectAsync(context.Request, context.RequestAborted).ConfigureAwait(false));
        FieldValidation.Enforce(context, options.Validation, FieldValidation.Problems(body, duplicates, target.Resource), target.Resource);
        var written = gate.Run(cluster => StoredObjects.ReplaceStatus(cluster, target, body, options.DryRun, Ownership(options)));
        return ApiJson.Result(ResourceViews.ToNode(written, target.Resource));
    }

    private static async Task<IResult> PatchAsync(HttpContext context, SandboxGate gate)
    {
        var target = StatusTarget(context);
        var options = WriteOptions.From(context.Request, "PatchOptions");
        var type = PatchEndpoints.PatchType(context.Request, target.Resource);

        PatchEndpoints.RequireApplyOptions(options, type);
        var (patch, problems) = await PatchEndpoints.ReadPatchAsync(context.Request, type).ConfigureAwait(false);
        var written = gate.Run(cluster =>
        {
            var existing = StoredObjects.Get(cluster, target);
            var live = ResourceViews.ToNode(existing, target.Resource);
            if (type == PatchEndpoints.ApplyPatch)
            {
                return Apply(context, cluster, target, options, existing, live, patch.AsObject(), problems);
            }

            var patched = PatchEndpoints.Patch(type, live, patch);
            FieldValidation.EnforcePatch(context, options.Validation, FieldValidation.Problems(patched, problems, target.Resource), target, patch.ToJsonString());
            return StoredObjects.ReplaceStatus(cluster, target, patched, options.DryRun, Ownership(options));
        });
        return ApiJson.Result(ResourceViews.ToNode(written, target.Resource));
    }

    // Server-side apply of a status: the applied status merged into the live one under field ownership; an object
    // that does not exist is a 404 (a subresource cannot create it).
    private static IKubernetesObject<V1ObjectMeta> Apply(HttpContext context, SandboxCluster cluster, ResourceTarget target, WriteOptions options, IKubernetesObject<V1ObjectMeta> existing, JsonObject live, JsonObject applied, IReadOnlyList<string> problems)
    {
        if (applied["metadata"]?["managedFields"] is not null)
        {
            throw ApiException.BadRequest("metadata.managedFields must be nil");
        }

        (live["metadata"] as JsonObject)?.Remove("managedFields");
        var now = FieldOwnershipJson.Seconds(cluster.Engine.Clock.UtcDateTime);
        JsonObject merged;
        IReadOnlyList<ManagerEntry> entries;
        try
        {
            (merged, entries) = FieldManager.Apply(
                target.Resource.Kind, live, applied, FieldManager.Decode(existing.Metadata.ManagedFields), options.Manager, target.Resource.ApiVersion, options.Force, now, FieldManager.StatusSubresource);
        }
        catch (FieldConflictException e)
        {
            throw PatchEndpoints.ConflictOf(e);
        }

        FieldValidation.EnforcePatch(context, options.Validation, FieldValidation.Problems(merged, problems, target.Resource), target, applied.ToJsonString());
        return StoredObjects.ReplaceStatus(cluster, target, merged, options.DryRun, new FieldOwnership(options.Manager, FieldManager.StatusSubresource, entries));
    }

    private static FieldOwnership Ownership(WriteOptions options) => new(options.Manager, FieldManager.StatusSubresource);

    // The literal namespace route carries no resource; a kind without a status subresource is not found, as upstream.
    private static ResourceTarget StatusTarget(HttpContext context)
    {
        if (!context.Request.RouteValues.ContainsKey("resource"))
        {
            context.Request.RouteValues["resource"] = "namespaces";
        }

        var target = ResourceTarget.From(context);
        return target.Resource.HasStatus ? target : throw ApiException.NoResource(context.Request.Path);
    }
}
