namespace Keelson.Validation.Tests.ApiServer;

/// <summary>Cases for containers, the pod spec, scheduling and volumes.</summary>
public sealed partial class ApiServerRulesTests
{
    private static string Doc(string apiVersion, string kind, string body) => $"apiVersion: {apiVersion}\nkind: {kind}\nmetadata:\n  name: x\n{body}\n";

    private static readonly string[] Probes = ["livenessProbe", "readinessProbe", "startupProbe"];

    private static IEnumerable<Case> ContainerCases() =>
    [
        new("containers-required", "Job", 'X', Doc("batch/v1", "Job", "spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: \"i:1\"}]"),
            Doc("batch/v1", "Job", "spec:\n  template:\n    spec:\n      restartPolicy: Never #!\n      containers: []"), R, "spec.template.spec.containers"),
        new("init-container-name-required", "Pod", 'P', "initContainers:\n- {name: init, image: \"i:1\"}", "initContainers:\n- {image: \"i:1\"} #!", R, "spec.initContainers[0].name"),
        new("init-container-image-required", "Pod", 'P', "initContainers:\n- {name: init, image: \"i:1\"}", "initContainers:\n- {name: init} #!", R, "spec.initContainers[0].image"),
        new("container-name", "Pod", 'P', "initContainers:\n- {name: init-db, image: \"i:1\"}", "initContainers:\n- {name: init_db, image: \"i:1\"} #!", N, "spec.initContainers[0].name"),
        new("container-port-required", "Pod", 'C', "ports:\n- {name: http, containerPort: 80}", "ports:\n- {name: http} #!", R, "spec.containers[0].ports[0].containerPort"),
        new("container-port-name", "Pod", 'C', "ports:\n- {name: metrics-export, containerPort: 80}", "ports:\n- {name: metrics-exporter, containerPort: 80} #!", N, "spec.containers[0].ports[0].name"),
        new("host-port-range", "Pod", 'C', "ports:\n- {containerPort: 80, hostPort: 8080}", "ports:\n- {containerPort: 80, hostPort: -1} #!", V, "spec.containers[0].ports[0].hostPort"),
        new("host-network-host-port", "Pod", 'X', Doc("v1", "Pod", "spec:\n  hostNetwork: true\n  containers:\n  - name: c\n    image: i:1\n    ports: [{containerPort: 80, hostPort: 80}]"),
            Doc("v1", "Pod", "spec:\n  hostNetwork: true\n  containers:\n  - name: c\n    image: i:1\n    ports: [{containerPort: 80, hostPort: 8080}] #!"), V, "spec.containers[0].ports[0].hostPort"),
        new("env-name-required", "Pod", 'C', "env:\n- {name: A, value: b}", "env:\n- {value: b} #!", R, "spec.containers[0].env[0].name"),
        new("env-name", "Pod", 'C', "env:\n- {name: my.var-1, value: b}", "env:\n- {name: A=B, value: b} #!", N, "spec.containers[0].env[0].name"),
        new("env-value-and-valueFrom", "Pod", 'C', "env:\n- name: A\n  valueFrom: {fieldRef: {fieldPath: metadata.name}}", "env:\n- name: A\n  value: b\n  valueFrom: {fieldRef: {fieldPath: metadata.name}} #!", V, "spec.containers[0].env[0].valueFrom"),
        new("env-valueFrom-one-source", "Pod", 'C', "env:\n- name: A\n  valueFrom:\n    fieldRef: {fieldPath: metadata.name}",
            "env:\n- name: A\n  valueFrom:\n    fieldRef: {fieldPath: metadata.name}\n    secretKeyRef: {name: s, key: k} #!", V, "spec.containers[0].env[0].valueFrom.secretKeyRef"),
        new("env-configMapKeyRef-key", "Pod", 'C', "env:\n- name: A\n  valueFrom:\n    configMapKeyRef: {name: cm, key: k}", "env:\n- name: A\n  valueFrom:\n    configMapKeyRef: {name: cm} #!", R, "spec.containers[0].env[0].valueFrom.configMapKeyRef.key"),
        new("env-secretKeyRef-key", "Pod", 'C', "env:\n- name: A\n  valueFrom:\n    secretKeyRef: {name: s, key: k}", "env:\n- name: A\n  valueFrom:\n    secretKeyRef: {name: s} #!", R, "spec.containers[0].env[0].valueFrom.secretKeyRef.key"),
        new("env-configMapKeyRef-key-syntax", "Pod", 'C', "env:\n- name: A\n  valueFrom:\n    configMapKeyRef: {name: cm, key: app.conf}", "env:\n- name: A\n  valueFrom:\n    configMapKeyRef: {name: cm, key: app/conf} #!", N, "spec.containers[0].env[0].valueFrom.configMapKeyRef.key"),
        new("env-secretKeyRef-key-syntax", "Pod", 'C', "env:\n- name: A\n  valueFrom:\n    secretKeyRef: {name: s, key: token}", "env:\n- name: A\n  valueFrom:\n    secretKeyRef: {name: s, key: \"..token\"} #!", N, "spec.containers[0].env[0].valueFrom.secretKeyRef.key"),
        new("env-configMapKeyRef-name", "Pod", 'C', "env:\n- name: A\n  valueFrom:\n    configMapKeyRef: {name: cm, key: k}", "env:\n- name: A\n  valueFrom:\n    configMapKeyRef: {key: k} #!", R, "spec.containers[0].env[0].valueFrom.configMapKeyRef.name"),
        new("env-secretKeyRef-name", "Pod", 'C', "env:\n- name: A\n  valueFrom:\n    secretKeyRef: {name: s, key: k}", "env:\n- name: A\n  valueFrom:\n    secretKeyRef: {name: \"\", key: k} #!", R, "spec.containers[0].env[0].valueFrom.secretKeyRef.name"),
        new("env-configMapKeyRef-name-syntax", "Pod", 'C', "env:\n- name: A\n  valueFrom:\n    configMapKeyRef: {name: app.config, key: k}", "env:\n- name: A\n  valueFrom:\n    configMapKeyRef: {name: App_Config, key: k} #!", N, "spec.containers[0].env[0].valueFrom.configMapKeyRef.name"),
        new("env-secretKeyRef-name-syntax", "Pod", 'C', "env:\n- name: A\n  valueFrom:\n    secretKeyRef: {name: db-credentials, key: k}", "env:\n- name: A\n  valueFrom:\n    secretKeyRef: {name: db/credentials, key: k} #!", N, "spec.containers[0].env[0].valueFrom.secretKeyRef.name"),
        new("envFrom-prefix", "Pod", 'C', "envFrom:\n- {prefix: DB_, secretRef: {name: db}}", "envFrom:\n- {prefix: \"DB=\", secretRef: {name: db}} #!", N, "spec.containers[0].envFrom[0].prefix"),
        new("env-fieldRef-path", "Pod", 'C', "env:\n- name: A\n  valueFrom:\n    fieldRef: {fieldPath: status.podIP}", "env:\n- name: A\n  valueFrom:\n    fieldRef: {apiVersion: v1} #!", R, "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath"),
        new("env-fieldRef-supported", "Pod", 'C', "env:\n- name: A\n  valueFrom:\n    fieldRef: {fieldPath: \"metadata.labels['app']\"}", "env:\n- name: A\n  valueFrom:\n    fieldRef: {fieldPath: status.phase} #!", V, "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath"),
        new("env-resourceFieldRef-resource", "Pod", 'C', "env:\n- name: A\n  valueFrom:\n    resourceFieldRef: {resource: limits.cpu}", "env:\n- name: A\n  valueFrom:\n    resourceFieldRef: {divisor: 1m} #!", R, "spec.containers[0].env[0].valueFrom.resourceFieldRef.resource"),
        new("env-resourceFieldRef-supported", "Pod", 'C', "env:\n- name: A\n  valueFrom:\n    resourceFieldRef: {resource: requests.memory}", "env:\n- name: A\n  valueFrom:\n    resourceFieldRef: {resource: limits.gpu} #!", V, "spec.containers[0].env[0].valueFrom.resourceFieldRef.resource"),
        new("envFrom-one-source", "Pod", 'C', "envFrom:\n- configMapRef: {name: cm}", "envFrom:\n- prefix: A_ #!", V, "spec.containers[0].envFrom[0]"),
        new("envFrom-configMapRef-name", "Pod", 'C', "envFrom:\n- configMapRef: {name: cm}", "envFrom:\n- configMapRef: {optional: true} #!", R, "spec.containers[0].envFrom[0].configMapRef.name"),
        new("envFrom-secretRef-name", "Pod", 'C', "envFrom:\n- secretRef: {name: s}", "envFrom:\n- secretRef: {optional: true} #!", R, "spec.containers[0].envFrom[0].secretRef.name"),
        new("termination-message-policy", "Pod", 'C', "terminationMessagePolicy: FallbackToLogsOnError", "terminationMessagePolicy: Fallback #!", V, "spec.containers[0].terminationMessagePolicy"),
        new("init-container-restart-policy", "Pod", 'P', "initContainers:\n- {name: proxy, image: \"i:1\", restartPolicy: Always}", "initContainers:\n- {name: proxy, image: \"i:1\", restartPolicy: OnFailure} #!", V, "spec.initContainers[0].restartPolicy"),
        new Case("container-restart-policy", "PodBare", 'P', "restartPolicy: Always\ncontainers:\n- {name: c, image: \"i:1\"}", "restartPolicy: Always\ncontainers:\n- {name: c, image: \"i:1\", restartPolicy: Always} #!", V, "spec.containers[0].restartPolicy"),
        new("init-container-probes", "Pod", 'P', "initContainers:\n- name: proxy\n  image: i:1\n  restartPolicy: Always\n  readinessProbe: {tcpSocket: {port: 80}}",
            "initContainers:\n- name: migrate\n  image: i:1\n  readinessProbe: {tcpSocket: {port: 80}} #!", V, "spec.initContainers[0].readinessProbe"),
        new("probe-success-threshold", "Pod", 'C', "livenessProbe: {tcpSocket: {port: 80}, successThreshold: 1}", "livenessProbe: {tcpSocket: {port: 80}, successThreshold: 3} #!", V, "spec.containers[0].livenessProbe.successThreshold"),
        new("readiness-probe-grace-period", "Pod", 'C', "readinessProbe: {tcpSocket: {port: 80}}", "readinessProbe: {tcpSocket: {port: 80}, terminationGracePeriodSeconds: 5} #!", V, "spec.containers[0].readinessProbe.terminationGracePeriodSeconds"),
        new("privileged-no-escalation", "Pod", 'C', "securityContext: {privileged: true}", "securityContext: {privileged: true, allowPrivilegeEscalation: false} #!", V, "spec.containers[0].securityContext.allowPrivilegeEscalation"),
        new("container-run-as-user", "Pod", 'C', "securityContext: {runAsUser: 1000}", "securityContext: {runAsUser: -1} #!", V, "spec.containers[0].securityContext.runAsUser"),
        new("container-run-as-group", "Pod", 'C', "securityContext: {runAsGroup: 1000}", "securityContext: {runAsGroup: 4294967296} #!", V, "spec.containers[0].securityContext.runAsGroup"),
        new("container-proc-mount", "Pod", 'C', "securityContext: {procMount: Default}", "securityContext: {procMount: Masked} #!", V, "spec.containers[0].securityContext.procMount"),
        .. Profiles("container", 'C', "spec.containers[0].securityContext"),
        .. Profiles("pod", 'P', "spec.securityContext"),
        .. Probes.SelectMany(ProbeCases),
    ];

    private static IEnumerable<Case> Profiles(string prefix, char slot, string path) =>
    [
        new($"{prefix}-seccomp-type", "Pod", slot, "securityContext: {seccompProfile: {type: RuntimeDefault}}", "securityContext: {seccompProfile: {type: Default}} #!", V, path + ".seccompProfile.type"),
        new($"{prefix}-seccomp-localhost", "Pod", slot, "securityContext: {seccompProfile: {type: Localhost, localhostProfile: p.json}}", "securityContext: {seccompProfile: {type: Localhost}} #!", V, path + ".seccompProfile.localhostProfile"),
        new($"{prefix}-apparmor-type", "Pod", slot, "securityContext: {appArmorProfile: {type: Unconfined}}", "securityContext: {appArmorProfile: {type: unconfined}} #!", V, path + ".appArmorProfile.type"),
        new($"{prefix}-apparmor-localhost", "Pod", slot, "securityContext: {appArmorProfile: {type: Localhost, localhostProfile: p}}", "securityContext: {appArmorProfile: {type: RuntimeDefault, localhostProfile: p}} #!", V, path + ".appArmorProfile.localhostProfile"),
    ];

    private static IEnumerable<Case> ProbeCases(string probe) =>
    [
        new($"{probe}-handler", "Pod", 'C', probe + ": {httpGet: {path: /, port: 80}}", probe + ": {periodSeconds: 5} #!", V, $"spec.containers[0].{probe}"),
        new($"{probe}-non-negative", "Pod", 'C', probe + ": {tcpSocket: {port: 80}, initialDelaySeconds: 0}", probe + ": {tcpSocket: {port: 80}, initialDelaySeconds: -5} #!", V, $"spec.containers[0].{probe}.initialDelaySeconds"),
        new($"{probe}-port", "Pod", 'C', probe + ": {httpGet: {path: /, port: http}}", probe + ": {httpGet: {path: /, port: 0}} #!", V, $"spec.containers[0].{probe}.httpGet.port"),
        new($"{probe}-scheme", "Pod", 'C', probe + ": {httpGet: {path: /, port: 80, scheme: HTTPS}}", probe + ": {httpGet: {path: /, port: 80, scheme: https}} #!", V, $"spec.containers[0].{probe}.httpGet.scheme"),
        new($"{probe}-grace-period", "Pod", 'C', probe + ": {tcpSocket: {port: 80}}", probe + ": {tcpSocket: {port: 80}, terminationGracePeriodSeconds: 0} #!", V, $"spec.containers[0].{probe}.terminationGracePeriodSeconds"),
    ];
}
