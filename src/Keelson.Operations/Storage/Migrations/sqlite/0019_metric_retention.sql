-- Metric retention set through the API (PUT /api/v1/settings/retention), in force instead of Keelson:Monitoring's
-- until cleared (DELETE). At most one row (id = 1), in the production database beside the API keys: one value for the
-- server, which every replica's retention pass reads. Independent of every other table.
CREATE TABLE metric_retention (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    raw_seconds BIGINT NOT NULL,
    minute_rollup_seconds BIGINT NOT NULL,
    hour_rollup_seconds BIGINT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
