namespace Keelson.Validation.Tests.ApiServer;

/// <summary>Cases for HPAs, PDBs and RBAC, and the list of every case.</summary>
public sealed partial class ApiServerRulesTests
{
    private static readonly List<Case> All =
        [.. ContainerCases(), .. PodSpecCases(), .. SchedulingCases(), .. VolumeCases(), .. WorkloadCases(), .. JobCases(), .. ServiceCases(), .. ObjectCases(), .. PolicyCases()];

    private const string CpuMetric = "  metrics:\n  - type: Resource\n    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}";

    private static IEnumerable<Case> PolicyCases() =>
    [
        new("hpa-max-replicas", "HorizontalPodAutoscaler", 'X', Hpa(""), Hpa("").Replace("maxReplicas: 5", "maxReplicas: 0 #!", StringComparison.Ordinal), V, "spec.maxReplicas"),
        new("hpa-min-replicas", "HorizontalPodAutoscaler", 'X', Hpa("  minReplicas: 1"), Hpa("  minReplicas: 0 #!"), V, "spec.minReplicas"),
        new("hpa-min-above-max", "HorizontalPodAutoscaler", 'X', Hpa("  minReplicas: 5"), Hpa("  minReplicas: 6").Replace("maxReplicas: 5", "maxReplicas: 5 #!", StringComparison.Ordinal), V, "spec.maxReplicas"),
        new("hpa-target-kind", "HorizontalPodAutoscaler", 'X', Hpa(""), Hpa("").Replace("{apiVersion: apps/v1, kind: Deployment, name: web}", "{apiVersion: apps/v1, name: web} #!", StringComparison.Ordinal), R, "spec.scaleTargetRef.kind"),
        new("hpa-target-name", "HorizontalPodAutoscaler", 'X', Hpa(""), Hpa("").Replace("{apiVersion: apps/v1, kind: Deployment, name: web}", "{apiVersion: apps/v1, kind: Deployment} #!", StringComparison.Ordinal), R, "spec.scaleTargetRef.name"),
        new("hpa-target-name-syntax", "HorizontalPodAutoscaler", 'X', Hpa(""), Hpa("").Replace("name: web}", "name: web/v2} #!", StringComparison.Ordinal), N, "spec.scaleTargetRef.name"),
        new("hpa-metric-type", "HorizontalPodAutoscaler", 'X', Hpa(CpuMetric), Hpa("  metrics:\n  - resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}} #!"), R, "spec.metrics[0].type"),
        new("hpa-metric-type-value", "HorizontalPodAutoscaler", 'X', Hpa(CpuMetric), Hpa("  metrics:\n  - type: Resources #!\n    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}"), V, "spec.metrics[0].type"),
        new("hpa-metric-source", "HorizontalPodAutoscaler", 'X', Hpa(CpuMetric), Hpa("  metrics:\n  - type: Pods #!\n    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}"), V, "spec.metrics[0].pods"),
        new("hpa-metric-target", "HorizontalPodAutoscaler", 'X', Hpa(CpuMetric), Hpa("  metrics:\n  - type: Resource\n    resource: {name: cpu, target: {type: Utilization, averageUtilization: 0}} #!"), V, "spec.metrics[0].resource.target.averageUtilization"),
        new("hpa-resource-name", "HorizontalPodAutoscaler", 'X', Hpa(CpuMetric), Hpa("  metrics:\n  - type: Resource\n    resource: {target: {type: Utilization, averageUtilization: 70}} #!"), R, "spec.metrics[0].resource.name"),
        new("hpa-container-resource-name", "HorizontalPodAutoscaler", 'X', Hpa("  metrics:\n  - type: ContainerResource\n    containerResource: {name: cpu, container: app, target: {type: Utilization, averageUtilization: 60}}"),
            Hpa("  metrics:\n  - type: ContainerResource\n    containerResource: {container: app, target: {type: Utilization, averageUtilization: 60}} #!"), R, "spec.metrics[0].containerResource.name"),
        new("hpa-container-resource-container", "HorizontalPodAutoscaler", 'X', Hpa("  metrics:\n  - type: ContainerResource\n    containerResource: {name: memory, container: app, target: {type: AverageValue, averageValue: 500Mi}}"),
            Hpa("  metrics:\n  - type: ContainerResource\n    containerResource: {name: memory, target: {type: AverageValue, averageValue: 500Mi}} #!"), R, "spec.metrics[0].containerResource.container"),
        new("hpa-pods-metric-name", "HorizontalPodAutoscaler", 'X', Hpa("  metrics:\n  - type: Pods\n    pods: {metric: {name: queue_depth}, target: {type: AverageValue, averageValue: \"10\"}}"),
            Hpa("  metrics:\n  - type: Pods\n    pods: {metric: {selector: {}}, target: {type: AverageValue, averageValue: \"10\"}} #!"), R, "spec.metrics[0].pods.metric.name"),
        new("hpa-object-metric-name", "HorizontalPodAutoscaler", 'X', Hpa("  metrics:\n  - type: Object\n    object: {describedObject: {apiVersion: v1, kind: Service, name: web}, metric: {name: rps}, target: {type: Value, value: \"100\"}}"),
            Hpa("  metrics:\n  - type: Object\n    object: {describedObject: {apiVersion: v1, kind: Service, name: web}, metric: {selector: {}}, target: {type: Value, value: \"100\"}} #!"), R, "spec.metrics[0].object.metric.name"),
        new("hpa-external-metric-name", "HorizontalPodAutoscaler", 'X', Hpa("  metrics:\n  - type: External\n    external: {metric: {name: sqs_depth}, target: {type: AverageValue, averageValue: \"30\"}}"),
            Hpa("  metrics:\n  - type: External\n    external: {metric: {selector: {}}, target: {type: AverageValue, averageValue: \"30\"}} #!"), R, "spec.metrics[0].external.metric.name"),
        new("hpa-object-described-kind", "HorizontalPodAutoscaler", 'X', Hpa("  metrics:\n  - type: Object\n    object: {describedObject: {apiVersion: v1, kind: Service, name: web}, metric: {name: rps}, target: {type: Value, value: \"100\"}}"),
            Hpa("  metrics:\n  - type: Object\n    object: {describedObject: {apiVersion: v1, name: web}, metric: {name: rps}, target: {type: Value, value: \"100\"}} #!"), R, "spec.metrics[0].object.describedObject.kind"),
        new("hpa-object-described-name", "HorizontalPodAutoscaler", 'X', Hpa("  metrics:\n  - type: Object\n    object: {describedObject: {apiVersion: v1, kind: Service, name: web}, metric: {name: rps}, target: {type: Value, value: \"100\"}}"),
            Hpa("  metrics:\n  - type: Object\n    object: {describedObject: {apiVersion: v1, kind: Service}, metric: {name: rps}, target: {type: Value, value: \"100\"}} #!"), R, "spec.metrics[0].object.describedObject.name"),
        .. ((string[])["scaleUp", "scaleDown"]).SelectMany(BehaviorCases),
        new("pdb-min-and-max", "PodDisruptionBudget", 'X', Pdb("  maxUnavailable: 1"), Pdb("  minAvailable: 1\n  maxUnavailable: 1 #!"), V, "spec.maxUnavailable"),
        new("pdb-min-available", "PodDisruptionBudget", 'X', Pdb("  minAvailable: 50%"), Pdb("  minAvailable: 150% #!"), V, "spec.minAvailable"),
        new("pdb-max-unavailable", "PodDisruptionBudget", 'X', Pdb("  maxUnavailable: 0"), Pdb("  maxUnavailable: -1 #!"), V, "spec.maxUnavailable"),
        new("pdb-selector", "PodDisruptionBudget", 'X', Pdb("  maxUnavailable: 1"), Pdb("  maxUnavailable: 1").Replace("{matchLabels: {app: web}}", "{matchExpressions: [{key: app, operator: in, values: [web]}]} #!", StringComparison.Ordinal), V, "spec.selector.matchExpressions[0].operator"),
        new("pdb-unhealthy-pod-eviction-policy", "PodDisruptionBudget", 'X', Pdb("  maxUnavailable: 1\n  unhealthyPodEvictionPolicy: AlwaysAllow"), Pdb("  maxUnavailable: 1\n  unhealthyPodEvictionPolicy: Always #!"), V, "spec.unhealthyPodEvictionPolicy"),
        new("rbac-rule-verbs", "Role", 'X', Role("Role", "- {apiGroups: [apps], resources: [deployments], verbs: [get, list]}"), Role("Role", "- {apiGroups: [apps], resources: [deployments], verbs: []} #!"), R, "rules[0].verbs"),
        new("rbac-rule-resources", "Role", 'X', Role("Role", "- {apiGroups: [\"\"], resources: [configmaps], verbs: [get]}"), Role("Role", "- {resources: [configmaps], verbs: [get]} #!"), R, "rules[0].apiGroups"),
        new("rbac-rule-non-resource", "ClusterRole", 'X', Role("ClusterRole", "- {nonResourceURLs: [/healthz], verbs: [get]}"), Role("Role", "- {nonResourceURLs: [/healthz], verbs: [get]} #!"), V, "rules[0].nonResourceURLs"),
        new("rbac-role-ref-name", "RoleBinding", 'X', Binding("RoleBinding", RoleRef), Binding("RoleBinding", "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole} #!"), R, "roleRef.name"),
        new("rbac-role-ref-group", "RoleBinding", 'X', Binding("RoleBinding", RoleRef), Binding("RoleBinding", "roleRef: {apiGroup: rbac.authorization.k8s.io/v1, kind: ClusterRole, name: view} #!"), V, "roleRef.apiGroup"),
        new("rbac-role-ref-kind", "ClusterRoleBinding", 'X', Binding("ClusterRoleBinding", RoleRef), Binding("ClusterRoleBinding", "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: view} #!"), V, "roleRef.kind"),
        new("rbac-role-ref-name-syntax", "RoleBinding", 'X', Binding("RoleBinding", "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: \"system:view\"}"), Binding("RoleBinding", "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: \"..\"} #!"), N, "roleRef.name"),
        new("rbac-subject-name", "RoleBinding", 'X', Binding("RoleBinding", RoleRef + "\nsubjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: jane}]"), Binding("RoleBinding", RoleRef + "\nsubjects: [{kind: User, apiGroup: rbac.authorization.k8s.io}] #!"), R, "subjects[0].name"),
        new("rbac-subject-kind", "RoleBinding", 'X', Binding("RoleBinding", RoleRef + "\nsubjects: [{kind: Group, apiGroup: rbac.authorization.k8s.io, name: devs}]"), Binding("RoleBinding", RoleRef + "\nsubjects: [{kind: Team, apiGroup: rbac.authorization.k8s.io, name: devs}] #!"), V, "subjects[0].kind"),
        new("rbac-subject", "ClusterRoleBinding", 'X', Binding("ClusterRoleBinding", RoleRef + "\nsubjects: [{kind: ServiceAccount, name: app, namespace: shop}]"), Binding("ClusterRoleBinding", RoleRef + "\nsubjects: [{kind: ServiceAccount, name: app}] #!"), V, "subjects[0].namespace"),
    ];

    private static IEnumerable<Case> BehaviorCases(string direction)
    {
        string Behavior(string body) => Hpa($"  behavior:\n    {direction}:\n      {body}");
        var at = $"spec.behavior.{direction}";
        return
        [
            new($"hpa-{direction}-select-policy", "HorizontalPodAutoscaler", 'X', Behavior("selectPolicy: Disabled"), Behavior("selectPolicy: Maximum #!"), V, at + ".selectPolicy"),
            new($"hpa-{direction}-stabilization", "HorizontalPodAutoscaler", 'X', Behavior("stabilizationWindowSeconds: 300"), Behavior("stabilizationWindowSeconds: 7200 #!"), V, at + ".stabilizationWindowSeconds"),
            new($"hpa-{direction}-policy-type", "HorizontalPodAutoscaler", 'X', Behavior("policies: [{type: Percent, value: 50, periodSeconds: 60}]"), Behavior("policies: [{type: Percentage, value: 50, periodSeconds: 60}] #!"), V, at + ".policies[0].type"),
            new($"hpa-{direction}-policy-value", "HorizontalPodAutoscaler", 'X', Behavior("policies: [{type: Pods, value: 4, periodSeconds: 60}]"), Behavior("policies: [{type: Pods, value: 0, periodSeconds: 60}] #!"), V, at + ".policies[0].value"),
            new($"hpa-{direction}-policy-period", "HorizontalPodAutoscaler", 'X', Behavior("policies: [{type: Pods, value: 4, periodSeconds: 1800}]"), Behavior("policies: [{type: Pods, value: 4, periodSeconds: 3600}] #!"), V, at + ".policies[0].periodSeconds"),
        ];
    }
}
