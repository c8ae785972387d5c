using System.Globalization;
using System.Text.Json.Serialization;
using Keelson.Planning;

namespace Keelson.Server.Api;

/// <summary>The answer of <c>calculate-resources</c>: preset, totals, services, nodes and monthly cost.</summary>
public sealed record PlanResponse(
    [property: JsonPropertyName("tenant_id")] string TenantId,
    [property: JsonPropertyName("preset")] string Preset,
    [property: JsonPropertyName("resources")] ResourceTotals Resources,
    [property: JsonPropertyName("services")] IReadOnlyList<ServicePlan> Services,
    [property: JsonPropertyName("nodes")] IReadOnlyList<PoolNodes> Nodes,
    [property: JsonPropertyName("estimated_cost")] CostEstimate EstimatedCost)
{
    /// <summary>The response for a plan.</summary>
    public static PlanResponse From(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new PlanResponse(
            plan.Spec.Metadata.Tenant,
            plan.Preset,
            new ResourceTotals(
                Millis(plan.Components.Sum(c => c.Cpu.Value)),
                plan.Components.Aggregate(Spec.Units.ByteSize.Zero, (sum, c) => sum + c.Memory).ToString(),
                plan.Components.Sum(c => c.Gpus),
                plan.Components.Aggregate(Spec.Units.ByteSize.Zero, (sum, c) => sum + c.Storage).ToString()),
            [.. plan.Components.Select(c => new ServicePlan(
                c.Name, c.Component.Kind, c.Pool, c.Device, c.Sessions,
                c.Workloads.Sum(w => w.MinReplicas), c.Workloads.Sum(w => w.Replicas), c.Workloads.Sum(w => w.MaxReplicas),
                Millis(c.Cpu.Value), c.Memory.ToString(), c.Gpus, Math.Round(c.MonthlyUsd, 2), c.Rationale))],
            [.. plan.Pools.Select(p => new PoolNodes(p.Pool.Name, p.Pool.Instance.Name, p.Nodes, p.OffPeakNodes, p.LowerBound, p.Reason.LowerBoundBy, p.Reason.Summary, Math.Round(p.MonthlyUsd, 2)))],
            new CostEstimate(Math.Round(plan.Cost.OnDemandUsd, 2), Math.Round(plan.Cost.OptimisedUsd, 2), string.Create(CultureInfo.InvariantCulture, $"${plan.Cost.OnDemandUsd:0}/month")));
    }

    private static string Millis(long millicores) => string.Create(CultureInfo.InvariantCulture, $"{millicores}m");
}

/// <summary>Requested resources of the whole tenant at peak.</summary>
public sealed record ResourceTotals(
    [property: JsonPropertyName("cpu")] string Cpu,
    [property: JsonPropertyName("memory")] string Memory,
    [property: JsonPropertyName("gpu")] int Gpu,
    [property: JsonPropertyName("storage")] string Storage);

/// <summary>One component of the plan.</summary>
public sealed record ServicePlan(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("pool")] string Pool,
    [property: JsonPropertyName("device")] string Device,
    [property: JsonPropertyName("sessions")] int? Sessions,
    [property: JsonPropertyName("min_replicas")] int MinReplicas,
    [property: JsonPropertyName("replicas")] int Replicas,
    [property: JsonPropertyName("max_replicas")] int MaxReplicas,
    [property: JsonPropertyName("cpu")] string Cpu,
    [property: JsonPropertyName("memory")] string Memory,
    [property: JsonPropertyName("gpu")] int Gpu,
    [property: JsonPropertyName("monthly_usd")] double MonthlyUsd,
    [property: JsonPropertyName("rationale")] string Rationale);

/// <summary>Nodes of one pool.</summary>
public sealed record PoolNodes(
    [property: JsonPropertyName("pool")] string Pool,
    [property: JsonPropertyName("instance_type")] string InstanceType,
    [property: JsonPropertyName("nodes")] int Nodes,
    [property: JsonPropertyName("off_peak_nodes")] int OffPeakNodes,
    [property: JsonPropertyName("lower_bound")] int LowerBound,
    [property: JsonPropertyName("lower_bound_by")] string LowerBoundBy,
    [property: JsonPropertyName("nodes_reason")] string NodesReason,
    [property: JsonPropertyName("monthly_usd")] double MonthlyUsd);

/// <summary>Monthly cost on demand and with the stack's optimisations.</summary>
public sealed record CostEstimate(
    [property: JsonPropertyName("monthly_usd")] double MonthlyUsd,
    [property: JsonPropertyName("optimised_monthly_usd")] double OptimisedMonthlyUsd,
    [property: JsonPropertyName("summary")] string Summary);
