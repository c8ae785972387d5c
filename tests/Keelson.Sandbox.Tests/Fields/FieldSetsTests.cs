using System.Text.Json.Nodes;
using Keelson.Sandbox.Fields;

namespace Keelson.Sandbox.Tests.Fields;

public class FieldSetsTests
{
    private const string Deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop","labels":{"app":"web"}},
         "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},
           "spec":{"containers":[{"name":"web","image":"nginx:1.27","ports":[{"containerPort":80}],
                                  "env":[{"name":"MODE","value":"prod"}]}]}}}}
        """;

    [Fact]
    public void An_applied_configuration_owns_its_leaves_and_list_items_in_the_upstream_FieldsV1_encoding()
    {
        var set = FieldSets.Applied("Deployment", Parse(Deployment));

        // Keys sorted by name, ports keyed by containerPort and the defaulted protocol, "." on list items only,
        // the label selector atomic, the server's metadata (name, namespace) not owned.
        Assert.Equal(
            """{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:env":{"k:{\"name\":\"MODE\"}":{".":{},"f:name":{},"f:value":{}}},"f:image":{},"f:name":{},"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}}}}}}""",
            set.ToFieldsV1().ToJsonString(Relaxed));
    }

    [Fact]
    public void FieldsV1_reads_back_to_the_same_set()
    {
        var set = FieldSets.Applied("Deployment", Parse(Deployment));
        var read = FieldSet.FromFieldsV1(set.ToFieldsV1());
        Assert.True(set.Paths.SetEquals(read.Paths));
        Assert.Contains(read.Paths, p => p.ToString() == """.spec.template.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"].containerPort""");
    }

    [Fact]
    public void A_created_object_marks_new_maps_and_items_but_not_the_structs_Go_holds_by_value()
    {
        var created = Parse(Deployment);
        created["spec"]!["strategy"] = new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["maxSurge"] = "25%" } };
        var added = FieldSets.Compare("Deployment", null, created).Added.ToFieldsV1();

        Assert.Equal("""{".":{},"f:app":{}}""", added["f:metadata"]!["f:labels"]!.ToJsonString(Relaxed));
        Assert.Equal("""{"f:rollingUpdate":{".":{},"f:maxSurge":{}},"f:type":{}}""", added["f:spec"]!["f:strategy"]!.ToJsonString(Relaxed));
        var container = added["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!.AsObject();
        Assert.False(container.ContainsKey("."));
        Assert.True(container["k:{\"name\":\"web\"}"]!.AsObject().ContainsKey("."));
        Assert.Equal("""{".":{},"k:{\"name\":\"MODE\"}":{".":{},"f:name":{},"f:value":{}}}""", container["k:{\"name\":\"web\"}"]!["f:env"]!.ToJsonString(Relaxed));
    }

    [Fact]
    public void A_comparison_tells_added_modified_and_removed_fields_apart()
    {
        var before = Parse(Deployment);
        var after = Parse(Deployment);
        after["spec"]!["replicas"] = 5;
        after["metadata"]!["labels"]!["tier"] = "front";
        ((JsonArray)after["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!).Clear();
        var comparison = FieldSets.Compare("Deployment", before, after);

        Assert.Equal(".spec.replicas", comparison.Modified.ToString());
        Assert.Equal(".metadata.labels.tier", comparison.Added.ToString());
        Assert.Contains(comparison.Removed.Paths, p => p.ToString() == """.spec.template.spec.containers[name="web"].env[name="MODE"].value""");
    }

    [Fact]
    public void Finalizers_are_a_set_owned_value_by_value()
    {
        var set = FieldSets.Applied("ConfigMap", Parse("""{"metadata":{"finalizers":["a/b","c"]},"data":{"k":"v"}}"""));
        Assert.Equal("""{"f:data":{"f:k":{}},"f:metadata":{"f:finalizers":{"v:\"a/b\"":{},"v:\"c\"":{}}}}""", set.ToFieldsV1().ToJsonString(Relaxed));
    }

    internal static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
