-- Every sample of monitoring_data is also kept in 15-minute chunks per series, as a time-series database keeps them:
-- a 24-hour read of five series is 480 rows of packed (time, value) pairs instead of 28,800 index entries. data is
-- the samples in arrival order, 16 bytes each (UTC ticks, then the value; both big-endian, as
-- PostgreSQL's int8send and float8send write them); chunk_start is the
-- chunk's start in Unix seconds (a multiple of 900; shorter chunks make each append rewrite less). Written in the same transaction as monitoring_data; the rows already stored are packed
-- by the migrator right after this script (MetricChunks.BackfillAsync).
CREATE TABLE monitoring_chunks (
    tenant_id TEXT NOT NULL,
    metric_name TEXT NOT NULL,
    chunk_start INTEGER NOT NULL,
    metric_type TEXT NOT NULL,
    sample_count INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (tenant_id, metric_name, chunk_start)
);

CREATE INDEX idx_monitoring_chunks_age ON monitoring_chunks (chunk_start);
