using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Keelson.Planning;
using Keelson.Rendering;
using Keelson.Rendering.Output;
using Keelson.Testing;
using Keelson.Validation;
using Keelson.Validation.Loading;
using Keelson.Validation.Schema;

namespace Keelson.Bench;

/// <summary>
/// Validating 10,000 objects with every check: the validation corpus (real-world style manifests, 150 objects in
/// 55 files) ten times over, and the first 8,500 objects of the rendered 1,000-tenant fleet.
/// <c>tests/schema/kubernetes-models/bench.mjs</c> times the kubernetes-models validators on the same inputs.
/// </summary>
[MemoryDiagnoser]
public class ValidateBenchmarks
{
    /// <summary>Objects validated.</summary>
    public const int Objects = 10_000;

    /// <summary>How many times the corpus is repeated.</summary>
    public const int CorpusRepeats = 10;

    private static readonly string[] ManifestExtensions = [".yaml", ".yml", ".json"];

    private IReadOnlyList<(string File, string Text)> inputs = [];
    private LoadResult loaded = new([], []);

    /// <summary>Renders the fleet, reads the corpus, and loads both once for the validate-only benchmarks.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var corpus = Directory.GetFiles(Repo.File("tests", "Keelson.Validation.Tests", "corpus"))
            .Where(f => ManifestExtensions.Contains(Path.GetExtension(f), StringComparer.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => (File: Path.GetFileName(f), Text: File.ReadAllText(f)))
            .ToList();
        var corpusObjects = Load(corpus).Documents.Count;
        var fleet = Fleet.Parsed(1000)
            .SelectMany(s => ManifestRenderer.Default.Render(Planner.Default.Plan(s).Plan!).Objects.Select(o => o.Resource))
            .Take(Objects - (corpusObjects * CorpusRepeats))
            .ToList();
        inputs =
        [
            ("fleet.yaml", ManifestYaml.Documents(fleet)),
            .. Enumerable.Range(1, CorpusRepeats).SelectMany(r => corpus.Select(c => ($"corpus-{r}/{c.File}", c.Text))),
        ];
        loaded = Load(inputs);
        if (loaded.Documents.Count != Objects)
        {
            throw new InvalidOperationException($"the inputs hold {loaded.Documents.Count} objects, not {Objects}");
        }
    }

    /// <summary>Writes the inputs as <c>{"files": [{"name", "text"}]}</c> for <c>bench.mjs</c>, so both sides read the same text.</summary>
    public static void ExportInputs(string path)
    {
        var benchmarks = new ValidateBenchmarks();
        benchmarks.Setup();
        File.WriteAllText(path, JsonSerializer.Serialize(new { files = benchmarks.inputs.Select(i => new { name = i.File, text = i.Text }) }));
    }

    /// <summary>Parses every input into trees; no checks.</summary>
    [Benchmark]
    public int Parse() => Load(inputs).Documents.Count;

    /// <summary>Schema checks only (model walk and field rules) on already loaded trees: what kubernetes-models checks.</summary>
    [Benchmark]
    public int SchemaOnLoaded()
    {
        var findings = new List<Finding>();
        foreach (var document in loaded.Documents)
        {
            if (KindRegistry.Find(document.ApiVersion, document.Kind) is { } type)
            {
                SchemaWalker.Check(document, type, findings);
                FieldRules.Check(document, findings);
            }
        }

        return findings.Count;
    }

    /// <summary>The API server's own rules alone, on already loaded trees.</summary>
    [Benchmark]
    public int ApiServerRulesLoaded()
    {
        var findings = new List<Finding>();
        foreach (var document in loaded.Documents)
        {
            Keelson.Validation.ApiServer.ApiServerRules.Check(document, findings);
        }

        return findings.Count;
    }

    /// <summary>Schema, per-object and cross-object checks on already loaded trees.</summary>
    [Benchmark]
    public int ValidateLoaded() => Validator.Default.Validate(loaded).Findings.Count;

    /// <summary>Parses every input and runs schema, per-object and cross-object checks.</summary>
    [Benchmark(Baseline = true)]
    public int ParseAndValidate() => Validator.Default.Validate(Load(inputs)).Findings.Count;

    private static LoadResult Load(IEnumerable<(string File, string Text)> texts)
    {
        var documents = new List<ManifestDocument>();
        var problems = new List<Finding>();
        foreach (var (file, text) in texts)
        {
            ManifestLoader.Parse(text, file, documents, problems);
        }

        return new LoadResult(documents, problems);
    }
}
