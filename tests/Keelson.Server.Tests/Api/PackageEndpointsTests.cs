using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Keelson.Server.Tests.Api;

/// <summary>
/// The deployment wizard's manifest steps as the ECP-AI UI makes them (no X-Demo-Mode, zero counts): generate-manifests,
/// manifest-preview and download-package, all rendered by Keelson's renderer and reproducible to the byte.
/// </summary>
public sealed class PackageEndpointsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static JsonObject Services(int callbot, int chatbot = 0, int tts = 0) => new()
    {
        ["callbot"] = callbot, ["chatbot"] = chatbot, ["advisor"] = 0, ["stt"] = 0, ["tts"] = tts, ["ta"] = 0, ["qa"] = 0,
    };

    [Fact]
    public async Task Generate_manifests_as_the_wizard_sends_it_renders_the_tree_without_storing_a_tenant()
    {
        // DeploymentWizard.tsx step 3: {...SR, gpu_type, cloud_provider}.
        var body = Services(30, tts: 10);
        body["gpu_type"] = "t4";
        body["cloud_provider"] = "aws";
        var (status, generated, _) = await Send(HttpMethod.Post, "/api/v1/tenants/wiz-gen/generate-manifests", body.ToJsonString());

        Assert.True(status == HttpStatusCode.OK, generated.ToJsonString());
        var manifests = generated["manifests"]!.AsObject();
        Assert.Equal(manifests.Count, generated["manifest_count"]!.GetValue<int>());
        Assert.Equal((true, "wiz-gen", "aws-gpu"), (generated["success"]!.GetValue<bool>(), generated["tenant_id"]!.GetValue<string>(), generated["cluster_profile"]!.GetValue<string>()));
        Assert.Contains("namespace.yaml", manifests.Select(m => m.Key));
        Assert.Contains("application/callbot-deployment.yaml", manifests.Select(m => m.Key));
        Assert.All(manifests, m => Assert.EndsWith(".yaml", m.Key, StringComparison.Ordinal));
        Assert.Contains("kind: Deployment", manifests["application/callbot-deployment.yaml"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("nvidia.com/gpu", manifests["application/callbot-deployment.yaml"]!.GetValue<string>(), StringComparison.Ordinal);

        var (_, planned, _) = await Send(HttpMethod.Post, "/api/v1/calculate-resources?gpu_type=t4", Services(30, tts: 10).ToJsonString());
        var estimate = generated["estimated_resources"]!;
        Assert.Equal(("t4", planned["plan"]!["resources"]!["gpu"]!.GetValue<int>()), (estimate["gpu_type"]!.GetValue<string>(), estimate["gpu_count"]!.GetValue<int>()));
        Assert.Equal(planned["preset"]!.GetValue<string>(), generated["preset"]!.GetValue<string>());

        // Byte-identical for the same input; the tenant need not exist and is not created.
        Assert.Equal(generated.ToJsonString(), (await Send(HttpMethod.Post, "/api/v1/tenants/wiz-gen/generate-manifests", body.ToJsonString())).Body.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, "/api/v1/tenants/wiz-gen", null)).Status);

        // cloud_provider picks the cluster profile in Keelson (the original ignores it).
        body["cloud_provider"] = "ncp";
        var (_, onNcp, _) = await Send(HttpMethod.Post, "/api/v1/tenants/wiz-gen/generate-manifests", body.ToJsonString());
        Assert.Equal("ncp", onNcp["cluster_profile"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generated_manifests_are_the_objects_the_stored_tenant_renders()
    {
        var create = new JsonObject { ["tenant_id"] = "wiz-same", ["service_requirements"] = Services(20), ["gpu_type"] = "t4", ["auto_deploy"] = false };
        Assert.Equal(HttpStatusCode.Created, (await Send(HttpMethod.Post, "/api/v1/tenants/", create.ToJsonString())).Status);
        var body = Services(20);
        body["gpu_type"] = "t4";
        var (_, generated, _) = await Send(HttpMethod.Post, "/api/v1/tenants/wiz-same/generate-manifests", body.ToJsonString());

        using var client = factory.CreateClient();
        var stream = await client.GetStringAsync(new Uri("/api/v1/tenants/wiz-same/manifest", UriKind.Relative));
        var deployment = generated["manifests"]!["application/callbot-deployment.yaml"]!.GetValue<string>();
        Assert.Contains(deployment, stream, StringComparison.Ordinal);

        var (status, preview, _) = await Send(HttpMethod.Get, "/api/v1/tenants/wiz-same/manifest-preview", null);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(generated["manifests"]!.AsObject().Select(m => m.Key), preview["manifest_files"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(("wiz-same", "t4", 20), (preview["tenant_specs"]!["tenant_id"]!.GetValue<string>(), preview["tenant_specs"]!["gpu_type"]!.GetValue<string>(),
            preview["tenant_specs"]!["service_requirements"]!["callbot"]!.GetValue<int>()));
        Assert.Contains(preview["image_matching_info"]!.AsArray(), i => i!["service_name"]!.GetValue<string>() == "callbot" && i["image"]!.GetValue<string>().Length > 0);
        Assert.False(preview["manifest_editability"]!["can_edit"]!.GetValue<bool>());
        Assert.NotEmpty(preview["manifest_editability"]!["edit_restrictions"]!.AsArray());
        Assert.Equal("T4", preview["service_configs"]!["callbot"]!["device"]!.GetValue<string>());
        Assert.Contains(preview["environment_configs"]!.AsArray(), e => e!["workload"]!.GetValue<string>() == "callbot");
    }

    [Fact]
    public async Task The_wizard_download_is_a_reproducible_zip_that_unzip_and_dotnet_both_open()
    {
        // The wizard's deploy step creates the tenant, then its download buttons GET with ?cloud_provider= and no body.
        var create = new JsonObject { ["tenant_id"] = "wiz-zip", ["service_requirements"] = Services(30, chatbot: 20), ["gpu_type"] = "t4", ["cloud_provider"] = "aws", ["auto_deploy"] = false };
        var (created, tenant, _) = await Send(HttpMethod.Post, "/api/v1/tenants/", create.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, created);
        var preset = tenant["preset"]!.GetValue<string>();

        using var client = factory.CreateClient();
        var (first, headers) = await Download(client, "/api/v1/tenants/wiz-zip/download-package?cloud_provider=aws");
        var (second, _) = await Download(client, "/api/v1/tenants/wiz-zip/download-package?cloud_provider=aws");

        Assert.Equal("application/zip", headers.ContentType?.MediaType);
        Assert.Equal("attachment", headers.ContentDisposition!.DispositionType);
        Assert.Equal($"ecp-ai-wiz-zip-{preset}-deployment.zip", headers.ContentDisposition.FileName);
        Assert.Equal(first, second);

        using (var zip = new ZipArchive(new MemoryStream(first), ZipArchiveMode.Read))
        {
            var names = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Equal(names.Order(StringComparer.Ordinal), names);
            Assert.Contains("README.md", names);
            Assert.Contains("plan.json", names);
            Assert.Contains("spec.json", names);
            Assert.Contains("manifests/namespace.yaml", names);
            Assert.Contains("manifests/application/callbot-deployment.yaml", names);
            Assert.Contains("manifests/scripts/deploy.sh", names);
            Assert.All(zip.Entries, e => Assert.Equal(new DateTime(1980, 1, 1), e.LastWriteTime.DateTime));
            Assert.Equal(0x81ED, zip.GetEntry("manifests/scripts/deploy.sh")!.ExternalAttributes >>> 16);
            var spec = JsonNode.Parse(Read(zip, "spec.json"))!;
            Assert.Equal((30, "t4"), (spec["service_requirements"]!["callbot"]!.GetValue<int>(), spec["gpu_type"]!.GetValue<string>()));
            Assert.Contains($"preset: {preset}", Read(zip, "README.md"), StringComparison.Ordinal);
            Assert.Contains("g4dn.xlarge", JsonNode.Parse(Read(zip, "plan.json"))!["nodes"]!.AsArray().Select(n => n!["instance_type"]!.GetValue<string>()));
        }

        // Debian's unzip, an independent reader, tests every entry's CRC.
        var path = Path.Combine(factory.DataDirectory, "wiz-zip.zip");
        await File.WriteAllBytesAsync(path, first);
        var (exit, output) = await Run("unzip", "-t", path);
        Assert.True(exit == 0, output);
        Assert.Contains("No errors detected", output, StringComparison.Ordinal);

        // Another cloud: the same tenant planned on ncp's instance types.
        var (onNcp, _) = await Download(client, "/api/v1/tenants/wiz-zip/download-package?cloud_provider=ncp");
        using var ncpZip = new ZipArchive(new MemoryStream(onNcp), ZipArchiveMode.Read);
        Assert.Contains("g1-t4", Read(ncpZip, "plan.json"), StringComparison.Ordinal);
        Assert.Equal("ncp", JsonNode.Parse(Read(ncpZip, "spec.json"))!["cloud_provider"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_wizard_s_step_4_download_before_the_tenant_is_saved_packages_what_generate_manifests_rendered()
    {
        // Found driving the real UI (bench/dropin/real-ui.sh): DeploymentWizard.tsx offers its download buttons in step 4,
        // after step 3's generate-manifests and before "배포 실행" creates the tenant, and sends only ?cloud_provider=.
        var body = Services(20);
        body["gpu_type"] = "auto";
        body["cloud_provider"] = "iaas";
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, "/api/v1/tenants/wiz-draft/download-package?cloud_provider=iaas", null)).Status);
        var (generated, manifests, _) = await Send(HttpMethod.Post, "/api/v1/tenants/wiz-draft/generate-manifests", body.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, generated);

        var (onAws, headers) = await Download(client, "/api/v1/tenants/wiz-draft/download-package?cloud_provider=iaas");
        var (onNcp, _) = await Download(client, "/api/v1/tenants/wiz-draft/download-package?cloud_provider=ncp");

        Assert.StartsWith("ecp-ai-wiz-draft-", headers.ContentDisposition!.FileName, StringComparison.Ordinal);
        using (var zip = new ZipArchive(new MemoryStream(onAws), ZipArchiveMode.Read))
        {
            var spec = JsonNode.Parse(Read(zip, "spec.json"))!;
            Assert.Equal((20, "iaas"), (spec["service_requirements"]!["callbot"]!.GetValue<int>(), spec["cloud_provider"]!.GetValue<string>()));
            // The package holds the very files generate-manifests answered with.
            var files = zip.Entries.Select(e => e.FullName).Where(n => n.StartsWith("manifests/", StringComparison.Ordinal)).ToHashSet();
            Assert.All(manifests["manifests"]!.AsObject(), m => Assert.Contains("manifests/" + m.Key, files));
            Assert.Equal(manifests["manifests"]!["namespace.yaml"]!.GetValue<string>(), Read(zip, "manifests/namespace.yaml"));
        }

        using (var zip = new ZipArchive(new MemoryStream(onNcp), ZipArchiveMode.Read))
        {
            Assert.Equal("ncp", JsonNode.Parse(Read(zip, "spec.json"))!["cloud_provider"]!.GetValue<string>());
            Assert.Contains("cluster profile: ncp", Read(zip, "README.md"), StringComparison.Ordinal);
        }

        // Still nothing saved; the other mode's database knows nothing of it.
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, "/api/v1/tenants/wiz-draft", null)).Status);
    }

    [Fact]
    public async Task A_posted_download_needs_no_tenant_and_takes_the_flat_body()
    {
        using var client = factory.CreateClient();
        var body = Services(10);
        body["gpu_type"] = "auto";
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("/api/v1/tenants/wiz-post/download-package", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("ecp-ai-wiz-post-", response.Content.Headers.ContentDisposition!.FileName, StringComparison.Ordinal);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
        Assert.Equal(10, JsonNode.Parse(Read(zip, "spec.json"))!["service_requirements"]!["callbot"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, "/api/v1/tenants/wiz-post", null)).Status);
    }

    [Theory]
    [InlineData("GET", "/api/v1/tenants/nobody/download-package?cloud_provider=aws", null, HttpStatusCode.NotFound, "nobody")]
    [InlineData("GET", "/api/v1/tenants/nobody/manifest-preview", null, HttpStatusCode.NotFound, "nobody")]
    [InlineData("POST", "/api/v1/tenants/x1/generate-manifests", """{"callbot": 10, "callbot": 11}""", HttpStatusCode.BadRequest, "duplicate")]
    [InlineData("POST", "/api/v1/tenants/x1/generate-manifests", """{"callbot": -5}""", HttpStatusCode.UnprocessableEntity, "callbot")]
    [InlineData("POST", "/api/v1/tenants/x1/generate-manifests", """{"callbot": 10, "gpu_type": "a100"}""", HttpStatusCode.UnprocessableEntity, "gpu_type")]
    [InlineData("POST", "/api/v1/tenants/x1/generate-manifests", """{"callbot": 10, "cloud_provider": "azure"}""", HttpStatusCode.UnprocessableEntity, "cloud_provider")]
    [InlineData("POST", "/api/v1/tenants/Bad_Id/generate-manifests", """{"callbot": 10}""", HttpStatusCode.UnprocessableEntity, "tenant_id")]
    [InlineData("POST", "/api/v1/tenants/x1/generate-manifests", """{"callbot": 10, "kubernetes_advanced_config": {}}""", HttpStatusCode.UnprocessableEntity, "kubernetes_advanced_config")]
    [InlineData("POST", "/api/v1/tenants/x1/download-package", """{"callbot": 10, "callbot": 11}""", HttpStatusCode.BadRequest, "duplicate")]
    [InlineData("POST", "/api/v1/tenants/x1/download-package?gpu_type=a100", """{"callbot": 10}""", HttpStatusCode.UnprocessableEntity, "gpu_type")]
    public async Task Bad_requests_are_problems_with_a_detail(string method, string path, string? json, HttpStatusCode expected, string mentioned)
    {
        var (status, problem, headers) = await Send(new HttpMethod(method), path, json);

        Assert.Equal(expected, status);
        Assert.Equal("application/problem+json", headers.ContentType);
        Assert.Contains(mentioned, problem["detail"]!.GetValue<string>() + problem["title"]?.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_stored_download_for_an_unknown_cloud_is_422()
    {
        var create = new JsonObject { ["tenant_id"] = "wiz-cloud", ["service_requirements"] = Services(10), ["auto_deploy"] = false };
        Assert.Equal(HttpStatusCode.Created, (await Send(HttpMethod.Post, "/api/v1/tenants/", create.ToJsonString())).Status);

        var (status, problem, _) = await Send(HttpMethod.Get, "/api/v1/tenants/wiz-cloud/download-package?cloud_provider=azure", null);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("cloud_provider", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenant_made_from_a_stack_document_downloads_its_stack_and_can_move_cloud()
    {
        const string Stack = """
            apiVersion: keelson.dev/v1alpha1
            kind: Stack
            metadata: {tenant: wiz-stack}
            sla: {availability: 99.9%, responseTime: 200ms}
            cluster: {profile: aws-gpu}
            components:
              - {name: bot, kind: ai-service, service: chatbot, sessions: 20}
            """;
        using var client = factory.CreateClient();
        using (var created = await client.PostAsync(new Uri("/api/v1/tenants/", UriKind.Relative), new StringContent(Stack, Encoding.UTF8, "application/yaml")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var (own, _) = await Download(client, "/api/v1/tenants/wiz-stack/download-package");
        using (var zip = new ZipArchive(new MemoryStream(own), ZipArchiveMode.Read))
        {
            Assert.Null(zip.GetEntry("spec.json"));
            Assert.Equal(Stack + "\n", Read(zip, "stack.yaml"));
            Assert.Contains("cluster profile: aws-gpu", Read(zip, "README.md"), StringComparison.Ordinal);
        }

        var (moved, _) = await Download(client, "/api/v1/tenants/wiz-stack/download-package?cloud_provider=ncp");
        using var ncp = new ZipArchive(new MemoryStream(moved), ZipArchiveMode.Read);
        var readme = Read(ncp, "README.md");
        Assert.Contains("cluster profile: ncp", readme, StringComparison.Ordinal);
        Assert.Contains("instead of the cluster the stored stack names", readme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_describes_each_route()
    {
        using var client = factory.CreateClient();
        var document = JsonNode.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!;
        var paths = document["paths"]!;

        var operations = new Dictionary<string, string>
        {
            ["/api/v1/tenants/calculate-detailed-hardware"] = "post",
            ["/api/v1/tenants/{tenant_id}/generate-manifests"] = "post",
            ["/api/v1/tenants/{tenant_id}/manifest-preview"] = "get",
            ["/api/v1/tenants/{tenant_id}/download-package"] = "get",
        };
        foreach (var (path, method) in operations)
        {
            var operation = paths[path]?[method];
            Assert.True(operation is not null, path);
            Assert.False(string.IsNullOrEmpty(operation["summary"]?.GetValue<string>()), path);
            Assert.NotNull(operation["responses"]!["200"]);
        }

        Assert.NotNull(paths["/api/v1/tenants/{tenant_id}/download-package"]!["post"]!["responses"]!["422"]);
        Assert.NotNull(paths["/api/v1/tenants/{tenant_id}/manifest-preview"]!["get"]!["responses"]!["404"]);
        var zip = paths["/api/v1/tenants/{tenant_id}/download-package"]!["get"]!["responses"]!["200"]!["content"]?["application/zip"]?["schema"];
        Assert.NotNull(zip);
        if (zip["$ref"]?.GetValue<string>() is { } reference)
        {
            zip = document["components"]!["schemas"]![reference.Split('/')[^1]];
        }

        Assert.Equal(("string", "binary"), (zip!["type"]?.GetValue<string>(), zip["format"]?.GetValue<string>()));
    }

    private static string Read(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    private static async Task<(byte[] Content, HttpContentHeaders Headers)> Download(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadAsByteArrayAsync(), response.Content.Headers);
    }

    private static async Task<(int Exit, string Output)> Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output + error);
    }

    private async Task<(HttpStatusCode Status, JsonNode Body, ResponseHeaders Headers)> Send(HttpMethod method, string path, string? json)
    {
        using var client = factory.CreateClient();
        return await DropInTests.SendWithAsync(client, method, path, json, demo: null);
    }
}

/// <summary>The package routes under API keys: a tenant key renders only its own tenant; production needs a key.</summary>
public sealed class PackageEndpointsKeyTests(KeyedApiFactory factory) : IClassFixture<KeyedApiFactory>
{
    [Fact]
    public async Task A_scoped_key_generates_and_downloads_only_for_its_tenant()
    {
        using var client = factory.CreateClient();
        const string Body = """{"callbot": 10, "chatbot": 0, "gpu_type": "t4"}""";

        var (own, _, _) = await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/tenants/dep-mine/generate-manifests", Body, "true", "mine-key-1");
        var (other, problem, _) = await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/tenants/someone-else/generate-manifests", Body, "true", "mine-key-1");
        var (download, _, _) = await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/tenants/someone-else/download-package", Body, "true", "mine-key-1");
        var (anonymous, unauthorised, _) = await DropInTests.SendWithAsync(client, HttpMethod.Post, "/api/v1/tenants/dep-mine/generate-manifests", Body, "false");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Unauthorized), (own, other, download, anonymous));
        Assert.False(string.IsNullOrEmpty(problem["detail"]?.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(unauthorised["detail"]?.GetValue<string>()));
    }
}
