using System.Text;
using Keelson.Sandbox.Server.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keelson.Sandbox.Server.Endpoints;

/// <summary>
/// <c>/healthz</c>, <c>/livez</c> and <c>/readyz</c> as the API server answers them: <c>ok</c>, or with
/// <c>?verbose</c> one <c>[+]check ok</c> line per check and "<c>livez check passed</c>"; one check by path
/// (<c>/readyz/etcd</c>); an unknown check is 404.
/// </summary>
internal static class HealthEndpoints
{
    private static readonly string[] LiveChecks = ["ping", "log", "etcd", "poststarthook/start-apiextensions-controllers", "poststarthook/start-kube-apiserver-admission-initializer"];

    private static readonly string[] ReadyChecks = [.. LiveChecks, "informer-sync", "shutdown"];

    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var (endpoint, checks) in new[] { ("healthz", LiveChecks), ("livez", LiveChecks), ("readyz", ReadyChecks) })
        {
            app.MapGet($"/{endpoint}", (HttpContext context) => Report(endpoint, checks, context.Request.Query.ContainsKey("verbose")));
            app.MapGet($"/{endpoint}/{{**check}}", (string check) => checks.Contains(check, StringComparer.Ordinal)
                ? Results.Text("ok", "text/plain", Encoding.UTF8)
                : throw ApiException.NoResource($"/{endpoint}/{check}"));
        }
    }

    private static IResult Report(string endpoint, string[] checks, bool verbose)
    {
        if (!verbose)
        {
            return Results.Text("ok", "text/plain", Encoding.UTF8);
        }

        var text = new StringBuilder();
        foreach (var check in checks)
        {
            text.Append("[+]").Append(check).Append(" ok\n");
        }

        text.Append(endpoint).Append(" check passed\n");
        return Results.Text(text.ToString(), "text/plain", Encoding.UTF8);
    }
}
