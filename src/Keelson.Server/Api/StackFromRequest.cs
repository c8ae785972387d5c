using System.Globalization;
using System.Text.Json.Nodes;
using Keelson.Spec.Model;
using Keelson.Spec.Parsing;

namespace Keelson.Server.Api;

/// <summary>
/// Turns the seed's tenant request into a Keelson stack: one <c>ai-service</c> component per entry of
/// <c>service_requirements</c>, sized by its sessions, with the SLA. The stack parser checks it, and its
/// diagnostics are reported on the request's own field paths.
/// </summary>
public static class StackFromRequest
{
    /// <summary>The cluster profile requests are planned and validated on unless they name one: it has the GPU pools the AI services want.</summary>
    public const string DefaultProfile = "aws-gpu";

    /// <summary>The AI services a request may name, as the service catalog knows them.</summary>
    public static readonly IReadOnlyList<string> Services = [.. Enum.GetNames<AiServiceType>().Select(n => n.ToLowerInvariant())];

    /// <summary>The stack, or errors keyed by field path (the body of a 422).</summary>
    public static (StackSpec? Stack, Dictionary<string, string[]> Errors) Build(TenantRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request.TenantId))
        {
            errors["tenant_id"] = ["is required: a DNS-1123 label such as my-ai-service"];
        }
        else if (Scalars.Check(Spec.Schema.ScalarType.DnsLabel, request.TenantId) is { } allowed)
        {
            errors["tenant_id"] = [$"'{request.TenantId}' is not {allowed}"];
        }

        var services = request.ServiceRequirements ?? [];
        if (services.Count == 0)
        {
            errors["service_requirements"] = [$"needs at least one service with its concurrent sessions; services: {string.Join(", ", Services)}"];
        }

        var components = new JsonArray();
        var paths = new List<string>();
        foreach (var (name, value) in services.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var path = $"service_requirements.{name}";
            if (!Services.Contains(name))
            {
                errors[path] = [$"unknown service '{name}'; services: {string.Join(", ", Services)}"];
                continue;
            }

            if (value is not JsonValue number || !number.TryGetValue<int>(out var sessions) || sessions < 1)
            {
                errors[path] = ["must be a whole number of concurrent sessions, at least 1"];
                continue;
            }

            components.Add(new JsonObject { ["name"] = name, ["kind"] = "ai-service", ["service"] = name, ["sessions"] = sessions });
            paths.Add(path);
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var sla = new JsonObject();
        if (request.SlaTarget?.Availability is { } availability)
        {
            sla["availability"] = availability;
        }

        if (request.SlaTarget?.ResponseTime is { } responseTime)
        {
            sla["responseTime"] = responseTime;
        }

        if (request.SlaTarget?.ConcurrentUsers is { } users)
        {
            sla["concurrentUsers"] = users;
        }

        var stack = new JsonObject
        {
            ["apiVersion"] = "keelson.dev/v1alpha1",
            ["kind"] = "Stack",
            ["metadata"] = new JsonObject
            {
                ["tenant"] = request.TenantId,
                ["displayName"] = request.Name ?? request.TenantId,
                ["environment"] = request.Environment ?? "prod",
            },
            ["sla"] = sla,
            ["cluster"] = new JsonObject { ["profile"] = request.ClusterProfile ?? DefaultProfile },
            ["components"] = components,
        };

        // JSON is YAML: the stack parser checks the document and locates problems by field path.
        var parsed = StackParser.Parse(stack.ToJsonString(), "request");
        if (parsed.Succeeded)
        {
            return (parsed.Value, errors);
        }

        foreach (var diagnostic in parsed.Diagnostics)
        {
            var key = RequestPath(diagnostic.Path, paths);
            errors[key] = [.. errors.GetValueOrDefault(key) ?? [], diagnostic.Message];
        }

        return (null, errors);
    }

    // Stack paths back to request paths: metadata.tenant → tenant_id, sla.responseTime → sla_target.response_time,
    // components[i].x → service_requirements.<name>.
    private static string RequestPath(string stackPath, List<string> componentPaths)
    {
        if (stackPath.StartsWith("components[", StringComparison.Ordinal))
        {
            var index = int.Parse(stackPath[11..stackPath.IndexOf(']', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            return index < componentPaths.Count ? componentPaths[index] : "service_requirements";
        }

        return stackPath switch
        {
            "metadata.tenant" => "tenant_id",
            "metadata.environment" => "environment",
            "sla.availability" => "sla_target.availability",
            "sla.responseTime" => "sla_target.response_time",
            "sla.concurrentUsers" => "sla_target.concurrent_users",
            "cluster.profile" => "cluster_profile",
            "" => "$",
            _ => stackPath,
        };
    }
}
