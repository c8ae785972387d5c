namespace Keelson.Operations.Caching;

/// <summary>Where the optional tenant cache lives; no connection string means no cache.</summary>
public sealed record RedisCacheOptions
{
    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6380</c>.</summary>
    public required string Connection { get; init; }

    /// <summary>Prefix of every key, e.g. <c>keelson:demo</c>; keeps databases sharing one Redis apart.</summary>
    public string KeyPrefix { get; init; } = "keelson";
}
