using k8s.Models;
using static Keelson.Validation.Schema.Crds.CrdShapes;

namespace Keelson.Validation.Schema.Crds;

/// <summary>
/// The Kubeflow Spark operator's <c>sparkoperator.k8s.io/v1beta2</c> SparkApplication: every spec, driver and executor
/// field of the v2 CRD; the embedded core types (volumes, env, containers, affinity) through their models, and the
/// pod <c>template</c>, which the CRD leaves schemaless, not at all.
/// </summary>
internal static class SparkApplicationSchema
{
    private static readonly Shape NamePath = Obj("NamePath", ("name!", Str), ("path!", Str));

    private static readonly Shape Port = Obj("Port", ("name!", Str), ("protocol!", Str), ("containerPort!", Int));

    private static readonly Shape Containers = ListOf(Model<V1Container>());

    // Memory sizes here are Spark's (512m, 2g), not Kubernetes quantities, so they are plain strings.
    private static readonly (string, Shape)[] SparkPodFields =
    [
        ("template", Any), ("cores", Int), ("coreLimit", Str), ("memory", Str), ("memoryOverhead", Str),
        ("gpu", Obj("GPUSpec", ("name!", Str), ("quantity!", Int))), ("image", Str), ("configMaps", ListOf(NamePath)),
        ("secrets", ListOf(Obj("SecretInfo", ("name!", Str), ("path!", Str), ("secretType!", Str)))),
        ("env", ListOf(Model<V1EnvVar>())), ("envVars", StringMap), ("envFrom", ListOf(Model<V1EnvFromSource>())),
        ("envSecretKeyRefs", MapOf(Obj("NameKey", ("name!", Str), ("key!", Str)))), ("labels", StringMap), ("annotations", StringMap),
        ("volumeMounts", ListOf(Model<V1VolumeMount>())), ("affinity", Model<V1Affinity>()), ("tolerations", ListOf(Model<V1Toleration>())),
        ("podSecurityContext", Model<V1PodSecurityContext>()), ("securityContext", Model<V1SecurityContext>()), ("schedulerName", Str),
        ("sidecars", Containers), ("initContainers", Containers), ("hostNetwork", Bool), ("nodeSelector", StringMap),
        ("dnsConfig", Model<V1PodDNSConfig>()), ("terminationGracePeriodSeconds", Int), ("serviceAccount", Str),
        ("hostAliases", ListOf(Model<V1HostAlias>())), ("shareProcessNamespace", Bool),
    ];

    // Fields the driver and the executor both add to the shared pod fields.
    private static readonly (string, Shape)[] RoleFields =
        [("coreRequest", Str), ("javaOptions", Str), ("lifecycle", Model<V1Lifecycle>()), ("ports", ListOf(Port)), ("priorityClassName", Str)];

    private static readonly Shape Driver = Obj("DriverSpec",
        [.. SparkPodFields, .. RoleFields, ("podName", Str), ("kubernetesMaster", Str), ("serviceAnnotations", StringMap), ("serviceLabels", StringMap)]);

    private static readonly Shape Executor = Obj("ExecutorSpec", [.. SparkPodFields, .. RoleFields, ("instances", Int), ("deleteOnTermination", Bool)]);

    private static readonly Shape Dependencies = Obj("Dependencies",
        ("jars", Strings), ("files", Strings), ("pyFiles", Strings), ("packages", Strings), ("excludePackages", Strings), ("repositories", Strings), ("archives", Strings));

    private static readonly Shape RestartPolicy = Obj("RestartPolicy",
        ("type", Enum("Never", "Always", "OnFailure")), ("onSubmissionFailureRetries", Int), ("onFailureRetries", Int),
        ("onSubmissionFailureRetryInterval", Int), ("onFailureRetryInterval", Int));

    private static readonly Shape Monitoring = Obj("MonitoringSpec",
        ("exposeDriverMetrics!", Bool), ("exposeExecutorMetrics!", Bool), ("metricsProperties", Str), ("metricsPropertiesFile", Str),
        ("prometheus", Obj("PrometheusSpec", ("jmxExporterJar!", Str), ("port", Int), ("portName", Str), ("configFile", Str), ("configuration", Str))));

    private static readonly (string, Shape)[] ServiceFields =
    [
        ("serviceType", Str), ("serviceAnnotations", StringMap), ("serviceLabels", StringMap), ("ingressAnnotations", StringMap),
        ("ingressTLS", ListOf(Model<V1IngressTLS>())),
    ];

    private static readonly Shape SparkUi = Obj("SparkUIConfiguration", [("servicePort", Int), ("servicePortName", Str), .. ServiceFields]);

    private static readonly Shape DriverIngress = Obj("DriverIngressConfiguration",
        [("servicePort!", Int), ("servicePortName!", Str), ("ingressURLFormat", Str), .. ServiceFields]);

    private static readonly Shape DynamicAllocation = Obj("DynamicAllocation",
        ("enabled", Bool), ("initialExecutors", Int), ("minExecutors", Int), ("maxExecutors", Int), ("shuffleTrackingTimeout", Int));

    /// <summary>The spec: every field of the CRD; also the <c>template</c> of a ScheduledSparkApplication.</summary>
    public static Shape Spec { get; } = Obj("SparkApplicationSpec",
        ("type!", Enum("Java", "Python", "Scala", "R")), ("sparkVersion!", Str), ("mode", Enum("cluster", "client")), ("proxyUser", Str),
        ("image", Str), ("imagePullPolicy", Str), ("imagePullSecrets", Strings), ("mainClass", Str), ("mainApplicationFile!", Str),
        ("arguments", Strings), ("sparkConf", StringMap), ("hadoopConf", StringMap), ("sparkConfigMap", Str), ("hadoopConfigMap", Str),
        ("volumes", ListOf(Model<V1Volume>())), ("driver!", Driver), ("executor!", Executor), ("deps", Dependencies),
        ("restartPolicy", RestartPolicy), ("nodeSelector", StringMap), ("failureRetries", Int), ("retryInterval", Int),
        ("pythonVersion", Enum("2", "3")), ("memoryOverheadFactor", Str), ("monitoring", Monitoring), ("batchScheduler", Str),
        ("timeToLiveSeconds", Int), ("batchSchedulerOptions", Obj("BatchSchedulerConfiguration", ("queue", Str), ("priorityClassName", Str), ("resources", MapOf(Quantity)))),
        ("sparkUIOptions", SparkUi), ("driverIngressOptions", ListOf(DriverIngress)), ("dynamicAllocation", DynamicAllocation));

    /// <summary>The whole object.</summary>
    public static Shape Resource { get; } = CrdShapes.Resource("SparkApplication", Spec);
}
