using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Keelson.Sandbox.Server.Clock;

/// <summary>
/// Where a model keeps times, read from its properties: the JSON names of its <see cref="DateTime"/> fields
/// (metav1.Time and MicroTime) and of its fields holding further models or lists of them. Maps of strings
/// (labels, annotations, ConfigMap data) and JSON kept as is hold no times, so user data is never touched.
/// </summary>
internal sealed class TimeFields
{
    private static readonly ConcurrentDictionary<Type, TimeFields> Known = new();

    private TimeFields(IReadOnlySet<string> times, IReadOnlyDictionary<string, Type> nested)
    {
        Times = times;
        Nested = nested;
    }

    /// <summary>The JSON names of the time fields.</summary>
    public IReadOnlySet<string> Times { get; }

    /// <summary>The JSON names of fields holding a model (or a list of one), with that model's type.</summary>
    public IReadOnlyDictionary<string, Type> Nested { get; }

    /// <summary>The time fields of <paramref name="type"/>, worked out once per type.</summary>
    public static TimeFields Of(Type type) => Known.GetOrAdd(type, Read);

    private static TimeFields Read(Type type)
    {
        var times = new HashSet<string>(StringComparer.Ordinal);
        var nested = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name is not { } name)
            {
                continue;
            }

            var declared = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (declared == typeof(DateTime) || declared == typeof(DateTimeOffset))
            {
                times.Add(name);
            }
            else if (ModelOf(declared) is { } model)
            {
                nested[name] = model;
            }
        }

        return new TimeFields(times, nested);
    }

    // A model the walk descends into: a KubernetesClient (or Keelson) class, or a list of one; not strings,
    // dictionaries or JSON.
    private static Type? ModelOf(Type type)
    {
        if (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) && type.GetGenericArguments() is [var element])
        {
            return IsModel(element) ? element : null;
        }

        return IsModel(type) ? type : null;
    }

    private static bool IsModel(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type)
        && type.Namespace is { } ns && (ns.StartsWith("k8s", StringComparison.Ordinal) || ns.StartsWith("Keelson", StringComparison.Ordinal));
}
