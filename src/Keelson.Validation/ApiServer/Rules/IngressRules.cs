using Keelson.Validation.Loading;
using Keelson.Validation.Schema;
using static Keelson.Validation.ApiServer.RuleBuilder;

namespace Keelson.Validation.ApiServer;

/// <summary>Ingress (<c>k8s.io/kubernetes/pkg/apis/networking/validation</c>: <c>ValidateIngressSpec</c>, <c>validateHTTPIngressPath</c>, <c>validateIngressBackend</c>).</summary>
internal static class IngressRules
{
    private static readonly string[] Ingress = ["Ingress"];
    private static readonly string[] InvalidPathSequences = ["//", "/./", "/../", "%2f", "%2F"];
    private static readonly string[] InvalidPathSuffixes = ["/..", "/."];

    public static readonly ApiRule[] All =
    [
        Rule("ingress-rules-or-backend", FieldRules.RequiredId, Ingress, "spec", s => IsMissing(s.Get("rules")) && s.Get("defaultBackend") is null
            ? [new Problem("either defaultBackend or rules must be specified", "Add rules (host and paths) or a defaultBackend.", "rules")] : [], "networking ValidateIngressSpec"),
        Rule("ingress-host", FieldRules.NameId, Ingress, "spec.rules[].host", s => s.Node is YamlValue v ? Host(v.Value) : [], "networking validateIngressRules (IsDNS1123Subdomain, IsWildcardDNS1123Subdomain, not an IP)"),
        Rule("ingress-tls-host", FieldRules.NameId, Ingress, "spec.tls[].hosts[]", s => s.Node is YamlValue v ? Host(v.Value) : [], "networking validateIngressTLS"),
        Rule("ingress-path", FieldRules.ValueId, Ingress, "spec.rules[].http.paths[]", PathProblems, "networking validateHTTPIngressPath"),
        Required("ingress-paths-required", Ingress, "spec.rules[].http", "paths", "networking validateHTTPIngressRuleValue"),
        Rule("ingress-backend", FieldRules.ValueId, Ingress, "spec.rules[].http.paths[].backend", s => Backend(s.Map), "networking validateIngressBackend"),
        Rule("ingress-default-backend", FieldRules.ValueId, Ingress, "spec.defaultBackend", s => Backend(s.Map), "networking validateIngressBackend"),
        Name("ingress-class-name", Ingress, "spec.ingressClassName", Syntax.Dns1123Subdomain, "networking ValidateIngressSpec (ValidateIngressClassName)"),
    ];

    private static IEnumerable<Problem> Host(string host)
    {
        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        if (Syntax.Ip(host) is null)
        {
            yield return new Problem($"host '{host}' must be a DNS name, not an IP address", "Leave host out to match every address, or give a DNS name.");
        }
        else if (Syntax.Dns1123Subdomain(name) is { } rule)
        {
            yield return new Problem($"host '{host}' is not valid", $"Use {rule}, optionally starting with '*.'.");
        }
    }

    private static IEnumerable<Problem> PathProblems(RuleSite s)
    {
        var type = s.Scalar("pathType");
        if (s.Get("path") is not YamlValue { Value: var path } node)
        {
            if (type is "Exact" or "Prefix")
            {
                yield return new Problem($"path is required when pathType is {type}", "Give an absolute path such as /.", "path");
            }

            yield break;
        }

        if (!path.StartsWith('/'))
        {
            yield return new Problem($"path '{path}' must be an absolute path", "Start it with '/'.", "path", node);
        }
        else if (type is "Exact" or "Prefix" && (InvalidPathSequences.FirstOrDefault(q => path.Contains(q, StringComparison.Ordinal)) ?? InvalidPathSuffixes.FirstOrDefault(q => path.EndsWith(q, StringComparison.Ordinal))) is { } bad)
        {
            yield return new Problem($"path '{path}' must not contain '{bad}' when pathType is {type}", "Normalise the path, or use pathType: ImplementationSpecific.", "path", node);
        }
    }

    private static IEnumerable<Problem> Backend(YamlMap? backend)
    {
        if (backend is null)
        {
            yield break;
        }

        foreach (var p in ExactlyOne(backend, ["service", "resource"]))
        {
            yield return p;
        }

        if (backend.Get("service") is not YamlMap service)
        {
            yield break;
        }

        if (IsMissing(service.Get("name")))
        {
            yield return new Problem("required field 'name' is missing", "Name the Service.", "service.name", service);
        }
        else if (Syntax.Dns1035Label(service.Scalar("name") ?? "") is { } rule)
        {
            yield return new Problem($"service name '{service.Scalar("name")}' is not valid", $"Use {rule}.", "service.name", service.Get("name"));
        }

        if (service.Get("port") is not YamlMap port)
        {
            yield return new Problem("required field 'port' is missing", "Give port.number or port.name.", "service.port", service);
            yield break;
        }

        foreach (var p in ExactlyOne(port, ["name", "number"]))
        {
            yield return p with { Field = "service.port" + (p.Field is null ? "" : "." + p.Field) };
        }

        if (port.Scalar("name") is { } name && Syntax.PortName(name) is { } nameRule)
        {
            yield return new Problem($"port name '{name}' is not valid", $"Use {nameRule}.", "service.port.name", port.Get("name"));
        }

        if (Long(port.Get("number")) is { } number && number is < 1 or > 65535)
        {
            yield return new Problem($"port number {number} is out of range", "Ports are 1–65535.", "service.port.number", port.Get("number"));
        }
    }
}
