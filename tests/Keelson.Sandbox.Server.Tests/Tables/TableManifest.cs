namespace Keelson.Sandbox.Server.Tests.Tables;

/// <summary>One object of each kind that has its own columns, in namespace <c>tables</c>, for <c>kubectl apply -f -</c>.</summary>
internal static class TableManifest
{
    public const string Namespace = "tables";

    public const string Yaml = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: tables}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: creds, namespace: tables}
        type: kubernetes.io/basic-auth
        stringData: {username: u, password: p}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: tables}
        data: {a: "1", b: "2", c: "3"}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: robot, namespace: tables}
        ---
        apiVersion: v1
        kind: Endpoints
        metadata: {name: external, namespace: tables}
        subsets:
        - addresses: [{ip: 10.9.0.1}, {ip: 10.9.0.2}]
          ports: [{port: 5432}]
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data, namespace: tables}
        spec:
          accessModes: [ReadWriteOnce]
          storageClassName: gp3
          resources: {requests: {storage: 5Gi}}
        ---
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: archive}
        spec:
          capacity: {storage: 20Gi}
          accessModes: [ReadWriteMany]
          persistentVolumeReclaimPolicy: Delete
          storageClassName: nfs
          nfs: {server: nfs.example, path: /archive}
        ---
        apiVersion: v1
        kind: ResourceQuota
        metadata: {name: compute, namespace: tables}
        spec:
          hard: {requests.cpu: "4", limits.memory: 8Gi}
        ---
        apiVersion: v1
        kind: LimitRange
        metadata: {name: defaults, namespace: tables}
        spec:
          limits:
          - type: Container
            default: {cpu: 500m}
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: tables}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              nodeSelector: {kubernetes.io/os: linux}
              containers: [{name: agent, image: "agent:1.0"}]
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: migrate, namespace: tables}
        spec:
          completions: 2
          template:
            spec:
              restartPolicy: Never
              containers: [{name: migrate, image: "migrate:2.1"}]
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly, namespace: tables}
        spec:
          schedule: "0 3 * * *"
          timeZone: Europe/Paris
          suspend: true
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: OnFailure
                  containers: [{name: report, image: "report:3"}]
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web, namespace: tables}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 2
          maxReplicas: 7
          metrics:
          - type: Resource
            resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: web, namespace: tables}
        spec:
          minAvailable: 1
          selector: {matchLabels: {app: web}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: web-ingress, namespace: tables}
        spec:
          podSelector: {matchLabels: {app: web}}
          policyTypes: [Ingress]
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, namespace: tables}
        spec:
          ingressClassName: nginx
          tls: [{hosts: [shop.example]}]
          rules:
          - host: shop.example
            http:
              paths:
              - path: /
                pathType: Prefix
                backend: {service: {name: web, port: {number: 80}}}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: reader, namespace: tables}
        rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: read-pods, namespace: tables}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
        subjects:
        - {kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}
        - {kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io}
        - {kind: ServiceAccount, name: robot, namespace: tables}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: table-viewer}
        rules: [{apiGroups: [""], resources: [nodes], verbs: [list]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: table-viewers}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: table-viewer}
        subjects: [{kind: Group, name: viewers, apiGroup: rbac.authorization.k8s.io}]
        ---
        apiVersion: keda.sh/v1alpha1
        kind: ScaledObject
        metadata: {name: worker, namespace: tables}
        spec:
          scaleTargetRef: {name: worker}
          minReplicaCount: 1
          maxReplicaCount: 9
          triggers:
          - type: cpu
            metricType: Utilization
            metadata: {value: "60"}
        """;
}
