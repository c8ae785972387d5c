using Keelson.Planning;
using Keelson.Rendering;
using Keelson.Rendering.Output;
using Keelson.Spec.Parsing;
using Keelson.Testing;

namespace Keelson.Sandbox.Server.Tests;

/// <summary>
/// A facade with its clock stopped (tests move it with <see cref="SandboxApiServer.Advance"/>), a kubeconfig for it,
/// and the restaurant example rendered to one YAML file, namespace first, for <c>kubectl apply -f</c>.
/// </summary>
public sealed class RestaurantCluster : IAsyncLifetime
{
    public const string Namespace = "restaurant-system";

    private readonly string directory = Directory.CreateTempSubdirectory("keelson-facade-").FullName;
    private TestServer? server;

    internal TestServer Server => server ?? throw new InvalidOperationException("not started");

    internal Kubectl Kubectl { get; private set; } = null!;

    public string ManifestPath => Path.Combine(directory, "restaurant.yaml");

    /// <summary>The kubeconfig pointing at the facade, for clients other than kubectl.</summary>
    public string KubeconfigPath => Path.Combine(directory, "kubeconfig");

    public async Task InitializeAsync()
    {
        server = await TestServer.StartAsync();
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        await SandboxKubeconfig.WriteAsync(kubeconfig, server.Server.Url, CancellationToken.None);
        Kubectl = new Kubectl(kubeconfig, Path.Combine(directory, "cache"));
        await File.WriteAllTextAsync(ManifestPath, Render("restaurant.yaml"));
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        Directory.Delete(directory, recursive: true);
    }

    /// <summary>Runs kubectl while stepping the stopped clock, for commands that wait on the cluster (delete, rollout status, drain).</summary>
    internal async Task<(int Exit, string Output)> WhileAdvancingAsync(params string[] args)
    {
        using var process = Kubectl.Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var limit = System.Diagnostics.Stopwatch.StartNew();
        while (!process.HasExited && limit.Elapsed < TimeSpan.FromSeconds(60))
        {
            Server.Server.Advance(TimeSpan.FromSeconds(2));
            await Task.Delay(50);
        }

        if (!process.HasExited)
        {
            process.Kill();
        }

        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Render(string example)
    {
        var spec = StackParser.Parse(File.ReadAllText(Repo.File("examples", example)), example);
        Assert.True(spec.Succeeded, string.Join("\n", spec.Diagnostics));
        var plan = Planner.Default.Plan(spec.Value!);
        Assert.True(plan.Succeeded, string.Join("\n", plan.Problems));
        var manifest = ManifestRenderer.Default.Render(plan.Plan!);
        return ManifestYaml.Documents(manifest.Objects.Select(o => o.Resource).OrderBy(o => o.Kind == "Namespace" ? 0 : 1));
    }
}
