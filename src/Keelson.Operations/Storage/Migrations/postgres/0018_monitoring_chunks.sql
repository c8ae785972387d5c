-- Every sample of monitoring_data is also kept in 15-minute chunks per series, as a time-series database keeps them:
-- a 24-hour read of five series is 480 rows of packed (time, value) pairs instead of 28,800 index entries. data is
-- the samples in arrival order, 16 bytes each (UTC ticks, then the value; both big-endian, as
-- PostgreSQL's int8send and float8send write them); chunk_start is the
-- chunk's start in Unix seconds (a multiple of 900; shorter chunks make each append rewrite less). Written in the same transaction as monitoring_data; the rows already stored are packed
-- at the end of this script.
CREATE TABLE monitoring_chunks (
    tenant_id VARCHAR(63) NOT NULL,
    metric_name VARCHAR(200) NOT NULL,
    chunk_start BIGINT NOT NULL,
    metric_type VARCHAR(50) NOT NULL,
    sample_count INTEGER NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (tenant_id, metric_name, chunk_start)
);

CREATE INDEX idx_monitoring_chunks_age ON monitoring_chunks (chunk_start);

-- Appending rewrites the value; compressing it on every write costs more than it saves (the time half of each pair
-- compresses, the values hardly), so it is stored out of line uncompressed.
ALTER TABLE monitoring_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

-- Ticks are 100 ns since 0001-01-01; PostgreSQL keeps microseconds, so the last digit is always 0.
INSERT INTO monitoring_chunks (tenant_id, metric_name, chunk_start, metric_type, sample_count, data)
SELECT tenant_id, metric_name, chunk_start, MIN(metric_type), COUNT(*),
       string_agg(int8send(ticks) || float8send(metric_value), ''::bytea ORDER BY timestamp)
FROM (SELECT tenant_id, metric_name, metric_type, metric_value, timestamp,
             (floor(extract(epoch FROM timestamp) / 900) * 900)::bigint AS chunk_start,
             (extract(epoch FROM timestamp) * 10000000)::bigint + 621355968000000000 AS ticks
      FROM monitoring_data) samples
GROUP BY tenant_id, metric_name, chunk_start;
