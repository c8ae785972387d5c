namespace Keelson.Sandbox.Engine;

/// <summary>The demand on a workload over time, which the sandbox turns into the CPU usage its autoscalers read.</summary>
public interface ILoadModel
{
    /// <summary>CPU (millicores) the workload's pods together need at <paramref name="at"/>, or null when this model says nothing about it.</summary>
    double? CpuDemandMillis(string ns, string workload, DateTimeOffset at);
}

/// <summary>No load information: autoscalers see no metrics and hold their replicas, as without metrics-server.</summary>
public sealed class NoLoad : ILoadModel
{
    /// <summary>The shared instance.</summary>
    public static readonly NoLoad Instance = new();

    /// <inheritdoc/>
    public double? CpuDemandMillis(string ns, string workload, DateTimeOffset at) => null;
}

/// <summary>A constant demand per workload (<c>namespace/name</c> → millicores).</summary>
public sealed class SteadyLoad(IReadOnlyDictionary<string, double> demand) : ILoadModel
{
    /// <inheritdoc/>
    public double? CpuDemandMillis(string ns, string workload, DateTimeOffset at) =>
        demand.TryGetValue($"{ns}/{workload}", out var millis) ? millis : null;
}
