using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Operations.Cicd;

namespace Keelson.Server.Api;

/// <summary>
/// Writes the active CI/CD image of each used AI service into a tenant request as <c>service_images</c>, so what is
/// rendered from it — a deployment's snapshot, a manifest download — runs the registered image instead of the
/// catalog's <c>ecp-ai/&lt;service&gt;:1.0.0</c>. A deployment keeps the pinned copy, so resuming it applies the same
/// images and a rollback restores the images the earlier deployment ran. Images the request names itself win; stack
/// documents name their images themselves and are left alone.
/// </summary>
public static class ServiceImagePins
{
    /// <summary>The request's <c>service_images</c> member.</summary>
    public const string Member = "service_images";

    /// <summary><paramref name="spec"/> with the active images of <paramref name="images"/> pinned (unchanged when none applies).</summary>
    public static async Task<string> PinAsync(SqlImageStore images, string? spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        var active = await images.ListAsync(null, true, cancellationToken).ConfigureAwait(false);
        return Pin(spec, active);
    }

    /// <summary><paramref name="spec"/> with each used AI service that has an active image in <paramref name="active"/> and no image of its own pinned to it.</summary>
    public static string Pin(string? spec, IReadOnlyList<ServiceImage> active)
    {
        ArgumentNullException.ThrowIfNull(active);
        var text = spec ?? "{}";
        if (TenantInput.SeedRequest(text) is not { } request || request["service_requirements"] is not JsonObject services)
        {
            return text;
        }

        var byService = active.Where(i => i.IsActive).ToDictionary(i => i.ServiceName, StringComparer.Ordinal);
        var pins = request[Member] as JsonObject ?? [];
        var added = false;
        foreach (var (service, _) in services.Where(s => s.Value is JsonValue v && v.TryGetValue<int>(out var n) && n > 0).OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (!pins.ContainsKey(service) && byService.TryGetValue(service, out var image))
            {
                pins[service] = image.Reference;
                added = true;
            }
        }

        if (!added)
        {
            return text;
        }

        request[Member] = pins;
        return request.ToJsonString();
    }
}
