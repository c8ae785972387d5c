using System.Globalization;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

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
        foreach (var ingress in manifests.AllOfKind("Ingress"))
        {
            if (CheckContext.Value(ingress.Node, "spec.defaultBackend.service.name") is { } fallback && manifests.Find("Service", ingress.Namespace, fallback) is null)
            {
                yield return SetFinding.External(this, ingress, CheckContext.Get(ingress.Node, "spec.defaultBackend"), "spec.defaultBackend.service", $"default backend Service '{fallback}' is not in these manifests; it must already exist in the cluster", "Fix the name, or add the Service.");
            }

            if (CheckContext.Get(ingress.Node, "spec.rules") is not YamlSeq rules)
            {
                continue;
            }

            for (var r = 0; r < rules.Count; r++)
            {
                if (CheckContext.Get(rules[r], "http.paths") is not YamlSeq paths)
                {
                    continue;
                }

                for (var p = 0; p < paths.Count; p++)
                {
                    var backend = CheckContext.Get(paths[p], "backend.service");
                    var name = CheckContext.Value(backend, "name");
                    if (name is null)
                    {
                        continue;
                    }

                    var path = string.Create(CultureInfo.InvariantCulture, $"spec.rules[{r}].http.paths[{p}].backend.service");
                    var service = manifests.Find("Service", ingress.Namespace, name);
                    if (service is null)
                    {
                        yield return SetFinding.External(this, ingress, backend, path, $"backend Service '{name}' is not in these manifests; it must already exist in the cluster", "Fix the name, or add the Service.");
                        continue;
                    }

                    var portName = CheckContext.Value(backend, "port.name");
                    var portNumber = CheckContext.Value(backend, "port.number");
                    var ports = CheckContext.Get(service.Node, "spec.ports") as YamlSeq;
                    var found = ports?.Any(sp => (portName is not null && CheckContext.Value(sp, "name") == portName) || (portNumber is not null && CheckContext.Value(sp, "port") == portNumber)) ?? false;
                    if (!found)
                    {
                        yield return SetFinding.At(this, ingress, backend, path + ".port", $"Service '{name}' has no port {portName ?? portNumber}", "Use a port name or number the Service declares.");
                    }
                }
            }
        }
    }
}
