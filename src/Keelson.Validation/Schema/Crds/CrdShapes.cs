using k8s.Models;

namespace Keelson.Validation.Schema.Crds;

/// <summary>
/// The small language the custom resource schemas are written in: scalars, enums, lists, maps, objects whose required
/// fields end in <c>!</c>, and KubernetesClient models for the core types a CRD embeds (selectors, volumes, containers).
/// </summary>
internal static class CrdShapes
{
    /// <summary>A string; a plain number or boolean is not one.</summary>
    public static Shape Str { get; } = Shape.Scalar(ShapeKind.String, "string");

    /// <summary>A plain integer.</summary>
    public static Shape Int { get; } = Shape.Scalar(ShapeKind.Integer, "integer");

    /// <summary>A plain number.</summary>
    public static Shape Num { get; } = Shape.Scalar(ShapeKind.Number, "number");

    /// <summary>A plain boolean.</summary>
    public static Shape Bool { get; } = Shape.Scalar(ShapeKind.Boolean, "boolean");

    /// <summary>A number or a string (<c>x-kubernetes-int-or-string</c>).</summary>
    public static Shape IntOrStr { get; } = Shape.Scalar(ShapeKind.IntOrString, "int-or-string");

    /// <summary>A Kubernetes resource quantity.</summary>
    public static Shape Quantity { get; } = Shape.Scalar(ShapeKind.Quantity, "quantity");

    /// <summary>A Prometheus duration string.</summary>
    public static Shape Duration { get; } = Shape.Scalar(ShapeKind.Duration, "duration");

    /// <summary>Anything: a part of the CRD not described here, or one that preserves unknown fields.</summary>
    public static Shape Any { get; } = Shape.Scalar(ShapeKind.Any, "any");

    /// <summary>A list of strings.</summary>
    public static Shape Strings { get; } = ListOf(Str);

    /// <summary>A mapping of strings to strings (labels, annotations, configuration).</summary>
    public static Shape StringMap { get; } = MapOf(Str);

    /// <summary>A string from a closed set.</summary>
    public static Shape Enum(params string[] allowed) => Shape.Scalar(ShapeKind.String, "string", allowed);

    /// <summary>A list of <paramref name="item"/>.</summary>
    public static Shape ListOf(Shape item) => Shape.Of(ShapeKind.List, item);

    /// <summary>A mapping of string keys to <paramref name="item"/>.</summary>
    public static Shape MapOf(Shape item) => Shape.Of(ShapeKind.Map, item);

    /// <summary>A core Kubernetes type, walked through its KubernetesClient model.</summary>
    public static Shape Model<T>() => Shape.Of(typeof(T));

    /// <summary>The standard object metadata.</summary>
    public static Shape Metadata { get; } = Model<V1ObjectMeta>();

    /// <summary>An object; a field name ending in <c>!</c> is required.</summary>
    public static Shape Obj(string typeName, params (string Name, Shape Shape)[] fields) => Obj(typeName, [], fields);

    /// <summary>An object with groups of fields of which exactly one must be set.</summary>
    public static Shape Obj(string typeName, string[][] exactlyOne, params (string Name, Shape Shape)[] fields) => Shape.Object(
        typeName,
        [.. fields.Select(f => (f.Name.TrimEnd('!'), f.Shape))],
        [.. fields.Where(f => f.Name.EndsWith('!')).Select(f => f.Name[..^1])],
        exactlyOne);

    /// <summary>A top-level custom resource: apiVersion, kind, metadata, the spec and an unchecked status.</summary>
    public static Shape Resource(string kind, Shape spec, bool specRequired = true) =>
        Obj(kind, ("apiVersion", Str), ("kind", Str), ("metadata", Metadata), (specRequired ? "spec!" : "spec", spec), ("status", Any));
}
