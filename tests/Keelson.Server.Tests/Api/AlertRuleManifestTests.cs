using System.Net;
using System.Text.Json.Nodes;
using Keelson.Delivery.Clusters;
using Keelson.Delivery.Kubernetes;
using Keelson.Rendering.Output;
using Keelson.Testing;

namespace Keelson.Server.Tests.Api;

/// <summary>
/// A tenant's stored alert rules travel with its manifests as a PrometheusRule — in the download and in what a
/// deployment delivers — so a real cluster's Prometheus evaluates the rules Keelson evaluates; the real
/// <c>promtool check rules</c> accepts them.
/// </summary>
public sealed class AlertRuleManifestTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Rule = """
        {"alert_name": "high_cpu_usage", "condition": "avg(cpu_usage[5m]) > 80", "duration": "5m", "severity": "critical",
         "annotations": {"summary": "CPU at {{ $value }}"}, "actions": [{"type": "webhook", "url": "http://127.0.0.1:9/hook"}]}
        """;

    [Fact]
    public async Task Stored_rules_are_rendered_delivered_and_dropped_when_disabled()
    {
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/tenants/", DeploymentEndpointsTests.Request("rules-one").ToJsonString(), "true")).Status);
        Assert.Null(await AlertsObjectAsync(client, "rules-one"));

        Assert.Equal(HttpStatusCode.Created, (await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/tenants/rules-one/alerts", Rule, "true")).Status);
        var rendered = await AlertsObjectAsync(client, "rules-one");
        Assert.NotNull(rendered);
        var group = rendered["spec"]!["groups"]![0]!;
        var rule = group["rules"]![0]!;
        Assert.Equal(("high_cpu_usage", "5m", "critical", "rules-one"), (rule["alert"]!.GetValue<string>(), rule["for"]!.GetValue<string>(),
            rule["labels"]!["severity"]!.GetValue<string>(), rule["labels"]!["tenant"]!.GetValue<string>()));
        Assert.Contains("avg_over_time(cpu_usage", rule["expr"]!.GetValue<string>(), StringComparison.Ordinal);
        await PromtoolCheckRulesAsync(new JsonObject { ["groups"] = new JsonArray(group.DeepClone()) });

        // A deployment delivers them: the sandbox holds the PrometheusRule.
        var (_, accepted, _) = await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/tenants/rules-one/deploy", null, "true");
        var done = await DeploymentClient.WaitFinishedAsync(client, accepted["deployment_id"]!.GetValue<string>());
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        using (var cluster = KubernetesCluster.Connect(Path.Combine(factory.DataDirectory, "sandbox", "aws-gpu.kubeconfig"), null))
        {
            Assert.NotNull(await cluster.GetAsync(new ObjectKey("monitoring.coreos.com/v1", "PrometheusRule", "rules-one", "rules-one-alerts"), CancellationToken.None));
        }

        // A disabled rule is not rendered; with none left there is no PrometheusRule of stored rules at all.
        Assert.Equal(HttpStatusCode.OK, (await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/tenants/rules-one/alerts/high_cpu_usage/disable", null, "true")).Status);
        Assert.Null(await AlertsObjectAsync(client, "rules-one"));
    }

    [Fact]
    public async Task A_stack_document_tenant_pins_its_rules_into_the_manifest_and_the_deployment()
    {
        using var client = factory.CreateClient();
        var yaml = (await File.ReadAllTextAsync(Repo.File("examples", "restaurant.yaml"))).Replace("tenant: restaurant-system", "tenant: rules-stack", StringComparison.Ordinal);
        using (var created = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants/")
        {
            Content = new StringContent(yaml, System.Text.Encoding.UTF8, "application/yaml"),
            Headers = { { "X-Demo-Mode", "true" } },
        }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        Assert.Null(await AlertsObjectAsync(client, "rules-stack"));
        Assert.Equal(HttpStatusCode.Created, (await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/tenants/rules-stack/alerts", Rule, "true")).Status);
        var rendered = await AlertsObjectAsync(client, "rules-stack");
        Assert.NotNull(rendered);

        var group = rendered["spec"]!["groups"]![0]!;
        Assert.Equal(("high_cpu_usage", "rules-stack"), (group["rules"]![0]!["alert"]!.GetValue<string>(), group["rules"]![0]!["labels"]!["tenant"]!.GetValue<string>()));
        await PromtoolCheckRulesAsync(new JsonObject { ["groups"] = new JsonArray(group.DeepClone()) });

        // The deployment's snapshot carries the rules with the stack: it still plans, and the sandbox holds the PrometheusRule.
        var (_, accepted, _) = await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/tenants/rules-stack/deploy", null, "true");
        var done = await DeploymentClient.WaitFinishedAsync(client, accepted["deployment_id"]!.GetValue<string>());
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        using (var cluster = KubernetesCluster.Connect(Path.Combine(factory.DataDirectory, "sandbox", "aws-general.kubeconfig"), null))
        {
            Assert.NotNull(await cluster.GetAsync(new ObjectKey("monitoring.coreos.com/v1", "PrometheusRule", "rules-stack", "rules-stack-alerts"), CancellationToken.None));
        }

        Assert.Equal(HttpStatusCode.OK, (await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/tenants/rules-stack/alerts/high_cpu_usage/disable", null, "true")).Status);
        Assert.Null(await AlertsObjectAsync(client, "rules-stack"));
    }

    [Fact]
    public async Task Rules_a_client_sends_in_its_request_are_replaced_by_the_stored_ones()
    {
        using var client = factory.CreateClient();
        var request = DeploymentEndpointsTests.Request("rules-sent");
        request["alert_rules"] = new JsonArray(new JsonObject { ["alert"] = "Injected", ["expr"] = "vector(1)", ["for"] = "1m" });
        Assert.Equal(HttpStatusCode.Created, (await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/tenants/", request.ToJsonString(), "true")).Status);

        Assert.Null(await AlertsObjectAsync(client, "rules-sent"));
    }

    private static async Task<JsonNode?> AlertsObjectAsync(HttpClient client, string tenant)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/tenants/{tenant}/manifest?format=json") { Headers = { { "X-Demo-Mode", "true" } } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var list = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return list["items"]!.AsArray().SingleOrDefault(o => o!["kind"]!.GetValue<string>() == "PrometheusRule" && o["metadata"]!["name"]!.GetValue<string>() == $"{tenant}-alerts");
    }

    private static async Task PromtoolCheckRulesAsync(JsonObject rules)
    {
        var folder = Directory.CreateTempSubdirectory("keelson-rule-manifest-").FullName;
        try
        {
            var file = Path.Combine(folder, "rules.yml");
            await File.WriteAllTextAsync(file, ManifestYaml.Document(rules));
            var output = await ExternalProcess.RunAsync("promtool", ["check", "rules", file], TimeSpan.FromMinutes(1));
            Assert.Contains("SUCCESS: 1 rules found", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
