using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Keelson.Sandbox.Server.Clock;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Server.Resources;
using Keelson.Sandbox.Server.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Keelson.Sandbox.Server.Endpoints;

/// <summary>
/// GET on collections (list, paged with <c>limit</c>/<c>continue</c>, or watch with <c>watch=true</c>) and on single
/// objects, as JSON or as a Table. Later pages show the objects as they are when asked for (the sandbox keeps no
/// snapshots), under the first page's resourceVersion; a token older than the kept history is 410 Expired.
/// </summary>
internal static class ReadEndpoints
{
    private const string ExpiredMessage = "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.";

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

    private static async Task<IResult> ListAsync(HttpContext context, SandboxGate gate, WatchHistory history, ServedClock served, IHostApplicationLifetime lifetime)
    {
        var target = ResourceTarget.From(context);
        var query = ListQuery.From(context.Request, target.Resource);
        if (query.Watch)
        {
            await WatchStream.RunAsync(context, gate, history, served, target, query, lifetime.ApplicationStopping).ConfigureAwait(false);
            return Results.Empty;
        }

        var resource = target.Resource;
        return ApiJson.Result(gate.Run(cluster =>
        {
            if (query.Continue is { } token && !history.Keeps(resource, token.ResourceVersion))
            {
                throw new ApiException(StatusCodes.Status410Gone, "Expired", ExpiredMessage);
            }

            var after = StoredObjects.List(cluster, resource, target.Namespace)
                .Where(o => query.Continue is null || string.CompareOrdinal(Key(o), query.Continue.After) > 0);

            // Without a selector everything matches: converting every remaining object to JSON only to test it made
            // each page of a paged list cost as much as the whole list.
            var matching = (query.Selective ? after.Where(o => query.Matches(o, ResourceViews.ToNode(o, resource))) : after).ToList();
            var version = query.Continue?.ResourceVersion ?? cluster.Engine.Store.ResourceVersion;
            var page = query.Limit is { } limit && matching.Count > limit ? matching.Take((int)limit).ToList() : matching;
            var metadata = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) };
            if (page.Count < matching.Count)
            {
                metadata["continue"] = new ContinueToken(version, Key(page[^1])).Encode();
                if (!query.Selective)
                {
                    metadata["remainingItemCount"] = matching.Count - page.Count;
                }
            }

            if (query.Table.Wanted)
            {
                var table = TableBuilder.Build(resource, page, TableClock.Of(served), query.Table.IncludeObject, version);
                table["metadata"] = metadata;
                return table;
            }

            return new JsonObject
            {
                ["apiVersion"] = resource.ApiVersion,
                ["kind"] = resource.Kind + "List",
                ["metadata"] = metadata,
                ["items"] = new JsonArray([.. page.Select(o => ResourceViews.ToNode(o, resource))]),
            };
        }));
    }

    // The store's order: namespace/name, or the name of a cluster-scoped object.
    private static string Key(IKubernetesObject<V1ObjectMeta> resource) =>
        resource.Metadata.NamespaceProperty is { Length: > 0 } ns ? $"{ns}/{resource.Metadata.Name}" : resource.Metadata.Name;

    /// <summary>GET of one object, as JSON or as a Table (also the <c>/status</c> subresource's GET).</summary>
    internal static IResult Get(HttpContext context, SandboxGate gate)
    {
        var served = context.RequestServices.GetRequiredService<ServedClock>();
        var target = ResourceTarget.From(context);
        var table = TableRequest.From(context.Request);
        return ApiJson.Result(gate.Run(cluster =>
        {
            var found = StoredObjects.Get(cluster, target);
            return table.Wanted
                ? TableBuilder.Build(target.Resource, [found], TableClock.Of(served), table.IncludeObject, StoredObjects.VersionOf(found))
                : (JsonNode)ResourceViews.ToNode(found, target.Resource);
        }));
    }
}
