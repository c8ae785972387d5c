"""Drives the sandbox facade with the Python Kubernetes client (Debian's python3-kubernetes).

Usage: client_scenarios.py KUBECONFIG SCENARIO NAMESPACE
Prints one JSON object with what the scenario saw; the C# test asserts on it.
"""
import datetime
import json
import sys
import threading
import time

from kubernetes import client, config, watch


def config_map(name, value):
    return client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name), data={"value": value})


def scenario_list(core, ns):
    nodes = core.list_node()
    core.create_namespaced_config_map(ns, config_map("listed", "1"))
    listed = core.list_namespaced_config_map(ns, label_selector="", field_selector="metadata.name=listed")
    return {
        "nodes": len(nodes.items),
        "nodeKind": nodes.kind,
        "configMaps": [c.metadata.name for c in listed.items],
        "resourceVersion": listed.metadata.resource_version,
    }


def scenario_create(core, ns):
    created = core.create_namespaced_config_map(ns, config_map("created", "1"))
    try:
        core.create_namespaced_config_map(ns, config_map("created", "2"))
        again = None
    except client.exceptions.ApiException as e:
        again = {"status": e.status, "reason": json.loads(e.body)["reason"]}
    read = core.read_namespaced_config_map("created", ns)
    return {"uid": created.metadata.uid, "value": read.data["value"], "again": again}


def scenario_patch(core, ns):
    core.create_namespaced_config_map(ns, config_map("patched", "1"))
    merged = core.patch_namespaced_config_map("patched", ns, {"data": {"value": "2", "extra": "x"}})
    ops = core.patch_namespaced_config_map("patched", ns, [{"op": "replace", "path": "/data/value", "value": "3"}, {"op": "remove", "path": "/data/extra"}])
    try:
        core.patch_namespaced_config_map("patched", ns, [{"op": "test", "path": "/data/value", "value": "9"}])
        failed = None
    except client.exceptions.ApiException as e:
        failed = {"status": e.status, "message": json.loads(e.body)["message"]}
    return {"merged": merged.data, "jsonPatch": ops.data, "failedTest": failed}


def scenario_watch(core, ns):
    events = []
    w = watch.Watch()

    # Watching from the list's resourceVersion replays every change after it, however late the stream opens.
    since = core.list_namespaced_config_map(ns).metadata.resource_version

    def change():
        time.sleep(0.5)
        core.create_namespaced_config_map(ns, config_map("watched", "1"))
        core.patch_namespaced_config_map("watched", ns, {"data": {"value": "2"}})
        core.delete_namespaced_config_map("watched", ns)

    worker = threading.Thread(target=change)
    worker.start()
    for event in w.stream(core.list_namespaced_config_map, ns, field_selector="metadata.name=watched", resource_version=since, timeout_seconds=20):
        events.append({"type": event["type"], "name": event["object"].metadata.name, "value": (event["object"].data or {}).get("value")})
        if event["type"] == "DELETED":
            w.stop()
    worker.join()
    return {"events": events}


def scenario_paging(core, ns):
    for i in range(5):
        core.create_namespaced_config_map(ns, config_map(f"page-{i}", str(i)))
    names, remaining, versions = [], [], set()
    token = None
    while True:
        page = core.list_namespaced_config_map(ns, limit=2, _continue=token) if token else core.list_namespaced_config_map(ns, limit=2)
        names += [c.metadata.name for c in page.items]
        remaining.append(page.metadata.remaining_item_count)
        versions.add(page.metadata.resource_version)
        token = page.metadata._continue
        if not token:
            break
    return {"names": names, "remaining": remaining, "versions": len(versions)}


def scenario_leases(core, ns):
    coordination = client.CoordinationV1Api()
    node_leases = coordination.list_namespaced_lease("kube-node-lease").items
    since = coordination.list_namespaced_lease(ns).metadata.resource_version
    events = []
    w = watch.Watch()

    def change():
        time.sleep(0.5)
        now = datetime.datetime.now(datetime.timezone.utc)
        lease = client.V1Lease(metadata=client.V1ObjectMeta(name="leader"),
                               spec=client.V1LeaseSpec(holder_identity="a", lease_duration_seconds=15, acquire_time=now, renew_time=now))
        coordination.create_namespaced_lease(ns, lease)
        coordination.patch_namespaced_lease("leader", ns, {"spec": {"holderIdentity": "b", "leaseTransitions": 1}})
        coordination.delete_namespaced_lease("leader", ns)

    worker = threading.Thread(target=change)
    worker.start()
    for event in w.stream(coordination.list_namespaced_lease, ns, resource_version=since, timeout_seconds=20):
        spec = event["object"].spec
        events.append({"type": event["type"], "holder": spec.holder_identity, "renewed": spec.renew_time is not None})
        if event["type"] == "DELETED":
            w.stop()
    worker.join()
    return {
        "nodeLeases": [{"name": l.metadata.name, "holder": l.spec.holder_identity, "duration": l.spec.lease_duration_seconds,
                        "renewTime": l.spec.renew_time.isoformat()} for l in node_leases],
        "events": events,
    }


def scenario_apply(core, ns):
    """Server-side apply through the client's ApiClient (22.x has no typed apply): conflict, force, field removal."""

    def apply(data, manager, force=False):
        query = [("fieldManager", manager)] + ([("force", "true")] if force else [])
        body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "applied", "labels": {"app": "py"}}}
        if data is not None:
            body["data"] = data
        return core.api_client.call_api(
            "/api/v1/namespaces/{namespace}/configmaps/{name}", "PATCH", {"namespace": ns, "name": "applied"}, query,
            {"Content-Type": "application/apply-patch+yaml", "Accept": "application/json"}, body=json.dumps(body),
            response_type="V1ConfigMap", auth_settings=["BearerToken"], _return_http_data_only=True)

    apply({"a": "1", "b": "1"}, "alice")
    try:
        apply({"a": "2"}, "bob")
        conflict = None
    except client.exceptions.ApiException as e:
        status = json.loads(e.body)
        conflict = {"status": e.status, "reason": status["reason"], "causes": status["details"]["causes"]}
    apply({"a": "2"}, "bob", force=True)
    apply(None, "alice")
    read = core.read_namespaced_config_map("applied", ns)
    return {
        "conflict": conflict,
        "data": read.data,
        "managers": [[m.manager, m.operation, m.fields_v1, isinstance(m.time, datetime.datetime)] for m in read.metadata.managed_fields],
    }


def scenario_collection(core, ns):
    """delete_collection with a label selector, then a watch from a version older than the kept history."""
    for name, batch in [("a", "old"), ("b", "old"), ("c", "new")]:
        body = config_map(name, "1")
        body.metadata.labels = {"batch": batch}
        core.create_namespaced_config_map(ns, body)
    core.delete_collection_namespaced_config_map(ns, label_selector="batch=old")
    left = [c.metadata.name for c in core.list_namespaced_config_map(ns, label_selector="batch").items]
    try:
        for _ in watch.Watch().stream(core.list_namespaced_config_map, ns, resource_version="1", timeout_seconds=5):
            pass
        expired = None
    except client.exceptions.ApiException as e:
        expired = {"status": e.status, "reason": e.reason}
    return {"left": left, "expired": expired}


def scenario_crd(core, ns):
    """A CustomResourceDefinition through ApiextensionsV1Api, then its objects through CustomObjectsApi, and a watch."""
    ext = client.ApiextensionsV1Api()
    custom = client.CustomObjectsApi()
    group, version, plural = "py.example.com", "v1", "widgets"
    schema = client.V1JSONSchemaProps(type="object", properties={
        "spec": client.V1JSONSchemaProps(type="object", required=["size"], properties={
            "size": client.V1JSONSchemaProps(type="integer", minimum=1),
            "color": client.V1JSONSchemaProps(type="string", default="blue"),
        }),
    })
    ext.create_custom_resource_definition(client.V1CustomResourceDefinition(
        metadata=client.V1ObjectMeta(name=f"{plural}.{group}"),
        spec=client.V1CustomResourceDefinitionSpec(
            group=group, scope="Namespaced",
            names=client.V1CustomResourceDefinitionNames(plural=plural, singular="widget", kind="Widget"),
            versions=[client.V1CustomResourceDefinitionVersion(
                name=version, served=True, storage=True,
                schema=client.V1CustomResourceValidation(open_apiv3_schema=schema))])))

    # The definition controller establishes it; poll as a client would.
    established = False
    for _ in range(100):
        crd = ext.read_custom_resource_definition(f"{plural}.{group}")
        conditions = (crd.status.conditions if crd.status else None) or []
        if any(c.type == "Established" and c.status == "True" for c in conditions):
            established = True
            break
        time.sleep(0.1)

    def widget(name, size):
        return {"apiVersion": f"{group}/{version}", "kind": "Widget", "metadata": {"name": name}, "spec": {"size": size}}

    created = custom.create_namespaced_custom_object(group, version, ns, plural, widget("first", 1))
    custom.create_namespaced_custom_object(group, version, ns, plural, widget("second", 2))
    listed = custom.list_namespaced_custom_object(group, version, ns, plural)
    patched = custom.patch_namespaced_custom_object(group, version, ns, plural, "first", {"spec": {"size": 5}})
    try:
        custom.create_namespaced_custom_object(group, version, ns, plural, widget("tiny", 0))
        invalid = None
    except client.exceptions.ApiException as e:
        body = json.loads(e.body)
        invalid = {"status": e.status, "reason": body["reason"], "message": body["message"]}

    events = []
    since = listed["metadata"]["resourceVersion"]

    def change():
        time.sleep(0.5)
        custom.create_namespaced_custom_object(group, version, ns, plural, widget("watched", 3))
        custom.patch_namespaced_custom_object(group, version, ns, plural, "watched", {"spec": {"size": 4}})
        custom.delete_namespaced_custom_object(group, version, ns, plural, "watched")

    w = watch.Watch()
    worker = threading.Thread(target=change)
    worker.start()
    for event in w.stream(custom.list_namespaced_custom_object, group, version, ns, plural,
                          field_selector="metadata.name=watched", resource_version=since, timeout_seconds=20):
        events.append({"type": event["type"], "name": event["object"]["metadata"]["name"], "size": event["object"]["spec"]["size"]})
        if event["type"] == "DELETED":
            w.stop()
    worker.join()

    ext.delete_custom_resource_definition(f"{plural}.{group}")
    try:
        custom.list_namespaced_custom_object(group, version, ns, plural)
        gone = None
    except client.exceptions.ApiException as e:
        gone = e.status
    return {
        "established": established,
        "acceptedKind": crd.status.accepted_names.kind if established else None,
        "created": {"uid": created["metadata"].get("uid"), "color": created["spec"].get("color")},
        "listed": {"kind": listed["kind"], "names": [i["metadata"]["name"] for i in listed["items"]]},
        "patched": patched["spec"],
        "invalid": invalid,
        "events": events,
        "afterDelete": gone,
    }


def scenario_status(core, ns):
    apps = client.AppsV1Api()
    labels = {"app": "web"}
    apps.create_namespaced_deployment(ns, client.V1Deployment(
        metadata=client.V1ObjectMeta(name="web", labels={"team": "a"}),
        spec=client.V1DeploymentSpec(
            replicas=1,
            selector=client.V1LabelSelector(match_labels=labels),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels=labels),
                spec=client.V1PodSpec(containers=[client.V1Container(name="web", image="nginx:1.27")])))))
    read = apps.read_namespaced_deployment_status("web", ns)
    # Through /status only the status changes: the spec and the label in the same patch are ignored.
    patched = apps.patch_namespaced_deployment_status("web", ns, {
        "metadata": {"labels": {"sneaky": "yes"}},
        "spec": {"replicas": 5},
        "status": {"conditions": [{"type": "Audited", "status": "True", "reason": "Checked", "message": "by the auditor"}]},
    })
    # Through the main resource the status is ignored.
    apps.patch_namespaced_deployment("web", ns, {"status": {"conditions": [{"type": "Sneaked", "status": "True"}]}})
    after = apps.read_namespaced_deployment("web", ns)
    try:
        apps.replace_namespaced_deployment_status("web", ns, read)
        stale = None
    except client.exceptions.ApiException as e:
        stale = {"status": e.status, "reason": json.loads(e.body)["reason"]}
    return {
        "readKind": read.kind,
        "readConditions": sorted(c.type for c in (read.status.conditions or [])),
        "patchedConditions": sorted(c.type for c in (patched.status.conditions or [])),
        "conditions": sorted(c.type for c in (after.status.conditions or [])),
        "replicas": after.spec.replicas,
        "labels": after.metadata.labels,
        "stale": stale,
    }


def scenario_ages(core, ns):
    created = core.create_namespaced_config_map(ns, config_map("aged", "1"))
    read = core.read_namespaced_config_map("aged", ns)
    now = datetime.datetime.now(datetime.timezone.utc)
    return {
        "created": created.metadata.creation_timestamp.isoformat(),
        "read": read.metadata.creation_timestamp.isoformat(),
        "secondsOld": (now - read.metadata.creation_timestamp).total_seconds(),
    }


def scenario_autoscaling(core, ns):
    """A v2 HPA with a memory metric and a behavior, read and replaced through AutoscalingV1Api (the 22.x client has
    no AutoscalingV2Api, so v2 goes through CustomObjectsApi's paths), then a replace with a malformed annotation."""
    custom = client.CustomObjectsApi()
    v1 = client.AutoscalingV1Api()
    hpas = ("autoscaling", "v2", ns, "horizontalpodautoscalers")
    custom.create_namespaced_custom_object(*hpas, {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web"},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
            "minReplicas": 1,
            "maxReplicas": 5,
            "metrics": [
                {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}},
                {"type": "Resource", "resource": {"name": "memory", "target": {"type": "Utilization", "averageUtilization": 80}}},
            ],
            "behavior": {"scaleDown": {"stabilizationWindowSeconds": 60}},
        },
    })
    read = v1.read_namespaced_horizontal_pod_autoscaler("web", ns)
    annotations = dict(read.metadata.annotations or {})
    read.spec.max_replicas = 7
    replaced = v1.replace_namespaced_horizontal_pod_autoscaler("web", ns, read)
    stored = custom.get_namespaced_custom_object(*hpas, "web")

    again = v1.read_namespaced_horizontal_pod_autoscaler("web", ns)
    again.metadata.annotations["autoscaling.alpha.kubernetes.io/metrics"] = "not json"
    again.spec.max_replicas = 9
    try:
        v1.replace_namespaced_horizontal_pod_autoscaler("web", ns, again)
        malformed = None
    except client.exceptions.ApiException as e:
        malformed = {"status": e.status, "message": json.loads(e.body)["message"]}
    return {
        "targetCpu": read.spec.target_cpu_utilization_percentage,
        "metricsAnnotation": json.loads(annotations["autoscaling.alpha.kubernetes.io/metrics"]),
        "behaviorAnnotation": json.loads(annotations["autoscaling.alpha.kubernetes.io/behavior"]),
        "replacedMaxReplicas": replaced.spec.max_replicas,
        "replacedAnnotations": sorted(k for k in (replaced.metadata.annotations or {}) if k.startswith("autoscaling.alpha")),
        "maxReplicas": stored["spec"]["maxReplicas"],
        "metrics": [m["resource"]["name"] for m in stored["spec"]["metrics"]],
        "scaleDown": stored["spec"]["behavior"]["scaleDown"]["stabilizationWindowSeconds"],
        "storedAnnotations": sorted(k for k in (stored["metadata"].get("annotations") or {}) if k.startswith("autoscaling.alpha")),
        "malformed": malformed,
        "afterMalformed": custom.get_namespaced_custom_object(*hpas, "web")["spec"]["maxReplicas"],
    }


def main():
    kubeconfig, scenario, ns = sys.argv[1], sys.argv[2], sys.argv[3]
    config.load_kube_config(config_file=kubeconfig)
    core = client.CoreV1Api()
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=ns)))
    result = globals()["scenario_" + scenario](core, ns)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
