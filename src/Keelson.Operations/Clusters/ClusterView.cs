namespace Keelson.Operations.Clusters;

/// <summary>
/// What a cluster looks like now, as <c>kubectl get nodes,pods,hpa</c> and <c>kubectl top</c> together would show it:
/// nodes grouped by pool and zone with their allocatable, requested and used resources, pods per node, the pending
/// pods with the scheduler's reason, the horizontal pod autoscalers, and the cluster autoscaler's recent events.
/// Everything is sorted, so two reads of an unchanged cluster are equal.
/// </summary>
/// <param name="Name">The cluster's name in the API (a sandbox's profile, <c>demo</c> or <c>production</c>).</param>
/// <param name="Kind"><c>sandbox</c> (the embedded sandbox) or <c>kubernetes</c> (a configured cluster).</param>
/// <param name="ObservedAt">When it was read, on the cluster's clock (the sandbox's is virtual).</param>
/// <param name="Scope">Whose view it is: <c>all</c>, or <c>tenant</c> (only that tenant's pods, pending pods and autoscalers are listed).</param>
/// <param name="MetricsAvailable">Whether the cluster serves <c>metrics.k8s.io</c>; without it every <c>used</c> is null.</param>
/// <param name="Totals">The whole cluster's allocatable, requested and used resources, node and pod counts.</param>
/// <param name="Groups">Nodes per pool and zone, with their sums.</param>
/// <param name="Nodes">Every node.</param>
/// <param name="Pods">The visible pods bound to a node.</param>
/// <param name="Pending">The visible pods no node has been found for, with the scheduler's reason.</param>
/// <param name="Autoscalers">The visible horizontal pod autoscalers.</param>
/// <param name="AutoscalerEvents">The cluster autoscaler's events, newest first.</param>
public sealed record ClusterView(
    string Name,
    string Kind,
    DateTimeOffset ObservedAt,
    string Scope,
    bool MetricsAvailable,
    NodeGroupView Totals,
    IReadOnlyList<NodeGroupView> Groups,
    IReadOnlyList<NodeView> Nodes,
    IReadOnlyList<PodView> Pods,
    IReadOnlyList<PendingPodView> Pending,
    IReadOnlyList<AutoscalerView> Autoscalers,
    IReadOnlyList<ClusterEventView> AutoscalerEvents);

/// <summary>The nodes of one pool in one zone (or of the whole cluster), summed.</summary>
/// <param name="Pool">The node pool (empty for the cluster's totals or a node without a pool label).</param>
/// <param name="Zone">The zone (empty for the totals or a node without a zone label).</param>
/// <param name="Nodes">How many nodes.</param>
/// <param name="ReadyNodes">How many of them are Ready.</param>
/// <param name="PodCount">Pods bound to them, every tenant's.</param>
/// <param name="Allocatable">What the scheduler may hand out on them.</param>
/// <param name="Requested">What the pods bound to them request, every tenant's.</param>
/// <param name="Used">What they use now per the metrics API; null without one.</param>
public sealed record NodeGroupView(string Pool, string Zone, int Nodes, int ReadyNodes, int PodCount, ResourceAmounts Allocatable, ResourceAmounts Requested, ResourceAmounts? Used);

/// <summary>One node.</summary>
/// <param name="Name">The node's name.</param>
/// <param name="Pool">Its pool (<c>keelson.dev/pool</c>, or the cloud's node-group label).</param>
/// <param name="Zone">Its zone (<c>topology.kubernetes.io/zone</c>).</param>
/// <param name="InstanceType">Its instance type (<c>node.kubernetes.io/instance-type</c>).</param>
/// <param name="Ready">Whether its Ready condition is True.</param>
/// <param name="Schedulable">False when cordoned.</param>
/// <param name="PodCount">Pods bound to it, every tenant's.</param>
/// <param name="Allocatable">What the scheduler may hand out on it.</param>
/// <param name="Requested">What the pods bound to it request, every tenant's.</param>
/// <param name="Used">What it uses now; null without a metrics API.</param>
public sealed record NodeView(string Name, string Pool, string Zone, string InstanceType, bool Ready, bool Schedulable, int PodCount, ResourceAmounts Allocatable, ResourceAmounts Requested, ResourceAmounts? Used);

/// <summary>One pod bound to a node.</summary>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name.</param>
/// <param name="Tenant">The tenant its namespace belongs to (<c>keelson.dev/tenant</c>), if any.</param>
/// <param name="Node">The node it runs on.</param>
/// <param name="Phase">Its phase (Pending while its containers start, Running, Succeeded, Failed).</param>
/// <param name="Ready">Whether its Ready condition is True.</param>
/// <param name="Requested">What the scheduler counted for it.</param>
/// <param name="Used">What it uses now; null without a metrics API or before its first sample.</param>
public sealed record PodView(string Namespace, string Name, string? Tenant, string Node, string Phase, bool Ready, ResourceAmounts Requested, ResourceAmounts? Used);

/// <summary>A pod waiting for a node.</summary>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name.</param>
/// <param name="Tenant">The tenant its namespace belongs to, if any.</param>
/// <param name="Requested">What it asks for.</param>
/// <param name="Reason">The scheduler's reason (<c>PodScheduled=False</c>'s reason, e.g. Unschedulable), or empty before its first attempt.</param>
/// <param name="Message">The scheduler's message (e.g. <c>0/3 nodes are available: 3 Insufficient cpu.</c>), or what it waits for.</param>
/// <param name="Since">When the condition last changed, or when the pod was created.</param>
public sealed record PendingPodView(string Namespace, string Name, string? Tenant, ResourceAmounts Requested, string Reason, string Message, DateTimeOffset? Since);

/// <summary>A horizontal pod autoscaler.</summary>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name.</param>
/// <param name="Tenant">The tenant its namespace belongs to, if any.</param>
/// <param name="Target">What it scales, as <c>Kind/name</c>.</param>
/// <param name="MinReplicas">Its lower bound.</param>
/// <param name="MaxReplicas">Its upper bound.</param>
/// <param name="CurrentReplicas">Replicas now.</param>
/// <param name="DesiredReplicas">Replicas it last asked for.</param>
/// <param name="Metrics">Each metric it follows with its current value and target.</param>
public sealed record AutoscalerView(string Namespace, string Name, string? Tenant, string Target, int MinReplicas, int MaxReplicas, int CurrentReplicas, int DesiredReplicas, IReadOnlyList<AutoscalerMetricView> Metrics);

/// <summary>One metric of an autoscaler: <c>cpu</c> at <c>45%</c> of a <c>70%</c> target.</summary>
/// <param name="Name">The metric (a resource name, or a pods/object/external metric's name).</param>
/// <param name="Type">Resource, ContainerResource, Pods, Object or External.</param>
/// <param name="Current">Its current value as the autoscaler last read it (<c>45%</c>, <c>120m</c>, <c>30</c>); null before the first read.</param>
/// <param name="Target">Its target (<c>70%</c>, <c>500m</c>, <c>100</c>).</param>
public sealed record AutoscalerMetricView(string Name, string Type, string? Current, string Target);

/// <summary>A Kubernetes event.</summary>
/// <param name="Time">When it last happened.</param>
/// <param name="Type">Normal or Warning.</param>
/// <param name="Reason">TriggeredScaleUp, ScaleDown, NotTriggerScaleUp…</param>
/// <param name="InvolvedObject">What it is about, as <c>Kind/name</c>.</param>
/// <param name="Message">What happened.</param>
/// <param name="Count">How many times.</param>
public sealed record ClusterEventView(DateTimeOffset? Time, string Type, string Reason, string InvolvedObject, string Message, int Count);

/// <summary>What a <see cref="ClusterView"/> is built from: the objects of one cluster, as listed or as an informer keeps them.</summary>
/// <param name="Nodes">Every node.</param>
/// <param name="Pods">Every pod.</param>
/// <param name="Namespaces">Every namespace (their <c>keelson.dev/tenant</c> label says whose pods are whose).</param>
/// <param name="Autoscalers">Every <c>autoscaling/v2</c> HorizontalPodAutoscaler.</param>
/// <param name="Events">Every event (only the cluster autoscaler's are shown).</param>
/// <param name="NodeMetrics">Every node's usage, or null without a metrics API.</param>
/// <param name="PodMetrics">Every pod's usage, or null without a metrics API.</param>
public sealed record ClusterObjects(
    IReadOnlyList<k8s.Models.V1Node> Nodes,
    IReadOnlyList<k8s.Models.V1Pod> Pods,
    IReadOnlyList<k8s.Models.V1Namespace> Namespaces,
    IReadOnlyList<k8s.Models.V2HorizontalPodAutoscaler> Autoscalers,
    IReadOnlyList<k8s.Models.Corev1Event> Events,
    IReadOnlyList<k8s.Models.NodeMetrics>? NodeMetrics,
    IReadOnlyList<k8s.Models.PodMetrics>? PodMetrics);
