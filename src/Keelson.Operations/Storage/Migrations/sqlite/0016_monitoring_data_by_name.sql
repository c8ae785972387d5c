-- The dashboard query reads a tenant's series one by one in time order. The seed's (tenant, time) index leaves a
-- 24-hour read sorting every row and visiting the table for each; this one covers the read (name, time, value and
-- type all in the index), so each series is one ordered index range and nothing else.
CREATE INDEX idx_monitoring_data_tenant_name_time ON monitoring_data (tenant_id, metric_name, timestamp, metric_value, metric_type);
