using Keelson.Spec.Model;

namespace Keelson.Spec.Parsing;

/// <summary>Builds components from checked mappings, one method per kind.</summary>
internal static class ComponentBinder
{
    public static Component Bind(YamlMap m)
    {
        Component component = m.Required("kind") switch
        {
            "ai-service" => AiService(m),
            "service" => Service(m),
            "worker" => Worker(m),
            "job" => Job(m),
            "cronjob" => CronJob(m),
            "database" => new DatabaseComponent { Name = "", Storage = Storage(m)!, Replicas = m.Int("replicas") ?? 1 },
            "cache" => new CacheComponent { Name = "", Storage = Storage(m)!, Replicas = m.Int("replicas") },
            "broker" => Broker(m),
            "model" => Model(m),
            "spark" => Spark(m),
            var kind => throw new InvalidOperationException($"Kind '{kind}' passed the shape check but has no binder."),
        };

        if (component is StatefulComponent stateful)
        {
            component = stateful with { Resources = Resources(m), Version = m.String("version") };
        }

        return component with { Name = m.Required("name"), DependsOn = m.Strings("dependsOn"), Pool = m.String("pool") };
    }

    private static AiServiceComponent AiService(YamlMap m)
    {
        TrafficSpec? traffic = null;
        if (m.Double("arrivalsPerHour") is { } arrivals)
        {
            var level = m.Map("serviceLevel");
            traffic = new TrafficSpec(
                arrivals,
                TimeSpan.FromSeconds(m.Double("handleTimeSeconds") ?? 0),
                level.Percent("percent") ?? 80,
                TimeSpan.FromSeconds(level.Double("withinSeconds") ?? 20));
        }

        return new AiServiceComponent
        {
            Name = "",
            Service = Enum.Parse<AiServiceType>(m.Required("service"), ignoreCase: true),
            Sessions = m.Int("sessions"),
            Traffic = traffic,
            Device = Device(m.String("device") ?? "auto"),
            Image = m.String("image"),
        };
    }

    private static ServiceComponent Service(YamlMap m)
    {
        var probes = m.Map("probes");
        var autoscaling = m.Map("autoscaling");
        return new ServiceComponent
        {
            Name = "",
            Image = m.Required("image"),
            Port = m.Int("port") ?? 8080,
            Protocol = m.String("protocol") == "grpc" ? ServiceProtocol.Grpc : ServiceProtocol.Http,
            Replicas = m.Int("replicas"),
            RequestsPerSecond = m.Double("requestsPerSecond"),
            RequestsPerSecondPerReplica = m.Double("requestsPerSecondPerReplica"),
            Resources = Resources(m),
            Autoscaling = autoscaling.Exists
                ? new AutoscalingSpec(autoscaling.Int("minReplicas"), autoscaling.Int("maxReplicas"), autoscaling.Int("cpuPercent"), autoscaling.Int("memoryPercent"))
                : null,
            Probes = probes.Exists ? new ProbeSpec(probes.String("liveness"), probes.String("readiness"), probes.Duration("initialDelay")) : null,
            Routes = [.. m.Maps("routes").Select(r => new RouteSpec(r.Required("host"), r.String("path") ?? "/", r.Bool("tls") ?? false, r.Int("rateLimitPerMinute")))],
            Env = m.Dictionary("env"),
            Config = m.Dictionary("config"),
            Secrets = m.Strings("secrets"),
            Storage = Storage(m),
        };
    }

    private static WorkerComponent Worker(YamlMap m)
    {
        var queue = m.Map("queue");
        return new WorkerComponent
        {
            Name = "",
            Image = m.Required("image"),
            Queue = new QueueSpec(
                queue.Required("name"),
                Enum.Parse<QueueKind>(queue.Required("type"), ignoreCase: true),
                queue.Int("targetPerReplica") ?? 10,
                queue.Int("peakLength")),
            MinReplicas = m.Int("minReplicas") ?? 1,
            MaxReplicas = m.Int("maxReplicas") ?? 10,
            Keda = m.Bool("keda") ?? false,
            Resources = Resources(m),
        };
    }

    private static JobComponent Job(YamlMap m) => new()
    {
        Name = "",
        Image = m.Required("image"),
        Command = m.Strings("command"),
        Parallelism = m.Int("parallelism") ?? 1,
        Completions = m.Int("completions") ?? 1,
        Deadline = m.Duration("deadline"),
        BackoffLimit = m.Int("backoffLimit") ?? 3,
        RunTime = m.Duration("runTime"),
        Resources = Resources(m),
        Queue = m.String("queue"),
        Priority = m.Int("priority") ?? 0,
        Device = Device(m.String("device") ?? "cpu"),
        GpusPerPod = m.Int("gpus") ?? 1,
    };

    private static CronJobComponent CronJob(YamlMap m)
    {
        var job = Job(m);
        return new CronJobComponent
        {
            Name = "",
            Image = job.Image,
            Command = job.Command,
            Parallelism = job.Parallelism,
            Completions = job.Completions,
            Deadline = job.Deadline,
            BackoffLimit = job.BackoffLimit,
            RunTime = job.RunTime,
            Resources = job.Resources,
            Queue = job.Queue,
            Priority = job.Priority,
            Device = job.Device,
            GpusPerPod = job.GpusPerPod,
            Schedule = m.Required("schedule"),
            ConcurrencyPolicy = Enum.Parse<ConcurrencyPolicy>(m.String("concurrencyPolicy") ?? "Forbid"),
        };
    }

    private static BrokerComponent Broker(YamlMap m) => new()
    {
        Name = "",
        Storage = Storage(m)!,
        Engine = m.String("engine") == "nats" ? BrokerEngine.Nats : BrokerEngine.Kafka,
        Brokers = m.Int("brokers") ?? 1,
        Coordinator = m.String("coordinator") == "zookeeper" ? KafkaCoordinator.Zookeeper : KafkaCoordinator.Kraft,
    };

    private static ModelComponent Model(YamlMap m) => new()
    {
        Name = "",
        Format = m.String("format") == "triton" ? ModelFormat.Triton : ModelFormat.Onnx,
        ModelUri = m.String("modelUri"),
        Registry = m.Map("registry") is { } r && r.String("model") is { } model
            ? new RegistryModel(r.Required("server"), r.Required("tenant"), model, r.String("alias") ?? r.Int("version")?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "production")
            {
                Grpc = r.Bool("grpc") ?? false,
            }
            : null,
        Image = m.String("image"),
        Device = Device(m.String("device") ?? "cpu"),
        Replicas = m.Int("replicas"),
        RequestsPerSecond = m.Double("requestsPerSecond"),
        RequestsPerSecondPerReplica = m.Double("requestsPerSecondPerReplica"),
        Resources = Resources(m),
    };

    private static SparkComponent Spark(YamlMap m)
    {
        var dynamic = m.Map("dynamicAllocation");
        return new SparkComponent
        {
            Name = "",
            Mode = m.String("mode") == "streaming" ? SparkMode.Streaming : SparkMode.Batch,
            Image = m.Required("image"),
            MainApplicationFile = m.Required("mainApplicationFile"),
            Driver = Role(m.Map("driver")),
            Executor = Role(m.Map("executor")),
            Executors = m.Int("executors") ?? 2,
            DynamicAllocation = dynamic.Exists ? new DynamicAllocationSpec(dynamic.Int("minExecutors") ?? 0, dynamic.Int("maxExecutors") ?? 1) : null,
            Schedule = m.String("schedule"),
        };

        static SparkRoleSize Role(YamlMap r) => new(r.Int("cores") ?? 1, r.Memory("memory") ?? Units.ByteSize.Zero);
    }

    internal static DeviceChoice Device(string text) => text switch
    {
        "auto" => DeviceChoice.Auto,
        "cpu" => DeviceChoice.Cpu,
        var gpu => DeviceChoice.OnGpu(Enum.Parse<GpuType>(gpu)),
    };

    private static StorageSpec? Storage(YamlMap m)
    {
        var storage = m.Map("storage");
        return storage.Exists ? new StorageSpec(storage.Memory("size") ?? Units.ByteSize.Zero, storage.String("class")) : null;
    }

    private static ResourceSpec? Resources(YamlMap m)
    {
        var resources = m.Map("resources");
        if (!resources.Exists)
        {
            return null;
        }

        var requests = resources.Map("requests");
        var limits = resources.Map("limits");
        var cpuRequest = requests.Cpu("cpu") ?? limits.Cpu("cpu") ?? new Units.MilliCpu(100);
        var memoryRequest = requests.Memory("memory") ?? limits.Memory("memory") ?? Units.ByteSize.FromMiB(128);
        return new ResourceSpec(cpuRequest, memoryRequest, limits.Cpu("cpu") ?? cpuRequest, limits.Memory("memory") ?? memoryRequest);
    }
}
