using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Keelson.Rendering.Output;

namespace Keelson.Rendering.Tests.Output;

/// <summary>
/// Evaluates exactly the part of Helm's template language Keelson's charts may use, and refuses anything
/// else: <c>{{ .Values.a.b }}</c>, <c>{{ .Values.a.b | quote }}</c>, <c>{{- toYaml .Values.a.b | nindent N }}</c>,
/// whole-file <c>{{- if .Values.x.enabled }}</c> … <c>{{- end }}</c>, and raw strings <c>{{`…`}}</c>. There is no Helm binary here; this
/// stands in for <c>helm template</c> on the subset, with Helm's whitespace-trimming rules.
/// </summary>
internal static partial class HelmSubset
{
    [GeneratedRegex(@"\{\{(?:`(?<raw>[^`]*)`|(?<left>-?)\s*(?<expr>.*?)\s*(?<right>-?))\}\}", RegexOptions.Singleline)]
    private static partial Regex Action();

    [GeneratedRegex(@"^\.Values((?:\.[A-Za-z][A-Za-z0-9]*)+)(?:\s*\|\s*quote)?$")]
    private static partial Regex ValueExpression();

    [GeneratedRegex(@"^toYaml \.Values((?:\.[A-Za-z][A-Za-z0-9]*)+) \| nindent ([0-9]+)$")]
    private static partial Regex BlockExpression();

    [GeneratedRegex(@"^if \.Values((?:\.[A-Za-z][A-Za-z0-9]*)+)$")]
    private static partial Regex IfExpression();

    public static string Render(string template, JsonNode values)
    {
        var output = new StringBuilder();
        var keep = new Stack<bool>();
        var position = 0;
        foreach (Match action in Action().Matches(template))
        {
            var before = template[position..action.Index];
            if (action.Groups["raw"].Success)
            {
                if (keep.All(k => k))
                {
                    output.Append(before).Append(action.Groups["raw"].Value);
                }

                position = action.Index + action.Length;
                continue;
            }

            if (action.Groups["left"].Value == "-")
            {
                before = before.TrimEnd();
            }

            if (keep.All(k => k))
            {
                output.Append(before);
            }

            position = action.Index + action.Length;
            if (action.Groups["right"].Value == "-")
            {
                while (position < template.Length && char.IsWhiteSpace(template[position]))
                {
                    position++;
                }
            }

            var expression = action.Groups["expr"].Value;
            if (IfExpression().Match(expression) is { Success: true } condition)
            {
                keep.Push(Lookup(values, condition.Groups[1].Value)?.GetValue<bool>() == true);
            }
            else if (expression == "end")
            {
                keep.Pop();
            }
            else if (!keep.All(k => k))
            {
                continue;
            }
            else if (BlockExpression().Match(expression) is { Success: true } block)
            {
                var width = int.Parse(block.Groups[2].Value, CultureInfo.InvariantCulture);
                var yaml = ManifestYaml.Document((JsonObject)Lookup(values, block.Groups[1].Value)!.DeepClone()).TrimEnd('\n');
                output.Append('\n').Append(string.Join('\n', yaml.Split('\n').Select(l => new string(' ', width) + l)));
            }
            else if (ValueExpression().Match(expression) is { Success: true } value)
            {
                var node = Lookup(values, value.Groups[1].Value) ?? throw new InvalidOperationException($"No value at {expression}.");
                var text = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
                output.Append(expression.EndsWith("quote", StringComparison.Ordinal) ? JsonSerializer.Serialize(text) : text);
            }
            else
            {
                throw new InvalidOperationException($"'{{{{ {expression} }}}}' is outside the template subset Keelson's charts may use.");
            }
        }

        output.Append(template[position..]);
        return output.ToString();
    }

    private static JsonNode? Lookup(JsonNode values, string path)
    {
        var node = values;
        foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node?[part];
        }

        return node;
    }
}
