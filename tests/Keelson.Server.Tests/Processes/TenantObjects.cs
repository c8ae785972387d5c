using System.Globalization;
using k8s;
using k8s.Models;
using Keelson.Sandbox.Server;
using DeliveryInventory = Keelson.Delivery.Inventory.Inventory;

namespace Keelson.Server.Tests.Processes;

/// <summary>What one tenant namespace of the sandbox holds, read between two facade requests.</summary>
internal sealed record TenantObjects
{
    /// <summary>The namespace.</summary>
    public required string Namespace { get; init; }

    /// <summary>Every object but pods, <c>Kind/name</c> → uid: a uid that changes means the object was deleted and made again.</summary>
    public required IReadOnlyDictionary<string, string> Uids { get; init; }

    /// <summary>Deployment name → its desired replicas.</summary>
    public required IReadOnlyDictionary<string, int> DeploymentReplicas { get; init; }

    /// <summary>ReplicaSet name → the name of the Deployment controlling it.</summary>
    public required IReadOnlyDictionary<string, string?> ReplicaSetOwners { get; init; }

    /// <summary>Replicas the workload controllers want: Deployments' and StatefulSets'.</summary>
    public required int DesiredPods { get; init; }

    /// <summary>Pods not being deleted.</summary>
    public required int Pods { get; init; }

    /// <summary>The revision the inventory ConfigMap records, or null without one.</summary>
    public required int? InventoryRevision { get; init; }

    /// <summary>The object keys the inventory lists (<c>apiVersion kind namespace name</c>).</summary>
    public required IReadOnlyList<string> InventoryKeys { get; init; }

    /// <summary>
    /// Objects of a kind the inventory lists that it does not list (strays, duplicates under another name); the
    /// inventory itself and the <c>default</c> ServiceAccount every namespace gets from the cluster aside.
    /// </summary>
    public IReadOnlyList<string> NotInInventory =>
        [.. Uids.Keys.Where(k => InventoryKinds.Contains(KindOfKey(k)) && !Inventoried.Contains(k) && k != $"ConfigMap/{DeliveryInventory.ConfigMapName}" && k != "ServiceAccount/default").Order(StringComparer.Ordinal)];

    /// <summary>Namespaced objects the inventory lists that are not there.</summary>
    public IReadOnlyList<string> MissingFromNamespace => [.. Inventoried.Where(k => !Uids.ContainsKey(k)).Order(StringComparer.Ordinal)];

    // "apps/v1 Deployment ns chatbot" → "Deployment/chatbot"; cluster-scoped keys ("v1 Namespace - ns") are not in the namespace.
    private HashSet<string> Inventoried =>
        [.. InventoryKeys.Select(k => k.Split(' ')).Where(p => p.Length == 4 && p[2] == Namespace).Select(p => $"{p[1]}/{p[3]}")];

    private HashSet<string> InventoryKinds => [.. Inventoried.Select(KindOfKey)];

    /// <summary>Reads the namespace.</summary>
    public static TenantObjects Read(SandboxApiServer facade, string ns)
    {
        ArgumentNullException.ThrowIfNull(facade);
        return facade.Inspect(cluster =>
        {
            var store = cluster.Engine.Store;
            var all = store.All.Where(o => o.Metadata.NamespaceProperty == ns).ToList();
            var deployments = store.List<V1Deployment>(ns).ToList();
            var inventory = store.Get<V1ConfigMap>(ns, DeliveryInventory.ConfigMapName);
            return new TenantObjects
            {
                Namespace = ns,
                Uids = all.Where(o => o is not V1Pod).ToDictionary(o => $"{KindOf(o)}/{o.Metadata.Name}", o => o.Metadata.Uid, StringComparer.Ordinal),
                DeploymentReplicas = deployments.ToDictionary(d => d.Metadata.Name, d => d.Spec.Replicas ?? 1, StringComparer.Ordinal),
                ReplicaSetOwners = store.List<V1ReplicaSet>(ns).ToDictionary(
                    r => r.Metadata.Name,
                    r => r.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true && o.Kind == "Deployment")?.Name,
                    StringComparer.Ordinal),
                DesiredPods = deployments.Sum(d => d.Spec.Replicas ?? 1) + store.List<V1StatefulSet>(ns).Sum(s => s.Spec.Replicas ?? 1),
                Pods = store.List<V1Pod>(ns).Count(p => p.Metadata.DeletionTimestamp is null),
                InventoryRevision = inventory?.Data?.TryGetValue("revision", out var revision) == true ? int.Parse(revision, CultureInfo.InvariantCulture) : null,
                InventoryKeys = inventory?.Data?.TryGetValue("objects", out var keys) == true ? keys.Split('\n', StringSplitOptions.RemoveEmptyEntries) : [],
            };
        });
    }

    /// <summary>
    /// Reads the namespace once its pods match what the workload controllers want (for at most
    /// <paramref name="timeout"/>): an autoscaler may be changing replicas at the moment of reading, and the pod
    /// count follows a moment later. A second rollout would not settle this way: it leaves a second ReplicaSet.
    /// </summary>
    public static async Task<TenantObjects> ReadSettledAsync(SandboxApiServer facade, string ns, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var read = Read(facade, ns);
            if (read.Pods == read.DesiredPods || clock.Elapsed > timeout)
            {
                return read;
            }

            await Task.Delay(200);
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"namespace {Namespace}: {Uids.Count} objects besides {Pods} pods ({DesiredPods} desired); " +
        $"{string.Join(", ", Uids.Keys.GroupBy(KindOfKey).Select(g => $"{g.Count()} {g.Key}"))}; " +
        $"ReplicaSets: {string.Join(", ", ReplicaSetOwners.Select(r => $"{r.Key} of {r.Value}"))}; " +
        $"inventory: {(InventoryRevision is { } r ? $"revision {r}, {InventoryKeys.Count} keys" : "none")}";

    private static string KindOfKey(string key) => key[..key.IndexOf('/', StringComparison.Ordinal)];

    // Custom resources (PrometheusRule, ServiceMonitor) are stored untyped; every stored object carries its kind.
    private static string KindOf(IKubernetesObject<V1ObjectMeta> resource) => resource.Kind ?? resource.GetType().Name;
}
