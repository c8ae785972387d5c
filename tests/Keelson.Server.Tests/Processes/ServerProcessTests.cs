using Keelson.Testing;

namespace Keelson.Server.Tests.Processes;

/// <summary>
/// The process tests run one after another, never beside each other: each starts server processes and a sandbox
/// whose clock runs against the wall, and two such tests at once on a small machine would slow each other's timing.
/// The replica test's PostgreSQL server is shared.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ServerProcessTests : ICollectionFixture<PostgresServer>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "server processes";
}
