using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Server.Resources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keelson.Sandbox.Server.Endpoints;

/// <summary>POST (create), PUT (replace) and DELETE, each with <c>dryRun</c>; create and replace with <c>fieldValidation</c>.</summary>
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
        var options = WriteOptions.From(context.Request, "CreateOptions");
        var body = await ValidatedBodyAsync(context, target, options).ConfigureAwait(false);
        var created = gate.Run(cluster => StoredObjects.Create(cluster, target, body, options.DryRun, new FieldOwnership(options.Manager)));
        return ApiJson.Result(ResourceViews.ToNode(created, target.Resource), StatusCodes.Status201Created);
    }

    private static async Task<IResult> ReplaceAsync(HttpContext context, SandboxGate gate)
    {
        var target = ResourceTarget.From(context);
        var options = WriteOptions.From(context.Request, "UpdateOptions");
        var body = await ValidatedBodyAsync(context, target, options).ConfigureAwait(false);
        var replaced = gate.Run(cluster => StoredObjects.Replace(cluster, target, body, options.DryRun, new FieldOwnership(options.Manager)));
        return ApiJson.Result(ResourceViews.ToNode(replaced, target.Resource));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, SandboxGate gate)
    {
        var target = ResourceTarget.From(context);
        var options = WriteOptions.From(context.Request, "DeleteOptions");
        var (grace, dryRun) = await DeleteOptionsAsync(context.Request, options).ConfigureAwait(false);
        return ApiJson.Result(gate.Run(cluster => StoredObjects.Delete(cluster, target, grace, dryRun)));
    }

    // The body without repeated keys, after fieldValidation has refused, reported or ignored its problems.
    private static async Task<JsonObject> ValidatedBodyAsync(HttpContext context, ResourceTarget target, WriteOptions options)
    {
        var read = await ApiJson.ReadObjectAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var (body, duplicates) = FieldValidation.Deduplicate(read);
        FieldValidation.Enforce(context, options.Validation, FieldValidation.Problems(body, duplicates), target.Resource);
        return body;
    }

    // DeleteOptions come in the body (kubectl) or the query string (curl, client libraries).
    private static async Task<(long? Grace, bool DryRun)> DeleteOptionsAsync(HttpRequest request, WriteOptions options)
    {
        var query = request.Query["gracePeriodSeconds"].ToString();
        long? grace = null;
        if (query.Length > 0)
        {
            grace = long.TryParse(query, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) ? seconds
                : throw ApiException.BadRequest($"gracePeriodSeconds must be an integer, got '{query}'");
        }

        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.ContainsKey("Transfer-Encoding")))
        {
            return (grace, options.DryRun);
        }

        var body = await ApiJson.ReadObjectAsync(request, request.HttpContext.RequestAborted).ConfigureAwait(false);
        try
        {
            return (grace ?? body["gracePeriodSeconds"]?.GetValue<long>(), options.WithBody(body).DryRun);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException)
        {
            throw ApiException.BadRequest($"gracePeriodSeconds must be an integer: {e.Message}");
        }
    }
}
