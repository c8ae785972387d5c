using System.Collections.Immutable;
using System.Text.Json.Nodes;
using k8s.Models;
using Keelson.Operations.Alerts;
using Keelson.Operations.Monitoring;
using Keelson.Operations.Notifications;
using Keelson.Operations.Storage;
using Keelson.Operations.Tests.Notifications;
using Keelson.Sandbox;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Metrics;
using Keelson.Spec.Model;
using Keelson.Spec.Units;
using Keelson.Testing;

namespace Keelson.Operations.Tests.Alerts;

/// <summary>
/// The whole alert path on the sandbox's virtual clock: a load spike drives a tenant's CPU over 80 % for ten minutes;
/// every 15 s the namespace's usage is sampled into the SQLite metric store and the seed's <c>high_cpu_usage</c> rule
/// is evaluated; its notifications go through grouping and the outbox to a real webhook receiver and a real SMTP
/// server (aiosmtpd), firing once the condition has held for five minutes and resolved after the load falls.
/// </summary>
public sealed class SandboxAlertEndToEndTests
{
    private const string Ns = "shop";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_load_spike_fires_the_seeds_rule_notifies_a_webhook_and_smtp_and_resolves_when_it_falls()
    {
        var start = new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
        var spike = new Spike(start + TimeSpan.FromMinutes(5), start + TimeSpan.FromMinutes(15));
        var cluster = new SandboxCluster(new SandboxEngine(Profile(), load: spike, start: start));
        cluster.Apply(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = Ns } });
        cluster.Apply(Api());
        var clock = cluster.Time;

        var folder = Directory.CreateTempSubdirectory("keelson-alert-e2e-").FullName;
        await using var smtp = await SmtpServer.StartAsync(tls: false);
        using var hook = new LoopbackReceiver();
        using var http = new HttpClient();
        try
        {
            await using var database = Database.Open(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, Connection = Path.Combine(folder, "ops.db") }, clock);
            await database.MigrateAsync(default);
            var outbox = new SqlNotificationOutbox(database);
            var smtpOptions = new SmtpOptions { Host = "127.0.0.1", Port = smtp.Port, Security = SmtpSecurity.None, From = "alerts@keelson.example" };
            using var sender = new NotificationSender(outbox, [new HttpNotifier(http, clock, "http://keelson.example", TimeSpan.FromSeconds(10)), new EmailNotifier(smtpOptions, clock, "http://keelson.example")],
                new NotificationSenderOptions(), "e2e", clock);
            var pipeline = new NotificationPipeline(new Dispatcher(clock), new SqlSilenceStore(database), outbox, sender, clock);
            var metrics = new SqlMetricStore(database);
            var states = new SqlAlertStateStore(database);
            var evaluator = new AlertEvaluator(metrics, states, pipeline.Dispatcher);
            const string condition = "cpu_usage_percent > 80";
            var rule = new AlertRule(Ns, "high_cpu_usage", condition, ConditionParser.Parse(condition), TimeSpan.FromMinutes(5), TimeSpan.Zero, "critical",
                ImmutableSortedDictionary<string, string>.Empty, ImmutableSortedDictionary<string, string>.Empty.Add("summary", "CPU at {{ $value }} %"), Enabled: true,
                [new WebhookReceiver(hook.Url), new EmailReceiver(["oncall@example.com"])]);

            var sent = new List<(DateTimeOffset At, int Count)>();
            for (var now = start; now < start + TimeSpan.FromMinutes(30); now = clock.GetUtcNow())
            {
                cluster.Engine.Advance(Interval);
                if (NamespaceUsage.Read(cluster.Engine.Context).TryGetValue(Ns, out var readings))
                {
                    await metrics.WriteAsync([.. readings.Select(r => MetricSample.Of(Ns, r.Name, r.Value, clock.GetUtcNow()))], default);
                }

                await evaluator.EvaluateAsync(Ns, [rule], clock.GetUtcNow(), default);
                await pipeline.FlushAsync(default);
                if (await sender.SendDueAsync(default) is > 0 and var count)
                {
                    sent.Add((clock.GetUtcNow(), count));
                }
            }

            // Prometheus's state machine on the sandbox's numbers: pending once the spike shows, firing five minutes later, resolved after it.
            var history = await states.HistoryAsync(Ns, 10, default);
            var transitions = history.Reverse().Select(t => (t.From, t.To, t.At - start)).ToList();
            Assert.Equal([AlertPhase.Pending, AlertPhase.Firing, AlertPhase.Inactive], transitions.Select(t => t.To));
            var pendingAt = transitions[0].Item3;
            Assert.InRange(pendingAt, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(6));
            Assert.Equal(pendingAt + TimeSpan.FromMinutes(5), transitions[1].Item3);
            Assert.InRange(transitions[2].Item3, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(16));
            Assert.True(history.First(t => t.To == AlertPhase.Firing).Value > 80);

            // Alertmanager's timing: the first notice after group_wait (30 s), the resolved one at the next group_interval (5 m) flush.
            var hooks = hook.Received.Select(r => JsonNode.Parse(r.Body)!).ToList();
            Assert.Equal(["firing", "resolved"], hooks.Select(h => h["status"]!.GetValue<string>()));
            Assert.All(hooks, h => Assert.Equal(("high_cpu_usage", Ns, "critical"), (h["alerts"]![0]!["labels"]!["alertname"]!.GetValue<string>(),
                h["alerts"]![0]!["labels"]!["tenant"]!.GetValue<string>(), h["alerts"]![0]!["labels"]!["severity"]!.GetValue<string>())));
            Assert.StartsWith("CPU at 9", hooks[0]["alerts"]![0]!["annotations"]!["summary"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.All(hook.Received, r => Assert.False(string.IsNullOrEmpty(r.IdempotencyKey)));
            Assert.Equal(2, sent.Count);
            Assert.InRange(sent[0].At - start, transitions[1].Item3 + TimeSpan.FromSeconds(30), transitions[1].Item3 + TimeSpan.FromSeconds(45));
            Assert.True(sent[1].At - start >= transitions[2].Item3, "the resolved notice is sent after the alert resolved");

            var mails = await smtp.WaitForAsync(2, TimeSpan.FromSeconds(10));
            Assert.Equal(2, mails.Count);
            Assert.Contains("Subject: [FIRING:1] high_cpu_usage (tenant shop)", mails[0]["data"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains("Subject: [RESOLVED:1] high_cpu_usage (tenant shop)", mails[1]["data"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static ClusterProfile Profile() => new("e2e", "test", null,
    [
        new NodePool("general", PoolRole.Worker, new InstanceType("m.xlarge", 4, ByteSize.FromGiB(16), 0, null, new HourlyPrices(0.2, 0.08, 0.12)),
            2, 2, new Dictionary<string, string>(), [], ["zone-a"]),
    ]);

    // Two pods of 500 m: 400 m of demand is 40 % of their requests, the spike's 900 m is 90 %.
    private static V1Deployment Api() => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = "api", NamespaceProperty = Ns },
        Spec = new V1DeploymentSpec
        {
            Replicas = 2,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "api" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "api" } },
                Spec = new V1PodSpec
                {
                    Containers =
                    [
                        new V1Container
                        {
                            Name = "api", Image = "shop/api:1.0",
                            Resources = new V1ResourceRequirements
                            {
                                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new("256Mi") },
                                Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("256Mi") },
                            },
                        },
                    ],
                },
            },
        },
    };

    private sealed class Spike(DateTimeOffset from, DateTimeOffset to) : ILoadModel
    {
        public double? CpuDemandMillis(string ns, string workload, DateTimeOffset at) =>
            ns == Ns && workload == "api" ? (at >= from && at < to ? 900 : 400) : null;
    }
}
