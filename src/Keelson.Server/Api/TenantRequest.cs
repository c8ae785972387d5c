using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Keelson.Server.Api;

/// <summary>The ECP-AI tenant request (seed 003): concurrent sessions per AI service and an SLA.</summary>
public sealed record TenantRequest
{
    /// <summary>Tenant id: a DNS-1123 label; names the namespace.</summary>
    [JsonPropertyName("tenant_id")]
    public string? TenantId { get; init; }

    /// <summary>Display name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>Requested preset (micro, small, medium, large); the planner reports the one the totals fit.</summary>
    [JsonPropertyName("preset")]
    public string? Preset { get; init; }

    /// <summary>Concurrent sessions per AI service: callbot, chatbot, advisor, stt, tts, nlp, ta, qa.</summary>
    [JsonPropertyName("service_requirements")]
    public Dictionary<string, JsonNode?>? ServiceRequirements { get; init; }

    /// <summary>Availability and response-time targets.</summary>
    [JsonPropertyName("sla_target")]
    public SlaTarget? SlaTarget { get; init; }

    /// <summary>A built-in cluster profile to plan on (default aws-gpu, which has the GPU pools the AI services want).</summary>
    [JsonPropertyName("cluster_profile")]
    public string? ClusterProfile { get; init; }

    /// <summary>dev, staging or prod (default prod).</summary>
    [JsonPropertyName("environment")]
    public string? Environment { get; init; }

    /// <summary>The ECP-AI UI's <c>small</c> or <c>large</c> tenancy (default large): recorded and echoed; see docs/api.md.</summary>
    [JsonPropertyName("tenancy_mode")]
    public string? TenancyMode { get; init; }

    /// <summary>The ECP-AI UI's GPU choice: <c>t4</c>, <c>v100</c>, <c>l40s</c> pin the device of every service that can run on it; <c>auto</c> lets the planner choose.</summary>
    [JsonPropertyName("gpu_type")]
    public string? GpuType { get; init; }

    /// <summary>The ECP-AI UI's cloud: <c>aws</c> and <c>iaas</c> plan on aws-gpu, <c>ncp</c> on ncp; a <c>cluster_profile</c> wins over it.</summary>
    [JsonPropertyName("cloud_provider")]
    public string? CloudProvider { get; init; }

    /// <summary>Whether creating the tenant also starts a durable deployment (default false; the ECP-AI UI always sends true).</summary>
    [JsonPropertyName("auto_deploy")]
    public bool? AutoDeploy { get; init; }

    /// <summary>The image each AI service runs, by service (<c>{"callbot": "harbor.example.com/ecp-ai/callbot:1.1.0"}</c>); the catalog's when absent.
    /// Deployments pin the active CI/CD image of each service here (see <see cref="ServiceImagePins"/>).</summary>
    [JsonPropertyName("service_images")]
    public Dictionary<string, string>? ServiceImages { get; init; }

    /// <summary>Free text shown on the tenant's page.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }
}

/// <summary>The seed's <c>sla_target</c>.</summary>
public sealed record SlaTarget
{
    /// <summary>Availability, e.g. <c>99.9%</c>.</summary>
    [JsonPropertyName("availability")]
    public string? Availability { get; init; }

    /// <summary>Response time, e.g. <c>200ms</c>.</summary>
    [JsonPropertyName("response_time")]
    public string? ResponseTime { get; init; }

    /// <summary>Expected concurrent users.</summary>
    [JsonPropertyName("concurrent_users")]
    public int? ConcurrentUsers { get; init; }
}
