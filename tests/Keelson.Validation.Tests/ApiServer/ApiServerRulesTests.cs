using Keelson.Validation.ApiServer;
using Keelson.Validation.Loading;
using Keelson.Validation.Schema;

namespace Keelson.Validation.Tests.ApiServer;

/// <summary>
/// One case (at least) per rule of <see cref="ApiServerRules.All"/>: the good object has no schema finding at all, the bad one has the
/// rule's finding with the exact id, field path and line (the line is the one the bad text marks with <c>#!</c>).
/// </summary>
public sealed partial class ApiServerRulesTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var (rule, i) in All.Select((c, i) => (c.Rule, i)))
        {
            data.Add(rule, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Good_object_passes_and_bad_object_has_the_rules_finding(string rule, string index)
    {
        var c = All[int.Parse(index, System.Globalization.CultureInfo.InvariantCulture)];
        Assert.Equal(rule, c.Rule);
        var (good, bad) = (Render(c.Kind, c.Slot, c.Good), Render(c.Kind, c.Slot, c.Bad));

        Assert.Empty(Fixtures.SchemaFindings(good));

        var line = Array.FindIndex(bad.Split('\n'), l => l.Contains("#!", StringComparison.Ordinal)) + 1;
        Assert.True(line > 0, "the bad text must mark the expected line with #!");
        var findings = Evaluate(bad);
        Assert.Contains((c.Rule, c.Id, line, c.Path), findings);
        // The finding reaches the report too, located on the object.
        Assert.Contains(Fixtures.SchemaFindings(bad), f => f == (c.Id, line, c.Path));
    }

    [Fact]
    public void Every_rule_has_a_case()
    {
        var tested = All.Select(c => c.Rule).ToHashSet(StringComparer.Ordinal);

        var missing = ApiServerRules.All.Select(r => r.Name).Where(n => !tested.Contains(n)).ToList();

        Assert.True(missing.Count == 0, "rules without a case: " + string.Join(", ", missing));
    }

    [Fact]
    public void Rule_names_are_unique_and_every_rule_names_its_upstream_function()
    {
        Assert.Empty(ApiServerRules.All.GroupBy(r => r.Name).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.All(ApiServerRules.All, r => Assert.Matches("^(core|apps|batch|networking|autoscaling|policy|rbac|decoding) ", r.Upstream));
        Assert.All(ApiServerRules.All, r => Assert.Contains(r.Id, (string[])[FieldRules.RequiredId, FieldRules.ValueId, FieldRules.NameId, Validator.DuplicateId]));
    }

    [Fact]
    public void Other_versions_and_custom_kinds_of_the_same_name_are_left_alone()
    {
        const string knative = "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: Web.App}\nspec: {template: {spec: {containers: [{image: x}]}}}\n";

        Assert.Empty(Evaluate(knative));
    }

    private static List<(string Rule, string Id, int Line, string Path)> Evaluate(string yaml)
    {
        var documents = new List<ManifestDocument>();
        ManifestLoader.Parse(yaml, "test.yaml", documents, []);
        return [.. documents.SelectMany(ApiServerRules.Evaluate).Select(x => (x.Rule.Name, x.Finding.CheckId, x.Finding.Line, x.Finding.Path))];
    }

    /// <summary>A case: the rule, the kind's template, the slot the snippets go in, the good and the bad snippet, the expected id and path.</summary>
    private sealed record Case(string Rule, string Kind, char Slot, string Good, string Bad, string Id, string Path);

    private const string R = FieldRules.RequiredId, V = FieldRules.ValueId, N = FieldRules.NameId, D = Validator.DuplicateId;

    // Slots: M metadata, S spec, P pod spec, C the first container; X is the whole document (Good and Bad are complete objects).
    private static readonly Dictionary<string, string> Templates = new(StringComparer.Ordinal)
    {
        ["Pod"] = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  {M}\nspec:\n  {P}\n  containers:\n  - name: c\n    image: i:1\n    {C}\n",
        ["PodBare"] = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  {P}\n",
        ["Deployment"] = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  {M}\nspec:\n  {S}\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      {P}\n      containers:\n      - name: web\n        image: web:1\n        {C}\n",
        ["StatefulSet"] = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  {S}\n  selector:\n    matchLabels: {app: db}\n  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      {P}\n      containers:\n      - name: db\n        image: db:1\n        {C}\n",
        ["DaemonSet"] = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  {S}\n  selector:\n    matchLabels: {app: agent}\n  template:\n    metadata:\n      labels: {app: agent}\n    spec:\n      {P}\n      containers:\n      - name: agent\n        image: agent:1\n",
        ["Job"] = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: once\nspec:\n  {S}\n  template:\n    spec:\n      {P}\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: i:1\n",
        ["JobBare"] = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: once\nspec:\n  {S}\n",
        ["CronJob"] = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\n  {M}\nspec:\n  {S}\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: c\n            image: i:1\n",
    };

    private static string Render(string kind, char slot, string snippet)
    {
        if (slot == 'X')
        {
            return snippet;
        }

        var text = Templates[kind];
        foreach (var s in "MSPC")
        {
            var marker = "{" + s + "}";
            var at = text.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0)
            {
                Assert.True(s != slot, $"template {kind} has no slot {s}");
                continue;
            }

            var indent = at - text.LastIndexOf('\n', at) - 1;
            var value = s == slot ? snippet.Replace("\n", "\n" + new string(' ', indent), StringComparison.Ordinal) : "";
            text = text.Replace(marker, value, StringComparison.Ordinal);
        }

        return text;
    }
}
