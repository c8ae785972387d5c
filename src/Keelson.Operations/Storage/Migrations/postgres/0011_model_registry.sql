-- The model registry. models: one row per tenant model, with the last version number handed out (numbers are never
-- reused after a delete) and how requests are served (dynamic batching, concurrency). model_versions: every uploaded
-- version with its content digest (files live content-addressed under the data directory, so identical uploads are
-- stored once) and the description read from the file (info, JSON). model_aliases: production, staging or any name,
-- each pointing at one version; moving one is a single upsert, so readers see the old or the new version, never neither.
CREATE TABLE models (
    tenant_id TEXT NOT NULL,
    name TEXT NOT NULL,
    last_version INTEGER NOT NULL,
    max_batch_size INTEGER NOT NULL DEFAULT 1,
    max_queue_delay_us INTEGER NOT NULL DEFAULT 500,
    max_concurrency INTEGER NOT NULL DEFAULT 4,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

CREATE TABLE model_versions (
    tenant_id TEXT NOT NULL,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    digest TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    info TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, name, version)
);

CREATE INDEX model_versions_digest ON model_versions (digest);

CREATE TABLE model_aliases (
    tenant_id TEXT NOT NULL,
    name TEXT NOT NULL,
    alias TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, name, alias)
);
