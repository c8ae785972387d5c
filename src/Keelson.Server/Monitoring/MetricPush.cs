using System.Globalization;
using System.Text;
using System.Text.Json;
using Keelson.Operations.Monitoring;

namespace Keelson.Server.Monitoring;

/// <summary>
/// Reads a metrics push: the seed's <c>{"timestamp": ..., "metrics": {...}}</c> or a batch
/// <c>{"batch": [{"tenant_id"?, "timestamp", "metrics"}, ...]}</c>. Every sample is checked before any is
/// accepted, so a push is stored whole or not at all; problems are keyed by the body's own field paths.
/// </summary>
public static class MetricPush
{
    /// <summary>The samples of a body, or the errors by field path. Entries without <c>tenant_id</c> take <paramref name="pathTenantId"/>.</summary>
    public static (IReadOnlyList<MetricSample> Samples, Dictionary<string, string[]> Errors) Parse(
        JsonElement body, string? pathTenantId, DateTimeOffset now, MonitoringSettings settings, TimeSpan retention)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var samples = new List<MetricSample>();
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["must be a JSON object: {\"timestamp\": ISO-8601, \"metrics\": {\"name\": number}} or {\"batch\": [...]}"];
            return (samples, errors);
        }

        if (body.TryGetProperty("batch", out var batch))
        {
            if (batch.ValueKind != JsonValueKind.Array || batch.GetArrayLength() == 0)
            {
                errors["batch"] = ["must be a non-empty array of {\"tenant_id\", \"timestamp\", \"metrics\"}"];
                return (samples, errors);
            }

            var i = 0;
            foreach (var entry in batch.EnumerateArray())
            {
                Entry(entry, $"batch[{i++}]", pathTenantId, now, settings, retention, samples, errors);
            }
        }
        else
        {
            Entry(body, "", pathTenantId, now, settings, retention, samples, errors);
        }

        return (samples, errors);
    }

    /// <summary>Where an unreadable JSON body broke: the field path reached and the line, e.g. <c>metrics.cpu_usage (line 1)</c>; NaN and Infinity land here, as JSON has no such numbers.</summary>
    public static string Locate(ReadOnlySpan<byte> body)
    {
        var path = new List<string>();
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { AllowTrailingCommas = false });
        var containers = new Stack<bool>();
        string? property = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = reader.GetString();
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        containers.Push(property is not null);
                        if (property is not null)
                        {
                            path.Add(property);
                        }

                        property = null;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        if (containers.Pop() && path.Count > 0)
                        {
                            path.RemoveAt(path.Count - 1);
                        }

                        break;
                    default:
                        property = null;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            if (property is not null)
            {
                path.Add(property);
            }
        }

        var line = 1 + Encoding.UTF8.GetString(body[..(int)Math.Min(reader.BytesConsumed, body.Length)]).Count(c => c == '\n');
        return string.Create(CultureInfo.InvariantCulture, $"{(path.Count == 0 ? "$" : string.Join('.', path))} (line {line})");
    }

    private static void Entry(
        JsonElement entry, string at, string? pathTenantId, DateTimeOffset now, MonitoringSettings settings, TimeSpan retention, List<MetricSample> samples, Dictionary<string, string[]> errors)
    {
        string Field(string name) => at.Length == 0 ? name : $"{at}.{name}";
        if (entry.ValueKind != JsonValueKind.Object)
        {
            errors[at] = ["must be an object {\"tenant_id\", \"timestamp\", \"metrics\"}"];
            return;
        }

        var tenant = pathTenantId;
        if (entry.TryGetProperty("tenant_id", out var tenantElement))
        {
            var named = tenantElement.ValueKind == JsonValueKind.String ? tenantElement.GetString() : null;
            if (named is null || (pathTenantId is not null && named != pathTenantId))
            {
                errors[Field("tenant_id")] = [pathTenantId is null ? "must be a string naming the tenant" : $"must be '{pathTenantId}', the tenant of the path, or left out"];
                return;
            }

            tenant = named;
        }

        if (tenant is null)
        {
            errors[Field("tenant_id")] = ["is required in a batch posted to /api/v1/monitoring"];
            return;
        }

        var timestamp = now;
        if (entry.TryGetProperty("timestamp", out var time) && time.ValueKind != JsonValueKind.Null)
        {
            // The seed's client sends datetime.utcnow().isoformat(): no offset, meaning UTC.
            if (time.ValueKind != JsonValueKind.String || !DateTimeOffset.TryParse(
                time.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out timestamp))
            {
                errors[Field("timestamp")] = ["must be an ISO-8601 time, e.g. 2024-01-15T10:30:00Z (no offset means UTC)"];
                return;
            }

            if (timestamp > now + settings.MaxFutureSkew)
            {
                errors[Field("timestamp")] = [$"is {(timestamp - now).TotalMinutes:F0} minutes ahead of the server's clock; at most {settings.MaxFutureSkew.TotalMinutes:F0} minutes ahead is accepted"];
                return;
            }

            if (timestamp < now - retention)
            {
                errors[Field("timestamp")] = [$"is older than the retention of {retention.TotalDays:0.##} days"];
                return;
            }
        }

        if (!entry.TryGetProperty("metrics", out var metrics) || metrics.ValueKind != JsonValueKind.Object)
        {
            errors[Field("metrics")] = ["is required: an object of metric name → number, e.g. {\"cpu_usage\": 65.5}"];
            return;
        }

        var count = 0;
        foreach (var metric in metrics.EnumerateObject())
        {
            count++;
            var field = $"{Field("metrics")}.{metric.Name}";
            if (!MetricNames.IsValid(metric.Name))
            {
                errors[field] = [$"'{metric.Name}' is not a Prometheus metric name: [a-zA-Z_:][a-zA-Z0-9_:]*, at most {MetricNames.MaxLength} characters"];
            }
            else if (metric.Value.ValueKind != JsonValueKind.Number)
            {
                errors[field] = [$"must be a number; got {Kind(metric.Value)}"];
            }
            else if (!metric.Value.TryGetDouble(out var value) || !double.IsFinite(value))
            {
                errors[field] = ["must be a finite number"];
            }
            else
            {
                samples.Add(MetricSample.Of(tenant, metric.Name, value, timestamp));
            }
        }

        if (count == 0)
        {
            errors[Field("metrics")] = ["must name at least one metric"];
        }
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        _ => "an object",
    };
}
