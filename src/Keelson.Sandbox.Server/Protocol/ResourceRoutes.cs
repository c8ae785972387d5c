namespace Keelson.Sandbox.Server.Protocol;

/// <summary>The URL templates of resources, in the core group (<c>/api/v1</c>) and in named groups (<c>/apis/g/v</c>).</summary>
internal static class ResourceRoutes
{
    private static readonly string[] Prefixes = ["/api/{version}", "/apis/{group}/{version}"];

    /// <summary>Collections: cluster-scoped, all namespaces, and one namespace.</summary>
    public static IEnumerable<string> Collections => Prefixes.SelectMany(p => new[] { $"{p}/{{resource}}", $"{p}/namespaces/{{namespace}}/{{resource}}" });

    /// <summary>Single objects, cluster-scoped and namespaced.</summary>
    public static IEnumerable<string> Items => Prefixes.SelectMany(p => new[] { $"{p}/{{resource}}/{{name}}", $"{p}/namespaces/{{namespace}}/{{resource}}/{{name}}" });

    /// <summary>A subresource of a namespaced object, e.g. <c>deployments/x/scale</c> or <c>pods/x/log</c>.</summary>
    public static IEnumerable<string> Subresource(string subresource) => Prefixes.Select(p => $"{p}/namespaces/{{namespace}}/{{resource}}/{{name}}/{subresource}");

    /// <summary>A subresource of a cluster-scoped object, e.g. <c>nodes/x/status</c>.</summary>
    public static IEnumerable<string> ClusterSubresource(string subresource) => Prefixes.Select(p => $"{p}/{{resource}}/{{name}}/{subresource}");
}
