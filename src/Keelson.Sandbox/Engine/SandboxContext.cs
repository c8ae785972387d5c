using k8s;
using k8s.Models;
using Keelson.Sandbox.Fields;
using Keelson.Sandbox.Store;

namespace Keelson.Sandbox.Engine;

/// <summary>What every controller sees: the store, the clock, the timings, the injected faults and the load.</summary>
public sealed class SandboxContext(ObjectStore store, VirtualClock clock, SandboxOptions options, ILoadModel load)
{

    /// <summary>The object store.</summary>
    public ObjectStore Store { get; } = store;

    /// <summary>The virtual clock.</summary>
    public VirtualClock Clock { get; } = clock;

    /// <summary>Timings.</summary>
    public SandboxOptions Options { get; } = options;

    /// <summary>Demand per workload over time.</summary>
    public ILoadModel Load { get; set; } = load;

    /// <summary>Injected failures.</summary>
    public List<Fault> Faults { get; } = [];

    /// <summary>Now, as the models' <see cref="DateTime"/>.</summary>
    public DateTime Now => Clock.UtcDateTime;

    /// <summary>How many generated names were handed out; saved with the sandbox so names stay unique after a reload.</summary>
    public long Sequence { get; set; }

    /// <summary>A reproducible name suffix for an object generated from <paramref name="owner"/>.</summary>
    public string NextSuffix(string owner) => Names.Suffix(owner, ++Sequence);

    /// <summary>
    /// <c>prefix-suffix</c> not yet taken by an object of type <typeparamref name="T"/> in <paramref name="ns"/>:
    /// five generated characters can repeat over a long simulation, so a taken name is skipped.
    /// </summary>
    public string FreeName<T>(string? ns, string prefix, char separator = '-')
        where T : class, k8s.IKubernetesObject<V1ObjectMeta>
    {
        while (true)
        {
            var name = $"{prefix}{separator}{NextSuffix(prefix)}";
            if (Store.Get<T>(ns, name) is null)
            {
                return name;
            }
        }
    }

    /// <summary>Stores an object a cluster component creates, recorded in <c>managedFields</c> as that component's update.</summary>
    public T CreateAs<T>(T resource, string manager)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        ComponentWrites.Created(resource, manager, Now);
        return Store.Create(resource);
    }

    /// <summary>
    /// Stores a component's write of an object's status, recorded in <c>managedFields</c> through the <c>status</c>
    /// subresource (see <see cref="ComponentWrites.Status"/>).
    /// </summary>
    public void WriteStatus(IKubernetesObject<V1ObjectMeta> resource, string manager, IReadOnlyCollection<FieldPath>? unowned = null, IReadOnlyCollection<FieldPath>? alsoOwned = null)
    {
        ComponentWrites.Status(resource, manager, Now, unowned, alsoOwned);
        Store.Update(resource);
    }

    /// <summary>Stores a component's main-resource write of the fields at <paramref name="changed"/>, which it then owns.</summary>
    public void WriteFields(IKubernetesObject<V1ObjectMeta> resource, string manager, bool specChanged, params FieldPath[] changed)
    {
        ComponentWrites.Changed(resource, manager, Now, changed);
        Store.Update(resource, specChanged);
    }

    /// <summary>
    /// Records a Kubernetes Event about an object, as <c>kubectl describe</c> shows them, created by the component a real
    /// cluster's event comes from (its <c>source.component</c>) under that component's field manager.
    /// </summary>
    public void Event(V1ObjectMeta about, string kind, string type, string reason, string message)
    {
        var ns = about.NamespaceProperty ?? "default";
        var component = ComponentOf(kind, reason);
        CreateAs(new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta { Name = FreeName<Corev1Event>(ns, about.Name, '.'), NamespaceProperty = ns },
            InvolvedObject = new V1ObjectReference { ApiVersion = ApiVersionOf(kind), Kind = kind, Name = about.Name, NamespaceProperty = about.NamespaceProperty, Uid = about.Uid },
            Reason = reason,
            Message = message,
            Type = type,
            FirstTimestamp = Now,
            LastTimestamp = Now,
            Count = 1,
            Source = new V1EventSource { Component = component },
        }, ManagerOf(component));
    }

    // The field manager of the process a reporting component runs in: controllers share kube-controller-manager's.
    // Upstream's scheduler writes its events through events.k8s.io/v1; here every event is written as core v1.
    private static string ManagerOf(string component) => component switch
    {
        "default-scheduler" => ComponentWrites.Scheduler,
        "kubelet" or "cluster-autoscaler" or "keelson-sandbox" => component,
        _ => ComponentWrites.ControllerManager,
    };

    // kubectl events --for kind/name matches on the involved object's API version as well as its kind and name.
    private static string ApiVersionOf(string kind) => kind switch
    {
        "Deployment" or "ReplicaSet" or "StatefulSet" or "DaemonSet" => "apps/v1",
        "Job" or "CronJob" => "batch/v1",
        "HorizontalPodAutoscaler" => "autoscaling/v2",
        "PodDisruptionBudget" => "policy/v1",
        _ => "v1",
    };

    // The component a real cluster's event comes from (kubectl describe's "From"); drains have no upstream reporter.
    private static string ComponentOf(string kind, string reason) => kind switch
    {
        "Deployment" => "deployment-controller",
        "Job" => "job-controller",
        "CronJob" => "cronjob-controller",
        "HorizontalPodAutoscaler" => "horizontal-pod-autoscaler",
        _ => reason switch
        {
            "Scheduled" or "FailedScheduling" => "default-scheduler",
            "Pulling" or "Pulled" or "BackOff" or "NodeReady" or "NodeNotSchedulable" => "kubelet",
            "NodeNotReady" or "NodeLost" => "node-controller",
            "TaintManagerEviction" => "taint-eviction-controller",
            "TriggeredScaleUp" or "ScaleDown" => "cluster-autoscaler",
            _ => "keelson-sandbox",
        },
    };
}

/// <summary>A control loop of the sandbox: reads the store, moves the world one step toward the desired state.</summary>
public interface IController
{
    /// <summary>One reconcile pass over every object this controller owns.</summary>
    void Reconcile(SandboxContext context);
}
