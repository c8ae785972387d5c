using Keelson.Spec.Load;
using Keelson.Spec.Schema;

namespace Keelson.Spec.Tests.Schema;

/// <summary>
/// The class rule behind the replica, price and count crashes: every number a stack, cluster or load file can
/// hold has a finite maximum, and every replica count stays within the planner's documented limit.
/// </summary>
public sealed class SchemaBoundsTests
{
    public static TheoryData<string> Shapes() => ["stack", "load"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_number_field_has_a_finite_maximum(string document)
    {
        var unbounded = Numbers(document == "stack" ? StackSchema.Stack : LoadSchema.Load, "")
            .Where(n => n.Shape.Maximum is not { } max || !double.IsFinite(max))
            .Select(n => n.Path)
            .ToList();

        Assert.Empty(unbounded);
    }

    [Fact]
    public void Every_replica_count_is_bounded_by_the_documented_limit()
    {
        var replicaFields = Numbers(StackSchema.Stack, "").Where(n => n.Path.Contains("eplicas", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(replicaFields);
        Assert.All(replicaFields, n => Assert.True(n.Shape.Maximum <= StackSchema.MaxReplicas, $"{n.Path} allows {n.Shape.Maximum}"));
    }

    [Fact]
    public void Max_pods_starts_above_the_daemonset_reserve()
    {
        var maxPods = Assert.Single(Numbers(StackSchema.Stack, ""), n => n.Path.EndsWith("maxPods", StringComparison.Ordinal));

        Assert.Equal(StackSchema.DaemonSetPods + 1, maxPods.Shape.Minimum);
    }

    private static IEnumerable<(string Path, ScalarShape Shape)> Numbers(Shape shape, string path) => shape switch
    {
        ScalarShape { Type: ScalarType.WholeNumber or ScalarType.Number } s => [(path, s)],
        ObjectShape o => o.Fields.SelectMany(f => Numbers(f.Shape, $"{path}.{f.Name}")),
        TaggedShape t => t.Common.Concat(t.Variants.SelectMany(v => v.Value.Fields.Select(f => f with { Name = $"{v.Key}:{f.Name}" })))
            .SelectMany(f => Numbers(f.Shape, $"{path}.{f.Name}")),
        ListShape l => Numbers(l.Item, path + "[]"),
        MapShape m => Numbers(m.Value, path + ".*"),
        _ => [],
    };
}
