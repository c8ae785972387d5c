namespace Keelson.Console.Api;

/// <summary>Which database and cluster the console works on; always named in the page's URL (<c>/demo/…</c>, <c>/production/…</c>).</summary>
public enum ConsoleMode
{
    /// <summary>The demo database and the sandbox cluster (<c>X-Demo-Mode: true</c>).</summary>
    Demo,

    /// <summary>The production database and cluster (<c>X-Demo-Mode: false</c>); the API always wants a key.</summary>
    Production,
}
