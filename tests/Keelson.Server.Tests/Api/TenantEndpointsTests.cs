using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Keelson.Testing;

namespace Keelson.Server.Tests.Api;

public sealed class TenantEndpointsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static JsonObject Request(string id, int chatbot = 20) => new()
    {
        ["tenant_id"] = id,
        ["name"] = "Test service",
        ["preset"] = "small",
        ["service_requirements"] = new JsonObject { ["chatbot"] = chatbot, ["stt"] = 10 },
        ["sla_target"] = new JsonObject { ["availability"] = "99.9%", ["response_time"] = "200ms" },
    };

    [Fact]
    public async Task Create_read_list_replace_and_delete_a_tenant()
    {
        var (created, body, location) = await Send(HttpMethod.Post, "/api/v1/tenants/", Request("crud-one"));
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("/api/v1/tenants/crud-one", location);
        Assert.Equal(("crud-one", "small", "pending", 2, 1L), (body["tenant_id"]!.GetValue<string>(), body["preset"]!.GetValue<string>(), body["status"]!.GetValue<string>(), body["services_count"]!.GetValue<int>(), body["version"]!.GetValue<long>()));
        Assert.EndsWith("m", body["cpu_limit"]!.GetValue<string>(), StringComparison.Ordinal);

        var (got, one, _) = await Send(HttpMethod.Get, "/api/v1/tenants/crud-one");
        Assert.Equal(HttpStatusCode.OK, got);
        Assert.Equal(20, one["service_requirements"]!["chatbot"]!.GetValue<int>());

        var (listed, list, _) = await Send(HttpMethod.Get, "/api/v1/tenants/");
        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.Contains(list["tenants"]!.AsArray(), t => t!["tenant_id"]!.GetValue<string>() == "crud-one");
        Assert.True(list["total_count"]!.GetValue<int>() >= 1);
        Assert.Equal(list["total_count"]!.GetValue<int>(), list["demo_count"]!.GetValue<int>());

        var (replaced, after, _) = await Send(HttpMethod.Put, "/api/v1/tenants/crud-one", Request("crud-one", chatbot: 200));
        Assert.Equal(HttpStatusCode.OK, replaced);
        Assert.Equal(2L, after["version"]!.GetValue<long>());
        Assert.Equal(200, after["service_requirements"]!["chatbot"]!.GetValue<int>());

        Assert.Equal(HttpStatusCode.NoContent, (await Send(HttpMethod.Delete, "/api/v1/tenants/crud-one")).Status);
        var (gone, problem, _) = await Send(HttpMethod.Get, "/api/v1/tenants/crud-one");
        Assert.Equal(HttpStatusCode.NotFound, gone);
        Assert.Equal("Tenant 'crud-one' not found", problem["title"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Delete, "/api/v1/tenants/crud-one")).Status);
    }

    [Fact]
    public async Task A_search_lists_the_matching_tenants_a_page_at_a_time_with_their_count()
    {
        foreach (var id in new[] { "needle-one", "hay-one", "needle-two", "last-one" })
        {
            var request = Request(id);
            request["name"] = id.StartsWith("hay", StringComparison.Ordinal) ? "Haystack" : "Sewing NEEDLE";
            Assert.Equal(HttpStatusCode.Created, (await Send(HttpMethod.Post, "/api/v1/tenants/", request)).Status);
        }

        var (_, matches, _) = await Send(HttpMethod.Get, "/api/v1/tenants/?search=Needle&limit=2");
        Assert.Equal(3, matches["total_count"]!.GetValue<int>());
        Assert.Equal(["needle-one", "needle-two"], matches["tenants"]!.AsArray().Select(t => t!["tenant_id"]!.GetValue<string>()));
        var (_, next, _) = await Send(HttpMethod.Get, "/api/v1/tenants/?search=needle&offset=2&limit=2");
        Assert.Equal(["last-one"], next["tenants"]!.AsArray().Select(t => t!["tenant_id"]!.GetValue<string>()));
        var (_, none, _) = await Send(HttpMethod.Get, "/api/v1/tenants/?search=nothing-like-it");
        Assert.Equal((0, 0), (none["total_count"]!.GetValue<int>(), none["tenants"]!.AsArray().Count));
    }

    [Fact]
    public async Task A_duplicate_is_409_and_a_bad_body_is_422_and_saves_nothing()
    {
        Assert.Equal(HttpStatusCode.Created, (await Send(HttpMethod.Post, "/api/v1/tenants/", Request("dup-one"))).Status);
        var (again, problem, _) = await Send(HttpMethod.Post, "/api/v1/tenants/", Request("dup-one"));
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Contains("already exists", problem["title"]!.GetValue<string>(), StringComparison.Ordinal);

        var bad = Request("bad-one");
        bad["service_requirements"]!["robot"] = 5;
        var (invalid, errors, _) = await Send(HttpMethod.Post, "/api/v1/tenants/", bad);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid);
        Assert.True(errors["errors"]!.AsObject().ContainsKey("service_requirements.robot"));
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, "/api/v1/tenants/bad-one")).Status);

        var (mismatch, _, _) = await Send(HttpMethod.Put, "/api/v1/tenants/dup-one", Request("other-id"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, mismatch);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Put, "/api/v1/tenants/nobody", Request("nobody"))).Status);
    }

    [Fact]
    public async Task A_full_stack_document_makes_a_tenant_as_yaml_or_as_json_and_renders_what_it_says()
    {
        static Keelson.Spec.Model.StackSpec RestaurantSpec() => Keelson.Spec.Parsing.StackParser.Parse(File.ReadAllText(Repo.File("examples", "restaurant.yaml")), "restaurant.yaml").Value!;
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Demo-Mode", "true");
        var yaml = await File.ReadAllTextAsync(Repo.File("examples", "restaurant.yaml"));

        using var created = await client.PostAsync(new Uri("/api/v1/tenants/", UriKind.Relative), new StringContent(yaml, Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var tenant = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        Assert.Equal(("restaurant-system", "Restaurant management"), (tenant["tenant_id"]!.GetValue<string>(), tenant["name"]!.GetValue<string>()));
        Assert.Equal(RestaurantSpec().Components.Count, tenant["services_count"]!.GetValue<int>());
        Assert.Equal(("99.9%", "200ms"), (tenant["sla_target"]!["availability"]!.GetValue<string>(), tenant["sla_target"]!["response_time"]!.GetValue<string>()));

        // The stored stack renders exactly what the CLI renders from the same file.
        var manifest = await client.GetStringAsync("/api/v1/tenants/restaurant-system/manifest?include_monitoring=true");
        var spec = Keelson.Spec.Parsing.StackParser.Parse(yaml, "restaurant.yaml").Value!;
        var expected = Keelson.Rendering.ManifestRenderer.Default.Render(Keelson.Planning.Planner.Default.Plan(spec).Plan!, new Keelson.Rendering.RenderOptions { Monitoring = true });
        Assert.Equal(Keelson.Rendering.Output.ManifestYaml.Documents(expected.Objects.Select(o => o.Resource)), manifest);

        // A stack as JSON (kind: Stack), and calculate-resources takes stacks too.
        var json = JsonNode.Parse("""
            {"apiVersion": "keelson.dev/v1alpha1", "kind": "Stack", "metadata": {"tenant": "json-stack"},
             "sla": {"availability": "99.9%", "responseTime": "200ms"}, "cluster": {"profile": "aws-gpu"},
             "components": [{"name": "bot", "kind": "ai-service", "service": "chatbot", "sessions": 20}]}
            """)!.AsObject();
        var (jsonCreated, jsonTenant, _) = await Send(HttpMethod.Post, "/api/v1/tenants/", json);
        Assert.Equal(HttpStatusCode.Created, jsonCreated);
        Assert.Equal(20, jsonTenant["service_requirements"]!["bot"]!.GetValue<int>());
        using var planned = await client.PostAsync(new Uri("/api/v1/tenants/calculate-resources", UriKind.Relative), new StringContent(yaml, Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.OK, planned.StatusCode);
        Assert.Equal(tenant["cpu_limit"]!.GetValue<string>(), JsonNode.Parse(await planned.Content.ReadAsStringAsync())!["resources"]!["cpu"]!.GetValue<string>());

        // A PUT whose stack names another tenant is refused on the stack's own field.
        using var mismatch = await client.PutAsync(new Uri("/api/v1/tenants/json-stack", UriKind.Relative), new StringContent(yaml, Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, mismatch.StatusCode);
        Assert.Contains("metadata.tenant", await mismatch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_stack_is_422_with_line_and_path_and_broken_json_is_400()
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Demo-Mode", "true");
        var yaml = (await File.ReadAllTextAsync(Repo.File("examples", "restaurant.yaml"))).Replace("availability: 99.9%", "availability: lots", StringComparison.Ordinal);

        using var invalid = await client.PostAsync(new Uri("/api/v1/tenants/", UriKind.Relative), new StringContent(yaml, Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        var errors = JsonNode.Parse(await invalid.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        var line = yaml.Split('\n').ToList().FindIndex(l => l.Contains("availability: lots", StringComparison.Ordinal)) + 1;
        Assert.StartsWith($"line {line}, column ", errors["sla.availability"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/api/v1/tenants/restaurant-system", UriKind.Relative))).StatusCode);

        using var broken = await client.PostAsync(new Uri("/api/v1/tenants/", UriKind.Relative), new StringContent("{\"tenant_id\": \"x\",", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal("The body is not JSON", JsonNode.Parse(await broken.Content.ReadAsStringAsync())!["title"]!.GetValue<string>());

        using var wrongType = await client.PostAsync(new Uri("/api/v1/tenants/", UriKind.Relative), new StringContent("{\"tenant_id\": \"x\", \"service_requirements\": \"many\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongType.StatusCode);
        Assert.Contains("service_requirements", await wrongType.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_and_production_are_separate_databases()
    {
        using var secured = factory.WithWebHostBuilder(b => b.UseSetting("Keelson:AdminKeys:0", "root-key"));
        using var client = secured.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", "root-key");
        async Task<HttpResponseMessage> Call(HttpMethod method, string path, string demo, JsonObject? body = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Add("X-Demo-Mode", demo);
            return await client.SendAsync(request);
        }

        Assert.Equal(HttpStatusCode.Created, (await Call(HttpMethod.Post, "/api/v1/tenants/", "true", Request("only-demo"))).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await Call(HttpMethod.Get, "/api/v1/tenants/only-demo", "false")).StatusCode);
        var production = JsonNode.Parse(await (await Call(HttpMethod.Get, "/api/v1/tenants/", "false")).Content.ReadAsStringAsync())!;
        Assert.DoesNotContain(production["tenants"]!.AsArray(), t => t!["tenant_id"]!.GetValue<string>() == "only-demo");
        var demo = JsonNode.Parse(await (await Call(HttpMethod.Get, "/api/v1/tenants/only-demo", "true")).Content.ReadAsStringAsync())!;
        Assert.True(demo["is_demo"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Manifest_downloads_as_yaml_json_helm_and_kustomize()
    {
        Assert.Equal(HttpStatusCode.Created, (await Send(HttpMethod.Post, "/api/v1/tenants/", Request("manifest-one"))).Status);
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Demo-Mode", "true");

        using var yaml = await client.GetAsync("/api/v1/tenants/manifest-one/manifest");
        Assert.Equal(HttpStatusCode.OK, yaml.StatusCode);
        Assert.Equal("attachment", yaml.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("manifest-one.yaml", yaml.Content.Headers.ContentDisposition.FileNameStar ?? yaml.Content.Headers.ContentDisposition.FileName);
        var text = await yaml.Content.ReadAsStringAsync();
        Assert.StartsWith("apiVersion: v1\nkind: Namespace", text, StringComparison.Ordinal);
        Assert.Contains("kind: Deployment", text, StringComparison.Ordinal);
        Assert.Equal(text, await client.GetStringAsync("/api/v1/tenants/manifest-one/manifest?format=yaml"));

        var json = JsonNode.Parse(await client.GetStringAsync("/api/v1/tenants/manifest-one/manifest?format=json"))!;
        Assert.Equal("List", json["kind"]!.GetValue<string>());

        var withoutMonitoring = await client.GetStringAsync("/api/v1/tenants/manifest-one/manifest?include_monitoring=false");
        var withMonitoring = await client.GetStringAsync("/api/v1/tenants/manifest-one/manifest?include_monitoring=true");
        Assert.DoesNotContain("kind: ServiceMonitor", withoutMonitoring, StringComparison.Ordinal);
        Assert.Contains("kind: ServiceMonitor", withMonitoring, StringComparison.Ordinal);

        Assert.Contains("manifest-one/Chart.yaml", await Entries(client, "helm"));
        Assert.Contains("manifest-one/base/kustomization.yaml", await Entries(client, "kustomize"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.GetAsync("/api/v1/tenants/manifest-one/manifest?format=zip")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/tenants/nobody/manifest")).StatusCode);
    }

    [Fact]
    public async Task A_tenant_key_sees_only_its_tenant()
    {
        using var secured = factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Keelson:TenantKeys:key-of-alpha", "alpha");
            b.UseSetting("Keelson:AdminKeys:0", "root-key");
        });
        using var admin = secured.CreateClient();
        admin.DefaultRequestHeaders.Add("X-Demo-Mode", "false");
        admin.DefaultRequestHeaders.Add("X-API-Key", "root-key");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/tenants/", Request("alpha"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/tenants/", Request("beta"))).StatusCode);

        using var alpha = secured.CreateClient();
        alpha.DefaultRequestHeaders.Add("X-Demo-Mode", "false");
        alpha.DefaultRequestHeaders.Add("X-API-Key", "key-of-alpha");
        Assert.Equal(HttpStatusCode.OK, (await alpha.GetAsync("/api/v1/tenants/alpha")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await alpha.GetAsync("/api/v1/tenants/beta")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await alpha.DeleteAsync("/api/v1/tenants/beta")).StatusCode);
        var list = JsonNode.Parse(await alpha.GetStringAsync("/api/v1/tenants/"))!;
        Assert.Equal(["alpha"], list["tenants"]!.AsArray().Select(t => t!["tenant_id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Forbidden, (await alpha.PostAsJsonAsync("/api/v1/tenants/", Request("gamma"))).StatusCode);
    }

    private static async Task<List<string>> Entries(HttpClient client, string format)
    {
        var bytes = await client.GetByteArrayAsync($"/api/v1/tenants/manifest-one/manifest?format={format}");
        using var tar = new TarReader(new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress));
        var names = new List<string>();
        while (await tar.GetNextEntryAsync() is { } entry)
        {
            names.Add(entry.Name);
        }

        return names;
    }

    private async Task<(HttpStatusCode Status, JsonNode Body, string? Location)> Send(HttpMethod method, string path, JsonObject? body = null, string demo = "true")
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-Demo-Mode", demo);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!, response.Headers.Location?.ToString());
    }
}
