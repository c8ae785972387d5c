namespace Keelson.Validation.Tests.ApiServer;

/// <summary>Cases for volumes and volume mounts.</summary>
public sealed partial class ApiServerRulesTests
{
    private static IEnumerable<Case> VolumeCases() =>
    [
        new("volume-name-required", "Pod", 'P', "volumes:\n- {name: cache, emptyDir: {}}", "volumes:\n- {emptyDir: {}} #!", R, "spec.volumes[0].name"),
        new("volume-name", "Pod", 'P', "volumes:\n- {name: cache-1, emptyDir: {}}", "volumes:\n- {name: cache.1, emptyDir: {}} #!", N, "spec.volumes[0].name"),
        new("volume-duplicate", "Pod", 'P', "volumes:\n- {name: a, emptyDir: {}}\n- {name: b, emptyDir: {}}", "volumes:\n- {name: a, emptyDir: {}}\n- {name: a, configMap: {name: cm}} #!", D, "spec.volumes[1]"),
        new("volume-one-source", "Pod", 'P', "volumes:\n- {name: a, configMap: {name: cm}}", "volumes:\n- {name: a, configMap: {name: cm}, emptyDir: {}} #!", V, "spec.volumes[0].emptyDir"),
        new("volume-configmap-name", "Pod", 'P', "volumes:\n- {name: a, configMap: {name: cm}}", "volumes:\n- {name: a, configMap: {optional: true}} #!", R, "spec.volumes[0].configMap.name"),
        new("volume-secret-name", "Pod", 'P', "volumes:\n- {name: a, secret: {secretName: s}}", "volumes:\n- {name: a, secret: {optional: true}} #!", R, "spec.volumes[0].secret.secretName"),
        new("volume-claim-name", "Pod", 'P', "volumes:\n- {name: a, persistentVolumeClaim: {claimName: data}}", "volumes:\n- {name: a, persistentVolumeClaim: {readOnly: true}} #!", R, "spec.volumes[0].persistentVolumeClaim.claimName"),
        new("volume-host-path", "Pod", 'P', "volumes:\n- {name: a, hostPath: {path: /var/log}}", "volumes:\n- {name: a, hostPath: {type: Directory}} #!", R, "spec.volumes[0].hostPath.path"),
        new("volume-host-path-type", "Pod", 'P', "volumes:\n- {name: a, hostPath: {path: /var/log, type: DirectoryOrCreate}}", "volumes:\n- {name: a, hostPath: {path: /var/log, type: Dir}} #!", V, "spec.volumes[0].hostPath.type"),
        new("volume-configmap-mode", "Pod", 'P', "volumes:\n- {name: a, configMap: {name: cm, defaultMode: 0644}}", "volumes:\n- {name: a, configMap: {name: cm, defaultMode: 01000}} #!", V, "spec.volumes[0].configMap.defaultMode"),
        new("volume-secret-mode", "Pod", 'P', "volumes:\n- {name: a, secret: {secretName: s, defaultMode: 420}}", "volumes:\n- {name: a, secret: {secretName: s, defaultMode: 644}} #!", V, "spec.volumes[0].secret.defaultMode"),
        .. ((string[])["configMap", "secret"]).SelectMany(ItemCases),
        new("volume-mount-name-required", "Pod", 'X', Mounted("{name: data, mountPath: /data}"), Mounted("{mountPath: /data} #!"), R, "spec.containers[0].volumeMounts[0].name"),
        new("volume-mount-path-required", "Pod", 'X', Mounted("{name: data, mountPath: /data}"), Mounted("{name: data} #!"), R, "spec.containers[0].volumeMounts[0].mountPath"),
        new("volume-mount-undefined", "Pod", 'X', Mounted("{name: data, mountPath: /data}"), Mounted("{name: date, mountPath: /data} #!"), V, "spec.containers[0].volumeMounts[0].name"),
        new("volume-mount-path-duplicate", "Pod", 'X', Mounted("{name: data, mountPath: /data}\n    - {name: data, mountPath: /cache, subPath: cache}"),
            Mounted("{name: data, mountPath: /data}\n    - {name: data, mountPath: /data, subPath: cache} #!"), D, "spec.containers[0].volumeMounts[1]"),
        new("volume-mount-sub-path", "Pod", 'X', Mounted("{name: data, mountPath: /data, subPath: a/b}"), Mounted("{name: data, mountPath: /data, subPath: ../etc} #!"), V, "spec.containers[0].volumeMounts[0].subPath"),
        new("volume-mount-sub-path-expr", "Pod", 'X', Mounted("{name: data, mountPath: /data, subPathExpr: $(POD_NAME)}"), Mounted("{name: data, mountPath: /data, subPath: a, subPathExpr: $(POD_NAME)} #!"), V, "spec.containers[0].volumeMounts[0].subPathExpr"),
        new("volume-mount-propagation", "Pod", 'X', Mounted("{name: data, mountPath: /data, mountPropagation: HostToContainer}"), Mounted("{name: data, mountPath: /data, mountPropagation: Shared} #!"), V, "spec.containers[0].volumeMounts[0].mountPropagation"),
        new("volume-mount-bidirectional", "Pod", 'X', Mounted("{name: data, mountPath: /data, mountPropagation: Bidirectional}\n    securityContext: {privileged: true}"),
            Mounted("{name: data, mountPath: /data, mountPropagation: Bidirectional} #!"), V, "spec.containers[0].volumeMounts[0].mountPropagation"),
        new("volume-device-undefined", "Pod", 'X', Doc("v1", "Pod", "spec:\n  volumes: [{name: raw, persistentVolumeClaim: {claimName: raw}}]\n  containers:\n  - name: c\n    image: i:1\n    volumeDevices: [{name: raw, devicePath: /dev/xvda}]"),
            Doc("v1", "Pod", "spec:\n  volumes: [{name: raw, persistentVolumeClaim: {claimName: raw}}]\n  containers:\n  - name: c\n    image: i:1\n    volumeDevices: [{name: disk, devicePath: /dev/xvda}] #!"), V, "spec.containers[0].volumeDevices[0].name"),
    ];

    private static string Mounted(string mounts) =>
        Doc("v1", "Pod", "spec:\n  volumes: [{name: data, emptyDir: {}}]\n  containers:\n  - name: c\n    image: i:1\n    volumeMounts:\n    - " + mounts);

    private static IEnumerable<Case> ItemCases(string source)
    {
        var reference = source == "secret" ? "secretName: s" : "name: cm";
        string Volume(string item) => $"volumes:\n- name: a\n  {source}:\n    {reference}\n    items:\n    - {item}";
        var at = $"spec.volumes[0].{source}.items[0]";
        return
        [
            new($"volume-{source}-item-key", "Pod", 'P', Volume("{key: k, path: app/k.conf}"), Volume("{path: k.conf} #!"), R, at + ".key"),
            new($"volume-{source}-item-path", "Pod", 'P', Volume("{key: k, path: k.conf}"), Volume("{key: k} #!"), R, at + ".path"),
            new($"volume-{source}-item-relative", "Pod", 'P', Volume("{key: k, path: conf/k}"), Volume("{key: k, path: /etc/k} #!"), V, at + ".path"),
            new($"volume-{source}-item-mode", "Pod", 'P', Volume("{key: k, path: k, mode: 0400}"), Volume("{key: k, path: k, mode: 1000}") + " #!", V, at + ".mode"),
        ];
    }
}
