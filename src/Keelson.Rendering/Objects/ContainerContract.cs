using Keelson.Planning;
using Keelson.Planning.Catalog;
using Keelson.Spec.Model;

namespace Keelson.Rendering.Objects;

/// <summary>How a probe checks a container.</summary>
public enum ProbeKind
{
    /// <summary>HTTP GET on the main port.</summary>
    Http,

    /// <summary>A command in the container.</summary>
    Exec,

    /// <summary>A TCP connection to the main port.</summary>
    Tcp,

    /// <summary>No probes (batch pods run to completion).</summary>
    None,
}

/// <summary>What Keelson assumes of one workload's container: image, ports, health checks, writable paths.</summary>
/// <param name="Image">Image reference.</param>
/// <param name="Ports">Named container ports; the first is the main one.</param>
/// <param name="Probe">How health is checked.</param>
/// <param name="LivenessPath">HTTP liveness path.</param>
/// <param name="ReadinessPath">HTTP readiness path.</param>
/// <param name="ExecCommand">Command for exec probes.</param>
/// <param name="ReadOnlyRoot">Whether the root filesystem can be read-only (with an emptyDir at /tmp).</param>
/// <param name="DataPath">Where the persistent volume mounts, for stateful engines.</param>
/// <param name="Args">Container arguments.</param>
/// <param name="Env">Environment variables the engine needs (names to literal values).</param>
/// <param name="SecretEnv">Environment variables read from the component's Secret (variable to key).</param>
/// <param name="ScratchPaths">Extra writable emptyDir paths besides /tmp.</param>
public sealed record ContainerContract(
    string Image,
    IReadOnlyList<(string Name, int Port)> Ports,
    ProbeKind Probe,
    string LivenessPath,
    string ReadinessPath,
    IReadOnlyList<string> ExecCommand,
    bool ReadOnlyRoot,
    string? DataPath,
    IReadOnlyList<string> Args,
    IReadOnlyList<(string Name, string Value)> Env,
    IReadOnlyList<(string Name, string Key)> SecretEnv,
    IReadOnlyList<string> ScratchPaths)
{
    private static ContainerContract Http(string image, int port, string live = "/healthz", string ready = "/readyz") =>
        new(image, [("http", port)], ProbeKind.Http, live, ready, [], true, null, [], [], [], []);

    /// <summary>The contract of a workload of a planned component.</summary>
    public static ContainerContract For(ComponentPlan component, WorkloadPlan workload) => component.Component switch
    {
        AiServiceComponent ai => Http(ai.Image ?? ServiceCatalog.Default[ai.Service].Image, 8080, "/health", "/ready"),
        ServiceComponent s => Http(s.Image, s.Port, s.Probes?.LivenessPath ?? "/healthz", s.Probes?.ReadinessPath ?? "/readyz")
            with { Ports = [(s.Protocol == ServiceProtocol.Grpc ? "grpc" : "http", s.Port)], DataPath = s.Storage is null ? null : "/data" },
        WorkerComponent w => Http(w.Image, 8080),
        JobComponent j => new(j.Image, [], ProbeKind.None, "", "", [], true, null, j.Command, [], [], []),
        ModelComponent { Registry: { } registry } m => InferenceRole.Contract(m.Image ?? InferenceRole.DefaultImage, registry),
        ModelComponent m => new(
            m.Image ?? "nvcr.io/nvidia/tritonserver:24.08-py3",
            [("http", 8000), ("grpc", 8001), ("metrics", 8002)],
            ProbeKind.Http, "/v2/health/live", "/v2/health/ready", [], true, null,
            ["tritonserver", "--model-repository=" + m.ModelUri, "--strict-model-config=false"], [], [], []),
        DatabaseComponent db => new(
            "postgres:" + (db.Version ?? "16"), [("postgres", 5432)], ProbeKind.Exec, "", "",
            ["pg_isready", "-U", "postgres"], true, "/var/lib/postgresql/data", [],
            [("PGDATA", "/var/lib/postgresql/data/pgdata")], [("POSTGRES_PASSWORD", "POSTGRES_PASSWORD")], ["/var/run/postgresql"]),
        CacheComponent cache => new(
            "redis:" + (cache.Version ?? "7.2"), [("redis", 6379)], ProbeKind.Exec, "", "",
            ["redis-cli", "ping"], true, "/data",
            workload.Name.EndsWith("-replica", StringComparison.Ordinal) ? ["--replicaof", component.Name + "-master", "6379"] : [],
            [], [], []),
        BrokerComponent { Engine: BrokerEngine.Nats } nats => new(
            "nats:" + (nats.Version ?? "2.10"), [("client", 4222), ("cluster", 6222), ("monitor", 8222)], ProbeKind.Tcp, "", "", [],
            true, "/data", ["--jetstream", "--store_dir=/data"], [], [], []),
        BrokerComponent kafka when workload.Name == component.Name => new(
            "apache/kafka:" + (kafka.Version ?? "3.8.0"), [("kafka", 9092)], ProbeKind.Tcp, "", "", [],
            false, "/var/lib/kafka/data", [], [("KAFKA_LOG_DIRS", "/var/lib/kafka/data")], [], []),
        BrokerComponent { Coordinator: KafkaCoordinator.Zookeeper } => new(
            "zookeeper:3.9", [("client", 2181)], ProbeKind.Tcp, "", "", [], false, "/data", [], [], [], []),
        BrokerComponent kraft => new(
            "apache/kafka:" + (kraft.Version ?? "3.8.0"), [("controller", 9093)], ProbeKind.Tcp, "", "", [],
            false, "/var/lib/kafka/data", [], [("KAFKA_PROCESS_ROLES", "controller")], [], []),
        SparkComponent spark => new(spark.Image, [("ui", 4040), ("driver", 7078), ("blockmanager", 7079)], ProbeKind.None, "", "", [], true, null, [], [], [], []),
        _ => throw new InvalidOperationException($"No container contract for {component.Component.Kind}."),
    };
}
