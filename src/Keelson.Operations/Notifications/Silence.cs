using System.Collections.Immutable;

namespace Keelson.Operations.Notifications;

/// <summary>Where a silence is in its window: not started, muting, or over.</summary>
public enum SilenceState
{
    /// <summary>Starts in the future.</summary>
    Pending,

    /// <summary>Mutes matching alerts now.</summary>
    Active,

    /// <summary>Ended (or expired by hand).</summary>
    Expired,
}

/// <summary>Alertmanager's silence: alerts whose labels match every matcher are not notified between start and end.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Matchers">All must match for an alert to be muted.</param>
/// <param name="StartsAt">When muting starts.</param>
/// <param name="EndsAt">When it stops; expiring sets it to now.</param>
/// <param name="CreatedBy">Who made it.</param>
/// <param name="Comment">Why.</param>
/// <param name="UpdatedAt">When it was created or last expired.</param>
public sealed record Silence(
    string Id,
    ImmutableArray<LabelMatcher> Matchers,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string CreatedBy,
    string Comment,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Its state at <paramref name="now"/> (Alertmanager: active from startsAt inclusive to endsAt exclusive).</summary>
    public SilenceState StateAt(DateTimeOffset now) =>
        now < StartsAt ? SilenceState.Pending : now < EndsAt ? SilenceState.Active : SilenceState.Expired;

    /// <summary>Whether it mutes an alert with <paramref name="labels"/> at <paramref name="now"/>.</summary>
    public bool Mutes(IReadOnlyDictionary<string, string> labels, DateTimeOffset now) =>
        StateAt(now) == SilenceState.Active && Matchers.All(m => m.Matches(labels));

    /// <summary>
    /// Checks a new silence's fields as Alertmanager does: at least one matcher, at least one that does not match the
    /// empty string (else it would silence everything), an end after the start and in the future; errors keyed by field.
    /// </summary>
    public static Dictionary<string, string[]> Validate(IReadOnlyList<LabelMatcher> matchers, DateTimeOffset startsAt, DateTimeOffset endsAt, string createdBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(matchers);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (matchers.Count == 0)
        {
            errors["matchers"] = ["At least one matcher is required."];
        }
        else if (matchers.All(m => m.MatchesEmpty))
        {
            errors["matchers"] = ["At least one matcher must not match the empty string, or the silence would mute every alert."];
        }

        if (endsAt <= startsAt)
        {
            errors["endsAt"] = [$"endsAt ({endsAt:O}) must be after startsAt ({startsAt:O})."];
        }
        else if (endsAt <= now)
        {
            errors["endsAt"] = [$"endsAt ({endsAt:O}) is in the past; a silence must end in the future."];
        }

        if (string.IsNullOrWhiteSpace(createdBy))
        {
            errors["createdBy"] = ["createdBy is required."];
        }

        return errors;
    }

    /// <inheritdoc />
    public bool Equals(Silence? other) =>
        other is not null && Id == other.Id && Matchers.SequenceEqual(other.Matchers) && StartsAt == other.StartsAt && EndsAt == other.EndsAt
        && CreatedBy == other.CreatedBy && Comment == other.Comment && UpdatedAt == other.UpdatedAt;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, StartsAt, EndsAt);
}
