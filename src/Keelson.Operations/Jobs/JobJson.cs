using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keelson.Operations.Jobs;

/// <summary>How job specifications and queue definitions are stored: snake_case JSON, enums by name.</summary>
internal static class JobJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Write(JobSpec spec) => JsonSerializer.Serialize(spec, Options);

    public static JobSpec ReadSpec(string json) => JsonSerializer.Deserialize<JobSpec>(json, Options) ?? throw new InvalidDataException("A stored job specification is null.");

    public static string Write(ClusterQueueSpec queue) => JsonSerializer.Serialize(queue, Options);

    public static ClusterQueueSpec ReadQueue(string json) => JsonSerializer.Deserialize<ClusterQueueSpec>(json, Options) ?? throw new InvalidDataException("A stored queue definition is null.");
}
