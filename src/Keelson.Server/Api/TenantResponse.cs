using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Keelson.Operations.Tenants;

namespace Keelson.Server.Api;

/// <summary>A tenant as the seed's API shows it (the list items of <c>GET /tenants/</c>, and <c>GET /tenants/{id}</c>).</summary>
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
    [property: JsonPropertyName("version")] long Version)
{
    /// <summary>The response for a stored tenant.</summary>
    public static TenantResponse From(TenantRecord tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var services = JsonNode.Parse(tenant.ServiceRequirementsJson);

        // The planned services, so a tenant made from a stack counts its workers and databases too; a seed request plans one per service.
        var planned = JsonNode.Parse(tenant.ResourcesJson)?["services"] as JsonArray;
        return new TenantResponse(
            tenant.TenantId, tenant.Name, tenant.Preset, tenant.Status.ToString().ToLowerInvariant(), tenant.IsDemo,
            planned?.Count ?? (services is JsonObject o ? o.Count : 0), tenant.CpuLimit, tenant.MemoryLimit, tenant.GpuLimit, tenant.StorageLimit, tenant.GpuType,
            services, JsonNode.Parse(tenant.SlaTargetJson), tenant.CreatedAt, tenant.UpdatedAt, tenant.Version);
    }
}

/// <summary>The seed's tenant list: a page of tenants and counts over all of them.</summary>
public sealed record TenantList(
    [property: JsonPropertyName("tenants")] IReadOnlyList<TenantResponse> Tenants,
    [property: JsonPropertyName("total_count")] int TotalCount,
    [property: JsonPropertyName("demo_count")] int DemoCount,
    [property: JsonPropertyName("active_count")] int ActiveCount,
    [property: JsonPropertyName("offset")] int Offset,
    [property: JsonPropertyName("limit")] int Limit);
