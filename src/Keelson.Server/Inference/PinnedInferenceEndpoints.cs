using System.Globalization;
using Keelson.Inference;
using Keelson.Server.Http;

namespace Keelson.Server.Inference;

/// <summary>
/// The Open Inference Protocol V2 routes of <c>keelson serve --role inference</c>: the same routes and bodies as the
/// orchestrator's <see cref="InferenceEndpoints"/>, for the one model version the process pulled (<see cref="PinnedModel"/>).
/// Health is ready, and the model ready, only once that version is loaded. No tenant header or key: the process serves
/// one tenant's one model, and its NetworkPolicy says who may call it.
/// </summary>
public static class PinnedInferenceEndpoints
{
    private const string Model = "/v2/models/{name}";
    private const string Version = "/v2/models/{name}/versions/{version}";

    /// <summary>Maps <c>/v2</c>, <c>/v2/health/*</c> and the model routes.</summary>
    public static void MapPinnedInference(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2", () => TypedResults.Ok(new V2ServerMetadata("keelson", typeof(InferenceEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0", ["binary_tensor_data"])))
            .WithName("V2ServerMetadata");
        app.MapGet("/v2/health/live", () => TypedResults.Ok(new V2Health(true, true))).WithName("V2Live");
        app.MapGet("/v2/health/ready", (PinnedModel pinned) => pinned.Loaded is not null
                ? Results.Ok(new V2Health(true, true))
                : Results.Json(new V2Health(true, false), statusCode: StatusCodes.Status503ServiceUnavailable))
            .WithName("V2Ready");
        app.MapGet(Model, (string name, PinnedModel pinned) => Metadata(name, null, pinned)).WithName("V2ModelMetadata");
        app.MapGet(Version, (string name, string version, PinnedModel pinned) => Metadata(name, version, pinned)).WithName("V2ModelVersionMetadata");
        app.MapGet(Model + "/ready", (string name, PinnedModel pinned) => Ready(name, null, pinned)).WithName("V2ModelReady");
        app.MapGet(Version + "/ready", (string name, string version, PinnedModel pinned) => Ready(name, version, pinned)).WithName("V2ModelVersionReady");
        app.MapPost(Model + "/infer", (string name, HttpContext http, PinnedModel pinned, CancellationToken ct) => Infer(name, null, http, pinned, ct)).WithName("V2Infer");
        app.MapPost(Version + "/infer", (string name, string version, HttpContext http, PinnedModel pinned, CancellationToken ct) => Infer(name, version, http, pinned, ct)).WithName("V2InferVersion");
    }

    private static IResult Metadata(string name, string? version, PinnedModel pinned)
    {
        var loaded = pinned.Loaded;
        if (Check(name, version, pinned, loaded) is { } problem)
        {
            return problem;
        }

        var found = loaded!.Version;
        return TypedResults.Ok(new V2ModelMetadata(name, [found.Version.ToString(CultureInfo.InvariantCulture)], "onnxruntime_onnx",
            [.. found.Info.Inputs.Select(i => new V2TensorMetadata(i.Name, i.Datatype, i.Shape))],
            [.. found.Info.Outputs.Select(o => new V2TensorMetadata(o.Name, o.Datatype, o.Shape))]));
    }

    private static IResult Ready(string name, string? version, PinnedModel pinned)
    {
        var loaded = pinned.Loaded;
        return (IResult?)Check(name, version, pinned, loaded) ?? TypedResults.Ok(new V2ModelReady(name, loaded!.Version.Version.ToString(CultureInfo.InvariantCulture), true));
    }

    private static async Task<IResult> Infer(string name, string? version, HttpContext http, PinnedModel pinned, CancellationToken cancellationToken)
    {
        var (document, binary, bodyProblem) = await V2Body.ReadAsync(http.Request, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return bodyProblem!;
        }

        using var disposeDocument = document;

        // One read of what is served: the alias may move while this request runs, and it must not mix versions.
        var loaded = pinned.Loaded;
        if (Check(name, version, pinned, loaded) is { } problem)
        {
            return problem;
        }

        var (found, path, serving) = loaded!;
        try
        {
            var request = V2Json.Read(document, binary);
            var outputs = await pinned.Runtime.InferAsync(found, path, serving, request.Inputs, request.Outputs, cancellationToken).ConfigureAwait(false);
            return new InferenceEndpoints.V2ResponseResult(name, found.Version, request, outputs);
        }
        catch (InferenceRequestException e)
        {
            return InferenceEndpoints.Error(e.Status, e.Title, $"model '{name}' version {found.Version}: {e.Message}");
        }
    }

    // This process serves one model: another name or version is 404; the model before it is loaded is 503.
    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Check(string name, string? version, PinnedModel pinned, RegistryPull.Pulled? current)
    {
        var settings = pinned.Settings;
        if (name != settings.Model)
        {
            return InferenceEndpoints.Error(404, $"Model '{name}' is not served here",
                $"This server runs in the inference role for model '{settings.Model}' of tenant '{settings.Tenant}' only.");
        }

        if (current is not { } loaded)
        {
            return InferenceEndpoints.Error(503, $"Model '{name}' is not loaded yet",
                $"Model '{name}' version '{settings.Version}' is being pulled from {settings.Registry} and loaded{(pinned.LastError is { } e ? "; the last attempt failed: " + e : "")}.");
        }

        var number = loaded.Version.Version.ToString(CultureInfo.InvariantCulture);
        return version is null || version == number || version == settings.Version ? null
            : InferenceEndpoints.Error(404, $"Model '{name}' has no version '{version}' here",
                $"This server serves version {number} of '{name}' (asked for as '{settings.Version}'); run another replica for other versions.");
    }
}
