using System.Text.Json;
using Keelson.Planning;
using Keelson.Rendering;

namespace Keelson.Server.Api;

/// <summary>A stored tenant spec (the <c>spec</c> column, or a deployment's copy of it) planned and rendered again: rendering is deterministic.</summary>
public static class TenantManifests
{
    /// <summary>How stored requests are written and read: the seed's snake_case.</summary>
    public static readonly JsonSerializerOptions RequestJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The manifest of <paramref name="spec"/>, or why there is none (a spec stored by an older version that no longer plans).</summary>
    public static (Manifest? Manifest, string? Error) Render(string? spec, RenderOptions options)
    {
        var (stack, error) = TenantInput.StackOf(spec);
        if (stack is null)
        {
            return (null, error);
        }

        var planned = Planner.Default.Plan(stack);
        return planned.Succeeded
            ? (AlertRulePins.WithRules(ManifestRenderer.Default.Render(planned.Plan!, options), spec, options), null)
            : (null, "the stored request cannot be planned: " + string.Join("; ", planned.Problems.Select(p => $"{p.Path}: {p.Message}")));
    }
}
