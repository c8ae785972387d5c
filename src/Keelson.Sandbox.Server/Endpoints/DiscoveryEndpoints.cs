using k8s.Models;
using Keelson.Sandbox.Server.CustomResources;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Server.Resources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keelson.Sandbox.Server.Endpoints;

/// <summary>
/// <c>/version</c> and legacy discovery (<c>/api</c>, <c>/apis</c>, group versions). kubectl 1.32 asks for
/// aggregated discovery first; answering with plain <c>application/json</c> makes it fall back to these forms.
/// </summary>
internal static class DiscoveryEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/version", () => ApiJson.Result(new VersionInfo
        {
            Major = "1",
            Minor = "32",
            GitVersion = "v1.32.0-keelson-sandbox",
            GitCommit = "keelson",
            GitTreeState = "clean",
            BuildDate = "2026-01-05T00:00:00Z",
            GoVersion = "n/a",
            Compiler = "keelson",
            Platform = "linux/amd64",
        }));

        app.MapGet("/api", (HttpContext context) => ApiJson.Result(new V1APIVersions
        {
            Kind = "APIVersions",
            Versions = ["v1"],
            ServerAddressByClientCIDRs = [new V1ServerAddressByClientCIDR { ClientCIDR = "0.0.0.0/0", ServerAddress = context.Request.Host.Value }],
        }));

        app.MapGet("/apis", (ServedResources served) =>
        {
            var all = served.All;
            return ApiJson.Result(new V1APIGroupList
            {
                Kind = "APIGroupList",
                ApiVersion = "v1",
                Groups = [.. Groups(all).Select(g => Group(all, g)), MetricsEndpoints.Group(), .. CustomMetricsEndpoints.Groups(), .. AccessReviewEndpoints.Groups()],
            });
        });

        app.MapGet("/apis/{group}", (string group, ServedResources served) =>
        {
            var all = served.All;
            return Groups(all).Contains(group) ? ApiJson.Result(Group(all, group)) : throw ApiException.NoResource("/apis/" + group);
        });

        app.MapGet("/api/{version}", (string version, ServedResources served) => ResourceList(served.All, "", version));
        app.MapGet("/apis/{group}/{version}", (string group, string version, ServedResources served) => ResourceList(served.All, group, version));
    }

    private static IEnumerable<string> Groups(IReadOnlyList<ApiResource> all) => all.Select(r => r.Group).Where(g => g.Length > 0).Distinct();

    // A custom group's preferred version is its definition's first served one (definitions list them by priority).
    private static V1APIGroup Group(IReadOnlyList<ApiResource> all, string name)
    {
        var versions = all.Where(r => r.Group == name).Select(r => r.Version).Distinct()
            .Select(v => new V1GroupVersionForDiscovery { GroupVersion = $"{name}/{v}", Version = v }).ToList();
        return new V1APIGroup { ApiVersion = "v1", Kind = "APIGroup", Name = name, Versions = versions, PreferredVersion = versions[0] };
    }

    private static IResult ResourceList(IReadOnlyList<ApiResource> all, string group, string version)
    {
        var served = all.Where(r => r.Group == group && r.Version == version).ToList();
        if (served.Count == 0)
        {
            throw ApiException.NoResource(group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}");
        }

        var resources = new List<V1APIResource>();
        foreach (var r in served)
        {
            resources.Add(new V1APIResource
            {
                Name = r.Plural,
                SingularName = r.Singular,
                Namespaced = r.Namespaced,
                Kind = r.Kind,
                // Namespaces have no deletecollection upstream.
                Verbs = [.. ApiResource.Verbs.Where(v => v != "deletecollection" || r.Kind != "Namespace")],
                ShortNames = r.ShortNames.Count == 0 ? null : [.. r.ShortNames],
                Categories = ResourceCatalog.Categories(r),
            });
            if (r.HasStatus)
            {
                resources.Add(new V1APIResource { Name = r.Plural + "/status", SingularName = "", Namespaced = r.Namespaced, Kind = r.Kind, Verbs = ["get", "patch", "update"] });
            }

            if (r.Scalable)
            {
                resources.Add(new V1APIResource { Name = r.Plural + "/scale", SingularName = "", Namespaced = true, Group = "autoscaling", Version = "v1", Kind = "Scale", Verbs = ["get", "patch", "update"] });
            }
        }

        if (group.Length == 0)
        {
            resources.Add(new V1APIResource { Name = "pods/log", SingularName = "", Namespaced = true, Kind = "Pod", Verbs = ["get"] });

            // kubectl drain looks for this entry to decide between evicting and deleting.
            resources.Add(new V1APIResource { Name = "pods/eviction", SingularName = "", Namespaced = true, Group = "policy", Version = "v1", Kind = "Eviction", Verbs = ["create"] });
        }

        return ApiJson.Result(new V1APIResourceList { ApiVersion = "v1", Kind = "APIResourceList", GroupVersion = served[0].ApiVersion, Resources = resources });
    }
}
