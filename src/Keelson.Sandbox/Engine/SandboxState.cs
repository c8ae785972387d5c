using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Rendering.Output;
using Keelson.Spec.Model;

namespace Keelson.Sandbox.Engine;

/// <summary>
/// A sandbox saved to a file between commands (<c>keelson up</c>, <c>status</c>, <c>down</c>): the profile, the
/// clock and every object. Controllers' in-memory history (HPA recommendations, unneeded-node timers) starts over
/// on load, as it does when a real controller manager restarts.
/// </summary>
public static class SandboxState
{
    private static readonly JsonSerializerOptions ProfileOptions = new() { WriteIndented = false };

    /// <summary>Writes the sandbox to <paramref name="path"/> (atomically: a temporary file, then a rename).</summary>
    public static Task SaveAsync(SandboxEngine engine, string path, CancellationToken cancellationToken) =>
        WriteAsync(Serialize(engine), path, cancellationToken);

    /// <summary>The sandbox's state as text; cheap enough to take between two requests of a running facade, and written later.</summary>
    public static string Serialize(SandboxEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var objects = new JsonArray();
        foreach (var resource in engine.Store.All)
        {
            objects.Add(JsonSerializer.SerializeToNode(resource, resource.GetType(), ManifestYaml.JsonOptions));
        }

        var (resourceVersion, uids) = engine.Store.Counters;
        var state = new JsonObject
        {
            ["version"] = 1,
            ["clock"] = engine.Clock.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["resourceVersion"] = resourceVersion,
            ["uids"] = uids,
            ["sequence"] = engine.Context.Sequence,
            ["profile"] = JsonSerializer.SerializeToNode(engine.Profile, ProfileOptions),
            ["objects"] = objects,
        };
        return state.ToJsonString();
    }

    /// <summary>Writes state from <see cref="Serialize"/> to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    public static async Task WriteAsync(string state, string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        await File.WriteAllTextAsync(temporary, state, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a saved sandbox, or null when there is none at <paramref name="path"/>.</summary>
    public static async Task<SandboxEngine?> LoadAsync(string path, SandboxOptions? options, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var state = JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false))!.AsObject();
        var profile = state["profile"].Deserialize<ClusterProfile>(ProfileOptions) ?? throw new InvalidDataException($"{path}: no cluster profile");
        var clock = DateTimeOffset.Parse(state["clock"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var engine = new SandboxEngine(profile, options, start: clock, createNodes: false);
        var objects = new List<IKubernetesObject<V1ObjectMeta>>();
        foreach (var item in state["objects"]!.AsArray())
        {
            objects.Add(KubeObjects.FromJson(item!.ToJsonString()));
        }

        engine.Store.Restore(objects, state["resourceVersion"]!.GetValue<long>(), state["uids"]!.GetValue<long>());
        engine.Context.Sequence = state["sequence"]?.GetValue<long>() ?? 0;
        return engine;
    }
}
