using Keelson.Validation.Loading;

namespace Keelson.Validation.Tests;

/// <summary>A Deployment (with its budget and a default-deny policy) that passes every check, and helpers to validate text.</summary>
internal static class Fixtures
{
    public const string GoodDeployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              securityContext:
                runAsNonRoot: true
                runAsUser: 10001
                seccompProfile: {type: RuntimeDefault}
              containers:
              - name: web
                image: registry.example.com/web:1.2.3
                ports:
                - {containerPort: 8080, protocol: TCP}
                resources:
                  requests: {cpu: 250m, memory: 256Mi}
                  limits: {cpu: 500m, memory: 512Mi}
                readinessProbe:
                  httpGet: {path: /readyz, port: 8080}
                livenessProbe:
                  httpGet: {path: /healthz, port: 8080}
                securityContext:
                  allowPrivilegeEscalation: false
                  readOnlyRootFilesystem: true
                  capabilities: {drop: [ALL]}
              topologySpreadConstraints:
              - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: web}}}
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: web, namespace: shop}
        spec: {maxUnavailable: 1, selector: {matchLabels: {app: web}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: default-deny, namespace: shop}
        spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
        """;

    /// <summary>The schema findings (<c>schema-*</c>) of a text, as (id, line, path) in document order.</summary>
    public static List<(string Id, int Line, string Path)> SchemaFindings(string yaml) =>
        [.. Validate(yaml).Findings.Where(f => f.CheckId.StartsWith("schema-", StringComparison.Ordinal)).Select(f => (f.CheckId, f.Line, f.Path))];

    public static ValidationReport Validate(string yaml, string file = "test.yaml")
    {
        var documents = new List<ManifestDocument>();
        var problems = new List<Finding>();
        ManifestLoader.Parse(yaml, file, documents, problems);
        return Validator.Default.Validate(new LoadResult(documents, problems));
    }
}
