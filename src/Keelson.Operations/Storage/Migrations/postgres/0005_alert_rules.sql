-- Alert rules per tenant (the seed's POST /tenants/{tenant_id}/alerts). actions holds the receivers as JSON, URLs
-- included: they may carry secrets, so the API only ever shows them redacted. version is for optimistic concurrency.
CREATE TABLE alert_rules (
    tenant_id TEXT NOT NULL REFERENCES tenants(tenant_id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    condition TEXT NOT NULL,
    expr TEXT,
    for_ms BIGINT NOT NULL,
    keep_firing_for_ms BIGINT NOT NULL,
    severity TEXT NOT NULL,
    labels TEXT NOT NULL,
    annotations TEXT NOT NULL,
    actions TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    version INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

-- One row per tenant with rules: its evaluation interval, and the lease that makes exactly one replica evaluate it
-- (taken and renewed the way deployment_leases is), with the time of the last evaluation so a new holder keeps the cadence.
CREATE TABLE alert_evaluations (
    tenant_id TEXT PRIMARY KEY REFERENCES tenants(tenant_id) ON DELETE CASCADE,
    interval_ms BIGINT NOT NULL DEFAULT 15000,
    lease_owner TEXT,
    lease_until TIMESTAMPTZ,
    evaluated_at TIMESTAMPTZ
);
