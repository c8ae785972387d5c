using System.Globalization;
using System.Text;

namespace Keelson.Sandbox.Metrics;

/// <summary>Writes the Prometheus text exposition format (0.0.4): one HELP/TYPE header per family, then its samples.</summary>
public sealed class Exposition
{
    /// <summary>The content type Prometheus expects for this format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder text = new();
    private readonly HashSet<string> families = new(StringComparer.Ordinal);

    /// <summary>Starts a family; each name may start once, since Prometheus rejects a family split in two.</summary>
    public Exposition Family(string name, string type, string help)
    {
        if (!families.Add(name))
        {
            throw new InvalidOperationException($"metric family {name} written twice");
        }

        text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        return this;
    }

    /// <summary>One sample of the current family (<paramref name="name"/> carries a suffix such as <c>_bucket</c> for histograms).</summary>
    public Exposition Sample(string name, double value, params (string Name, string Value)[] labels)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                text.Append(i == 0 ? "" : ",").Append(labels[i].Name).Append("=\"").Append(Escape(labels[i].Value)).Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(Format(value)).Append('\n');
        return this;
    }

    /// <inheritdoc/>
    public override string ToString() => text.ToString();

    private static string Format(double value) => double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
