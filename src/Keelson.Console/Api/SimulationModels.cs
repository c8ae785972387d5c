namespace Keelson.Console.Api;

/// <summary>A simulated day as <c>POST /api/v1/tenants/{id}/simulations</c> answers it.</summary>
public sealed record SimulationView(
    string TenantId,
    string Load,
    string ClusterProfile,
    double DurationSeconds,
    double StepSeconds,
    IReadOnlyList<SimulationStepView> Timeline,
    IReadOnlyList<SimulatedComponent> Components,
    IReadOnlyList<SimulatedPool> Pools,
    int PeakNodes,
    int PeakPendingPods,
    double PendingPodMinutes,
    double SlaMinutesLost,
    double CostUsd,
    IReadOnlyList<string> Events);

/// <summary>One sample of a simulated day.</summary>
public sealed record SimulationStepView(
    double Minute,
    IReadOnlyDictionary<string, int> Replicas,
    IReadOnlyDictionary<string, int> Ready,
    IReadOnlyDictionary<string, int> Nodes,
    int PendingPods,
    double HourlyCostUsd,
    double CumulativeCostUsd);

/// <summary>A component's simulated day.</summary>
public sealed record SimulatedComponent(string Name, int MinReplicas, int MaxReplicas, double MeanReplicas, double SlaMinutesLost);

/// <summary>A pool's simulated day.</summary>
public sealed record SimulatedPool(string Name, int MinNodes, int MaxNodes, double NodeHours, double CostUsd);
