using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Rendering.Output;
using Keelson.Spec.Model;
using Microsoft.IO;

namespace Keelson.Sandbox.Engine;

/// <summary>
/// A sandbox saved to a file between commands (<c>keelson up</c>, <c>status</c>, <c>down</c>): the profile, the
/// clock and every object. Controllers' in-memory history (HPA recommendations, unneeded-node timers) starts over
/// on load, as it does when a real controller manager restarts.
/// </summary>
public static class SandboxState
{
    private static readonly JsonSerializerOptions ProfileOptions = new() { WriteIndented = false };

    // Pooled blocks rather than one string: a saved sandbox of a few thousand objects is megabytes, and a fresh
    // large-object-heap buffer per checkpoint made the server's GC run gen2 collections several times a second.
    private static readonly RecyclableMemoryStreamManager Buffers = new();

    /// <summary>Writes the sandbox to <paramref name="path"/> (atomically: a temporary file, then a rename).</summary>
    public static async Task SaveAsync(SandboxEngine engine, string path, CancellationToken cancellationToken)
    {
        using var state = Serialize(engine);
        await WriteAsync(state, path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The sandbox's state as UTF-8 JSON in pooled memory; cheap enough to take between two requests of a running
    /// facade, and written later. The caller disposes it, which returns the memory to the pool.
    /// </summary>
    public static Stream Serialize(SandboxEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var buffer = Buffers.GetStream(nameof(SandboxState));
        var (resourceVersion, uids) = engine.Store.Counters;
        using (var writer = new Utf8JsonWriter((IBufferWriter<byte>)buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", 1);
            writer.WriteString("clock", engine.Clock.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteNumber("resourceVersion", resourceVersion);
            writer.WriteNumber("uids", uids);
            writer.WriteNumber("sequence", engine.Context.Sequence);
            writer.WritePropertyName("profile");
            JsonSerializer.Serialize(writer, engine.Profile, ProfileOptions);
            writer.WriteStartArray("objects");
            foreach (var resource in engine.Store.All)
            {
                JsonSerializer.Serialize(writer, resource, resource.GetType(), ManifestYaml.JsonOptions);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        buffer.Position = 0;
        return buffer;
    }

    /// <summary>Writes state from <see cref="Serialize"/> to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    public static async Task WriteAsync(Stream state, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            await state.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        }

        File.Move(temporary, path, overwrite: true);
    }

    // Objects of a kind a CustomResourceDefinition defines have no model: they are kept as JSON.
    private static IKubernetesObject<V1ObjectMeta> Read(JsonObject item) =>
        KubeObjects.TypeOf((string?)item["apiVersion"] ?? "", (string?)item["kind"] ?? "") is null
            ? item.Deserialize<Store.CustomObject>(ManifestYaml.JsonOptions) ?? throw new InvalidDataException("a saved object is null")
            : KubeObjects.FromJson(item.ToJsonString());

    /// <summary>
    /// The saved sandbox at <paramref name="path"/> caught up to <paramref name="wall"/>'s time, else (or when
    /// <paramref name="fresh"/>) a new one of <paramref name="profile"/> starting then; null when there is neither.
    /// </summary>
    /// <remarks>
    /// kubectl computes the ages in <c>describe</c> and <c>events</c> from its own clock, so a sandbox a user can
    /// reach starts at wall-clock time (whole seconds, as the API's timestamps are) rather than at
    /// <see cref="VirtualClock.DefaultStart"/>; callers wanting repeatable times construct the engine themselves.
    /// </remarks>
    public static async Task<SandboxEngine?> OpenAtWallClockAsync(string path, ClusterProfile? profile, TimeProvider wall, bool fresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wall);
        var now = wall.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        var engine = fresh ? null : await LoadAsync(path, null, cancellationToken).ConfigureAwait(false);
        if (engine is null)
        {
            return profile is null ? null : new SandboxEngine(profile, start: now);
        }

        engine.CatchUpTo(now);
        return engine;
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
            objects.Add(Read(item!.AsObject()));
        }

        engine.Store.Restore(objects, state["resourceVersion"]!.GetValue<long>(), state["uids"]!.GetValue<long>());
        engine.Context.Sequence = state["sequence"]?.GetValue<long>() ?? 0;
        return engine;
    }
}
