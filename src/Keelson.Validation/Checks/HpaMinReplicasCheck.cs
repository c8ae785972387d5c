using System.Globalization;

namespace Keelson.Validation.Checks;

/// <summary>An autoscaler allowed down to one replica leaves the service on a single pod whenever load is low: one crash or drain is an outage.</summary>
public sealed class HpaMinReplicasCheck : ICheck
{
    /// <inheritdoc/>
    public string Id => "hpa-min-replicas";

    /// <inheritdoc/>
    public Severity Severity => Severity.Info;

    /// <inheritdoc/>
    public string Description => "HorizontalPodAutoscalers keep at least 2 replicas (minReplicas defaults to 1).";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var document = context.Document;
        if (document.Kind != "HorizontalPodAutoscaler" || !KindGroups.IsBuiltInOrCustom(document))
        {
            yield break;
        }

        var node = CheckContext.Get(document.Node, "spec.minReplicas");
        var text = CheckContext.Value(document.Node, "spec.minReplicas");
        var min = text is null ? 1 : int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : 2;

        // 0 is HPAScaleToZero (alpha), a deliberate choice this check leaves alone.
        if (min == 1)
        {
            yield return context.Finding(this, node ?? CheckContext.Get(document.Node, "spec"), "spec.minReplicas",
                text is null ? "minReplicas is not set, so it defaults to 1: at low load one pod serves everything" : "minReplicas is 1: at low load one pod serves everything",
                "Set minReplicas: 2 or more, so a crash or a node drain is not an outage.");
        }
    }
}
