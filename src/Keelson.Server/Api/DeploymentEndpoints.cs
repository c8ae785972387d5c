using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Keelson.Operations;
using Keelson.Operations.Deployments;
using Keelson.Operations.Storage;
using Keelson.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Keelson.Server.Api;

/// <summary>Durable deployments: start one, read it, list a tenant's, roll back, and stream progress over a WebSocket.</summary>
public static class DeploymentEndpoints
{
    private static readonly TimeSpan StreamPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>Maps the REST routes on the <c>/api/v1</c> group.</summary>
    public static RouteGroupBuilder MapDeployments(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/tenants/{tenant_id}/deploy", Deploy).WithName("DeployTenant").WithTags("deployments")
            .WithSummary("Start a durable deployment of the tenant's current request to the sandbox (demo) or the production cluster; poll it or stream it.")
            .Produces<DeploymentResponse>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapGet("/tenants/{tenant_id}/deployments", List).WithName("ListDeployments").WithTags("deployments")
            .Produces<DeploymentList>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/deployments/{deployment_id}", Get).WithName("GetDeployment").WithTags("deployments")
            .Produces<DeploymentResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/deployments/{deployment_id}/diff", Diff).WithName("DiffDeployment").WithTags("deployments")
            .WithSummary("What this revision changed, object by object (unified diffs of the rendered YAML; Secret values by hash), against the tenant's previous revision or ?against=DEPLOYMENT_ID.")
            .Produces<DeploymentDiffResponse>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/deployments/{deployment_id}/rollback", Rollback).WithName("RollbackDeployment").WithTags("deployments")
            .WithSummary("Deploy again what the tenant's previous succeeded deployment delivered; this deployment becomes rolled_back when that succeeds.")
            .Produces<DeploymentResponse>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        return api;
    }

    /// <summary>Maps <c>GET /ws/deployments/{deployment_id}</c> on the <c>/ws</c> group.</summary>
    public static RouteGroupBuilder MapDeploymentStream(this RouteGroupBuilder ws)
    {
        ArgumentNullException.ThrowIfNull(ws);
        ws.MapGet("/deployments/{deployment_id}", StreamAsync).WithName("StreamDeployment").WithTags("deployments")
            .WithSummary("WebSocket: a deployment snapshot whenever a step changes, progress lines as they happen, closed when it ends.")
            .Produces(StatusCodes.Status101SwitchingProtocols).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return ws;
    }

    private static async Task<IResult> Deploy(
        HttpContext http, TenantDatabases databases, DeploymentClusters clusters, TenantDeployments runner, string tenant_id, CancellationToken cancellationToken)
    {
        var demo = DemoModeFilter.IsDemo(http);
        var stores = databases.For(demo);
        var (tenant, problem) = await DeployableAsync(stores, clusters, demo, tenant_id, cancellationToken).ConfigureAwait(false);
        if (tenant is null)
        {
            return problem!;
        }

        var spec = await AlertRulePins.SnapshotAsync(stores, tenant, cancellationToken).ConfigureAwait(false);
        var deployment = await stores.Deployments.CreateAsync(tenant_id, spec, null, cancellationToken).ConfigureAwait(false);
        return await AcceptedAsync(http, stores, runner, demo, deployment, "deployment.create", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The tenant, when it exists and its mode has a cluster to deliver to; otherwise the 404 or 409 problem.</summary>
    internal static async Task<(Operations.Tenants.TenantRecord? Tenant, IResult? Problem)> DeployableAsync(
        Operations.OperationsStores stores, DeploymentClusters clusters, bool demo, string tenantId, CancellationToken cancellationToken)
    {
        if (await stores.Tenants.GetAsync(tenantId, cancellationToken).ConfigureAwait(false) is not { } tenant)
        {
            return (null, Problems.NotFound(tenantId));
        }

        return !demo && !clusters.HasProduction
            ? (null, Problems.Conflict("No production cluster is configured",
                "Set Keelson:Clusters:Production:Kubeconfig (and :Context) or :InCluster, or use the sandbox with X-Demo-Mode: true."))
            : (tenant, null);
    }

    private static async Task<IResult> List(HttpContext http, TenantDatabases databases, string tenant_id, CancellationToken cancellationToken)
    {
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        if (await stores.Tenants.GetAsync(tenant_id, cancellationToken).ConfigureAwait(false) is null)
        {
            return Problems.NotFound(tenant_id);
        }

        var responses = new List<DeploymentResponse>();
        foreach (var deployment in await stores.Deployments.ListForTenantAsync(tenant_id, cancellationToken).ConfigureAwait(false))
        {
            responses.Add(await ResponseAsync(stores, deployment, cancellationToken).ConfigureAwait(false));
        }

        return TypedResults.Ok(new DeploymentList(tenant_id, responses));
    }

    private static async Task<IResult> Get(HttpContext http, TenantDatabases databases, string deployment_id, CancellationToken cancellationToken)
    {
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        var (deployment, problem) = await FindAsync(http, stores, deployment_id, cancellationToken).ConfigureAwait(false);
        return deployment is null ? problem! : TypedResults.Ok(await ResponseAsync(stores, deployment, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<IResult> Diff(HttpContext http, TenantDatabases databases, string deployment_id, string? against, CancellationToken cancellationToken)
    {
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        var (deployment, problem) = await FindAsync(http, stores, deployment_id, cancellationToken).ConfigureAwait(false);
        if (deployment is null)
        {
            return problem!;
        }

        DeploymentRecord? baseline;
        if (against is not null)
        {
            (baseline, problem) = await FindAsync(http, stores, against, cancellationToken).ConfigureAwait(false);
            if (baseline is null)
            {
                return problem!;
            }

            if (baseline.TenantId != deployment.TenantId)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Revisions of one tenant are compared",
                    detail: $"against: deployment {against} is of tenant '{baseline.TenantId}', not '{deployment.TenantId}'; name a deployment from GET /api/v1/tenants/{deployment.TenantId}/deployments.",
                    type: "https://keelson.dev/problems/422");
            }
        }
        else
        {
            baseline = (await stores.Deployments.ListForTenantAsync(deployment.TenantId, cancellationToken).ConfigureAwait(false))
                .Where(d => d.Revision < deployment.Revision).MaxBy(d => d.Revision);
        }

        var (after, afterError) = Delivered(deployment);
        var (before, beforeError) = baseline is null ? ([], null) : Delivered(baseline);
        if ((afterError ?? beforeError) is { } error)
        {
            return Problems.Conflict("A revision no longer renders", error);
        }

        var changes = Delivery.Diff.Differ.Between(before, after);
        return TypedResults.Ok(new DeploymentDiffResponse(
            deployment.Id, deployment.Revision, baseline is null ? null : new DeploymentRevision(baseline.Id, baseline.Revision, WireName.Of(baseline.Action)),
            new DeploymentDiffSummary(Count(Delivery.Diff.DiffAction.Create), Count(Delivery.Diff.DiffAction.Prune), Count(Delivery.Diff.DiffAction.Update), Count(Delivery.Diff.DiffAction.Unchanged)),
            [.. changes.Where(c => c.Action != Delivery.Diff.DiffAction.Unchanged).Select(c => new ObjectChangeResponse(
                c.Key.ApiVersion, c.Key.Kind, c.Key.Namespace, c.Key.Name, ChangeName(c.Action), c.Patch))]));

        int Count(Delivery.Diff.DiffAction action) => changes.Count(c => c.Action == action);
    }

    // What a deployment delivered: its stored request rendered again (rendering is deterministic) as its action applies it.
    private static (IReadOnlyList<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>> Objects, string? Error) Delivered(DeploymentRecord deployment)
    {
        var (manifest, error) = TenantManifests.Render(deployment.Spec, new Rendering.RenderOptions());
        return manifest is null
            ? ([], $"Revision {deployment.Revision} ({deployment.Id}): {error}")
            : (TenantDeployments.Lifecycle.Delivered(deployment, manifest), null);
    }

    private static string ChangeName(Delivery.Diff.DiffAction action) => action switch
    {
        Delivery.Diff.DiffAction.Create => "added",
        Delivery.Diff.DiffAction.Prune => "removed",
        _ => "changed",
    };

    private static async Task<IResult> Rollback(HttpContext http, TenantDatabases databases, TenantDeployments runner, string deployment_id, CancellationToken cancellationToken)
    {
        var demo = DemoModeFilter.IsDemo(http);
        var stores = databases.For(demo);
        var (deployment, problem) = await FindAsync(http, stores, deployment_id, cancellationToken).ConfigureAwait(false);
        if (deployment is null)
        {
            return problem!;
        }

        var history = await stores.Deployments.ListForTenantAsync(deployment.TenantId, cancellationToken).ConfigureAwait(false);
        if (history.FirstOrDefault(d => !d.Finished) is { } unfinished)
        {
            return Problems.Conflict("A deployment of this tenant is in progress",
                $"Deployment {unfinished.Id} (revision {unfinished.Revision}) is {WireName.Of(unfinished.State)}; roll back after it ends.");
        }

        if (deployment.State != DeploymentState.Succeeded)
        {
            return Problems.Conflict("Only a succeeded deployment can be rolled back",
                $"Deployment {deployment.Id} is {WireName.Of(deployment.State)}{(deployment.State == DeploymentState.Failed ? "; a failed deployment already restored the previous revision" : "")}.");
        }

        var current = history.First(d => d.State == DeploymentState.Succeeded);
        if (current.Id != deployment.Id)
        {
            return Problems.Conflict("A later deployment replaced this one",
                $"Deployment {current.Id} (revision {current.Revision}) is what runs now; roll that one back instead.");
        }

        if (history.FirstOrDefault(d => d.State == DeploymentState.Succeeded && d.Revision < deployment.Revision) is not { } previous)
        {
            return Problems.Conflict("Nothing to roll back to",
                $"Deployment {deployment.Id} is the tenant's first succeeded deployment; delete the tenant to remove it.");
        }

        var rollback = await stores.Deployments.CreateAsync(deployment.TenantId, previous.Spec, deployment.Id, previous.Action, cancellationToken).ConfigureAwait(false);
        return await AcceptedAsync(http, stores, runner, demo, rollback, "deployment.rollback", cancellationToken).ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext http, TenantDatabases databases, TenantDeployments runner, string deployment_id)
    {
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        var cancellationToken = http.RequestAborted;
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "A WebSocket upgrade is required",
                detail: $"Connect with a WebSocket client, or poll GET /api/v1/deployments/{deployment_id}.", type: "https://keelson.dev/problems/400").ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        var (found, problem) = await FindAsync(http, stores, deployment_id, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            await problem!.ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        var lines = Channel.CreateUnbounded<DeploymentEvent>();
        using var subscription = runner.Events.Subscribe(deployment_id, e => lines.Writer.TryWrite(e));
        using var socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receiving = ReceiveUntilClosedAsync(socket, closed);
        var json = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        string? last = null;
        try
        {
            while (!closed.IsCancellationRequested)
            {
                // The first message is always a snapshot; after it, progress lines come before the snapshot they led to.
                while (last is not null && lines.Reader.TryRead(out var line))
                {
                    await SendAsync(socket, new DeploymentEventMessage("event", line.At, WireName.Of(line.Step), line.Resource, line.Message), json, closed.Token).ConfigureAwait(false);
                }

                // The store is the truth across replicas: a snapshot goes out whenever it changed, whoever runs the deployment.
                var deployment = await stores.Deployments.GetAsync(deployment_id, closed.Token).ConfigureAwait(false);
                if (deployment is null)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "deployment deleted", closed.Token).ConfigureAwait(false);
                    return;
                }

                var snapshot = JsonSerializer.Serialize(new { type = "deployment", deployment = await ResponseAsync(stores, deployment, closed.Token).ConfigureAwait(false) }, json);
                if (snapshot != last)
                {
                    await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(snapshot), WebSocketMessageType.Text, true, closed.Token).ConfigureAwait(false);
                    last = snapshot;
                }

                if (deployment.Finished)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, WireName.Of(deployment.State), closed.Token).ConfigureAwait(false);
                    return;
                }

                using var tick = CancellationTokenSource.CreateLinkedTokenSource(closed.Token);
                tick.CancelAfter(StreamPoll);
                try
                {
                    await lines.Reader.WaitToReadAsync(tick.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!closed.IsCancellationRequested)
                {
                    // The poll interval passed without a progress line.
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The client went away.
        }
        finally
        {
            await closed.CancelAsync().ConfigureAwait(false);
            await receiving.ConfigureAwait(false);
        }
    }

    private static async Task ReceiveUntilClosedAsync(WebSocket socket, CancellationTokenSource closed)
    {
        var buffer = new byte[256];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var received = await socket.ReceiveAsync(buffer, closed.Token).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Closed either way.
        }

        await closed.CancelAsync().ConfigureAwait(false);
    }

    private static Task SendAsync<T>(WebSocket socket, T message, JsonSerializerOptions json, CancellationToken cancellationToken) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message, json), WebSocketMessageType.Text, true, cancellationToken);

    private static async Task<IResult> AcceptedAsync(
        HttpContext http, OperationsStores stores, TenantDeployments runner, bool demo, DeploymentRecord deployment, string action, CancellationToken cancellationToken)
    {
        await TenantEndpoints.Audit(stores.Audit, http, action, deployment.TenantId, new System.Text.Json.Nodes.JsonObject { ["deployment_id"] = deployment.Id }, cancellationToken).ConfigureAwait(false);
        runner.Wake(demo);
        return TypedResults.Accepted($"/api/v1/deployments/{deployment.Id}", await ResponseAsync(stores, deployment, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<(DeploymentRecord? Deployment, IResult? Problem)> FindAsync(HttpContext http, OperationsStores stores, string deploymentId, CancellationToken cancellationToken)
    {
        var deployment = await stores.Deployments.GetAsync(deploymentId, cancellationToken).ConfigureAwait(false);
        if (deployment is null)
        {
            return (null, Problems.DeploymentNotFound(deploymentId));
        }

        var caller = ApiKeyFilter.CallerOf(http);
        return caller.MayAccess(deployment.TenantId) ? (deployment, null) : (null, Problems.Forbidden(caller));
    }

    private static async Task<DeploymentResponse> ResponseAsync(OperationsStores stores, DeploymentRecord deployment, CancellationToken cancellationToken) =>
        DeploymentResponse.From(deployment, await stores.Deployments.ListStepsAsync(deployment.Id, cancellationToken).ConfigureAwait(false));
}
