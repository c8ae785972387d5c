using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Keelson.Planning;
using Keelson.Rendering;
using Keelson.Rendering.Output;
using Keelson.Spec.Parsing;
using Keelson.Testing;
using Keelson.Validation.Loading;
using YamlDotNet.Core;

namespace Keelson.Validation.Tests;

/// <summary>
/// An independent check of the schema layer: the npm package kubernetes-models (validators generated from the
/// official OpenAPI document, installed by ./test) judges the same objects, and both must agree on which are
/// schema-invalid. Known, documented differences: kubernetes-models accepts unknown fields (Keelson rejects
/// them, like kubeconform -strict), it knows nothing of the API server's own validation (Keelson's ApiServerRules: an
/// object only those rules reject is "valid" to it), and it has no models for custom resources. Duplicate objects are a property of the
/// set, not of one object, and are left out of the comparison.
/// </summary>
public sealed partial class KubernetesModelsAgreementTests
{
    [GeneratedRegex(@"^[-+]?(?:[0-9]+|[0-9]*\.[0-9]+(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+)$")]
    private static partial Regex YamlNumber();

    [Fact]
    public async Task Keelson_and_kubernetes_models_agree_on_schema_validity()
    {
        var documents = new List<ManifestDocument>();
        var problems = new List<Finding>();
        // The examples, and the stack with queued jobs and workers scaled on the queue (HPA External metric, KEDA).
        foreach (var path in Repo.Examples.Append(Repo.File("tests", "Keelson.Rendering.Tests", "queued", "stack.yaml")))
        {
            var plan = Planner.Default.Plan(StackParser.Parse(File.ReadAllText(path), path).Value!).Plan!;
            ManifestLoader.Parse(ManifestYaml.Documents(ManifestRenderer.Default.Render(plan).Objects.Select(o => o.Resource)), path, documents, problems);
        }

        ManifestLoader.Parse(Broken, "broken.yaml", documents, problems);
        var corpus = Repo.File("tests", "Keelson.Validation.Tests", "corpus");
        if (Directory.Exists(corpus))
        {
            var loaded = await ManifestLoader.LoadAsync([corpus], null, CancellationToken.None);
            documents.AddRange(loaded.Documents);
        }

        Assert.Empty(problems);
        var findings = Validator.Default.Validate(new LoadResult(documents, [])).Findings;
        var theirs = await RunKubernetesModels(documents);

        var disagreements = new List<string>();
        var compared = 0;
        for (var i = 0; i < documents.Count; i++)
        {
            var d = documents[i];
            var ours = findings.Where(f => f.File == d.File && f.Target == d.Ref && f.CheckId.StartsWith("schema-", StringComparison.Ordinal) && f.CheckId != Validator.DuplicateId && f.Severity == Severity.Error).ToList();
            var notChecked = findings.Any(f => f.File == d.File && f.Target == d.Ref && f.CheckId == Validator.NotCheckedId);
            var result = theirs[i]!;
            if (notChecked || !result["checked"]!.GetValue<bool>())
            {
                continue;
            }

            compared++;
            var theyValid = result["valid"]!.GetValue<bool>();
            var weValid = ours.Count == 0;
            var onlyUnknownFields = ours.Count > 0 && ours.All(f => f.CheckId == Keelson.Validation.Schema.SchemaWalker.UnknownFieldId);
            // The API server's own rules (ApiServerRules) go beyond the OpenAPI document kubernetes-models is generated from.
            var apiServer = Keelson.Validation.ApiServer.ApiServerRules.Evaluate(d).Select(x => x.Finding).ToHashSet();
            var beyondOpenApi = ours.Count > 0 && ours.All(f => f.CheckId == Keelson.Validation.Schema.SchemaWalker.UnknownFieldId || apiServer.Contains(f));
            if (weValid != theyValid && !(onlyUnknownFields && theyValid) && !(beyondOpenApi && theyValid))
            {
                disagreements.Add($"{d.File}:{d.Line} {d.Ref}: Keelson {(weValid ? "valid" : string.Join("; ", ours.Select(f => f.Message)))}; kubernetes-models {(theyValid ? "valid" : result["error"])}");
            }
        }

        Assert.True(compared >= 100, $"only {compared} objects were compared");
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
    }

    private const string Broken = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: quoted-replicas}
        spec: {replicas: "3", selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: "i:1"}]}}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: string-port}
        spec: {ports: [{port: "80"}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: bad-quantity}
        spec: {containers: [{name: c, image: "i:1", resources: {requests: {cpu: 1 core}}}]}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: list-for-map}
        spec: {nodeSelector: [a, b], containers: [{name: c, image: "i:1"}]}
        """;

    private static async Task<JsonArray> RunKubernetesModels(List<ManifestDocument> documents)
    {
        var input = Path.Combine(Path.GetTempPath(), $"keelson-km-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(input, new JsonArray([.. documents.Select(d => ToJson(d.Node))]).ToJsonString());
        try
        {
            var script = Repo.File("tests", "schema", "kubernetes-models", "validate.mjs");
            Assert.True(Directory.Exists(Repo.File("tests", "schema", "kubernetes-models", "node_modules")), "kubernetes-models is not installed; run ./test, which runs npm ci for it");
            using var node = Process.Start(new ProcessStartInfo("node", [script, input]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = node.StandardOutput.ReadToEndAsync();
            var error = node.StandardError.ReadToEndAsync();
            await node.WaitForExitAsync();
            Assert.True(node.ExitCode == 0, await error);
            var results = JsonNode.Parse(await output)!.AsArray();
            Assert.Equal(documents.Count, results.Count);
            return results;
        }
        finally
        {
            File.Delete(input);
        }
    }

    /// <summary>YAML to JSON with YAML's core-schema typing: plain numbers and booleans become JSON numbers and booleans.</summary>
    private static JsonNode? ToJson(YamlElement node) => node switch
    {
        YamlMap map => new JsonObject(map.Entries.Select(c => KeyValuePair.Create(c.Key, ToJson(c.Value)))),
        YamlSeq seq => new JsonArray([.. seq.Select(ToJson)]),
        YamlValue { Style: ScalarStyle.Plain, Value: "" or "~" or "null" } => null,
        YamlValue { Style: ScalarStyle.Plain, Value: "true" or "false" } s => JsonValue.Create(s.Value == "true"),
        YamlValue { Style: ScalarStyle.Plain } s when YamlNumber().IsMatch(s.Value) => JsonNode.Parse(double.Parse(s.Value, CultureInfo.InvariantCulture) % 1 == 0 && !s.Value.Contains('.', StringComparison.Ordinal) ? long.Parse(s.Value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) : s.Value.TrimStart('+')),
        YamlValue s => JsonValue.Create(s.Value),
        _ => null,
    };
}
