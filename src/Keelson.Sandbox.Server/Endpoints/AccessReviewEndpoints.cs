using System.Text.Json.Nodes;
using k8s.Models;
using Keelson.Sandbox.Server.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keelson.Sandbox.Server.Endpoints;

/// <summary>
/// The self reviews (<c>kubectl auth can-i</c>, <c>auth can-i --list</c>, <c>auth whoami</c>) under the facade's auth
/// model: there is no authentication, so every caller is the one sandbox user and every request is allowed.
/// </summary>
internal static class AccessReviewEndpoints
{
    /// <summary>The user every request acts as; the groups are what a cluster admin's certificate carries.</summary>
    public const string UserName = "keelson-sandbox";

    private static readonly string[] UserGroups = ["system:masters", "system:authenticated"];

    private const string Authorization = "authorization.k8s.io";

    private const string Authentication = "authentication.k8s.io";

    private const string AllowedReason = "the Keelson sandbox has no authorization: every request is allowed";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet($"/apis/{Authorization}", () => ApiJson.Result(Group(Authorization)));
        app.MapGet($"/apis/{Authentication}", () => ApiJson.Result(Group(Authentication)));
        app.MapGet($"/apis/{Authorization}/v1", () => ApiJson.Result(ResourceList(Authorization,
            ("selfsubjectaccessreviews", "SelfSubjectAccessReview"), ("selfsubjectrulesreviews", "SelfSubjectRulesReview"))));
        app.MapGet($"/apis/{Authentication}/v1", () => ApiJson.Result(ResourceList(Authentication,
            ("selfsubjectreviews", "SelfSubjectReview"))));

        app.MapPost($"/apis/{Authorization}/v1/selfsubjectaccessreviews", async (HttpContext context) =>
        {
            var review = await ReadReviewAsync(context, Authorization, "SelfSubjectAccessReview").ConfigureAwait(false);
            var spec = review["spec"] as JsonObject;
            if (spec is null || (spec["resourceAttributes"] is null) == (spec["nonResourceAttributes"] is null))
            {
                throw ApiException.Invalid("SelfSubjectAccessReview.authorization.k8s.io", "",
                    "spec.resourceAttributes: exactly one of resourceAttributes and nonResourceAttributes must be specified");
            }

            review["status"] = new JsonObject { ["allowed"] = true, ["reason"] = AllowedReason };
            return ApiJson.Result(review, StatusCodes.Status201Created);
        });

        app.MapPost($"/apis/{Authorization}/v1/selfsubjectrulesreviews", async (HttpContext context) =>
        {
            var review = await ReadReviewAsync(context, Authorization, "SelfSubjectRulesReview").ConfigureAwait(false);
            review["status"] = new JsonObject
            {
                ["resourceRules"] = new JsonArray(new JsonObject
                {
                    ["verbs"] = new JsonArray("*"),
                    ["apiGroups"] = new JsonArray("*"),
                    ["resources"] = new JsonArray("*"),
                }),
                ["nonResourceRules"] = new JsonArray(new JsonObject
                {
                    ["verbs"] = new JsonArray("*"),
                    ["nonResourceURLs"] = new JsonArray("*"),
                }),
                ["incomplete"] = false,
            };
            return ApiJson.Result(review, StatusCodes.Status201Created);
        });

        app.MapPost($"/apis/{Authentication}/v1/selfsubjectreviews", async (HttpContext context) =>
        {
            var review = await ReadReviewAsync(context, Authentication, "SelfSubjectReview").ConfigureAwait(false);
            review["status"] = new JsonObject
            {
                ["userInfo"] = new JsonObject
                {
                    ["username"] = UserName,
                    ["groups"] = new JsonArray([.. UserGroups.Select(g => (JsonNode?)JsonValue.Create(g))]),
                },
            };
            return ApiJson.Result(review, StatusCodes.Status201Created);
        });
    }

    /// <summary>The discovery entries of the two review groups, for <c>/apis</c>.</summary>
    public static IEnumerable<V1APIGroup> Groups() => [Group(Authentication), Group(Authorization)];

    private static V1APIGroup Group(string name)
    {
        var version = new V1GroupVersionForDiscovery { GroupVersion = name + "/v1", Version = "v1" };
        return new V1APIGroup { ApiVersion = "v1", Kind = "APIGroup", Name = name, Versions = [version], PreferredVersion = version };
    }

    private static V1APIResourceList ResourceList(string group, params (string Plural, string Kind)[] resources) => new()
    {
        ApiVersion = "v1",
        Kind = "APIResourceList",
        GroupVersion = group + "/v1",
        Resources = [.. resources.Select(r => new V1APIResource { Name = r.Plural, SingularName = "", Namespaced = false, Kind = r.Kind, Verbs = ["create"] })],
    };

    // A review is never stored: the request comes back with its status filled, and creation metadata as upstream leaves it.
    private static async Task<JsonObject> ReadReviewAsync(HttpContext context, string group, string kind)
    {
        var review = await ApiJson.ReadObjectAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var apiVersion = review["apiVersion"]?.GetValue<string>();
        if (apiVersion is not null && apiVersion != group + "/v1")
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({group}/v1)");
        }

        review["apiVersion"] = group + "/v1";
        review["kind"] = kind;
        review["metadata"] ??= new JsonObject();
        review["metadata"]!["creationTimestamp"] = null;
        return review;
    }
}
