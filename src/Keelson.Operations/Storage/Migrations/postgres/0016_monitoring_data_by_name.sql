-- The dashboard query reads a tenant's series one by one in time order. The seed's (tenant, time) index leaves a
-- 24-hour read sorting every row and visiting the table for each; this one covers the read (value and type are
-- included), so each series is one ordered index-only range. Created on the parent, it is built on every partition.
CREATE INDEX idx_monitoring_data_tenant_name_time ON monitoring_data (tenant_id, metric_name, timestamp) INCLUDE (metric_value, metric_type);
