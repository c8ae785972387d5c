using System.Globalization;

namespace Keelson.Sandbox.Scheduling;

/// <summary>Operators of label selector and node selector requirements.</summary>
internal enum SelectorOperator
{
    In,
    NotIn,
    Exists,
    DoesNotExist,
    Gt,
    Lt,
}

/// <summary>One compiled requirement of a label or node selector: a key, an operator and its values.</summary>
internal readonly record struct LabelRequirement(string Key, SelectorOperator Operator, string[] Values, long Number)
{
    /// <summary>
    /// Compiles a requirement; the operator names are the API's. Returns null for an operator the API does not
    /// define, or Gt/Lt without exactly one integer, which Kubernetes rejects at admission.
    /// </summary>
    public static LabelRequirement? Compile(string key, string op, IList<string>? values, bool allowNumeric)
    {
        var list = values is null ? [] : values.ToArray();
        SelectorOperator? parsed = op switch
        {
            "In" => SelectorOperator.In,
            "NotIn" => SelectorOperator.NotIn,
            "Exists" => SelectorOperator.Exists,
            "DoesNotExist" => SelectorOperator.DoesNotExist,
            "Gt" when allowNumeric => SelectorOperator.Gt,
            "Lt" when allowNumeric => SelectorOperator.Lt,
            _ => null,
        };
        if (parsed is not { } known)
        {
            return null;
        }

        long number = 0;
        if (known is SelectorOperator.Gt or SelectorOperator.Lt
            && (list.Length != 1 || !long.TryParse(list[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number)))
        {
            return null;
        }

        return new LabelRequirement(key, known, list, number);
    }

    /// <summary>Whether a label value (null when the label is absent) satisfies the requirement.</summary>
    public bool Matches(string? value) => Operator switch
    {
        SelectorOperator.In => value is not null && Array.IndexOf(Values, value) >= 0,
        SelectorOperator.NotIn => value is null || Array.IndexOf(Values, value) < 0,
        SelectorOperator.Exists => value is not null,
        SelectorOperator.DoesNotExist => value is null,
        SelectorOperator.Gt => TryNumber(value, out var n) && n > Number,
        SelectorOperator.Lt => TryNumber(value, out var n) && n < Number,
        _ => false,
    };

    /// <summary>A stable text form, so equal selectors share one counter in the snapshot.</summary>
    public string Canonical() =>
        $"{Key} {Operator} ({string.Join(",", Values.Order(StringComparer.Ordinal))})";

    private static bool TryNumber(string? value, out long number)
    {
        number = 0;
        return value is not null && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number);
    }
}
