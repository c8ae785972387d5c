using Keelson.Spec.Schema;

namespace Keelson.Spec.Load;

/// <summary>The shape of a load file (<c>kind: Load</c>), checked with the same located diagnostics as a stack.</summary>
public static class LoadSchema
{
    private static readonly MapShape Curve = new(
        "Share of the sized peak by time of day (HH:MM): 1.0 is the load the stack was sized for; linear between points, wrapping at midnight.",
        new ScalarShape("Share of the sized peak, 0 to 10.", ScalarType.Number) { Minimum = 0, Maximum = 10 },
        ScalarType.TimeOfDay);

    /// <summary>The whole load document.</summary>
    public static readonly ObjectShape Load = new(
        "Demand over a day for keelson simulate.",
        [
            new Field("apiVersion", new ScalarShape("Format version.", ScalarType.Text) { Enum = ["keelson.dev/v1alpha1"] }),
            new Field("kind", new ScalarShape("Document kind.", ScalarType.Text) { Enum = ["Load"] }),
            new Field("name", new ScalarShape("Name for reports.", ScalarType.Text)),
            new Field("curve", Curve, Required: true),
            new Field("components", new MapShape(
                "Per-component overrides, by component name.",
                new ObjectShape("A component's load.",
                [
                    new Field("scale", new ScalarShape("Factor on the curve; default 1.", ScalarType.Number) { Minimum = 0, Maximum = 100 }),
                    new Field("curve", Curve),
                ]),
                ScalarType.DnsLabel)),
        ]);
}
