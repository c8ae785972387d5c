-- A PromQL rule keeps one alert per result series, as Prometheus does: a state is keyed by tenant, rule and the
-- series' labels (canonical JSON without __name__; '' for a condition rule's single series per tenant). SQLite cannot
-- change a primary key in place, so the table is rebuilt with the existing rows kept as condition-series states.
CREATE TABLE alert_states_by_series (
    tenant_id TEXT NOT NULL,
    rule_name TEXT NOT NULL,
    series TEXT NOT NULL DEFAULT '',
    phase TEXT NOT NULL,
    active_at TEXT NOT NULL,
    fired_at TEXT,
    resolved_at TEXT,
    keep_firing_since TEXT,
    value REAL NOT NULL,
    PRIMARY KEY (tenant_id, rule_name, series)
);

INSERT INTO alert_states_by_series (tenant_id, rule_name, series, phase, active_at, fired_at, resolved_at, keep_firing_since, value)
SELECT tenant_id, rule_name, '', phase, active_at, fired_at, resolved_at, keep_firing_since, value FROM alert_states;

DROP TABLE alert_states;

ALTER TABLE alert_states_by_series RENAME TO alert_states;

-- Each transition names its series too, so an occurrence's resolution is matched within its own series.
ALTER TABLE alert_events ADD COLUMN series TEXT NOT NULL DEFAULT '';

-- Alertmanager's notification log: per group, the firing alerts last notified and when, written with the outbox row, so a
-- restarted (or newly leased) dispatcher does not re-send an unchanged group before repeat_interval.
CREATE TABLE notification_log (
    group_key TEXT PRIMARY KEY,
    firing TEXT NOT NULL,
    notified_at TEXT NOT NULL
);
