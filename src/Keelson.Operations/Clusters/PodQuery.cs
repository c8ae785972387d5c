namespace Keelson.Operations.Clusters;

/// <summary>
/// Which of a view's pods to return, and which page of them: filters that must all hold, then <see cref="Offset"/>
/// and <see cref="Limit"/> over the view's order (node, namespace, name).
/// </summary>
/// <param name="Offset">How many matching pods to skip.</param>
/// <param name="Limit">How many to return at most.</param>
/// <param name="Node">Only pods on this node (exact).</param>
/// <param name="Namespace">Only pods in this namespace (exact).</param>
/// <param name="Phase">Only pods in this phase (exact: Pending, Running, Unknown).</param>
/// <param name="Search">Only pods whose name or namespace contains it, or whose node or tenant is it (any case): the console's filter box.</param>
public sealed record PodQuery(int Offset, int Limit, string? Node = null, string? Namespace = null, string? Phase = null, string? Search = null)
{
    /// <summary>The largest page.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The page of <paramref name="view"/>'s pods this query selects.</summary>
    public PodPage Apply(ClusterView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var term = string.IsNullOrWhiteSpace(Search) ? null : Search.Trim();
        var matching = view.Pods.Where(p =>
            (Node is null || p.Node == Node)
            && (Namespace is null || p.Namespace == Namespace)
            && (Phase is null || p.Phase == Phase)
            && (term is null || p.Name.Contains(term, StringComparison.OrdinalIgnoreCase) || p.Namespace.Contains(term, StringComparison.OrdinalIgnoreCase)
                || p.Node.Equals(term, StringComparison.OrdinalIgnoreCase) || (p.Tenant?.Equals(term, StringComparison.OrdinalIgnoreCase) ?? false)));
        List<PodView> all = [.. matching];
        List<string> namespaces = [.. view.Pods.Select(p => p.Namespace).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        return new PodPage([.. all.Skip(Offset).Take(Limit)], all.Count, view.Pods.Count, Offset, Limit, namespaces);
    }
}

/// <summary>A page of a cluster's pods.</summary>
/// <param name="Pods">The pods of the page, in the view's order.</param>
/// <param name="TotalCount">How many pods match the filters.</param>
/// <param name="VisibleCount">How many pods the caller sees without filters (a tenant key: its own).</param>
/// <param name="Offset">The offset asked for.</param>
/// <param name="Limit">The limit asked for.</param>
/// <param name="Namespaces">The namespaces of every pod the caller sees, sorted: the choices of a namespace filter.</param>
public sealed record PodPage(IReadOnlyList<PodView> Pods, int TotalCount, int VisibleCount, int Offset, int Limit, IReadOnlyList<string> Namespaces);
