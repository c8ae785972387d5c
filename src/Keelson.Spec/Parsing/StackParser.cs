using Keelson.Spec.Model;
using Keelson.Spec.Profiles;
using Keelson.Spec.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keelson.Spec.Parsing;

/// <summary>Reads a stack from YAML or JSON text, reporting every problem at once with its location.</summary>
public static class StackParser
{
    /// <summary>Reads a stack file.</summary>
    public static async Task<ParseResult<StackSpec>> ParseFileAsync(string path, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ParseResult.Failure<StackSpec>([new Diagnostic(DiagnosticCodes.Io, path, 1, 1, "", $"cannot read the file: {e.Message}")]);
        }

        return Parse(text, path);
    }

    /// <summary>Reads a stack from text; <paramref name="file"/> names it in diagnostics.</summary>
    /// <param name="text">YAML or JSON.</param>
    /// <param name="file">Name used in diagnostics.</param>
    /// <param name="clusterOverride">A cluster profile that replaces the stack's own, e.g. from <c>--cluster</c>.</param>
    public static ParseResult<StackSpec> Parse(string text, string file, ClusterProfile? clusterOverride = null)
    {
        var diagnostics = new List<Diagnostic>();
        if (Load(text, file, diagnostics) is not { } root)
        {
            return ParseResult.Failure<StackSpec>(diagnostics);
        }

        var checker = new ShapeChecker(file, diagnostics);
        checker.Check(root, StackSchema.Stack, "");
        if (diagnostics.Count > 0)
        {
            return ParseResult.Failure<StackSpec>(diagnostics);
        }

        var map = new YamlMap((YamlMappingNode)root);
        var spec = Bind(map, clusterOverride);
        new SemanticChecker(file, checker.Locations, diagnostics).Check(spec);
        return diagnostics.Count > 0
            ? ParseResult.Failure<StackSpec>(diagnostics)
            : ParseResult.Success<StackSpec>(spec with
            {
                Source = file,
                Positions = checker.Locations.ToDictionary(l => l.Key, l => new SourcePosition((int)l.Value.Line, (int)l.Value.Column), StringComparer.Ordinal),
            });
    }

    /// <summary>Reads a cluster profile document (the <c>cluster</c> shape at the root).</summary>
    public static ParseResult<ClusterProfile> ParseCluster(string text, string file)
    {
        var diagnostics = new List<Diagnostic>();
        if (Load(text, file, diagnostics) is not { } root)
        {
            return ParseResult.Failure<ClusterProfile>(diagnostics);
        }

        var checker = new ShapeChecker(file, diagnostics);
        checker.Check(root, StackSchema.Cluster, "");
        if (diagnostics.Count > 0)
        {
            return ParseResult.Failure<ClusterProfile>(diagnostics);
        }

        var cluster = ClusterBinder.Bind(new YamlMap((YamlMappingNode)root));
        new SemanticChecker(file, checker.Locations, diagnostics).CheckCluster(cluster, "");
        return diagnostics.Count > 0 ? ParseResult.Failure<ClusterProfile>(diagnostics) : ParseResult.Success<ClusterProfile>(cluster);
    }

    private static YamlNode? Load(string text, string file, List<Diagnostic> diagnostics)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var reason = e.InnerException?.Message ?? e.Message;
            diagnostics.Add(new Diagnostic(DiagnosticCodes.Syntax, file, (int)e.Start.Line, (int)e.Start.Column, "", $"not valid YAML or JSON: {reason}"));
            return null;
        }

        if (stream.Documents.Count != 1)
        {
            diagnostics.Add(new Diagnostic(DiagnosticCodes.Syntax, file, 1, 1, "", $"expected exactly one document, found {stream.Documents.Count}"));
            return null;
        }

        return stream.Documents[0].RootNode;
    }

    private static StackSpec Bind(YamlMap root, ClusterProfile? clusterOverride)
    {
        var metadata = root.Map("metadata");
        var sla = root.Map("sla");
        var cost = root.Map("cost");
        var scaleDown = cost.Map("scaleDown");
        var cluster = root.Map("cluster");
        var profile = clusterOverride
            ?? (cluster.String("profile") is { } name
                ? ClusterProfiles.Get(name)
                : cluster.Exists ? ClusterBinder.Bind(cluster) : ClusterProfiles.Get(ClusterProfiles.Default));

        return new StackSpec
        {
            Metadata = new StackMetadata(
                metadata.Required("tenant"),
                metadata.String("displayName") ?? metadata.Required("tenant"),
                Enum.Parse<DeploymentEnvironment>(metadata.String("environment") ?? "dev", ignoreCase: true),
                metadata.Dictionary("labels")),
            Sla = new ServiceLevel(
                sla.Percent("availability") ?? 99.9,
                sla.Duration("responseTime") ?? TimeSpan.FromMilliseconds(500),
                sla.Int("concurrentUsers")),
            Cluster = profile,
            Cost = new CostOptions(
                cost.Double("spotShare") ?? 0,
                cost.Double("reservedShare") ?? 0,
                new ScaleDownSchedule(scaleDown.Int("weekdayFrom"), scaleDown.Int("weekdayTo"), scaleDown.Bool("weekends") ?? false)),
            Components = [.. root.Maps("components").Select(ComponentBinder.Bind)],
        };
    }
}
