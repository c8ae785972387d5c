namespace Keelson.Validation.Tests.ApiServer;

/// <summary>Cases for metadata, ConfigMaps, Secrets and PVCs.</summary>
public sealed partial class ApiServerRulesTests
{
    private static string Named(string apiVersion, string kind, string name, string rest = "") => $"apiVersion: {apiVersion}\nkind: {kind}\nmetadata:\n  name: {name}\n{rest}";

    private static string Hpa(string spec) => Doc("autoscaling/v2", "HorizontalPodAutoscaler", "spec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 5\n" + spec);

    private static string Pdb(string spec) => Doc("policy/v1", "PodDisruptionBudget", "spec:\n  selector: {matchLabels: {app: web}}\n" + spec);

    private static string Role(string kind, string rules) => Doc("rbac.authorization.k8s.io/v1", kind, "rules:\n" + rules);

    private static string Binding(string kind, string body) => Doc("rbac.authorization.k8s.io/v1", kind, body);

    private const string RoleRef = "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}";

    private static string Pvc(string spec) => Doc("v1", "PersistentVolumeClaim", "spec:\n" + spec);

    private static IEnumerable<Case> ObjectCases() =>
    [
        new("namespace-name-label", "Namespace", 'X', Named("v1", "Namespace", "team-a"), Named("v1", "Namespace", "team.a #!"), N, "metadata.name"),
        new("statefulset-name-label", "StatefulSet", 'X', Named("apps/v1", "StatefulSet", "db-0", "spec:\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: \"db:1\"}]}}"),
            Named("apps/v1", "StatefulSet", "db.primary #!", "spec:\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: \"db:1\"}]}}"), N, "metadata.name"),
        new("service-name-dns1035", "Service", 'X', Named("v1", "Service", "web", "spec: {ports: [{port: 80}]}"), Named("v1", "Service", "7web #!", "spec: {ports: [{port: 80}]}"), N, "metadata.name"),
        new("cronjob-name-length", "CronJob", 'X', Named("batch/v1", "CronJob", new string('a', 52), "spec:\n  schedule: \"@daily\"\n  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: \"i:1\"}]}}}}"),
            Named("batch/v1", "CronJob", new string('a', 53) + " #!", "spec:\n  schedule: \"@daily\"\n  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: \"i:1\"}]}}}}"), V, "metadata.name"),
        new("rbac-name", "ClusterRole", 'X', Role("ClusterRole", "- {apiGroups: [\"\"], resources: [pods], verbs: [get]}").Replace("name: x", "name: \"system:pod-reader\"", StringComparison.Ordinal),
            Role("ClusterRole", "- {apiGroups: [\"\"], resources: [pods], verbs: [get]}").Replace("name: x", "name: pods/reader #!", StringComparison.Ordinal), N, "metadata.name"),
        new("metadata-namespace", "Pod", 'M', "namespace: team-a", "namespace: team.a #!", N, "metadata.namespace"),
        new("annotation-key", "Pod", 'M', "annotations: {example.com/Owner: a}", "annotations: {\"owner name\": a} #!", N, "metadata.annotations.owner name"),
        new("template-annotation-key", "Deployment", 'X', Doc("apps/v1", "Deployment", "spec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata:\n      labels: {app: web}\n      annotations: {prometheus.io/scrape: \"true\"}\n    spec:\n      containers: [{name: web, image: \"web:1\"}]"),
            Doc("apps/v1", "Deployment", "spec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata:\n      labels: {app: web}\n      annotations: {prometheus.io//scrape: \"true\"} #!\n    spec:\n      containers: [{name: web, image: \"web:1\"}]"), N, "spec.template.metadata.annotations.prometheus.io//scrape"),
        new("annotations-size", "Pod", 'M', "annotations: {a: " + new string('x', 1000) + "}", "annotations:\n  a: " + new string('x', 262_144) + " #!", V, "metadata.annotations"),
        new("finalizer-name", "Pod", 'M', "finalizers: [example.com/cleanup]", "finalizers: [\"example.com/clean up\"] #!", N, "metadata.finalizers[0]"),
        new("namespace-spec-finalizer", "Namespace", 'X', Named("v1", "Namespace", "a", "spec: {finalizers: [kubernetes]}"), Named("v1", "Namespace", "a", "spec: {finalizers: [\"a/b/c\"]} #!"), N, "spec.finalizers[0]"),
        new("cronjob-template-labels", "CronJob", 'X', CronJob("  schedule: \"@daily\"").Replace("        spec:\n          restartPolicy", "        metadata: {labels: {app: nightly}}\n        spec:\n          restartPolicy", StringComparison.Ordinal),
            CronJob("  schedule: \"@daily\"").Replace("        spec:\n          restartPolicy", "        metadata: {labels: {app: night_ly_}} #!\n        spec:\n          restartPolicy", StringComparison.Ordinal), N, "spec.jobTemplate.spec.template.metadata.labels.app"),
        new("cronjob-job-labels", "CronJob", 'X', CronJob("  schedule: \"@daily\"").Replace("  jobTemplate:\n", "  jobTemplate:\n    metadata: {labels: {app: nightly}}\n", StringComparison.Ordinal),
            CronJob("  schedule: \"@daily\"").Replace("  jobTemplate:\n", "  jobTemplate:\n    metadata: {labels: {\"app name\": nightly}} #!\n", StringComparison.Ordinal), N, "spec.jobTemplate.metadata.labels.app name"),
        new("node-selector-labels", "Pod", 'P', "nodeSelector: {kubernetes.io/os: linux}", "nodeSelector: {kubernetes.io/os: \"linux os\"} #!", N, "spec.nodeSelector.kubernetes.io/os"),
        new("service-selector-labels", "Service", 'X', Named("v1", "Service", "web", "spec:\n  selector: {app: web}\n  ports: [{port: 80}]"), Named("v1", "Service", "web", "spec:\n  selector: {app: \"web app\"} #!\n  ports: [{port: 80}]"), N, "spec.selector.app"),
        new("configmap-keys", "ConfigMap", 'X', Named("v1", "ConfigMap", "c", "data: {app.conf: x, .env: y}"), Named("v1", "ConfigMap", "c", "data: {conf/app: x} #!"), N, "data.conf/app"),
        new("configmap-size", "ConfigMap", 'X', Named("v1", "ConfigMap", "c", "data: {a: " + new string('x', 1000) + "}"), Named("v1", "ConfigMap", "c", "data:\n  a: " + new string('x', 1_048_577) + " #!"), V, "data"),
        new("secret-keys", "Secret", 'X', Named("v1", "Secret", "s", "stringData: {TOKEN: x}"), Named("v1", "Secret", "s", "stringData: {\"..TOKEN\": x} #!"), N, "stringData...TOKEN"),
        new("secret-size", "Secret", 'X', Named("v1", "Secret", "s", "stringData: {a: x}"), Named("v1", "Secret", "s", "stringData:\n  a: " + new string('x', 1_048_577) + " #!"), V, "stringData"),
        new("secret-base64", "Secret", 'X', Named("v1", "Secret", "s", "data: {password: cGFzc3dvcmQ=}"), Named("v1", "Secret", "s", "data: {password: password!} #!"), V, "data.password"),
        new("secret-type-keys", "Secret", 'X', Named("v1", "Secret", "s", "type: kubernetes.io/tls\nstringData: {tls.crt: a, tls.key: b}"), Named("v1", "Secret", "s", "type: kubernetes.io/tls\nstringData: {tls.crt: a}\ndata: {} #!"), R, "data"),
        new("secret-service-account-annotation", "Secret", 'X', Named("v1", "Secret", "s", "type: kubernetes.io/service-account-token").Replace("  name: s\n", "  name: s\n  annotations: {kubernetes.io/service-account.name: app}\n", StringComparison.Ordinal),
            Named("v1", "Secret", "s #!", "type: kubernetes.io/service-account-token"), R, "metadata.annotations"),
        new("pvc-access-modes", "PersistentVolumeClaim", 'X', Pvc("  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}"), Pvc("  resources: {requests: {storage: 1Gi}} #!"), R, "spec.accessModes"),
        new("pvc-access-mode", "PersistentVolumeClaim", 'X', Pvc("  accessModes: [ReadWriteMany]\n  resources: {requests: {storage: 1Gi}}"), Pvc("  accessModes: [RWO] #!\n  resources: {requests: {storage: 1Gi}}"), V, "spec.accessModes[0]"),
        new("pvc-read-write-once-pod", "PersistentVolumeClaim", 'X', Pvc("  accessModes: [ReadWriteOncePod]\n  resources: {requests: {storage: 1Gi}}"), Pvc("  accessModes: [ReadWriteOncePod, ReadWriteOnce] #!\n  resources: {requests: {storage: 1Gi}}"), V, "spec.accessModes"),
        new("pvc-storage-request", "PersistentVolumeClaim", 'X', Pvc("  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}"), Pvc("  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: \"0\"}} #!"), R, "spec.resources.requests.storage"),
        new("pvc-volume-mode", "PersistentVolumeClaim", 'X', Pvc("  accessModes: [ReadWriteOnce]\n  volumeMode: Block\n  resources: {requests: {storage: 1Gi}}"), Pvc("  accessModes: [ReadWriteOnce]\n  volumeMode: Raw #!\n  resources: {requests: {storage: 1Gi}}"), V, "spec.volumeMode"),
        new("pvc-storage-class-name", "PersistentVolumeClaim", 'X', Pvc("  accessModes: [ReadWriteOnce]\n  storageClassName: \"\"\n  resources: {requests: {storage: 1Gi}}"), Pvc("  accessModes: [ReadWriteOnce]\n  storageClassName: Fast_SSD #!\n  resources: {requests: {storage: 1Gi}}"), N, "spec.storageClassName"),
        new("pvc-data-source-kind", "PersistentVolumeClaim", 'X', Pvc("  accessModes: [ReadWriteOnce]\n  dataSource: {kind: PersistentVolumeClaim, name: src}\n  resources: {requests: {storage: 1Gi}}"), Pvc("  accessModes: [ReadWriteOnce]\n  dataSource: {name: src} #!\n  resources: {requests: {storage: 1Gi}}"), R, "spec.dataSource.kind"),
        new("pvc-data-source-name", "PersistentVolumeClaim", 'X', Pvc("  accessModes: [ReadWriteOnce]\n  dataSource: {apiGroup: snapshot.storage.k8s.io, kind: VolumeSnapshot, name: snap}\n  resources: {requests: {storage: 1Gi}}"), Pvc("  accessModes: [ReadWriteOnce]\n  dataSource: {kind: VolumeSnapshot} #!\n  resources: {requests: {storage: 1Gi}}"), R, "spec.dataSource.name"),
    ];
}
