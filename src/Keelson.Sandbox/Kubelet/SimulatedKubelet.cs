using System.Globalization;
using k8s.Models;
using Keelson.Sandbox.Controllers;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Fields;
using Keelson.Sandbox.Store;

namespace Keelson.Sandbox.Kubelet;

/// <summary>
/// Runs bound pods on their nodes: image pull (once per node and image), container start, readiness after the
/// startup and readiness probes' initial delays, Job pods that finish, injected crash loops and OOM kills with the
/// kubelet's restart back-off (10 s doubling to 5 min), and removal of terminating pods.
/// </summary>
public sealed class SimulatedKubelet : IController
{
    /// <summary>Pod template annotation: how long a Job's pod runs in the sandbox (a duration such as <c>90s</c> or <c>00:01:30</c>).</summary>
    public const string DurationAnnotation = "sandbox.keelson.dev/run-duration";

    // The PodScheduled condition the binding set: nobody owns it in managedFields (kubernetes/kubernetes#127508).
    private static readonly FieldPath[] BoundCondition =
        [FieldPath.Of([PathElement.Field("status"), PathElement.Field("conditions"), PathElement.Key([new("type", "PodScheduled")])])];

    private readonly Dictionary<string, Timeline> timelines = new(StringComparer.Ordinal);

    /// <summary>When a pod's container runs and becomes ready, and how often it has restarted.</summary>
    private sealed record Timeline(DateTime RunningAt, DateTime ReadyAt, int Restarts);

    /// <inheritdoc/>
    public void Reconcile(SandboxContext context)
    {
        var now = context.Now;
        var nodes = context.Store.List<V1Node>().ToDictionary(n => n.Metadata.Name, StringComparer.Ordinal);
        foreach (var pod in context.Store.List<V1Pod>().ToList())
        {
            if (string.IsNullOrEmpty(pod.Spec.NodeName) || !nodes.TryGetValue(pod.Spec.NodeName, out var node) || NodeLifecycleController.IsUnreachable(node))
            {
                continue;
            }

            if (pod.Metadata.DeletionTimestamp is { } deleting)
            {
                if (now >= deleting + context.Options.PodTermination)
                {
                    timelines.Remove(pod.Metadata.Uid);
                    context.Store.Delete(StoreKey.Of(pod));
                }

                continue;
            }

            if (pod.Status?.Phase is "Succeeded" or "Failed")
            {
                continue;
            }

            if (pod.Status?.StartTime is null)
            {
                Start(context, pod, node);
                continue;
            }

            Advance(context, pod);
        }
    }

    private void Start(SandboxContext context, V1Pod pod, V1Node node)
    {
        var now = context.Now;
        var images = pod.Spec.Containers.Select(c => c.Image).ToList();
        node.Status.Images ??= [];
        var missing = images.Where(i => !node.Status.Images.Any(have => have.Names.Contains(i))).ToList();
        if (missing.Count > 0)
        {
            foreach (var image in missing)
            {
                node.Status.Images.Add(new V1ContainerImage { Names = [image], SizeBytes = 250L << 20 });
            }

            context.WriteStatus(node, ComponentWrites.Kubelet);
        }

        var runningAt = now + (missing.Count > 0 ? context.Options.ImagePull : TimeSpan.Zero) + context.Options.ContainerStart;
        timelines[pod.Metadata.Uid] = new Timeline(runningAt, runningAt + ReadyDelay(pod), 0);
        pod.Status = new V1PodStatus
        {
            Phase = "Pending",
            StartTime = now,
            HostIP = Nodes.Addresses.Node(node.Metadata.Name),
            HostIPs = [new V1HostIP { Ip = Nodes.Addresses.Node(node.Metadata.Name) }],
            PodIP = Nodes.Addresses.Pod(pod.Metadata.Uid),
            PodIPs = [new V1PodIP { Ip = Nodes.Addresses.Pod(pod.Metadata.Uid) }],
            QosClass = pod.Status?.QosClass ?? "Burstable",
            Conditions =
            [
                Condition("PodScheduled", "True", now),
                Condition("Initialized", "True", now),
                Condition("ContainersReady", "False", now),
                Condition("Ready", "False", now),
            ],
            ContainerStatuses = [.. pod.Spec.Containers.Select(c => new V1ContainerStatus
            {
                Name = c.Name,
                Image = c.Image,
                ImageID = "",
                Ready = false,
                RestartCount = 0,
                State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ContainerCreating" } },
            })],
        };
        context.WriteStatus(pod, ComponentWrites.Kubelet, BoundCondition);
        context.Event(pod.Metadata, "Pod", "Normal", missing.Count > 0 ? "Pulling" : "Pulled", missing.Count > 0 ? $"Pulling image \"{missing[0]}\"" : "Container image already present on machine");
    }

    private void Advance(SandboxContext context, V1Pod pod)
    {
        var now = context.Now;
        var timeline = timelines.TryGetValue(pod.Metadata.Uid, out var t) ? t : Recover(pod);
        timelines[pod.Metadata.Uid] = timeline;
        if (now < timeline.RunningAt)
        {
            return;
        }

        var crash = context.Faults.OfType<CrashLoop>().FirstOrDefault(f => pod.Metadata.Name.StartsWith(f.PodPrefix, StringComparison.Ordinal)) is { } c ? (c.RunsFor, "Error")
            : context.Faults.OfType<OutOfMemory>().FirstOrDefault(f => pod.Metadata.Name.StartsWith(f.PodPrefix, StringComparison.Ordinal)) is { } o ? (o.RunsFor, "OOMKilled")
            : ((TimeSpan RunsFor, string Reason)?)null;
        var fails = context.Faults.OfType<PodFailure>().Any(f => pod.Metadata.Name.StartsWith(f.PodPrefix, StringComparison.Ordinal));
        var isJob = pod.Metadata.OwnerReferences?.Any(r => r.Kind == "Job") == true;

        if (isJob && now >= timeline.RunningAt + RunDuration(context, pod))
        {
            Finish(context, pod, fails ? "Failed" : "Succeeded", fails ? 1 : 0, timeline.RunningAt);
            return;
        }

        if (crash is { } exit && now >= timeline.RunningAt + exit.RunsFor)
        {
            if (isJob && pod.Spec.RestartPolicy == "Never")
            {
                Finish(context, pod, "Failed", 137, timeline.RunningAt, exit.Reason);
                return;
            }

            // The kubelet's back-off: 10 s, doubling per restart, capped at five minutes.
            var restarts = timeline.Restarts + 1;
            var backoff = TimeSpan.FromSeconds(Math.Min(10 * Math.Pow(2, restarts - 1), 300));
            var again = now + backoff + context.Options.ContainerStart;
            timeline = new Timeline(again, again + ReadyDelay(pod), restarts);
            timelines[pod.Metadata.Uid] = timeline;
            SetRunning(context, pod, ready: false, restarts, waiting: ("CrashLoopBackOff", $"back-off {backoff.TotalSeconds:0}s restarting failed container"), lastExit: exit.Reason);
            context.Event(pod.Metadata, "Pod", "Warning", "BackOff", "Back-off restarting failed container");
            return;
        }

        var ready = now >= timeline.ReadyAt && !(fails && !isJob);
        var isRunning = pod.Status.Phase == "Running" && pod.Status.ContainerStatuses?.All(s => s.State?.Running is not null) == true;
        if (!isRunning || Pods.IsReady(pod) != ready)
        {
            SetRunning(context, pod, ready, timeline.Restarts, waiting: null, lastExit: null);
        }
    }

    private static Timeline Recover(V1Pod pod)
    {
        // A pod read back from a saved sandbox: it keeps the times its status already shows.
        var running = pod.Status.ContainerStatuses?.Select(s => s.State?.Running?.StartedAt).FirstOrDefault(s => s is not null) ?? pod.Status.StartTime!.Value;
        return new Timeline(running, running + ReadyDelay(pod), pod.Status.ContainerStatuses?.Max(s => s.RestartCount) ?? 0);
    }

    private static void SetRunning(SandboxContext context, V1Pod pod, bool ready, int restarts, (string Reason, string Message)? waiting, string? lastExit)
    {
        var now = context.Now;
        var readyText = ready ? "True" : "False";
        pod.Status.Phase = "Running";
        pod.Status.Conditions = [.. pod.Status.Conditions.Select(c => c.Type is "Ready" or "ContainersReady" && c.Status != readyText ? Condition(c.Type, readyText, now) : c)];
        foreach (var status in pod.Status.ContainerStatuses)
        {
            status.Ready = ready;
            status.Started = waiting is null;
            status.RestartCount = restarts;
            status.State = waiting is { } w
                ? new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = w.Reason, Message = w.Message } }
                : new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = status.State?.Running?.StartedAt ?? now } };
            if (lastExit is not null)
            {
                status.LastState = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = lastExit == "OOMKilled" ? 137 : 1, Reason = lastExit, FinishedAt = now } };
            }
        }

        context.WriteStatus(pod, ComponentWrites.Kubelet, BoundCondition);
    }

    private static void Finish(SandboxContext context, V1Pod pod, string phase, int exitCode, DateTime startedAt, string? reason = null)
    {
        pod.Status.Phase = phase;
        pod.Status.Conditions = [.. pod.Status.Conditions.Select(c => c.Type is "Ready" or "ContainersReady" ? Condition(c.Type, "False", context.Now, "PodCompleted") : c)];
        foreach (var status in pod.Status.ContainerStatuses)
        {
            status.Ready = false;
            status.State = new V1ContainerState
            {
                Terminated = new V1ContainerStateTerminated { ExitCode = exitCode, Reason = reason ?? (exitCode == 0 ? "Completed" : "Error"), StartedAt = startedAt, FinishedAt = context.Now },
            };
        }

        context.WriteStatus(pod, ComponentWrites.Kubelet, BoundCondition);
    }

    private static TimeSpan ReadyDelay(V1Pod pod)
    {
        var container = pod.Spec.Containers[0];
        var startup = container.StartupProbe is { } s ? (s.InitialDelaySeconds ?? 0) + (s.PeriodSeconds ?? 10) : 0;
        var readiness = container.ReadinessProbe is { } r ? r.InitialDelaySeconds ?? 0 : 0;
        return TimeSpan.FromSeconds(startup + readiness);
    }

    private static TimeSpan RunDuration(SandboxContext context, V1Pod pod) =>
        pod.Metadata.Annotations?.TryGetValue(DurationAnnotation, out var text) == true && Duration(text) is { } d ? d : context.Options.JobRun;

    private static TimeSpan? Duration(string text) =>
        text.EndsWith('s') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds)
        : text.EndsWith('m') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes) ? TimeSpan.FromMinutes(minutes)
        : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span : null;

    private static V1PodCondition Condition(string type, string status, DateTime at, string? reason = null) =>
        new() { Type = type, Status = status, LastTransitionTime = at, Reason = reason };
}
