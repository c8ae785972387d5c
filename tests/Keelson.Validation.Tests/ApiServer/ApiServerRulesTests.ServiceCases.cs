namespace Keelson.Validation.Tests.ApiServer;

/// <summary>Cases for Services, Ingresses and NetworkPolicies.</summary>
public sealed partial class ApiServerRulesTests
{
    private static string Svc(string spec) => Doc("v1", "Service", "spec:\n" + spec);

    private static string Ing(string spec) => Doc("networking.k8s.io/v1", "Ingress", "spec:\n" + spec);

    private static string Netpol(string spec) => Doc("networking.k8s.io/v1", "NetworkPolicy", "spec:\n  podSelector: {}\n" + spec);

    private const string Backend = "backend: {service: {name: web, port: {number: 80}}}";

    private static IEnumerable<Case> ServiceCases() =>
    [
        new("service-ports-required", "Service", 'X', Svc("  clusterIP: None\n  selector: {app: db}"), Svc("  selector: {app: db} #!"), R, "spec.ports"),
        new("service-port-name-required", "Service", 'X', Svc("  ports:\n  - {name: http, port: 80}\n  - {name: https, port: 443}"), Svc("  ports:\n  - {name: http, port: 80}\n  - {port: 443} #!"), R, "spec.ports[1].name"),
        new("service-port-name", "Service", 'X', Svc("  ports:\n  - {name: http-2, port: 80}"), Svc("  ports:\n  - {name: HTTP, port: 80} #!"), N, "spec.ports[0].name"),
        new("service-port-name-duplicate", "Service", 'X', Svc("  ports:\n  - {name: http, port: 80}\n  - {name: https, port: 443}"), Svc("  ports:\n  - {name: http, port: 80}\n  - {name: http, port: 443} #!"), D, "spec.ports[1]"),
        new("service-port-duplicate", "Service", 'X', Svc("  ports:\n  - {name: dns, port: 53}\n  - {name: dns-udp, port: 53, protocol: UDP}"), Svc("  ports:\n  - {name: dns, port: 53}\n  - {name: dns-tcp, port: 53, protocol: TCP} #!"), D, "spec.ports[1]"),
        new("service-target-port", "Service", 'X', Svc("  ports:\n  - {name: a, port: 80, targetPort: http}\n  - {name: b, port: 81, targetPort: 0}"), Svc("  ports:\n  - {port: 80, targetPort: http_port} #!"), V, "spec.ports[0].targetPort"),
        new("service-node-port-range", "Service", 'X', Svc("  type: NodePort\n  ports:\n  - {port: 80, nodePort: 30080}"), Svc("  type: NodePort\n  ports:\n  - {port: 80, nodePort: 70000} #!"), V, "spec.ports[0].nodePort"),
        new("service-node-port-type", "Service", 'X', Svc("  type: NodePort\n  ports:\n  - {port: 80, nodePort: 30080}"), Svc("  ports:\n  - {port: 80, nodePort: 30080} #!"), V, "spec.ports[0].nodePort"),
        new("service-headless-type", "Service", 'X', Svc("  clusterIP: None\n  ports: [{port: 80}]"), Svc("  type: LoadBalancer\n  clusterIP: None #!\n  ports: [{port: 80}]"), V, "spec.clusterIP"),
        new("service-cluster-ip", "Service", 'X', Svc("  clusterIP: 10.96.0.10\n  ports: [{port: 80}]"), Svc("  clusterIP: 10.96.0.300 #!\n  ports: [{port: 80}]"), V, "spec.clusterIP"),
        new("service-external-name-required", "Service", 'X', Svc("  type: ExternalName\n  externalName: db.example.com"), Svc("  type: ExternalName #!"), R, "spec.externalName"),
        new("service-external-name", "Service", 'X', Svc("  type: ExternalName\n  externalName: db.example.com."), Svc("  type: ExternalName\n  externalName: https://db.example.com #!"), N, "spec.externalName"),
        new("service-external-name-cluster-ip", "Service", 'X', Svc("  type: ExternalName\n  externalName: db.example.com"), Svc("  type: ExternalName\n  externalName: db.example.com\n  clusterIP: 10.96.0.10 #!"), V, "spec.clusterIP"),
        new("service-session-affinity", "Service", 'X', Svc("  sessionAffinity: ClientIP\n  ports: [{port: 80}]"), Svc("  sessionAffinity: Sticky #!\n  ports: [{port: 80}]"), V, "spec.sessionAffinity"),
        new("service-external-traffic-policy", "Service", 'X', Svc("  type: LoadBalancer\n  externalTrafficPolicy: Local\n  ports: [{port: 80}]"), Svc("  type: LoadBalancer\n  externalTrafficPolicy: local #!\n  ports: [{port: 80}]"), V, "spec.externalTrafficPolicy"),
        new("service-external-traffic-policy-type", "Service", 'X', Svc("  externalIPs: [203.0.113.10]\n  externalTrafficPolicy: Local\n  ports: [{port: 80}]"), Svc("  externalTrafficPolicy: Local #!\n  ports: [{port: 80}]"), V, "spec.externalTrafficPolicy"),
        new("service-internal-traffic-policy", "Service", 'X', Svc("  internalTrafficPolicy: Local\n  ports: [{port: 80}]"), Svc("  internalTrafficPolicy: Node #!\n  ports: [{port: 80}]"), V, "spec.internalTrafficPolicy"),
        new("service-ip-family-policy", "Service", 'X', Svc("  ipFamilyPolicy: PreferDualStack\n  ports: [{port: 80}]"), Svc("  ipFamilyPolicy: DualStack #!\n  ports: [{port: 80}]"), V, "spec.ipFamilyPolicy"),
        new("service-ip-families", "Service", 'X', Svc("  ipFamilies: [IPv6]\n  ports: [{port: 80}]"), Svc("  ipFamilies: [ipv4] #!\n  ports: [{port: 80}]"), V, "spec.ipFamilies[0]"),
        new("service-load-balancer-source-ranges", "Service", 'X', Svc("  type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.0/8]\n  ports: [{port: 80}]"), Svc("  type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.0] #!\n  ports: [{port: 80}]"), N, "spec.loadBalancerSourceRanges[0]"),
        new("service-app-protocol", "Service", 'X', Svc("  ports: [{port: 80, appProtocol: kubernetes.io/h2c}]"), Svc("  ports: [{port: 80, appProtocol: \"http 2\"}] #!"), N, "spec.ports[0].appProtocol"),
        new("ingress-rules-or-backend", "Ingress", 'X', Ing("  defaultBackend: {service: {name: web, port: {name: http}}}"), Ing("  ingressClassName: nginx #!"), R, "spec.rules"),
        new("ingress-host", "Ingress", 'X', Ing("  rules:\n  - host: \"*.example.com\"\n    http: {paths: [{path: /, pathType: Prefix, " + Backend + "}]}"),
            Ing("  rules:\n  - host: 192.168.1.10 #!\n    http: {paths: [{path: /, pathType: Prefix, " + Backend + "}]}"), N, "spec.rules[0].host"),
        new("ingress-tls-host", "Ingress", 'X', Ing("  tls: [{hosts: [shop.example.com], secretName: tls}]\n  defaultBackend: {service: {name: web, port: {number: 80}}}"),
            Ing("  tls: [{hosts: [Shop_Example], secretName: tls}] #!\n  defaultBackend: {service: {name: web, port: {number: 80}}}"), N, "spec.tls[0].hosts[0]"),
        new("ingress-path", "Ingress", 'X', Ing("  rules:\n  - http:\n      paths:\n      - {path: /api, pathType: Prefix, " + Backend + "}"), Ing("  rules:\n  - http:\n      paths:\n      - {path: api, pathType: Prefix, " + Backend + "} #!"), V, "spec.rules[0].http.paths[0].path"),
        new("ingress-paths-required", "Ingress", 'X', Ing("  rules:\n  - http:\n      paths: [{path: /, pathType: Exact, " + Backend + "}]"), Ing("  rules:\n  - host: a.example.com\n    http: {paths: []} #!"), R, "spec.rules[0].http.paths"),
        new("ingress-backend", "Ingress", 'X', Ing("  rules:\n  - http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend: {service: {name: web, port: {name: http}}}"),
            Ing("  rules:\n  - http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend: {service: {name: web, port: {name: http, number: 80}}} #!"), V, "spec.rules[0].http.paths[0].backend.service.port.number"),
        new("ingress-default-backend", "Ingress", 'X', Ing("  defaultBackend: {service: {name: web, port: {number: 80}}}"), Ing("  defaultBackend: {service: {name: Web, port: {number: 80}}} #!"), V, "spec.defaultBackend.service.name"),
        new("ingress-class-name", "Ingress", 'X', Ing("  ingressClassName: nginx\n  defaultBackend: {service: {name: web, port: {number: 80}}}"), Ing("  ingressClassName: NGINX #!\n  defaultBackend: {service: {name: web, port: {number: 80}}}"), N, "spec.ingressClassName"),
        new("networkpolicy-pod-selector", "NetworkPolicy", 'X', Netpol("  policyTypes: [Ingress]"), Netpol("  policyTypes: [Ingress]").Replace("podSelector: {}", "podSelector: {matchExpressions: [{key: app, operator: In}]} #!", StringComparison.Ordinal), V, "spec.podSelector.matchExpressions[0].values"),
        new("networkpolicy-policy-types", "NetworkPolicy", 'X', Netpol("  policyTypes: [Ingress, Egress]"), Netpol("  policyTypes: [Ingress, egress] #!"), V, "spec.policyTypes[1]"),
        new("networkpolicy-policy-types-count", "NetworkPolicy", 'X', Netpol("  policyTypes: [Ingress, Egress]"), Netpol("  policyTypes: [Ingress, Egress, Ingress] #!"), V, "spec.policyTypes"),
        .. Direction("ingress", "from"), .. Direction("egress", "to"),
    ];

    private static IEnumerable<Case> Direction(string direction, string peers)
    {
        string Rule(string body) => Netpol($"  {direction}:\n  - {body}");
        var at = $"spec.{direction}[0]";
        return
        [
            new($"networkpolicy-{direction}-port", "NetworkPolicy", 'X', Rule("ports: [{protocol: TCP, port: 32000, endPort: 32768}]"), Rule("ports: [{protocol: TCP, port: 32000, endPort: 31000}] #!"), V, at + ".ports[0].endPort"),
            new($"networkpolicy-{direction}-peer", "NetworkPolicy", 'X', Rule($"{peers}: [{{ipBlock: {{cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}}}]"), Rule($"{peers}: [{{ipBlock: {{cidr: 10.0.0.0/8}}, podSelector: {{}}}}] #!"), V, $"{at}.{peers}[0].ipBlock"),
            new($"networkpolicy-{direction}-pod-selector", "NetworkPolicy", 'X', Rule($"{peers}: [{{podSelector: {{matchLabels: {{app: web}}}}}}]"), Rule($"{peers}: [{{podSelector: {{matchExpressions: [{{key: app, operator: Exists, values: [web]}}]}}}}] #!"), V, $"{at}.{peers}[0].podSelector.matchExpressions[0].values"),
            new($"networkpolicy-{direction}-namespace-selector", "NetworkPolicy", 'X', Rule($"{peers}: [{{namespaceSelector: {{matchLabels: {{team: a}}}}}}]"), Rule($"{peers}: [{{namespaceSelector: {{matchExpressions: [{{operator: Exists}}]}}}}] #!"), V, $"{at}.{peers}[0].namespaceSelector.matchExpressions[0].key"),
        ];
    }
}
