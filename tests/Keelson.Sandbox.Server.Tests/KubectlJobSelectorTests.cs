using System.Text.RegularExpressions;

namespace Keelson.Sandbox.Server.Tests;

/// <summary>
/// The selector and labels the API server generates for a Job without <c>manualSelector</c>, through the real kubectl:
/// the template and its pods carry <c>job-name</c> and <c>controller-uid</c> in both spellings, the selector matches
/// the uid, a hand-written selector is refused, and <c>manualSelector: true</c> keeps the one given.
/// </summary>
public sealed class KubectlJobSelectorTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>
{
    private Kubectl Kubectl => cluster.Kubectl;

    [Fact]
    public async Task A_job_gets_a_generated_selector_and_its_pods_are_found_by_job_name()
    {
        const string Ns = "job-labels";
        await Kubectl.OkAsync("create", "namespace", Ns);
        await Kubectl.OkAsync("apply", "-n", Ns, "-f", await WriteAsync("migrate-job.yaml", """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: migrate
            spec:
              template:
                metadata:
                  labels: {app: migrate}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: migrate
                    image: migrate:2.1
            """));

        var uid = await Kubectl.OkAsync("get", "job", "migrate", "-n", Ns, "-o", "jsonpath={.metadata.uid}");
        Assert.Matches("^[0-9a-f-]{36}$", uid);
        Assert.Equal($$"""{"batch.kubernetes.io/controller-uid":"{{uid}}"}""", await Kubectl.OkAsync("get", "job", "migrate", "-n", Ns, "-o", "jsonpath={.spec.selector.matchLabels}"));
        Assert.Equal("", await Kubectl.OkAsync("get", "job", "migrate", "-n", Ns, "-o", "jsonpath={.spec.manualSelector}"));
        Assert.Equal(
            $$"""{"app":"migrate","batch.kubernetes.io/controller-uid":"{{uid}}","batch.kubernetes.io/job-name":"migrate","controller-uid":"{{uid}}","job-name":"migrate"}""",
            await Kubectl.OkAsync("get", "job", "migrate", "-n", Ns, "-o", "jsonpath={.spec.template.metadata.labels}"));

        // The pod has the template's labels: every usual way of finding a Job's pods works.
        var pod = await Kubectl.OkAsync("get", "pods", "-n", Ns, "-l", "job-name=migrate", "-o", "jsonpath={.items[*].metadata.name}");
        Assert.Matches("^migrate-[a-z0-9]{5}$", pod);
        Assert.Equal(pod, await Kubectl.OkAsync("get", "pods", "-n", Ns, "-l", "batch.kubernetes.io/job-name=migrate", "-o", "jsonpath={.items[*].metadata.name}"));
        Assert.Equal(pod, await Kubectl.OkAsync("get", "pods", "-n", Ns, "-l", $"controller-uid={uid}", "-o", "jsonpath={.items[*].metadata.name}"));
        Assert.Equal(pod, await Kubectl.OkAsync("get", "pods", "-n", Ns, "-l", $"batch.kubernetes.io/controller-uid={uid}", "-o", "jsonpath={.items[*].metadata.name}"));

        // kubectl get -o wide prints the selector; a second apply of the same manifest keeps it and changes nothing.
        Assert.Matches($@"\smigrate:2\.1\s+batch\.kubernetes\.io/controller-uid={Regex.Escape(uid)}$", (await Kubectl.OkAsync("get", "job", "migrate", "-n", Ns, "-o", "wide", "--no-headers")).TrimEnd());
        Assert.Contains("job.batch/migrate unchanged", await Kubectl.OkAsync("apply", "-n", Ns, "-f", Path.Combine(Dir, "migrate-job.yaml")));
        Assert.Equal($$"""{"batch.kubernetes.io/controller-uid":"{{uid}}"}""", await Kubectl.OkAsync("get", "job", "migrate", "-n", Ns, "-o", "jsonpath={.spec.selector.matchLabels}"));

        // kubectl create job (a protobuf body) and a dry run get the same treatment.
        await Kubectl.OkAsync("create", "job", "quick", "-n", Ns, "--image=busybox:1.36");
        Assert.Equal("quick", await Kubectl.OkAsync("get", "pods", "-n", Ns, "-l", "job-name=quick", "-o", "jsonpath={.items[*].metadata.labels.batch\\.kubernetes\\.io/job-name}"));
        var dryRun = await Kubectl.OkAsync("create", "job", "preview", "-n", Ns, "--image=busybox:1.36", "--dry-run=server", "-o", "jsonpath={.metadata.uid} {.spec.selector.matchLabels.batch\\.kubernetes\\.io/controller-uid}");
        Assert.Matches(@"^([0-9a-f-]{36}) \1$", dryRun);
    }

    [Fact]
    public async Task A_hand_written_selector_is_refused_unless_manual_selector_is_true()
    {
        const string Ns = "job-manual";
        await Kubectl.OkAsync("create", "namespace", Ns);
        var job = """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: picky
            spec:
              {{manual}}selector:
                matchLabels: {app: picky}
              template:
                metadata:
                  labels: {app: picky}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: picky
                    image: picky:1.0
            """;
        var (exit, _, error) = await Kubectl.RunAsync("apply", "-n", Ns, "-f", await WriteAsync("picky.yaml", job.Replace("{{manual}}", "", StringComparison.Ordinal)));
        Assert.NotEqual(0, exit);
        Assert.Contains("The Job \"picky\" is invalid: spec.selector: Invalid value:", error);
        Assert.Contains("`selector` not auto-generated", error);

        await Kubectl.OkAsync("apply", "-n", Ns, "-f", await WriteAsync("picky-manual.yaml", job.Replace("{{manual}}", "manualSelector: true\n  ", StringComparison.Ordinal)));
        Assert.Equal("""{"app":"picky"}""", await Kubectl.OkAsync("get", "job", "picky", "-n", Ns, "-o", "jsonpath={.spec.selector.matchLabels}"));
        Assert.Equal("""{"app":"picky"}""", await Kubectl.OkAsync("get", "job", "picky", "-n", Ns, "-o", "jsonpath={.spec.template.metadata.labels}"));
        Assert.Equal("picky", await Kubectl.OkAsync("get", "pods", "-n", Ns, "-l", "app=picky", "-o", "jsonpath={.items[*].metadata.labels.app}"));
    }

    [Fact]
    public async Task A_cron_jobs_jobs_get_the_generated_labels_too()
    {
        const string Ns = "job-cron";
        await Kubectl.OkAsync("create", "namespace", Ns);
        await Kubectl.OkAsync("create", "cronjob", "tick", "-n", Ns, "--image=busybox:1.36", "--schedule=* * * * *");
        cluster.Server.Server.Advance(TimeSpan.FromSeconds(70));
        var job = await Kubectl.OkAsync("get", "jobs", "-n", Ns, "-o", "jsonpath={.items[0].metadata.name}");
        Assert.StartsWith("tick-", job, StringComparison.Ordinal);
        Assert.Equal(job, await Kubectl.OkAsync("get", "pods", "-n", Ns, "-l", $"job-name={job}", "-o", "jsonpath={.items[0].metadata.labels.job-name}"));
    }

    private string Dir => Path.GetDirectoryName(cluster.ManifestPath)!;

    private async Task<string> WriteAsync(string name, string yaml)
    {
        var path = Path.Combine(Dir, name);
        await File.WriteAllTextAsync(path, yaml);
        return path;
    }
}
