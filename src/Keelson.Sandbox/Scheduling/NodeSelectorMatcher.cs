using k8s.Models;

namespace Keelson.Sandbox.Scheduling;

/// <summary>
/// A compiled <see cref="V1NodeSelectorTerm"/> list: terms are ORed, a term's expressions ANDed; <c>matchFields</c>
/// supports <c>metadata.name</c>, which DaemonSet pods use. An empty term matches no node, as in Kubernetes.
/// </summary>
internal sealed class NodeSelectorMatcher
{
    private const string NameField = "metadata.name";

    private readonly Term[] terms;

    private NodeSelectorMatcher(Term[] terms) => this.terms = terms;

    /// <summary>Compiles terms; a term with an invalid requirement never matches.</summary>
    public static NodeSelectorMatcher Compile(IEnumerable<V1NodeSelectorTerm> terms)
    {
        return new NodeSelectorMatcher([.. terms.Select(CompileTerm)]);
    }

    /// <summary>Whether term <paramref name="index"/> matches the node.</summary>
    public bool TermMatches(int index, NodeInfo node) => terms[index].Matches(node);

    /// <summary>Whether any term matches the node.</summary>
    public bool Matches(NodeInfo node)
    {
        foreach (var term in terms)
        {
            if (term.Matches(node))
            {
                return true;
            }
        }

        return false;
    }

    private static Term CompileTerm(V1NodeSelectorTerm term)
    {
        var labels = new List<LabelRequirement>();
        foreach (var expression in term.MatchExpressions ?? [])
        {
            if (LabelRequirement.Compile(expression.Key, expression.OperatorProperty, expression.Values, allowNumeric: true) is not { } requirement)
            {
                return new Term([], [], Never: true);
            }

            labels.Add(requirement);
        }

        var fields = new List<LabelRequirement>();
        foreach (var expression in term.MatchFields ?? [])
        {
            if (expression.Key != NameField
                || LabelRequirement.Compile(expression.Key, expression.OperatorProperty, expression.Values, allowNumeric: false) is not { } requirement)
            {
                return new Term([], [], Never: true);
            }

            fields.Add(requirement);
        }

        return new Term([.. labels], [.. fields], Never: labels.Count == 0 && fields.Count == 0);
    }

    private sealed record Term(LabelRequirement[] Labels, LabelRequirement[] Fields, bool Never)
    {
        public bool Matches(NodeInfo node)
        {
            if (Never)
            {
                return false;
            }

            foreach (var requirement in Labels)
            {
                if (!requirement.Matches(node.Labels.GetValueOrDefault(requirement.Key)))
                {
                    return false;
                }
            }

            foreach (var requirement in Fields)
            {
                if (!requirement.Matches(node.Name))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
