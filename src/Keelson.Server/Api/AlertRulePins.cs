using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Operations;
using Keelson.Operations.Alerts;
using Keelson.Rendering;

namespace Keelson.Server.Api;

/// <summary>
/// Writes a tenant's enabled alert rules into its request as <c>alert_rules</c> (prometheus-operator rule entries),
/// so what is rendered from it — a deployment's snapshot, a manifest download — carries them as a PrometheusRule and a
/// real cluster's Prometheus evaluates the rules Keelson evaluates. The member always comes from the rule store: what a
/// client may have sent under that name is replaced. A stack document's schema has no room for the member, so its
/// snapshot wraps it: <c>{"stack_document": "the document as sent", "alert_rules": [...]}</c> (<see cref="Unwrap"/>).
/// </summary>
public static class AlertRulePins
{
    /// <summary>The request's <c>alert_rules</c> member.</summary>
    public const string Member = "alert_rules";

    /// <summary>The member of a pinned stack-document snapshot that holds the document as sent.</summary>
    public const string StackMember = "stack_document";

    /// <summary>
    /// What a deployment snapshot or a manifest download renders for <paramref name="tenant"/>: its stored request with
    /// the active CI/CD images and its enabled alert rules pinned.
    /// </summary>
    public static async Task<string> SnapshotAsync(OperationsStores stores, Keelson.Operations.Tenants.TenantRecord tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(tenant);
        var withImages = await ServiceImagePins.PinAsync(stores.Images, tenant.Spec, cancellationToken).ConfigureAwait(false);
        return await PinAsync(stores.AlertRules, tenant.TenantId, withImages, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><paramref name="spec"/> with the tenant's enabled rules pinned (the member removed when it has none).</summary>
    public static async Task<string> PinAsync(SqlAlertRuleStore store, string tenantId, string? spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var rules = new List<Keelson.Operations.Alerts.AlertRule>();
        foreach (var record in await store.ListAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                rules.Add(record.ToRule());
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                // Checked when stored; a rule an older version let through is left out, as the evaluator leaves it out.
            }
        }

        return Pin(spec, AlertRuleRendering.Rules(tenantId, rules));
    }

    /// <summary><paramref name="spec"/> with <paramref name="rules"/> as its <c>alert_rules</c>.</summary>
    public static string Pin(string? spec, IList<Keelson.Rendering.Crds.AlertRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var text = spec ?? "{}";
        if (TenantInput.SeedRequest(text) is not { } request)
        {
            // A stack document (or an already pinned one, re-pinned from the store): wrapped only when there are rules.
            var document = Unwrap(text)?.Document ?? text;
            return rules.Count == 0 ? document : new JsonObject { [StackMember] = document, [Member] = JsonSerializer.SerializeToNode(rules) }.ToJsonString();
        }

        if (rules.Count == 0 && !request.ContainsKey(Member))
        {
            return text;
        }

        request.Remove(Member);
        if (rules.Count > 0)
        {
            request[Member] = JsonSerializer.SerializeToNode(rules);
        }

        return request.ToJsonString();
    }

    /// <summary>
    /// A pinned stack-document snapshot's document and rules; null for anything else. No stored tenant spec has this
    /// shape (seed requests are stored re-serialized, stack documents carry <c>kind</c>), so a client cannot send one.
    /// </summary>
    public static (string Document, JsonArray Rules)? Unwrap(string? spec)
    {
        if (spec is null || !spec.StartsWith('{'))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(spec) is JsonObject wrapped && !wrapped.ContainsKey("kind") && wrapped[StackMember] is JsonValue document && document.TryGetValue<string>(out var text)
                ? (text, wrapped[Member] as JsonArray ?? [])
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The manifest with the request's pinned rules added as the tenant's PrometheusRule (unchanged without any, or with monitoring off).</summary>
    public static Manifest WithRules(Manifest manifest, string? spec, RenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Monitoring == false || spec is null || (TenantInput.SeedRequest(spec)?[Member] ?? Unwrap(spec)?.Rules) is not JsonArray pinned || pinned.Count == 0)
        {
            return manifest;
        }

        var rules = pinned.Deserialize<List<Keelson.Rendering.Crds.AlertRule>>() ?? [];
        var tenant = manifest.Plan.Spec.Metadata.Tenant;
        var resource = AlertRuleRendering.Wrap(tenant, manifest.Namespace, rules);
        return manifest with { Objects = [.. manifest.Objects, new RenderedObject(resource, null, ObjectGroup.Monitoring)] };
    }
}
