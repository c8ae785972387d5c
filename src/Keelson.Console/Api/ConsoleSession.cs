namespace Keelson.Console.Api;

/// <summary>
/// What one browser tab's console works as: the mode in its URL, the API key the user gave (kept in the tab's
/// session storage, encrypted by ASP.NET Core data protection), and whether the browser itself is on loopback.
/// </summary>
public sealed class ConsoleSession
{
    /// <summary>The mode of the page shown, from the first segment of its path.</summary>
    public ConsoleMode Mode { get; private set; } = ConsoleMode.Demo;

    /// <summary>The key sent as <c>X-API-Key</c>; null sends none.</summary>
    public string? ApiKey { get; private set; }

    /// <summary>
    /// Whether the browser connected from loopback. The console's own calls always come from loopback, where the API
    /// lets demo requests without a key through; for a remote browser the console therefore refuses to call without a
    /// key rather than lend it the server's loopback.
    /// </summary>
    public bool BrowserOnLoopback { get; set; }

    /// <summary>Raised when the key or mode changes, so the header and pages redraw.</summary>
    public event Action? Changed;

    /// <summary>The URL path segment of a mode.</summary>
    public static string Segment(ConsoleMode mode) => mode == ConsoleMode.Production ? "production" : "demo";

    /// <summary>The mode a page path names (<c>production/…</c> or anything else: demo).</summary>
    public static ConsoleMode ModeOf(string relativePath) =>
        relativePath.StartsWith("production", StringComparison.OrdinalIgnoreCase) ? ConsoleMode.Production : ConsoleMode.Demo;

    /// <summary>Sets the mode from the page's path.</summary>
    public void SetMode(ConsoleMode mode)
    {
        if (Mode != mode)
        {
            Mode = mode;
            Changed?.Invoke();
        }
    }

    /// <summary>Sets (or with null or blank, forgets) the key.</summary>
    public void SetKey(string? key)
    {
        ApiKey = string.IsNullOrWhiteSpace(key) ? null : key.Trim();
        Changed?.Invoke();
    }
}
