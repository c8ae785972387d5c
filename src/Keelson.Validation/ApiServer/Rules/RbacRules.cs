using Keelson.Validation.Loading;
using Keelson.Validation.Schema;
using static Keelson.Validation.ApiServer.RuleBuilder;

namespace Keelson.Validation.ApiServer;

/// <summary>Role, ClusterRole, RoleBinding, ClusterRoleBinding (<c>k8s.io/kubernetes/pkg/apis/rbac/validation</c>).</summary>
internal static class RbacRules
{
    private const string RbacGroup = "rbac.authorization.k8s.io";
    private static readonly string[] Roles = ["Role", "ClusterRole"];
    private static readonly string[] Bindings = ["RoleBinding", "ClusterRoleBinding"];

    public static readonly ApiRule[] All =
    [
        Required("rbac-rule-verbs", Roles, "rules[]", "verbs", "rbac ValidatePolicyRule (verbs must contain at least one value)"),
        Rule("rbac-rule-resources", FieldRules.RequiredId, Roles, "rules[]", ResourceRule, "rbac ValidatePolicyRule (resource rules must supply at least one api group and resource)"),
        Rule("rbac-rule-non-resource", FieldRules.ValueId, Roles, "rules[]", NonResourceRule, "rbac ValidatePolicyRule (non-resource URLs)"),
        Required("rbac-role-ref-name", Bindings, "roleRef", "name", "rbac ValidateRoleBinding / ValidateClusterRoleBinding"),
        Rule("rbac-role-ref-group", FieldRules.ValueId, Bindings, "roleRef.apiGroup", s => s.Node is YamlValue { Value: not RbacGroup } v
            ? [NotAllowed(v.Value, [RbacGroup])] : [], "rbac ValidateRoleBinding"),
        Rule("rbac-role-ref-kind", FieldRules.ValueId, Bindings, "roleRef.kind", s => s.Node is YamlValue v && !(s.Document.Kind == "RoleBinding" ? Roles : ["ClusterRole"]).Contains(v.Value, StringComparer.Ordinal)
            ? [NotAllowed(v.Value, s.Document.Kind == "RoleBinding" ? Roles : ["ClusterRole"])] : [], "rbac ValidateRoleBinding / ValidateClusterRoleBinding"),
        Name("rbac-role-ref-name-syntax", Bindings, "roleRef.name", Syntax.PathSegmentName, "rbac ValidateRoleBinding (ValidateRBACName)"),
        Required("rbac-subject-name", Bindings, "subjects[]", "name", "rbac ValidateRoleBindingSubject"),
        OneOf("rbac-subject-kind", Bindings, "subjects[].kind", ["ServiceAccount", "User", "Group"], "rbac ValidateRoleBindingSubject"),
        Rule("rbac-subject", FieldRules.ValueId, Bindings, "subjects[]", Subject, "rbac ValidateRoleBindingSubject"),
    ];

    private static IEnumerable<Problem> ResourceRule(RuleSite s)
    {
        if (s.Get("nonResourceURLs") is not null)
        {
            yield break;
        }

        foreach (var field in (string[])["apiGroups", "resources"])
        {
            if (s.Map?.Get(field) is not YamlSeq { Count: > 0 })
            {
                yield return new Problem($"required field '{field}' is missing: a resource rule must list at least one", field == "apiGroups" ? "Add apiGroups: [\"\"] for the core group, or the group's name." : "List the resources, e.g. [pods].", field);
            }
        }
    }

    private static IEnumerable<Problem> NonResourceRule(RuleSite s)
    {
        if (s.Get("nonResourceURLs") is not { } urls)
        {
            yield break;
        }

        if (s.Document.Kind == "Role")
        {
            yield return new Problem("a namespaced Role cannot apply to non-resource URLs", "Move the rule to a ClusterRole.", "nonResourceURLs", urls);
        }
        else if (s.Get("apiGroups") is YamlSeq { Count: > 0 } || s.Get("resources") is YamlSeq { Count: > 0 } || s.Get("resourceNames") is YamlSeq { Count: > 0 })
        {
            yield return new Problem("a rule cannot apply to both resources and non-resource URLs", "Split it into two rules.", "nonResourceURLs", urls);
        }
    }

    private static IEnumerable<Problem> Subject(RuleSite s)
    {
        var kind = s.Scalar("kind");
        var group = s.Scalar("apiGroup") ?? "";
        if (kind == "ServiceAccount")
        {
            if (group.Length > 0)
            {
                yield return new Problem($"apiGroup '{group}' is not allowed for a ServiceAccount subject", "Remove apiGroup (ServiceAccounts are in the core group).", "apiGroup", s.Get("apiGroup"));
            }

            if (s.Scalar("name") is { Length: > 0 } name && Syntax.Dns1123Subdomain(name) is { } rule)
            {
                yield return new Problem($"ServiceAccount name '{name}' is not valid", $"Use {rule}.", "name", s.Get("name"));
            }

            if (s.Document.Kind == "ClusterRoleBinding" && IsMissing(s.Get("namespace")))
            {
                yield return new Problem("required field 'namespace' is missing for a ServiceAccount subject", "Give the ServiceAccount's namespace.", "namespace");
            }
        }
        else if (kind is "User" or "Group" && group != RbacGroup)
        {
            yield return new Problem($"apiGroup '{group}' is not allowed for a {kind} subject", $"Use apiGroup: {RbacGroup}.", "apiGroup", s.Get("apiGroup"));
        }
    }
}
