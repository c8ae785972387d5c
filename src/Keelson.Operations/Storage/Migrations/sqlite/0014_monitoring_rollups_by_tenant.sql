-- Every metric read asks for a tenant's oldest roll-up bucket of each resolution; the primary key leads with the
-- metric name after the tenant, so that meant a scan of all the tenant's buckets (90 days of 1-minute ones).
CREATE INDEX idx_monitoring_rollups_tenant ON monitoring_rollups (tenant_id, resolution, bucket_start);
