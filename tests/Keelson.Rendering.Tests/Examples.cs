using Keelson.Planning;
using Keelson.Spec.Parsing;
using Keelson.Testing;

namespace Keelson.Rendering.Tests;

/// <summary>The example stacks, planned and rendered once per test run.</summary>
internal static class Examples
{
    private static readonly Dictionary<string, Manifest> Cache = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    public static Manifest Render(string name)
    {
        lock (Gate)
        {
            if (!Cache.TryGetValue(name, out var manifest))
            {
                var path = Repo.File("examples", name);
                var spec = StackParser.Parse(File.ReadAllText(path), "examples/" + name).Value!;
                manifest = ManifestRenderer.Default.Render(Planner.Default.Plan(spec).Plan!);
                Cache[name] = manifest;
            }

            return manifest;
        }
    }

    public static TheoryData<string> Names() => [.. Repo.Examples.Select(p => Path.GetFileName(p))];
}
