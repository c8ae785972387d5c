using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Server.Resources;
using Keelson.Sandbox.Server.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace Keelson.Sandbox.Server.Endpoints;

/// <summary>GET on collections (list, or watch with <c>watch=true</c>) and on single objects, as JSON or as a Table.</summary>
internal static class ReadEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var template in ResourceRoutes.Collections)
        {
            app.MapGet(template, ListAsync);
        }

        foreach (var template in ResourceRoutes.Items)
        {
            app.MapGet(template, Get);
        }
    }

    private static async Task<IResult> ListAsync(HttpContext context, SandboxGate gate, WatchHistory history, IHostApplicationLifetime lifetime)
    {
        var target = ResourceTarget.From(context);
        var query = ListQuery.From(context.Request);
        if (query.Watch)
        {
            await WatchStream.RunAsync(context, gate, history, target, query, lifetime.ApplicationStopping).ConfigureAwait(false);
            return Results.Empty;
        }

        var resource = target.Resource;
        return ApiJson.Result(gate.Run(cluster =>
        {
            var matching = StoredObjects.List(cluster, resource, target.Namespace)
                .Where(o => query.Matches(o, ApiJson.ToNode(o, resource.ApiVersion, resource.Kind))).ToList();
            var version = cluster.Engine.Store.ResourceVersion;
            if (query.Table.Wanted)
            {
                return TableBuilder.Build(resource, matching, cluster.Engine.Clock.UtcDateTime, query.Table.IncludeObject, version);
            }

            return new JsonObject
            {
                ["apiVersion"] = resource.ApiVersion,
                ["kind"] = resource.Kind + "List",
                ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) },
                ["items"] = new JsonArray([.. matching.Select(o => ApiJson.ToNode(o, resource.ApiVersion, resource.Kind))]),
            };
        }));
    }

    private static IResult Get(HttpContext context, SandboxGate gate)
    {
        var target = ResourceTarget.From(context);
        var table = TableRequest.From(context.Request);
        return ApiJson.Result(gate.Run(cluster =>
        {
            var found = StoredObjects.Get(cluster, target);
            return table.Wanted
                ? TableBuilder.Build(target.Resource, [found], cluster.Engine.Clock.UtcDateTime, table.IncludeObject, StoredObjects.VersionOf(found))
                : (JsonNode)ApiJson.ToNode(found, target.Resource.ApiVersion, target.Resource.Kind);
        }));
    }
}
