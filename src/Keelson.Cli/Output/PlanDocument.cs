using System.Text.Json;
using System.Text.Json.Serialization;
using Keelson.Planning;
using Keelson.Planning.Cost;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Keelson.Cli.Output;

/// <summary>The machine-readable form of a plan, shared by <c>--output json</c> and <c>--output yaml</c>.</summary>
internal static class PlanDocument
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly ISerializer Yaml = new SerializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .DisableAliases()
        .Build();

    public static string ToJson(Plan plan) => JsonSerializer.Serialize(Build(plan), Json);

    public static string ToYaml(Plan plan) => Yaml.Serialize(Build(plan));

    internal static Document Build(Plan plan) => new(
        plan.Spec.Metadata.Tenant,
        plan.Spec.Metadata.DisplayName,
        plan.Spec.Metadata.Environment.ToString().ToLowerInvariant(),
        plan.Preset,
        new ClusterRef(plan.Spec.Cluster.Name, plan.Spec.Cluster.Provider, plan.Spec.Cluster.PricesAsOf),
        [.. plan.Components.Select(c => new ComponentDoc(
            c.Name, c.Component.Kind, c.Pool, c.Device, c.Sessions, c.TargetUtilisation, c.Rationale,
            c.Cpu.ToString(), c.Memory.ToString(), c.Gpus, c.Storage.ToString(), c.MonthlyUsd,
            [.. c.Workloads.Select(w => new WorkloadDoc(
                w.Name, w.Replicas, w.MinReplicas, w.MaxReplicas,
                w.Pod.CpuRequest.ToString(), w.Pod.CpuLimit.ToString(), w.Pod.MemoryRequest.ToString(), w.Pod.MemoryLimit.ToString(),
                w.Pod.Gpus, w.StoragePerReplica.Bytes == 0 ? null : w.StoragePerReplica.ToString()))]))],
        [.. plan.Pools.Select(p => new PoolDoc(
            p.Pool.Name, p.Pool.Role.ToString().ToLowerInvariant(), p.Pool.Instance.Name, p.Nodes, p.OffPeakNodes, p.LowerBound,
            p.Reason.LowerBoundBy, p.Reason.Summary, p.CpuUtilisation, p.MemoryUtilisation, p.MonthlyUsd))],
        new CostDoc(
            plan.Cost.OnDemandUsd, plan.Cost.SpotSavingUsd, plan.Cost.ReservedSavingUsd, plan.Cost.ScaleDownSavingUsd,
            plan.Cost.OptimisedUsd, plan.Cost.ControlPlaneUsd, CostModel.HoursPerMonth));

    internal sealed record Document(
        string Tenant, string DisplayName, string Environment, string Preset, ClusterRef Cluster,
        IReadOnlyList<ComponentDoc> Components, IReadOnlyList<PoolDoc> Pools, CostDoc MonthlyCost);

    internal sealed record ClusterRef(string Name, string Provider, string? PricesAsOf);

    internal sealed record ComponentDoc(
        string Name, string Kind, string Pool, string Device, int? Sessions, double? TargetUtilisation, string Rationale,
        string Cpu, string Memory, int Gpus, string Storage, double MonthlyUsd, IReadOnlyList<WorkloadDoc> Workloads);

    internal sealed record WorkloadDoc(
        string Name, int Replicas, int MinReplicas, int MaxReplicas,
        string CpuRequest, string CpuLimit, string MemoryRequest, string MemoryLimit, int Gpus, string? StoragePerReplica);

    internal sealed record PoolDoc(
        string Name, string Role, string Instance, int Nodes, int OffPeakNodes, int LowerBound,
        string LowerBoundBy, string NodesReason, double CpuUtilisation, double MemoryUtilisation, double MonthlyUsd);

    internal sealed record CostDoc(
        double OnDemandUsd, double SpotSavingUsd, double ReservedSavingUsd, double ScaleDownSavingUsd,
        double OptimisedUsd, double ControlPlaneUsd, double HoursPerMonth);
}
