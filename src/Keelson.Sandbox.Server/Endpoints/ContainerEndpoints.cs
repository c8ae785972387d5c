using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Server.Resources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keelson.Sandbox.Server.Endpoints;

/// <summary>
/// <c>exec</c>, <c>attach</c>, <c>portforward</c> and <c>ephemeralcontainers</c> of pods: the sandbox runs no
/// containers, so each is a 400 BadRequest Status naming the pod. The Status has details, as kubectl expects
/// (<c>kubectl debug</c> dereferences them), so kubectl prints the message and exits 1. A missing pod is a 404.
/// </summary>
internal static class ContainerEndpoints
{
    private static readonly string[] Streaming = ["exec", "attach", "portforward"];

    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var subresource in Streaming)
        {
            foreach (var template in ResourceRoutes.Subresource(subresource))
            {
                app.MapMethods(template, ["GET", "POST"], (HttpContext context, SandboxGate gate) => Refuse(context, gate, subresource));
            }
        }

        foreach (var template in ResourceRoutes.Subresource("ephemeralcontainers"))
        {
            app.MapMethods(template, ["PATCH", "PUT"], (HttpContext context, SandboxGate gate) => Refuse(context, gate, "ephemeralcontainers"));
        }
    }

    private static IResult Refuse(HttpContext context, SandboxGate gate, string subresource)
    {
        var target = ResourceTarget.From(context);
        if (target.Resource.Kind != "Pod")
        {
            throw ApiException.NoResource(context.Request.Path);
        }

        gate.Run(cluster => StoredObjects.Get(cluster, target));
        var what = subresource == "ephemeralcontainers" ? "ephemeral containers (kubectl debug)" : $"pods/{subresource}";
        throw new ApiException(
            StatusCodes.Status400BadRequest,
            "BadRequest",
            $"{what} is not available in the Keelson sandbox: it runs no containers (pod \"{target.RequiredName}\")",
            target.RequiredName,
            "pods");
    }
}
