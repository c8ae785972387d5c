using Keelson.Server.Inference.Grpc;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Keelson.Server;

/// <summary>
/// The Open Inference Protocol over gRPC beside REST when <see cref="ModelSettings.GrpcPort"/> is set: one more
/// listening address, on the host of the first <c>--urls</c> address, that speaks only HTTP/2 — gRPC without TLS needs
/// HTTP/2 by prior knowledge, which an endpoint also offering HTTP/1.1 cannot give — and the only one the service answers on.
/// </summary>
public static class GrpcEndpoint
{
    /// <summary>Adds the gRPC services and the HTTP/2 address, keeping the addresses <c>--urls</c> gave.</summary>
    public static void Add(WebApplicationBuilder builder, ServerOptions settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Models.GrpcPort is not { } port)
        {
            return;
        }

        if (port is < 1 or > 65535)
        {
            throw new ArgumentException($"Keelson:Models:GrpcPort must be a port from 1 to 65535, not {port}; leave it unset to serve no gRPC.");
        }

        builder.Services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = (int)Math.Min(int.MaxValue, settings.MaxRequestBytes));
        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } given ? given : "http://localhost:5000";
        var host = BindingAddress.Parse(urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0]).Host;
        builder.WebHost.UseUrls($"{urls};http://{host}:{port}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen =>
        {
            if (listen.IPEndPoint?.Port == port)
            {
                listen.Protocols = HttpProtocols.Http2;
            }
        }));
    }

    /// <summary>Maps the service on the gRPC port only.</summary>
    public static void Map(WebApplication app, ServerOptions settings)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Models.GrpcPort is { } port)
        {
            app.MapGrpcService<GrpcInferenceService>().RequireHost($"*:{port}");
        }
    }
}
