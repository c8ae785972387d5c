using System.CommandLine;
using Keelson.Delivery.Clusters;
using Keelson.Delivery.Kubernetes;
using Keelson.Sandbox;
using Keelson.Sandbox.Engine;
using Keelson.Spec.Model;

namespace Keelson.Cli.Commands;

/// <summary>
/// The cluster a stack command talks to: the embedded sandbox (its state kept in one file per cluster profile under
/// <c>--state</c>) or, with <c>--kubeconfig</c>/<c>--context</c>, a real cluster.
/// </summary>
internal sealed class ClusterTarget : IAsyncDisposable
{
    private readonly Func<Task> save;
    private readonly IDisposable? connection;

    private ClusterTarget(ICluster cluster, SandboxEngine? sandbox, Func<Task> save, IDisposable? connection)
    {
        Cluster = cluster;
        Sandbox = sandbox;
        this.save = save;
        this.connection = connection;
    }

    /// <summary>The cluster.</summary>
    public ICluster Cluster { get; }

    /// <summary>The sandbox engine when the cluster is the sandbox, else null.</summary>
    public SandboxEngine? Sandbox { get; }

    /// <summary>The options every stack command shares.</summary>
    public sealed record Options(Option<string> State, Option<string?> Kubeconfig, Option<string?> Context)
    {
        /// <summary>Adds the options to a command.</summary>
        public void AddTo(Command command)
        {
            command.Options.Add(State);
            command.Options.Add(Kubeconfig);
            command.Options.Add(Context);
        }
    }

    /// <summary>Creates the shared options.</summary>
    public static Options CreateOptions() => new(
        new Option<string>("--state") { Description = "Directory holding the sandbox's state between commands.", DefaultValueFactory = _ => Path.Combine(".keelson", "sandbox") },
        new Option<string?>("--kubeconfig") { Description = "Use a real cluster from this kubeconfig instead of the sandbox." },
        new Option<string?>("--context") { Description = "The kubeconfig context of the real cluster." });

    /// <summary>The state file of a profile's sandbox.</summary>
    public static string PathOf(string stateDirectory, ClusterProfile profile) => Path.Combine(stateDirectory, profile.Name + ".json");

    /// <summary>Opens the real cluster when a kubeconfig or context is given, else the saved (or a new) sandbox of the profile.</summary>
    public static async Task<ClusterTarget> OpenAsync(System.CommandLine.ParseResult parse, Options options, ClusterProfile profile, bool fresh, CancellationToken cancellationToken)
    {
        var kubeconfig = parse.GetValue(options.Kubeconfig);
        var context = parse.GetValue(options.Context);
        if (kubeconfig is not null || context is not null)
        {
            var real = KubernetesCluster.Connect(kubeconfig, context);
            return new ClusterTarget(real, null, () => Task.CompletedTask, real);
        }

        var path = PathOf(parse.GetValue(options.State)!, profile);
        var engine = (await SandboxState.OpenAtWallClockAsync(path, profile, TimeProvider.System, fresh, cancellationToken).ConfigureAwait(false))!;
        return new ClusterTarget(new SandboxCluster(engine), engine, () => SandboxState.SaveAsync(engine, path, cancellationToken), null);
    }

    /// <summary>As <see cref="OpenAsync"/>, but an unusable kubeconfig is printed and gives null instead of throwing.</summary>
    public static async Task<ClusterTarget?> TryOpenAsync(System.CommandLine.ParseResult parse, Options options, ClusterProfile profile, bool fresh, Terminal terminal, CancellationToken cancellationToken)
    {
        try
        {
            return await OpenAsync(parse, options, profile, fresh, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException)
        {
            await terminal.Error.WriteLineAsync($"keelson: cannot use the kubeconfig ({parse.GetValue(options.Kubeconfig) ?? "default"}, context {parse.GetValue(options.Context) ?? "current"}): {e.Message}").ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>Saves the sandbox's state; nothing to do for a real cluster.</summary>
    public Task SaveAsync() => save();

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        connection?.Dispose();
        return ValueTask.CompletedTask;
    }
}
