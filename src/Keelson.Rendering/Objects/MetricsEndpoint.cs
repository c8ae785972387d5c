using Keelson.Planning;
using Keelson.Spec.Model;

namespace Keelson.Rendering.Objects;

/// <summary>Where a workload serves Prometheus metrics, when Keelson knows.</summary>
public sealed record MetricsEndpoint(string PortName, int Port, string Path)
{
    /// <summary>
    /// Services, AI services, workers and Keelson's inference role serve <c>/metrics</c> on their main port; Triton on its metrics port.
    /// Databases, caches and brokers need exporters, which Keelson does not add yet.
    /// </summary>
    public static MetricsEndpoint? For(ComponentPlan component, ContainerContract contract) => component.Component switch
    {
        ModelComponent { Registry: not null } => new(contract.Ports[0].Name, contract.Ports[0].Port, "/metrics"),
        ModelComponent => new("metrics", 8002, "/metrics"),
        AiServiceComponent or ServiceComponent or WorkerComponent when contract.Ports.Count > 0 => new(contract.Ports[0].Name, contract.Ports[0].Port, "/metrics"),
        _ => null,
    };
}
