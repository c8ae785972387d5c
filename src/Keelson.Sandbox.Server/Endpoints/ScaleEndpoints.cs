using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Server.Resources;
using Keelson.Sandbox.Server.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keelson.Sandbox.Server.Endpoints;

/// <summary>The <c>/scale</c> subresource of deployments, replica sets and stateful sets, which <c>kubectl scale</c> patches (<c>dryRun</c> included).</summary>
internal static class ScaleEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var template in ResourceRoutes.Subresource("scale"))
        {
            app.MapGet(template, Get);
            app.MapPut(template, ReplaceAsync);
            app.MapPatch(template, PatchAsync);
        }
    }

    private static IResult Get(HttpContext context, SandboxGate gate)
    {
        var target = Scalable(context);
        return ApiJson.Result(gate.Run(cluster => Scale(StoredObjects.Get(cluster, target))));
    }

    private static async Task<IResult> ReplaceAsync(HttpContext context, SandboxGate gate)
    {
        var target = Scalable(context);
        var options = WriteOptions.From(context.Request, "UpdateOptions");
        var body = await ApiJson.ReadObjectAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        return ApiJson.Result(gate.Run(cluster => SetReplicas(cluster, target, body, options)));
    }

    private static async Task<IResult> PatchAsync(HttpContext context, SandboxGate gate)
    {
        var target = Scalable(context);
        var options = WriteOptions.From(context.Request, "PatchOptions");
        var type = PatchEndpoints.PatchType(context.Request);
        PatchEndpoints.RequireApplyOptions(options, type);
        var (patch, _) = await PatchEndpoints.ReadPatchAsync(context.Request, type).ConfigureAwait(false);
        return ApiJson.Result(gate.Run(cluster =>
            SetReplicas(cluster, target, PatchEndpoints.Patch(type, ApiJson.ToNode(Scale(StoredObjects.Get(cluster, target))).AsObject(), patch), options)));
    }

    private static ResourceTarget Scalable(HttpContext context)
    {
        var target = ResourceTarget.From(context);
        return target.Resource.Scalable ? target : throw ApiException.NoResource(context.Request.Path);
    }

    private static V1Scale SetReplicas(SandboxCluster cluster, ResourceTarget target, JsonObject scale, WriteOptions options)
    {
        var replicas = scale["spec"]?["replicas"]?.GetValue<int>() ?? throw ApiException.Invalid(target.Resource.Plural, target.RequiredName, "spec.replicas: Required value");
        if (replicas < 0)
        {
            throw ApiException.Invalid(target.Resource.Plural, target.RequiredName, $"spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0");
        }

        var existing = StoredObjects.Get(cluster, target);
        var version = scale["metadata"]?["resourceVersion"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(version) && version != existing.Metadata.ResourceVersion)
        {
            throw ApiException.Conflict(target.Resource.Plural, target.RequiredName);
        }

        var scaled = KubeObjects.Clone(existing);
        switch (scaled)
        {
            case V1Deployment d: d.Spec.Replicas = replicas; break;
            case V1ReplicaSet r: r.Spec.Replicas = replicas; break;
            case V1StatefulSet s: s.Spec.Replicas = replicas; break;
        }

        // Recorded on the scaled object as an update through the subresource: the manager owns .spec.replicas.
        scaled.Metadata.ManagedFields = new FieldOwnership(options.Manager, "scale").Record(existing, scaled, target.Resource, cluster.Engine.Clock.UtcDateTime);
        return Scale(StoredObjects.Apply(cluster, scaled, options.DryRun));
    }

    // autoscaling/v1 Scale: desired replicas in spec, observed replicas and the pod selector in status.
    private static V1Scale Scale(IKubernetesObject<V1ObjectMeta> resource)
    {
        var (desired, observed, selector) = resource switch
        {
            V1Deployment d => (d.Spec.Replicas, d.Status?.Replicas, d.Spec.Selector),
            V1ReplicaSet r => (r.Spec.Replicas, r.Status?.Replicas, r.Spec.Selector),
            V1StatefulSet s => (s.Spec.Replicas, s.Status?.Replicas, s.Spec.Selector),
            _ => throw new InvalidOperationException($"{resource.Kind} has no scale subresource"),
        };
        var meta = resource.Metadata;
        return new V1Scale
        {
            ApiVersion = "autoscaling/v1",
            Kind = "Scale",
            Metadata = new V1ObjectMeta { Name = meta.Name, NamespaceProperty = meta.NamespaceProperty, Uid = meta.Uid, ResourceVersion = meta.ResourceVersion, CreationTimestamp = meta.CreationTimestamp },
            Spec = new V1ScaleSpec { Replicas = desired ?? 1 },
            Status = new V1ScaleStatus { Replicas = observed ?? 0, Selector = TableBuilder.LabelList(selector?.MatchLabels) },
        };
    }
}
