-- Roll-ups of monitoring_data: what retention deletes is folded first into 1-minute (resolution 60) and 1-hour
-- (resolution 3600) buckets, kept longer, as downsampling does.
CREATE TABLE monitoring_rollups (
    tenant_id VARCHAR(63) NOT NULL,
    metric_type VARCHAR(50) NOT NULL,
    metric_name VARCHAR(200) NOT NULL,
    resolution INTEGER NOT NULL,
    bucket_start TIMESTAMP WITH TIME ZONE NOT NULL,
    sample_count BIGINT NOT NULL,
    value_sum DOUBLE PRECISION NOT NULL,
    value_min DOUBLE PRECISION NOT NULL,
    value_max DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (tenant_id, metric_name, resolution, bucket_start)
);

CREATE INDEX idx_monitoring_rollups_age ON monitoring_rollups (resolution, bucket_start);
