using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Keelson.Sandbox.Server.Protocol;

/// <summary>How unknown and duplicate fields in a body are treated (<c>fieldValidation</c>).</summary>
public enum FieldValidationDirective
{
    /// <summary>Dropped silently.</summary>
    Ignore,

    /// <summary>Dropped, with a <c>Warning</c> header each (the default since Kubernetes 1.27).</summary>
    Warn,

    /// <summary>The request fails.</summary>
    Strict,
}

/// <summary>
/// The options every write verb takes from its query string (<c>CreateOptions</c>, <c>UpdateOptions</c>,
/// <c>PatchOptions</c>, <c>DeleteOptions</c>): <c>dryRun</c> and <c>fieldValidation</c>. Invalid values are refused
/// as the API server refuses them: a 422 naming the options kind, the parameter and the supported values.
/// </summary>
/// <param name="DryRun">Whether <c>dryRun=All</c> was asked: everything runs but nothing is stored.</param>
/// <param name="Validation">The field validation directive.</param>
/// <param name="FieldManager">The <c>fieldManager</c> the request named, or null.</param>
/// <param name="Force">Whether <c>force=true</c> was asked (server-side apply only).</param>
/// <param name="UserAgent">The client's User-Agent, whose product name stands in for a missing field manager.</param>
public sealed record WriteOptions(bool DryRun, FieldValidationDirective Validation, string? FieldManager = null, bool Force = false, string UserAgent = "")
{
    private const int MaxFieldManagerLength = 128;

    /// <summary>The options of a request that sets none.</summary>
    public static WriteOptions Default { get; } = new(false, FieldValidationDirective.Warn);

    /// <summary>
    /// The manager a write is recorded under in <c>managedFields</c>: the <c>fieldManager</c> given, else the
    /// User-Agent up to its first <c>/</c> (<c>kubectl</c>, <c>OpenAPI-Generator</c>), as the API server defaults it.
    /// </summary>
    public string Manager => FieldManager ?? UserAgent.Split('/')[0];

    /// <summary>Reads the query string of a request whose options are of <paramref name="optionsKind"/> (e.g. <c>CreateOptions</c>).</summary>
    public static WriteOptions From(HttpRequest request, string optionsKind)
    {
        ArgumentNullException.ThrowIfNull(request);
        var dryRun = request.Query["dryRun"].Select(v => v ?? "").ToList();
        var manager = request.Query["fieldManager"].ToString();
        if (manager.Length > MaxFieldManagerLength)
        {
            throw Invalid(optionsKind, $"fieldManager: Too long: may not be more than {MaxFieldManagerLength} bytes");
        }

        var force = request.Query["force"].ToString();
        return new WriteOptions(
            ParseDryRun(dryRun, optionsKind),
            ParseValidation(request.Query["fieldValidation"].ToString(), optionsKind),
            manager.Length == 0 ? null : manager,
            force.Length > 0 && (bool.TryParse(force, out var forced) ? forced : force == "1"),
            request.Headers.UserAgent.ToString());
    }

    /// <summary>The 422 the API server answers for options that do not go together (<c>fieldManager</c> missing on an apply...).</summary>
    public static ApiException Invalid(string optionsKind, string detail) =>
        new(StatusCodes.Status422UnprocessableEntity, "Invalid", $"{optionsKind}.meta.k8s.io \"\" is invalid: {detail}", "", optionsKind);

    /// <summary>These options with the <c>dryRun</c> of a <c>DeleteOptions</c> body (what kubectl sends) added.</summary>
    public WriteOptions WithBody(JsonObject? deleteOptions)
    {
        if (deleteOptions?["dryRun"] is not JsonArray values)
        {
            return this;
        }

        var dryRun = values.Select(v => v is JsonValue value && value.TryGetValue<string>(out var text) ? text : "").ToList();
        return this with { DryRun = DryRun || ParseDryRun(dryRun, "DeleteOptions") };
    }

    /// <summary>Whether <paramref name="values"/> asks for a dry run; anything but <c>All</c> is a 422.</summary>
    public static bool ParseDryRun(IReadOnlyList<string> values, string optionsKind)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Any(v => v != "All"))
        {
            var list = string.Join(", ", values.Select(v => $"\"{v}\""));
            throw Invalid(optionsKind, $"dryRun: Unsupported value: []string{{{list}}}: supported values: \"All\"");
        }

        return values.Count > 0;
    }

    /// <summary>The directive of a <c>fieldValidation</c> value; empty is Warn, anything unknown is a 422.</summary>
    public static FieldValidationDirective ParseValidation(string value, string optionsKind) => value switch
    {
        "" or "Warn" => FieldValidationDirective.Warn,
        "Strict" => FieldValidationDirective.Strict,
        "Ignore" => FieldValidationDirective.Ignore,
        _ => throw Invalid(optionsKind, $"fieldValidation: Unsupported value: \"{value}\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\""),
    };
}
