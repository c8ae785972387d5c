using System.Globalization;

namespace Keelson.Spec.Parsing;

/// <summary>A problem found in a spec or its plan, located by file, line, column and field path.</summary>
/// <param name="Code">Stable identifier, e.g. <c>KS002</c>.</param>
/// <param name="File">The file the spec came from.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Path">Field path, e.g. <c>components[2].sessions</c>.</param>
/// <param name="Message">What is wrong and what is allowed.</param>
public sealed record Diagnostic(string Code, string File, int Line, int Column, string Path, string Message)
{
    /// <summary>The compiler-style one-line form; control characters from the input (a newline in a quoted value) are escaped so it stays one line.</summary>
    public override string ToString() =>
        OneLine.Escape(string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}: error {Code}: {(Path.Length == 0 ? "" : Path + ": ")}{Message}"));
}

/// <summary>Stable diagnostic codes.</summary>
public static class DiagnosticCodes
{
    /// <summary>The file is not well-formed YAML or JSON.</summary>
    public const string Syntax = "KS001";

    /// <summary>A field that the format does not have.</summary>
    public const string UnknownField = "KS002";

    /// <summary>A required field is missing.</summary>
    public const string MissingField = "KS003";

    /// <summary>A value of the wrong type or syntax.</summary>
    public const string InvalidValue = "KS004";

    /// <summary>A value outside the allowed set or range.</summary>
    public const string OutOfRange = "KS005";

    /// <summary>Fields that cannot be given together, or a needed one of several.</summary>
    public const string Conflict = "KS006";

    /// <summary>A reference to something that does not exist.</summary>
    public const string UnknownReference = "KS007";

    /// <summary>A name used twice.</summary>
    public const string Duplicate = "KS008";

    /// <summary>The file cannot be read.</summary>
    public const string Io = "KS009";

    /// <summary>A well-formed stack that cannot be planned on its cluster.</summary>
    public const string Unplannable = "KP001";

    /// <summary>A pool would need more nodes than its maximum.</summary>
    public const string PoolTooSmall = "KP002";
}

/// <summary>Builds diagnostics located through a parsed stack's recorded positions.</summary>
public static class StackDiagnostics
{
    /// <summary>A diagnostic at <paramref name="path"/> of <paramref name="spec"/>, or its nearest written ancestor.</summary>
    public static Diagnostic At(Model.StackSpec spec, string code, string path, string message)
    {
        var found = PathLocator.TryFind(spec.Positions, path, out var position);
        return new Diagnostic(code, spec.Source, found ? position.Line : 1, found ? position.Column : 1, path, message);
    }
}
