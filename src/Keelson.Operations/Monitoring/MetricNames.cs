using System.Text.RegularExpressions;

namespace Keelson.Operations.Monitoring;

/// <summary>The rules for metric names (Prometheus's) and the seed's metric types derived from them.</summary>
public static partial class MetricNames
{
    /// <summary>Longest name stored (the column width).</summary>
    public const int MaxLength = 200;

    /// <summary>True for a Prometheus metric name: <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>, at most <see cref="MaxLength"/> characters.</summary>
    public static bool IsValid(string? name) => name is { Length: > 0 and <= MaxLength } && Name().IsMatch(name);

    /// <summary>
    /// The seed's <c>metric_type</c>: the name's first word, so <c>cpu_usage</c> is <c>cpu</c> and <c>memory_usage</c> is
    /// <c>memory</c> — which is what the seed's query (<c>metric_type=cpu</c>) and its WebSocket client (<c>data['cpu']</c>) expect.
    /// </summary>
    public static string TypeOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var word = name.Split(['_', ':'], StringSplitOptions.RemoveEmptyEntries) is [var first, ..] ? first : name;
        word = word.ToLowerInvariant();
        return word.Length > 50 ? word[..50] : word;
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Name();
}
