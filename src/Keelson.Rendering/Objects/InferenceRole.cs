using System.Globalization;
using Keelson.Spec.Model;

namespace Keelson.Rendering.Objects;

/// <summary>
/// The container of a <c>model</c> component that names a registry model: <c>keelson serve --role inference</c>, which
/// pulls the version from the Keelson server at start and serves it on the Open Inference Protocol V2. The flags here
/// are the ones the role reads (<c>Keelson:Models:*</c>), so the Deployment and the server agree by construction.
/// </summary>
public static class InferenceRole
{
    /// <summary>Image run when the component names none. Keelson publishes no image; set <c>image</c> to your build of it.</summary>
    public const string DefaultImage = "ghcr.io/keelson/keelson:0.1.0";

    /// <summary>Port the role listens on (the OIP V2 REST port of KServe and Triton).</summary>
    public const int Port = 8000;

    /// <summary>Port of the Open Inference Protocol over gRPC when the stack asks for it (cleartext HTTP/2; Triton's is 8001, Keelson's server may hold that).</summary>
    public const int GrpcPort = 8081;

    /// <summary>Writable directory for the pulled model file (an emptyDir; the root filesystem stays read-only).</summary>
    public const string DataDirectory = "/var/lib/keelson";

    /// <summary>Key of the component's Secret holding the API key that reads the registry.</summary>
    public const string ApiKeySecret = "KEELSON_API_KEY";

    /// <summary>Liveness path.</summary>
    public const string LivenessPath = "/v2/health/live";

    /// <summary>The container contract for <paramref name="registry"/>.</summary>
    public static ContainerContract Contract(string image, RegistryModel registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return new ContainerContract(
            image,
            registry.Grpc ? [("http", Port), ("grpc", GrpcPort)] : [("http", Port)],
            ProbeKind.Http,
            LivenessPath,
            $"/v2/models/{registry.Model}/ready",
            [],
            ReadOnlyRoot: true,
            DataPath: null,
            Args(registry),
            [],
            [("Keelson__Models__RegistryApiKey", ApiKeySecret)],
            [DataDirectory]);
    }

    /// <summary>The arguments of <c>keelson</c> in the container.</summary>
    public static IReadOnlyList<string> Args(RegistryModel registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        List<string> args =
        [
            "serve", "--role", "inference",
            "--urls", string.Create(CultureInfo.InvariantCulture, $"http://0.0.0.0:{Port}"),
            "--Keelson:DataDirectory", DataDirectory,
            "--Keelson:Models:Registry", registry.Server,
            "--Keelson:Models:Tenant", registry.Tenant,
            "--Keelson:Models:Model", registry.Model,
            "--Keelson:Models:Version", registry.Version,
        ];
        if (registry.Grpc)
        {
            args.AddRange(["--Keelson:Models:GrpcPort", GrpcPort.ToString(CultureInfo.InvariantCulture)]);
        }

        return args;
    }

    /// <summary>The registry route of the version served.</summary>
    public static string VersionUrl(RegistryModel registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return $"{registry.Server.TrimEnd('/')}/api/v1/tenants/{registry.Tenant}/models/{registry.Model}/versions/{registry.Version}";
    }
}
