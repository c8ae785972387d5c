using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Keelson.Spec.Parsing;

namespace Keelson.Validation.Reporting;

/// <summary>Writes a validation report for people (text grouped by object) or machines (JSON in the ECP-AI shape, SARIF, JUnit).</summary>
public static class ReportWriter
{
    /// <summary>Text: findings grouped by file and object, then the resource summary.</summary>
    public static string Text(ValidationReport report, ResourceSummary summary)
    {
        var text = new StringBuilder();
        // Every piece of input text is escaped: a value holding a newline must not break the one-line-per-finding layout.
        foreach (var group in report.Findings.GroupBy(f => (f.File, Target: f.Target?.ToString() ?? "", f.Source)))
        {
            text.Append(OneLine.Escape(group.Key.File));
            if (group.Key.Target.Length > 0)
            {
                text.Append(": ").Append(OneLine.Escape(group.Key.Target));
            }

            if (group.Key.Source is { } source)
            {
                text.Append(" (template ").Append(OneLine.Escape(source)).Append(')');
            }

            text.Append('\n');
            foreach (var f in group)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {f.Line,5}  {Label(f.Severity),-7} {f.CheckId}: {OneLine.Escape(f.Message)}");
                if (f.Path.Length > 0)
                {
                    text.Append(" (").Append(OneLine.Escape(f.Path)).Append(')');
                }

                text.Append("\n         fix: ").Append(OneLine.Escape(f.Hint)).Append('\n');
            }
        }

        var errors = report.Findings.Count(f => f.Severity == Severity.Error);
        var warnings = report.Findings.Count(f => f.Severity == Severity.Warning);
        text.Append(CultureInfo.InvariantCulture, $"\n{report.Documents.Count} object(s): {errors} error(s), {warnings} warning(s).\n");
        text.Append(CultureInfo.InvariantCulture, $"Requests: {summary.Cpu} CPU, {summary.Memory.Display()} memory, {summary.Gpus} GPU, {summary.Storage.Display()} storage; ");
        text.Append(CultureInfo.InvariantCulture, $"about ${summary.MonthlyUsd:#,##0}/month on {(summary.Nodes.Count == 0 ? "no nodes" : string.Join(", ", summary.Nodes.Select(n => $"{n.Value} {n.Key} node(s)")))}");
        text.Append(summary.Unplaced.Count == 0 ? ".\n" : $"; not priced, fitting no node of the profile: {OneLine.Escape(string.Join(", ", summary.Unplaced))}.\n");
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
                ["unplaced"] = new JsonArray([.. summary.Unplaced.Select(u => (JsonNode)u)]),
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
                ["source"] = f.Source,
            })]),
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    /// <summary>SARIF 2.1.0, for code-scanning views: one rule per check, one result per finding.</summary>
    public static string Sarif(ValidationReport report, IEnumerable<(string Id, string Description)> rules)
    {
        var sarif = new JsonObject
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject
                {
                    ["driver"] = new JsonObject
                    {
                        ["name"] = "keelson",
                        ["informationUri"] = "https://keelson.dev/docs/checks",
                        ["rules"] = new JsonArray([.. rules.OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => (JsonNode)new JsonObject
                        {
                            ["id"] = r.Id,
                            ["shortDescription"] = new JsonObject { ["text"] = r.Description },
                        })]),
                    },
                },
                ["results"] = new JsonArray([.. report.Findings.Select(f => (JsonNode)new JsonObject
                {
                    ["ruleId"] = f.CheckId,
                    ["level"] = f.Severity switch { Severity.Error => "error", Severity.Warning => "warning", _ => "note" },
                    ["message"] = new JsonObject { ["text"] = $"{(f.Target is null ? "" : f.Target + ": ")}{f.Message}{(f.Source is null ? "" : $" (template {f.Source})")}. Fix: {f.Hint}" },
                    ["locations"] = new JsonArray(new JsonObject
                    {
                        ["physicalLocation"] = new JsonObject
                        {
                            ["artifactLocation"] = new JsonObject { ["uri"] = f.File.Replace('\\', '/') },
                            ["region"] = new JsonObject { ["startLine"] = Math.Max(f.Line, 1) },
                        },
                    }),
                })]),
            }),
        };
        return sarif.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    /// <summary>JUnit XML for CI: a test case per object, failing with its errors and warnings.</summary>
    public static string JUnit(ValidationReport report)
    {
        var cases = report.Documents.Select(d => (File: d.File, Name: d.Ref.ToString())).Distinct()
            .Select(c => (c.File, c.Name, Findings: report.Findings.Where(f => f.File == c.File && f.Target?.ToString() == c.Name && f.Severity != Severity.Info).ToList()))
            .ToList();
        var loadProblems = report.Findings.Where(f => f.Target is null && f.Severity != Severity.Info).ToList();
        var suite = new XElement("testsuite",
            new XAttribute("name", "keelson validate"),
            new XAttribute("tests", cases.Count + loadProblems.Count),
            new XAttribute("failures", cases.Count(c => c.Findings.Count > 0) + loadProblems.Count),
            cases.Select(c => new XElement("testcase",
                new XAttribute("classname", c.File),
                new XAttribute("name", c.Name),
                c.Findings.Select(f => new XElement("failure",
                    new XAttribute("type", f.CheckId),
                    new XAttribute("message", $"{Label(f.Severity)}: {f.Message}"),
                    string.Create(CultureInfo.InvariantCulture, $"{f.File}:{f.Line} {f.Path}\nfix: {f.Hint}"))))),
            loadProblems.Select(f => new XElement("testcase",
                new XAttribute("classname", f.File),
                new XAttribute("name", "read"),
                new XElement("failure", new XAttribute("type", f.CheckId), new XAttribute("message", f.Message)))));
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + new XElement("testsuites", suite) + "\n";
    }

    private static string Label(Severity severity) => severity.ToString().ToLowerInvariant();
}
