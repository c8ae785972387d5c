using System.Globalization;
using k8s;
using k8s.Models;
using Keelson.Sandbox.Server.Resources;
using Keelson.Sandbox.Store;
using Microsoft.AspNetCore.Http;

namespace Keelson.Sandbox.Server.Protocol;

/// <summary>
/// The query of a list or watch: selectors, paging (<c>limit</c>, <c>continue</c>), where a watch starts, how long it
/// lasts, and whether kubectl wants a Table.
/// </summary>
public sealed record ListQuery(string? LabelSelector, FieldSelector Fields, bool Watch, long? ResourceVersion, TimeSpan? Timeout, TableRequest Table)
{
    /// <summary>At most this many objects per page (<c>limit</c>); null lists everything.</summary>
    public long? Limit { get; init; }

    /// <summary>Where this page starts (<c>continue</c>), or null for the first page.</summary>
    public ContinueToken? Continue { get; init; }

    /// <summary>Reads the query string and Accept header for a list of <paramref name="resource"/>; a malformed parameter is a 400.</summary>
    public static ListQuery From(HttpRequest request, ApiResource resource)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(resource);
        var query = request.Query;
        var labels = query["labelSelector"].ToString();
        try
        {
            // Parse once up front so a bad selector is a 400 rather than an error halfway through a watch.
            Selectors.Matches(labels, null);
        }
        catch (FormatException e)
        {
            throw ApiException.BadRequest($"unable to parse requirement: {e.Message}");
        }

        var token = query["continue"].ToString();
        return new ListQuery(
            labels.Length == 0 ? null : labels,
            FieldSelector.Parse(query["fieldSelector"], FieldLabels.Of(resource.Group, resource.Kind)),
            Flag(query.TryGetValue("watch", out var watch) ? watch.ToString() : null),
            Number(query["resourceVersion"].ToString(), "resourceVersion"),
            Number(query["timeoutSeconds"].ToString(), "timeoutSeconds") is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            TableRequest.From(request))
        {
            Limit = Number(query["limit"].ToString(), "limit") is { } limit and > 0 ? limit : null,
            Continue = token.Length == 0 ? null : ContinueToken.Decode(token),
        };
    }

    /// <summary>
    /// A boolean query parameter as the API server reads it: absent, <c>0</c> or <c>false</c> (any case) is false,
    /// anything else true — so <c>true</c>, <c>True</c>, <c>1</c> and <c>t</c> all start a watch.
    /// </summary>
    public static bool Flag(string? value) => value is not null && value != "0" && !value.Equals("false", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a stored object (and its JSON form) passes both selectors.</summary>
    public bool Matches(IKubernetesObject<V1ObjectMeta> resource, System.Text.Json.Nodes.JsonNode json) =>
        Selectors.Matches(LabelSelector, resource.Metadata.Labels) && Fields.Matches(json);

    /// <summary>Whether either selector narrows the list (the API server then gives no remaining item count).</summary>
    public bool Selective => LabelSelector is not null || !Fields.IsEmpty;

    private static long? Number(string text, string parameter) =>
        text.Length == 0 ? null
        : long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value
        : throw ApiException.BadRequest($"{parameter} must be a non-negative integer, got '{text}'");
}

/// <summary>Whether the client asked for a <c>meta.k8s.io/v1 Table</c>, and with whole objects or only their metadata.</summary>
public sealed record TableRequest(bool Wanted, bool IncludeObject)
{
    /// <summary>From the Accept header (<c>as=Table</c>) and <c>includeObject</c>.</summary>
    public static TableRequest From(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accept = request.Headers.Accept.ToString();
        return new TableRequest(accept.Contains("as=Table", StringComparison.Ordinal), request.Query["includeObject"].ToString() == "Object");
    }
}
