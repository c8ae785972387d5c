using Keelson.Validation.Loading;
using Keelson.Validation.Schema;
using static Keelson.Validation.ApiServer.RuleBuilder;

namespace Keelson.Validation.ApiServer;

/// <summary>Service (<c>ValidateService</c>, <c>validateServicePort</c> in core validation).</summary>
internal static class ServiceRules
{
    private static readonly string[] Service = ["Service"];

    public static readonly ApiRule[] All =
    [
        Rule("service-ports-required", FieldRules.RequiredId, Service, "spec", s => IsMissing(s.Get("ports")) && s.Scalar("type") != "ExternalName" && s.Scalar("clusterIP") != "None"
            ? [new Problem("required field 'ports' is missing", "List at least one port; only headless (clusterIP: None) and ExternalName Services may have none.", "ports")] : [], "core ValidateService"),
        Rule("service-port-name-required", FieldRules.RequiredId, Service, "spec.ports", MultiPortNames, "core validateServicePort (name required when more than one port)"),
        Name("service-port-name", Service, "spec.ports[].name", Syntax.Dns1123Label, "core validateServicePort (ValidateDNS1123Label)"),
        Unique("service-port-name-duplicate", Service, "spec.ports", item => (item as YamlMap)?.Scalar("name"), "port name", "core validateServicePort"),
        Unique("service-port-duplicate", Service, "spec.ports", item => item is YamlMap m && m.Scalar("port") is { } p ? $"{p}/{m.Scalar("protocol") ?? "TCP"}" : null, "port/protocol", "core ValidateService (duplicate port and protocol)"),
        Rule("service-target-port", FieldRules.ValueId, Service, "spec.ports[].targetPort", s => s.Node is YamlValue { Value: not "0" } v && Syntax.NumberOrPortName(v.Value, v.IsPlain) is { } rule
            ? [new Problem($"targetPort '{v.Value}' is not valid", $"Use {rule} (a name refers to a containerPort's name).")] : [], "core validateServicePort (IsValidPortNum / IsValidPortName)"),
        Int("service-node-port-range", Service, "spec.ports[].nodePort", 0, 65535, "core validateServicePort (IsValidPortNum)"),
        Rule("service-node-port-type", FieldRules.ValueId, Service, "spec", NodePortOnClusterIp, "core ValidateService (nodePort may not be used when type is ClusterIP)"),
        Rule("service-headless-type", FieldRules.ValueId, Service, "spec", s => s.Scalar("clusterIP") == "None" && s.Scalar("type") is "NodePort" or "LoadBalancer"
            ? [new Problem($"clusterIP may not be None for a {s.Scalar("type")} Service", "Headless Services are ClusterIP; remove clusterIP: None or change the type.", "clusterIP", s.Get("clusterIP"))] : [], "core ValidateService"),
        Rule("service-cluster-ip", FieldRules.ValueId, Service, "spec.clusterIP", s => s.Node is YamlValue { Value: not ("None" or "") } v && Syntax.Ip(v.Value) is { } rule
            ? [new Problem($"clusterIP '{v.Value}' is not valid", $"Use None (headless) or {rule}.")] : [], "core ValidateService (validateClusterIPs)"),
        Rule("service-external-name-required", FieldRules.RequiredId, Service, "spec", s => s.Scalar("type") == "ExternalName" && IsMissing(s.Get("externalName"))
            ? [new Problem("required field 'externalName' is missing for type ExternalName", "Give the DNS name the Service aliases.", "externalName")] : [], "core ValidateService"),
        Rule("service-external-name", FieldRules.NameId, Service, "spec", s => s.Scalar("type") == "ExternalName" && s.Scalar("externalName") is { Length: > 0 } name && Syntax.Dns1123Subdomain(name.TrimEnd('.')) is { } rule
            ? [new Problem($"externalName '{name}' is not valid", $"Use {rule}.", "externalName", s.Get("externalName"))] : [], "core ValidateService (IsDNS1123Subdomain)"),
        Rule("service-external-name-cluster-ip", FieldRules.ValueId, Service, "spec", s => s.Scalar("type") == "ExternalName" && s.Scalar("clusterIP") is { Length: > 0 }
            ? [new Problem("clusterIP must be empty for type ExternalName", "Remove clusterIP.", "clusterIP", s.Get("clusterIP"))] : [], "core ValidateService"),
        OneOf("service-session-affinity", Service, "spec.sessionAffinity", ["ClientIP", "None"], "core ValidateService"),
        OneOf("service-external-traffic-policy", Service, "spec.externalTrafficPolicy", ["Cluster", "Local"], "core validateServiceExternalTrafficPolicy"),
        Rule("service-external-traffic-policy-type", FieldRules.ValueId, Service, "spec", s => s.Get("externalTrafficPolicy") is { } p && s.Scalar("type") is not ("NodePort" or "LoadBalancer") && IsMissing(s.Get("externalIPs"))
            ? [new Problem($"externalTrafficPolicy may only be set for externally accessible Services (NodePort, LoadBalancer, or with externalIPs), not {s.Scalar("type") ?? "ClusterIP"}", "Remove it.", "externalTrafficPolicy", p)] : [], "core validateServiceExternalTrafficPolicy"),
        OneOf("service-internal-traffic-policy", Service, "spec.internalTrafficPolicy", ["Cluster", "Local"], "core validateServiceInternalTrafficFieldsValue"),
        OneOf("service-ip-family-policy", Service, "spec.ipFamilyPolicy", ["SingleStack", "PreferDualStack", "RequireDualStack"], "core validateIPFamilyPolicy"),
        OneOf("service-ip-families", Service, "spec.ipFamilies[]", ["IPv4", "IPv6"], "core validateServiceIPFamily"),
        Name("service-load-balancer-source-ranges", Service, "spec.loadBalancerSourceRanges[]", Syntax.Cidr, "core ValidateService (IsValidCIDR)"),
        Name("service-app-protocol", Service, "spec.ports[].appProtocol", Syntax.QualifiedName, "core validateServicePort (ValidateQualifiedName)"),
    ];

    private static IEnumerable<Problem> MultiPortNames(RuleSite s)
    {
        if (s.Node is not YamlSeq { Count: > 1 } ports)
        {
            yield break;
        }

        for (var i = 0; i < ports.Count; i++)
        {
            if (ports[i] is YamlMap port && IsMissing(port.Get("name")))
            {
                yield return new Problem("required field 'name' is missing: a Service with more than one port must name each", "Name every port (DNS-1123 label, e.g. http, metrics).", $"{Index(i)}.name", port);
            }
        }
    }

    private static IEnumerable<Problem> NodePortOnClusterIp(RuleSite s)
    {
        if (s.Scalar("type") is not (null or "ClusterIP") || s.Get("ports") is not YamlSeq ports)
        {
            yield break;
        }

        for (var i = 0; i < ports.Count; i++)
        {
            if (ports[i] is YamlMap port && Long(port.Get("nodePort")) is > 0)
            {
                yield return new Problem("nodePort may not be used when type is ClusterIP", "Set type: NodePort or LoadBalancer, or remove nodePort.", $"ports{Index(i)}.nodePort", port.Get("nodePort"));
            }
        }
    }
}
