using System.Diagnostics;
using Keelson.Spec.Load;
using Keelson.Spec.Parsing;

namespace Keelson.Spec.Tests.Parsing;

/// <summary>Inputs that crashed or hung the parser become located errors, fast: nesting, aliases, absurd numbers, newlines.</summary>
public sealed class InputLimitsTests
{
    private const string Head = "metadata: {tenant: demo}\ncomponents:\n";

    private static IReadOnlyList<Diagnostic> Errors(string yaml, TimeSpan? within = null)
    {
        var clock = Stopwatch.StartNew();
        var result = StackParser.Parse(yaml, "stack.yaml");
        Assert.True(clock.Elapsed < (within ?? TimeSpan.FromSeconds(1)), $"parsing took {clock.Elapsed}");
        Assert.False(result.Succeeded);
        return result.Diagnostics;
    }

    [Theory]
    [InlineData("[", "]")]
    [InlineData("{a: ", "}")]
    [InlineData("[", "")]
    public void Flow_nesting_beyond_the_limit_is_a_located_syntax_error(string open, string close)
    {
        // 30,000 levels overflowed the stack of the representation model and aborted the process.
        var yaml = Head + "  - " + string.Concat(Enumerable.Repeat(open, 30_000)) + string.Concat(Enumerable.Repeat(close, 30_000)) + "\n";

        var error = Assert.Single(Errors(yaml));

        Assert.Equal(DiagnosticCodes.Syntax, error.Code);
        Assert.Equal(3, error.Line);
        Assert.Contains("nested more than 128 levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Block_nesting_beyond_the_limit_is_a_located_syntax_error()
    {
        var yaml = Head + "  - name: a\n    kind: service\n    image: x:1\n    env:\n" + string.Concat(Enumerable.Range(0, 200).Select(i => new string(' ', 6 + (i * 2)) + $"k{i}:\n"));

        var error = Assert.Single(Errors(yaml));

        Assert.Equal(DiagnosticCodes.Syntax, error.Code);
        Assert.Contains("nested more than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_at_the_limit_is_read()
    {
        // 126 lists inside the root mapping and the components list: exactly the limit, so the shape check speaks.
        var yaml = Head + "  - " + new string('[', NestingLimit.MaxDepth - 2) + new string(']', NestingLimit.MaxDepth - 2) + "\n";

        Assert.All(Errors(yaml), e => Assert.NotEqual(DiagnosticCodes.Syntax, e.Code));
    }

    [Fact]
    public void Aliases_that_expand_beyond_the_limit_are_a_located_error()
    {
        // "Billion laughs": nine levels of ten aliases stand for 10⁹ nodes in a few hundred bytes.
        var lines = new List<string> { "a0: &a0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var i = 1; i < 10; i++)
        {
            lines.Add($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]");
        }

        var yaml = "metadata: {tenant: demo, labels: {" + "}}\ncomponents: []\nx:\n" + string.Join("\n", lines.Select(l => "  " + l)) + "\n";

        var error = Assert.Single(Errors(yaml), e => e.Code == DiagnosticCodes.Syntax);

        Assert.Contains("aliases expand this document", error.Message, StringComparison.Ordinal);
        Assert.True(error.Line > 3);
    }

    [Fact]
    public void Load_files_have_the_same_nesting_limit()
    {
        var yaml = "curve: " + new string('[', 10_000) + "\n";

        var result = LoadParser.Parse(yaml, "load.yaml", ["api"]);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.Syntax, error.Code);
        Assert.Contains("nested more than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flow_list_continued_at_a_lower_indentation_is_a_syntax_error_not_a_crash()
    {
        // YamlDotNet's scanner throws InvalidOperationException here; it must reach the user as KS001.
        var yaml = Head + "  - name: a\n    kind: service\n    image: x:1\n    command: [a,\n  b]\n";

        var result = StackParser.Parse(yaml, "stack.yaml");

        Assert.All(result.Diagnostics, d => Assert.True(d.Line >= 1 && d.Column >= 1));
    }

    [Theory]
    [InlineData("  - {name: a, kind: service, image: 'x:1', autoscaling: {minReplicas: 1, maxReplicas: 100000000}}\n", "components[0].autoscaling.maxReplicas")]
    [InlineData("  - {name: a, kind: service, image: 'x:1', autoscaling: {minReplicas: 2147483647, maxReplicas: 2147483647}}\n", "components[0].autoscaling.minReplicas")]
    [InlineData("  - {name: a, kind: worker, image: 'x:1', queue: {name: q, type: redis}, maxReplicas: 1000000}\n", "components[0].maxReplicas")]
    [InlineData("  - {name: a, kind: worker, image: 'x:1', queue: {name: q, type: redis}, minReplicas: 200000, maxReplicas: 100000}\n", "components[0].minReplicas")]
    public void Replica_fields_above_the_documented_limit_are_rejected_before_sizing(string component, string path)
    {
        // 1e8 autoscaling replicas took 25 s and 7 GB in the sizer.
        var error = Assert.Single(Errors(Head + component), e => e.Path == path);

        Assert.Equal(DiagnosticCodes.OutOfRange, error.Code);
        Assert.Equal(3, error.Line);
    }

    [Theory]
    [InlineData("onDemand: 1e306", "cluster.pools[0].instance.prices.onDemand")]
    [InlineData("onDemand: 1, spot: 1e300", "cluster.pools[0].instance.prices.spot")]
    [InlineData("onDemand: 1, reserved: 1e20", "cluster.pools[0].instance.prices.reserved")]
    public void Absurd_prices_are_rejected(string prices, string path)
    {
        var yaml = "metadata: {tenant: demo}\ncluster:\n  name: tiny\n  pools:\n"
            + "    - {name: w, role: worker, maxNodes: 3, instance: {name: m, vcpu: 8, memory: 32Gi, prices: {" + prices + "}}}\n"
            + "components:\n  - {name: a, kind: service, image: 'x:1'}\n";

        var error = Assert.Single(Errors(yaml), e => e.Path == path);

        Assert.Equal(DiagnosticCodes.OutOfRange, error.Code);
        Assert.Equal(5, error.Line);
    }

    [Theory]
    [InlineData(3, false)]
    [InlineData(1, false)]
    [InlineData(4, true)]
    public void Max_pods_must_leave_room_after_the_daemonset_reserve(int maxPods, bool accepted)
    {
        var yaml = "name: tiny\npools:\n  - {name: w, role: worker, maxNodes: 3, instance: {name: m, vcpu: 8, memory: 32Gi, maxPods: "
            + maxPods.ToString(System.Globalization.CultureInfo.InvariantCulture) + ", prices: {onDemand: 1}}}\n";

        var result = StackParser.ParseCluster(yaml, "cluster.yaml");

        Assert.Equal(accepted, result.Succeeded);
        if (!accepted)
        {
            var error = Assert.Single(result.Diagnostics);
            Assert.Equal("pools[0].instance.maxPods", error.Path);
            Assert.Contains("between 4 and 1000", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("\"api\\nsecond line\"")]
    [InlineData("\"tab\\there\\r\\u001b[31m\"")]
    [InlineData("|\n      two\n      lines")]
    public void Values_with_line_breaks_keep_the_error_on_one_line(string name)
    {
        var yaml = Head + $"  - name: {name}\n    kind: service\n    image: x:1\n";

        var error = Assert.Single(Errors(yaml));
        var line = error.ToString();

        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\r', line);
        Assert.DoesNotContain(line, char.IsControl);
        Assert.StartsWith("stack.yaml:3:", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Ten_thousand_broken_components_are_reported_without_a_quadratic_scan()
    {
        // Each component's binding looked through every error of the file: this took 29 s on an idle machine; it
        // now takes about one. The budget is wide so that a loaded machine does not decide the outcome.
        var yaml = Head + string.Concat(Enumerable.Range(0, 10_000).Select(i => $"  - {{name: c{i}, kind: service, image: 'x:1', replica: 2}}\n"));

        var errors = Errors(yaml, TimeSpan.FromSeconds(20));

        Assert.Equal(10_000, errors.Count);
        Assert.All(errors, e => Assert.Equal(DiagnosticCodes.UnknownField, e.Code));
    }
}
