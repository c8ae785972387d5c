using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keelson.Validation.Reporting;

/// <summary>Writes a validation report for people (text grouped by object) or machines (JSON in the ECP-AI shape).</summary>
public static class ReportWriter
{
    /// <summary>Text: findings grouped by file and object, then the resource summary.</summary>
    public static string Text(ValidationReport report, ResourceSummary summary)
    {
        var text = new StringBuilder();
        foreach (var group in report.Findings.GroupBy(f => (f.File, Target: f.Target?.ToString() ?? "")))
        {
            text.Append(group.Key.File);
            if (group.Key.Target.Length > 0)
            {
                text.Append(": ").Append(group.Key.Target);
            }

            text.Append('\n');
            foreach (var f in group)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {f.Line,5}  {Label(f.Severity),-7} {f.CheckId}: {f.Message}");
                if (f.Path.Length > 0)
                {
                    text.Append(" (").Append(f.Path).Append(')');
                }

                text.Append("\n         fix: ").Append(f.Hint).Append('\n');
            }
        }

        var errors = report.Findings.Count(f => f.Severity == Severity.Error);
        var warnings = report.Findings.Count(f => f.Severity == Severity.Warning);
        text.Append(CultureInfo.InvariantCulture, $"\n{report.Documents.Count} object(s): {errors} error(s), {warnings} warning(s).\n");
        text.Append(CultureInfo.InvariantCulture, $"Requests: {summary.Cpu} CPU, {summary.Memory.Display()} memory, {summary.Gpus} GPU, {summary.Storage.Display()} storage; ");
        text.Append(CultureInfo.InvariantCulture, $"about ${summary.MonthlyUsd:#,##0}/month on {string.Join(", ", summary.Nodes.Select(n => $"{n.Value} {n.Key} node(s)"))}.\n");
        return text.ToString();
    }

    /// <summary>JSON: the seed's <c>valid</c>, <c>warnings</c>, <c>errors</c> and <c>resource_summary</c>, plus every finding.</summary>
    public static string Json(ValidationReport report, ResourceSummary summary)
    {
        static string Line(Finding f) => f.Target is null ? $"{f.File}:{f.Line}: {f.Message}" : $"{f.Target}: {f.Message}";
        var json = new JsonObject
        {
            ["valid"] = report.Valid,
            ["warnings"] = new JsonArray([.. report.Findings.Where(f => f.Severity == Severity.Warning).Select(f => (JsonNode)Line(f))]),
            ["errors"] = new JsonArray([.. report.Findings.Where(f => f.Severity == Severity.Error).Select(f => (JsonNode)Line(f))]),
            ["resource_summary"] = new JsonObject
            {
                ["total_cpu"] = $"{summary.Cpu.Value}m",
                ["total_memory"] = summary.Memory.ToString(),
                ["total_gpu"] = summary.Gpus,
                ["total_storage"] = summary.Storage.ToString(),
                ["estimated_cost"] = string.Create(CultureInfo.InvariantCulture, $"${summary.MonthlyUsd:0}/month"),
                ["nodes"] = new JsonObject([.. summary.Nodes.Select(n => KeyValuePair.Create(n.Key, (JsonNode?)n.Value))]),
            },
            ["findings"] = new JsonArray([.. report.Findings.Select(f => (JsonNode)new JsonObject
            {
                ["id"] = f.CheckId,
                ["severity"] = Label(f.Severity),
                ["object"] = f.Target?.ToString(),
                ["file"] = f.File,
                ["line"] = f.Line,
                ["path"] = f.Path,
                ["message"] = f.Message,
                ["hint"] = f.Hint,
            })]),
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static string Label(Severity severity) => severity.ToString().ToLowerInvariant();
}
