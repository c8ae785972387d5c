using Keelson.Sandbox;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Server;
using Keelson.Spec.Profiles;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Keelson.Server.Tests.Processes;

/// <summary>
/// One process test's world: an aws-gpu sandbox behind the Kubernetes API facade in the test process (it outlives
/// any server), a temporary folder, and the server processes started against them; all removed at the end.
/// </summary>
internal sealed class ProcessTestbed : IAsyncDisposable
{
    private const int TailLines = 80;
    private readonly List<ServerProcess> servers = [];
    private readonly string kubeconfig;
    private readonly ITestOutputHelper output;

    private ProcessTestbed(SandboxApiServer facade, string folder, string kubeconfig, ITestOutputHelper output)
    {
        Facade = facade;
        Folder = folder;
        this.kubeconfig = kubeconfig;
        this.output = output;
    }

    /// <summary>The demo cluster every server deploys to.</summary>
    public SandboxApiServer Facade { get; }

    /// <summary>The temporary folder: kubeconfig, data directories.</summary>
    public string Folder { get; }

    /// <summary>Starts the facade at <paramref name="speed"/> virtual seconds per wall second and writes its kubeconfig.</summary>
    public static async Task<ProcessTestbed> StartAsync(double speed, ITestOutputHelper output)
    {
        var folder = Directory.CreateTempSubdirectory("keelson-processes-").FullName;
        try
        {
            var engine = new SandboxEngine(ClusterProfiles.Get("aws-gpu"));
            var facade = await SandboxApiServer.StartAsync(new SandboxCluster(engine), new SandboxApiOptions { Speed = speed }, CancellationToken.None);
            var kubeconfig = Path.Combine(folder, "sandbox.kubeconfig");
            await SandboxKubeconfig.WriteAsync(kubeconfig, facade.Url, CancellationToken.None);
            return new ProcessTestbed(facade, folder, kubeconfig, output);
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Starts a replica on <paramref name="dataDirectory"/> deploying to the facade, with a short lease and quick
    /// scans so a dead replica's work is taken over in seconds; <paramref name="settings"/> adds flags.
    /// </summary>
    public async Task<ServerProcess> StartServerAsync(string name, string dataDirectory, params string[] settings)
    {
        string[] all =
        [
            "--Keelson:DataDirectory", dataDirectory,
            "--Keelson:Clusters:Demo:Kubeconfig", kubeconfig,
            "--Keelson:Deployments:LeaseDuration", "00:00:03",
            "--Keelson:Deployments:ScanInterval", "00:00:00.500",
            "--Keelson:Deployments:PollInterval", "00:00:00.200",
            "--Keelson:Deployments:ReadyTimeout", "00:05:00",
            .. settings,
        ];
        var server = await ServerProcess.StartAsync(name, all, Folder, CancellationToken.None);
        lock (servers)
        {
            servers.Add(server);
        }

        return server;
    }

    /// <summary>
    /// Runs the test body; when it fails, every server's whole output goes to the test output and its last lines
    /// into the failure message, since the servers' logs are where a process test's failure is explained.
    /// </summary>
    public async Task RunAsync(Func<Task> test)
    {
        ArgumentNullException.ThrowIfNull(test);
        try
        {
            await test();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            List<ServerProcess> started;
            lock (servers)
            {
                started = [.. servers];
            }

            foreach (var server in started)
            {
                output.WriteLine($"--- server {server.Name} (pid {server.ProcessId}), whole output:\n{server.Output}");
            }

            throw new XunitException($"{e.GetType().Name}: {e.Message}\n\n{string.Join("\n\n", started.Select(s => s.Tail(TailLines)))}", e);
        }
    }

    /// <summary>Kills the servers still running, stops the facade and deletes the folder.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }

            await Facade.DisposeAsync();
        }
        finally
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
