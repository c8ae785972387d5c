using System.Globalization;
using System.Text.RegularExpressions;

namespace Keelson.Sandbox.Server.Tests;

/// <summary><c>kubectl logs</c> and <c>logs -f</c> through the real kubectl, reading the simulated log as the sandbox clock moves.</summary>
public sealed class KubectlLogsTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>
{
    private const string Ns = "logs";

    private Kubectl Kubectl => cluster.Kubectl;

    [Fact]
    public async Task Logs_follow_writes_request_summaries_as_the_clock_moves_and_ends_with_the_pod()
    {
        await Kubectl.OkAsync("create", "namespace", Ns);
        await Kubectl.OkAsync("create", "deployment", "web", "--image=nginx:1.27", "-n", Ns);
        cluster.Server.Server.Advance(TimeSpan.FromSeconds(30));
        var pod = (await Kubectl.OkAsync("get", "pods", "-n", Ns, "-o", "jsonpath={.items[0].metadata.name}")).Trim();

        var log = await Kubectl.OkAsync("logs", pod, "-n", Ns);
        Assert.Contains("starting nginx (nginx:1.27)", log);
        Assert.Contains("readiness probe succeeded", log);
        Assert.Single((await Kubectl.OkAsync("logs", pod, "-n", Ns, "--tail=1")).Split('\n', StringSplitOptions.RemoveEmptyEntries));

        using var follow = Kubectl.Start("logs", "-f", pod, "-n", Ns, "--tail=0");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var first = await NextLineAsync(follow, timeout.Token);
            var second = await NextLineAsync(follow, timeout.Token);
            var pattern = new Regex(@"^(\S+Z) served \d+ requests in the last 10s \(\d+\.\d/s\), mean latency \d+ ms, errors \d+\.\d%$");
            Assert.Matches(pattern, first);
            Assert.Matches(pattern, second);
            var at = (string line) => DateTimeOffset.Parse(pattern.Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.Equal(TimeSpan.FromSeconds(10), at(second!) - at(first!));

            // Deleting the pod ends the stream, and kubectl exits.
            await Kubectl.OkAsync("delete", "pod", pod, "-n", Ns, "--grace-period=0", "--force");
            await follow.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, follow.ExitCode);
        }
        finally
        {
            if (!follow.HasExited)
            {
                follow.Kill();
            }
        }
    }

    // kubectl may take a while to open the stream on a busy machine, and --tail=0 shows nothing written before: the clock
    // moves one summary interval at a time until a line arrives, and consecutive lines stay 10 s apart whenever it started.
    private async Task<string?> NextLineAsync(System.Diagnostics.Process follow, CancellationToken cancellationToken)
    {
        var line = follow.StandardOutput.ReadLineAsync(cancellationToken).AsTask();
        while (!line.IsCompleted)
        {
            cluster.Server.Server.Advance(TimeSpan.FromSeconds(10));
            await Task.WhenAny(line, Task.Delay(500, cancellationToken));
        }

        return await line;
    }

    [Fact]
    public async Task Logs_of_a_missing_container_are_refused()
    {
        await Kubectl.OkAsync("create", "namespace", "logs-bad");
        await Kubectl.OkAsync("run", "one", "--image=nginx:1.27", "-n", "logs-bad");
        var (exit, _, error) = await Kubectl.RunAsync("logs", "one", "-c", "nope", "-n", "logs-bad");
        Assert.NotEqual(0, exit);
        Assert.Contains("container nope is not valid for pod one", error);
    }
}
