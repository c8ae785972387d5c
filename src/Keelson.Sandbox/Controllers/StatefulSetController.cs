using System.Globalization;
using k8s.Models;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Fields;

namespace Keelson.Sandbox.Controllers;

/// <summary>
/// StatefulSet → pods with stable names (<c>db-0</c>, <c>db-1</c>) and one claim per volume template each.
/// OrderedReady creates pod <em>n</em> only once 0…n−1 are ready and removes the highest ordinal first; a rolling
/// update replaces pods from the highest ordinal down, one at a time, above the partition.
/// </summary>
public sealed class StatefulSetController : IController
{
    /// <summary>Label with the revision (template hash) a pod was created from.</summary>
    public const string RevisionLabel = "controller-revision-hash";

    /// <inheritdoc/>
    public void Reconcile(SandboxContext context)
    {
        foreach (var set in context.Store.List<V1StatefulSet>().ToList())
        {
            var ns = set.Metadata.NamespaceProperty;
            var name = set.Metadata.Name;
            var revision = $"{name}-{Names.TemplateHash(set, set.Spec.Template)}";
            var replicas = set.Spec.Replicas ?? 1;
            var parallel = set.Spec.PodManagementPolicy == "Parallel";
            var pods = context.Store.OwnedBy<V1Pod>(set).ToDictionary(p => Ordinal(p, name));

            foreach (var (ordinal, pod) in pods.Where(p => p.Value.Status?.Phase is "Failed" or "Succeeded").ToList())
            {
                context.Store.Delete(Store.StoreKey.Of(pod));
                pods.Remove(ordinal);
            }

            for (var i = 0; i < replicas; i++)
            {
                if (pods.ContainsKey(i))
                {
                    continue;
                }

                if (!parallel && Enumerable.Range(0, i).Any(j => !pods.TryGetValue(j, out var before) || !Pods.IsReady(before) || !Pods.IsActive(before)))
                {
                    break;
                }

                pods[i] = Create(context, set, i, revision);
            }

            var extra = pods.Keys.Where(i => i >= replicas).OrderDescending().ToList();
            foreach (var i in parallel ? extra : extra.Take(1))
            {
                if (!parallel && pods.Values.Any(p => p.Metadata.DeletionTimestamp is not null))
                {
                    break;
                }

                Pods.Terminate(context, pods[i]);
            }

            RollingUpdate(context, set, pods, replicas, revision);
            UpdateStatus(context, set, pods, replicas, revision);
        }
    }

    private static V1Pod Create(SandboxContext context, V1StatefulSet set, int ordinal, string revision)
    {
        var ns = set.Metadata.NamespaceProperty;
        var podName = string.Create(CultureInfo.InvariantCulture, $"{set.Metadata.Name}-{ordinal}");
        var pod = Pods.FromTemplate(set.Spec.Template, podName, ns, set, new Dictionary<string, string>
        {
            [RevisionLabel] = revision,
            ["statefulset.kubernetes.io/pod-name"] = podName,
            ["apps.kubernetes.io/pod-index"] = ordinal.ToString(CultureInfo.InvariantCulture),
        });
        pod.Spec.Hostname = podName;
        pod.Spec.Subdomain = set.Spec.ServiceName;
        foreach (var template in set.Spec.VolumeClaimTemplates ?? [])
        {
            var claim = $"{template.Metadata.Name}-{podName}";
            if (context.Store.Get<V1PersistentVolumeClaim>(ns, claim) is null)
            {
                context.CreateAs(new V1PersistentVolumeClaim
                {
                    ApiVersion = "v1",
                    Kind = "PersistentVolumeClaim",
                    Metadata = new V1ObjectMeta { Name = claim, NamespaceProperty = ns, Labels = set.Spec.Selector.MatchLabels is { } l ? new Dictionary<string, string>(l) : null },
                    Spec = Copy.Deep(template.Spec),
                    Status = new V1PersistentVolumeClaimStatus { Phase = "Pending" },
                }, ComponentWrites.ControllerManager);
            }

            pod.Spec.Volumes = [.. (pod.Spec.Volumes ?? []).Where(v => v.Name != template.Metadata.Name),
                new V1Volume { Name = template.Metadata.Name, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim } }];
        }

        return context.CreateAs(pod, ComponentWrites.ControllerManager);
    }

    private static void RollingUpdate(SandboxContext context, V1StatefulSet set, Dictionary<int, V1Pod> pods, int replicas, string revision)
    {
        if (set.Spec.UpdateStrategy?.Type == "OnDelete" || pods.Count < replicas || pods.Values.Any(p => !Pods.IsReady(p) || !Pods.IsActive(p)))
        {
            return;
        }

        var partition = set.Spec.UpdateStrategy?.RollingUpdate?.Partition ?? 0;
        var stale = pods.Where(p => p.Key >= partition && RevisionOf(p.Value) != revision).OrderByDescending(p => p.Key).Select(p => p.Value).FirstOrDefault();
        if (stale is not null)
        {
            Pods.Terminate(context, stale);
        }
    }

    private static void UpdateStatus(SandboxContext context, V1StatefulSet set, Dictionary<int, V1Pod> pods, int replicas, string revision)
    {
        var active = pods.Values.Where(Pods.IsActive).ToList();
        var updated = active.Count(p => RevisionOf(p) == revision);
        var ready = active.Count(Pods.IsReady);
        var current = updated == replicas && active.Count == replicas ? revision : set.Status?.CurrentRevision ?? revision;
        var status = set.Status;
        if (status is not null && status.Replicas == active.Count && status.ReadyReplicas == ready && status.UpdatedReplicas == updated
            && status.CurrentRevision == current && status.UpdateRevision == revision && status.ObservedGeneration == set.Metadata.Generation)
        {
            return;
        }

        set.Status = new V1StatefulSetStatus
        {
            Replicas = active.Count,
            ReadyReplicas = ready,
            AvailableReplicas = active.Count(p => Pods.IsAvailable(p, set.Spec.MinReadySeconds ?? 0, context.Now)),
            CurrentReplicas = current == revision ? updated : active.Count - updated,
            UpdatedReplicas = updated,
            CurrentRevision = current,
            UpdateRevision = revision,
            ObservedGeneration = set.Metadata.Generation,
        };
        context.WriteStatus(set, ComponentWrites.ControllerManager);
    }

    private static string? RevisionOf(V1Pod pod) => pod.Metadata.Labels is { } labels && labels.TryGetValue(RevisionLabel, out var r) ? r : null;

    private static int Ordinal(V1Pod pod, string setName) =>
        int.TryParse(pod.Metadata.Name.AsSpan(setName.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal) ? ordinal : -1;
}
