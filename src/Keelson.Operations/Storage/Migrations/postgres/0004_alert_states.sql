-- Alert rule states between evaluations (Prometheus's ALERTS_FOR_STATE: active_at survives a restart, so a pending
-- `for` timer is not reset) and the history of their transitions.
CREATE TABLE alert_states (
    tenant_id TEXT NOT NULL,
    rule_name TEXT NOT NULL,
    phase TEXT NOT NULL,
    active_at TIMESTAMPTZ NOT NULL,
    fired_at TIMESTAMPTZ,
    resolved_at TIMESTAMPTZ,
    keep_firing_since TIMESTAMPTZ,
    value DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (tenant_id, rule_name)
);

CREATE TABLE alert_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    rule_name TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    from_phase TEXT NOT NULL,
    to_phase TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    labels TEXT NOT NULL
);

CREATE INDEX idx_alert_events_tenant_at ON alert_events (tenant_id, at DESC);
