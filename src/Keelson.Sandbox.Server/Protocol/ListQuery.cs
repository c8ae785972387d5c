using System.Globalization;
using k8s;
using k8s.Models;
using Keelson.Sandbox.Store;
using Microsoft.AspNetCore.Http;

namespace Keelson.Sandbox.Server.Protocol;

/// <summary>The query of a list or watch: selectors, where a watch starts, how long it lasts, and whether kubectl wants a Table.</summary>
public sealed record ListQuery(string? LabelSelector, FieldSelector Fields, bool Watch, long? ResourceVersion, TimeSpan? Timeout, TableRequest Table)
{
    /// <summary>Reads the query string and Accept header; a malformed selector or number is a 400.</summary>
    public static ListQuery From(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.Query;
        var labels = query["labelSelector"].ToString();
        try
        {
            // Parse once up front so a bad selector is a 400 rather than an error halfway through a watch.
            Selectors.Matches(labels, null);
        }
        catch (FormatException e)
        {
            throw ApiException.BadRequest(e.Message);
        }

        var watch = query["watch"].ToString() is "true" or "1";
        return new ListQuery(
            labels.Length == 0 ? null : labels,
            FieldSelector.Parse(query["fieldSelector"]),
            watch,
            Number(query["resourceVersion"].ToString(), "resourceVersion"),
            Number(query["timeoutSeconds"].ToString(), "timeoutSeconds") is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            TableRequest.From(request));
    }

    /// <summary>Whether a stored object (and its JSON form) passes both selectors.</summary>
    public bool Matches(IKubernetesObject<V1ObjectMeta> resource, System.Text.Json.Nodes.JsonNode json) =>
        Selectors.Matches(LabelSelector, resource.Metadata.Labels) && Fields.Matches(json);

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
