using System.Text.Json.Serialization;

namespace Keelson.Rendering.Crds;

/// <summary>A KEDA ScaledObject (<c>keda.sh/v1alpha1</c>).</summary>
public sealed class ScaledObject : CustomResource<ScaledObjectSpec>
{
    /// <summary>API group and version.</summary>
    public const string Version = "keda.sh/v1alpha1";

    /// <summary>Creates an empty ScaledObject with its apiVersion and kind set.</summary>
    public ScaledObject()
    {
        ApiVersion = Version;
        Kind = "ScaledObject";
    }
}

/// <summary>Spec of a ScaledObject.</summary>
public sealed class ScaledObjectSpec
{
    /// <summary>The Deployment scaled.</summary>
    [JsonPropertyName("scaleTargetRef")]
    public ScaleTarget ScaleTargetRef { get; set; } = new();

    /// <summary>Fewest replicas (0 allows scale to zero).</summary>
    [JsonPropertyName("minReplicaCount")]
    public int MinReplicaCount { get; set; }

    /// <summary>Most replicas.</summary>
    [JsonPropertyName("maxReplicaCount")]
    public int MaxReplicaCount { get; set; }

    /// <summary>Seconds between trigger checks.</summary>
    [JsonPropertyName("pollingInterval")]
    public int PollingInterval { get; set; } = 15;

    /// <summary>Seconds to wait after the last active trigger before scaling to the minimum.</summary>
    [JsonPropertyName("cooldownPeriod")]
    public int CooldownPeriod { get; set; } = 300;

    /// <summary>Event sources.</summary>
    [JsonPropertyName("triggers")]
    public IList<ScaleTrigger> Triggers { get; set; } = [];
}

/// <summary>The object a ScaledObject scales.</summary>
public sealed class ScaleTarget
{
    /// <summary>Target name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";
}

/// <summary>One KEDA trigger.</summary>
public sealed class ScaleTrigger
{
    /// <summary>Scaler type: redis, kafka, nats-jetstream, ...</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    /// <summary>Scaler settings.</summary>
    [JsonPropertyName("metadata")]
    public IDictionary<string, string> Metadata { get; set; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}
