using Microsoft.Extensions.Options;

namespace Keelson.Server.Http;

/// <summary>
/// The seed's <c>X-Demo-Mode</c> header: <c>true</c> selects the demo database and the sandbox, <c>false</c> the
/// production database and cluster. A request without it gets the configured <see cref="ServerOptions.DefaultMode"/>
/// (demo unless configured), because the ECP-AI web UI omits the header on most calls; every answer says which mode
/// served it in <see cref="ModeHeader"/>.
/// </summary>
public sealed class DemoModeFilter(IOptions<ServerOptions> options) : IEndpointFilter
{
    /// <summary>The header name.</summary>
    public const string Header = "X-Demo-Mode";

    /// <summary>The response header naming the mode that served the request: <c>demo</c> or <c>production</c>.</summary>
    public const string ModeHeader = "X-Keelson-Mode";

    /// <summary>Where the filter keeps the request's mode in <see cref="HttpContext.Items"/>.</summary>
    internal const string ItemKey = "keelson.demo";

    /// <summary>Whether the request is in demo mode (set by this filter before the endpoint runs).</summary>
    public static bool IsDemo(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(ItemKey, out var value) && value is true;
    }

    /// <summary>
    /// The mode a header value selects: <c>true</c> or <c>false</c> in any letter case with surrounding spaces, as HTTP
    /// header values are usually compared; null for anything else.
    /// </summary>
    public static bool? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => null,
    };

    /// <inheritdoc/>
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var values = http.Request.Headers[Header];
        bool demo;
        if (values.Count == 0)
        {
            demo = options.Value.DefaultMode == ServerMode.Demo;
        }
        else if (values.Count == 1 && Parse(values[0]) is { } sent)
        {
            demo = sent;
        }
        else
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: $"The {Header} header must be true or false",
                detail: $"{Header} must be true (the demo database and sandbox cluster) or false (the production database and cluster), once; got '{string.Join(",", values.ToArray())}'. Without the header the server's default mode ({Name(options.Value.DefaultMode == ServerMode.Demo)}) applies.",
                type: "https://keelson.dev/problems/demo-mode-invalid");
        }

        // Pinning only ever moves a request to demo, where the usual key rules still apply, so a forged Origin gains nothing.
        demo = demo || IsDemoOrigin(http, options.Value);
        http.Items[ItemKey] = demo;
        http.Response.Headers[ModeHeader] = Name(demo);
        return await next(context).ConfigureAwait(false);
    }

    /// <summary>Whether the request comes from a browser origin listed in <see cref="ServerOptions.DemoOrigins"/>.</summary>
    public static bool IsDemoOrigin(HttpContext context, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var origin = context.Request.Headers.Origin.ToString();
        return origin.Length > 0 && options.DemoOrigins.Any(o => string.Equals(o.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));
    }

    private static string Name(bool demo) => demo ? "demo" : "production";
}
