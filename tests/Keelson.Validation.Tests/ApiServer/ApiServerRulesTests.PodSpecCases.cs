namespace Keelson.Validation.Tests.ApiServer;

/// <summary>Cases for the pod spec, resources, scheduling and volumes.</summary>
public sealed partial class ApiServerRulesTests
{
    private static IEnumerable<Case> PodSpecCases() =>
    [
        new("controller-restart-policy", "Deployment", 'P', "restartPolicy: Always", "restartPolicy: OnFailure #!", V, "spec.template.spec.restartPolicy"),
        new("job-restart-policy", "Job", 'X', Doc("batch/v1", "Job", "spec:\n  template:\n    spec:\n      restartPolicy: OnFailure\n      containers: [{name: c, image: \"i:1\"}]"),
            Doc("batch/v1", "Job", "spec:\n  template:\n    spec:\n      containers: [{name: c, image: \"i:1\"}] #!"), R, "spec.template.spec.restartPolicy"),
        new("controller-active-deadline", "Deployment", 'P', "terminationGracePeriodSeconds: 30", "activeDeadlineSeconds: 600 #!", V, "spec.template.spec.activeDeadlineSeconds"),
        new("pod-active-deadline", "Pod", 'P', "activeDeadlineSeconds: 600", "activeDeadlineSeconds: 0 #!", V, "spec.activeDeadlineSeconds"),
        new("dns-policy", "Pod", 'P', "dnsPolicy: ClusterFirstWithHostNet", "dnsPolicy: clusterfirst #!", V, "spec.dnsPolicy"),
        new("dns-none-nameservers", "Pod", 'P', "dnsPolicy: None\ndnsConfig: {nameservers: [1.1.1.1]}", "dnsPolicy: None #!", R, "spec.dnsConfig"),
        new("dns-none-nameservers", "Pod", 'P', "dnsPolicy: None\ndnsConfig: {nameservers: [1.1.1.1]}", "dnsPolicy: None\ndnsConfig: {searches: [a.local]} #!", R, "spec.dnsConfig.nameservers"),
        new("dns-config-nameservers", "Pod", 'P', "dnsConfig:\n  nameservers: [10.0.0.10, \"fd00::10\"]", "dnsConfig:\n  nameservers:\n  - 10.0.0.10\n  - dns.example.com #!", V, "spec.dnsConfig.nameservers[1]"),
        new("dns-config-searches", "Pod", 'P', "dnsConfig:\n  searches: [svc.cluster.local.]", "dnsConfig:\n  searches:\n  - Svc_Local #!", V, "spec.dnsConfig.searches[0]"),
        new("dns-config-option-name", "Pod", 'P', "dnsConfig:\n  options: [{name: ndots, value: \"2\"}]", "dnsConfig:\n  options:\n  - {value: \"2\"} #!", R, "spec.dnsConfig.options[0].name"),
        new("pod-hostname", "Pod", 'P', "hostname: web-0", "hostname: web.example #!", N, "spec.hostname"),
        new("pod-subdomain", "Pod", 'P', "subdomain: web", "subdomain: Web #!", N, "spec.subdomain"),
        new("service-account-name", "Pod", 'P', "serviceAccountName: app.reader", "serviceAccountName: App #!", N, "spec.serviceAccountName"),
        new("priority-class-name", "Pod", 'P', "priorityClassName: high", "priorityClassName: High_Priority #!", N, "spec.priorityClassName"),
        new("node-name", "Pod", 'P', "nodeName: node-1", "nodeName: Node_1 #!", N, "spec.nodeName"),
        new("preemption-policy", "Pod", 'P', "preemptionPolicy: Never", "preemptionPolicy: Always #!", V, "spec.preemptionPolicy"),
        new("pod-os-name", "Pod", 'P', "os: {name: linux}", "os: {name: Linux} #!", V, "spec.os.name"),
        new("share-process-namespace-host-pid", "Pod", 'P', "shareProcessNamespace: true", "shareProcessNamespace: true #!\nhostPID: true", V, "spec.shareProcessNamespace"),
        new("host-alias-ip", "Pod", 'P', "hostAliases: [{ip: 10.1.2.3, hostnames: [db.local]}]", "hostAliases: [{ip: 10.1.2, hostnames: [db.local]}] #!", N, "spec.hostAliases[0].ip"),
        new("host-alias-hostname", "Pod", 'P', "hostAliases: [{ip: 10.1.2.3, hostnames: [db.local]}]", "hostAliases: [{ip: 10.1.2.3, hostnames: [DB_local]}] #!", N, "spec.hostAliases[0].hostnames[0]"),
        new("pod-run-as-user", "Pod", 'P', "securityContext: {runAsUser: 0}", "securityContext: {runAsUser: -1} #!", V, "spec.securityContext.runAsUser"),
        new("pod-run-as-group", "Pod", 'P', "securityContext: {runAsGroup: 3000}", "securityContext: {runAsGroup: -3} #!", V, "spec.securityContext.runAsGroup"),
        new("pod-fs-group", "Pod", 'P', "securityContext: {fsGroup: 2000}", "securityContext: {fsGroup: -1} #!", V, "spec.securityContext.fsGroup"),
        new("pod-supplemental-groups", "Pod", 'P', "securityContext: {supplementalGroups: [1, 2]}", "securityContext: {supplementalGroups: [1, -2]} #!", V, "spec.securityContext.supplementalGroups[1]"),
        new("pod-fs-group-change-policy", "Pod", 'P', "securityContext: {fsGroupChangePolicy: OnRootMismatch}", "securityContext: {fsGroupChangePolicy: Never} #!", V, "spec.securityContext.fsGroupChangePolicy"),
        new("pod-sysctl-name", "Pod", 'P', "securityContext: {sysctls: [{name: net.core.somaxconn, value: \"1024\"}]}", "securityContext: {sysctls: [{value: \"1024\"}]} #!", R, "spec.securityContext.sysctls[0].name"),
        new("pod-sysctl-duplicate", "Pod", 'P', "securityContext:\n  sysctls:\n  - {name: a.b, value: \"1\"}", "securityContext:\n  sysctls:\n  - {name: a.b, value: \"1\"}\n  - {name: a.b, value: \"2\"} #!", D, "spec.securityContext.sysctls[1]"),
        new("resource-name", "Pod", 'C', "resources: {limits: {nvidia.com/gpu: 1}}", "resources: {limits: {gpu: 1}} #!", V, "spec.containers[0].resources.limits.gpu"),
        new("resource-non-negative", "Pod", 'C', "resources: {requests: {cpu: 100m}}", "resources: {requests: {cpu: -100m}} #!", V, "spec.containers[0].resources.requests.cpu"),
        new("resource-request-above-limit", "Pod", 'C', "resources: {requests: {memory: 1Gi}, limits: {memory: 1024Mi}}", "resources: {requests: {memory: 2Gi}, limits: {memory: 1Gi}} #!", V, "spec.containers[0].resources.requests.memory"),
        new("resource-extended-needs-limit", "Pod", 'C', "resources: {requests: {nvidia.com/gpu: 1}, limits: {nvidia.com/gpu: 1}}", "resources: {requests: {nvidia.com/gpu: 1}} #!", R, "spec.containers[0].resources.limits.nvidia.com/gpu"),
    ];

    private static IEnumerable<Case> SchedulingCases() =>
    [
        new("toleration-key", "Pod", 'P', "tolerations: [{key: dedicated, operator: Exists}]", "tolerations: [{key: \"dedicated node\", operator: Exists}] #!", N, "spec.tolerations[0].key"),
        new("toleration-empty-key", "Pod", 'P', "tolerations: [{operator: Exists}]", "tolerations: [{operator: Equal, value: x}] #!", V, "spec.tolerations[0].operator"),
        new("toleration-exists-value", "Pod", 'P', "tolerations: [{key: k, operator: Exists}]", "tolerations: [{key: k, operator: Exists, value: v}] #!", V, "spec.tolerations[0].value"),
        new("toleration-equal-value", "Pod", 'P', "tolerations: [{key: k, operator: Equal, value: gpu}]", "tolerations: [{key: k, operator: Equal, value: \"a b\"}] #!", N, "spec.tolerations[0].value"),
        new("toleration-seconds-effect", "Pod", 'P', "tolerations: [{key: k, operator: Exists, effect: NoExecute, tolerationSeconds: 60}]", "tolerations: [{key: k, operator: Exists, effect: NoSchedule, tolerationSeconds: 60}] #!", V, "spec.tolerations[0].effect"),
        Spread("spread-max-skew", "maxSkew: 0, topologyKey: zone, whenUnsatisfiable: DoNotSchedule", V, ".maxSkew"),
        Spread("spread-max-skew-required", "topologyKey: zone, whenUnsatisfiable: DoNotSchedule", R, ".maxSkew"),
        Spread("spread-topology-key-required", "maxSkew: 1, whenUnsatisfiable: DoNotSchedule", R, ".topologyKey"),
        Spread("spread-topology-key", "maxSkew: 1, topologyKey: \"-zone\", whenUnsatisfiable: DoNotSchedule", N, ".topologyKey"),
        Spread("spread-when-unsatisfiable-required", "maxSkew: 1, topologyKey: zone", R, ".whenUnsatisfiable"),
        Spread("spread-when-unsatisfiable", "maxSkew: 1, topologyKey: zone, whenUnsatisfiable: Schedule", V, ".whenUnsatisfiable"),
        Spread("spread-min-domains", "maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, minDomains: 0", V, ".minDomains"),
        Spread("spread-min-domains-schedule-anyway", "maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, minDomains: 2", V, ".minDomains"),
        Spread("spread-node-affinity-policy", "maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, nodeAffinityPolicy: honor", V, ".nodeAffinityPolicy"),
        Spread("spread-node-taints-policy", "maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, nodeTaintsPolicy: Yes", V, ".nodeTaintsPolicy"),
        Spread("spread-match-label-keys", "maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, matchLabelKeys: [pod-template-hash]", V, ".matchLabelKeys"),
        Spread("spread-label-selector", "maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchExpressions: [{key: app, operator: In}]}", V, ".labelSelector.matchExpressions[0].values"),
        new("spread-duplicate", "Deployment", 'P', "topologySpreadConstraints:\n- {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}\n- {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway}",
            "topologySpreadConstraints:\n- {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}\n- {maxSkew: 2, topologyKey: zone, whenUnsatisfiable: DoNotSchedule} #!", D, "spec.template.spec.topologySpreadConstraints[1]"),
        new("node-affinity-terms", "Pod", 'P', NodeAffinity("requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In, values: [a]}]}]}"),
            NodeAffinity("requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: []} #!"), R, "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms"),
        new("node-selector-requirement", "Pod", 'P', NodeAffinity("requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: cores, operator: Gt, values: [\"8\"]}]}]}"),
            NodeAffinity("requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: cores, operator: Gt, values: [\"8\", \"9\"]}]}]} #!"), V,
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values"),
        new("node-preference-requirement", "Pod", 'P', NodeAffinity("preferredDuringSchedulingIgnoredDuringExecution: [{weight: 10, preference: {matchExpressions: [{key: zone, operator: Exists}]}}]"),
            NodeAffinity("preferredDuringSchedulingIgnoredDuringExecution: [{weight: 10, preference: {matchExpressions: [{key: zone, operator: Exists, values: [a]}]}}] #!"), V,
            "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].values"),
        new("node-field-requirement", "Pod", 'P', NodeAffinity("requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchFields: [{key: metadata.name, operator: In, values: [n1]}]}]}"),
            NodeAffinity("requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchFields: [{key: metadata.labels, operator: In, values: [n1]}]}]} #!"), V,
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key"),
        new("node-preference-weight", "Pod", 'P', NodeAffinity("preferredDuringSchedulingIgnoredDuringExecution: [{weight: 100, preference: {matchExpressions: [{key: zone, operator: Exists}]}}]"),
            NodeAffinity("preferredDuringSchedulingIgnoredDuringExecution: [{weight: 0, preference: {matchExpressions: [{key: zone, operator: Exists}]}}] #!"), V,
            "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight"),
        .. ((string[])["podAffinity", "podAntiAffinity"]).SelectMany(PodAffinityCases),
    ];

    private static Case Spread(string rule, string bad, string id, string field) =>
        new(rule, "Deployment", 'P', "topologySpreadConstraints:\n- {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, minDomains: 2, labelSelector: {matchLabels: {app: web}}}",
            "topologySpreadConstraints:\n- {" + bad + "} #!", id, "spec.template.spec.topologySpreadConstraints[0]" + field);

    private static string NodeAffinity(string body) => "affinity:\n  nodeAffinity:\n    " + body;

    private static IEnumerable<Case> PodAffinityCases(string kind)
    {
        const string Term = "{labelSelector: {matchLabels: {app: web}}, topologyKey: kubernetes.io/hostname}";
        string Required(string term) => $"affinity:\n  {kind}:\n    requiredDuringSchedulingIgnoredDuringExecution:\n    - {term}";
        string Preferred(string weight, string term) => $"affinity:\n  {kind}:\n    preferredDuringSchedulingIgnoredDuringExecution:\n    - {{weight: {weight}, podAffinityTerm: {term}}}";
        var at = $"spec.affinity.{kind}";
        return
        [
            new($"{kind}-topology-key", "Pod", 'P', Required(Term), Required("{labelSelector: {matchLabels: {app: web}}} #!"), R, at + ".requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey"),
            new($"{kind}-preferred-topology-key", "Pod", 'P', Preferred("50", Term), Preferred("50", "{labelSelector: {matchLabels: {app: web}}}") + " #!", R, at + ".preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey"),
            new($"{kind}-topology-key-syntax", "Pod", 'P', Required(Term), Required("{labelSelector: {matchLabels: {app: web}}, topologyKey: \"host name\"}") + " #!", N, at + ".requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey"),
            new($"{kind}-weight", "Pod", 'P', Preferred("1", Term), Preferred("101", Term) + " #!", V, at + ".preferredDuringSchedulingIgnoredDuringExecution[0].weight"),
            new($"{kind}-label-selector", "Pod", 'P', Required(Term), Required("{labelSelector: {matchExpressions: [{key: app, operator: Equals, values: [web]}]}, topologyKey: zone}") + " #!", V,
                at + ".requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].operator"),
        ];
    }
}
