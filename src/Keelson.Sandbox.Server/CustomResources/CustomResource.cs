using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Server.CustomResources;

/// <summary>What a CustomResourceDefinition says about one served version of its kind, beyond its place in the API.</summary>
/// <param name="Definition">The definition's name, <c>plural.group</c>.</param>
/// <param name="Schema">The version's structural <c>openAPIV3Schema</c>.</param>
/// <param name="Columns">The version's <c>additionalPrinterColumns</c>; empty prints NAME and AGE.</param>
/// <param name="Categories">The categories (<c>kubectl get all</c> takes <c>all</c>).</param>
/// <param name="Singular">The singular name.</param>
/// <param name="ListKind">The kind of lists.</param>
/// <param name="Status">Whether the version declares <c>subresources.status</c>: status is then written only through <c>/status</c>.</param>
public sealed record CustomResource(string Definition, JsonObject Schema, IReadOnlyList<PrinterColumn> Columns, IReadOnlyList<string> Categories, string Singular, string ListKind, bool Status = false);

/// <summary>One <c>additionalPrinterColumns</c> entry.</summary>
/// <param name="Name">The header.</param>
/// <param name="Type">integer, number, string, boolean or date (shown as an age).</param>
/// <param name="Format">The OpenAPI format, or empty.</param>
/// <param name="Description">What the column shows.</param>
/// <param name="Priority">0 always shown, more only with <c>-o wide</c>.</param>
/// <param name="JsonPath">A simple JSONPath into the object, e.g. <c>.spec.replicas</c>.</param>
public sealed record PrinterColumn(string Name, string Type, string Format, string Description, int Priority, string JsonPath);
