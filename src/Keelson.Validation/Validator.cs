using Keelson.Validation.Checks;
using Keelson.Validation.Loading;
using Keelson.Validation.Schema;
using Keelson.Validation.Schema.Crds;

namespace Keelson.Validation;

/// <summary>The outcome of validating a set of manifests.</summary>
/// <param name="Documents">The objects checked.</param>
/// <param name="Findings">Every finding, ordered by file, line and check.</param>
public sealed record ValidationReport(IReadOnlyList<ManifestDocument> Documents, IReadOnlyList<Finding> Findings)
{
    /// <summary>Whether no finding is an error.</summary>
    public bool Valid => Findings.All(f => f.Severity != Severity.Error);
}

/// <summary>The one entry point for validation: the CLI, the renderer's self-check and the API use it.</summary>
public sealed class Validator(IEnumerable<ICheck> checks, IEnumerable<ISetCheck> setChecks)
{
    /// <summary>Annotation listing check ids to skip for one object, comma-separated.</summary>
    public const string SkipAnnotation = "keelson.dev/skip";

    /// <summary>Id of findings about an object given twice, or a container, port or variable named twice.</summary>
    public const string DuplicateId = "schema-duplicate";

    /// <summary>Id of the info finding for kinds whose schema Keelson does not know.</summary>
    public const string NotCheckedId = "schema-not-checked";

    private readonly IReadOnlyList<ICheck> checks = [.. checks.OrderBy(c => c.Id, StringComparer.Ordinal)];
    private readonly IReadOnlyList<ISetCheck> setChecks = [.. setChecks.OrderBy(c => c.Id, StringComparer.Ordinal)];

    /// <summary>The validator with every built-in check, for Kubernetes <see cref="KubeVersion.Default"/> and no cluster profile.</summary>
    public static Validator Default { get; } = Create(KubeVersion.Default, null);

    /// <summary>A validator with every built-in check for a Kubernetes version, and capacity checks when a cluster is given.</summary>
    public static Validator Create(KubeVersion kubeVersion, Spec.Model.ClusterProfile? cluster) => new(
        [.. BuiltInChecks.All, new DeprecatedApiCheck(kubeVersion)],
        cluster is null ? BuiltInChecks.AllSet : [.. BuiltInChecks.AllSet, new CapacityCheck(cluster)]);

    /// <summary>The cross-object checks this validator runs.</summary>
    public IReadOnlyList<ISetCheck> SetChecks => setChecks;

    /// <summary>The checks this validator runs.</summary>
    public IReadOnlyList<ICheck> Checks => checks;

    /// <summary>Sets of at least this many objects are checked on every core; below it, threads cost more than they save.</summary>
    private const int ParallelFrom = 64;

    /// <summary>Ids of findings that come from loading and the schema rather than from a check.</summary>
    private static readonly string[] SchemaIds =
        [SchemaWalker.UnknownFieldId, SchemaWalker.WrongTypeId, SchemaWalker.QuantityId, NotCheckedId, "schema-missing-field", ManifestLoader.UnreadableId,
            ManifestLoader.EmptyId, FieldRules.RequiredId, FieldRules.ValueId, FieldRules.NameId, DuplicateId];

    /// <summary>Every finding id this validator can produce, for SARIF rules.</summary>
    public IEnumerable<string> FindingIds =>
        checks.Select(c => c.Id).Concat(setChecks.Select(c => c.Id)).Concat(SchemaIds);

    /// <summary>
    /// Every finding id any validator can produce, whatever its options: what a configuration file may name
    /// (<c>capacity</c> runs only with <c>--cluster</c>, yet a shared config may set it).
    /// </summary>
    public static IEnumerable<string> AllFindingIds =>
        Create(KubeVersion.Default, Spec.Profiles.ClusterProfiles.Get(Spec.Profiles.ClusterProfiles.Default)).FindingIds;

    /// <summary>Validates loaded manifests; problems from loading are carried into the report.</summary>
    public ValidationReport Validate(LoadResult loaded, ValidationConfig? config = null)
    {
        var findings = new List<Finding>(loaded.Problems);
        var set = new ManifestSet(loaded.Documents);
        config ??= ValidationConfig.None;
        var running = checks.Where(c => c.EnabledByDefault || config.Checks.GetValueOrDefault(c.Id) is not null).ToList();
        var documents = loaded.Documents;
        var perDocument = new List<Finding>[documents.Count];
        if (documents.Count < ParallelFrom)
        {
            for (var i = 0; i < documents.Count; i++)
            {
                perDocument[i] = CheckObject(documents[i], set.ContextOf(documents[i]), running);
            }
        }
        else
        {
            // Each object's checks read only that object, so objects are checked on every core. Contexts are made
            // first: inside the loop the set's table of them is only read.
            var contexts = documents.Select(set.ContextOf).ToArray();
            Parallel.For(0, documents.Count, i => perDocument[i] = CheckObject(documents[i], contexts[i], running));
        }

        foreach (var objectFindings in perDocument)
        {
            findings.AddRange(objectFindings);
        }

        // Findings across objects name the template of the object they are about, as per-object findings do.
        var sources = new Dictionary<(string, string), string>();
        foreach (var document in loaded.Documents.Where(d => d.Source is not null))
        {
            sources.TryAdd((document.File, document.Ref.ToString()), document.Source!);
        }

        Finding WithSource(Finding f) => f.Source is null && f.Target is not null && sources.TryGetValue((f.File, f.Target.ToString()), out var source) ? f with { Source = source } : f;
        findings.AddRange(Duplicates(set).Select(WithSource));
        var skips = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var document in loaded.Documents)
        {
            // As before: the first object of a reference decides what is skipped for findings about it.
            skips.TryAdd(document.Ref.ToString(), Skipped(document));
        }

        foreach (var check in setChecks)
        {
            findings.AddRange(check.Run(set)
                .Where(f => f.Target is null || !skips.TryGetValue(f.Target.ToString(), out var s) || !s.Contains(f.CheckId))
                .Select(WithSource));
        }

        return new ValidationReport(
            loaded.Documents,
            [.. config.Apply(findings).OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.CheckId, StringComparer.Ordinal)]);
    }

    /// <summary>Schema and per-object checks of one object, in the order the report lists them before sorting.</summary>
    private static List<Finding> CheckObject(ManifestDocument document, CheckContext context, List<ICheck> running)
    {
        var perObject = new List<Finding>();
        if (document.ApiVersion.Length == 0 || document.Kind.Length == 0)
        {
            perObject.Add(new Finding("schema-missing-field", Severity.Error, document.Ref, document.File, document.Line, document.ApiVersion.Length == 0 ? "apiVersion" : "kind",
                "every object needs apiVersion and kind", "Add them, e.g. apiVersion: apps/v1 and kind: Deployment."));
        }
        else if (KindRegistry.Find(document.ApiVersion, document.Kind) is { } type)
        {
            SchemaWalker.Check(document, type, perObject);
            FieldRules.Check(document, perObject);
            ApiServer.ApiServerRules.Check(document, perObject);
        }
        else if (CrdSchemas.Find(document.ApiVersion, document.Kind) is { } crd)
        {
            SchemaWalker.Check(document, crd, perObject);
            FieldRules.Check(document, perObject);
        }
        else
        {
            perObject.Add(new Finding(NotCheckedId, Severity.Info, document.Ref, document.File, document.Line, "",
                $"{document.ApiVersion} {document.Kind} is not a kind Keelson knows the schema of; its fields were not checked", NotCheckedHint(document.Kind)));
        }

        foreach (var (path, entry) in document.DuplicateKeys)
        {
            var field = path.Length == 0 ? entry.Key : path + "." + entry.Key;
            perObject.Add(new Finding(DuplicateId, Severity.Error, document.Ref, document.File, entry.KeyLine, field,
                $"key '{entry.Key}' is given twice in this mapping; the API server rejects it (kubectl apply: \"mapping key already defined\")", "Remove one of the two; the later value is the one checked here."));
        }

        foreach (var check in running)
        {
            perObject.AddRange(check.Run(context));
        }

        var skipped = Skipped(document);
        return [.. perObject.Where(f => !skipped.Contains(f.CheckId)).Select(f => document.Source is null ? f : f with { Source = document.Source })];
    }

    /// <summary>Objects given twice (same group, kind, namespace and name), and containers, ports or env vars named twice.</summary>
    private static IEnumerable<Finding> Duplicates(ManifestSet set)
    {
        var documents = set.Documents;
        // Versions of one group are one object to the API server (apps/v1 and extensions/v1beta1 aside, which the
        // server also serves as one); the same kind and name in two groups are two objects (Knative's Service).
        foreach (var twice in documents.Where(d => d.Name.Length > 0).GroupBy(d => (d.Group, d.Kind, d.Namespace ?? "", d.Name)).Where(g => g.Count() > 1))
        {
            var first = twice.First();
            foreach (var again in twice.Skip(1))
            {
                yield return new Finding(DuplicateId, Severity.Error, again.Ref, again.File, again.Line, "metadata.name",
                    $"{again.Ref} is given again (first at {first.File}:{first.Line})", "Remove one; the second apply would overwrite the first.");
            }
        }

        foreach (var document in documents)
        {
            var containers = set.ContextOf(document).Containers().ToList();
            foreach (var c in containers.GroupBy(c => c.Name).Where(g => g.Count() > 1).SelectMany(g => g.Skip(1)))
            {
                yield return new Finding(DuplicateId, Severity.Error, document.Ref, document.File, c.Node.Line, c.Path + ".name", $"container name '{c.Name}' is used twice", "Give each container a unique name.");
            }

            foreach (var c in containers)
            {
                foreach (var (list, field) in new[] { ("ports", "containerPort"), ("ports", "name"), ("env", "name") })
                {
                    if (CheckContext.Get(c.Node, list) is not YamlSeq items)
                    {
                        continue;
                    }

                    var seen = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var item in items)
                    {
                        if (CheckContext.Value(item, field) is { } value && !seen.Add(value))
                        {
                            yield return new Finding(DuplicateId, Severity.Error, document.Ref, document.File, item.Line, $"{c.Path}.{list}",
                                $"container '{c.Name}' has {field} '{value}' in {list} twice", "Remove or rename the duplicate.");
                        }
                    }
                }
            }
        }
    }

    private static string NotCheckedHint(string kind) =>
        KindRegistry.VersionsOf(kind) is { Count: > 0 } served ? $"Served versions of {kind}: {string.Join(", ", served)}."
        : CrdSchemas.VersionsOf(kind) is { Count: > 0 } known ? $"Keelson checks {kind} at {string.Join(", ", known)}; other versions are not checked."
        : $"Custom resources are checked only for the CRDs Keelson renders: {string.Join(", ", CrdSchemas.Kinds.Select(k => $"{k.ApiVersion} {k.Kind}"))}.";

    // Shared by every object without the annotation; never written to.
    private static readonly HashSet<string> NoneSkipped = [];

    private static HashSet<string> Skipped(ManifestDocument document)
    {
        var annotations = (document.Node.At("metadata.annotations") as YamlMap)?.Scalar(SkipAnnotation);
        return annotations is null ? NoneSkipped : [.. annotations.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }
}
