namespace Keelson.Spec.Parsing;

/// <summary>Either a value or the located diagnostics that prevented it; never both.</summary>
public sealed record ParseResult<T>(T? Value, IReadOnlyList<Diagnostic> Diagnostics)
    where T : class
{
    /// <summary>Whether a value was produced.</summary>
    public bool Succeeded => Value is not null && Diagnostics.Count == 0;
}

/// <summary>Constructors of <see cref="ParseResult{T}"/>.</summary>
public static class ParseResult
{
    /// <summary>A success.</summary>
    public static ParseResult<T> Success<T>(T value)
        where T : class => new(value, []);

    /// <summary>A failure.</summary>
    public static ParseResult<T> Failure<T>(IReadOnlyList<Diagnostic> diagnostics)
        where T : class => new(null, diagnostics);
}
