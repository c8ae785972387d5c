namespace Keelson.Operations.Notifications;

/// <summary>Silences of one database.</summary>
public interface ISilenceStore
{
    /// <summary>Stores a new silence and returns it with its id.</summary>
    Task<Silence> CreateAsync(IReadOnlyList<LabelMatcher> matchers, DateTimeOffset startsAt, DateTimeOffset endsAt, string createdBy, string comment, CancellationToken cancellationToken);

    /// <summary>One silence, or null.</summary>
    Task<Silence?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every silence, newest first.</summary>
    Task<IReadOnlyList<Silence>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Silences that are active now or start later: what muting needs.</summary>
    Task<IReadOnlyList<Silence>> CurrentAsync(CancellationToken cancellationToken);

    /// <summary>Ends a silence now (a pending one never starts); the expired silence, or null when there is none with that id.</summary>
    Task<Silence?> ExpireAsync(string id, CancellationToken cancellationToken);
}
