namespace Keelson.Spec.Schema;

/// <summary>The stack format, field by field: the single source for the parser and the JSON Schema.</summary>
public static class StackSchema
{
    /// <summary>The API version stacks declare.</summary>
    public const string ApiVersion = "keelson.dev/v1alpha1";

    /// <summary>Names of the built-in cluster profiles.</summary>
    public static readonly IReadOnlyList<string> BuiltInProfiles = ["aws-general", "aws-gpu", "ncp"];

    /// <summary>Devices an inference component may ask for.</summary>
    public static readonly IReadOnlyList<string> Devices = ["auto", "cpu", "T4", "V100", "L40S", "A100", "H100"];

    /// <summary>Most replicas of one workload Keelson accepts anywhere (fixed, autoscaling bounds, workers); the planner's limit too.</summary>
    public const int MaxReplicas = 100_000;

    /// <summary>Highest hourly price of one node accepted, in US dollars; the largest cloud GPU machines cost about $100.</summary>
    public const double MaxHourlyUsd = 10_000;

    /// <summary>Pod slots of <c>maxPods</c> the DaemonSets on every node take (CNI, kube-proxy, node exporter).</summary>
    public const int DaemonSetPods = 3;

    /// <summary>GPU types a node pool may carry.</summary>
    public static readonly IReadOnlyList<string> GpuTypes = ["T4", "V100", "L40S", "A100", "H100"];

    private static ScalarShape Str(string d) => new(d, ScalarType.Text);

    private static ScalarShape Of(ScalarType t, string d) => new(d, t);

    private static ScalarShape Int(string d, double min, double? max = null) => new(d, ScalarType.WholeNumber) { Minimum = min, Maximum = max };

    private static ScalarShape Num(string d, double min, double? max = null) => new(d, ScalarType.Number) { Minimum = min, Maximum = max };

    private static ScalarShape OneOf(string d, params string[] values) => new(d, ScalarType.Text) { Enum = values };

    private static Field F(string name, Shape shape) => new(name, shape);

    private static Field R(string name, Shape shape) => new(name, shape, Required: true);

    private static ObjectShape Obj(string d, params Field[] fields) => new(d, fields);

    private static readonly MapShape Labels = new(
        "Kubernetes labels added to every object.", Of(ScalarType.LabelValue, "Label value."), ScalarType.LabelKey);

    private static readonly ObjectShape Resources = Obj(
        "Container requests and limits, as in a Kubernetes container spec.",
        F("requests", Obj("Guaranteed amounts used for scheduling.", F("cpu", Of(ScalarType.Cpu, "CPU request, e.g. 100m.")), F("memory", Of(ScalarType.Memory, "Memory request, e.g. 128Mi.")))),
        F("limits", Obj("Hard caps.", F("cpu", Of(ScalarType.Cpu, "CPU limit, e.g. 200m.")), F("memory", Of(ScalarType.Memory, "Memory limit, e.g. 256Mi.")))));

    private static readonly ObjectShape Storage = Obj(
        "Persistent volume per replica.",
        R("size", Of(ScalarType.Memory, "Volume size, e.g. 10Gi.")),
        F("class", Str("StorageClass name; the cluster default when absent.")));

    private static readonly ScalarShape Device = new("Where inference runs: auto (cheapest on this cluster), cpu, or a GPU type.", ScalarType.Text) { Enum = Devices };

    // A job has no catalog figures to compare devices with, so it names its GPU type or runs on CPU (no 'auto').
    private static readonly ScalarShape JobDevice = new("Where each pod runs: cpu (default) or a GPU type; a queued job is admitted onto a pool with that GPU type.", ScalarType.Text) { Enum = ["cpu", .. GpuTypes] };

    private static readonly ObjectShape RegistryModel = new(
        "A model of a Keelson registry, served by 'keelson serve --role inference' (pulled from the server when a replica starts).",
        [
            R("server", Of(ScalarType.HttpUrl, "Base URL of the Keelson server holding the registry, e.g. http://keelson.keelson-system:8001.")),
            R("tenant", Of(ScalarType.DnsLabel, "Tenant that owns the model.")),
            R("model", Of(ScalarType.ModelName, "Model name in the registry.")),
            F("alias", Of(ScalarType.ModelAlias, "Alias to serve, e.g. production (the default) or staging.")),
            F("version", Int("Version number to serve.", 1, int.MaxValue)),
            F("grpc", Of(ScalarType.Boolean, "Also serve the Open Inference Protocol over gRPC (cleartext HTTP/2) on port 8081.")),
        ])
    {
        Exclusive = [("alias", "version")],
    };

    private static readonly ListShape DependsOn = new("Components this one calls (network policy, start order).", Of(ScalarType.DnsLabel, "Component name."));

    private static readonly ObjectShape Autoscaling = Obj(
        "HorizontalPodAutoscaler bounds and targets.",
        F("minReplicas", Int("Fewest replicas.", 1, MaxReplicas)),
        F("maxReplicas", Int("Most replicas.", 1, MaxReplicas)),
        F("cpuPercent", Int("Target average CPU utilisation of requests.", 1, 100)),
        F("memoryPercent", Int("Target average memory utilisation of requests.", 1, 100)));

    private static readonly Field[] JobFields =
    [
        R("image", Of(ScalarType.Image, "Container image.")),
        F("command", new ListShape("Command and arguments.", Str("Argument."))),
        F("parallelism", Int("Pods running at once.", 1, 1000)),
        F("completions", Int("Successful pods needed.", 1, 100000)),
        F("deadline", Of(ScalarType.Duration, "activeDeadlineSeconds of the job, e.g. 2h.")),
        F("backoffLimit", Int("Retries before the job fails.", 0, 100)),
        F("runTime", Of(ScalarType.Duration, "Expected run time of one pod, used for cost.")),
        F("resources", Resources),
        F("queue", Of(ScalarType.DnsLabel, "Stack job queue that admits each run; the Job is created suspended until admitted.")),
        F("priority", Int("Order in the queue: higher first; may preempt lower when the queue allows.", -1_000_000, 1_000_000)),
        F("device", JobDevice),
        F("gpus", Int("GPUs per pod when device is a GPU type; default 1.", 1, 16)),
    ];

    private static readonly (string, string)[] JobRequires = [("priority", "queue"), ("gpus", "device")];

    private static ObjectShape Quota(string d) => Obj(d,
        F("cpu", Of(ScalarType.Cpu, "CPU, e.g. 16.")),
        F("memory", Of(ScalarType.Memory, "Memory, e.g. 64Gi.")),
        F("gpu", Int("GPUs.", 0, 100_000)));

    /// <summary>A job queue with quotas (Kueue's ClusterQueue).</summary>
    public static readonly ObjectShape Queue = Obj(
        "A job queue with quotas per node pool.",
        R("name", Of(ScalarType.DnsLabel, "Queue name; job and cronjob components name it in 'queue'.")),
        F("cohort", Of(ScalarType.DnsLabel, "Queues with the same cohort lend each other unused nominal quota.")),
        F("queueingStrategy", OneOf("What a head that does not fit does: blocks its queue (StrictFIFO) or steps aside (BestEffortFIFO, default).", "BestEffortFIFO", "StrictFIFO")),
        F("preemption", Obj("Which admitted jobs a pending job may evict.",
            F("withinQueue", OneOf("The queue's own jobs; default Never.", "Never", "LowerPriority", "LowerOrNewerEqualPriority")),
            F("reclaimWithinCohort", OneOf("Jobs of cohort members borrowing this queue's quota; default Never.", "Never", "LowerPriority", "Any")))),
        R("flavors", new ListShape("Quotas per node pool, in the order they are tried.", Obj("A node pool's quota.",
            R("pool", Of(ScalarType.DnsLabel, "Node pool of the cluster.")),
            R("nominal", Quota("What the queue owns of this pool.")),
            F("borrowingLimit", Quota("How much more the queue may borrow from its cohort; no limit when absent.")),
            F("lendingLimit", Quota("How much of its nominal quota the queue lends to its cohort; the rest is guaranteed to it. All of it when absent.")))) { MinItems = 1 }));

    /// <summary>The shape of one component, tagged by <c>kind</c>.</summary>
    public static readonly TaggedShape Components = new(
        "A workload or piece of infrastructure.",
        "kind",
        [
            R("name", Of(ScalarType.DnsLabel, "Unique name; becomes the Kubernetes object name.")),
            R("kind", OneOf("What the component is.", "ai-service", "service", "worker", "job", "cronjob", "database", "cache", "broker", "model", "spark")),
            F("dependsOn", DependsOn),
            F("pool", Of(ScalarType.DnsLabel, "Node pool to run on; chosen by the planner when absent.")),
        ],
        new Dictionary<string, ObjectShape>
        {
            ["ai-service"] = new("A catalogued AI service.",
            [
                R("service", OneOf("Catalog entry.", "callbot", "chatbot", "advisor", "stt", "tts", "nlp", "ta", "qa")),
                F("sessions", Int("Concurrent sessions at peak.", 1, 1_000_000)),
                F("arrivalsPerHour", Num("Sessions starting in the busiest hour (Erlang C input).", 0.001, 10_000_000)),
                F("handleTimeSeconds", Num("Average session length in seconds (Erlang C input).", 0.001, 86_400)),
                F("serviceLevel", Obj("Answer target for Erlang C sizing.",
                    F("percent", new ScalarShape("Share answered within the target time; default 80%.", ScalarType.Percent) { Minimum = 1, Maximum = 99.99 }),
                    F("withinSeconds", Num("Answer time target in seconds; default 20.", 0, 86_400)))),
                F("device", Device),
                F("image", Of(ScalarType.Image, "Container image; the catalog default when absent.")),
            ])
            {
                Exclusive = [("sessions", "arrivalsPerHour")],
                AnyOf = [["sessions", "arrivalsPerHour"]],
                Requires = [("arrivalsPerHour", "handleTimeSeconds"), ("handleTimeSeconds", "arrivalsPerHour"), ("serviceLevel", "arrivalsPerHour")],
            },
            ["service"] = new("An HTTP or gRPC service.",
            [
                R("image", Of(ScalarType.Image, "Container image.")),
                F("port", Int("Container port.", 1, 65535)),
                F("protocol", OneOf("Wire protocol.", "http", "grpc")),
                F("replicas", Int("Fixed replica count at peak.", 1, 10000)),
                F("requestsPerSecond", Num("Peak requests per second.", 0.001, 100_000_000)),
                F("requestsPerSecondPerReplica", Num("Requests per second one replica serves at full load.", 0.001, 100_000_000)),
                F("resources", Resources),
                F("autoscaling", Autoscaling),
                F("probes", Obj("Health endpoints.",
                    F("liveness", Of(ScalarType.UrlPath, "Liveness HTTP path, e.g. /health.")),
                    F("readiness", Of(ScalarType.UrlPath, "Readiness HTTP path, e.g. /ready.")),
                    F("initialDelay", Of(ScalarType.Duration, "Delay before the first probe.")))),
                F("routes", new ListShape("Ingress routes to this service.", Obj("A host and path routed to the service.",
                    R("host", Of(ScalarType.Hostname, "Host name, e.g. api.example.com.")),
                    F("path", Of(ScalarType.UrlPath, "Path prefix; default /.")),
                    F("tls", Of(ScalarType.Boolean, "Terminate TLS with a cert-manager certificate.")),
                    F("rateLimitPerMinute", Int("Requests per minute per client.", 1, 1_000_000_000))))),
                F("env", new MapShape("Plain environment variables (never secrets).", Str("Value."), ScalarType.EnvName)),
                F("config", new MapShape("Configuration entries, rendered into a ConfigMap.", Str("Value."), ScalarType.Text)),
                F("secrets", new ListShape("Names of secret keys; values come from the user or a secret store.", Of(ScalarType.EnvName, "Secret key name."))),
                F("storage", Storage),
            ])
            {
                Exclusive = [("replicas", "requestsPerSecond")],
                Requires = [("requestsPerSecond", "requestsPerSecondPerReplica"), ("requestsPerSecondPerReplica", "requestsPerSecond")],
            },
            ["worker"] = new("A queue consumer scaled on queue length.",
            [
                R("image", Of(ScalarType.Image, "Container image.")),
                R("queue", Obj("The queue consumed.",
                    R("name", Str("Queue, topic or stream name.")),
                    R("type", OneOf("Queue technology.", "redis", "kafka", "nats", "external", "keelson")),
                    F("targetPerReplica", Int("Backlog each replica should hold; the HPA target.", 1, 1_000_000_000)),
                    F("peakLength", Int("Expected backlog at peak; sizes the peak replicas.", 0, 1_000_000_000)))),
                F("minReplicas", Int("Fewest replicas.", 0, MaxReplicas)),
                F("maxReplicas", Int("Most replicas.", 1, MaxReplicas)),
                F("keda", Of(ScalarType.Boolean, "Scale with a KEDA ScaledObject.")),
                F("resources", Resources),
            ]),
            ["job"] = new("Batch work run to completion.", JobFields) { Requires = JobRequires },
            ["cronjob"] = new("Batch work on a schedule.",
            [
                .. JobFields,
                R("schedule", Of(ScalarType.Cron, "Five-field cron schedule, e.g. '30 16 * * 1-5'.")),
                F("concurrencyPolicy", OneOf("What to do when the previous run is still active.", "Allow", "Forbid", "Replace")),
            ])
            {
                Requires = JobRequires,
            },
            ["database"] = new("A PostgreSQL database.",
            [
                F("engine", OneOf("Database engine.", "postgresql")),
                F("version", Str("Engine version, e.g. 16.")),
                F("replicas", Int("Primary plus streaming replicas.", 1, 5)),
                R("storage", Storage),
                F("resources", Resources),
            ]),
            ["cache"] = new("A Redis cache.",
            [
                F("engine", OneOf("Cache engine.", "redis")),
                F("version", Str("Engine version, e.g. 7.2.")),
                F("replicas", Int("Read replicas beside the master; default: the availability target's spare replicas.", 0, 5)),
                R("storage", Storage),
                F("resources", Resources),
            ]),
            ["broker"] = new("A message broker.",
            [
                F("engine", OneOf("Broker engine.", "kafka", "nats")),
                F("version", Str("Engine version.")),
                F("brokers", Int("Broker nodes.", 1, 9)),
                F("coordinator", OneOf("Kafka coordination: KRaft controllers or a ZooKeeper ensemble.", "kraft", "zookeeper")),
                R("storage", Storage),
                F("resources", Resources),
            ]),
            ["model"] = new("An inference server for one model.",
            [
                F("format", OneOf("Serving format.", "onnx", "triton")),
                F("modelUri", Str("Where the model artifact lives for Triton, e.g. s3://models/ranker/1.")),
                F("registry", RegistryModel),
                F("image", Of(ScalarType.Image, "Serving image; the format's default server when absent.")),
                F("device", Device),
                F("replicas", Int("Fixed replica count at peak.", 1, 10000)),
                F("requestsPerSecond", Num("Peak inferences per second.", 0.001, 100_000_000)),
                F("requestsPerSecondPerReplica", Num("Inferences per second one replica serves.", 0.001, 100_000_000)),
                F("resources", Resources),
            ])
            {
                Exclusive = [("replicas", "requestsPerSecond"), ("modelUri", "registry"), ("format", "registry")],
                AnyOf = [["modelUri", "registry"]],
                Requires = [("requestsPerSecond", "requestsPerSecondPerReplica"), ("requestsPerSecondPerReplica", "requestsPerSecond")],
            },
            ["spark"] = new("A Spark application (SparkApplication of the Spark operator).",
            [
                F("mode", OneOf("Batch or streaming.", "batch", "streaming")),
                R("image", Of(ScalarType.Image, "Application image.")),
                R("mainApplicationFile", Str("Main file, e.g. local:///opt/app/job.py.")),
                R("driver", SparkRole("Driver size.")),
                R("executor", SparkRole("Executor size.")),
                F("executors", Int("Executors at start.", 1, 1000)),
                F("dynamicAllocation", Obj("Dynamic allocation bounds.",
                    R("minExecutors", Int("Fewest executors.", 0, 1000)),
                    R("maxExecutors", Int("Most executors.", 1, 1000)))),
                F("schedule", Of(ScalarType.Cron, "Cron schedule of a batch application (ScheduledSparkApplication).")),
            ]),
        });

    private static ObjectShape SparkRole(string d) => Obj(d,
        R("cores", Int("Cores.", 1, 64)),
        R("memory", Of(ScalarType.Memory, "Memory, e.g. 2Gi.")));

    /// <summary>A node pool of a cluster profile.</summary>
    public static readonly ObjectShape Pool = Obj(
        "A group of identical nodes.",
        R("name", Of(ScalarType.DnsLabel, "Pool name.")),
        R("role", OneOf("What the pool is for.", "control-plane", "worker", "ingress", "edge", "gpu")),
        R("instance", Obj("The machine type and its prices.",
            R("name", Str("Instance type name, e.g. m6i.2xlarge.")),
            R("vcpu", Int("Virtual CPUs.", 1, 1024)),
            R("memory", Of(ScalarType.Memory, "Memory, e.g. 32Gi.")),
            F("gpus", Int("GPUs per node.", 0, 16)),
            F("gpuType", OneOf("GPU model.", "T4", "V100", "L40S", "A100", "H100")),
            F("maxPods", Int("Pods per node (kubelet max-pods); above the 3 slots DaemonSets take.", DaemonSetPods + 1, 1000)),
            R("prices", Obj("Hourly prices in US dollars.",
                R("onDemand", Num("On-demand price per hour.", 0, MaxHourlyUsd)),
                F("spot", Num("Typical spot price per hour; defaults to on-demand.", 0, MaxHourlyUsd)),
                F("reserved", Num("1-year reserved price per hour; defaults to on-demand.", 0, MaxHourlyUsd)))))),
        F("minNodes", Int("Fewest nodes; paid for even when empty.", 0, 10000)),
        R("maxNodes", Int("Most nodes.", 1, 10000)),
        F("labels", Labels),
        F("taints", new ListShape("Taints on every node of the pool.", Obj("A node taint.",
            R("key", Of(ScalarType.LabelKey, "Taint key.")),
            F("value", Of(ScalarType.LabelValue, "Taint value.")),
            R("effect", OneOf("Taint effect.", "NoSchedule", "PreferNoSchedule", "NoExecute"))))),
        F("zones", new ListShape("Availability zones the pool spans.", Str("Zone name."))),
        F("spot", Of(ScalarType.Boolean, "Whether spot capacity may be used; default true except control-plane.")));

    /// <summary>A cluster: a built-in profile by name, or pools of its own.</summary>
    public static readonly ObjectShape Cluster = new(
        "The cluster to plan onto: a built-in profile or a definition of its own.",
        [
            F("profile", new ScalarShape("A built-in profile.", ScalarType.Text) { Enum = BuiltInProfiles }),
            F("name", Of(ScalarType.DnsLabel, "Name of a custom profile.")),
            F("provider", Str("Cloud or on-premises provider, for documentation.")),
            F("pricesAsOf", Str("Date the prices were read, e.g. 2025-01.")),
            F("controlPlaneMonthlyUsd", Num("Flat monthly fee of a managed control plane.", 0, 1_000_000)),
            F("pools", new ListShape("Node pools.", Pool) { MinItems = 1 }),
        ])
    {
        Exclusive = [("profile", "pools")],
        AnyOf = [["profile", "pools"]],
        Requires = [("pools", "name")],
    };

    /// <summary>The whole stack document.</summary>
    public static readonly ObjectShape Stack = Obj(
        "A Keelson stack: one tenant's platform.",
        F("apiVersion", OneOf("Format version.", ApiVersion)),
        F("kind", OneOf("Document kind.", "Stack")),
        R("metadata", Obj("Who the stack belongs to.",
            R("tenant", Of(ScalarType.DnsLabel, "Tenant id, a DNS-1123 label; names the namespace.")),
            F("displayName", Str("Human-readable name.")),
            F("environment", OneOf("Environment; prod enables monitoring and stricter defaults.", "dev", "staging", "prod")),
            F("labels", Labels))),
        F("sla", Obj("Service-level targets.",
            F("availability", new ScalarShape("Availability target, e.g. 99.9%; default 99.9%.", ScalarType.Percent) { Minimum = 90, Maximum = 99.999 }),
            F("responseTime", Of(ScalarType.Duration, "Target response time, e.g. 150ms; default 500ms.")),
            F("concurrentUsers", Int("Expected concurrent users.", 0, 1_000_000_000)))),
        F("cluster", Cluster),
        F("cost", Obj("Cost optimisations priced beside on-demand.",
            F("spotShare", Num("Share of flexible node-hours on spot, 0–1.", 0, 1)),
            F("reservedShare", Num("Share of always-on nodes under 1-year reservations, 0–1.", 0, 1)),
            F("scaleDown", Obj("Weekly hours when scalable components run at their minimum.",
                F("weekdayFrom", Int("Hour weekday scale-down starts, e.g. 20.", 0, 23)),
                F("weekdayTo", Int("Hour weekday scale-down ends, e.g. 8.", 0, 23)),
                F("weekends", Of(ScalarType.Boolean, "Scale down all of Saturday and Sunday."))) with
            {
                Requires = [("weekdayFrom", "weekdayTo"), ("weekdayTo", "weekdayFrom")],
            }))),
        F("queues", new ListShape("Job queues with quotas that job and cronjob components name.", Queue)),
        R("components", new ListShape("The workloads and infrastructure.", Components) { MinItems = 1 }));
}
