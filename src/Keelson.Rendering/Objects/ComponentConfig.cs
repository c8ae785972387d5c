using System.Globalization;
using Keelson.Planning;
using Keelson.Spec.Model;

namespace Keelson.Rendering.Objects;

/// <summary>The configuration entries of a component's ConfigMap, shared by the ConfigMap and the pod's checksum.</summary>
public static class ComponentConfig
{
    /// <summary>Entries in key order: the spec's own config plus what Keelson tells every workload.</summary>
    public static SortedDictionary<string, string> Data(RenderContext context, ComponentPlan component)
    {
        var data = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["KEELSON_TENANT"] = context.Tenant,
            ["KEELSON_COMPONENT"] = component.Name,
        };
        switch (component.Component)
        {
            case ServiceComponent s:
                foreach (var (key, value) in s.Config)
                {
                    data[key] = value;
                }

                break;
            case AiServiceComponent ai:
                data["AI_SERVICE"] = ai.Service.ToString().ToLowerInvariant();
                data["AI_DEVICE"] = component.Device;
                data["AI_SESSIONS"] = (component.Sessions ?? 0).ToString(CultureInfo.InvariantCulture);
                break;
            case WorkerComponent w:
                data["QUEUE_NAME"] = w.Queue.Name;
                data["QUEUE_TYPE"] = w.Queue.Kind.ToString().ToLowerInvariant();
                break;
            case ModelComponent m:
                data["MODEL_URI"] = m.Registry is { } registry ? InferenceRole.VersionUrl(registry) : m.ModelUri ?? "";
                data["MODEL_FORMAT"] = m.Format.ToString().ToLowerInvariant();
                break;
        }

        foreach (var dependency in component.Component.DependsOn)
        {
            var target = context.Component(dependency);
            data[$"{EnvName(dependency)}_HOST"] = $"{ServiceHost(target)}.{context.Namespace}.svc.cluster.local";
        }

        return data;
    }

    /// <summary>The Service name other components reach a component by.</summary>
    public static string ServiceHost(ComponentPlan component) => component.Workloads[0].Name;

    private static string EnvName(string name) => name.ToUpperInvariant().Replace('-', '_');
}
