using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keelson.Cli.Commands;

/// <summary>
/// <c>keelson models push|list|promote</c>: a tenant's model registry on a running <c>keelson serve</c> — upload an
/// .onnx file as a new version, list models and versions, point an alias (production by default) at a version.
/// </summary>
internal static class ModelsCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create(Terminal terminal)
    {
        var command = new Command("models", "A tenant's ONNX model registry on a running keelson serve: push, list, promote.");
        command.Subcommands.Add(Push(terminal));
        command.Subcommands.Add(List(terminal));
        command.Subcommands.Add(Promote(terminal));
        return command;
    }

    private static Command Push(Terminal terminal)
    {
        var (tenant, name) = (new Argument<string>("tenant") { Description = "Tenant id." }, new Argument<string>("name") { Description = "Model name." });
        var file = new Argument<string>("file") { Description = "The .onnx file." };
        var alias = new Option<string?>("--alias") { Description = "Also point this alias (e.g. staging, production) at the new version." };
        var shared = new Shared();
        var command = shared.Attach(new Command("push", "Upload an .onnx file as the model's next version (checked by the server before it is kept)."), tenant, name, file, alias);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                await terminal.Error.WriteLineAsync($"keelson: {path}: no such file").ConfigureAwait(false);
                return KeelsonCli.BadInput;
            }

            await using var stream = File.OpenRead(path);
            using var content = new StreamContent(stream);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            var t = Uri.EscapeDataString(parse.GetValue(tenant)!);
            var n = Uri.EscapeDataString(parse.GetValue(name)!);
            var (exit, answer) = await shared.SendAsync(parse, terminal, HttpMethod.Post, $"api/v1/tenants/{t}/models/{n}/versions", content, cancellationToken).ConfigureAwait(false);
            if (answer is null)
            {
                return exit;
            }

            var version = answer["version"]!.GetValue<int>();
            if (parse.GetValue(alias) is { } a)
            {
                using var body = new StringContent($$"""{"version": {{version}}}""", Encoding.UTF8, "application/json");
                var (aliasExit, set) = await shared.SendAsync(parse, terminal, HttpMethod.Put, $"api/v1/tenants/{t}/models/{n}/aliases/{Uri.EscapeDataString(a)}", body, cancellationToken).ConfigureAwait(false);
                if (set is null)
                {
                    return aliasExit;
                }

                answer["aliases"] = new JsonArray(JsonValue.Create(a));
            }

            if (shared.Json(parse))
            {
                await terminal.Out.WriteLineAsync(answer.ToJsonString(Indented)).ConfigureAwait(false);
            }
            else
            {
                await terminal.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{parse.GetValue(name)} version {version} {answer["digest"]} ({answer["size_bytes"]} bytes, opset {answer["opset"]}, producer {answer["producer_name"]}){AliasText(answer)}")).ConfigureAwait(false);
                foreach (var (role, list) in new[] { ("input", answer["inputs"]!.AsArray()), ("output", answer["outputs"]!.AsArray()) })
                {
                    foreach (var tensor in list)
                    {
                        await terminal.Out.WriteLineAsync($"  {role} {tensor!["name"]} {tensor["datatype"]}{Shape(tensor)}").ConfigureAwait(false);
                    }
                }
            }

            return KeelsonCli.Ok;
        });
        return command;
    }

    private static Command List(Terminal terminal)
    {
        var tenant = new Argument<string>("tenant") { Description = "Tenant id." };
        var name = new Argument<string?>("name") { Description = "Model name: list its versions (none: list the tenant's models).", Arity = ArgumentArity.ZeroOrOne };
        var shared = new Shared();
        var command = shared.Attach(new Command("list", "List a tenant's models, or a model's versions with their aliases."), tenant, name);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var t = Uri.EscapeDataString(parse.GetValue(tenant)!);
            var model = parse.GetValue(name);
            var path = model is null ? $"api/v1/tenants/{t}/models" : $"api/v1/tenants/{t}/models/{Uri.EscapeDataString(model)}/versions";
            var (exit, answer) = await shared.SendAsync(parse, terminal, HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
            if (answer is null)
            {
                return exit;
            }

            if (shared.Json(parse))
            {
                await terminal.Out.WriteLineAsync(answer.ToJsonString(Indented)).ConfigureAwait(false);
                return KeelsonCli.Ok;
            }

            if (model is null)
            {
                await terminal.Out.WriteLineAsync($"{"MODEL",-32} {"LATEST",6} {"VERSIONS",8}").ConfigureAwait(false);
                foreach (var m in answer["models"]!.AsArray())
                {
                    await terminal.Out.WriteLineAsync($"{m!["name"],-32} {m["latest_version"],6} {m["versions"],8}").ConfigureAwait(false);
                }
            }
            else
            {
                await terminal.Out.WriteLineAsync($"{"VERSION",7} {"DIGEST",-20} {"BYTES",10} {"UPLOADED",-20} {"BY",-18} ALIASES").ConfigureAwait(false);
                foreach (var v in answer["versions"]!.AsArray())
                {
                    var uploaded = v!["uploaded_at"]!.GetValue<DateTimeOffset>().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                    await terminal.Out.WriteLineAsync(
                        $"{v["version"],7} {v["digest"]!.GetValue<string>()[..19],-20} {v["size_bytes"],10} {uploaded,-20} {v["uploaded_by"],-18} {string.Join(",", v["aliases"]!.AsArray().Select(a => a!.GetValue<string>()))}")
                        .ConfigureAwait(false);
                }
            }

            return KeelsonCli.Ok;
        });
        return command;
    }

    private static Command Promote(Terminal terminal)
    {
        var (tenant, name) = (new Argument<string>("tenant") { Description = "Tenant id." }, new Argument<string>("name") { Description = "Model name." });
        var version = new Argument<int>("version") { Description = "The version number the alias should point at." };
        var alias = new Option<string>("--alias") { Description = "The alias to move.", DefaultValueFactory = _ => "production" };
        var shared = new Shared();
        var command = shared.Attach(new Command("promote", "Point an alias (production by default) at a version, in one step; V2 requests resolve it per request."), tenant, name, version, alias);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var body = new StringContent(string.Create(CultureInfo.InvariantCulture, $$"""{"version": {{parse.GetValue(version)}}}"""), Encoding.UTF8, "application/json");
            var path = $"api/v1/tenants/{Uri.EscapeDataString(parse.GetValue(tenant)!)}/models/{Uri.EscapeDataString(parse.GetValue(name)!)}/aliases/{Uri.EscapeDataString(parse.GetValue(alias)!)}";
            var (exit, answer) = await shared.SendAsync(parse, terminal, HttpMethod.Put, path, body, cancellationToken).ConfigureAwait(false);
            if (answer is null)
            {
                return exit;
            }

            await terminal.Out.WriteLineAsync(shared.Json(parse) ? answer.ToJsonString(Indented) : $"{parse.GetValue(name)}: {answer["alias"]} -> version {answer["version"]}").ConfigureAwait(false);
            return KeelsonCli.Ok;
        });
        return command;
    }

    private static string Shape(JsonNode tensor) => "[" + string.Join(", ", tensor["shape"]!.AsArray().Select((d, i) =>
        d!.GetValue<long>() >= 0 ? d.GetValue<long>().ToString(CultureInfo.InvariantCulture)
        : tensor["dimension_names"]![i]!.GetValue<string>() is { Length: > 0 } n ? n : "-1")) + "]";

    private static string AliasText(JsonNode version) =>
        version["aliases"]!.AsArray().Count == 0 ? "" : " aliases " + string.Join(",", version["aliases"]!.AsArray().Select(a => a!.GetValue<string>()));

    /// <summary>The server options every subcommand takes, and the call that reports the server's problem on failure.</summary>
    private sealed class Shared
    {
        private readonly Option<string> server = new("--server") { Description = "Base URL of keelson serve.", DefaultValueFactory = _ => "http://127.0.0.1:8001" };
        private readonly Option<string?> apiKey = new("--api-key") { Description = $"API key (X-API-Key); default ${MetricsCommand.ApiKeyVariable}. Not needed for demo mode on loopback." };
        private readonly Option<string> demo = new("--demo") { Description = "The demo (true) or production (false) registry (X-Demo-Mode).", DefaultValueFactory = _ => "true" };
        private readonly Option<string> output = new("--output", "-o") { Description = "Output format.", DefaultValueFactory = _ => "table" };

        public Shared()
        {
            demo.OnlyFrom("true", "false");
            output.OnlyFrom("table", "json");
        }

        public Command Attach(Command command, params Symbol[] symbols)
        {
            foreach (var symbol in symbols)
            {
                switch (symbol)
                {
                    case Argument a:
                        command.Arguments.Add(a);
                        break;
                    case Option o:
                        command.Options.Add(o);
                        break;
                }
            }

            foreach (var option in new Option[] { server, apiKey, demo, output })
            {
                command.Options.Add(option);
            }

            return command;
        }

        public bool Json(ParseResult parse) => parse.GetValue(output) == "json";

        /// <summary>The answer's JSON on success; null and the exit code after printing the server's problem otherwise.</summary>
        public async Task<(int Exit, JsonNode? Answer)> SendAsync(ParseResult parse, Terminal terminal, HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
        {
            var serverText = parse.GetValue(server)!;
            if (!Uri.TryCreate(serverText.TrimEnd('/') + "/", UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
            {
                await terminal.Error.WriteLineAsync($"keelson: --server '{serverText}' is not an http:// or https:// URL, such as http://127.0.0.1:8001").ConfigureAwait(false);
                return (KeelsonCli.BadInput, null);
            }

            using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(10) };
            using var request = new HttpRequestMessage(method, path) { Content = content };
            request.Headers.Add("X-Demo-Mode", parse.GetValue(demo));
            if ((parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable(MetricsCommand.ApiKeyVariable)) is { Length: > 0 } key)
            {
                request.Headers.Add("X-API-Key", key);
            }

            string body;
            int status;
            try
            {
                using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                status = (int)response.StatusCode;
                body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                await terminal.Error.WriteLineAsync($"keelson: cannot reach keelson serve at {baseUri}: {e.Message}").ConfigureAwait(false);
                return (KeelsonCli.Findings, null);
            }

            JsonNode? answer = null;
            try
            {
                answer = body.Length == 0 ? null : JsonNode.Parse(body);
            }
            catch (JsonException)
            {
                // Reported below with the raw body.
            }

            if (status is >= 200 and <= 299 && answer is JsonObject)
            {
                return (KeelsonCli.Ok, answer);
            }

            var title = answer?["title"]?.GetValue<string>();
            var detail = answer?["detail"]?.GetValue<string>();
            var said = title is not null && detail is not null ? $"{title}: {detail}" : title ?? detail ?? body.Trim();
            await terminal.Error.WriteLineAsync($"keelson: {baseUri} answered {status}: {said}").ConfigureAwait(false);
            return (KeelsonCli.Findings, null);
        }
    }
}
