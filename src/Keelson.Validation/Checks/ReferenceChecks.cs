using System.Globalization;
using Keelson.Validation.Loading;
using YamlDotNet.RepresentationModel;

namespace Keelson.Validation.Checks;

/// <summary>Builds a finding of a set check about one object.</summary>
internal static class SetFinding
{
    public static Finding At(ISetCheck check, ManifestDocument document, YamlNode? node, string path, string message, string hint) =>
        new(check.Id, check.Severity, document.Ref, document.File, node is null ? document.Line : (int)node.Start.Line, path, message, hint);
}

/// <summary>A Service whose selector matches no pod template sends traffic nowhere.</summary>
public sealed class ServiceSelectorCheck : ISetCheck
{
    /// <inheritdoc/>
    public string Id => "service-selector";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "Every Service selector matches the pod template of some workload.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(ManifestSet manifests)
    {
        foreach (var service in manifests.Documents.Where(d => d.Kind == "Service"))
        {
            if (CheckContext.Get(service.Node, "spec.selector") is not YamlMappingNode selectorNode)
            {
                continue;
            }

            var selector = ManifestSet.Map(selectorNode);
            if (!manifests.PodLabels(service.Namespace).Any(p => ManifestSet.Matches(selector, p.Labels)))
            {
                yield return SetFinding.At(this, service, selectorNode, "spec.selector",
                    $"selector {string.Join(",", selector.Select(s => $"{s.Key}={s.Value}"))} matches no pod template in these manifests",
                    "Make the selector match the workload's spec.template.metadata.labels.");
            }
        }
    }
}

/// <summary>Ingress backends must name Services and ports that exist, or the route returns 503.</summary>
public sealed class IngressBackendCheck : ISetCheck
{
    /// <inheritdoc/>
    public string Id => "ingress-backend";

    /// <inheritdoc/>
    public Severity Severity => Severity.Error;

    /// <inheritdoc/>
    public string Description => "Ingress backends name existing Services and ports.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(ManifestSet manifests)
    {
        foreach (var ingress in manifests.Documents.Where(d => d.Kind == "Ingress"))
        {
            if (CheckContext.Get(ingress.Node, "spec.rules") is not YamlSequenceNode rules)
            {
                continue;
            }

            for (var r = 0; r < rules.Children.Count; r++)
            {
                if (CheckContext.Get(rules.Children[r], "http.paths") is not YamlSequenceNode paths)
                {
                    continue;
                }

                for (var p = 0; p < paths.Children.Count; p++)
                {
                    var backend = CheckContext.Get(paths.Children[p], "backend.service");
                    var name = CheckContext.Value(backend, "name");
                    if (name is null)
                    {
                        continue;
                    }

                    var path = string.Create(CultureInfo.InvariantCulture, $"spec.rules[{r}].http.paths[{p}].backend.service");
                    var service = manifests.Find("Service", ingress.Namespace, name);
                    if (service is null)
                    {
                        yield return SetFinding.At(this, ingress, backend, path, $"backend Service '{name}' is not in these manifests", "Fix the name, or add the Service.");
                        continue;
                    }

                    var portName = CheckContext.Value(backend, "port.name");
                    var portNumber = CheckContext.Value(backend, "port.number");
                    var ports = CheckContext.Get(service.Node, "spec.ports") as YamlSequenceNode;
                    var found = ports?.Children.Any(sp => (portName is not null && CheckContext.Value(sp, "name") == portName) || (portNumber is not null && CheckContext.Value(sp, "port") == portNumber)) ?? false;
                    if (!found)
                    {
                        yield return SetFinding.At(this, ingress, backend, path + ".port", $"Service '{name}' has no port {portName ?? portNumber}", "Use a port name or number the Service declares.");
                    }
                }
            }
        }
    }
}

/// <summary>Autoscalers and disruption budgets must point at something, with sane bounds.</summary>
public sealed class ScalingTargetCheck : ISetCheck
{
    /// <inheritdoc/>
    public string Id => "scaling-target";

    /// <inheritdoc/>
    public Severity Severity => Severity.Error;

    /// <inheritdoc/>
    public string Description => "HPA and ScaledObject targets exist, min ≤ max, and resource metrics have requests to measure against.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(ManifestSet manifests)
    {
        foreach (var hpa in manifests.Documents.Where(d => d.Kind == "HorizontalPodAutoscaler"))
        {
            var kind = CheckContext.Value(hpa.Node, "spec.scaleTargetRef.kind") ?? "";
            var name = CheckContext.Value(hpa.Node, "spec.scaleTargetRef.name") ?? "";
            var target = manifests.Find(kind, hpa.Namespace, name);
            if (target is null)
            {
                yield return SetFinding.At(this, hpa, CheckContext.Get(hpa.Node, "spec.scaleTargetRef"), "spec.scaleTargetRef", $"target {kind}/{name} is not in these manifests", "Fix the target reference.");
            }

            if (int.TryParse(CheckContext.Value(hpa.Node, "spec.minReplicas") ?? "1", out var min) && int.TryParse(CheckContext.Value(hpa.Node, "spec.maxReplicas"), out var max) && min > max)
            {
                yield return SetFinding.At(this, hpa, CheckContext.Get(hpa.Node, "spec.minReplicas"), "spec.minReplicas", $"minReplicas {min} is above maxReplicas {max}", "Make minReplicas at most maxReplicas.");
            }

            var usesResource = CheckContext.Get(hpa.Node, "spec.metrics") is YamlSequenceNode metrics && metrics.Children.Any(m => CheckContext.Value(m, "type") == "Resource");
            if (usesResource && target is not null)
            {
                var context = new CheckContext(target);
                foreach (var c in context.Containers(includeInit: false).Where(c => CheckContext.Value(c.Node, "resources.requests.cpu") is null && CheckContext.Value(c.Node, "resources.requests.memory") is null))
                {
                    yield return SetFinding.At(this, hpa, CheckContext.Get(hpa.Node, "spec.metrics"), "spec.metrics",
                        $"utilisation targets need requests, but container '{c.Name}' of {kind}/{name} has none", "Give the target's containers CPU and memory requests.");
                }
            }
        }

        foreach (var scaled in manifests.Documents.Where(d => d.Kind == "ScaledObject"))
        {
            var name = CheckContext.Value(scaled.Node, "spec.scaleTargetRef.name") ?? "";
            var kind = CheckContext.Value(scaled.Node, "spec.scaleTargetRef.kind") ?? "Deployment";
            if (manifests.Find(kind, scaled.Namespace, name) is null)
            {
                yield return SetFinding.At(this, scaled, CheckContext.Get(scaled.Node, "spec.scaleTargetRef"), "spec.scaleTargetRef", $"target {kind}/{name} is not in these manifests", "Fix the target reference.");
            }
        }
    }
}

/// <summary>A disruption budget must select pods, and must leave room for at least one eviction or drains hang.</summary>
public sealed class DisruptionBudgetCheck : ISetCheck
{
    /// <inheritdoc/>
    public string Id => "pdb-blocks-eviction";

    /// <inheritdoc/>
    public Severity Severity => Severity.Error;

    /// <inheritdoc/>
    public string Description => "PodDisruptionBudgets select a workload and allow at least one eviction.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(ManifestSet manifests)
    {
        foreach (var pdb in manifests.Documents.Where(d => d.Kind == "PodDisruptionBudget"))
        {
            var selector = ManifestSet.Map(CheckContext.Get(pdb.Node, "spec.selector.matchLabels") as YamlMappingNode);
            var workloads = manifests.PodLabels(pdb.Namespace).Where(p => ManifestSet.Matches(selector, p.Labels)).Select(p => p.Workload).ToList();
            if (workloads.Count == 0)
            {
                yield return SetFinding.At(this, pdb, CheckContext.Get(pdb.Node, "spec.selector"), "spec.selector", "the budget selects no workload in these manifests", "Match the workload's pod labels.");
                continue;
            }

            var replicas = workloads.Sum(w => int.TryParse(CheckContext.Value(w.Node, "spec.replicas") ?? "1", out var r) ? r : 1);
            var minAvailable = CheckContext.Value(pdb.Node, "spec.minAvailable");
            var maxUnavailable = CheckContext.Value(pdb.Node, "spec.maxUnavailable");
            var blocks = (minAvailable is not null && (minAvailable == "100%" || (int.TryParse(minAvailable, out var m) && m >= replicas)))
                || maxUnavailable is "0" or "0%";
            if (blocks)
            {
                yield return SetFinding.At(this, pdb, CheckContext.Get(pdb.Node, "spec"), "spec",
                    string.Create(CultureInfo.InvariantCulture, $"the budget allows no eviction of its {replicas} replica(s): node drains will hang"),
                    "Use maxUnavailable: 1, or a minAvailable below the replica count.");
            }
        }
    }
}

/// <summary>ConfigMaps, Secrets, claims and service accounts a pod uses must exist, in these manifests or in the cluster.</summary>
public sealed class PodReferencesCheck : ISetCheck
{
    /// <inheritdoc/>
    public string Id => "pod-references";

    /// <inheritdoc/>
    public Severity Severity => Severity.Info;

    /// <inheritdoc/>
    public string Description => "ConfigMaps, Secrets, PVCs and ServiceAccounts that pods reference are in the manifests, or are flagged as external.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(ManifestSet manifests)
    {
        foreach (var document in manifests.Documents)
        {
            var context = new CheckContext(document);
            if (context.PodSpec is not { } pod)
            {
                continue;
            }

            var references = new List<(string Kind, string Name, YamlNode Node, string Path)>();
            if (CheckContext.Get(pod.Node, "serviceAccountName") is YamlScalarNode { Value: { } sa } saNode && sa != "default")
            {
                references.Add(("ServiceAccount", sa, saNode, pod.Path + ".serviceAccountName"));
            }

            if (CheckContext.Get(pod.Node, "volumes") is YamlSequenceNode volumes)
            {
                foreach (var (v, i) in volumes.Children.Select((v, i) => (v, i)))
                {
                    foreach (var (kind, field) in new[] { ("ConfigMap", "configMap.name"), ("Secret", "secret.secretName"), ("PersistentVolumeClaim", "persistentVolumeClaim.claimName") })
                    {
                        if (CheckContext.Get(v, field) is YamlScalarNode { Value: { } name } node)
                        {
                            references.Add((kind, name, node, $"{pod.Path}.volumes[{i}].{field}"));
                        }
                    }
                }
            }

            foreach (var c in context.Containers())
            {
                if (CheckContext.Get(c.Node, "envFrom") is YamlSequenceNode envFrom)
                {
                    foreach (var (e, i) in envFrom.Children.Select((e, i) => (e, i)))
                    {
                        if (CheckContext.Get(e, "configMapRef.name") is YamlScalarNode { Value: { } cm } cmNode && CheckContext.Value(e, "configMapRef.optional") != "true")
                        {
                            references.Add(("ConfigMap", cm, cmNode, $"{c.Path}.envFrom[{i}].configMapRef.name"));
                        }

                        if (CheckContext.Get(e, "secretRef.name") is YamlScalarNode { Value: { } secret } secretNode && CheckContext.Value(e, "secretRef.optional") != "true")
                        {
                            references.Add(("Secret", secret, secretNode, $"{c.Path}.envFrom[{i}].secretRef.name"));
                        }
                    }
                }
            }

            foreach (var (kind, name, node, path) in references.Where(r => manifests.Find(r.Kind, document.Namespace, r.Name) is null))
            {
                yield return SetFinding.At(this, document, node, path, $"{kind} '{name}' is not in these manifests; it must already exist in the cluster",
                    $"Add the {kind} to the manifests, or create it before deploying.");
            }
        }
    }
}

/// <summary>A StatefulSet's serviceName must name a headless Service, or its pods get no stable DNS names.</summary>
public sealed class StatefulSetServiceCheck : ISetCheck
{
    /// <inheritdoc/>
    public string Id => "statefulset-service";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "StatefulSets name an existing headless Service.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(ManifestSet manifests)
    {
        foreach (var sts in manifests.Documents.Where(d => d.Kind == "StatefulSet"))
        {
            var name = CheckContext.Value(sts.Node, "spec.serviceName");
            var service = name is null ? null : manifests.Find("Service", sts.Namespace, name);
            if (service is null || CheckContext.Value(service.Node, "spec.clusterIP") != "None")
            {
                yield return SetFinding.At(this, sts, CheckContext.Get(sts.Node, "spec.serviceName") ?? CheckContext.Get(sts.Node, "spec"), "spec.serviceName",
                    service is null ? $"serviceName '{name}' names no Service in these manifests" : $"Service '{name}' is not headless",
                    "Add a Service with clusterIP: None and the StatefulSet's selector.");
            }
        }
    }
}

/// <summary>Replicated workloads without a disruption budget can lose every replica to one drain; without a NetworkPolicy a namespace is open.</summary>
public sealed class AvailabilityGuardsCheck : ISetCheck
{
    /// <inheritdoc/>
    public string Id => "availability-guards";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "Replicated workloads have a PodDisruptionBudget and spread; namespaces have a NetworkPolicy.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(ManifestSet manifests)
    {
        foreach (var workload in manifests.Documents.Where(d => d.Kind is "Deployment" or "StatefulSet"))
        {
            var replicas = int.TryParse(CheckContext.Value(workload.Node, "spec.replicas") ?? "1", out var r) ? r : 1;
            if (replicas < 2)
            {
                continue;
            }

            var labels = ManifestSet.Map(CheckContext.Get(workload.Node, "spec.template.metadata.labels") as YamlMappingNode);
            if (!manifests.OfKind("PodDisruptionBudget", workload.Namespace).Any(p => ManifestSet.Matches(ManifestSet.Map(CheckContext.Get(p.Node, "spec.selector.matchLabels") as YamlMappingNode), labels)))
            {
                yield return SetFinding.At(this, workload, CheckContext.Get(workload.Node, "spec.replicas"), "spec.replicas", $"{replicas} replicas but no PodDisruptionBudget", "Add a PodDisruptionBudget with maxUnavailable: 1.");
            }

            var pod = CheckContext.Get(workload.Node, "spec.template.spec");
            if (CheckContext.Get(pod, "topologySpreadConstraints") is null && CheckContext.Get(pod, "affinity.podAntiAffinity") is null)
            {
                yield return SetFinding.At(this, workload, pod, "spec.template.spec", $"{replicas} replicas with no topology spread or anti-affinity: they may share one node",
                    "Add a topologySpreadConstraint on kubernetes.io/hostname.");
            }
        }

        foreach (var ns in manifests.Documents.Where(d => d.Kind is "Deployment" or "StatefulSet" or "DaemonSet").GroupBy(d => d.Namespace ?? ""))
        {
            if (!manifests.OfKind("NetworkPolicy", ns.Key.Length == 0 ? null : ns.Key).Any())
            {
                var first = ns.First();
                yield return SetFinding.At(this, first, null, "", $"namespace '{(ns.Key.Length == 0 ? "(unset)" : ns.Key)}' has workloads but no NetworkPolicy",
                    "Add a default-deny NetworkPolicy and allow only the traffic the workloads need.");
            }
        }
    }
}

/// <summary>A NetworkPolicy whose pod selector matches nothing protects nothing.</summary>
public sealed class NetworkPolicySelectorCheck : ISetCheck
{
    /// <inheritdoc/>
    public string Id => "networkpolicy-selector";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "NetworkPolicies select some pod.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(ManifestSet manifests)
    {
        foreach (var policy in manifests.Documents.Where(d => d.Kind == "NetworkPolicy"))
        {
            var selector = ManifestSet.Map(CheckContext.Get(policy.Node, "spec.podSelector.matchLabels") as YamlMappingNode);
            if (selector.Count > 0 && !manifests.PodLabels(policy.Namespace).Any(p => ManifestSet.Matches(selector, p.Labels)))
            {
                yield return SetFinding.At(this, policy, CheckContext.Get(policy.Node, "spec.podSelector"), "spec.podSelector", "the policy selects no pod template in these manifests", "Match the labels of the pods it should protect.");
            }
        }
    }
}
