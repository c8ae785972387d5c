using Keelson.Spec.Model;
using Keelson.Spec.Parsing;

namespace Keelson.Spec.Tests.Parsing;

public sealed class JobQueueParsingTests
{
    // aws-gpu has pools general and gpu-t4 (among others).
    private const string Stack = """
        metadata:
          tenant: quant
        cluster:
          profile: aws-gpu
        queues:
          - name: pipelines
            cohort: research
            queueingStrategy: StrictFIFO
            preemption: {withinQueue: LowerPriority, reclaimWithinCohort: Any}
            flavors:
              - pool: general
                nominal: {cpu: 4, memory: 16Gi}
                borrowingLimit: {cpu: "2"}
          - name: backtests
            flavors:
              - {pool: gpu-t4, nominal: {cpu: 16, memory: 64Gi, gpu: 4}}
        components:
          - name: nightly
            kind: cronjob
            image: example.com/etl:1.0
            schedule: "0 2 * * *"
            queue: pipelines
            priority: 5
          - name: load
            kind: job
            image: example.com/load:1.0
            queue: pipelines
          - name: scaler
            kind: worker
            image: example.com/w:1.0
            queue: {name: pipelines, type: keelson, targetPerReplica: 3}
        """;

    [Fact]
    public void Queues_and_their_references_bind()
    {
        var result = StackParser.Parse(Stack, "stack.yaml");

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var spec = result.Value!;
        Assert.Equal(["pipelines", "backtests"], spec.Queues.Select(q => q.Name));
        var pipelines = spec.Queues[0];
        Assert.Equal("research", pipelines.Cohort);
        Assert.Equal(QueueOrdering.StrictFifo, pipelines.Ordering);
        Assert.Equal(QueuePreemption.LowerPriority, pipelines.WithinQueue);
        Assert.Equal(QueuePreemption.Any, pipelines.ReclaimWithinCohort);
        var general = Assert.Single(pipelines.Flavors);
        Assert.Equal("general", general.Pool);
        Assert.Equal(4000, general.Nominal.Cpu.Value);
        Assert.Equal(16L << 30, general.Nominal.Memory.Bytes);
        Assert.Equal(0, general.Nominal.Gpus);
        Assert.Equal(2000, general.BorrowingLimit!.Cpu.Value);
        Assert.Equal(0, general.BorrowingLimit.Memory.Bytes);
        Assert.Equal(4, spec.Queues[1].Flavors[0].Nominal.Gpus);
        Assert.Null(spec.Queues[1].Flavors[0].BorrowingLimit);
        Assert.Equal(QueueOrdering.BestEffortFifo, spec.Queues[1].Ordering);

        var cron = Assert.IsType<CronJobComponent>(spec.Components[0]);
        Assert.Equal(("pipelines", 5), (cron.Queue, cron.Priority));
        var job = Assert.IsType<JobComponent>(spec.Components[1]);
        Assert.Equal(("pipelines", 0), (job.Queue, job.Priority));
        Assert.Equal(QueueKind.Keelson, Assert.IsType<WorkerComponent>(spec.Components[2]).Queue.Kind);
    }

    [Fact]
    public void Unknown_queue_names_file_line_and_field_path()
    {
        var result = StackParser.Parse(Stack.Replace("    queue: pipelines\n    priority: 5", "    queue: pipeline\n    priority: 5", StringComparison.Ordinal), "stack.yaml");

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.UnknownReference, d.Code);
        Assert.Equal("components[0].queue", d.Path);
        Assert.Equal((22, 12), (d.Line, d.Column));
        Assert.Equal("stack.yaml:22:12: error KS007: components[0].queue: no queue named 'pipeline' (did you mean 'pipelines'?); queues: pipelines, backtests", d.ToString());
    }

    [Fact]
    public void Queue_reference_without_any_queues_says_how_to_declare_one()
    {
        const string yaml = """
            metadata: {tenant: quant}
            components:
              - {name: load, kind: job, image: example.com/load:1.0, queue: batch}
            """;

        var d = Assert.Single(StackParser.Parse(yaml, "s.yaml").Diagnostics);

        Assert.Equal("components[0].queue", d.Path);
        Assert.Equal(3, d.Line);
        Assert.Equal("no queue named 'batch'; the stack declares no queues; add one under 'queues'", d.Message);
    }

    [Fact]
    public void Worker_scaling_on_an_unknown_keelson_queue_is_an_error()
    {
        var d = Assert.Single(StackParser.Parse(Stack.Replace("{name: pipelines, type: keelson", "{name: etl, type: keelson", StringComparison.Ordinal), "s.yaml").Diagnostics);

        Assert.Equal((DiagnosticCodes.UnknownReference, "components[2].queue.name"), (d.Code, d.Path));
        Assert.Equal(31, d.Line);
    }

    [Fact]
    public void Queue_checks_pools_duplicates_borrowing_and_gpus()
    {
        var yaml = Stack
            .Replace("- pool: general\n        nominal: {cpu: 4, memory: 16Gi}", "- pool: genral\n        nominal: {cpu: 4, memory: 16Gi}", StringComparison.Ordinal)
            .Replace("  - name: backtests\n", "  - name: pipelines\n", StringComparison.Ordinal)
            .Replace("{pool: gpu-t4, nominal: {cpu: 16, memory: 64Gi, gpu: 4}}", "{pool: general, nominal: {gpu: 1}, borrowingLimit: {cpu: 1}}", StringComparison.Ordinal);

        var errors = StackParser.Parse(yaml, "s.yaml").Diagnostics.Select(d => (d.Code, d.Path, d.Line)).ToList();

        Assert.Equal(
        [
            (DiagnosticCodes.UnknownReference, "queues[0].flavors[0].pool", 11),
            (DiagnosticCodes.Duplicate, "queues[1].name", 14),
            (DiagnosticCodes.OutOfRange, "queues[1].flavors[0].nominal.gpu", 16),
            (DiagnosticCodes.MissingField, "queues[1].flavors[0].borrowingLimit", 16),
        ], errors);
        Assert.Contains("cluster 'aws-gpu' has no pool 'genral' (did you mean 'general'?)", StackParser.Parse(yaml, "s.yaml").Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Queued_job_cannot_also_pin_a_pool_and_priority_needs_a_queue()
    {
        const string yaml = """
            metadata: {tenant: quant}
            queues:
              - {name: batch, flavors: [{pool: general, nominal: {cpu: 2}}]}
            components:
              - {name: a, kind: job, image: example.com/a:1.0, queue: batch, pool: general}
              - {name: b, kind: job, image: example.com/b:1.0, priority: 3}
            """;

        var errors = StackParser.Parse(yaml, "s.yaml").Diagnostics.Select(d => (d.Code, d.Path)).OrderBy(e => e.Path, StringComparer.Ordinal).ToList();

        Assert.Equal([(DiagnosticCodes.Conflict, "components[0].pool"), (DiagnosticCodes.MissingField, "components[1].priority")], errors);
    }

    [Fact]
    public void Lending_limit_binds_and_needs_a_cohort_and_at_most_nominal()
    {
        const string yaml = """
            metadata: {tenant: quant}
            queues:
              - {name: a, cohort: c, flavors: [{pool: general, nominal: {cpu: 4}, lendingLimit: {cpu: 1}}]}
              - {name: b, flavors: [{pool: general, nominal: {cpu: 4}, lendingLimit: {cpu: 1}}]}
              - {name: d, cohort: c, flavors: [{pool: general, nominal: {cpu: 4}, lendingLimit: {cpu: 5}}]}
            components:
              - {name: j, kind: job, image: example.com/j:1.0, queue: a}
            """;

        var errors = StackParser.Parse(yaml, "s.yaml").Diagnostics.Select(d => (d.Code, d.Path, d.Line)).ToList();
        var valid = StackParser.Parse(yaml.Replace("lendingLimit: {cpu: 5}", "lendingLimit: {cpu: 4}", StringComparison.Ordinal).Replace("  - {name: b, flavors: [{pool: general, nominal: {cpu: 4}, lendingLimit: {cpu: 1}}]}\n", "", StringComparison.Ordinal), "s.yaml");

        Assert.Equal([(DiagnosticCodes.MissingField, "queues[1].flavors[0].lendingLimit", 4), (DiagnosticCodes.OutOfRange, "queues[2].flavors[0].lendingLimit", 5)], errors);
        Assert.True(valid.Succeeded, string.Join("\n", valid.Diagnostics));
        Assert.Equal(1000, valid.Value!.Queues[0].Flavors[0].LendingLimit!.Cpu.Value);
        Assert.Null(valid.Value.Queues[0].Flavors[0].BorrowingLimit);
    }

    [Fact]
    public void A_job_asks_for_GPUs_with_device_and_gpus()
    {
        var yaml = Stack.Replace("    image: example.com/load:1.0\n    queue: pipelines", "    image: example.com/load:1.0\n    queue: backtests\n    device: T4\n    gpus: 2", StringComparison.Ordinal);
        var result = StackParser.Parse(yaml, "stack.yaml");

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var job = Assert.IsType<JobComponent>(result.Value!.Components[1]);
        Assert.Equal((DeviceKind.Gpu, GpuType.T4, 2), (job.Device.Kind, job.Device.Gpu, job.Gpus));
        Assert.Equal(0, Assert.IsType<CronJobComponent>(result.Value.Components[0]).Gpus);
    }

    [Fact]
    public void A_GPU_job_needs_a_queue_flavor_of_its_type_and_a_cpu_job_one_without_GPUs()
    {
        // backtests has only a T4 flavor: a V100 job cannot use it, nor can a CPU job.
        var v100 = StackParser.Parse(Stack.Replace("    image: example.com/load:1.0\n    queue: pipelines", "    image: example.com/load:1.0\n    queue: backtests\n    device: V100", StringComparison.Ordinal), "stack.yaml");
        var d = Assert.Single(v100.Diagnostics);
        Assert.Equal((DiagnosticCodes.UnknownReference, "components[1].device"), (d.Code, d.Path));
        Assert.Equal("queue 'backtests' has no flavor on a pool with V100 GPUs; its flavors: gpu-t4 (T4)", d.Message);

        var cpu = StackParser.Parse(Stack.Replace("    image: example.com/load:1.0\n    queue: pipelines", "    image: example.com/load:1.0\n    queue: backtests", StringComparison.Ordinal), "stack.yaml");
        d = Assert.Single(cpu.Diagnostics);
        Assert.Equal(("components[1].queue", "queue 'backtests' has no flavor on a pool without GPUs for a cpu job; its flavors: gpu-t4 (T4)"), (d.Path, d.Message));

        // A type the cluster has no pool of is named like a model's device, and gpus needs a device.
        var h100 = StackParser.Parse(Stack.Replace("    image: example.com/load:1.0\n    queue: pipelines", "    image: example.com/load:1.0\n    device: H100", StringComparison.Ordinal), "stack.yaml");
        Assert.Contains(h100.Diagnostics, x => x.Path == "components[1].device" && x.Message.StartsWith("cluster 'aws-gpu' has no gpu pool with H100 GPUs; available: T4, V100, L40S", StringComparison.Ordinal));
        var gpus = StackParser.Parse(Stack.Replace("    image: example.com/load:1.0\n    queue: pipelines", "    image: example.com/load:1.0\n    queue: pipelines\n    gpus: 2", StringComparison.Ordinal), "stack.yaml");
        Assert.Contains(gpus.Diagnostics, x => x.Path.StartsWith("components[1]", StringComparison.Ordinal) && x.Message.Contains("device", StringComparison.Ordinal));
    }
}
