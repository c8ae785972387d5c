using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Server.Patching;

/// <summary>
/// Strategic merge patch as kubectl sends it: a merge patch in which lists of named things (containers, env,
/// volumes, ports…) merge element by element on their merge key, with the directives <c>$patch</c>
/// (replace, delete), <c>$retainKeys</c> and <c>$deleteFromPrimitiveList/…</c>. <c>$setElementOrder/…</c> is
/// accepted and ignored: merged lists keep the live order and append new elements.
/// </summary>
public static class StrategicMergePatch
{
    // The patchMergeKey of the lists the Kubernetes API declares with patchStrategy=merge.
    internal static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["env"] = "name",
        ["volumes"] = "name",
        ["imagePullSecrets"] = "name",
        ["resourceClaims"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["conditions"] = "type",
        ["hostAliases"] = "ip",
        ["topologySpreadConstraints"] = "topologyKey",
        ["ownerReferences"] = "uid",
    };

    private const string Directive = "$patch";
    private const string RetainKeys = "$retainKeys";
    private const string SetElementOrder = "$setElementOrder/";
    private const string DeleteFromPrimitiveList = "$deleteFromPrimitiveList/";

    /// <summary>The result of applying <paramref name="patch"/> to <paramref name="target"/>; neither is changed.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject changes)
        {
            return patch?.DeepClone();
        }

        if (changes[Directive]?.GetValue<string>() == "replace")
        {
            var replacement = changes.DeepClone().AsObject();
            replacement.Remove(Directive);
            return replacement;
        }

        var result = target is JsonObject original ? original.DeepClone().AsObject() : [];
        foreach (var (key, value) in changes)
        {
            if (key is Directive or RetainKeys || key.StartsWith(SetElementOrder, StringComparison.Ordinal))
            {
                continue;
            }

            if (key.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal))
            {
                RemoveValues(result, key[DeleteFromPrimitiveList.Length..], value as JsonArray);
            }
            else if (value is null || (value is JsonObject o && o[Directive]?.GetValue<string>() == "delete"))
            {
                result.Remove(key);
            }
            else if (value is JsonArray list && MergeKeyOf(key, list) is { } mergeKey)
            {
                result[key] = MergeList(result[key] as JsonArray, list, mergeKey);
            }
            else
            {
                result[key] = Apply(result[key], value);
            }
        }

        if (changes[RetainKeys] is JsonArray retained)
        {
            var keep = retained.Select(k => k?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var key in result.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                result.Remove(key);
            }
        }

        return result;
    }

    private static string? MergeKeyOf(string field, JsonArray list) =>
        field == "ports"
            ? list.OfType<JsonObject>().Any(p => p.ContainsKey("containerPort")) ? "containerPort" : "port"
            : MergeKeys.GetValueOrDefault(field);

    private static JsonArray MergeList(JsonArray? live, JsonArray patch, string mergeKey)
    {
        // An element {"$patch": "replace"} says the patch's elements are the whole list.
        var replace = patch.OfType<JsonObject>().Any(e => e[Directive]?.GetValue<string>() == "replace" && !e.ContainsKey(mergeKey));
        var result = new JsonArray();
        if (!replace)
        {
            foreach (var element in live ?? [])
            {
                result.Add(element?.DeepClone());
            }
        }

        foreach (var element in patch.OfType<JsonObject>().Where(e => e.ContainsKey(mergeKey)))
        {
            var key = element[mergeKey]!.ToJsonString();
            var at = result.Select((e, i) => (e, i)).FirstOrDefault(x => (x.e as JsonObject)?[mergeKey]?.ToJsonString() == key, (null, -1)).Item2;
            if (element[Directive]?.GetValue<string>() == "delete")
            {
                if (at >= 0)
                {
                    result.RemoveAt(at);
                }
            }
            else if (at >= 0)
            {
                result[at] = Apply(result[at], element);
            }
            else
            {
                result.Add(Apply(null, element));
            }
        }

        return result;
    }

    private static void RemoveValues(JsonObject target, string field, JsonArray? values)
    {
        if (target[field] is not JsonArray list || values is null)
        {
            return;
        }

        var remove = values.Select(v => v?.ToJsonString()).ToHashSet(StringComparer.Ordinal);
        target[field] = new JsonArray([.. list.Where(v => !remove.Contains(v?.ToJsonString())).Select(v => v?.DeepClone())]);
    }
}
