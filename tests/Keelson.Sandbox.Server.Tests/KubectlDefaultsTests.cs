namespace Keelson.Sandbox.Server.Tests;

/// <summary>
/// Server defaults through the real kubectl: what <c>kubectl get -o jsonpath</c> reads back after <c>apply</c>,
/// <c>create</c> and <c>--dry-run=server</c> is what a 1.32 API server fills in.
/// </summary>
public sealed class KubectlDefaultsTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>
{
    private Kubectl Kubectl => cluster.Kubectl;

    [Fact]
    public async Task An_applied_deployment_reads_back_with_apps_v1_and_pod_defaults_and_its_revision()
    {
        await Kubectl.OkAsync("apply", "-f", await ManifestAsync("web-deploy", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.27
                    ports: [{containerPort: 80}]
                  - name: tail
                    image: busybox
            """));
        cluster.Server.Server.Advance(TimeSpan.FromSeconds(5));

        var spec = await Kubectl.OkAsync("get", "deploy", "web", "-o",
            "jsonpath={.spec.replicas}|{.spec.strategy.type}|{.spec.strategy.rollingUpdate.maxSurge}|{.spec.strategy.rollingUpdate.maxUnavailable}|{.spec.revisionHistoryLimit}|{.spec.progressDeadlineSeconds}|{.metadata.annotations.deployment\\.kubernetes\\.io/revision}");
        Assert.Equal("1|RollingUpdate|25%|25%|10|600|1", spec);
        var pod = await Kubectl.OkAsync("get", "deploy", "web", "-o",
            "jsonpath={.spec.template.spec.restartPolicy}|{.spec.template.spec.dnsPolicy}|{.spec.template.spec.terminationGracePeriodSeconds}|{.spec.template.spec.schedulerName}|{.spec.template.spec.securityContext}");
        Assert.Equal("Always|ClusterFirst|30|default-scheduler|{}", pod);
        var containers = await Kubectl.OkAsync("get", "deploy", "web", "-o",
            "jsonpath={range .spec.template.spec.containers[*]}{.imagePullPolicy},{.terminationMessagePath},{.terminationMessagePolicy},{.ports[0].protocol};{end}");
        Assert.Equal("IfNotPresent,/dev/termination-log,File,TCP;Always,/dev/termination-log,File,;", containers);
    }

    [Fact]
    public async Task A_second_apply_of_a_defaulted_deployment_changes_nothing()
    {
        var path = await ManifestAsync("again-deploy", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: again}
            spec:
              selector: {matchLabels: {app: again}}
              template:
                metadata: {labels: {app: again}}
                spec: {containers: [{name: web, image: "nginx:1"}]}
            """);
        await Kubectl.OkAsync("apply", "-f", path);
        cluster.Server.Server.Advance(TimeSpan.FromSeconds(5));
        var generation = await Kubectl.OkAsync("get", "deploy", "again", "-o", "jsonpath={.metadata.generation}");

        Assert.Contains("deployment.apps/again unchanged", await Kubectl.OkAsync("apply", "-f", path), StringComparison.Ordinal);
        Assert.Equal(generation, await Kubectl.OkAsync("get", "deploy", "again", "-o", "jsonpath={.metadata.generation}"));
    }

    [Fact]
    public async Task A_service_dry_run_shows_target_port_protocol_and_a_cluster_ip()
    {
        var output = await Kubectl.OkAsync("apply", "--dry-run=server", "-f", await ManifestAsync("api-svc", """
            apiVersion: v1
            kind: Service
            metadata: {name: api}
            spec:
              selector: {app: api}
              ports: [{name: http, port: 8080}]
            """), "-o", "jsonpath={.spec.type}|{.spec.sessionAffinity}|{.spec.ports[0].protocol}|{.spec.ports[0].targetPort}|{.spec.ipFamilyPolicy}|{.spec.ipFamilies[0]}|{.spec.clusterIP}");
        Assert.Matches(@"^ClusterIP\|None\|TCP\|8080\|SingleStack\|IPv4\|10\.96\.\d+\.\d+$", output);
        Assert.Contains("NotFound", (await Kubectl.RunAsync("get", "svc", "api")).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jobs_and_cron_jobs_get_batch_v1_defaults()
    {
        await Kubectl.OkAsync("apply", "-f", await ManifestAsync("batch", """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: once}
            spec:
              template:
                spec: {restartPolicy: Never, containers: [{name: run, image: "busybox:1.36"}]}
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: nightly}
            spec:
              schedule: "0 3 * * *"
              jobTemplate:
                spec:
                  template:
                    spec: {restartPolicy: OnFailure, containers: [{name: run, image: "busybox:1.36"}]}
            """));

        Assert.Equal("1|1|6|NonIndexed|false", await Kubectl.OkAsync("get", "job", "once", "-o",
            "jsonpath={.spec.completions}|{.spec.parallelism}|{.spec.backoffLimit}|{.spec.completionMode}|{.spec.suspend}"));
        Assert.Equal("Allow|false|3|1|ClusterFirst", await Kubectl.OkAsync("get", "cronjob", "nightly", "-o",
            "jsonpath={.spec.concurrencyPolicy}|{.spec.suspend}|{.spec.successfulJobsHistoryLimit}|{.spec.failedJobsHistoryLimit}|{.spec.jobTemplate.spec.template.spec.dnsPolicy}"));
    }

    [Fact]
    public async Task A_created_pod_runs_as_the_default_service_account()
    {
        await Kubectl.OkAsync("create", "-f", await ManifestAsync("solo-pod", """
            apiVersion: v1
            kind: Pod
            metadata: {name: solo}
            spec: {containers: [{name: c, image: busybox}]}
            """));
        Assert.Equal("default|Always|BestEffort|300", await Kubectl.OkAsync("get", "pod", "solo", "-o",
            "jsonpath={.spec.serviceAccountName}|{.spec.containers[0].imagePullPolicy}|{.status.qosClass}|{.spec.tolerations[0].tolerationSeconds}"));
    }

    private async Task<string> ManifestAsync(string name, string yaml)
    {
        var path = Path.Combine(Path.GetDirectoryName(cluster.ManifestPath)!, $"{name}.yaml");
        await File.WriteAllTextAsync(path, yaml);
        return path;
    }
}
