using Keelson.Operations.Storage;

namespace Keelson.Operations.Tests.Storage;

/// <summary>The base of every contract suite: a fresh, migrated database per test, on SQLite or PostgreSQL as the subclass says.</summary>
public abstract class StoreContract(TestDatabase target) : IAsyncLifetime
{
    private readonly List<Database> opened = [];

    /// <summary>Starts at the seed's example time.</summary>
    protected ManualClock Clock { get; } = new(new DateTimeOffset(2024, 1, 15, 10, 30, 0, TimeSpan.Zero));

    /// <summary>The migrated test database.</summary>
    protected Database Database { get; private set; } = null!;

    /// <summary>The options of the test database, to open it again as another process would.</summary>
    protected DatabaseOptions Options { get; private set; } = null!;

    /// <summary>Whether <see cref="InitializeAsync"/> migrates; migration tests want an empty database.</summary>
    protected virtual bool Migrate => true;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Options = await target.CreateAsync();
        Database = OpenAnother();
        if (Migrate)
        {
            await Database.MigrateAsync(CancellationToken.None);
        }
    }

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        foreach (var database in opened)
        {
            await database.DisposeAsync();
        }

        await target.DropAsync();
    }

    /// <summary>Another handle on the same database with its own connection pool, as a second server replica has.</summary>
    protected Database OpenAnother()
    {
        var database = Database.Open(Options, Clock);
        opened.Add(database);
        return database;
    }
}
