using BenchmarkDotNet.Attributes;
using Keelson.Planning;
using Keelson.Rendering;
using Keelson.Rendering.Output;
using Keelson.Validation;
using Keelson.Validation.Loading;

namespace Keelson.Bench;

/// <summary>
/// Validating 10,000 objects (the first 10,000 of the rendered 1,000-tenant fleet) with every check.
/// <c>tests/schema/kubernetes-models/bench.mjs</c> times the kubernetes-models validators on the same objects.
/// </summary>
[MemoryDiagnoser]
public class ValidateBenchmarks
{
    /// <summary>Objects validated.</summary>
    public const int Objects = 10_000;

    private string yaml = "";

    /// <summary>Renders the fleet and keeps its first 10,000 objects as one YAML stream.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var objects = Fleet.Parsed(1000)
            .SelectMany(s => ManifestRenderer.Default.Render(Planner.Default.Plan(s).Plan!).Objects.Select(o => o.Resource))
            .Take(Objects)
            .ToList();
        yaml = ManifestYaml.Documents(objects);
        if (Environment.GetEnvironmentVariable("KEELSON_BENCH_EXPORT") is { } path)
        {
            File.WriteAllText(path, ManifestYaml.JsonList(objects));
        }
    }

    /// <summary>Parses the YAML stream and runs schema, per-object and cross-object checks.</summary>
    [Benchmark]
    public int ParseAndValidate()
    {
        var documents = new List<ManifestDocument>();
        var problems = new List<Finding>();
        ManifestLoader.Parse(yaml, "fleet.yaml", documents, problems);
        return Validator.Default.Validate(new LoadResult(documents, problems)).Findings.Count;
    }
}
