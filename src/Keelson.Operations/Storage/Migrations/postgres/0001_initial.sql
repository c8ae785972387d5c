-- Tenants with the seed's columns; JSON documents as JSONB.
CREATE TABLE tenants (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id VARCHAR(63) UNIQUE NOT NULL,
    name VARCHAR(200) NOT NULL,
    preset VARCHAR(20) NOT NULL,
    is_demo BOOLEAN NOT NULL DEFAULT false,
    status VARCHAR(20) NOT NULL DEFAULT 'pending',
    service_requirements JSONB NOT NULL,
    resources JSONB NOT NULL,
    sla_target JSONB NOT NULL,
    cpu_limit VARCHAR(50),
    memory_limit VARCHAR(50),
    gpu_limit INTEGER,
    storage_limit VARCHAR(50),
    gpu_type VARCHAR(50),
    spec TEXT,
    version BIGINT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE deployments (
    id VARCHAR(36) PRIMARY KEY,
    tenant_id VARCHAR(63) NOT NULL REFERENCES tenants(tenant_id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    state VARCHAR(20) NOT NULL,
    error TEXT,
    lease_owner VARCHAR(200),
    lease_until TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    UNIQUE (tenant_id, revision)
);

CREATE INDEX deployments_unfinished ON deployments (created_at) WHERE state IN ('pending', 'running');

CREATE TABLE deployment_steps (
    deployment_id VARCHAR(36) NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
    step_index INTEGER NOT NULL,
    name VARCHAR(20) NOT NULL,
    state VARCHAR(20) NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE,
    finished_at TIMESTAMP WITH TIME ZONE,
    message TEXT,
    PRIMARY KEY (deployment_id, step_index)
);

-- One row per tenant being deployed: whoever holds an unexpired row deploys that tenant.
CREATE TABLE deployment_leases (
    tenant_id VARCHAR(63) PRIMARY KEY REFERENCES tenants(tenant_id) ON DELETE CASCADE,
    deployment_id VARCHAR(36) NOT NULL,
    owner VARCHAR(200) NOT NULL,
    lease_until TIMESTAMP WITH TIME ZONE NOT NULL
);

-- No foreign key: the audit trail outlives the tenants it mentions.
CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TIMESTAMP WITH TIME ZONE NOT NULL,
    actor VARCHAR(200) NOT NULL,
    action VARCHAR(100) NOT NULL,
    tenant_id VARCHAR(63),
    details JSONB NOT NULL
);

CREATE INDEX audit_log_tenant ON audit_log (tenant_id, id);
