using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using k8s.Models;
using Keelson.Rendering.Output;

namespace Keelson.Sandbox.Engine;

/// <summary>Generated names as Kubernetes makes them (<c>api-7d9f8c6b5d</c>, <c>api-7d9f8c6b5d-x2k4p</c>), but reproducible.</summary>
public static class Names
{
    // The alphabet Kubernetes uses for generated suffixes: no vowels, no look-alike characters.
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>A 10-character hash of a pod template, the <c>pod-template-hash</c> label of a ReplicaSet.</summary>
    public static string TemplateHash(V1PodTemplateSpec template) =>
        Encode(XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(template, ManifestYaml.JsonOptions))), 10);

    /// <summary>
    /// The template hash of a workload, computed once per generation: the generation moves with every spec change,
    /// and serialising the template on every reconcile pass would dominate a long simulation.
    /// </summary>
    public static string TemplateHash(k8s.IKubernetesObject<V1ObjectMeta> owner, V1PodTemplateSpec template)
    {
        var key = (owner.Metadata.Uid ?? owner.Metadata.Name, owner.Metadata.Generation ?? 0);
        lock (Hashes)
        {
            if (Hashes.TryGetValue(owner, out var cached) && cached.Key == key)
            {
                return cached.Hash;
            }

            var hash = TemplateHash(template);
            Hashes.AddOrUpdate(owner, new CachedHash(key, hash));
            return hash;
        }
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, CachedHash> Hashes = [];

    private sealed record CachedHash((string Uid, long Generation) Key, string Hash);

    /// <summary>A 5-character suffix for the <paramref name="sequence"/>-th object generated from <paramref name="owner"/>.</summary>
    public static string Suffix(string owner, long sequence) =>
        Encode(XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{owner}#{sequence}"))), 5);

    private static string Encode(ulong value, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Alphabet[(int)(value % (ulong)Alphabet.Length)];
            value /= (ulong)Alphabet.Length;
        }

        return new string(chars);
    }
}
