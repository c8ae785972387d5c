-- The seed's monitoring_data table, partitioned by month as the seed's tuning section shows. The store creates
-- each month's partition (monitoring_data_YYYY_MM) before the first write into it; there is deliberately no
-- default partition, because a row parked there would block creating the month's partition later.
-- metric_value is a double rather than the seed's NUMERIC(10,2) so large counters and small latencies keep their value.
CREATE TABLE monitoring_data (
    tenant_id VARCHAR(63) NOT NULL,
    metric_type VARCHAR(50) NOT NULL,
    metric_name VARCHAR(200) NOT NULL,
    metric_value DOUBLE PRECISION NOT NULL,
    timestamp TIMESTAMP WITH TIME ZONE NOT NULL
) PARTITION BY RANGE (timestamp);

CREATE INDEX idx_monitoring_data_tenant_time ON monitoring_data (tenant_id, timestamp DESC);
