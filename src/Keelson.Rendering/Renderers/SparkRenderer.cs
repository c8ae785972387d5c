using System.Globalization;
using k8s.Models;
using Keelson.Rendering.Crds;
using Keelson.Rendering.Objects;
using Keelson.Spec.Model;

namespace Keelson.Rendering.Renderers;

/// <summary>SparkApplications (or ScheduledSparkApplications for scheduled batch jobs) for the Spark operator.</summary>
public sealed class SparkRenderer : IManifestRenderer
{
    /// <inheritdoc/>
    public IEnumerable<RenderedObject> Render(RenderContext context)
    {
        foreach (var component in context.Plan.Components)
        {
            if (component.Component is not SparkComponent spark)
            {
                continue;
            }

            var executors = component.Workloads[1];
            var labels = Labels.ForWorkload(context, component, component.Name, Labels.VersionOf(spark.Image));
            var security = new V1SecurityContext { AllowPrivilegeEscalation = false, RunAsNonRoot = true, Capabilities = new V1Capabilities { Drop = ["ALL"] } };
            var conf = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (spark.Mode == SparkMode.Streaming)
            {
                conf["spark.streaming.backpressure.enabled"] = "true";
            }

            if (spark.DynamicAllocation is not null)
            {
                conf["spark.dynamicAllocation.shuffleTracking.enabled"] = "true";
            }

            var spec = new SparkApplicationSpec
            {
                Type = spark.MainApplicationFile.EndsWith(".py", StringComparison.Ordinal) ? "Python" : "Scala",
                Image = spark.Image,
                MainApplicationFile = spark.MainApplicationFile,
                SparkConf = conf.Count > 0 ? conf : null,
                RestartPolicy = spark.Mode == SparkMode.Streaming
                    ? new SparkRestartPolicy { Type = "Always" }
                    : new SparkRestartPolicy { Type = "OnFailure", OnFailureRetries = 3 },
                Driver = new SparkPodSpec { Cores = spark.Driver.Cores, Memory = SparkMemory(spark.Driver.Memory), ServiceAccount = component.Name, Labels = labels, SecurityContext = security },
                Executor = new SparkPodSpec { Cores = spark.Executor.Cores, Memory = SparkMemory(spark.Executor.Memory), Instances = executors.Replicas, Labels = labels, SecurityContext = security },
                DynamicAllocation = spark.DynamicAllocation is { } da
                    ? new SparkDynamicAllocation { InitialExecutors = executors.Replicas, MinExecutors = da.MinExecutors, MaxExecutors = da.MaxExecutors }
                    : null,
            };
            var metadata = new V1ObjectMeta { Name = component.Name, NamespaceProperty = context.Namespace, Labels = labels };
            k8s.IKubernetesObject<V1ObjectMeta> resource = spark.Schedule is { } schedule && spark.Mode == SparkMode.Batch
                ? new ScheduledSparkApplication { Metadata = metadata, Spec = new ScheduledSparkApplicationSpec { Schedule = schedule, Template = spec } }
                : new SparkApplication { Metadata = metadata, Spec = spec };
            yield return new RenderedObject(DriverRole(context, component.Name, labels), component.Name, ObjectGroup.Application);
            yield return new RenderedObject(DriverBinding(context, component.Name, labels), component.Name, ObjectGroup.Application);
            yield return new RenderedObject(resource, component.Name, ObjectGroup.Application);
        }
    }

    /// <summary>What a Spark driver may do in its namespace: manage its executor pods and their services and config.</summary>
    private static V1Role DriverRole(RenderContext context, string name, IDictionary<string, string> labels) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "Role",
        Metadata = new V1ObjectMeta { Name = name + "-driver", NamespaceProperty = context.Namespace, Labels = labels },
        Rules =
        [
            new V1PolicyRule
            {
                ApiGroups = [""],
                Resources = ["configmaps", "persistentvolumeclaims", "pods", "services"],
                Verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
            },
        ],
    };

    private static V1RoleBinding DriverBinding(RenderContext context, string name, IDictionary<string, string> labels) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "RoleBinding",
        Metadata = new V1ObjectMeta { Name = name + "-driver", NamespaceProperty = context.Namespace, Labels = labels },
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = name + "-driver" },
        Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = name, NamespaceProperty = context.Namespace }],
    };

    /// <summary>Spark writes memory in its own syntax: mebibytes with an <c>m</c>.</summary>
    private static string SparkMemory(Spec.Units.ByteSize memory) => (memory.Bytes >> 20).ToString(CultureInfo.InvariantCulture) + "m";
}
