namespace Keelson.Validation.Tests.Checks;

/// <summary>Each check fails on its own bad variant of a good Deployment and passes on the good one.</summary>
public sealed class CheckTests
{
    [Fact]
    public void The_good_deployment_passes_every_check()
    {
        var report = Fixtures.Validate(Fixtures.GoodDeployment);

        Assert.Empty(report.Findings);
        Assert.True(report.Valid);
    }

    [Theory]
    [InlineData("container-resources", "requests: {cpu: 250m, memory: 256Mi}", "requests: {cpu: 250m}", 24)]
    [InlineData("container-probes", "        livenessProbe:\n          httpGet: {path: /healthz, port: 8080}\n", "", 19)]
    [InlineData("probes-identical", "path: /healthz", "path: /readyz", 29)]
    [InlineData("image-tag", "registry.example.com/web:1.2.3", "registry.example.com/web:latest", 20)]
    [InlineData("image-tag", "registry.example.com/web:1.2.3", "registry.example.com:5000/web", 20)]
    [InlineData("container-privileged", "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: false\n          privileged: true", 32)]
    [InlineData("container-run-as-root", "runAsUser: 10001", "runAsUser: 0", 31)]
    [InlineData("container-privilege-escalation", "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true", 31)]
    [InlineData("container-capabilities", "drop: [ALL]", "drop: [ALL], add: [SYS_ADMIN]", 33)]
    [InlineData("container-capabilities", "capabilities: {drop: [ALL]}", "capabilities: {drop: [NET_RAW]}", 31)]
    [InlineData("container-writable-root", "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false", 31)]
    [InlineData("pod-seccomp", "seccompProfile: {type: RuntimeDefault}", "seccompProfile: {type: Unconfined}", 15)]
    [InlineData("pod-host-namespaces", "      securityContext:\n        runAsNonRoot", "      hostNetwork: true\n      securityContext:\n        runAsNonRoot", 14)]
    [InlineData("pod-host-path", "      containers:", "      volumes:\n      - name: logs\n        hostPath: {path: /var/log}\n      containers:", 20)]
    [InlineData("pod-sensitive-host-mount", "      containers:", "      volumes:\n      - name: kube\n        hostPath: {path: /etc/kubernetes/}\n      containers:", 20)]
    [InlineData("pod-sensitive-host-mount", "      containers:", "      volumes:\n      - name: docker\n        hostPath: {path: /var/run/docker.sock, type: Socket}\n      containers:", 20)]
    [InlineData("container-ssh-port", "- {containerPort: 8080, protocol: TCP}", "- {containerPort: 8080, protocol: TCP}\n        - {containerPort: 22}", 23)]
    [InlineData("pod-unsafe-sysctl", "seccompProfile: {type: RuntimeDefault}", "seccompProfile: {type: RuntimeDefault}\n        sysctls: [{name: net.ipv4.tcp_syncookies, value: \"1\"}, {name: kernel.msgmax, value: \"65536\"}]", 18)]
    [InlineData("env-secret-literal", "        ports:", "        env:\n        - {name: API_KEY, value: abc}\n        ports:", 22)]
    public void Each_check_finds_its_problem(string id, string good, string bad, int line)
    {
        // Lines are those of the changed fixture: each finding points at the node that has to change.
        Assert.Contains(good, Fixtures.GoodDeployment, StringComparison.Ordinal);

        var report = Fixtures.Validate(Fixtures.GoodDeployment.Replace(good, bad, StringComparison.Ordinal));

        var finding = Assert.Single(report.Findings, f => f.CheckId == id);
        Assert.Equal(line, finding.Line);
        Assert.Equal("Deployment/shop/web", finding.Target!.ToString());
        Assert.False(string.IsNullOrWhiteSpace(finding.Hint));
    }

    [Theory]
    [InlineData("      volumes:\n      - name: logs\n        hostPath: {path: /var/log}\n      containers:", "pod-host-path")]
    [InlineData("      volumes:\n      - name: etcish\n        hostPath: {path: /etcetera}\n      containers:", "pod-host-path")]
    [InlineData("      volumes:\n      - name: root\n        hostPath: {path: /}\n      containers:", "pod-sensitive-host-mount")]
    [InlineData("      volumes:\n      - name: sys\n        hostPath: {path: /sys/fs/cgroup}\n      containers:", "pod-sensitive-host-mount")]
    public void A_host_path_is_one_finding_sensitive_or_not(string volumes, string id)
    {
        var report = Fixtures.Validate(Fixtures.GoodDeployment.Replace("      containers:", volumes, StringComparison.Ordinal));

        var finding = Assert.Single(report.Findings, f => f.CheckId is "pod-host-path" or "pod-sensitive-host-mount");
        Assert.Equal(id, finding.CheckId);
    }

    [Theory]
    [InlineData("net.ipv4.ip_local_port_range", false)]
    [InlineData("net/ipv4/tcp_keepalive_time", false)]
    [InlineData("kernel.shm_rmid_forced", false)]
    [InlineData("kernel.shmmax", true)]
    [InlineData("net.core.somaxconn", true)]
    [InlineData("net/ipv4/conf/eth0.100/rp_filter", true)]
    public void Only_sysctls_outside_the_kubelets_safe_set_are_reported(string name, bool reported)
    {
        var report = Fixtures.Validate(Fixtures.GoodDeployment.Replace("seccompProfile: {type: RuntimeDefault}", $"seccompProfile: {{type: RuntimeDefault}}\n        sysctls: [{{name: {name}, value: \"1\"}}]", StringComparison.Ordinal));

        Assert.Equal(reported, report.Findings.Any(f => f.CheckId == "pod-unsafe-sysctl"));
    }

    [Fact]
    public void Udp_port_22_is_not_ssh()
    {
        var report = Fixtures.Validate(Fixtures.GoodDeployment.Replace("- {containerPort: 8080, protocol: TCP}", "- {containerPort: 8080, protocol: TCP}\n        - {containerPort: 22, protocol: UDP}", StringComparison.Ordinal));

        Assert.DoesNotContain(report.Findings, f => f.CheckId == "container-ssh-port");
    }

    [Fact]
    public void Secret_values_are_never_repeated_in_findings()
    {
        var report = Fixtures.Validate(Fixtures.GoodDeployment.Replace("        ports:", "        env:\n        - {name: DB_PASSWORD, value: hunter2}\n        ports:", StringComparison.Ordinal));

        Assert.DoesNotContain(report.Findings, f => f.Message.Contains("hunter2", StringComparison.Ordinal) || f.Hint.Contains("hunter2", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec: {type: NodePort, ports: [{port: 80}]}
        """, "service-type", true)]
    [InlineData("""
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec: {ports: [{port: 80}]}
        """, "service-type", false)]
    [InlineData("""
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly}
        spec: {schedule: "0 2 * * *", jobTemplate: {spec: {backoffLimit: 2, activeDeadlineSeconds: 600, template: {spec: {containers: []}}}}}
        """, "cronjob-deadline", true)]
    [InlineData("""
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly}
        spec: {schedule: "0 2 * * *", startingDeadlineSeconds: 300, jobTemplate: {spec: {backoffLimit: 2, activeDeadlineSeconds: 600, template: {spec: {containers: []}}}}}
        """, "cronjob-deadline", false)]
    [InlineData("""
        apiVersion: batch/v1
        kind: Job
        metadata: {name: once}
        spec: {template: {spec: {containers: []}}}
        """, "job-limits", true)]
    [InlineData("""
        apiVersion: batch/v1
        kind: Job
        metadata: {name: once}
        spec: {backoffLimit: 2, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 3600, template: {spec: {containers: []}}}
        """, "job-limits", false)]
    public void Object_level_checks_fail_and_pass(string yaml, string id, bool fires) =>
        Assert.Equal(fires, Fixtures.Validate(yaml).Findings.Any(f => f.CheckId == id));

    [Fact]
    public void The_skip_annotation_silences_one_check_for_one_object()
    {
        var yaml = Fixtures.GoodDeployment
            .Replace("registry.example.com/web:1.2.3", "registry.example.com/web:latest", StringComparison.Ordinal)
            .Replace("  namespace: shop", "  namespace: shop\n  annotations: {keelson.dev/skip: \"image-tag, service-type\"}", StringComparison.Ordinal);

        Assert.DoesNotContain(Fixtures.Validate(yaml).Findings, f => f.CheckId == "image-tag");
    }

    [Fact]
    public void Every_check_has_a_unique_id_and_a_description()
    {
        var checks = Validator.Default.Checks;

        Assert.Equal(checks.Count, checks.Select(c => c.Id).Distinct().Count());
        Assert.All(checks, c => Assert.False(string.IsNullOrWhiteSpace(c.Description)));
        Assert.True(checks.Count >= 16);
    }
}
