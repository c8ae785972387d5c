using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Keelson.Testing;

namespace Keelson.Server.Tests.Processes;

/// <summary>
/// The server as a separate OS process (<c>dotnet Keelson.Server.dll --urls …</c>) on a free loopback port, its
/// output kept for failure messages; killed hard like a crash, or stopped with SIGTERM like an orchestrator would.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly Lock outputLock = new();

    private ServerProcess(string name, int port, IReadOnlyList<string> settings, string workingDirectory)
    {
        Name = name;
        Url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        var info = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in (string[])[Assembly, "--urls", Url.GetLeftPart(UriPartial.Authority), .. settings])
        {
            info.ArgumentList.Add(argument);
        }

        process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data, error: false);
        process.ErrorDataReceived += (_, e) => Append(e.Data, error: true);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        ProcessId = process.Id;
        Http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Keelson.Server.dll: next to the tests (the project reference copies it with its runtimeconfig), else the server's own build output.</summary>
    public static string Assembly { get; } = FindAssembly();

    /// <summary>The name the test gave this replica (A, B, …).</summary>
    public string Name { get; }

    /// <summary>Where it listens.</summary>
    public Uri Url { get; }

    /// <summary>A client for <see cref="Url"/>.</summary>
    public HttpClient Http { get; }

    /// <summary>The OS process id; part of the replica's lease owner name (<c>host/pid/random</c>).</summary>
    public int ProcessId { get; }

    /// <summary>Everything it wrote so far, standard error lines marked.</summary>
    public string Output
    {
        get
        {
            lock (outputLock)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the server with <paramref name="settings"/> (configuration flags) and returns once <c>/health/live</c>
    /// answers. A port taken between choosing and binding it is retried on another.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(string name, IReadOnlyList<string> settings, string workingDirectory, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var server = new ServerProcess(name, ExternalProcess.FreePort(), settings, workingDirectory);
            try
            {
                await server.WaitLiveAsync(cancellationToken);
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3 && server.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Sends a demo-mode API request; the body is empty JSON when the response has none.</summary>
    public async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(HttpMethod method, string path, JsonObject? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-Demo-Mode", "true");
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!);
    }

    /// <summary>
    /// Polls <c>GET /api/v1/deployments/{id}</c> every 100 ms until <paramref name="until"/> holds for it;
    /// <see cref="TimeoutException"/> with the last answer otherwise.
    /// </summary>
    public async Task<JsonObject> WaitForDeploymentAsync(string deploymentId, Func<JsonObject, bool> until, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(until);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (status, body) = await SendAsync(HttpMethod.Get, $"/api/v1/deployments/{deploymentId}");
            if (status != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET /api/v1/deployments/{deploymentId} on server {Name} answered {(int)status}: {body.ToJsonString()}");
            }

            if (until(body.AsObject()))
            {
                return body.AsObject();
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Deployment {deploymentId} on server {Name} did not get there within {timeout}; last seen: {body.ToJsonString()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Kills the process and its children at once, as a crash or an OOM kill would: no shutdown, no lease given up.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(StopTimeout);
        await process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Sends SIGTERM and waits for a graceful shutdown (killing it when that takes too long); the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!process.HasExited)
        {
            try
            {
                await ExternalProcess.RunAsync(ExternalProcess.Find("kill", "procps", "/bin", "/usr/bin"), ["-TERM", ProcessId.ToString(CultureInfo.InvariantCulture)], StopTimeout);
            }
            catch (InvalidOperationException) when (process.HasExited)
            {
                // It ended on its own in the meantime.
            }

            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                await KillAsync();
            }
        }

        return process.ExitCode;
    }

    /// <summary>
    /// The workflow steps this process says it started (its "Deployment … of …: step …, attempt …" log lines), in
    /// order: who really ran what, whatever the database says. Complete once the process has exited.
    /// </summary>
    public IReadOnlyList<LoggedStep> LoggedSteps() =>
        [.. StepLine().Matches(Output).Select(m => new LoggedStep(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value.ToLowerInvariant(), int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture)))];

    /// <summary>The last <paramref name="lines"/> lines of <see cref="Output"/>, headed by the replica's name.</summary>
    public string Tail(int lines)
    {
        var all = Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var skipped = Math.Max(0, all.Length - lines);
        var header = $"--- server {Name} (pid {ProcessId.ToString(CultureInfo.InvariantCulture)}, {Url}){(skipped > 0 ? $", last {lines} of {all.Length} lines" : "")}:";
        return string.Join('\n', [header, .. all.Skip(skipped)]);
    }

    /// <summary>Kills the process if it still runs.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Never started, or would not die within the timeout: nothing more a cleanup can do.
        }

        Http.Dispose();
        process.Dispose();
    }

    // The host running the tests (the CLI sets DOTNET_HOST_PATH for its children), so the server runs on the same runtime.
    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath!
        : "dotnet";

    private static string FindAssembly()
    {
        const string File = "Keelson.Server.dll";
        var here = Path.Combine(AppContext.BaseDirectory, File);
        if (System.IO.File.Exists(here) && System.IO.File.Exists(Path.ChangeExtension(here, ".runtimeconfig.json")))
        {
            return here;
        }

        // The tests run from bin/CONFIGURATION/TFM/; the server's output has the same shape.
        var tfm = new DirectoryInfo(AppContext.BaseDirectory);
        var built = Repo.File("src", "Keelson.Server", "bin", tfm.Parent?.Name ?? "Release", tfm.Name, File);
        return System.IO.File.Exists(built)
            ? built
            : throw new InvalidOperationException($"{File} is neither next to the tests ({AppContext.BaseDirectory}) nor at {built}: build the solution first.");
    }

    private async Task WaitLiveAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                // Waiting for the exit once more lets the last lines of output arrive.
                await process.WaitForExitAsync(cancellationToken);
                throw new InvalidOperationException($"Server {Name} exited with code {process.ExitCode} before /health/live answered.\n{Tail(200)}");
            }

            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(2));
                using var response = await Http.GetAsync("/health/live", attempt.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            if (deadline.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"Server {Name} did not answer /health/live within {StartTimeout}.\n{Tail(200)}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    [GeneratedRegex(@"Deployment (\S+) of (\S+): step (\w+), attempt (\d+)")]
    private static partial Regex StepLine();

    private void Append(string? line, bool error)
    {
        if (line is null)
        {
            return;
        }

        lock (outputLock)
        {
            output.Append(error ? "err| " : "").Append(line).Append('\n');
        }
    }
}

/// <summary>One "step started" line of a server's log.</summary>
internal sealed record LoggedStep(string DeploymentId, string TenantId, string Step, int Attempt);
