using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Planning;
using Keelson.Spec.Model;
using Keelson.Spec.Parsing;
using Microsoft.Net.Http.Headers;

namespace Keelson.Server.Api;

/// <summary>
/// A tenant body read and planned. Two shapes are accepted: the seed's request (a JSON object with <c>tenant_id</c>,
/// <c>service_requirements</c>, ...), or a full Keelson stack document — YAML sent as <c>application/yaml</c>, or
/// JSON with <c>"kind": "Stack"</c> — for everything the seed's request cannot say (data platforms, node pools, costs).
/// </summary>
/// <param name="Stack">The stack either shape describes.</param>
/// <param name="Plan">Its plan.</param>
/// <param name="Request">The seed's request, when that was the shape.</param>
/// <param name="Spec">What is stored as the tenant's <c>spec</c>: the request as JSON, or the stack document as sent.</param>
public sealed record TenantInput(StackSpec Stack, Plan Plan, TenantRequest? Request, string Spec)
{
    private static readonly string[] YamlTypes = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"];

    /// <summary>Reads, parses and plans the body: the input, or the problem to answer (400 unreadable JSON, 422 invalid or unplannable).</summary>
    /// <remarks>A seed request without <c>tenant_id</c> takes <paramref name="pathTenantId"/> (a PUT names the tenant in its path).</remarks>
    public static async Task<(TenantInput? Input, IResult? Problem)> ReadAsync(HttpRequest request, string? pathTenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (read, unreadable) = await Http.JsonBody.ReadTextAsync(request, cancellationToken).ConfigureAwait(false);
        if (read is null)
        {
            return (null, unreadable);
        }

        var text = read;
        var yaml = MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && YamlTypes.Contains(type.MediaType.Value, StringComparer.OrdinalIgnoreCase);
        if (!yaml)
        {
            var (node, invalid) = Http.JsonBody.Parse(text, "Send the seed's tenant request as JSON, or a stack document as application/yaml.");
            if (invalid is not null)
            {
                return (null, invalid);
            }

            if (node is not JsonObject body)
            {
                return (null, Invalid("The body is not valid", new() { ["$"] = ["must be a JSON object: the seed's tenant request, or a stack document with \"kind\": \"Stack\""] }));
            }

            if (!body.ContainsKey("kind"))
            {
                return FromRequestBody(body, pathTenantId);
            }
        }

        var parsed = StackParser.Parse(text, "body");
        if (!parsed.Succeeded)
        {
            return (null, Invalid("The stack document is not valid", parsed.Diagnostics
                .GroupBy(d => d.Path.Length == 0 ? "$" : d.Path)
                .ToDictionary(g => g.Key, g => g.Select(d => string.Create(CultureInfo.InvariantCulture, $"line {d.Line}, column {d.Column}: {d.Message} ({d.Code})")).ToArray())));
        }

        return Planned(parsed.Value!, null, text);
    }

    /// <summary>A stored tenant spec as a stack: the seed's request (a JSON object without <c>kind</c>) or a stack document; or why it is neither.</summary>
    public static (StackSpec? Stack, string? Error) StackOf(string? spec)
    {
        // A deployment's snapshot of a stack document wraps it with its pinned alert rules.
        var text = AlertRulePins.Unwrap(spec)?.Document ?? spec ?? "{}";
        if (SeedRequest(text) is { } request)
        {
            TenantRequest stored;
            try
            {
                stored = request.Deserialize<TenantRequest>(TenantManifests.RequestJson) ?? new TenantRequest();
            }
            catch (JsonException e)
            {
                return (null, $"the stored request is not readable: {e.Message}");
            }

            var (stack, errors) = StackFromRequest.Build(stored);
            return stack is not null ? (stack, null) : (null, "the stored request is not valid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        }

        var parsed = StackParser.Parse(text, "spec");
        return parsed.Succeeded ? (parsed.Value, null) : (null, "the stored stack is not valid: " + string.Join("; ", parsed.Diagnostics.Select(d => d.ToString())));
    }

    /// <summary>
    /// A stored tenant spec as the seed's request (a JSON object without <c>kind</c>); null for a stack document (YAML,
    /// or JSON with <c>kind</c>, or a snapshot wrapping one), for anything that is not JSON, and for none.
    /// </summary>
    public static JsonObject? SeedRequest(string? spec)
    {
        if (spec is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(spec) is JsonObject request && !request.ContainsKey("kind") && !request.ContainsKey(AlertRulePins.StackMember) ? request : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The seed's <c>service_requirements</c> of this input: as sent, or the stack's AI services with their sessions.</summary>
    public JsonObject ServiceRequirements()
    {
        if (Request?.ServiceRequirements is { } sent)
        {
            return JsonSerializer.SerializeToNode(sent)!.AsObject();
        }

        var services = new JsonObject();
        foreach (var service in Stack.Components.OfType<AiServiceComponent>().Where(c => c.Sessions is not null))
        {
            services[service.Name] = service.Sessions;
        }

        return services;
    }

    /// <summary>The seed's <c>sla_target</c> of this input: as sent, or the stack's service level in the seed's words.</summary>
    public SlaTarget SlaTarget() => Request is not null
        ? Request.SlaTarget ?? new SlaTarget()
        : new SlaTarget
        {
            Availability = string.Create(CultureInfo.InvariantCulture, $"{Stack.Sla.AvailabilityPercent}%"),
            ResponseTime = string.Create(CultureInfo.InvariantCulture, $"{Stack.Sla.ResponseTime.TotalMilliseconds}ms"),
            ConcurrentUsers = Stack.Sla.ConcurrentUsers,
        };

    /// <summary>The seed's request as a JSON object, planned: the input, or the 422 problem.</summary>
    internal static (TenantInput? Input, IResult? Problem) FromRequestBody(JsonObject body, string? pathTenantId)
    {
        TenantRequest request;
        try
        {
            request = body.Deserialize<TenantRequest>(TenantManifests.RequestJson) ?? new TenantRequest();
        }
        catch (JsonException e)
        {
            return (null, Invalid("The tenant request is not valid", new() { [e.Path is { Length: > 1 } path ? path.TrimStart('$', '.') : "$"] = [e.Message] }));
        }

        if (request.TenantId is null && pathTenantId is not null)
        {
            request = request with { TenantId = pathTenantId };
        }

        var (stack, errors) = StackFromRequest.Build(request);
        return stack is null
            ? (null, Invalid("The tenant request is not valid", errors))
            : Planned(stack, request, JsonSerializer.Serialize(request, TenantManifests.RequestJson));
    }

    private static (TenantInput?, IResult?) Planned(StackSpec stack, TenantRequest? request, string spec)
    {
        var planned = Planner.Default.Plan(stack);
        return planned.Succeeded
            ? (new TenantInput(stack, planned.Plan!, request, spec), null)
            : (null, Invalid("The request cannot be planned on its cluster",
                planned.Problems.GroupBy(p => p.Path.Length == 0 ? "$" : p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray())));
    }

    private static IResult Invalid(string title, Dictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, title: title, statusCode: StatusCodes.Status422UnprocessableEntity);
}
