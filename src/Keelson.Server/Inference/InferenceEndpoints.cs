using System.Text.Json;
using Keelson.Inference;
using Keelson.Server.Http;

namespace Keelson.Server.Inference;

/// <summary>
/// The Open Inference Protocol V2 over REST (KServe, Triton): health, model metadata, readiness and inference with
/// JSON tensors, answered by the <see cref="IV2Models"/> of the application (the registry's models on the orchestrator,
/// <see cref="RegistryV2Models"/>; the one pulled version in the inference role, <see cref="PinnedV2Models"/>).
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
        Map(app, app.MapGroup("/v2").AddEndpointFilter<DemoModeFilter>().AddEndpointFilter<ApiKeyFilter>().WithTags("inference"));
    }

    /// <summary>Maps the same routes for <c>keelson serve --role inference</c>: no mode or key (its NetworkPolicy is the gate).</summary>
    public static void MapPinnedInference(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        Map(app, app.MapGroup("/v2"));
    }

    /// <summary>The server metadata both protocols report.</summary>
    public static V2ServerMetadata Server { get; } = new("keelson", typeof(InferenceEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0", ["binary_tensor_data"]);

    private static void Map(WebApplication app, RouteGroupBuilder v2)
    {
        app.MapGet("/v2", () => TypedResults.Ok(Server))
            .WithName("V2ServerMetadata").WithTags("inference").WithSummary("OIP V2 server metadata: name, version, protocol extensions (binary_tensor_data).").Produces<V2ServerMetadata>();
        app.MapGet("/v2/health/live", () => TypedResults.Ok(new V2Health(true, true))).WithName("V2Live").WithTags("inference")
            .WithSummary("OIP V2 liveness: the process answers.").Produces<V2Health>();
        app.MapGet("/v2/health/ready", (IV2Models models) => models.IsReady
                ? Results.Ok(new V2Health(true, true))
                : Results.Json(new V2Health(true, false), statusCode: StatusCodes.Status503ServiceUnavailable))
            .WithName("V2Ready").WithTags("inference").WithSummary("OIP V2 readiness: the registries' databases are open (in the inference role: the model is loaded).")
            .Produces<V2Health>().Produces<V2Health>(StatusCodes.Status503ServiceUnavailable);

        v2.MapGet(Model, (string name, HttpContext http, IV2Models models, CancellationToken ct) => Answer(() => models.MetadataAsync(name, null, http, ct)))
            .WithName("V2ModelMetadata").WithSummary("OIP V2 model metadata of the version served by default (the production alias, else the newest).")
            .Produces<V2ModelMetadata>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        v2.MapGet(Version, (string name, string version, HttpContext http, IV2Models models, CancellationToken ct) => Answer(() => models.MetadataAsync(name, version, http, ct)))
            .WithName("V2ModelVersionMetadata").WithSummary("OIP V2 metadata of a version given by number or alias.")
            .Produces<V2ModelMetadata>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        v2.MapGet(Model + "/ready", (string name, HttpContext http, IV2Models models, CancellationToken ct) => Answer(() => models.ReadyAsync(name, null, http, ct)))
            .WithName("V2ModelReady").WithSummary("Loads the default version's session (if not loaded) and says whether it serves.")
            .Produces<V2ModelReady>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        v2.MapGet(Version + "/ready", (string name, string version, HttpContext http, IV2Models models, CancellationToken ct) => Answer(() => models.ReadyAsync(name, version, http, ct)))
            .WithName("V2ModelVersionReady").WithSummary("Loads a version's session (if not loaded) and says whether it serves.")
            .Produces<V2ModelReady>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        v2.MapPost(Model + "/infer", (string name, HttpContext http, IV2Models models, CancellationToken ct) => Infer(name, null, http, models, ct))
            .WithName("V2Infer").WithSummary("OIP V2 inference with JSON tensors on the default version.")
            .Accepts<V2InferenceRequest>("application/json", "application/octet-stream").Produces<V2InferenceResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        v2.MapPost(Version + "/infer", (string name, string version, HttpContext http, IV2Models models, CancellationToken ct) => Infer(name, version, http, models, ct))
            .WithName("V2InferVersion").WithSummary("OIP V2 inference with JSON tensors on a version given by number or alias (resolved when the request arrives).")
            .Accepts<V2InferenceRequest>("application/json", "application/octet-stream").Produces<V2InferenceResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }

    private static async Task<IResult> Answer<T>(Func<Task<T>> run)
    {
        try
        {
            return TypedResults.Ok(await run().ConfigureAwait(false));
        }
        catch (InferenceRequestException e)
        {
            return Error(e.Status, e.Title, e.Message);
        }
    }

    private static async Task<IResult> Infer(string name, string? version, HttpContext http, IV2Models models, CancellationToken cancellationToken)
    {
        var (document, binary, bodyProblem) = await V2Body.ReadAsync(http.Request, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return bodyProblem!;
        }

        using var disposeDocument = document;
        try
        {
            var answer = await models.InferAsync(name, version, http, () => V2Json.Read(document, binary), cancellationToken).ConfigureAwait(false);
            return new V2ResponseResult(name, answer.Version, answer.Request, answer.Outputs);
        }
        catch (InferenceRequestException e)
        {
            return Error(e.Status, e.Title, e.Message);
        }
    }

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
