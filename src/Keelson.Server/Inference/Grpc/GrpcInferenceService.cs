using Grpc.Core;
using Inference;
using Keelson.Inference;

namespace Keelson.Server.Inference.Grpc;

/// <summary>
/// The Open Inference Protocol over gRPC (<c>inference.GRPCInferenceService</c>, as KServe and Triton serve it) on its
/// own cleartext HTTP/2 port (<see cref="ModelSettings.GrpcPort"/>), answered by the same <see cref="IV2Models"/> as
/// the REST routes: same resolution, checks, metrics and key rules. Refusals map to status codes as Triton's do.
/// </summary>
public sealed class GrpcInferenceService(IV2Models models) : GRPCInferenceService.GRPCInferenceServiceBase
{
    /// <inheritdoc />
    public override Task<ServerLiveResponse> ServerLive(ServerLiveRequest request, ServerCallContext context) => Task.FromResult(new ServerLiveResponse { Live = true });

    /// <inheritdoc />
    public override Task<ServerReadyResponse> ServerReady(ServerReadyRequest request, ServerCallContext context) => Task.FromResult(new ServerReadyResponse { Ready = models.IsReady });

    /// <inheritdoc />
    public override Task<ServerMetadataResponse> ServerMetadata(ServerMetadataRequest request, ServerCallContext context)
    {
        var server = InferenceEndpoints.Server;
        return Task.FromResult(new ServerMetadataResponse { Name = server.Name, Version = server.Version, Extensions = { server.Extensions } });
    }

    /// <inheritdoc />
    public override Task<ModelMetadataResponse> ModelMetadata(ModelMetadataRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(context, async http =>
        {
            var metadata = await models.MetadataAsync(request.Name, Version(request.Version), http, context.CancellationToken).ConfigureAwait(false);
            return new ModelMetadataResponse
            {
                Name = metadata.Name, Platform = metadata.Platform, Versions = { metadata.Versions },
                Inputs = { metadata.Inputs.Select(Tensor) }, Outputs = { metadata.Outputs.Select(Tensor) },
            };
        });
    }

    /// <inheritdoc />
    public override Task<ModelReadyResponse> ModelReady(ModelReadyRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(context, async http =>
        {
            try
            {
                return new ModelReadyResponse { Ready = (await models.ReadyAsync(request.Name, Version(request.Version), http, context.CancellationToken).ConfigureAwait(false)).Ready };
            }
            catch (InferenceRequestException e) when (e.Status == StatusCodes.Status503ServiceUnavailable)
            {
                // Not loaded yet is the answer this call exists for, not an error.
                return new ModelReadyResponse { Ready = false };
            }
        });
    }

    /// <inheritdoc />
    public override Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(context, async http =>
        {
            var answer = await models.InferAsync(request.ModelName, Version(request.ModelVersion), http, () => GrpcTensors.Read(request), context.CancellationToken).ConfigureAwait(false);
            return GrpcTensors.Response(request.ModelName, answer);
        });
    }

    // The protocol's empty string means "the server chooses", as a missing version does over REST.
    private static string? Version(string version) => version.Length == 0 ? null : version;

    private static ModelMetadataResponse.Types.TensorMetadata Tensor(V2TensorMetadata tensor) =>
        new() { Name = tensor.Name, Datatype = tensor.Datatype, Shape = { tensor.Shape } };

    private async Task<T> Run<T>(ServerCallContext context, Func<HttpContext, Task<T>> call)
    {
        var http = context.GetHttpContext();
        try
        {
            await models.AdmitAsync(http).ConfigureAwait(false);
            return await call(http).ConfigureAwait(false);
        }
        catch (InferenceRequestException e)
        {
            throw new RpcException(new Status(CodeOf(e.Status), e.Message));
        }
    }

    /// <summary>The gRPC status code of an HTTP status, as Triton maps its errors (a too-large request is invalid, not exhausted).</summary>
    public static StatusCode CodeOf(int status) => status switch
    {
        400 or 413 or 415 => StatusCode.InvalidArgument,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.NotFound,
        429 => StatusCode.ResourceExhausted,
        503 => StatusCode.Unavailable,
        _ => StatusCode.Internal,
    };
}
