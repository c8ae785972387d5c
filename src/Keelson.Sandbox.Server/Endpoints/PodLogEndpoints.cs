using System.Globalization;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Server.Resources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keelson.Sandbox.Server.Endpoints;

/// <summary><c>pods/{name}/log</c>: the sandbox runs no containers, so the log is one line saying so.</summary>
internal static class PodLogEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var template in ResourceRoutes.Subresource("log"))
        {
            app.MapGet(template, (HttpContext context, SandboxGate gate) =>
            {
                var target = ResourceTarget.From(context);
                if (target.Resource.Kind != "Pod")
                {
                    throw ApiException.NoResource(context.Request.Path);
                }

                var line = gate.Run(cluster =>
                {
                    var pod = StoredObjects.Get(cluster, target);
                    var now = cluster.Engine.Clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                    return $"{now} keelson sandbox: pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} runs no real containers; logs are simulated\n";
                });
                return Results.Text(line, "text/plain");
            });
        }
    }
}
