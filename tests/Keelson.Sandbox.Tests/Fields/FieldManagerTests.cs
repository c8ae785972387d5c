using System.Text.Json.Nodes;
using Keelson.Sandbox.Fields;

namespace Keelson.Sandbox.Tests.Fields;

public class FieldManagerTests
{
    private static readonly DateTime T0 = new(2026, 12, 7, 1, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime T1 = T0.AddMinutes(1);

    private static JsonObject Map(string data, string? labels = null) =>
        FieldSetsTests.Parse($$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"m"{{(labels is null ? "" : $",\"labels\":{labels}")}}},"data":{{data}}}""");

    private static (JsonObject Object, IReadOnlyList<ManagerEntry> Entries) Apply(JsonObject? live, JsonObject applied, IReadOnlyList<ManagerEntry> entries, string manager, bool force = false, DateTime? now = null) =>
        FieldManager.Apply("ConfigMap", live, applied, entries, manager, "v1", force, now ?? T0);

    [Fact]
    public void A_field_dropped_from_the_next_apply_is_removed()
    {
        var (created, entries) = Apply(null, Map("""{"a":"1","b":"2"}"""), [], "alice");
        var (updated, after) = Apply(created, Map("""{"a":"1"}"""), entries, "alice", now: T1);

        Assert.Equal("""{"a":"1"}""", updated["data"]!.ToJsonString(FieldSetsTests.Relaxed));
        var entry = Assert.Single(after);
        Assert.Equal(".data.a", entry.Fields.ToString());
        Assert.Equal(T1, entry.Time);
    }

    [Fact]
    public void A_dropped_field_another_manager_also_owns_stays()
    {
        var (created, entries) = Apply(null, Map("""{"a":"1","b":"2"}"""), [], "alice");
        var (shared, both) = Apply(created, Map("""{"b":"2"}"""), entries, "bob");
        Assert.Equal(2, both.Count);

        var (updated, after) = Apply(shared, Map("""{"a":"1"}"""), both, "alice");
        Assert.Equal("""{"a":"1","b":"2"}""", updated["data"]!.ToJsonString(FieldSetsTests.Relaxed));
        Assert.Equal(".data.b", after.Single(e => e.Manager == "bob").Fields.ToString());
        Assert.Equal(".data.a", after.Single(e => e.Manager == "alice").Fields.ToString());
    }

    [Fact]
    public void Changing_a_field_another_manager_owns_is_a_conflict_naming_it_unless_forced()
    {
        var (created, entries) = Apply(null, Map("""{"a":"1"}"""), [], "alice");
        var conflict = Assert.Throws<FieldConflictException>(() => Apply(created, Map("""{"a":"2"}"""), entries, "bob"));
        Assert.Equal("Apply failed with 1 conflict: conflict with \"alice\": .data.a", conflict.Message);

        var (forced, after) = Apply(created, Map("""{"a":"2"}"""), entries, "bob", force: true);
        Assert.Equal("2", forced["data"]!["a"]!.GetValue<string>());
        var owner = Assert.Single(after);
        Assert.Equal("bob", owner.Manager);
    }

    [Fact]
    public void Several_conflicts_are_listed_by_manager()
    {
        var (created, entries) = Apply(null, Map("""{"a":"1","b":"1"}"""), [], "alice");
        entries = FieldManager.Update("ConfigMap", created, Map("""{"a":"1","b":"1","c":"1"}"""), entries, "kubectl-edit", "v1", null, T1);
        var live = Map("""{"a":"1","b":"1","c":"1"}""");
        var conflict = Assert.Throws<FieldConflictException>(() => Apply(live, Map("""{"a":"2","b":"2","c":"2"}"""), entries, "bob"));
        Assert.Equal(
            "Apply failed with 3 conflicts: conflicts with \"alice\":\n- .data.a\n- .data.b\nconflicts with \"kubectl-edit\" using v1:\n- .data.c",
            conflict.Message);
    }

    [Fact]
    public void An_update_takes_the_fields_it_changes_from_their_owners()
    {
        var (created, entries) = Apply(null, Map("""{"a":"1","b":"1"}"""), [], "alice");
        var edited = Map("""{"a":"9","b":"1"}""");
        var after = FieldManager.Update("ConfigMap", created, edited, entries, "kubectl-edit", "v1", null, T1);

        Assert.Equal(".data.b", after.Single(e => e.Manager == "alice").Fields.ToString());
        var editor = after.Single(e => e.Manager == "kubectl-edit");
        Assert.Equal((ManagerEntry.Update, "v1", T1), (editor.Operation, editor.ApiVersion, editor.Time));
        Assert.Equal(".data.a", editor.Fields.ToString());

        // Alice re-applying her old value now conflicts with the editor, as on a real cluster.
        var conflict = Assert.Throws<FieldConflictException>(() => Apply(edited, Map("""{"a":"1","b":"1"}"""), after, "alice"));
        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl-edit\" using v1: .data.a", conflict.Message);
    }

    [Fact]
    public void An_update_that_changes_nothing_records_nothing()
    {
        var (created, entries) = Apply(null, Map("""{"a":"1"}"""), [], "alice");
        var after = FieldManager.Update("ConfigMap", created, created, entries, "kubectl-edit", "v1", null, T1);
        Assert.Equal("alice", Assert.Single(after).Manager);
    }

    [Fact]
    public void A_scale_update_is_its_own_manager_and_named_with_its_subresource()
    {
        var deployment = FieldSetsTests.Parse("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":2}}""");
        var (created, entries) = FieldManager.Apply("Deployment", null, deployment, [], "kubectl", "apps/v1", false, T0);
        var scaled = created.DeepClone().AsObject();
        scaled["spec"]!["replicas"] = 5;
        entries = FieldManager.Update("Deployment", created, scaled, entries, "kubectl", "apps/v1", "scale", T1);

        var conflict = Assert.Throws<FieldConflictException>(() => FieldManager.Apply("Deployment", scaled, deployment, entries, "kubectl", "apps/v1", false, T1));
        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl\" with subresource \"scale\" using apps/v1: .spec.replicas", conflict.Message);
    }

    [Fact]
    public void Associative_list_items_merge_by_key_and_a_dropped_item_goes()
    {
        static JsonObject Pod(string containers) => FieldSetsTests.Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":""" + containers + "}}");
        var (created, entries) = FieldManager.Apply("Pod", null, Pod("""[{"name":"app","image":"a:1"},{"name":"sidecar","image":"s:1"}]"""), [], "alice", "v1", false, T0);
        var (merged, after) = FieldManager.Apply("Pod", created, Pod("""[{"name":"app","image":"a:2"}]"""), entries, "alice", "v1", false, T1);

        Assert.Equal("""[{"name":"app","image":"a:2"}]""", merged["spec"]!["containers"]!.ToJsonString(FieldSetsTests.Relaxed));
        Assert.DoesNotContain("sidecar", Assert.Single(after).Fields.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Entries_encode_Apply_first_with_FieldsV1()
    {
        var (created, entries) = Apply(null, Map("""{"a":"1"}"""), [], "alice");
        entries = FieldManager.Update("ConfigMap", created, Map("""{"a":"1"}""", """{"x":"y"}"""), entries, "kubectl-label", "v1", null, T1);
        var encoded = FieldManager.Encode(entries)!;

        Assert.Equal(["alice/Apply", "kubectl-label/Update"], encoded.Select(e => $"{e.Manager}/{e.Operation}"));
        Assert.All(encoded, e => Assert.Equal("FieldsV1", e.FieldsType));
        Assert.Equal("""{"f:metadata":{"f:labels":{".":{},"f:x":{}}}}""", ((JsonObject)encoded[1].FieldsV1).ToJsonString(FieldSetsTests.Relaxed));
        Assert.Equal(entries.Select(e => e.Fields.ToString()), FieldManager.Decode(encoded).Select(e => e.Fields.ToString()));
    }

    [Fact]
    public void Kubectl_takes_over_what_client_side_apply_set_to_the_same_values_but_not_what_changed_since()
    {
        const string lastApplied = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"m"},"data":{"a":"1","b":"1"}}""";
        var live = Map("""{"a":"1","b":"1"}""");
        live["metadata"]!["annotations"] = new JsonObject { ["kubectl.kubernetes.io/last-applied-configuration"] = lastApplied };
        var entries = FieldManager.Update("ConfigMap", null, live, [], "kubectl-client-side-apply", "v1", null, T0);

        // "kubectl" changing b (still as last applied) takes it; another manager conflicts.
        var (taken, after) = Apply(live, Map("""{"a":"1","b":"2"}"""), entries, "kubectl");
        Assert.Equal("2", taken["data"]!["b"]!.GetValue<string>());
        Assert.DoesNotContain(".data.b", after.Single(e => e.Manager == "kubectl-client-side-apply").Fields.ToString(), StringComparison.Ordinal);
        Assert.Throws<FieldConflictException>(() => Apply(live, Map("""{"a":"1","b":"2"}"""), entries, "bob"));

        // A value edited since the last client-side apply is a conflict even for kubectl.
        var edited = live.DeepClone().AsObject();
        edited["data"]!["b"] = "9";
        var conflict = Assert.Throws<FieldConflictException>(() => Apply(edited, Map("""{"a":"1","b":"2"}"""), entries, "kubectl"));
        Assert.Equal(".data.b", Assert.Single(conflict.Conflicts).Path.ToString());
    }

    [Fact]
    public void An_object_without_managed_fields_is_owned_by_before_first_apply_when_first_applied_to()
    {
        var live = Map("""{"a":"1","b":"1"}""");
        var conflict = Assert.Throws<FieldConflictException>(() => Apply(live, Map("""{"a":"2"}"""), [], "alice"));
        Assert.Equal("Apply failed with 1 conflict: conflict with \"before-first-apply\" using v1: .data.a", conflict.Message);

        var (_, entries) = Apply(live, Map("""{"a":"1"}"""), [], "alice");
        Assert.Equal(["alice/Apply", "before-first-apply/Update"], entries.Select(e => $"{e.Manager}/{e.Operation}").Order(StringComparer.Ordinal));
    }
}
