using Keelson.Validation.Schema;

namespace Keelson.Validation.Tests.Schema;

public sealed class UnknownFieldsTests
{
    [Fact]
    public void Unknown_fields_are_named_as_the_API_servers_strict_decoding_names_them()
    {
        var json = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labelz":{}},
             "spec":{"replicaz":3,"selector":{"matchLabels":{"app":"web"}},
              "template":{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y","imagez":"z"}]}}}}
            """;
        Assert.Equal(["metadata.labelz", "spec.replicaz", "spec.template.spec.containers[1].imagez"], UnknownFields.Find(json));
    }

    [Fact]
    public void Custom_resources_keelson_knows_are_walked_too()
    {
        var yaml = """
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata: {name: m}
            spec: {selector: {}, endpointz: []}
            """;
        Assert.Equal(["spec.endpointz"], UnknownFields.Find(yaml));
    }

    [Theory]
    [InlineData("""{"apiVersion":"example.com/v1","kind":"Widget","spec":{"anything":1}}""")]
    [InlineData("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"data":{"k":"v"}}""")]
    [InlineData("not: [valid")]
    public void Known_fields_unknown_kinds_and_unreadable_text_give_none(string text) => Assert.Empty(UnknownFields.Find(text));
}
