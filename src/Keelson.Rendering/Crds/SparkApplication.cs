using System.Text.Json.Serialization;
using k8s.Models;

namespace Keelson.Rendering.Crds;

/// <summary>A Spark application of the Kubeflow Spark operator (<c>sparkoperator.k8s.io/v1beta2</c>).</summary>
public sealed class SparkApplication : CustomResource<SparkApplicationSpec>
{
    /// <summary>API group and version.</summary>
    public const string Version = "sparkoperator.k8s.io/v1beta2";

    /// <summary>Creates an empty application with its apiVersion and kind set.</summary>
    public SparkApplication()
    {
        ApiVersion = Version;
        Kind = "SparkApplication";
    }
}

/// <summary>A Spark application run on a cron schedule (<c>ScheduledSparkApplication</c>).</summary>
public sealed class ScheduledSparkApplication : CustomResource<ScheduledSparkApplicationSpec>
{
    /// <summary>Creates an empty scheduled application with its apiVersion and kind set.</summary>
    public ScheduledSparkApplication()
    {
        ApiVersion = SparkApplication.Version;
        Kind = "ScheduledSparkApplication";
    }
}

/// <summary>Spec of a ScheduledSparkApplication.</summary>
public sealed class ScheduledSparkApplicationSpec
{
    /// <summary>Cron schedule.</summary>
    [JsonPropertyName("schedule")]
    public string Schedule { get; set; } = "";

    /// <summary>Allow, Forbid or Replace.</summary>
    [JsonPropertyName("concurrencyPolicy")]
    public string ConcurrencyPolicy { get; set; } = "Forbid";

    /// <summary>The application to run.</summary>
    [JsonPropertyName("template")]
    public SparkApplicationSpec Template { get; set; } = new();
}

/// <summary>Spec of a SparkApplication: the fields Keelson sets.</summary>
public sealed class SparkApplicationSpec
{
    /// <summary>Python, Scala, Java or R.</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = "Python";

    /// <summary>cluster or client.</summary>
    [JsonPropertyName("mode")]
    public string Mode { get; set; } = "cluster";

    /// <summary>Application image.</summary>
    [JsonPropertyName("image")]
    public string Image { get; set; } = "";

    /// <summary>Spark version of the image.</summary>
    [JsonPropertyName("sparkVersion")]
    public string SparkVersion { get; set; } = "3.5.1";

    /// <summary>Main file.</summary>
    [JsonPropertyName("mainApplicationFile")]
    public string MainApplicationFile { get; set; } = "";

    /// <summary>Spark configuration (streaming, dynamic allocation).</summary>
    [JsonPropertyName("sparkConf")]
    public IDictionary<string, string>? SparkConf { get; set; }

    /// <summary>Restart behaviour.</summary>
    [JsonPropertyName("restartPolicy")]
    public SparkRestartPolicy RestartPolicy { get; set; } = new();

    /// <summary>Driver pod.</summary>
    [JsonPropertyName("driver")]
    public SparkPodSpec Driver { get; set; } = new();

    /// <summary>Executor pods.</summary>
    [JsonPropertyName("executor")]
    public SparkPodSpec Executor { get; set; } = new();

    /// <summary>Dynamic allocation bounds.</summary>
    [JsonPropertyName("dynamicAllocation")]
    public SparkDynamicAllocation? DynamicAllocation { get; set; }
}

/// <summary>Restart policy of a Spark application.</summary>
public sealed class SparkRestartPolicy
{
    /// <summary>Never, OnFailure or Always.</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = "OnFailure";

    /// <summary>Retries after a failed submission.</summary>
    [JsonPropertyName("onFailureRetries")]
    public int? OnFailureRetries { get; set; }
}

/// <summary>Driver or executor settings.</summary>
public sealed class SparkPodSpec
{
    /// <summary>Cores.</summary>
    [JsonPropertyName("cores")]
    public int Cores { get; set; }

    /// <summary>Memory, Spark syntax (e.g. 2048m).</summary>
    [JsonPropertyName("memory")]
    public string Memory { get; set; } = "";

    /// <summary>Executors at start (executor only).</summary>
    [JsonPropertyName("instances")]
    public int? Instances { get; set; }

    /// <summary>Service account of the pod.</summary>
    [JsonPropertyName("serviceAccount")]
    public string? ServiceAccount { get; set; }

    /// <summary>Pod labels.</summary>
    [JsonPropertyName("labels")]
    public IDictionary<string, string>? Labels { get; set; }

    /// <summary>Container security context.</summary>
    [JsonPropertyName("securityContext")]
    public V1SecurityContext? SecurityContext { get; set; }
}

/// <summary>Spark dynamic allocation.</summary>
public sealed class SparkDynamicAllocation
{
    /// <summary>Whether dynamic allocation is on.</summary>
    [JsonPropertyName("enabled")]
    public bool Enabled { get; set; } = true;

    /// <summary>Executors at start.</summary>
    [JsonPropertyName("initialExecutors")]
    public int InitialExecutors { get; set; }

    /// <summary>Fewest executors.</summary>
    [JsonPropertyName("minExecutors")]
    public int MinExecutors { get; set; }

    /// <summary>Most executors.</summary>
    [JsonPropertyName("maxExecutors")]
    public int MaxExecutors { get; set; }
}
