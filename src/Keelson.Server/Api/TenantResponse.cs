using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Keelson.Operations.Tenants;

namespace Keelson.Server.Api;

/// <summary>A tenant as the seed's API shows it (the list items of <c>GET /tenants/</c>, and <c>GET /tenants/{id}</c>).</summary>
/// <remarks>
/// Beyond the seed's fields it carries what the ECP-AI web UI reads on its tenant cards: <c>service_config</c>,
/// <c>description</c>, <c>gpu_info</c> and the usage figures, which come from the newest stored metrics and are null
/// when nothing was measured — never invented.
/// </remarks>
public sealed record TenantResponse(
    [property: JsonPropertyName("tenant_id")] string TenantId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("preset")] string Preset,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("is_demo")] bool IsDemo,
    [property: JsonPropertyName("services_count")] int ServicesCount,
    [property: JsonPropertyName("cpu_limit")] string? CpuLimit,
    [property: JsonPropertyName("memory_limit")] string? MemoryLimit,
    [property: JsonPropertyName("gpu_limit")] int? GpuLimit,
    [property: JsonPropertyName("storage_limit")] string? StorageLimit,
    [property: JsonPropertyName("gpu_type")] string? GpuType,
    [property: JsonPropertyName("service_requirements")] JsonNode? ServiceRequirements,
    [property: JsonPropertyName("sla_target")] JsonNode? SlaTarget,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("service_config")] IReadOnlyDictionary<string, int> ServiceConfig,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("tenancy_mode")] string TenancyMode,
    [property: JsonPropertyName("gpu_info")] GpuInfo? GpuInfo)
{
    /// <summary>The services the ECP-AI UI shows counts for, each 0 when not used.</summary>
    public static readonly IReadOnlyList<string> ConfigServices = ["callbot", "chatbot", "advisor", "stt", "tts", "ta", "qa"];

    /// <summary>Newest measured CPU use, percent; null when nothing was measured.</summary>
    [JsonPropertyName("cpu_usage")]
    public double? CpuUsage { get; init; }

    /// <summary>Newest measured memory use, percent; null when nothing was measured.</summary>
    [JsonPropertyName("memory_usage")]
    public double? MemoryUsage { get; init; }

    /// <summary>Newest measured GPU use, percent; null when nothing was measured.</summary>
    [JsonPropertyName("gpu_usage")]
    public double? GpuUsage { get; init; }

    /// <summary>Newest measured storage use, percent; null when nothing was measured.</summary>
    [JsonPropertyName("storage_usage")]
    public double? StorageUsage { get; init; }

    /// <summary>On a create: true (the ECP-AI UI acts on a create only when this is set).</summary>
    [JsonPropertyName("success")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Success { get; init; }

    /// <summary>On a create: the planned totals in the ECP-AI create answer's shape.</summary>
    [JsonPropertyName("estimated_resources")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EstimatedResources? EstimatedResources { get; init; }

    /// <summary>On a create: <c>deploying</c> (auto_deploy started a deployment), <c>created</c>, or <c>created_with_deploy_error</c>.</summary>
    [JsonPropertyName("deployment_status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DeploymentStatus { get; init; }

    /// <summary>On a create with auto_deploy: the deployment it started.</summary>
    [JsonPropertyName("deployment_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DeploymentId { get; init; }

    /// <summary>On a create with auto_deploy that could not start a deployment: why.</summary>
    [JsonPropertyName("deployment_error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DeploymentError { get; init; }

    /// <summary>The response for a stored tenant.</summary>
    public static TenantResponse From(TenantRecord tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var services = JsonNode.Parse(tenant.ServiceRequirementsJson);
        var request = TenantInput.SeedRequest(tenant.Spec);

        // The planned services, so a tenant made from a stack counts its workers and databases too; a seed request plans one per service.
        var planned = JsonNode.Parse(tenant.ResourcesJson)?["services"] as JsonArray;
        var config = ConfigServices.ToDictionary(s => s, s => services?[s] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0, StringComparer.Ordinal);
        return new TenantResponse(
            tenant.TenantId, tenant.Name, tenant.Preset, tenant.Status.ToString().ToLowerInvariant(), tenant.IsDemo,
            planned?.Count ?? (services is JsonObject o ? o.Count : 0), tenant.CpuLimit, tenant.MemoryLimit, tenant.GpuLimit, tenant.StorageLimit, tenant.GpuType,
            services, JsonNode.Parse(tenant.SlaTargetJson), tenant.CreatedAt, tenant.UpdatedAt, tenant.Version,
            config, request?["description"]?.GetValue<string>(), request?["tenancy_mode"]?.GetValue<string>() ?? "large",
            tenant.GpuLimit is > 0 ? new GpuInfo(tenant.GpuType, tenant.GpuLimit.Value, null) : null);
    }

    /// <summary>This response with the newest measured usage, and the GPU utilisation in <see cref="GpuInfo"/>.</summary>
    public TenantResponse WithUsage(IReadOnlyDictionary<string, double> newest)
    {
        ArgumentNullException.ThrowIfNull(newest);
        double? Of(string name) => newest.TryGetValue(name, out var value) ? value : null;
        return this with
        {
            CpuUsage = Of("cpu_usage"),
            MemoryUsage = Of("memory_usage"),
            GpuUsage = Of("gpu_usage"),
            StorageUsage = Of("storage_usage"),
            GpuInfo = GpuInfo is null ? null : GpuInfo with { Utilization = Of("gpu_usage") },
        };
    }
}

/// <summary>The GPUs a tenant was planned with, as the ECP-AI UI's GPU tooltip reads them.</summary>
public sealed record GpuInfo(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("allocated")] int Allocated,
    [property: JsonPropertyName("utilization")] double? Utilization);

/// <summary>The planned totals in the ECP-AI create answer's shape (requests at peak; no usage figures, which a new tenant does not have).</summary>
public sealed record EstimatedResources(
    [property: JsonPropertyName("gpu")] EstimatedGpu Gpu,
    [property: JsonPropertyName("cpu")] EstimatedCpu Cpu,
    [property: JsonPropertyName("memory")] EstimatedAmount Memory,
    [property: JsonPropertyName("storage")] EstimatedAmount Storage);

/// <summary>Planned GPUs.</summary>
public sealed record EstimatedGpu([property: JsonPropertyName("type")] string? Type, [property: JsonPropertyName("count")] int Count);

/// <summary>Planned CPU cores.</summary>
public sealed record EstimatedCpu([property: JsonPropertyName("cores")] double Cores);

/// <summary>A planned quantity as Kubernetes writes it.</summary>
public sealed record EstimatedAmount([property: JsonPropertyName("total")] string Total);

/// <summary>The seed's tenant list: a page of tenants and counts over all of them.</summary>
public sealed record TenantList(
    [property: JsonPropertyName("tenants")] IReadOnlyList<TenantResponse> Tenants,
    [property: JsonPropertyName("total_count")] int TotalCount,
    [property: JsonPropertyName("demo_count")] int DemoCount,
    [property: JsonPropertyName("active_count")] int ActiveCount,
    [property: JsonPropertyName("offset")] int Offset,
    [property: JsonPropertyName("limit")] int Limit);
