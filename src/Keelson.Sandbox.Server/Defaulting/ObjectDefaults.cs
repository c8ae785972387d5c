using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Defaulting;

/// <summary>
/// The API server's defaulting pass, run on every object written through the facade (create, replace, every patch
/// and server-side apply, dry runs included) before it is stored, so reads show what a real cluster would.
/// Fields a client set are never changed.
/// </summary>
internal static class ObjectDefaults
{
    /// <summary>Fills in the defaults of <paramref name="resource"/> in place.</summary>
    public static void Apply(IKubernetesObject<V1ObjectMeta> resource)
    {
        switch (resource)
        {
            case V1Deployment deployment:
                WorkloadDefaults.Deployment(deployment);
                break;
            case V1ReplicaSet replicaSet:
                WorkloadDefaults.ReplicaSet(replicaSet);
                break;
            case V1StatefulSet statefulSet:
                WorkloadDefaults.StatefulSet(statefulSet);
                break;
            case V1DaemonSet daemonSet:
                WorkloadDefaults.DaemonSet(daemonSet);
                break;
            case V1Job job:
                WorkloadDefaults.Job(job);
                break;
            case V1CronJob cronJob:
                WorkloadDefaults.CronJob(cronJob);
                break;
            case V1Pod pod:
                PodDefaults.Pod(pod);
                break;
            case V1PodTemplate template:
                PodDefaults.Template(template.Template);
                break;
            case V1Service service:
                ServiceDefaults.Service(service);
                break;
            case V1PersistentVolumeClaim claim:
                ServiceDefaults.Claim(claim);
                break;
            case V1Namespace ns:
                ServiceDefaults.Namespace(ns);
                break;
            case V1Secret secret:
                ServiceDefaults.Secret(secret);
                break;
            case V1CustomResourceDefinition crd:
                DefinitionDefaults.Apply(crd);
                break;
            case V2HorizontalPodAutoscaler hpa:
                ServiceDefaults.Autoscaler(hpa);
                break;
        }
    }
}
