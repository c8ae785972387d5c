using System.Net;
using System.Text;
using k8s.Models;
using Keelson.Server.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace Keelson.Server.Tests.Hosting;

/// <summary>
/// A stack whose jobs name a stack queue, deployed by the server to the embedded sandbox (through its Kubernetes API):
/// the job passes admit the suspended Jobs on the cluster one at a time within the queue's quota, and /metrics shows
/// the stack queue's gauges.
/// </summary>
public sealed class StackQueueJobsTests(JobApiFactory factory) : IClassFixture<JobApiFactory>
{
    private const string Stack = """
        metadata: {tenant: stackq}
        cluster: {profile: aws-general}
        queues:
          - name: etl
            flavors: [{pool: general, nominal: {cpu: 2, memory: 8Gi}}]
        components:
          - name: first
            kind: job
            image: registry.example.com/etl/first:1.0
            completions: 4
            deadline: 1h
            queue: etl
            resources: {requests: {cpu: "2", memory: 2Gi}, limits: {cpu: "2", memory: 2Gi}}
          - name: second
            kind: job
            image: registry.example.com/etl/second:1.0
            deadline: 1h
            queue: etl
            priority: 5
            completions: 4
            resources: {requests: {cpu: "2", memory: 2Gi}, limits: {cpu: "2", memory: 2Gi}}
        """;

    [Fact]
    public async Task Deployed_queued_jobs_are_admitted_one_at_a_time_and_counted_on_metrics()
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Demo-Mode", "true");
        using (var created = await client.PostAsync(new Uri("/api/v1/tenants/", UriKind.Relative), new StringContent(Stack, Encoding.UTF8, "application/yaml")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var deploy = await client.PostAsync(new Uri("/api/v1/tenants/stackq/deploy", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, deploy.StatusCode);
        var id = System.Text.Json.Nodes.JsonNode.Parse(await deploy.Content.ReadAsStringAsync())!["deployment_id"]!.GetValue<string>();
        var done = await DeploymentClient.WaitFinishedAsync(client, id);
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());

        // Both Jobs exist from the deployment; the 2-CPU queue runs one at a time, so one waits while the other runs
        // (four pods each, one after the other: about two minutes of sandbox time, two seconds here).
        var sawOneWaiting = false;
        var clusters = factory.Services.GetRequiredService<DeploymentClusters>();
        List<V1Job> jobs = [];
        for (var i = 0; i < 600; i++)
        {
            jobs = [.. (await clusters.InspectSandboxesAsync(s => s.Engine.Store.List<V1Job>("stackq").ToList(), default)).SelectMany(j => j)];
            var running = jobs.Count(j => j.Spec.Suspend == false && j.Status?.Conditions?.Any(c => c.Type == "Complete") != true);
            Assert.True(running <= 1, $"{running} queued Jobs ran at once on a queue with room for one");
            if (running == 1 && jobs.Any(j => j.Spec.Suspend == true) && !sawOneWaiting)
            {
                var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
                sawOneWaiting = metrics.Contains("keelson_queue_pending_jobs{tenant=\"stackq\",queue=\"etl\",mode=\"demo\"} 1\n", StringComparison.Ordinal)
                    && metrics.Contains("keelson_queue_running_jobs{tenant=\"stackq\",queue=\"etl\",mode=\"demo\"} 1\n", StringComparison.Ordinal);
            }

            if (jobs.Count == 2 && jobs.All(j => j.Status?.Conditions?.Any(c => c.Type == "Complete" && c.Status == "True") == true))
            {
                break;
            }

            await Task.Delay(50);
        }

        var byName = jobs.ToDictionary(j => j.Metadata.Name);
        Assert.Equal(["first", "second"], byName.Keys.Order(StringComparer.Ordinal));
        Assert.All(jobs, j => Assert.Equal("Complete", j.Status.Conditions.Single(c => c.Status == "True").Type));

        // One was admitted, then the other only once the first had finished. Which goes first depends on whether a
        // pass ran between the deployer's two applies (priority decides only among Jobs waiting together; the
        // sandbox tests of the admitter assert that order exactly).
        var (earlier, later) = byName["first"].Metadata.Annotations["keelson.dev/admitted"] == "1" ? (byName["first"], byName["second"]) : (byName["second"], byName["first"]);
        Assert.Equal(("1", "2"), (earlier.Metadata.Annotations["keelson.dev/admitted"], later.Metadata.Annotations["keelson.dev/admitted"]));
        Assert.True(later.Status.StartTime >= earlier.Status.CompletionTime);
        Assert.True(sawOneWaiting, "/metrics never showed one waiting and one running Job of queue etl");
        Assert.Contains("keelson_queue_pending_jobs{tenant=\"stackq\",queue=\"etl\",mode=\"demo\"} 0\n", await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);
    }
}
