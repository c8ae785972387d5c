using System.Diagnostics;
using System.Text.Json.Nodes;
using Keelson.Testing;

namespace Keelson.Sandbox.Server.Tests;

/// <summary>The Python Kubernetes client (Debian's <c>python3-kubernetes</c>) running one of <c>Python/client_scenarios.py</c>'s scenarios.</summary>
internal static class PythonClient
{
    /// <summary>Runs <paramref name="scenario"/> in a new namespace <paramref name="ns"/> and returns the JSON it printed.</summary>
    public static async Task<JsonNode> RunAsync(string kubeconfig, string scenario, string ns)
    {
        var script = Repo.File("tests", "Keelson.Sandbox.Server.Tests", "Python", "client_scenarios.py");
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { script, kubeconfig, scenario, ns })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"python3 client_scenarios.py {scenario} exited {process.ExitCode}:\n{output}\n{await stderr}");
        return JsonNode.Parse(output)!;
    }
}
