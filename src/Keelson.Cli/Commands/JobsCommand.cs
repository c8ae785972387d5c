using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keelson.Cli.Commands;

/// <summary>
/// <c>keelson jobs submit|list|show|cancel</c>: a tenant's batch jobs on a running <c>keelson serve</c>
/// (<c>--server</c>, <c>--api-key</c> or <c>$KEELSON_API_KEY</c>, <c>--demo</c>), the same routes the API documents;
/// with <c>--stack</c>, the stack's own queues on its sandbox without a server (<see cref="StackJobs"/>).
/// </summary>
internal static class JobsCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(Terminal terminal)
    {
        var command = new Command("jobs", "Submit, list, show and cancel a tenant's batch jobs on a running keelson serve (queues: PUT /api/v1/tenants/TENANT/job-queues/QUEUE), or with --stack in a stack's own queues on its sandbox; admit a stack's queued Jobs without a server.");
        command.Subcommands.Add(Submit(terminal));
        command.Subcommands.Add(List(terminal));
        command.Subcommands.Add(Show(terminal));
        command.Subcommands.Add(Cancel(terminal));
        command.Subcommands.Add(JobsAdmitCommand.Create(terminal));
        return command;
    }

    private sealed record Connection(Option<string> Server, Option<string?> ApiKey, Option<string> Demo, Option<string> Output);

    private static Connection AddConnection(Command command)
    {
        var server = new Option<string>("--server") { Description = "Base URL of keelson serve.", DefaultValueFactory = _ => "http://127.0.0.1:8001" };
        var apiKey = new Option<string?>("--api-key") { Description = $"API key (X-API-Key); default ${MetricsCommand.ApiKeyVariable}. Not needed for demo mode on loopback." };
        var demo = new Option<string>("--demo") { Description = "Demo (true) or production (false) (X-Demo-Mode).", DefaultValueFactory = _ => "true" };
        demo.OnlyFrom("true", "false");
        var output = new Option<string>("--output", "-o") { Description = "A table, or the server's JSON.", DefaultValueFactory = _ => "table" };
        output.OnlyFrom("table", "json");
        foreach (var option in new Option[] { server, apiKey, demo, output })
        {
            command.Options.Add(option);
        }

        return new Connection(server, apiKey, demo, output);
    }

    private static Command Submit(Terminal terminal)
    {
        var tenant = new Argument<string?>("tenant") { Description = "Tenant id (not with --stack: the stack names it).", Arity = ArgumentArity.ZeroOrOne };
        var run = new Argument<string[]>("command") { Description = "The container command and its arguments (after --).", Arity = ArgumentArity.ZeroOrMore };
        var name = new Option<string>("--name") { Description = "Job name (a DNS label).", Required = true };
        var queue = new Option<string>("--queue", "-q") { Description = "The tenant's queue.", Required = true };
        var image = new Option<string>("--image") { Description = "Container image with a tag, e.g. python:3.12.", Required = true };
        var cpu = new Option<string>("--cpu") { Description = "CPU per pod, e.g. 500m or 2.", DefaultValueFactory = _ => "1" };
        var memory = new Option<string>("--memory") { Description = "Memory per pod, e.g. 2Gi.", DefaultValueFactory = _ => "1Gi" };
        var gpu = new Option<int>("--gpu") { Description = "GPUs per pod." };
        var gpuType = new Option<string?>("--gpu-type") { Description = "GPU type, e.g. T4." };
        var parallelism = new Option<int>("--parallelism") { Description = "Pods at once.", DefaultValueFactory = _ => 1 };
        var completions = new Option<int?>("--completions") { Description = "Pods that must succeed (default: parallelism)." };
        var priority = new Option<int>("--priority") { Description = "Higher is admitted first and may preempt lower." };
        var deadline = new Option<long?>("--active-deadline-seconds") { Description = "Seconds before Kubernetes fails the Job." };
        var retries = new Option<int>("--retries") { Description = "Failed pods retried (backoffLimit)." };
        var env = new Option<string[]>("--env", "-e") { Description = "NAME=VALUE (repeatable).", AllowMultipleArgumentsPerToken = false };
        var command = new Command("submit", "Queue a job; prints it (id, state, why it waits).");
        command.Arguments.Add(tenant);
        command.Arguments.Add(run);
        foreach (var option in new Option[] { name, queue, image, cpu, memory, gpu, gpuType, parallelism, completions, priority, deadline, retries, env })
        {
            command.Options.Add(option);
        }

        var connection = AddConnection(command);
        var onStack = StackJobs.CreateOptions("--state");
        onStack.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var variables = new JsonObject();
            foreach (var pair in parse.GetValue(env) ?? [])
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    await terminal.Error.WriteLineAsync($"keelson: --env '{pair}' must be NAME=VALUE").ConfigureAwait(false);
                    return KeelsonCli.BadInput;
                }

                variables[pair[..equals]] = pair[(equals + 1)..];
            }

            var resources = new JsonObject { ["cpu"] = parse.GetValue(cpu), ["memory"] = parse.GetValue(memory) };
            if (parse.GetValue(gpu) != 0 || parse.GetValue(gpuType) is not null)
            {
                resources["gpu"] = parse.GetValue(gpu);
                resources["gpu_type"] = parse.GetValue(gpuType);
            }

            var body = new JsonObject
            {
                ["name"] = parse.GetValue(name),
                ["queue"] = parse.GetValue(queue),
                ["image"] = parse.GetValue(image),
                ["resources"] = resources,
                ["parallelism"] = parse.GetValue(parallelism),
                ["priority"] = parse.GetValue(priority),
                ["retries"] = parse.GetValue(retries),
                ["env"] = variables,
            };
            // With --stack there is no tenant argument: every word is the container's command.
            var stackMode = parse.GetValue(onStack.Stack) is not null;
            var words = stackMode && parse.GetValue(tenant) is { } first ? [first, .. parse.GetValue(run) ?? []] : parse.GetValue(run) ?? [];
            if (words.Length > 0)
            {
                body["command"] = new JsonArray([.. words.Select(w => (JsonNode)w)]);
            }

            if (parse.GetValue(completions) is { } c)
            {
                body["completions"] = c;
            }

            if (parse.GetValue(deadline) is { } d)
            {
                body["active_deadline_seconds"] = d;
            }

            if (stackMode)
            {
                return await StackJobs.SubmitAsync(parse, onStack, body, Json(parse, connection), terminal, cancellationToken).ConfigureAwait(false);
            }

            if (await TenantAsync(parse, tenant, terminal).ConfigureAwait(false) is not { } id)
            {
                return KeelsonCli.BadInput;
            }

            return await CallAsync(terminal, parse, connection, HttpMethod.Post, $"api/v1/tenants/{Uri.EscapeDataString(id)}/jobs", body, WriteJob, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command List(Terminal terminal)
    {
        var tenant = new Argument<string?>("tenant") { Description = "Tenant id (not with --stack).", Arity = ArgumentArity.ZeroOrOne };
        var state = new Option<string?>("--state") { Description = "pending, admitted, running, succeeded, failed or cancelled." };
        var queue = new Option<string?>("--queue", "-q") { Description = "Only this queue's jobs." };
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first (1–1000).", DefaultValueFactory = _ => 100 };
        var command = new Command("list", "The tenant's jobs, newest first: id, name, queue, state, flavor, attempt and why a pending one waits.");
        command.Arguments.Add(tenant);
        command.Options.Add(state);
        command.Options.Add(queue);
        command.Options.Add(limit);
        var connection = AddConnection(command);
        var onStack = StackJobs.CreateOptions("--state-dir");
        onStack.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(onStack.Stack) is not null)
            {
                if (parse.GetValue(tenant) is { } extra)
                {
                    await terminal.Error.WriteLineAsync($"keelson: with --stack the tenant is the stack's; remove '{extra}'").ConfigureAwait(false);
                    return KeelsonCli.BadInput;
                }

                return await StackJobs.ListAsync(parse, onStack, parse.GetValue(state), parse.GetValue(queue), parse.GetValue(limit), Json(parse, connection), terminal, cancellationToken).ConfigureAwait(false);
            }

            if (await TenantAsync(parse, tenant, terminal).ConfigureAwait(false) is not { } id)
            {
                return KeelsonCli.BadInput;
            }

            var query = new List<string> { "limit=" + parse.GetValue(limit).ToString(CultureInfo.InvariantCulture) };
            if (parse.GetValue(state) is { } s)
            {
                query.Add("state=" + Uri.EscapeDataString(s));
            }

            if (parse.GetValue(queue) is { } q)
            {
                query.Add("queue=" + Uri.EscapeDataString(q));
            }

            return await CallAsync(terminal, parse, connection, HttpMethod.Get, $"api/v1/tenants/{Uri.EscapeDataString(id)}/jobs?{string.Join('&', query)}", null, WriteList, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Show(Terminal terminal) => OneJob(terminal, "show", "One job: state, reason, flavor, its Kubernetes Job and every attempt (with --stack: a queued Job of the stack by name).", HttpMethod.Get, "", StackJobs.ShowAsync);

    private static Command Cancel(Terminal terminal) => OneJob(terminal, "cancel", "Cancel a pending, admitted or running job: its quota is released and its Kubernetes Job deleted (with --stack: the stack's queued Job by name).", HttpMethod.Post, "/cancel", StackJobs.CancelAsync);

    private static Command OneJob(
        Terminal terminal, string verb, string description, HttpMethod method, string suffix,
        Func<ParseResult, StackJobs.Options, string, bool, Terminal, CancellationToken, Task<int>> onStackRun)
    {
        var tenant = new Argument<string?>("tenant") { Description = "Tenant id (not with --stack).", Arity = ArgumentArity.ZeroOrOne };
        var id = new Argument<string?>("id") { Description = "Job id; with --stack the Job's name.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command(verb, description);
        command.Arguments.Add(tenant);
        command.Arguments.Add(id);
        var connection = AddConnection(command);
        var onStack = StackJobs.CreateOptions("--state");
        onStack.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (first, second) = (parse.GetValue(tenant), parse.GetValue(id));
            if (parse.GetValue(onStack.Stack) is not null)
            {
                // With --stack the only argument is the Job's name (it lands in the first slot).
                if (first is null || second is not null)
                {
                    await terminal.Error.WriteLineAsync($"keelson: jobs {verb} --stack STACK takes one argument, the Job's name (the tenant is the stack's)").ConfigureAwait(false);
                    return KeelsonCli.BadInput;
                }

                return await onStackRun(parse, onStack, first, Json(parse, connection), terminal, cancellationToken).ConfigureAwait(false);
            }

            if (first is null || second is null)
            {
                await terminal.Error.WriteLineAsync($"keelson: jobs {verb} takes TENANT ID (or --stack STACK NAME)").ConfigureAwait(false);
                return KeelsonCli.BadInput;
            }

            return await CallAsync(terminal, parse, connection, method,
                $"api/v1/tenants/{Uri.EscapeDataString(first)}/jobs/{Uri.EscapeDataString(second)}{suffix}", null, WriteJob, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static bool Json(ParseResult parse, Connection connection) => parse.GetValue(connection.Output) == "json";

    private static async Task<string?> TenantAsync(ParseResult parse, Argument<string?> tenant, Terminal terminal)
    {
        if (parse.GetValue(tenant) is { } id)
        {
            return id;
        }

        await terminal.Error.WriteLineAsync("keelson: name the tenant (keelson jobs VERB TENANT ...) or a stack (--stack STACK)").ConfigureAwait(false);
        return null;
    }

    private static async Task<int> CallAsync(Terminal terminal, ParseResult parse, Connection connection, HttpMethod method, string path, JsonObject? body, Action<JsonObject, StringBuilder> table, CancellationToken cancellationToken)
    {
        var serverText = parse.GetValue(connection.Server)!;
        if (!Uri.TryCreate(serverText, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
        {
            await terminal.Error.WriteLineAsync($"keelson: --server '{serverText}' is not an http:// or https:// URL, such as http://127.0.0.1:8001").ConfigureAwait(false);
            return KeelsonCli.BadInput;
        }

        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        request.Headers.Add("X-Demo-Mode", parse.GetValue(connection.Demo));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if ((parse.GetValue(connection.ApiKey) ?? Environment.GetEnvironmentVariable(MetricsCommand.ApiKeyVariable)) is { Length: > 0 } key)
        {
            request.Headers.Add("X-API-Key", key);
        }

        string text;
        System.Net.HttpStatusCode status;
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            status = response.StatusCode;
            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            await terminal.Error.WriteLineAsync($"keelson: cannot reach keelson serve at {baseUri}: {e.Message}").ConfigureAwait(false);
            return KeelsonCli.Findings;
        }

        JsonNode? answer;
        try
        {
            answer = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            answer = null;
        }

        if ((int)status is < 200 or > 299 || answer is not JsonObject o)
        {
            var title = answer?["title"]?.GetValue<string>();
            var detail = answer?["detail"]?.GetValue<string>();
            var said = title is not null && detail is not null ? $"{title}: {detail}" : title ?? detail ?? text.Trim();
            await terminal.Error.WriteLineAsync($"keelson: {baseUri} answered {(int)status} {status}: {said}").ConfigureAwait(false);
            return (int)status is >= 400 and < 500 ? KeelsonCli.BadInput : KeelsonCli.Findings;
        }

        if (parse.GetValue(connection.Output) == "json")
        {
            await terminal.Out.WriteLineAsync(o.ToJsonString(Indented)).ConfigureAwait(false);
        }
        else
        {
            var lines = new StringBuilder();
            table(o, lines);
            await terminal.Out.WriteAsync(lines.ToString()).ConfigureAwait(false);
        }

        return KeelsonCli.Ok;
    }

    private static readonly string[] ListHeader = ["ID", "NAME", "QUEUE", "STATE", "FLAVOR", "ATTEMPT", "REASON"];

    private static void WriteList(JsonObject answer, StringBuilder lines) => WriteList(answer, lines, ids: true);

    /// <summary>The job list as a plain table; without <paramref name="ids"/> (a stack's Jobs are their names) the ID column is left out.</summary>
    internal static void WriteList(JsonObject answer, StringBuilder lines, bool ids)
    {
        var skip = ids ? 0 : 1;
        var rows = answer["jobs"]!.AsArray().OfType<JsonObject>().Select(j => new[]
        {
            Text(j["id"]), Text(j["name"]), Text(j["queue"]), Text(j["state"]), Text(j["flavor"]), Text(j["attempt"]), Text(j["reason"]),
        }.Skip(skip).ToArray()).ToList();
        string[] header = [.. ListHeader.Skip(skip)];
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            lines.AppendLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
    }

    /// <summary>One job as text; a job without an id (a stack's) is shown by its name alone.</summary>
    internal static void WriteJob(JsonObject job, StringBuilder lines)
    {
        var r = job["resources"]!;
        lines.AppendLine(CultureInfo.InvariantCulture, $"job {(job.ContainsKey("id") ? Text(job["id"]) + " " : "")}{Text(job["name"])} in queue {Text(job["queue"])}: {Text(job["state"])}");
        if (job["reason"] is { } reason)
        {
            lines.AppendLine(CultureInfo.InvariantCulture, $"  reason:    {Text(reason)}");
        }

        lines.AppendLine(CultureInfo.InvariantCulture, $"  image:     {Text(job["image"])}");
        lines.AppendLine(CultureInfo.InvariantCulture, $"  per pod:   cpu {Text(r["cpu"])}, memory {Text(r["memory"])}{(r["gpu"]?.GetValue<int>() > 0 ? $", {Text(r["gpu"])} {Text(r["gpu_type"])} GPU" : "")}; parallelism {Text(job["parallelism"])}, completions {Text(job["completions"])}, priority {Text(job["priority"])}");
        if (job["kubernetes_job"] is JsonObject k)
        {
            lines.AppendLine(CultureInfo.InvariantCulture, $"  kubernetes: job/{Text(k["name"])} -n {Text(k["namespace"])} on pool {Text(job["flavor"])}");
        }

        foreach (var a in job["attempts"]!.AsArray().OfType<JsonObject>())
        {
            lines.AppendLine(CultureInfo.InvariantCulture, $"  attempt {Text(a["attempt"])}: {Text(a["flavor"])} admitted {Text(a["admitted_at"])}{(a["outcome"] is null ? "" : $", {Text(a["outcome"])} {Text(a["ended_at"])}: {Text(a["message"])}")}");
        }
    }

    private static string Text(JsonNode? node) => node switch
    {
        null => "-",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };
}
