-- Alert rule states between evaluations (Prometheus's ALERTS_FOR_STATE: active_at survives a restart, so a pending
-- `for` timer is not reset) and the history of their transitions.
CREATE TABLE alert_states (
    tenant_id TEXT NOT NULL,
    rule_name TEXT NOT NULL,
    phase TEXT NOT NULL,
    active_at TEXT NOT NULL,
    fired_at TEXT,
    resolved_at TEXT,
    keep_firing_since TEXT,
    value REAL NOT NULL,
    PRIMARY KEY (tenant_id, rule_name)
);

CREATE TABLE alert_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id TEXT NOT NULL,
    rule_name TEXT NOT NULL,
    at TEXT NOT NULL,
    from_phase TEXT NOT NULL,
    to_phase TEXT NOT NULL,
    value REAL NOT NULL,
    labels TEXT NOT NULL
);

CREATE INDEX idx_alert_events_tenant_at ON alert_events (tenant_id, at DESC);
