using System.Text.Json;
using Keelson.Spec.Schema;
using Keelson.Testing;

namespace Keelson.Spec.Tests.Schema;

public sealed class JsonSchemaWriterTests
{
    [Fact]
    public void Committed_schema_matches_the_model()
    {
        var generated = JsonSchemaWriter.Write(StackSchema.Stack);
        var path = Repo.File("schemas", "stack.schema.json");
        if (Environment.GetEnvironmentVariable("KEELSON_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, generated);
        }

        Assert.True(File.Exists(path), "schemas/stack.schema.json is missing; run ./test --update-golden");
        Assert.Equal(File.ReadAllText(path), generated);
    }

    [Fact]
    public void Schema_is_deterministic() =>
        Assert.Equal(JsonSchemaWriter.Write(StackSchema.Stack), JsonSchemaWriter.Write(StackSchema.Stack));

    [Fact]
    public void Component_kinds_become_conditional_closed_objects()
    {
        using var doc = JsonDocument.Parse(JsonSchemaWriter.Write(StackSchema.Stack));
        var components = doc.RootElement.GetProperty("properties").GetProperty("components").GetProperty("items");
        var variants = components.GetProperty("allOf").EnumerateArray().ToList();

        Assert.Equal(StackSchema.Components.Variants.Count, variants.Count);
        var ai = variants.Single(v => v.GetProperty("if").GetProperty("properties").GetProperty("kind").GetProperty("const").GetString() == "ai-service");
        var then = ai.GetProperty("then");
        Assert.False(then.GetProperty("additionalProperties").GetBoolean());
        Assert.True(then.GetProperty("properties").TryGetProperty("sessions", out _));
        Assert.True(then.GetProperty("properties").TryGetProperty("name", out _));
        Assert.Equal(["handleTimeSeconds"], then.GetProperty("dependentRequired").GetProperty("arrivalsPerHour").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Every_field_is_documented_in_docs_spec_md()
    {
        var doc = File.ReadAllText(Repo.File("docs", "spec.md"));
        var missing = FieldNames(StackSchema.Stack).Where(name => !doc.Contains($"`{name}`", StringComparison.Ordinal)).Distinct().ToList();

        Assert.True(missing.Count == 0, "docs/spec.md does not mention: " + string.Join(", ", missing));
    }

    private static IEnumerable<string> FieldNames(Shape shape) => shape switch
    {
        ObjectShape o => o.Fields.SelectMany(f => FieldNames(f.Shape).Prepend(f.Name)),
        TaggedShape t => t.Common.Concat(t.Variants.Values.SelectMany(v => v.Fields)).SelectMany(f => FieldNames(f.Shape).Prepend(f.Name)),
        ListShape l => FieldNames(l.Item),
        MapShape m => FieldNames(m.Value),
        _ => [],
    };
}
