using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s.Models;
using Keelson.Sandbox.Engine;

namespace Keelson.Sandbox.Server.Tests;

/// <summary>
/// <c>apiextensions.k8s.io/v1</c> CustomResourceDefinitions through the real kubectl: a definition applied and waited
/// for, custom objects of its kind created, listed with its printer columns, refused when they break its schema,
/// explained from its OpenAPI schema, and deleted with the definition.
/// </summary>
public sealed class KubectlCustomResourceTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>
{
    /// <summary>The CronTab definition of the Kubernetes documentation's CRD walkthrough, with printer columns.</summary>
    public const string CronTabDefinition = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: crontabs.stable.example.com
        spec:
          group: stable.example.com
          scope: Namespaced
          names:
            plural: crontabs
            singular: crontab
            kind: CronTab
            shortNames: [ct]
            categories: [all]
          versions:
          - name: v1
            served: true
            storage: true
            additionalPrinterColumns:
            - name: Spec
              type: string
              description: The cron spec defining the interval a CronJob is run
              jsonPath: .spec.cronSpec
            - name: Replicas
              type: integer
              description: The number of jobs launched by the CronJob
              jsonPath: .spec.replicas
            - name: Age
              type: date
              jsonPath: .metadata.creationTimestamp
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    description: What the cron tab runs, and when.
                    required: [cronSpec]
                    properties:
                      cronSpec:
                        type: string
                        description: The schedule in cron format.
                        pattern: '^(\d+|\*)(/\d+)?(\s+(\d+|\*)(/\d+)?){4}$'
                      image:
                        type: string
                        description: The container image to run.
                      replicas:
                        type: integer
                        minimum: 1
                        maximum: 10
                        default: 1
                      mode:
                        type: string
                        enum: [Fast, Slow]
                  status:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true
        """;

    private Kubectl Kubectl => cluster.Kubectl;

    [Fact]
    public async Task A_definition_is_applied_established_listed_and_its_objects_printed_with_their_columns()
    {
        const string Ns = "crd-basics";
        await Kubectl.OkAsync("create", "namespace", Ns);
        // Other tests of this class may have applied the definition already.
        Assert.Matches(@"^customresourcedefinition\.apiextensions\.k8s\.io/crontabs\.stable\.example\.com (created|unchanged)\n$", await Kubectl.OkAsync("apply", "-f", await WriteAsync("crontab-crd.yaml", CronTabDefinition)));
        Assert.Contains("condition met", await Kubectl.OkAsync("wait", "--for", "condition=established", "--timeout=20s", "crd/crontabs.stable.example.com"));

        var crds = (await Kubectl.OkAsync("get", "crd")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+CREATED AT$", crds[0]);
        Assert.Contains(crds, l => Regex.IsMatch(l, @"^crontabs\.stable\.example\.com\s+\d{4}-\d\d-\d\dT"));
        var accepted = JsonNode.Parse(await Kubectl.OkAsync("get", "crd", "crontabs.stable.example.com", "-o", "jsonpath={.status.acceptedNames}"))!;
        Assert.Equal(("CronTab", "CronTabList", "crontab"), ((string?)accepted["kind"], (string?)accepted["listKind"], (string?)accepted["singular"]));

        // Discovery: kubectl resolves the plural, the short name and the category.
        var resources = await Kubectl.OkAsync("api-resources", "--api-group=stable.example.com");
        Assert.True(Regex.IsMatch(resources, @"^crontabs\s+ct\s+stable\.example\.com/v1\s+true\s+CronTab$", RegexOptions.Multiline), resources);
        Assert.Contains("crontab.stable.example.com/nightly created", await Kubectl.OkAsync("apply", "-n", Ns, "-f", await WriteAsync("nightly.yaml", """
            apiVersion: stable.example.com/v1
            kind: CronTab
            metadata:
              name: nightly
            spec:
              cronSpec: "0 2 * * *"
              image: backup:1.0
              replicas: 3
            """)));
        Assert.Contains("crontab.stable.example.com/hourly created", await Kubectl.OkAsync("apply", "-n", Ns, "-f", await WriteAsync("hourly.yaml", """
            apiVersion: stable.example.com/v1
            kind: CronTab
            metadata:
              name: hourly
              labels: {tier: cheap}
            spec:
              cronSpec: "0 * * * *"
              image: report:2.1
            """)));

        var lines = (await Kubectl.OkAsync("get", "crontabs", "-n", Ns)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+SPEC\s+REPLICAS\s+AGE$", lines[0]);
        Assert.Matches(@"^hourly\s+0 \* \* \* \*\s+1\s+\d+s$", lines[1]);
        Assert.Matches(@"^nightly\s+0 2 \* \* \*\s+3\s+\d+s$", lines[2]);

        // The schema's default filled replicas in; short name, label selector and field selector all reach the objects.
        Assert.Equal("1", await Kubectl.OkAsync("get", "ct", "hourly", "-n", Ns, "-o", "jsonpath={.spec.replicas}"));
        Assert.Equal("hourly", await Kubectl.OkAsync("get", "crontab", "-n", Ns, "-l", "tier=cheap", "-o", "jsonpath={.items[*].metadata.name}"));
        Assert.Equal("nightly", await Kubectl.OkAsync("get", "crontabs.stable.example.com", "-n", Ns, "--field-selector", "metadata.name=nightly", "-o", "jsonpath={.items[*].metadata.name}"));
        Assert.Contains("crontab.stable.example.com/nightly", await Kubectl.OkAsync("get", "all", "-n", Ns, "-o", "name"));

        // Patches: merge and JSON patch work; strategic merge is refused for custom resources, as upstream.
        await Kubectl.OkAsync("patch", "crontab", "nightly", "-n", Ns, "--type=merge", "-p", """{"spec":{"replicas":4}}""");
        await Kubectl.OkAsync("patch", "crontab", "nightly", "-n", Ns, "--type=json", "-p", """[{"op":"replace","path":"/spec/image","value":"backup:1.1"}]""");
        Assert.Equal("4 backup:1.1", await Kubectl.OkAsync("get", "crontab", "nightly", "-n", Ns, "-o", "jsonpath={.spec.replicas} {.spec.image}"));
        var (exit, _, error) = await Kubectl.RunAsync("patch", "crontab", "nightly", "-n", Ns, "--type=strategic", "-p", """{"spec":{"replicas":5}}""");
        Assert.NotEqual(0, exit);
        Assert.Contains("the body of the request was in an unknown format", error);

        // Server-side apply of a custom object, and kubectl's own client-side re-apply, both work.
        Assert.Contains("serverside-applied", await Kubectl.OkAsync("apply", "--server-side", "-n", Ns, "-f", Path.Combine(Dir, "hourly.yaml")));
    }

    [Fact]
    public async Task An_object_that_breaks_the_schema_is_refused_with_the_API_servers_message()
    {
        const string Ns = "crd-invalid";
        await EstablishAsync(Ns);
        var (exit, _, error) = await Kubectl.RunAsync("apply", "-n", Ns, "-f", await WriteAsync("bad.yaml", """
            apiVersion: stable.example.com/v1
            kind: CronTab
            metadata:
              name: broken
            spec:
              cronSpec: "* * * *"
              replicas: "three"
              mode: Medium
            """));
        Assert.NotEqual(0, exit);
        Assert.Contains("The CronTab \"broken\" is invalid:", error);
        Assert.Contains("spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"", error);
        Assert.Contains("spec.mode: Unsupported value: \"Medium\": supported values: \"Fast\", \"Slow\"", error);
        Assert.Contains("spec.cronSpec: Invalid value: \"* * * *\": spec.cronSpec in body should match", error);

        (exit, _, error) = await Kubectl.RunAsync("apply", "-n", Ns, "-f", await WriteAsync("too-many.yaml", """
            apiVersion: stable.example.com/v1
            kind: CronTab
            metadata:
              name: greedy
            spec:
              replicas: 11
            """));
        Assert.NotEqual(0, exit);
        Assert.Contains("spec.cronSpec: Required value", error);
        Assert.Contains("spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10", error);

        // A typo'd field: kubectl's strict validation refuses it, --validate=false stores it pruned.
        var typo = await WriteAsync("typo.yaml", """
            apiVersion: stable.example.com/v1
            kind: CronTab
            metadata:
              name: typo
            spec:
              cronSpec: "*/5 * * * *"
              imagez: x
            """);
        (exit, _, error) = await Kubectl.RunAsync("apply", "-n", Ns, "-f", typo);
        Assert.NotEqual(0, exit);
        Assert.Contains("strict decoding error: unknown field \"spec.imagez\"", error);
        await Kubectl.OkAsync("apply", "-n", Ns, "--validate=false", "-f", typo);
        Assert.Equal("""{"cronSpec":"*/5 * * * *","replicas":1}""", await Kubectl.OkAsync("get", "crontab", "typo", "-n", Ns, "-o", "jsonpath={.spec}"));
    }

    [Fact]
    public async Task Explain_reads_the_definitions_schema()
    {
        await EstablishAsync("crd-explain");
        var explained = await Kubectl.OkAsync("explain", "crontab.spec");
        Assert.Contains("GROUP:      stable.example.com", explained);
        Assert.Contains("KIND:       CronTab", explained);
        Assert.Contains("What the cron tab runs, and when.", explained);
        Assert.Matches(@"cronSpec\s+<string> -required-", explained);
        Assert.Contains("The schedule in cron format.", explained);
        Assert.Matches(@"replicas\s+<integer>", explained);
    }

    [Fact]
    public async Task A_definition_that_is_not_valid_is_refused_with_field_causes()
    {
        var path = await WriteAsync("bad-crd.yaml", """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: widgets.example.com
            spec:
              group: example.com
              scope: Regional
              names: {plural: gadgets, kind: Widget}
              versions:
              - name: v1
                served: true
                storage: false
            """);
        var (exit, _, error) = await Kubectl.RunAsync("apply", "-f", path);
        Assert.NotEqual(0, exit);
        Assert.Contains("The CustomResourceDefinition \"widgets.example.com\" is invalid:", error);
        Assert.Contains("metadata.name: Invalid value: \"widgets.example.com\": must be spec.names.plural+\".\"+spec.group", error);
        Assert.Contains("spec.scope: Unsupported value: \"Regional\": supported values: \"Cluster\", \"Namespaced\"", error);
        Assert.Contains("spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required", error);
        Assert.Contains("must have exactly one version marked as storage version", error);
        Assert.False(cluster.Server.Server.Inspect(c => c.Engine.Store.List<V1CustomResourceDefinition>().Any(d => d.Metadata.Name == "widgets.example.com")));
    }

    [Fact]
    public async Task A_definition_that_needs_a_conversion_webhook_is_refused()
    {
        var (exit, _, error) = await Kubectl.RunAsync("apply", "-f", await WriteAsync("webhook-crd.yaml", """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: hooks.example.com
            spec:
              group: example.com
              scope: Namespaced
              names: {plural: hooks, kind: Hook}
              conversion:
                strategy: Webhook
                webhook:
                  conversionReviewVersions: [v1]
                  clientConfig: {url: "https://converter.example.com/convert"}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
            """));
        Assert.NotEqual(0, exit);
        Assert.Contains("The CustomResourceDefinition \"hooks.example.com\" is invalid: spec.conversion.strategy: Unsupported value: \"Webhook\": supported values: \"None\" (the Keelson sandbox calls no conversion webhooks)", error);
    }

    [Fact]
    public async Task Deleting_the_definition_deletes_its_objects_and_the_resource_goes_from_discovery()
    {
        const string Group = "gone.example.com";
        await Kubectl.OkAsync("create", "namespace", "crd-delete");
        await Kubectl.OkAsync("apply", "-f", await WriteAsync("gizmo-crd.yaml", $$"""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: gizmos.{{Group}}
            spec:
              group: {{Group}}
              scope: Cluster
              names: {plural: gizmos, kind: Gizmo}
              versions:
              - name: v1alpha1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true
            """));
        await Kubectl.OkAsync("wait", "--for", "condition=established", "--timeout=20s", $"crd/gizmos.{Group}");
        await Kubectl.OkAsync("apply", "-f", await WriteAsync("gizmo.yaml", $$"""
            apiVersion: {{Group}}/v1alpha1
            kind: Gizmo
            metadata: {name: one}
            anything: {goes: [1, 2]}
            """));
        Assert.Equal("""{"goes":[1,2]}""", await Kubectl.OkAsync("get", "gizmo", "one", "-o", "jsonpath={.anything}"));
        Assert.Matches(@"^NAME\s+AGE\n(?:one\s+\d+s\n)$", await Kubectl.OkAsync("get", "gizmos"));

        Assert.Contains("deleted", await Kubectl.OkAsync("delete", "crd", $"gizmos.{Group}"));
        Assert.Empty(cluster.Server.Server.Inspect(c => c.Engine.Store.List(Group, "Gizmo", null).ToList()));
        // kubectl still has the resource in its discovery cache: the list itself is a 404, as from a real API server.
        var (exit, _, error) = await Kubectl.RunAsync("get", "gizmos");
        Assert.NotEqual(0, exit);
        Assert.Contains("the server could not find the requested resource (/apis/gone.example.com/v1alpha1/gizmos)", error);

        // api-resources reads discovery afresh: the group is gone, and kubectl no longer knows the name.
        Assert.DoesNotContain("gizmos", await Kubectl.OkAsync("api-resources"));
        (exit, _, error) = await Kubectl.RunAsync("get", "gizmos");
        Assert.NotEqual(0, exit);
        Assert.Contains("the server doesn't have a resource type \"gizmos\"", error);
    }

    [Fact]
    public async Task A_watch_on_custom_objects_sees_them_added_modified_and_deleted()
    {
        const string Ns = "crd-watch";
        await EstablishAsync(Ns);
        await Kubectl.OkAsync("apply", "-n", Ns, "-f", await WriteAsync("watched.yaml", """
            apiVersion: stable.example.com/v1
            kind: CronTab
            metadata:
              name: watched
            spec:
              cronSpec: "*/10 * * * *"
              replicas: 2
            """));

        // Rows are the server's table with the definition's columns: EVENT, NAME, SPEC (five words), REPLICAS, AGE.
        using var watch = Kubectl.Start("get", "crontabs", "-n", Ns, "-w", "--output-watch-events");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var events = new List<string>();
            string? line;
            while ((line = await watch.StandardOutput.ReadLineAsync(timeout.Token)) is not null)
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields is [var type, "watched", _, _, _, _, _, var replicas, _])
                {
                    events.Add($"{type} {replicas}");
                    if (type == "ADDED")
                    {
                        await Kubectl.OkAsync("patch", "crontab", "watched", "-n", Ns, "--type=merge", "-p", """{"spec":{"replicas":7}}""");
                        await Kubectl.OkAsync("delete", "crontab", "watched", "-n", Ns);
                    }
                    else if (type == "DELETED")
                    {
                        break;
                    }
                }
            }

            Assert.Equal(["ADDED 2", "MODIFIED 7", "DELETED 7"], events);
        }
        finally
        {
            watch.Kill();
        }
    }

    [Fact]
    public async Task A_saved_sandbox_keeps_its_definitions_and_custom_objects()
    {
        const string Ns = "crd-saved";
        await EstablishAsync(Ns);
        await Kubectl.OkAsync("apply", "-n", Ns, "-f", await WriteAsync("kept.yaml", """
            apiVersion: stable.example.com/v1
            kind: CronTab
            metadata:
              name: kept
            spec:
              cronSpec: "0 0 * * 0"
              mode: Slow
            status:
              lastRun: never
            """));
        var saved = Path.Combine(Dir, "saved.json");
        using (var state = cluster.Server.Server.Inspect(c => SandboxState.Serialize(c.Engine)))
        {
            await SandboxState.WriteAsync(state, saved, CancellationToken.None);
        }

        // A second facade over the loaded file serves the kind at once, with the object as it was.
        var engine = await SandboxState.LoadAsync(saved, null, CancellationToken.None);
        await using var reloaded = await SandboxApiServer.StartAsync(new SandboxCluster(engine!), new SandboxApiOptions(), CancellationToken.None);
        var kubeconfig = Path.Combine(Dir, "reloaded-kubeconfig");
        await SandboxKubeconfig.WriteAsync(kubeconfig, reloaded.Url, CancellationToken.None);
        var kubectl = new Kubectl(kubeconfig, Path.Combine(Dir, "reloaded-cache"));
        Assert.Equal(
            """{"cronSpec":"0 0 * * 0","mode":"Slow","replicas":1} {"lastRun":"never"}""",
            await kubectl.OkAsync("get", "crontab", "kept", "-n", Ns, "-o", "jsonpath={.spec} {.status}"));
        Assert.Equal("True", await kubectl.OkAsync("get", "crd", "crontabs.stable.example.com", "-o", "jsonpath={.status.conditions[?(@.type==\"Established\")].status}"));
    }

    private string Dir => Path.GetDirectoryName(cluster.ManifestPath)!;

    private async Task EstablishAsync(string ns)
    {
        await Kubectl.OkAsync("create", "namespace", ns);
        await Kubectl.OkAsync("apply", "-f", await WriteAsync("crontab-crd.yaml", CronTabDefinition));
        await Kubectl.OkAsync("wait", "--for", "condition=established", "--timeout=20s", "crd/crontabs.stable.example.com");
    }

    private async Task<string> WriteAsync(string name, string yaml)
    {
        var path = Path.Combine(Dir, name);
        await File.WriteAllTextAsync(path, yaml);
        return path;
    }
}
