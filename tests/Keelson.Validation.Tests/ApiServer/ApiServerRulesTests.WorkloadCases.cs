namespace Keelson.Validation.Tests.ApiServer;

/// <summary>Cases for Deployments, StatefulSets, DaemonSets, Jobs and CronJobs.</summary>
public sealed partial class ApiServerRulesTests
{
    private static string Deployment(string spec) => Doc("apps/v1", "Deployment", "spec:\n" + spec + "\n  template:\n    metadata:\n      labels: {app: web, tier: front}\n    spec:\n      containers: [{name: web, image: \"web:1\"}]");

    private static string CronJob(string spec) => Doc("batch/v1", "CronJob", "spec:\n" + spec + "\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: c, image: \"i:1\"}]");

    private static IEnumerable<Case> WorkloadCases() =>
    [
        new Case("workload-selector-empty", "Deployment", 'X', Deployment("  selector: {matchLabels: {app: web}}"), Deployment("  selector: {matchLabels: {}} #!"), V, "spec.selector"),
        new Case("workload-selector-template", "Deployment", 'X', Deployment("  selector: {matchExpressions: [{key: tier, operator: NotIn, values: [back]}]}"),
            Deployment("  selector: {matchLabels: {app: api}}").Replace("labels: {app: web, tier: front}", "labels: {app: web, tier: front} #!", StringComparison.Ordinal), V, "spec.template.metadata.labels"),
        new Case("workload-selector-requirements", "Deployment", 'X', Deployment("  selector: {matchExpressions: [{key: app, operator: Exists}]}"), Deployment("  selector: {matchExpressions: [{key: app, operator: Exists, values: [web]}]} #!"), V, "spec.selector.matchExpressions[0].values"),
        new Case("replicas", "Deployment", 'S', "replicas: 0", "replicas: -1 #!", V, "spec.replicas"),
        new Case("min-ready-seconds", "StatefulSet", 'S', "minReadySeconds: 10", "minReadySeconds: -10 #!", V, "spec.minReadySeconds"),
        new Case("revision-history-limit", "DaemonSet", 'S', "revisionHistoryLimit: 0", "revisionHistoryLimit: -1 #!", V, "spec.revisionHistoryLimit"),
        new Case("progress-deadline", "Deployment", 'S', "minReadySeconds: 30\nprogressDeadlineSeconds: 60", "minReadySeconds: 900 #!", V, "spec.minReadySeconds"),
        new Case("deployment-recreate-rolling-update", "Deployment", 'S', "strategy: {type: Recreate}", "strategy: {type: Recreate, rollingUpdate: {maxSurge: 1}} #!", V, "spec.strategy.rollingUpdate"),
        new Case("deployment-rolling-update", "Deployment", 'S', "strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0}}", "strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 0%}} #!", V, "spec.strategy.rollingUpdate.maxUnavailable"),
        new Case("daemonset-update-strategy", "DaemonSet", 'S', "updateStrategy: {type: OnDelete}", "updateStrategy: {type: Recreate} #!", V, "spec.updateStrategy.type"),
        new Case("daemonset-rolling-update", "DaemonSet", 'S', "updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 10%}}", "updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 150%}} #!", V, "spec.updateStrategy.rollingUpdate.maxUnavailable"),
        new Case("daemonset-rolling-update", "DaemonSet", 'S', "updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}", "updateStrategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1}} #!", V, "spec.updateStrategy.rollingUpdate.maxSurge"),
        new Case("daemonset-rolling-update", "DaemonSet", 'S', "updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1, maxSurge: 0}}", "updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0%}} #!", V, "spec.updateStrategy.rollingUpdate.maxUnavailable"),
        new Case("deployment-rolling-update", "Deployment", 'S', "strategy: {rollingUpdate: {maxUnavailable: 100%, maxSurge: 200%}}", "strategy: {rollingUpdate: {maxUnavailable: 25%, maxSurge: -1}} #!", V, "spec.strategy.rollingUpdate.maxSurge"),
        new Case("statefulset-pod-management", "StatefulSet", 'S', "podManagementPolicy: Parallel", "podManagementPolicy: parallel #!", V, "spec.podManagementPolicy"),
        new Case("statefulset-update-strategy", "StatefulSet", 'S', "updateStrategy: {type: OnDelete}", "updateStrategy: {type: Rolling} #!", V, "spec.updateStrategy.type"),
        new Case("statefulset-on-delete-rolling-update", "StatefulSet", 'S', "updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 2}}", "updateStrategy: {type: OnDelete, rollingUpdate: {partition: 2}} #!", V, "spec.updateStrategy.rollingUpdate"),
        new Case("statefulset-partition", "StatefulSet", 'S', "updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 0}}", "updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: -1}} #!", V, "spec.updateStrategy.rollingUpdate.partition"),
        new Case("statefulset-ordinals-start", "StatefulSet", 'S', "ordinals: {start: 1}", "ordinals: {start: -1} #!", V, "spec.ordinals.start"),
        new Case("statefulset-pvc-retention-deleted", "StatefulSet", 'S', "persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete}", "persistentVolumeClaimRetentionPolicy: {whenDeleted: Keep} #!", V, "spec.persistentVolumeClaimRetentionPolicy.whenDeleted"),
        new Case("statefulset-pvc-retention-scaled", "StatefulSet", 'S', "persistentVolumeClaimRetentionPolicy: {whenScaled: Retain}", "persistentVolumeClaimRetentionPolicy: {whenScaled: delete} #!", V, "spec.persistentVolumeClaimRetentionPolicy.whenScaled"),
    ];

    private static IEnumerable<Case> JobCases() =>
    [
        .. ((string[])["parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished"])
            .Select(f => new Case($"job-{f}", "Job", 'S', $"{f}: 0", $"{f}: -1 #!", V, $"spec.{f}")),
        new Case("job-backoffLimitPerIndex", "Job", 'S', "completionMode: Indexed\ncompletions: 3\nbackoffLimitPerIndex: 1", "completionMode: Indexed\ncompletions: 3\nbackoffLimitPerIndex: -1 #!", V, "spec.backoffLimitPerIndex"),
        new Case("job-maxFailedIndexes", "Job", 'S', "completionMode: Indexed\ncompletions: 3\nbackoffLimitPerIndex: 1\nmaxFailedIndexes: 1", "completionMode: Indexed\ncompletions: 3\nbackoffLimitPerIndex: 1\nmaxFailedIndexes: -1 #!", V, "spec.maxFailedIndexes"),
        new Case("job-completion-mode", "Job", 'S', "completionMode: NonIndexed", "completionMode: indexed #!", V, "spec.completionMode"),
        new Case("job-indexed-completions", "Job", 'S', "completionMode: Indexed\ncompletions: 5", "completionMode: Indexed #!", R, "spec.completions"),
        new Case("job-per-index-needs-indexed", "Job", 'S', "completionMode: Indexed\ncompletions: 5\nbackoffLimitPerIndex: 2", "completions: 5\nbackoffLimitPerIndex: 2 #!", V, "spec.backoffLimitPerIndex"),
        new Case("job-max-failed-indexes-needs-backoff", "Job", 'S', "completionMode: Indexed\ncompletions: 5\nbackoffLimitPerIndex: 2\nmaxFailedIndexes: 2", "completionMode: Indexed #!\ncompletions: 5\nmaxFailedIndexes: 2", R, "spec.backoffLimitPerIndex"),
        new Case("job-pod-failure-policy-restart", "Job", 'X', Doc("batch/v1", "Job", "spec:\n  podFailurePolicy: {rules: [{action: FailJob, onExitCodes: {operator: In, values: [42]}}]}\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: \"i:1\"}]"),
            Doc("batch/v1", "Job", "spec:\n  podFailurePolicy: {rules: [{action: FailJob, onExitCodes: {operator: In, values: [42]}}]}\n  template:\n    spec:\n      restartPolicy: OnFailure #!\n      containers: [{name: c, image: \"i:1\"}]"), V, "spec.template.spec.restartPolicy"),
        new Case("job-pod-replacement-policy", "Job", 'S', "podReplacementPolicy: Failed", "podReplacementPolicy: Never #!", V, "spec.podReplacementPolicy"),
        new Case("job-selector-manual", "Job", 'S', "manualSelector: true\nselector: {matchLabels: {app: once}}\ntemplate:\n  metadata: {labels: {app: once}}\n  spec: {restartPolicy: Never, containers: [{name: c, image: \"i:1\"}]}", "selector: {matchLabels: {app: once}} #!", V, "spec.selector") with { Kind = "JobBare" },
        new Case("job-selector-template", "Job", 'S', "manualSelector: true\nselector: {matchLabels: {app: once}}\ntemplate:\n  metadata: {labels: {app: once}}\n  spec: {restartPolicy: Never, containers: [{name: c, image: \"i:1\"}]}",
            "manualSelector: true\nselector: {matchLabels: {app: once}}\ntemplate:\n  metadata: {labels: {app: twice}} #!\n  spec: {restartPolicy: Never, containers: [{name: c, image: \"i:1\"}]}", V, "spec.template.metadata.labels") with { Kind = "JobBare" },
        new Case("cronjob-job-selector", "CronJob", 'X', CronJob("  schedule: \"0 * * * *\""), CronJob("  schedule: \"0 * * * *\"")
            .Replace("  jobTemplate:\n    spec:\n", "  jobTemplate:\n    spec:\n      selector: {matchLabels: {a: b}} #!\n", StringComparison.Ordinal), V, "spec.jobTemplate.spec.selector"),
        new Case("cronjob-manual-selector", "CronJob", 'X', CronJob("  schedule: \"0 * * * *\""), CronJob("  schedule: \"0 * * * *\"").Replace("  jobTemplate:\n    spec:\n", "  jobTemplate:\n    spec:\n      manualSelector: true #!\n", StringComparison.Ordinal), V, "spec.jobTemplate.spec.manualSelector"),
        new Case("cronjob-schedule", "CronJob", 'S', "schedule: \"*/5 9-17 * JAN-jun MON-FRI\"", "schedule: \"0 24 * * *\" #!", V, "spec.schedule"),
        new Case("cronjob-time-zone", "CronJob", 'S', "schedule: \"@daily\"\ntimeZone: Europe/Paris", "schedule: \"@daily\"\ntimeZone: Europe/Pariss #!", V, "spec.timeZone"),
        new Case("cronjob-starting-deadline", "CronJob", 'S', "schedule: \"@hourly\"\nstartingDeadlineSeconds: 0", "schedule: \"@hourly\"\nstartingDeadlineSeconds: -60 #!", V, "spec.startingDeadlineSeconds"),
        new Case("cronjob-successful-history", "CronJob", 'S', "schedule: \"@hourly\"\nsuccessfulJobsHistoryLimit: 0", "schedule: \"@hourly\"\nsuccessfulJobsHistoryLimit: -1 #!", V, "spec.successfulJobsHistoryLimit"),
        new Case("cronjob-failed-history", "CronJob", 'S', "schedule: \"@hourly\"\nfailedJobsHistoryLimit: 1", "schedule: \"@hourly\"\nfailedJobsHistoryLimit: -1 #!", V, "spec.failedJobsHistoryLimit"),
    ];
}
