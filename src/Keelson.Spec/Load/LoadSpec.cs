namespace Keelson.Spec.Load;

/// <summary>
/// Demand over a day, relative to what the stack was sized for: a curve of shares of the sized peak by time of
/// day (1.0 = the peak the plan sized for), with optional per-component scales and curves.
/// </summary>
/// <param name="Name">A name for reports.</param>
/// <param name="Curve">The default curve, points sorted by time; the value between points is interpolated linearly and wraps at midnight.</param>
/// <param name="Components">Overrides by component name.</param>
public sealed record LoadSpec(string Name, IReadOnlyList<LoadPoint> Curve, IReadOnlyDictionary<string, ComponentLoad> Components)
{
    /// <summary>The share of the sized peak a component sees at <paramref name="timeOfDay"/>.</summary>
    public double Share(string component, TimeSpan timeOfDay)
    {
        var own = Components.TryGetValue(component, out var c) ? c : null;
        return Interpolate(own?.Curve ?? Curve, timeOfDay) * (own?.Scale ?? 1);
    }

    /// <summary>Linear interpolation over points sorted by time, wrapping from the last point to the first one a day later.</summary>
    public static double Interpolate(IReadOnlyList<LoadPoint> curve, TimeSpan timeOfDay)
    {
        ArgumentNullException.ThrowIfNull(curve);
        if (curve.Count == 0)
        {
            return 1;
        }

        var t = timeOfDay.TotalMinutes % (24 * 60);
        for (var i = 0; i < curve.Count; i++)
        {
            var next = curve[(i + 1) % curve.Count];
            var from = curve[i].At.TotalMinutes;
            var to = next.At.TotalMinutes + (i + 1 == curve.Count ? 24 * 60 : 0);
            var x = t < curve[0].At.TotalMinutes && i + 1 == curve.Count ? t + (24 * 60) : t;
            if (x >= from && x <= to)
            {
                return to == from ? curve[i].Share : curve[i].Share + ((next.Share - curve[i].Share) * (x - from) / (to - from));
            }
        }

        return curve[^1].Share;
    }
}

/// <summary>One point of a load curve: the share of the sized peak at a time of day.</summary>
public sealed record LoadPoint(TimeSpan At, double Share);

/// <summary>A component's own load: a factor on the curve, or a curve of its own (then scaled).</summary>
public sealed record ComponentLoad(double Scale, IReadOnlyList<LoadPoint>? Curve);
