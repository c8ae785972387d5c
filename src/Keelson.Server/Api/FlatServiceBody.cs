using System.Text.Json.Nodes;
using Keelson.Planning;
using Keelson.Spec.Model;

namespace Keelson.Server.Api;

/// <summary>
/// The ECP-AI routes whose body is the flat service object (<c>{"callbot": 10, "chatbot": 0, ..., "gpu_type": "t4"}</c>):
/// the service counts and the few options beside them, each option read from the body first and the query string
/// second, as the original reads them from the query and its web UI sends them in the body.
/// </summary>
public static class FlatServiceBody
{
    /// <summary>The options a flat body may carry beside the services; every other key must be a service.</summary>
    public static readonly IReadOnlyList<string> Options = ["gpu_type", "tenancy_mode", "cloud_provider", "include_cloud_mapping"];

    /// <summary>
    /// The tenant request the body and query describe, or errors keyed by the body's own field paths
    /// (a service is <c>callbot</c>, not <c>service_requirements.callbot</c>).
    /// </summary>
    public static (TenantRequest? Request, Dictionary<string, string[]> Errors) Read(JsonObject body, string tenantId, QueryOptions query)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(query);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? Option(string name, string? fromQuery)
        {
            if (body[name] is { } node)
            {
                if (node is JsonValue value && value.TryGetValue<string>(out var text))
                {
                    return text;
                }

                errors[name] = ["must be a string"];
                return null;
            }

            return fromQuery;
        }

        var gpu = Option("gpu_type", query.GpuType);
        var tenancy = Option("tenancy_mode", query.TenancyMode);
        var cloud = Option("cloud_provider", query.CloudProvider);
        if (body["include_cloud_mapping"] is { } mapping && (mapping is not JsonValue flag || !flag.TryGetValue<bool>(out _)))
        {
            errors["include_cloud_mapping"] = ["must be true or false (Keelson always answers both clouds' instance lists)"];
        }

        if (body.ContainsKey("kubernetes_advanced_config"))
        {
            errors["kubernetes_advanced_config"] = ["is not supported: Keelson derives replicas, probes, resources and scheduling from its plan; to control them send a stack document to POST /api/v1/tenants/"];
        }

        var services = body.Where(p => !Options.Contains(p.Key) && p.Key != "kubernetes_advanced_config")
            .ToDictionary(p => p.Key, p => p.Value?.DeepClone(), StringComparer.Ordinal);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new TenantRequest { TenantId = tenantId, ServiceRequirements = services, GpuType = gpu, TenancyMode = tenancy, CloudProvider = cloud }, errors);
    }

    /// <summary>Builds the stack of <paramref name="request"/>: the stack, or errors on the flat body's paths.</summary>
    public static (StackSpec? Stack, Dictionary<string, string[]> Errors) Build(TenantRequest request)
    {
        var (stack, errors) = StackFromRequest.Build(request);
        return (stack, Flat(errors));
    }

    /// <summary>Plans <paramref name="stack"/>: the plan, or the planner's problems keyed by path.</summary>
    public static (Plan? Plan, Dictionary<string, string[]> Errors) Plan(StackSpec stack)
    {
        var planned = Planner.Default.Plan(stack);
        return planned.Succeeded
            ? (planned.Plan, [])
            : (null, planned.Problems.GroupBy(p => p.Path.Length == 0 ? "$" : p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray(), StringComparer.Ordinal));
    }

    /// <summary>A 422 for <paramref name="errors"/>.</summary>
    public static IResult Invalid(string title, Dictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, title: title, statusCode: StatusCodes.Status422UnprocessableEntity);

    // The body is the service map itself, so service paths lose the service_requirements prefix.
    private static Dictionary<string, string[]> Flat(Dictionary<string, string[]> errors) =>
        errors.ToDictionary(
            e => e.Key.StartsWith("service_requirements.", StringComparison.Ordinal) ? e.Key["service_requirements.".Length..] : e.Key == "service_requirements" ? "$" : e.Key,
            e => e.Value,
            StringComparer.Ordinal);
}

/// <summary>The options of a flat-body route as the query string carries them (the original's only place for them).</summary>
public sealed record QueryOptions(string? GpuType, string? TenancyMode, string? CloudProvider);
