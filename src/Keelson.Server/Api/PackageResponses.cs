using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s.Models;
using Keelson.Operations.Tenants;
using Keelson.Planning;
using Keelson.Rendering;

namespace Keelson.Server.Api;

/// <summary>The answer of <c>generate-manifests</c>: every Kubernetes file of the manifest tree by its path, and the estimate the wizard shows.</summary>
public sealed record GeneratedManifests(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("tenant_id")] string TenantId,
    [property: JsonPropertyName("preset")] string Preset,
    [property: JsonPropertyName("cluster_profile")] string ClusterProfile,
    [property: JsonPropertyName("namespace")] string Namespace,
    [property: JsonPropertyName("manifests")] IReadOnlyDictionary<string, string> Manifests,
    [property: JsonPropertyName("manifest_count")] int ManifestCount,
    [property: JsonPropertyName("estimated_resources")] ManifestEstimate EstimatedResources)
{
    /// <summary>The answer for a rendered manifest.</summary>
    public static GeneratedManifests From(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in PackageEndpoints.ManifestFiles(manifest))
        {
            files[file.Path] = file.Content;
        }

        var plan = manifest.Plan;
        return new GeneratedManifests(true, plan.Spec.Metadata.Tenant, plan.Preset, plan.Spec.Cluster.Name, manifest.Namespace, files, files.Count, PackageEndpoints.Estimate(plan));
    }
}

/// <summary>GPU type (null without GPUs), GPUs and CPU cores requested at peak.</summary>
public sealed record ManifestEstimate(
    [property: JsonPropertyName("gpu_type")] string? GpuType,
    [property: JsonPropertyName("gpu_count")] int GpuCount,
    [property: JsonPropertyName("cpu_cores")] double CpuCores);

/// <summary>The intended answer of the original's <c>manifest-preview</c>, for a stored tenant.</summary>
public sealed record ManifestPreview(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("tenant_id")] string TenantId,
    [property: JsonPropertyName("tenant_specs")] JsonObject TenantSpecs,
    [property: JsonPropertyName("manifest_files")] IReadOnlyList<string> ManifestFiles,
    [property: JsonPropertyName("image_matching_info")] IReadOnlyList<ImageMatch> ImageMatchingInfo,
    [property: JsonPropertyName("manifest_editability")] ManifestEditability ManifestEditability,
    [property: JsonPropertyName("service_configs")] IReadOnlyDictionary<string, ServiceDetail> ServiceConfigs,
    [property: JsonPropertyName("environment_configs")] IReadOnlyList<EnvironmentConfig> EnvironmentConfigs)
{
    /// <summary>The preview of <paramref name="tenant"/> (its seed request when it was created from one) rendered as <paramref name="manifest"/>.</summary>
    public static ManifestPreview From(TenantRecord tenant, TenantRequest? request, Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(manifest);
        var plan = manifest.Plan;
        var specs = new JsonObject
        {
            ["tenant_id"] = tenant.TenantId,
            ["name"] = tenant.Name,
            ["preset"] = plan.Preset,
            ["status"] = tenant.Status.ToString().ToLowerInvariant(),
            ["namespace"] = manifest.Namespace,
            ["environment"] = plan.Spec.Metadata.Environment.ToString().ToLowerInvariant(),
            ["cluster_profile"] = plan.Spec.Cluster.Name,
            ["cloud_provider"] = request?.CloudProvider,
            ["gpu_type"] = request?.GpuType ?? "auto",
            ["tenancy_mode"] = request?.TenancyMode ?? "large",
            ["service_requirements"] = JsonNode.Parse(tenant.ServiceRequirementsJson),
            ["estimated_resources"] = System.Text.Json.JsonSerializer.SerializeToNode(PackageEndpoints.Estimate(plan)),
        };

        var workloads = manifest.Objects
            .Select(o => (o.Component, o.Resource, Pod: o.Resource switch
            {
                V1Deployment d => d.Spec.Template.Spec,
                V1StatefulSet s => s.Spec.Template.Spec,
                _ => null,
            }))
            .Where(w => w.Pod is not null)
            .ToList();
        var images = workloads.SelectMany(w => w.Pod!.Containers.Select(c => new ImageMatch(w.Component ?? w.Resource.Metadata.Name, w.Resource.Kind, w.Resource.Metadata.Name, c.Name, c.Image))).ToList();
        var environments = workloads.SelectMany(w => w.Pod!.Containers.Select(c => EnvironmentConfig.Of(w.Resource, c))).ToList();
        var services = new SortedDictionary<string, ServiceDetail>(StringComparer.Ordinal);
        foreach (var component in plan.Components)
        {
            services[component.Name] = ServiceDetail.From(component);
        }

        return new ManifestPreview(
            true, tenant.TenantId, specs, [.. PackageEndpoints.ManifestFiles(manifest).Select(f => f.Path)], images,
            new ManifestEditability(
                false,
                [],
                [
                    "The manifests are rendered from the tenant's stored requirements every time, so an edit to a file would be lost on the next render or deployment.",
                    $"Change the requirements with PUT /api/v1/tenants/{tenant.TenantId} (the seed's request, or a stack document for what it cannot say).",
                ]),
            services, environments);
    }
}

/// <summary>Which image a container of a rendered workload runs.</summary>
public sealed record ImageMatch(
    [property: JsonPropertyName("service_name")] string ServiceName,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("workload")] string Workload,
    [property: JsonPropertyName("container")] string Container,
    [property: JsonPropertyName("image")] string Image);

/// <summary>Whether the manifests may be edited by hand, and why not.</summary>
public sealed record ManifestEditability(
    [property: JsonPropertyName("can_edit")] bool CanEdit,
    [property: JsonPropertyName("edit_reasons")] IReadOnlyList<string> EditReasons,
    [property: JsonPropertyName("edit_restrictions")] IReadOnlyList<string> EditRestrictions);

/// <summary>A container's environment as rendered: literal values, and references (never secret values) for the rest.</summary>
public sealed record EnvironmentConfig(
    [property: JsonPropertyName("workload")] string Workload,
    [property: JsonPropertyName("container")] string Container,
    [property: JsonPropertyName("variables")] IReadOnlyDictionary<string, string> Variables,
    [property: JsonPropertyName("from")] IReadOnlyList<string> Sources)
{
    /// <summary>The environment of <paramref name="container"/> in <paramref name="workload"/>.</summary>
    public static EnvironmentConfig Of(k8s.IKubernetesObject<V1ObjectMeta> workload, V1Container container)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(container);
        var variables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var env in container.Env ?? [])
        {
            variables[env.Name] = env.ValueFrom switch
            {
                { SecretKeyRef: { } s } => $"secret {s.Name}/{s.Key}",
                { ConfigMapKeyRef: { } m } => $"configmap {m.Name}/{m.Key}",
                { FieldRef: { } f } => $"field {f.FieldPath}",
                { ResourceFieldRef: { } r } => $"resource {r.Resource}",
                _ => env.Value ?? "",
            };
        }

        var sources = (container.EnvFrom ?? []).Select(e => e.SecretRef is { } s ? $"secret {s.Name}" : e.ConfigMapRef is { } m ? $"configmap {m.Name}" : "unknown").ToList();
        return new EnvironmentConfig(workload.Metadata.Name, container.Name, variables, sources);
    }
}
