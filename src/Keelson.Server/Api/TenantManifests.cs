using System.Text.Json;
using Keelson.Planning;
using Keelson.Rendering;

namespace Keelson.Server.Api;

/// <summary>A stored tenant request (the <c>spec</c> column, or a deployment's copy of it) planned and rendered again: rendering is deterministic.</summary>
public static class TenantManifests
{
    /// <summary>How stored requests are written and read: the seed's snake_case.</summary>
    public static readonly JsonSerializerOptions RequestJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The manifest of <paramref name="spec"/>, or why there is none (a request stored by an older version that no longer plans).</summary>
    public static (Manifest? Manifest, string? Error) Render(string? spec, RenderOptions options)
    {
        TenantRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<TenantRequest>(spec ?? "{}", RequestJson);
        }
        catch (JsonException e)
        {
            return (null, $"the stored request is not readable: {e.Message}");
        }

        var (stack, errors) = StackFromRequest.Build(request ?? new TenantRequest());
        if (stack is null)
        {
            return (null, "the stored request is not valid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        }

        var planned = Planner.Default.Plan(stack);
        return planned.Succeeded
            ? (ManifestRenderer.Default.Render(planned.Plan!, options), null)
            : (null, "the stored request cannot be planned: " + string.Join("; ", planned.Problems.Select(p => $"{p.Path}: {p.Message}")));
    }
}
