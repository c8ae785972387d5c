namespace Keelson.Operations.Alerts;

/// <summary>Prometheus's alert states.</summary>
public enum AlertPhase
{
    /// <summary>Not active (or resolved).</summary>
    Inactive,

    /// <summary>The condition holds but not yet for the rule's <c>for</c>.</summary>
    Pending,

    /// <summary>Firing.</summary>
    Firing,
}

/// <summary>One rule's alert for one tenant between evaluations; what is persisted so a restart keeps the <c>for</c> timer.</summary>
/// <param name="Phase">The state.</param>
/// <param name="ActiveAt">When the condition started to hold (Prometheus's <c>ActiveAt</c>, persisted as ALERTS_FOR_STATE is).</param>
/// <param name="FiredAt">When it started firing.</param>
/// <param name="ResolvedAt">When it resolved.</param>
/// <param name="KeepFiringSince">When the condition stopped holding while <c>keep_firing_for</c> keeps it firing.</param>
/// <param name="Value">The last value of the condition.</param>
public sealed record AlertState(AlertPhase Phase, DateTimeOffset ActiveAt, DateTimeOffset? FiredAt, DateTimeOffset? ResolvedAt, DateTimeOffset? KeepFiringSince, double Value);

/// <summary>The outcome of one evaluation step: the new state (null once Prometheus would forget the alert) and the transition, if any.</summary>
public sealed record AlertStep(AlertState? State, AlertPhase? From, AlertPhase? To);

/// <summary>Prometheus's alerting-rule state machine (rules/alerting.go, 2.42) for one label set.</summary>
public static class AlertStateMachine
{
    /// <summary>How long a resolved alert is kept (and re-sent) before it is forgotten.</summary>
    public static readonly TimeSpan ResolvedRetention = TimeSpan.FromMinutes(15);

    /// <summary>Advances <paramref name="state"/> by one evaluation at <paramref name="at"/> whose condition value is <paramref name="value"/> (null = empty).</summary>
    public static AlertStep Step(AlertState? state, DateTimeOffset at, double? value, TimeSpan holdFor, TimeSpan keepFiringFor)
    {
        var before = state?.Phase;
        if (value is { } v)
        {
            state = state is { Phase: not AlertPhase.Inactive }
                ? state with { Value = v, KeepFiringSince = null }
                : new AlertState(AlertPhase.Pending, at, null, null, null, v);
        }
        else if (state is not null)
        {
            var keepFiring = false;
            if (state.Phase == AlertPhase.Firing && keepFiringFor > TimeSpan.Zero)
            {
                state = state with { KeepFiringSince = state.KeepFiringSince ?? at };
                keepFiring = at - state.KeepFiringSince!.Value < keepFiringFor;
            }

            if (state.Phase == AlertPhase.Pending || (state.ResolvedAt is { } resolved && at - resolved > ResolvedRetention))
            {
                return new AlertStep(null, before, before == AlertPhase.Pending ? AlertPhase.Inactive : null);
            }

            if (!keepFiring)
            {
                if (state.Phase != AlertPhase.Inactive)
                {
                    state = state with { Phase = AlertPhase.Inactive, ResolvedAt = at };
                }

                return new AlertStep(state, before, before == state.Phase ? null : state.Phase);
            }
        }
        else
        {
            return new AlertStep(null, null, null);
        }

        if (state.Phase == AlertPhase.Pending && at - state.ActiveAt >= holdFor)
        {
            state = state with { Phase = AlertPhase.Firing, FiredAt = at };
        }

        return new AlertStep(state, before, before == state.Phase ? null : state.Phase);
    }
}
