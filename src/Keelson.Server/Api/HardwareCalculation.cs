using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Keelson.Planning;
using Keelson.Planning.Cost;
using Keelson.Spec.Model;

namespace Keelson.Server.Api;

/// <summary>
/// The ECP-AI hardware calculator's answer (<c>calculate-detailed-hardware</c>), every figure from Keelson's plans:
/// servers by role are the plan's node pools, and the AWS and NCP lists are the same services planned on the
/// aws-gpu and ncp cluster profiles, priced from their instance types.
/// </summary>
public sealed record HardwareCalculation(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("external_api_source")] string ExternalApiSource,
    [property: JsonPropertyName("input_data")] JsonObject InputData,
    [property: JsonPropertyName("gpu_type")] string GpuType,
    [property: JsonPropertyName("tenancy_mode")] string TenancyMode,
    [property: JsonPropertyName("filtering_applied")] bool FilteringApplied,
    [property: JsonPropertyName("preset")] string Preset,
    [property: JsonPropertyName("cluster_profile")] string ClusterProfile,
    [property: JsonPropertyName("hardware_specification")] HardwareSpecification HardwareSpecification,
    [property: JsonPropertyName("service_details")] IReadOnlyList<ServiceDetail> ServiceDetails,
    [property: JsonPropertyName("aws_instances")] IReadOnlyList<CloudInstance> AwsInstances,
    [property: JsonPropertyName("ncp_instances")] IReadOnlyList<CloudInstance> NcpInstances,
    [property: JsonPropertyName("cost_analysis")] CostAnalysis CostAnalysis)
{
    /// <summary>
    /// Won per US dollar: the rate Keelson's ncp profile converted its KRW list prices with (see the profile's header
    /// and docs/sizing.md), so NCP totals come back to the won figures they started from.
    /// </summary>
    public const int KrwPerUsd = 1380;

    /// <summary>The answer for one request: <paramref name="main"/> is the plan on the request's own cloud; <paramref name="aws"/> and <paramref name="ncp"/> the same services on each price list.</summary>
    public static HardwareCalculation From(TenantRequest request, Plan main, CloudPlan aws, CloudPlan ncp)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(main);
        ArgumentNullException.ThrowIfNull(aws);
        ArgumentNullException.ThrowIfNull(ncp);
        var input = new JsonObject();
        foreach (var service in StackFromRequest.Services)
        {
            input[service] = request.ServiceRequirements?.GetValueOrDefault(service) is JsonValue v && v.TryGetValue<int>(out var count) ? count : 0;
        }

        var awsInstances = aws.Plan is null ? [] : Instances(aws.Plan);
        var ncpInstances = ncp.Plan is null ? [] : Instances(ncp.Plan);
        long? awsTotal = aws.Plan is null ? null : Total(aws.Plan, awsInstances);
        long? ncpTotal = ncp.Plan is null ? null : Total(ncp.Plan, ncpInstances);
        return new HardwareCalculation(
            true,
            $"Planned by Keelson on {main.Spec.Cluster.Name}: {main.Pools.Where(p => p.Nodes > 0).Sum(p => p.Nodes)} nodes, preset {main.Preset}.",
            "keelson-planner",
            input,
            (request.GpuType ?? "auto").ToLowerInvariant(),
            request.TenancyMode ?? "large",
            false,
            main.Preset,
            main.Spec.Cluster.Name,
            Specification(main),
            [.. main.Components.Select(ServiceDetail.From)],
            awsInstances,
            ncpInstances,
            new CostAnalysis(
                awsTotal, ncpTotal, awsTotal is { } a && ncpTotal is { } n ? a - n : null,
                Usd(aws.Plan), Usd(ncp.Plan), ControlPlane(aws.Plan), ControlPlane(ncp.Plan),
                KrwPerUsd, PricesAsOf(aws, "aws-gpu"), PricesAsOf(ncp, "ncp"), aws.Unavailable, ncp.Unavailable));
    }

    private static double? Usd(Plan? plan) => plan is null ? null : Math.Round(plan.Cost.OnDemandUsd, 2);

    private static long? ControlPlane(Plan? plan) => plan is null ? null : Krw(plan.Cost.ControlPlaneUsd);

    private static string? PricesAsOf(CloudPlan cloud, string profile) => cloud.Plan?.Spec.Cluster.PricesAsOf ?? Spec.Profiles.ClusterProfiles.Find(profile)?.PricesAsOf;

    /// <summary>Servers by role: GPU pools, worker pools, and ingress and control-plane pools; pools without nodes are left out.</summary>
    private static HardwareSpecification Specification(Plan plan)
    {
        var servers = plan.Pools.Where(p => p.Nodes > 0).Select(p => (p.Pool.Role, Server: Server.From(p, plan))).ToList();
        var gpu = servers.Where(s => s.Role == PoolRole.Gpu).Select(s => s.Server).ToList();
        var cpu = servers.Where(s => s.Role is PoolRole.Worker or PoolRole.Edge).Select(s => s.Server).ToList();
        var infrastructure = servers.Where(s => s.Role is PoolRole.Ingress or PoolRole.ControlPlane).Select(s => s.Server).ToList();
        var all = servers.Select(s => s.Server).ToList();
        return new HardwareSpecification(gpu, cpu, infrastructure, new HardwareTotals(
            all.Sum(s => s.Quantity), all.Sum(s => s.CpuCores * s.Quantity), all.Sum(s => s.RamGb * s.Quantity), all.Sum(s => s.GpuQuantity * s.Quantity)));
    }

    private static List<CloudInstance> Instances(Plan plan) =>
        [.. plan.Pools.Where(p => p.Nodes > 0).Select(p =>
        {
            var instance = p.Pool.Instance;
            var monthlyUsd = instance.Prices.OnDemandUsd * CostModel.HoursPerMonth;
            var monthlyKrw = Krw(monthlyUsd);
            return new CloudInstance(
                p.Pool.Name, instance.Name, instance.VCpu, Server.Gib(instance.Memory),
                instance.Gpus > 0 && instance.Gpu is { } g ? string.Create(CultureInfo.InvariantCulture, $"{instance.Gpus}x {g.ToString().ToLowerInvariant()}") : null,
                monthlyKrw, p.Nodes, monthlyKrw * p.Nodes, Math.Round(monthlyUsd, 2), Math.Round(p.MonthlyUsd, 2));
        })];

    // The rows' won totals plus the managed control plane, so the list and the total agree to the won.
    private static long Total(Plan plan, IReadOnlyList<CloudInstance> instances) => instances.Sum(i => i.TotalCostKrw) + Krw(plan.Cost.ControlPlaneUsd);

    /// <summary>US dollars in whole won.</summary>
    public static long Krw(double usd) => (long)Math.Round(usd * KrwPerUsd, MidpointRounding.AwayFromZero);
}

/// <summary>The request planned on one cloud's profile, or why it cannot run there.</summary>
public sealed record CloudPlan(Plan? Plan, string? Unavailable);

/// <summary>The calculator's servers by role, with their totals.</summary>
public sealed record HardwareSpecification(
    [property: JsonPropertyName("gpu_servers")] IReadOnlyList<Server> GpuServers,
    [property: JsonPropertyName("cpu_servers")] IReadOnlyList<Server> CpuServers,
    [property: JsonPropertyName("infrastructure_servers")] IReadOnlyList<Server> InfrastructureServers,
    [property: JsonPropertyName("total_summary")] HardwareTotals TotalSummary);

/// <summary>All servers together.</summary>
public sealed record HardwareTotals(
    [property: JsonPropertyName("total_servers")] int TotalServers,
    [property: JsonPropertyName("total_cpu_cores")] int TotalCpuCores,
    [property: JsonPropertyName("total_ram_gb")] int TotalRamGb,
    [property: JsonPropertyName("total_gpus")] int TotalGpus);

/// <summary>One node pool of the plan as the calculator's server: its instance type, node count and what runs on it.</summary>
public sealed partial record Server(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("instance_type")] string InstanceType,
    [property: JsonPropertyName("cpu_cores")] int CpuCores,
    [property: JsonPropertyName("ram_gb")] int RamGb,
    [property: JsonPropertyName("gpu_type")] string? GpuType,
    [property: JsonPropertyName("gpu_ram_gb")] int GpuRamGb,
    [property: JsonPropertyName("gpu_quantity")] int GpuQuantity,
    [property: JsonPropertyName("storage_gb")] int StorageGb,
    [property: JsonPropertyName("quantity")] int Quantity,
    [property: JsonPropertyName("purpose")] string Purpose,
    [property: JsonPropertyName("services")] IReadOnlyList<string> Services,
    [property: JsonPropertyName("nodes_reason")] string NodesReason)
{
    // Device memory per GPU when the pool's product label does not say it (NVIDIA's data sheets).
    private static readonly Dictionary<Spec.Model.GpuType, int> GpuMemoryGb = new()
    {
        [Spec.Model.GpuType.T4] = 16, [Spec.Model.GpuType.V100] = 32, [Spec.Model.GpuType.L40S] = 48, [Spec.Model.GpuType.A100] = 80, [Spec.Model.GpuType.H100] = 80,
    };

    /// <summary>The server for <paramref name="pool"/> of <paramref name="plan"/>.</summary>
    public static Server From(PoolPlan pool, Plan plan)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(plan);
        var instance = pool.Pool.Instance;
        var components = plan.Components.Where(c => c.Pool == pool.Pool.Name).ToList();
        var services = components.Select(c => c.Name).Order(StringComparer.Ordinal).ToList();
        var role = pool.Pool.Role switch
        {
            PoolRole.Gpu => "GPU inference",
            PoolRole.Ingress => "ingress controllers",
            PoolRole.ControlPlane => "Kubernetes control plane",
            PoolRole.Edge => "edge services",
            _ => "CPU services",
        };
        var purpose = services.Count > 0 || pool.Pool.Role is PoolRole.Ingress or PoolRole.ControlPlane
            ? services.Count > 0 ? $"{role}: {string.Join(", ", services)}" : role
            : $"{role}: none of this tenant's services; the pool's minimum nodes for cluster add-ons";
        // Instance types carry no disk size: what the plan asks for is the persistent volumes of the pods placed here.
        var storage = components.Aggregate(Spec.Units.ByteSize.Zero, (sum, c) => sum + c.Storage);
        return new Server(
            pool.Pool.Name, instance.Name, instance.VCpu, Gib(instance.Memory),
            instance.Gpu?.ToString().ToUpperInvariant(), instance.Gpu is { } gpu ? GpuMemory(pool.Pool, gpu) : 0, instance.Gpus,
            (int)Math.Ceiling(storage.Bytes / 1e9 / pool.Nodes), pool.Nodes, purpose, services, pool.Reason.Summary);
    }

    /// <summary>Whole GiB of <paramref name="size"/>, rounded up.</summary>
    public static int Gib(Spec.Units.ByteSize size) => (int)Math.Ceiling(size.GiB);

    private static int GpuMemory(NodePool pool, Spec.Model.GpuType gpu) =>
        pool.Labels.TryGetValue("nvidia.com/gpu.product", out var product) && SizeInProduct().Match(product) is { Success: true } m
            ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
            : GpuMemoryGb.GetValueOrDefault(gpu);

    [GeneratedRegex(@"(\d+)GB")]
    private static partial Regex SizeInProduct();
}

/// <summary>One service of the plan: one replica's shape and how many replicas run.</summary>
public sealed record ServiceDetail(
    [property: JsonPropertyName("service_name")] string ServiceName,
    [property: JsonPropertyName("device")] string Device,
    [property: JsonPropertyName("pool")] string Pool,
    [property: JsonPropertyName("sessions")] int? Sessions,
    [property: JsonPropertyName("cpu_cores")] double CpuCores,
    [property: JsonPropertyName("memory_gb")] double MemoryGb,
    [property: JsonPropertyName("gpu_count")] int GpuCount,
    [property: JsonPropertyName("replicas")] int Replicas,
    [property: JsonPropertyName("min_replicas")] int MinReplicas,
    [property: JsonPropertyName("max_replicas")] int MaxReplicas,
    [property: JsonPropertyName("total_cpu_cores")] double TotalCpuCores,
    [property: JsonPropertyName("total_memory_gb")] double TotalMemoryGb,
    [property: JsonPropertyName("total_gpu_count")] int TotalGpuCount)
{
    /// <summary>The detail of one planned component (its first workload's pod is "one replica").</summary>
    public static ServiceDetail From(ComponentPlan component)
    {
        ArgumentNullException.ThrowIfNull(component);
        var pod = component.Workloads[0].Pod;
        return new ServiceDetail(
            component.Name, component.Device, component.Pool, component.Sessions,
            pod.CpuRequest.Value / 1000.0, Math.Round(pod.MemoryRequest.GiB, 3), pod.Gpus,
            component.Workloads.Sum(w => w.Replicas), component.Workloads.Sum(w => w.MinReplicas), component.Workloads.Sum(w => w.MaxReplicas),
            component.Cpu.Value / 1000.0, Math.Round(component.Memory.GiB, 3), component.Gpus);
    }
}

/// <summary>One instance line of a cloud's list: a pool's instance type, its node count and on-demand monthly cost.</summary>
public sealed record CloudInstance(
    [property: JsonPropertyName("server_type")] string ServerType,
    [property: JsonPropertyName("instance_type")] string InstanceType,
    [property: JsonPropertyName("cpu_cores")] int CpuCores,
    [property: JsonPropertyName("ram_gb")] int RamGb,
    [property: JsonPropertyName("gpu_info")] string? GpuInfo,
    [property: JsonPropertyName("monthly_cost_krw")] long MonthlyCostKrw,
    [property: JsonPropertyName("quantity")] int Quantity,
    [property: JsonPropertyName("total_cost_krw")] long TotalCostKrw,
    [property: JsonPropertyName("monthly_cost_usd")] double MonthlyCostUsd,
    [property: JsonPropertyName("total_cost_usd")] double TotalCostUsd);

/// <summary>Both clouds' monthly on-demand totals in won (and dollars) and their difference; null for a cloud the services cannot run on, with the reason.</summary>
public sealed record CostAnalysis(
    [property: JsonPropertyName("aws_total_monthly_cost")] long? AwsTotalMonthlyCost,
    [property: JsonPropertyName("ncp_total_monthly_cost")] long? NcpTotalMonthlyCost,
    [property: JsonPropertyName("cost_difference")] long? CostDifference,
    [property: JsonPropertyName("aws_total_monthly_usd")] double? AwsTotalMonthlyUsd,
    [property: JsonPropertyName("ncp_total_monthly_usd")] double? NcpTotalMonthlyUsd,
    [property: JsonPropertyName("aws_control_plane_monthly_krw")] long? AwsControlPlaneMonthlyKrw,
    [property: JsonPropertyName("ncp_control_plane_monthly_krw")] long? NcpControlPlaneMonthlyKrw,
    [property: JsonPropertyName("krw_per_usd")] int KrwPerUsd,
    [property: JsonPropertyName("aws_prices_as_of")] string? AwsPricesAsOf,
    [property: JsonPropertyName("ncp_prices_as_of")] string? NcpPricesAsOf,
    [property: JsonPropertyName("aws_unavailable")] string? AwsUnavailable,
    [property: JsonPropertyName("ncp_unavailable")] string? NcpUnavailable);
