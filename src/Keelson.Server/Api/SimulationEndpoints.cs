using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Planning.Cost;
using Keelson.Rendering;
using Keelson.Sandbox.Simulation;
using Keelson.Server.Http;
using Keelson.Spec.Load;
using Keelson.Spec.Parsing;

namespace Keelson.Server.Api;

/// <summary>
/// <c>POST /tenants/{tenant_id}/simulations</c>: a day of a load file replayed on virtual time on a fresh sandbox
/// built from the tenant's stack (the engine behind <c>keelson simulate</c>). Nothing is stored and the tenant's own
/// sandbox is not touched; the same body gives the same answer.
/// </summary>
public static class SimulationEndpoints
{
    /// <summary>The longest load text accepted, in characters: a load file is a few curves, not a data set.</summary>
    public const int MaxLoadChars = 64 * 1024;

    /// <summary>The longest simulated period.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);

    /// <summary>The shortest step between samples.</summary>
    public static readonly TimeSpan MinStep = TimeSpan.FromSeconds(10);

    /// <summary>The most samples one simulation answers (a day at one a minute).</summary>
    public const int MaxSteps = 1440;

    /// <summary>The most injected node losses.</summary>
    public const int MaxFailures = 10;

    /// <summary>How long a simulation may run before it is abandoned.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // A simulation keeps a core busy for seconds: at most two at once, the rest wait (within their timeout).
    private static readonly SemaphoreSlim Running = new(2, 2);

    /// <summary>Maps the route on the <c>/api/v1</c> group.</summary>
    public static RouteGroupBuilder MapSimulations(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/tenants/{tenant_id}/simulations", Simulate)
            .WithName("SimulateDay")
            .WithSummary("Replay a load file (kind: Load, as YAML or JSON text in `load`) on virtual time on a fresh sandbox of the tenant's stack: per step replicas and ready pods per component, nodes per pool, pending pods, hourly and cumulative cost; then the summary. Demo mode only; duration up to 24h, at most 1440 steps; nothing is stored.")
            .Accepts<SimulationRequest>("application/json")
            .Produces<SimulationResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    private static async Task<IResult> Simulate(HttpContext http, TenantDatabases databases, string tenant_id, CancellationToken cancellationToken)
    {
        if (!DemoModeFilter.IsDemo(http))
        {
            return Problems.Conflict("Simulation runs on the sandbox",
                "A day is simulated on a fresh sandbox built from a demo tenant's stack; send X-Demo-Mode: true (production tenants are not simulated).");
        }

        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return problem!;
        }

        var (input, errors) = SimulationRequest.Read(body);
        if (input is null)
        {
            return Invalid("The simulation request is not valid", errors);
        }

        if (await databases.For(true).Tenants.GetAsync(tenant_id, cancellationToken).ConfigureAwait(false) is not { } tenant)
        {
            return Problems.NotFound(tenant_id);
        }

        var (manifest, error) = TenantManifests.Render(tenant.Spec, new RenderOptions());
        if (manifest is null)
        {
            return Problems.Conflict($"Tenant '{tenant_id}' cannot be rendered", error!);
        }

        var load = LoadParser.Parse(input.Load, "load", [.. manifest.Plan.Components.Select(c => c.Name)]);
        if (!load.Succeeded)
        {
            var diagnostics = load.Diagnostics.Select(d => new LoadDiagnostic(d.Line, d.Column, d.Path, d.Message, d.Code)).ToList();
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { ["load"] = [.. diagnostics.Select(d => d.ToString())] },
                title: "The load file is not valid",
                statusCode: StatusCodes.Status422UnprocessableEntity,
                extensions: new Dictionary<string, object?> { ["diagnostics"] = diagnostics });
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        SimulationReport report;
        try
        {
            await Running.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                // Off the request's thread: the engine is synchronous between its awaits.
                report = await Task.Run(() => new DaySimulator().RunAsync(manifest, load.Value!, input.Duration, input.Step, input.Failures, timeout.Token), timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                Running.Release();
            }
        }
        catch (ArgumentException e) when (e.ParamName == "losses")
        {
            return Invalid("A node to fail does not exist", new() { ["failures"] = [e.Message[..e.Message.IndexOf(" (Parameter", StringComparison.Ordinal)]] });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Invalid("The simulation took too long", new()
            {
                ["duration"] = [string.Create(CultureInfo.InvariantCulture, $"did not finish within {Timeout.TotalSeconds:0} s; simulate a shorter period or a longer step")],
            });
        }

        return Results.Ok(SimulationResponse.From(tenant_id, manifest, report));
    }

    private static IResult Invalid(string title, Dictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, title: title, statusCode: StatusCodes.Status422UnprocessableEntity);
}

/// <summary>A node to lose during a simulation: its name at midnight and when after midnight.</summary>
public sealed record SimulationFailure(string Node, string After);

/// <summary>The body of <c>POST /tenants/{tenant_id}/simulations</c>.</summary>
/// <param name="Load">The load file's text (kind: Load), YAML or JSON: the same format <c>keelson simulate --load</c> reads.</param>
/// <param name="Duration">Simulated time, e.g. 24h (the default); at most 24h.</param>
/// <param name="Step">Time between reconcile ticks and samples, e.g. 1m (the default); at least 10s, at most 1440 steps.</param>
/// <param name="Failures">Nodes to lose (at most 10).</param>
public sealed record SimulationRequest(string Load, string? Duration, string? Step, IReadOnlyList<SimulationFailure>? Failures)
{
    /// <summary>A checked request: the load text, the period and step, and the node losses.</summary>
    internal sealed record Checked(string Load, TimeSpan Duration, TimeSpan Step, IReadOnlyList<PlannedNodeLoss> Failures);

    private static readonly HashSet<string> Fields = ["load", "duration", "step", "failures"];

    /// <summary>The checked request, or the field errors (each naming what is allowed).</summary>
    internal static (Checked? Request, Dictionary<string, string[]> Errors) Read(JsonObject body)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var unknown in body.Select(p => p.Key).Where(k => !Fields.Contains(k)))
        {
            errors[unknown] = [$"is not a field of a simulation; fields: {string.Join(", ", Fields)}"];
        }

        var load = body["load"] is JsonValue l && l.GetValueKind() == JsonValueKind.String ? l.GetValue<string>() : null;
        if (string.IsNullOrWhiteSpace(load))
        {
            errors["load"] = ["is required: the load file's text (kind: Load) as YAML or JSON, as keelson simulate --load reads it"];
        }
        else if (load.Length > SimulationEndpoints.MaxLoadChars)
        {
            errors["load"] = [string.Create(CultureInfo.InvariantCulture, $"is {load.Length} characters; at most {SimulationEndpoints.MaxLoadChars} are accepted")];
        }

        var duration = DurationOf(body, "duration", "24h", errors);
        if (duration is { } d && (d <= TimeSpan.Zero || d > SimulationEndpoints.MaxDuration))
        {
            errors["duration"] = ["must be more than 0 and at most 24h, such as 24h or 6h"];
            duration = null;
        }

        var step = DurationOf(body, "step", "1m", errors);
        if (step is { } s && s < SimulationEndpoints.MinStep)
        {
            errors["step"] = ["must be at least 10s, such as 1m"];
        }
        else if (step is { } s2 && duration is { } d2 && (s2 > d2 || Math.Ceiling(d2 / s2) > SimulationEndpoints.MaxSteps))
        {
            errors["step"] = [string.Create(CultureInfo.InvariantCulture, $"gives {Math.Ceiling(d2 / s2):0} steps over the duration; at most {SimulationEndpoints.MaxSteps} steps and no longer than the duration (1m for 24h)")];
        }

        var failures = new List<PlannedNodeLoss>();
        switch (body["failures"])
        {
            case null:
                break;
            case JsonArray list when list.Count <= SimulationEndpoints.MaxFailures:
                for (var i = 0; i < list.Count; i++)
                {
                    var node = list[i]?["node"] is JsonValue n && n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : null;
                    var after = list[i]?["after"] is JsonValue a && a.GetValueKind() == JsonValueKind.String ? a.GetValue<string>() : null;
                    if (string.IsNullOrEmpty(node) || after is null || !Scalars.TryDuration(after, out var at) || duration is { } end && at > end)
                    {
                        errors[$"failures[{i}]"] = ["must be {\"node\": NAME, \"after\": DURATION}: a node at midnight (such as general-000) and a time within the duration (such as 6h)"];
                        continue;
                    }

                    failures.Add(new PlannedNodeLoss(node, at));
                }

                break;
            default:
                errors["failures"] = [$"must be a list of at most {SimulationEndpoints.MaxFailures} {{\"node\", \"after\"}} objects"];
                break;
        }

        return errors.Count == 0 ? (new Checked(load!, duration!.Value, step!.Value, failures), errors) : (null, errors);
    }

    private static TimeSpan? DurationOf(JsonObject body, string field, string fallback, Dictionary<string, string[]> errors)
    {
        var text = body[field] switch
        {
            null => fallback,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            _ => null,
        };
        if (text is not null && Scalars.TryDuration(text, out var value))
        {
            return value;
        }

        errors[field] = [$"must be a duration such as {fallback} (s, m or h)"];
        return null;
    }
}

/// <summary>A load-file error with its place: line and column in the sent text, and the field path.</summary>
public sealed record LoadDiagnostic(int Line, int Column, string Path, string Message, string Code)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"line {Line}, column {Column}: {(Path.Length == 0 ? "" : Path + ": ")}{Message}");
}

/// <summary>One sample of a simulation, <see cref="Minute"/> minutes after midnight.</summary>
/// <param name="At">The virtual time of the sample.</param>
/// <param name="Minute">Minutes since the simulated midnight.</param>
/// <param name="Replicas">Replicas each component's workloads ask for (after autoscaling: the HPA's desired count).</param>
/// <param name="Ready">Ready pods per component.</param>
/// <param name="Degraded">Components whose sample counts against the SLA.</param>
/// <param name="Nodes">Nodes per pool.</param>
/// <param name="PendingPods">Pods not scheduled or not yet started.</param>
/// <param name="HourlyCostUsd">What the nodes and control plane cost per hour at this sample.</param>
/// <param name="CumulativeCostUsd">The cost so far.</param>
public sealed record SimulationStep(
    DateTimeOffset At,
    double Minute,
    IReadOnlyDictionary<string, int> Replicas,
    IReadOnlyDictionary<string, int> Ready,
    IReadOnlyList<string> Degraded,
    IReadOnlyDictionary<string, int> Nodes,
    int PendingPods,
    double HourlyCostUsd,
    double CumulativeCostUsd);

/// <summary>The answer of <c>POST /tenants/{tenant_id}/simulations</c>: the time series and <c>keelson simulate</c>'s summary.</summary>
public sealed record SimulationResponse(
    string TenantId,
    string Load,
    string ClusterProfile,
    DateTimeOffset Start,
    double DurationSeconds,
    double StepSeconds,
    IReadOnlyList<SimulationStep> Timeline,
    IReadOnlyList<ComponentSummary> Components,
    IReadOnlyList<PoolSummary> Pools,
    int PeakNodes,
    int PeakPendingPods,
    double PendingPodMinutes,
    double SlaMinutesLost,
    double CostUsd,
    IReadOnlyList<string> Events)
{
    /// <summary>The answer for <paramref name="report"/>, priced with <paramref name="manifest"/>'s cluster profile.</summary>
    public static SimulationResponse From(string tenantId, Manifest manifest, SimulationReport report)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(report);
        var profile = manifest.Plan.Spec.Cluster;
        var prices = profile.Pools.ToDictionary(p => p.Name, p => p.Instance.Prices.OnDemandUsd, StringComparer.Ordinal);
        var controlPlane = profile.ControlPlaneMonthlyUsd / CostModel.HoursPerMonth;
        var cumulative = 0.0;
        var timeline = new List<SimulationStep>(report.Timeline.Count);
        foreach (var point in report.Timeline)
        {
            var hourly = point.NodesPerPool.Sum(p => p.Value * prices[p.Key]) + controlPlane;
            cumulative += hourly * report.Step.TotalHours;
            timeline.Add(new SimulationStep(
                point.At,
                (point.At - report.Start).TotalMinutes,
                point.Components.ToDictionary(c => c.Key, c => c.Value.Replicas, StringComparer.Ordinal),
                point.Components.ToDictionary(c => c.Key, c => c.Value.Ready, StringComparer.Ordinal),
                [.. point.Components.Where(c => c.Value.Degraded).Select(c => c.Key)],
                point.NodesPerPool,
                point.PendingPods,
                hourly,
                cumulative));
        }

        return new SimulationResponse(
            tenantId,
            report.Load,
            profile.Name,
            report.Start,
            report.Duration.TotalSeconds,
            report.Step.TotalSeconds,
            timeline,
            report.Components,
            report.Pools,
            report.Timeline.Count == 0 ? 0 : report.Timeline.Max(t => t.NodesPerPool.Values.Sum()),
            report.Timeline.Count == 0 ? 0 : report.Timeline.Max(t => t.PendingPods),
            report.PendingPodMinutes,
            report.Components.Sum(c => c.SlaMinutesLost),
            report.CostUsd,
            report.Events);
    }
}
