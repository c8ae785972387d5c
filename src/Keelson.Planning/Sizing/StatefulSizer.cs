using System.Globalization;
using Keelson.Planning.Catalog;
using Keelson.Spec.Model;
using Keelson.Spec.Units;

namespace Keelson.Planning.Sizing;

/// <summary>Sizes databases, caches and brokers: fixed replica sets with storage, never scaled down.</summary>
public sealed class StatefulSizer : IComponentSizer
{
    /// <summary>PostgreSQL pod when the spec gives none (the anchor's server is 4 cores / 16 GB; a pod starts at a quarter).</summary>
    public static readonly PodShape Database = new(new MilliCpu(1000), ByteSize.FromGiB(4), new MilliCpu(4000), ByteSize.FromGiB(16), 0);

    /// <summary>Redis pod when the spec gives none.</summary>
    public static readonly PodShape Cache = new(new MilliCpu(250), ByteSize.FromMiB(512), new MilliCpu(1000), ByteSize.FromGiB(2), 0);

    /// <summary>Kafka broker pod when the spec gives none.</summary>
    public static readonly PodShape KafkaBroker = new(new MilliCpu(1000), ByteSize.FromGiB(2), new MilliCpu(2000), ByteSize.FromGiB(4), 0);

    /// <summary>ZooKeeper or KRaft controller pod.</summary>
    public static readonly PodShape Coordinator = new(new MilliCpu(250), ByteSize.FromMiB(512), new MilliCpu(500), ByteSize.FromGiB(1), 0);

    /// <summary>NATS server pod when the spec gives none.</summary>
    public static readonly PodShape Nats = new(new MilliCpu(250), ByteSize.FromMiB(256), new MilliCpu(1000), ByteSize.FromGiB(1), 0);

    /// <summary>Coordinator storage: metadata only.</summary>
    public static readonly ByteSize CoordinatorStorage = ByteSize.FromGiB(5);

    /// <inheritdoc/>
    public Type ComponentType => typeof(StatefulComponent);

    /// <inheritdoc/>
    public IReadOnlyList<SizedComponent> Size(Component component, SizingContext context)
    {
        var s = (StatefulComponent)component;
        var spread = context.Redundancy.ZoneSpread;
        var custom = s.Resources is { } r ? PodShape.From(r) : null;
        var size = s.Storage.Size;
        IReadOnlyList<WorkloadPlan> workloads;
        string rationale;
        switch (s)
        {
            case DatabaseComponent db:
                workloads = [Fixed(db.Name, db.Replicas, custom ?? Database, size, spread)];
                rationale = string.Create(CultureInfo.InvariantCulture, $"primary{(db.Replicas > 1 ? $" + {db.Replicas - 1} streaming replica(s)" : "")}");
                break;
            case CacheComponent cache:
                // Redis replication is rendered (replicaof), so the availability target's spares become replicas.
                var replicas = cache.Replicas ?? context.Redundancy.Spare;
                workloads = replicas > 0
                    ? [Fixed(cache.Name + "-master", 1, custom ?? Cache, size, false), Fixed(cache.Name + "-replica", replicas, custom ?? Cache, size, spread)]
                    : [Fixed(cache.Name, 1, custom ?? Cache, size, false)];
                rationale = string.Create(CultureInfo.InvariantCulture, $"master{(replicas > 0 ? $" + {replicas} replica(s)" : " only")}{(cache.Replicas is null && replicas > 0 ? $" for {context.Spec.Sla.AvailabilityPercent}% availability" : "")}");
                break;
            case BrokerComponent { Engine: BrokerEngine.Nats } nats:
                workloads = [Fixed(nats.Name, nats.Brokers, custom ?? Nats, size, spread)];
                rationale = string.Create(CultureInfo.InvariantCulture, $"{nats.Brokers} NATS server(s) with JetStream");
                break;
            case BrokerComponent kafka:
                // A ZooKeeper ensemble needs a majority: 3 nodes once there is more than one broker.
                var coordinators = kafka.Brokers > 1 ? 3 : 1;
                var coordinatorName = kafka.Name + (kafka.Coordinator == KafkaCoordinator.Zookeeper ? "-zookeeper" : "-controller");
                workloads = [Fixed(kafka.Name, kafka.Brokers, custom ?? KafkaBroker, size, spread), Fixed(coordinatorName, coordinators, Coordinator, CoordinatorStorage, spread)];
                rationale = string.Create(CultureInfo.InvariantCulture, $"{kafka.Brokers} broker(s) + {coordinators} {(kafka.Coordinator == KafkaCoordinator.Zookeeper ? "ZooKeeper" : "KRaft controller")} node(s)");
                break;
            default:
                throw new InvalidOperationException($"No stateful sizing for {s.Kind}.");
        }

        return [new SizedComponent(s, "cpu", null, workloads, null, null, rationale)];
    }

    private static WorkloadPlan Fixed(string name, int replicas, PodShape pod, ByteSize storage, bool spread) =>
        new(name, replicas, replicas, replicas, pod, storage, Scalable: false, ZoneSpread: spread && replicas > 1);
}
