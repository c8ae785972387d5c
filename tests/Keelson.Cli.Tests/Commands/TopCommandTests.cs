using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Keelson.Sandbox;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Server;
using Keelson.Testing;

namespace Keelson.Cli.Tests.Commands;

public sealed class TopCommandTests : IDisposable
{
    private const string Namespace = "restaurant-system";
    private readonly string state = Path.Combine(Path.GetTempPath(), $"keelson-state-{Guid.NewGuid():N}");
    private readonly string stack = Repo.File("examples", "restaurant.yaml");

    [Fact]
    public async Task Top_shows_the_stacks_pods_and_nodes_as_the_sandboxs_metrics_api_reports_them()
    {
        Assert.Equal(0, (await Cli.Run("up", stack, "--state", state, "--fresh")).Exit);

        var (exit, output, error) = await Cli.Run("top", stack, "--state", state);
        var (jsonExit, json, _) = await Cli.Run("top", stack, "--state", state, "-o", "json");

        Assert.True(exit == 0, error);
        Assert.Equal(0, jsonExit);
        // The same saved instant served as metrics.k8s.io, the clock stopped, read as kubectl top reads it.
        var (pods, nodes) = await MetricsApiAsync();
        Assert.NotEmpty(pods);
        Assert.Contains("gateway-", output, StringComparison.Ordinal);
        foreach (var (name, (cpu, memory)) in pods)
        {
            Assert.Matches(new Regex($@"│ {Regex.Escape(name)} +│ +{cpu}m │ +{memory / (1024 * 1024)}Mi │"), output);
        }

        var report = JsonNode.Parse(json)!;
        Assert.Equal(Namespace, report["namespace"]!.GetValue<string>());
        var reported = report["pods"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => (p!["cpu_millicores"]!.GetValue<long>(), p["memory_bytes"]!.GetValue<long>()));
        Assert.Equal(pods.OrderBy(p => p.Key, StringComparer.Ordinal), reported.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(reported.Keys.Order(StringComparer.Ordinal), reported.Keys);

        // Nodes: only those running the stack's pods, each with the metrics API's figures.
        var reportedNodes = report["nodes"]!.AsArray().ToDictionary(n => n!["name"]!.GetValue<string>(), n => (n!["cpu_millicores"]!.GetValue<long>(), n["memory_bytes"]!.GetValue<long>()));
        Assert.NotEmpty(reportedNodes);
        var podNodes = report["pods"]!.AsArray().Select(p => p!["node"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(podNodes.Order(StringComparer.Ordinal), reportedNodes.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, usage) in reportedNodes)
        {
            Assert.Equal(nodes[name], usage);
            Assert.Matches(new Regex($@"│ {Regex.Escape(name)} +│ +{usage.Item1}m │ +\d+% │ +{usage.Item2 / (1024 * 1024)}Mi │ +\d+% │"), output);
        }
    }

    [Fact]
    public async Task Sort_by_cpu_puts_the_heaviest_pod_first()
    {
        Assert.Equal(0, (await Cli.Run("up", stack, "--state", state, "--fresh")).Exit);

        var (exit, json, error) = await Cli.Run("top", stack, "--state", state, "--sort-by", "cpu", "-o", "json");

        Assert.True(exit == 0, error);
        var cpu = JsonNode.Parse(json)!["pods"]!.AsArray().Select(p => p!["cpu_millicores"]!.GetValue<long>()).ToList();
        Assert.True(cpu.Count > 1);
        Assert.Equal(cpu.OrderDescending(), cpu);
    }

    [Fact]
    public async Task Top_of_a_stack_not_delivered_says_to_run_up_first()
    {
        var (exit, output, error) = await Cli.Run("top", stack, "--state", state);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains($"{Namespace} has not been delivered", error, StringComparison.Ordinal);
        Assert.Contains("run keelson up first", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Top_of_a_real_cluster_points_at_kubectl_top()
    {
        // A cluster reached through a kubeconfig (here the sandbox facade) has its own metrics-server.
        var server = await SandboxApiServer.StartAsync(new SandboxCluster(new SandboxEngine(Keelson.Spec.Profiles.ClusterProfiles.Get("aws-general"))), new SandboxApiOptions { Port = 0, Speed = 0 }, CancellationToken.None);
        await using (server)
        {
            var kubeconfig = Path.Combine(state, "kubeconfig");
            await SandboxKubeconfig.WriteAsync(kubeconfig, server.Url, CancellationToken.None);

            var (exit, output, error) = await Cli.Run("top", stack, "--kubeconfig", kubeconfig);

            Assert.Equal(2, exit);
            Assert.Equal("", output);
            Assert.Contains($"keelson: top reads the embedded sandbox; for ", error, StringComparison.Ordinal);
            Assert.Contains($"use kubectl top pods -n {Namespace}", error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--sort-by", "heat", "keelson: --sort-by 'heat' is not allowed; use one of name, cpu, memory")]
    [InlineData("--output", "yaml", "keelson: --output 'yaml' is not allowed; use one of table, json")]
    public async Task A_bad_option_value_is_an_input_error_naming_the_option_and_allowed_values(string option, string value, string message)
    {
        var (exit, output, error) = await Cli.Run("top", stack, "--state", state, option, value);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    private async Task<(Dictionary<string, (long Cpu, long Memory)> Pods, Dictionary<string, (long Cpu, long Memory)> Nodes)> MetricsApiAsync()
    {
        var engine = await SandboxState.LoadAsync(Directory.GetFiles(state, "*.json").Single(), null, CancellationToken.None);
        var server = await SandboxApiServer.StartAsync(new SandboxCluster(engine!), new SandboxApiOptions { Port = 0, Speed = 0 }, CancellationToken.None);
        await using (server)
        {
            using var http = new HttpClient { BaseAddress = server.Url };
            var pods = JsonNode.Parse(await http.GetStringAsync(new Uri($"/apis/metrics.k8s.io/v1beta1/namespaces/{Namespace}/pods", UriKind.Relative)))!["items"]!.AsArray()
                .ToDictionary(
                    p => p!["metadata"]!["name"]!.GetValue<string>(),
                    p => Kubectl(p!["containers"]!.AsArray().Select(c => c!["usage"]!)));
            var nodes = JsonNode.Parse(await http.GetStringAsync(new Uri("/apis/metrics.k8s.io/v1beta1/nodes", UriKind.Relative)))!["items"]!.AsArray()
                .ToDictionary(n => n!["metadata"]!["name"]!.GetValue<string>(), n => Kubectl([n!["usage"]!]));
            return (pods, nodes);
        }
    }

    // kubectl top: quantities summed, CPU shown as millicores rounded up (Quantity.MilliValue), memory in bytes.
    private static (long Cpu, long Memory) Kubectl(IEnumerable<JsonNode> usages)
    {
        var list = usages.ToList();
        var cores = list.Sum(u => new k8s.Models.ResourceQuantity(u["cpu"]!.GetValue<string>()).ToDecimal());
        var bytes = list.Sum(u => new k8s.Models.ResourceQuantity(u["memory"]!.GetValue<string>()).ToDecimal());
        return ((long)Math.Ceiling(cores * 1000), (long)bytes);
    }

    public void Dispose()
    {
        if (Directory.Exists(state))
        {
            Directory.Delete(state, recursive: true);
        }
    }
}
