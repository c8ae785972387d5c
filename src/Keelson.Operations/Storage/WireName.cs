using System.Collections.Frozen;
using System.Text.Json;

namespace Keelson.Operations.Storage;

/// <summary>Enum values as they are stored and sent: snake_case lower (<c>RolledBack</c> ↔ <c>rolled_back</c>).</summary>
public static class WireName
{
    /// <summary>The stored name of <paramref name="value"/>.</summary>
    public static string Of<T>(T value)
        where T : struct, Enum => Names<T>.ToText[value];

    /// <summary>The enum value stored as <paramref name="text"/>; throws naming the allowed values otherwise.</summary>
    public static T Parse<T>(string text)
        where T : struct, Enum =>
        Names<T>.FromText.TryGetValue(text, out var value)
            ? value
            : throw new FormatException($"'{text}' is not a {typeof(T).Name}; allowed: {string.Join(", ", Names<T>.FromText.Keys.Order(StringComparer.Ordinal))}.");

    private static class Names<T>
        where T : struct, Enum
    {
        public static readonly FrozenDictionary<T, string> ToText =
            Enum.GetValues<T>().ToFrozenDictionary(v => v, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));

        public static readonly FrozenDictionary<string, T> FromText =
            ToText.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }
}
