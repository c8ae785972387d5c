using System.Globalization;
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
        var (root, checker) = Check(text, file, StackSchema.Stack, diagnostics);
        if (root is null)
        {
            return ParseResult.Failure<StackSpec>(diagnostics);
        }

        // Bind what passed the shape check and run the cross-field checks on it even when other parts
        // failed, so that one run reports every problem in the file.
        // Every path with an error at or below it, so the check per component is a lookup: scanning every error for
        // every component was quadratic, and a file of thousands of broken components took seconds.
        var dirty = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in diagnostics.Select(d => d.Path))
        {
            dirty.Add(path);
            for (var i = 0; i < path.Length; i++)
            {
                if (path[i] is '.' or '[')
                {
                    dirty.Add(path[..i]);
                }
            }
        }

        bool Clean(string path) => !dirty.Contains(path);

        var map = new YamlMap(root);
        var cluster = clusterOverride ?? (Clean("cluster") ? BindCluster(map.Map("cluster")) : null);
        var components = new List<(int Index, Component Component)>();
        var names = new List<(int Index, string Name)>();
        var nodes = map.Maps("components");
        for (var i = 0; i < nodes.Count; i++)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"components[{i}]");
            if (nodes[i].String("name") is { } name && Clean(path + ".name"))
            {
                names.Add((i, name));
            }

            if (Clean(path))
            {
                components.Add((i, ComponentBinder.Bind(nodes[i])));
            }
        }

        var queues = new List<(int Index, JobQueueSpec Queue)>();
        var queueNodes = map.Maps("queues");
        for (var i = 0; i < queueNodes.Count; i++)
        {
            if (Clean(string.Create(CultureInfo.InvariantCulture, $"queues[{i}]")))
            {
                queues.Add((i, QueueBinder.Bind(queueNodes[i])));
            }
        }

        // Names of queues with errors elsewhere still resolve, so a job naming one is not reported as well.
        var queueNames = queueNodes.Select(q => q.String("name")).OfType<string>().ToList();
        new SemanticChecker(file, checker.Locations, diagnostics).Check(components, names, cluster, queues, queueNames);
        if (diagnostics.Count > 0)
        {
            return ParseResult.Failure<StackSpec>(diagnostics);
        }

        // A cluster given from outside (--cluster) has no lines in this file: its findings must not point here.
        var positions = checker.Locations
            .Where(l => clusterOverride is null || !(l.Key == "cluster" || l.Key.StartsWith("cluster.", StringComparison.Ordinal)))
            .ToDictionary(l => l.Key, l => new SourcePosition((int)l.Value.Line, (int)l.Value.Column), StringComparer.Ordinal);
        return ParseResult.Success(Bind(map, cluster!, [.. components.Select(c => c.Component)]) with
        {
            Queues = [.. queues.Select(q => q.Queue)],
            Source = file,
            Positions = positions,
        });
    }

    /// <summary>Reads a cluster profile document (the <c>cluster</c> shape at the root).</summary>
    public static ParseResult<ClusterProfile> ParseCluster(string text, string file)
    {
        var diagnostics = new List<Diagnostic>();
        var (root, checker) = Check(text, file, StackSchema.Cluster, diagnostics);
        if (root is null || diagnostics.Count > 0)
        {
            return ParseResult.Failure<ClusterProfile>(diagnostics);
        }

        var cluster = ClusterBinder.Bind(new YamlMap(root));
        new SemanticChecker(file, checker.Locations, diagnostics).CheckCluster(cluster, "");
        return diagnostics.Count > 0 ? ParseResult.Failure<ClusterProfile>(diagnostics) : ParseResult.Success(cluster);
    }

    /// <summary>Loads the text and checks it against <paramref name="shape"/>; the root is null when it is not a mapping.</summary>
    private static (YamlMappingNode? Root, ShapeChecker Checker) Check(string text, string file, Shape shape, List<Diagnostic> diagnostics)
    {
        var checker = new ShapeChecker(file, diagnostics);
        if (Load(text, file, diagnostics) is not { } root)
        {
            return (null, checker);
        }

        checker.Check(root, shape, "");
        return (root as YamlMappingNode, checker);
    }

    private static ClusterProfile BindCluster(YamlMap cluster) =>
        cluster.String("profile") is { } name
            ? ClusterProfiles.Get(name)
            : cluster.Exists ? ClusterBinder.Bind(cluster) : ClusterProfiles.Get(ClusterProfiles.Default);

    private static YamlNode? Load(string text, string file, List<Diagnostic> diagnostics)
    {
        YamlStream stream;
        try
        {
            stream = NestingLimit.LoadStream(text);
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

    private static StackSpec Bind(YamlMap root, ClusterProfile cluster, IReadOnlyList<Component> components)
    {
        var metadata = root.Map("metadata");
        var sla = root.Map("sla");
        var cost = root.Map("cost");
        var scaleDown = cost.Map("scaleDown");
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
            Cluster = cluster,
            Cost = new CostOptions(
                cost.Double("spotShare") ?? 0,
                cost.Double("reservedShare") ?? 0,
                new ScaleDownSchedule(scaleDown.Int("weekdayFrom"), scaleDown.Int("weekdayTo"), scaleDown.Bool("weekends") ?? false)),
            Components = components,
        };
    }
}
