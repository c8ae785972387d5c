using Keelson.Sandbox.Server.Resources;
using Microsoft.AspNetCore.Http;

namespace Keelson.Sandbox.Server.Protocol;

/// <summary>What a request path names: a served resource, the namespace (for namespaced resources) and the object's name.</summary>
public sealed record ResourceTarget(ApiResource Resource, string? Namespace, string? Name)
{
    /// <summary>The name, for item paths; a collection path here is a routing bug.</summary>
    public string RequiredName => Name ?? throw new InvalidOperationException("the route has no name");

    /// <summary>Reads the route values the resource templates define; an unknown resource or a misplaced namespace is a 404.</summary>
    public static ResourceTarget From(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var values = context.Request.RouteValues;
        var group = values["group"] as string ?? "";
        var version = values["version"] as string ?? "";
        var plural = values["resource"] as string ?? "";
        var ns = values["namespace"] as string;
        var name = values["name"] as string;
        var served = context.RequestServices.GetService(typeof(CustomResources.ServedResources)) as CustomResources.ServedResources;
        var resource = (served is null ? ResourceCatalog.Find(group, version, plural) : served.Find(group, version, plural))
            ?? throw ApiException.NoResource(context.Request.Path);

        // A namespaced object addressed without its namespace, or a cluster-scoped one inside a namespace, is not there.
        var misplaced = resource.Namespaced ? name is not null && ns is null : ns is not null;
        if (misplaced)
        {
            throw ApiException.NoResource(context.Request.Path);
        }

        return new ResourceTarget(resource, ns, name);
    }
}
