-- A PromQL rule keeps one alert per result series, as Prometheus does: a state is keyed by tenant, rule and the
-- series' labels (canonical JSON without __name__; '' for a condition rule's single series per tenant).
ALTER TABLE alert_states ADD COLUMN series TEXT NOT NULL DEFAULT '';
ALTER TABLE alert_states DROP CONSTRAINT alert_states_pkey;
ALTER TABLE alert_states ADD PRIMARY KEY (tenant_id, rule_name, series);
