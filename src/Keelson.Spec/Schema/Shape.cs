namespace Keelson.Spec.Schema;

/// <summary>The shape a YAML node must have; one tree of these describes the whole stack format.</summary>
/// <remarks>
/// The parser checks documents against it, and the JSON Schema for editors is generated from it,
/// so the two cannot drift apart.
/// </remarks>
public abstract record Shape(string Description);

/// <summary>A mapping with a fixed set of fields.</summary>
public sealed record ObjectShape(string Description, IReadOnlyList<Field> Fields) : Shape(Description)
{
    /// <summary>Pairs of fields of which at most one may be given.</summary>
    public IReadOnlyList<(string A, string B)> Exclusive { get; init; } = [];

    /// <summary>Groups of fields of which at least one must be given.</summary>
    public IReadOnlyList<IReadOnlyList<string>> AnyOf { get; init; } = [];

    /// <summary>Pairs where giving the first field requires the second.</summary>
    public IReadOnlyList<(string Field, string Needs)> Requires { get; init; } = [];
}

/// <summary>A mapping whose field set depends on a discriminator field, like a component's <c>kind</c>.</summary>
public sealed record TaggedShape(
    string Description,
    string Tag,
    IReadOnlyList<Field> Common,
    IReadOnlyDictionary<string, ObjectShape> Variants) : Shape(Description);

/// <summary>A sequence of items of one shape.</summary>
public sealed record ListShape(string Description, Shape Item) : Shape(Description)
{
    /// <summary>Fewest items allowed.</summary>
    public int MinItems { get; init; }
}

/// <summary>A mapping from string keys to values of one shape (labels, env).</summary>
public sealed record MapShape(string Description, Shape Value, ScalarType KeyType) : Shape(Description);

/// <summary>A single value.</summary>
public sealed record ScalarShape(string Description, ScalarType Type) : Shape(Description)
{
    /// <summary>Allowed values, when the set is closed.</summary>
    public IReadOnlyList<string>? Enum { get; init; }

    /// <summary>Smallest allowed number.</summary>
    public double? Minimum { get; init; }

    /// <summary>Largest allowed number.</summary>
    public double? Maximum { get; init; }
}

/// <summary>A named field of an object.</summary>
public sealed record Field(string Name, Shape Shape, bool Required = false);

/// <summary>The value types of scalars.</summary>
public enum ScalarType
{
    /// <summary>Any string.</summary>
    Text,

    /// <summary>A DNS-1123 label: lower-case letters, digits and '-', at most 63 characters.</summary>
    DnsLabel,

    /// <summary>A DNS-1123 subdomain, e.g. a host name.</summary>
    Hostname,

    /// <summary>A Kubernetes label key, e.g. <c>app.kubernetes.io/name</c>.</summary>
    LabelKey,

    /// <summary>A Kubernetes label value.</summary>
    LabelValue,

    /// <summary>An environment variable name.</summary>
    EnvName,

    /// <summary>An integer.</summary>
    WholeNumber,

    /// <summary>A decimal number.</summary>
    Number,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>A CPU quantity: <c>500m</c>, <c>2</c>.</summary>
    Cpu,

    /// <summary>A memory or storage quantity: <c>512Mi</c>, <c>10Gi</c>.</summary>
    Memory,

    /// <summary>A percentage: <c>99.9%</c> or <c>99.9</c>.</summary>
    Percent,

    /// <summary>A duration: <c>150ms</c>, <c>20s</c>, <c>5m</c>, <c>2h</c>.</summary>
    Duration,

    /// <summary>A five-field cron schedule.</summary>
    Cron,

    /// <summary>A container image reference.</summary>
    Image,

    /// <summary>A URL path starting with '/'.</summary>
    UrlPath,

    /// <summary>A time of day, <c>HH:MM</c> from 00:00 to 24:00.</summary>
    TimeOfDay,

    /// <summary>An absolute <c>http://</c> or <c>https://</c> URL without query or fragment.</summary>
    HttpUrl,

    /// <summary>A registry model name: 1-63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit.</summary>
    ModelName,

    /// <summary>A registry alias: 1-63 lowercase letters, digits, '_' or '-', starting with a letter.</summary>
    ModelAlias,
}
