using System.Globalization;
using k8s.Models;
using Keelson.Planning;
using Keelson.Rendering.Crds;
using Keelson.Rendering.Objects;
using Keelson.Spec.Model;

namespace Keelson.Rendering.Renderers;

/// <summary>HorizontalPodAutoscalers (autoscaling/v2), KEDA ScaledObjects for workers that ask, and PodDisruptionBudgets.</summary>
public sealed class ScalingRenderer : IManifestRenderer
{
    /// <summary>External metric a queue exporter publishes for worker HPAs: backlog per queue.</summary>
    public const string QueueMetric = "keelson_queue_length";

    /// <summary>Keelson's gauge of a stack job queue's pending jobs, labelled by tenant and queue (and mode).</summary>
    public const string PendingJobsMetric = "keelson_queue_pending_jobs";

    /// <inheritdoc/>
    public IEnumerable<RenderedObject> Render(RenderContext context)
    {
        foreach (var component in context.Plan.Components)
        {
            var group = TenantRenderer.Group(component);
            foreach (var workload in component.Workloads)
            {
                if (workload.Scalable && component.Component is WorkerComponent { Keda: true } keda)
                {
                    yield return new RenderedObject(ScaledObject(context, component, workload, keda), component.Name, group);
                }
                else if (workload.Scalable && component.Component is not SparkComponent && workload.MaxReplicas > workload.MinReplicas)
                {
                    yield return new RenderedObject(Hpa(context, component, workload), component.Name, group);
                }

                if (Math.Max(workload.Replicas, workload.MinReplicas) > 1 && component.Component is not (JobComponent or SparkComponent))
                {
                    yield return new RenderedObject(Pdb(context, component, workload), component.Name, group);
                }
            }
        }
    }

    private static V2HorizontalPodAutoscaler Hpa(RenderContext context, ComponentPlan component, WorkloadPlan workload)
    {
        var metrics = new List<V2MetricSpec>();
        if (component.Component is WorkerComponent worker)
        {
            metrics.Add(new V2MetricSpec
            {
                Type = "External",
                External = new V2ExternalMetricSource
                {
                    Metric = worker.Queue.Kind == QueueKind.Keelson
                        ? new V2MetricIdentifier
                        {
                            Name = PendingJobsMetric,
                            Selector = new V1LabelSelector { MatchLabels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["queue"] = worker.Queue.Name, ["tenant"] = context.Tenant } },
                        }
                        : new V2MetricIdentifier
                        {
                            Name = QueueMetric,
                            Selector = new V1LabelSelector { MatchLabels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["queue"] = worker.Queue.Name } },
                        },
                    Target = new V2MetricTarget { Type = "AverageValue", AverageValue = new ResourceQuantity(worker.Queue.TargetLengthPerReplica.ToString(CultureInfo.InvariantCulture)) },
                },
            });
        }
        else
        {
            var cpu = component.Component is ServiceComponent { Autoscaling.CpuPercent: int percent } ? percent : (int)Math.Round((component.TargetUtilisation ?? 0.7) * 100);
            metrics.Add(Resource("cpu", cpu));
            if (component.Component is ServiceComponent { Autoscaling.MemoryPercent: int memory })
            {
                metrics.Add(Resource("memory", memory));
            }
        }

        return new V2HorizontalPodAutoscaler
        {
            ApiVersion = "autoscaling/v2",
            Kind = "HorizontalPodAutoscaler",
            Metadata = new V1ObjectMeta { Name = workload.Name, NamespaceProperty = context.Namespace, Labels = Labels.ForWorkload(context, component, workload.Name, null) },
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = workload.Name },
                MinReplicas = Math.Max(workload.MinReplicas, 1),
                MaxReplicas = workload.MaxReplicas,
                Metrics = metrics,
                Behavior = new V2HorizontalPodAutoscalerBehavior
                {
                    ScaleDown = new V2HPAScalingRules { StabilizationWindowSeconds = 300 },
                },
            },
        };
    }

    private static V2MetricSpec Resource(string name, int percent) => new()
    {
        Type = "Resource",
        Resource = new V2ResourceMetricSource { Name = name, Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = percent } },
    };

    private static ScaledObject ScaledObject(RenderContext context, ComponentPlan component, WorkloadPlan workload, WorkerComponent worker)
    {
        var queue = worker.Queue;
        var target = queue.TargetLengthPerReplica.ToString(CultureInfo.InvariantCulture);
        var trigger = queue.Kind switch
        {
            QueueKind.Redis => new ScaleTrigger { Type = "redis", Metadata = Labels.Sorted(("address", Dependency<CacheComponent>(context, component, 6379)), ("listName", queue.Name), ("listLength", target)) },
            QueueKind.Kafka => new ScaleTrigger { Type = "kafka", Metadata = Labels.Sorted(("bootstrapServers", Dependency<BrokerComponent>(context, component, 9092)), ("consumerGroup", component.Name), ("topic", queue.Name), ("lagThreshold", target)) },
            QueueKind.Keelson => new ScaleTrigger
            {
                Type = "prometheus",
                Metadata = Labels.Sorted(
                    ("serverAddress", context.Options.PrometheusAddress),
                    ("query", $"sum({PendingJobsMetric}{{tenant=\"{context.Tenant}\",queue=\"{queue.Name}\"}})"),
                    ("threshold", target)),
            },
            QueueKind.Nats => new ScaleTrigger { Type = "nats-jetstream", Metadata = Labels.Sorted(("natsServerMonitoringEndpoint", Dependency<BrokerComponent>(context, component, 8222)), ("stream", queue.Name), ("consumer", component.Name), ("lagThreshold", target)) },
            _ => new ScaleTrigger { Type = "metrics-api", Metadata = Labels.Sorted(("url", "http://queue-exporter/metrics/" + queue.Name), ("valueLocation", "length"), ("targetValue", target)) },
        };
        return new ScaledObject
        {
            Metadata = new V1ObjectMeta { Name = workload.Name, NamespaceProperty = context.Namespace, Labels = Labels.ForWorkload(context, component, workload.Name, null) },
            Spec = new ScaledObjectSpec
            {
                ScaleTargetRef = new ScaleTarget { Name = workload.Name },
                MinReplicaCount = workload.MinReplicas,
                MaxReplicaCount = workload.MaxReplicas,
                Triggers = [trigger],
            },
        };
    }

    /// <summary>host:port of the first dependency of kind <typeparamref name="T"/>; the plain service name when there is none in the stack.</summary>
    private static string Dependency<T>(RenderContext context, ComponentPlan component, int port)
        where T : Component
    {
        var target = component.Component.DependsOn.Select(context.Component).FirstOrDefault(c => c.Component is T);
        var host = target is null ? typeof(T) == typeof(CacheComponent) ? "redis" : "broker" : $"{ComponentConfig.ServiceHost(target)}.{context.Namespace}.svc.cluster.local";
        return string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");
    }


    private static V1PodDisruptionBudget Pdb(RenderContext context, ComponentPlan component, WorkloadPlan workload) => new()
    {
        ApiVersion = "policy/v1",
        Kind = "PodDisruptionBudget",
        Metadata = new V1ObjectMeta { Name = workload.Name, NamespaceProperty = context.Namespace, Labels = Labels.ForWorkload(context, component, workload.Name, null) },
        Spec = new V1PodDisruptionBudgetSpec
        {
            // One at a time: a drain never takes more than the spare replicas the plan added.
            MaxUnavailable = 1,
            Selector = new V1LabelSelector { MatchLabels = Labels.Selector(context, workload.Name) },
        },
    };
}
