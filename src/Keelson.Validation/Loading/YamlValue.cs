using YamlDotNet.Core;

namespace Keelson.Validation.Loading;

/// <summary>A scalar as written: its text and its style, so a plain <c>yes</c> or <c>123</c> can be told from a quoted one.</summary>
public sealed class YamlValue : YamlElement
{
    /// <summary>A scalar at a position.</summary>
    internal YamlValue(string value, ScalarStyle style, int line, int column)
        : base(line, column)
    {
        Value = value;
        Style = style;
    }

    /// <summary>The text, after YAML unescaping and folding; empty for an empty value.</summary>
    public string Value { get; }

    /// <summary>How the scalar was written: plain, quoted, literal or folded.</summary>
    public ScalarStyle Style { get; }

    /// <summary>Whether the scalar is unquoted, so YAML typing (numbers, booleans, null) applies to it.</summary>
    public bool IsPlain => Style == ScalarStyle.Plain;

    /// <summary>Whether the scalar is a YAML null: a plain empty value, <c>~</c> or <c>null</c>.</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null";

    /// <inheritdoc/>
    public override string ToString() => Value;
}
