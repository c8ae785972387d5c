using Keelson.Spec.Model;
using Keelson.Spec.Parsing;
using Keelson.Testing;

namespace Keelson.Spec.Tests.Parsing;

public sealed class StackParserTests
{
    private const string Valid = """
        metadata:
          tenant: demo
        components:
          - name: api
            kind: service
            image: example.com/api:1.0
          - name: bot
            kind: ai-service
            service: chatbot
            sessions: 10
        """;

    private static IReadOnlyList<Diagnostic> Errors(string yaml)
    {
        var result = StackParser.Parse(yaml, "stack.yaml");
        Assert.False(result.Succeeded);
        Assert.Null(result.Value);
        return result.Diagnostics;
    }

    private static Diagnostic Single(string yaml)
    {
        var errors = Errors(yaml);
        return Assert.Single(errors);
    }

    [Fact]
    public void Valid_stack_binds_defaults()
    {
        var result = StackParser.Parse(Valid, "stack.yaml");

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var spec = result.Value!;
        Assert.Equal("demo", spec.Metadata.Tenant);
        Assert.Equal(DeploymentEnvironment.Dev, spec.Metadata.Environment);
        Assert.Equal(99.9, spec.Sla.AvailabilityPercent);
        Assert.Equal("aws-general", spec.Cluster.Name);
        var api = Assert.IsType<ServiceComponent>(spec.Components[0]);
        Assert.Equal(8080, api.Port);
        var bot = Assert.IsType<AiServiceComponent>(spec.Components[1]);
        Assert.Equal(AiServiceType.Chatbot, bot.Service);
        Assert.Equal(10, bot.Sessions);
        Assert.Equal(DeviceKind.Auto, bot.Device.Kind);
    }

    [Fact]
    public void Unknown_field_is_located_and_suggests_the_closest_name()
    {
        var errors = Errors(Valid.Replace("    sessions: 10", "    sesions: 10", StringComparison.Ordinal));

        // The misspelt field also leaves the component without a size, which is reported too.
        Assert.Equal(2, errors.Count);
        Assert.Equal("components[1]", errors[1].Path);
        var d = errors[0];
        Assert.Equal(DiagnosticCodes.UnknownField, d.Code);
        Assert.Equal((10, 5), (d.Line, d.Column));
        Assert.Equal("components[1].sesions", d.Path);
        Assert.Contains("did you mean 'sessions'?", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Field_of_another_kind_is_unknown_for_this_kind()
    {
        var d = Single(Valid.Replace("    image: example.com/api:1.0", "    image: example.com/api:1.0\n    sessions: 5", StringComparison.Ordinal));

        Assert.Equal("components[0].sessions", d.Path);
        Assert.Equal((7, 5), (d.Line, d.Column));
        Assert.Contains("Allowed here:", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_required_field_points_at_its_parent_mapping()
    {
        var d = Single(Valid.Replace("    image: example.com/api:1.0\n", "", StringComparison.Ordinal));

        Assert.Equal(DiagnosticCodes.MissingField, d.Code);
        Assert.Equal("components[0].image", d.Path);
        Assert.Equal((4, 5), (d.Line, d.Column));
    }

    [Fact]
    public void Quoted_number_is_a_type_error()
    {
        var d = Single(Valid.Replace("sessions: 10", "sessions: \"10\"", StringComparison.Ordinal));

        Assert.Equal(DiagnosticCodes.InvalidValue, d.Code);
        Assert.Equal("components[1].sessions", d.Path);
        Assert.Equal((10, 15), (d.Line, d.Column));
        Assert.Contains("remove the quotes", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Enum_value_out_of_set_lists_the_allowed_values()
    {
        var d = Single(Valid.Replace("service: chatbot", "service: chatbto", StringComparison.Ordinal));

        Assert.Equal(DiagnosticCodes.OutOfRange, d.Code);
        Assert.Equal("components[1].service", d.Path);
        Assert.Equal((9, 14), (d.Line, d.Column));
        Assert.Contains("did you mean 'chatbot'?", d.Message, StringComparison.Ordinal);
        Assert.Contains("callbot, chatbot, advisor", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tenant_must_be_a_dns_label()
    {
        var d = Single(Valid.Replace("tenant: demo", "tenant: Demo_Tenant", StringComparison.Ordinal));

        Assert.Equal("metadata.tenant", d.Path);
        Assert.Equal((2, 11), (d.Line, d.Column));
        Assert.Contains("DNS-1123", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Number_below_minimum_is_out_of_range()
    {
        var d = Single(Valid.Replace("sessions: 10", "sessions: 0", StringComparison.Ordinal));

        Assert.Equal(DiagnosticCodes.OutOfRange, d.Code);
        Assert.Equal("components[1].sessions", d.Path);
        Assert.Equal((10, 15), (d.Line, d.Column));
        Assert.Contains("between 1 and 1000000", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_memory_quantity_is_rejected()
    {
        var d = Single(Valid.Replace("    image: example.com/api:1.0", "    image: example.com/api:1.0\n    resources: {requests: {memory: 512MB}}", StringComparison.Ordinal));

        Assert.Equal("components[0].resources.requests.memory", d.Path);
        Assert.Equal((7, 36), (d.Line, d.Column));
        Assert.Contains("512Mi", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sessions_and_arrivals_cannot_both_be_given()
    {
        var d = Single(Valid.Replace("    sessions: 10", "    sessions: 10\n    arrivalsPerHour: 100\n    handleTimeSeconds: 180", StringComparison.Ordinal));

        Assert.Equal(DiagnosticCodes.Conflict, d.Code);
        Assert.Equal("components[1].arrivalsPerHour", d.Path);
        Assert.Equal((11, 22), (d.Line, d.Column));
    }

    [Fact]
    public void Arrivals_need_a_handle_time()
    {
        var d = Single(Valid.Replace("    sessions: 10", "    arrivalsPerHour: 100", StringComparison.Ordinal));

        Assert.Equal("components[1].arrivalsPerHour", d.Path);
        Assert.Contains("needs 'handleTimeSeconds'", d.Message, StringComparison.Ordinal);
        Assert.Equal((10, 22), (d.Line, d.Column));
    }

    [Fact]
    public void Unknown_dependency_is_reported_with_a_suggestion()
    {
        var d = Single(Valid.Replace("    sessions: 10", "    sessions: 10\n    dependsOn: [apj]", StringComparison.Ordinal));

        Assert.Equal(DiagnosticCodes.UnknownReference, d.Code);
        Assert.Equal("components[1].dependsOn[0]", d.Path);
        Assert.Equal((11, 17), (d.Line, d.Column));
        Assert.Contains("did you mean 'api'?", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_component_name_names_the_first_use()
    {
        var d = Single(Valid.Replace("  - name: bot", "  - name: api", StringComparison.Ordinal));

        Assert.Equal(DiagnosticCodes.Duplicate, d.Code);
        Assert.Equal("components[1].name", d.Path);
        Assert.Equal((7, 11), (d.Line, d.Column));
        Assert.Contains("components[0]", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dependency_cycle_is_reported()
    {
        var yaml = Valid.Replace("    image: example.com/api:1.0", "    image: example.com/api:1.0\n    dependsOn: [bot]", StringComparison.Ordinal)
            .Replace("    sessions: 10", "    sessions: 10\n    dependsOn: [api]", StringComparison.Ordinal);

        var d = Single(yaml);

        Assert.Equal(DiagnosticCodes.Conflict, d.Code);
        Assert.Contains("api -> bot -> api", d.Message, StringComparison.Ordinal);
        Assert.Equal("components[0].dependsOn", d.Path);
        Assert.Equal((7, 16), (d.Line, d.Column));
    }

    [Fact]
    public void Gpu_device_missing_from_the_cluster_is_reported()
    {
        var d = Single(Valid.Replace("    sessions: 10", "    sessions: 10\n    device: L40S", StringComparison.Ordinal));

        Assert.Equal(DiagnosticCodes.UnknownReference, d.Code);
        Assert.Equal("components[1].device", d.Path);
        Assert.Equal((11, 13), (d.Line, d.Column));
        Assert.Contains("aws-general", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Request_above_limit_is_reported()
    {
        var d = Single(Valid.Replace("    image: example.com/api:1.0", "    image: example.com/api:1.0\n    resources: {requests: {cpu: \"2\"}, limits: {cpu: 500m}}", StringComparison.Ordinal));

        Assert.Equal("components[0].resources.requests.cpu", d.Path);
        Assert.Equal((7, 33), (d.Line, d.Column));
        Assert.Contains("exceeds the limit", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_cron_schedule_names_the_field_and_range()
    {
        var yaml = Valid + "\n  - name: nightly\n    kind: cronjob\n    image: example.com/job:1\n    schedule: \"0 25 * * *\"";

        var d = Single(yaml);

        Assert.Equal("components[2].schedule", d.Path);
        Assert.Equal((14, 15), (d.Line, d.Column));
        Assert.Contains("hour field allows 0–23, not 25", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_kind_reports_the_tag_and_still_checks_common_fields()
    {
        var errors = Errors(Valid.Replace("    kind: service\n", "", StringComparison.Ordinal).Replace("name: api", "name: API", StringComparison.Ordinal));

        Assert.Contains(errors, d => d.Path == "components[0].kind" && d.Code == DiagnosticCodes.MissingField);
        Assert.Contains(errors, d => d.Path == "components[0].name" && d.Line == 4 && d.Column == 11);
    }

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var yaml = """
            metadata:
              tenant: Bad
              colour: red
            sla:
              availability: 150%
            components:
              - name: x
                kind: worker
            """;

        var errors = Errors(yaml);

        Assert.Equal(
            ["metadata.tenant", "metadata.colour", "sla.availability", "components[0].image", "components[0].queue"],
            errors.Select(e => e.Path));
    }

    [Fact]
    public void Shape_and_cross_field_errors_come_out_together()
    {
        // components[0] has a shape error, yet its name still counts: components[2] may depend on it,
        // and components[1] reusing the name of components[2] is reported in the same run.
        var yaml = """
            metadata: {tenant: t}
            components:
              - {name: api, kind: service, image: example.com/api:1, port: 70000}
              - {name: db, kind: database, storage: {size: 1Gi}}
              - {name: db, kind: cache, storage: {size: 1Gi}, dependsOn: [api, nope]}
            """;

        var errors = Errors(yaml);

        Assert.Equal(
            [("components[0].port", 3, 64), ("components[2].name", 5, 12), ("components[2].dependsOn[1]", 5, 68)],
            errors.Select(e => (e.Path, e.Line, e.Column)));
    }

    [Fact]
    public void Malformed_yaml_is_a_syntax_error_with_its_position()
    {
        var d = Single("metadata:\n  tenant: demo\n components: [\n");

        Assert.Equal(DiagnosticCodes.Syntax, d.Code);
        Assert.Equal(3, d.Line);
    }

    [Fact]
    public void Duplicate_keys_are_a_syntax_error()
    {
        var d = Single("metadata:\n  tenant: demo\n  tenant: other\ncomponents: []\n");

        Assert.Equal(DiagnosticCodes.Syntax, d.Code);
        Assert.Equal(3, d.Line);
    }

    [Fact]
    public void Json_input_is_accepted_with_the_same_shape()
    {
        const string json = """
            {"metadata": {"tenant": "demo"},
             "sla": {"availability": "99.95%", "responseTime": "150ms"},
             "components": [{"name": "bot", "kind": "ai-service", "service": "callbot", "sessions": 100}]}
            """;

        var result = StackParser.Parse(json, "stack.json");

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(99.95, result.Value!.Sla.AvailabilityPercent);
        Assert.Equal(TimeSpan.FromMilliseconds(150), result.Value.Sla.ResponseTime);
    }

    [Fact]
    public void Diagnostic_prints_in_compiler_form()
    {
        var d = new Diagnostic("KS002", "a.yaml", 3, 5, "sla.x", "unknown field 'x'");

        Assert.Equal("a.yaml:3:5: error KS002: sla.x: unknown field 'x'", d.ToString());
    }

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public async Task Every_example_parses(string path)
    {
        var result = await StackParser.ParseFileAsync(path, CancellationToken.None);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.NotEmpty(result.Value!.Components);
    }

    public static TheoryData<string> ExampleFiles() => [.. Repo.Examples];
}
