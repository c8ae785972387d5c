namespace Keelson.Sandbox.Server.Tests;

/// <summary>Small objects posted in HTTP-level tests.</summary>
internal static class Objects
{
    public const string Namespace = """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop"}}""";

    public static string ConfigMap(string name, string app, string value = "1") =>
        $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","labels":{"app":"{{{app}}}"}},"data":{"value":"{{{value}}}"}}""";

    public static string Deployment(string name, int replicas = 2) => """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"NAME"},
         "spec":{"replicas":REPLICAS,"selector":{"matchLabels":{"app":"NAME"}},
          "template":{"metadata":{"labels":{"app":"NAME"}},
           "spec":{"containers":[
             {"name":"web","image":"nginx:1","resources":{"requests":{"cpu":"100m","memory":"64Mi"}}},
             {"name":"sidecar","image":"envoy:1","resources":{"requests":{"cpu":"50m","memory":"32Mi"}}}]}}}}
        """.Replace("NAME", name, StringComparison.Ordinal).Replace("REPLICAS", replicas.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>A server with namespace <c>shop</c> created.</summary>
    public static async Task<TestServer> ShopAsync()
    {
        var server = await TestServer.StartAsync();
        var (status, body) = await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces", Namespace);
        Assert.True(status == 201, body?.ToJsonString());
        return server;
    }
}
