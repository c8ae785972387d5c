using System.Security.Cryptography;
using Keelson.Operations.Audit;
using Keelson.Operations.Models;
using Keelson.Operations.Storage;
using Keelson.Operations.Tests.Storage;
using Keelson.Testing;

namespace Keelson.Operations.Tests.Models;

/// <summary>
/// What <see cref="ModelRegistry"/> over <see cref="SqlModelStore"/> and <see cref="ModelFileStore"/> must do on each
/// provider, with real ONNX files built by python3-onnx. The runtime load check is ONNX Runtime's and is exercised by the
/// server's tests; here the verifier accepts what the reader accepted.
/// </summary>
public abstract class ModelRegistryContract(TestDatabase target) : StoreContract(target)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string files = Directory.CreateTempSubdirectory("keelson-models-").FullName;

    private ModelRegistry Registry => new(new SqlModelStore(Database), new ModelFileStore(files), new AcceptingVerifier());

    [Fact]
    public async Task An_upload_records_what_the_model_declares_its_digest_and_who_uploaded_it()
    {
        var bytes = await TestModels.BytesAsync("mlp");
        var version = await Registry.UploadAsync("acme", "scorer", new MemoryStream(bytes), 1 << 20, "admin", "req-1", None);

        Assert.Equal((1, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), (long)bytes.Length, "admin"), (version.Version, version.Digest, version.SizeBytes, version.UploadedBy));
        Assert.Equal((8L, "keelson-tests", "1.0", "mlp", 13L), (version.Info.IrVersion, version.Info.ProducerName, version.Info.ProducerVersion, version.Info.GraphName, version.Info.Opset));
        var input = Assert.Single(version.Info.Inputs);
        Assert.Equal(("x", "FP32", "[1, 4]"), (input.Name, input.Datatype, input.ShapeText()));
        var output = Assert.Single(version.Info.Outputs);
        Assert.Equal(("y", "FP32", "[1, 3]"), (output.Name, output.Datatype, output.ShapeText()));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Registry.Files.PathOf(version.Digest)));

        // Read back through another connection, as another replica would.
        var read = await new SqlModelStore(OpenAnother()).ResolveAsync("acme", "scorer", "1", None);
        Assert.Equal(version with { Info = read!.Info }, read);
        Assert.Equal(["x:FP32[1, 4]"], read.Info.Inputs.Select(i => $"{i.Name}:{i.Datatype}{i.ShapeText()}"));
        Assert.Equal([new OpsetImport("", 13)], read.Info.Opsets);
        var audit = (await new SqlAuditLog(Database).ListAsync("acme", 0, 10, None)).Single();
        Assert.Equal(("admin", "model.version.upload"), (audit.Actor, audit.Action));
        Assert.Contains(version.Digest, audit.DetailsJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dynamic_dimensions_and_several_inputs_of_other_types_are_read_from_the_file()
    {
        var dynamic = await Registry.UploadAsync("acme", "dyn", new MemoryStream(await TestModels.BytesAsync("dynamic_mlp")), 1 << 20, "admin", "r", None);
        var input = Assert.Single(dynamic.Info.Inputs);
        Assert.Equal([-1L, 4L], input.Shape);
        Assert.Equal(("batch", "[batch, 4]", true), (input.DimensionNames[0], input.ShapeText(), input.HasDynamicBatch));

        var two = await Registry.UploadAsync("acme", "pair", new MemoryStream(await TestModels.BytesAsync("two_inputs")), 1 << 20, "admin", "r", None);
        Assert.Equal(["a:FP32[2, 3]", "b:INT64[2, 3]"], two.Info.Inputs.Select(i => $"{i.Name}:{i.Datatype}{i.ShapeText()}"));
        Assert.Equal(["sum", "product"], two.Info.Outputs.Select(o => o.Name));
    }

    [Fact]
    public async Task Identical_uploads_are_stored_once_and_the_file_goes_with_its_last_version()
    {
        var bytes = await TestModels.BytesAsync("mlp");
        var first = await Registry.UploadAsync("acme", "scorer", new MemoryStream(bytes), 1 << 20, "admin", "r", None);
        var second = await Registry.UploadAsync("other", "copy", new MemoryStream(bytes), 1 << 20, "tenant-key:other", "r", None);
        var again = await Registry.UploadAsync("acme", "scorer", new MemoryStream(bytes), 1 << 20, "admin", "r", None);

        Assert.Equal((first.Digest, first.Digest, 2), (second.Digest, again.Digest, again.Version));
        Assert.Single(Directory.GetFiles(Path.Combine(files, "sha256"), "*", SearchOption.AllDirectories));

        Assert.Equal((1, false), Deleted(await Registry.DeleteVersionAsync("acme", "scorer", 1, "admin", "r", None)));
        Assert.Equal((2, false), Deleted(await Registry.DeleteVersionAsync("acme", "scorer", 2, "admin", "r", None)));
        Assert.True(Registry.Files.Contains(first.Digest));
        Assert.Equal((1, true), Deleted(await Registry.DeleteVersionAsync("other", "copy", 1, "admin", "r", None)));
        Assert.False(Registry.Files.Contains(first.Digest));
        Assert.Null(await Registry.DeleteVersionAsync("other", "copy", 1, "admin", "r", None));

        // Numbers are never reused: the next upload of a model whose versions were all deleted is version 3.
        Assert.Equal(3, (await Registry.UploadAsync("acme", "scorer", new MemoryStream(bytes), 1 << 20, "admin", "r", None)).Version);
    }

    [Fact]
    public async Task Deleting_a_tenants_models_removes_aliases_versions_settings_and_unshared_files_only()
    {
        var shared = await TestModels.BytesAsync("mlp");
        var own = await TestModels.BytesAsync("two_inputs");
        var kept = await Registry.UploadAsync("stays", "scorer", new MemoryStream(shared), 1 << 20, "admin", "r", None);
        await Registry.UploadAsync("gone", "scorer", new MemoryStream(shared), 1 << 20, "admin", "r", None);
        var mine = await Registry.UploadAsync("gone", "pair", new MemoryStream(own), 1 << 20, "admin", "r", None);
        await Registry.Store.SetAliasAsync("gone", "pair", "production", 1, "admin", null, None);
        await Registry.Store.SetServingAsync("gone", "pair", new ModelServing { MaxBatchSize = 8 }, null, None);

        var removed = await Registry.DeleteTenantAsync("gone", None);

        Assert.Equal([mine.Digest], removed);
        Assert.Empty(await Registry.Store.ListModelsAsync("gone", None));
        Assert.Empty(await Registry.Store.ListAliasesAsync("gone", "pair", None));
        Assert.Equal(ModelServing.Default, await Registry.Store.ServingAsync("gone", "pair", None));
        Assert.False(Registry.Files.Contains(mine.Digest));
        Assert.True(Registry.Files.Contains(kept.Digest));
        Assert.Equal(kept.Digest, (await Registry.Store.ResolveAsync("stays", "scorer", null, None))!.Digest);
    }

    [Fact]
    public async Task An_alias_moves_in_one_step_and_a_version_it_points_at_cannot_be_deleted()
    {
        var store = new SqlModelStore(Database);
        await Registry.UploadAsync("acme", "scorer", new MemoryStream(await TestModels.BytesAsync("dynamic_mlp")), 1 << 20, "admin", "r", None);
        await Registry.UploadAsync("acme", "scorer", new MemoryStream(await TestModels.BytesAsync("mlp_v2")), 1 << 20, "admin", "r", None);
        await store.SetAliasAsync("acme", "scorer", "production", 1, "admin", null, None);
        await store.SetAliasAsync("acme", "scorer", "staging", 2, "admin", null, None);
        Assert.Equal(1, (await store.ResolveAsync("acme", "scorer", "production", None))!.Version);

        var moved = await store.SetAliasAsync("acme", "scorer", "production", 2, "tenant-key:acme", ModelRegistry.Audit("tenant-key:acme", "model.alias.set", "acme", []), None);
        Assert.Equal((2, "tenant-key:acme"), (moved.Version, moved.UpdatedBy));
        Assert.Equal(2, (await store.ResolveAsync("acme", "scorer", "production", None))!.Version);
        Assert.Equal(2, (await store.ResolveAsync("acme", "scorer", null, None))!.Version);
        Assert.Equal(["production", "staging"], (await store.ListVersionsAsync("acme", "scorer", None))[0].Aliases);
        Assert.Null(await store.ResolveAsync("acme", "scorer", "canary", None));

        // Serving resolves in one query: no label is production (set here, so 2), a number or alias is that version.
        await store.SetServingAsync("acme", "scorer", new ModelServing { MaxBatchSize = 4 }, null, None);
        await store.SetAliasAsync("acme", "scorer", "production", 1, "admin", null, None);
        Assert.Equal((1, 4), await Served(null));
        Assert.Equal((2, 4), await Served("staging"));
        Assert.Equal((2, 4), await Served("2"));
        Assert.Null(await store.ResolveForServingAsync("acme", "scorer", "canary", None));
        Assert.Null(await store.ResolveForServingAsync("acme", "scorer", "7", None));
        Assert.Null(await store.ResolveForServingAsync("acme", "nothing", null, None));
        await store.DeleteAliasAsync("acme", "scorer", "production", null, None);
        Assert.Equal((2, 4), await Served(null));
        await store.SetAliasAsync("acme", "scorer", "production", 2, "admin", null, None);

        async Task<(int, int)?> Served(string? label) =>
            await store.ResolveForServingAsync("acme", "scorer", label, None) is { } r ? (r.Version.Version, r.Serving.MaxBatchSize) : null;
        await Assert.ThrowsAsync<RecordNotFoundException>(() => store.SetAliasAsync("acme", "scorer", "production", 9, "admin", null, None));

        var refused = await Assert.ThrowsAsync<ModelConflictException>(() => Registry.DeleteVersionAsync("acme", "scorer", 2, "admin", "r", None));
        Assert.Contains("'production', 'staging'", refused.Message, StringComparison.Ordinal);
        Assert.True(await store.DeleteAliasAsync("acme", "scorer", "production", null, None));
        Assert.True(await store.DeleteAliasAsync("acme", "scorer", "staging", null, None));
        Assert.NotNull(await Registry.DeleteVersionAsync("acme", "scorer", 2, "admin", "r", None));
        Assert.Equal([1], (await store.ListVersionsAsync("acme", "scorer", None)).Select(v => v.Version));
    }

    [Fact]
    public async Task Serving_settings_are_per_model_with_defaults_before_any_are_set()
    {
        var store = new SqlModelStore(Database);
        Assert.Equal(ModelServing.Default, await store.ServingAsync("acme", "scorer", None));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => store.SetServingAsync("acme", "scorer", new ModelServing { MaxBatchSize = 8 }, null, None));
        await Registry.UploadAsync("acme", "scorer", new MemoryStream(await TestModels.BytesAsync("dynamic_mlp")), 1 << 20, "admin", "r", None);
        var set = new ModelServing { MaxBatchSize = 16, MaxQueueDelayMicroseconds = 2000, MaxConcurrency = 2 };
        await store.SetServingAsync("acme", "scorer", set, null, None);
        Assert.Equal(set, await new SqlModelStore(OpenAnother()).ServingAsync("acme", "scorer", None));
    }

    [Fact]
    public async Task Bad_uploads_are_refused_naming_the_problem_and_leave_nothing_behind()
    {
        var bytes = await TestModels.BytesAsync("mlp");
        var notOnnx = await Assert.ThrowsAsync<OnnxFormatException>(() => Registry.UploadAsync("acme", "m", new MemoryStream("hello, this is not a model\n"u8.ToArray()), 1 << 20, "admin", "r", None));
        Assert.Contains("not an ONNX model", notOnnx.Message, StringComparison.Ordinal);
        var truncated = await Assert.ThrowsAsync<OnnxFormatException>(() => Registry.UploadAsync("acme", "m", new MemoryStream(bytes[..(bytes.Length / 2)]), 1 << 20, "admin", "r", None));
        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);
        var empty = await Assert.ThrowsAsync<OnnxFormatException>(() => Registry.UploadAsync("acme", "m", new MemoryStream([]), 1 << 20, "admin", "r", None));
        Assert.Contains("empty", empty.Message, StringComparison.Ordinal);
        var large = await Assert.ThrowsAsync<ModelTooLargeException>(() => Registry.UploadAsync("acme", "m", new MemoryStream(bytes), 100, "admin", "r", None));
        Assert.Contains("100 bytes", large.Message, StringComparison.Ordinal);

        Assert.Empty(Directory.GetFiles(files, "*", SearchOption.AllDirectories));
        Assert.Empty(await new SqlModelStore(Database).ListModelsAsync("acme", None));
        Assert.Empty(await new SqlAuditLog(Database).ListAsync(null, 0, 10, None));
    }

    /// <inheritdoc />
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(files, recursive: true);
    }

    private sealed class AcceptingVerifier : IModelVerifier
    {
        public Task VerifyAsync(string path, OnnxModelInfo info, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static (int Version, bool FileDeleted) Deleted(DeletedVersion? deleted) =>
        deleted is null ? throw new Xunit.Sdk.XunitException("the version was not deleted") : (deleted.Version.Version, deleted.FileDeleted);
}

/// <summary>On SQLite.</summary>
public sealed class SqliteModelRegistryTests() : ModelRegistryContract(new SqliteTestDatabase());

/// <summary>On PostgreSQL.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresModelRegistryTests(PostgresServer server) : ModelRegistryContract(new PostgresTestDatabase(server));
