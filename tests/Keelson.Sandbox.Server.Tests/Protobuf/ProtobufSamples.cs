namespace Keelson.Sandbox.Server.Tests.Protobuf;

/// <summary>
/// One object of every built-in kind the facade serves, written as a Kubernetes API server returns it, chosen to
/// reach the schema's special types: Quantity, IntOrString, Time, MicroTime, bytes, maps, managedFields.
/// </summary>
internal static class ProtobufSamples
{
    private const string Meta = """
        "name":"web","namespace":"shop","uid":"6f1c7c7e-7d2b-4a9e-9d55-0c6e7f1f5a10","resourceVersion":"42","generation":3,
        "creationTimestamp":"2026-01-05T10:00:00Z","labels":{"app":"web","tier":"front"},"annotations":{"note":"a b c"},
        "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-5d9c","uid":"0d1e","controller":true,"blockOwnerDeletion":true}],
        "managedFields":[{"manager":"kubectl","operation":"Apply","apiVersion":"v1","time":"2026-01-05T10:00:00Z","fieldsType":"FieldsV1",
          "fieldsV1":{"f:metadata":{"f:labels":{".":{},"f:app":{}}}}}]
        """;

    private const string PodSpec = """
        {"containers":[{"name":"web","image":"nginx:1.27","command":["nginx"],"args":["-g","daemon off;"],
          "ports":[{"name":"http","containerPort":80,"protocol":"TCP"}],
          "env":[{"name":"MODE","value":"prod"},{"name":"PASSWORD","valueFrom":{"secretKeyRef":{"name":"db","key":"password","optional":false}}}],
          "resources":{"requests":{"cpu":"250m","memory":"64Mi"},"limits":{"cpu":"1","memory":"1Gi","nvidia.com/gpu":"1"}},
          "readinessProbe":{"httpGet":{"path":"/healthz","port":"http","scheme":"HTTP"},"periodSeconds":5,"failureThreshold":3},
          "livenessProbe":{"tcpSocket":{"port":80},"initialDelaySeconds":10},
          "securityContext":{"runAsNonRoot":true,"allowPrivilegeEscalation":false,"readOnlyRootFilesystem":true,"capabilities":{"drop":["ALL"]}},
          "volumeMounts":[{"name":"cache","mountPath":"/cache"},{"name":"config","mountPath":"/etc/web","readOnly":true}],
          "imagePullPolicy":"IfNotPresent","terminationMessagePolicy":"File"}],
         "volumes":[{"name":"cache","emptyDir":{"sizeLimit":"512Mi"}},{"name":"config","configMap":{"name":"web","defaultMode":420}}],
         "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","serviceAccountName":"web",
         "automountServiceAccountToken":false,"nodeSelector":{"pool":"general"},
         "tolerations":[{"key":"gpu","operator":"Exists","effect":"NoSchedule","tolerationSeconds":300}],
         "affinity":{"podAntiAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":100,
           "podAffinityTerm":{"labelSelector":{"matchExpressions":[{"key":"app","operator":"In","values":["web"]}]},"topologyKey":"kubernetes.io/hostname"}}]}},
         "topologySpreadConstraints":[{"maxSkew":1,"topologyKey":"topology.kubernetes.io/zone","whenUnsatisfiable":"ScheduleAnyway","labelSelector":{"matchLabels":{"app":"web"}}}]}
        """;

    private const string Template = """{"metadata":{"labels":{"app":"web"}},"spec":POD_SPEC}""";

    /// <summary>Samples by kind; every served built-in kind has one.</summary>
    public static readonly IReadOnlyDictionary<string, string> ByKind = new Dictionary<string, string>
    {
        ["Namespace"] = """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop","labels":{"kubernetes.io/metadata.name":"shop"}},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}""",
        ["Node"] = """
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"general-1","labels":{"node.kubernetes.io/instance-type":"m6i.xlarge"}},
             "spec":{"podCIDR":"10.244.1.0/24","taints":[{"key":"gpu","value":"true","effect":"NoSchedule"}],"unschedulable":true},
             "status":{"capacity":{"cpu":"4","memory":"16Gi","pods":"110"},"allocatable":{"cpu":"3920m","memory":"15Gi","pods":"110"},
              "conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"2026-01-05T10:05:00Z","lastTransitionTime":"2026-01-05T10:00:00Z","reason":"KubeletReady","message":"kubelet is posting ready status"}],
              "addresses":[{"type":"InternalIP","address":"10.0.0.11"},{"type":"Hostname","address":"general-1"}],
              "nodeInfo":{"machineID":"m","systemUUID":"s","bootID":"b","kernelVersion":"6.1","osImage":"Sandbox","containerRuntimeVersion":"containerd://2.0","kubeletVersion":"v1.33.0","kubeProxyVersion":"v1.33.0","operatingSystem":"linux","architecture":"amd64"}}}
            """,
        ["Pod"] = """
            {"apiVersion":"v1","kind":"Pod","metadata":{META},"spec":POD_SPEC,
             "status":{"phase":"Running","podIP":"10.244.1.7","podIPs":[{"ip":"10.244.1.7"}],"hostIP":"10.0.0.11","startTime":"2026-01-05T10:00:01Z","qosClass":"Burstable",
              "conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2026-01-05T10:00:05Z"}],
              "containerStatuses":[{"name":"web","ready":true,"restartCount":0,"image":"nginx:1.27","imageID":"docker.io/library/nginx@sha256:1","started":true,
                "state":{"running":{"startedAt":"2026-01-05T10:00:03Z"}},"lastState":{"terminated":{"exitCode":137,"reason":"OOMKilled","finishedAt":"2026-01-05T09:59:00Z"}}}]}}
            """,
        ["Service"] = """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"shop"},
             "spec":{"type":"ClusterIP","selector":{"app":"web"},"clusterIP":"10.96.0.20","clusterIPs":["10.96.0.20"],"ipFamilies":["IPv4"],
              "ports":[{"name":"http","port":80,"targetPort":"http","protocol":"TCP"},{"name":"metrics","port":9090,"targetPort":9090,"protocol":"TCP"}],
              "sessionAffinity":"None","internalTrafficPolicy":"Cluster"},"status":{"loadBalancer":{}}}
            """,
        ["Endpoints"] = """
            {"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"web","namespace":"shop"},
             "subsets":[{"addresses":[{"ip":"10.244.1.7","nodeName":"general-1","targetRef":{"kind":"Pod","namespace":"shop","name":"web-1","uid":"u"}}],
               "notReadyAddresses":[{"ip":"10.244.1.8"}],"ports":[{"name":"http","port":80,"protocol":"TCP"}]}]}
            """,
        ["ConfigMap"] = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"web","namespace":"shop"},"data":{"app.conf":"listen 80;\nworkers 4\n","empty":""},"binaryData":{"logo":"iVBORw0KGgo="},"immutable":true}""",
        ["Secret"] = """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db","namespace":"shop"},"type":"Opaque","data":{"password":"cEBzczp3MHJkL8O8","blob":"AAEC/f7/","empty":""}}""",
        ["ServiceAccount"] = """{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"web","namespace":"shop"},"secrets":[{"name":"web-token"}],"imagePullSecrets":[{"name":"registry"}],"automountServiceAccountToken":false}""",
        ["PersistentVolumeClaim"] = """
            {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data","namespace":"shop"},
             "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"10Gi"}},"storageClassName":"gp3","volumeMode":"Filesystem","volumeName":"pv-1"},
             "status":{"phase":"Bound","accessModes":["ReadWriteOnce"],"capacity":{"storage":"10Gi"}}}
            """,
        ["PersistentVolume"] = """
            {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv-1"},
             "spec":{"capacity":{"storage":"10Gi"},"accessModes":["ReadWriteOnce"],"persistentVolumeReclaimPolicy":"Delete","storageClassName":"gp3",
              "hostPath":{"path":"/data/pv-1","type":"DirectoryOrCreate"},"claimRef":{"kind":"PersistentVolumeClaim","namespace":"shop","name":"data"}},
             "status":{"phase":"Bound"}}
            """,
        ["Event"] = """
            {"apiVersion":"v1","kind":"Event","metadata":{"name":"web-1.17f","namespace":"shop"},
             "involvedObject":{"kind":"Pod","namespace":"shop","name":"web-1","uid":"u","apiVersion":"v1","fieldPath":"spec.containers{web}"},
             "reason":"Pulled","message":"Container image \"nginx:1.27\" already present","source":{"component":"kubelet","host":"general-1"},
             "firstTimestamp":"2026-01-05T10:00:02Z","lastTimestamp":"2026-01-05T10:00:02Z","count":1,"type":"Normal",
             "eventTime":"2026-01-05T10:00:02.123456Z","reportingComponent":"kubelet","reportingInstance":"general-1",
             "series":{"count":2,"lastObservedTime":"2026-01-05T10:01:02.500000Z"}}
            """,
        ["ResourceQuota"] = """
            {"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"compute","namespace":"shop"},
             "spec":{"hard":{"requests.cpu":"10","requests.memory":"20Gi","pods":"50"}},"status":{"hard":{"pods":"50"},"used":{"pods":"3"}}}
            """,
        ["LimitRange"] = """
            {"apiVersion":"v1","kind":"LimitRange","metadata":{"name":"defaults","namespace":"shop"},
             "spec":{"limits":[{"type":"Container","default":{"cpu":"500m","memory":"256Mi"},"defaultRequest":{"cpu":"100m"},"max":{"cpu":"2"}}]}}
            """,
        ["Deployment"] = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{META},
             "spec":{"replicas":0,"selector":{"matchLabels":{"app":"web"}},"template":TEMPLATE,"revisionHistoryLimit":10,"progressDeadlineSeconds":600,"paused":false,
              "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":1}}},
             "status":{"observedGeneration":3,"replicas":2,"updatedReplicas":2,"readyReplicas":2,"availableReplicas":2,
              "conditions":[{"type":"Available","status":"True","lastUpdateTime":"2026-01-05T10:01:00Z","lastTransitionTime":"2026-01-05T10:01:00Z","reason":"MinimumReplicasAvailable","message":"Deployment has minimum availability."}]}}
            """,
        ["ReplicaSet"] = """
            {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-5d9c","namespace":"shop","annotations":{"deployment.kubernetes.io/revision":"1"}},
             "spec":{"replicas":2,"minReadySeconds":5,"selector":{"matchLabels":{"app":"web","pod-template-hash":"5d9c"}},"template":TEMPLATE},
             "status":{"replicas":2,"fullyLabeledReplicas":2,"readyReplicas":2,"availableReplicas":2,"observedGeneration":1}}
            """,
        ["StatefulSet"] = """
            {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db","namespace":"shop"},
             "spec":{"replicas":3,"serviceName":"db","podManagementPolicy":"Parallel","selector":{"matchLabels":{"app":"web"}},"template":TEMPLATE,
              "updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":0,"maxUnavailable":"50%"}},
              "volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"100Gi"}}}}],
              "persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Retain","whenScaled":"Delete"}},
             "status":{"replicas":3,"readyReplicas":3,"currentRevision":"db-1","updateRevision":"db-1","collisionCount":0,"availableReplicas":3}}
            """,
        ["DaemonSet"] = """
            {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"agent","namespace":"shop"},
             "spec":{"selector":{"matchLabels":{"app":"web"}},"template":TEMPLATE,"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":0}}},
             "status":{"currentNumberScheduled":3,"numberMisscheduled":0,"desiredNumberScheduled":3,"numberReady":3}}
            """,
        ["Job"] = """
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"migrate","namespace":"shop"},
             "spec":{"parallelism":2,"completions":4,"backoffLimit":6,"activeDeadlineSeconds":600,"ttlSecondsAfterFinished":3600,"completionMode":"Indexed","suspend":false,
              "template":{"spec":{"containers":[{"name":"migrate","image":"busybox","command":["sh","-c","echo hi"]}],"restartPolicy":"Never"}}},
             "status":{"startTime":"2026-01-05T10:00:00Z","completionTime":"2026-01-05T10:02:00Z","succeeded":4,"completedIndexes":"0-3",
              "conditions":[{"type":"Complete","status":"True","lastProbeTime":"2026-01-05T10:02:00Z","lastTransitionTime":"2026-01-05T10:02:00Z"}]}}
            """,
        ["CronJob"] = """
            {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"report","namespace":"shop"},
             "spec":{"schedule":"*/5 * * * *","timeZone":"Etc/UTC","concurrencyPolicy":"Forbid","suspend":true,"successfulJobsHistoryLimit":3,"failedJobsHistoryLimit":1,"startingDeadlineSeconds":120,
              "jobTemplate":{"metadata":{"labels":{"job":"report"}},"spec":{"template":{"spec":{"containers":[{"name":"report","image":"busybox","args":["date"]}],"restartPolicy":"OnFailure"}}}}},
             "status":{"active":[{"kind":"Job","namespace":"shop","name":"report-1","apiVersion":"batch/v1"}],"lastScheduleTime":"2026-01-05T10:05:00Z"}}
            """,
        ["HorizontalPodAutoscaler"] = """
            {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"web","namespace":"shop"},
             "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":2,"maxReplicas":10,
              "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":70}}},
                {"type":"Pods","pods":{"metric":{"name":"rps","selector":{"matchLabels":{"app":"web"}}},"target":{"type":"AverageValue","averageValue":"100m"}}}],
              "behavior":{"scaleDown":{"stabilizationWindowSeconds":300,"selectPolicy":"Max","policies":[{"type":"Percent","value":50,"periodSeconds":60}]}}},
             "status":{"currentReplicas":2,"desiredReplicas":3,"lastScaleTime":"2026-01-05T10:03:00Z",
              "currentMetrics":[{"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":85,"averageValue":"850m"}}}]}}
            """,
        ["PodDisruptionBudget"] = """
            {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"web","namespace":"shop"},
             "spec":{"minAvailable":"50%","selector":{"matchLabels":{"app":"web"}},"unhealthyPodEvictionPolicy":"AlwaysAllow"},
             "status":{"currentHealthy":2,"desiredHealthy":1,"disruptionsAllowed":1,"expectedPods":2,"observedGeneration":1,"disruptedPods":{"web-1":"2026-01-05T10:00:00Z"}}}
            """,
        ["Ingress"] = """
            {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"web","namespace":"shop"},
             "spec":{"ingressClassName":"nginx","tls":[{"hosts":["shop.example.com"],"secretName":"shop-tls"}],
              "rules":[{"host":"shop.example.com","http":{"paths":[{"path":"/","pathType":"Prefix","backend":{"service":{"name":"web","port":{"number":80}}}},
                {"path":"/api","pathType":"Prefix","backend":{"service":{"name":"api","port":{"name":"http"}}}}]}}]},
             "status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.10","ports":[{"port":443,"protocol":"TCP"}]}]}}}
            """,
        ["NetworkPolicy"] = """
            {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"web","namespace":"shop"},
             "spec":{"podSelector":{"matchLabels":{"app":"web"}},"policyTypes":["Ingress","Egress"],
              "ingress":[{"from":[{"namespaceSelector":{"matchLabels":{"team":"a"}}},{"ipBlock":{"cidr":"10.0.0.0/8","except":["10.1.0.0/16"]}}],"ports":[{"protocol":"TCP","port":8080,"endPort":8090},{"port":"http"}]}],
              "egress":[{"to":[{"podSelector":{}}]}]}}
            """,
        ["Role"] = """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"reader","namespace":"shop"},"rules":[{"apiGroups":["","apps"],"resources":["pods","deployments"],"verbs":["get","list","watch"]}]}""",
        ["RoleBinding"] = """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"reader","namespace":"shop"},"subjects":[{"kind":"ServiceAccount","name":"web","namespace":"shop"}],"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"reader"}}""",
        ["ClusterRole"] = """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"nodes"},"rules":[{"apiGroups":[""],"resources":["nodes"],"verbs":["get"]},{"nonResourceURLs":["/healthz"],"verbs":["get"]}],"aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"agg":"true"}}]}}""",
        ["ClusterRoleBinding"] = """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"nodes"},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"jane"}],"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"nodes"}}""",
        ["Lease"] = """{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"general-000","namespace":"kube-node-lease","ownerReferences":[{"apiVersion":"v1","kind":"Node","name":"general-000","uid":"0d1e"}]},"spec":{"holderIdentity":"general-000","leaseDurationSeconds":40,"acquireTime":"2026-01-05T10:00:00.000000Z","renewTime":"2026-01-05T10:00:10.123456Z","leaseTransitions":0}}""",
    }.ToDictionary(e => e.Key, e => e.Value
        .Replace("TEMPLATE", Template, StringComparison.Ordinal)
        .Replace("POD_SPEC", PodSpec, StringComparison.Ordinal)
        .Replace("{META}", "{" + Meta + "}", StringComparison.Ordinal));
}
