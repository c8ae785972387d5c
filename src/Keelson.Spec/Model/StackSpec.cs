namespace Keelson.Spec.Model;

/// <summary>One tenant's platform: what runs, how much traffic, which SLA, on which cluster.</summary>
public sealed record StackSpec
{
    /// <summary>Who the stack belongs to.</summary>
    public required StackMetadata Metadata { get; init; }

    /// <summary>The workloads and infrastructure, in the order written.</summary>
    public required IReadOnlyList<Component> Components { get; init; }

    /// <summary>Service-level targets that drive redundancy and autoscaling.</summary>
    public required ServiceLevel Sla { get; init; }

    /// <summary>The cluster the stack is planned onto.</summary>
    public required ClusterProfile Cluster { get; init; }

    /// <summary>Cost optimisation choices.</summary>
    public required CostOptions Cost { get; init; }

    /// <summary>Job queues that job and cronjob components name; empty when the stack declares none.</summary>
    public IReadOnlyList<JobQueueSpec> Queues { get; init; } = [];

    /// <summary>Where the stack was read from, for messages.</summary>
    public string Source { get; init; } = "<memory>";

    /// <summary>Line and column of each field path as written, so later stages can locate their findings.</summary>
    public IReadOnlyDictionary<string, SourcePosition> Positions { get; init; } = new Dictionary<string, SourcePosition>();
}

/// <summary>Tenant identity and labels.</summary>
public sealed record StackMetadata(
    string Tenant,
    string DisplayName,
    DeploymentEnvironment Environment,
    IReadOnlyDictionary<string, string> Labels);

/// <summary>The environment a stack is deployed to.</summary>
public enum DeploymentEnvironment
{
    /// <summary>Development.</summary>
    Dev,

    /// <summary>Pre-production.</summary>
    Staging,

    /// <summary>Production.</summary>
    Prod,
}

/// <summary>Service-level targets of the whole stack.</summary>
/// <param name="AvailabilityPercent">Monthly availability target, e.g. 99.9.</param>
/// <param name="ResponseTime">Target response time of interactive requests.</param>
/// <param name="ConcurrentUsers">Expected concurrent users, when stated.</param>
public sealed record ServiceLevel(double AvailabilityPercent, TimeSpan ResponseTime, int? ConcurrentUsers);

/// <summary>A 1-based line and column in a source file.</summary>
public readonly record struct SourcePosition(int Line, int Column);
