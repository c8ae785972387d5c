using Keelson.Operations.Alerts;
using Keelson.Server.Streams;

namespace Keelson.Server.Alerts;

/// <summary>The states store of an evaluation that also hands each saved transition to the <c>/ws/alerts</c> feed.</summary>
public sealed class PublishedAlertStates(IAlertStateStore inner, LiveFeed feed, bool demo) : IAlertStateStore
{
    /// <inheritdoc />
    public Task<IReadOnlyDictionary<AlertKey, AlertState>> LoadAsync(string tenantId, CancellationToken cancellationToken) =>
        inner.LoadAsync(tenantId, cancellationToken);

    /// <inheritdoc />
    public async Task SaveAsync(string tenantId, IReadOnlyDictionary<AlertKey, AlertState> states, IReadOnlyList<AlertTransition> transitions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transitions);

        // After the save: a subscriber that reads the alerts on this message sees the new state.
        await inner.SaveAsync(tenantId, states, transitions, cancellationToken).ConfigureAwait(false);
        foreach (var transition in transitions.Where(t => feed.Wanted(demo, t.TenantId)))
        {
            feed.Publish(demo, transition.TenantId, AlertSocket.Message(transition));
        }
    }
}
