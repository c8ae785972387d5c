using System.Text.Json;
using Keelson.Inference;
using Keelson.Operations.Models;
using Keelson.Server.Api;
using Keelson.Server.Http;

namespace Keelson.Server.Inference;

/// <summary>
/// The Open Inference Protocol V2 over REST (KServe, Triton): health, model metadata, readiness and inference with
/// JSON tensors. A model is a registry model of one tenant — named by <c>X-Keelson-Tenant</c>, by a tenant-scoped key,
/// or by <c>Keelson:Models:Tenant</c> on a server run for one tenant. Without a version, the <c>production</c> alias
/// is served when it exists, else the newest version; a version may be a number or any alias, resolved per request.
/// </summary>
public static class InferenceEndpoints
{
    /// <summary>The header naming the tenant whose models a V2 request means.</summary>
    public const string TenantHeader = "X-Keelson-Tenant";

    private const string Model = "/models/{name}";
    private const string Version = "/models/{name}/versions/{version}";

    /// <summary>Maps <c>/v2/health/*</c> (open, like <c>/health/*</c>) and the model routes (mode and key filters, as <c>/api/v1</c>).</summary>
    public static void MapInference(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/v2", () => TypedResults.Ok(new V2ServerMetadata("keelson", typeof(InferenceEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0", ["binary_tensor_data"])))
            .WithName("V2ServerMetadata").WithTags("inference").WithSummary("OIP V2 server metadata: name, version, protocol extensions (binary_tensor_data).").Produces<V2ServerMetadata>();
        app.MapGet("/v2/health/live", () => TypedResults.Ok(new V2Health(true, true))).WithName("V2Live").WithTags("inference")
            .WithSummary("OIP V2 liveness: the process answers.").Produces<V2Health>();
        app.MapGet("/v2/health/ready", (TenantDatabases databases) => databases.IsOpen
                ? Results.Ok(new V2Health(true, true))
                : Results.Json(new V2Health(true, false), statusCode: StatusCodes.Status503ServiceUnavailable))
            .WithName("V2Ready").WithTags("inference").WithSummary("OIP V2 readiness: the registries' databases are open.")
            .Produces<V2Health>().Produces<V2Health>(StatusCodes.Status503ServiceUnavailable);

        var v2 = app.MapGroup("/v2").AddEndpointFilter<DemoModeFilter>().AddEndpointFilter<ApiKeyFilter>().WithTags("inference");
        v2.MapGet(Model, (string name, HttpContext http, TenantModels models, CancellationToken ct) => Metadata(name, null, http, models, ct))
            .WithName("V2ModelMetadata").WithSummary("OIP V2 model metadata of the version served by default (the production alias, else the newest).")
            .Produces<V2ModelMetadata>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        v2.MapGet(Version, (string name, string version, HttpContext http, TenantModels models, CancellationToken ct) => Metadata(name, version, http, models, ct))
            .WithName("V2ModelVersionMetadata").WithSummary("OIP V2 metadata of a version given by number or alias.")
            .Produces<V2ModelMetadata>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        v2.MapGet(Model + "/ready", (string name, HttpContext http, TenantModels models, CancellationToken ct) => Ready(name, null, http, models, ct))
            .WithName("V2ModelReady").WithSummary("Loads the default version's session (if not loaded) and says whether it serves.")
            .Produces<V2ModelReady>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        v2.MapGet(Version + "/ready", (string name, string version, HttpContext http, TenantModels models, CancellationToken ct) => Ready(name, version, http, models, ct))
            .WithName("V2ModelVersionReady").WithSummary("Loads a version's session (if not loaded) and says whether it serves.")
            .Produces<V2ModelReady>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        v2.MapPost(Model + "/infer", (string name, HttpContext http, TenantModels models, CancellationToken ct) => Infer(name, null, http, models, ct))
            .WithName("V2Infer").WithSummary("OIP V2 inference with JSON tensors on the default version.")
            .Accepts<V2InferenceRequest>("application/json", "application/octet-stream").Produces<V2InferenceResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        v2.MapPost(Version + "/infer", (string name, string version, HttpContext http, TenantModels models, CancellationToken ct) => Infer(name, version, http, models, ct))
            .WithName("V2InferVersion").WithSummary("OIP V2 inference with JSON tensors on a version given by number or alias (resolved when the request arrives).")
            .Accepts<V2InferenceRequest>("application/json", "application/octet-stream").Produces<V2InferenceResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }

    private static async Task<IResult> Metadata(string name, string? version, HttpContext http, TenantModels models, CancellationToken cancellationToken)
    {
        var (found, problem) = await ResolveAsync(name, version, http, models, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return problem!;
        }

        var all = await models.For(DemoModeFilter.IsDemo(http)).Store.ListVersionsAsync(found.TenantId, name, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new V2ModelMetadata(name, [.. all.Select(v => v.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)).Reverse()], "onnxruntime_onnx",
            [.. found.Info.Inputs.Select(i => new V2TensorMetadata(i.Name, i.Datatype, i.Shape))],
            [.. found.Info.Outputs.Select(o => new V2TensorMetadata(o.Name, o.Datatype, o.Shape))]));
    }

    private static async Task<IResult> Ready(string name, string? version, HttpContext http, TenantModels models, CancellationToken cancellationToken)
    {
        var (found, problem) = await ResolveAsync(name, version, http, models, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return problem!;
        }

        var registry = models.For(DemoModeFilter.IsDemo(http));
        var serving = await registry.Store.ServingAsync(found.TenantId, name, cancellationToken).ConfigureAwait(false);
        models.Runtime.ExecutorFor(found, registry.Files.PathOf(found.Digest), serving).Warm();
        return TypedResults.Ok(new V2ModelReady(name, found.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), true));
    }

    private static async Task<IResult> Infer(string name, string? version, HttpContext http, TenantModels models, CancellationToken cancellationToken)
    {
        var (document, binary, bodyProblem) = await V2Body.ReadAsync(http.Request, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return bodyProblem!;
        }

        using var disposeDocument = document;

        var (tenant, problem) = TenantOf(name, http, models);
        if (tenant is null)
        {
            return problem!;
        }

        // One query resolves the version and its serving settings, so an alias moved meanwhile gives the old or the new version whole.
        var registry = models.For(DemoModeFilter.IsDemo(http));
        if (await registry.Store.ResolveForServingAsync(tenant, name, version, cancellationToken).ConfigureAwait(false) is not { } resolved)
        {
            return NotFound(tenant, name, version);
        }

        var (found, serving) = resolved;

        try
        {
            var request = V2Json.Read(document, binary);
            var outputs = await models.Runtime.InferAsync(found, registry.Files.PathOf(found.Digest), serving, request.Inputs, request.Outputs, cancellationToken).ConfigureAwait(false);
            return new V2ResponseResult(name, found.Version, request, outputs);
        }
        catch (InferenceRequestException e)
        {
            return Error(e.Status, e.Title, $"model '{name}' version {found.Version}: {e.Message}");
        }
    }

    private static async Task<(ModelVersion? Found, IResult? Problem)> ResolveAsync(string name, string? version, HttpContext http, TenantModels models, CancellationToken cancellationToken)
    {
        var (tenant, problem) = TenantOf(name, http, models);
        if (tenant is null)
        {
            return (null, problem);
        }

        var store = models.For(DemoModeFilter.IsDemo(http)).Store;
        var found = version is not null
            ? await store.ResolveAsync(tenant, name, version, cancellationToken).ConfigureAwait(false)
            : await store.ResolveAsync(tenant, name, "production", cancellationToken).ConfigureAwait(false)
              ?? await store.ResolveAsync(tenant, name, null, cancellationToken).ConfigureAwait(false);
        return found is not null ? (found, null) : (null, NotFound(tenant, name, version));
    }

    private static (string? Tenant, IResult? Problem) TenantOf(string name, HttpContext http, TenantModels models)
    {
        if (!ModelEndpoints.IsModelName(name))
        {
            return (null, Error(400, "The model name is not valid", $"name: '{name}' must be 1-63 lowercase letters, digits, '.', '_' or '-'."));
        }

        var caller = ApiKeyFilter.CallerOf(http);
        var named = http.Request.Headers[TenantHeader].ToString();
        var tenant = named.Length > 0 ? named : caller.Tenant ?? models.Settings.Tenant;
        if (tenant is null)
        {
            return (null, Error(400, "Which tenant's model?", $"Name the tenant in the {TenantHeader} header, use a tenant's key, or run the server for one tenant (Keelson:Models:Tenant)."));
        }

        return caller.MayAccess(tenant) ? (tenant, null) : (null, Problems.Forbidden(caller));
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(string tenant, string name, string? version) => Error(404, $"Model '{name}' has no version '{version ?? "production or newest"}'",
        $"Tenant '{tenant}' has no {(version is null ? "version" : $"version or alias '{version}'")} of model '{name}' in the selected database; upload one at /api/v1/tenants/{tenant}/models/{name}/versions.");

    // OIP V2 clients read "error"; Keelson's clients read the problem's "detail": both are filled.
    internal static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Error(int status, string title, string detail) => TypedResults.Problem(statusCode: status, title: title, detail: detail,
        type: $"https://keelson.dev/problems/{status}", extensions: new Dictionary<string, object?> { ["error"] = detail });

    internal sealed class V2ResponseResult(string model, int version, V2Json.Request request, IReadOnlyList<InferenceTensor> outputs) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status200OK;
            if (!request.AnyBinary || !outputs.Any(o => request.IsBinary(o.Name)))
            {
                httpContext.Response.ContentType = "application/json";
                await using (var writer = new Utf8JsonWriter(httpContext.Response.BodyWriter))
                {
                    V2Json.Write(writer, model, version, request.Id, outputs);
                }

                await httpContext.Response.BodyWriter.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
                return;
            }

            // The binary tensor extension: the JSON header, then the binary outputs' bytes in output order.
            var header = new System.Buffers.ArrayBufferWriter<byte>();
            await using (var writer = new Utf8JsonWriter(header))
            {
                V2Json.Write(writer, model, version, request.Id, outputs, request.IsBinary);
            }

            var binary = outputs.Where(o => request.IsBinary(o.Name)).ToList();
            httpContext.Response.ContentType = "application/octet-stream";
            httpContext.Response.Headers[V2Body.HeaderLength] = header.WrittenCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
            httpContext.Response.ContentLength = header.WrittenCount + binary.Sum(BinaryTensors.Size);
            var body = httpContext.Response.BodyWriter;
            System.Buffers.BuffersExtensions.Write(body, header.WrittenSpan);
            foreach (var output in binary)
            {
                System.Buffers.BuffersExtensions.Write(body, BinaryTensors.Bytes(output));
            }

            await body.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}
