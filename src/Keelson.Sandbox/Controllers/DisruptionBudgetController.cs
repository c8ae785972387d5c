using k8s.Models;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Fields;
using Keelson.Sandbox.Store;

namespace Keelson.Sandbox.Controllers;

/// <summary>Computes each PodDisruptionBudget's healthy, desired and allowed disruptions, which evictions (drains, scale-down) obey.</summary>
public sealed class DisruptionBudgetController : IController
{
    // Its output depends only on stored objects, so a pass with none of its inputs changed is skipped.
    private (long, long) seen;

    /// <inheritdoc/>
    public void Reconcile(SandboxContext context)
    {
        var inputs = (context.Store.LastChange<V1PodDisruptionBudget>(), context.Store.LastChange<V1Pod>());
        if (inputs == seen)
        {
            return;
        }

        seen = inputs;
        var budgets = context.Store.List<V1PodDisruptionBudget>().ToList();
        if (budgets.Count == 0)
        {
            return;
        }

        var active = context.Store.List<V1Pod>().Where(Pods.IsActive).ToLookup(p => p.Metadata.NamespaceProperty, StringComparer.Ordinal);
        foreach (var pdb in budgets)
        {
            var pods = active[pdb.Metadata.NamespaceProperty].Where(p => Selectors.Matches(pdb.Spec.Selector, p.Metadata.Labels)).ToList();
            var expected = pods.Count;
            var healthy = pods.Count(Pods.IsReady);
            var desired = pdb.Spec.MinAvailable is { } min
                ? DeploymentController.Resolve(min, expected, roundUp: true, 0)
                : expected - DeploymentController.Resolve(pdb.Spec.MaxUnavailable ?? (IntOrString)1, expected, roundUp: true, 0);
            var allowed = Math.Max(healthy - desired, 0);
            var status = pdb.Status;
            if (status is not null && status.CurrentHealthy == healthy && status.DesiredHealthy == desired && status.DisruptionsAllowed == allowed && status.ExpectedPods == expected)
            {
                continue;
            }

            pdb.Status = new V1PodDisruptionBudgetStatus
            {
                CurrentHealthy = healthy,
                DesiredHealthy = desired,
                DisruptionsAllowed = allowed,
                ExpectedPods = expected,
                ObservedGeneration = pdb.Metadata.Generation,
                Conditions = [new V1Condition { Type = "DisruptionAllowed", Status = allowed > 0 ? "True" : "False", Reason = allowed > 0 ? "SufficientPods" : "InsufficientPods", Message = "", LastTransitionTime = context.Now }],
            };
            context.WriteStatus(pdb, ComponentWrites.ControllerManager);
        }
    }

    /// <summary>Whether evicting <paramref name="pod"/> now keeps every budget selecting it; if so, the budgets are charged.</summary>
    public static bool TryEvict(SandboxContext context, V1Pod pod)
    {
        var budgets = context.Store.List<V1PodDisruptionBudget>(pod.Metadata.NamespaceProperty).Where(b => Selectors.Matches(b.Spec.Selector, pod.Metadata.Labels)).ToList();
        if (budgets.Any(b => (b.Status?.DisruptionsAllowed ?? 0) <= 0) && Pods.IsReady(pod))
        {
            return false;
        }

        foreach (var budget in budgets.Where(_ => Pods.IsReady(pod)))
        {
            budget.Status.DisruptionsAllowed -= 1;
            context.Store.Update(budget);
        }

        Pods.Terminate(context, pod);
        return true;
    }
}
