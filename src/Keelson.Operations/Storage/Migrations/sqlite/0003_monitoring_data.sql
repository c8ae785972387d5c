-- The seed's monitoring_data table: one row per pushed sample. metric_value is a double rather than the seed's
-- NUMERIC(10,2) so counters past 99,999,999.99 and sub-cent latencies keep their value.
CREATE TABLE monitoring_data (
    tenant_id TEXT NOT NULL,
    metric_type TEXT NOT NULL,
    metric_name TEXT NOT NULL,
    metric_value REAL NOT NULL,
    timestamp TEXT NOT NULL
);

CREATE INDEX idx_monitoring_data_tenant_time ON monitoring_data (tenant_id, timestamp DESC);
