using System.Net;
using System.Security.Cryptography;
using System.Text;
using Keelson.Server.Tests.Inference;
using Keelson.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Keelson.Server.Tests.Api;

/// <summary>The model registry over HTTP: uploads of real ONNX files (built by python3-onnx), metadata, dedup, aliases, deletes and refusals.</summary>
public sealed class ModelEndpointsTests(ModelEndpointsTests.Factory factory) : IClassFixture<ModelEndpointsTests.Factory>
{
    /// <summary>The server with a small upload limit, so the size refusal is cheap to provoke.</summary>
    public sealed class Factory : ApiFactory
    {
        protected override void ConfigureSettings(IWebHostBuilder builder)
        {
            ArgumentNullException.ThrowIfNull(builder);
            builder.UseSetting("Keelson:Models:MaxUploadBytes", "100000");
        }
    }

    private string Files => Path.Combine(factory.DataDirectory, "models", "demo");

    [Fact]
    public async Task An_upload_answers_with_what_the_file_declares_and_identical_files_are_stored_once()
    {
        using var client = factory.CreateClient();
        await ModelClient.CreateTenantAsync(client, "reg-one");
        var bytes = await TestModels.BytesAsync("two_inputs");
        var (status, body) = await ModelClient.UploadAsync(client, "reg-one", "pair", bytes);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), body["digest"]!.GetValue<string>());
        Assert.Equal((1, bytes.Length, 13, "keelson-tests", "admin"), (body["version"]!.GetValue<int>(), body["size_bytes"]!.GetValue<int>(), body["opset"]!.GetValue<int>(),
            body["producer_name"]!.GetValue<string>(), body["uploaded_by"]!.GetValue<string>()));
        Assert.Equal("""[{"name":"a","datatype":"FP32","shape":[2,3],"dimension_names":["",""]},{"name":"b","datatype":"INT64","shape":[2,3],"dimension_names":["",""]}]""",
            body["inputs"]!.ToJsonString());
        Assert.Equal(["sum", "product"], body["outputs"]!.AsArray().Select(o => o!["name"]!.GetValue<string>()));

        var (again, second) = await ModelClient.UploadAsync(client, "reg-one", "pair-copy", bytes);
        Assert.Equal((HttpStatusCode.Created, body["digest"]!.GetValue<string>()), (again, second["digest"]!.GetValue<string>()));
        Assert.Single(Directory.GetFiles(Path.Combine(Files, "sha256"), "*", SearchOption.AllDirectories), f => f.EndsWith(body["digest"]!.GetValue<string>()[7..], StringComparison.Ordinal));

        var (listed, models) = await ModelClient.SendAsync(client, HttpMethod.Get, "/api/v1/tenants/reg-one/models", null);
        Assert.Equal((HttpStatusCode.OK, "pair,pair-copy"), (listed, string.Join(",", models!["models"]!.AsArray().Select(m => m!["name"]!.GetValue<string>()))));

        var audit = await factory.Services.GetRequiredService<TenantDatabases>().For(true).Audit.ListAsync("reg-one", 0, 10, CancellationToken.None);
        Assert.Equal(2, audit.Count(e => e.Action == "model.version.upload"));
    }

    [Fact]
    public async Task Deleting_a_tenant_deletes_its_models_their_unshared_files_and_their_sessions()
    {
        using var client = factory.CreateClient();
        await ModelClient.CreateTenantAsync(client, "reg-gone");
        await ModelClient.CreateTenantAsync(client, "reg-stays");
        var (_, own) = await ModelClient.UploadAsync(client, "reg-gone", "halves", await TestModels.BytesAsync("halves"));
        var (_, shared) = await ModelClient.UploadAsync(client, "reg-gone", "scorer", await TestModels.BytesAsync("dynamic_mlp"));
        await ModelClient.UploadAsync(client, "reg-stays", "scorer", await TestModels.BytesAsync("dynamic_mlp"));
        Assert.Equal(HttpStatusCode.OK, (await ModelClient.SendAsync(client, HttpMethod.Get, "/v2/models/halves/ready", "reg-gone")).Status);
        var models = factory.Services.GetRequiredService<TenantModels>();
        var ownDigest = own["digest"]!.GetValue<string>();
        var sharedDigest = shared["digest"]!.GetValue<string>();
        Assert.True(models.Runtime.Sessions.IsLoaded(ownDigest));

        Assert.Equal(HttpStatusCode.NoContent, (await ModelClient.SendAsync(client, HttpMethod.Delete, "/api/v1/tenants/reg-gone", null)).Status);

        Assert.Empty(await models.For(true).Store.ListModelsAsync("reg-gone", CancellationToken.None));
        Assert.False(File.Exists(models.For(true).Files.PathOf(ownDigest)));
        Assert.False(models.Runtime.Sessions.IsLoaded(ownDigest));
        Assert.True(File.Exists(models.For(true).Files.PathOf(sharedDigest)));
        Assert.Equal(HttpStatusCode.OK, (await ModelClient.SendAsync(client, HttpMethod.Get, "/v2/models/scorer/ready", "reg-stays")).Status);

        // A tenant created again under the same name starts with no models.
        await ModelClient.CreateTenantAsync(client, "reg-gone");
        Assert.Equal(HttpStatusCode.NotFound, (await ModelClient.SendAsync(client, HttpMethod.Get, "/v2/models/halves/ready", "reg-gone")).Status);
    }

    [Fact]
    public async Task A_versions_file_is_served_with_its_number_and_digest_by_number_or_alias()
    {
        using var client = factory.CreateClient();
        await ModelClient.CreateTenantAsync(client, "reg-file");
        var first = await TestModels.BytesAsync("two_inputs");
        var second = await TestModels.BytesAsync("mlp");
        await ModelClient.UploadAsync(client, "reg-file", "scorer", first);
        await ModelClient.UploadAsync(client, "reg-file", "scorer", second);
        Assert.Equal(HttpStatusCode.OK, (await ModelClient.SendAsync(client, HttpMethod.Put, "/api/v1/tenants/reg-file/models/scorer/aliases/production", null, """{"version": 2}""")).Status);

        foreach (var (version, bytes, number) in new[] { ("1", first, "1"), ("production", second, "2") })
        {
            using var response = await client.GetAsync(new Uri($"/api/v1/tenants/reg-file/models/scorer/versions/{version}/file", UriKind.Relative));
            Assert.Equal((HttpStatusCode.OK, "application/octet-stream"), (response.StatusCode, response.Content.Headers.ContentType?.MediaType));
            Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(number, response.Headers.GetValues("Keelson-Model-Version").Single());
            Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), response.Headers.GetValues("Keelson-Model-Digest").Single());
        }

        using var missing = await client.GetAsync(new Uri("/api/v1/tenants/reg-file/models/scorer/versions/staging/file", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Aliases_resolve_move_and_protect_their_version_and_a_delete_removes_the_unused_file()
    {
        using var client = factory.CreateClient();
        await ModelClient.CreateTenantAsync(client, "reg-alias");
        await ModelClient.UploadModelAsync(client, "reg-alias", "scorer", "dynamic_mlp");
        await ModelClient.UploadModelAsync(client, "reg-alias", "scorer", "mlp_v2");

        var (set, alias) = await ModelClient.SendAsync(client, HttpMethod.Put, "/api/v1/tenants/reg-alias/models/scorer/aliases/production", null, """{"version": 1}""");
        Assert.Equal((HttpStatusCode.OK, 1), (set, alias!["version"]!.GetValue<int>()));
        var (_, byAlias) = await ModelClient.SendAsync(client, HttpMethod.Get, "/api/v1/tenants/reg-alias/models/scorer/versions/production", null);
        Assert.Equal((1, "production"), (byAlias!["version"]!.GetValue<int>(), byAlias["aliases"]![0]!.GetValue<string>()));
        await ModelClient.SendAsync(client, HttpMethod.Put, "/api/v1/tenants/reg-alias/models/scorer/aliases/production", null, """{"version": 2}""");
        var (_, moved) = await ModelClient.SendAsync(client, HttpMethod.Get, "/api/v1/tenants/reg-alias/models/scorer/versions/production", null);
        Assert.Equal(2, moved!["version"]!.GetValue<int>());

        var (missing, problem) = await ModelClient.SendAsync(client, HttpMethod.Put, "/api/v1/tenants/reg-alias/models/scorer/aliases/production", null, """{"version": 7}""");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Contains("'7'", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var (badBody, invalid) = await ModelClient.SendAsync(client, HttpMethod.Put, "/api/v1/tenants/reg-alias/models/scorer/aliases/production", null, """{"version": "two", "note": 1}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badBody);
        Assert.Contains("note", invalid!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var (refused, conflict) = await ModelClient.SendAsync(client, HttpMethod.Delete, "/api/v1/tenants/reg-alias/models/scorer/versions/2", null);
        Assert.Equal(HttpStatusCode.Conflict, refused);
        Assert.Contains("'production'", conflict!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var digest = moved["digest"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await ModelClient.SendAsync(client, HttpMethod.Delete, "/api/v1/tenants/reg-alias/models/scorer/aliases/production", null)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await ModelClient.SendAsync(client, HttpMethod.Delete, "/api/v1/tenants/reg-alias/models/scorer/versions/2", null)).Status);
        Assert.False(File.Exists(Path.Combine(Files, "sha256", digest[7..9], digest[7..])));
        Assert.Equal(HttpStatusCode.NotFound, (await ModelClient.SendAsync(client, HttpMethod.Get, "/api/v1/tenants/reg-alias/models/scorer/versions/2", null)).Status);
        var (_, list) = await ModelClient.SendAsync(client, HttpMethod.Get, "/api/v1/tenants/reg-alias/models/scorer/versions", null);
        Assert.Equal([1], list!["versions"]!.AsArray().Select(v => v!["version"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Bad_uploads_are_4xx_naming_the_problem_with_nothing_stored()
    {
        using var client = factory.CreateClient();
        await ModelClient.CreateTenantAsync(client, "reg-bad");
        var good = await TestModels.BytesAsync("mlp");

        // A graph whose operator was renamed in the file: well-formed protobuf, but ONNX Runtime cannot load it.
        var corrupted = Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(good).Replace("Relu", "Rxlu", StringComparison.Ordinal));
        var cases = new (byte[] Bytes, string ContentType, HttpStatusCode Status, string Says)[]
        {
            ("name,score\nalice,3\n"u8.ToArray(), "application/octet-stream", HttpStatusCode.UnprocessableEntity, "not an ONNX model"),
            (good[..(good.Length - 40)], "application/octet-stream", HttpStatusCode.UnprocessableEntity, "truncated"),
            (corrupted, "application/octet-stream", HttpStatusCode.UnprocessableEntity, "ONNX Runtime cannot load the model"),
            ([], "application/octet-stream", HttpStatusCode.UnprocessableEntity, "empty"),
            (new byte[150_000], "application/octet-stream", HttpStatusCode.RequestEntityTooLarge, "100000 bytes"),
            (good, "application/json", HttpStatusCode.UnsupportedMediaType, "application/octet-stream"),
        };
        foreach (var (bytes, contentType, expected, says) in cases)
        {
            var (status, body) = await ModelClient.UploadAsync(client, "reg-bad", "broken", bytes, contentType);
            Assert.Equal(expected, status);
            Assert.Contains(says, body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await ModelClient.UploadAsync(client, "reg-nobody", "m", good)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await ModelClient.UploadAsync(client, "reg-bad", "Bad_Name", good)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ModelClient.SendAsync(client, HttpMethod.Get, "/api/v1/tenants/reg-bad/models/broken/versions", null)).Status);
        Assert.Empty(Directory.GetFiles(Path.Combine(Files, "staging")));
        Assert.DoesNotContain(Directory.Exists(Path.Combine(Files, "sha256")) ? Directory.GetFiles(Path.Combine(Files, "sha256"), "*", SearchOption.AllDirectories) : [],
            f => f.EndsWith(Convert.ToHexStringLower(SHA256.HashData(corrupted)), StringComparison.Ordinal));
    }
}
