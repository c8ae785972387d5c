using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Keelson.Validation.Schema;

/// <summary>What a field of a <c>KubernetesClient</c> model accepts.</summary>
internal enum ShapeKind
{
    /// <summary>Anything (<c>object</c>, <c>JsonElement</c>).</summary>
    Any,

    /// <summary>A string; a plain number or boolean is not one.</summary>
    String,

    /// <summary>A resource quantity such as <c>250m</c> or <c>2Gi</c>.</summary>
    Quantity,

    /// <summary>Any scalar.</summary>
    IntOrString,

    /// <summary>A plain boolean.</summary>
    Boolean,

    /// <summary>A plain integer.</summary>
    Integer,

    /// <summary>A plain number.</summary>
    Number,

    /// <summary>Any scalar, read as a string (dates, base64 bytes).</summary>
    Scalar,

    /// <summary>A mapping of string keys to <see cref="Shape.Item"/>.</summary>
    Map,

    /// <summary>A list of <see cref="Shape.Item"/>.</summary>
    List,

    /// <summary>A model object with named fields.</summary>
    Object,

    /// <summary>A Prometheus duration string such as <c>30s</c> or <c>1h30m</c> (custom resources only).</summary>
    Duration,
}

/// <summary>
/// A model type compiled once for the schema walk: its kind, its item shape, or its fields by JSON name.
/// Reflecting over the models per node made the walk a third of validation time.
/// </summary>
internal sealed class Shape
{
    private static readonly ConcurrentDictionary<Type, Shape> Compiled = new();
    private static readonly ObjectFields NoFields = new(FrozenDictionary<string, Shape>.Empty, []);

    // A model object's fields are reflected on first use: compiling the whole graph under a kind (a Deployment
    // reaches hundreds of types) cost every CLI call a quarter of a second, and most of it is never walked.
    private readonly Type? _model;
    private ObjectFields? _fields;

    private Shape(ShapeKind kind, string typeName, Type? model = null)
    {
        Kind = kind;
        TypeName = typeName;
        _model = model;
        _fields = model is null ? NoFields : null;
    }

    /// <summary>What the field accepts.</summary>
    public ShapeKind Kind { get; }

    /// <summary>The model type's name, for messages.</summary>
    public string TypeName { get; }

    /// <summary>The shape of list items or mapping values.</summary>
    public Shape? Item { get; private set; }

    /// <summary>An object's fields by JSON name.</summary>
    public FrozenDictionary<string, Shape> Fields => (_fields ?? Expand()).Fields;

    /// <summary>An object's field names in declaration order, for "did you mean".</summary>
    public IReadOnlyList<string> FieldNames => (_fields ?? Expand()).Names;

    /// <summary>Fields an object must have; the generated models carry none, custom resource schemas do.</summary>
    public IReadOnlyList<string> Required { get; private init; } = [];

    /// <summary>Groups of fields of which an object must have exactly one (a rule's <c>alert</c> or <c>record</c>).</summary>
    public IReadOnlyList<string[]> ExactlyOne { get; private init; } = [];

    /// <summary>The closed set of values a string accepts, or null for any string.</summary>
    public IReadOnlyList<string>? Allowed { get; private init; }

    /// <summary>A scalar shape described by hand, optionally with a closed set of values.</summary>
    public static Shape Scalar(ShapeKind kind, string typeName, IReadOnlyList<string>? allowed = null) =>
        new(kind, typeName) { Allowed = allowed };

    /// <summary>A list or mapping of <paramref name="item"/> described by hand.</summary>
    public static Shape Of(ShapeKind kind, Shape item) =>
        kind is ShapeKind.List or ShapeKind.Map ? new(kind, item.TypeName) { Item = item } : throw new ArgumentOutOfRangeException(nameof(kind), kind, "only lists and maps have items");

    /// <summary>An object described by hand: its fields in order, the required ones, and exactly-one groups.</summary>
    public static Shape Object(string typeName, IReadOnlyList<(string Name, Shape Shape)> fields, IReadOnlyList<string> required, IReadOnlyList<string[]> exactlyOne) => new(ShapeKind.Object, typeName)
    {
        _fields = new ObjectFields(fields.ToFrozenDictionary(f => f.Name, f => f.Shape, StringComparer.Ordinal), [.. fields.Select(f => f.Name)]),
        Required = required,
        ExactlyOne = exactlyOne,
    };

    /// <summary>The compiled shape of a model type; compiled on first use, shared afterwards.</summary>
    public static Shape Of(Type type)
    {
        if (Compiled.TryGetValue(type, out var shape))
        {
            return shape;
        }

        var plain = Nullable.GetUnderlyingType(type) ?? type;
        var kind = KindOf(plain);
        shape = new Shape(kind, plain.Name, kind == ShapeKind.Object ? plain : null);
        if (kind is ShapeKind.Map or ShapeKind.List)
        {
            // Item shapes are registered objects themselves, so self-referencing models (JSONSchemaProps) end.
            shape.Item = Of((kind == ShapeKind.Map ? DictionaryValue(plain) : ListItem(plain))!);
        }

        return Compiled.GetOrAdd(type, shape);
    }

    // Two threads may reflect the same type at once; both build equal tables and one wins, which is harmless.
    private ObjectFields Expand()
    {
        var fields = _model!.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name, p.PropertyType))
            .Where(p => p.Name is not null)
            .ToList();
        var expanded = new ObjectFields(fields.ToFrozenDictionary(f => f.Name!, f => Of(f.PropertyType), StringComparer.Ordinal), [.. fields.Select(f => f.Name!)]);
        return Interlocked.CompareExchange(ref _fields, expanded, null) ?? expanded;
    }

    private static ShapeKind KindOf(Type type) =>
        type == typeof(object) || type == typeof(System.Text.Json.JsonElement) ? ShapeKind.Any
        : type == typeof(string) ? ShapeKind.String
        : type == typeof(ResourceQuantity) ? ShapeKind.Quantity
        : type == typeof(IntOrString) ? ShapeKind.IntOrString
        : type == typeof(bool) ? ShapeKind.Boolean
        : type == typeof(int) || type == typeof(long) ? ShapeKind.Integer
        : type == typeof(double) || type == typeof(float) ? ShapeKind.Number
        : type == typeof(DateTime) || type == typeof(byte[]) ? ShapeKind.Scalar
        : DictionaryValue(type) is not null ? ShapeKind.Map
        : ListItem(type) is not null ? ShapeKind.List
        : ShapeKind.Object;

    private static Type? DictionaryValue(Type type) =>
        type.IsGenericType && type.GetGenericArguments() is [var key, var value] && key == typeof(string)
            && typeof(IEnumerable).IsAssignableFrom(type) && type.GetInterfaces().Append(type).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>))
            ? value
            : null;

    private static Type? ListItem(Type type) =>
        type != typeof(string) && type.IsGenericType && type.GetGenericArguments() is [var item]
            && type.GetInterfaces().Append(type).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            ? item
            : null;
}

/// <summary>A model object's fields by JSON name and in declaration order.</summary>
internal sealed record ObjectFields(FrozenDictionary<string, Shape> Fields, IReadOnlyList<string> Names);
