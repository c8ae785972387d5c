using System.Globalization;
using System.Text;
using Keelson.Spec.Model;
using Keelson.Spec.Parsing;

namespace Keelson.Bench;

/// <summary>A deterministic fleet of tenants, each with eight components of mixed kinds, as YAML and parsed.</summary>
public static class Fleet
{
    private static readonly string[] AiServices = ["callbot", "chatbot", "advisor", "stt", "tts", "nlp", "qa"];

    /// <summary>YAML text of <paramref name="tenants"/> stacks; the same count always yields the same text.</summary>
    public static IReadOnlyList<string> Yaml(int tenants)
    {
        var random = new Random(20261123);
        var stacks = new List<string>(tenants);
        for (var t = 0; t < tenants; t++)
        {
            var availability = random.Next(3) switch { 0 => "99.5%", 1 => "99.9%", _ => "99.95%" };
            var ai1 = AiServices[random.Next(AiServices.Length)];
            var ai2 = AiServices[random.Next(AiServices.Length)];
            var sb = new StringBuilder();
            sb.Append(CultureInfo.InvariantCulture, $"""
                metadata: {"{"}tenant: tenant-{t:D4}, environment: prod{"}"}
                sla: {"{"}availability: {availability}, responseTime: {random.Next(100, 600)}ms{"}"}
                cluster: {"{"}profile: aws-gpu{"}"}
                cost: {"{"}spotShare: 0.5, reservedShare: 0.3, scaleDown: {"{"}weekdayFrom: 20, weekdayTo: 8, weekends: true{"}"}{"}"}
                components:
                  - {"{"}name: ai-a, kind: ai-service, service: {ai1}, sessions: {random.Next(5, 150)}{"}"}
                  - {"{"}name: ai-b, kind: ai-service, service: {ai2}, arrivalsPerHour: {random.Next(50, 1500)}, handleTimeSeconds: 180{"}"}
                  - {"{"}name: api, kind: service, image: example.com/api:1.0, requestsPerSecond: {random.Next(10, 800)}, requestsPerSecondPerReplica: 100, autoscaling: {"{"}maxReplicas: 30{"}"}, dependsOn: [db, cache]{"}"}
                  - {"{"}name: worker, kind: worker, image: example.com/worker:1.0, queue: {"{"}name: jobs, type: redis, targetPerReplica: 10, peakLength: {random.Next(0, 200)}{"}"}, maxReplicas: 20{"}"}
                  - {"{"}name: nightly, kind: cronjob, image: example.com/batch:1.0, schedule: "0 2 * * *", deadline: 1h{"}"}
                  - {"{"}name: model, kind: model, modelUri: s3://models/m/1, requestsPerSecond: {random.Next(10, 500)}, requestsPerSecondPerReplica: 200{"}"}
                  - {"{"}name: db, kind: database, storage: {"{"}size: 50Gi{"}"}{"}"}
                  - {"{"}name: cache, kind: cache, replicas: 1, storage: {"{"}size: 5Gi{"}"}{"}"}

                """);
            stacks.Add(sb.ToString());
        }

        return stacks;
    }

    /// <summary>The fleet parsed; throws if any stack is invalid, so a benchmark never measures error paths.</summary>
    public static IReadOnlyList<StackSpec> Parsed(int tenants) =>
        [.. Yaml(tenants).Select((text, i) =>
        {
            var result = StackParser.Parse(text, $"tenant-{i}");
            return result.Value ?? throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
        })];
}
