using System.Text.Json.Nodes;
using k8s.Models;
using Keelson.Sandbox.Controllers;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Server.Resources;
using Keelson.Sandbox.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keelson.Sandbox.Server.Endpoints;

/// <summary>
/// <c>pods/{name}/eviction</c> (a <c>policy/v1 Eviction</c>), which <c>kubectl drain</c> posts for every pod: the pod
/// is deleted gracefully when its disruption budget allows it, and 429 TooManyRequests says which budget does not.
/// A pod that is not running (pending, finished or already terminating) is evicted without asking its budget, as
/// the API server does. <c>dryRun</c> (query or the Eviction's deleteOptions) checks and changes nothing.
/// </summary>
internal static class EvictionEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var template in ResourceRoutes.Subresource("eviction"))
        {
            app.MapPost(template, EvictAsync);
        }
    }

    private static async Task<IResult> EvictAsync(HttpContext context, SandboxGate gate)
    {
        var target = ResourceTarget.From(context);
        if (target.Resource is not { Group: "", Kind: "Pod" })
        {
            throw ApiException.NoResource(context.Request.Path);
        }

        var options = WriteOptions.From(context.Request, "CreateOptions");
        var eviction = await ApiJson.ReadObjectAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var named = eviction["metadata"]?["name"]?.GetValue<string>();
        if (named is not null && named != target.RequiredName)
        {
            throw ApiException.BadRequest("name in URL does not match name in Eviction object");
        }

        var dryRun = options.WithBody(eviction["deleteOptions"] as JsonObject).DryRun;
        return gate.Run(cluster =>
        {
            var pod = (V1Pod)StoredObjects.Get(cluster, target);
            if (Refusal(cluster.Engine.Context, pod) is { } refused)
            {
                return refused;
            }

            if (!dryRun)
            {
                DisruptionBudgetController.TryEvict(cluster.Engine.Context, pod);
                cluster.Engine.Settle();
            }

            return ApiJson.Result(ApiException.Status("Success", StatusCodes.Status201Created, null, null, null), StatusCodes.Status201Created);
        });
    }

    // The API server's checks, in its order: a pod that is not running needs no budget; more than one budget is an
    // error; a budget the disruption controller has not seen yet, or with no disruption left, is a 429.
    private static IResult? Refusal(SandboxContext context, V1Pod pod)
    {
        if (pod.Metadata.DeletionTimestamp is not null || pod.Status?.Phase is "Pending" or "Succeeded" or "Failed" || string.IsNullOrEmpty(pod.Spec.NodeName))
        {
            return null;
        }

        var budgets = context.Store.List<V1PodDisruptionBudget>(pod.Metadata.NamespaceProperty).Where(b => Selectors.Matches(b.Spec.Selector, pod.Metadata.Labels)).ToList();
        if (budgets.Count > 1)
        {
            throw new ApiException(StatusCodes.Status500InternalServerError, "InternalError", "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
        }

        if (budgets.Count == 0)
        {
            return null;
        }

        var budget = budgets[0];
        var status = budget.Status;
        if (status is null || (status.ObservedGeneration ?? 0) < (budget.Metadata.Generation ?? 0))
        {
            return TooManyRequests($"The disruption budget {budget.Metadata.Name} is still being processed by the server.");
        }

        // An unready pod may go while the budget is met (unhealthyPodEvictionPolicy IfHealthyBudget, the default).
        var allowed = status.DisruptionsAllowed > 0 || (!Pods.IsReady(pod) && status.CurrentHealthy >= status.DesiredHealthy);
        return allowed ? null : TooManyRequests($"The disruption budget {budget.Metadata.Name} needs {status.DesiredHealthy} healthy pods and has {status.CurrentHealthy} currently");
    }

    private static IResult TooManyRequests(string cause)
    {
        var status = ApiException.Status("Failure", StatusCodes.Status429TooManyRequests, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.",
            new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["reason"] = "DisruptionBudget", ["message"] = cause }) });
        return ApiJson.Result(status, StatusCodes.Status429TooManyRequests);
    }
}
