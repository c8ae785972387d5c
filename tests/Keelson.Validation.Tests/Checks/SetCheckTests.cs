namespace Keelson.Validation.Tests.Checks;

/// <summary>Cross-object checks: each fires on a broken set and stays quiet on the good one plus a correct addition.</summary>
public sealed class SetCheckTests
{
    private const string Service = """
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec: {selector: {app: SELECTOR}, ports: [{name: http, port: 80, targetPort: 8080}]}
        """;

    private static IEnumerable<Finding> Run(string extra) => Fixtures.Validate(Fixtures.GoodDeployment + "\n" + extra).Findings;

    [Theory]
    [InlineData("service-selector", "app: SELECTOR", "app: api", "app: web")]
    [InlineData("ingress-backend", "", "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\nspec: {rules: [{host: a.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: nope, port: {name: http}}}}]}}]}", "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\nspec: {rules: [{host: a.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}]}}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: web}, ports: [{name: http, port: 80}]}")]
    [InlineData("scaling-target", "", "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web, namespace: shop}\nspec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: nope}, minReplicas: 2, maxReplicas: 4}", "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web, namespace: shop}\nspec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 2, maxReplicas: 4, metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}]}")]
    [InlineData("scaling-target", "", "---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: web, namespace: shop}\nspec: {scaleTargetRef: {name: web}, minReplicaCount: 5, maxReplicaCount: 2, triggers: [{type: cron, metadata: {timezone: UTC, start: 0 8 * * *, end: 0 18 * * *, desiredReplicas: \"2\"}}]}", "---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: web, namespace: shop}\nspec: {scaleTargetRef: {name: web}, minReplicaCount: 2, maxReplicaCount: 5, triggers: [{type: cron, metadata: {timezone: UTC, start: 0 8 * * *, end: 0 18 * * *, desiredReplicas: \"2\"}}]}")]
    [InlineData("pdb-blocks-eviction", "", "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: strict, namespace: shop}\nspec: {minAvailable: 2, selector: {matchLabels: {app: web}}}", "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: loose, namespace: shop}\nspec: {minAvailable: 1, selector: {matchLabels: {app: web}}}")]
    [InlineData("statefulset-service", "", "---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: shop}\nspec: {serviceName: db, selector: {matchLabels: {app: db}}, template: {metadata: {labels: {app: db}}, spec: {containers: []}}}", "---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: shop}\nspec: {serviceName: db, selector: {matchLabels: {app: db}}, template: {metadata: {labels: {app: db}}, spec: {containers: []}}}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: shop}\nspec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}")]
    [InlineData("networkpolicy-selector", "", "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec: {podSelector: {matchLabels: {app: nope}}}", "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec: {podSelector: {matchLabels: {app: web}}}")]
    public void Set_checks_fire_on_the_broken_set_only(string id, string placeholder, string broken, string correct)
    {
        string Fill(string text) => placeholder.Length == 0 ? text : Service.Replace(placeholder, text, StringComparison.Ordinal);

        Assert.Contains(Run(Fill(broken)), f => f.CheckId == id);
        Assert.DoesNotContain(Run(Fill(correct)), f => f.CheckId == id);
    }

    [Fact]
    public void Missing_config_is_flagged_as_external_not_as_an_error()
    {
        var withRef = Fixtures.GoodDeployment.Replace("        ports:", "        envFrom:\n        - configMapRef: {name: web-config}\n        ports:", StringComparison.Ordinal);

        var missing = Fixtures.Validate(withRef).Findings.Single(f => f.CheckId == "pod-references");
        Assert.Equal(Severity.Info, missing.Severity);
        Assert.Contains("ConfigMap 'web-config'", missing.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Fixtures.Validate(withRef + "\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config, namespace: shop}\n").Findings, f => f.CheckId == "pod-references");
    }

    [Fact]
    public void Replicated_workloads_without_budget_policy_or_spread_are_warned()
    {
        var bare = Fixtures.GoodDeployment[..Fixtures.GoodDeployment.IndexOf("      topologySpreadConstraints", StringComparison.Ordinal)];

        var findings = Fixtures.Validate(bare).Findings;
        var messages = findings.Where(f => f.CheckId == "availability-guards").Select(f => f.Message).ToList();

        Assert.Equal(2, messages.Count);
        Assert.Contains(messages, m => m.Contains("no PodDisruptionBudget", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("no NetworkPolicy", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.CheckId == "workload-spread" && f.Message.Contains("no topology spread", StringComparison.Ordinal));
    }
}
