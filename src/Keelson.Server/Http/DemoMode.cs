namespace Keelson.Server.Http;

/// <summary>
/// The seed's <c>X-Demo-Mode</c> header: <c>true</c> selects the demo database and the sandbox, <c>false</c> the
/// production database and cluster. Every <c>/api/v1</c> request must say which; a request without it gets a 400.
/// </summary>
public sealed class DemoModeFilter : IEndpointFilter
{
    /// <summary>The header name.</summary>
    public const string Header = "X-Demo-Mode";

    private const string ItemKey = "keelson.demo";

    /// <summary>Whether the request is in demo mode (set by this filter before the endpoint runs).</summary>
    public static bool IsDemo(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(ItemKey, out var value) && value is true;
    }

    /// <inheritdoc/>
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var values = context.HttpContext.Request.Headers[Header];
        var text = values.Count == 1 ? values[0]?.Trim().ToLowerInvariant() : null;
        if (text is not ("true" or "false"))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: $"The {Header} header is required",
                detail: values.Count == 0
                    ? $"Send {Header}: true for the demo database and sandbox cluster, or {Header}: false for the production database and cluster."
                    : $"{Header} must be exactly true or false; got '{string.Join(",", values.ToArray())}'.",
                type: "https://keelson.dev/problems/demo-mode-required");
        }

        context.HttpContext.Items[ItemKey] = text == "true";
        return await next(context).ConfigureAwait(false);
    }
}
