using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Keelson.Rendering.Crds;
using Keelson.Sandbox.Server.Protobuf;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Server.Resources;
using Apps = K8S.Io.Api.Apps.V1;
using Core = K8S.Io.Api.Core.V1;
using Meta = K8S.Io.Apimachinery.Pkg.Apis.Meta.V1;
using Policy = K8S.Io.Api.Policy.V1;
using Runtime = K8S.Io.Apimachinery.Pkg.Runtime;

namespace Keelson.Sandbox.Server.Tests.Protobuf;

public sealed class KubernetesProtobufTests
{
    // Keelson's CRDs, and apiextensions.k8s.io itself: its types live in apiextensions-apiserver, whose .proto files
    // are not among the generated ones (k8s.io/api and apimachinery), so CustomResourceDefinitions are JSON only.
    private static readonly string[] CustomGroupVersions = [ServiceMonitor.Version, SparkApplication.Version, ScaledObject.Version, "apiextensions.k8s.io/v1"];

    public static TheoryData<string> Kinds => [.. ProtobufSamples.ByKind.Keys];

    [Fact]
    public void Every_served_built_in_kind_has_a_round_trip_sample_and_a_schema()
    {
        var builtIn = ResourceCatalog.All.Where(r => !CustomGroupVersions.Contains(r.ApiVersion)).ToList();
        Assert.Equal(29, builtIn.Count);
        Assert.All(builtIn, r => Assert.True(ProtobufSamples.ByKind.ContainsKey(r.Kind), $"no sample for {r.Kind}"));
        Assert.All(builtIn, r => Assert.NotNull(KubernetesTypes.Find(r.ApiVersion, r.Kind)));
        Assert.All(builtIn, r => Assert.NotNull(KubernetesTypes.Find(r.ApiVersion, r.Kind + "List")));
    }

    [Fact]
    public void An_autoscaling_v1_autoscaler_survives_the_trip_through_protobuf()
    {
        // Served beside autoscaling/v2 (kubectl autoscale writes v1), so it has a sample of its own.
        var json = JsonNode.Parse("""
            {"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"web","namespace":"shop"},
             "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":2,"maxReplicas":5,"targetCPUUtilizationPercentage":70},
             "status":{"currentReplicas":2,"desiredReplicas":2,"currentCPUUtilizationPercentage":40}}
            """)!.AsObject();

        var body = KubernetesProtobuf.Encode(json, rejectUnknown: true);

        Assert.Equal(CanonicalJson.Of(json), CanonicalJson.Of(KubernetesProtobuf.Decode(body)));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Json_to_protobuf_to_json_gives_the_same_object(string kind)
    {
        var json = JsonNode.Parse(ProtobufSamples.ByKind[kind])!.AsObject();

        var body = KubernetesProtobuf.Encode(json, rejectUnknown: true);

        Assert.True(KubernetesProtobuf.IsEnvelope(body));
        Assert.Equal(CanonicalJson.Of(json), CanonicalJson.Of(KubernetesProtobuf.Decode(body)));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_KubernetesClient_model_survives_the_trip_through_protobuf(string kind)
    {
        var resource = ResourceCatalog.All.First(r => r.Kind == kind);
        var model = ApiJson.ToModel(JsonNode.Parse(ProtobufSamples.ByKind[kind])!, resource.ModelType);
        var json = ApiJson.ToNode(model, resource.ApiVersion, kind);

        var decoded = KubernetesProtobuf.Decode(KubernetesProtobuf.Encode(json, rejectUnknown: true));

        Assert.Equal(CanonicalJson.Of(json), CanonicalJson.Of(ApiJson.ToNode(ApiJson.ToModel(decoded, resource.ModelType), resource.ApiVersion, kind)));
    }

    [Fact]
    public void Secret_data_travels_as_raw_bytes_and_returns_as_the_same_base64()
    {
        var json = JsonNode.Parse(ProtobufSamples.ByKind["Secret"])!.AsObject();

        var secret = Core.Secret.Parser.ParseFrom(Unwrap(KubernetesProtobuf.Encode(json)).Raw);

        Assert.Equal("p@ss:w0rd/ü", secret.Data["password"].ToStringUtf8());
        Assert.Equal([0, 1, 2, 253, 254, 255], secret.Data["blob"].ToByteArray());
        Assert.Equal("cEBzczp3MHJkL8O8", (string?)KubernetesProtobuf.Decode(KubernetesProtobuf.Encode(json))["data"]!["password"]);
    }

    [Fact]
    public void Quantity_IntOrString_and_Time_reach_the_message_as_their_Go_wire_forms()
    {
        var json = JsonNode.Parse(ProtobufSamples.ByKind["Deployment"])!.AsObject();

        var deployment = Apps.Deployment.Parser.ParseFrom(Unwrap(KubernetesProtobuf.Encode(json)).Raw);

        Assert.Equal(1, deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.Type);
        Assert.Equal("25%", deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.StrVal);
        Assert.Equal(0, deployment.Spec.Strategy.RollingUpdate.MaxSurge.Type);
        Assert.Equal(1, deployment.Spec.Strategy.RollingUpdate.MaxSurge.IntVal);
        Assert.Equal("250m", deployment.Spec.Template.Spec.Containers[0].Resources.Requests["cpu"].String);
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), deployment.Metadata.CreationTimestamp.Seconds);
        Assert.True(deployment.Spec.HasReplicas);
        Assert.Equal(0, deployment.Spec.Replicas);
        Assert.Equal("""{"f:metadata":{"f:labels":{".":{},"f:app":{}}}}""", deployment.Metadata.ManagedFields[0].FieldsV1.Raw.ToStringUtf8());
    }

    [Fact]
    public void Micro_time_keeps_its_microseconds()
    {
        var json = JsonNode.Parse(ProtobufSamples.ByKind["Event"])!.AsObject();

        var evt = Core.Event.Parser.ParseFrom(Unwrap(KubernetesProtobuf.Encode(json)).Raw);

        Assert.Equal(123_456_000, evt.EventTime.Nanos);
        Assert.Equal("2026-01-05T10:00:02.123456Z", (string?)KubernetesProtobuf.Decode(KubernetesProtobuf.Encode(json))["eventTime"]);
    }

    [Fact]
    public void A_zero_time_written_by_Go_as_an_empty_message_is_left_out()
    {
        // Go marshals a zero metav1.Time to no bytes, so kubectl's bodies carry an empty creationTimestamp.
        var ns = new Core.Namespace { Metadata = new Meta.ObjectMeta { Name = "shop", GenerateName = "", CreationTimestamp = new Meta.Time() }, Spec = new(), Status = new Core.NamespaceStatus { Phase = "" } };

        var json = KubernetesProtobuf.Decode(Wrap("v1", "Namespace", ns));

        Assert.Equal("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop"},"spec":{},"status":{}}""", json.ToJsonString());
    }

    [Fact]
    public void An_eviction_body_decodes_to_the_json_the_eviction_subresource_reads()
    {
        var eviction = new Policy.Eviction
        {
            Metadata = new Meta.ObjectMeta { Name = "web-1", Namespace = "shop" },
            DeleteOptions = new Meta.DeleteOptions { GracePeriodSeconds = 0, Preconditions = new Meta.Preconditions { Uid = "u-1" } },
        };

        var json = KubernetesProtobuf.Decode(Wrap("policy/v1", "Eviction", eviction));

        Assert.Equal(
            """{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"web-1","namespace":"shop"},"deleteOptions":{"gracePeriodSeconds":0,"preconditions":{"uid":"u-1"}}}""",
            json.ToJsonString());
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("apps/v1")]
    [InlineData("meta.k8s.io/v1")]
    public void Delete_options_decode_in_every_group_version_as_the_API_server_registers_them(string apiVersion)
    {
        var options = new Meta.DeleteOptions { GracePeriodSeconds = 5, PropagationPolicy = "Foreground" };
        options.DryRun.Add("All");

        var json = KubernetesProtobuf.Decode(Wrap(apiVersion, "DeleteOptions", options));

        Assert.Equal(5, (long)json["gracePeriodSeconds"]!);
        Assert.Equal("Foreground", (string?)json["propagationPolicy"]);
        Assert.Equal("All", (string?)json["dryRun"]![0]);
    }

    [Fact]
    public void A_body_of_a_type_without_a_schema_is_refused_naming_the_type()
    {
        var error = Assert.Throws<UnknownKubernetesTypeException>(() => KubernetesProtobuf.Decode(Wrap("monitoring.coreos.com/v1", "ServiceMonitor", new Core.ConfigMap())));

        Assert.Contains("monitoring.coreos.com/v1/ServiceMonitor", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_body_without_the_magic_is_a_format_error()
    {
        var error = Assert.Throws<KubernetesProtobufFormatException>(() => KubernetesProtobuf.Decode("{\"kind\":\"Pod\"}"u8));

        Assert.Contains("magic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrongly_typed_value_is_refused_with_its_field_path()
    {
        var json = JsonNode.Parse(Objects.Deployment("web"))!.AsObject();
        json["spec"]!["replicas"] = "two";

        var error = Assert.Throws<KubernetesProtobufFormatException>(() => KubernetesProtobuf.Encode(json));

        Assert.StartsWith("spec.replicas: expected an integer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_the_schema_lacks_is_refused_when_strict_and_dropped_otherwise()
    {
        var json = JsonNode.Parse(Objects.ConfigMap("a", "web"))!.AsObject();
        json["metadata"]!["colour"] = "blue";

        Assert.Contains("metadata.colour", Assert.Throws<KubernetesProtobufFormatException>(() => KubernetesProtobuf.Encode(json, rejectUnknown: true)).Message, StringComparison.Ordinal);
        Assert.Null(KubernetesProtobuf.Decode(KubernetesProtobuf.Encode(json))["metadata"]!["colour"]);
    }

    private static Runtime.Unknown Unwrap(byte[] body) => Runtime.Unknown.Parser.ParseFrom(body.AsSpan(4));

    private static byte[] Wrap(string apiVersion, string kind, IMessage message) =>
        [.. "k8s\0"u8, .. new Runtime.Unknown { TypeMeta = new Runtime.TypeMeta { ApiVersion = apiVersion, Kind = kind }, Raw = message.ToByteString() }.ToByteArray()];
}
