using Keelson.Spec.Units;

namespace Keelson.Spec.Model;

/// <summary>A catalogued AI service sized from concurrent sessions or from arrivals and handle time.</summary>
public sealed record AiServiceComponent : Component
{
    /// <inheritdoc/>
    public override string Kind => "ai-service";

    /// <summary>Catalog entry, e.g. <c>callbot</c>.</summary>
    public required AiServiceType Service { get; init; }

    /// <summary>Concurrent sessions at peak, when given directly.</summary>
    public int? Sessions { get; init; }

    /// <summary>Arrival rate and answer target, when sessions are derived by Erlang C.</summary>
    public TrafficSpec? Traffic { get; init; }

    /// <summary>Device for inference.</summary>
    public DeviceChoice Device { get; init; } = DeviceChoice.Auto;

    /// <summary>Container image; the catalog's default when absent.</summary>
    public string? Image { get; init; }
}

/// <summary>Arrivals, handle time and the service level they must meet (Erlang C inputs).</summary>
/// <param name="ArrivalsPerHour">Calls or chats starting per hour at the busiest hour.</param>
/// <param name="HandleTime">Average handle time of one session.</param>
/// <param name="AnswerPercent">Share of sessions answered within <paramref name="AnswerWithin"/>, e.g. 80.</param>
/// <param name="AnswerWithin">Answer time target, e.g. 20 s.</param>
public sealed record TrafficSpec(double ArrivalsPerHour, TimeSpan HandleTime, double AnswerPercent, TimeSpan AnswerWithin);

/// <summary>The AI services of the catalog.</summary>
public enum AiServiceType
{
    /// <summary>Voice bot: speech in, speech out.</summary>
    Callbot,

    /// <summary>Text chat bot.</summary>
    Chatbot,

    /// <summary>Real-time assistant for human agents.</summary>
    Advisor,

    /// <summary>Speech to text.</summary>
    Stt,

    /// <summary>Text to speech.</summary>
    Tts,

    /// <summary>Natural-language understanding.</summary>
    Nlp,

    /// <summary>Text analytics of finished calls.</summary>
    Ta,

    /// <summary>Quality assurance scoring.</summary>
    Qa,
}

/// <summary>An HTTP or gRPC service.</summary>
public sealed record ServiceComponent : Component
{
    /// <inheritdoc/>
    public override string Kind => "service";

    /// <summary>Container image reference.</summary>
    public required string Image { get; init; }

    /// <summary>Container port.</summary>
    public int Port { get; init; } = 8080;

    /// <summary>Wire protocol.</summary>
    public ServiceProtocol Protocol { get; init; } = ServiceProtocol.Http;

    /// <summary>Fixed replica count; derived from <see cref="RequestsPerSecond"/> when absent.</summary>
    public int? Replicas { get; init; }

    /// <summary>Peak requests per second the service must absorb.</summary>
    public double? RequestsPerSecond { get; init; }

    /// <summary>Requests per second one replica serves at full load.</summary>
    public double? RequestsPerSecondPerReplica { get; init; }

    /// <summary>Container resources.</summary>
    public ResourceSpec? Resources { get; init; }

    /// <summary>Autoscaling bounds and targets.</summary>
    public AutoscalingSpec? Autoscaling { get; init; }

    /// <summary>Health endpoints.</summary>
    public ProbeSpec? Probes { get; init; }

    /// <summary>Ingress routes.</summary>
    public IReadOnlyList<RouteSpec> Routes { get; init; } = [];

    /// <summary>Plain environment variables.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>Configuration entries, rendered into a ConfigMap.</summary>
    public IReadOnlyDictionary<string, string> Config { get; init; } = new Dictionary<string, string>();

    /// <summary>Names of secret keys the service needs; values never live in the spec.</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    /// <summary>Persistent volume for the service, when it keeps files.</summary>
    public StorageSpec? Storage { get; init; }
}

/// <summary>Wire protocol of a service.</summary>
public enum ServiceProtocol
{
    /// <summary>HTTP/1.1 or HTTP/2.</summary>
    Http,

    /// <summary>gRPC.</summary>
    Grpc,
}

/// <summary>Liveness/readiness endpoints of a service.</summary>
public sealed record ProbeSpec(string? LivenessPath, string? ReadinessPath, TimeSpan? InitialDelay);

/// <summary>An ingress route to a service.</summary>
public sealed record RouteSpec(string Host, string Path, bool Tls, int? RateLimitPerMinute);

/// <summary>A queue consumer scaled on queue length.</summary>
public sealed record WorkerComponent : Component
{
    /// <inheritdoc/>
    public override string Kind => "worker";

    /// <summary>Container image reference.</summary>
    public required string Image { get; init; }

    /// <summary>The queue it consumes.</summary>
    public required QueueSpec Queue { get; init; }

    /// <summary>Fewest replicas, also the off-peak floor.</summary>
    public int MinReplicas { get; init; } = 1;

    /// <summary>Most replicas.</summary>
    public int MaxReplicas { get; init; } = 10;

    /// <summary>Container resources.</summary>
    public ResourceSpec? Resources { get; init; }

    /// <summary>Use a KEDA ScaledObject instead of an HPA on an external metric.</summary>
    public bool Keda { get; init; }
}

/// <summary>The queue a worker consumes and the backlog each replica should hold.</summary>
public sealed record QueueSpec(string Name, QueueKind Kind, int TargetLengthPerReplica, int? PeakLength);

/// <summary>Queue technologies.</summary>
public enum QueueKind
{
    /// <summary>A Redis list.</summary>
    Redis,

    /// <summary>A Kafka topic (lag of a consumer group).</summary>
    Kafka,

    /// <summary>A NATS JetStream stream.</summary>
    Nats,

    /// <summary>An SQS-style external queue.</summary>
    External,

    /// <summary>A job queue of the stack: the backlog is Keelson's <c>keelson_queue_pending_jobs</c> gauge.</summary>
    Keelson,
}

/// <summary>Batch work run to completion.</summary>
public record JobComponent : Component
{
    /// <inheritdoc/>
    public override string Kind => "job";

    /// <summary>Container image reference.</summary>
    public required string Image { get; init; }

    /// <summary>Command and arguments.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>Pods running at once.</summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>Successful pods needed.</summary>
    public int Completions { get; init; } = 1;

    /// <summary>Wall-clock limit of the whole job.</summary>
    public TimeSpan? Deadline { get; init; }

    /// <summary>Retries before the job fails.</summary>
    public int BackoffLimit { get; init; } = 3;

    /// <summary>Container resources.</summary>
    public ResourceSpec? Resources { get; init; }

    /// <summary>Estimated run time of one pod, for cost.</summary>
    public TimeSpan? RunTime { get; init; }

    /// <summary>The stack queue that admits each run; null runs it as soon as it is created.</summary>
    public string? Queue { get; init; }

    /// <summary>Order within the queue: higher first, and may preempt lower when the queue allows.</summary>
    public int Priority { get; init; }

    /// <summary>CPU, or the GPU type each pod asks for.</summary>
    public DeviceChoice Device { get; init; } = DeviceChoice.Cpu;

    /// <summary>GPUs per pod when <see cref="Device"/> is a GPU type (<c>nvidia.com/gpu</c>); 0 on CPU.</summary>
    public int Gpus => Device.Kind == DeviceKind.Gpu ? GpusPerPod : 0;

    /// <summary>GPUs per pod as written (<c>gpus</c>, default 1); counts only with a GPU <see cref="Device"/>.</summary>
    public int GpusPerPod { get; init; } = 1;
}

/// <summary>Batch work on a schedule.</summary>
public sealed record CronJobComponent : JobComponent
{
    /// <inheritdoc/>
    public override string Kind => "cronjob";

    /// <summary>Five-field cron schedule.</summary>
    public required string Schedule { get; init; }

    /// <summary>What to do when a run is still going at the next tick.</summary>
    public ConcurrencyPolicy ConcurrencyPolicy { get; init; } = ConcurrencyPolicy.Forbid;
}

/// <summary>Kubernetes CronJob concurrency policy.</summary>
public enum ConcurrencyPolicy
{
    /// <summary>Runs may overlap.</summary>
    Allow,

    /// <summary>Skip a run while one is active.</summary>
    Forbid,

    /// <summary>Replace the active run.</summary>
    Replace,
}

/// <summary>Stateful infrastructure: a database, cache or broker.</summary>
public abstract record StatefulComponent : Component
{
    /// <summary>Persistent storage per replica.</summary>
    public required StorageSpec Storage { get; init; }

    /// <summary>Container resources; the engine's default when absent.</summary>
    public ResourceSpec? Resources { get; init; }

    /// <summary>Engine version tag.</summary>
    public string? Version { get; init; }
}

/// <summary>A PostgreSQL database.</summary>
public sealed record DatabaseComponent : StatefulComponent
{
    /// <inheritdoc/>
    public override string Kind => "database";

    /// <summary>Primary plus streaming replicas.</summary>
    public int Replicas { get; init; } = 1;
}

/// <summary>A Redis cache, optionally with replicas.</summary>
public sealed record CacheComponent : StatefulComponent
{
    /// <inheritdoc/>
    public override string Kind => "cache";

    /// <summary>Read replicas beside the master; when absent, the planner adds the availability target's spares.</summary>
    public int? Replicas { get; init; }
}

/// <summary>A message broker.</summary>
public sealed record BrokerComponent : StatefulComponent
{
    /// <inheritdoc/>
    public override string Kind => "broker";

    /// <summary>Broker engine.</summary>
    public BrokerEngine Engine { get; init; } = BrokerEngine.Kafka;

    /// <summary>Broker nodes.</summary>
    public int Brokers { get; init; } = 1;

    /// <summary>Kafka coordinator: a ZooKeeper ensemble or KRaft controllers.</summary>
    public KafkaCoordinator Coordinator { get; init; } = KafkaCoordinator.Kraft;
}

/// <summary>Broker engines.</summary>
public enum BrokerEngine
{
    /// <summary>Apache Kafka.</summary>
    Kafka,

    /// <summary>NATS with JetStream.</summary>
    Nats,
}

/// <summary>How Kafka coordinates its brokers.</summary>
public enum KafkaCoordinator
{
    /// <summary>KRaft controllers inside the brokers.</summary>
    Kraft,

    /// <summary>A separate ZooKeeper ensemble.</summary>
    Zookeeper,
}

/// <summary>An inference server for one model.</summary>
public sealed record ModelComponent : Component
{
    /// <inheritdoc/>
    public override string Kind => "model";

    /// <summary>Model format served.</summary>
    public ModelFormat Format { get; init; } = ModelFormat.Onnx;

    /// <summary>Where the model artifact lives (object store URI) for Triton; absent when <see cref="Registry"/> names the model.</summary>
    public string? ModelUri { get; init; }

    /// <summary>A model of Keelson's own registry, served by <c>keelson serve --role inference</c>; absent for a <see cref="ModelUri"/>.</summary>
    public RegistryModel? Registry { get; init; }

    /// <summary>Serving image; the format's default server when absent.</summary>
    public string? Image { get; init; }

    /// <summary>CPU or a GPU type.</summary>
    public DeviceChoice Device { get; init; } = DeviceChoice.Cpu;

    /// <summary>Fixed replicas, or derived from request rate.</summary>
    public int? Replicas { get; init; }

    /// <summary>Peak inferences per second.</summary>
    public double? RequestsPerSecond { get; init; }

    /// <summary>Inferences per second one replica serves.</summary>
    public double? RequestsPerSecondPerReplica { get; init; }

    /// <summary>Container resources.</summary>
    public ResourceSpec? Resources { get; init; }
}

/// <summary>A version of a model in a Keelson registry: the server that holds it, the tenant, the model, and a version number or alias.</summary>
/// <param name="Server">Base URL of the Keelson server whose registry holds the model, e.g. <c>http://keelson.keelson-system:8001</c>.</param>
/// <param name="Tenant">Tenant that owns the model.</param>
/// <param name="Model">Model name in the registry.</param>
/// <param name="Version">A version number or an alias (<c>production</c> when the stack names neither), resolved once when a replica starts.</param>
public sealed record RegistryModel(string Server, string Tenant, string Model, string Version)
{
    /// <summary>Whether the replicas also serve the Open Inference Protocol over gRPC (port <c>grpc</c>, 8081).</summary>
    public bool Grpc { get; init; }
}

/// <summary>Model serving formats.</summary>
public enum ModelFormat
{
    /// <summary>ONNX Runtime server.</summary>
    Onnx,

    /// <summary>NVIDIA Triton Inference Server.</summary>
    Triton,
}

/// <summary>A Spark application run by the Spark operator.</summary>
public sealed record SparkComponent : Component
{
    /// <inheritdoc/>
    public override string Kind => "spark";

    /// <summary>Batch or streaming.</summary>
    public SparkMode Mode { get; init; } = SparkMode.Batch;

    /// <summary>Application image.</summary>
    public required string Image { get; init; }

    /// <summary>Main application file.</summary>
    public required string MainApplicationFile { get; init; }

    /// <summary>Driver cores and memory.</summary>
    public required SparkRoleSize Driver { get; init; }

    /// <summary>Executor cores and memory.</summary>
    public required SparkRoleSize Executor { get; init; }

    /// <summary>Executors at start.</summary>
    public int Executors { get; init; } = 2;

    /// <summary>Dynamic allocation bounds, e.g. 2–100.</summary>
    public DynamicAllocationSpec? DynamicAllocation { get; init; }

    /// <summary>Schedule of a batch application; absent means run on demand.</summary>
    public string? Schedule { get; init; }
}

/// <summary>Spark run mode.</summary>
public enum SparkMode
{
    /// <summary>A batch application.</summary>
    Batch,

    /// <summary>A long-running streaming application.</summary>
    Streaming,
}

/// <summary>Cores and memory of a Spark driver or executor.</summary>
public sealed record SparkRoleSize(int Cores, ByteSize Memory);

/// <summary>Spark dynamic allocation bounds.</summary>
public sealed record DynamicAllocationSpec(int MinExecutors, int MaxExecutors);
