using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Cli.Output;
using Keelson.Spec.Parsing;

namespace Keelson.Cli.Commands;

/// <summary><c>keelson metrics TENANT|STACK --metric cpu --since 1h</c>: a tenant's metrics from a running <c>keelson serve</c>.</summary>
internal static class MetricsCommand
{
    /// <summary>The environment variable an API key may come from instead of <c>--api-key</c> (kept out of shell history).</summary>
    public const string ApiKeyVariable = "KEELSON_API_KEY";

    // Terminal output, not HTML: keep '+' in offsets and non-ASCII names readable.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(Terminal terminal)
    {
        var target = new Argument<string>("tenant") { Description = "Tenant id, or a stack file whose metadata.tenant names it." };
        var server = new Option<string>("--server") { Description = "Base URL of keelson serve.", DefaultValueFactory = _ => "http://127.0.0.1:8001" };
        var apiKey = new Option<string?>("--api-key") { Description = $"API key (X-API-Key); default ${ApiKeyVariable}. Not needed for demo mode on loopback." };
        var demo = new Option<string>("--demo") { Description = "Query demo (true) or production (false) data (X-Demo-Mode).", DefaultValueFactory = _ => "true" };
        demo.OnlyFrom("true", "false");
        var metric = new Option<string[]>("--metric", "-m") { Description = "Metric type or name, e.g. cpu or cpu_usage (repeatable; none: all).", AllowMultipleArgumentsPerToken = false };
        var since = new Option<string>("--since") { Description = "How far back from now, e.g. 15m, 1h, 7d.", DefaultValueFactory = _ => "1h" };
        var step = new Option<string?>("--step") { Description = "One point per step, e.g. 1m (default: the raw samples)." };
        var aggregation = new Option<string>("--aggregation") { Description = "How a step's samples are reduced.", DefaultValueFactory = _ => "avg" };
        aggregation.OnlyFrom("avg", "min", "max", "p95", "last", "rate");
        var output = new Option<string>("--output", "-o") { Description = "Output format: a table with a small chart per series, or the server's JSON.", DefaultValueFactory = _ => "table" };
        output.OnlyFrom("table", "json");

        var command = new Command("metrics", "Query a tenant's metrics (pushed, sandbox or Prometheus) from a running keelson serve: a summary and a small chart per series.");
        command.Arguments.Add(target);
        foreach (var option in new Option[] { server, apiKey, demo, metric, since, step, aggregation, output })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var serverText = parse.GetValue(server)!;
            if (!Uri.TryCreate(serverText, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
            {
                await terminal.Error.WriteLineAsync($"keelson: --server '{serverText}' is not an http:// or https:// URL, such as http://127.0.0.1:8001").ConfigureAwait(false);
                return KeelsonCli.BadInput;
            }

            if (!Scalars.TryDuration(parse.GetValue(since)!, out var lookback) || lookback < TimeSpan.FromSeconds(1) || lookback > TimeSpan.FromDays(366))
            {
                await terminal.Error.WriteLineAsync($"keelson: --since '{parse.GetValue(since)}' is not a duration between 1s and 366d, such as 1h").ConfigureAwait(false);
                return KeelsonCli.BadInput;
            }

            TimeSpan? width = null;
            if (parse.GetValue(step) is { } stepText)
            {
                if (!Scalars.TryDuration(stepText, out var parsed) || parsed < TimeSpan.FromSeconds(1) || parsed > lookback)
                {
                    await terminal.Error.WriteLineAsync($"keelson: --step '{stepText}' must be a duration of at least 1s and at most --since, such as 1m").ConfigureAwait(false);
                    return KeelsonCli.BadInput;
                }

                width = parsed;
            }

            var tenant = await TenantAsync(parse.GetValue(target)!, terminal, cancellationToken).ConfigureAwait(false);
            if (tenant is null)
            {
                return KeelsonCli.BadInput;
            }

            var query = new List<string> { "hours=" + lookback.TotalHours.ToString("R", CultureInfo.InvariantCulture) };
            query.AddRange((parse.GetValue(metric) ?? []).Select(m => "metric=" + Uri.EscapeDataString(m)));
            if (width is { } w)
            {
                query.Add("step=" + w.TotalSeconds.ToString("R", CultureInfo.InvariantCulture) + "s");
                query.Add("aggregation=" + parse.GetValue(aggregation));
            }

            using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
            using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/tenants/{Uri.EscapeDataString(tenant)}/monitoring?{string.Join('&', query)}");
            request.Headers.Add("X-Demo-Mode", parse.GetValue(demo));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if ((parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable(ApiKeyVariable)) is { Length: > 0 } key)
            {
                request.Headers.Add("X-API-Key", key);
            }

            string body;
            System.Net.HttpStatusCode status;
            try
            {
                using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                status = response.StatusCode;
                body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                await terminal.Error.WriteLineAsync($"keelson: cannot reach keelson serve at {baseUri}: {e.Message}").ConfigureAwait(false);
                return KeelsonCli.Findings;
            }

            JsonNode? answer;
            try
            {
                answer = JsonNode.Parse(body);
            }
            catch (JsonException)
            {
                answer = null;
            }

            if ((int)status is < 200 or > 299 || answer is not JsonObject)
            {
                // The server's problem details say what was wrong (unknown tenant, missing key, bad parameter).
                var title = answer?["title"]?.GetValue<string>();
                var detail = answer?["detail"]?.GetValue<string>();
                var said = title is not null && detail is not null ? $"{title}: {detail}" : title ?? detail ?? body.Trim();
                await terminal.Error.WriteLineAsync($"keelson: {baseUri} answered {(int)status} {status}: {said}").ConfigureAwait(false);
                return KeelsonCli.Findings;
            }

            if (parse.GetValue(output) == "json")
            {
                await terminal.Out.WriteLineAsync(answer.ToJsonString(Indented)).ConfigureAwait(false);
            }
            else
            {
                MetricsTable.Write(answer.AsObject(), terminal.Console());
            }

            return KeelsonCli.Ok;
        });
        return command;
    }

    // A path to an existing file is a stack: its metadata.tenant is the tenant it was created as (POST of a stack document).
    private static async Task<string?> TenantAsync(string text, Terminal terminal, CancellationToken cancellationToken)
    {
        if (!File.Exists(text))
        {
            return text;
        }

        var stack = await StackLoader.LoadAsync(text, null, terminal, cancellationToken).ConfigureAwait(false);
        return stack?.Metadata.Tenant;
    }
}
