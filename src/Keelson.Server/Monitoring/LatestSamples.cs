using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Keelson.Operations.Monitoring;

namespace Keelson.Server.Monitoring;

/// <summary>
/// The newest stored value of every pushed series, served Pushgateway-style on <c>/metrics/pushed</c> with
/// <c>tenant</c> and <c>mode</c> labels so an existing Prometheus can scrape them. Held in memory since the
/// replica started (as the Pushgateway does without persistence); the store keeps the history.
/// </summary>
public sealed class LatestSamples
{
    private readonly ConcurrentDictionary<(string Mode, string Tenant, string Name), MetricSample> latest = new();

    /// <summary>Keeps the newer of each series' current and stored value.</summary>
    public void Update(bool demo, IReadOnlyList<MetricSample> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var mode = demo ? "demo" : "production";
        foreach (var sample in batch)
        {
            latest.AddOrUpdate((mode, sample.TenantId, sample.MetricName), sample, (_, old) => old.Timestamp > sample.Timestamp ? old : sample);
        }
    }

    /// <summary>The Prometheus text exposition (version 0.0.4) of every series, grouped by metric name.</summary>
    public string Exposition()
    {
        var text = new StringBuilder();
        foreach (var family in latest.OrderBy(e => e.Key.Name, StringComparer.Ordinal).ThenBy(e => e.Key.Mode, StringComparer.Ordinal).ThenBy(e => e.Key.Tenant, StringComparer.Ordinal).GroupBy(e => e.Key.Name))
        {
            text.Append("# TYPE ").Append(family.Key).Append(" untyped\n");
            foreach (var ((mode, tenant, name), sample) in family)
            {
                // Tenant ids are DNS labels, so they need no escaping inside the quoted label value.
                text.Append(CultureInfo.InvariantCulture, $"{name}{{tenant=\"{tenant}\",mode=\"{mode}\"}} {sample.Value.ToString("R", CultureInfo.InvariantCulture)}\n");
            }
        }

        return text.ToString();
    }
}
