using System.CommandLine;

namespace Keelson.Cli.Commands;

/// <summary>
/// <c>keelson serve [--urls URL] [--Section:Key VALUE ...]</c>: the orchestrator API (the seed's ECP-AI API under
/// <c>/api/v1</c>). Other flags go to ASP.NET Core's configuration as command-line keys, the usual .NET way.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(Terminal terminal)
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen.", DefaultValueFactory = _ => "http://127.0.0.1:8001" };
        var role = new Option<string>("--role")
        {
            Description = "api: the orchestrator (default). inference: only the Open Inference Protocol V2 for one registry model, pulled from " +
                "--Keelson:Models:Registry URL (with --Keelson:Models:Tenant, --Keelson:Models:Model, --Keelson:Models:Version; docs/models.md).",
            DefaultValueFactory = _ => "api",
        };
        role.AcceptOnlyFromAmong("api", "inference");
        var command = new Command(
            "serve",
            "Serve the orchestrator API: tenants, plans, manifests, validation, durable deployments; OpenAPI at /openapi/v1.json, reference at /docs. " +
            "Any configuration key is a flag too, e.g. --ConnectionStrings:Demo \"Host=...\" --Keelson:Clusters:Production:Kubeconfig FILE (docs/api.md).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Options.Add(urls);
        command.Options.Add(role);
        command.SetAction(async (parse, cancellationToken) =>
        {
            string[] args = ["--urls", parse.GetValue(urls)!, .. parse.UnmatchedTokens];
            Microsoft.AspNetCore.Builder.WebApplication app;
            if (parse.GetValue(role) == "inference")
            {
                try
                {
                    app = Server.InferenceApp.Build(args);
                }
                catch (ArgumentException e)
                {
                    await terminal.Error.WriteLineAsync("keelson serve: " + e.Message).ConfigureAwait(false);
                    return KeelsonCli.BadInput;
                }

                await terminal.Error.WriteLineAsync($"keelson: serving the inference role on {parse.GetValue(urls)} (OIP V2 /v2, metrics /metrics); Ctrl-C stops").ConfigureAwait(false);
            }
            else
            {
                app = Server.ServerApp.Build(args);
                await terminal.Error.WriteLineAsync($"keelson: serving on {parse.GetValue(urls)} (API /api/v1, reference /docs, metrics /metrics); Ctrl-C stops").ConfigureAwait(false);
            }

            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C: stop gracefully below.
            }

            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            return KeelsonCli.Ok;
        });
        return command;
    }
}
