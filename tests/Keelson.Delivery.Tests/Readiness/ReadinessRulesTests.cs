using k8s.Models;
using Keelson.Delivery.Readiness;

namespace Keelson.Delivery.Tests.Readiness;

public class ReadinessRulesTests
{
    [Fact]
    public void Deployment_waits_for_the_new_generation_to_be_observed()
    {
        var d = Deployment(replicas: 3, generation: 2, observed: 1, updated: 3, available: 3, total: 3);
        Assert.Equal(ReadinessState.InProgress, ReadinessRules.Of(d).State);
    }

    [Fact]
    public void Deployment_waits_for_old_replicas_to_go()
    {
        var d = Deployment(replicas: 3, generation: 2, observed: 2, updated: 3, available: 3, total: 4);
        var readiness = ReadinessRules.Of(d);
        Assert.Equal(ReadinessState.InProgress, readiness.State);
        Assert.Equal("1 old replicas are pending termination", readiness.Message);
    }

    [Fact]
    public void Deployment_is_ready_when_all_replicas_are_updated_and_available()
    {
        var d = Deployment(replicas: 3, generation: 2, observed: 2, updated: 3, available: 3, total: 3);
        Assert.Equal(ReadinessState.Ready, ReadinessRules.Of(d).State);
    }

    [Fact]
    public void Deployment_past_its_progress_deadline_has_failed()
    {
        var d = Deployment(replicas: 3, generation: 2, observed: 2, updated: 1, available: 0, total: 3);
        d.Status.Conditions = [new V1DeploymentCondition { Type = "Progressing", Status = "False", Reason = "ProgressDeadlineExceeded", Message = "timed out" }];
        Assert.Equal(ReadinessState.Failed, ReadinessRules.Of(d).State);
    }

    [Fact]
    public void Job_is_ready_when_complete_and_failed_when_failed()
    {
        var job = new V1Job { Metadata = new V1ObjectMeta { Name = "j" }, Status = new V1JobStatus { Succeeded = 1, Conditions = [new V1JobCondition { Type = "Complete", Status = "True" }] } };
        Assert.Equal(ReadinessState.Ready, ReadinessRules.Of(job).State);
        job.Status.Conditions = [new V1JobCondition { Type = "Failed", Status = "True", Reason = "BackoffLimitExceeded" }];
        Assert.Equal(ReadinessState.Failed, ReadinessRules.Of(job).State);
    }

    [Fact]
    public void Queued_job_is_ready_while_it_waits_or_runs_but_its_failure_still_fails()
    {
        var job = new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "j", Labels = new Dictionary<string, string> { ["keelson.dev/queue"] = "etl" } },
            Spec = new V1JobSpec { Suspend = true },
        };
        Assert.Equal((ReadinessState.Ready, "suspended, waiting for admission in queue etl"), (ReadinessRules.Of(job).State, ReadinessRules.Of(job).Message));
        job.Spec.Suspend = false;
        job.Status = new V1JobStatus { Active = 1 };
        Assert.Equal((ReadinessState.Ready, "admitted from queue etl, running"), (ReadinessRules.Of(job).State, ReadinessRules.Of(job).Message));
        job.Status.Conditions = [new V1JobCondition { Type = "Failed", Status = "True", Reason = "DeadlineExceeded" }];
        Assert.Equal(ReadinessState.Failed, ReadinessRules.Of(job).State);
        job.Metadata.Labels.Clear();
        job.Status = new V1JobStatus { Active = 1 };
        Assert.Equal(ReadinessState.InProgress, ReadinessRules.Of(job).State);
    }

    [Fact]
    public void Service_with_a_selector_needs_a_ready_endpoint_but_one_without_does_not()
    {
        var service = new V1Service { Metadata = new V1ObjectMeta { Name = "s" }, Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "s" } } };
        Assert.Equal(ReadinessState.InProgress, ReadinessRules.Of(service, null).State);
        var endpoints = new V1Endpoints { Subsets = [new V1EndpointSubset { Addresses = [new V1EndpointAddress { Ip = "10.0.0.1" }] }] };
        Assert.Equal(ReadinessState.Ready, ReadinessRules.Of(service, endpoints).State);
        service.Spec.Selector = null;
        Assert.Equal(ReadinessState.Ready, ReadinessRules.Of(service, null).State);
    }

    private static V1Deployment Deployment(int replicas, long generation, long observed, int updated, int available, int total) => new()
    {
        Metadata = new V1ObjectMeta { Name = "d", Generation = generation },
        Spec = new V1DeploymentSpec { Replicas = replicas },
        Status = new V1DeploymentStatus { ObservedGeneration = observed, UpdatedReplicas = updated, AvailableReplicas = available, Replicas = total },
    };
}
