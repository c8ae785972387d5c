using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Sandbox.Engine;

namespace Keelson.Sandbox.Store;

/// <summary>
/// The sandbox's API server storage: typed objects by group, kind, namespace and name, with resourceVersions,
/// uids, generations, owner-reference garbage collection and watches. Iteration is in name order, so every
/// controller pass visits objects in the same order and runs are repeatable.
/// </summary>
public sealed class ObjectStore(VirtualClock clock)
{
    private static readonly ConcurrentDictionary<Type, (string Group, string Kind)> TypeKeys = new();

    private readonly Dictionary<(string Group, string Kind), SortedDictionary<string, IKubernetesObject<V1ObjectMeta>>> kinds = [];
    private readonly List<(string Group, string Kind, string? Namespace, Channel<ClusterEvent> Channel)> watchers = [];

    // Objects by the uid of each owner they reference: controllers find their pods, and deletion cascades, without a scan.
    private readonly Dictionary<string, List<IKubernetesObject<V1ObjectMeta>>> dependents = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Group, string Kind), long> lastChange = [];
    private long resourceVersion;
    private long uids;

    /// <summary>The latest resourceVersion handed out.</summary>
    public long ResourceVersion => resourceVersion;

    /// <summary>Incremented on every change, so the engine can tell whether a reconcile pass did anything.</summary>
    public long Changes { get; private set; }

    /// <summary>The resourceVersion of the latest change to any object of type <typeparamref name="T"/> (0 when none).</summary>
    public long LastChange<T>()
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        lastChange.GetValueOrDefault(KeyOf(typeof(T)));

    /// <summary>The object with this key, or null.</summary>
    public IKubernetesObject<V1ObjectMeta>? Get(StoreKey key) =>
        kinds.TryGetValue((key.Group, key.Kind), out var objects) && objects.TryGetValue(Path(key.Namespace, key.Name), out var found) ? found : null;

    /// <summary>The typed object of this namespace and name, or null.</summary>
    public T? Get<T>(string? ns, string name)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var (group, kind) = KeyOf(typeof(T));
        return Get(new StoreKey(group, kind, ns ?? "", name)) as T;
    }

    /// <summary>Objects of a type, in one namespace or all, in namespace/name order.</summary>
    public IEnumerable<T> List<T>(string? ns = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var (group, kind) = KeyOf(typeof(T));
        return List(group, kind, ns).Cast<T>();
    }

    /// <summary>Objects of a group and kind, in one namespace or all, in namespace/name order.</summary>
    public IEnumerable<IKubernetesObject<V1ObjectMeta>> List(string group, string kind, string? ns)
    {
        if (!kinds.TryGetValue((group, kind), out var objects))
        {
            return [];
        }

        return ns is null ? [.. objects.Values] : [.. objects.Values.Where(o => (o.Metadata.NamespaceProperty ?? "") == ns)];
    }

    /// <summary>Every object, for persisting the sandbox.</summary>
    public IEnumerable<IKubernetesObject<V1ObjectMeta>> All => kinds.OrderBy(k => k.Key.Group, StringComparer.Ordinal).ThenBy(k => k.Key.Kind, StringComparer.Ordinal).SelectMany(k => k.Value.Values);

    /// <summary>The counters a saved store resumes from: the last resourceVersion and uid handed out.</summary>
    public (long ResourceVersion, long Uids) Counters => (resourceVersion, uids);

    /// <summary>Puts saved objects back as they were (no new versions, no events), and resumes the counters.</summary>
    public void Restore(IEnumerable<IKubernetesObject<V1ObjectMeta>> saved, long savedResourceVersion, long savedUids)
    {
        foreach (var resource in saved)
        {
            var key = StoreKey.Of(resource);
            Objects(key.Group, key.Kind)[Path(key.Namespace, key.Name)] = resource;
            Index(resource);
        }

        resourceVersion = Math.Max(resourceVersion, savedResourceVersion);
        uids = Math.Max(uids, savedUids);
    }

    /// <summary>Stores a new object: uid, creation time, resourceVersion and generation are set here.</summary>
    public T Create<T>(T resource)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var key = StoreKey.Of(resource);
        var objects = Objects(key.Group, key.Kind);
        var path = Path(key.Namespace, key.Name);
        if (objects.ContainsKey(path))
        {
            throw new InvalidOperationException($"{ObjectKey.Of(resource)} already exists");
        }

        var meta = resource.Metadata;
        meta.Uid ??= NewUid();
        meta.CreationTimestamp ??= clock.UtcDateTime;
        meta.Generation = 1;
        if (resource is V1Job job)
        {
            // The API server's Job strategy needs the uid just given, so it runs here rather than before.
            Controllers.JobController.GenerateSelector(job);
        }

        meta.ResourceVersion = NextVersion();
        objects[path] = resource;
        Index(resource);
        Notify(WatchEventType.Added, resource);
        return resource;
    }

    /// <summary>Records a change to a stored object (spec changes bump the generation: pass <paramref name="specChanged"/>).</summary>
    public void Update(IKubernetesObject<V1ObjectMeta> resource, bool specChanged = false)
    {
        var key = StoreKey.Of(resource);
        var objects = Objects(key.Group, key.Kind);
        var path = Path(key.Namespace, key.Name);
        if (!objects.TryGetValue(path, out var stored))
        {
            throw new InvalidOperationException($"{ObjectKey.Of(resource)} does not exist");
        }

        if (specChanged)
        {
            resource.Metadata.Generation = (stored.Metadata.Generation ?? 1) + 1;
        }

        resource.Metadata.ResourceVersion = NextVersion();
        if (!ReferenceEquals(stored, resource))
        {
            Unindex(stored);
            Index(resource);
        }

        objects[path] = resource;
        Notify(WatchEventType.Modified, resource);
    }

    /// <summary>Removes an object and, as the garbage collector would, everything it owns; false when absent.</summary>
    public bool Delete(StoreKey key)
    {
        if (!kinds.TryGetValue((key.Group, key.Kind), out var objects) || !objects.Remove(Path(key.Namespace, key.Name), out var removed))
        {
            return false;
        }

        // The DELETED event carries the deletion's resourceVersion, as the API server's does, so a watch can resume after it.
        removed.Metadata.ResourceVersion = NextVersion();
        Unindex(removed);
        Notify(WatchEventType.Deleted, removed);
        if (removed.Metadata.Uid is { } uid && dependents.Remove(uid, out var owned))
        {
            foreach (var dependent in owned.ToList())
            {
                Delete(StoreKey.Of(dependent));
            }
        }

        return true;
    }

    /// <summary>Objects of type <typeparamref name="T"/> that reference <paramref name="owner"/> as their controller, in name order.</summary>
    public IEnumerable<T> OwnedBy<T>(IKubernetesObject<V1ObjectMeta> owner)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(owner);
        return owner.Metadata.Uid is { } uid && dependents.TryGetValue(uid, out var owned)
            ? [.. owned.OfType<T>().Where(o => o.Metadata.OwnerReferences.Any(r => r.Uid == uid && r.Controller == true)).OrderBy(o => o.Metadata.Name, StringComparer.Ordinal)]
            : [];
    }

    /// <summary>Events for objects of a kind (in one namespace or all) until the token is cancelled.</summary>
    public ChannelReader<ClusterEvent> Watch(string group, string kind, string? ns, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<ClusterEvent>(new UnboundedChannelOptions { SingleReader = true });
        var entry = (group, kind, ns, channel);
        lock (watchers)
        {
            watchers.Add(entry);
        }

        cancellationToken.Register(() =>
        {
            lock (watchers)
            {
                watchers.Remove(entry);
            }

            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }

    /// <summary>The group and kind a model type is stored under.</summary>
    public static (string Group, string Kind) KeyOf(Type type) => TypeKeys.GetOrAdd(type, t =>
    {
        var entity = t.GetCustomAttribute<KubernetesEntityAttribute>() ?? throw new ArgumentException($"{t.Name} is not a Kubernetes model", nameof(type));
        return (entity.Group ?? "", entity.Kind);
    });

    private SortedDictionary<string, IKubernetesObject<V1ObjectMeta>> Objects(string group, string kind)
    {
        if (!kinds.TryGetValue((group, kind), out var objects))
        {
            objects = new SortedDictionary<string, IKubernetesObject<V1ObjectMeta>>(StringComparer.Ordinal);
            kinds[(group, kind)] = objects;
        }

        return objects;
    }

    private void Index(IKubernetesObject<V1ObjectMeta> resource)
    {
        foreach (var uid in (resource.Metadata.OwnerReferences ?? []).Select(r => r.Uid).Distinct(StringComparer.Ordinal))
        {
            if (!dependents.TryGetValue(uid, out var list))
            {
                list = [];
                dependents[uid] = list;
            }

            list.Add(resource);
        }
    }

    private void Unindex(IKubernetesObject<V1ObjectMeta> resource)
    {
        foreach (var uid in (resource.Metadata.OwnerReferences ?? []).Select(r => r.Uid).Distinct(StringComparer.Ordinal))
        {
            if (dependents.TryGetValue(uid, out var list))
            {
                list.Remove(resource);
            }
        }
    }

    private string NextVersion()
    {
        Changes++;
        return (++resourceVersion).ToString(CultureInfo.InvariantCulture);
    }

    // Deterministic uids (a counter in GUID form): two runs of the same input produce the same objects.
    private string NewUid() => new Guid((int)(++uids >> 32), (short)0x4b45, (short)0x4c53, BitConverter.GetBytes(uids)).ToString();

    private void Notify(WatchEventType type, IKubernetesObject<V1ObjectMeta> resource)
    {
        var changed = StoreKey.Of(resource);
        lastChange[(changed.Group, changed.Kind)] = resourceVersion;
        lock (watchers)
        {
            if (watchers.Count == 0)
            {
                return;
            }

            var key = StoreKey.Of(resource);
            foreach (var (group, kind, ns, channel) in watchers)
            {
                if (group == key.Group && kind == key.Kind && (ns is null || ns == key.Namespace))
                {
                    channel.Writer.TryWrite(new ClusterEvent(type, KubeObjects.Clone(resource)));
                }
            }
        }
    }

    private static string Path(string ns, string name) => ns.Length == 0 ? name : ns + "/" + name;
}
