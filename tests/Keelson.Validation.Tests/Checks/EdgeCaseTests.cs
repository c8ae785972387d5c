namespace Keelson.Validation.Tests.Checks;

/// <summary>Cases the corpus review found: YAML 1.1 booleans, run-once pods, DaemonSet budgets, more references, merge keys.</summary>
public sealed class EdgeCaseTests
{
    private static IReadOnlyList<Finding> Findings(string yaml) => Fixtures.Validate(yaml).Findings;

    [Fact]
    public void Yaml_1_1_booleans_count_as_booleans()
    {
        var yaml = Fixtures.GoodDeployment
            .Replace("allowPrivilegeEscalation: false", "allowPrivilegeEscalation: no\n          privileged: True", StringComparison.Ordinal)
            .Replace("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: yes", StringComparison.Ordinal)
            .Replace("runAsNonRoot: true", "runAsNonRoot: yes", StringComparison.Ordinal);

        var ids = Findings(yaml).Select(f => f.CheckId).ToList();

        Assert.Contains("container-privileged", ids);
        Assert.DoesNotContain("container-privilege-escalation", ids);
        Assert.DoesNotContain("container-writable-root", ids);
        Assert.DoesNotContain("container-run-as-root", ids);
    }

    [Fact]
    public void Run_once_pods_need_no_probes()
    {
        const string pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: test}\nspec: {restartPolicy: Never, containers: [{name: t, image: \"busybox:1.36\"}]}\n";

        Assert.DoesNotContain(Findings(pod), f => f.CheckId == "container-probes");
        Assert.Contains(Findings(pod.Replace("restartPolicy: Never, ", "", StringComparison.Ordinal)), f => f.CheckId == "container-probes");
    }

    [Fact]
    public void A_budget_over_a_daemonset_is_judged_only_on_absolute_blocks()
    {
        const string set = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec: {selector: {matchLabels: {app: agent}}, template: {metadata: {labels: {app: agent}}, spec: {containers: []}}}\n---\n";

        Assert.DoesNotContain(Findings(set + "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec: {minAvailable: 1, selector: {matchLabels: {app: agent}}}\n"), f => f.CheckId == "pdb-blocks-eviction");
        Assert.Contains(Findings(set + "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec: {maxUnavailable: 0, selector: {matchLabels: {app: agent}}}\n"), f => f.CheckId == "pdb-blocks-eviction");
    }

    [Fact]
    public void Env_key_references_and_pull_secrets_are_references_too()
    {
        var yaml = Fixtures.GoodDeployment
            .Replace("        ports:", "        env:\n        - name: DB_PASSWORD\n          valueFrom: {secretKeyRef: {name: db, key: password}}\n        ports:", StringComparison.Ordinal)
            .Replace("      containers:", "      imagePullSecrets: [{name: regcred}]\n      containers:", StringComparison.Ordinal);

        var messages = Findings(yaml).Where(f => f.CheckId == "pod-references").Select(f => f.Message).ToList();

        Assert.Contains(messages, m => m.StartsWith("Secret 'db'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Secret 'regcred'", StringComparison.Ordinal));
    }

    [Fact]
    public void Ingress_default_backend_must_exist()
    {
        const string ingress = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec: {defaultBackend: {service: {name: missing, port: {number: 80}}}}\n";

        Assert.Contains(Findings(ingress), f => f.CheckId == "ingress-backend" && f.Path == "spec.defaultBackend.service");
    }

    [Fact]
    public void Merge_keys_are_not_unknown_fields()
    {
        var yaml = Fixtures.GoodDeployment.Replace("httpGet: {path: /healthz, port: 8080}", "<<: {periodSeconds: 10}\n          httpGet: {path: /healthz, port: 8080}", StringComparison.Ordinal);

        Assert.DoesNotContain(Findings(yaml), f => f.CheckId == "schema-unknown-field");
    }
}
