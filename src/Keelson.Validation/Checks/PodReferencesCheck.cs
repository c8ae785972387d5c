using System.Globalization;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

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
            var context = manifests.ContextOf(document);
            if (context.PodSpec is not { } pod)
            {
                continue;
            }

            var references = new List<(string Kind, string Name, YamlElement Node, string Path)>();
            if (CheckContext.Get(pod.Node, "serviceAccountName") is YamlValue { Value: { } sa } saNode && sa != "default")
            {
                references.Add(("ServiceAccount", sa, saNode, pod.Path + ".serviceAccountName"));
            }

            if (CheckContext.Get(pod.Node, "volumes") is YamlSeq volumes)
            {
                foreach (var (v, i) in volumes.Select((v, i) => (v, i)))
                {
                    foreach (var (kind, field) in new[] { ("ConfigMap", "configMap.name"), ("Secret", "secret.secretName"), ("PersistentVolumeClaim", "persistentVolumeClaim.claimName") })
                    {
                        if (CheckContext.Get(v, field) is YamlValue { Value: { } name } node)
                        {
                            references.Add((kind, name, node, $"{pod.Path}.volumes[{i}].{field}"));
                        }
                    }
                }
            }

            if (CheckContext.Get(pod.Node, "imagePullSecrets") is YamlSeq pullSecrets)
            {
                foreach (var (p, i) in pullSecrets.Select((p, i) => (p, i)))
                {
                    if (CheckContext.Get(p, "name") is YamlValue { Value: { } name } node)
                    {
                        references.Add(("Secret", name, node, $"{pod.Path}.imagePullSecrets[{i}].name"));
                    }
                }
            }

            foreach (var c in context.Containers())
            {
                if (CheckContext.Get(c.Node, "env") is YamlSeq env)
                {
                    foreach (var (e, i) in env.Select((e, i) => (e, i)))
                    {
                        foreach (var (kind, field) in new[] { ("Secret", "valueFrom.secretKeyRef"), ("ConfigMap", "valueFrom.configMapKeyRef") })
                        {
                            if (CheckContext.Get(e, field + ".name") is YamlValue { Value: { } name } node && !CheckContext.IsTrue(e, field + ".optional"))
                            {
                                references.Add((kind, name, node, $"{c.Path}.env[{i}].{field}.name"));
                            }
                        }
                    }
                }

                if (CheckContext.Get(c.Node, "envFrom") is YamlSeq envFrom)
                {
                    foreach (var (e, i) in envFrom.Select((e, i) => (e, i)))
                    {
                        if (CheckContext.Get(e, "configMapRef.name") is YamlValue { Value: { } cm } cmNode && !CheckContext.IsTrue(e, "configMapRef.optional"))
                        {
                            references.Add(("ConfigMap", cm, cmNode, $"{c.Path}.envFrom[{i}].configMapRef.name"));
                        }

                        if (CheckContext.Get(e, "secretRef.name") is YamlValue { Value: { } secret } secretNode && !CheckContext.IsTrue(e, "secretRef.optional"))
                        {
                            references.Add(("Secret", secret, secretNode, $"{c.Path}.envFrom[{i}].secretRef.name"));
                        }
                    }
                }
            }

            foreach (var (kind, name, node, path) in references.Where(r => manifests.Find(r.Kind, document.Namespace, r.Name) is null))
            {
                yield return SetFinding.External(this, document, node, path, $"{kind} '{name}' is not in these manifests; it must already exist in the cluster",
                    $"Add the {kind} to the manifests, or create it before deploying.");
            }
        }
    }
}
