using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using Keelson.Planning;
using Keelson.Rendering;
using Keelson.Spec.Parsing;
using Keelson.Testing;

namespace Keelson.Cli.Tests.Commands;

/// <summary>
/// <c>keelson serve --role inference</c> run with the arguments, port, probes and Secret variable of the Deployment
/// Keelson renders for a stack's registry model, against a real <c>keelson serve</c> holding the registry.
/// </summary>
public sealed class InferenceRoleTests(ServeFixture registry) : IClassFixture<ServeFixture>
{
    private const string Tenant = "role-shop";

    [Fact]
    public async Task The_rendered_deployment_pulls_its_model_turns_ready_once_loaded_and_serves_only_inference()
    {
        var (created, createdBody) = await registry.SendAsync("/api/v1/tenants/", $$$"""{"tenant_id": "{{{Tenant}}}", "name": "m", "service_requirements": {"chatbot": 10}}""", demo: false);
        Assert.True(created == HttpStatusCode.Created, createdBody);
        var container = RenderedContainer($$"""
            apiVersion: keelson.dev/v1alpha1
            kind: Stack
            metadata:
              tenant: {{Tenant}}
              environment: prod
            cluster:
              profile: aws-general
            components:
              - name: scorer
                kind: model
                registry: {server: "{{registry.Url}}", tenant: {{Tenant}}, model: ranker, alias: production}
                replicas: 1
            """, "scorer", out var annotations);

        // What the Deployment runs, listens on and probes, read from the rendered object.
        var args = container.Args.ToList();
        Assert.Equal(["serve", "--role", "inference"], args[..3]);
        var listen = new Uri(Flag(args, "--urls"));
        var port = Assert.Single(container.Ports);
        Assert.Equal(port.ContainerPort, listen.Port);
        Assert.Equal(port.Name, container.ReadinessProbe.HttpGet.Port.Value);
        Assert.Equal(port.Name, container.LivenessProbe.HttpGet.Port.Value);
        Assert.Equal(listen.Port.ToString(CultureInfo.InvariantCulture), annotations["prometheus.io/port"]);
        Assert.Contains(container.VolumeMounts, m => m.MountPath == Flag(args, "--Keelson:DataDirectory"));
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        var keyVariable = Assert.Single(container.Env, e => e.ValueFrom?.SecretKeyRef is not null);

        // Run here with the same arguments, but a free loopback port and a writable directory for the container's emptyDir,
        // and the Secret's variable as the configuration key .NET reads it as (Keelson__Models__X is Keelson:Models:X).
        var url = $"http://127.0.0.1:{FreePort()}";
        var data = Directory.CreateTempSubdirectory("keelson-role-").FullName;
        args = With(With(args, "--urls", url), "--Keelson:DataDirectory", data);
        args.AddRange(["--" + keyVariable.Name.Replace("__", ":", StringComparison.Ordinal), ServeFixture.AdminKey, "--Keelson:Models:AliasRefresh", "00:00:00.200"]);
        using var stop = new CancellationTokenSource();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var run = KeelsonCli.RunAsync([.. args], stdout, stderr, stop.Token);
        using var role = new HttpClient { BaseAddress = new Uri(url) };
        try
        {
            // Live at once; not ready while the registry has no such model.
            await WaitAsync(role, container.LivenessProbe.HttpGet.Path, HttpStatusCode.OK, run, stderr);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(role, container.ReadinessProbe.HttpGet.Path));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(role, "/v2/health/ready"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(role, "/v2/models/ranker/infer", Request()));

            await PushAsync("dynamic_mlp");
            await PushAsync("mlp_v2");
            await SetProductionAsync(1);

            // The retry finds version 1 (production), checks its digest, loads it, and only then answers ready.
            await WaitAsync(role, container.ReadinessProbe.HttpGet.Path, HttpStatusCode.OK, run, stderr);
            var ready = JsonNode.Parse(await role.GetStringAsync(new Uri(container.ReadinessProbe.HttpGet.Path, UriKind.Relative)))!;
            Assert.Equal(("1", true), (ready["version"]!.GetValue<string>(), ready["ready"]!.GetValue<bool>()));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(role, "/v2/health/ready"));

            var request = Request();
            using var answer = await role.PostAsync(new Uri("/v2/models/ranker/infer", UriKind.Relative), Json(request));
            var body = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
            Assert.True(answer.IsSuccessStatusCode, body.ToJsonString());
            Assert.Equal(("ranker", "1"), (body["model_name"]!.GetValue<string>(), body["model_version"]!.GetValue<string>()));
            var expected = (await TestModels.ReferenceAsync("dynamic_mlp", request))["y"];
            var actual = body["outputs"]![0]!["data"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            Assert.Equal(expected.Length, actual.Length);
            Assert.All(expected.Zip(actual), p => Assert.Equal(p.First, p.Second, 1e-5));
            var metadata = JsonNode.Parse(await role.GetStringAsync(new Uri("/v2/models/ranker/versions/production", UriKind.Relative)))!;
            Assert.Equal("[\"1\"]", metadata["versions"]!.ToJsonString());

            // Only the inference surface: the orchestrator's routes, other models and other versions are 404.
            foreach (var path in new[] { "/api/v1/tenants/", "/health/ready", "/docs", "/openapi/v1.json", "/console", "/metrics/pushed", "/v2/models/other/ready", "/v2/models/ranker/versions/2/ready" })
            {
                Assert.True(await StatusAsync(role, path) == HttpStatusCode.NotFound, path);
            }

            var exposition = await role.GetStringAsync(new Uri(annotations["prometheus.io/path"], UriKind.Relative));
            Assert.Contains($"keelson_inference_requests_total{{tenant=\"{Tenant}\",model=\"ranker\",version=\"1\",outcome=\"success\"}} 1", exposition, StringComparison.Ordinal);

            // Production moves to version 2: the running role follows the alias without a restart, and its old version is retired.
            await SetProductionAsync(2);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (JsonNode.Parse(await role.GetStringAsync(new Uri("/v2/models/ranker/ready", UriKind.Relative)))!["version"]!.GetValue<string>() != "2")
            {
                Assert.True(DateTime.UtcNow < deadline, "the role did not follow production to version 2 within 60 s: " + stderr);
                await Task.Delay(100);
            }

            using var moved = await role.PostAsync(new Uri("/v2/models/ranker/infer", UriKind.Relative), Json(request));
            var movedBody = JsonNode.Parse(await moved.Content.ReadAsStringAsync())!;
            Assert.True(moved.IsSuccessStatusCode, movedBody.ToJsonString());
            Assert.Equal("2", movedBody["model_version"]!.GetValue<string>());
            var second = (await TestModels.ReferenceAsync("mlp_v2", request))["y"];
            var secondActual = movedBody["outputs"]![0]!["data"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            Assert.Equal(second.Length, secondActual.Length);
            Assert.All(second.Zip(secondActual), p => Assert.Equal(p.First, p.Second, 1e-5));
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(role, "/v2/models/ranker/versions/1/ready"));

            await stop.CancelAsync();
            Assert.Equal(0, await run);
        }
        finally
        {
            await stop.CancelAsync();
            await run;
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task The_role_without_a_model_names_the_flags_it_needs()
    {
        var (exit, _, error) = await Cli.Run("serve", "--role", "inference", "--urls", $"http://127.0.0.1:{FreePort()}", "--Keelson:Models:Model", "Bad Name");

        Assert.Equal(2, exit);
        Assert.Contains("--Keelson:Models:Registry URL", error, StringComparison.Ordinal);
        Assert.Contains("--Keelson:Models:Tenant TENANT", error, StringComparison.Ordinal);
        Assert.Contains("--Keelson:Models:Model NAME", error, StringComparison.Ordinal);
    }

    private static V1Container RenderedContainer(string yaml, string name, out IDictionary<string, string> annotations)
    {
        var parsed = StackParser.Parse(yaml, "stack.yaml");
        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Diagnostics));
        var manifest = ManifestRenderer.Default.Render(Planner.Default.Plan(parsed.Value!).Plan!);
        var deployment = manifest.Objects.Select(o => o.Resource).OfType<V1Deployment>().Single(d => d.Metadata.Name == name);
        annotations = deployment.Spec.Template.Metadata.Annotations;
        return Assert.Single(deployment.Spec.Template.Spec.Containers);
    }

    private static JsonObject Request() => JsonNode.Parse("""
        {"inputs": [{"name": "x", "datatype": "FP32", "shape": [2, 4], "data": [0.5, -1.25, 2, 3.75, 1, 0, -3, 0.125]}]}
        """)!.AsObject();

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private async Task PushAsync(string model)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/tenants/{Tenant}/models/ranker/versions") { Content = new ByteArrayContent(await TestModels.BytesAsync(model)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await Production(request);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private async Task SetProductionAsync(int version)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/tenants/{Tenant}/models/ranker/aliases/production")
        {
            Content = new StringContent($$"""{"version": {{version}}}""", Encoding.UTF8, "application/json"),
        };
        using var response = await Production(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> Production(HttpRequestMessage request)
    {
        request.Headers.Add("X-Demo-Mode", "false");
        request.Headers.Add("X-API-Key", ServeFixture.AdminKey);
        return registry.Http.SendAsync(request);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string path, JsonObject? post = null)
    {
        using var response = post is null
            ? await http.GetAsync(new Uri(path, UriKind.Relative))
            : await http.PostAsync(new Uri(path, UriKind.Relative), Json(post));
        return response.StatusCode;
    }

    private static async Task WaitAsync(HttpClient http, string path, HttpStatusCode expected, Task<int> run, StringWriter stderr)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(run.IsCompleted, "the inference role ended: " + stderr);
            try
            {
                if (await StatusAsync(http, path) == expected)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.True(DateTime.UtcNow < deadline, $"{path} did not answer {expected} within 60 s: {stderr}");
            await Task.Delay(100);
        }
    }

    private static string Flag(List<string> args, string name) => args[args.IndexOf(name) + 1];

    private static List<string> With(List<string> args, string name, string value)
    {
        var copy = new List<string>(args);
        var at = copy.IndexOf(name);
        Assert.True(at >= 0, $"the rendered arguments have no {name}");
        copy[at + 1] = value;
        return copy;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
