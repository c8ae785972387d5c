using System.Diagnostics;

namespace Keelson.Sandbox.Server.Tests;

/// <summary>The machine's kubectl (a real dependency, as the style guide asks), pointed at a facade through a kubeconfig.</summary>
internal sealed class Kubectl(string kubeconfig, string cacheDirectory)
{
    public const string Binary = "/usr/bin/kubectl";

    public async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        using var process = Start(args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs kubectl and fails the test, with its output, unless it exits 0.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await RunAsync(args);
        Assert.True(exit == 0, $"kubectl {string.Join(' ', args)} exited {exit}:\n{stdout}\n{stderr}");
        return stdout;
    }

    /// <summary>Starts kubectl without waiting, for watches.</summary>
    public Process Start(params string[] args)
    {
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--kubeconfig", kubeconfig, "--cache-dir", cacheDirectory, "--request-timeout=30s" }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("kubectl did not start");
    }
}
