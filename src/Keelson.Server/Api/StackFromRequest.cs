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

    /// <summary>The longest display name or description a request may carry, in characters.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The longest description a request may carry, in characters.</summary>
    public const int MaxDescriptionLength = 2000;

    /// <summary>The presets a request may name (the planner computes the one its totals fit).</summary>
    public static readonly IReadOnlyList<string> Presets = ["micro", "small", "medium", "large"];

    /// <summary>The ECP-AI UI's GPU choices and the device each pins.</summary>
    private static readonly Dictionary<string, GpuType?> GpuChoices = new(StringComparer.Ordinal)
    {
        ["auto"] = null, ["t4"] = GpuType.T4, ["v100"] = GpuType.V100, ["l40s"] = GpuType.L40S,
    };

    /// <summary>The ECP-AI UI's clouds Keelson has prices for, and the cluster profile each plans on.</summary>
    private static readonly Dictionary<string, string> CloudProfiles = new(StringComparer.Ordinal)
    {
        ["iaas"] = DefaultProfile, ["aws"] = DefaultProfile, ["ncp"] = "ncp",
    };

    /// <summary>The AI services a request may name, as the service catalog knows them.</summary>
    public static readonly IReadOnlyList<string> Services = [.. Enum.GetNames<AiServiceType>().Select(n => n.ToLowerInvariant())];

    /// <summary>The cluster profile an ECP-AI <c>cloud_provider</c> plans on, or null when Keelson has no price list for it.</summary>
    public static string? ProfileOfCloud(string cloudProvider) =>
        CloudProfiles.TryGetValue((cloudProvider ?? throw new ArgumentNullException(nameof(cloudProvider))).ToLowerInvariant(), out var profile) ? profile : null;

    /// <summary>The clouds <see cref="ProfileOfCloud"/> knows, for messages.</summary>
    public static IReadOnlyCollection<string> Clouds => CloudProfiles.Keys;

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

        CheckText(errors, "name", request.Name, MaxNameLength);
        CheckText(errors, "description", request.Description, MaxDescriptionLength);
        if (request.Preset is { } preset && !Presets.Contains(preset))
        {
            errors["preset"] = [$"'{preset}' is not a preset; presets: {string.Join(", ", Presets)} (the planner computes the one the request fits)"];
        }

        if (request.TenancyMode is { } tenancy && tenancy is not ("small" or "large"))
        {
            errors["tenancy_mode"] = [$"'{tenancy}' is not a tenancy mode; use small or large"];
        }

        GpuType? pinned = null;
        if (request.GpuType is { } gpuName)
        {
            if (GpuChoices.TryGetValue(gpuName.ToLowerInvariant(), out var gpu))
            {
                pinned = gpu;
            }
            else
            {
                errors["gpu_type"] = [$"'{gpuName}' is not a GPU type; use {string.Join(", ", GpuChoices.Keys)}"];
            }
        }

        var profile = request.ClusterProfile;
        if (profile is null && request.CloudProvider is { } cloud)
        {
            if (CloudProfiles.TryGetValue(cloud.ToLowerInvariant(), out var fromCloud))
            {
                profile = fromCloud;
            }
            else
            {
                errors["cloud_provider"] = [$"'{cloud}' has no price list in Keelson; use {string.Join(", ", CloudProfiles.Keys)} (iaas plans on {DefaultProfile}), or name a cluster_profile"];
            }
        }

        // A count of 0 means "not used", as the ECP-AI UI sends every service with 0 for the ones it does not want.
        var services = request.ServiceRequirements ?? [];
        if (!services.Any(s => s.Value is not JsonValue zero || !zero.TryGetValue<int>(out var count) || count != 0))
        {
            errors["service_requirements"] = [$"needs at least one service with concurrent sessions above 0; services: {string.Join(", ", Services)}"];
        }

        foreach (var (service, image) in request.ServiceImages ?? [])
        {
            if (!Services.Contains(service))
            {
                errors[$"service_images.{service}"] = [$"unknown service '{service}'; services: {string.Join(", ", Services)}"];
            }
            else if (image is null || Scalars.Check(Spec.Schema.ScalarType.Image, image) is not null)
            {
                errors[$"service_images.{service}"] = [$"'{image}' is not an image reference such as registry.example.com/team/app:1.2.3"];
            }
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

            if (value is not JsonValue number || !number.TryGetValue<int>(out var sessions) || sessions < 0)
            {
                errors[path] = ["must be a whole number of concurrent sessions, 0 (not used) or more"];
                continue;
            }

            if (sessions == 0)
            {
                continue;
            }

            var component = new JsonObject { ["name"] = name, ["kind"] = "ai-service", ["service"] = name, ["sessions"] = sessions };
            if (pinned is { } device && Planning.Catalog.ServiceCatalog.Default[Enum.Parse<AiServiceType>(name, ignoreCase: true)].Gpu.ContainsKey(device))
            {
                // Services without a variant on that GPU (STT, TA, QA run on CPU) keep the planner's choice.
                component["device"] = device.ToString();
            }

            if (request.ServiceImages?.GetValueOrDefault(name) is { } image)
            {
                component["image"] = image;
            }

            components.Add(component);
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
            ["cluster"] = new JsonObject { ["profile"] = profile ?? DefaultProfile },
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

    private static void CheckText(Dictionary<string, string[]> errors, string field, string? text, int maxLength)
    {
        if (text is null)
        {
            return;
        }

        if (text.Length > maxLength)
        {
            errors[field] = [$"is {text.Length} characters long; at most {maxLength} are allowed"];
        }
        else if (text.Any(c => char.IsControl(c) && c is not ('\n' or '\t')))
        {
            errors[field] = ["contains control characters"];
        }
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
