-- Tenants with the seed's columns; JSON documents as TEXT, times as fixed-width UTC ISO-8601 text so they sort.
CREATE TABLE tenants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id TEXT UNIQUE NOT NULL,
    name TEXT NOT NULL,
    preset TEXT NOT NULL,
    is_demo INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'pending',
    service_requirements TEXT NOT NULL CHECK (json_valid(service_requirements)),
    resources TEXT NOT NULL CHECK (json_valid(resources)),
    sla_target TEXT NOT NULL CHECK (json_valid(sla_target)),
    cpu_limit TEXT,
    memory_limit TEXT,
    gpu_limit INTEGER,
    storage_limit TEXT,
    gpu_type TEXT,
    spec TEXT,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE deployments (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants(tenant_id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    state TEXT NOT NULL,
    error TEXT,
    lease_owner TEXT,
    lease_until TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, revision)
);

CREATE INDEX deployments_unfinished ON deployments (created_at) WHERE state IN ('pending', 'running');

CREATE TABLE deployment_steps (
    deployment_id TEXT NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
    step_index INTEGER NOT NULL,
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    message TEXT,
    PRIMARY KEY (deployment_id, step_index)
);

-- One row per tenant being deployed: whoever holds an unexpired row deploys that tenant.
CREATE TABLE deployment_leases (
    tenant_id TEXT PRIMARY KEY REFERENCES tenants(tenant_id) ON DELETE CASCADE,
    deployment_id TEXT NOT NULL,
    owner TEXT NOT NULL,
    lease_until TEXT NOT NULL
);

-- No foreign key: the audit trail outlives the tenants it mentions.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    tenant_id TEXT,
    details TEXT NOT NULL CHECK (json_valid(details))
);

CREATE INDEX audit_log_tenant ON audit_log (tenant_id, id);
