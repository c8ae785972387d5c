using System.Collections.Frozen;

namespace Keelson.Sandbox.Server.Protocol;

/// <summary>
/// The fields each kind can be selected by, as the API server's field label conversions allow them, with the value a
/// field has when the object leaves it unset (<c>spec.unschedulable</c> is <c>false</c>, not empty). Every kind
/// takes <c>metadata.name</c> and <c>metadata.namespace</c>; any other field is a 400.
/// </summary>
public static class FieldLabels
{
    private static readonly FrozenDictionary<string, string> Common = new Dictionary<string, string>
    {
        ["metadata.name"] = "",
        ["metadata.namespace"] = "",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, FrozenDictionary<string, string>> ByKind = new Dictionary<string, Dictionary<string, string>>
    {
        ["/Pod"] = new()
        {
            ["spec.nodeName"] = "", ["spec.restartPolicy"] = "", ["spec.schedulerName"] = "", ["spec.serviceAccountName"] = "",
            ["spec.hostNetwork"] = "false", ["status.phase"] = "", ["status.podIP"] = "", ["status.podIPs"] = "", ["status.nominatedNodeName"] = "",
        },
        ["/Event"] = new()
        {
            ["involvedObject.kind"] = "", ["involvedObject.namespace"] = "", ["involvedObject.name"] = "", ["involvedObject.uid"] = "",
            ["involvedObject.apiVersion"] = "", ["involvedObject.resourceVersion"] = "", ["involvedObject.fieldPath"] = "",
            ["reason"] = "", ["reportingComponent"] = "", ["source"] = "", ["type"] = "",
        },
        ["/Secret"] = new() { ["type"] = "" },
        ["/Namespace"] = new() { ["status.phase"] = "" },
        ["/Node"] = new() { ["spec.unschedulable"] = "false" },
        ["apps/ReplicaSet"] = new() { ["status.replicas"] = "0" },
        ["batch/Job"] = new() { ["status.successful"] = "0" },
    }.ToFrozenDictionary(
        k => k.Key,
        k => Common.Concat(k.Value).ToFrozenDictionary(StringComparer.Ordinal),
        StringComparer.Ordinal);

    /// <summary>The selectable fields of a group's kind, each with its value when unset.</summary>
    public static IReadOnlyDictionary<string, string> Of(string group, string kind) =>
        ByKind.TryGetValue($"{group}/{kind}", out var fields) ? fields : Common;
}
