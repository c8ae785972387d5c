using BenchmarkDotNet.Attributes;
using Keelson.Planning;
using Keelson.Rendering;
using Keelson.Rendering.Output;

namespace Keelson.Bench;

/// <summary>Rendering the planned 1,000-tenant fleet into typed objects, and on to YAML text.</summary>
[MemoryDiagnoser]
public class RenderBenchmarks
{
    private IReadOnlyList<Plan> plans = [];

    /// <summary>Tenants in the fleet.</summary>
    [Params(1000)]
    public int Tenants { get; set; }

    /// <summary>Plans the fleet once.</summary>
    [GlobalSetup]
    public void Setup() => plans = [.. Fleet.Parsed(Tenants).Select(s => Planner.Default.Plan(s).Plan!)];

    /// <summary>Builds every tenant's objects.</summary>
    [Benchmark(Baseline = true)]
    public int RenderObjects() => plans.Sum(p => ManifestRenderer.Default.Render(p).Objects.Count);

    /// <summary>The same YAML through KubernetesClient's own serialiser (<c>KubernetesYaml.Serialize</c>), side by side.</summary>
    [Benchmark]
    public long RenderYamlWithKubernetesYaml() => plans.Sum(p => (long)string.Join("---\n", ManifestRenderer.Default.Render(p).Objects.Select(o => k8s.KubernetesYaml.Serialize(o.Resource))).Length);

    /// <summary>Builds every tenant's objects and serialises them to multi-document YAML.</summary>
    [Benchmark]
    public long RenderYaml() => plans.Sum(p => (long)ManifestYaml.Documents(ManifestRenderer.Default.Render(p).Objects.Select(o => o.Resource)).Length);
}
