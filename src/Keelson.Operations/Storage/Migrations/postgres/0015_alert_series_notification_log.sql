-- A PromQL rule keeps one alert per result series, as Prometheus does: a state is keyed by tenant, rule and the
-- series' labels (canonical JSON without __name__; '' for a condition rule's single series per tenant).
ALTER TABLE alert_states ADD COLUMN series TEXT NOT NULL DEFAULT '';
ALTER TABLE alert_states DROP CONSTRAINT alert_states_pkey;
ALTER TABLE alert_states ADD PRIMARY KEY (tenant_id, rule_name, series);

-- Each transition names its series too, so an occurrence's resolution is matched within its own series.
ALTER TABLE alert_events ADD COLUMN series TEXT NOT NULL DEFAULT '';

-- Alertmanager's notification log: per group, the firing alerts last notified and when, written with the outbox row, so a
-- restarted (or newly leased) dispatcher does not re-send an unchanged group before repeat_interval.
CREATE TABLE notification_log (
    group_key TEXT PRIMARY KEY,
    firing TEXT NOT NULL,
    notified_at TIMESTAMPTZ NOT NULL
);
