namespace Keelson.Spec.Model;

/// <summary>Cost optimisations to price beside the on-demand baseline.</summary>
/// <param name="SpotShare">Share (0–1) of flexible node-hours bought as spot.</param>
/// <param name="ReservedShare">Share (0–1) of always-on nodes covered by reserved commitments.</param>
/// <param name="ScaleDown">Hours when scalable components run at their minimum replicas.</param>
public sealed record CostOptions(double SpotShare, double ReservedShare, ScaleDownSchedule ScaleDown)
{
    /// <summary>No optimisations: everything on demand, around the clock.</summary>
    public static readonly CostOptions None = new(0, 0, ScaleDownSchedule.Never);
}

/// <summary>A weekly window during which scalable components run at minimum replicas.</summary>
/// <param name="WeekdayStartHour">Hour (0–23) when weekday scale-down starts, e.g. 20.</param>
/// <param name="WeekdayEndHour">Hour (0–23) when weekday scale-down ends, e.g. 8.</param>
/// <param name="Weekends">Whether Saturday and Sunday are scaled down all day.</param>
public sealed record ScaleDownSchedule(int? WeekdayStartHour, int? WeekdayEndHour, bool Weekends)
{
    /// <summary>No scale-down.</summary>
    public static readonly ScaleDownSchedule Never = new(null, null, false);

    /// <summary>Hours per week at minimum replicas.</summary>
    public double HoursPerWeek
    {
        get
        {
            double weekday = 0;
            if (WeekdayStartHour is int start && WeekdayEndHour is int end && start != end)
            {
                weekday = (end - start + 24) % 24;
            }

            return Weekends ? (weekday * 5) + 48 : weekday * 7;
        }
    }

    /// <summary>Share of the week at minimum replicas.</summary>
    public double OffPeakFraction => HoursPerWeek / 168.0;
}
