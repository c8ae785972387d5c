using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Keelson.Operations.Models;
using Keelson.Server.Api;

namespace Keelson.Server.Inference;

/// <summary>
/// Pulls one version of a registry model from a Keelson server for <c>keelson serve --role inference</c>: the version
/// the number or alias names now (<c>GET …/versions/{version}</c>), its file by number (<c>…/file</c>, checked against
/// the SHA-256 digest the server names) and the model's serving settings. A file already pulled with the same digest is
/// reused, so a restarted container does not download again.
/// </summary>
public sealed class RegistryPull(HttpClient http, ModelSettings settings, string directory)
{
    /// <summary>What was pulled: the version (its description read from the file itself), the local file, the serving settings.</summary>
    public sealed record Pulled(ModelVersion Version, string Path, ModelServing Serving);

    /// <summary>
    /// Pulls the configured version; when it is still <paramref name="current"/> (same number and digest: an alias that
    /// has not moved) only the serving settings are read again, and nothing is downloaded or parsed.
    /// </summary>
    public async Task<Pulled> PullAsync(Pulled? current, CancellationToken cancellationToken)
    {
        var versions = $"api/v1/tenants/{Uri.EscapeDataString(settings.Tenant!)}/models/{Uri.EscapeDataString(settings.Model!)}";
        using var described = await http.SendAsync(Request($"{versions}/versions/{Uri.EscapeDataString(settings.Version)}"), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(described, $"version '{settings.Version}'", cancellationToken).ConfigureAwait(false);
        var resolved = await described.Content.ReadFromJsonAsync<ResolvedVersion>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"The registry described version '{settings.Version}' with an empty body.");
        var serving = await ServingAsync(versions, cancellationToken).ConfigureAwait(false);
        if (current is not null && current.Version.Version == resolved.Version && current.Version.Digest == resolved.Digest)
        {
            return current with { Serving = serving };
        }

        // By number from here: an alias moving meanwhile cannot hand over another version's file.
        var number = resolved.Version.ToString(CultureInfo.InvariantCulture);
        var digest = resolved.Digest;
        if (!digest.StartsWith("sha256:", StringComparison.Ordinal) || digest.Length != 71 || !digest[7..].All(Uri.IsHexDigit))
        {
            throw new InvalidDataException($"The registry named the digest '{digest}', which is not sha256: and 64 hex digits.");
        }

        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, digest[7..] + ".onnx");
        if (!File.Exists(path) || await DigestOfAsync(path, cancellationToken).ConfigureAwait(false) != digest)
        {
            using var response = await http.SendAsync(Request($"{versions}/versions/{number}/file"), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            await EnsureSuccessAsync(response, "the model file", cancellationToken).ConfigureAwait(false);
            if (Header(response, ModelEndpoints.ModelDigestHeader) != digest)
            {
                throw new InvalidDataException($"The registry sent version {number}'s file with digest {Header(response, ModelEndpoints.ModelDigestHeader)}, not the {digest} it described.");
            }

            var partial = path + ".partial";
            await using (var file = File.Create(partial))
            {
                await response.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }

            var received = await DigestOfAsync(partial, cancellationToken).ConfigureAwait(false);
            if (received != digest)
            {
                File.Delete(partial);
                throw new InvalidDataException($"The file received has digest {received}, not the {digest} the registry named; nothing is served from it.");
            }

            File.Move(partial, path, overwrite: true);
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        var version = new ModelVersion
        {
            TenantId = settings.Tenant!, Name = settings.Model!, Version = resolved.Version, Digest = digest, SizeBytes = bytes.LongLength, Info = OnnxModelReader.Read(bytes),
            UploadedBy = "registry", UploadedAt = DateTimeOffset.UtcNow,
        };
        return new Pulled(version, path, serving);
    }

    private async Task<ModelServing> ServingAsync(string versions, CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(Request($"{versions}/serving"), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "the serving settings", cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadFromJsonAsync<ModelServingBody>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException("The registry answered the serving settings with an empty body.");
        return new ModelServing { MaxBatchSize = body.MaxBatchSize, MaxQueueDelayMicroseconds = body.MaxQueueDelayUs, MaxConcurrency = body.MaxConcurrency };
    }

    // The part of the registry's version description the pull needs.
    private sealed record ResolvedVersion(int Version, string Digest);

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private HttpRequestMessage Request(string relative)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(relative, UriKind.Relative));
        request.Headers.Add("X-Demo-Mode", settings.RegistryDemo ? "true" : "false");
        if (settings.RegistryApiKey is { Length: > 0 } key)
        {
            request.Headers.Add("X-API-Key", key);
        }

        return request;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        // The server's problem detail says what is wrong (unknown tenant, model or alias; a missing or wrong key).
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? detail = null;
        try
        {
            using var problem = JsonDocument.Parse(text);
            detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
        }
        catch (JsonException)
        {
            // Not a problem document; the status says enough.
        }

        throw new HttpRequestException($"The registry answered {(int)response.StatusCode} for {what}{(detail is null ? "" : ": " + detail)}", null, response.StatusCode);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.First()
        : throw new InvalidDataException($"The registry's answer has no {name} header; is {response.RequestMessage?.RequestUri} a Keelson server?");

    private static async Task<string> DigestOfAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        return "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
    }
}
