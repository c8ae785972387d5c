-- Roll-ups of monitoring_data: what retention deletes is folded first into 1-minute (resolution 60) and 1-hour
-- (resolution 3600) buckets, kept longer, as downsampling does. Timestamps are the same ISO text as monitoring_data's.
CREATE TABLE monitoring_rollups (
    tenant_id TEXT NOT NULL,
    metric_type TEXT NOT NULL,
    metric_name TEXT NOT NULL,
    resolution INTEGER NOT NULL,
    bucket_start TEXT NOT NULL,
    sample_count INTEGER NOT NULL,
    value_sum REAL NOT NULL,
    value_min REAL NOT NULL,
    value_max REAL NOT NULL,
    PRIMARY KEY (tenant_id, metric_name, resolution, bucket_start)
);

CREATE INDEX idx_monitoring_rollups_age ON monitoring_rollups (resolution, bucket_start);
