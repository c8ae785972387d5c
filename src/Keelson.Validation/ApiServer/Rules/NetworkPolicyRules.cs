using Keelson.Validation.Loading;
using Keelson.Validation.Schema;
using static Keelson.Validation.ApiServer.RuleBuilder;

namespace Keelson.Validation.ApiServer;

/// <summary>NetworkPolicy (<c>ValidateNetworkPolicySpec</c>, <c>ValidateNetworkPolicyPort</c>, <c>ValidateNetworkPolicyPeer</c>, <c>ValidateIPBlock</c>).</summary>
internal static class NetworkPolicyRules
{
    private static readonly string[] Policy = ["NetworkPolicy"];

    public static readonly ApiRule[] All =
    [
        SchedulingRules.Selector("networkpolicy-pod-selector", Policy, "spec.podSelector", "networking ValidateNetworkPolicySpec (ValidateLabelSelector)"),
        OneOf("networkpolicy-policy-types", Policy, "spec.policyTypes[]", ["Ingress", "Egress"], "networking ValidateNetworkPolicySpec"),
        Rule("networkpolicy-policy-types-count", FieldRules.ValueId, Policy, "spec.policyTypes", s => s.Node is YamlSeq { Count: > 2 } l
            ? [new Problem($"{l.Count} policy types, more than 2", "List Ingress, Egress or both.")] : [], "networking ValidateNetworkPolicySpec"),
        .. Direction("ingress", "from"), .. Direction("egress", "to"),
    ];

    private static ApiRule[] Direction(string direction, string peers) =>
    [
        Rule($"networkpolicy-{direction}-port", FieldRules.ValueId, Policy, $"spec.{direction}[].ports[]", PortProblems, "networking ValidateNetworkPolicyPort"),
        Rule($"networkpolicy-{direction}-peer", FieldRules.ValueId, Policy, $"spec.{direction}[].{peers}[]", PeerProblems, "networking ValidateNetworkPolicyPeer / ValidateIPBlock"),
        SchedulingRules.Selector($"networkpolicy-{direction}-pod-selector", Policy, $"spec.{direction}[].{peers}[].podSelector", "networking ValidateNetworkPolicyPeer (ValidateLabelSelector)"),
        SchedulingRules.Selector($"networkpolicy-{direction}-namespace-selector", Policy, $"spec.{direction}[].{peers}[].namespaceSelector", "networking ValidateNetworkPolicyPeer (ValidateLabelSelector)"),
    ];

    private static IEnumerable<Problem> PortProblems(RuleSite s)
    {
        if (s.Scalar("protocol") is { } protocol && protocol is not ("TCP" or "UDP" or "SCTP"))
        {
            yield return NotAllowed(protocol, ["TCP", "UDP", "SCTP"]) with { Field = "protocol", At = s.Get("protocol") };
        }

        var port = s.Get("port") as YamlValue;
        if (port is not null && Syntax.NumberOrPortName(port.Value, port.IsPlain) is { } rule)
        {
            yield return new Problem($"port '{port.Value}' is not valid", $"Use {rule}.", "port", port);
        }

        if (s.Get("endPort") is { } endPort)
        {
            var start = port is { IsPlain: true } ? Long(port) : null;
            if (start is null)
            {
                yield return new Problem("endPort may only be given with a numeric port", "Set port to the first number of the range.", "endPort", endPort);
            }
            else if (Long(endPort) is { } end && end < start)
            {
                yield return new Problem($"endPort {end} must be greater than or equal to port {start}", "Swap them, or fix the range.", "endPort", endPort);
            }
        }
    }

    private static IEnumerable<Problem> PeerProblems(RuleSite s)
    {
        if (s.Map is not { } peer)
        {
            yield break;
        }

        var selectors = Present(peer, ["podSelector", "namespaceSelector"]).Count;
        var block = peer.Get("ipBlock") as YamlMap;
        if (selectors == 0 && block is null)
        {
            yield return new Problem("must specify a peer: podSelector, namespaceSelector or ipBlock", "Add one, or remove the empty peer (an empty list allows everyone).");
        }
        else if (selectors > 0 && block is not null)
        {
            yield return new Problem("may not specify both ipBlock and another peer", "Use separate peers for the ipBlock and the selectors.", "ipBlock", block);
        }

        if (block is null)
        {
            yield break;
        }

        var cidr = block.Scalar("cidr");
        if (IsMissing(block.Get("cidr")))
        {
            yield return new Problem("required field 'cidr' is missing", "Give the address range, e.g. 10.0.0.0/8.", "ipBlock.cidr", block);
        }
        else if (Syntax.Cidr(cidr!) is { } rule)
        {
            yield return new Problem($"cidr '{cidr}' is not valid", $"Use {rule}.", "ipBlock.cidr", block.Get("cidr"));
        }

        if (block.Get("except") is YamlSeq except)
        {
            for (var i = 0; i < except.Count; i++)
            {
                if (except[i] is YamlValue e && Syntax.Cidr(e.Value) is { } exceptRule)
                {
                    yield return new Problem($"except '{e.Value}' is not valid", $"Use {exceptRule}.", $"ipBlock.except{Index(i)}", e);
                }
            }
        }
    }
}
