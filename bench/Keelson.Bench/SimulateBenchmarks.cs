using BenchmarkDotNet.Attributes;
using Keelson.Planning;
using Keelson.Rendering;
using Keelson.Sandbox.Simulation;
using Keelson.Spec.Load;
using Keelson.Spec.Parsing;

namespace Keelson.Bench;

/// <summary>
/// A simulated day of the AI call-center stack (examples/ai-call-center.yaml) under the call-center weekday load
/// (examples/loads/call-center-day.yaml) with a one-minute step: delivery, 1,440 reconcile ticks, samples.
/// </summary>
[MemoryDiagnoser]
public class SimulateBenchmarks
{
    private Manifest manifest = null!;
    private LoadSpec load = null!;

    /// <summary>Plans and renders the stack and reads the load once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var root = Repository.Root;
        var spec = StackParser.Parse(File.ReadAllText(Path.Combine(root, "examples", "ai-call-center.yaml")), "ai-call-center.yaml").Value!;
        manifest = ManifestRenderer.Default.Render(Planner.Default.Plan(spec).Plan!);
        load = LoadParser.Parse(File.ReadAllText(Path.Combine(root, "examples", "loads", "call-center-day.yaml")), "call-center-day.yaml", [.. manifest.Plan.Components.Select(c => c.Name)]).Value!;
    }

    /// <summary>24 h of virtual time in one-minute steps.</summary>
    [Benchmark]
    public int SimulateCallCenterDay() =>
        new DaySimulator().RunAsync(manifest, load, TimeSpan.FromHours(24), TimeSpan.FromMinutes(1), [], CancellationToken.None).GetAwaiter().GetResult().Timeline.Count;
}

/// <summary>The repository root, found upwards from the benchmark's working directory or binaries.</summary>
internal static class Repository
{
    /// <summary>The directory holding Keelson.slnx.</summary>
    public static string Root { get; } = Find(Environment.CurrentDirectory) ?? Find(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("Keelson.slnx not found above the working directory or the benchmark binaries.");

    private static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Keelson.slnx")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
