namespace Keelson.Server.Api;

/// <summary>The ECP-AI UI's CI/CD pages: settings (registries among them) and service images; see docs/dropin/cicd.md.</summary>
public static class CicdEndpoints
{
    /// <summary>Maps every <c>/cicd</c> route on the <c>/api/v1</c> group.</summary>
    public static RouteGroupBuilder MapCicd(this RouteGroupBuilder api) => api.MapCicdSettings().MapCicdImages();
}
