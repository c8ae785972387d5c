using System.Text.Json.Nodes;
using Keelson.Sandbox.Server.Clock;

namespace Keelson.Sandbox.Server.Tests.Clock;

public sealed class ServedTimesTests
{
    private static readonly Func<DateTime, DateTime> HourBack = t => t.AddHours(-1).AddTicks(-1);

    [Fact]
    public void A_pods_times_are_mapped_by_its_model_and_its_user_data_is_not()
    {
        var pod = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","creationTimestamp":"2026-12-07T12:00:00Z",
              "annotations":{"deployed":"2026-12-07T12:00:00Z"},
              "managedFields":[{"manager":"kubectl","operation":"Apply","time":"2026-12-07T12:00:00Z"}]},
             "spec":{"containers":[{"name":"web","image":"nginx","args":["2026-12-07T12:00:00Z"]}]},
             "status":{"startTime":"2026-12-07T12:00:01Z","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2026-12-07T12:00:05Z"}],
              "containerStatuses":[{"name":"web","state":{"running":{"startedAt":"2026-12-07T12:00:03Z"}}}]}}
            """)!;

        ServedTimes.Rewrite(pod, HourBack);

        Assert.Equal("2026-12-07T10:59:59Z", (string?)pod["metadata"]!["creationTimestamp"]);
        Assert.Equal("2026-12-07T10:59:59Z", (string?)pod["metadata"]!["managedFields"]![0]!["time"]);
        Assert.Equal("2026-12-07T11:00:00Z", (string?)pod["status"]!["startTime"]);
        Assert.Equal("2026-12-07T11:00:04Z", (string?)pod["status"]!["conditions"]![0]!["lastTransitionTime"]);
        Assert.Equal("2026-12-07T11:00:02Z", (string?)pod["status"]!["containerStatuses"]![0]!["state"]!["running"]!["startedAt"]);
        Assert.Equal("2026-12-07T12:00:00Z", (string?)pod["metadata"]!["annotations"]!["deployed"]);
        Assert.Equal("2026-12-07T12:00:00Z", (string?)pod["spec"]!["containers"]![0]!["args"]![0]);
    }

    [Fact]
    public void A_micro_time_keeps_its_six_digits_and_list_items_table_rows_and_watch_events_are_found()
    {
        var list = JsonNode.Parse("""
            {"apiVersion":"coordination.k8s.io/v1","kind":"LeaseList","items":[{"metadata":{"name":"a"},"spec":{"renewTime":"2026-12-07T12:00:00.500000Z"}}]}
            """)!;
        var table = JsonNode.Parse("""
            {"kind":"Table","apiVersion":"meta.k8s.io/v1","rows":[{"cells":["a"],"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"a","creationTimestamp":"2026-12-07T12:00:00Z"}}}]}
            """)!;
        var watched = JsonNode.Parse("""
            {"type":"ADDED","object":{"apiVersion":"v1","kind":"Event","metadata":{"name":"e"},"type":"Normal","lastTimestamp":"2026-12-07T12:00:00Z","eventTime":"2026-12-07T12:00:00.000000Z","series":{"count":2,"lastObservedTime":"2026-12-07T12:00:00.000000Z"}}}
            """)!;

        ServedTimes.Rewrite(list, HourBack);
        ServedTimes.Rewrite(table, HourBack);
        ServedTimes.Rewrite(watched, HourBack);

        Assert.Equal("2026-12-07T11:00:00.499999Z", (string?)list["items"]![0]!["spec"]!["renewTime"]);
        Assert.Equal("2026-12-07T10:59:59Z", (string?)table["rows"]![0]!["object"]!["metadata"]!["creationTimestamp"]);
        Assert.Equal("2026-12-07T10:59:59Z", (string?)watched["object"]!["lastTimestamp"]);
        Assert.Equal("2026-12-07T10:59:59.999999Z", (string?)watched["object"]!["eventTime"]);
        Assert.Equal("2026-12-07T10:59:59.999999Z", (string?)watched["object"]!["series"]!["lastObservedTime"]);
        Assert.Equal("Normal", (string?)watched["object"]!["type"]);
    }

    [Fact]
    public void A_custom_object_has_its_metadata_mapped_and_its_own_fields_left_and_a_patch_is_read_by_the_type_given()
    {
        var custom = JsonNode.Parse("""
            {"apiVersion":"example.com/v1","kind":"Gizmo","metadata":{"name":"g","creationTimestamp":"2026-12-07T12:00:00Z"},"status":{"lastSeen":"2026-12-07T12:00:00Z"}}
            """)!;
        var patch = JsonNode.Parse("""{"status":{"conditions":[{"type":"Ready","lastTransitionTime":"2026-12-07T12:00:00Z"}]}}""")!;

        ServedTimes.Rewrite(custom, HourBack);
        ServedTimes.Rewrite(patch, HourBack, typeof(k8s.Models.V1Deployment));

        Assert.Equal("2026-12-07T10:59:59Z", (string?)custom["metadata"]!["creationTimestamp"]);
        Assert.Equal("2026-12-07T12:00:00Z", (string?)custom["status"]!["lastSeen"]);
        Assert.Equal("2026-12-07T10:59:59Z", (string?)patch["status"]!["conditions"]![0]!["lastTransitionTime"]);
    }

    [Fact]
    public void A_body_of_a_kind_outside_the_catalogue_is_read_by_the_model_it_was_written_from()
    {
        var metrics = JsonNode.Parse("""
            {"apiVersion":"metrics.k8s.io/v1beta1","kind":"NodeMetricsList","metadata":{},"items":[{"metadata":{"name":"n","creationTimestamp":"2026-12-07T12:00:00Z"},"timestamp":"2026-12-07T12:00:00Z","window":"20s","usage":{"cpu":"1"}}]}
            """)!;

        ServedTimes.Rewrite(metrics, HourBack, typeof(k8s.Models.NodeMetricsList));

        Assert.Equal("2026-12-07T10:59:59Z", (string?)metrics["items"]![0]!["timestamp"]);
        Assert.Equal("2026-12-07T10:59:59Z", (string?)metrics["items"]![0]!["metadata"]!["creationTimestamp"]);
        Assert.Equal("20s", (string?)metrics["items"]![0]!["window"]);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(10, 1)]
    public void A_wall_time_a_client_writes_is_read_back_as_written_at_its_precision(long virtualTicks, long wallTicks)
    {
        // The map's wall side is off whole microseconds by 3 ticks, as a wall clock read at an arbitrary instant is.
        var start = new DateTime(2026, 12, 7, 13, 0, 0, DateTimeKind.Utc).Ticks;
        var map = WallTimeMap.Of(new ClockSegment(start, start - (3600 * TimeSpan.TicksPerSecond) + 3, virtualTicks, wallTicks));
        var lease = JsonNode.Parse("""{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"l"},"spec":{"renewTime":"2026-12-07T12:00:07.123457Z","acquireTime":"2026-12-07T12:00:07Z"}}""")!;

        ServedTimes.FromWall(lease, map);
        var stored = lease.ToJsonString();
        ServedTimes.Rewrite(lease, map.ToWall);

        Assert.Contains("13:", stored, StringComparison.Ordinal);
        Assert.Equal("2026-12-07T12:00:07.123457Z", (string?)lease["spec"]!["renewTime"]);
        Assert.Equal("2026-12-07T12:00:07Z", (string?)lease["spec"]!["acquireTime"]);
    }
}
