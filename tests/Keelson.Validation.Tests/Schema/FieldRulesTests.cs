using Keelson.Validation.Loading;
using Keelson.Validation.Schema;
using YamlDotNet.RepresentationModel;

namespace Keelson.Validation.Tests.Schema;

/// <summary>One test per entry of the required-field, value and port tables: break the field in a valid object, expect the finding.</summary>
public sealed class FieldRulesTests
{
    private static readonly Dictionary<string, string> Valid = new(StringComparer.Ordinal)
    {
        ["Deployment"] = Fixtures.GoodDeployment[..Fixtures.GoodDeployment.IndexOf("---", StringComparison.Ordinal)],
        ["StatefulSet"] = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec: {serviceName: db, selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: \"i:1\", ports: [{containerPort: 80, protocol: TCP}]}]}}}\n",
        ["DaemonSet"] = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {restartPolicy: Always, containers: [{name: c, image: \"i:1\", imagePullPolicy: Always}], tolerations: [{operator: Exists, effect: NoSchedule}]}}}\n",
        ["ReplicaSet"] = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: rs}\nspec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: \"i:1\"}]}}}\n",
        ["Job"] = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: once}\nspec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: \"i:1\"}]}}}\n",
        ["CronJob"] = "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec: {schedule: \"0 2 * * *\", concurrencyPolicy: Forbid, jobTemplate: {spec: {template: {spec: {restartPolicy: OnFailure, containers: [{name: c, image: \"i:1\", ports: [{containerPort: 80}]}]}}}}}\n",
        ["HorizontalPodAutoscaler"] = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 3}\n",
        ["Service"] = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: ClusterIP, ports: [{port: 80, protocol: TCP}]}\n",
        ["Ingress"] = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec: {rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]}\n",
        ["Pod"] = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {restartPolicy: Always, containers: [{name: c, image: \"i:1\", imagePullPolicy: IfNotPresent, ports: [{containerPort: 80, protocol: TCP}]}], tolerations: [{key: dedicated, operator: Equal, effect: NoExecute}]}\n",
    };

    public static TheoryData<string, string, string> Entries()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (kind, path) in FieldRules.Required)
        {
            foreach (var k in Kinds(kind, path))
            {
                data.Add(k, path, "remove");
            }
        }

        foreach (var (kind, path, _) in FieldRules.Enums)
        {
            foreach (var k in Kinds(kind, path))
            {
                data.Add(k, path, "Bogus");
            }
        }

        foreach (var (kind, path) in FieldRules.Ports)
        {
            foreach (var k in Kinds(kind, path))
            {
                data.Add(k, path, "70000");
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void Breaking_the_field_gives_its_finding(string kind, string path, string change)
    {
        var before = Validate(Valid[kind]);
        Assert.DoesNotContain(before, f => f.CheckId is FieldRules.RequiredId or FieldRules.ValueId);

        var after = Validate(Break(Valid[kind], path, change));

        var expected = change == "remove" ? FieldRules.RequiredId : FieldRules.ValueId;
        Assert.Contains(after, f => f.CheckId == expected);
    }

    [Theory]
    [InlineData("metadata: {name: web}", "metadata: {name: Web_Server}")]
    [InlineData("labels: {app: web}", "labels: {app: \"web server\"}")]
    [InlineData("labels: {app: web}", "labels: {\"-bad/key\": web}")]
    public void Names_and_labels_follow_kubernetes_syntax(string good, string bad)
    {
        var yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n".Replace(good, bad, StringComparison.Ordinal);
        if (good.StartsWith("labels", StringComparison.Ordinal))
        {
            yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  " + bad + "\n";
        }

        Assert.Contains(Validate(yaml), f => f.CheckId == FieldRules.NameId);
    }

    [Fact]
    public void Duplicates_are_reported_once_each()
    {
        var yaml = Valid["Pod"] + "---\n" + Valid["Pod"].Replace("name: c, image", "name: c, env: [{name: A, value: x}, {name: A, value: y}], image", StringComparison.Ordinal);

        var duplicates = Validate(yaml).Where(f => f.CheckId == Validator.DuplicateId).Select(f => f.Message).ToList();

        Assert.Equal(2, duplicates.Count);
        Assert.Contains(duplicates, m => m.Contains("given again", StringComparison.Ordinal));
        Assert.Contains(duplicates, m => m.Contains("name 'A' in env twice", StringComparison.Ordinal));
    }

    private static IEnumerable<string> Kinds(string kind, string path) =>
        kind != "*" ? [kind]
        : path.StartsWith("spec.jobTemplate", StringComparison.Ordinal) ? ["CronJob"]
        : path.StartsWith("spec.template", StringComparison.Ordinal) ? ["DaemonSet"]
        : path.StartsWith("spec.", StringComparison.Ordinal) ? ["Pod"]
        : ["Service"];

    private static IReadOnlyList<Finding> Validate(string yaml)
    {
        var documents = new List<ManifestDocument>();
        var problems = new List<Finding>();
        ManifestLoader.Parse(yaml, "t.yaml", documents, problems);
        Assert.Empty(problems);
        return Validator.Default.Validate(new LoadResult(documents, problems)).Findings;
    }

    /// <summary>Removes the field at <paramref name="path"/> (first item of each list) or sets it to <paramref name="change"/>.</summary>
    private static string Break(string yaml, string path, string change)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        YamlNode node = stream.Documents[0].RootNode;
        var steps = path.Split('.');
        foreach (var step in steps[..^1])
        {
            var key = new YamlScalarNode(step.TrimEnd('[', ']'));
            var parent = (YamlMappingNode)node;
            if (!parent.Children.TryGetValue(key, out var child))
            {
                // Setting a value where the fixture has no such section: create it (one item for a list).
                Assert.NotEqual("remove", change);
                child = step.EndsWith("[]", StringComparison.Ordinal) ? new YamlSequenceNode(new YamlMappingNode()) : new YamlMappingNode();
                parent.Children[key] = child;
            }

            node = step.EndsWith("[]", StringComparison.Ordinal) ? ((YamlSequenceNode)child).Children[0] : child;
        }

        var last = steps[^1].TrimEnd('[', ']');
        var map = (YamlMappingNode)node;
        if (change == "remove")
        {
            Assert.True(map.Children.Remove(new YamlScalarNode(last)), $"{path} is not in the valid fixture");
        }
        else
        {
            map.Children[new YamlScalarNode(last)] = new YamlScalarNode(change);
        }

        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}
