using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Keelson.Operations.Alerts;
using Keelson.Operations.Monitoring;
using Keelson.Testing;

namespace Keelson.Operations.Tests.Alerts;

/// <summary>
/// Differential test: random series and rules, evaluated by Keelson and by the real <c>promtool test rules</c> (Debian's
/// Prometheus 2.42) at the same instants; every expected firing alert, its labels and its <c>{{ $value }}</c> must agree.
/// KEELSON_ALERT_ORACLE_CASES and KEELSON_ALERT_ORACLE_SEED run a longer or different campaign (docs/alerts.md).
/// </summary>
public sealed class PromtoolOracleTests
{
    private const string Promtool = "/usr/bin/promtool";
    [ThreadStatic]
    private static string? LastOutput;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly string[] Metrics = ["cpu_usage", "memory_usage", "requests_total"];
    private static readonly string[] Functions = ["avg", "max", "min", "sum", "count", "rate"];
    private static readonly string[] Ops = [">", "<", ">=", "<=", "==", "!="];
    private static readonly int[] Scrapes = [10, 15, 30, 60];
    private static readonly int[] EvalIntervals = [10, 15, 30];
    private static readonly string[] Holds = ["0s", "15s", "30s", "1m", "2m"];
    private static readonly string[] Keeps = ["0s", "0s", "30s", "1m"];
    private static readonly string[] Windows = ["30s", "1m", "2m", "5m"];

    /// <summary>One generated case: the series (null = missing sample) and one rule.</summary>
    public sealed record OracleCase(string Tenant, int ScrapeSeconds, int EvalSeconds, Dictionary<string, string> Notation, Dictionary<string, List<double?>> Series, string Condition, string For, string KeepFiringFor);

    [Fact]
    public void Generated_cases_agree_with_promtool()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("KEELSON_ALERT_ORACLE_CASES"), out var n) ? n : 500;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("KEELSON_ALERT_ORACLE_SEED"), out var s) ? s : 20261206;
        var random = new Random(seed);
        var cases = Enumerable.Range(0, count).Select(i => Generate(random, i)).ToList();
        var failed = Run(cases);
        foreach (var index in failed)
        {
            var file = Path.Combine(Repo.Root, "tests/Keelson.Operations.Tests/Alerts/regressions", $"seed{seed}-case{index}.json");
            File.WriteAllText(file, JsonSerializer.Serialize(cases[index], Indented));
        }

        Assert.True(failed.Count == 0, $"{failed.Count} of {count} cases disagree with promtool (seed {seed}); saved under tests/Keelson.Operations.Tests/Alerts/regressions: {string.Join(", ", failed.Take(20))}");
    }

    [Fact]
    public void Saved_regressions_agree_with_promtool()
    {
        var directory = Path.Combine(Repo.Root, "tests/Keelson.Operations.Tests/Alerts/regressions");
        var cases = Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal)
            .Select(f => JsonSerializer.Deserialize<OracleCase>(File.ReadAllText(f))!).ToList();
        var failed = Run(cases);
        Assert.True(failed.Count == 0, $"{string.Join(", ", failed.Select(i => cases[i].Condition))}\n{LastOutput?[..Math.Min(LastOutput.Length, 6000)]}");
    }

    [Fact]
    public void The_oracle_notices_a_wrong_expectation()
    {
        // Guards the harness: a case whose expectation is deliberately wrong must fail in promtool.
        var oracleCase = new OracleCase("t0", 15, 15, new() { ["cpu_usage"] = "90x20" }, new() { ["cpu_usage"] = Enumerable.Repeat<double?>(90, 21).ToList() }, "cpu_usage > 80", "0s", "0s");
        Assert.Equal([0], Run([oracleCase], corruptValues: true));
    }

    private static OracleCase Generate(Random random, int index)
    {
        var tenant = $"t{index}";
        var length = random.Next(4, 31);
        var notation = new Dictionary<string, string>();
        var series = new Dictionary<string, List<double?>>();
        foreach (var metric in Metrics)
        {
            if (random.Next(6) == 0)
            {
                continue; // an absent series
            }

            var (text, values) = metric == "requests_total" ? Counter(random, length) : Gauge(random, length);
            notation[metric] = text;
            series[metric] = values;
        }

        return new OracleCase(tenant, Scrapes[random.Next(Scrapes.Length)], EvalIntervals[random.Next(EvalIntervals.Length)], notation, series,
            RandomCondition(random, tenant, 2), Holds[random.Next(Holds.Length)], Keeps[random.Next(Keeps.Length)]);
    }

    private static string RandomCondition(Random random, string tenant, int depth)
    {
        if (depth > 0 && random.Next(4) == 0)
        {
            var left = RandomCondition(random, tenant, depth - 1);
            var right = RandomCondition(random, tenant, depth - 1);
            return random.Next(3) == 0 ? $"({left}) {(random.Next(2) == 0 ? "and" : "or")} ({right})" : $"{left} {(random.Next(2) == 0 ? "and" : "or")} {right}";
        }

        var metric = Metrics[random.Next(Metrics.Length)];
        var selector = random.Next(8) switch
        {
            0 => $"{metric}{{tenant=\"{tenant}\"}}",
            1 => $"{metric}{{tenant!=\"{tenant}\"}}",
            2 => $"{metric}{{tenant=~\"t.*\"}}",
            3 => $"{metric}{{service=\"\"}}",
            4 => $"{metric}{{service=\"callbot\"}}",
            _ => metric,
        };
        var op = Ops[random.Next(Ops.Length)];
        if (random.Next(3) == 0)
        {
            var threshold = op is "==" or "!=" ? random.Next(0, 10) * 10 : random.Next(0, 101);
            return $"{selector} {op} {threshold}";
        }

        var function = Functions[random.Next(Functions.Length)];
        var window = Windows[random.Next(Windows.Length)];
        var limit = function switch
        {
            "rate" => (random.Next(0, 40) / 10.0).ToString(CultureInfo.InvariantCulture),
            "count" => random.Next(0, 12).ToString(CultureInfo.InvariantCulture),
            "sum" => random.Next(0, 1500).ToString(CultureInfo.InvariantCulture),
            _ => random.Next(0, 101).ToString(CultureInfo.InvariantCulture),
        };
        return $"{function}({selector}[{window}]) {op} {limit}";
    }

    private static (string, List<double?>) Gauge(Random random, int length)
    {
        var text = new List<string>();
        var values = new List<double?>();
        while (values.Count < length)
        {
            switch (random.Next(5))
            {
                case 0:
                    text.Add("_");
                    values.Add(null);
                    break;
                case 1:
                    var start = random.Next(0, 101);
                    var step = random.Next(-5, 6);
                    var times = random.Next(1, 6);
                    text.Add($"{start}{(step < 0 ? "-" : "+")}{Math.Abs(step)}x{times}");
                    for (var j = 0; j <= times; j++)
                    {
                        values.Add(start + (j * step));
                    }

                    break;
                default:
                    var v = random.Next(0, 201) / 2.0;
                    text.Add(v.ToString(CultureInfo.InvariantCulture));
                    values.Add(v);
                    break;
            }
        }

        return (string.Join(' ', text), values);
    }

    private static (string, List<double?>) Counter(Random random, int length)
    {
        var text = new List<string>();
        var values = new List<double?>();
        double current = random.Next(0, 50);
        while (values.Count < length)
        {
            switch (random.Next(8))
            {
                case 0:
                    text.Add("_");
                    values.Add(null);
                    break;
                case 1:
                    current = random.Next(0, 5); // a reset
                    text.Add(current.ToString(CultureInfo.InvariantCulture));
                    values.Add(current);
                    break;
                default:
                    current += random.Next(0, 30);
                    text.Add(current.ToString(CultureInfo.InvariantCulture));
                    values.Add(current);
                    break;
            }
        }

        return (string.Join(' ', text), values);
    }

    /// <summary>Runs every case through Keelson and one promtool process; returns the indexes promtool failed.</summary>
    private static List<int> Run(List<OracleCase> cases, bool corruptValues = false)
    {
        if (cases.Count == 0)
        {
            return [];
        }

        var directory = Directory.CreateTempSubdirectory("keelson-alert-oracle-");
        try
        {
            var files = new List<string>();
            for (var i = 0; i < cases.Count; i++)
            {
                var file = $"case{i}.yml";
                WriteCase(directory.FullName, i, cases[i], corruptValues);
                files.Add(file);
            }

            // One pipe for both streams so each failure (stderr) follows the "Unit Testing:" line (stdout) of its file.
            var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = directory.FullName, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"exec {Promtool} test rules \"$@\" 2>&1");
            start.ArgumentList.Add("promtool");
            files.ForEach(start.ArgumentList.Add);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            var output = stdout.Result + stderr;
            var failed = new List<int>();
            var current = -1;
            foreach (var line in output.Split('\n'))
            {
                if (line.StartsWith("Unit Testing:", StringComparison.Ordinal))
                {
                    var name = line["Unit Testing:".Length..].Trim();
                    current = int.Parse(name["case".Length..name.IndexOf('.', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
                }
                else if (line.Contains("FAILED", StringComparison.Ordinal) && current >= 0 && !failed.Contains(current))
                {
                    failed.Add(current);
                }
            }

            Assert.True(process.ExitCode == 0 || failed.Count > 0, $"promtool failed without naming a case:\n{output}");
            LastOutput = output;

            return failed;
        }
        finally
        {
            directory.Delete(true);
        }
    }

    private static void WriteCase(string directory, int index, OracleCase oracleCase, bool corruptValues)
    {
        var condition = ConditionParser.Parse(oracleCase.Condition);
        var rule = new AlertRule(oracleCase.Tenant, $"A{index}", oracleCase.Condition, condition, PromDuration.Parse(oracleCase.For), PromDuration.Parse(oracleCase.KeepFiringFor),
            "warning", System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty,
            System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("value", "{{ $value }}"), KeyValuePair.Create("who", "{{ $labels.tenant }}")]),
            true, []);

        var rules = new StringBuilder();
        rules.Append("groups:\n  - name: g\n    rules:\n");
        rules.Append(CultureInfo.InvariantCulture, $"      - alert: {rule.Name}\n        expr: '{rule.Expression.Replace("'", "''", StringComparison.Ordinal)}'\n");
        rules.Append(CultureInfo.InvariantCulture, $"        for: {oracleCase.For}\n        keep_firing_for: {oracleCase.KeepFiringFor}\n");
        rules.Append("        labels:\n          severity: warning\n        annotations:\n          value: '{{ $value }}'\n          who: '{{ $labels.tenant }}'\n");
        File.WriteAllText(Path.Combine(directory, $"case{index}.rules.yml"), rules.ToString());

        // Keelson's side: the samples, then the state machine at every evaluation instant.
        var samples = oracleCase.Series.ToDictionary(
            s => s.Key,
            s => (IReadOnlyList<MetricSample>)s.Value.Select((v, i) => v is { } value ? MetricSample.Of(oracleCase.Tenant, s.Key, value, DateTimeOffset.UnixEpoch.AddSeconds(i * oracleCase.ScrapeSeconds)) : null)
                .OfType<MetricSample>().ToList());
        IReadOnlyList<MetricSample> Read(string metric) => samples.TryGetValue(metric, out var list) ? list : [];
        var longest = oracleCase.Series.Values.Select(v => v.Count).DefaultIfEmpty(0).Max() * oracleCase.ScrapeSeconds;
        var end = longest + 420;

        var test = new StringBuilder();
        test.Append(CultureInfo.InvariantCulture, $"rule_files:\n  - case{index}.rules.yml\nevaluation_interval: {oracleCase.EvalSeconds}s\ntests:\n  - interval: {oracleCase.ScrapeSeconds}s\n    input_series:\n");
        foreach (var (metric, values) in oracleCase.Notation)
        {
            test.Append(CultureInfo.InvariantCulture, $"      - series: '{metric}{{tenant=\"{oracleCase.Tenant}\"}}'\n        values: '{values}'\n");
        }

        if (oracleCase.Notation.Count == 0)
        {
            test.Append("      []\n");
        }

        test.Append("    alert_rule_test:\n");
        AlertState? state = null;
        for (var t = 0; t <= end; t += oracleCase.EvalSeconds)
        {
            var at = DateTimeOffset.UnixEpoch.AddSeconds(t);
            state = AlertStateMachine.Step(state, at, ConditionEvaluator.Evaluate(condition, oracleCase.Tenant, at, Read), rule.For, rule.KeepFiringFor).State;
            test.Append(CultureInfo.InvariantCulture, $"      - eval_time: {t}s\n        alertname: {rule.Name}\n        exp_alerts:");
            if (state is { Phase: AlertPhase.Firing })
            {
                var value = corruptValues ? state.Value + 1 : state.Value;
                test.Append('\n');
                test.Append("          - exp_labels:\n");
                foreach (var (key, label) in rule.AlertLabels(value).Where(l => l.Key != "alertname"))
                {
                    test.Append(CultureInfo.InvariantCulture, $"              {key}: \"{label}\"\n");
                }

                test.Append("            exp_annotations:\n");
                foreach (var (key, annotation) in rule.AlertAnnotations(value))
                {
                    test.Append(CultureInfo.InvariantCulture, $"              {key}: \"{annotation}\"\n");
                }
            }
            else
            {
                test.Append(" []\n");
            }
        }

        File.WriteAllText(Path.Combine(directory, $"case{index}.yml"), test.ToString());
    }
}
