using BenchmarkDotNet.Attributes;
using Keelson.Planning;
using Keelson.Spec.Model;
using Keelson.Spec.Parsing;

namespace Keelson.Bench;

/// <summary>Planning and parsing a fleet of 1,000 tenants × 8 components.</summary>
[MemoryDiagnoser]
public class PlanBenchmarks
{
    private IReadOnlyList<string> yaml = [];
    private IReadOnlyList<StackSpec> specs = [];

    /// <summary>Tenants in the fleet.</summary>
    [Params(1000)]
    public int Tenants { get; set; }

    /// <summary>Builds the fleet once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        yaml = Fleet.Yaml(Tenants);
        specs = Fleet.Parsed(Tenants);
        foreach (var spec in specs)
        {
            var result = Planner.Default.Plan(spec);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"{spec.Metadata.Tenant}: {string.Join("; ", result.Problems)}");
            }
        }
    }

    /// <summary>Plans every tenant (sizing, placement, packing, cost).</summary>
    [Benchmark(Baseline = true)]
    public int PlanFleet()
    {
        var components = 0;
        foreach (var spec in specs)
        {
            components += Planner.Default.Plan(spec).Plan!.Components.Count;
        }

        return components;
    }

    /// <summary>Parses and checks every tenant's YAML.</summary>
    [Benchmark]
    public int ParseFleet()
    {
        var components = 0;
        foreach (var text in yaml)
        {
            components += StackParser.Parse(text, "bench").Value!.Components.Count;
        }

        return components;
    }
}
