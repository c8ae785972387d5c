using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Server.CustomResources;
using Keelson.Sandbox.Server.Defaulting;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Store;

namespace Keelson.Sandbox.Server.Resources;

/// <summary>The API verbs on the sandbox's store, each called inside the gate; failures are <see cref="ApiException"/>s.</summary>
internal static class StoredObjects
{
    /// <summary>The object a path names, or a 404.</summary>
    public static IKubernetesObject<V1ObjectMeta> Get(SandboxCluster cluster, ResourceTarget target) =>
        cluster.Engine.Store.Get(Key(target.Resource, target.Namespace, target.RequiredName)) ?? throw ApiException.NotFound(target.Resource.Plural, target.RequiredName);

    /// <summary>Objects of a resource in one namespace or all, in namespace/name order.</summary>
    public static IEnumerable<IKubernetesObject<V1ObjectMeta>> List(SandboxCluster cluster, ApiResource resource, string? ns) =>
        cluster.Engine.Store.List(resource.Group, resource.Kind, ns);

    /// <summary>
    /// POST: a new object; one that exists is a 409, a missing namespace a 404. <paramref name="ownership"/> says what
    /// <c>managedFields</c> records. A dry run stores nothing.
    /// </summary>
    public static IKubernetesObject<V1ObjectMeta> Create(SandboxCluster cluster, ResourceTarget target, JsonObject body, bool dryRun, FieldOwnership ownership)
    {
        // A kind with a status subresource starts without one (a node registers with its status, as the kubelet does).
        if (target.Resource.HasStatus && target.Resource.Kind != "Node")
        {
            body.Remove("status");
        }

        var resource = Admit(target, body);
        var meta = resource.Metadata;
        RefuseManualJobSelector(resource, body);
        if (string.IsNullOrEmpty(meta.Name) && !string.IsNullOrEmpty(meta.GenerateName))
        {
            do
            {
                meta.Name = meta.GenerateName + cluster.Engine.Context.NextSuffix(meta.GenerateName);
            }
            while (cluster.Engine.Store.Get(StoreKey.Of(resource)) is not null);
        }

        RequireName(target, meta);
        if (cluster.Engine.Store.Get(StoreKey.Of(resource)) is not null)
        {
            throw ApiException.AlreadyExists(target.Resource.Plural, meta.Name);
        }

        meta.ResourceVersion = null;
        meta.ManagedFields = ownership.Record(null, resource, target.Resource, cluster.Engine.Clock.UtcDateTime);
        return Apply(cluster, resource, dryRun);
    }

    /// <summary>
    /// PUT (and the end of every PATCH): the object replaced; a stale resourceVersion is a 409. <paramref name="ownership"/>
    /// says what <c>managedFields</c> records (what a request sends there is not taken). A dry run stores nothing.
    /// </summary>
    public static IKubernetesObject<V1ObjectMeta> Replace(SandboxCluster cluster, ResourceTarget target, JsonObject body, bool dryRun, FieldOwnership ownership)
    {
        if (target.Resource.HasStatus)
        {
            // Status is written through /status only: a main-resource write keeps the stored one.
            KeepStatus(body, ResourceViews.ToNode(Get(cluster, target), target.Resource));
        }

        var resource = Admit(target, body);
        RequireName(target, resource.Metadata);
        if (resource.Metadata.Name != target.RequiredName)
        {
            throw ApiException.BadRequest($"the name of the object ({resource.Metadata.Name}) does not match the name on the URL ({target.Name})");
        }

        var existing = Get(cluster, target);
        if (!string.IsNullOrEmpty(resource.Metadata.ResourceVersion) && resource.Metadata.ResourceVersion != existing.Metadata.ResourceVersion)
        {
            throw ApiException.Conflict(target.Resource.Plural, target.RequiredName);
        }

        resource.Metadata.ManagedFields = ownership.Record(existing, resource, target.Resource, cluster.Engine.Clock.UtcDateTime);
        return Apply(cluster, resource, dryRun);
    }

    /// <summary>
    /// PUT or PATCH through <c>/status</c>: only the status of <paramref name="body"/> (the whole object, as upstream
    /// takes it) is written; spec and metadata, labels and annotations included, stay as stored. A stale
    /// resourceVersion is a 409; an unchanged status stores nothing. A dry run stores nothing.
    /// </summary>
    public static IKubernetesObject<V1ObjectMeta> ReplaceStatus(SandboxCluster cluster, ResourceTarget target, JsonObject body, bool dryRun, FieldOwnership ownership)
    {
        var existing = Get(cluster, target);
        var version = body["metadata"]?["resourceVersion"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(version) && version != existing.Metadata.ResourceVersion)
        {
            throw ApiException.Conflict(target.Resource.Plural, target.RequiredName);
        }

        if (body["metadata"]?["name"]?.GetValue<string>() is { Length: > 0 } name && name != target.RequiredName)
        {
            throw ApiException.BadRequest($"the name of the object ({name}) does not match the name on the URL ({target.Name})");
        }

        // The written status is read through the resource's own version (an autoscaling/v1 HPA's view) and only it
        // is carried over to a copy of the stored object.
        var written = ApiJson.ToModel(ResourceViews.WithStatus(existing, body, target.Resource), ResourceViews.StoredType(target.Resource));
        var result = KubeObjects.Clone(existing);
        CopyStatus(written, result);
        result.Metadata.ManagedFields = ownership.Record(existing, result, target.Resource, cluster.Engine.Clock.UtcDateTime);
        if (StatusJson(result) == StatusJson(existing) && ApiJson.ToNode(result.Metadata).ToJsonString() == ApiJson.ToNode(existing.Metadata).ToJsonString())
        {
            return KubeObjects.Clone(existing);
        }

        if (dryRun)
        {
            return result;
        }

        cluster.Engine.Store.Update(result);
        cluster.Engine.Settle();
        return KubeObjects.Clone(cluster.Engine.Store.Get(StoreKey.Of(result)) ?? result);
    }

    // Sets (or removes) the status of an object's JSON to that of another.
    private static void KeepStatus(JsonObject into, JsonObject from)
    {
        if (from["status"] is { } status)
        {
            into["status"] = status.DeepClone();
        }
        else
        {
            into.Remove("status");
        }
    }

    private static void CopyStatus(IKubernetesObject<V1ObjectMeta> from, IKubernetesObject<V1ObjectMeta> to)
    {
        if (from is CustomObject custom && to is CustomObject target)
        {
            target.Content ??= new Dictionary<string, System.Text.Json.JsonElement>(StringComparer.Ordinal);
            if (custom.Content?.TryGetValue("status", out var status) == true)
            {
                target.Content["status"] = status.Clone();
            }
            else
            {
                target.Content.Remove("status");
            }

            return;
        }

        var property = from.GetType().GetProperty("Status") ?? throw new InvalidOperationException($"{from.Kind} has no status");
        property.SetValue(to, property.GetValue(from));
    }

    private static string StatusJson(IKubernetesObject<V1ObjectMeta> resource) => ApiJson.ToNode(resource)["status"]?.ToJsonString() ?? "";

    /// <summary>
    /// DELETE: a scheduled pod is terminated gracefully (the kubelet removes it, its controller replaces it) and
    /// returned; anything else goes at once, with its dependents, and a Success Status is returned. A dry run
    /// answers the same and changes nothing.
    /// </summary>
    public static object Delete(SandboxCluster cluster, ResourceTarget target, long? gracePeriodSeconds, bool dryRun)
    {
        var existing = Get(cluster, target);
        if (existing is V1Pod pod && gracePeriodSeconds != 0 && !string.IsNullOrEmpty(pod.Spec.NodeName))
        {
            if (dryRun)
            {
                var terminating = KubeObjects.Clone(pod);
                terminating.Metadata.DeletionTimestamp ??= cluster.Engine.Clock.UtcDateTime;
                terminating.Metadata.DeletionGracePeriodSeconds ??= pod.Spec.TerminationGracePeriodSeconds ?? 30;
                return ResourceViews.ToNode(terminating, target.Resource);
            }

            Pods.Terminate(cluster.Engine.Context, pod);
            cluster.Engine.Settle();
            return ResourceViews.ToNode(pod, target.Resource);
        }

        if (existing is V1Namespace)
        {
            // Deleting a namespace marks it Terminating; the namespace controller empties it and then removes it.
            var terminating = KubeObjects.Clone(existing);
            terminating.Metadata.DeletionTimestamp ??= cluster.Engine.Clock.UtcDateTime;
            ((V1Namespace)terminating).Status = new V1NamespaceStatus { Phase = "Terminating" };
            if (!dryRun)
            {
                Controllers.NamespaceController.MarkForDeletion(cluster.Engine.Context, target.RequiredName);
                cluster.Engine.Settle();
            }

            return ResourceViews.ToNode(terminating, target.Resource);
        }

        var uid = existing.Metadata.Uid;
        if (!dryRun)
        {
            cluster.Delete(new ObjectKey(target.Resource.ApiVersion, target.Resource.Kind, target.Namespace, target.RequiredName));
        }

        return ApiException.Status("Success", 200, null, null, ApiException.Details(target.Name, target.Resource.Plural, target.Resource.Group, uid));
    }

    /// <summary>The store key of an object of a resource.</summary>
    public static StoreKey Key(ApiResource resource, string? ns, string name) => new(resource.Group, resource.Kind, ns ?? "", name);

    /// <summary>The resourceVersion of a stored object as a number.</summary>
    public static long VersionOf(IKubernetesObject<V1ObjectMeta> resource) =>
        long.TryParse(resource.Metadata.ResourceVersion, NumberStyles.Integer, CultureInfo.InvariantCulture, out var version) ? version : 0;

    // The checks the API server makes before storing: the body is of the path's resource and namespace.
    // The API server generates a new Job's selector (JobController.GenerateSelector); one the client wrote is refused
    // unless manualSelector is true, as batch's validateGeneratedSelector does.
    private static void RefuseManualJobSelector(IKubernetesObject<V1ObjectMeta> resource, JsonObject body)
    {
        if (resource is V1Job { Spec: { ManualSelector: not true, Selector: { } selector } }
            && (selector.MatchLabels?.Count > 0 || selector.MatchExpressions?.Count > 0))
        {
            throw ApiException.Invalid("batch", "Job", resource.Metadata.Name ?? "", [FieldError.Invalid("spec.selector", body["spec"]?["selector"]?.DeepClone(), "`selector` not auto-generated")]);
        }
    }

    private static IKubernetesObject<V1ObjectMeta> Admit(ResourceTarget target, JsonObject body)
    {
        var expected = target.Resource;
        var apiVersion = body["apiVersion"]?.GetValue<string>();
        var kind = body["kind"]?.GetValue<string>();
        if ((apiVersion ?? expected.ApiVersion) != expected.ApiVersion || (kind ?? expected.Kind) != expected.Kind)
        {
            throw ApiException.BadRequest($"the object is {apiVersion} {kind}, but the path is for {expected.ApiVersion} {expected.Kind}");
        }

        body["apiVersion"] = expected.ApiVersion;
        body["kind"] = expected.Kind;
        var metadata = body["metadata"] as JsonObject ?? [];
        body["metadata"] = metadata;
        var ns = metadata["namespace"]?.GetValue<string>();
        if (target.Namespace is not null && ns is not null && ns != target.Namespace)
        {
            throw ApiException.BadRequest($"the namespace of the provided object ({ns}) does not match the namespace sent on the request ({target.Namespace})");
        }

        metadata["namespace"] = target.Namespace;
        if (expected.Custom is { } custom)
        {
            CustomObjects.Admit(body, expected, custom);
        }
        else if (expected is { Group: "apiextensions.k8s.io", Kind: "CustomResourceDefinition" } && DefinitionValidation.Check(body) is { Count: > 0 } errors)
        {
            throw ApiException.Invalid(expected.Group, expected.Kind, metadata["name"]?.ToString() ?? "", errors);
        }

        var admitted = ApiJson.ToModel(ResourceViews.ToStored(body, expected), ResourceViews.StoredType(expected));
        ObjectDefaults.Apply(admitted);
        return admitted;
    }

    private static void RequireName(ResourceTarget target, V1ObjectMeta meta)
    {
        if (string.IsNullOrEmpty(meta.Name))
        {
            throw ApiException.Invalid(target.Resource.Plural, "", "metadata.name: Required value: name or generateName is required");
        }
    }

    /// <summary>Stores (or with <paramref name="dryRun"/> previews) an admitted object; a missing namespace is a 404.</summary>
    public static IKubernetesObject<V1ObjectMeta> Apply(SandboxCluster cluster, IKubernetesObject<V1ObjectMeta> resource, bool dryRun)
    {
        try
        {
            return cluster.Apply(resource, dryRun);
        }
        catch (NamespaceNotFoundException e)
        {
            throw ApiException.NotFound("namespaces", e.Namespace);
        }
        catch (NamespaceTerminatingException e)
        {
            throw new ApiException(403, "Forbidden", e.Message, e.Namespace, "namespaces");
        }
    }
}
