using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Server.Resources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keelson.Sandbox.Server.Endpoints;

/// <summary>POST (create), PUT (replace) and DELETE.</summary>
internal static class WriteEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var template in ResourceRoutes.Collections)
        {
            app.MapPost(template, CreateAsync);
        }

        foreach (var template in ResourceRoutes.Items)
        {
            app.MapPut(template, ReplaceAsync);
            app.MapDelete(template, DeleteAsync);
        }
    }

    private static async Task<IResult> CreateAsync(HttpContext context, SandboxGate gate)
    {
        var target = ResourceTarget.From(context);
        var body = await ApiJson.ReadObjectAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var created = gate.Run(cluster => StoredObjects.Create(cluster, target, body));
        return ApiJson.Result(ApiJson.ToNode(created, target.Resource.ApiVersion, target.Resource.Kind), StatusCodes.Status201Created);
    }

    private static async Task<IResult> ReplaceAsync(HttpContext context, SandboxGate gate)
    {
        var target = ResourceTarget.From(context);
        var body = await ApiJson.ReadObjectAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var replaced = gate.Run(cluster => StoredObjects.Replace(cluster, target, body));
        return ApiJson.Result(ApiJson.ToNode(replaced, target.Resource.ApiVersion, target.Resource.Kind));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, SandboxGate gate)
    {
        var target = ResourceTarget.From(context);
        var grace = await GracePeriodAsync(context.Request).ConfigureAwait(false);
        return ApiJson.Result(gate.Run(cluster => StoredObjects.Delete(cluster, target, grace)));
    }

    // DeleteOptions come in the body (kubectl) or the query string (curl, client libraries).
    private static async Task<long?> GracePeriodAsync(HttpRequest request)
    {
        var query = request.Query["gracePeriodSeconds"].ToString();
        if (query.Length > 0)
        {
            return long.TryParse(query, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) ? seconds
                : throw ApiException.BadRequest($"gracePeriodSeconds must be an integer, got '{query}'");
        }

        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.ContainsKey("Transfer-Encoding")))
        {
            return null;
        }

        var options = await ApiJson.ReadObjectAsync(request, request.HttpContext.RequestAborted).ConfigureAwait(false);
        try
        {
            return options["gracePeriodSeconds"]?.GetValue<long>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException)
        {
            throw ApiException.BadRequest($"gracePeriodSeconds must be an integer: {e.Message}");
        }
    }
}
