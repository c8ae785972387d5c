using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Server.Resources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keelson.Sandbox.Server.Endpoints;

/// <summary>
/// POST (create), PUT (replace), DELETE and DELETE on a collection (<c>deletecollection</c>, with label and field
/// selectors), each with <c>dryRun</c>; create and replace with <c>fieldValidation</c>.
/// </summary>
internal static class WriteEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var template in ResourceRoutes.Collections)
        {
            app.MapPost(template, CreateAsync);
            app.MapDelete(template, DeleteCollectionAsync);
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

    // Every object of the collection the selectors match, deleted as one DELETE each would (scheduled pods
    // terminate gracefully); the answer is the list of what was deleted, as the API server's. Namespaces have no
    // deletecollection upstream, and a namespaced resource's is per namespace.
    private static async Task<IResult> DeleteCollectionAsync(HttpContext context, SandboxGate gate)
    {
        var target = ResourceTarget.From(context);
        var resource = target.Resource;
        if (resource.Kind == "Namespace" || (resource.Namespaced && target.Namespace is null))
        {
            throw ApiException.MethodNotAllowed(context.Request.Method, context.Request.Path);
        }

        var query = ListQuery.From(context.Request, resource);
        var options = WriteOptions.From(context.Request, "DeleteOptions");
        var (grace, dryRun) = await DeleteOptionsAsync(context.Request, options).ConfigureAwait(false);
        return ApiJson.Result(gate.Run(cluster =>
        {
            var matching = StoredObjects.List(cluster, resource, target.Namespace)
                .Where(o => query.Matches(o, ResourceViews.ToNode(o, resource))).ToList();
            var deleted = new JsonArray();
            foreach (var item in matching)
            {
                var before = ResourceViews.ToNode(item, resource);
                var result = StoredObjects.Delete(cluster, target with { Name = item.Metadata.Name }, grace, dryRun);
                deleted.Add(result is JsonObject { } answer && (string?)answer["kind"] != "Status" ? answer : before);
            }

            return new JsonObject
            {
                ["apiVersion"] = resource.ApiVersion,
                ["kind"] = resource.Kind + "List",
                ["metadata"] = new JsonObject { ["resourceVersion"] = cluster.Engine.Store.ResourceVersion.ToString(CultureInfo.InvariantCulture) },
                ["items"] = deleted,
            };
        }));
    }

    // The body without repeated keys, after fieldValidation has refused, reported or ignored its problems.
    private static async Task<JsonObject> ValidatedBodyAsync(HttpContext context, ResourceTarget target, WriteOptions options)
    {
        var read = await ApiJson.ReadObjectAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var (body, duplicates) = FieldValidation.Deduplicate(read);
        FieldValidation.Enforce(context, options.Validation, FieldValidation.Problems(body, duplicates, target.Resource), target.Resource);
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
