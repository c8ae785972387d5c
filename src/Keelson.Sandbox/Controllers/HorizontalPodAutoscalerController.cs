using System.Globalization;
using k8s;
using k8s.Models;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Fields;
using Keelson.Sandbox.Store;

namespace Keelson.Sandbox.Controllers;

/// <summary>
/// autoscaling/v2 HPAs on the metrics of <see cref="HpaMetrics"/> (the largest proposal wins), with the Kubernetes
/// algorithm for each: desired = ceil(current × utilisation /
/// target), no change within the 10 % tolerance, pods not yet ready counted at zero use when scaling up, the
/// largest recommendation of the scale-down stabilisation window, scale-up limited to max(100 %, 4 pods) per
/// period, and the result clamped to min/max. Every metric reads the sandbox's usage model, so none is unknown
/// once a target pod is ready.
/// </summary>
public sealed class HorizontalPodAutoscalerController : IController
{
    private readonly Dictionary<string, List<(DateTime At, int Replicas)>> recommendations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTime> lastSync = new(StringComparer.Ordinal);

    /// <summary>
    /// One evaluation of the replica formula: <paramref name="current"/> replicas of which <paramref name="ready"/>
    /// are ready, sharing <paramref name="demandMillis"/> of CPU, each requesting <paramref name="requestMillis"/>
    /// and limited to <paramref name="limitMillis"/>; returns the desired count and the utilisation (percent) seen.
    /// </summary>
    public static (int Desired, int? Utilisation) Desired(int current, int ready, double demandMillis, long requestMillis, long limitMillis, int targetPercent, double tolerance)
    {
        if (ready == 0 || requestMillis == 0)
        {
            return (current, null);
        }

        var perPod = Math.Min(demandMillis / ready, limitMillis > 0 ? limitMillis : double.MaxValue);
        var utilisation = perPod / requestMillis;
        var ratio = utilisation * 100 / targetPercent;
        if (Math.Abs(ratio - 1) <= tolerance)
        {
            return (current, (int)Math.Round(utilisation * 100));
        }

        if (ratio > 1 && ready < current)
        {
            // Pods without metrics yet count as idle when scaling up, so a rollout does not over-scale.
            ratio = perPod * ready / current / requestMillis * 100 / targetPercent;
            if (ratio <= 1 + tolerance)
            {
                return (current, (int)Math.Round(utilisation * 100));
            }
        }

        return ((int)Math.Ceiling(current * ratio), (int)Math.Round(utilisation * 100));
    }

    /// <inheritdoc/>
    public void Reconcile(SandboxContext context)
    {
        foreach (var hpa in context.Store.List<V2HorizontalPodAutoscaler>().ToList())
        {
            var id = $"{hpa.Metadata.NamespaceProperty}/{hpa.Metadata.Name}";
            if (lastSync.TryGetValue(id, out var last) && context.Now - last < context.Options.HpaSyncPeriod)
            {
                continue;
            }

            lastSync[id] = context.Now;
            Evaluate(context, hpa, id);
        }
    }

    private void Evaluate(SandboxContext context, V2HorizontalPodAutoscaler hpa, string id)
    {
        var ns = hpa.Metadata.NamespaceProperty;
        var target = Target(context, hpa);
        if (target is null)
        {
            SetStatus(context, hpa, 0, 0, [], ("AbleToScale", "False", "FailedGetScale", $"the HPA controller was unable to get the target's current scale: {hpa.Spec.ScaleTargetRef.Kind} {hpa.Spec.ScaleTargetRef.Name} not found"));
            return;
        }

        var (resource, template, selector) = target.Value;
        var current = Replicas(resource);
        var pods = context.Store.List<V1Pod>(ns).Where(p => Pods.IsActive(p) && Selectors.Matches(selector, p.Metadata.Labels)).ToList();
        var min = hpa.Spec.MinReplicas ?? 1;
        var max = hpa.Spec.MaxReplicas;

        // Kubernetes scales to the largest of the metrics' proposals.
        var proposals = HpaMetrics.Evaluate(context, hpa, resource.Metadata.Name, pods, current, template);
        var leading = proposals.OrderByDescending(p => p.Desired).FirstOrDefault();
        var desired = leading?.Desired ?? current;

        var bounded = Math.Clamp(desired, min, max);
        var stabilised = Stabilise(context, hpa, id, bounded, current);
        var limited = stabilised > current ? Math.Min(stabilised, Math.Max(current * 2, current + 4)) : stabilised;
        if (current == 0)
        {
            // Scaling is disabled when the target is at zero replicas (HPA semantics); nothing to do.
            limited = 0;
        }

        if (limited != current)
        {
            SetReplicas(context, resource, limited);
            context.Event(hpa.Metadata, "HorizontalPodAutoscaler", "Normal", "SuccessfulRescale",
                string.Create(CultureInfo.InvariantCulture, $"New size: {limited}; reason: {(leading is not null && desired != current ? $"{leading.Reason} {(limited > current ? "above" : "below")} target" : "outside the min/max range")}"));
        }

        var condition = desired != bounded
            ? ("ScalingLimited", "True", desired > max ? "TooManyReplicas" : "TooFewReplicas", $"the desired replica count is {(desired > max ? "more" : "less")} than the {(desired > max ? "maximum" : "minimum")} replica count")
            : leading is null
                ? ("ScalingActive", "False", "FailedGetResourceMetric", "the HPA was unable to compute the replica count: no ready pods report metrics")
                : ("ScalingActive", "True", "ValidMetricFound", $"the HPA was able to successfully calculate a replica count from {leading.Reason}");
        SetStatus(context, hpa, current, limited, [.. proposals.Select(p => p.Status)], condition, limited != current ? context.Now : null);
    }

    private int Stabilise(SandboxContext context, V2HorizontalPodAutoscaler hpa, string id, int desired, int current)
    {
        var window = TimeSpan.FromSeconds(hpa.Spec.Behavior?.ScaleDown?.StabilizationWindowSeconds ?? (int)context.Options.HpaDownscaleStabilisation.TotalSeconds);
        if (!recommendations.TryGetValue(id, out var history))
        {
            history = [];
            recommendations[id] = history;
        }

        history.Add((context.Now, desired));
        history.RemoveAll(r => context.Now - r.At > window);

        // Scale down only as far as the highest recommendation of the window allows.
        return desired < current ? Math.Min(current, history.Max(r => r.Replicas)) : desired;
    }

    private static (IKubernetesObject<V1ObjectMeta> Resource, V1PodTemplateSpec Template, V1LabelSelector Selector)? Target(SandboxContext context, V2HorizontalPodAutoscaler hpa)
    {
        var reference = hpa.Spec.ScaleTargetRef;
        var ns = hpa.Metadata.NamespaceProperty;
        return reference.Kind switch
        {
            "Deployment" when context.Store.Get<V1Deployment>(ns, reference.Name) is { } d => (d, d.Spec.Template, d.Spec.Selector),
            "StatefulSet" when context.Store.Get<V1StatefulSet>(ns, reference.Name) is { } s => (s, s.Spec.Template, s.Spec.Selector),
            "ReplicaSet" when context.Store.Get<V1ReplicaSet>(ns, reference.Name) is { } r => (r, r.Spec.Template, r.Spec.Selector),
            _ => null,
        };
    }

    private static int Replicas(IKubernetesObject<V1ObjectMeta> resource) => resource switch
    {
        V1Deployment d => d.Spec.Replicas ?? 1,
        V1StatefulSet s => s.Spec.Replicas ?? 1,
        V1ReplicaSet r => r.Spec.Replicas ?? 1,
        _ => 0,
    };

    /// <summary>The field manager upstream's controllers write as.</summary>
    public const string ControllerManager = "kube-controller-manager";

    private static void SetReplicas(SandboxContext context, IKubernetesObject<V1ObjectMeta> resource, int replicas)
    {
        var before = Fields.FieldOwnershipJson.Of(resource);
        switch (resource)
        {
            case V1Deployment d: d.Spec.Replicas = replicas; break;
            case V1StatefulSet s: s.Spec.Replicas = replicas; break;
            case V1ReplicaSet r: r.Spec.Replicas = replicas; break;
        }

        // Upstream's HPA controller writes through /scale: kube-controller-manager takes spec.replicas, as managedFields shows.
        resource.Metadata.ManagedFields = Fields.FieldManager.Encode(Fields.FieldManager.Update(
            resource.Kind, before, Fields.FieldOwnershipJson.Of(resource), Fields.FieldManager.Decode(resource.Metadata.ManagedFields),
            ControllerManager, resource.ApiVersion, "scale", Fields.FieldOwnershipJson.Seconds(context.Now)));
        context.Store.Update(resource, specChanged: true);
    }

    private static void SetStatus(SandboxContext context, V2HorizontalPodAutoscaler hpa, int current, int desired, List<V2MetricStatus> metrics, (string Type, string Status, string Reason, string Message) condition, DateTime? scaled = null)
    {
        var status = hpa.Status;
        if (status is not null && status.CurrentReplicas == current && status.DesiredReplicas == desired && scaled is null
            && Same(status.CurrentMetrics, metrics)
            && status.Conditions?.FirstOrDefault()?.Reason == condition.Reason)
        {
            return;
        }

        hpa.Status = new V2HorizontalPodAutoscalerStatus
        {
            CurrentReplicas = current,
            DesiredReplicas = desired,
            CurrentMetrics = metrics.Count == 0 ? null : metrics,
            LastScaleTime = scaled ?? status?.LastScaleTime,
            ObservedGeneration = hpa.Metadata.Generation,
            Conditions = [new V2HorizontalPodAutoscalerCondition { Type = condition.Type, Status = condition.Status, Reason = condition.Reason, Message = condition.Message, LastTransitionTime = context.Now }],
        };
        context.WriteStatus(hpa, ComponentWrites.ControllerManager);
    }

    private static bool Same(IList<V2MetricStatus>? before, List<V2MetricStatus> after) =>
        KubernetesJson.Serialize(before ?? []) == KubernetesJson.Serialize(after);
}
