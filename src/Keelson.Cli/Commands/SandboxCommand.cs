using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Keelson.Sandbox;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Server;

namespace Keelson.Cli.Commands;

/// <summary><c>keelson sandbox serve</c>: the saved sandbox behind a Kubernetes API on loopback, for kubectl.</summary>
internal static class SandboxCommand
{
    public static Command Create(Terminal terminal)
    {
        var command = new Command("sandbox", "Work with the embedded sandbox cluster.");
        command.Subcommands.Add(Serve(terminal));
        return command;
    }

    private static Command Serve(Terminal terminal)
    {
        var cluster = new Option<string>("--cluster") { Description = "A built-in cluster profile or a cluster file: whose saved sandbox to serve.", DefaultValueFactory = _ => "aws-general" };
        var state = ClusterTarget.CreateOptions().State;
        var port = new Option<int>("--port") { Description = "Loopback port; 0 picks a free one.", DefaultValueFactory = _ => 0 };
        var kubeconfig = new Option<string>("--kubeconfig-out") { Description = "Where to write the kubeconfig for kubectl.", DefaultValueFactory = _ => Path.Combine(".keelson", "sandbox", "kubeconfig") };
        var speed = new Option<double>("--speed") { Description = "Cluster seconds per real second (0 stops the clock).", DefaultValueFactory = _ => 1 };
        var command = new Command("serve", "Serve the saved sandbox as a Kubernetes API on 127.0.0.1 until Ctrl-C, then save it.");
        foreach (var option in new Option[] { cluster, state, port, kubeconfig, speed })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(port) is < 0 or > 65535 || parse.GetValue(speed) < 0)
            {
                await terminal.Error.WriteLineAsync("keelson: --port must be 0-65535 and --speed at least 0").ConfigureAwait(false);
                return KeelsonCli.BadInput;
            }

            var profile = await StackLoader.LoadClusterAsync(parse.GetValue(cluster)!, terminal, cancellationToken).ConfigureAwait(false);
            if (profile is null)
            {
                return KeelsonCli.BadInput;
            }

            var directory = parse.GetValue(state)!;
            var engine = (await SandboxState.OpenAtWallClockAsync(ClusterTarget.PathOf(directory, profile), profile, TimeProvider.System, fresh: false, cancellationToken).ConfigureAwait(false))!;
            var options = new SandboxApiOptions { Port = parse.GetValue(port), Speed = parse.GetValue(speed) };
            var server = await SandboxApiServer.StartAsync(new SandboxCluster(engine), options, cancellationToken).ConfigureAwait(false);
            await using (server.ConfigureAwait(false))
            {
                var path = parse.GetValue(kubeconfig)!;
                await SandboxKubeconfig.WriteAsync(path, server.Url, cancellationToken).ConfigureAwait(false);
                await terminal.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"keelson: serving {profile.Name}'s sandbox at {server.Url} (clock x{options.Speed}); Ctrl-C stops and saves it")).ConfigureAwait(false);
                await terminal.Out.WriteLineAsync($"kubectl --kubeconfig {path} get nodes").ConfigureAwait(false);
                await WaitForStopAsync(cancellationToken).ConfigureAwait(false);
            }

            await SandboxState.SaveAsync(engine, ClusterTarget.PathOf(directory, profile), CancellationToken.None).ConfigureAwait(false);
            await terminal.Error.WriteLineAsync($"keelson: stopped; saved to {ClusterTarget.PathOf(directory, profile)}").ConfigureAwait(false);
            return KeelsonCli.Ok;
        });
        return command;
    }

    // Ctrl-C cancels the token; SIGTERM (a service manager, a test harness) should stop as cleanly.
    private static async Task WaitForStopAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }
    }
}
