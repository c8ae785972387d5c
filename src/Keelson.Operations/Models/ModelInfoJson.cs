using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keelson.Operations.Models;

/// <summary>How a model's description is kept in the <c>info</c> column: snake_case JSON, the same shape the API shows.</summary>
public static class ModelInfoJson
{
    /// <summary>The serializer options of the column.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The description as JSON text.</summary>
    public static string Write(OnnxModelInfo info) => JsonSerializer.Serialize(info, Options);

    /// <summary>The description read back.</summary>
    public static OnnxModelInfo Read(string json) =>
        JsonSerializer.Deserialize<OnnxModelInfo>(json, Options) ?? throw new InvalidDataException("A stored model description is null.");
}
